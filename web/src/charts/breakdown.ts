/** Breakdown bars: current automation vs achievable automation per class or leaf (horizontal). */
import { pct, points } from '../lib/format.ts';
import { pctValue, toPct } from './format.ts';
import { axisTooltip, categoryYAxis, chartBase, escapeHtml, pctMax, valueXAxis } from './parts.ts';
import { COLORS } from './theme.ts';
import type { ChartOption } from './types.ts';

export interface BreakdownBar {
  key: string;
  label: string;
  /** color of the current bar (class color) */
  color?: string;
  share: number;
  current: number | null;
  achievable: number;
  gapPoints: number;
}

export const BREAKDOWN_SERIES = { current: 'Current automation', achievable: 'Achievable' } as const;

export function breakdownOption(items: readonly BreakdownBar[], { narrow = false } = {}): ChartOption {
  return {
    ...chartBase(
      `Automation rate, current versus achievable: ${items
        .map((i) => `${i.label} ${pct(i.current)} of ${pct(i.achievable)}`)
        .join('; ')}.`,
    ),
    // no canvas legend: its one swatch for "current" was grey, the Human class's colour, while the
    // bars take their class's colour (a browser audit read grey bars as "current"); the view's key
    // above the chart names the class colours and the dashed achievable bar
    grid: { left: 8, right: 16, top: 8, bottom: 30, containLabel: true },
    tooltip: axisTooltip(items, (it) => [
      `<strong>${escapeHtml(it.label)}</strong>`,
      `Share of volume: ${pct(it.share)}`,
      `Current automation: ${pct(it.current)}`,
      `Achievable: ${pct(it.achievable)}`,
      `Gap: ${points(it.gapPoints, { signed: false })} of the account’s rate`,
    ]),
    xAxis: valueXAxis({
      name: 'Automation rate (%)',
      narrow,
      max: pctMax(items.flatMap((i) => [i.current ?? 0, i.achievable])),
    }),
    yAxis: categoryYAxis(
      items.map((i) => i.label),
      { narrow, width: 150 },
    ),
    series: [
      {
        type: 'bar',
        name: BREAKDOWN_SERIES.current,
        barGap: '15%',
        barMaxWidth: 14,
        cursor: 'pointer',
        // legend swatch is neutral: each bar takes its automation-class color
        itemStyle: { color: COLORS.subtle, borderRadius: 2 },
        tooltip: { valueFormatter: pctValue },
        data: items.map((i) => ({
          value: toPct(i.current),
          itemStyle: { color: i.color ?? COLORS.automation, borderRadius: 2 },
        })),
      },
      {
        type: 'bar',
        name: BREAKDOWN_SERIES.achievable,
        barMaxWidth: 14,
        cursor: 'pointer',
        itemStyle: {
          color: COLORS.headroom,
          borderColor: COLORS.automation,
          borderWidth: 1,
          borderType: 'dashed',
          borderRadius: 2,
        },
        tooltip: { valueFormatter: pctValue },
        data: items.map((i) => toPct(i.achievable)),
      },
    ],
  };
}
