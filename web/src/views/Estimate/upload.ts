/**
 * The streaming upload: POST /api/estimate with the File as the body; the NDJSON answer (progress
 * lines, then one result or error line) is decoded as it arrives. Cancel with the AbortSignal.
 *
 * Transport: XMLHttpRequest, not fetch. Chromium sends the whole request body of an HTTP/1.1 request
 * before it reads any of the response, and fetch has no upload-progress events (streaming request
 * bodies need HTTP/2), so with fetch the server's progress lines would all arrive at the very end.
 * XHR's `upload.onprogress` gives the bytes sent while the server imports them (it reads the body
 * at import speed), and `responseText` is read incrementally into the same NDJSON decoder.
 */

import { ApiError, errorFromBody, NETWORK_ERROR } from '../../api/client.ts';

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

export function estimateUrl(o: Pick<UploadOptions, 'vertical' | 'name' | 'save'>): string {
  const q = new URLSearchParams({ vertical: o.vertical });
  const name = o.name.trim();
  if (name) q.set('name', name.slice(0, 120));
  if (o.save) q.set('save', '1');
  return `/api/estimate?${q}`;
}

/** The error a stream line stands for, or null for progress/result lines. */
export function lineError(line: StreamMessage): ApiError | null {
  if (line.type !== 'error') return null;
  if (line.error.code === 'aborted') return new ApiError(499, 'aborted', CANCELLED_MESSAGE);
  return new ApiError(line.status, line.error.code, withLine(line.error.message, line.line));
}

export function uploadEstimate(file: Blob, o: UploadOptions): Promise<EstimateMade> {
  return new Promise<EstimateMade>((resolve, reject) => {
    if (o.signal.aborted) {
      reject(new ApiError(499, 'aborted', CANCELLED_MESSAGE));
      return;
    }
    const xhr = new XMLHttpRequest();
    const decoder = new NdjsonDecoder();
    let read = 0;
    let settled = false;
    let progress: UploadProgress = { bytes: 0, totalBytes: file.size, records: null, uploaded: false };

    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      o.signal.removeEventListener('abort', onAbort);
      fn();
    };
    const fail = (e: ApiError) => {
      settle(() => reject(e));
      if (xhr.readyState !== XMLHttpRequest.DONE) xhr.abort();
    };
    const report = (p: Partial<UploadProgress>) => {
      progress = { ...progress, ...p };
      if (!settled) o.onProgress(progress);
    };
    const onAbort = () => fail(new ApiError(499, 'aborted', CANCELLED_MESSAGE));

    const handle = (lines: StreamMessage[]) => {
      for (const line of lines) {
        if (line.type === 'progress') {
          report({
            bytes: Math.max(progress.bytes, line.bytes),
            totalBytes: line.totalBytes ?? progress.totalBytes,
            records: line.records,
          });
          continue;
        }
        if (line.type === 'result') return settle(() => resolve(line));
        const err = lineError(line);
        if (err) return fail(err);
      }
    };
    const readNew = (final: boolean) => {
      if (settled || xhr.status !== 200) return;
      const text = xhr.responseText;
      const chunk = text.slice(read);
      read = text.length;
      try {
        handle(decoder.push(chunk));
        if (final && !settled) handle(decoder.end());
      } catch (e) {
        fail(
          e instanceof StreamFormatError
            ? new ApiError(502, 'bad_stream', e.message)
            : new ApiError(500, 'client_error', (e as Error).message),
        );
      }
    };

    o.signal.addEventListener('abort', onAbort, { once: true });
    xhr.open('POST', estimateUrl(o));
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.setRequestHeader('x-file-name', encodeURIComponent(o.fileName));
    xhr.upload.onprogress = (e) =>
      report({ bytes: e.loaded, totalBytes: e.lengthComputable ? e.total : progress.totalBytes });
    xhr.upload.onload = () => report({ bytes: progress.totalBytes ?? progress.bytes, uploaded: true });
    xhr.onprogress = () => readNew(false);
    xhr.onload = () => {
      if (xhr.status !== 200) return fail(errorFromBody(xhr.status, xhr.statusText, xhr.responseText));
      readNew(true);
      if (!settled)
        fail(
          new ApiError(
            502,
            'truncated',
            'The server closed the connection before sending the result. Try again.',
          ),
        );
    };
    xhr.onerror = () =>
      fail(
        progress.bytes > 0
          ? new ApiError(
              0,
              'network',
              'The connection to the server was lost during the estimate. Try again.',
            )
          : new ApiError(0, 'network', NETWORK_ERROR),
      );
    report({});
    xhr.send(file);
  });
}
