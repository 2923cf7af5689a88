/**
 * Flat JSON records: exports and data sets written as JSON objects with one value per field —
 * `{"id": 1, "created_at": "…", "subject": "…", "description_text": "…"}` (a help desk's ticket
 * list, e.g. Freshdesk's), `{"text": "…", "label": 11}` (an intent data set) — as JSON lines, a
 * JSON array or an array under `data` / `results` / `items` / `records`, or a HAL page's `_embedded`
 * list (Help Scout's API). Each key is read as a CSV
 * header would be (the same names and aliases), so one mapping serves both.
 */
import { type CsvMapping, mapCsvHeader } from './csv.ts';
import { JsonScanner } from './json-scan.ts';
import { nestedMessages } from './nested-messages.ts';

/** Keys whose array holds the records when the file is one JSON object. */
export const RECORD_CONTAINERS: ReadonlySet<string> = new Set(['data', 'results', 'items', 'records']);

/** How many records of the head decide the fields (keys a first record leaves out still count). */
const HEAD_RECORDS = 200;

const isFlatValue = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A field's plain value: the value itself, or a survey object's score (Gorgias's
 * `"satisfaction_survey": {"score": 4, …}`, null on unrated tickets: as a field of its own, its
 * ratings were read as empty). Any other nested object or list is not a field: undefined.
 */
function plainValue(v: unknown): string | number | boolean | null | undefined {
  if (isFlatValue(v)) return v as string | number | boolean | null;
  if (!isObject(v)) return undefined;
  for (const key of ['score', 'rating'])
    if (isFlatValue(v[key]) && v[key] !== undefined) return v[key] as string | number | boolean | null;
  return undefined;
}

/** A record's keys that hold a plain value (nested objects and lists are not fields). */
export function recordHeaders(record: Record<string, unknown>): string[] {
  return Object.keys(record).filter((k) => plainValue(record[k]) !== undefined);
}

/** The record's values in the order of `headers`, as the text a CSV cell would hold. */
export function recordFields(record: Record<string, unknown>, headers: readonly string[]): string[] {
  return headers.map((h) => {
    const v = plainValue(record[h]);
    return v === null || v === undefined ? '' : String(v);
  });
}

const hasTextField = (m: CsvMapping) => m.columns.text !== undefined || m.columns.subject !== undefined;

/**
 * The records a value stands for: a page (`{"data": [...], "next": …}` with no text of its own)
 * stands for the objects in its list; any other object is one record, whatever lists it holds
 * (an order's `items` are part of the order, not more requests).
 */
export function unwrapRecords(value: unknown): Record<string, unknown>[] {
  // `[[{…}],[{…}]]`: a list of pages, each a list of records
  if (Array.isArray(value))
    return value.flatMap((v) => (Array.isArray(v) ? v.filter(isObject) : unwrapRecords(v)));
  if (!isObject(value)) return [];
  if (hasTextField(mapCsvHeader(recordHeaders(value)))) return [value];
  for (const key of RECORD_CONTAINERS) {
    const items = value[key];
    if (Array.isArray(items) && items.some(isObject)) return items.filter(isObject);
  }
  // a HAL page (Help Scout's API: `{"_embedded":{"conversations":[…]},"page":{…}}`)
  if (isObject(value._embedded))
    for (const items of Object.values(value._embedded))
      if (Array.isArray(items) && items.some(isObject)) return items.filter(isObject);
  return [value];
}

function parseObjectOrArray(text: string): unknown {
  const t = text.trim();
  if (t[0] !== '{' && t[0] !== '[') return undefined;
  try {
    return JSON.parse(t);
  } catch {
    return undefined;
  }
}

/**
 * The first records of a JSON head. JSON lines are read line by line (a line's own `items` list is
 * not a container); anything else through the streaming splitter the import uses.
 * `cut`: the head's first value does not end within it (a record longer than the head).
 */
export function headRecords(head: string): { records: Record<string, unknown>[]; cut: boolean } {
  const text = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head;
  const lines = text.split('\n');
  const firstLine = lines.findIndex((l) => l.trim() !== '');
  const records: Record<string, unknown>[] = [];
  if (firstLine >= 0 && parseObjectOrArray(lines[firstLine]!) !== undefined) {
    // the last line may be cut short by the head: only lines that end inside it
    for (const line of lines.slice(firstLine, -1)) {
      const v = parseObjectOrArray(line);
      if (v !== undefined) records.push(...unwrapRecords(v));
      if (records.length >= HEAD_RECORDS) break;
    }
    if (records.length === 0) records.push(...unwrapRecords(parseObjectOrArray(lines[firstLine]!)));
    return { records: records.slice(0, HEAD_RECORDS), cut: false };
  }
  const scanner = new JsonScanner({
    lineMode: false,
    maxBytes: 1 << 20,
    containerKeys: RECORD_CONTAINERS,
    sideKeys: new Set(),
    embedded: true,
  });
  const out: { bytes: Buffer | null }[] = [];
  scanner.push(Buffer.from(text), out as never);
  for (const r of out) {
    if (!r.bytes) continue;
    try {
      records.push(...unwrapRecords(JSON.parse(r.bytes.toString('utf8'))));
    } catch {
      break; // an unreadable value: what came before still counts
    }
    if (records.length >= HEAD_RECORDS) break;
  }
  return { records: records.slice(0, HEAD_RECORDS), cut: out.length === 0 && text.trim().length > 0 };
}

/** Every plain-valued key of the records, in order of first appearance. */
export function unionHeaders(records: readonly Record<string, unknown>[]): string[] {
  const seen = new Set<string>();
  for (const r of records) for (const k of recordHeaders(r)) seen.add(k);
  return [...seen];
}

/**
 * The CSV mapping of a records file's head (the keys of its first records), when it has a text
 * field or its records hold their own list of messages, not all of them internal (a chat log's
 * `messages` of role and content, a ticket's `threads`): `textInMessages` then, the list's key.
 */
export function recordsMapping(
  head: string,
): { mapping: CsvMapping; headers: string[]; textInMessages?: string } | null {
  const { records } = headRecords(head);
  if (records.length === 0) return null;
  let headers = unionHeaders(records);
  let mapping = mapCsvHeader(headers);
  let textInMessages: string | undefined;
  if (!hasTextField(mapping)) {
    for (const r of records) {
      textInMessages = nestedMessages(r)?.key;
      if (textInMessages !== undefined) break;
    }
    if (textInMessages === undefined) return null;
  }
  // a time field empty in every first record (`"created_at": null`) dates nothing: the file is
  // undated (the estimate dates it, the pipeline refuses it by name) rather than every record rejected
  const timeKey = mapping.columns.createdAt === undefined ? undefined : headers[mapping.columns.createdAt];
  if (
    timeKey !== undefined &&
    records.every((r) => r[timeKey] === null || r[timeKey] === undefined || r[timeKey] === '')
  ) {
    headers = headers.filter((h) => h !== timeKey);
    mapping = mapCsvHeader(headers);
  }
  return textInMessages === undefined ? { mapping, headers } : { mapping, headers, textInMessages };
}
