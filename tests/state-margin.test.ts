import { describe, expect, it } from 'vitest';
import { DETECTABLE_Z, type StateEvidence, stateMargin } from '../scripts/demo/recovery.ts';

// How far a demo world's planted state sits from the truth's threshold, in standard errors of the
// same statistic read off the account's conversations (issue 10 item 6: states too close to call
// are counted apart, not dropped).
describe('state margins', () => {
  const evidence = (over: Partial<StateEvidence>): StateEvidence => ({
    automation: [0.4, 0.4, 0.4, 0.4, 0.4, 0.4],
    satisfaction: [3.8, 3.8, 3.8, 3.8, 3.8, 3.8],
    conversations: [10_000, 10_000, 10_000, 10_000, 10_000, 10_000],
    ceiling: 0.6,
    potentialError: 0.02,
    ...over,
  });

  it('plateau: a flat rate is told from a 2-point move only with thousands a month', () => {
    // spread 0, 2 pts under the bar; two months' noise √(2 × 0.24/10000) = 0.69 pts: z = 2.89;
    // the 20-point gap is 12 over the bar by √(0.24/30000 + 0.02²) = 2.02 pts: z = 5.94
    expect(stateMargin('plateau', evidence({}))).toBeCloseTo(2.887, 2);
    // at 100 a month the noise is 6.9 pts: z = 0.29, too close to call
    const small = stateMargin('plateau', evidence({ conversations: [100, 100, 100, 100, 100, 100] }));
    expect(small).toBeCloseTo(0.289, 2);
    expect(Math.abs(small)).toBeLessThan(DETECTABLE_Z);
    // a 4-point move is clearly not a plateau at 10,000 a month
    expect(stateMargin('plateau', evidence({ automation: [0.4, 0.4, 0.4, 0.4, 0.42, 0.44] }))).toBeLessThan(
      -DETECTABLE_Z,
    );
  });

  it('climbing: the weaker of the rise and the still-rising conditions', () => {
    // early 40%, late 46%: 2 pts over the 4-point bar by √(0.2419 × 2/30000) = 0.40 pts (z = 4.98);
    // the last 3 months rose 4 pts, 2.5 over 1.5 by √(0.2419 × 2/10000) = 0.70 pts (z = 3.59)
    const z = stateMargin('climbing', evidence({ automation: [0.4, 0.4, 0.4, 0.44, 0.46, 0.48] }));
    expect(z).toBeCloseTo(2.5 / 100 / Math.sqrt((0.46 * 0.54 * 2) / 10_000), 2);
  });

  it('declining and low CX: mean satisfaction read with a point of noise per conversation', () => {
    // 3.8 → 3.5 is 0.15 over the bar; √(1/30000 + 1/30000) = 0.0082: z = 18
    const z = stateMargin('declining', evidence({ satisfaction: [3.8, 3.8, 3.8, 3.5, 3.5, 3.5] }));
    expect(z).toBeCloseTo(0.15 / Math.sqrt(2 / 30_000), 1);
    // 3.35 is 0.05 under 3.4; at 30 a month √(1/90) = 0.105: z = 0.47, too close to call
    const low = stateMargin(
      'low_cx',
      evidence({
        satisfaction: [3.35, 3.35, 3.35, 3.35, 3.35, 3.35],
        conversations: [30, 30, 30, 30, 30, 30],
      }),
    );
    expect(low).toBeCloseTo(0.05 / Math.sqrt(1 / 90), 2);
  });
});
