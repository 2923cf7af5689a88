/** Student's t (server/domain/stats.ts) against printed table values. */
import { describe, expect, it } from 'vitest';
import { normalQuantile, studentTCdf, studentTQuantile } from '../server/domain/stats.ts';

describe("Student's t", () => {
  it('matches the printed quantiles', () => {
    const table: [df: number, p: number, t: number][] = [
      [1, 0.975, 12.7062],
      [2, 0.975, 4.3027],
      [4, 0.975, 2.7764],
      [10, 0.975, 2.2281],
      [30, 0.975, 2.0423],
      [2, 0.9, 1.8856],
      [3, 0.995, 5.8409],
    ];
    for (const [df, p, t] of table) {
      expect(studentTQuantile(p, df)).toBeCloseTo(t, 4);
      expect(studentTQuantile(1 - p, df)).toBeCloseTo(-t, 4);
      expect(studentTCdf(t, df)).toBeCloseTo(p, 5);
    }
  });

  it('tends to the normal with many degrees of freedom', () => {
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(normalQuantile(0.975), 4);
    expect(studentTQuantile(0.975, Number.POSITIVE_INFINITY)).toBe(normalQuantile(0.975));
    expect(studentTQuantile(0.5, 3)).toBeCloseTo(0, 10);
    // no degrees of freedom: nothing known of the spread
    expect(studentTQuantile(0.975, 0)).toBe(Number.POSITIVE_INFINITY);
    expect(studentTQuantile(0.025, 0)).toBe(Number.NEGATIVE_INFINITY);
  });
});
