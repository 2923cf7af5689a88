/**
 * The matched-controls lift (server/domain/lifts.ts) on worked examples: which accounts are
 * controls, the lift in points, go-live months kept out of "before", the pre-trend check, the
 * placebos and the seeded bootstrap over treated accounts.
 */
import { describe, expect, it } from 'vitest';
import {
  clusterBootstrap,
  DEFAULT_MATCHED_LIFT,
  type LiftAccount,
  type LiftIntervention,
  liftMethod,
  type MatchedLiftSettings,
  matchedLifts,
  randomEffectsError,
  randomEffectsWeights,
} from '../server/domain/lifts.ts';
import type { LeafMonthCounts } from '../server/domain/potential.ts';
import { seededRandom } from '../server/domain/stats.ts';

const LEAF = 'billing.invoice_copy';
const MONTHS = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08'];
const S: MatchedLiftSettings = { ...DEFAULT_MATCHED_LIFT, controls: 2, minControls: 2, bootstrap: 500 };

/** 100 conversations a month on the leaf; `rate(month index)` of them resolved. */
function leafRows(accountId: string, rate: (k: number) => number, taxonomyId = LEAF): LeafMonthCounts[] {
  return MONTHS.map((month, k) => ({
    accountId,
    month,
    taxonomyId,
    automationClass: 'informational',
    conversations: 100,
    involved: 100,
    resolved: Math.round(rate(k) * 100),
  }));
}

const account = (id: string, vertical = 'saas', aiLiveSince = '2024-01-01'): LiftAccount => ({
  id,
  vertical,
  aiLiveSince,
});

// Treated T: 40% before its April fix, 70% after. Controls in its vertical drift +5 points over
// the same months (C1 from 42%, C2 from 38%); C3 is also untreated but starts at 60% (not among
// the 2 nearest), X is another vertical, U fixed the same leaf in March, L went live in December.
const step = (before: number, after: number) => (k: number) =>
  k < 3 ? before : k === 3 ? (before + after) / 2 : after;
const world = () => ({
  rows: [
    ...leafRows('t', step(0.4, 0.7)),
    ...leafRows('c1', step(0.42, 0.47)),
    ...leafRows('c2', step(0.38, 0.43)),
    ...leafRows('c3', step(0.6, 0.6)),
    ...leafRows('x', step(0.4, 0.4)),
    ...leafRows('u', step(0.4, 0.4)),
    ...leafRows('l', step(0.4, 0.4)),
  ],
  accounts: [
    account('t'),
    account('c1'),
    account('c2'),
    account('c3'),
    account('x', 'ecommerce'),
    account('u'),
    account('l', 'saas', '2025-12-01'),
  ],
  interventions: [
    { accountId: 't', date: '2026-04-10', kind: 'content', taxonomyId: LEAF },
    { accountId: 'u', date: '2026-03-02', kind: 'content', taxonomyId: LEAF },
  ] satisfies LiftIntervention[],
});

