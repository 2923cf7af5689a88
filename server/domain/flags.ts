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
};

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
  const recent = months.slice(-s.plateauMonths);
  if (
    recent.length === s.plateauMonths &&
    recent.every((m) => m.conversations >= s.minConversations && m.automationRate !== null) &&
    gapPoints !== null &&
    gapPoints >= s.plateauMinGap
  ) {
    const resolved = recent.map((m) => m.resolved);
    const rates = recent.map((m) => m.automationRate!);
    const rateSpread = Math.max(...rates) - Math.min(...rates);
    if (rateSpread <= s.plateauRateSpread) {
      flags.push({
        kind: 'plateau',
        reason: `Flat for ${recent.length} months (${recent[0]!.month} to ${recent.at(-1)!.month}): ${int(Math.min(...resolved))}–${int(Math.max(...resolved))} resolved/month, automation ${pct(Math.min(...rates))}–${pct(Math.max(...rates))}, while ${pts(gapPoints)} below potential.`,
      });
    }
  }

  // A climb that has since flattened is a plateau now, not a climb.
  const climb = months.slice(-s.climbingMonths);
  if (
    !flags.some((f) => f.kind === 'plateau') &&
    climb.length === s.climbingMonths &&
    climb.every((m) => m.conversations >= s.minConversations && m.automationRate !== null)
  ) {
    const rates = climb.map((m) => m.automationRate!);
    const half = Math.floor(rates.length / 2);
    const early = avg(rates.slice(0, half));
    const late = avg(rates.slice(-half));
    const worstDip = Math.max(0, ...rates.slice(1).map((r, i) => rates[i]! - r));
    if (late - early >= s.climbingRise && worstDip <= s.climbingMaxDip) {
      flags.push({
        kind: 'climbing',
        reason: `Automation rose from ${pct(rates[0]!)} to ${pct(rates.at(-1)!)} over ${climb.length} months (${climb[0]!.month} to ${climb.at(-1)!.month}), ${pts(late - early)} between the first and last ${half}-month averages, never dipping more than ${pts(worstDip)} in a month.`,
      });
    }
  }

  const last = months.slice(-3).filter((m) => m.conversations >= s.minConversations);
  const before = months.slice(-6, -3).filter((m) => m.conversations >= s.minConversations);
  if (last.length === 3 && before.length === 3) {
    const rateNow = avg(last.map((m) => m.automationRate ?? 0));
    const rateBefore = avg(before.map((m) => m.automationRate ?? 0));
    const cxNow = last.every((m) => m.cxScore !== null) ? avg(last.map((m) => m.cxScore!)) : null;
    const cxBefore = before.every((m) => m.cxScore !== null) ? avg(before.map((m) => m.cxScore!)) : null;
    const reasons: string[] = [];
    if (rateBefore - rateNow >= s.decliningRateDrop)
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
