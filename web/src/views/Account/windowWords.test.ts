import { describe, expect, it } from 'vitest';
import { windowWords } from './windowWords.ts';

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