describe('matched lifts', () => {
  it('differences the treated leaf against its nearest untreated, settled, same-vertical controls', () => {
    const w = world();
    const { kinds } = matchedLifts(w.rows, w.accounts, w.interventions, '2026-08', [w.interventions[0]!], S);
    expect(kinds).toHaveLength(1);
    const content = kinds[0]!;
    expect(content.kind).toBe('content');
    const e = content.events[0]!;
    expect(e.controls).toEqual(['c1', 'c2']);
    expect(e.before).toBeCloseTo(0.4, 12);
    expect(e.after).toBeCloseTo(0.7, 12);
    expect(e.controlBefore).toBeCloseTo(0.4, 12);
    expect(e.controlAfter).toBeCloseTo(0.45, 12);
    // (70 − 40) − (45 − 40) = 25 points
    expect(e.lift).toBeCloseTo(0.25, 12);
    expect(e.included).toBe(true);
    expect(content.n).toBe(1);
    expect(content.lift).toBeCloseTo(0.25, 12);
    // sampling variance: treated .4·.6/300 + .7·.3/300, plus the controls' four windows / 2²
    expect(e.variance).toBeCloseTo(
      0.0015 + (0.42 * 0.58 + 0.47 * 0.53 + 0.38 * 0.62 + 0.43 * 0.57) / 1200,
      12,
    );
    expect(e.weight).toBe(1);
    // one treated account: the bootstrap cannot move, so the interval is the normal one,
    // 25 ± 1.96 × √0.0023112 = 25 ± 9.4 points
    expect(content.low).toBeCloseTo(0.1558, 3);
    expect(content.high).toBeCloseTo(0.3442, 3);
  });

  it('takes more controls when asked, still never another vertical, a fixed leaf or a go-live ramp', () => {
    const w = world();
    const { kinds } = matchedLifts(w.rows, w.accounts, w.interventions, '2026-08', [w.interventions[0]!], {
      ...S,
      controls: 10,
    });
    expect(kinds[0]!.events[0]!.controls.sort()).toEqual(['c1', 'c2', 'c3']);
    // controls change by (5 + 5 + 0) / 3
    expect(kinds[0]!.events[0]!.lift).toBeCloseTo(0.3 - 0.1 / 3, 12);
  });

  it('does not measure a fix whose before-window is inside the go-live ramp, nor one without an after-window', () => {
    const w = world();
    const early = w.accounts.map((a) => (a.id === 't' ? account('t', 'saas', '2025-11-15') : a));
    const { kinds } = matchedLifts(w.rows, early, w.interventions, '2026-08', [w.interventions[0]!], S);
    expect(kinds[0]!.n).toBe(0);
    expect(kinds[0]!.skipped).toEqual({ go_live: 1 });
    // data to May: one after-month (May), fewer than the 2 asked for
    const late = matchedLifts(w.rows, w.accounts, w.interventions, '2026-05', [w.interventions[0]!], S);
    expect(late.kinds[0]!.skipped).toEqual({ window: 1 });
  });

  it('shortens a window to the clean months around the fix, down to its minimum', () => {
    const w = world();
    // T went live on 2025-09-01: settled (150 days) from 2026-01-29, so February is its first
    // clean month; it fixes the leaf again in July, so June is the last month of this fix's effect
    const accounts = w.accounts.map((a) => (a.id === 't' ? account('t', 'saas', '2025-09-01') : a));
    const interventions: LiftIntervention[] = [
      ...w.interventions,
      { accountId: 't', date: '2026-07-03', kind: 'procedure', taxonomyId: LEAF },
    ];
    const fix = interventions[0]!;
    const e = matchedLifts(w.rows, accounts, interventions, '2026-08', [fix], S).kinds[0]!.events[0]!;
    expect([e.beforeFrom, e.afterTo]).toEqual(['2026-02', '2026-06']);
    expect(e.lift).toBeCloseTo(0.25, 12);
    // the controls are compared over the same months (C1 42% → 47%)
    expect(e.controlBefore).toBeCloseTo(0.4, 12);
    expect(e.controlAfter).toBeCloseTo(0.45, 12);
    // asking for 3 months each side: not measured
    const strict = { ...S, minBeforeMonths: 3, minAfterMonths: 3 };
    expect(matchedLifts(w.rows, accounts, interventions, '2026-08', [fix], strict).kinds[0]!.skipped).toEqual(
      {
        go_live: 1,
      },
    );
    expect(
      matchedLifts(w.rows, w.accounts, interventions, '2026-08', [fix], strict).kinds[0]!.skipped,
    ).toEqual({ overlap: 1 });
    // a fix in the same month on the same leaf is never told apart from this one
    const same: LiftIntervention[] = [
      ...w.interventions,
      { accountId: 't', date: '2026-04-20', kind: 'procedure', taxonomyId: LEAF },
    ];
    expect(matchedLifts(w.rows, w.accounts, same, '2026-08', [fix], S).kinds[0]!.skipped).toEqual({
      overlap: 1,
    });
  });

  it('needs enough matched controls', () => {
    const w = world();
    const { kinds } = matchedLifts(w.rows, w.accounts, w.interventions, '2026-08', [w.interventions[0]!], {
      ...S,
      minControls: 4,
    });
    expect(kinds[0]!.skipped).toEqual({ controls: 1 });
  });

  it('a treated leaf already climbing before the fix fails the pre-trend check and is not counted', () => {
    const w = world();
    // 30% → 40% → 50% across the before-window while the controls are flat: +20 points of pre-trend
    const rows = [
      ...w.rows.filter((r) => r.accountId !== 't'),
      ...leafRows('t', (k) => (k < 3 ? 0.3 + 0.1 * k : 0.7)),
    ];
    const { kinds } = matchedLifts(rows, w.accounts, w.interventions, '2026-08', [w.interventions[0]!], S);
    const e = kinds[0]!.events[0]!;
    expect(e.preTrend).toBeCloseTo(0.2, 12);
    expect(e.preTrendLimit).toBeLessThan(0.2);
    expect(e.included).toBe(false);
    expect(kinds[0]!.n).toBe(0);
    expect(kinds[0]!.skipped).toEqual({ pre_trend: 1 });
  });

  it('starts no before-window before the account’s data does', () => {
    const w = world();
    const fix = [w.interventions[0]!];
    // t's data begins in February: its April fix is compared over February–March, not January–March
    const fromFeb = w.rows.filter((r) => !(r.accountId === 't' && r.month === '2026-01'));
    const e = matchedLifts(fromFeb, w.accounts, w.interventions, '2026-08', fix, S).kinds[0]!.events[0]!;
    expect(e.beforeFrom).toBe('2026-02');
    // from March: one month of data before the fix is no before-window
    const fromMar = fromFeb.filter((r) => !(r.accountId === 't' && r.month === '2026-02'));
    expect(matchedLifts(fromMar, w.accounts, w.interventions, '2026-08', fix, S).kinds[0]!.skipped).toEqual({
      data_start: 1,
    });
  });

  it('counts every logged fix: a repeat on the same topic and an account-wide one are skipped with their reason', () => {
    const w = world();
    const fixes: LiftIntervention[] = [
      w.interventions[0]!,
      { accountId: 't', date: '2026-08-03', kind: 'content', taxonomyId: LEAF },
      { accountId: 'x', date: '2026-05-01', kind: 'content', taxonomyId: null },
    ];
    const [content] = matchedLifts(
      w.rows,
      w.accounts,
      [...w.interventions, ...fixes.slice(1)],
      '2026-08',
      fixes,
      S,
    ).kinds;
    expect(content!.events).toHaveLength(1);
    expect(content!.skipped).toEqual({ repeat: 1, account_wide: 1 });
  });

  it('a pre-trend that cannot be read (one before-month with conversations on the leaf) is said to be so, not "ok"', () => {
    const w = world();
    // t's leaf has conversations in January only of its January–March before-window; another topic
    // keeps the account's data going
    const rows = [
      ...w.rows.filter((r) => !(r.accountId === 't' && (r.month === '2026-02' || r.month === '2026-03'))),
      ...leafRows('t', () => 0.5, 'billing.payment_failed').filter(
        (r) => r.month === '2026-02' || r.month === '2026-03',
      ),
    ];
    const e = matchedLifts(rows, w.accounts, w.interventions, '2026-08', [w.interventions[0]!], S).kinds[0]!
      .events[0]!;
    expect(e.beforeFrom).toBe('2026-01');
    expect(e.preTrend).toBeNull();
    expect(e.included).toBe(true);
  });

  it('the placebo on an untreated account at the real date sits at 0 when nothing happened there', () => {
    const w = world();
    const { kinds } = matchedLifts(w.rows, w.accounts, w.interventions, '2026-08', [w.interventions[0]!], {
      ...S,
      controls: 1,
      minControls: 1,
    });
    // pseudo-treated c1 (+5 points) against its nearest untreated peer c2 (+5 points)
    expect(kinds[0]!.placebo).not.toBeNull();
    expect(kinds[0]!.placebo!.n).toBe(1);
    expect(kinds[0]!.placebo!.lift).toBeCloseTo(0, 12);
  });
});

