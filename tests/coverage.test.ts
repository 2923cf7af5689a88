import { describe, expect, it } from 'vitest';
import { coverageNotes, coveredMs, DAY_MS, exportCoverage } from '../server/estimate/coverage.ts';

const sorted = (xs: number[]) => Float64Array.from(xs).sort();
const DAY = DAY_MS;

describe('the time an export covers', () => {
  it('is the first to the last date when the dates are one run', () => {
    const times = sorted(Array.from({ length: 100 }, (_, i) => i * DAY));
    const c = exportCoverage(times);
    expect(c.runs).toEqual([{ firstMs: 0, lastMs: 99 * DAY, conversations: 100 }]);
    expect(c.stray).toEqual([]);
    expect(c.coveredMs).toBe(coveredMs(100, 99 * DAY));
    expect(coverageNotes(c, 3.3)).toEqual([]);
  });

  it('cuts the dates where no steady export has a gap, and sets aside a run of 2% or less', () => {
    // 100 a day for 10 days, 1 record 400 days earlier and 2 records 90 days after
    const bulk = Array.from({ length: 1000 }, (_, i) => 500 * DAY + i * (DAY / 100));
    const c = exportCoverage(sorted([100 * DAY, ...bulk, 600 * DAY, 600 * DAY + 3600_000]));
    expect(c.runs).toHaveLength(1);
    expect(c.stray.map((r) => r.conversations)).toEqual([1, 2]);
    expect(c.conversations).toBe(1000);
    expect(c.coveredMs).toBe(coveredMs(1000, bulk[999]! - bulk[0]!));
    const [note] = coverageNotes(c, 0.33);
    expect(note).toMatch(
      /^3 conversations are dated far from the rest of the export \(11 Apr 1970, 13 months before the rest; /,
    );
  });

  it('sets a lone mistyped date aside in a sample of under 50 too', () => {
    // 40 conversations over June, one dated 21 years earlier: not "2 separate periods"
    const june = Array.from({ length: 40 }, (_, i) => 1000 * DAY + (i * 29 * DAY) / 40);
    const c = exportCoverage(sorted([1000 * DAY - 21 * 365 * DAY, ...june]));
    expect(c.runs).toEqual([{ firstMs: june[0], lastMs: june[39], conversations: 40 }]);
    expect(c.stray.map((r) => r.conversations)).toEqual([1]);
    // two lone dates are not both strays: neither is the export's
    expect(exportCoverage(sorted([0, 400 * DAY])).stray).toEqual([]);
  });

  it('sums the runs of an export sampled in separate periods', () => {
    const week = (start: number) => Array.from({ length: 200 }, (_, i) => start + i * 3600_000);
    const c = exportCoverage(sorted([...week(0), ...week(150 * DAY)]));
    expect(c.runs).toHaveLength(2);
    expect(c.coveredMs).toBeCloseTo(2 * coveredMs(200, 199 * 3600_000), 6);
    expect(coverageNotes(c, 0.4)[0]).toBe(
      'the export holds 2 separate periods with 30+ days without a conversation between them (1 Jan 1970 – 9 Jan 1970; 31 May 1970 – 8 Jun 1970): its volume a month is read over the 0.4 months they cover, not from its first date to its last',
    );
  });

  it('reads a gap no longer than the runs around it as a quiet spell, counted in the months', () => {
    // ~10 a day for 7 months, closed 6 weeks, 4 months more: one run, the closure counted
    const open = (from: number, days: number) =>
      Array.from({ length: days * 10 }, (_, i) => from + i * (DAY / 10));
    const c = exportCoverage(sorted([...open(0, 210), ...open(252 * DAY, 120)]));
    expect(c.runs).toHaveLength(1);
    expect(c.coveredMs).toBe(coveredMs(3300, 252 * DAY + 120 * DAY - DAY / 10));
  });

  it('keeps a small run that lasts more than a day as a period of the export, not a stray date', () => {
    // three sampled weeks, the last one small (15 of 1,015): a week of data all the same
    const week = (start: number, n: number) => Array.from({ length: n }, (_, i) => start + (i * 7 * DAY) / n);
    const c = exportCoverage(sorted([...week(0, 500), ...week(90 * DAY, 500), ...week(180 * DAY, 15)]));
    expect(c.runs.map((r) => r.conversations)).toEqual([500, 500, 15]);
    expect(c.stray).toEqual([]);
  });

  it('stretches the cut for a sparse export: a gap of 20 typical ones', () => {
    // one conversation every 5 days, one 60-day pause: 60 < 20 × 5, still one run
    const times = [...Array.from({ length: 30 }, (_, i) => i * 5 * DAY), 205 * DAY, 210 * DAY];
    expect(exportCoverage(sorted(times)).runs).toHaveLength(1);
  });

  it('reads a handful of far-apart dates as one sparse run, and has nothing for no dates', () => {
    const c = exportCoverage(sorted([0, 100 * DAY, 200 * DAY]));
    expect(c.runs).toHaveLength(1);
    expect(c.stray).toEqual([]);
    expect(exportCoverage(new Float64Array(0))).toEqual({
      runs: [],
      stray: [],
      coveredMs: 0,
      conversations: 0,
    });
  });
});
