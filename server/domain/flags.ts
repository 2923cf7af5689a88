/**
 * Triage flags (SPEC §4): plateau, climbing, declining, low CX. Each carries a reason with its numbers.
 * Inputs are monthly figures, oldest first, over complete months only: a month-to-date month
 * would look like a drop.
 */
import { parseIsoTimestamp } from './time.ts';
import type { Flag } from './types.ts';

export interface MonthPoint {
  month: string;
  conversations: number;
  resolved: number;
  automationRate: number | null;
  cxScore: number | null;
  /** the month ended before the AI agent went live: no rate to read a trend from */
  preLive?: boolean;
  /** the month starts within the go-live ramp: its rate moves by design, so it cannot be flat */
  ramping?: boolean;
}

/** Days after go-live over which an account's involvement ramps in (as the lifts' settle time). */
export const GO_LIVE_RAMP_DAYS = 150;

/** Where a month (YYYY-MM) sits against an account's go-live (`aiLiveSince`, ISO date or null). */
export function goLivePhase(
  month: string,
  aiLiveSince: string | null,
  days = GO_LIVE_RAMP_DAYS,
): { preLive: boolean; ramping: boolean } {
  const live = (aiLiveSince === null ? null : parseIsoTimestamp(aiLiveSince)) ?? Number.NaN;
  if (!Number.isFinite(live)) return { preLive: false, ramping: false };
  const [y, m] = month.split('-').map(Number) as [number, number];
  const start = Date.UTC(y, m - 1, 1);
  const end = Date.UTC(y, m, 1);
  return { preLive: end <= live, ramping: start < live + days * 86_400_000 };
}

export interface FlagSettings {
  plateauMonths: number;
  /** how far the automation rate may move over the plateau's months and still be flat, in points */
  plateauRateSpread: number;
  /** gap (points) above which a flat account counts as stuck */
  plateauMinGap: number;
  /** the rise (points) between the first and last 3-month averages of the last 6 months a climb needs */
  climbingRise: number;
  /** and how much the rate must still have risen over its last 3 months (a stopped climb is not one) */
  climbingStillRising: number;
  /** drop in automation rate (points) between the last 3 months and the 3 before */
  decliningRateDrop: number;
  /** drop in mean CX score between the last 3 months and the 3 before */
  decliningCxDrop: number;
  lowCx: number;
  minConversations: number;
  /**
   * Sampling noise: a month's automation rate over n conversations moves by √(p(1−p)/n) by chance
   * alone, a mean CX score over n conversations by about CX_READING_SD/√n. A move is called only
   * when it clears its threshold by this many standard errors of the comparison; a plateau only
   * when no month pair differs by more than the spread plus this many standard errors.
   */
  moveZ: number;
  flatZ: number;
  /** the same for the climb's last 3 months (a stopped climb is not one) */
  stillZ: number;
  /** and for a fall of the mean CX score */
  cxZ: number;
  /** the plateau's gap must clear its bar by this many standard errors of the window's rate */
  gapZ: number;
}

export const DEFAULT_FLAGS: FlagSettings = {
  plateauMonths: 3,
  plateauRateSpread: 0.02,
  plateauMinGap: 0.08,
  climbingRise: 0.04,
  climbingStillRising: 0.015,
  decliningRateDrop: 0.025,
  decliningCxDrop: 0.07,
  lowCx: 3.4,
  minConversations: 30,
  moveZ: 1,
  flatZ: 2,
  stillZ: 0.5,
  cxZ: 1,
  gapZ: 1,
};

/** Per-conversation spread of the CX score (1–5 scale). */
const CX_READING_SD = 1;

/** Variance of one conversation's outcome at rate p (floored so a rate near 0 or 1 is not certain). */
function rateVar(p: number): number {
  return Math.max(p * (1 - p), 0.01);
}

const pts = (v: number) => `${(v * 100).toFixed(1)} pts`;
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const int = (v: number) => Math.round(v).toLocaleString('en-US');
const MONTH_ABBR = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A day as people read it: "2026-08-14" → "14 Aug 2026". */
export function dayLabel(date: string): string {
  const [y, m, d] = date.split('-');
  return `${Number(d)} ${MONTH_ABBR[Number(m) - 1] ?? m} ${y}`;
}

