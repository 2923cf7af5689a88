/** The example conversations behind a topic (at most 3 per topic, up to 4 messages each). */
import type { EstimateSample } from '../../api/server-types.ts';
import { EmptyState } from '../../components/QueryState.tsx';
import { dateTimeLabel, humanize, pct } from '../../lib/format.ts';

const roleLabel = (r: string) => (r === 'ai' ? 'AI agent' : humanize(r));

export function SampleList({ samples, label }: { samples: readonly EstimateSample[]; label: string }) {
  if (!samples.length)
    return (
      <EmptyState title="No example conversations" minHeight={80}>
        The export had no readable text for this topic.
      </EmptyState>
    );
  return (
    <section className="convos est-convos" aria-label={`Example conversations: ${label}`}>
      {samples.map((s) => (
        <article
          key={s.id}
          className="convo"
          data-testid="estimate-sample"
          aria-label={`Conversation ${s.id}`}
        >
          <header className="convo-head">
            <div className="convo-meta">
              <strong className="mono">{s.id}</strong>
              <span className="muted">
                {dateTimeLabel(s.createdAt)} · {humanize(s.channel)}
              </span>
            </div>
            <span className="badge badge-muted" title="Classifier confidence for this topic">
              confidence {pct(s.confidence)}
            </span>
          </header>
          <ol className="transcript" aria-label="Transcript">
            {s.messages.map((m, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: transcript order is fixed
              <li key={i} className={`msg msg-${m.role}`}>
                <span className="msg-role">{roleLabel(m.role)}</span>
                <p className="msg-text">{m.text}</p>
              </li>
            ))}
          </ol>
        </article>
      ))}
    </section>
  );
}
