/**
 * A prospect's Account page starts with the estimate it comes from: the file, how the potential
 * was found, whether it is saved (an unsaved estimate is a temporary prospect, kept for a day) and
 * what the import kept and rejected.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'wouter';
import type { EstimateResult } from '../../api/server-types.ts';
import { QueryState } from '../../components/QueryState.tsx';
import { count, dateLabel, localDateTimeLabel, pct, verticalLabel } from '../../lib/format.ts';
import {
  bytesLabel,
  datesNote,
  existingAgentNote,
  formatLabel,
  howLine,
  noTextNote,
  potentialLine,
  rejectedNote,
  smallExportNote,
  sourcesLine,
  unfamiliarNote,
  unreadableNote,
  verticalSuggestionNote,
} from '../Estimate/estimateState.ts';
// its cards share the Estimate view's styles, and a prospect's page can be opened directly
import '../Estimate/estimate.css';
import { ESTIMATE_KEYS, estimateApi, estimateLimitsQuery, prospectQuery } from '../Estimate/queries.ts';
import { ImportReport } from './ImportReport.tsx';

export function ProspectEstimate({ id }: { id: string }) {
  const query = useQuery(prospectQuery(id));
  return (
    <QueryState query={query} loadingLabel="Loading the estimate" errorTitle="Could not load the estimate">
      {(r) => (
        <div className="est-result-top">
          <EstimateCard r={r} />
          <ImportReport r={r} />
        </div>
      )}
    </QueryState>
  );
}

function EstimateCard({ r }: { r: EstimateResult }) {
  return (
    <section className="card est-summary" aria-labelledby="est-card-h" data-testid="prospect-estimate">
      <div className="card-head">
        <h2 id="est-card-h">Estimate from the export</h2>
        {r.saved ? (
          <span className="badge badge-good">Saved</span>
        ) : (
          <span className="badge badge-warn">Not saved</span>
        )}
      </div>
      <dl className="meta est-meta">
        <div>
          <dt>Automation potential</dt>
          <dd data-testid="estimate-potential">
            <strong>{potentialLine(r)}</strong>
          </dd>
        </div>
        {r.fileName && (
          <div>
            <dt>File</dt>
            <dd className="est-filename">
              {r.fileName} ({bytesLabel(r.bytes)})
            </dd>
          </div>
        )}
        <div>
          <dt>Format</dt>
          <dd>{formatLabel(r.report.format)}</dd>
        </div>
        <div>
          <dt>Conversations</dt>
          <dd>
            {count(r.conversations)}{' '}
            {r.report.undated ? '(no dates in the file)' : `(${dateLabel(r.from)} – ${dateLabel(r.to)})`}
            {/* an export shorter than a month is read at its own pace: say what the "a month" figures stand on */}
            {!r.report.undated && r.months < 1 && (
              <span className="muted"> · ≈ {count(r.monthlyConversations)} a month at its pace</span>
            )}
          </dd>
        </div>
        <div>
          <dt>Classification confidence</dt>
          <dd>{pct(r.confidence)}</dd>
        </div>
      </dl>
      {r.verticalSuggestion && (
        <p className="est-small badge-warn" data-testid="estimate-vertical-suggestion" role="note">
          {verticalSuggestionNote(r)}{' '}
          <Link href={`/estimate?vertical=${encodeURIComponent(r.verticalSuggestion.vertical)}`}>
            Estimate it again against {verticalLabel(r.verticalSuggestion.vertical)} peers
          </Link>
        </p>
      )}
      {(
        [
          ['estimate-existing-agent', existingAgentNote(r)],
          ['estimate-small', smallExportNote(r.conversations)],
          ['estimate-rejected', rejectedNote(r)],
          ['estimate-dates', datesNote(r)],
          ['estimate-no-text', noTextNote(r)],
          ['estimate-unreadable', unreadableNote(r)],
          ['estimate-unfamiliar', unfamiliarNote(r)],
        ] as const
      ).map(
        ([testId, note]) =>
          note && (
            <p key={testId} className="est-small badge-warn" data-testid={testId} role="note">
              {note}
            </p>
          ),
      )}
      <p className="est-how" data-testid="estimate-how">
        <strong>How: </strong>
        {howLine(r)}
      </p>
      <details className="how">
        <summary>How is this calculated?</summary>
        <div className="how-body">
          <p>{r.method}</p>
          {sourcesLine(r.leaves) && <p>{sourcesLine(r.leaves)}</p>}
          <p className="muted">
            Computed {localDateTimeLabel(r.createdAt)} in {count(r.elapsedMs)} ms.
          </p>
        </div>
      </details>
      {r.saved ? (
        <>
          <p className="est-saved" data-testid="estimate-saved" role="status">
            <strong>Saved as prospect</strong> <Link href="/?status=prospect">Prospects in the triage</Link>
          </p>
          <RenameSaved r={r} />
        </>
      ) : (
        <SaveEstimate r={r} />
      )}
    </section>
  );
}

