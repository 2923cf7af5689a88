import { useQuery } from '@tanstack/react-query';
import { ApiError } from '../../api/client.ts';
import { cxSamplesQuery, samplesQuery } from '../../api/queries.ts';
import type { LeafBreakdown, SampleConversation } from '../../api/server-types.ts';
import { CX_LABELS } from '../../charts/cxDistribution.ts';
import { Drawer } from '../../components/Drawer.tsx';
import { ErrorState, QueryState } from '../../components/QueryState.tsx';
import { dateTimeLabel, humanize, pct, perMonth, score } from '../../lib/format.ts';
import { SubSignals } from './ScoreMeter.tsx';
import { type Lever, leverNote, samplesForLever } from './samplesFor.ts';

const OUTCOME_TONE: Record<string, string> = {
  confirmed_resolution: 'good',
  assumed_resolution: 'good',
  escalated: 'warn',
  procedure_handoff: 'info',
  negative_feedback: 'bad',
  abandoned: 'bad',
  pending: 'muted',
};

function Outcome({ c, prospect }: { c: SampleConversation; prospect: boolean }) {
  // a prospect's estimate reads no outcomes: its export may well show an AI agent at work
  if (prospect)
    return (
      <span className="badge badge-muted" title="An estimate reads the customer's words, not the outcomes">
        Outcome not read
      </span>
    );
  if (!c.aiInvolved) return <span className="badge badge-muted">AI not involved</span>;
  const state = c.aiResolutionState ?? 'pending';
  return (
    <>
      <span className={`badge badge-${OUTCOME_TONE[state] ?? 'muted'}`}>{humanize(state)}</span>
      {c.reopened && (
        <span className="badge badge-bad" title="A reopened conversation loses its resolution">
          Reopened
        </span>
      )}
    </>
  );
}

function Conversation({ c, prospect }: { c: SampleConversation; prospect: boolean }) {
  return (
    <article className="convo" data-testid="sample" aria-label={`Conversation ${c.id}`}>
      <header className="convo-head">
        <div className="convo-meta">
          <strong className="mono">{c.id}</strong>
          <span className="muted">
            {dateTimeLabel(c.createdAt)} · {humanize(c.channel)}
          </span>
        </div>
        <div className="convo-badges">
          <Outcome c={c} prospect={prospect} />
          {c.csat != null && <span className="badge badge-muted">CSAT {c.csat}/5</span>}
        </div>
      </header>
      <div className="convo-cx">
        <div className="convo-cx-score">
          <span className="eyebrow">CX score</span>
          <span className={`cx-big cx-${Math.round(c.cx.score)}`}>{score(c.cx.score)}</span>
        </div>
        <div className="convo-cx-body">
          <p className="convo-cx-expl">{c.cx.explanation}</p>
          <SubSignals resolution={c.cx.resolution} sentiment={c.cx.sentiment} effort={c.cx.effort} />
        </div>
      </div>
      <ol className="transcript" aria-label="Transcript">
        {c.messages.map((m, i) => (
          // messages have no id; order is stable
          // biome-ignore lint/suspicious/noArrayIndexKey: transcript order is fixed
          <li key={i} className={`msg msg-${m.role}`}>
            <span className="msg-role">{m.role === 'ai' ? 'AI agent' : humanize(m.role)}</span>
            {m.ownText === undefined ? (
              <p className="msg-text">{m.text}</p>
            ) : (
              <>
                <p className="msg-text" data-testid="msg-own-text">
                  {m.ownText}
                </p>
                <details className="msg-whole">
                  <summary className="muted small">
                    Whole message (quoted reply, signature or footer left out above)
                  </summary>
                  <p className="msg-text muted">{m.text}</p>
                </details>
              </>
            )}
          </li>
        ))}
      </ol>
      <footer className="convo-foot muted small">Classifier confidence {pct(c.confidence)}</footer>
    </article>
  );
}

