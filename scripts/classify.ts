/**
 * `npm run classify -- --input FILE.jsonl [--output FILE.jsonl]` (SPEC §6): one line per
 * canonical conversation, `{"id","taxonomyId","automationClass","confidence"}`. A conversation
 * whose id appears on several valid lines is classified once, from its last version (SPEC §2:
 * the last one wins, as in the pipeline), at the place of that version.
 * Bad input or output (a missing, unreadable or corrupt file, a folder, an output folder that does
 * not exist) is one line on stderr and exit code 1, as for `npm run pipeline`; bad usage is 2.
 * Invalid lines are skipped and counted; `--max-reject-rate R` fails the run (exit 1, no output
 * file) when more than that share of lines is invalid. The output file is written beside itself and
 * renamed when complete: a reader never sees half of it, and a failed run leaves the last one. A
 * pipe as input (`--input /dev/stdin`) is read once into a temporary file: the ids' last versions
 * need two passes. A file with no canonical line (an Intercom, Zendesk or CSV export) is read
 * through the importers (docs/imports.md), as the pipeline and the estimate read it, and its
 * conversations are classified under their export ids.
 */

import { once } from 'node:events';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  lstatSync,
  mkdtempSync,
  renameSync,
  rmSync,
  statSync,
  type WriteStream,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { assignLeaf } from '../server/domain/assign.ts';
import { defaultClassifier } from '../server/domain/classifier.ts';
import { validateForClassification } from '../server/domain/validate.ts';
import { ImportError, type ImportReport, importFile } from '../server/importers/index.ts';
import { fromCaller, parseCli, rejectRateOption } from './cli.ts';
import { PipelineError } from './pipeline/errors.ts';
import { readLines } from './pipeline/lines.ts';

const USAGE =
  'usage: npm run classify -- --input FILE.jsonl[.gz]|- [--output FILE.jsonl] [--max-reject-rate R]';
/** invalid lines printed one by one before the rest are only counted */
const MAX_PRINTED_REJECTS = 20;

/** A failure the user can act on, printed as one line (exit 1). */
class ClassifyError extends Error {}
/** The input holds no canonical line: it may be another export the importers read. */
class NotCanonical extends ClassifyError {}

/** Opens the output file, or says in one line why it cannot be written. */
async function openOutput(path: string, shownAs: string): Promise<WriteStream> {
  const out = createWriteStream(path);
  try {
    await once(out, 'open');
  } catch (err) {
    throw new ClassifyError(`${shownAs}: cannot be written (${systemReason(err).replaceAll(path, shownAs)})`);
  }
  return out;
}

function sameFile(a: string, b: string): boolean {
  const x = statSync(a);
  const y = statSync(b);
  return x.dev === y.dev && x.ino === y.ino;
}

/** A system error on one line: `ENOENT: no such file or directory, open '…'`. */
function systemReason(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  const message = ((err as Error)?.message ?? String(err)).split('\n')[0] ?? '';
  if (typeof code !== 'string' || message.startsWith(code)) return message;
  return `${code}: ${message}`;
}

/** A line's valid conversation, or why it is not one. */
function conversationOf(text: string): ReturnType<typeof validateForClassification> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    const array = text.trimStart().startsWith('[');
    // the parser's own words say where ("Unterminated string in JSON at position 245")
    const why = ((err as Error).message ?? '').split('\n')[0]!.slice(0, 100);
    return {
      ok: false,
      reason: array
        ? 'a JSON array, not one conversation per line'
        : `malformed JSON${why ? ` (${why})` : ''}`,
    };
  }
  if (Array.isArray(raw)) return { ok: false, reason: 'a JSON array, not one conversation per line' };
  return validateForClassification(raw);
}

/** The line of each id's last valid version: a first pass, so the output can still stream. */
async function lastVersions(input: string): Promise<Map<string, number>> {
  const last = new Map<string, number>();
  for await (const [line, text, problem] of readLines(input)) {
    if (problem || text.trim() === '') continue;
    const v = conversationOf(text);
    if (v.ok) last.set(v.value.id, line);
  }
  return last;
}

/** Standard input by name: `-`, or /dev/stdin (a socket when a program feeds it, which no path opens). */
const isStdin = (input: string) => input === '-' || input === '/dev/stdin';

/** A pipe or device read once into a temporary file (removed by `done`), a file as it is. */
async function rereadable(input: string): Promise<{ path: string; done: () => void }> {
  if (!isStdin(input) && statSync(input).isFile()) return { path: input, done: () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'cockpit-classify-'));
  const path = join(dir, 'input');
  const done = () => rmSync(dir, { recursive: true, force: true });
  try {
    await pipeline(isStdin(input) ? process.stdin : createReadStream(input), createWriteStream(path));
  } catch (err) {
    done();
    throw err;
  }
  return { path, done };
}

