/** Previously saved prospects (GET /api/estimate/prospects), newest first. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'wouter';
import type { ProspectListItem } from '../../api/server-types.ts';
import { QueryState } from '../../components/QueryState.tsx';
import { count, localDateLabel, localDateTimeLabel, pct, verticalLabel } from '../../lib/format.ts';
import { indicativeLabel } from '../../lib/topicFit.ts';
import { formatLabel } from './estimateState.ts';
import { ESTIMATE_KEYS, estimateApi, prospectsQuery } from './queries.ts';

export function ProspectsList() {
  const query = useQuery(prospectsQuery());
  return (
    <section className="card est-prospects" aria-labelledby="est-prospects-h">
      <div className="card-head">
        <h2 id="est-prospects-h">Saved prospects</h2>
        <Link href="/?status=prospect" className="small">
          In the triage
        </Link>
      </div>
      <QueryState
        query={query}
        loadingLabel="Loading prospects"
        errorTitle="Could not load the saved prospects"
        isEmpty={(d) => d.prospects.length === 0}
        emptyTitle="No saved prospects yet"
        emptyHint="Tick “Save as prospect” before estimating, or save an estimate from its page, to keep it here and in the triage."
        minHeight={120}
      >
        {(d) => (
          <ul className="est-prospect-list" data-testid="prospects-list">
            {d.prospects.map((p) => (
              <ProspectRow key={p.id} p={p} />
            ))}
          </ul>
        )}
      </QueryState>
    </section>
  );
}

function ProspectRow({ p }: { p: ProspectListItem }) {
  const qc = useQueryClient();
  const remove = useMutation({
    mutationFn: () => estimateApi.deleteProspect(p.id),
    onSuccess: () => {
      qc.removeQueries({ queryKey: ESTIMATE_KEYS.prospect(p.id) });
      qc.removeQueries({ queryKey: ['account', p.id] });
      void qc.invalidateQueries({ queryKey: ESTIMATE_KEYS.prospects });
      void qc.invalidateQueries({ queryKey: ['accounts'] });
    },
  });
  const onDelete = () => {
    if (window.confirm(`Delete the saved prospect “${p.name}”? It leaves the triage too.`)) remove.mutate();
  };
  return (
    <li data-testid="prospect-item">
      <div className="est-prospect-main">
        <Link href={`/accounts/${encodeURIComponent(p.id)}`} className="est-prospect-name">
          {p.name}
        </Link>
        <span className="muted small">
          {verticalLabel(p.vertical)} · {formatLabel(p.format)} · {count(p.conversations)} conv. ·{' '}
          <span title={`Saved ${localDateTimeLabel(p.savedAt)}`}>{localDateLabel(p.savedAt)}</span>
        </span>
      </div>
      <div className="est-prospect-side">
        {p.poorTopicFit != null && (
          <span
            className="badge badge-warn"
            title={indicativeLabel(p.poorTopicFit) ?? undefined}
            data-testid="prospect-indicative"
          >
            indicative
          </span>
        )}
        <strong className="est-prospect-pot" title={`Range ${pct(p.potentialLow)} – ${pct(p.potentialHigh)}`}>
          {pct(p.potential)}
        </strong>
        <button
          type="button"
          className="link-button small"
          onClick={onDelete}
          disabled={remove.isPending}
          aria-label={`Delete ${p.name}`}
          data-testid="prospect-delete"
        >
          {remove.isPending ? 'Deleting…' : 'Delete'}
        </button>
        {remove.isError && (
          <span role="alert" className="small est-error-text">
            {remove.error.message}
          </span>
        )}
      </div>
    </li>
  );
}