/**
 * The same export estimated again under another name (`?rename=` from the Estimate view): the
 * saved prospect is what this page shows, so the new name is offered here rather than dropped.
 */
function RenameSaved({ r }: { r: EstimateResult }) {
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const typed = params.get('rename');
  const [name, setName] = useState(typed ?? '');
  const rename = useMutation({
    mutationFn: () => estimateApi.saveProspect(r.id, name.trim()),
    onSuccess: (saved) => {
      qc.setQueryData(ESTIMATE_KEYS.prospect(saved.id), saved);
      void qc.invalidateQueries({ queryKey: ESTIMATE_KEYS.prospects });
      void qc.invalidateQueries({ queryKey: ['accounts'] });
      void qc.invalidateQueries({ queryKey: ['account', saved.id] });
    },
  });
  if (typed === null || typed.trim() === r.name) return null;
  return (
    <form
      className="est-save-now"
      data-testid="estimate-rename"
      onSubmit={(e) => {
        e.preventDefault();
        // the URL is tidied only while this page is still shown (a mutation's own onSuccess runs
        // after the user has left, and would navigate back)
        if (name.trim())
          rename.mutate(undefined, {
            onSuccess: () =>
              setParams(
                (p) => {
                  p.delete('rename');
                  return p;
                },
                { replace: true },
              ),
          });
      }}
    >
      <p className="small" role="status">
        This export was saved before as “{r.name}”, which is what this page shows; the name you typed was not
        applied.
      </p>
      <div className="field est-name">
        <label htmlFor={`rename-${r.id}`}>Rename it to</label>
        <input
          id={`rename-${r.id}`}
          type="text"
          value={name}
          maxLength={120}
          onChange={(e) => setName(e.target.value)}
        />
      </div>
      <button type="submit" className="btn btn-primary" disabled={rename.isPending || !name.trim()}>
        {rename.isPending ? 'Renaming…' : 'Rename'}
      </button>
      {rename.isError && (
        <span role="alert" className="small est-error-text">
          {rename.error.message}
        </span>
      )}
    </form>
  );
}

function SaveEstimate({ r }: { r: EstimateResult }) {
  const qc = useQueryClient();
  const limits = useQuery(estimateLimitsQuery());
  const [name, setName] = useState(r.name);
  const save = useMutation({
    mutationFn: () => estimateApi.saveProspect(r.id, name.trim() || r.name),
    onSuccess: (saved) => {
      qc.setQueryData(ESTIMATE_KEYS.prospect(saved.id), saved);
      void qc.invalidateQueries({ queryKey: ESTIMATE_KEYS.prospects });
      void qc.invalidateQueries({ queryKey: ['accounts'] });
      void qc.invalidateQueries({ queryKey: ['account', saved.id] });
    },
  });
  const rejected = r.report.records > 0 ? r.report.rejected / r.report.records : 0;
  const maxRejected = limits.data?.saveMaxRejectRate;
  if (maxRejected !== undefined && rejected > maxRejected)
    return (
      <p className="muted small est-save-now" data-testid="estimate-cannot-save">
        Not saved: {pct(rejected)} of the records were rejected, over the {pct(maxRejected)} a saved prospect
        allows. Fix the rejected rows and estimate the file again. This estimate stays here for a day.
      </p>
    );
  return (
    <form
      className="est-save-now"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <div className="field est-name">
        <label htmlFor={`save-name-${r.id}`}>Prospect name</label>
        <input
          id={`save-name-${r.id}`}
          type="text"
          value={name}
          maxLength={120}
          onChange={(e) => setName(e.target.value)}
          data-testid="estimate-save-name"
        />
      </div>
      <button
        type="submit"
        className="btn btn-primary"
        disabled={save.isPending}
        data-testid="estimate-save-now"
      >
        {save.isPending ? 'Saving…' : 'Save as prospect'}
      </button>
      <span className="muted small">
        Unsaved, this estimate is kept for a day; saved, it joins the triage.
      </span>
      {save.isError && (
        <span role="alert" className="small est-error-text" data-testid="estimate-save-error">
          {save.error.message}
        </span>
      )}
    </form>
  );
}
