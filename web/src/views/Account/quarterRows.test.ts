import { describe, expect, it } from 'vitest';
import type { QuarterFigures } from '../../api/server-types.ts';
import { quarterRows } from './quarterRows.ts';

const quarter = (quarter: string, monthsWithData: number, automationRate: number | null): QuarterFigures => {
  const first = (Number(quarter.slice(6)) - 1) * 3 + 1;
  const m = (n: number) => `${quarter.slice(0, 4)}-${String(n).padStart(2, '0')}`;
  const conversations = monthsWithData * 100;
  return {
    quarter,
    from: m(first),
    to: m(first + 2),
    monthsWithData,
    conversations,
    automationRate,
  } as QuarterFigures;
};

describe('quarterRows', () => {
  it('names partial quarters and the change from the quarter before', () => {
    const rows = quarterRows(
      [
        quarter('2025-Q4', 2, 0.4),
        quarter('2026-Q1', 3, null),
        quarter('2026-Q2', 3, 0.5),
        quarter('2026-Q3', 3, 0.55),
        quarter('2026-Q4', 2, 0.6),
      ],
      '2026-11',
      true,
    );
    expect(rows.map((r) => r.label)).toEqual([
      'Q4 2025 (2 of 3 months)',
      'Q1 2026',
      'Q2 2026',
      'Q3 2026',
      'Q4 2026 (to date)',
    ]);
    expect(rows.map((r) => r.automationChange?.toFixed(3) ?? null)).toEqual([
      null,
      null,
      null,
      '0.050',
      '0.050',
    ]);
  });

  it('gives no change across a quarter without conversations (a prospect export skips it)', () => {
    const rows = quarterRows([quarter('2025-Q3', 3, 0.4), quarter('2026-Q1', 3, 0.7)], '2026-03', false);
    expect(rows.map((r) => r.automationChange)).toEqual([null, null]);
  });

  it('says a quiet quarter had no conversations, and gives no change on either side of it', () => {
    const rows = quarterRows(
      [quarter('2024-Q1', 3, 0.4), quarter('2024-Q2', 0, null), quarter('2024-Q3', 3, 0.5)],
      '2024-09',
      false,
    );
    expect(rows.map((r) => r.label)).toEqual(['Q1 2024', 'Q2 2024 (no conversations)', 'Q3 2024']);
    expect(rows.map((r) => r.automationChange)).toEqual([null, null, null]);
  });

  it('names the go-live quarter and gives no change from a quarter the AI agent was not live for all of', () => {
    const rows = quarterRows(
      [quarter('2026-Q2', 3, 0), quarter('2026-Q3', 3, 0.05), quarter('2026-Q4', 2, 0.24)],
      '2026-11',
      true,
      '2026-09-20T00:00:00Z',
    );
    expect(rows.map((r) => r.label)).toEqual([
      'Q2 2026',
      'Q3 2026 (AI live from 20 Sep)',
      'Q4 2026 (to date)',
    ]);
    expect(rows.map((r) => r.automationChange)).toEqual([null, null, null]);
    // live since the quarter before began: its change counts
    const later = quarterRows(
      [quarter('2026-Q3', 3, 0.05), quarter('2026-Q4', 2, 0.24)],
      '2026-11',
      true,
      '2026-07-01',
    );
    expect(later[1]!.automationChange).toBeCloseTo(0.19, 12);
  });

  it('says a go-live after the current month is still to come', () => {
    const rows = quarterRows([quarter('2025-Q1', 1, 0)], '2025-01', true, '2025-03-01');
    expect(rows[0]!.label).toBe('Q1 2025 (to date; AI to go live on 1 Mar)');
    // later in the month in progress, after the data's last day: still to come
    const later = quarterRows(
      [quarter('2026-Q4', 2, 0)],
      '2026-11',
      true,
      '2026-11-25',
      '2026-11-18T15:00:00Z',
    );
    expect(later[0]!.label).toBe('Q4 2026 (to date; AI to go live on 25 Nov)');
    const past = quarterRows(
      [quarter('2026-Q4', 2, 0)],
      '2026-11',
      true,
      '2026-11-05',
      '2026-11-18T15:00:00Z',
    );
    expect(past[0]!.label).toBe('Q4 2026 (to date; AI live from 5 Nov)');
    // a quarter in progress without conversations has none so far
    expect(quarterRows([quarter('2026-Q4', 0, null)], '2026-11', true)[0]!.label).toBe(
      'Q4 2026 (no conversations so far)',
    );
  });

  it('reads a quarter whose last month is complete as whole', () => {
    expect(quarterRows([quarter('2026-Q3', 3, 0.5)], '2026-09', false)[0]!.label).toBe('Q3 2026');
    expect(quarterRows([quarter('2026-Q3', 3, 0.5)], '2026-09', true)[0]!.label).toBe('Q3 2026 (to date)');
    expect(quarterRows([quarter('2026-Q3', 2, 0.5)], '2026-08', false)[0]!.label).toBe('Q3 2026 (to date)');
  });
});
