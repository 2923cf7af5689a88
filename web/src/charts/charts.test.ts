import { describe, expect, it } from 'vitest';
import { BREAKDOWN_SERIES, breakdownOption } from './breakdown.ts';
import { cxDistributionOption } from './cxDistribution.ts';
import { twoLineLabel } from './parts.ts';
import { sparkline } from './sparkline.ts';

describe('breakdownOption', () => {
  const opt = breakdownOption([
    {
      key: 'a',
      label: 'Informational',
      share: 0.6,
      current: 0.54,
      achievable: 0.7,
      gapPoints: 0.096,
      color: '#123',
    },
    { key: 'b', label: 'Human', share: 0.4, current: null, achievable: 0.06, gapPoints: 0.004 },
  ]);
  const series = opt.series as Array<{ name: string; data: unknown[] }>;
  it('has current vs achievable series in percent, keyed by the view rather than a canvas legend', () => {
    expect(series.map((s) => s.name)).toEqual([BREAKDOWN_SERIES.current, BREAKDOWN_SERIES.achievable]);
    expect((series[0]!.data as Array<{ value: number | null }>).map((d) => d.value)).toEqual([54, null]);
    expect(series[1]!.data).toEqual([70, 6]);
    expect(opt.legend).toBeUndefined();
    expect((opt.yAxis as { data: string[] }).data).toEqual(['Informational', 'Human']);
  });
  it('explains a bar in the tooltip', () => {
    const fmt = (opt.tooltip as { formatter: (p: unknown) => string }).formatter;
    const html = fmt([{ dataIndex: 0 }]);
    expect(html).toContain('Share of volume: 60.0%');
    expect(html).toContain('Gap: 9.6 pts');
    expect(fmt([{ dataIndex: 1 }])).toContain('Current automation: —');
  });
});

describe('cxDistributionOption', () => {
  it('fills missing scores with zero and labels shares', () => {
    const opt = cxDistributionOption([
      { score: 5, conversations: 30 },
      { score: 1, conversations: 10 },
    ]);
    const data = (opt.series as Array<{ data: Array<{ value: number; label: { formatter: string } }> }>)[0]!
      .data;
    expect(data.map((d) => d.value)).toEqual([10, 0, 0, 0, 30]);
    expect(data[0]!.label.formatter).toBe('25.0%');
    expect((opt.xAxis as { name: string }).name).toBe('CX score');
    expect((opt.yAxis as { name: string }).name).toBe('Conversations');
  });
});

describe('sparkline', () => {
  it('splits segments at nulls and tracks the last point', () => {
    const g = sparkline([0.1, 0.2, null, 0.3], 32, 10, 1);
    expect(g.path).toBe('M1 9L11 5M31 1');
    expect(g.last).toEqual({ x: 31, y: 1 });
    expect(g.direction).toBe('up');
    expect(g.min).toBe(0.1);
    expect(g.max).toBe(0.3);
  });
  it('handles flat, single and empty series', () => {
    expect(sparkline([0.5, 0.5], 10, 10).direction).toBe('flat');
    expect(sparkline([0.5, 0.5], 10, 10).path).toBe('M2 5L8 5');
    expect(sparkline([0.4], 10, 10).direction).toBe('none');
    expect(sparkline([null, null], 10, 10)).toEqual({
      path: '',
      tail: '',
      last: null,
      direction: 'none',
      min: null,
      max: null,
    });
    expect(sparkline([0.5, 0.3], 10, 10).direction).toBe('down');
  });
  it('draws the month in progress apart and leaves it out of the colour', () => {
    // dunmore-outdoor: climbing through October, November's first 18 days lower
    const g = sparkline([0.6, 0.7, 0.5], 22, 10, 1, 0.005, true);
    expect(g.direction).toBe('up');
    expect(g.path).toBe('M1 5L11 1');
    expect(g.tail).toBe('M11 1L21 9');
    expect(g.last).toEqual({ x: 21, y: 9 });
    expect(sparkline([0.6, 0.7, 0.5], 22, 10, 1).direction).toBe('down');
    expect(sparkline([0.6, 0.7, 0.5], 22, 10, 1).tail).toBe('');
    // after a gap the month in progress is its dot alone; with one complete month there is no direction
    expect(sparkline([0.6, null, 0.5], 22, 10, 1, 0.005, true).tail).toBe('');
    expect(sparkline([0.6, 0.5], 22, 10, 1, 0.005, true).direction).toBe('none');
  });
});

describe('twoLineLabel', () => {
  it('keeps a label that fits and wraps by words onto a second line', () => {
    expect(twoLineLabel('Return policy', 16)).toBe('Return policy');
    expect(twoLineLabel('Discounts and promo codes', 16)).toBe('Discounts and\npromo codes');
  });
  it('marks what a third line would hold with an ellipsis instead of dropping it silently', () => {
    expect(twoLineLabel('Product suggestion or review', 16)).toBe('Product\nsuggestion or…');
    expect(twoLineLabel('Emails or notifications not arriving at all', 24)).toBe(
      'Emails or notifications\nnot arriving at all',
    );
    expect(twoLineLabel('Supercalifragilisticexpialidocious word', 10)).toBe('Supercali…\nword');
  });
});
