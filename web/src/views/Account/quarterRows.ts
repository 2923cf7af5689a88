/** The quarter table's rows: a label that says when a quarter is covered in part, and the change. */
import type { QuarterFigures } from '../../api/server-types.ts';
import { dateLabel } from '../../lib/format.ts';

export interface QuarterRow {
  quarter: QuarterFigures;
  /** "Q3 2026", "Q4 2026 (to date)", "Q1 2026 (2 of 3 months)" */
  label: string;
  /** automation rate minus the quarter before's (fraction); null for the first or where either has none */
  automationChange: number | null;
}

/**
 * `month` is the dataset's current month, `monthToDate` whether it is still running: that quarter
 * reads "(to date)". A quarter with conversations in fewer of its months (the data began, or the
 * account went quiet) says how many, so its volume is not read as a whole quarter's.
 */
export function quarterRows(
  quarters: readonly QuarterFigures[],
  month: string,
  monthToDate: boolean,
  /** the AI agent's go-live (YYYY-MM-DD…), null: none known */
  aiLiveSince: string | null = null,
  /** the data's last timestamp: a go-live after its day is still to come */
  dataAsOf: string | null = null,
): QuarterRow[] {
  const liveDay = aiLiveSince?.slice(0, 10) ?? null;
  const toCome =
    liveDay !== null && (dataAsOf ? liveDay > dataAsOf.slice(0, 10) : liveDay.slice(0, 7) > month);
  const liveMonth = aiLiveSince?.slice(0, 7) ?? null;
  return quarters.map((q, i) => {
    const name = `Q${q.quarter.slice(6)} ${q.quarter.slice(0, 4)}`;
    const running = month >= q.from && month <= q.to && (monthToDate || month < q.to);
    const notes = [
      q.conversations === 0
        ? running
          ? 'no conversations so far'
          : 'no conversations'
        : running
          ? 'to date'
          : q.monthsWithData < 3
            ? `${q.monthsWithData} of 3 months`
            : null,
      liveMonth && liveMonth >= q.from && liveMonth <= q.to
        ? `AI ${toCome ? 'to go live on' : 'live from'} ${dateLabel(aiLiveSince!).replace(/ \d{4}$/, '')}`
        : null,
    ].filter((x) => x !== null);
    const label = notes.length ? `${name} (${notes.join('; ')})` : name;
    // the quarter just before, not the row before (a prospect's export may skip quarters); and
    // none from a quarter the AI agent was not live for all of (the change would be the go-live)
    const before = quarters[i - 1];
    const adjacent =
      before !== undefined &&
      monthAfter(before.to) === q.from &&
      (aiLiveSince === null || aiLiveSince.slice(0, 10) <= `${before.from}-01`);
    const automationChange =
      adjacent && before.automationRate !== null && q.automationRate !== null
        ? q.automationRate - before.automationRate
        : null;
    return { quarter: q, label, automationChange };
  });
}

/** "2025-12" → "2026-01". */
function monthAfter(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}