describe('clusterBootstrap', () => {
  const items = [
    { cluster: 'a', value: 0.1 },
    { cluster: 'a', value: 0.3 },
    { cluster: 'b', value: 0.2 },
    { cluster: 'c', value: 0.6 },
  ];

  it('is the mean over events, with an interval that is seeded and resamples accounts', () => {
    const one = clusterBootstrap(items, 1000, 7, 0.95)!;
    expect(one.lift).toBeCloseTo(0.3, 12);
    expect(one.n).toBe(4);
    expect(one.accounts).toBe(3);
    expect(clusterBootstrap(items, 1000, 7, 0.95)).toEqual(one);
    // few accounts: the resampled means take few values, so the percentiles can coincide
    expect(one.low).toBeLessThanOrEqual(one.p10);
    expect(one.p10).toBeLessThan(one.lift);
    expect(one.p90).toBeGreaterThan(one.lift);
    expect(one.high).toBeGreaterThanOrEqual(one.p90);
    expect(one.high - one.low).toBeGreaterThan(0.1);
    // a resample is made of whole accounts: the lowest possible mean is account a's (0.2) or b's
    expect(one.low).toBeGreaterThanOrEqual(0.2 - 1e-12);
    expect(one.high).toBeLessThanOrEqual(0.6 + 1e-12);
  });

  it('is never narrower than the normal interval of its standard error', () => {
    const one = [{ cluster: 'a', value: 0.2 }];
    // one account: the bootstrap is a point; a standard error of 5 points gives 20 ± 9.8
    const e = clusterBootstrap(one, 200, 7, 0.95, 0.05)!;
    expect(e.low).toBeCloseTo(0.2 - 1.959964 * 0.05, 6);
    expect(e.high).toBeCloseTo(0.2 + 1.959964 * 0.05, 6);
    expect(e.p10).toBeCloseTo(0.2 - 1.281552 * 0.05, 6);
    expect(e.p90).toBeCloseTo(0.2 + 1.281552 * 0.05, 6);
    // a tiny standard error leaves the bootstrap's own (wider) interval alone
    const wide = clusterBootstrap(items, 1000, 7, 0.95)!;
    expect(clusterBootstrap(items, 1000, 7, 0.95, 1e-4)).toEqual(wide);
  });

  it('is null with nothing to estimate', () => {
    expect(clusterBootstrap([], 100, 1, 0.95)).toBeNull();
  });

  it('reads a standard error from few accounts on Student t, and never passes 100 points', () => {
    const two = [
      { cluster: 'a', value: 0.1 },
      { cluster: 'b', value: 0.3 },
    ];
    // t with 1 degree of freedom: 12.71 standard errors either side at 95%
    const e = clusterBootstrap(two, 200, 7, 0.95, 0.01, 1)!;
    expect(e.low).toBeCloseTo(0.2 - 12.7062 * 0.01, 4);
    expect(e.high).toBeCloseTo(0.2 + 12.7062 * 0.01, 4);
    const huge = clusterBootstrap(two, 200, 7, 0.95, 0.5, 1)!;
    expect([huge.low, huge.high, huge.p10, huge.p90]).toEqual([-1, 1, -1, 1]);
  });
});

