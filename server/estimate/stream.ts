/**
 * One pass over a prospect's export: bytes → importers → leaf assignment → per-leaf counts and a
 * few bounded example conversations. Memory stays flat in the file size (nothing per record is
 * kept beyond the samples); the raw bytes are hashed on the way for the prospect id.
 */
import { createHash } from 'node:crypto';
import { assignLeaf } from '../domain/assign.ts';
import { type Classifier, defaultClassifier } from '../domain/classifier.ts';
import type { EstimateSample, ProspectLeafInput } from '../domain/estimate.ts';
import { addMonths, isResolved, monthOf } from '../domain/metrics.ts';
import { hash32 } from '../domain/stats.ts';
import { parseIsoTimestamp } from '../domain/time.ts';
import { type Conversation, LOW_CONFIDENCE } from '../domain/types.ts';
import { formatBytes } from '../importers/bytes.ts';
import { ImportError, type ImportInput, type ImportReport, importConversations } from '../importers/index.ts';
import { coverageNotes, coveredMs, DAY_MS, type DateRun, exportCoverage } from './coverage.ts';

/** The CSV importer's notes on how it reads AI involvement and outcomes. */
const AI_READING_NOTE = /^(no outcome column:|whether an AI agent took part is read)/;

/**
 * When an export has no time column: noon on the last day of the last complete month, so the file
 * reads as one whole month (a month in progress would read as a partial one).
 */
export function undatedTime(now: Date = new Date()): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0, 12)).toISOString();
}

/** Largest upload accepted (the file as sent, compressed or not). */
export const MAX_ESTIMATE_BYTES = 200 * 1024 * 1024;
/** Example conversations kept per leaf. */
export const SAMPLES_PER_LEAF = 3;
const SAMPLE_MESSAGES = 4;
const SAMPLE_TEXT_CHARS = 400;
/** Average month, for volumes per month from the span of the data. */
const MONTH_MS = 30.4375 * 24 * 3600 * 1000;
/** Dated conversations needed before a span under a month is read as the export's pace. */
export const MIN_PACE_CONVERSATIONS = 30;

const HOUR_MS = 3600 * 1000;
/** The account id the importer gives records that name none. */
const PROSPECT_ACCOUNT = 'prospect';
/** Accounts counted in a canonical file before the note says "N+" (ids are short: a few hundred KB). */
const MAX_ACCOUNTS_NAMED = 10_000;
/** From this share of conversations without a customer word, the estimate gives no potential. */
export const NO_TEXT_WITHHOLD_SHARE = 0.5;
// a letter: an order number alone ("48213") is no more a request than an emoji
const WORD = /\p{L}/u;

/**
 * The months an export covers, for its volumes per month (`coveredMs` in average months; for an
 * export whose dates are not one run, the time its runs cover: coverage.ts). Under a
 * month, with 30+ conversations over an hour or more, the export's own pace (at least a day), so two
 * days' 400 conversations are ~6,000 a month, not 400 (a browser audit: "≈ 263 conversations / month"
 * of gap for an export whose gap held 263 conversations in two days). With fewer conversations, or
 * all within an hour (one time for a bulk import, the export's own time), a month: such a pace says
 * nothing.
 */
export function monthsCovered(conversations: number, spanMs: number, dateOnly = false): number {
  return monthsOfCovered(conversations, coveredMs(conversations, spanMs, dateOnly));
}

function monthsOfCovered(conversations: number, covered: number): number {
  if (covered >= MONTH_MS) return covered / MONTH_MS;
  if (conversations < MIN_PACE_CONVERSATIONS || covered < HOUR_MS) return 1;
  return Math.max(covered, DAY_MS) / MONTH_MS;
}

/** "7 days", "1 day", "5 hours", "under an hour". */
function spanWords(ms: number): string {
  if (ms >= DAY_MS) {
    const days = Math.round(ms / DAY_MS);
    return `${days} day${days === 1 ? '' : 's'}`;
  }
  if (ms >= HOUR_MS) {
    const hours = Math.round(ms / HOUR_MS);
    return `${hours} hour${hours === 1 ? '' : 's'}`;
  }
  return 'under an hour';
}

