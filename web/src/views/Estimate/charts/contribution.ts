/**
 * What the prospect's potential is made of: per automation class or topic, the points it adds to
 * the automation rate, as one horizontal bar split at its low / expected / high values:
 * solid up to the low end, medium up to the expected value, light up to the high end.
 */
import { toPct } from '../../../charts/format.ts';
import {
  axisTooltip,
  barEndLabel,
  categoryYAxis,
  chartBase,
  chartLegend,
  escapeHtml,
  valueXAxis,
} from '../../../charts/parts.ts';
import { COLORS } from '../../../charts/theme.ts';
import type { ChartOption } from '../../../charts/types.ts';
import { count, pct, points } from '../../../lib/format.ts';

export interface ContributionBar {
  key: string;
  label: string;
  color: string;
  /** share of the prospect's volume */
  share: number;
  /** expected automation rate of the item (null: no volume) */
  rate: number | null;
  points: number;
  pointsLow: number;
  pointsHigh: number;
  /** automated conversations per month expected */
  expectedConversations: number;
}

export const CONTRIBUTION_SERIES = {
  low: 'Low end',
  expected: 'Expected',
  high: 'High end',
} as const;

/** The three stacked segments of a bar, in percent points (rounded to 0.1, never negative). */
export function contributionSegments(b: Pick<ContributionBar, 'points' | 'pointsLow' | 'pointsHigh'>) {
  const low = toPct(Math.max(0, b.pointsLow)) ?? 0;
  const mid = toPct(Math.max(b.pointsLow, b.points)) ?? 0;
  const high = toPct(Math.max(b.pointsLow, b.points, b.pointsHigh)) ?? 0;
  const r = (x: number) => Math.round(x * 10) / 10;
  return { low, expected: r(mid - low), high: r(high - mid) };
}

/** `rgba()` of a `#rrggbb` color. */
export function alpha(hex: string, a: number): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return hex;
  return `rgba(${Number.parseInt(m[1]!, 16)}, ${Number.parseInt(m[2]!, 16)}, ${Number.parseInt(m[3]!, 16)}, ${a})`;
}

export function contributionOption(items: readonly ContributionBar[], { narrow = false } = {}): ChartOption {
  const segs = items.map(contributionSegments);
  const label = (i: number) => points(items[i]?.points ?? 0, { signed: true });
  return {
    ...chartBase(
      `Points each item adds to the predicted automation rate: ${items
        .map((i) => `${i.label} ${points(i.points)} (${points(i.pointsLow)} to ${points(i.pointsHigh)})`)
        .join('; ')}.`,
    ),
    grid: { left: 8, right: 64, top: 32, bottom: 30, containLabel: true },
    legend: chartLegend([CONTRIBUTION_SERIES.low, CONTRIBUTION_SERIES.expected, CONTRIBUTION_SERIES.high]),
    tooltip: axisTooltip(items, (it) => [
      `<strong>${escapeHtml(it.label)}</strong>`,
      `Share of volume: ${pct(it.share)}`,
      `Expected automation: ${pct(it.rate)}`,
      `Adds ${points(it.points, { signed: false })} (range ${points(it.pointsLow, { signed: false })} – ${points(it.pointsHigh, { signed: false })})`,
      `≈ ${count(it.expectedConversations)} automated conversations / month`,
    ]),
    xAxis: valueXAxis({ name: 'Points of automation rate', narrow, formatter: (v: number) => `${v}` }),
    yAxis: categoryYAxis(
      items.map((i) => i.label),
      { narrow },
    ),
    series: [
      {
        type: 'bar',
        name: CONTRIBUTION_SERIES.low,
        stack: 'points',
        barMaxWidth: 18,
        cursor: 'pointer',
        itemStyle: { color: COLORS.subtle },
        data: items.map((it, i) => ({ value: segs[i]!.low, itemStyle: { color: it.color } })),
      },
      {
        type: 'bar',
        name: CONTRIBUTION_SERIES.expected,
        stack: 'points',
        cursor: 'pointer',
        itemStyle: { color: alpha(COLORS.subtle, 0.55) },
        data: items.map((it, i) => ({
          value: segs[i]!.expected,
          itemStyle: { color: alpha(it.color, 0.55) },
        })),
      },
      {
        type: 'bar',
        name: CONTRIBUTION_SERIES.high,
        stack: 'points',
        cursor: 'pointer',
        itemStyle: { color: alpha(COLORS.subtle, 0.2) },
        data: items.map((it, i) => ({
          value: segs[i]!.high,
          itemStyle: { color: alpha(it.color, 0.2), borderRadius: [0, 3, 3, 0] },
          label: barEndLabel(label(i)),
        })),
      },
    ],
  };
}