/** A drawer's example conversations, one card each; an action's evidence first, said above them. */
const conversationList =
  (prospect: boolean, lever: Lever | null = null) =>
  (d: { samples: readonly SampleConversation[] }) => {
    // a prospect's estimate reads no outcomes: there is no evidence of a lever to put first
    const { ordered, evidence } = samplesForLever(d.samples, prospect ? null : lever);
    return (
      <>
        {lever && !prospect && (
          <p className="muted small" data-testid="samples-lever-note">
            {leverNote(lever, evidence, d.samples.length)}
          </p>
        )}
        {prospect && (
          // an out-of-domain review read a topic's examples as the topic's content: they are its best fits
          <p className="muted small" data-testid="samples-prospect-note">
            The estimate keeps the conversations it classified with the most confidence on each topic: the
            topic’s doubtful ones are not among them. To read every conversation’s topic and confidence, run{' '}
            <code>npm run classify -- --input FILE</code> on the export.
          </p>
        )}
        <div className="convos">
          {ordered.map((c) => (
            <Conversation key={c.id} c={c} prospect={prospect} />
          ))}
        </div>
      </>
    );
  };

export function SamplesDrawer({
  accountId,
  taxonomyId,
  leaf,
  onClose,
  prospect = false,
  lever = null,
}: {
  accountId: string;
  taxonomyId: string | null;
  leaf: LeafBreakdown | undefined;
  onClose: () => void;
  prospect?: boolean;
  /** opened from a next action: its evidence first */
  lever?: Lever | null;
}) {
  const query = useQuery({ ...samplesQuery(accountId, taxonomyId ?? ''), enabled: taxonomyId != null });
  return (
    <Drawer
      open={taxonomyId != null}
      onClose={onClose}
      title={leaf?.label ?? taxonomyId ?? ''}
      subtitle={
        leaf ? (
          <>
            {leaf.group} · {humanize(leaf.automationClass)} · {perMonth(leaf.monthlyConversations)} conv/mo ·
            automation {pct(leaf.automationRate)} of {pct(leaf.achievableAutomation)} achievable · CX{' '}
            {score(leaf.cxScore)}
            {leaf.uncertain && (
              // the breakdown's "unsure fit" badge explains itself here too: its title is out of
              // reach of a keyboard or a touch screen
              <span className="drawer-unsure" data-testid="samples-unsure">
                {' '}
                · unsure fit: classified with {pct(leaf.uncertain.confidence)} confidence on average, these
                conversations are more likely misfiled than not — perhaps requests the taxonomy has no topic
                for
              </span>
            )}
          </>
        ) : (
          <span className="mono">{taxonomyId}</span>
        )
      }
    >
      <QueryState
        query={query}
        loadingLabel="Loading example conversations"
        errorTitle="Could not load the conversations"
        renderError={(error) =>
          error instanceof ApiError && error.status === 400 && leaf === undefined ? (
            <ErrorState
              error={`The link names a topic this account's taxonomy does not have (“${taxonomyId}”). Close this panel and pick a topic from the breakdown.`}
              title="Unknown topic"
            />
          ) : null
        }
        isEmpty={(d) => d.samples.length === 0}
        emptyTitle="No example conversations"
        emptyHint="There are no stored samples for this topic."
      >
        {conversationList(prospect, lever)}
      </QueryState>
    </Drawer>
  );
}

/** The CX distribution's drill-down: example conversations of every topic scored in one bucket. */
export function CxSamplesDrawer({
  accountId,
  score: bucket,
  onClose,
  prospect = false,
}: {
  accountId: string;
  score: number | null;
  onClose: () => void;
  prospect?: boolean;
}) {
  const query = useQuery({ ...cxSamplesQuery(accountId, bucket ?? 1), enabled: bucket != null });
  return (
    <Drawer
      open={bucket != null}
      onClose={onClose}
      title={`CX score ${bucket == null ? '' : (CX_LABELS[bucket - 1] ?? bucket)}`}
      subtitle="Up to 12 example conversations of every topic with this score from the distribution's months, newest first (from the examples kept per topic, not every conversation)"
    >
      <QueryState
        query={query}
        loadingLabel="Loading example conversations"
        errorTitle="Could not load the conversations"
        isEmpty={(d) => d.samples.length === 0}
        emptyTitle="No example conversations with this score"
        emptyHint="The examples kept per topic include none scored here; the topics' own drill-downs show the others."
      >
        {conversationList(prospect)}
      </QueryState>
    </Drawer>
  );
}
