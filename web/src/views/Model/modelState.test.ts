import { describe, expect, it } from 'vitest';
import type { CeilingSummary, ErrorSummary, ModelResponse } from '../../api/server-types.ts';
import {
  actedRows,
  backtestScope,
  biasWords,
  ceilingFoot,
  headlinePass,
  missesNote,
  parseHorizon,
  serializeHorizon,
  verticalRows,
} from './modelState.ts';

const e = (mae: number | null, n = 10): ErrorSummary => ({
  n,
  accounts: Math.min(n, 3),
  mae,
  maeLow: null,
  maeHigh: null,
  bias: mae === null ? null : -mae,
  coverage: 0.5,
  below: 0.4,
  above: 0.1,
});
const c = (exceeded: number): CeilingSummary => ({
  n: 2,
  accounts: 2,
  exceeded,
  exceededLow: 0,
  exceededHigh: 1,
  sustained: { n: 2, accounts: 2, exceeded, exceededLow: 0, exceededHigh: 1 },
  headroom6: 0.04,
});
const point = (accountId: string, month: string) => ({
  accountId,
  name: accountId,
  vertical: 'saas',
  month,
  predicted: 0.5,
  predictedLow: 0.4,
  predictedHigh: 0.6,
  currentRate: 0.3,
  actual3: 0.35,
  actual6: null,
  peak6: 0.35,
  peak3of6: null,
  acted: false,
});

const model: ModelResponse = {
  method: 'm',
  forecast: null,
  ceiling: c(0.5),
  fixedLeaves: null,
  overall: { h3: e(0.1), h6: e(0.12) },
  byVertical: [
    { vertical: 'ecommerce', ceiling: c(0), h3: e(0.1), h6: e(0.2) },
    { vertical: 'saas', ceiling: c(0.2), h3: e(0.05), h6: e(null, 0) },
  ],
  byActed: [
    { acted: false, ceiling: c(0.1), h3: e(0.2), h6: e(0.3) },
    { acted: true, ceiling: c(0.05), h3: e(0.1), h6: e(0.15) },
  ],
  largestMisses: [],
  points: [
    { ...point('b', '2026-04'), actual6: 0.4 },
    { ...point('a', '2026-02'), actual6: 0.4 },
    { ...point('a', '2026-05'), actual6: 0.4 },
    point('c', '2026-07'),
  ],
};

describe('horizon in the URL', () => {
  it('defaults to M+6 and keeps it out of the URL', () => {
    expect(parseHorizon('')).toBe(6);
    expect(parseHorizon('h=3')).toBe(3);
    expect(parseHorizon('h=9')).toBe(6);
    expect(serializeHorizon(6)).toBe('');
    expect(serializeHorizon(3)).toBe('h=3');
  });
});

describe('error rows', () => {
  it('labels verticals and puts accounts that acted first', () => {
    expect(verticalRows(model).map((r) => [r.key, r.label, r.h6.mae])).toEqual([
      ['ecommerce', 'E-commerce', 0.2],
      ['saas', 'SaaS', null],
    ]);
    expect(actedRows(model).map((r) => [r.key, r.label, r.h3.mae])).toEqual([
      ['acted', 'Acted on gaps', 0.1],
      ['not-acted', 'Did not act', 0.2],
    ]);
  });
  it('finds the accounts and months behind the backtest', () => {
    // M+6: a month without its outcome yet is not plotted, so not in the caption
    expect(backtestScope(model, 6)).toEqual({ accounts: 2, from: '2026-02', to: '2026-05' });
    expect(backtestScope(model, 3)).toEqual({ accounts: 3, from: '2026-02', to: '2026-07' });
    expect(backtestScope({ ...model, points: [] }, 6)).toEqual({ accounts: 0, from: null, to: null });
  });
  it('puts the bias in words', () => {
    expect(biasWords(-0.159)).toMatch(/^Accounts reached 15\.9 pts less than predicted/);
    expect(biasWords(0.05)).toBe('Accounts reached 5.0 pts more than predicted on average');
    expect(biasWords(0.001)).toBe('No systematic over- or under-prediction');
    expect(biasWords(null)).toBe('No backtest points yet');
  });
});

describe('the ceiling tile', () => {
  const none = { n: 0, accounts: 0, exceeded: null, exceededLow: null, exceededHigh: null };
  const share = (n: number, accounts: number, exceeded: number, low: number | null, high: number | null) => ({
    n,
    accounts,
    exceeded,
    exceededLow: low,
    exceededHigh: high,
  });
  it('judges the ceiling over 3 months in a row, with the single month beside it', () => {
    const ceiling = {
      ...share(342, 60, 0.105, 0.05, 0.184),
      sustained: share(330, 59, 0.035, 0.012, 0.07),
      headroom6: 0.1,
    };
    expect(headlinePass(ceiling)).toBe(ceiling.sustained);
    expect(ceilingFoot(ceiling)).toBe(
      'over 3 months in a row · 330 account-months of 59 accounts · 90% interval 1.2%–7.0% · rarely passed, as a ceiling should be · in a single month 10.5% (5.0%–18.4%), a month’s sampling noise included',
    );
  });
  it('falls back to the single month until 3 months in a row are observed', () => {
    const ceiling = { ...share(3, 1, 1 / 3, null, null), sustained: none, headroom6: null };
    expect(headlinePass(ceiling)).toBe(ceiling);
    expect(ceilingFoot(ceiling)).toBe(
      'in any single month · 3 account-months of 1 account · passed too often: the ceiling is set too low',
    );
  });
  it('says when the interval reaches past the 10% bar', () => {
    const ceiling = {
      ...share(377, 67, 0.09, 0.04, 0.16),
      sustained: share(377, 67, 0.056, 0.021, 0.121),
      headroom6: 0.1,
    };
    expect(ceilingFoot(ceiling)).toMatch(
      /^over 3 months in a row · 377 account-months of 67 accounts · 90% interval 2\.1%–12\.1% · rarely passed so far, but too few accounts to rule out more than 10% · in a single month 9\.0%/,
    );
  });
});

describe('missesNote', () => {
  it('says the passes of the ceiling come first, then the shortfalls', () => {
    expect(missesNote([{ error: 0.05 }, { error: -0.3 }, { error: -0.2 }])).toBe(
      '1 pass of the ceiling at M+3 or M+6 (the misses that count against it), then the 2 largest shortfalls (headroom not yet used)',
    );
    expect(missesNote([{ error: -0.3 }])).toBe(
      'no account passed its ceiling at M+3 or M+6: the largest shortfall',
    );
  });
});
