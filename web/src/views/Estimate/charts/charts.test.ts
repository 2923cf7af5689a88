import { describe, expect, it } from 'vitest';
import { alpha, type ContributionBar, contributionOption, contributionSegments } from './contribution.ts';
import { type RoadmapAction, roadmapOption, roadmapSteps } from './roadmap.ts';

type Series = { name?: string; stack?: string; data: unknown[] }[];
const cellValue = (d: unknown) => (typeof d === 'object' && d !== null ? (d as { value: number }).value : d);

const bars: ContributionBar[] = [
  {
    key: 'informational',
    label: 'Informational',
    color: '#3b5bdb',
    share: 0.5,
    rate: 0.8,
    points: 0.4,
    pointsLow: 0.3,
    pointsHigh: 0.45,
    expectedConversations: 400,
  },
  {
    key: 'action',
    label: 'Action <b>',
    color: '#f08c00',
    share: 0.5,
    rate: 0.2,
    points: 0.1,
    pointsLow: 0.05,
    pointsHigh: 0.2,
    expectedConversations: 100,
  },
];

describe('contribution chart', () => {
  it('splits each bar at low / expected / high, in points', () => {
    expect(contributionSegments(bars[0]!)).toEqual({ low: 30, expected: 10, high: 5 });
    // out-of-order input never gives negative segments
    expect(contributionSegments({ points: 0.1, pointsLow: 0.2, pointsHigh: 0.15 })).toEqual({
      low: 20,
      expected: 0,
      high: 0,
    });
  });

  it('stacks three series whose sum is the high end', () => {
    const o = contributionOption(bars);
    const series = o.series as Series;
    expect(series.map((s) => s.stack)).toEqual(['points', 'points', 'points']);
    expect(series.map((s) => s.name)).toEqual(['Low end', 'Expected', 'High end']);
    const total = (i: number) => series.reduce((sum, s) => sum + Number(cellValue(s.data[i])), 0);
    expect(total(0)).toBeCloseTo(45);
    expect(total(1)).toBeCloseTo(20);
    expect((o.yAxis as { data: string[] }).data).toEqual(['Informational', 'Action <b>']);
    expect(JSON.stringify(o.aria)).toContain('Informational +40.0 pts (+30.0 pts to +45.0 pts)');
  });

  it('escapes labels in the tooltip', () => {
    const o = contributionOption(bars);
    const fmt = (o.tooltip as { formatter: (p: unknown) => string }).formatter;
    const html = fmt([{ dataIndex: 1 }]);
    expect(html).toContain('Action &#60;b&#62;');
    expect(html).toContain('range 5.0 pts – 20.0 pts');
    expect(html).toContain('≈ 100 automated conversations / month');
    expect(fmt([{ dataIndex: 9 }])).toBe('');
  });

  it('makes translucent class colors', () => {
    expect(alpha('#3b5bdb', 0.5)).toBe('rgba(59, 91, 219, 0.5)');
    expect(alpha('red', 0.5)).toBe('red');
  });
});

const actions: RoadmapAction[] = [
  {
    rank: 2,
    label: 'Refunds',
    title: 'Build a procedure',
    taxonomyId: 'billing.refund',
    gainPoints: 0.1,
    gainConversations: 50,
    cumulativeRate: 0.35,
  },
  {
    rank: 1,
    label: 'Where is my order',
    title: 'Connect order data',
    taxonomyId: 'orders.wismo',
    gainPoints: 0.25,
    gainConversations: 120,
    cumulativeRate: 0.25,
  },
];

describe('roadmap chart', () => {
  it('goes from 0 through the ranked actions and the rest to the potential', () => {
    const steps = roadmapSteps(actions, 0.6, 300);
    expect(steps.map((s) => [s.kind, s.label, s.from, s.to])).toEqual([
      ['action', '1. Where is my order', 0, 0.25],
      ['action', '2. Refunds', 0.25, 0.35],
      ['rest', 'Other topics', 0.35, 0.6],
      ['potential', 'Potential', 0, 0.6],
    ]);
    expect(steps[2]!.conversations).toBe(130);
  });

  it('has no rest step when the actions reach the potential, and nothing without a potential', () => {
    expect(roadmapSteps(actions, 0.35, 170).map((s) => s.kind)).toEqual(['action', 'action', 'potential']);
    expect(roadmapSteps(actions, null, 0)).toEqual([]);
    expect(roadmapSteps([], 0.5, 10).map((s) => s.kind)).toEqual(['rest', 'potential']);
  });

  it('draws floating bars: a transparent base plus the step', () => {
    const steps = roadmapSteps(actions, 0.6, 300);
    const series = roadmapOption(steps).series as Series;
    expect(series[0]!.data).toEqual([0, 25, 35, 0]);
    expect(series[1]!.data.map(cellValue)).toEqual([25, 10, 25, 60]);
    const fmt = (roadmapOption(steps).tooltip as { formatter: (p: unknown) => string }).formatter;
    expect(fmt({ dataIndex: 1 })).toContain('+10.0 pts → 35.0%');
    expect(fmt({ dataIndex: 1 })).toContain('≈ 50 conversations / month');
  });
});