/** Months as people read them on the page: "Aug–Oct 2026", "Nov 2025–Jan 2026" (not "2026-08"). */
export function monthSpan(from: string, to: string): string {
  const name = (ym: string) => MONTH_ABBR[Number(ym.slice(5, 7)) - 1] ?? ym.slice(5, 7);
  if (from === to) return `${name(from)} ${from.slice(0, 4)}`;
  return from.slice(0, 4) === to.slice(0, 4)
    ? `${name(from)}–${name(to)} ${to.slice(0, 4)}`
    : `${name(from)} ${from.slice(0, 4)}–${name(to)} ${to.slice(0, 4)}`;
}

function avg(values: number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/** Pooled rate of some months: resolved ÷ conversations over them all. */
function pooled(ms: readonly MonthPoint[]): number {
  const n = ms.reduce((t, m) => t + m.conversations, 0);
  return n > 0 ? ms.reduce((t, m) => t + m.automationRate! * m.conversations, 0) / n : 0;
}

/**
 * Rise of the automation rate between two groups of months (the later's mean minus the earlier's,
 * months weighted equally as in the reasons) and its standard error by sampling alone.
 */
export function rateChange(
  earlier: readonly MonthPoint[],
  later: readonly MonthPoint[],
): { change: number; se: number } {
  const p = pooled([...earlier, ...later]);
  const meanVar = (ms: readonly MonthPoint[]) =>
    ms.reduce((t, m) => t + rateVar(p) / m.conversations, 0) / ms.length ** 2;
  return {
    change: avg(later.map((m) => m.automationRate!)) - avg(earlier.map((m) => m.automationRate!)),
    se: Math.sqrt(meanVar(earlier) + meanVar(later)),
  };
}

/** Standard error of the automation rate pooled over some months (the gap is measured from it). */
export function windowSe(ms: readonly MonthPoint[]): number {
  const n = ms.reduce((t, m) => t + m.conversations, 0);
  return n > 0 ? Math.sqrt(rateVar(pooled(ms)) / n) : Number.POSITIVE_INFINITY;
}

/**
 * How many standard errors the largest difference between two of these months exceeds `spread`
 * by (negative: every pair is within the spread and its noise). The pair is judged with its own
 * noise, so a small month's swing weighs less than a large one's.
 */
export function excessMove(ms: readonly MonthPoint[], spread: number): number {
  const p = pooled(ms);
  let worst = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < ms.length; i++)
    for (let j = i + 1; j < ms.length; j++) {
      const a = ms[i]!;
      const b = ms[j]!;
      const se = Math.sqrt(rateVar(p) * (1 / a.conversations + 1 / b.conversations));
      worst = Math.max(worst, (Math.abs(a.automationRate! - b.automationRate!) - spread) / se);
    }
  return worst;
}

