/** Locates the files of a canonical export bundle (SPEC §2) and reads the small ones. */
import { accessSync, closeSync, constants, existsSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, constants as zlibConstants } from 'node:zlib';
import { leafById, taxonomy } from '../../server/domain/taxonomy.ts';
import type { TimeWindow } from '../../server/domain/time.ts';
import type { Account, Intervention } from '../../server/domain/types.ts';
import { type Valid, validateAccount, validateIntervention } from '../../server/domain/validate.ts';
import { DEFAULT_MAX_LINE_BYTES, HEAD_BYTES, startsWithGzipMagic } from '../../server/importers/bytes.ts';
import { type CsvRecord, CsvRecordParser, sniffDelimiter } from '../../server/importers/csv.ts';
import { PipelineError } from './errors.ts';
import { readLines } from './lines.ts';
import type { RejectLog } from './rejects.ts';

export { PipelineError };

export interface BundleFiles {
  accounts: string;
  conversations: string;
  interventions: string | null;
}

/** The one file of `names` the folder holds; two of them (conversations.jsonl beside a .gz) are
 * refused, because reading either would silently leave the other's records out. */
/** SPEC §2's account fields by their letters alone: a header written "ID", "Name" or "ai_live_since" names them too. */
const ACCOUNT_FIELDS = new Map(
  ['id', 'name', 'vertical', 'plan', 'arr', 'csm', 'region', 'aiLiveSince', 'status'].map((f) => [
    f.toLowerCase(),
    f,
  ]),
);
const accountColumn = (header: string) =>
  ACCOUNT_FIELDS.get(
    header
      .trim()
      .toLowerCase()
      .replace(/[\s_-]+/g, ''),
  ) ?? header.trim();

function theExisting(dir: string, names: string[]): string | null {
  const present = names.filter((name) => existsSync(join(dir, name)));
  if (present.length > 1)
    throw new PipelineError(`${dir}: holds both ${present.join(' and ')}; keep one (only one would be read)`);
  return present[0] === undefined ? null : join(dir, present[0]);
}

function assertReadable(path: string) {
  try {
    accessSync(path, constants.R_OK);
    if (!statSync(path).isFile()) throw new Error('not a file');
  } catch {
    throw new PipelineError(`${path}: cannot be read`);
  }
}

export function locateBundle(dir: string): BundleFiles {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new PipelineError(
      existsSync(dir)
        ? `${dir}: is neither a regular file nor a folder (expected an export file or a canonical export bundle folder, SPEC §2)`
        : `${dir}: not found (expected an export file or a canonical export bundle folder, SPEC §2)`,
    );
  const accounts = theExisting(dir, ['accounts.jsonl', 'accounts.csv']);
  if (!accounts)
    throw new PipelineError(`${join(dir, 'accounts.jsonl')}: required file missing (or accounts.csv)`);
  const conversations = theExisting(dir, ['conversations.jsonl', 'conversations.jsonl.gz']);
  if (!conversations)
    throw new PipelineError(
      `${join(dir, 'conversations.jsonl')}: required file missing (or conversations.jsonl.gz)`,
    );
  const interventions = theExisting(dir, ['interventions.jsonl', 'interventions.jsonl.gz']);
  for (const f of [accounts, conversations, interventions]) if (f) assertReadable(f);
  if (firstCharacter(conversations) === '[')
    throw new PipelineError(
      `${conversations}: holds a JSON array, not JSON lines (one conversation per line, SPEC §2); import it on its own with --input ${conversations}, or write one conversation per line`,
    );
  return { accounts, conversations, interventions };
}

/** The first character of a (possibly gzipped) text file that is not a BOM or white space. */
function firstCharacter(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(HEAD_BYTES);
    let bytes = head.subarray(0, readSync(fd, head, 0, head.length, 0));
    if (startsWithGzipMagic(bytes)) {
      try {
        bytes = gunzipSync(bytes, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
      } catch {
        return ''; // an unreadable gzip is the ingest's to report, line by line
      }
    }
    return /^\uFEFF?\s*(.)/s.exec(bytes.toString('utf8'))?.[1] ?? '';
  } finally {
    closeSync(fd);
  }
}

async function readJsonl<T>(
  path: string,
  validate: (raw: unknown) => Valid<T>,
  rejects: RejectLog,
  /** returns a reason when the valid record is still a reject (a duplicate, an unknown account) */
  onValid: (value: T, line: number) => string | undefined,
) {
  for await (const [line, text, problem] of readLines(path)) {
    if (problem) {
      rejects.add(path, line, problem, text);
      continue;
    }
    if (text.trim() === '') continue;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      rejects.add(path, line, 'malformed JSON', text);
      continue;
    }
    const v = validate(raw);
    const reason = v.ok ? onValid(v.value, line) : v.reason;
    if (reason === undefined) rejects.accepted++;
    else rejects.add(path, line, reason, text);
  }
}

