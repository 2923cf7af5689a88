import { describe, expect, it } from 'vitest';
import { emptyCounts } from '../server/domain/metrics.ts';
import { byQuarter, quarterOf } from '../server/domain/quarters.ts';

const month = (m: string, conversations: number, resolved: number) => ({
  ...emptyCounts(),
  month: m,
  conversations,
  involved: conversations,
  resolved,
});

describe('byQuarter', () => {
  it('sums counts per calendar quarter and reads the rates from the sums', () => {
    const q = byQuarter([month('2026-02', 100, 50), month('2026-01', 300, 90), month('2026-04', 10, 10)]);
    expect(q.map((x) => [x.quarter, x.from, x.to, x.conversations, x.monthsWithData])).toEqual([
      ['2026-Q1', '2026-01', '2026-03', 400, 2],
      ['2026-Q2', '2026-04', '2026-06', 10, 1],
    ]);
    // 140 / 400, not the mean of 0.5 and 0.3
    expect(q[0]!.automationRate).toBe(0.35);
    expect(quarterOf('2026-12')).toBe('2026-Q4');
  });

  it('keeps a quiet quarter as a row of zeros, and runs on to the current month', () => {
    const q = byQuarter([month('2024-03', 50, 10), month('2024-07', 40, 20)], '2025-01');
    expect(q.map((x) => [x.quarter, x.conversations, x.monthsWithData])).toEqual([
      ['2024-Q1', 50, 1],
      ['2024-Q2', 0, 0],
      ['2024-Q3', 40, 1],
      ['2024-Q4', 0, 0],
      ['2025-Q1', 0, 0],
    ]);
    expect(q[1]!.automationRate).toBeNull();
    // a month row of zeros (the month list's empty months) is not a month with data
    expect(byQuarter([month('2024-01', 5, 1), month('2024-02', 0, 0)])[0]!.monthsWithData).toBe(1);
    expect(byQuarter([], '2025-01')).toEqual([]);
  });
});
