import { describe, expect, it } from 'vitest';
import {
  backtestForecast,
  DEFAULT_FORECAST,
  FEATURES,
  type ForecastInput,
  type ForecastPoint,
  fitOnAll,
  forecastAccounts,
  noForecastReason,
  summarizeForecast,
} from '../server/domain/forecast.ts';
import { addMonths, monthRange } from '../server/domain/metrics.ts';
import type { LeafMonthCounts } from '../server/domain/potential.ts';
import type { Intervention } from '../server/domain/types.ts';

const A = 'orders.where_is_my_order';
const B = 'howto.feature_usage';
const MONTHS = monthRange('2025-01', '2025-12');

/**
 * 20 accounts, 1,000 conversations a month split evenly over two topics, both at 50% automation,
 * with no noise; peers show topic A can reach 70%, so its gap is half the volume × 20 points = 10
 * points of the account. Every other account makes a `content` fix on topic A in a month of its
 * own (2025-04 … 2025-09) that takes A from 50% to 70% over two months, closing that whole gap: the
 * account moves 10 points.
 */
function world(): ForecastInput {
  const rows: LeafMonthCounts[] = [];
  const interventions: Intervention[] = [];
  const rateA = new Map<string, number>();
  const accounts = Array.from({ length: 20 }, (_, i) => ({ id: `acc${i}`, aiLiveSince: '2024-06-01' }));
  accounts.forEach((a, i) => {
    const fixMonth = i % 2 === 0 ? MONTHS[3 + (i % 6)]! : null;
    if (fixMonth)
      interventions.push({
        accountId: a.id,
        date: `${fixMonth}-01`,
        kind: 'content',
        taxonomyId: A,
        note: null,
      });
    for (const month of MONTHS) {
      const landed = fixMonth
        ? Math.min(1, Math.max(0, (MONTHS.indexOf(month) - MONTHS.indexOf(fixMonth)) / 2))
        : 0;
      rateA.set(`${a.id} ${month}`, 0.5 + 0.2 * landed);
      rows.push(
        {
          accountId: a.id,
          month,
          taxonomyId: A,
          automationClass: 'personalized',
          conversations: 500,
          involved: 500,
          resolved: Math.round(500 * rateA.get(`${a.id} ${month}`)!),
        },
        {
          accountId: a.id,
          month,
          taxonomyId: B,
          automationClass: 'informational',
          conversations: 500,
          involved: 500,
          resolved: 250,
        },
      );
    }
  });
  // the potential model's view at a month: topic A's gap to 70%, in points of the account
  const potentialAt = (accountId: string, month: string) => {
    const a = rateA.get(`${accountId} ${month}`) ?? rateA.get(`${accountId} 2025-12`)!;
    const gapA = 0.5 * Math.max(0, 0.7 - a);
    return { potential: 0.5 * a + 0.25 + gapA, leafGaps: new Map([[A, gapA]]) };
  };
  return { rows, accounts, interventions, potentialAt, lastMonth: '2025-12' };
}

const GAP_CLOSED = FEATURES.indexOf('gapClosed');

describe('forecast', () => {
  it('measures the share of its topic’s gap an action closes, from the accounts that made one', () => {
    const fit = fitOnAll(world());
    // planted: every fix closes its whole gap; the ridge penalty shrinks that a little
    expect(fit!.coefficients[GAP_CLOSED]).toBeGreaterThan(0.9);
    expect(fit!.coefficients[GAP_CLOSED]).toBeLessThanOrEqual(1);
  });

  it('forecasts a planned fix that "no change" misses, with data up to the month only', () => {
    const input = world();
    const track = backtestForecast(input);
    const s = summarizeForecast(track, 3)!;
    // early origins have seen few fixes land, so the share is learned as the months go by
    expect(s.mae.value).toBeLessThan(0.7 * s.persistenceMae.value);
    // a fit at origin M only sees outcomes up to M: at 2025-02 only the 20 one-month pairs from
    // 2025-01 are known (under the 40 needed), at 2025-03 there are 60, so forecasts start there
    expect(Math.min(...track.map((p) => MONTHS.indexOf(p.origin)))).toBe(2);
    for (const p of track) expect(addMonths(p.origin, p.horizon) <= input.lastMonth).toBe(true);
  });

  it('counts an action on every topic (a channel roll-out) against the account’s whole gap', () => {
    const input = world();
    const fit = fitOnAll(input)!;
    // acc3 (no fix of its own) plans a roll-out to every topic: its gap, 10 points, is what it goes after
    const rollout = {
      accountId: 'acc3',
      date: '2026-01-10',
      kind: 'channel_rollout' as const,
      taxonomyId: null,
      note: null,
    };
    const live = forecastAccounts({ ...input, interventions: [...input.interventions, rollout] }, fit);
    const gain = live.get('acc3')!.h6.rate - live.get('acc3')!.rate;
    expect(gain).toBeCloseTo(0.1 * fit.coefficients[GAP_CLOSED]!, 2);
  });
});