export async function readAccounts(
  path: string,
  rejects: RejectLog,
  window?: TimeWindow,
  /**
   * filled with the fields each kept record gives (a value, or null to clear it; not an empty
   * cell or an absent key): an append keeps the stored value of every other field
   */
  given?: Map<string, ReadonlySet<string>>,
): Promise<Map<string, Account>> {
  const accounts = new Map<string, Account>();
  let lastGiven: ReadonlySet<string> = new Set();
  // Duplicated ids are rejects (SPEC §2): the first record of an id is kept, so a later row can
  // neither silently overwrite it nor pass for a second account.
  const firstLine = new Map<string, number>();
  const keep = (a: Account, line: number): string | undefined => {
    const first = firstLine.get(a.id);
    if (first !== undefined) return `duplicate account id "${a.id}" (first on line ${first})`;
    firstLine.set(a.id, line);
    accounts.set(a.id, a);
    given?.set(a.id, lastGiven);
    return undefined;
  };
  const validate = (raw: unknown) => {
    if (given && raw !== null && typeof raw === 'object' && !Array.isArray(raw))
      lastGiven = new Set(
        Object.entries(raw)
          .filter(([, v]) => v !== undefined && !(typeof v === 'string' && v.trim() === ''))
          .map(([k]) => k),
      );
    return validateAccount(raw, window);
  };
  if (path.endsWith('.csv')) await readAccountsCsv(path, rejects, keep, validate);
  else await readJsonl(path, validate, rejects, keep);
  return accounts;
}

function csvCell(cell: string, delimiter: string): string {
  return cell.includes(delimiter) || /["\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/**
 * accounts.csv through the same byte layer as every other input (readLines: gzip, UTF-16 with a BOM,
 * the 1 MB line cap, a line that is not UTF-8 is a reject) and the importers' CSV record parser
 * (quoted fields may hold delimiters and line breaks; a row is reported at the line it starts on).
 */
async function readAccountsCsv(
  path: string,
  rejects: RejectLog,
  keep: (a: Account, line: number) => string | undefined,
  validate: (raw: unknown) => Valid<Account>,
) {
  let parser: CsvRecordParser | null = null;
  let delimiter = ',';
  let header: string[] | null = null;
  const records: CsvRecord[] = [];
  const drain = () => {
    for (const rec of records) {
      if (!header) {
        if (!rec.fields) throw new PipelineError(`${path}:${rec.line}: header row unreadable: ${rec.error}`);
        header = rec.fields.map(accountColumn);
        if (!header.includes('id') || !header.includes('name'))
          throw new PipelineError(`${path}:${rec.line}: header must include "id" and "name"`);
        continue;
      }
      if (!rec.fields) {
        rejects.add(path, rec.line, rec.error ?? 'unreadable line', '');
        continue;
      }
      const cells = rec.fields;
      const raw = Object.fromEntries(header.map((h, j) => [h, cells[j] ?? '']));
      const v = validate(raw);
      const reason = v.ok ? keep(v.value, rec.line) : v.reason;
      if (reason === undefined) rejects.accepted++;
      // the row as it was, quoted again where a cell holds the delimiter, a quote or a line break
      else rejects.add(path, rec.line, reason, cells.map((c) => csvCell(c, delimiter)).join(delimiter));
    }
    records.length = 0;
  };
  for await (const [line, text, problem] of readLines(path)) {
    if (!parser) {
      if (!problem && text.trim() === '') continue;
      if (!problem) delimiter = sniffDelimiter(text);
      parser = new CsvRecordParser(delimiter, DEFAULT_MAX_LINE_BYTES);
    }
    parser.pushLine(line, problem ? null : text, text.length, problem ?? null, records);
    drain();
  }
  parser?.end(records);
  drain();
  if (!header) throw new PipelineError(`${path}:1: header must include "id" and "name"`);
}

export async function readInterventions(
  path: string | null,
  accounts: Map<string, Account>,
  rejects: RejectLog,
  window?: TimeWindow,
): Promise<Intervention[]> {
  const out: Intervention[] = [];
  if (!path) return out;
  await readJsonl(
    path,
    (raw) => validateIntervention(raw, window),
    rejects,
    (i) => {
      if (!accounts.has(i.accountId)) return `unknown accountId "${i.accountId}"`;
      // A fix on a topic the taxonomy does not have would be measured on nothing and never seen again.
      if (i.taxonomyId !== null && !leafById(i.taxonomyId))
        return `unknown taxonomyId "${i.taxonomyId}" (not a leaf of taxonomy ${taxonomy.version}; leave it out for a fix on every topic)`;
      out.push(i);
      return undefined;
    },
  );
  return out;
}
