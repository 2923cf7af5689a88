import { useMemo } from 'react';
import { Link } from 'wouter';
import type { AccountDetail, ActionKind, ActionsResponse } from '../../api/server-types.ts';
import { waterfallOption, waterfallSteps } from '../../charts/waterfall.ts';
import { ACTION_KIND_LABELS } from '../../components/ActionCard.tsx';
import { Chart } from '../../components/Chart.tsx';
import { InfoTip } from '../../components/InfoTip.tsx';
import { EmptyState } from '../../components/QueryState.tsx';
import { awaitingLiveNote } from '../../lib/awaitingLive.ts';
import { DEFINITIONS } from '../../lib/definitions.ts';
import { count, monthSpanLabel, pct, points } from '../../lib/format.ts';
import { indicativeLabel } from '../../lib/topicFit.ts';
import { NARROW, useMediaQuery } from '../../lib/useMediaQuery.ts';
import { monthAboveNote } from './monthAboveNote.ts';
import { windowWords } from './windowWords.ts';

/** Current vs potential with its range: a 0–100% track with the band and both markers. */
export function PotentialSummary({ account: a }: { account: AccountDetail }) {
  const cur = a.windowAutomationRate;
  const pot = a.automationPotential;
  const lo = a.potentialLow;
  const hi = a.potentialHigh;
  const at = (x: number) => `${Math.max(0, Math.min(100, x * 100))}%`;
  const above = monthAboveNote(a);
  const waiting = awaitingLiveNote(a);
  return (
    <div className="potential" data-testid="potential-summary">
      <div className="potential-figures">
        <div>
          <div className="eyebrow">
            Current{' '}
            <InfoTip label="Current automation (3 months)" text={DEFINITIONS.automationRate} align="start" />
          </div>
          <div className="big-num" data-testid="potential-current">
            {pct(cur)}
          </div>
          <div className="muted small">
            {a.undated ? 'the whole export (no dates)' : monthSpanLabel(a.window.from, a.window.to)}
          </div>
        </div>
        <div className="potential-arrow" aria-hidden="true">
          →
        </div>
        <div>
          <div className="eyebrow">
            Potential <InfoTip label="Automation potential" text={DEFINITIONS.automationPotential} />
          </div>
          <div className="big-num big-num-potential" data-testid="potential-value">
            {pct(pot)}
          </div>
          <div className="muted small" data-testid="potential-range">
            range {pct(lo)} – {pct(hi)}
          </div>
          {indicativeLabel(a.poorTopicFit) && (
            <div className="badge badge-warn potential-indicative" data-testid="potential-indicative">
              {indicativeLabel(a.poorTopicFit)}
            </div>
          )}
        </div>
        <div className="potential-gap">
          <div className="eyebrow">
            Gap <InfoTip label="Gap" text={DEFINITIONS.gap} align="end" />
          </div>
          <div className="big-num big-num-gap" data-testid="potential-gap">
            {points(a.gapPoints, { signed: false })}
          </div>
          <div className="muted small">
            ≈ {count(a.gapConversations)}{' '}
            {Math.round(a.gapConversations ?? 0) === 1 ? 'conversation' : 'conversations'} / month
          </div>
        </div>
      </div>
      {cur != null && pot != null && (
        <div
          className="range-track"
          role="img"
          aria-label={`Current ${pct(cur)}, potential ${pct(pot)} (range ${pct(lo)} to ${pct(hi)}) on a 0 to 100% scale`}
        >
          <div className="range-fill" style={{ width: at(cur) }} />
          {lo != null && hi != null && (
            <div className="range-band" style={{ left: at(lo), width: `calc(${at(hi)} - ${at(lo)})` }} />
          )}
          <div className="range-mark range-mark-pot" style={{ left: at(pot) }} />
          <div className="range-scale" aria-hidden="true">
            <span>0%</span>
            <span>50%</span>
            <span>100%</span>
          </div>
        </div>
      )}
      {waiting ? (
        <p className="muted small potential-note" data-testid="awaiting-live">
          {waiting}
        </p>
      ) : a.status === 'prospect' ? (
        <p className="muted small potential-note">
          A prospect has no AI agent yet, so it starts from 0%: the potential and its range are the estimate’s
          (how it is found: “Estimate from the export” above).
        </p>
      ) : (
        <p className="muted small potential-note">
          Current is the automation rate over the model window ({windowWords(a)}), so it can differ from this
          month’s tile.
          {cur != null &&
            pot != null &&
            lo != null &&
            hi != null &&
            ' The shaded band is the potential’s range.'}
          {above && ` ${above}`}
        </p>
      )}
    </div>
  );
}

