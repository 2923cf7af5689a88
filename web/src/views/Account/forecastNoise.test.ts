import { describe, expect, it } from 'vitest';
import { monthNoise } from './forecastNoise.ts';

describe('monthNoise', () => {
  it('is the mean absolute sampling deviation of a month’s rate at the account’s volume', () => {
    // 25% on 80 conversations a month: √(2/π)·√(0.25·0.75/80) = 3.86 points
    expect(monthNoise(0.25, 80)).toBeCloseTo(0.0386, 4);
    // the same rate at 8,000 a month: a tenth of it
    expect(monthNoise(0.25, 8000)).toBeCloseTo(0.00386, 5);
  });
  it('says nothing without conversations or a rate', () => {
    expect(monthNoise(0.25, 0)).toBeNull();
    expect(monthNoise(Number.NaN, 80)).toBeNull();
  });
});