export interface EstimateProgress {
  /** raw bytes read from the input */
  bytes: number;
  /** records read (imported + skipped + rejected) */
  records: number;
}

export interface AggregateOptions {
  fileName?: string;
  signal?: AbortSignal;
  /** default MAX_ESTIMATE_BYTES; more raw bytes → ImportError TOO_LARGE */
  maxBytes?: number;
  maxLineBytes?: number;
  classifier?: Classifier;
  /** called at most every `progressIntervalMs` (default 250) and once at the end */
  onProgress?: (p: EstimateProgress) => void;
  progressIntervalMs?: number;
  samplesPerLeaf?: number;
  /**
   * Share of rejected records over which the file is refused (SPEC §2). Unset for a look at an
   * export (its rejected rows are listed); set when the result is saved, so that a prospect built
   * from a fraction of its file never reaches the triage.
   */
  maxRejectRate?: number;
}

/** Text a compressed upload may inflate to, per byte of the upload limit (typical exports gzip 5–10×). */
export const DECOMPRESSED_RATIO = 10;

/** The pipeline's default `--max-reject-rate`, which saving a prospect applies too. */
export const DEFAULT_MAX_REJECT_RATE = 0.01;

interface LeafAgg {
  conversations: number;
  confidenceSum: number;
  lowConfidence: number;
  /** kept sorted: best first (highest confidence, then a stable hash of the id) */
  samples: (EstimateSample & { rank: number })[];
}

export interface MonthAgg {
  conversations: number;
  ratings: number;
  positiveRatings: number;
  /** conversations the export marks reopened (SPEC §1: reopens are always available) */
  reopened: number;
}

export interface ProspectAggregate {
  report: ImportReport;
  /** sha256 of the raw bytes, hex (what was uploaded, for the audit log) */
  sha256: string;
  /** sha256 of the decoded text, hex: the same export gzipped or not, with or without a BOM, is the same content */
  contentSha256: string;
  rawBytes: number;
  conversations: number;
  /** conversations in a language the classifier does not read (their leaf says nothing) */
  unreadable: number;
  /** conversations without a customer word (no message, or only emoji, numbers and punctuation) */
  noText: number;
  /** conversations in which the file shows an AI agent taking part, and those it resolved (not used) */
  aiInvolved: number;
  aiResolved: number;
  leaves: ProspectLeafInput[];
  byMonth: Map<string, MonthAgg>;
  firstMs: number | null;
  lastMs: number | null;
  /** months covered (`monthsCovered`): the span of the data in average months; 1 for an undated file */
  months: number;
  /** the separate periods the dates fall in (coverage.ts), oldest first: one for most exports */
  periods: DateRun[];
  /** conversations dated far from the rest, left out of the period and the months */
  strayConversations: number;
  elapsedMs: number;
}

interface Contribution {
  taxonomyId: string;
  /** to 1/65,535 */
  confidence: number;
  /** counted in the leaf's low-confidence conversations (kept exactly, not from the rounded value) */
  low: boolean;
  month: string | null;
  rated: boolean;
  positive: boolean;
  reopened: boolean;
  /** in a language the classifier does not read (Classification.unreadable) */
  unreadable: boolean;
  /** no customer words at all (only the team's or the AI agent's messages, or none) */
  noText: boolean;
  /** the file shows an AI agent taking part (its flag or its messages) */
  ai: boolean;
  /** and resolving the conversation, by the file's own outcome (SPEC §1's resolved) */
  aiResolved: boolean;
}

/**
 * What each conversation id added to the aggregates, packed into one number per id (an object per
 * id would cost ~4× the memory at a million conversations): leaf and month as indexes into small
 * tables, the confidence to 1/65,535, and the two rating bits; beside it the record's time, so that
 * the span of the data is that of the versions kept, not of a record a later one replaced.
 */
class Contributions {
  private readonly ids = new Map<string, number>();
  private packed = new Float64Array(1024);
  private times = new Float64Array(1024);
  private size = 0;
  private readonly leafNames: string[] = [];
  private readonly leafIndex = new Map<string, number>();
  private readonly monthNames: string[] = [];
  private readonly monthIndex = new Map<string, number>();

