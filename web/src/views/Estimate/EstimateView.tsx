/**
 * View 4 — Estimate (SPEC §5): upload a prospect's export and follow its progress; the result is
 * a prospect, shown on its Account page (potential with its range, breakdown, roadmap, CX, the
 * import report). An unsaved estimate is a temporary prospect that can be saved from there.
 * `?prospect=<id>` (links from before) opens that prospect's Account page.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Redirect, useLocation, useSearchParams } from 'wouter';
import type { EstimateLimits } from '../../api/server-types.ts';
import { QueryState } from '../../components/QueryState.tsx';
import { defaultProspectName } from './estimateState.ts';
import { ProspectsList } from './ProspectsList.tsx';
import { ESTIMATE_KEYS, estimateLimitsQuery } from './queries.ts';
import { UploadPanel } from './UploadPanel.tsx';
import type { EstimateMade } from './upload.ts';
import { type RunSettings, useEstimateRun } from './useEstimateRun.ts';
import './estimate.css';
import { usePageTitle } from '../../lib/usePageTitle.ts';

export default function EstimateView() {
  const limits = useQuery(estimateLimitsQuery());
  usePageTitle('Estimate');
  const [params] = useSearchParams();
  const legacyProspect = params.get('prospect');
  if (legacyProspect) return <Redirect to={`/accounts/${encodeURIComponent(legacyProspect)}`} replace />;
  return (
    <div className="page est-page">
      <div className="page-head">
        <div>
          <h1>Estimate</h1>
          <p className="page-sub">
            Drop a prospect’s export: it opens as a prospect’s account page with its likely automation
            potential, what it is made of and the first steps — from how comparable customers perform.
          </p>
        </div>
      </div>
      <QueryState
        query={limits}
        loadingLabel="Loading upload settings"
        errorTitle="Could not load the upload settings"
        minHeight={240}
      >
        {(l) => <EstimatePage limits={l} vertical={params.get('vertical')} />}
      </QueryState>
    </div>
  );
}

function EstimatePage({ limits, vertical }: { limits: EstimateLimits; vertical: string | null }) {
  const qc = useQueryClient();
  const [, navigate] = useLocation();
  const [settings, setSettings] = useState<RunSettings>({
    // `?vertical=` preselects the peers (a prospect's page links here with the vertical it suggests)
    vertical: vertical && limits.verticals.includes(vertical) ? vertical : limits.defaultVertical,
    name: '',
    save: false,
  });
  const nameEdited = useRef(false);

  // The result is a prospect (saved, or kept unsaved for a day): its Account page shows it.
  const onResult = useCallback(
    (r: EstimateMade) => {
      qc.removeQueries({ queryKey: ESTIMATE_KEYS.prospect(r.id) });
      qc.removeQueries({ queryKey: ['account', r.id] });
      if (r.saved) {
        void qc.invalidateQueries({ queryKey: ESTIMATE_KEYS.prospects });
        void qc.invalidateQueries({ queryKey: ['accounts'] });
      }
      // saved before under another name: its page offers the name typed now
      navigate(
        `/accounts/${encodeURIComponent(r.id)}${r.savedAs !== undefined ? `?rename=${encodeURIComponent(r.name)}` : ''}`,
      );
    },
    [qc, navigate],
  );
  const run = useEstimateRun(limits, onResult);
  const { phase } = run;

  const choose = (f: File) => {
    if (!nameEdited.current) setSettings((s) => ({ ...s, name: defaultProspectName(f.name) }));
    void run.choose(f);
  };
  const start = () => {
    if (phase.kind === 'idle' || phase.kind === 'rejected' || phase.kind === 'previewing') return;
    if (phase.kind === 'previewError') return;
    void run.start(phase.file, phase.preview, settings);
  };

  // the name follows the file until the user edits it; an empty name goes back to following
  useEffect(() => {
    if (settings.name === '') nameEdited.current = false;
  }, [settings.name]);

  return (
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
        onStart={start}
        onCancel={run.cancel}
      />
      <ProspectsList />
    </div>
  );
}
