import { describe, expect, it } from 'vitest';
import { parseMinutes } from './minutes.ts';

describe('minutes per conversation', () => {
  it('reads a decimal point or a decimal comma alike', () => {
    expect(parseMinutes('12')).toBe(12);
    expect(parseMinutes('7.5')).toBe(7.5);
    expect(parseMinutes('7,5')).toBe(7.5);
    expect(parseMinutes(' 0,5 ')).toBe(0.5);
    expect(parseMinutes('.5')).toBe(0.5);
    expect(parseMinutes(',5')).toBe(0.5);
    // half typed: "7," is 7 until the decimal comes
    expect(parseMinutes('7,')).toBe(7);
    // a Japanese keyboard's wide mode: full-width digits and point, or an ideographic comma's cousin
    expect(parseMinutes('７．５')).toBe(7.5);
    expect(parseMinutes('１２')).toBe(12);
    expect(parseMinutes('７，５')).toBe(7.5);
  });
  it('refuses what is not one number in 0.5–240', () => {
    for (const bad of [
      '',
      ' ',
      '0',
      '0.4',
      '241',
      '1,234',
      '1.234,5',
      '7.5.1',
      '-3',
      '1e2',
      'abc',
      '7 5',
      '.',
      ',',
      ',,5',
    ])
      expect(parseMinutes(bad), bad).toBeNull();
    expect(parseMinutes('240')).toBe(240);
  });
});
