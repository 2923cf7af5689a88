import { describe, expect, it } from 'vitest';
import {
  DEFAULT_BACKTEST,
  type LeafMonthCounts,
  runBacktest,
  summarizeErrors,
} from '../server/domain/backtest.ts';
import {
  DEFAULT_PATTERNS,
  interventionLifts,
  leafPatterns,
  periodAccounts,
} from '../server/domain/patterns.ts';
import { MODEL_V1 } from '../server/domain/potential.ts';

const MONTHS = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06'];
const LEAF = 'orders.where_is_my_order';

// Five peers resolve 50%..90% of a leaf every month; account "a" resolves 30% until a data
// connector in April lifts it to 50% then 70%.
const rows: LeafMonthCounts[] = [];
for (const month of MONTHS) {
  for (let i = 0; i < 5; i++)
    rows.push({
      accountId: `p${i}`,
      month,
      taxonomyId: LEAF,
      automationClass: 'personalized',
      conversations: 100,
      involved: 100,
      resolved: 50 + 10 * i,
    });
  const resolvedA = month <= '2026-03' ? 30 : month === '2026-04' ? 50 : 70;
  rows.push({
    accountId: 'a',
    month,
    taxonomyId: LEAF,
    automationClass: 'personalized',
    conversations: 100,
    involved: 100,
    resolved: resolvedA,
  });
}
const accounts = ['a', 'p0', 'p1', 'p2', 'p3', 'p4'].map((id) => ({
  id,
  vertical: id === 'a' ? 'ecommerce' : 'saas',
  interventionMonths: id === 'a' ? ['2026-04'] : [],
}));

/** A backtest point predicted at 60% (range 50–70%) from 30%, with what was reached 3 months on. */
const rangePoint = (accountId: string, month: string, actual3: number) => ({
  accountId,
  month,
  vertical: 'saas',
  predicted: 0.6,
  predictedLow: 0.5,
  predictedHigh: 0.7,
  currentRate: 0.3,
  actual3,
  actual6: null,
  peak6: null,
  peak3of6: null,
  acted: false,
});

describe('potential model backtest: who is predicted', () => {
  it('predicts an account only with 3 months of history, all with its AI agent live', () => {
    const settings = { ...DEFAULT_BACKTEST, byVertical: false, model: MODEL_V1 };
    const withLive = (aiLiveSince: string) => accounts.map((x) => (x.id === 'a' ? { ...x, aiLiveSince } : x));
    const predicted = (list: typeof accounts) =>
      runBacktest(rows, list, '2026-06', settings).some((p) => p.accountId === 'a');
    expect(predicted(withLive('2026-01-01'))).toBe(true);
    // live from 10 February: January–March were not all live, so no prediction at March
    expect(predicted(withLive('2026-02-10'))).toBe(false);
    // its data beginning in February is under 3 months of history at March
    const late = rows.filter((r) => !(r.accountId === 'a' && r.month === '2026-01'));
    expect(runBacktest(late, accounts, '2026-06', settings).some((p) => p.accountId === 'a')).toBe(false);
  });
});

