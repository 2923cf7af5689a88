/** Format detection from the first ~64 KB of decoded text (and the file name as a hint). */
import {
  csvTable,
  excelSepLine,
  mapCsvHeader,
  missingCsvColumns,
  ONE_COLUMN,
  parseCsvText,
  sniffDelimiter,
  withDateColumnByContent,
} from './csv.ts';
import { headRecords, recordsMapping } from './records.ts';
import type { ImportFormat } from './types.ts';

export interface Detection {
  format: ImportFormat | null;
  reason: string;
  /** CSV only: header → field, so the UI can show it before importing. */
  mapping?: Record<string, string>;
  /** CSV: why its header cannot be imported (no time or no text column), if so */
  missing?: string;
  /** CSV without a time column */
  undated?: boolean;
  /** CSV only: columns that will be ignored. */
  ignored?: string[];
  delimiter?: string;
}

const EXPECTED =
  'expected canonical conversations (JSON lines with accountId, createdAt, messages), Intercom conversation ' +
  'objects (JSON with conversation_parts / source.delivered_as, or conversation.list pages), Zendesk tickets ' +
  '(JSON with tickets / via / requester_id), JSON records with a text field (text, message, description…), ' +
  'or a CSV with a header row (id, created_at, text…)';

const CANONICAL = [/"accountId"\s*:/, /"createdAt"\s*:/];
// without accountId, its messages must look canonical too (a role of ours): a help desk's
// camelCase tickets (createdAt, messages of {author, body}) are records, whose import reads them;
// as canonical lines every one was rejected
const CANONICAL_NO_ACCOUNT = [
  /"createdAt"\s*:/,
  /"messages"\s*:\s*\[/,
  /"role"\s*:\s*"(?:customer|agent|ai)"/,
];
const INTERCOM: [RegExp, string][] = [
  [/"type"\s*:\s*"conversation(\.list)?"/, 'type "conversation"'],
  [/"conversation_parts"\s*:/, 'conversation_parts'],
  [/"ai_agent_participated"\s*:/, 'ai_agent_participated'],
  [/"delivered_as"\s*:/, 'source.delivered_as'],
];
const ZENDESK: [RegExp, string][] = [
  [/"tickets"\s*:\s*\[/, 'tickets'],
  [/"requester_id"\s*:/, 'requester_id'],
  [/"via"\s*:\s*\{\s*"channel"/, 'via.channel'],
  [/"satisfaction_rating"\s*:/, 'satisfaction_rating'],
];
/** What only Zendesk's own ticket JSON has (a ticket list, the via object, its API's ticket URL). */
const ZENDESK_STRUCTURE = [
  /"tickets"\s*:\s*\[/,
  /"via"\s*:\s*\{/,
  /\/api\/v2\/tickets\//,
  /"raw_subject"\s*:/,
];
/** Zendesk reads a ticket's words from these keys (and its comments). */
const ZENDESK_TEXT_KEYS = new Set(['description', 'subject', 'comments']);

/** Flat records whose text field is one a Zendesk ticket does not have. */
function foreignText(head: string): ReturnType<typeof recordsMapping> {
  const records = recordsMapping(head);
  if (!records) return null;
  const { columns, headers } = records.mapping;
  const textKey = columns.text === undefined ? undefined : headers[columns.text];
  return textKey !== undefined && !ZENDESK_TEXT_KEYS.has(textKey.toLowerCase()) ? records : null;
}

/**
 * Side-loads written before the tickets can fill the first 64 KB: a top-level users list with
 * Zendesk's "end-user" role, or a comments list whose items name their ticket and author. Weaker
 * than the markers above, so tried after the canonical shapes.
 */
const ZENDESK_SIDELOADS: [RegExp[], string][] = [
  [[/"users"\s*:\s*\[/, /"role"\s*:\s*"end-user"/], 'users with role end-user'],
  [[/"comments"\s*:\s*\[/, /"ticket_id"\s*:/, /"author_id"\s*:/], 'side-loaded comments'],
];
/**
 * A canonical line whose messages come first and fill the head: its messages open with a
 * canonical role or a text key (an OpenAI-style `"role":"system","content"` file is not one).
 */
const CANONICAL_MESSAGES_FIRST =
  /"messages"\s*:\s*\[\s*\{\s*(?:"role"\s*:\s*"(?:customer|agent|ai)"|"text"\s*:)/;

function baseName(fileName?: string): string {
  return (fileName ?? '').toLowerCase().replace(/\.gz$/, '');
}

export function detectFormat(head: string, fileName?: string): Detection {
  const text = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head;
  const trimmed = text.trimStart();
  if (trimmed.length === 0)
    return {
      format: null,
      // a head this long is cut from a longer file: the rest may well hold records
      reason:
        text.length >= 60 * 1024
          ? 'the first 64 KB of the file are blank (spaces or empty lines), so its format cannot be recognised: remove the blank lines at the top'
          : 'the file is empty',
    };
  const name = baseName(fileName);
  const c = trimmed[0];
  if (c === '{' || c === '[') {
    if (CANONICAL.every((re) => re.test(trimmed)))
      return { format: 'canonical', reason: 'JSON with accountId and createdAt: canonical conversations' };
    const intercom = INTERCOM.find(([re]) => re.test(trimmed));
    if (intercom) return { format: 'intercom', reason: `Intercom conversation JSON (has ${intercom[1]})` };
    const zendesk = ZENDESK.find(([re]) => re.test(trimmed));
    // requester_id and satisfaction_rating are other help desks' words too (Freshdesk's ticket
    // list): without Zendesk's own structure, records whose text is in a field Zendesk tickets
    // do not have (description_text, message…) are read as records, not as empty tickets
    const foreign =
      zendesk && !ZENDESK_STRUCTURE.some((re) => re.test(trimmed)) ? foreignText(trimmed) : null;
    if (zendesk && !foreign) return { format: 'zendesk', reason: `Zendesk ticket JSON (has ${zendesk[1]})` };
    // A prospect's own canonical export may leave out accountId (the import supplies it).
    if (CANONICAL_NO_ACCOUNT.every((re) => re.test(trimmed)))
      return { format: 'canonical', reason: 'JSON with createdAt and messages: canonical conversations' };
    const sideloads = ZENDESK_SIDELOADS.find(([res]) => res.every((re) => re.test(trimmed)));
    if (sideloads) return { format: 'zendesk', reason: `Zendesk ticket JSON (has ${sideloads[1]})` };
    if (CANONICAL_MESSAGES_FIRST.test(trimmed))
      return {
        format: 'canonical',
        reason: 'JSON with canonical messages (role, text): canonical conversations',
      };
    // weakest: flat records with a text field (a help desk's ticket list, an intent data set)
    const records = recordsMapping(trimmed);
    if (records) {
      const { mapping: m, headers } = records;
      return {
        format: 'records',
        reason: `JSON records with ${headers.length} fields, ${Object.keys(m.columns).length} recognised${
          records.textInMessages ? `, their words in each record's "${records.textInMessages}" list` : ''
        }`,
        mapping: m.mapping,
        ignored: m.ignored,
        ...(m.columns.createdAt === undefined && { undated: true }),
      };
    }
    if (text.length >= 60 * 1024 && headRecords(trimmed).cut)
      return {
        format: null,
        reason: `could not recognise the format: the file's first JSON value does not end within its first 64 KB, and none of the known shapes shows before that: write one record per line (JSON lines), or the records before any long value; ${EXPECTED}`,
      };
    return {
      format: null,
      reason: `could not recognise the format: JSON, but none of the known shapes; ${EXPECTED}`,
    };
  }
  // a report's title above the header (csvTitleLines): the table starts below it
  const { titleLines: titled, table } = csvTable(trimmed);
  const [line1 = '', line2 = ''] = table.split('\n', 2).map((l) => l.replace(/\r$/, ''));
  // Excel writes `sep=;` above the header when asked to keep the delimiter
  const sep = excelSepLine(line1);
  const firstLine = sep ? line2 : line1;
  const delimiter = sep ?? sniffDelimiter(firstLine);
  const headers = parseCsvText(firstLine, delimiter)[0] ?? [];
  const m = withDateColumnByContent(
    mapCsvHeader(headers),
    sep ? table.slice(table.indexOf('\n') + 1) : table,
    delimiter,
  );
  const known = Object.keys(m.columns).length;
  const isCsvName = /\.(csv|tsv|txt)$/.test(name);
  // A list of requests under one text header ("text", "utterance", "message") has no delimiter to
  // tell it by: its header is the sign, with or without a file name (an API client may send none).
  const requestList = headers.length === 1 && m.columns.text !== undefined && line2.trim().length > 0;
  if ((known >= 2 && headers.length >= 2) || (known >= 1 && isCsvName) || requestList) {
    const delimName =
      delimiter === '\t'
        ? 'tab-separated'
        : delimiter === ','
          ? 'comma-separated'
          : delimiter === ';'
            ? 'semicolon-separated'
            : delimiter === ONE_COLUMN
              ? 'one column, each line whole'
              : 'pipe-separated';
    // a missing time column is the importer's to judge: the estimate takes undated files
    const missing = missingCsvColumns(m, { undated: true });
    return {
      format: 'csv',
      reason: `CSV (${delimName}) with ${headers.length} ${headers.length === 1 ? 'column' : 'columns'}, ${known} recognised${titled ? `, below ${titled} ${titled === 1 ? 'line' : 'lines'} of title` : ''}`,
      mapping: m.mapping,
      ignored: m.ignored,
      delimiter,
      ...(missing && { missing }),
      ...(m.columns.createdAt === undefined && { undated: true }),
    };
  }
  if (isCsvName)
    return {
      format: 'csv',
      reason: `CSV by file name, but no column is recognised (header: ${firstLine.slice(0, 120)})`,
      mapping: m.mapping,
      ignored: m.ignored,
      delimiter,
      missing: missingCsvColumns(m, { undated: true }) ?? 'no column of the CSV is recognised',
    };
  return { format: null, reason: `could not recognise the format: ${EXPECTED}` };
}

const SAMPLE_LINES = 8;

function completeJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

/**
 * NDJSON (one value a line) vs one JSON document spread over lines, judged on the first few complete
 * lines of the head, so that one broken line — even the first — costs only that line:
 *  - the first line is a complete JSON value (an object, or a whole array written on one line) → lines;
 *  - else most of the first non-blank lines are complete JSON objects or arrays → lines (the first
 *    line is broken); a pretty-printed document has almost no such line;
 *  - a `.jsonl`/`.ndjson` name (`.gz` or not) breaks a tie (two lines, the first broken).
 */
export function looksLikeJsonLines(head: string, fileName?: string): boolean {
  const text = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head;
  const lines: string[] = [];
  let start = 0;
  // Only lines that end inside the head: the head's last line may be cut short.
  for (let nl = text.indexOf('\n'); nl >= 0 && lines.length < SAMPLE_LINES; nl = text.indexOf('\n', start)) {
    const line = text.slice(start, nl).trim();
    if (line !== '') lines.push(line);
    start = nl + 1;
  }
  if (lines.length === 0) return true; // one line (or one line longer than the head)
  if (completeJson(lines[0]!)) return true;
  let ok = 0;
  for (const line of lines.slice(1)) {
    const c = line[0];
    if ((c === '{' || c === '[') && completeJson(line)) ok++;
  }
  if (ok * 2 > lines.length) return true;
  return ok > 0 && ok * 2 === lines.length && /\.(jsonl|ndjson)$/.test(baseName(fileName));
}
