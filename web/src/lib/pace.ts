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

/** "20 minutes", "5 hours", "2 days": how long a month has run. */
function ranFor(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes < 90) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} hours`;
  return `${Math.round(hours / 24)} days`;
}

/**
 * A month in progress that has run for under a tenth of it: its figures rest on its first
 * conversations (a portfolio rate of "100%, 1 of 1" twenty minutes into December), and the page
 * says so. Null when the month is further on, over, or not the one `asOf` is in.
 */
export function youngMonthNote(month: string | null, asOf: string | null, label: string): string | null {
  if (!month || !asOf) return null;
  const elapsed = monthElapsed(month, asOf);
  if (elapsed === null || elapsed >= MIN_PACE_ELAPSED) return null;
  const start = Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1, 1);
  return `${label} has run for ${ranFor(Date.parse(asOf) + 1000 - start)}: this month’s figures rest on its first conversations and move a lot; the trend holds the complete months.`;
}
