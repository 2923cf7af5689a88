/**
 * The streaming upload: POST /api/estimate with the File as the body; the NDJSON answer (progress
 * lines, then one result or error line) is decoded as it arrives. Cancel with the AbortSignal.
 *
 * Through the typed client like every other request, with XMLHttpRequest as its transport
 * (api/xhrFetch.ts says why): the bytes sent are reported while the server imports them.
 */

import { ApiError, client, NETWORK_ERROR, toApiError } from '../../api/client.ts';
import { type UploadTick, xhrFetch } from '../../api/xhrFetch.ts';

import { type UploadProgress, withLine } from './estimateState.ts';
import { NdjsonDecoder, StreamFormatError, type StreamMessage } from './ndjson.ts';

/** the prospect an estimate made: its Account page reads the rest */
export type EstimateMade = Extract<StreamMessage, { type: 'result' }>;

export interface UploadOptions {
  fileName: string;
  vertical: string;
  name: string;
  save: boolean;
  signal: AbortSignal;
  onProgress: (p: UploadProgress) => void;
}

export const CANCELLED_MESSAGE = 'Cancelled: nothing was imported or saved.';

/** Cancelled by the user (the AbortSignal), as opposed to a failure. */
export function isCancelled(e: unknown): boolean {
  return (e instanceof ApiError && e.code === 'aborted') || (e as Error | null)?.name === 'AbortError';
}

/** The query of `POST /api/estimate`: the vertical to compare with, the prospect's name, save or not. */
export function estimateQuery(o: Pick<UploadOptions, 'vertical' | 'name' | 'save'>) {
  const name = o.name.trim().slice(0, 120);
  return {
    vertical: o.vertical,
    ...(name && { name }),
    ...(o.save && { save: '1' as const }),
  };
}

/** The error a stream line stands for, or null for progress/result lines. */
export function lineError(line: StreamMessage): ApiError | null {
  if (line.type !== 'error') return null;
  if (line.error.code === 'aborted') return new ApiError(499, 'aborted', CANCELLED_MESSAGE);
  return new ApiError(line.status, line.error.code, withLine(line.error.message, line.line));
}

const cancelled = () => new ApiError(499, 'aborted', CANCELLED_MESSAGE);

export async function uploadEstimate(file: Blob, o: UploadOptions): Promise<EstimateMade> {
  if (o.signal.aborted) throw cancelled();
  let progress: UploadProgress = { bytes: 0, totalBytes: file.size, records: null, uploaded: false };
  let settled = false;
  const report = (p: Partial<UploadProgress>) => {
    progress = { ...progress, ...p };
    if (!settled) o.onProgress(progress);
  };
  const onUpload = (t: UploadTick) =>
    report(
      t.done
        ? { bytes: progress.totalBytes ?? t.loaded, uploaded: true }
        : { bytes: t.loaded, totalBytes: t.total ?? progress.totalBytes },
    );
  const lost = () =>
    progress.bytes > 0
      ? new ApiError(0, 'network', 'The connection to the server was lost during the estimate. Try again.')
      : new ApiError(0, 'network', NETWORK_ERROR);
  report({});

  let res: Response;
  try {
    res = await client.api.estimate.$post(
      { query: estimateQuery(o) },
      {
        fetch: xhrFetch(onUpload),
        init: {
          body: file,
          signal: o.signal,
          headers: {
            'content-type': 'application/octet-stream',
            'x-file-name': encodeURIComponent(o.fileName),
          },
        },
      },
    );
  } catch {
    settled = true;
    throw o.signal.aborted ? cancelled() : lost();
  }
  if (!res.ok || res.body === null) {
    settled = true;
    throw await toApiError(res);
  }

  const reader = res.body.getReader();
  const decoder = new NdjsonDecoder();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      for (const line of done ? decoder.end() : decoder.push(value)) {
        if (line.type === 'progress') {
          report({
            bytes: Math.max(progress.bytes, line.bytes),
            totalBytes: line.totalBytes ?? progress.totalBytes,
            records: line.records,
          });
          continue;
        }
        if (line.type === 'result') return line;
        const err = lineError(line);
        if (err) throw err;
      }
      if (done) break;
    }
  } catch (e) {
    if (e instanceof ApiError) throw e;
    if (o.signal.aborted) throw cancelled();
    if (e instanceof StreamFormatError) throw new ApiError(502, 'bad_stream', e.message);
    throw lost();
  } finally {
    settled = true;
  }
  throw new ApiError(
    502,
    'truncated',
    'The server closed the connection before sending the result. Try again.',
  );
}
