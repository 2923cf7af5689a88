import { describe, expect, it } from 'vitest';
import { rollUpClasses } from '../server/domain/breakdown.ts';
import {
  accountWindow,
  addMonths,
  awaitingLive,
  type ConversationOutcome,
  countConversation,
  emptyCounts,
  firstLiveMonth,
  isMonthToDate,
  liveWindow,
  monthOf,
  monthsCovered,
  parseTimestamp,
  rates,
} from '../server/domain/metrics.ts';
import type { AutomationClass } from '../server/domain/types.ts';

function tally(list: ConversationOutcome[]) {
  const c = emptyCounts();
  for (const conv of list) countConversation(c, conv);
  return c;
}

describe('SPEC §1 metric definitions', () => {
  it('resolved = involved, confirmed or assumed, and not reopened', () => {
    const c = tally([
      { aiInvolved: true, aiResolutionState: 'confirmed_resolution' },
      { aiInvolved: true, aiResolutionState: 'assumed_resolution' },
      { aiInvolved: true, aiResolutionState: 'assumed_resolution', reopened: true },
      { aiInvolved: true, aiResolutionState: 'escalated' },
      { aiInvolved: false, aiResolutionState: null },
    ]);
    expect(c.resolved).toBe(2);
    expect(c.resolvedConfirmed).toBe(1);
    expect(c.resolvedAssumed).toBe(1);
    expect(c.reopened).toBe(1);
    expect(c.reopenedResolutions).toBe(1);
    const r = rates(c);
    expect(r.involvementRate).toBe(4 / 5);
    expect(r.resolutionRate).toBe(2 / 4);
    expect(r.automationRate).toBe(2 / 5);
    expect(r.confirmedResolutionRate).toBe(1 / 4);
    expect(r.assumedResolutionRate).toBe(1 / 4);
  });

  it('automation rate = involvement × resolution', () => {
    const c = tally([
      { aiInvolved: true, aiResolutionState: 'confirmed_resolution' },
      { aiInvolved: true, aiResolutionState: 'abandoned' },
      { aiInvolved: true, aiResolutionState: 'pending' },
      { aiInvolved: false, aiResolutionState: null },
    ]);
    const r = rates(c);
    expect(r.automationRate).toBeCloseTo(r.involvementRate! * r.resolutionRate!, 12);
    expect(r.abandonRate).toBe(1 / 3);
  });

  it('handoff = (escalated + procedure_handoff) / involved', () => {
    const c = tally([
      { aiInvolved: true, aiResolutionState: 'escalated' },
      { aiInvolved: true, aiResolutionState: 'procedure_handoff' },
      { aiInvolved: true, aiResolutionState: 'negative_feedback' },
      { aiInvolved: true, aiResolutionState: 'assumed_resolution' },
      { aiInvolved: false, aiResolutionState: null },
    ]);
    expect(rates(c).handoffRate).toBe(2 / 4);
  });

  it('a rate with a zero denominator is null, never 0 or NaN', () => {
    const none = rates(emptyCounts());
    for (const value of Object.values(none)) expect(value).toBeNull();
    const notInvolved = rates(tally([{ aiInvolved: false, aiResolutionState: null }]));
    expect(notInvolved.involvementRate).toBe(0);
    expect(notInvolved.automationRate).toBe(0);
    expect(notInvolved.resolutionRate).toBeNull();
    expect(notInvolved.handoffRate).toBeNull();
    expect(notInvolved.csat).toBeNull();
  });

  it('CSAT = ratings of 4 or 5 / all ratings, only where the customer rated', () => {
    const c = tally([
      { aiInvolved: false, aiResolutionState: null, csat: 5 },
      { aiInvolved: false, aiResolutionState: null, csat: 4 },
      { aiInvolved: false, aiResolutionState: null, csat: 3 },
      { aiInvolved: false, aiResolutionState: null, csat: 1 },
      { aiInvolved: false, aiResolutionState: null },
    ]);
    expect(rates(c).csat).toBe(2 / 4);
  });

  it('CX score = mean over scored conversations only', () => {
    const c = emptyCounts();
    countConversation(c, { aiInvolved: false, aiResolutionState: null }, 4);
    countConversation(c, { aiInvolved: false, aiResolutionState: null }, 2.5);
    countConversation(c, { aiInvolved: false, aiResolutionState: null }, null);
    expect(rates(c).cxScore).toBe(3.25);
  });
});

