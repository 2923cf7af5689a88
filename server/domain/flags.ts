/**
 * Triage flags (SPEC §4): plateau, climbing, declining, low CX. Each carries a reason with its numbers.
 * Inputs are monthly figures, oldest first, over complete months only: a month-to-date month
 * would look like a drop.
 */
import type { Flag } from './types.ts';

export interface MonthPoint {
  month: string;
  conversations: number;
  resolved: number;
  automationRate: number | null;
  cxScore: number | null;
}

export interface FlagSettings {
  plateauMonths: number;
  /** max spread of the automation rate, in points (whatever the volume does: a seasonal account is flat too) */
  plateauRateSpread: number;
  /** months over which a climb is looked for, and the rise (points, 3-month averages) it needs */
  climbingMonths: number;
  climbingRise: number;
  /** largest month-to-month dip (points) a sustained climb may contain */
  climbingMaxDip: number;
  /** gap (points) above which a flat account counts as stuck */
  plateauMinGap: number;
  /** drop in automation rate (points) between the last 3 months and the 3 before */
  decliningRateDrop: number;
  decliningCxDrop: number;
  lowCx: number;
  minConversations: number;
  /**
   * Sampling noise: a month's automation rate over n conversations moves by √(p(1−p)/n) by chance
   * alone. Each threshold above in points is widened to this many of those standard errors where
   * that is larger, so a small account's noise is neither read as a move nor hides a plateau.
   */
  noiseZ: number;
}

export const DEFAULT_FLAGS: FlagSettings = {
  plateauMonths: 3,
  plateauRateSpread: 0.02,
  climbingMonths: 6,
  climbingRise: 0.05,
  climbingMaxDip: 0.015,
  plateauMinGap: 0.08,
  decliningRateDrop: 0.03,
  decliningCxDrop: 0.15,
  lowCx: 3.4,
  minConversations: 100,
  noiseZ: 2,
};

/** Standard error of an automation rate p measured over n conversations. */
function rateSe(p: number, n: number): number {
  return n > 0 ? Math.sqrt(Math.max(p * (1 - p), 0.01) / n) : 1;
}

const pts = (v: number) => `${(v * 100).toFixed(1)} pts`;
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const int = (v: number) => Math.round(v).toLocaleString('en-US');

