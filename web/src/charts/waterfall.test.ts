import { describe, expect, it } from 'vitest';
import { waterfallOption, waterfallSteps } from './waterfall.ts';

const actions = [
  {
    rank: 2,
    label: 'WISMO',
    title: 'Connect orders',
    taxonomyId: 'o',
    gainPoints: 0.06,
    cumulativeRate: 0.5,
  },
  {
    rank: 1,
    label: 'Invoices',
    title: 'Write content',
    taxonomyId: 'b',
    gainPoints: 0.04,
    cumulativeRate: 0.44,
  },
];

describe('waterfallSteps', () => {
  it('goes current → each action (ranked) → the rest of the gap → potential', () => {
    const steps = waterfallSteps(0.4, 0.55, actions);
    expect(steps.map((s) => s.kind)).toEqual(['current', 'action', 'action', 'rest', 'potential']);
    expect(steps.map((s) => s.label)).toEqual([
      'Current',
      '1. Invoices',
      '2. WISMO',
      'Rest of the gap',
      'Potential',
    ]);
    expect(steps[1]).toMatchObject({ from: 0.4, to: 0.44, taxonomyId: 'b' });
    expect(steps[2]).toMatchObject({ from: 0.44, to: 0.5 });
    expect(steps[3]!.from).toBe(0.5);
    expect(steps[3]!.to).toBe(0.55);
    expect(steps[4]).toMatchObject({ from: 0, to: 0.55 });
  });
  it('omits the rest step when actions reach the potential and folds long tails', () => {
    expect(waterfallSteps(0.4, 0.5, actions).map((s) => s.kind)).toEqual([
      'current',
      'action',
      'action',
      'potential',
    ]);
    const folded = waterfallSteps(0.4, 0.5, actions, 1);
    expect(folded.map((s) => s.label)).toEqual(['Current', '1. Invoices', '1 more action', 'Potential']);
  });
  it('names the kind of fix beside a topic that has two actions, one per lever', () => {
    const twoLevers = [
      { ...actions[1]!, kind: 'widen_audience' },
      { ...actions[0]!, kind: 'data_connector' },
      { ...actions[0]!, rank: 3, kind: 'widen_audience', cumulativeRate: 0.52 },
    ];
    const labels = { widen_audience: 'Widen audience', data_connector: 'Data connector' } as Record<
      string,
      string
    >;
    expect(waterfallSteps(0.4, 0.55, twoLevers, 8, false, (k) => labels[k]!).map((s) => s.label)).toEqual([
      'Current',
      '1. Invoices',
      '2. WISMO · Data connector',
      '3. WISMO · Widen audience',
      'Rest of the gap',
      'Potential',
    ]);
  });
  it('is empty without a current rate', () => {
    expect(waterfallSteps(null, 0.5, actions)).toEqual([]);
  });
});

describe('waterfallOption', () => {
  it('stacks an invisible base under the visible step and labels values with units', () => {
    const opt = waterfallOption(waterfallSteps(0.4, 0.55, actions));
    const [base, bars] = opt.series as Array<{ data: unknown[]; itemStyle?: { color: string } }>;
    expect(base!.itemStyle!.color).toBe('transparent');
    expect(base!.data).toEqual([0, 40, 44, 50, 0]);
    const values = (bars!.data as Array<{ value: number; label: { formatter: string } }>).map((d) => d.value);
    expect(values).toEqual([40, 4, 6, 5, 55]);
    const labels = (bars!.data as Array<{ label: { formatter: string } }>).map((d) => d.label.formatter);
    expect(labels).toEqual(['40.0%', '+4.0 pts', '+6.0 pts', '+5.0 pts', '55.0%']);
    expect((opt.xAxis as { name: string }).name).toBe('Automation rate (%)');
  });
  it('tooltips escape HTML', () => {
    const opt = waterfallOption(
      waterfallSteps(0.1, 0.2, [
        { rank: 1, label: '<b>', title: 'x', taxonomyId: 't', gainPoints: 0.1, cumulativeRate: 0.2 },
      ]),
    );
    const fmt = (opt.tooltip as { formatter: (p: unknown) => string }).formatter;
    expect(fmt({ dataIndex: 1 })).toContain('&#60;b&#62;');
  });
});

describe('waterfallSteps for a prospect', () => {
  it('starts from "Today (no AI agent)", not from a "Current" rate the page says it does not have', () => {
    const [first] = waterfallSteps(0, 0.5, [], 8, true);
    expect(first).toMatchObject({ kind: 'current', label: 'Today (no AI agent)', from: 0, to: 0 });
    expect(waterfallSteps(0.2, 0.5, [])[0]!.label).toBe('Current');
  });
});

describe('waterfallOption on a phone', () => {
  it('labels the rate axis with bare numbers, so "40" is not dropped between "20" and "60"', () => {
    const steps = waterfallSteps(0.417, 0.658, actions);
    type Axis = { name: string; axisLabel: { formatter: (v: number) => string } };
    const phone = waterfallOption(steps, { narrow: true }).xAxis as Axis;
    expect([0, 20, 40, 60].map(phone.axisLabel.formatter)).toEqual(['0', '20', '40', '60']);
    expect(phone.name).toBe('Automation rate (%)');
    const desktop = waterfallOption(steps).xAxis as Axis;
    expect(desktop.axisLabel.formatter(40)).toBe('40%');
  });
});