describe('potential model backtest', () => {
  const points = runBacktest(rows, accounts, '2026-06', {
    ...DEFAULT_BACKTEST,
    byVertical: false,
    model: MODEL_V1,
  });

  it('predicts with data up to M only and compares with M+3', () => {
    expect(points.map((p) => p.month)).toEqual(Array(6).fill('2026-03'));
    const a = points.find((p) => p.accountId === 'a')!;
    // Peers' resolution Jan–Mar: 0.3, 0.5, 0.6, 0.7, 0.8, 0.9 → 75th percentile 0.775; involvement 1.
    expect(a.predicted).toBeCloseTo(0.775, 12);
    expect(a.currentRate).toBeCloseTo(0.3, 12);
    expect(a.actual3).toBeCloseTo(0.7, 12);
    expect(a.actual6).toBeNull();
    // the highest month observed within 6 (April 50%, May and June 70%)
    expect(a.peak6).toBeCloseTo(0.7, 12);
    // and over 3 months in a row: April to June pooled, (50 + 70 + 70) / 300
    expect(a.peak3of6).toBeCloseTo(190 / 300, 12);
    expect(a.acted).toBe(true);
    expect(points.find((p) => p.accountId === 'p4')!.predicted).toBeCloseTo(0.9, 12);
    expect(points.find((p) => p.accountId === 'p0')!.acted).toBe(false);
  });

  it('summarizes the mean absolute error in points', () => {
    // |0.7−0.775| + |0.5−0.775| + |0.6−0.775| + |0.7−0.775| + 0 + 0 = 0.6 over 6 accounts
    const s = summarizeErrors(points, 3);
    expect(s.n).toBe(6);
    expect(s.mae).toBeCloseTo(0.1, 12);
    expect(s.bias).toBeCloseTo(-0.1, 12);
    expect(summarizeErrors(points, 6).n).toBe(0);
  });

  it('splits the outcomes outside the range into below it (gaps not yet closed) and above it', () => {
    const at = (accountId: string, actual3: number) => rangePoint(accountId, '2026-03', actual3);
    // 0.5 and 0.7 are the range's ends, inside it
    const s = summarizeErrors([at('a', 0.35), at('b', 0.45), at('c', 0.5), at('d', 0.7), at('e', 0.75)], 3);
    expect([s.below, s.coverage, s.above]).toEqual([0.4, 0.4, 0.2]);
    expect(summarizeErrors([], 3)).toMatchObject({ below: null, coverage: null, above: null });
  });
});

