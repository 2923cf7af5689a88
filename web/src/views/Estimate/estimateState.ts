/** Pure helpers of the Estimate view (file checks, names, labels, the "how" line); tested. */
import type {
  BenchmarkSource,
  EstimateLimits,
  EstimateResult,
  ImportReport,
} from '../../api/server-types.ts';
import { count, dateLabel, pct, verticalLabel } from '../../lib/format.ts';
import type { ExportFacts } from '../../lib/summary.ts';

/** Bytes as "812 B", "64 KB", "3.2 MB", "1.5 GB" (1024-based, like the server's limit label). */
export function bytesLabel(n: number | null | undefined): string {
  if (n == null || !Number.isFinite(n) || n < 0) return '—';
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB'] as const;
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  const s = v >= 100 || Number.isInteger(Math.round(v * 10) / 10) ? String(Math.round(v)) : v.toFixed(1);
  return `${s.endsWith('.0') ? s.slice(0, -2) : s} ${units[i]}`;
}

const KNOWN_EXT = /(\.(jsonl|ndjson|json|csv|tsv|txt))?(\.gz)?$/i;

/**
 * The prospect name a file suggests, as the server names it when the field is left empty
 * (server/estimate/estimate.ts nameFromFile): its base name without the export extensions,
 * separators as spaces ("bank_freshdesk.csv" → "bank freshdesk"), at most 120 characters.
 */
