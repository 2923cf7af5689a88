/** Monthly trend: automation / involvement / resolution as % lines (left axis), volume bars (right). */
import type { MonthFigures } from '../api/server-types.ts';
import { monthLabel } from '../lib/format.ts';
import { countAxis, countValue, pctAxis, pctValue, toPct } from './format.ts';
import { chartBase } from './parts.ts';
import { COLORS, TOOLTIP_BASE } from './theme.ts';
import type { ChartOption } from './types.ts';

export interface TrendInput {
  months: readonly MonthFigures[];
  /** the last month is incomplete (month to date) */
  monthToDate?: boolean;
  /** draw the automation potential as a dashed reference line */
  potential?: number | null;
  /** a phone-width chart: the legend takes two lines, so the plot starts lower */
  narrow?: boolean;
  /** a prospect's export stops within its last month: that month is partial, not month to date */
  partial?: boolean;
  /** a prospect: no AI agent yet, so no rate lines (they would lie flat at 0), only volume and potential */
  noAgent?: boolean;
}

export const TREND_SERIES = {
  automation: 'Automation rate',
  involvement: 'Involvement',
  resolution: 'Resolution',
  volume: 'Conversations',
} as const;

/** What a screen reader hears: the figures month by month, not only what the chart is about. */
export function trendDescription(
  months: readonly MonthFigures[],
  categories: readonly string[],
  noAgent = false,
): string {
  const rate = (v: number | null) => (v == null ? 'none' : pctValue(toPct(v)));
  const byMonth = months.map((m, i) =>
    noAgent
      ? `${categories[i]}: ${countValue(m.conversations)} conversations`
      : `${categories[i]}: automation ${rate(m.automationRate)}, involvement ${rate(m.involvementRate)}, resolution ${rate(m.resolutionRate)}, ${countValue(m.conversations)} conversations`,
  );
  return `Monthly trend over ${months.length} months. ${byMonth.join('; ')}.`;
}

type MarkLabelPosition = 'insideStartTop' | 'insideEndTop' | 'insideStartBottom' | 'insideEndBottom';

/**
 * Where the potential line's label goes so it covers no rate point: at the line's start (left)
 * unless points sit just above the line there, then its end, then below the line. The label runs
 * over the first or last months (more of them on a phone) and a band of the axis above or below
 * the line; the place with the fewest points in that box wins, the earlier one on a tie.
 */
export function potentialLabelPosition(
  rates: readonly (readonly (number | null)[])[],
  potential: number,
  axisMax: number,
  narrow = false,
): MarkLabelPosition {
  const n = Math.max(0, ...rates.map((r) => r.length));
  // the label (~110 px) over a plot of ~1,000 px, or ~300 px on a phone, and ~16 px of ~250
  const months = Math.max(1, Math.ceil(n * (narrow ? 0.4 : 0.15)));
  const band = axisMax * 0.08;
  // a point's marker reaches a little across the line too
  const slack = axisMax * 0.015;
  const hits = (from: number, to: number, lo: number, hi: number) =>
    rates.reduce((t, r) => t + r.slice(from, to).filter((v) => v != null && v >= lo && v <= hi).length, 0);
  const above = [potential - slack, potential + band] as const;
  const below = [potential - band, potential + slack] as const;
  const candidates: [MarkLabelPosition, number][] = [
    ['insideStartTop', hits(0, months, ...above)],
    ['insideEndTop', hits(n - months, n, ...above)],
    ['insideStartBottom', hits(0, months, ...below)],
    ['insideEndBottom', hits(n - months, n, ...below)],
  ];
  return candidates.reduce((best, c) => (c[1] < best[1] ? c : best))[0];
}

