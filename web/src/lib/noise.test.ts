import { describe, expect, it } from 'vitest';
import { meanWithinNoise, withinNoise } from './noise.ts';

describe('withinNoise', () => {
  it('calls a change on one rating noise, the same change on thousands real', () => {
    // CSAT 100% of 1 rating against 75% of 4: pooled 80%, SE 0.447, |d| 0.25 < 0.88
    expect(withinNoise({ rate: 1, n: 1 }, { rate: 0.75, n: 4 })).toBe(true);
    expect(withinNoise({ rate: 1, n: 1000 }, { rate: 0.75, n: 4000 })).toBe(false);
    // 2 points on 20,000 conversations a month is real; on 200, noise
    expect(withinNoise({ rate: 0.5, n: 20_000 }, { rate: 0.48, n: 20_000 })).toBe(false);
    expect(withinNoise({ rate: 0.5, n: 200 }, { rate: 0.48, n: 200 })).toBe(true);
  });

  it('needs both rates, and treats an empty month as noise', () => {
    expect(withinNoise({ rate: 0.5, n: 10 }, null)).toBe(false);
    expect(withinNoise({ rate: null, n: 0 }, { rate: 0.5, n: 10 })).toBe(false);
    expect(withinNoise({ rate: 0.5, n: 0 }, { rate: 0.5, n: 10 })).toBe(true);
    expect(withinNoise({ rate: 1, n: 50 }, { rate: 1, n: 50 })).toBe(false);
  });
});

describe('meanWithinNoise', () => {
  it('reads a CX score change against 1/√n', () => {
    // 27 and 30 conversations: 1.96 · √(1/27 + 1/30) = 0.52
    expect(meanWithinNoise({ mean: 3.87, n: 27 }, { mean: 3.75, n: 30 })).toBe(true);
    expect(meanWithinNoise({ mean: 3.87, n: 2700 }, { mean: 3.75, n: 3000 })).toBe(false);
    expect(meanWithinNoise({ mean: 3.87, n: 27 }, null)).toBe(false);
  });
});
