/**
 * CX calibration curve of one account: mean CSAT per rounded CX score 1–5 (the account's rated
 * conversations) beside the same over every account, against the diagonal where a score of k
 * would mean "rated k on average".
 */
import type { CxCurvePoint } from '../api/server-types.ts';
import { count, score } from '../lib/format.ts';
import { chartBase, chartLegend } from './parts.ts';
import { COLORS, TOOLTIP_BASE } from './theme.ts';
import type { ChartOption } from './types.ts';

export const CX_CURVE_SERIES = {
  account: 'This account',
  global: 'All accounts',
  ideal: 'Score = rating',
} as const;

/** a bucket with fewer ratings than this is drawn hollow: its mean is noisy */
export const FEW_RATINGS = 20;

/** One sentence a screen reader reads out, bucket by bucket. */
export function cxCurveDescription(points: readonly CxCurvePoint[]): string {
  const parts = points.map(
    (p) =>
      `score ${p.score}: ${p.meanCsat == null ? 'no ratings' : `mean rating ${score(p.meanCsat)} (1–5) over ${count(p.rated)}`} (all accounts ${score(p.globalMeanCsat)})`,
  );
  return `CX calibration curve: ${parts.join('; ')}.`;
}

export function cxCurveOption(points: readonly CxCurvePoint[]): ChartOption {
  const tip = (p: CxCurvePoint) =>
    `<strong>CX score ${p.score}</strong><br/>This account: ${
      p.meanCsat == null ? 'no ratings' : `mean rating ${score(p.meanCsat)} of 5 (${count(p.rated)} rated)`
    }<br/>All accounts: ${p.globalMeanCsat == null ? 'no ratings' : `mean rating ${score(p.globalMeanCsat)} of 5 (${count(p.globalRated)} rated)`}`;
  return {
    ...chartBase(cxCurveDescription(points)),
    legend: chartLegend([CX_CURVE_SERIES.account, CX_CURVE_SERIES.global, CX_CURVE_SERIES.ideal]),
    grid: { left: 8, right: 12, top: 52, bottom: 30, containLabel: true },
    tooltip: {
      ...TOOLTIP_BASE,
      trigger: 'axis',
      formatter: (params: unknown) => {
        const first = (params as { dataIndex: number }[])[0];
        const p = first ? points[first.dataIndex] : undefined;
        return p ? tip(p) : '';
      },
    },
    xAxis: {
      type: 'category',
      data: points.map((p) => String(p.score)),
      name: 'CX score (rounded)',
      nameLocation: 'middle',
      nameGap: 28,
      nameTextStyle: { color: COLORS.subtle },
      axisTick: { show: false },
      axisLine: { lineStyle: { color: COLORS.axis } },
      axisLabel: { color: COLORS.subtle },
    },
    yAxis: {
      type: 'value',
      name: 'Mean rating (1–5)',
      nameTextStyle: { color: COLORS.subtle, align: 'left' },
      min: 1,
      max: 5,
      interval: 1,
      axisLabel: { color: COLORS.subtle },
      splitLine: { lineStyle: { color: COLORS.grid } },
    },
    series: [
      {
        type: 'line',
        name: CX_CURVE_SERIES.account,
        connectNulls: false,
        color: COLORS.automation,
        symbolSize: 9,
        data: points.map((p) => ({
          value: p.meanCsat,
          // few ratings: hollow marker, the mean is noisy
          itemStyle:
            p.rated < FEW_RATINGS
              ? { color: '#fff', borderColor: COLORS.automation, borderWidth: 2 }
              : { color: COLORS.automation },
        })),
      },
      {
        type: 'line',
        name: CX_CURVE_SERIES.global,
        color: COLORS.subtle,
        lineStyle: { type: 'dashed' },
        symbolSize: 5,
        data: points.map((p) => p.globalMeanCsat),
      },
      {
        type: 'line',
        name: CX_CURVE_SERIES.ideal,
        color: COLORS.axis,
        lineStyle: { type: 'dotted' },
        symbol: 'none',
        silent: true,
        data: points.map((p) => p.score),
      },
    ],
  };
}
