/**
 * The time an export's conversations cover, read from their dates: the volume a month of an
 * estimate is its conversations over this time. From the first to the last date is wrong when the
 * dates are not one run: one record dated 2005 in a June 2026 export made 254.5 months of it
 * (~1 conversation a month for ~330), and two sampled weeks five months apart read as 5 months
 * (138 a month for ~1,500) — both found by an import review.
 *
 * The dates are cut into runs wherever two consecutive ones are further apart than a gap no steady
 * export has (30 days, or 20 typical gaps for a sparse one) — unless the gap is no longer than the
 * runs on both sides of it: a 6-week closure inside a year is a quiet spell of the business, and
 * counts in its months (a re-review: a seasonal shop read 307 a month for the 271 its year held),
 * while two sampled weeks months apart are data missing from the export. A run within a day
 * holding 2% or less of the dated conversations is a stray date (a typo, a test record): it is
 * left out of the export's period and months, and said; a longer run, however small, is a period
 * of the export (a small sampled week is still a week of data). The runs' covered times are summed
 * (each as `coveredMs`), so sampled weeks count as the weeks they are.
 */
import { dayLabel as isoDayLabel } from '../domain/flags.ts';

export const DAY_MS = 24 * 3600 * 1000;
/** a gap this long between two consecutive dates ends a run, whatever the export's pace */
export const RUN_GAP_MS = 30 * DAY_MS;
/** or this many typical (median) gaps, for an export sparser than one conversation a day and a half */
export const RUN_GAP_TYPICAL = 20;
/** a run within a day with at most this share of the dated conversations (or one) is a stray date, not the export's */
export const STRAY_SHARE = 0.02;

/**
 * The time an export covers: n conversations spread evenly over a period T span (n − 1)/(n + 1) of
 * it on average, so the span is scaled back up by (n + 1)/(n − 1); dates without a time of day cover
 * their last day too (3-5 March is three days, not two).
 */
export function coveredMs(conversations: number, spanMs: number, dateOnly = false): number {
  if (dateOnly) return spanMs + DAY_MS;
  return conversations > 1 ? (spanMs * (conversations + 1)) / (conversations - 1) : 0;
}

export interface DateRun {
  firstMs: number;
  lastMs: number;
  conversations: number;
}

export interface ExportCoverage {
  /** the runs that make the export (at least one), oldest first */
  runs: DateRun[];
  /** runs of stray dates, left out of the period and the months */
  stray: DateRun[];
  /** the time the kept runs cover, summed (`coveredMs` per run) */
  coveredMs: number;
  /** conversations in the kept runs */
  conversations: number;
}

function median(sorted: Float64Array): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Cuts sorted dates (ms, ascending, finite) into runs and sets the stray ones aside. With no
 * cut, one run: the first to the last date, `coveredMs` as before.
 */
export function exportCoverage(sortedMs: Float64Array, dateOnly = false): ExportCoverage {
  const n = sortedMs.length;
  if (n === 0) return { runs: [], stray: [], coveredMs: 0, conversations: 0 };
  const gaps = new Float64Array(Math.max(0, n - 1));
  for (let i = 1; i < n; i++) gaps[i - 1] = sortedMs[i]! - sortedMs[i - 1]!;
  const cut = Math.max(RUN_GAP_MS, RUN_GAP_TYPICAL * median(gaps.slice().sort()));
  let all: DateRun[] = [];
  let start = 0;
  for (let i = 1; i <= n; i++) {
    if (i === n || gaps[i - 1]! > cut) {
      all.push({ firstMs: sortedMs[start]!, lastMs: sortedMs[i - 1]!, conversations: i - start });
      start = i;
    }
  }
  // a gap no longer than the runs on either side is a quiet spell inside the export: merged
  const span = (r: DateRun) => r.lastMs - r.firstMs;
  for (let merged = true; merged && all.length > 1; ) {
    merged = false;
    const next: DateRun[] = [all[0]!];
    for (const r of all.slice(1)) {
      const prev = next[next.length - 1]!;
      if (r.firstMs - prev.lastMs <= Math.min(span(prev), span(r))) {
        next[next.length - 1] = {
          firstMs: prev.firstMs,
          lastMs: r.lastMs,
          conversations: prev.conversations + r.conversations,
        };
        merged = true;
      } else next.push(r);
    }
    all = next;
  }
  const stray =
    all.length > 1
      ? // one conversation is a stray however small the export (a 2005 date among 40 of June's)
        all.filter((r) => r.conversations <= Math.max(1, STRAY_SHARE * n) && span(r) < DAY_MS)
      : [];
  // never everything: if every run is that small, none of them is the stray one
  const everyRunSmall = stray.length === all.length;
  const runs = everyRunSmall ? all : all.filter((r) => !stray.includes(r));
  let covered = 0;
  let conversations = 0;
  for (const r of runs) {
    covered += coveredMs(r.conversations, r.lastMs - r.firstMs, dateOnly);
    conversations += r.conversations;
  }
  return { runs, stray: everyRunSmall ? [] : stray, coveredMs: covered, conversations };
}

// as every other day on the page, "4 Sep 2026" (en-GB's locale data writes "4 Sept 2026")
const dayLabel = (ms: number) => isoDayLabel(new Date(ms).toISOString().slice(0, 10));

const runLabel = (r: DateRun) =>
  dayLabel(r.firstMs) === dayLabel(r.lastMs)
    ? dayLabel(r.firstMs)
    : `${dayLabel(r.firstMs)} – ${dayLabel(r.lastMs)}`;

/** A span of days in words: "21 years", "3 months", "45 days" (also the pipeline's stray dates). */
export function spanWords(days: number): string {
  return days >= 730
    ? `${Math.round(days / 365.25)} years`
    : days >= 60
      ? `${Math.round(days / 30.4375)} months`
      : `${Math.round(days)} days`;
}

/** How far a stray run lies from the export, in words: "21 years before", "3 months after". */
function distanceWords(r: DateRun, runs: readonly DateRun[]): string {
  const before = r.lastMs < runs[0]!.firstMs;
  const ms = before ? runs[0]!.firstMs - r.lastMs : r.firstMs - runs[runs.length - 1]!.lastMs;
  const unit = spanWords(ms / DAY_MS);
  return before || r.firstMs > runs[runs.length - 1]!.lastMs
    ? `${unit} ${before ? 'before' : 'after'} the rest`
    : 'between the export’s periods';
}

/** The import notes that say how the dates were read, when they are not one run. */
export function coverageNotes(c: ExportCoverage, monthsCovered: number): string[] {
  const notes: string[] = [];
  if (c.stray.length > 0) {
    const count = c.stray.reduce((s, r) => s + r.conversations, 0);
    const shown = c.stray.slice(0, 3).map((r) => `${runLabel(r)}, ${distanceWords(r, c.runs)}`);
    notes.push(
      `${count.toLocaleString('en-US')} conversation${count === 1 ? ' is' : 's are'} dated far from the rest of the export (${shown.join('; ')}${c.stray.length > 3 ? `; ${c.stray.length - 3} more` : ''}): left out of its period, months and monthly trend, still counted in its topics — check the date column`,
    );
  }
  if (c.runs.length > 1) {
    const shown = c.runs.slice(0, 4).map(runLabel);
    notes.push(
      `the export holds ${c.runs.length} separate periods with 30+ days without a conversation between them (${shown.join('; ')}${c.runs.length > 4 ? `; ${c.runs.length - 4} more` : ''}): its volume a month is read over the ${monthsCovered.toFixed(1)} months they cover, not from its first date to its last`,
    );
  }
  return notes;
}
