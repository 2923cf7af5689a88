/** One ranked next action (account page and estimate roadmap): title, badges, why, evidence, gain. */
import type { ReactNode } from 'react';
import type { ActionKind, NextAction } from '../api/server-types.ts';
import { humanize, pct, perMonth, points } from '../lib/format.ts';

export const ACTION_KIND_LABELS: Record<ActionKind, string> = {
  widen_audience: 'Widen audience',
  content: 'Help content',
  data_connector: 'Data connector',
  procedure: 'Procedure',
  routing: 'Routing',
  guidance: 'Guidance',
};

/** What the card shows of an action (the account's `NextAction`, the estimate's `EstimateAction`). */
export type ActionCardAction = Pick<
  NextAction,
  | 'rank'
  | 'title'
  | 'kind'
  | 'automationClass'
  | 'rationale'
  | 'gainPoints'
  | 'gainConversations'
  | 'cumulativeRate'
>;

export function ActionCard({
  action: a,
  testId,
  evidence,
  children,
  gainExtra,
}: {
  action: ActionCardAction;
  testId: string;
  /** the evidence list's rows (`<div><dt/><dd/></div>`) */
  evidence: ReactNode;
  /** under the evidence */
  children?: ReactNode;
  /** more lines in the gain column, before the rate reached */
  gainExtra?: ReactNode;
}) {
  return (
    <li className="action" data-testid={testId}>
      <div className="action-rank" aria-hidden="true">
        {a.rank}
      </div>
      <div className="action-main">
        <div className="action-head">
          <h3 className="action-title">
            <span className="sr-only">Action {a.rank}: </span>
            {a.title}
          </h3>
          <span className={`badge badge-kind kind-${a.kind}`}>
            {ACTION_KIND_LABELS[a.kind] ?? humanize(a.kind)}
          </span>
          <span className={`badge badge-class class-${a.automationClass}`}>
            {humanize(a.automationClass)}
          </span>
        </div>
        <p className="action-why">{a.rationale}</p>
        <dl className="evidence">{evidence}</dl>
        {children}
      </div>
      <div className="action-gain">
        <span className="sr-only">Expected gain: </span>
        <div className="gain-main">{points(a.gainPoints)}</div>
        <div className="gain-sub">{perMonth(a.gainConversations)} conv/mo</div>
        {gainExtra}
        {/* the roadmap's running total: read beside the gain's source above, a bare "→ 16.4%" looked like its level */}
        <div
          className="gain-cum muted small"
          title="The account's automation rate once this and every action above it have landed (the roadmap)"
        >
          automation then {pct(a.cumulativeRate)}
        </div>
      </div>
    </li>
  );
}
