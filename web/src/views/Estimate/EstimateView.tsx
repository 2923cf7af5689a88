/**
 * View 4 — Estimate (SPEC §5): upload a prospect's export, see progress, then the predicted
 * potential with its range, what it is made of and the first roadmap steps; save it as a prospect.
 * `?prospect=<id>` shows a saved estimate.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'wouter';
import { isNotFound } from '../../api/client.ts';
import type { EstimateLimits, EstimateResult } from '../../api/server-types.ts';
import { EmptyState, ErrorState, QueryState } from '../../components/QueryState.tsx';
import { pct } from '../../lib/format.ts';
import { defaultProspectName } from './estimateState.ts';
import { ProspectsList } from './ProspectsList.tsx';
import { ESTIMATE_KEYS, estimateLimitsQuery, prospectQuery } from './queries.ts';
import { ResultView } from './ResultView.tsx';
import { UploadPanel } from './UploadPanel.tsx';
import { type RunSettings, useEstimateRun } from './useEstimateRun.ts';
import './estimate.css';

const rejectedShare = (r: EstimateResult) =>
  r.report.records > 0 ? r.report.rejected / r.report.records : 0;

export default function EstimateView() {
  const limits = useQuery(estimateLimitsQuery());
  return (
    <div className="page est-page">
      <div className="page-head">
        <div>
          <h1>Estimate</h1>
          <p className="page-sub">
            Drop a prospect’s export to see its likely automation potential, what it is made of and the first
            steps — from how comparable customers perform.
          </p>
        </div>
      </div>
      <QueryState
        query={limits}
        loadingLabel="Loading upload settings"
        errorTitle="Could not load the upload settings"
        minHeight={240}
      >
        {(l) => <EstimatePage limits={l} />}
      </QueryState>
    </div>
  );
}

function EstimatePage({ limits }: { limits: EstimateLimits }) {
  const qc = useQueryClient();
  const [params, setParams] = useSearchParams();
  const prospectId = params.get('prospect');
  const [settings, setSettings] = useState<RunSettings>({
    vertical: limits.defaultVertical,
    name: '',
    save: false,
  });
  const nameEdited = useRef(false);
  const [local, setLocal] = useState<EstimateResult | null>(null);
  const resultRef = useRef<HTMLDivElement>(null);

  const onResult = useCallback(
    (r: EstimateResult) => {
      setLocal(r);
      if (r.saved) {
        qc.setQueryData(ESTIMATE_KEYS.prospect(r.id), r);
        void qc.invalidateQueries({ queryKey: ESTIMATE_KEYS.prospects });
        // the triage and the prospect's account page read /api/accounts*: refresh them
        void qc.invalidateQueries({ queryKey: ['accounts'] });
        qc.removeQueries({ queryKey: ['account', r.id] });
        setParams({ prospect: r.id });
      } else if (prospectId) {
        setParams({});
      }
      requestAnimationFrame(() => {
        const h = resultRef.current?.querySelector<HTMLElement>('#est-result-h');
        h?.focus({ preventScroll: true });
        resultRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
      });
    },
    [qc, prospectId, setParams],
  );
  const run = useEstimateRun(limits, onResult);
  const { phase } = run;

  const choose = (f: File) => {
    setLocal(null);
    if (prospectId) setParams({});
    if (!nameEdited.current) setSettings((s) => ({ ...s, name: defaultProspectName(f.name) }));
    void run.choose(f);
  };
  const start = (s: RunSettings = settings) => {
    if (phase.kind === 'idle' || phase.kind === 'rejected' || phase.kind === 'previewing') return;
    if (phase.kind === 'previewError') return;
    setLocal(null);
    void run.start(phase.file, phase.preview, s);
  };
  const saveNow = () => {
    if (phase.kind !== 'done') return;
    const s = { ...settings, save: true };
    setSettings(s);
    void run.start(phase.file, phase.preview, {
      ...s,
      vertical: phase.result.vertical,
      name: phase.result.name,
    });
  };

  // the name follows the file until the user edits it; an empty name goes back to following
  useEffect(() => {
    if (settings.name === '') nameEdited.current = false;
  }, [settings.name]);

  const showLocal = local && (!prospectId || prospectId === local.id);
  return (
    <>
      <div className="est-top">
        <UploadPanel
          limits={limits}
          phase={phase}
          settings={settings}
          onSettings={(s, edited) => {
            if (edited) nameEdited.current = true;
            setSettings((prev) => ({ ...prev, ...s }));
          }}
          onChoose={choose}
          onStart={() => start()}
          onCancel={run.cancel}
        />
        <ProspectsList current={prospectId} />
      </div>
      <div ref={resultRef} className="est-result-anchor">
        {showLocal ? (
          <ResultView
            result={local}
            saveSlot={
              phase.kind === 'done' && phase.result.id === local.id ? (
                rejectedShare(local) > limits.saveMaxRejectRate ? (
                  <p className="muted small est-save-now" data-testid="estimate-cannot-save">
                    Not saved as a prospect: {pct(rejectedShare(local))} of the records were rejected, over
                    the {pct(limits.saveMaxRejectRate)} a saved prospect allows. Fix the rejected rows and
                    estimate the file again.
                  </p>
                ) : (
                  <div className="est-save-now">
                    <button
                      type="button"
                      className="btn btn-secondary"
                      onClick={saveNow}
                      data-testid="estimate-save-now"
                    >
                      Save as prospect
                    </button>
                    <span className="muted small">
                      Re-reads the file and adds the prospect to the triage.
                    </span>
                  </div>
                )
              ) : null
            }
          />
        ) : prospectId ? (
          <SavedProspect id={prospectId} />
        ) : (
          phase.kind === 'idle' && (
            <EmptyState title="No estimate yet" minHeight={140}>
              Choose a prospect’s export above, or open a saved prospect.
            </EmptyState>
          )
        )}
      </div>
    </>
  );
}

function SavedProspect({ id }: { id: string }) {
  const query = useQuery(prospectQuery(id));
  return (
    <QueryState
      query={query}
      loadingLabel="Loading the saved estimate"
      errorTitle="Could not load this prospect"
      minHeight={240}
      renderError={(e) =>
        isNotFound(e) ? (
          <ErrorState error={`No saved prospect has the id “${id}”.`} title="Prospect not found" />
        ) : null
      }
    >
      {(r) => <ResultView result={r} />}
    </QueryState>
  );
}
