import { describe, expect, it } from 'vitest';
import type { BacktestPointRow } from '../api/server-types.ts';
import {
  actualAt,
  CALIBRATION_SERIES,
  calibrationDescription,
  calibrationOption,
  calibrationRange,
  calibrationSeries,
} from './calibration.ts';

const pt = (over: Partial<BacktestPointRow>): BacktestPointRow => ({
  accountId: 'acme',
  name: 'Acme',
  vertical: 'ecommerce',
  month: '2026-03',
  predicted: 0.5,
  predictedLow: 0.45,
  predictedHigh: 0.6,
  currentRate: 0.4,
  actual3: 0.42,
  actual6: 0.48,
  peak6: 0.48,
  peak3of6: 0.45,
  acted: true,
  ...over,
});

const points = [
  pt({}),
  pt({ accountId: 'beta', name: 'Beta', acted: false, predicted: 0.3, actual3: 0.25, actual6: null }),
  pt({ accountId: 'gamma', name: 'Gamma', acted: false, predicted: 0.71, actual3: 0.5, actual6: 0.55 }),
];

type Tip = { formatter: (p: unknown) => string };

describe('calibrationDescription', () => {
  it('tells a screen reader the figures: points, means and how many fell short', () => {
    // M+6: acme 50 → 48, gamma 71 → 55 (beta has no M+6 yet)
    expect(calibrationDescription(points, 6)).toBe(
      'Predicted potential versus automation rate reached 6 months later for 2 account-months; the diagonal is a perfect prediction. Mean predicted 60.5%, mean reached 51.5%; 2 of 2 points lie below the diagonal (reached less than predicted).',
    );
    expect(calibrationDescription([], 3)).toBe(
      'Predicted potential versus automation rate reached 3 months later for 0 account-months; the diagonal is a perfect prediction.',
    );
  });
});

describe('calibrationSeries', () => {
  it('splits by acted and drops points without an actual at the horizon', () => {
    const h6 = calibrationSeries(points, 6);
    expect(h6.acted.map((p) => p.accountId)).toEqual(['acme']);
    expect(h6.notActed.map((p) => p.accountId)).toEqual(['gamma']);
    expect(calibrationSeries(points, 3).notActed.map((p) => p.accountId)).toEqual(['beta', 'gamma']);
    expect(actualAt(points[1]!, 6)).toBeNull();
  });
  it('uses one range for both axes on 10-point ticks', () => {
    expect(calibrationRange(points, 6)).toEqual({ min: 40, max: 80 });
    expect(calibrationRange(points, 3)).toEqual({ min: 20, max: 80 });
    expect(calibrationRange([], 6)).toEqual({ min: 0, max: 10 });
    expect(calibrationRange([pt({ predicted: 0.97, actual3: 0.02 })], 3)).toEqual({ min: 0, max: 100 });
    expect(calibrationRange([pt({ predicted: 0.5, actual3: 0.5 })], 3)).toEqual({ min: 40, max: 50 });
    // phones: 20-point ticks
    expect(calibrationRange(points, 3, 20)).toEqual({ min: 20, max: 80 });
    expect(calibrationRange([pt({ predicted: 0.55, actual3: 0.15 })], 3, 20)).toEqual({ min: 0, max: 60 });
  });
});

describe('calibrationOption', () => {
  const opt = calibrationOption(points, { horizon: 6 });
  const series = opt.series as Array<{ type: string; name: string; data: Array<{ value: number[] }> }>;

  it('plots predicted (x) vs actual (y) in percent with the y = x line', () => {
    expect(series.map((s) => s.name)).toEqual([
      CALIBRATION_SERIES.acted,
      CALIBRATION_SERIES.notActed,
      CALIBRATION_SERIES.ideal,
    ]);
    expect(series[0]!.data.map((d) => d.value)).toEqual([[50, 48]]);
    expect(series[1]!.data.map((d) => d.value)).toEqual([[71, 55]]);
    expect(series[2]!.type).toBe('line');
    expect(series[2]!.data).toEqual([
      [40, 40],
      [80, 80],
    ]);
    expect((opt.xAxis as { min: number }).min).toBe(40);
    expect((opt.xAxis as { max: number }).max).toBe(80);
    expect((opt.yAxis as { max: number; name: string }).max).toBe(80);
    expect((opt.yAxis as { name: string }).name).toBe('Automation rate reached at M+6 (%)');
  });

  it('switches the y value and axis name with the horizon', () => {
    const h3 = calibrationOption(points, { horizon: 3 });
    const s = h3.series as Array<{ data: Array<{ value: number[] }> }>;
    expect(s[1]!.data.map((d) => d.value)).toEqual([
      [30, 25],
      [71, 50],
    ]);
    expect((h3.yAxis as { name: string }).name).toContain('M+3');
  });

  it('tells account, month, vertical, prediction and error on hover', () => {
    const html = (opt.tooltip as Tip).formatter({ seriesIndex: 1, dataIndex: 0 });
    expect(html).toContain('<strong>Gamma</strong>');
    expect(html).toContain('E-commerce · predicted in Mar 2026');
    expect(html).toContain('Predicted potential: 71.0% (range 45.0% – 60.0%)');
    expect(html).toContain('Reached at M+6: 55.0%');
    expect(html).toContain('Error: −16.0 pts');
    expect(html).toContain('No interventions');
    expect((opt.tooltip as Tip).formatter({ seriesIndex: 2, dataIndex: 0 })).toBe('');
  });
});
