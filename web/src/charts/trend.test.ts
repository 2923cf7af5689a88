import { describe, expect, it } from 'vitest';
import { month } from '../test/fixtures.ts';
import { potentialLabelPosition, TREND_SERIES, trendOption } from './trend.ts';

const months = [
  month('2026-01', { automationRate: 0.3, conversations: 900 }),
  month('2026-02', { automationRate: null, involvementRate: null, resolutionRate: null, conversations: 0 }),
  month('2026-03', { automationRate: 0.4237, conversations: 1200 }),
];

describe('trendOption', () => {
  const opt = trendOption({ months, monthToDate: true, potential: 0.55 });
  const series = opt.series as Array<Record<string, unknown>>;

  it('has rate lines on the % axis and volume bars on the count axis', () => {
    expect(series.map((s) => s.type)).toEqual(['line', 'line', 'line', 'bar']);
    expect(series.map((s) => s.yAxisIndex)).toEqual([0, 0, 0, 1]);
    const axes = opt.yAxis as Array<{ name: string; axisLabel: { formatter: (v: number) => string } }>;
    expect(axes[0]!.name).toBe('Rate (%)');
    expect(axes[1]!.name).toBe('Conversations');
    expect(axes[0]!.axisLabel.formatter(40)).toBe('40%');
    expect(axes[1]!.axisLabel.formatter(2000)).toBe('2K');
  });

  it('converts fractions to percents, keeps nulls as gaps', () => {
    expect(series[0]!.data).toEqual([30, null, 42.4]);
    expect(series[0]!.connectNulls).toBe(false);
  });

  it('labels months, marks month to date and has a legend', () => {
    expect((opt.xAxis as { data: string[] }).data).toEqual(['Jan ’26', 'Feb ’26', 'Mar ’26 (MTD)']);
    expect((opt.legend as { data: string[] }).data).toEqual(Object.values(TREND_SERIES));
  });

  it('outlines every volume bar at 3:1 against white, the month still running dashed', () => {
    const bars = series[3]!.data as Array<{ itemStyle: { borderColor: string; borderType: string } }>;
    expect(bars.map((b) => b.itemStyle.borderColor)).toEqual(['#8a94a6', '#8a94a6', '#8a94a6']);
    expect(bars.map((b) => b.itemStyle.borderType)).toEqual(['solid', 'solid', 'dashed']);
  });

  it('keeps the potential inside the rate axis, and draws neither rate lines nor a potential line for a prospect', () => {
    // rates up to 80% and a potential of 61%: the axis runs to 100 in steps of 20 (to 90 it ended
    // on a half step, …, 60, 80, 90%)
    const low = trendOption({ months, potential: 0.61 });
    expect((low.yAxis as { max?: number; interval?: number }[])[0]).toMatchObject({ max: 100, interval: 20 });
    // low rates: steps of 10, the top a whole step above the potential
    const small = trendOption({
      months: months.map((m) => ({
        ...m,
        automationRate: m.automationRate && 0.2,
        involvementRate: m.involvementRate && 0.3,
        resolutionRate: m.resolutionRate && 0.25,
      })),
      potential: 0.42,
    });
    expect((small.yAxis as { max?: number; interval?: number }[])[0]).toMatchObject({
      max: 50,
      interval: 10,
    });
    const prospect = trendOption({ months, potential: 0.61, partial: true, noAgent: true });
    const series = prospect.series as { type: string; data: unknown[]; markLine?: unknown }[];
    for (const s of series.filter((x) => x.type === 'line'))
      expect(s.data.every((v) => v === null)).toBe(true);
    // only the count axis is drawn: a potential line on it would read as a number of conversations
    expect(series[0]!.markLine).toBeUndefined();
    expect(JSON.stringify(prospect)).not.toMatch(/Potential/);
    expect((prospect.legend as { data: string[] }).data).toEqual(['Conversations']);
    for (const s of series.filter((x) => x.type === 'line'))
      expect(s).toMatchObject({ tooltip: { show: false } });
    expect(JSON.stringify(prospect)).not.toMatch(/automation 0|involvement/);
  });

  it('calls a prospect’s last month partial, not month to date', () => {
    const p = trendOption({ months, monthToDate: true, partial: true });
    expect((p.xAxis as { data: string[] }).data.at(-1)).toBe('Mar ’26 (partial)');
  });

  it('starts the plot below a legend that wraps on a phone', () => {
    expect((opt.grid as { top: number }).top).toBe(44);
    expect((trendOption({ months, narrow: true }).grid as { top: number }).top).toBe(66);
  });

  it('gives screen readers the figures month by month', () => {
    const aria = opt.aria as { label: { description: string } };
    expect(aria.label.description).toBe(
      'Monthly trend over 3 months. Jan ’26: automation 30.0%, involvement 80.0%, resolution 50.0%, 900 conversations; Feb ’26: automation none, involvement none, resolution none, 0 conversations; Mar ’26 (MTD): automation 42.4%, involvement 80.0%, resolution 50.0%, 1,200 conversations.',
    );
  });

  it('formats tooltip values with units', () => {
    const fmt = (series[0]!.tooltip as { valueFormatter: (v: unknown) => string }).valueFormatter;
    expect(fmt(42.4)).toBe('42.4%');
    expect(fmt(null)).toBe('—');
    const volFmt = (series[3]!.tooltip as { valueFormatter: (v: unknown) => string }).valueFormatter;
    expect(volFmt(1200)).toBe('1,200');
  });

  it('draws the potential as a reference line', () => {
    const ml = series[0]!.markLine as { data: Array<{ yAxis: number }> };
    expect(ml.data[0]!.yAxis).toBe(55);
    expect(trendOption({ months }).series).toBeDefined();
    expect((trendOption({ months }).series as Array<Record<string, unknown>>)[0]!.markLine).toBeUndefined();
  });
});

