import { useState } from 'react';
import type { ActionKind, ActionsResponse, NextAction } from '../../../../server/api-types.ts';
import { EmptyState } from '../../components/QueryState.tsx';
import { count, hours, humanize, pct, points } from '../../lib/format.ts';

const INITIAL_ACTIONS = 5;

export const ACTION_KIND_LABELS: Record<ActionKind, string> = {
  widen_audience: 'Widen audience',
  content: 'Help content',
  data_connector: 'Data connector',
  procedure: 'Procedure',
  routing: 'Routing',
};

export function MinutesInput({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const n = Number(value);
  const invalid = value.trim() === '' || !Number.isFinite(n) || n < 0.5 || n > 240;
  return (
    <div className="field field-inline">
      <label htmlFor="minutes-per-conv">Minutes per conversation</label>
      <input
        id="minutes-per-conv"
        type="number"
        inputMode="decimal"
        min={0.5}
        max={240}
        step={0.5}
        value={value}
        aria-invalid={invalid || undefined}
        aria-describedby="minutes-help"
        onChange={(e) => onChange(e.target.value)}
      />
      <span id="minutes-help" className={invalid ? 'field-error' : 'sr-only'}>
        {invalid ? 'Between 0.5 and 240' : 'Agent handling time used to turn conversations into hours saved'}
      </span>
    </div>
  );
}

function Arrow({ from, to }: { from: number | null; to: number }) {
  return (
    <>
      {pct(from)} <span className="muted">→</span> <strong>{pct(Math.max(from ?? 0, to))}</strong>
    </>
  );
}

function ActionCard({
  a,
  minutes,
  onPickLeaf,
}: {
  a: NextAction;
  minutes: number;
  onPickLeaf: (id: string) => void;
}) {
  return (
    <li className="action" data-testid="action">
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
        <dl className="evidence">
          <div>
            <dt>Topic</dt>
            <dd>{a.label}</dd>
          </div>
          <div>
            <dt>Volume</dt>
            <dd>
              {count(a.evidence.monthlyConversations)}/mo · {pct(a.evidence.share)}
            </dd>
          </div>
          <div>
            <dt>Involvement</dt>
            <dd>
              <Arrow from={a.evidence.involvementRate} to={a.evidence.achievableInvolvement} />
            </dd>
          </div>
          <div>
            <dt>Resolution</dt>
            <dd>
              <Arrow from={a.evidence.resolutionRate} to={a.evidence.achievableResolution} />
            </dd>
          </div>
        </dl>
        <button type="button" className="btn btn-link btn-sm" onClick={() => onPickLeaf(a.taxonomyId)}>
          View example conversations
          {a.evidence.sampleIds.length > 0 && ` (${a.evidence.sampleIds.length})`}
        </button>
      </div>
      <div className="action-gain">
        <span className="sr-only">Expected gain: </span>
        <div className="gain-main">{points(a.gainPoints)}</div>
        <div className="gain-sub">{count(a.gainConversations)} conv/mo</div>
        <div className="gain-sub" title={`At ${minutes} minutes per conversation`}>
          {hours(a.hoursSaved)} saved/mo
        </div>
        <div className="gain-cum muted small">→ {pct(a.cumulativeRate)}</div>
      </div>
    </li>
  );
}

export function ActionsList({
  actions,
  onPickLeaf,
  updating,
}: {
  actions: ActionsResponse;
  onPickLeaf: (id: string) => void;
  updating: boolean;
}) {
  const [showAll, setShowAll] = useState(false);
  if (!actions.actions.length)
    return (
      <EmptyState title="No next actions">
        Every topic is already at or above its achievable level. Nice.
      </EmptyState>
    );
  const shown = showAll ? actions.actions : actions.actions.slice(0, INITIAL_ACTIONS);
  const hidden = actions.actions.length - shown.length;
  const totalHours = actions.actions.reduce((s, a) => s + a.hoursSaved, 0);
  const totalConv = actions.actions.reduce((s, a) => s + a.gainConversations, 0);
  return (
    <>
      <p className="actions-total" aria-live="polite" data-testid="actions-total">
        All {actions.actions.length} actions: <strong>{count(totalConv)}</strong> conversations/month,{' '}
        <strong>{hours(totalHours)}</strong> of agent time saved per month at {actions.minutesPerConversation}{' '}
        min each
        {updating && <span className="muted"> · updating…</span>}
      </p>
      <ol className="actions" aria-label="Next actions, ranked by impact">
        {shown.map((a) => (
          <ActionCard
            key={`${a.rank}-${a.taxonomyId}`}
            a={a}
            minutes={actions.minutesPerConversation}
            onPickLeaf={onPickLeaf}
          />
        ))}
      </ol>
      {(hidden > 0 || showAll) && actions.actions.length > INITIAL_ACTIONS && (
        <button
          type="button"
          className="btn btn-secondary show-more"
          onClick={() => setShowAll((v) => !v)}
          aria-expanded={showAll}
        >
          {showAll
            ? `Show the top ${INITIAL_ACTIONS} only`
            : `Show all ${actions.actions.length} actions (${hidden} more)`}
        </button>
      )}
    </>
  );
}
