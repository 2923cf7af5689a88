import { useMemo } from 'react';
import type { CxResponse } from '../../api/server-types.ts';
import { cxDistributionOption } from '../../charts/cxDistribution.ts';
import { Chart } from '../../components/Chart.tsx';
import { InfoTip } from '../../components/InfoTip.tsx';
import { EmptyState } from '../../components/QueryState.tsx';
import { DEFINITIONS } from '../../lib/definitions.ts';
import { count, score } from '../../lib/format.ts';
import { CxCurve, CxDisagreements } from './CxAgreement.tsx';
import { ScoreMeter } from './ScoreMeter.tsx';

const SUB_SIGNALS = [
  ['resolution', 'Resolution', 'Outcome, reopen and handoff of the conversation'],
  [
    'sentiment',
    'Sentiment',
    'The customer’s own words, scored with the AFINN-165 lexicon (words naming the topic, such as refund or cancel, do not count)',
  ],
  ['effort', 'Effort', 'Customer turns, repeats, waiting and escalations (higher = less effort)'],
] as const;

export function CxSection({
  cx,
  onPickLeaf,
  onPickScore,
  prospect = false,
  window = 'the last 3 months',
}: {
  cx: CxResponse;
  onPickLeaf: (id: string) => void;
  onPickScore: (score: number) => void;
  /** a prospect's CX is read on the estimate's few example conversations per topic */
  prospect?: boolean;
  /** the months the scores cover, as the section's header names them ("Aug – Oct 2026") */
  window?: string;
}) {
  const option = useMemo(() => cxDistributionOption(cx.distribution), [cx]);
  const total = cx.distribution.reduce((s, d) => s + d.conversations, 0);
  return (
    <div className="cx-grid">
      <div>
        <h3 className="h3" aria-labelledby="cx-distribution-title">
          <span id="cx-distribution-title">Distribution</span>{' '}
          <InfoTip label="CX score" text={DEFINITIONS.cxScore} align="start" />
        </h3>
        {prospect && total > 0 && (
          // the estimate keeps a few example conversations per topic, not every one: the bars count
          // those, so their sum is not the export's count
          <p className="muted small" data-testid="cx-prospect-basis">
            Over the estimate’s {count(total)} example conversations (a few per topic), not every conversation
            of the export.
          </p>
        )}
        {total === 0 ? (
          <EmptyState title="No scored conversations" />
        ) : (
          <>
            <Chart
              option={option}
              height={240}
              testId="cx-chart"
              onClick={(e) => onPickScore(e.dataIndex + 1)}
            />
            {/* the bars' drill-down without a mouse (keyboard, screen readers, touch) */}
            <p className="muted small chart-note" data-testid="cx-score-links">
              Examples by score:{' '}
              {cx.distribution.map((d, i) => (
                <span key={d.score}>
                  {i > 0 && ' · '}
                  <button
                    type="button"
                    className="score-link"
                    disabled={d.conversations === 0}
                    aria-label={`Example conversations with CX score ${d.score} (${count(d.conversations)} conversations)`}
                    onClick={() => onPickScore(d.score)}
                  >
                    {d.score}
                  </button>
                </span>
              ))}{' '}
              — or click a bar.
            </p>
          </>
        )}
        {cx.calibration && (
          <p className="muted small" data-testid="cx-calibration">
            Calibrated against CSAT
            {cx.calibration.method === 'isotonic' ? ' (a monotone curve per sub-signal)' : ''}: Spearman{' '}
            {sp(cx.calibration.spearman)} on {count(cx.calibration.heldOut)} held-out rated conversations of
            accounts the calibration never saw (outcome alone {sp(cx.calibration.spearmanResolution)}).
          </p>
        )}
        {cx.calibrationCurve.length > 0 && (
          <>
            {/* every month's ratings: a curve needs more of them than the window holds */}
            <h3 className="h3">
              Score vs CSAT <span className="muted small">· all months</span>
            </h3>
            <CxCurve points={cx.calibrationCurve} />
          </>
        )}
      </div>
      <div>
        <h3 className="h3">Sub-signals (1–5)</h3>
        <dl className="signals">
          {SUB_SIGNALS.map(([key, label, help]) => (
            <div key={key} className="signal">
              <dt>
                {label} <InfoTip label={label} text={help} align="start" />
              </dt>
              <dd>
                <ScoreMeter value={cx.subSignals[key]} label={label} />
                <span className="num">{score(cx.subSignals[key])}</span>
              </dd>
            </div>
          ))}
        </dl>
        <h3 className="h3">
          Lowest-scoring topics{' '}
          <InfoTip
            label="How the lowest-scoring topics are ranked"
            text={
              prospect
                ? "The topics of the estimate's example conversations, ranked by their mean CX score weighed against the mean of all the examples as if 30 more conversations scored it: a topic with more low examples comes first. The score shown is the topic's own mean."
                : "Topics with 10 or more scored conversations, ranked by their mean CX score weighed against the account's mean as if 30 more conversations scored it: a small topic needs a consistently low score to lead, a large one that is truly low comes first. The score shown is the topic's own mean."
            }
            align="start"
          />
        </h3>
        {cx.lowestTopics.length === 0 ? (
          <p className="muted small">Not enough scored conversations per topic yet.</p>
        ) : (
          <ol className="lowest" data-testid="lowest-topics">
            {cx.lowestTopics.map((t) => (
              <li key={t.taxonomyId}>
                <button type="button" className="linkish" onClick={() => onPickLeaf(t.taxonomyId)}>
                  {t.label}
                </button>
                {/* the mean's basis over the window, not a monthly volume like the topics elsewhere */}
                <span
                  className="muted small"
                  title={
                    prospect
                      ? "the estimate's example conversations on this topic"
                      : `conversations scored on this topic in ${window}`
                  }
                >
                  {' '}
                  {count(t.conversations)} scored
                </span>
                <span className="lowest-score">
                  <ScoreMeter value={t.cxScore} label={`${t.label} CX`} />
                  <span className="num">{score(t.cxScore)}</span>
                </span>
              </li>
            ))}
          </ol>
        )}
        {cx.calibrationCurve.length > 0 && (
          <>
            <h3 className="h3">Score and rating disagree most</h3>
            <CxDisagreements rows={cx.disagreements} onPickLeaf={onPickLeaf} />
          </>
        )}
      </div>
    </div>
  );
}

const sp = (v: number | null) => (v == null ? '—' : v.toFixed(2));
