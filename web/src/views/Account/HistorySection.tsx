/**
 * Quarter by quarter, and the fixes the account logged (a QBR's "where you were, what changed"):
 * the trend's months summed into calendar quarters, and every fix, not only those on an open action.
 */
import { useQuery } from '@tanstack/react-query';
import { historyQuery } from '../../api/queries.ts';
import type { AccountDetail, LoggedFix } from '../../api/server-types.ts';
import { QueryState } from '../../components/QueryState.tsx';
import { count, dateLabel, pct, points, score } from '../../lib/format.ts';
import { KIND_LABELS } from '../Patterns/patternsState.ts';
import { quarterRows } from './quarterRows.ts';

/** The quarter table's figure columns: header, and what it means where the header alone does not say. */
const QUARTER_COLUMNS: readonly (readonly [string, string?])[] = [
  ['Conversations'],
  ['Involvement'],
  ['Resolution'],
  ['Automation'],
  ['vs quarter before', 'Automation rate minus the quarter before’s'],
  ['CSAT (ratings)', 'Share of ratings of 4 or 5 (number of ratings)'],
  ['CX score'],
];

function fixWhat(f: LoggedFix): string {
  return `${KIND_LABELS[f.kind]} — ${f.label ?? 'the whole account'}`;
}

export function HistorySection({ account }: { account: AccountDetail }) {
  const history = useQuery(historyQuery(account.id));
  return (
    <section className="card" aria-labelledby="history-h" data-testid="history">
      <div className="card-head">
        <h2 id="history-h">Quarter by quarter</h2>
        <span className="muted small">calendar quarters, each from its months’ summed conversations</span>
      </div>
      <QueryState
        query={history}
        loadingLabel="Loading the quarters"
        errorTitle="Could not load the quarters"
      >
        {(d) => {
          const rows = quarterRows(
            d.quarters,
            account.month,
            account.monthToDate,
            account.aiLiveSince,
            account.dataAsOf,
          );
          return (
            <>
              <div className="table-scroll">
                <table className="data-table history-table" data-testid="quarters">
                  <caption className="sr-only">Figures by calendar quarter, oldest first</caption>
                  <thead>
                    <tr>
                      <th scope="col">Quarter</th>
                      {QUARTER_COLUMNS.map(([label, title]) => (
                        <th key={label} scope="col" className="num" title={title}>
                          {label}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map(({ quarter: q, label, automationChange }) => (
                      <tr key={q.quarter} data-quarter={q.quarter}>
                        <th scope="row">{label}</th>
                        <td className="num">{count(q.conversations)}</td>
                        <td className="num">{pct(q.involvementRate)}</td>
                        <td className="num">{pct(q.resolutionRate)}</td>
                        <td className="num">
                          <strong>{pct(q.automationRate)}</strong>
                        </td>
                        <td className="num">{points(automationChange)}</td>
                        <td className="num">
                          {pct(q.csat)}
                          {/* a rate of 2 ratings read as firm as one of 2,000 */}
                          {q.ratings > 0 && <span className="muted small"> ({count(q.ratings)})</span>}
                        </td>
                        <td className="num">{score(q.cxScore)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <h3 className="h3 fix-heading">Fixes logged</h3>
              {d.fixes.length === 0 ? (
                <p className="muted small" data-testid="fixes-none">
                  No fixes logged for this account (interventions in its export).
                </p>
              ) : (
                <ul className="fix-list" data-testid="fixes">
                  {d.fixes.map((f, i) => (
                    // the same fix can be logged twice: the position keeps the keys apart
                    // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list, never reordered
                    <li key={i}>
                      <span className="fix-date">{dateLabel(f.date)}</span> {fixWhat(f)}
                      {f.planned && <span className="badge">planned</span>}
                      {f.note && <span className="muted">: {f.note}</span>}
                    </li>
                  ))}
                </ul>
              )}
            </>
          );
        }}
      </QueryState>
    </section>
  );
}
