/**
 * The CX score against CSAT for one account: its calibration curve (mean rating per score bucket,
 * beside every account's) and the queue of rated conversations where score and rating disagree most.
 */
import { useMemo } from 'react';
import type { CxCurvePoint, CxDisagreement } from '../../api/server-types.ts';
import { cxCurveOption } from '../../charts/cxCurve.ts';
import { Chart } from '../../components/Chart.tsx';
import { count, dateTimeLabel, humanize, score } from '../../lib/format.ts';
import { SubSignals } from './ScoreMeter.tsx';
import './cx-agreement.css';

export function CxCurve({ points }: { points: readonly CxCurvePoint[] }) {
  const option = useMemo(() => cxCurveOption(points), [points]);
  const rated = points.reduce((s, p) => s + p.rated, 0);
  if (rated === 0)
    return <p className="muted small">No rated conversations: nothing to calibrate against.</p>;
  return (
    <>
      <Chart option={option} height={220} testId="cx-curve" />
      <table className="data-table cx-curve-table" data-testid="cx-curve-table">
        <caption className="sr-only">Mean rating per CX score</caption>
        <thead>
          <tr>
            <th scope="col" className="num">
              CX score
            </th>
            <th scope="col" className="num">
              Rated
            </th>
            <th scope="col" className="num">
              Mean rating (1–5)
            </th>
            <th scope="col" className="num">
              All accounts
            </th>
          </tr>
        </thead>
        <tbody>
          {points.map((p) => (
            <tr key={p.score}>
              <td className="num">{p.score}</td>
              <td className="num">{count(p.rated)}</td>
              <td className="num">{score(p.meanCsat)}</td>
              <td className="num">{score(p.globalMeanCsat)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

const outcome = (d: CxDisagreement) =>
  d.aiInvolved ? humanize(d.aiResolutionState ?? 'pending') : 'AI not involved';

/** Rated conversations whose score and rating differ most; each opens to its signals and its topic's examples. */
export function CxDisagreements({
  rows,
  onPickLeaf,
}: {
  rows: readonly CxDisagreement[];
  onPickLeaf: (id: string) => void;
}) {
  if (rows.length === 0) return <p className="muted small">No rated conversations in the window.</p>;
  // a score 0.05 from its rating is agreement: listed under "disagree most" it read as a fault
  const shown = rows.filter((d) => Math.abs(d.gap) >= DISAGREE_FROM);
  const agreeing = rows.length - shown.length;
  if (shown.length === 0)
    return (
      <p className="muted small">
        Every rated conversation in the window scores within half a point of its rating.
      </p>
    );
  return (
    <>
      <ol className="disagreements" data-testid="cx-disagreements">
        {shown.map((d) => (
          <li key={d.id} data-testid="cx-disagreement">
            <details>
              <summary>
                <span className="mono">{d.id}</span> · {d.label}: score <strong>{score(d.score)}</strong>,
                rated <strong>{d.csat}</strong>
                <span className="muted small">
                  {' '}
                  ({d.gap > 0 ? '+' : d.gap < 0 ? '−' : ''}
                  {score(Math.abs(d.gap))})
                </span>
              </summary>
              <div className="convo-cx-body">
                <p className="muted small">
                  {dateTimeLabel(d.createdAt)} · {humanize(d.channel)} · {outcome(d)}
                  {d.reopened ? ' · reopened' : ''}
                </p>
                <SubSignals resolution={d.resolution} sentiment={d.sentiment} effort={d.effort} />
                <button type="button" className="linkish" onClick={() => onPickLeaf(d.taxonomyId)}>
                  Example conversations of {d.label}
                </button>
              </div>
            </details>
          </li>
        ))}
      </ol>
      {agreeing > 0 && (
        <p className="muted small">
          {agreeing === 1
            ? 'The next one is within half a point of its rating.'
            : `The next ${agreeing} are each within half a point of their rating.`}
        </p>
      )}
    </>
  );
}

/** Half a rating step: a score closer than that to its rating agrees with it. */
const DISAGREE_FROM = 0.5;