  private indexOf(names: string[], index: Map<string, number>, key: string): number {
    let i = index.get(key);
    if (i === undefined) {
      i = names.length;
      names.push(key);
      index.set(key, i);
    }
    return i;
  }

  /** `ms`: the record's time, NaN when it has none */
  set(id: string, c: Contribution, ms: number): void {
    const leaf = this.indexOf(this.leafNames, this.leafIndex, c.taxonomyId);
    const month = c.month === null ? 0 : this.indexOf(this.monthNames, this.monthIndex, c.month) + 1;
    const confidence = Math.round(Math.min(1, Math.max(0, c.confidence)) * 65535);
    // 8 flag bits, 16 confidence bits, 12 month bits, the leaf above: well within 2^53.
    const flags =
      (c.aiResolved ? 128 : 0) +
      (c.ai ? 64 : 0) +
      (c.reopened ? 32 : 0) +
      (c.noText ? 16 : 0) +
      (c.unreadable ? 8 : 0) +
      (c.low ? 4 : 0) +
      (c.rated ? 2 : 0) +
      (c.positive ? 1 : 0);
    let slot = this.ids.get(id);
    if (slot === undefined) {
      slot = this.size++;
      if (slot === this.packed.length) {
        const grow = (a: Float64Array) => {
          const b = new Float64Array(a.length * 2);
          b.set(a);
          return b;
        };
        this.packed = grow(this.packed);
        this.times = grow(this.times);
      }
      this.ids.set(id, slot);
    }
    this.packed[slot] = ((leaf * 4096 + month) * 65536 + confidence) * 256 + flags;
    this.times[slot] = ms;
  }

  get(id: string): Contribution | undefined {
    const slot = this.ids.get(id);
    return slot === undefined ? undefined : this.decode(slot);
  }

  /** the kept records' times, sorted, those without a time left out */
  sortedTimes(): Float64Array {
    const out = new Float64Array(this.size);
    let n = 0;
    for (let i = 0; i < this.size; i++) if (!Number.isNaN(this.times[i]!)) out[n++] = this.times[i]!;
    return out.subarray(0, n).sort();
  }

  /** each kept record whose time passes `test`, decoded */
  *timed(test: (ms: number) => boolean): Generator<Contribution> {
    for (let i = 0; i < this.size; i++) if (test(this.times[i]!)) yield this.decode(i);
  }

  private decode(slot: number): Contribution {
    let v = this.packed[slot]!;
    const flags = v % 256;
    v = Math.floor(v / 256);
    const confidence = (v % 65536) / 65535;
    v = Math.floor(v / 65536);
    const month = v % 4096;
    const leaf = Math.floor(v / 4096);
    return {
      taxonomyId: this.leafNames[leaf]!,
      confidence,
      low: (flags & 4) !== 0,
      month: month === 0 ? null : this.monthNames[month - 1]!,
      rated: (flags & 2) !== 0,
      positive: (flags & 1) !== 0,
      unreadable: (flags & 8) !== 0,
      noText: (flags & 16) !== 0,
      reopened: (flags & 32) !== 0,
      ai: (flags & 64) !== 0,
      aiResolved: (flags & 128) !== 0,
    };
  }

  /** earliest and latest time of the records kept (infinite when none has a time) */
  span(): { firstMs: number; lastMs: number } {
    let firstMs = Number.POSITIVE_INFINITY;
    let lastMs = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < this.size; i++) {
      const ms = this.times[i]!;
      if (ms < firstMs) firstMs = ms;
      if (ms > lastMs) lastMs = ms;
    }
    return { firstMs, lastMs };
  }
}

function toBuffer(c: Buffer | Uint8Array | string): Buffer {
  return typeof c === 'string' ? Buffer.from(c, 'utf8') : Buffer.isBuffer(c) ? c : Buffer.from(c);
}