describe('patterns across accounts', () => {
  const names = accounts.map((a) => ({ id: a.id, name: a.id.toUpperCase(), vertical: a.vertical }));

  it('spreads a leaf’s resolution over accounts and totals its unrealized volume', () => {
    const [leaf] = leafPatterns(rows, names, names, ['2026-01', '2026-02', '2026-03']);
    expect(leaf!.accounts).toBe(6);
    expect(leaf!.share).toBe(1);
    const spread = leaf!.resolutionSpread!;
    expect([spread.min, spread.p25, spread.median, spread.p75, spread.max].map((v) => v.toFixed(4))).toEqual([
      '0.3000',
      '0.5250',
      '0.6500',
      '0.7750',
      '0.9000',
    ]);
    // Levels by vertical, as the account model learns them: "a" has no ecommerce peers and takes
    // all verticals' P75 (0.775: gap 47.5 a month); the five saas accounts take theirs, P75 of
    // 50..90% = 0.8: p0 30, p1 20, p2 10, p3 and p4 0. 47.5 + 60 = 107.5.
    expect(leaf!.unrealizedConversations).toBeCloseTo(107.5, 9);
    expect(leaf!.points[0]).toEqual({ accountId: 'a', name: 'A', resolutionRate: 0.3, conversations: 300 });
    expect(leaf!.common).toBe(true);
    expect(leaf!.consistent).toBe(true);
    // 4 accounts at 60% or more (60–90%): proven
    expect(leaf!.proven).toBe(true);
    expect(leaf!.generalizes).toBe(true);
    // one account at 85% or more is not proof: consistent, but not worth building in
    const [strict] = leafPatterns(rows, names, names, ['2026-01', '2026-02', '2026-03'], {
      ...DEFAULT_PATTERNS,
      provenResolution: 0.85,
    });
    expect(strict).toMatchObject({ consistent: true, proven: false, generalizes: false });
    // two accounts are all of a two-account vertical, not a pattern across accounts: not common
    const [pair] = leafPatterns(rows, names.slice(0, 2), names.slice(0, 2), [
      '2026-01',
      '2026-02',
      '2026-03',
    ]);
    expect(pair).toMatchObject({ accounts: 2, accountShare: 1, common: false, generalizes: false });
  });

  it('counts an account for a topic at 20+ conversations per 3 months of data, whatever the period', () => {
    // 7 conversations a month on a second topic in three accounts: 21 a quarter, 42 over 6 months, 84
    // over 12 — counted over each (the bar was 20 over any period: a longer one counted more accounts)
    const steady = ['p0', 'p1', 'p2'].flatMap((accountId) =>
      MONTHS.map((month) => ({
        accountId,
        month,
        taxonomyId: 'howto.feature_usage',
        automationClass: 'informational' as const,
        conversations: 7,
        involved: 7,
        resolved: 5,
      })),
    );
    const feature = (months: string[], monthsOfData = months.length) =>
      leafPatterns([...rows, ...steady], names, names, months, undefined, undefined, monthsOfData).find(
        (l) => l.taxonomyId === 'howto.feature_usage',
      )!;
    expect(feature(MONTHS.slice(0, 3)).accounts).toBe(3);
    expect(feature(MONTHS.slice(0, 6)).accounts).toBe(3);
    // the bar follows the months of data the period holds (its last month counted for the part that
    // has passed): 2.1 months ask 14 conversations, 3.5 ask 23.3
    expect(feature(MONTHS.slice(0, 3), 2.1).accounts).toBe(3);
    expect(feature(MONTHS.slice(0, 3), 3.5).accounts).toBe(0);
  });

  it('gives a vertical its own accounts’ gaps, against all peers, from one shared period', () => {
    // the pipeline works the period's peers out once and asks for every vertical and for all
    const months = ['2026-01', '2026-02', '2026-03'];
    const shared = periodAccounts(rows, names, months);
    const unrealized = (members: typeof names) =>
      leafPatterns(rows, members, names, months, undefined, undefined, 3, shared)[0]!.unrealizedConversations;
    // as in the test above: saas p0 30 + p1 20 + p2 10 a month (P75 of their own vertical, 0.8);
    // "a" 47.5 (no ecommerce peers: all verticals' 0.775); together the 107.5 of all accounts
    expect(unrealized(names.filter((a) => a.vertical === 'saas'))).toBeCloseTo(60, 9);
    expect(unrealized(names.filter((a) => a.id === 'a'))).toBeCloseTo(47.5, 9);
    expect(unrealized(names)).toBeCloseTo(107.5, 9);
    expect(leafPatterns(rows, names, names, months)).toEqual(
      leafPatterns(rows, names, names, months, undefined, undefined, 3, shared),
    );
  });

  it('reads an account’s rate on a topic from its live months, its volume from all of them', () => {
    // "a" went live in March inside a Feb–Apr period: its rate is March–April's (30% then 50%, 40%),
    // not the period's; its conversations the 300 of all three months, as the Accounts column counts
    const months = ['2026-02', '2026-03', '2026-04'];
    const live = periodAccounts(rows, names, months, 3, undefined, undefined, (id) =>
      id === 'a' ? '2026-03' : undefined,
    );
    const [leaf] = leafPatterns(rows, names, names, months, undefined, undefined, 3, live);
    const a = leaf!.points.find((p) => p.accountId === 'a')!;
    expect(a.resolutionRate).toBeCloseTo(0.4, 12);
    expect(a.conversations).toBe(300);
    const [whole] = leafPatterns(rows, names, names, months);
    expect(whole!.points.find((p) => p.accountId === 'a')!.resolutionRate).toBeCloseTo(110 / 300, 12);
  });

  it('measures an intervention’s lift against accounts without it', () => {
    const [lift] = interventionLifts(
      rows,
      [{ accountId: 'a', date: '2026-04-10', kind: 'data_connector', taxonomyId: LEAF }],
      new Set(accounts.map((a) => a.id)),
    );
    // Before Jan–Mar 30%, after May–Jun 70%; peers flat → +40 points.
    expect(lift).toMatchObject({ kind: 'data_connector', taxonomyId: LEAF, accounts: 1 });
    expect(lift!.lifts[0]!.resolutionLift).toBeCloseTo(0.4, 12);
    expect(lift!.lifts[0]!.controlBefore).toBeCloseTo(0.7, 12);
    expect(lift!.resolution.median).toBeCloseTo(0.4, 12);
    expect(lift!.consistent).toBe(false);
  });
});