export function trendOption({
  months,
  monthToDate = false,
  potential = null,
  narrow = false,
  partial = false,
  noAgent = false,
}: TrendInput): ChartOption {
  const last = months.length - 1;
  const categories = months.map(
    (m, i) =>
      `${monthLabel(m.month, true)}${monthToDate && i === last ? (partial ? ' (partial)' : ' (MTD)') : ''}`,
  );
  const maxRate = Math.max(
    0,
    ...(noAgent
      ? []
      : months.flatMap((m) => [m.automationRate ?? 0, m.involvementRate ?? 0, m.resolutionRate ?? 0])),
    potential ?? 0,
  );
  // the rate axis: to 100 once a rate passes 90%; with a potential, past it (its line drawn inside)
  const roughMax = maxRate > 0.9 ? 100 : potential != null ? Math.ceil(maxRate * 10 + 0.5) * 10 : undefined;
  // ticks every 10 points up to 60, every 20 above, and the top a whole step: ECharts' own step for
  // 0–90 was 20, which left a half step at the top (…, 60, 80, 90%) and the last two labels touching
  const rateStep = roughMax === undefined ? undefined : roughMax <= 60 ? 10 : 20;
  const rateMax =
    roughMax === undefined || rateStep === undefined ? undefined : Math.ceil(roughMax / rateStep) * rateStep;
  const rates = {
    automation: months.map((m) => toPct(m.automationRate)),
    involvement: months.map((m) => toPct(m.involvementRate)),
    resolution: months.map((m) => toPct(m.resolutionRate)),
  };
  const potentialPct = toPct(potential) ?? 0;
  const labelPosition = potentialLabelPosition(
    noAgent ? [] : [rates.automation, rates.involvement, rates.resolution],
    potentialPct,
    rateMax ?? 100,
    narrow,
  );
  const line = (name: string, color: string, values: (number | null)[], width = 2) => ({
    type: 'line' as const,
    name,
    yAxisIndex: 0,
    data: noAgent ? values.map(() => null) : values,
    symbol: 'circle',
    symbolSize: 6,
    showSymbol: months.length <= 18,
    connectNulls: false,
    lineStyle: { width, color },
    itemStyle: { color },
    emphasis: { focus: 'series' as const },
    // a prospect's empty rate lines stay out of the tooltip
    tooltip: noAgent ? { show: false } : { valueFormatter: pctValue },
    z: 3,
  });
  return {
    ...chartBase(trendDescription(months, categories, noAgent)),
    color: [COLORS.automation, COLORS.involvement, COLORS.resolution, COLORS.volume],
    // on a phone the four legend items wrap to a second line, which ran over the axis names
    grid: { left: 8, right: 8, top: narrow ? 66 : 44, bottom: 8, containLabel: true },
    legend: {
      top: 0,
      left: 0,
      icon: 'roundRect',
      itemWidth: 12,
      itemHeight: 8,
      textStyle: { color: COLORS.subtle, fontSize: 12 },
      data: noAgent
        ? [TREND_SERIES.volume]
        : [TREND_SERIES.automation, TREND_SERIES.involvement, TREND_SERIES.resolution, TREND_SERIES.volume],
    },
    tooltip: {
      ...TOOLTIP_BASE,
      trigger: 'axis',
      axisPointer: { type: 'shadow', shadowStyle: { opacity: 0.25 } },
    },
    xAxis: {
      type: 'category',
      data: categories,
      axisTick: { show: false },
      axisLine: { lineStyle: { color: COLORS.axis } },
      axisLabel: { color: COLORS.subtle, hideOverlap: true },
    },
    yAxis: [
      {
        type: 'value',
        name: 'Rate (%)',
        // a prospect has no rate to plot: the axis only places the potential's line (whose label
        // gives its value), so it is not drawn; an empty 0–80% scale read as rates of 0
        show: !noAgent,
        nameTextStyle: { color: COLORS.subtle, align: 'left' },
        min: 0,
        // the potential's line is drawn inside the axis even when every month is far below it
        max: rateMax,
        ...(rateStep !== undefined && { interval: rateStep }),
        axisLabel: { formatter: pctAxis, color: COLORS.subtle },
        splitLine: { lineStyle: { color: COLORS.grid } },
      },
      {
        type: 'value',
        name: 'Conversations',
        nameTextStyle: { color: COLORS.subtle, align: 'right' },
        min: 0,
        axisLabel: { formatter: countAxis, color: COLORS.subtle },
        // the grid lines are the count axis's when the rate axis is not drawn
        splitLine: noAgent ? { lineStyle: { color: COLORS.grid } } : { show: false },
      },
    ],
    series: [
      {
        ...line(TREND_SERIES.automation, COLORS.automation, rates.automation, 3),
        // a prospect's chart has only the count axis: a potential line there read as a volume
        // (58.9% drawn at "84 conversations"); its potential has its own section
        ...(potential != null && !noAgent
          ? {
              markLine: {
                silent: true,
                symbol: 'none',
                lineStyle: { color: COLORS.potential, type: 'dashed', width: 1.5 },
                label: {
                  formatter: `Potential ${pctValue(toPct(potential))}`,
                  // at the end of the line it ran over the latest months, the ones nearest it
                  position: labelPosition,
                  color: COLORS.potential,
                  fontWeight: 600,
                  // readable over a volume bar behind it
                  textBorderColor: '#fff',
                  textBorderWidth: 3,
                },
                data: [{ yAxis: potentialPct }],
              },
            }
          : {}),
      },
      line(TREND_SERIES.involvement, COLORS.involvement, rates.involvement),
      line(TREND_SERIES.resolution, COLORS.resolution, rates.resolution),
      {
        type: 'bar',
        name: TREND_SERIES.volume,
        yAxisIndex: 1,
        barMaxWidth: 28,
        z: 1,
        tooltip: { valueFormatter: countValue },
        data: months.map((m, i) => ({
          value: m.conversations,
          itemStyle: {
            color: monthToDate && i === last ? COLORS.volumeMtd : COLORS.volume,
            borderRadius: [3, 3, 0, 0],
            borderColor: COLORS.volumeEdge,
            borderWidth: 1,
            // the month still running is outlined dashed: its count is not final
            borderType: monthToDate && i === last ? 'dashed' : 'solid',
          },
        })),
        itemStyle: { color: COLORS.volume, borderColor: COLORS.volumeEdge },
      },
    ],
  };
}
