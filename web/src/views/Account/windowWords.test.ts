import { describe, expect, it } from 'vitest';
import { windowLabels, windowWords } from './windowWords.ts';

const window = (from: string, months: number) => ({
  from,
  to: '2026-11',
  months,
  monthsCovered: months - 0.4,
});

describe('windowWords', () => {
  it('says the last 3 months for an account with the whole window', () => {
    expect(
      windowWords({
        window: window('2026-09', 3),
        dataFrom: '2025-01-04T00:00:00Z',
        aiLiveSince: '2025-02-01',
      }),
    ).toBe('the last 3 months');
  });
  it('says when the window starts at the account’s first conversation', () => {
    expect(
      windowWords({ window: window('2026-10', 2), dataFrom: '2026-10-25T08:00:00Z', aiLiveSince: null }),
    ).toBe('this account’s conversations since Oct 2026');
  });
  it('says when the window starts at the first month the AI agent was live all month', () => {
    expect(
      windowWords({
        window: window('2026-10', 2),
        dataFrom: '2026-07-28T08:00:00Z',
        aiLiveSince: '2026-09-20',
      }),
    ).toBe('its months with the AI agent live all month, since Oct 2026: it went live on 20 Sep 2026');
  });
});

describe('windowLabels', () => {
  const customer = { status: 'customer' as const, undated: false };
  it('names the months for an account with the whole window', () => {
    expect(windowLabels({ ...customer, window: window('2026-09', 3), dataFrom: null })).toEqual({
      breakdown: 'Sep ’26 – Nov ’26',
      cx: 'Sep ’26 – Nov ’26',
    });
  });
  it('names a young account’s own months, not "last 3 months"', () => {
    expect(
      windowLabels({ ...customer, window: window('2026-10', 2), dataFrom: '2026-10-25T08:00:00Z' }),
    ).toEqual({ breakdown: 'Oct ’26 – Nov ’26', cx: 'Oct ’26 – Nov ’26' });
  });
  it('scores CX over all three months when the AI agent went live inside them', () => {
    expect(
      windowLabels({ ...customer, window: window('2026-10', 2), dataFrom: '2026-07-28T08:00:00Z' }),
    ).toEqual({ breakdown: 'Oct ’26 – Nov ’26', cx: 'Sep ’26 – Nov ’26' });
  });
  it('counts back across a new year', () => {
    expect(
      windowLabels({ ...customer, window: { from: '2026-01', to: '2026-02', months: 2 }, dataFrom: null }).cx,
    ).toBe('Dec ’25 – Feb ’26');
  });
  it('says the whole export for an undated prospect', () => {
    expect(
      windowLabels({ status: 'prospect', undated: true, window: window('2026-11', 1), dataFrom: null }).cx,
    ).toBe('the whole export (no dates)');
  });
});
