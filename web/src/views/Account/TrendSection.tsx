import { useMemo, useRef, useState } from 'react';
import type { AccountDetail, MonthFigures } from '../../api/server-types.ts';
import { trendOption } from '../../charts/trend.ts';
import { Chart } from '../../components/Chart.tsx';
import { EmptyState } from '../../components/QueryState.tsx';
import { count, monthLabel, pct, score } from '../../lib/format.ts';
import { scrollBehavior } from '../../lib/motion.ts';
import { exportBeganWithin, youngMonthNote } from '../../lib/pace.ts';
import { NARROW, useMediaQuery } from '../../lib/useMediaQuery.ts';

/** The figures table's columns after the month: label and cell. */
const FIGURES: readonly (readonly [string, (m: MonthFigures) => string])[] = [
  ['Conversations', (m) => count(m.conversations)],
  ['Involvement', (m) => pct(m.involvementRate)],
  ['Resolution', (m) => pct(m.resolutionRate)],
  ['Automation', (m) => pct(m.automationRate)],
  ['CSAT', (m) => pct(m.csat)],
  ['CX score', (m) => score(m.cxScore)],
];

/**
 * A month the data covers only in part: the first, when a prospect's export (or a new customer's
 * conversations) began after its first day (a 3-5 March export's March read as a whole month beside
 * "≈ 4,000 a month").
 */
function exportCutsMonth(a: AccountDetail, month: string, first: boolean): boolean {
  return first && exportBeganWithin(a.dataFrom, month);
}

/**
 * The months as the chart draws them: a month in progress that has run for under a tenth of it
 * keeps its volume bar but draws no rates (lines plunged to 0% or 100% on a first conversation or
 * two); the figures table still lists them.
 */
function withoutYoungRates(a: AccountDetail): MonthFigures[] {
  const last = a.months[a.months.length - 1];
  if (!last || !a.monthToDate || a.status !== 'customer' || !youngMonthNote(last.month, a.dataAsOf, ''))
    return a.months;
  return [
    ...a.months.slice(0, -1),
    { ...last, involvementRate: null, resolutionRate: null, automationRate: null },
  ];
}

/**
 * The monthly trend, and the rows behind it (SPEC §5: every chart drills down): a click on a month
 * opens the figures table at that month's row, which is also the chart's text alternative.
 */
export function TrendChart({ account }: { account: AccountDetail }) {
  const narrow = useMediaQuery(NARROW);
  const option = useMemo(
    () =>
      trendOption({
        months: withoutYoungRates(account),
        monthToDate: account.monthToDate,
        potential: account.automationPotential,
        narrow,
        partial: account.status === 'prospect',
        noAgent: account.status === 'prospect',
      }),
    [account, narrow],
  );
  const [picked, setPicked] = useState<string | null>(null);
  const details = useRef<HTMLDetailsElement>(null);
  if (!account.months.length)
    return <EmptyState title="No monthly data">This account has no conversations yet.</EmptyState>;
  // an undated export's one month is a stand-in date: a bar at it would name a month the file never did
  if (account.undated)
    return (
      <EmptyState title="No monthly trend">
        The export has no dates: its conversations are counted as one month, with no month to show.
      </EmptyState>
    );
  const last = account.months.length - 1;
  return (
    <>
      <Chart
        option={option}
        height={300}
        testId="trend-chart"
        onClick={(e) => {
          const m = account.months[e.dataIndex];
          if (!m) return;
          setPicked(m.month);
          if (details.current) details.current.open = true;
          // after the row is marked: bring it into view without moving the page more than needed
          requestAnimationFrame(() =>
            details.current
              ?.querySelector(`[data-month="${m.month}"]`)
              ?.scrollIntoView({ block: 'nearest', behavior: scrollBehavior() }),
          );
        }}
      />
      <details className="how trend-figures" ref={details} data-testid="trend-figures">
        <summary>Figures by month{picked ? ` · ${monthLabel(picked)}` : ''}</summary>
        <div className="table-scroll">
          <table className="data-table">
            <caption className="sr-only">Monthly figures behind the trend chart, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">Month</th>
                {FIGURES.map(([label]) => (
                  <th key={label} scope="col" className="num">
                    {label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {account.months.map((m, i) => (
                <tr
                  key={m.month}
                  data-month={m.month}
                  className={m.month === picked ? 'row-picked' : undefined}
                  aria-current={m.month === picked ? 'true' : undefined}
                >
                  <th scope="row">
                    {monthLabel(m.month)}
                    {account.monthToDate && i === last
                      ? account.status === 'prospect'
                        ? ' (partial)'
                        : ' (to date)'
                      : exportCutsMonth(account, m.month, i === 0)
                        ? ' (partial)'
                        : ''}
                  </th>
                  {FIGURES.map(([label, value]) => (
                    <td key={label} className="num">
                      {label === 'Automation' ? <strong>{value(m)}</strong> : value(m)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </>
  );
}