export function computeFlags(
  months: readonly MonthPoint[],
  gapPoints: number | null,
  /** the mean CX score of the last 3 complete months */
  recentCx: number | null,
  s: FlagSettings = DEFAULT_FLAGS,
): Flag[] {
  const flags: Flag[] = [];
  const usable = (m: MonthPoint) =>
    m.conversations >= s.minConversations && m.automationRate !== null && m.preLive !== true;
  const six = months.slice(-6);
  const sixUsable = six.length === 6 && six.every(usable);

  // Climbing: the last 3 months' average clears the 3 before it by the rise, and the rate still rose
  // over the last 3 months, each by more than its sampling noise.
  let climbing: Flag | null = null;
  if (sixUsable) {
    const rise = rateChange(six.slice(0, 3), six.slice(3));
    const still = rateChange([six[3]!], [six[5]!]);
    if (
      rise.change - s.climbingRise >= s.moveZ * rise.se &&
      still.change - s.climbingStillRising >= s.stillZ * still.se
    ) {
      const rates = six.map((m) => m.automationRate!);
      climbing = {
        kind: 'climbing',
        reason: `Automation rose from ${pct(rates[0]!)} to ${pct(rates[5]!)} over 6 months (${monthSpan(six[0]!.month, six[5]!.month)}), ${pts(rise.change)} between the first and last 3-month averages, and ${pts(still.change)} over the last 3 months.`,
      };
    }
  }

  // Automation fell between the last two quarters by more than the drop and its noise.
  let fell: string | null = null;
  if (sixUsable) {
    const before = six.slice(0, 3);
    const last = six.slice(3);
    const fall = rateChange(before, last);
    if (-fall.change - s.decliningRateDrop >= s.moveZ * fall.se)
      fell = `automation fell from ${pct(avg(before.map((m) => m.automationRate!)))} to ${pct(avg(last.map((m) => m.automationRate!)))} (3-month averages)`;
  }

  // Plateau: no two of the last 3 months differ by more than the spread plus their noise, while
  // the gap is large (clearing its bar by the noise of the window's rate, which it is measured
  // from), whatever the volume does. A rate that fell and then stayed flat at the lower level is
  // both (the demo world plants such steps as both states: excluding the plateau there lost 2–4
  // true plateaus a world on dev seeds 11 and 5), so its reason says the flat months follow the fall.
  const recent = months.slice(-s.plateauMonths);
  if (
    !climbing &&
    recent.length === s.plateauMonths &&
    recent.every((m) => usable(m) && m.ramping !== true) &&
    gapPoints !== null &&
    gapPoints - s.plateauMinGap >= s.gapZ * windowSe(recent) &&
    excessMove(recent, s.plateauRateSpread) <= s.flatZ
  ) {
    const resolved = recent.map((m) => m.resolved);
    const rates = recent.map((m) => m.automationRate!);
    const spread = Math.max(...rates) - Math.min(...rates);
    // A spread over the bar is flat only within the noise: "Flat … 45.7%–60.8%" read as a
    // contradiction in a review, so such a plateau is named for what the data shows (no move a
    // month's chance scatter cannot explain), with the size of that scatter.
    const noisy = spread > s.plateauRateSpread;
    const n = avg(recent.map((m) => m.conversations));
    const p = avg(rates);
    // what the test allows beyond the 2 points: flatZ standard errors of two months' difference
    const chance = s.flatZ * Math.sqrt((2 * p * (1 - p)) / Math.max(n, 1));
    const noise = noisy
      ? ` (two months of ~${int(n)} conversations can differ by ${pts(chance)} by chance)`
      : '';
    flags.push({
      kind: 'plateau',
      reason: `${noisy ? 'No move beyond sampling noise' : 'Flat'} for ${recent.length} months (${monthSpan(recent[0]!.month, recent.at(-1)!.month)})${fell === null ? '' : ' at the lower level automation fell to'}: ${int(Math.min(...resolved))}–${int(Math.max(...resolved))} resolved/month, automation ${pct(Math.min(...rates))}–${pct(Math.max(...rates))}${noise}, while ${pts(gapPoints)} below potential.`,
    });
  }
  if (climbing) flags.push(climbing);

  // Declining: automation or CX lower over the last 3 months than the 3 before, by the drop and
  // by the noise of two 3-month averages. The CX score needs no live AI agent: its months only
  // need the conversations.
  if (six.length === 6) {
    const before = six.slice(0, 3);
    const last = six.slice(3);
    const reasons: string[] = fell === null ? [] : [fell];
    if (six.every((m) => m.cxScore !== null && m.conversations >= s.minConversations)) {
      const cxBefore = avg(before.map((m) => m.cxScore!));
      const cxNow = avg(last.map((m) => m.cxScore!));
      const meanVar = (ms: MonthPoint[]) => ms.reduce((t, m) => t + 1 / m.conversations, 0) / ms.length ** 2;
      const se = CX_READING_SD * Math.sqrt(meanVar(before) + meanVar(last));
      if (cxBefore - cxNow - s.decliningCxDrop >= s.cxZ * se)
        reasons.push(`CX score fell from ${cxBefore.toFixed(2)} to ${cxNow.toFixed(2)}`);
    }
    if (reasons.length > 0) {
      flags.push({
        kind: 'declining',
        reason: `${reasons.join('; ').replace(/^./, (c) => c.toUpperCase())}, ${monthSpan(before[0]!.month, before.at(-1)!.month)} vs ${monthSpan(last[0]!.month, last.at(-1)!.month)}.`,
      });
    }
  }

  const lastThree = months.slice(-3);
  // as every other flag, on enough conversations: a review saw "Low CX" raised on one escalation
  const recentConversations = lastThree.reduce((n, m) => n + m.conversations, 0);
  if (recentCx !== null && recentCx < s.lowCx && recentConversations >= s.minConversations) {
    flags.push({
      kind: 'low_cx',
      reason: `CX score ${recentCx.toFixed(2)} over ${lastThree.length === 3 ? monthSpan(lastThree[0]!.month, lastThree[2]!.month) : 'the last 3 months'}, below the ${s.lowCx.toFixed(2)} threshold.`,
    });
  }
  return flags;
}
