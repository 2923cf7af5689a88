import { describe, expect, it } from 'vitest';
import { strayDays } from '../scripts/pipeline/strays.ts';

const run = (from: number, n: number, perDay = 40) =>
  Array.from({ length: n }, (_, k) => ({ day: from + k, conversations: perDay }));

describe('strayDays', () => {
  it('finds a lone small day a month or more from the data, at either end', () => {
    const days = [{ day: 100, conversations: 1 }, ...run(400, 90), { day: 1200, conversations: 2 }];
    expect(strayDays(days)).toEqual([
      { day: 100, conversations: 1, gapDays: 300, after: false },
      { day: 1200, conversations: 2, gapDays: 711, after: true },
    ]);
  });

  it('keeps a quiet spell inside the data, a day within a month of it, and a large or near day', () => {
    expect(strayDays([...run(0, 30), { day: 100, conversations: 1 }, ...run(200, 30)])).toEqual([]);
    expect(strayDays([...run(0, 90), { day: 119, conversations: 1 }])).toEqual([]);
    // a day of 300 of 3,900 conversations is a day of data, however far
    expect(strayDays([...run(0, 90), { day: 400, conversations: 300 }])).toEqual([]);
  });

  it('takes at most 3 conversations a day, and a day next to the data only', () => {
    // a day of 900 in a million is a day of data; twelve sparse pilot days are the data's start
    expect(strayDays([{ day: 0, conversations: 900 }, ...run(200, 90, 11_000)])).toEqual([]);
    const pilot = Array.from({ length: 12 }, (_, k) => ({ day: k * 35, conversations: 2 }));
    expect(strayDays([...pilot, ...run(500, 90)])).toEqual([]);
  });

  it('takes two typos at one end, 3 conversations at most', () => {
    const two = [{ day: 0, conversations: 2 }, { day: 10957, conversations: 1 }, ...run(20000, 365)];
    expect(strayDays(two).map((d) => d.day)).toEqual([0, 10957]);
    const after = [...run(0, 90), { day: 500, conversations: 1 }, { day: 900, conversations: 1 }];
    expect(strayDays(after).map((d) => [d.day, d.after])).toEqual([
      [500, true],
      [900, true],
    ]);
    // four conversations on two days are more than typos
    expect(
      strayDays([{ day: 0, conversations: 2 }, { day: 100, conversations: 2 }, ...run(400, 90)]),
    ).toEqual([]);
  });

  it('never takes most of the data for strays', () => {
    expect(
      strayDays([
        { day: 0, conversations: 2 },
        { day: 100, conversations: 3 },
      ]),
    ).toEqual([]);
    expect(strayDays([])).toEqual([]);
    expect(strayDays([{ day: 5, conversations: 1 }])).toEqual([]);
  });
});
