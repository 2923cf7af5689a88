import { useMemo } from 'react';
import type { CxResponse } from '../../api/server-types.ts';
import { cxDistributionOption } from '../../charts/cxDistribution.ts';
import { Chart } from '../../components/Chart.tsx';
import { InfoTip } from '../../components/InfoTip.tsx';
import { EmptyState } from '../../components/QueryState.tsx';
import { DEFINITIONS } from '../../lib/definitions.ts';
import { count, score } from '../../lib/format.ts';

const SUB_SIGNALS = [
  ['resolution', 'Resolution', 'Outcome, reopen and handoff of the conversation'],
  [
    'sentiment',
    'Sentiment',
    'The customer’s own words, scored with the AFINN-165 lexicon (words naming the topic, such as refund or cancel, do not count)',
  ],
  ['effort', 'Effort', 'Customer turns, repeats, waiting and escalations (higher = less effort)'],
] as const;

/** A 1–5 value as a small meter. */
export function ScoreMeter({ value, label }: { value: number | null; label: string }) {
  const w = value == null ? 0 : Math.max(0, Math.min(1, (value - 1) / 4));
  const tone = value == null ? '' : value < 2.5 ? 'bad' : value < 3.5 ? 'mid' : 'good';
  return (
    <span className={`meter meter-${tone}`} role="img" aria-label={`${label} ${score(value)} out of 5`}>
      <span className="meter-fill" style={{ width: `${w * 100}%` }} />
    </span>
  );
}

export function CxSection({ cx, onPickLeaf }: { cx: CxResponse; onPickLeaf: (id: string) => void }) {
  const option = useMemo(() => cxDistributionOption(cx.distribution), [cx]);
  const total = cx.distribution.reduce((s, d) => s + d.conversations, 0);
  return (
    <div className="cx-grid">
      <div>
        <h3 className="h3">
          Distribution <InfoTip label="CX score" text={DEFINITIONS.cxScore} align="start" />
        </h3>
        {total === 0 ? (
          <EmptyState title="No scored conversations" />
        ) : (
          <Chart option={option} height={240} testId="cx-chart" />
        )}
        {cx.calibration && (
          <p className="muted small">
            Calibrated against CSAT: Spearman{' '}
            {cx.calibration.spearman == null ? '—' : cx.calibration.spearman.toFixed(2)} on{' '}
            {count(cx.calibration.heldOut)} held-out rated conversations.
          </p>
        )}
      </div>
      <div>
        <h3 className="h3">Sub-signals (1–5)</h3>
        <dl className="signals">
          {SUB_SIGNALS.map(([key, label, help]) => (
            <div key={key} className="signal">
              <dt title={help}>{label}</dt>
              <dd>
                <ScoreMeter value={cx.subSignals[key]} label={label} />
                <span className="num">{score(cx.subSignals[key])}</span>
              </dd>
            </div>
          ))}
        </dl>
        <h3 className="h3">Lowest-scoring topics</h3>
        {cx.lowestTopics.length === 0 ? (
          <p className="muted small">Not enough scored conversations per topic yet.</p>
        ) : (
          <ol className="lowest" data-testid="lowest-topics">
            {cx.lowestTopics.map((t) => (
              <li key={t.taxonomyId}>
                <button type="button" className="linkish" onClick={() => onPickLeaf(t.taxonomyId)}>
                  {t.label}
                </button>
                <span className="muted small"> {count(t.conversations)} conv</span>
                <span className="lowest-score">
                  <ScoreMeter value={t.cxScore} label={`${t.label} CX`} />
                  <span className="num">{score(t.cxScore)}</span>
                </span>
              </li>
            ))}
          </ol>
        )}
      </div>
    </div>
  );
}