describe('months in UTC', () => {
  it('buckets by the UTC calendar month of createdAt', () => {
    expect(monthOf(parseTimestamp('2026-01-31T23:59:59Z')!)).toBe('2026-01');
    expect(monthOf(parseTimestamp('2026-02-01T00:30:00+02:00')!)).toBe('2026-01');
    expect(monthOf(parseTimestamp('2026-02-28T23:00:00-02:00')!)).toBe('2026-03');
    expect(monthOf(parseTimestamp('2026-03-01T00:00:00.000Z')!)).toBe('2026-03');
  });

  it('rejects invalid timestamps', () => {
    for (const bad of [
      'yesterday',
      '2026-13-01T00:00:00Z',
      '2026-02-30T10:00:00Z',
      '',
      12,
      null,
      '2026/01/01',
      '2026-03-04T24:00:00Z',
      '2026-03-04T10:00:00+25:00',
      '2025-02-29',
      '2026-03-04T10:00:00 UTC',
    ])
      expect(parseTimestamp(bad)).toBeNull();
    expect(parseTimestamp('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
  });

  it('reads the common UTC shape exactly as the general ISO-8601 reader does', () => {
    // the general reader: the same string with a "+00:00" zone, which takes the regex path
    const general = (v: string) => parseTimestamp(`${v.slice(0, -1)}+00:00`);
    let seed = 12345;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const pad = (x: number, w: number) => String(x).padStart(w, '0');
    const cases = [
      '2024-02-29T12:00:00Z',
      '2025-02-29T12:00:00Z',
      '2100-02-29T00:00:00Z',
      '2000-02-29T00:00:00.999Z',
      '2026-04-31T00:00:00Z',
      '2026-12-31T23:59:59.001Z',
      '0099-01-01T00:00:00Z',
      '2026-1a-01T00:00:00Z',
      '2026-01-01T00:00:60Z',
    ];
    for (let i = 0; i < 3000; i++) {
      const frac = rand(2) ? `.${pad(rand(1000), 3)}` : '';
      cases.push(
        `${pad(rand(2200), 4)}-${pad(rand(14), 2)}-${pad(rand(33), 2)}T${pad(rand(26), 2)}:${pad(rand(61), 2)}:${pad(rand(61), 2)}${frac}Z`,
      );
    }
    for (const v of cases) expect(parseTimestamp(v), v).toBe(general(v));
    expect(parseTimestamp('2026-03-01T10:20:30.456Z')).toBe(Date.UTC(2026, 2, 1, 10, 20, 30, 456));
  });

  it('shifts months across years', () => {
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2025-11', 3)).toBe('2026-02');
  });

  it('knows when the last month is month to date', () => {
    expect(isMonthToDate(Date.parse('2026-11-18T16:00:00Z'))).toBe(true);
    expect(isMonthToDate(Date.parse('2026-11-30T23:00:00Z'))).toBe(false);
    expect(isMonthToDate(Date.parse('2024-02-29T10:00:00Z'))).toBe(false);
  });

  it('counts the months of data in a window whose last month is in progress', () => {
    // 3 months to 16 November 00:00: two whole months and 15 of November's 30 days
    expect(monthsCovered(3, Date.parse('2026-11-16T00:00:00Z'))).toBe(2.5);
    expect(monthsCovered(12, Date.parse('2026-11-16T00:00:00Z'))).toBe(11.5);
    // a finished month counts whole, and without a date nothing changes
    expect(monthsCovered(3, Date.parse('2026-11-30T23:00:00Z'))).toBe(3);
    expect(monthsCovered(3, null)).toBe(3);
  });

  it('gives an account that began inside the window its own months of it', () => {
    const asOf = Date.parse('2026-11-16T00:00:00Z');
    const window = { from: '2026-09', to: '2026-11' };
    const windowOf = (month: string, at?: string) => {
      const w = accountWindow(window, { month, atMs: at ? Date.parse(at) : null }, asOf);
      return [w.from, w.to, w.months, w.monthsCovered];
    };
    // a customer since September (or before) has the whole window
    expect(windowOf('2025-02')).toEqual(['2026-09', '2026-11', 3, 2.5]);
    expect(windowOf('2026-09')).toEqual(['2026-09', '2026-11', 3, 2.5]);
    // one whose conversations began in October has 1.5 months of data, one from November half a month
    expect(windowOf('2026-10')).toEqual(['2026-10', '2026-11', 2, 1.5]);
    expect(windowOf('2026-11')).toEqual(['2026-11', '2026-11', 1, 0.5]);
    // one whose first conversation was on 25 October 00:00 has 7 of October's 31 days
    expect(windowOf('2026-10', '2026-10-25T00:00:00Z')[3]).toBeCloseTo(0.5 + 7 / 31, 12);
    // a time before the window's start changes nothing (the account did not begin inside it)
    expect(windowOf('2025-02', '2025-02-20T00:00:00Z')[3]).toBe(2.5);
    // no conversations: the dataset's window
    expect(accountWindow(window, null, asOf).monthsCovered).toBe(2.5);
    // the first hour of a new customer counts as a week, not as 1/700 of a month
    expect(
      accountWindow(
        window,
        { month: '2026-11', atMs: Date.parse('2026-11-01T00:00:00Z') },
        Date.parse('2026-11-01T01:00:00Z'),
      ).monthsCovered,
    ).toBe(0.25);
  });
});

describe('liveWindow', () => {
  const window = { from: '2026-09', to: '2026-11' };
  const asOf = Date.parse('2026-11-16T00:00:00Z');
  it('reads an account that went live inside the window from its first fully live month', () => {
    // live on 20 September: September is two-thirds conversations the AI agent never saw
    expect(liveWindow(window, '2026-09-20', asOf)).toEqual({ from: '2026-10', to: '2026-11' });
    expect(liveWindow(window, '2026-10-01T00:00:00Z', asOf)).toEqual({ from: '2026-10', to: '2026-11' });
    expect(liveWindow(window, '2026-10-31', asOf)).toEqual({ from: '2026-11', to: '2026-11' });
    expect(firstLiveMonth('2026-12-01')).toBe('2026-12');
    expect(firstLiveMonth('2026-12-02')).toBe('2027-01');
  });
  it('keeps the whole window when go-live is before it, unknown, not yet, or three days into the month', () => {
    expect(liveWindow(window, '2026-08-06', asOf)).toBe(window);
    expect(liveWindow(window, '2026-09-01', asOf)).toBe(window);
    expect(liveWindow(window, null, asOf)).toBe(window);
    expect(liveWindow(window, 'soon', asOf)).toBe(window);
    expect(liveWindow(window, '2026-11-10', asOf)).toBe(window);
    expect(liveWindow(window, '2026-11-01', Date.parse('2026-11-02T12:00:00Z'))).toBe(window);
    expect(liveWindow(window, '2026-11-01', Date.parse('2026-11-04T12:00:00Z'))).toEqual({
      from: '2026-11',
      to: '2026-11',
    });
  });
});

describe('awaitingLive', () => {
  const window = { from: '2026-09', to: '2026-11' };
  const asOf = Date.parse('2026-11-16T00:00:00Z');
  it('holds while no month of the data is fully live', () => {
    expect(awaitingLive(window, '2027-03-01', asOf)).toBe(true);
    // live on the 10th: December is its first full month
    expect(awaitingLive(window, '2026-11-10', asOf)).toBe(true);
    // its first full month is the month in progress, under three days old
    expect(awaitingLive(window, '2026-11-01', Date.parse('2026-11-02T12:00:00Z'))).toBe(true);
  });
  it('ends with the first fully live month, and never holds without a go-live or one before the window', () => {
    expect(awaitingLive(window, '2026-11-01', asOf)).toBe(false);
    expect(awaitingLive(window, '2026-09-20', asOf)).toBe(false);
    expect(awaitingLive(window, '2026-08-06', asOf)).toBe(false);
    expect(awaitingLive(window, null, asOf)).toBe(false);
    expect(awaitingLive(window, 'soon', asOf)).toBe(false);
  });
});

describe('timestamps without a zone', () => {
  it('are read as UTC, whatever the machine’s time zone', () => {
    expect(parseTimestamp('2026-03-04 10:22')).toBe(Date.UTC(2026, 2, 4, 10, 22));
    expect(parseTimestamp('2026-03-04T23:30:00')).toBe(Date.UTC(2026, 2, 4, 23, 30));
    expect(parseTimestamp('2026-03-04')).toBe(Date.UTC(2026, 2, 4));
  });
});

describe('rollUpClasses', () => {
  it('sums leaves per automation class, in class order, with volume-weighted achievable levels', () => {
    const leaf = (
      automationClass: AutomationClass,
      conversations: number,
      resolved: number,
      achievable: number,
    ) => ({
      automationClass,
      conversations,
      involved: conversations,
      resolved,
      achievableAutomation: achievable,
      gapPoints: 0.01,
      gapConversations: 1,
      cxSum: 4 * conversations,
      cxScored: conversations,
    });
    const rows = rollUpClasses([
      leaf('action', 30, 15, 0.6),
      leaf('action', 10, 0, 0.2),
      leaf('human', 60, 6, 0.1),
    ]);
    expect(rows.map((r) => r.automationClass)).toEqual(['informational', 'personalized', 'action', 'human']);
    const action = rows[2]!;
    expect(action).toMatchObject({ conversations: 40, share: 0.4, automationRate: 15 / 40, cxScore: 4 });
    expect(action.achievableAutomation).toBeCloseTo((30 * 0.6 + 10 * 0.2) / 40, 12);
    expect(action.gapPoints).toBeCloseTo(0.02, 12);
    // a class without leaves: no volume, rates unknown (null), never 0
    expect(rows[0]).toMatchObject({
      conversations: 0,
      share: 0,
      automationRate: null,
      achievableAutomation: 0,
    });
  });
});
