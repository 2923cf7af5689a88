/** Drop zone, settings, format preview (CSV mapping), progress with cancel, and upload errors. */
import { type DragEvent, useEffect, useId, useRef, useState } from 'react';
import type { EstimateLimits, EstimatePreview } from '../../api/server-types.ts';
import { ErrorState, LoadingState } from '../../components/QueryState.tsx';
import { count, pct, verticalLabel } from '../../lib/format.ts';
import {
  acceptList,
  bytesLabel,
  defaultProspectName,
  formatLabel,
  progressFraction,
} from './estimateState.ts';
import { MappingTable } from './MappingTable.tsx';
import type { RunPhase, RunSettings } from './useEstimateRun.ts';

export function UploadPanel({
  limits,
  phase,
  settings,
  onSettings,
  onChoose,
  onStart,
  onCancel,
}: {
  limits: EstimateLimits;
  phase: RunPhase;
  settings: RunSettings;
  onSettings: (s: Partial<RunSettings>, nameEdited?: boolean) => void;
  onChoose: (f: File) => void;
  onStart: () => void;
  onCancel: () => void;
}) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const ids = { input: useId(), hint: useId(), vertical: useId(), name: useId(), save: useId() };
  const busy = phase.kind === 'uploading';
  const file = phase.kind === 'idle' ? null : phase.file;

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (busy) return;
    const f = e.dataTransfer.files[0];
    if (f) onChoose(f);
  };

  return (
    <section className="card est-upload" aria-labelledby="est-upload-h">
      <div className="card-head">
        <h2 id="est-upload-h">Prospect’s export</h2>
        <span className="muted small" data-testid="estimate-limit">
          Up to <strong>{limits.maxBytesLabel}</strong> · gzip accepted
        </span>
      </div>
      <fieldset
        className={`est-drop${dragging ? ' is-dragging' : ''}${busy ? ' is-busy' : ''}`}
        data-testid="estimate-dropzone"
        onDragEnter={(e) => {
          e.preventDefault();
          if (!busy) setDragging(true);
        }}
        onDragOver={(e) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = busy ? 'none' : 'copy';
        }}
        onDragLeave={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
        }}
        onDrop={onDrop}
      >
        <legend className="sr-only">Export file</legend>
        <svg className="est-drop-icon" viewBox="0 0 24 24" width="28" height="28" aria-hidden="true">
          <path
            d="M12 16V4m0 0l-4.5 4.5M12 4l4.5 4.5M4 15v3a2 2 0 002 2h12a2 2 0 002-2v-3"
            stroke="currentColor"
            strokeWidth="1.8"
            fill="none"
            strokeLinecap="round"
            strokeLinejoin="round"
          />
        </svg>
        <div className="est-drop-text">
          {/* a phone has nothing to drop from: there the button alone (CSS, pointer: coarse) */}
          <span className="est-drop-only">
            <strong>Drop the export file here</strong>
            <span className="muted"> or </span>
          </span>
          <input
            ref={inputRef}
            id={ids.input}
            type="file"
            className="sr-only est-file-input"
            data-testid="estimate-file-input"
            accept={acceptList(limits.formats)}
            aria-describedby={ids.hint}
            disabled={busy}
            onChange={(e) => {
              const f = e.target.files?.[0];
              e.target.value = ''; // choosing the same file again still fires
              if (f) onChoose(f);
            }}
          />
          <label htmlFor={ids.input} className="btn btn-secondary btn-sm est-pick">
            choose a file
          </label>
        </div>
        <p id={ids.hint} className="muted small est-drop-hint">
          {limits.formats.map((f) => f.label.replace(/ \(.*\)$/, '')).join(' · ')} — up to{' '}
          {limits.maxBytesLabel}, one record at most {bytesLabel(limits.maxLineBytes)}. No AI outcomes needed.
        </p>
        {file && (
          <p className="est-file" data-testid="estimate-file">
            <span className="mono">{file.name}</span> <span className="muted">· {bytesLabel(file.size)}</span>
          </p>
        )}
      </fieldset>

      <div className="est-settings">
        <div className="field">
          <label htmlFor={ids.vertical}>Compare with</label>
          <select
            id={ids.vertical}
            value={settings.vertical}
            disabled={busy}
            onChange={(e) => onSettings({ vertical: e.target.value })}
            data-testid="estimate-vertical"
          >
            {limits.verticals.map((v) => (
              <option key={v} value={v}>
                {verticalLabel(v)}
              </option>
            ))}
          </select>
        </div>
        <div className="field est-name">
          <label htmlFor={ids.name}>Prospect name</label>
          <input
            id={ids.name}
            type="text"
            maxLength={120}
            value={settings.name}
            placeholder={(file && defaultProspectName(file.name)) || 'From the file name'}
            disabled={busy}
            onChange={(e) => onSettings({ name: e.target.value }, true)}
            data-testid="estimate-name"
          />
        </div>
        <label className="est-check" htmlFor={ids.save}>
          <input
            id={ids.save}
            type="checkbox"
            checked={settings.save}
            disabled={busy}
            onChange={(e) => onSettings({ save: e.target.checked })}
            data-testid="estimate-save"
          />
          Save as prospect
        </label>
      </div>

      <PhasePanel
        phase={phase}
        onStart={onStart}
        onCancel={onCancel}
        onPickAgain={() => inputRef.current?.click()}
      />
    </section>
  );
}

