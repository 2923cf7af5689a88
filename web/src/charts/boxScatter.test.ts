import { describe, expect, it } from 'vitest';
import { BOX_SERIES, type BoxItem, boxAxisRange, boxPoints, boxScatterOption } from './boxScatter.ts';

const items: BoxItem[] = [
  {
    key: 'orders.wismo',
    label: 'Where is my order',
    color: '#0ca678',
    spread: { min: 0.2, p25: 0.4, median: 0.5, p75: 0.6, max: 0.9 },
    points: [
      { key: 'acme', name: 'Acme', value: 0.2, detail: '120 conversations' },
      { key: 'beta', name: 'Beta <Co>', value: 0.9 },
      { key: 'delta', name: 'Delta', value: 0.4 },
      { key: 'eps', name: 'Eps', value: 0.6 },
    ],
    lines: ['12 accounts'],
  },
  {
    key: 'billing.invoice',
    label: 'Invoice copy',
    color: '#3b5bdb',
    spread: { min: 0.1, p25: 0.15, median: 0.3, p75: 0.35, max: 0.4 },
    points: [{ key: 'gamma', name: 'Gamma', value: 0.3 }],
  },
];

type Tip = { formatter: (p: unknown) => string };

describe('boxScatterOption (rates)', () => {
  const opt = boxScatterOption(items, { kind: 'rate', axisName: 'Resolution rate (%)' });
  const series = opt.series as Array<{ type: string; name: string; data: Array<{ value: unknown }> }>;

  it('draws a box in percent where there are enough dots, and one dot per account', () => {
    expect(series.map((s) => [s.type, s.name])).toEqual([
      ['boxplot', BOX_SERIES.box],
      ['scatter', BOX_SERIES.points],
    ]);
    // one account's "quartiles" are its own rate: a dot, no box
    expect(series[0]!.data.map((d) => d.value)).toEqual([[20, 40, 50, 60, 90], []]);
    // [x in %, row index]
    expect(series[1]!.data.map((d) => d.value)).toEqual([
      [20, 0],
      [90, 0],
      [40, 0],
      [60, 0],
      [30, 1],
    ]);
    const fmt = (opt.tooltip as Tip).formatter;
    expect(fmt({ seriesIndex: 0, dataIndex: 1 })).toContain('Median 30.0% · 1 dot, too few for a box');
    const y = (opt.yAxis as Array<{ data: string[]; jitter: number }>)[0]!;
    expect(y.data).toEqual(['Where is my order', 'Invoice copy']);
    expect(y.jitter).toBeGreaterThan(0);
  });

  it('uses a 0–100% axis for rates and formats ticks', () => {
    const x = opt.xAxis as { min: number; max: number; axisLabel: { formatter: (v: number) => string } };
    expect([x.min, x.max]).toEqual([0, 100]);
    expect(x.axisLabel.formatter(40)).toBe('40%');
  });

  it('explains boxes and accounts on hover, escaping names', () => {
    const fmt = (opt.tooltip as Tip).formatter;
    const box = fmt({ seriesIndex: 0, dataIndex: 0 });
    expect(box).toContain('<strong>Where is my order</strong>');
    expect(box).toContain('Median 50.0% · middle half 40.0% – 60.0%');
    expect(box).toContain('Range 20.0% – 90.0%');
    expect(box).toContain('12 accounts');
    const dot = fmt({ seriesIndex: 1, dataIndex: 1 });
    expect(dot).toContain('<strong>Beta &#60;Co&#62;</strong>');
    expect(dot).toContain('Where is my order: 90.0%');
    expect(fmt({ seriesIndex: 1, dataIndex: 0 })).toContain('120 conversations');
    expect(fmt({ seriesIndex: 1, dataIndex: 9 })).toBe('');
  });
});

describe('boxScatterOption (lifts)', () => {
  const lifts: BoxItem[] = [
    {
      key: 'k',
      label: 'Data connector · WISMO',
      color: '#0ca678',
      spread: { min: -0.05, p25: 0.1, median: 0.31, p75: 0.4, max: 0.52 },
      points: [{ key: 'a', name: 'A', value: -0.05 }],
    },
  ];
  const opt = boxScatterOption(lifts, { kind: 'lift', axisName: 'Lift (pts)', medianLabels: true });

  it('shows 0 with a zero line and signed point ticks', () => {
    const x = opt.xAxis as { min: number; max: number; axisLabel: { formatter: (v: number) => string } };
    expect([x.min, x.max]).toEqual([-20, 60]);
    expect(x.axisLabel.formatter(20)).toBe('+20');
    expect(x.axisLabel.formatter(-10)).toBe('−10');
    const box = (opt.series as Array<{ markLine?: { data: unknown[] } }>)[0]!;
    expect(box.markLine?.data).toEqual([{ xAxis: 0 }]);
  });

  it('labels medians on a right-hand axis', () => {
    const axes = opt.yAxis as Array<{ position?: string; data: string[] }>;
    expect(axes).toHaveLength(2);
    expect(axes[1]!.position).toBe('right');
    expect(axes[1]!.data).toEqual(['+31.0 pts']);
    expect((opt.tooltip as Tip).formatter({ seriesIndex: 1, dataIndex: 0 })).toContain('−5.0 pts');
  });
});

describe('boxPoints / boxAxisRange', () => {
  it('flattens dots in series order with their row', () => {
    expect(boxPoints(items).map((p) => [p.key, p.item])).toEqual([
      ['acme', 0],
      ['beta', 0],
      ['delta', 0],
      ['eps', 0],
      ['gamma', 1],
    ]);
  });
  it('rounds rate axes up to 10 and keeps 0 in lift axes on whole ticks', () => {
    expect(boxAxisRange([items[1]!], 'rate')).toEqual({ min: 0, max: 40 });
    expect(boxAxisRange([], 'rate')).toEqual({ min: 0, max: 10 });
    expect(boxAxisRange([], 'lift')).toEqual({ min: 0, max: 10, interval: 10 });
    const wide: BoxItem = { ...items[0]!, spread: { min: -0.13, p25: 0, median: 0.3, p75: 0.6, max: 0.82 } };
    expect(boxAxisRange([wide], 'lift')).toEqual({ min: -20, max: 100, interval: 20 });
  });
});
