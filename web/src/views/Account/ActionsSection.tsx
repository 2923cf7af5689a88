import { useState } from 'react';
import type { ActionsResponse, NextAction } from '../../api/server-types.ts';
import { ActionCard } from '../../components/ActionCard.tsx';
import { InfoTip } from '../../components/InfoTip.tsx';
import { EmptyState } from '../../components/QueryState.tsx';
import { count, dateLabel, hours, hoursSaved, pct, perMonth, points } from '../../lib/format.ts';
import { MINUTES_RANGE, parseMinutes } from '../../lib/minutes.ts';
import { KIND_LABELS } from '../Patterns/patternsState.ts';

const INITIAL_ACTIONS = 5;

export function MinutesInput({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const invalid = parseMinutes(value) === null;
  return (
    <div className="field field-inline">
      <label htmlFor="minutes-per-conv">Minutes per conversation</label>
      <input
        id="minutes-per-conv"
        // text, not number: a number input in this English page reads a decimal comma ("7,5") as
        // a thousands separator (75) and says nothing
        type="text"
        inputMode="decimal"
        autoComplete="off"
        size={5}
        value={value}
        aria-invalid={invalid || undefined}
        aria-describedby="minutes-help"
        onChange={(e) => onChange(e.target.value)}
      />
      <span id="minutes-help" className={invalid ? 'field-error' : 'sr-only'}>
        {invalid
          ? `A number between ${MINUTES_RANGE.min} and ${MINUTES_RANGE.max}`
          : 'Agent handling time used to turn conversations into hours saved'}
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

function AccountActionCard({
  a,
  minutes,
  onPickLeaf,
  unsure,
}: {
  a: NextAction;
  minutes: number;
  onPickLeaf: (id: string, kind?: string) => void;
  /** a prospect's topic read with low confidence on average (LeafBreakdown.uncertain) */
  unsure?: number | undefined;
}) {
  return (
    <ActionCard
      action={a}
      testId="action"
      evidence={
        <>
          <div>
            <dt>Topic</dt>
            <dd>
              {a.label}
              {unsure !== undefined && (
                <span
                  className="badge badge-warn leaf-unsure"
                  title={`Classified with ${pct(unsure)} confidence on average: these conversations are more likely misfiled than not — this is the nearest topic Cockpit has. Open the examples before planning on it.`}
                  data-testid="action-unsure"
                >
                  unsure fit
                </span>
              )}
            </dd>
          </div>
          <div>
            <dt>Volume</dt>
            <dd>
              {perMonth(a.evidence.monthlyConversations)}/mo · {pct(a.evidence.share)}
            </dd>
          </div>
          {a.evidence.afterRank !== undefined && (
            <div data-testid="action-after">
              <dt title="This action comes after another on the same topic: its rates start where that one leaves them">
                From
              </dt>
              <dd>after action {a.evidence.afterRank}</dd>
            </div>
          )}
          <div>
            <dt title="The topic’s automation now and where this action takes it: the levels this kind of action moves (widening the audience raises involvement and keeps the topic’s resolution), from which the gain is computed. The breakdown’s achievable level takes every level to the peers’, so it can be higher">
              Automation
            </dt>
            <dd>
              <Arrow from={a.evidence.automationRate} to={a.evidence.achievableAutomation} />
            </dd>
          </div>
          <div>
            <dt title="Now → the level peers reach">Involvement</dt>
            <dd>
              <Arrow from={a.evidence.involvementRate} to={a.evidence.achievableInvolvement} />
            </dd>
          </div>
          <div>
            <dt title="Now → the level peers reach">Resolution</dt>
            <dd>
              <Arrow from={a.evidence.resolutionRate} to={a.evidence.achievableResolution} />
            </dd>
          </div>
          {a.fixes.length > 0 && (
            <div data-testid="action-fixes">
              <dt title="Fixes the account logged on this topic (or for the whole account, of this kind), newest first">
                Fixes logged
              </dt>
              <dd>
                {a.fixes.map((f, i) => (
                  <span
                    key={`${f.date}-${f.kind}-${f.accountWide}-${f.note ?? ''}`}
                    title={f.note ?? undefined}
                  >
                    {i > 0 && ' · '}
                    {KIND_LABELS[f.kind]} {f.planned ? 'planned for ' : ''}
                    {dateLabel(f.date)}
                    {f.accountWide ? ' (whole account)' : ''}
                  </span>
                ))}
              </dd>
            </div>
          )}
        </>
      }
      gainExtra={
        <>
          <div className="gain-sub" title={`At ${minutes} minutes per conversation`}>
            {hours(hoursSaved(a.gainConversations, minutes))} saved/mo
          </div>
          <div className="gain-sub muted small">
            <span title={a.gainBasis} data-testid="gain-source">
              {a.gainSource === 'lift' && a.gainLow !== null && a.gainHigh !== null
                ? // account points (the topic's lift × its share): Patterns shows the lift on the topic itself
                  a.gainLow === a.gainHigh
                  ? // both ends cut at the topic's gap: an interval of one value would read as certainty
                    `measured lift (${a.liftAccounts} accounts), capped at the topic’s gap: ${points(a.gainHigh)}`
                  : `measured lift (${a.liftAccounts} accounts): ${points(a.gainLow)} to ${points(a.gainHigh)} of this account`
                : 'peers’ level'}
            </span>{' '}
            {/* where the gain comes from, for keyboard and touch too (a title shows to the mouse only) */}
            <InfoTip label={`Where the gain of ${a.label} comes from`} text={a.gainBasis} align="end" />
          </div>
        </>
      }
    >
      <button type="button" className="btn btn-link btn-sm" onClick={() => onPickLeaf(a.taxonomyId, a.kind)}>
        View example conversations
        {a.evidence.sampleIds.length > 0 && ` (${a.evidence.sampleIds.length})`}
        {/* five cards, five buttons: a screen reader's list of buttons needs the topic to tell them apart */}
        <span className="sr-only"> on {a.label}</span>
      </button>
    </ActionCard>
  );
}

export function ActionsList({
  actions,
  minutes,
  onPickLeaf,
  waiting = null,
  unsureTopics,
}: {
  actions: ActionsResponse;
  /** a prospect's topics read with low confidence, by id (their mean confidence) */
  unsureTopics?: ReadonlyMap<string, number> | undefined;
  /** the CSM's minutes per conversation: hours saved are computed here, not fetched */
  minutes: number;
  onPickLeaf: (id: string, kind?: string) => void;
  /** the account's AI agent has no full month live yet (awaitingLiveNote): no gap to rank by */
  waiting?: string | null;
}) {
  const [showAll, setShowAll] = useState(false);
  if (waiting) return <EmptyState title="No next actions yet">{waiting}</EmptyState>;
  if (!actions.actions.length && actions.potential === null)
    return (
      <EmptyState title="No next actions">Without a potential there is no gap to rank actions by.</EmptyState>
    );
  if (!actions.actions.length)
    return (
      <EmptyState title="No next actions">
        Every topic is already at or above its achievable level. Nice.
      </EmptyState>
    );
  const shown = showAll ? actions.actions : actions.actions.slice(0, INITIAL_ACTIONS);
  const hidden = actions.actions.length - shown.length;
  const totalConv = actions.actions.reduce((s, a) => s + a.gainConversations, 0);
  const totalHours = hoursSaved(totalConv, minutes);
  return (
    <>
      <p className="actions-total" aria-live="polite" data-testid="actions-total">
        All {actions.actions.length} actions: <strong>{count(totalConv)}</strong> conversations/month,{' '}
        <strong>{hours(totalHours)}</strong> of agent time saved per month at {minutes} min each
      </p>
      <ol className="actions" aria-label="Next actions, ranked by impact">
        {shown.map((a) => (
          <AccountActionCard
            key={`${a.rank}-${a.taxonomyId}`}
            a={a}
            minutes={minutes}
            onPickLeaf={onPickLeaf}
            unsure={unsureTopics?.get(a.taxonomyId)}
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
