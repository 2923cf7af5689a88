import { describe, expect, it } from 'vitest';
import type { CxCurvePoint } from '../api/server-types.ts';
import { CX_CURVE_SERIES, cxCurveDescription, cxCurveOption, FEW_RATINGS } from './cxCurve.ts';

const points: CxCurvePoint[] = [
  { score: 1, rated: 0, meanCsat: null, globalRated: 40, globalMeanCsat: 1.6 },
  { score: 2, rated: 12, meanCsat: 2.5, globalRated: 800, globalMeanCsat: 2.1 },
  { score: 3, rated: 60, meanCsat: 3.2, globalRated: 1800, globalMeanCsat: 3.05 },
  { score: 4, rated: 300, meanCsat: 3.9, globalRated: 3000, globalMeanCsat: 4.0 },
  { score: 5, rated: 80, meanCsat: 4.6, globalRated: 700, globalMeanCsat: 4.5 },
];

type Series = { name: string; data: unknown[] };

describe('cxCurveOption', () => {
  const option = cxCurveOption(points);
  const series = option.series as Series[];
  it('draws the account, every account and the diagonal, bucket by bucket', () => {
    expect(series.map((s) => s.name)).toEqual([
      CX_CURVE_SERIES.account,
      CX_CURVE_SERIES.global,
      CX_CURVE_SERIES.ideal,
    ]);
    expect(series[0]!.data.map((d) => (d as { value: number | null }).value)).toEqual([
      null,
      2.5,
      3.2,
      3.9,
      4.6,
    ]);
    expect(series[1]!.data).toEqual([1.6, 2.1, 3.05, 4.0, 4.5]);
    expect(series[2]!.data).toEqual([1, 2, 3, 4, 5]);
    expect((option.xAxis as { data: string[] }).data).toEqual(['1', '2', '3', '4', '5']);
  });
  it('draws a bucket with few ratings hollow', () => {
    const styles = series[0]!.data.map((d) => (d as { itemStyle: { color: string } }).itemStyle.color);
    expect(points[1]!.rated).toBeLessThan(FEW_RATINGS);
    expect(styles[1]).toBe('#fff');
    expect(styles[3]).not.toBe('#fff');
  });
  it('the tooltip gives the mean and the count of both curves', () => {
    const formatter = (option.tooltip as { formatter: (p: unknown) => string }).formatter;
    const html = formatter([{ dataIndex: 3 }]);
    expect(html).toContain('CX score 4');
    expect(html).toContain('mean rating 3.90 of 5 (300 rated)');
    expect(html).toContain('mean rating 4.00 of 5 (3,000 rated)');
    expect(formatter([{ dataIndex: 0 }])).toContain('This account: no ratings');
  });
  it('describes every bucket for a screen reader', () => {
    expect(cxCurveDescription(points)).toBe(
      'CX calibration curve: score 1: no ratings (all accounts 1.60); score 2: mean rating 2.50 (1–5) over 12 (all accounts 2.10); score 3: mean rating 3.20 (1–5) over 60 (all accounts 3.05); score 4: mean rating 3.90 (1–5) over 300 (all accounts 4.00); score 5: mean rating 4.60 (1–5) over 80 (all accounts 4.50).',
    );
  });
});
