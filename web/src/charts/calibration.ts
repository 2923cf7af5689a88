/**
 * Calibration of the potential model: the potential predicted at month M (x) against the
 * automation rate the account actually reached at M+3 or M+6 (y), with the y = x line. Points are
 * coloured by whether the account then acted on its gaps (made interventions in (M, M+6]).
 */
import type { BacktestPointRow } from '../api/server-types.ts';
import { monthLabel, pct, points as pts, verticalLabel } from '../lib/format.ts';
import { pctAxis, toPct } from './format.ts';
import { chartBase, escapeHtml } from './parts.ts';
import { COLORS, TOOLTIP_BASE } from './theme.ts';
import type { ChartOption } from './types.ts';

export type Horizon = 3 | 6;

export const CALIBRATION_SERIES = {
  acted: 'Acted on gaps',
  notActed: 'Did not act',
  ideal: 'y = x (perfect prediction)',
} as const;

export const CALIBRATION_COLORS = { acted: COLORS.potential, notActed: COLORS.resolution } as const;

export function actualAt(p: BacktestPointRow, horizon: Horizon): number | null {
  return horizon === 3 ? p.actual3 : p.actual6;
}

/** The plotted points per series (only those with an actual at the horizon), in series order. */
export function calibrationSeries(points: readonly BacktestPointRow[], horizon: Horizon) {
  const withActual = points.filter((p) => actualAt(p, horizon) !== null);
  return {
    acted: withActual.filter((p) => p.acted),
    notActed: withActual.filter((p) => !p.acted),
  };
}

/**
 * One range for both axes (in percent, on whole ticks of `step` points: 10, or 20 on phones) that
 * holds every point, so y = x stays the diagonal while the empty corner below the lowest values is cut off.
 */
export function calibrationRange(
  points: readonly BacktestPointRow[],
  horizon: Horizon,
  step = 10,
): { min: number; max: number } {
  let lo = Number.POSITIVE_INFINITY;
  let hi = 0;
  for (const p of points) {
    const a = actualAt(p, horizon);
    if (a === null) continue;
    lo = Math.min(lo, p.predicted, a);
    hi = Math.max(hi, p.predicted, a);
  }
  const max = Math.min(100, Math.max(step, Math.ceil((hi * 100) / step) * step));
  const min = Number.isFinite(lo)
    ? Math.max(0, Math.min(max - step, Math.floor((lo * 100) / step) * step))
    : 0;
  return { min, max };
}

/** The chart in numbers, for a screen reader: how many points, where they sit against the diagonal. */
export function calibrationDescription(points: readonly BacktestPointRow[], horizon: Horizon): string {
  const pairs = points.flatMap((p) => {
    const reached = actualAt(p, horizon);
    return reached == null ? [] : [{ predicted: p.predicted, reached }];
  });
  const base = `Predicted potential versus automation rate reached ${horizon} months later for ${pairs.length} account-months; the diagonal is a perfect prediction.`;
  if (pairs.length === 0) return base;
  const mean = (f: (x: (typeof pairs)[number]) => number) =>
    pairs.reduce((s, x) => s + f(x), 0) / pairs.length;
  const below = pairs.filter((x) => x.reached < x.predicted).length;
  return `${base} Mean predicted ${pct(mean((x) => x.predicted))}, mean reached ${pct(mean((x) => x.reached))}; ${below} of ${pairs.length} points lie below the diagonal (reached less than predicted).`;
}

export function calibrationOption(
  points: readonly BacktestPointRow[],
  { horizon, narrow = false }: { horizon: Horizon; narrow?: boolean },
): ChartOption {
  const { acted, notActed } = calibrationSeries(points, horizon);
  const step = narrow ? 20 : 10;
  const { min, max } = calibrationRange(points, horizon, step);
  const lists = [acted, notActed];
  const dot = (p: BacktestPointRow) => ({
    value: [toPct(p.predicted) ?? 0, toPct(actualAt(p, horizon)) ?? 0],
    name: p.name,
  });
  const axis = (name: string, nameGap: number) => ({
    type: 'value' as const,
    min,
    max,
    interval: step,
    axisLabel: { formatter: pctAxis, color: COLORS.subtle, hideOverlap: true },
    splitLine: { lineStyle: { color: COLORS.grid } },
    name,
    nameLocation: 'middle' as const,
    nameGap,
    nameTextStyle: { color: COLORS.subtle },
  });
  return {
    ...chartBase(calibrationDescription(points, horizon)),
    grid: { left: 20, right: 16, top: 40, bottom: 40, containLabel: true },
    legend: {
      top: 0,
      left: 0,
      itemWidth: 12,
      itemHeight: 8,
      data: [CALIBRATION_SERIES.acted, CALIBRATION_SERIES.notActed, CALIBRATION_SERIES.ideal],
      textStyle: { color: COLORS.subtle },
    },
    tooltip: {
      ...TOOLTIP_BASE,
      trigger: 'item',
      confine: true,
      formatter: (raw: unknown) => {
        const { seriesIndex, dataIndex } = raw as { seriesIndex: number; dataIndex: number };
        const p = lists[seriesIndex]?.[dataIndex];
        if (!p) return '';
        const actual = actualAt(p, horizon);
        return [
          `<strong>${escapeHtml(p.name)}</strong>`,
          `${escapeHtml(verticalLabel(p.vertical))} · predicted in ${monthLabel(p.month)}`,
          `Predicted potential: ${pct(p.predicted)} (range ${pct(p.predictedLow)} – ${pct(p.predictedHigh)})`,
          `Reached at M+${horizon}: ${pct(actual)}`,
          `Error: ${pts(actual === null ? null : actual - p.predicted)}`,
          `Automation at M: ${pct(p.currentRate)}`,
          p.acted ? 'Made interventions in the 6 months after M' : 'No interventions in the 6 months after M',
        ].join('<br/>');
      },
    },
    xAxis: axis('Predicted potential at M (%)', 28),
    yAxis: axis(`Automation rate reached at M+${horizon} (%)`, 42),
    series: [
      {
        type: 'scatter',
        name: CALIBRATION_SERIES.acted,
        symbolSize: narrow ? 6 : 8,
        cursor: 'pointer',
        itemStyle: { color: CALIBRATION_COLORS.acted, opacity: 0.7 },
        emphasis: { scale: 1.6, itemStyle: { opacity: 1 } },
        data: acted.map(dot),
      },
      {
        type: 'scatter',
        name: CALIBRATION_SERIES.notActed,
        symbol: 'diamond',
        symbolSize: narrow ? 7 : 9,
        cursor: 'pointer',
        itemStyle: { color: CALIBRATION_COLORS.notActed, opacity: 0.7 },
        emphasis: { scale: 1.6, itemStyle: { opacity: 1 } },
        data: notActed.map(dot),
      },
      {
        type: 'line',
        name: CALIBRATION_SERIES.ideal,
        silent: true,
        symbol: 'none',
        tooltip: { show: false },
        lineStyle: { color: COLORS.subtle, type: 'dashed', width: 1.2 },
        itemStyle: { color: COLORS.subtle },
        data: [
          [min, min],
          [max, max],
        ],
      },
    ],
  };
}
