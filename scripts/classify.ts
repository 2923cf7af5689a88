/**
 * `npm run classify -- --input FILE.jsonl [--output FILE.jsonl]` (SPEC §6): one line per
 * canonical conversation, `{"id","taxonomyId","automationClass","confidence"}`. A conversation
 * whose id appears on several valid lines is classified once, from its last version (SPEC §2:
 * the last one wins, as in the pipeline), at the place of that version.
 * Bad input or output (a missing, unreadable or corrupt file, a folder, an output folder that does
 * not exist) is one line on stderr and exit code 1, as for `npm run pipeline`; bad usage is 2.
 */

import { once } from 'node:events';
import { createWriteStream, existsSync, rmSync, statSync, type WriteStream } from 'node:fs';
import { assignLeaf } from '../server/domain/assign.ts';
import { defaultClassifier } from '../server/domain/classifier.ts';
import { validateForClassification } from '../server/domain/validate.ts';
import { parseCli } from './cli.ts';
import { PipelineError } from './pipeline/errors.ts';
import { readLines } from './pipeline/lines.ts';

const USAGE = 'usage: npm run classify -- --input FILE.jsonl[.gz] [--output FILE.jsonl]';
/** invalid lines printed one by one before the rest are only counted */
const MAX_PRINTED_REJECTS = 20;

/** A failure the user can act on, printed as one line (exit 1). */
class ClassifyError extends Error {}

/** Opens the output file, or says in one line why it cannot be written. */
async function openOutput(path: string): Promise<WriteStream> {
  const out = createWriteStream(path);
  try {
    await once(out, 'open');
  } catch (err) {
    throw new ClassifyError(`${path}: cannot be written (${systemReason(err)})`);
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
  } catch {
    const array = text.trimStart().startsWith('[');
    return { ok: false, reason: array ? 'a JSON array, not one conversation per line' : 'malformed JSON' };
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

async function classify(input: string, outputPath: string | undefined): Promise<void> {
  if (!existsSync(input)) throw new ClassifyError(`${input}: file not found`);
  if (statSync(input).isDirectory()) throw new ClassifyError(`${input}: is a folder, expected a file`);
  // opening the output truncates it: the input named again (or a link to it) would be lost
  if (outputPath && existsSync(outputPath) && sameFile(input, outputPath))
    throw new ClassifyError(`${outputPath}: is the input file; write the output elsewhere`);
  const file = outputPath ? await openOutput(outputPath) : null;
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
    // the first few reasons, then a count: a file of another format would print one per line
    const reject = (line: number, reason: string) => {
      invalid++;
      if (!firstInvalid) firstInvalid = `line ${line}: ${reason}`;
      if (invalid <= MAX_PRINTED_REJECTS) console.error(`${input}:${line}: ${reason}`);
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
      const ok = out.write(
        `${JSON.stringify({ id: v.value.id, taxonomyId: k.taxonomyId, automationClass: k.automationClass, confidence: k.confidence })}\n`,
      );
      written++;
      // `once` rejects when the stream errors while we wait; the handler above has kept why
      if (!ok) await once(out, 'drain').catch(() => undefined);
    }
    checkWrite();
    if (readerGone) return;
    if (invalid > MAX_PRINTED_REJECTS)
      console.error(`… and ${invalid - MAX_PRINTED_REJECTS} more invalid lines`);
    if (written === 0 && invalid > 0)
      throw new ClassifyError(
        `${input}: no line is a canonical conversation (first: ${firstInvalid}); classify reads canonical JSON lines (SPEC §2) — build other exports (Intercom, Zendesk, CSV) with npm run pipeline -- --input FILE`,
      );
    if (file) {
      file.end();
      await once(file, 'finish').catch(() => undefined);
      checkWrite();
    }
    const skipped = [
      ...(invalid ? [`skipped ${invalid} invalid lines`] : []),
      ...(earlierVersions ? [`${earlierVersions} earlier versions of repeated ids (the last one wins)`] : []),
    ];
    console.error(`classified ${written} conversations${skipped.map((x) => `, ${x}`).join('')}`);
  } catch (err) {
    // Leave no half-written output behind that could pass for a complete one.
    if (file && outputPath) {
      file.destroy();
      rmSync(outputPath, { force: true });
    }
    throw err;
  }
}

async function main(): Promise<number> {
  const parsed = parseCli(USAGE, { input: { type: 'string' }, output: { type: 'string' } }, ['input']);
  if ('exitCode' in parsed) return parsed.exitCode;
  const values = parsed.values as typeof parsed.values & { input: string };
  try {
    await classify(values.input, values.output);
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
