/**
 * An account's figures by calendar quarter (a QBR compares this quarter with the last): the SPEC §1
 * rates of each quarter's summed counts, never an average of its months' rates.
 */
import { periodFigures } from './figures.ts';
import { getOrCreate } from './maps.ts';
import { addCounts, emptyCounts, type OutcomeCounts, type PeriodFigures } from './metrics.ts';

export interface QuarterFigures extends PeriodFigures {
  /** "2026-Q3" */
  quarter: string;
  /** its first and last calendar months, YYYY-MM */
  from: string;
  to: string;
  /** the months of the quarter that hold conversations (under 3: a quarter the data covers in part) */
  monthsWithData: number;
}

/** "2026-08" → "2026-Q3". */
export function quarterOf(month: string): string {
  return `${month.slice(0, 4)}-Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`;
}

/** "2026-Q4" → "2027-Q1". */
function quarterAfter(quarter: string): string {
  const y = Number(quarter.slice(0, 4));
  const n = Number(quarter.slice(6));
  return n === 4 ? `${y + 1}-Q1` : `${y}-Q${n + 1}`;
}

/**
 * Months with their counts (any order) → quarters, oldest first: every quarter from the first with
 * conversations through the last (or through `throughMonth`'s, the data's current month), a quarter
 * without any as a row of zeros — a quiet quarter left out read as if the table ran on unbroken,
 * while the month list beside it showed its empty months.
 */
export function byQuarter(
  months: readonly ({ month: string } & OutcomeCounts)[],
  throughMonth: string | null = null,
): QuarterFigures[] {
  const sums = new Map<string, { counts: OutcomeCounts; months: number }>();
  for (const m of months) {
    const s = getOrCreate(sums, quarterOf(m.month), () => ({ counts: emptyCounts(), months: 0 }));
    addCounts(s.counts, m);
    if (m.conversations > 0) s.months += 1;
  }
  const held = [...sums.keys()].sort();
  if (held.length > 0) {
    const last =
      throughMonth !== null && quarterOf(throughMonth) > held.at(-1)!
        ? quarterOf(throughMonth)
        : held.at(-1)!;
    for (let k = held[0]!; k < last; k = quarterAfter(k))
      getOrCreate(sums, quarterAfter(k), () => ({ counts: emptyCounts(), months: 0 }));
  }
  return [...sums]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([quarter, s]) => {
      const first = (Number(quarter.slice(6)) - 1) * 3 + 1;
      const month = (n: number) => `${quarter.slice(0, 4)}-${String(n).padStart(2, '0')}`;
      return {
        quarter,
        from: month(first),
        to: month(first + 2),
        monthsWithData: s.months,
        ...periodFigures(s.counts),
      };
    });
}