async function classify(
  input: string,
  outputPath: string | undefined,
  maxRejectRate: number | null,
): Promise<void> {
  if (!isStdin(input)) {
    if (!existsSync(input)) throw new ClassifyError(`${input}: file not found`);
    if (statSync(input).isDirectory()) throw new ClassifyError(`${input}: is a folder, expected a file`);
    // the input named again as output (or a link to it) would be replaced
    if (outputPath && existsSync(outputPath) && sameFile(input, outputPath))
      throw new ClassifyError(`${outputPath}: is the input file; write the output elsewhere`);
  }
  if (outputPath && existsSync(outputPath) && statSync(outputPath).isDirectory())
    throw new ClassifyError(`${outputPath}: cannot be written (EISDIR: it is a folder)`);
  const source = await rereadable(input);
  try {
    await classifyFile(source.path, input, outputPath, maxRejectRate);
  } catch (err) {
    if (!(err instanceof NotCanonical)) throw err;
    const imported = await importedAsCanonical(source.path, input, maxRejectRate, outputPath).catch(
      (importErr: unknown) => {
        // neither canonical nor an export the importers know: both reasons, the canonical one first
        if (importErr instanceof ImportError)
          throw new ClassifyError(`${err.message}; read as an export: ${importErr.message}`);
        throw importErr;
      },
    );
    try {
      await classifyFile(imported.path, input, outputPath, maxRejectRate);
    } finally {
      imported.done();
    }
  } finally {
    source.done();
  }
}

/**
 * An Intercom, Zendesk or CSV export (or canonical lines the importers repair) as canonical lines
 * in a temporary file, keeping the export's own ids; what the import skipped or refused is said on
 * stderr, as the pipeline says it.
 */
async function importedAsCanonical(
  path: string,
  shownAs: string,
  maxRejectRate: number | null,
  outputPath: string | undefined,
): Promise<{ path: string; done: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'cockpit-classify-'));
  const done = () => rmSync(dir, { recursive: true, force: true });
  try {
    const target = join(dir, 'conversations.jsonl');
    const out = createWriteStream(target);
    let report: ImportReport | null = null;
    for await (const ev of importFile(path, { accountId: 'export', fileName: shownAs })) {
      if (ev.type === 'conversation') {
        if (!out.write(`${JSON.stringify(ev.conversation)}\n`)) await once(out, 'drain');
      } else if (ev.type === 'report') report = ev.report;
    }
    out.end();
    await once(out, 'finish');
    if (report) {
      const r = report;
      console.error(
        `${shownAs}: read as ${r.format}${r.gzip ? ' (gzip)' : ''}: ${r.records} records, ${r.imported} imported, ${r.skipped} skipped, ${r.rejected} rejected`,
      );
      for (const reject of r.rejects.slice(0, MAX_PRINTED_REJECTS))
        console.error(`${shownAs}:${reject.line}: ${reject.reason}`);
      // the export's own invalid records are the ones the rate is about (the converted file has none)
      if (maxRejectRate !== null && r.records > 0 && r.rejected / r.records > maxRejectRate)
        throw new ClassifyError(
          `${((r.rejected / r.records) * 100).toFixed(2)}% of records were invalid (${r.rejected} of ${r.records}), over the --max-reject-rate of ${(maxRejectRate * 100).toFixed(2)}%${outputPath ? `; ${outputPath} was not written` : ''}`,
        );
    }
    return { path: target, done };
  } catch (err) {
    done();
    throw err;
  }
}