describe('the potential line’s label', () => {
  const rising = [
    month('2026-01', { automationRate: 0.25, involvementRate: 0.6, resolutionRate: 0.4 }),
    month('2026-02', { automationRate: 0.25, involvementRate: 0.6, resolutionRate: 0.4 }),
    month('2026-03', { automationRate: 0.4, involvementRate: 0.7, resolutionRate: 0.55 }),
    month('2026-04', { automationRate: 0.6, involvementRate: 0.9, resolutionRate: 0.7 }),
    month('2026-05', { automationRate: 0.74, involvementRate: 0.93, resolutionRate: 0.79 }),
    month('2026-06', { automationRate: 0.75, involvementRate: 0.94, resolutionRate: 0.8 }),
  ];
  const labelOf = (o: ReturnType<typeof trendOption>) =>
    (o.series as Array<{ markLine?: { label: { position: string } } }>)[0]!.markLine!.label.position;

  it('sits at the start of the line when the latest months reach it (the audit: Mossgrove at 74.9%)', () => {
    expect(labelOf(trendOption({ months: rising, potential: 0.749 }))).toBe('insideStartTop');
  });

  it('moves to the end, or below the line, where the start has points in its way', () => {
    // rates that fall from the potential: the start is crowded, the end clear
    expect(labelOf(trendOption({ months: [...rising].reverse(), potential: 0.749 }))).toBe('insideEndTop');
    // points just above the line at both ends, none just below it at the start
    expect(potentialLabelPosition([[78, 50, 50, 50, 50, 78]], 75, 100)).toBe('insideStartBottom');
    // on a phone the label runs over more months: a point three months in counts
    expect(potentialLabelPosition([[50, 50, 78, 50, 50, 50]], 75, 100)).toBe('insideStartTop');
    expect(potentialLabelPosition([[50, 50, 78, 50, 50, 50]], 75, 100, true)).toBe('insideEndTop');
    // every place as crowded: the start, above the line
    expect(potentialLabelPosition([[76, 50, 50, 50, 50, 76]], 75, 100)).toBe('insideStartTop');
  });

  it('leaves a prospect’s rate axis undrawn (no rate to plot) and draws the grid on the count axis', () => {
    const prospect = trendOption({ months: rising, potential: 0.7, noAgent: true });
    const axes = prospect.yAxis as Array<{ show?: boolean; splitLine: { show?: boolean } }>;
    expect(axes[0]!.show).toBe(false);
    expect(axes[1]!.splitLine.show).not.toBe(false);
    const customer = trendOption({ months: rising, potential: 0.7 });
    const caxes = customer.yAxis as Array<{ show?: boolean; splitLine: { show?: boolean } }>;
    expect(caxes[0]!.show).toBe(true);
    expect(caxes[1]!.splitLine.show).toBe(false);
  });
});