describe('summarizeForecast', () => {
  const point = (accountId: string, forecast: number, actual: number, n: number): ForecastPoint => ({
    accountId,
    origin: '2025-06',
    horizon: 3,
    rateAtOrigin: 0.5,
    forecast: { rate: forecast, low: forecast - 0.05, high: forecast + 0.05 },
    actual,
    conversations: n,
  });

  it('weighs errors by volume and counts accounts, effective accounts and band coverage', () => {
    // a: 300 conversations, forecast 0.6, reached 0.62 (inside); b: 100, forecast 0.4, reached 0.5 (outside)
    const s = summarizeForecast([point('a', 0.6, 0.62, 300), point('b', 0.4, 0.5, 100)], 3, {
      ...DEFAULT_FORECAST,
      bootstrap: 50,
    })!;
    expect(s.mae.value).toBeCloseTo((300 * 0.02 + 100 * 0.1) / 400, 12);
    expect(s.persistenceMae.value).toBeCloseTo((300 * 0.12 + 100 * 0) / 400, 12);
    expect(s.coverage.value).toBe(0.5);
    expect(s.effectiveAccounts).toBeCloseTo(400 ** 2 / (300 ** 2 + 100 ** 2), 12);
    const floorA = Math.sqrt(2 / Math.PI) * Math.sqrt((0.62 * 0.38) / 300);
    const floorB = Math.sqrt(2 / Math.PI) * Math.sqrt((0.5 * 0.5) / 100);
    expect(s.noiseFloor.value).toBeCloseTo((300 * floorA + 100 * floorB) / 400, 12);
    expect(s.mae.low).toBeLessThanOrEqual(s.mae.value);
    expect(s.mae.high).toBeGreaterThanOrEqual(s.mae.value);
    // the gain over "no change", with its interval from the same (paired) resamples
    expect(s.gain.value).toBeCloseTo(1 - s.mae.value / s.persistenceMae.value, 12);
    expect(s.gain.low).toBeLessThanOrEqual(s.gain.value);
    expect(s.gain.high).toBeGreaterThanOrEqual(s.gain.value);
  });
});

describe('forecastAccounts (the live forecast each Account page shows)', () => {
  it('forecasts a planned fix from the last month, and "no change" for an account with none', () => {
    const input = world();
    // acc1 plans a content fix on topic A for the month after the data ends; acc3 plans nothing
    const planned = {
      accountId: 'acc1',
      date: '2026-01-10',
      kind: 'content' as const,
      taxonomyId: A,
      note: null,
    };
    const withPlan = { ...input, interventions: [...input.interventions, planned] };
    const live = forecastAccounts(withPlan, fitOnAll(withPlan));
    const acc1 = live.get('acc1')!;
    expect(acc1.from).toBe('2025-12');
    expect(acc1.rate).toBeCloseTo(0.5, 12);
    expect(acc1.h3.month).toBe('2026-03');
    expect(acc1.h6.month).toBe('2026-06');
    // the fix has landed by M+3: topic A (half the volume) +~20 points → the account +~10
    expect(acc1.h3.rate).toBeGreaterThan(0.58);
    expect(acc1.h3.rate).toBeLessThan(0.61);
    expect(acc1.h3.low).toBeLessThan(acc1.h3.rate);
    expect(acc1.h3.high).toBeGreaterThan(acc1.h3.rate);
    const acc3 = live.get('acc3')!;
    expect(acc3.h6.rate).toBeCloseTo(0.5, 2);
  });

  it('gives no forecast without a fit', () => {
    expect(forecastAccounts(world(), null).size).toBe(0);
  });
});

describe('why an account has no forecast', () => {
  const model = { pairs: 120 };
  it('names the rule that keeps it out, with the month and the figure', () => {
    expect(
      noForecastReason(
        { pairs: 0 },
        { aiLiveSince: '2026-01-05', lastCompleteMonth: '2026-10', conversationsThen: 900 },
      ),
    ).toBe(
      'No forecast yet: the data does not hold enough months to learn how accounts move (a month’s rate and where it was 1 to 6 months later).',
    );
    expect(
      noForecastReason(model, { aiLiveSince: null, lastCompleteMonth: '2026-10', conversationsThen: 900 }),
    ).toMatch(/gives no AI go-live date/);
    expect(
      noForecastReason(model, {
        aiLiveSince: '2026-08-12',
        lastCompleteMonth: '2026-10',
        conversationsThen: 900,
      }),
    ).toBe(
      'No forecast for this account: AI live from 12 Aug 2026, it needs 3 months live before the last complete month (Oct 2026).',
    );
    expect(
      noForecastReason(model, {
        aiLiveSince: '2026-06-28',
        lastCompleteMonth: '2026-10',
        conversationsThen: 31,
      }),
    ).toBe(
      'No forecast for this account: it needs 50+ conversations in the last complete month (Oct 2026: 31).',
    );
  });
});