export function Roadmap({
  actions,
  onPickLeaf,
  prospect = false,
  waiting = null,
}: {
  actions: ActionsResponse;
  onPickLeaf: (taxonomyId: string) => void;
  prospect?: boolean;
  /** the account's AI agent has no full month live yet (awaitingLiveNote): no gap to a road */
  waiting?: string | null;
}) {
  const steps = useMemo(
    () =>
      waterfallSteps(
        actions.current,
        actions.potential,
        actions.actions,
        undefined,
        prospect,
        (kind) => ACTION_KIND_LABELS[kind as ActionKind] ?? kind,
      ),
    [actions, prospect],
  );
  const narrow = useMediaQuery(NARROW);
  const option = useMemo(() => waterfallOption(steps, { narrow }), [steps, narrow]);
  if (waiting) return <EmptyState title="No roadmap yet">{waiting}</EmptyState>;
  // no potential (an estimate withheld, a window without data): no end to draw a road to
  if (actions.potential === null)
    return (
      <EmptyState title="No roadmap">
        {prospect
          ? 'This estimate gives no potential (the reason is in its card above), so there is no road to one.'
          : 'The account has no potential in the model window, so there is no road to one.'}
      </EmptyState>
    );
  if (!steps.length)
    return <EmptyState title="No roadmap">The account has no conversations in the model window.</EmptyState>;
  return (
    <Chart
      option={option}
      height={Math.max(220, steps.length * 34 + 60)}
      testId="roadmap-chart"
      onClick={(e) => {
        const id = steps[e.dataIndex]?.taxonomyId;
        if (id) onPickLeaf(id);
      }}
    />
  );
}

export function HowCalculated() {
  return (
    <details className="how" data-testid="how-calculated">
      <summary>How is this calculated?</summary>
      <div className="how-body">
        <ol>
          <li>
            Every conversation is classified into one topic (a leaf of the shared taxonomy). For each topic we
            take the account’s <strong>share of volume</strong>, its current <strong>involvement</strong> and{' '}
            <strong>resolution</strong> over the last 3 months.
          </li>
          <li>
            <strong>Achievable</strong> per topic is the <strong>75th percentile of peer accounts</strong>{' '}
            with at least 30 conversations on that topic over the last 3 months, in the same vertical. With
            fewer than 5 such peers, all verticals are used; when the topic has too few peers altogether, the
            level of its automation class (informational, personalized, action, human). Involvement and
            resolution are taken <strong>jointly</strong>: the automation level (involvement × resolution)
            peers actually reach together.
          </li>
          <li>
            On <strong>small topics</strong> the account’s current rates are shrunk toward that level (as if
            30 more conversations were at it), so a handful of lucky or unlucky conversations is not mistaken
            for performance.
          </li>
          <li>
            Each topic’s <strong>target</strong> = the higher of its current and the achievable involvement ×
            the higher of its current and the achievable resolution, never below its current automation.{' '}
            <strong>Potential</strong> = Σ over topics of share × target, over the last 3 months. Nothing is
            assumed to get worse. The <strong>range</strong> is the same sum with the 50th and the 90th
            percentile of peers.
          </li>
          <li>
            <strong>Gap</strong> = potential − automation rate over the same 3 months, in points; × average
            monthly conversations gives conversations per month.
          </li>
          <li>
            <strong>Next actions</strong> rank topics by their gain; applied in order they form the roadmap
            from the current rate toward the potential. Where a measured lift promises less than a topic’s
            gap, a fix still settling will bring part of it, or a topic is too small to act on (under 5
            conversations in the window, or under 0.05 points), that part is the roadmap’s “rest of the gap”.
          </li>
        </ol>
        <p>
          How well past predictions matched what accounts later reached is tracked in the{' '}
          <Link href="/model">model calibration view</Link>.
        </p>
      </div>
    </details>
  );
}
