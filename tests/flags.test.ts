import { describe, expect, it } from 'vitest';
import { computeFlags, type MonthPoint } from '../server/domain/flags.ts';

describe('triage flags', () => {
  const months = (
    resolved: number[],
    rates: number[],
    cx: number[] = resolved.map(() => 4),
    conversations = 7000,
  ): MonthPoint[] =>
    resolved.map((r, i) => ({
      month: `2026-0${i + 1}`,
      conversations,
      resolved: r,
      automationRate: rates[i]!,
      cxScore: cx[i]!,
    }));

  it('plateau: flat resolved volume and rate for 3 months with a large gap', () => {
    const flat = months([2790, 2810, 2805], [0.4, 0.401, 0.402]);
    const flags = computeFlags(flat, 0.2, 4);
    expect(flags.map((f) => f.kind)).toEqual(['plateau']);
    expect(flags[0]!.reason).toBe(
      'Flat for 3 months (2026-01 to 2026-03): 2,790–2,810 resolved/month, automation 40.0%–40.2%, while 20.0 pts below potential.',
    );
    expect(computeFlags(flat, 0.02, 4)).toEqual([]);
    expect(computeFlags(months([2000, 2400, 2800], [0.3, 0.35, 0.4]), 0.2, 4)).toEqual([]);
  });

  it('declining: automation or CX down between the last two quarters', () => {
    const down = months(
      [3000, 3000, 3000, 2500, 2500, 2500],
      [0.5, 0.5, 0.5, 0.44, 0.44, 0.44],
      [4, 4, 4, 3.7, 3.7, 3.7],
    );
    const flags = computeFlags(down, 0.05, 3.7);
    expect(flags.map((f) => f.kind)).toEqual(['declining']);
    expect(flags[0]!.reason).toContain('Automation fell from 50.0% to 44.0%');
    expect(flags[0]!.reason).toContain('CX score fell from 4.00 to 3.70');
  });

  it('plateau whatever the volume does: a seasonal account with a flat rate is flat', () => {
    // volume swings ±30% (a seasonal shop) while automation stays within 1.5 points
    const seasonal = months([2000, 2900, 2300], [0.41, 0.415, 0.4]);
    expect(computeFlags(seasonal, 0.15, 4).map((f) => f.kind)).toEqual(['plateau']);
  });

  it('climbing: a sustained rise over 6 months, not a jump with a fall in it', () => {
    const climb = months([1800, 1900, 2000, 2100, 2200, 2300], [0.6, 0.63, 0.66, 0.7, 0.73, 0.76]);
    const flags = computeFlags(climb, 0.05, 4);
    expect(flags.map((f) => f.kind)).toEqual(['climbing']);
    expect(flags[0]!.reason).toBe(
      'Automation rose from 60.0% to 76.0% over 6 months (2026-01 to 2026-06), 10.0 pts between the first and last 3-month averages, never dipping more than 0.0 pts in a month.',
    );
    // the same rise with a 4-point fall in the middle is not a sustained climb
    const bumpy = months([2000, 2000, 2000, 2000, 2000, 2000], [0.6, 0.66, 0.62, 0.7, 0.73, 0.76]);
    expect(computeFlags(bumpy, 0.05, 4).map((f) => f.kind)).toEqual([]);
    // a climb that has flattened for the last 3 months with a gap left is a plateau now
    const flattened = months([2000, 2000, 2000, 2000, 2000, 2000], [0.55, 0.6, 0.65, 0.7, 0.705, 0.71]);
    expect(computeFlags(flattened, 0.15, 4).map((f) => f.kind)).toEqual(['plateau']);
    // nor is a rise too small to matter
    const drift = months([2000, 2000, 2000, 2000, 2000, 2000], [0.6, 0.61, 0.62, 0.63, 0.64, 0.65]);
    expect(computeFlags(drift, 0.05, 4).map((f) => f.kind)).toEqual([]);
  });

  it('low CX below the threshold', () => {
    expect(computeFlags([], null, 3.1).map((f) => f.kind)).toEqual(['low_cx']);
    expect(computeFlags([], null, null)).toEqual([]);
  });

  // Sampling noise (issue 10 item 6, measured against the demo world's truth): a month's rate over
  // n conversations moves by √(p(1−p)/n) by chance alone, so each threshold widens to 2 of those
  // standard errors where that is larger.
  it('plateau: a small account flat within its noise is flat; a large one is not', () => {
    // 150 a month at ~42%: SE = √(0.417 × 0.583 / 150) = 4.03 pts; 3 draws spread within
    // 1.65 × 2 × 4.03 = 13.3 pts by chance, so a 4-point spread is flat
    const small = months([60, 66, 62], [0.4, 0.44, 0.41], [4, 4, 4], 150);
    expect(computeFlags(small, 0.2, 4).map((f) => f.kind)).toEqual(['plateau']);
    // at 7,000 a month the SE is 0.59 pts (noise 1.9 pts): 4 points is a move, not flat
    const large = months([2800, 3080, 2870], [0.4, 0.44, 0.41]);
    expect(computeFlags(large, 0.2, 4).map((f) => f.kind)).toEqual([]);
  });

  it("climbing: a rise that clears the noise of two 3-month averages, dips within two months' noise", () => {
    const rates = [0.4, 0.38, 0.45, 0.47, 0.44, 0.52];
    // 150 a month: early 41.0%, late 47.7%, rise 6.7 pts ≥ 2 × √(0.443 × 0.557 × (1/450 + 1/450))
    // = 6.6 pts; the 3-point dip is within 2 × √2 × √(0.443 × 0.557 / 150) = 11.5 pts
    const small = months([60, 57, 68, 71, 66, 78], rates, [4, 4, 4, 4, 4, 4], 150);
    expect(computeFlags(small, 0.1, 4).map((f) => f.kind)).toEqual(['climbing']);
    // at 7,000 a month a 3-point fall is more than noise (1.7 pts): not a sustained climb
    const large = months([2800, 2660, 3150, 3290, 3080, 3640], rates);
    expect(computeFlags(large, 0.1, 4).map((f) => f.kind)).toEqual([]);
    // and a 5-point rise at 100 a month is within noise (2 × √(0.4 × 0.6 × 2/300) = 8 pts)
    const noisy = months(
      [40, 40, 40, 45, 45, 45],
      [0.4, 0.4, 0.4, 0.45, 0.45, 0.45],
      [4, 4, 4, 4, 4, 4],
      100,
    );
    expect(computeFlags(noisy, 0.02, 4).map((f) => f.kind)).toEqual([]);
  });

  it('declining: a drop within the noise of two 3-month averages is not a decline', () => {
    const rates = [0.5, 0.5, 0.5, 0.46, 0.46, 0.46];
    // 100 a month: 2 × √(0.48 × 0.52 × (1/300 + 1/300)) = 8.2 pts > the 4-point drop
    const small = months([50, 50, 50, 46, 46, 46], rates, [4, 4, 4, 4, 4, 4], 100);
    expect(computeFlags(small, 0.02, 4).map((f) => f.kind)).toEqual([]);
    const large = months([3500, 3500, 3500, 3220, 3220, 3220], rates);
    expect(computeFlags(large, 0.02, 4).map((f) => f.kind)).toEqual(['declining']);
  });
});
