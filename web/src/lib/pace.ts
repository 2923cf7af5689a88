/**
 * How far a month in progress has run: a month-to-date count compared with a whole previous month
 * reads as a collapse ("−42%" eighteen days in). Its pace — the count scaled to the whole month —
 * is what compares.
 */

/** Share of `month` (YYYY-MM, UTC) elapsed at `asOf` (ISO), within (0, 1]; null when outside it. */
export function monthElapsed(month: string, asOf: string | null): number | null {
  if (!asOf || !/^\d{4}-\d{2}$/.test(month)) return null;
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  const start = Date.UTC(y, m - 1, 1);
  const end = Date.UTC(y, m, 1);
  const at = Date.parse(asOf);
  if (!Number.isFinite(at) || at < start || at >= end) return null;
  // the data runs to the end of asOf's second: a first-of-month export is a sliver, never zero
  return Math.min(1, (at + 1000 - start) / (end - start));
}

/** Before this share of the month a pace is a guess (a few hours × 360): none is given. */
export const MIN_PACE_ELAPSED = 0.1;

/**
 * The month's count at its current pace; null when the month is not in progress at `asOf` or
 * has run for under a tenth of it.
 */
export function paceOf(count: number, month: string, asOf: string | null): number | null {
  const elapsed = monthElapsed(month, asOf);
  return elapsed === null || elapsed < MIN_PACE_ELAPSED ? null : count / elapsed;
}

/**
 * Whether a prospect's export began within `month` after its first day (`dataFrom`, ISO): that
 * month is partial at its start, so it has no pace and is no base for a change.
 */
export function exportBeganWithin(dataFrom: string | null | undefined, month: string): boolean {
  return !!dataFrom && dataFrom.slice(0, 7) === month && dataFrom.slice(8, 10) !== '01';
}