describe('the potential judged as a ceiling', () => {
  it('counts the account-months that passed it at M+3 or M+6, and the headroom left at M+6', async () => {
    const { summarizeCeiling } = await import('../server/domain/backtest.ts');
    const p = (predicted: number, actual3: number | null, actual6: number | null) => ({
      accountId: 'a',
      month: '2026-01',
      vertical: 'saas',
      predicted,
      predictedLow: predicted - 0.1,
      predictedHigh: predicted + 0.1,
      currentRate: 0.3,
      actual3,
      actual6,
      peak6: null,
      peak3of6: null,
      acted: false,
    });
    const s = summarizeCeiling([
      p(0.6, 0.5, 0.55), // below: headroom 0.05
      p(0.6, 0.65, 0.58), // passed at M+3: headroom 0.02
      p(0.6, null, 0.61), // passed at M+6: headroom -0.01
      p(0.6, 0.4, null), // below, no M+6 yet
      p(0.6, null, null), // nothing observed: not counted
    ]);
    expect(s.n).toBe(4);
    expect(s.accounts).toBe(1);
    expect(s.exceeded).toBeCloseTo(2 / 4, 12);
    // one account: nothing to resample, so no interval rather than a point passed off as one
    expect(s.exceededLow).toBeNull();
    expect(s.headroom6).toBeCloseTo((0.05 + 0.02 - 0.01) / 3, 12);
    // a month between M+3 and M+6 above the ceiling is a pass too, though both read below it
    const dipped = { ...p(0.6, 0.55, 0.58), peak6: 0.63 };
    expect(summarizeCeiling([dipped]).exceeded).toBe(1);
    expect(summarizeCeiling([{ ...dipped, peak6: 0.58 }]).exceeded).toBe(0);
    // the 3-month reading counts only the account-months with 3 months in a row observed
    expect(s.sustained).toMatchObject({ n: 0, exceeded: null });
    const none = { n: 0, accounts: 0, exceeded: null, exceededLow: null, exceededHigh: null };
    expect(summarizeCeiling([])).toEqual({ ...none, sustained: none, headroom6: null });
  });

  it('reads a pass over 3 months in a row beside the single month', async () => {
    const { summarizeCeiling } = await import('../server/domain/backtest.ts');
    const at = (accountId: string, peak6: number, peak3of6: number | null) => ({
      ...rangePoint(accountId, '2026-03', 0.55),
      peak6,
      peak3of6,
    });
    const s = summarizeCeiling([
      at('a', 0.64, 0.58), // one noisy month above 60%, the quarter below: a single-month pass only
      at('b', 0.66, 0.62), // above on both readings
      at('c', 0.5, 0.48), // below on both
      at('d', 0.61, null), // no 3 months in a row observed: the single month only
    ]);
    expect(s.exceeded).toBeCloseTo(3 / 4, 12);
    expect(s.sustained).toMatchObject({ n: 3, accounts: 3 });
    expect(s.sustained.exceeded).toBeCloseTo(1 / 3, 12);
    expect(s.sustained.exceededLow).not.toBeNull();
  });

  it('gives the share an interval over accounts, not over account-months', async () => {
    const { summarizeCeiling, summarizeErrors } = await import('../server/domain/backtest.ts');
    const p = rangePoint;
    // account a passes its ceiling in all 10 of its months, b..e in none of theirs
    const points = [
      ...Array.from({ length: 10 }, (_, i) => p('a', `2026-0${(i % 9) + 1}`, 0.7)),
      ...['b', 'c', 'd', 'e'].flatMap((id) =>
        Array.from({ length: 10 }, (_, i) => p(id, `2026-0${(i % 9) + 1}`, 0.5)),
      ),
    ];
    const s = summarizeCeiling(points);
    expect(s).toMatchObject({ n: 50, accounts: 5, exceeded: 0.2 });
    // 50 independent months would give roughly 11–29%; with one account in five doing all the
    // passing, a resample can hold it 0 to 3+ times
    expect(s.exceededLow).toBe(0);
    expect(s.exceededHigh).toBeGreaterThanOrEqual(0.4);
    const e = summarizeErrors(points, 3);
    expect(e).toMatchObject({ n: 50, accounts: 5 });
    expect(e.mae).toBeCloseTo(0.1, 12);
    // every month misses by 10 points: the interval is that point
    expect(e.maeLow).toBeCloseTo(0.1, 12);
    expect(e.maeHigh).toBeCloseTo(0.1, 12);
    expect(summarizeErrors(points, 6)).toMatchObject({ n: 0, accounts: 0, mae: null, maeLow: null });
    // none of the 4 other accounts passed: resampling them gives 0 every time, claiming certainty;
    // the Wilson interval over 4 accounts at 90% reaches 40%
    const never = summarizeCeiling(points.filter((x) => x.accountId !== 'a'));
    expect(never).toMatchObject({ exceeded: 0, exceededLow: 0 });
    expect(never.exceededHigh).toBeCloseTo(0.4035, 3);
    // one pass seen among those 40 months: the interval must not shrink below the one for none
    const once = summarizeCeiling(
      points.filter((x) => x.accountId !== 'a').map((x, i) => (i === 0 ? { ...x, actual3: 0.7 } : x)),
    );
    expect(once.exceeded).toBeCloseTo(1 / 40, 12);
    expect(once.exceededHigh!).toBeGreaterThanOrEqual(never.exceededHigh!);
  });
});

