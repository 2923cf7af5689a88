/**
 * Stray dates in a full build: a conversation or three dated on one day, a month or more from every
 * other, at either end of the data — a typo in a year, a test record — left out and reported as
 * rejects. Kept, one dated today among data that ends two years ago set "data as of" to today: nine
 * accounts of ten showed 0 conversations this month, 23 empty months and no potential, flag or
 * forecast (a data engineer's review); one dated 2005 gave its account twenty years of empty months.
 * (The estimate sets such dates aside the same way: server/estimate/coverage.ts.)
 */

/** a gap this long, in days, between a day of data and the next parts the data */
export const STRAY_GAP_DAYS = 30;
/**
 * a stray day holds at most this many conversations, whatever the data's size (a share of it
 * dropped a real 900-conversation day from a million; a diff review)
 */
export const STRAY_MAX = 3;

export interface StrayDay {
  day: number;
  conversations: number;
  /** days from it to the nearest other day, and whether it lies after the data or before it */
  gapDays: number;
  after: boolean;
}

/**
 * The stray days of conversations counted per day (`day`: days since the epoch, oldest first): at
 * either end, days a month or more apart holding 3 conversations or fewer together, each only when
 * the run of days next to them is the data — at least ten times a stray's size — and not another
 * small day (twelve sparse pilot days, a month apart, are the data's start, not eleven strays).
 */
export function strayDays(days: readonly { day: number; conversations: number }[]): StrayDay[] {
  if (days.length < 2) return [];
  /** conversations in the run of days from `i` onwards in `step`'s direction, to the first gap */
  const runFrom = (i: number, step: 1 | -1): number => {
    let n = 0;
    for (let k = i; k >= 0 && k < days.length; k += step) {
      n += days[k]!.conversations;
      const next = days[k + step];
      if (!next || Math.abs(next.day - days[k]!.day) > STRAY_GAP_DAYS) break;
    }
    return n;
  };
  const strays: StrayDay[] = [];
  // from each end, the days a month or more apart from the next while they hold 3 conversations
  // or fewer together (two typos, 1970 and 2000, are both strays), when the run after them is the data
  let head = 0;
  let peeled = 0;
  while (
    head < days.length - 1 &&
    days[head + 1]!.day - days[head]!.day > STRAY_GAP_DAYS &&
    peeled + days[head]!.conversations <= STRAY_MAX
  )
    peeled += days[head++]!.conversations;
  if (head > 0 && runFrom(head, 1) >= 10 * STRAY_MAX)
    for (let k = 0; k < head; k++)
      strays.push({ ...days[k]!, gapDays: days[k + 1]!.day - days[k]!.day, after: false });
  let tail = days.length - 1;
  peeled = 0;
  while (
    tail > head &&
    days[tail]!.day - days[tail - 1]!.day > STRAY_GAP_DAYS &&
    peeled + days[tail]!.conversations <= STRAY_MAX
  )
    peeled += days[tail--]!.conversations;
  if (tail < days.length - 1 && runFrom(tail, -1) >= 10 * STRAY_MAX)
    for (let k = tail + 1; k < days.length; k++)
      strays.push({ ...days[k]!, gapDays: days[k]!.day - days[k - 1]!.day, after: true });
  return strays;
}
