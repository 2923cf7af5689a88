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
/** a stray day holds at most this many conversations, or this share of them all */
export const STRAY_MAX = 3;
export const STRAY_SHARE = 0.001;

export interface StrayDay {
  day: number;
  conversations: number;
  /** days from it to the nearest day kept, and whether it lies after the data or before it */
  gapDays: number;
  after: boolean;
}

/** The stray days of conversations counted per day (`day`: days since the epoch, oldest first). */
export function strayDays(days: readonly { day: number; conversations: number }[]): StrayDay[] {
  const total = days.reduce((n, d) => n + d.conversations, 0);
  const limit = Math.max(STRAY_MAX, STRAY_SHARE * total);
  const strays: StrayDay[] = [];
  let first = 0;
  let last = days.length - 1;
  let kept = total;
  // from either end, while the end day stands alone and small, and most of the data stays
  for (let moved = true; moved && last > first; ) {
    moved = false;
    const head = days[first]!;
    const headGap = days[first + 1]!.day - head.day;
    if (headGap > STRAY_GAP_DAYS && head.conversations <= limit && kept - head.conversations >= 10 * limit) {
      strays.push({ day: head.day, conversations: head.conversations, gapDays: headGap, after: false });
      kept -= head.conversations;
      first++;
      moved = true;
      if (last <= first) break;
    }
    const tail = days[last]!;
    const tailGap = tail.day - days[last - 1]!.day;
    if (tailGap > STRAY_GAP_DAYS && tail.conversations <= limit && kept - tail.conversations >= 10 * limit) {
      strays.push({ day: tail.day, conversations: tail.conversations, gapDays: tailGap, after: true });
      kept -= tail.conversations;
      last--;
      moved = true;
    }
  }
  return strays.sort((a, b) => a.day - b.day);
}
