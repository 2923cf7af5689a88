/** Breakdown bars: current automation vs achievable automation per class or leaf (horizontal). */
import { pct, points } from '../lib/format.ts';
import { pctAxis, pctValue, toPct } from './format.ts';
import { COLORS, FONT, TOOLTIP_BASE } from './theme.ts';
import type { ChartOption } from './types.ts';
import { escapeHtml } from './waterfall.ts';

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
  const max = Math.max(0, ...items.flatMap((i) => [i.current ?? 0, i.achievable]));
  return {
    aria: {
      enabled: true,
      label: {
        description: `Automation rate, current versus achievable: ${items
          .map((i) => `${i.label} ${pct(i.current)} of ${pct(i.achievable)}`)
          .join('; ')}.`,
      },
    },
    textStyle: FONT,
    animationDuration: 300,
    grid: { left: 8, right: 16, top: 32, bottom: 30, containLabel: true },
    legend: {
      top: 0,
      left: 0,
      icon: 'roundRect',
      itemWidth: 12,
      itemHeight: 8,
      data: [BREAKDOWN_SERIES.current, BREAKDOWN_SERIES.achievable],
      textStyle: { color: COLORS.subtle },
    },
    tooltip: {
      ...TOOLTIP_BASE,
      trigger: 'axis',
      axisPointer: { type: 'shadow', shadowStyle: { opacity: 0.25 } },
      formatter: (p: unknown) => {
        const first = Array.isArray(p) ? p[0] : p;
        const i = (first as { dataIndex: number }).dataIndex;
        const it = items[i];
        if (!it) return '';
        return [
          `<strong>${escapeHtml(it.label)}</strong>`,
          `Share of volume: ${pct(it.share)}`,
          `Current automation: ${pct(it.current)}`,
          `Achievable: ${pct(it.achievable)}`,
          `Gap: ${points(it.gapPoints, { signed: false })} of the account’s rate`,
        ].join('<br/>');
      },
    },
    xAxis: {
      type: 'value',
      min: 0,
      max: max > 0.9 ? 100 : undefined,
      splitNumber: narrow ? 3 : 5,
      axisLabel: { formatter: pctAxis, color: COLORS.subtle, hideOverlap: true },
      splitLine: { lineStyle: { color: COLORS.grid } },
      name: 'Automation rate (%)',
      nameLocation: 'middle',
      nameGap: 24,
      nameTextStyle: { color: COLORS.subtle },
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: items.map((i) => i.label),
      axisTick: { show: false },
      axisLine: { lineStyle: { color: COLORS.axis } },
      axisLabel: { color: COLORS.text, width: narrow ? 104 : 150, overflow: 'truncate' },
    },
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
