/** The upload's state machine: choose a file → preview → estimate (progress, cancel) → result or error. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { EstimateLimits, EstimatePreview } from '../../api/server-types.ts';
import { checkFile, type UploadProgress } from './estimateState.ts';
import { estimateApi } from './queries.ts';
import { type EstimateMade, isCancelled, uploadEstimate } from './upload.ts';

export type RunPhase =
  | { kind: 'idle' }
  | { kind: 'rejected'; file: File; message: string }
  | { kind: 'previewing'; file: File }
  | { kind: 'preview'; file: File; preview: EstimatePreview }
  | { kind: 'previewError'; file: File; error: unknown }
  | { kind: 'uploading'; file: File; preview: EstimatePreview | null; progress: UploadProgress | null }
  | { kind: 'cancelled'; file: File; preview: EstimatePreview | null }
  | { kind: 'error'; file: File; preview: EstimatePreview | null; error: unknown }
  | { kind: 'done'; file: File; preview: EstimatePreview | null; result: EstimateMade };

export interface RunSettings {
  vertical: string;
  name: string;
  save: boolean;
}

export function useEstimateRun(limits: EstimateLimits, onResult: (r: EstimateMade) => void) {
  const [phase, setPhase] = useState<RunPhase>({ kind: 'idle' });
  const abortRef = useRef<AbortController | null>(null);
  const onResultRef = useRef(onResult);
  onResultRef.current = onResult;

  // a pending upload or preview is cancelled when the view goes away
  useEffect(() => () => abortRef.current?.abort(), []);

  const choose = useCallback(
    async (file: File) => {
      abortRef.current?.abort();
      const problem = checkFile(file, limits);
      if (problem) {
        setPhase({ kind: 'rejected', file, message: problem });
        return;
      }
      const ctrl = new AbortController();
      abortRef.current = ctrl;
      setPhase({ kind: 'previewing', file });
      try {
        const preview = await estimateApi.preview(file, file.name, limits.previewBytes, ctrl.signal);
        if (!ctrl.signal.aborted) setPhase({ kind: 'preview', file, preview });
      } catch (error) {
        if (!ctrl.signal.aborted) setPhase({ kind: 'previewError', file, error });
      }
    },
    [limits],
  );

  const start = useCallback(async (file: File, preview: EstimatePreview | null, s: RunSettings) => {
    abortRef.current?.abort();
    const ctrl = new AbortController();
    abortRef.current = ctrl;
    setPhase({ kind: 'uploading', file, preview, progress: null });
    try {
      // Estimated first, saved after: a file with too many rejected rows to be saved still shows
      // its estimate (with why it was not saved) instead of failing as a whole
      const made = await uploadEstimate(file, {
        fileName: file.name,
        vertical: s.vertical,
        name: s.name,
        save: false,
        signal: ctrl.signal,
        onProgress: (progress) =>
          setPhase((p) => (p.kind === 'uploading' && p.file === file ? { ...p, progress } : p)),
      });
      const result = s.save ? await saveIfAllowed(made, s.name) : made;
      if (ctrl.signal.aborted) throw new DOMException('cancelled', 'AbortError');
      setPhase({ kind: 'done', file, preview, result });
      onResultRef.current(result);
    } catch (error) {
      if (abortRef.current !== ctrl) return; // superseded by a newer run
      setPhase(
        isCancelled(error) ? { kind: 'cancelled', file, preview } : { kind: 'error', file, preview, error },
      );
    } finally {
      if (abortRef.current === ctrl) abortRef.current = null;
    }
  }, []);

  const cancel = useCallback(() => abortRef.current?.abort(), []);
  const reset = useCallback(() => {
    abortRef.current?.abort();
    setPhase({ kind: 'idle' });
  }, []);

  return { phase, choose, start, cancel, reset };
}

/**
 * Saves an estimate the user asked to keep. The server refuses one with too many rejected rows
 * (422, its rule for a saved prospect); then, or when the save fails otherwise, the estimate stays
 * unsaved: its page says why and offers to save it again.
 */
async function saveIfAllowed(made: EstimateMade, name: string): Promise<EstimateMade> {
  try {
    const saved = await estimateApi.saveProspect(made.id, name.trim() || undefined);
    return { ...made, id: saved.id, saved: saved.saved };
  } catch {
    return made;
  }
}
