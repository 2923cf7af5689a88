/** Format detection from the first ~64 KB of decoded text (and the file name as a hint). */
import { mapCsvHeader, parseCsvText, sniffDelimiter } from './csv.ts';
import type { ImportFormat } from './types.ts';

export interface Detection {
  format: ImportFormat | null;
  reason: string;
  /** CSV only: header → field, so the UI can show it before importing. */
  mapping?: Record<string, string>;
  /** CSV only: columns that will be ignored. */
  ignored?: string[];
  delimiter?: string;
}

const EXPECTED =
  'expected canonical conversations (JSON lines with accountId, createdAt, messages), Intercom conversation ' +
  'objects (JSON with conversation_parts / source.delivered_as, or conversation.list pages), Zendesk tickets ' +
  '(JSON with tickets / via / requester_id), or a CSV with a header row (id, created_at, text…)';

const CANONICAL = [/"accountId"\s*:/, /"createdAt"\s*:/];
const CANONICAL_NO_ACCOUNT = [/"createdAt"\s*:/, /"messages"\s*:\s*\[/];
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

function baseName(fileName?: string): string {
  return (fileName ?? '').toLowerCase().replace(/\.gz$/, '');
}

export function detectFormat(head: string, fileName?: string): Detection {
  const text = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head;
  const trimmed = text.trimStart();
  if (trimmed.length === 0) return { format: null, reason: 'the file is empty' };
  const name = baseName(fileName);
  const c = trimmed[0];
  if (c === '{' || c === '[') {
    if (CANONICAL.every((re) => re.test(trimmed)))
      return { format: 'canonical', reason: 'JSON with accountId and createdAt: canonical conversations' };
    const intercom = INTERCOM.find(([re]) => re.test(trimmed));
    if (intercom) return { format: 'intercom', reason: `Intercom conversation JSON (has ${intercom[1]})` };
    const zendesk = ZENDESK.find(([re]) => re.test(trimmed));
    if (zendesk) return { format: 'zendesk', reason: `Zendesk ticket JSON (has ${zendesk[1]})` };
    // A prospect's own canonical export may leave out accountId (the import supplies it).
    if (CANONICAL_NO_ACCOUNT.every((re) => re.test(trimmed)))
      return { format: 'canonical', reason: 'JSON with createdAt and messages: canonical conversations' };
    return {
      format: null,
      reason: `could not recognise the format: JSON, but none of the known shapes; ${EXPECTED}`,
    };
  }
  const firstLine = (trimmed.split('\n', 1)[0] ?? '').replace(/\r$/, '');
  const delimiter = sniffDelimiter(firstLine);
  const headers = parseCsvText(firstLine, delimiter)[0] ?? [];
  const m = mapCsvHeader(headers);
  const known = Object.keys(m.columns).length;
  const isCsvName = /\.(csv|tsv|txt)$/.test(name);
  if ((known >= 2 && headers.length >= 2) || (known >= 1 && isCsvName)) {
    const delimName =
      delimiter === '\t' ? 'tab' : delimiter === ',' ? 'comma' : delimiter === ';' ? 'semicolon' : 'pipe';
    return {
      format: 'csv',
      reason: `CSV (${delimName}-separated) with ${headers.length} columns, ${known} recognised`,
      mapping: m.mapping,
      ignored: m.ignored,
      delimiter,
    };
  }
  if (isCsvName)
    return {
      format: 'csv',
      reason: `CSV by file name, but no column is recognised (header: ${firstLine.slice(0, 120)})`,
      mapping: m.mapping,
      ignored: m.ignored,
      delimiter,
    };
  return { format: null, reason: `could not recognise the format: ${EXPECTED}` };
}

/** NDJSON (one value a line) vs one JSON document spread over lines, judged on the first line. */
export function looksLikeJsonLines(head: string): boolean {
  const text = head.trimStart();
  const nl = text.indexOf('\n');
  if (nl < 0) return true;
  const first = text.slice(0, nl).trim();
  try {
    JSON.parse(first);
    return true;
  } catch {
    return false;
  }
}