function PhasePanel({
  phase,
  onStart,
  onCancel,
  onPickAgain,
}: {
  phase: RunPhase;
  onStart: () => void;
  onCancel: () => void;
  onPickAgain: () => void;
}) {
  switch (phase.kind) {
    case 'idle':
      return null;
    case 'rejected':
      return (
        <div className="est-phase">
          <ErrorState error={phase.message} title="This file can’t be estimated" minHeight={0} />
          <PickAgain onPickAgain={onPickAgain} />
        </div>
      );
    case 'previewing':
      return <LoadingState label="Reading the start of the file" minHeight={80} />;
    case 'previewError':
      return (
        <div className="est-phase">
          <ErrorState error={phase.error} title="This file can’t be imported" minHeight={0} />
          <PickAgain onPickAgain={onPickAgain} />
        </div>
      );
    case 'preview':
      return (
        <div className="est-phase">
          <PreviewBlock preview={phase.preview} />
          <div className="est-actions">
            <button type="button" className="btn btn-primary" onClick={onStart} data-testid="estimate-start">
              Estimate
            </button>
            <span className="muted small">
              Reads the whole file; nothing is saved unless you tick the box.
            </span>
          </div>
        </div>
      );
    case 'uploading':
      return (
        <div className="est-phase">
          {phase.preview && <PreviewLine preview={phase.preview} />}
          <Progress phase={phase} />
          <div className="est-actions">
            <button
              type="button"
              className="btn btn-secondary"
              onClick={onCancel}
              data-testid="estimate-cancel"
            >
              Cancel
            </button>
          </div>
        </div>
      );
    case 'cancelled':
      return (
        <div className="est-phase">
          <p className="est-cancelled" role="status" data-testid="estimate-cancelled">
            Estimate cancelled — nothing was imported or saved.
          </p>
          <div className="est-actions">
            <button type="button" className="btn btn-primary" onClick={onStart}>
              Estimate again
            </button>
            <PickAgain onPickAgain={onPickAgain} inline />
          </div>
        </div>
      );
    case 'error':
      return (
        <div className="est-phase" data-testid="estimate-error">
          <ErrorState error={phase.error} title="The estimate failed" minHeight={0} />
          <PickAgain onPickAgain={onPickAgain} />
        </div>
      );
    case 'done':
      return (
        <div className="est-phase">
          <p className="est-done" role="status">
            Estimated <strong>{count(phase.result.conversations)}</strong> conversations in{' '}
            {count(phase.result.elapsedMs)} ms — see the result below.
          </p>
        </div>
      );
  }
}

function PickAgain({ onPickAgain, inline = false }: { onPickAgain: () => void; inline?: boolean }) {
  return (
    <button
      type="button"
      className={`btn btn-secondary${inline ? '' : ' est-pick-again'}`}
      onClick={onPickAgain}
    >
      Choose another file
    </button>
  );
}

function PreviewLine({ preview: p }: { preview: EstimatePreview }) {
  return (
    <p className="est-detected">
      <span className="badge badge-info" data-testid="estimate-format">
        {formatLabel(p.format)}
      </span>{' '}
      <span className="muted small">
        {p.encoding.toUpperCase()}
        {p.gzip ? ' · gzip' : ''}
      </span>
    </p>
  );
}

function PreviewBlock({ preview: p }: { preview: EstimatePreview }) {
  const mapping = p.mapping ? Object.entries(p.mapping) : [];
  return (
    <div className="est-preview" data-testid="estimate-preview">
      <PreviewLine preview={p} />
      <p className="small">{p.reason}</p>
      {(p.format === 'csv' || p.format === 'records') && (
        <div className="est-preview-mapping">
          <h3 className="h3">
            {p.format === 'csv' ? 'Column mapping' : 'Field mapping'}
            {p.delimiter ? ` (${delimiterLabel(p.delimiter)})` : ''}
          </h3>
          {mapping.length > 0 ? (
            <MappingTable
              mapping={mapping}
              ignored={p.ignored}
              ignoredMore={p.ignoredMore ?? 0}
              unit={p.format === 'records' ? 'Field' : 'Column'}
            />
          ) : (
            <p className="muted small">No column was recognised.</p>
          )}
        </div>
      )}
      {p.notes.length > 0 && (
        <ul className="est-list est-notes">
          {p.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Progress({ phase }: { phase: Extract<RunPhase, { kind: 'uploading' }> }) {
  const p = phase.progress;
  const total = p?.totalBytes ?? phase.file.size;
  const bytes = p?.bytes ?? 0;
  const frac = progressFraction(bytes, total);
  const label = !p
    ? 'Starting…'
    : p.uploaded
      ? 'Classifying and comparing with peers…'
      : 'Uploading and reading';
  // the server's first line says 0 before it has read a record: "27 KB of 27 KB · 0 records"
  // under "Classifying…" read as if the file held none
  const records = p?.records ? p.records : null;
  // the Estimate button that had focus is gone: focus comes here, and the phase is announced
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.focus(), []);
  return (
    <div className="est-progress" data-testid="estimate-progress" ref={box} tabIndex={-1}>
      <div className="est-progress-head">
        <span role="status">{label}</span>
        <span className="muted small" data-testid="estimate-progress-counts">
          {bytesLabel(bytes)} of {bytesLabel(total)}
          {records != null && ` · ${count(records)} records`}
        </span>
      </div>
      <div
        className="est-bar"
        role="progressbar"
        aria-label="Estimate progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={frac == null ? undefined : Math.round(frac * 100)}
        aria-valuetext={`${pct(frac)} of the file sent${records != null ? `, ${count(records)} records read` : ''}`}
      >
        <div
          className={`est-bar-fill${p?.uploaded ? ' is-working' : ''}`}
          style={{ width: pct(frac ?? 0) }}
        />
      </div>
    </div>
  );
}

/** The server reads a one-column file with a delimiter no text holds (U+0000): each line whole. */
function delimiterLabel(delimiter: string): string {
  if (delimiter === '\u0000') return 'one column: each line is one request';
  return `delimiter ${delimiter === '\t' ? 'tab' : `“${delimiter}”`}`;
}