export function defaultProspectName(fileName: string): string {
  const stem = fileName
    .replace(/^.*[\\/]/, '')
    .replace(KNOWN_EXT, '')
    .replace(/[_\-.]+/g, ' ')
    .replace(/[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 120)
    .trim();
  return stem;
}

/** Why a file cannot be sent (checked before any upload), or null. */
export function checkFile(file: { name: string; size: number }, limits: EstimateLimits): string | null {
  if (file.size === 0) return `“${file.name}” is empty (0 bytes): export the conversations again.`;
  if (file.size > limits.maxBytes)
    return `“${file.name}” is ${bytesLabel(file.size)}, over the ${limits.maxBytesLabel} limit. Export a shorter period, or gzip the file.`;
  return null;
}

/** The file input's accept list: every extension the formats name (".jsonl.gz" is covered by ".gz"). */
export function acceptList(formats: EstimateLimits['formats']): string {
  const exts = new Set<string>();
  for (const f of formats) for (const e of f.extensions) exts.add(`.${e.split('.').pop()}`);
  return [...exts].join(',');
}

export const FORMAT_LABELS: Record<string, string> = {
  canonical: 'Canonical JSON lines',
  intercom: 'Intercom',
  zendesk: 'Zendesk',
  csv: 'CSV',
  records: 'JSON records',
};
export const formatLabel = (f: string) => FORMAT_LABELS[f] ?? f;

export const SOURCE_LABELS: Record<BenchmarkSource, string> = {
  vertical: 'peers in the vertical',
  all_verticals: 'peers in all verticals',
  class_all: 'the automation class’s level',
  prior: 'built-in prior',
};

export const FIELD_LABELS: Record<string, string> = {
  id: 'Conversation id',
  createdAt: 'Created time',
  text: 'Text',
  subject: 'Subject',
  // a prospect has no AI agent yet: an estimate reads no outcome (a help desk's own status is
  // mapped here, and not used)
  outcome: 'AI outcome (not used by an estimate)',
  rating: 'Rating',
  channel: 'Channel',
  topic: 'Topic',
  tags: 'Tags',
  aiInvolved: 'AI involved (not used by an estimate)',
  reopened: 'Reopened',
  author: 'Author (one row per message)',
  visibility: 'Internal note or public reply (notes left out)',
};
export const fieldLabel = (f: string) => FIELD_LABELS[f] ?? f;

/** "How": one line saying where the number and its range come from, for this result. */
/** Below this many conversations an export's topic mix is a rough sample of the prospect's. */
export const SMALL_EXPORT = 200;

/** The caution a small export gets beside its estimate, or null. */
export function smallExportNote(conversations: number): string | null {
  if (conversations >= SMALL_EXPORT) return null;
  return `Only ${count(conversations)} conversation${conversations === 1 ? '' : 's'}: the topic mix, and so the potential, rest on a small sample. The range includes that sampling error; an export of ${SMALL_EXPORT}+ conversations gives a firmer estimate.`;
}

/** Share of conversations in an unread language from which the estimate says so. */
const UNREADABLE_NOTE_SHARE = 0.01;

/**
 * Conversations in a language the classifier does not read: their topics are unknown, so the
 * estimate stands on the rest. Said when they are 1% or more of the export.
 */
const REJECTED_NOTE_SHARE = 0.05;

export function unreadableNote(
  r: Pick<EstimateResult, 'conversations' | 'unreadable' | 'withheld'>,
): string | null {
  const n = r.unreadable ?? 0;
  if (n === 0 || r.conversations === 0 || n / r.conversations < UNREADABLE_NOTE_SHARE) return null;
  const all = n === r.conversations;
  if (r.withheld === 'unreadable' && !all)
    return `${count(n)} (${pct(n / r.conversations)}) of the conversations are in a language Cockpit’s classifier does not read (it reads English and Hindi-English): no potential and no roadmap for this export — the rest is most likely the same language, misread, so the topics below are not to be trusted either.`;
  return `${all ? 'All' : `${count(n)} (${pct(n / r.conversations)})`} of the conversations are in a language Cockpit’s classifier does not read (it reads English and Hindi-English): their topics are unknown, so the breakdown and the potential ${all ? 'say nothing about this export' : 'rest on the other conversations and are less sure by that much'}.`;
}

/**
 * From this share of support requests classified with low confidence the export is said to run
 * topics Cockpit may not know: 1–15% on the kinds of business its taxonomy was written for, 21–35%
 * on a reviewer's telecom, insurance and food-delivery exports (docs/estimate.md). The same figure as
 * UNFAMILIAR_REQUEST_SHARE in server/domain/estimate.ts, which `npm run estimate` reads.
 */
const UNFAMILIAR_SHARE = 0.2;

/** An export whose requests fit the taxonomy poorly: its topic names and class mix are less sure. */
export function unfamiliarNote(r: Pick<EstimateResult, 'lowConfidenceRequests' | 'withheld'>): string | null {
  const share = r.lowConfidenceRequests;
  if (share == null || share < UNFAMILIAR_SHARE || r.withheld) return null;
  return `${pct(share)} of the support requests match none of Cockpit’s topics well (classified with under 50% confidence, against 1–15% for the kinds of business its topics were written for): this business may run topics the taxonomy does not have. The topic names are the nearest matches and the class mix, so the potential, is less sure — open the example conversations of the largest topics before quoting the figures.`;
}

/** From this share of conversations without a customer word, the page says so beside the figures. */
const NO_TEXT_NOTE_SHARE = 0.1;

/**
 * Conversations without a customer word (empty, or only emoji or numbers): no request to read. From 10% the
 * page says so; from half the potential is withheld (server/estimate/estimate.ts).
 */
export function noTextNote(r: Pick<EstimateResult, 'conversations' | 'noText' | 'withheld'>): string | null {
  const n = r.noText ?? 0;
  if (n === 0 || r.conversations === 0 || n / r.conversations < NO_TEXT_NOTE_SHARE) return null;
  const share = `${n === r.conversations ? 'All' : `${count(n)} (${pct(n / r.conversations)})`} of the conversations`;
  if (r.withheld === 'no_text')
    return `${share} have no customer words (no message, or only emoji, numbers and punctuation): there is no request to read, so no potential and no roadmap — check that the export's text column holds what customers wrote.`;
  return `${share} have no customer words (no message, or only emoji, numbers and punctuation): they count in the volume but in no topic, so the breakdown and the potential rest on the other conversations and are less sure by that much.`;
}

/**
 * An export whose dates are not one run (server/estimate/coverage.ts): separate periods (sampled
 * weeks months apart) and dates far from the rest. Said beside the figures, as the volume a month
 * stands on it, not only in the import report.
 */
export function datesNote(
  r: Pick<EstimateResult, 'periods' | 'strayDates' | 'monthlyConversations' | 'months'>,
): string | null {
  const parts: string[] = [];
  const periods = r.periods ?? [];
  if (periods.length > 1) {
    const shown = periods
      .slice(0, 3)
      .map((p) => `${dateLabel(p.from)} – ${dateLabel(p.to)}`)
      .join('; ');
    parts.push(
      `The export holds ${periods.length} separate periods with months without a conversation between them (${shown}${periods.length > 3 ? '; …' : ''}): its ≈ ${count(r.monthlyConversations)} conversations a month are read over the ${r.months.toFixed(1)} months they cover, as if the months between were as busy — check the export was not sampled or cut.`,
    );
  }
  const stray = r.strayDates ?? 0;
  if (stray > 0)
    parts.push(
      `${count(stray)} conversation${stray === 1 ? ' is' : 's are'} dated far from the rest (see the import report): left out of the export's period and monthly trend.`,
    );
  return parts.length ? parts.join(' ') : null;
}

/** From 5% of the records rejected: the figures stand on the rows read, and the volume is theirs. */
export function rejectedNote(r: Pick<EstimateResult, 'report'>): string | null {
  const { records, rejected } = r.report;
  if (records === 0 || rejected / records < REJECTED_NOTE_SHARE) return null;
  return `${count(rejected)} of the file’s ${count(records)} records (${pct(rejected / records)}) were rejected (see the import report): the volume counts only the rows read and the potential stands on them — fix the file and estimate it again before quoting these figures.`;
}

/**
 * An export whose conversations already show an AI agent (Intercom's Fin, a chatbot's turns): the
 * estimate starts from no automation, as for any prospect, so its gap overstates what is left to win
 * by what that agent already resolves. Said beside the figures, not only in the import report.
 */
export function existingAgentNote(
  r: Pick<EstimateResult, 'conversations' | 'aiInvolved' | 'aiResolved'>,
): string | null {
  const n = r.aiInvolved ?? 0;
  if (n === 0 || r.conversations === 0) return null;
  const resolved = r.aiResolved ?? 0;
  const did =
    resolved > 0
      ? `, and resolved ${count(resolved)} (${pct(resolved / r.conversations)} of all) by the export’s own outcomes`
      : '';
  return `An AI agent already took part in ${count(n)} of the ${count(r.conversations)} conversations (${pct(n / r.conversations)})${did}. The estimate reads only what customers asked and starts from no automation, as for a prospect without one: the gap below is measured from zero, not from what that agent does today.`;
}

/** "66.7% (55.3–72.4%)", or why there is none. */
export function potentialLine(
  r: Pick<EstimateResult, 'potential' | 'potentialLow' | 'potentialHigh' | 'withheld'>,
): string {
  if (r.withheld === 'unreadable')
    return 'withheld: most of the export is in a language Cockpit does not read';
  if (r.withheld === 'no_text') return 'withheld: most conversations have no customer words to read';
  if (r.potential === null) return '—';
  return `${pct(r.potential)} (range ${pct(r.potentialLow)}–${pct(r.potentialHigh)})`;
}

export function howLine(r: Pick<EstimateResult, 'benchmark' | 'confidence' | 'vertical'>): string {
  const b = r.benchmark;
  // one level of brackets in the sentence; the vertical named as the selector names it ("the Other
  // vertical", not "6 other customers")
  const vertical = `the ${verticalLabel(r.vertical)} vertical`;
  const peers =
    b.verticalAccounts > 0
      ? `${count(b.verticalAccounts)} customer${b.verticalAccounts === 1 ? '' : 's'} in ${vertical}, of ${count(b.allAccounts)} in all`
      : `${count(b.allAccounts)} customers in all verticals, none in ${vertical}`;
  return `Each topic’s share of volume × the automation comparable accounts reach on it (P75 of ${peers}); the range is P50–P90, widened where the classification is unsure (mean confidence ${pct(r.confidence)}).`;
}

/**
 * "7 topics (37% of the volume) from peers in the vertical, 18 (63%) from the automation class's
 * level": by volume too, since the How line names the vertical's peers while most of the volume may
 * stand on a class level learnt over all verticals.
 */
export function sourcesLine(
  leaves: readonly Pick<EstimateResult['leaves'][number], 'share' | 'benchmark'>[],
): string {
  const bySource = new Map<BenchmarkSource, { topics: number; share: number }>();
  for (const l of leaves) {
    const s = bySource.get(l.benchmark.source) ?? { topics: 0, share: 0 };
    s.topics++;
    s.share += l.share;
    bySource.set(l.benchmark.source, s);
  }
  const parts = (Object.keys(SOURCE_LABELS) as BenchmarkSource[])
    .filter((k) => (bySource.get(k)?.topics ?? 0) > 0)
    .map((k, i) => {
      const { topics, share } = bySource.get(k)!;
      const what =
        i === 0 ? `topic${topics === 1 ? '' : 's'} (${pct(share)} of the volume)` : `(${pct(share)})`;
      return `${count(topics)} ${what} from ${SOURCE_LABELS[k]}`;
    });
  return parts.length ? `Topic levels: ${parts.join(', ')}.` : '';
}

/** Skipped reasons, most frequent first. */
export function skippedList(report: Pick<ImportReport, 'skippedReasons'>): { reason: string; n: number }[] {
  return Object.entries(report.skippedReasons)
    .map(([reason, n]) => ({ reason, n }))
    .sort((a, b) => b.n - a.n || a.reason.localeCompare(b.reason, 'en'));
}

/** A stream/API error's message with its line appended when the message does not name it already. */
export function withLine(message: string, line: number | undefined): string {
  if (line == null || line <= 0) return message;
  return new RegExp(`\\bline ${line}\\b`).test(message) ? message : `${message} (line ${line})`;
}

/** Progress as a fraction 0–1 of the upload, or null when the total is unknown. */
export function progressFraction(bytes: number, totalBytes: number | null): number | null {
  if (!totalBytes || totalBytes <= 0) return null;
  return Math.max(0, Math.min(1, bytes / totalBytes));
}

/** What the upload shows: bytes sent (of the file), records the server has read, upload finished. */
export interface UploadProgress {
  bytes: number;
  totalBytes: number | null;
  /** records read by the server (null until its first count arrives) */
  records: number | null;
  /** the whole file has been sent; the server is finishing the estimate */
  uploaded: boolean;
}

/** The sentence naming a vertical whose customers' topics are more alike, or null (the page and the summary). */
export function verticalSuggestionNote(
  r: Pick<EstimateResult, 'vertical' | 'verticalSuggestion'>,
): string | null {
  const v = r.verticalSuggestion;
  return v
    ? `Its topics look most like ${verticalLabel(v.vertical)} customers’ (similarity ${v.similarity.toFixed(2)}, against ${v.chosenSimilarity.toFixed(2)} for ${verticalLabel(r.vertical)}, the peers it was compared with).`
    : null;
}

/** What a prospect's Markdown summary says of its export (lib/summary.ts): volume a month and caveats. */
export function exportFacts(r: EstimateResult): ExportFacts {
  const suggestion = verticalSuggestionNote(r);
  return {
    conversations: r.conversations,
    from: r.from,
    to: r.to,
    months: r.months,
    monthlyConversations: r.monthlyConversations,
    undated: r.report.undated === true,
    caveats: [
      suggestion,
      existingAgentNote(r),
      smallExportNote(r.conversations),
      rejectedNote(r),
      datesNote(r),
      noTextNote(r),
      unreadableNote(r),
      unfamiliarNote(r),
    ].filter((c): c is string => c !== null),
    unfamiliar: unfamiliarNote(r),
  };
}