describe('fixed leaves against the level predicted before the fix', () => {
  it('compares the leaf over the 3 months after the fix with its achievable level the month before', async () => {
    const { checkFixedLeaves } = await import('../server/domain/backtest.ts');
    const { MODEL_V1 } = await import('../server/domain/potential.ts');
    const months = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07'];
    // five peers steady at 100 conversations, involvement 0.6..1.0, resolution 0.4..0.8 on the leaf
    const rows = months.flatMap((month) => [
      ...[0, 1, 2, 3, 4].map((i) => ({
        accountId: `p${i}`,
        month,
        taxonomyId: 'orders.where_is_my_order',
        automationClass: 'personalized' as const,
        conversations: 100,
        involved: 60 + 10 * i,
        resolved: Math.round((60 + 10 * i) * (0.4 + 0.1 * i)),
      })),
      // the fixed account: 20% automated until its fix in April, 70% after
      {
        accountId: 'a',
        month,
        taxonomyId: 'orders.where_is_my_order',
        automationClass: 'personalized' as const,
        conversations: 100,
        involved: 100,
        resolved: month > '2026-04' ? 70 : 20,
      },
    ]);
    const accounts = ['p0', 'p1', 'p2', 'p3', 'p4', 'a'].map((id) => ({
      id,
      vertical: 'ecommerce',
      interventionMonths: [],
    }));
    const settings = {
      windowMonths: 3,
      minWindowConversations: 1,
      minActualConversations: 1,
      model: MODEL_V1,
      byVertical: false,
    };
    const check = checkFixedLeaves(
      rows,
      accounts,
      [
        { accountId: 'a', taxonomyId: 'orders.where_is_my_order', month: '2026-04' },
        // too recent: the 3 months after are not all in the data
        { accountId: 'a', taxonomyId: 'orders.where_is_my_order', month: '2026-06' },
      ],
      '2026-07',
      settings,
    );
    // predicted in March from Jan–Mar: P75 involvement of peers and the account (0.6..1.0, 1.0) = 0.975,
    // P75 resolution (0.2, 0.4..0.8) = 0.675; the leaf is lifted to max(1.0, 0.975) × max(0.2, 0.675) = 0.675.
    // May–July: 210 of 300 resolved = 0.7 → 0.025 above the predicted level.
    expect(check.n).toBe(1);
    expect(check.mae).toBeCloseTo(0.025, 12);
    expect(check.bias).toBeCloseTo(0.025, 12);
    expect(check.passed).toBe(1);
  });
});