function avg(values: number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

export function computeFlags(
  months: readonly MonthPoint[],
  gapPoints: number | null,
  windowCx: number | null,
  s: FlagSettings = DEFAULT_FLAGS,
): Flag[] {
  const flags: Flag[] = [];
  const usable = (m: MonthPoint) => m.conversations >= s.minConversations && m.automationRate !== null;

  // Climbing: the last 3 months' average clears the 3 before it by the rise and by the noise of
  // two 3-month averages, and no month fell by more than the noise of two months' rates.
  const climb = months.slice(-s.climbingMonths);
  let climbing: Flag | null = null;
  if (climb.length === s.climbingMonths && climb.every(usable)) {
    const rates = climb.map((m) => m.automationRate!);
    const half = Math.floor(rates.length / 2);
    const early = avg(rates.slice(0, half));
    const late = avg(rates.slice(-half));
    const worstDip = Math.max(0, ...rates.slice(1).map((r, i) => rates[i]! - r));
    const nEarly = climb.slice(0, half).reduce((t, m) => t + m.conversations, 0);
    const nLate = climb.slice(-half).reduce((t, m) => t + m.conversations, 0);
    const p = avg(rates);
    const riseNoise = s.noiseZ * Math.sqrt(Math.max(p * (1 - p), 0.01) * (1 / nEarly + 1 / nLate));
    const dipNoise = s.noiseZ * Math.SQRT2 * rateSe(p, Math.min(...climb.map((m) => m.conversations)));
    if (
      late - early >= Math.max(s.climbingRise, riseNoise) &&
      worstDip <= Math.max(s.climbingMaxDip, dipNoise)
    )
      climbing = {
        kind: 'climbing',
        reason: `Automation rose from ${pct(rates[0]!)} to ${pct(rates.at(-1)!)} over ${climb.length} months (${climb[0]!.month} to ${climb.at(-1)!.month}), ${pts(late - early)} between the first and last ${half}-month averages, never dipping more than ${pts(worstDip)} in a month.`,
      };
  }

  // Plateau: the last 3 months within the spread (or within what sampling alone spreads 3 draws
  // of one rate: ~1.65 standard errors of a difference) while the gap is large. A climb whose
  // last 3 months are flat within the spread itself has flattened: a plateau, not a climb.
  const recent = months.slice(-s.plateauMonths);
  if (
    recent.length === s.plateauMonths &&
    recent.every(usable) &&
    gapPoints !== null &&
    gapPoints >= s.plateauMinGap
  ) {
    const resolved = recent.map((m) => m.resolved);
    const rates = recent.map((m) => m.automationRate!);
    const rateSpread = Math.max(...rates) - Math.min(...rates);
    const n = avg(recent.map((m) => m.conversations));
    const noise = 1.65 * s.noiseZ * rateSe(avg(rates), n);
    const flat = climbing
      ? rateSpread <= s.plateauRateSpread
      : rateSpread <= Math.max(s.plateauRateSpread, noise);
    if (flat) {
      climbing = null;
      flags.push({
        kind: 'plateau',
        reason: `Flat for ${recent.length} months (${recent[0]!.month} to ${recent.at(-1)!.month}): ${int(Math.min(...resolved))}–${int(Math.max(...resolved))} resolved/month, automation ${pct(Math.min(...rates))}–${pct(Math.max(...rates))}, while ${pts(gapPoints)} below potential.`,
      });
    }
  }
  if (climbing) flags.push(climbing);

  const last = months.slice(-3).filter((m) => m.conversations >= s.minConversations);
  const before = months.slice(-6, -3).filter((m) => m.conversations >= s.minConversations);
  if (last.length === 3 && before.length === 3) {
    const rateNow = avg(last.map((m) => m.automationRate ?? 0));
    const rateBefore = avg(before.map((m) => m.automationRate ?? 0));
    const cxNow = last.every((m) => m.cxScore !== null) ? avg(last.map((m) => m.cxScore!)) : null;
    const cxBefore = before.every((m) => m.cxScore !== null) ? avg(before.map((m) => m.cxScore!)) : null;
    const reasons: string[] = [];
    const nLast = last.reduce((t, m) => t + m.conversations, 0);
    const nBefore = before.reduce((t, m) => t + m.conversations, 0);
    const p = (rateNow + rateBefore) / 2;
    const dropNoise = s.noiseZ * Math.sqrt(Math.max(p * (1 - p), 0.01) * (1 / nLast + 1 / nBefore));
    if (rateBefore - rateNow >= Math.max(s.decliningRateDrop, dropNoise))
      reasons.push(`automation fell from ${pct(rateBefore)} to ${pct(rateNow)} (3-month averages)`);
    if (cxNow !== null && cxBefore !== null && cxBefore - cxNow >= s.decliningCxDrop)
      reasons.push(`CX score fell from ${cxBefore.toFixed(2)} to ${cxNow.toFixed(2)}`);
    if (reasons.length > 0) {
      flags.push({
        kind: 'declining',
        reason: `${reasons.join('; ').replace(/^./, (c) => c.toUpperCase())}, ${before[0]!.month}–${before.at(-1)!.month} vs ${last[0]!.month}–${last.at(-1)!.month}.`,
      });
    }
  }

  if (windowCx !== null && windowCx < s.lowCx) {
    flags.push({
      kind: 'low_cx',
      reason: `CX score ${windowCx.toFixed(2)} over the last 3 months, below the ${s.lowCx.toFixed(1)} threshold.`,
    });
  }
  return flags;
}