async function classifyFile(
  input: string,
  /** the name the user gave (a pipe's is read from a temporary copy) */
  shownAs: string,
  outputPath: string | undefined,
  maxRejectRate: number | null,
): Promise<void> {
  // a new file or a regular one is written beside itself and renamed when complete; a device, a
  // pipe or a link (/dev/null, /dev/stdout, latest.jsonl → run-42.jsonl) is written in place
  const kind = outputPath === undefined ? undefined : lstatSync(outputPath, { throwIfNoEntry: false });
  const replaceable = outputPath !== undefined && (kind === undefined || kind.isFile());
  const partial = outputPath && replaceable ? `${outputPath}.partial-${process.pid}` : null;
  const direct = outputPath && !replaceable ? await openOutput(outputPath, outputPath) : null;
  const file = partial && outputPath ? await openOutput(partial, outputPath) : direct;
  const out: NodeJS.WritableStream = file ?? process.stdout;
  // A write error (disk full…) is kept and reported once, instead of an unhandled 'error' event.
  let writeError: unknown = null;
  // On standard output, a reader that went away (`| head`) ends the run quietly, as for any Unix tool.
  let readerGone = false;
  out.on('error', (err: NodeJS.ErrnoException) => {
    if (!file && (err.code === 'EPIPE' || readerGone)) readerGone = true;
    else writeError ??= err;
  });
  const checkWrite = () => {
    if (writeError) throw new ClassifyError(`${outputPath}: cannot be written (${systemReason(writeError)})`);
  };
  try {
    const classifier = defaultClassifier();
    const last = await lastVersions(input);
    let earlierVersions = 0;
    let written = 0;
    let invalid = 0;
    let firstInvalid = '';
    // the first few reasons, then a count: a file of another format would print one per line. Held
    // back until a line is read: a file with none (a CSV, another export) gets the one message that
    // says what to do, not twenty lines of "malformed JSON" before it
    const held: string[] = [];
    const reject = (line: number, reason: string) => {
      invalid++;
      if (!firstInvalid) firstInvalid = `line ${line}: ${reason}`;
      if (invalid > MAX_PRINTED_REJECTS) return;
      if (written > 0) console.error(`${shownAs}:${line}: ${reason}`);
      else held.push(`${shownAs}:${line}: ${reason}`);
    };
    for await (const [line, text, problem] of readLines(input)) {
      if (readerGone) break;
      if (problem) {
        reject(line, problem);
        continue;
      }
      if (text.trim() === '') continue;
      const v = conversationOf(text);
      if (!v.ok) {
        reject(line, v.reason);
        continue;
      }
      if (last.get(v.value.id) !== line) {
        earlierVersions++;
        continue;
      }
      const k = assignLeaf(v.value, classifier);
      checkWrite();
      if (written === 0) for (const h of held.splice(0)) console.error(h);
      const ok = out.write(
        `${JSON.stringify({ id: v.value.id, taxonomyId: k.taxonomyId, automationClass: k.automationClass, confidence: k.confidence })}\n`,
      );
      written++;
      // `once` rejects when the stream errors while we wait; the handler above has kept why
      if (!ok) await once(out, 'drain').catch(() => undefined);
    }
    checkWrite();
    if (readerGone) return;
    if (written > 0 && invalid > MAX_PRINTED_REJECTS)
      console.error(`… and ${invalid - MAX_PRINTED_REJECTS} more invalid lines`);
    if (written === 0 && invalid > 0)
      throw new NotCanonical(`${shownAs}: no line is a canonical conversation (first: ${firstInvalid})`);
    const lines = written + earlierVersions + invalid;
    if (maxRejectRate !== null && lines > 0 && invalid / lines > maxRejectRate)
      throw new ClassifyError(
        `${((invalid / lines) * 100).toFixed(2)}% of lines were invalid (${invalid} of ${lines}), over the --max-reject-rate of ${(maxRejectRate * 100).toFixed(2)}%${outputPath ? `; ${outputPath} was not written` : ''}`,
      );
    if (file) {
      file.end();
      await once(file, 'finish').catch(() => undefined);
      checkWrite();
      if (partial && outputPath) renameSync(partial, outputPath);
    }
    const skipped = [
      ...(invalid ? [`skipped ${invalid} invalid lines`] : []),
      ...(earlierVersions ? [`${earlierVersions} earlier versions of repeated ids (the last one wins)`] : []),
    ];
    console.error(
      lines === 0
        ? `classified 0 conversations: ${shownAs} is empty (no line to read)`
        : `classified ${written} conversations${skipped.map((x) => `, ${x}`).join('')}`,
    );
  } catch (err) {
    // Leave no half-written output behind; the last complete one stays as it was.
    if (file) file.destroy();
    if (partial) rmSync(partial, { force: true });
    throw err;
  }
}

async function main(): Promise<number> {
  const parsed = parseCli(
    USAGE,
    { input: { type: 'string' }, output: { type: 'string' }, 'max-reject-rate': { type: 'string' } },
    ['input'],
  );
  if ('exitCode' in parsed) return parsed.exitCode;
  const values = parsed.values as typeof parsed.values & { input: string };
  let maxRejectRate: number | null = null;
  if (values['max-reject-rate'] !== undefined) {
    maxRejectRate = rejectRateOption(values['max-reject-rate']);
    if (maxRejectRate === null) return 2;
  }
  try {
    await classify(
      values.input === '-' ? '-' : fromCaller(values.input),
      values.output === undefined ? undefined : fromCaller(values.output),
      maxRejectRate,
    );
    return 0;
  } catch (err) {
    // ClassifyError, or readLines' PipelineError: a corrupt or truncated gzip, a file that is not
    // text or not UTF-8, one that cannot be read
    if (err instanceof ClassifyError || err instanceof PipelineError) {
      console.error(`classify failed: ${err.message}`);
      return 1;
    }
    // Disk full, no permission: the system's own reason, on one line.
    if (typeof (err as { code?: unknown }).code === 'string') {
      console.error(`classify failed: ${systemReason(err)}`);
      return 1;
    }
    throw err;
  }
}

process.exitCode = await main();