/** Counts and hashes the raw bytes and stops with TOO_LARGE past the limit. */
async function* meter(
  input: ImportInput,
  state: { bytes: number; hash: ReturnType<typeof createHash> },
  maxBytes: number,
): AsyncGenerator<Buffer> {
  for await (const c of input as AsyncIterable<Buffer | Uint8Array | string>) {
    const b = toBuffer(c);
    state.bytes += b.length;
    if (state.bytes > maxBytes)
      throw new ImportError(
        'TOO_LARGE',
        `the file is too large: over the ${formatBytes(maxBytes)} limit (read ${formatBytes(state.bytes)} so far); gzip it (a text export shrinks 5–10×, and is read the same) or split it by date`,
      );
    state.hash.update(b);
    yield b;
  }
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function sampleOf(c: Conversation, confidence: number): EstimateSample {
  const messages: EstimateSample['messages'] = [];
  for (const m of c.messages) {
    if (messages.length >= SAMPLE_MESSAGES) break;
    if (m.text.trim() === '') continue;
    messages.push({ role: m.role, text: truncate(m.text.trim(), SAMPLE_TEXT_CHARS) });
  }
  return { id: c.id, createdAt: c.createdAt, channel: c.channel, confidence, messages };
}

/**
 * Imports `input` and aggregates it per taxonomy leaf. Throws `ImportError` for an unusable file
 * (EMPTY, BINARY, ENCODING, UNKNOWN_FORMAT, MISSING_COLUMNS, TOO_MANY_ERRORS, GZIP, TOO_LARGE,
 * ABORTED, READ_ERROR).
 */
export async function aggregateProspect(
  input: ImportInput,
  opts: AggregateOptions = {},
): Promise<ProspectAggregate> {
  const started = performance.now();
  const classifier = opts.classifier ?? defaultClassifier();
  const maxBytes = opts.maxBytes ?? MAX_ESTIMATE_BYTES;
  const perLeaf = opts.samplesPerLeaf ?? SAMPLES_PER_LEAF;
  const interval = opts.progressIntervalMs ?? 250;
  const raw = { bytes: 0, hash: createHash('sha256') };
  const content = createHash('sha256');
  const leaves = new Map<string, LeafAgg>();
  const byMonth = new Map<string, MonthAgg>();
  let firstMs = Number.POSITIVE_INFINITY;
  let lastMs = Number.NEGATIVE_INFINITY;
  // every time at midnight UTC: the file holds dates, not times (its last day counts in full)
  let dateOnly = true;
  let conversations = 0;
  let unreadable = 0;
  let noText = 0;
  let aiSeen = 0;
  let aiResolved = 0;
  // SPEC §2: of a repeated conversation id the last record wins. What each id added is kept
  // compactly, so a repeat can be taken back out of its leaf and month before the new one counts.
  const seen = new Contributions();
  // the accounts a canonical file names (one is the usual case; counted up to MAX_ACCOUNTS_NAMED)
  const accountIds = new Set<string>();
  let duplicates = 0;
  let records = 0;
  let report: ImportReport | null = null;
  let lastProgress = performance.now();
  // Month keys are cached per UTC day: Date → ISO string per record is measurable at 100k+/s.
  let dayStart = 0;
  let dayEnd = -1;
  let dayMonth = '';

  const events = importConversations(meter(input, raw, maxBytes), {
    accountId: PROSPECT_ACCOUNT,
    ...(opts.fileName !== undefined && { fileName: opts.fileName }),
    ...(opts.signal && { signal: opts.signal }),
    ...(opts.maxLineBytes !== undefined && { maxLineBytes: opts.maxLineBytes }),
    // The upload limit counts the bytes sent; a compressed upload is also capped once inflated.
    maxDecodedBytes: maxBytes * DECOMPRESSED_RATIO,
    contentHash: content,
    progressEvery: 2000,
    // a list of requests without dates still has a topic mix, and so a potential
    undatedAt: undatedTime(),
    prospect: true,
  });
  for await (const ev of events) {
    if (ev.type === 'conversation') {
      const c = ev.conversation;
      if (accountIds.size < MAX_ACCOUNTS_NAMED + 1 && c.accountId !== PROSPECT_ACCOUNT)
        accountIds.add(c.accountId);
      const earlier = seen.get(c.id);
      if (earlier) {
        duplicates++;
        if (earlier.noText) noText--;
        if (earlier.ai) aiSeen--;
        if (earlier.aiResolved) aiResolved--;
        if (earlier.unreadable) unreadable--;
        if (!earlier.unreadable && !earlier.noText) {
          const old = leaves.get(earlier.taxonomyId)!;
          old.conversations--;
          old.confidenceSum -= earlier.confidence;
          if (earlier.low) old.lowConfidence--;
          const at = old.samples.findIndex((x) => x.id === c.id);
          if (at >= 0) old.samples.splice(at, 1);
        }
        const m = earlier.month === null ? undefined : byMonth.get(earlier.month);
        if (m) {
          m.conversations--;
          if (earlier.rated) m.ratings--;
          if (earlier.positive) m.positiveRatings--;
          if (earlier.reopened) m.reopened--;
        }
      } else conversations++;
      const cls = assignLeaf(c, classifier);
      // not a letter from the customer (nothing, or only emoji, numbers and punctuation): no request
      const silent = !c.messages.some((m) => m.role === 'customer' && WORD.test(m.text));
      if (silent) noText++;
      const ai = c.aiInvolved === true || c.messages.some((m) => m.role === 'ai');
      if (ai) aiSeen++;
      const aiDone = ai && isResolved(c);
      if (aiDone) aiResolved++;
      // A conversation in a language the classifier does not read, or without a customer word, has
      // no topic: it counts in the volume and the months, not in any leaf, so the topic mix is that
      // of the conversations read (filed under small talk, empty rows lifted the potential: 58.7%
      // with 10% of them, 71.0% with 49%, in a re-review).
      if (cls.unreadable) unreadable++;
      if (!cls.unreadable && !silent) {
        let agg = leaves.get(cls.taxonomyId);
        if (!agg) {
          agg = { conversations: 0, confidenceSum: 0, lowConfidence: 0, samples: [] };
          leaves.set(cls.taxonomyId, agg);
        }
        agg.conversations++;
        agg.confidenceSum += cls.confidence;
        if (cls.confidence < LOW_CONFIDENCE) agg.lowConfidence++;
        if (perLeaf > 0) {
          const rank = cls.confidence * 4294967296 + hash32(c.id);
          const s = agg.samples;
          if (s.length < perLeaf || rank > s[s.length - 1]!.rank) {
            const entry = { ...sampleOf(c, cls.confidence), rank };
            let i = s.length;
            while (i > 0 && s[i - 1]!.rank < rank) i--;
            s.splice(i, 0, entry);
            if (s.length > perLeaf) s.pop();
          }
        }
      }
      const ms = parseIsoTimestamp(c.createdAt) ?? Number.NaN;
      if (!Number.isNaN(ms)) {
        if (ms < firstMs) firstMs = ms;
        if (ms > lastMs) lastMs = ms;
        if (ms % DAY_MS !== 0) dateOnly = false;
        if (ms < dayStart || ms > dayEnd) {
          dayStart = ms - (ms % 86_400_000);
          dayEnd = dayStart + 86_399_999;
          dayMonth = monthOf(ms);
        }
        let m = byMonth.get(dayMonth);
        if (!m) {
          m = { conversations: 0, ratings: 0, positiveRatings: 0, reopened: 0 };
          byMonth.set(dayMonth, m);
        }
        m.conversations++;
        if (c.reopened) m.reopened++;
        if (typeof c.csat === 'number') {
          m.ratings++;
          if (c.csat >= 4) m.positiveRatings++;
        }
      }
      seen.set(
        c.id,
        {
          taxonomyId: cls.taxonomyId,
          confidence: cls.confidence,
          low: cls.confidence < LOW_CONFIDENCE,
          month: Number.isNaN(ms) ? null : dayMonth,
          rated: typeof c.csat === 'number',
          positive: typeof c.csat === 'number' && c.csat >= 4,
          reopened: c.reopened === true,
          unreadable: cls.unreadable === true,
          noText: silent,
          ai,
          aiResolved: aiDone,
        },
        ms,
      );
      if ((conversations & 255) === 0 && opts.onProgress) {
        const now = performance.now();
        if (now - lastProgress >= interval) {
          lastProgress = now;
          opts.onProgress({ bytes: raw.bytes, records: Math.max(records, conversations) });
        }
      }
    } else if (ev.type === 'progress') {
      records = ev.records;
      if (opts.onProgress) {
        const now = performance.now();
        if (now - lastProgress >= interval) {
          lastProgress = now;
          opts.onProgress({ bytes: raw.bytes, records });
        }
      }
    } else report = ev.report;
  }
  if (!report) throw new ImportError('READ_ERROR', 'the import ended without a report');
  // The importers say how they read whether an AI agent took part; an estimate uses none of it
  // (a prospect has no AI agent yet), and its mapping says so: one note instead of two that disagree.
  // An export from a help desk whose AI agent already answers (Intercom's Fin, a chatbot's turns)
  // is still estimated as a prospect: say how much of the file the agent was in, so "no AI agent yet"
  // on the page is read as the estimate's premise, not as a reading of the file.
  const aiNotes = report.notes.filter((n) => AI_READING_NOTE.test(n));
  if (aiNotes.length > 0 || aiSeen > 0) {
    report.notes = report.notes.filter((n) => !AI_READING_NOTE.test(n));
    report.notes.push(
      aiSeen > 0
        ? `AI outcomes in the file are not used: an AI agent took part in ${aiSeen.toLocaleString('en-US')} of ${conversations.toLocaleString('en-US')} conversations, but a prospect’s estimate stands on its topics, as if none had`
        : // (no AI agent in the file: "outcomes not used" read as if it held some)
          'no AI agent took part in these conversations, and none is assumed: a prospect’s estimate stands on its topics',
    );
  }
  // said from 1%: such conversations are real volume, but say nothing of what customers ask
  if (noText > 0 && noText >= conversations * 0.01)
    report.notes.push(
      `${noText.toLocaleString('en-US')} conversation${noText === 1 ? ' has' : 's have'} no customer words (only the team’s or the AI agent’s messages, emoji, numbers or none): counted in the volume, in no topic (the topic mix is that of the conversations with words)${noText >= conversations * NO_TEXT_WITHHOLD_SHARE ? '; with half the export or more so, no potential is given' : ''}`,
    );
  if (accountIds.size > 1) {
    const named = [...accountIds].slice(0, 3).map((id) => JSON.stringify(id.slice(0, 40)));
    report.notes.push(
      `the file holds conversations of ${accountIds.size > MAX_ACCOUNTS_NAMED ? `${MAX_ACCOUNTS_NAMED}+` : accountIds.size} accounts (${named.join(', ')}${accountIds.size > 3 ? ', …' : ''}): the estimate reads them as one prospect's export — estimate each account's conversations on their own for each one's figures`,
    );
  }
  if (duplicates > 0)
    report.notes.push(
      `${duplicates.toLocaleString('en-US')} repeated conversation id${duplicates === 1 ? '' : 's'}: the last record of each was kept`,
    );
  if (conversations === 0) {
    const why = report.rejects[0]
      ? `; first problem: line ${report.rejects[0].line}: ${report.rejects[0].reason}`
      : report.skipped > 0
        ? `; all ${report.skipped} records were skipped (${Object.keys(report.skippedReasons).join(', ')})`
        : '';
    throw new ImportError(
      'EMPTY',
      `no usable conversations in the file (${report.records} records read)${why}`,
      report.rejects[0]?.line,
    );
  }
  const maxRejectRate = opts.maxRejectRate ?? Number.POSITIVE_INFINITY;
  if (report.records > 0 && report.rejected / report.records > maxRejectRate) {
    const first = report.rejects[0];
    throw new ImportError(
      'TOO_MANY_ERRORS',
      `${report.rejected.toLocaleString('en-US')} of ${report.records.toLocaleString('en-US')} records were rejected (${((report.rejected / report.records) * 100).toFixed(1)}%), over the ${(maxRejectRate * 100).toFixed(0)}% limit${first ? `; first: line ${first.line}: ${first.reason}` : ''}`,
      first?.line,
    );
  }
  opts.onProgress?.({ bytes: raw.bytes, records: report.records });
  // a replaced record no longer counts: neither its month nor its time may set the span
  if (duplicates > 0) ({ firstMs, lastMs } = seen.span());
  const hasDates = Number.isFinite(firstMs);
  const dated = hasDates && !report.undated;
  let covered = 0;
  let periods: DateRun[] = [];
  let strayConversations = 0;
  if (dated) {
    const coverage = exportCoverage(seen.sortedTimes(), dateOnly);
    periods = coverage.runs;
    strayConversations = coverage.stray.reduce((n, r) => n + r.conversations, 0);
    // a month inside a period without a conversation (a closure) is a month of none, shown as such
    for (const r of coverage.runs)
      for (let m = monthOf(r.firstMs), last = monthOf(r.lastMs); m <= last; m = addMonths(m, 1))
        if (!byMonth.has(m))
          byMonth.set(m, { conversations: 0, ratings: 0, positiveRatings: 0, reopened: 0 });
    if (coverage.stray.length > 0) {
      // a stray date's conversation keeps its topic, but neither its month nor the export's period
      const isStray = (ms: number) => coverage.stray.some((r) => ms >= r.firstMs && ms <= r.lastMs);
      for (const c of seen.timed(isStray)) {
        const m = c.month === null ? undefined : byMonth.get(c.month);
        if (!m) continue;
        m.conversations--;
        if (c.rated) m.ratings--;
        if (c.positive) m.positiveRatings--;
        if (c.reopened) m.reopened--;
      }
      firstMs = coverage.runs[0]!.firstMs;
      lastMs = coverage.runs[coverage.runs.length - 1]!.lastMs;
    }
    covered = coverage.coveredMs;
    report.notes.push(...coverageNotes(coverage, monthsOfCovered(conversations, covered)));
  }
  // a month emptied by a replaced or stray record, outside every period, goes
  const inPeriod = (month: string) =>
    periods.some((r) => month >= monthOf(r.firstMs) && month <= monthOf(r.lastMs));
  for (const [month, m] of byMonth) if (m.conversations === 0 && !inPeriod(month)) byMonth.delete(month);
  // a week's 12 tickets read "about 12 a month" beside their own dates, with nothing said
  if (dated && conversations > 0 && conversations < MIN_PACE_CONVERSATIONS && covered < MONTH_MS)
    report.notes.push(
      `only ${conversations.toLocaleString('en-US')} dated conversation${conversations === 1 ? '' : 's'}, over ${spanWords(covered)}: too few to read a pace from, so their volumes a month count the file as one month's (export ${MIN_PACE_CONVERSATIONS} or more for a volume a month from its dates)`,
    );
  if (dated && conversations >= MIN_PACE_CONVERSATIONS && covered < HOUR_MS)
    report.notes.push(
      `all ${conversations.toLocaleString('en-US')} conversations are dated within an hour (an import's or the export's own time?): their volumes a month count the file as one month, as no pace can be read from them`,
    );
  return {
    report,
    sha256: raw.hash.digest('hex'),
    contentSha256: content.digest('hex'),
    rawBytes: raw.bytes,
    conversations,
    unreadable,
    noText,
    aiInvolved: aiSeen,
    aiResolved,
    leaves: [...leaves.entries()].map(([taxonomyId, a]) => ({
      taxonomyId,
      conversations: a.conversations,
      confidenceSum: a.confidenceSum,
      lowConfidence: a.lowConfidence,
      samples: a.samples.map(({ rank: _r, ...s }) => s),
    })),
    byMonth,
    firstMs: hasDates ? firstMs : null,
    lastMs: hasDates ? lastMs : null,
    months: dated ? monthsOfCovered(conversations, covered) : 1,
    periods,
    strayConversations,
    elapsedMs: performance.now() - started,
  };
}
