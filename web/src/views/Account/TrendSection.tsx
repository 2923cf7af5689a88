import { useMemo, useRef, useState } from 'react';
import type { AccountDetail } from '../../api/server-types.ts';
import { trendOption } from '../../charts/trend.ts';
import { Chart } from '../../components/Chart.tsx';
import { EmptyState } from '../../components/QueryState.tsx';
import { count, monthLabel, pct, score } from '../../lib/format.ts';
import { NARROW, useMediaQuery } from '../../lib/useMediaQuery.ts';

/**
 * The monthly trend, and the rows behind it (SPEC §5: every chart drills down): a click on a month
 * opens the figures table at that month's row, which is also the chart's text alternative.
 */
export function TrendChart({ account }: { account: AccountDetail }) {
  const narrow = useMediaQuery(NARROW);
  const option = useMemo(
    () =>
      trendOption({
        months: account.months,
        monthToDate: account.monthToDate,
        potential: account.automationPotential,
        narrow,
      }),
    [account, narrow],
  );
  const [picked, setPicked] = useState<string | null>(null);
  const details = useRef<HTMLDetailsElement>(null);
  if (!account.months.length)
    return <EmptyState title="No monthly data">This account has no conversations yet.</EmptyState>;
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
              ?.scrollIntoView({ block: 'nearest', behavior: 'smooth' }),
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
                <th scope="col" className="num">
                  Conversations
                </th>
                <th scope="col" className="num">
                  Involvement
                </th>
                <th scope="col" className="num">
                  Resolution
                </th>
                <th scope="col" className="num">
                  Automation
                </th>
                <th scope="col" className="num">
                  CSAT
                </th>
                <th scope="col" className="num">
                  CX score
                </th>
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
                    {account.monthToDate && i === last ? ' (to date)' : ''}
                  </th>
                  <td className="num">{count(m.conversations)}</td>
                  <td className="num">{pct(m.involvementRate)}</td>
                  <td className="num">{pct(m.resolutionRate)}</td>
                  <td className="num">
                    <strong>{pct(m.automationRate)}</strong>
                  </td>
                  <td className="num">{pct(m.csat)}</td>
                  <td className="num">{score(m.cxScore)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </>
  );
}