describe('randomEffectsError', () => {
  it('is the weighted spread over k − 1 with t on accounts − 1, never below the model error', () => {
    const items = [
      { cluster: 'a', value: 0.1, weight: 100 },
      { cluster: 'b', value: 0.3, weight: 100 },
      { cluster: 'b', value: 0.5, weight: 200 },
    ];
    // mean 0.35; spread (100·0.0625 + 100·0.0025 + 200·0.0225) / 2 = 5.5 over Σw 400
    const e = randomEffectsError(items);
    expect(e.standardError).toBeCloseTo(Math.sqrt(5.5 / 400), 12);
    expect(e.degreesOfFreedom).toBe(1);
    // events that agree exactly: the model's own √(1/Σw), not 0
    const same = randomEffectsError(items.map((i) => ({ ...i, value: 0.2 })));
    expect(same.standardError).toBeCloseTo(Math.sqrt(1 / 400), 12);
    // one event: no spread to estimate, the normal on the model error
    expect(randomEffectsError([{ cluster: 'a', value: 0.2, weight: 25 }])).toEqual({
      standardError: 0.2,
      degreesOfFreedom: Number.POSITIVE_INFINITY,
    });
    // one account, two fixes that disagree (+10 and +50 points): their spread, on t with 1 degree
    const one = randomEffectsError([
      { cluster: 'a', value: 0.1, weight: 100 },
      { cluster: 'a', value: 0.5, weight: 100 },
    ]);
    // spread (100·0.04 + 100·0.04) / 1 = 8 over Σw 200
    expect(one.standardError).toBeCloseTo(Math.sqrt(8 / 200), 12);
    expect(one.degreesOfFreedom).toBe(1);
  });

  it('gives a 95% interval that covers the true lift about 95% of the time with 3 or 5 accounts', () => {
    // lifts drawn around a true 30 points with between-account spread and sampling noise of their own
    const rand = seededRandom(3);
    const gauss = () => Math.sqrt(-2 * Math.log(rand() || 1e-12)) * Math.cos(2 * Math.PI * rand());
    for (const k of [3, 5]) {
      let covered = 0;
      let coveredNormal = 0;
      const sims = 200;
      for (let s = 0; s < sims; s++) {
        const variances = Array.from({ length: k }, () => (0.02 + 0.04 * rand()) ** 2);
        const values = variances.map((v) => 0.3 + 0.08 * gauss() + Math.sqrt(v) * gauss());
        const w = randomEffectsWeights(values, variances);
        const items = values.map((value, i) => ({ cluster: `a${i}`, value, weight: w[i]! }));
        const { standardError, degreesOfFreedom } = randomEffectsError(items);
        const t = clusterBootstrap(items, 300, s, 0.95, standardError, degreesOfFreedom)!;
        if (t.low <= 0.3 && t.high >= 0.3) covered++;
        const sw = w.reduce((a, b) => a + b, 0);
        const normal = clusterBootstrap(items, 300, s, 0.95, Math.sqrt(1 / sw))!;
        if (normal.low <= 0.3 && normal.high >= 0.3) coveredNormal++;
      }
      expect(covered / sims).toBeGreaterThanOrEqual(0.93);
      // the bootstrap with the normal interval (the method before) says 95% and covers ~85%
      expect(coveredNormal / sims).toBeLessThan(0.9);
    }
  });
});

describe('liftMethod', () => {
  it('says what the settings say', () => {
    const text = liftMethod({ ...DEFAULT_MATCHED_LIFT, controls: 7, settleDays: 120, interval: 0.9 });
    expect(text).toContain('7 matched controls');
    expect(text).toContain('at least 120 days');
    expect(text).toContain('central 90%');
  });
});
