/**
 * Flat JSON records: exports and data sets written as JSON objects with one value per field —
 * `{"id": 1, "created_at": "…", "subject": "…", "description_text": "…"}` (a help desk's ticket
 * list, e.g. Freshdesk's), `{"text": "…", "label": 11}` (an intent data set) — as JSON lines, a
 * JSON array or an array under `data` / `results` / `items` / `records`. Each key is read as a CSV
 * header would be (the same names and aliases), so one mapping serves both.
 */
import { type CsvMapping, mapCsvHeader } from './csv.ts';
import { JsonScanner } from './json-scan.ts';

/** Keys whose array holds the records when the file is one JSON object. */
export const RECORD_CONTAINERS: ReadonlySet<string> = new Set(['data', 'results', 'items', 'records']);

const isFlatValue = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** A record's keys that hold a plain value (nested objects and lists are not fields). */
export function recordHeaders(record: Record<string, unknown>): string[] {
  return Object.keys(record).filter((k) => isFlatValue(record[k]));
}

/** The record's values in the order of `headers`, as the text a CSV cell would hold. */
export function recordFields(record: Record<string, unknown>, headers: readonly string[]): string[] {
  return headers.map((h) => {
    const v = record[h];
    return v === null || v === undefined || !isFlatValue(v) ? '' : String(v);
  });
}

/** The first record of a JSON head (JSON lines, an array, or an array under a container key). */
export function firstRecord(head: string): Record<string, unknown> | null {
  const scanner = new JsonScanner({
    lineMode: false,
    maxBytes: 1 << 20,
    containerKeys: RECORD_CONTAINERS,
    sideKeys: new Set(),
  });
  const recs: { bytes: Buffer | null }[] = [];
  scanner.push(Buffer.from(head), recs as never);
  for (const r of recs) {
    if (!r.bytes) continue;
    try {
      const v: unknown = JSON.parse(r.bytes.toString('utf8'));
      const one = Array.isArray(v) ? v.find((x) => typeof x === 'object' && x !== null) : v;
      if (typeof one === 'object' && one !== null && !Array.isArray(one))
        return one as Record<string, unknown>;
    } catch {
      // an unreadable first value: not a records file
    }
    return null;
  }
  return null;
}

/** The CSV mapping of a records file's first record, when it has a text field. */
export function recordsMapping(head: string): { mapping: CsvMapping; headers: string[] } | null {
  const first = firstRecord(head);
  if (!first) return null;
  const headers = recordHeaders(first);
  const mapping = mapCsvHeader(headers);
  if (mapping.columns.text === undefined && mapping.columns.subject === undefined) return null;
  return { mapping, headers };
}
