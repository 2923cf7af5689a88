/**
 * Prospect estimate API (docs/estimate.md):
 *   GET  /api/estimate/limits          what the upload accepts (size limit, formats, verticals)
 *   POST /api/estimate/preview         first 64 KB of the file → detected format, CSV mapping
 *   POST /api/estimate?vertical&name&save   raw file body → NDJSON: progress lines, then result or error
 *   GET  /api/estimate/prospects       saved prospects
 *   GET  /api/estimate/prospects/:id   a prospect's estimate (saved, or unsaved and kept for a day)
 *   POST /api/estimate/prospects/:id/save[?name]  saves an unsaved estimate (1% reject rule)
 *   DELETE /api/estimate/prospects/:id
 */
import { createGunzip, gunzipSync, constants as zlib } from 'node:zlib';
import { getConnInfo } from '@hono/node-server/conninfo';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { stream } from 'hono/streaming';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import type {
  EstimateLimits,
  EstimatePreview,
  EstimateResult,
  EstimateStreamLine,
  ProspectsResponse,
} from '../api-types.ts';
import { type AuditEntry, prospectSaveEntry } from '../audit.ts';
import { type ProspectStore, ProspectsFullError, ProspectsUnavailableError } from '../db/prospects.ts';
import type { Classifier } from '../domain/classifier.ts';
import { verticalOf } from '../domain/validate.ts';
import { ApiError, clipped, errorBody, notFound } from '../errors.ts';
import type { BenchmarkSource } from '../estimate/benchmarks.ts';
import { cleanName, DEFAULT_VERTICAL, MAX_PROSPECT_NAME, resultFromAggregate } from '../estimate/estimate.ts';
import type { EstimatePool } from '../estimate/pool.ts';
import {
  aggregateProspect,
  DEFAULT_MAX_REJECT_RATE,
  type EstimateProgress,
  MAX_ESTIMATE_BYTES,
} from '../estimate/stream.ts';
import {
  COMPRESSED_TWICE,
  formatBytes,
  HEAD_BYTES,
  openInput,
  startsWithGzipMagic,
} from '../importers/bytes.ts';
import { DEFAULT_MAX_LINE_BYTES, detectFormat, ImportError } from '../importers/index.ts';
import { validate } from '../validation.ts';

export { MAX_ESTIMATE_BYTES };
/** Bytes of the body the preview reads (the head used for detection, plus a margin). */
export const PREVIEW_BYTES = HEAD_BYTES;

export interface EstimateRouteDeps {
  benchmarks: BenchmarkSource;
  store: ProspectStore;
  /** upload limit in bytes (default MAX_ESTIMATE_BYTES) */
  maxBytes?: number;
  classifier?: Classifier;
  /** records prospect saves and deletes (server/audit.ts); default: not recorded */
  audit?: (entry: AuditEntry) => void;
  /** who sent the request, for the audit log (default `local`) */
  who?: (req: Request) => string;
  /** estimates running at once; more are answered 503 (default 2: the machine has 2 cores) */
  maxConcurrent?: number;
  /** uploads (estimates and previews) per client per minute; more are answered 429 (default 120: a user choosing files preview each one) */
  uploadsPerMinute?: number;
  /** worker threads that run the estimates (default: on the event loop) */
  pool?: EstimatePool;
  /** an upload that sends nothing for this long is stopped (default UPLOAD_IDLE_MS) */
  uploadIdleMs?: number;
  /** an upload slower than this on average, once `uploadGraceMs` have passed, is stopped (default UPLOAD_MIN_RATE) */
  uploadMinBytesPerSecond?: number;
  /** default UPLOAD_GRACE_MS */
  uploadGraceMs?: number;
}

/**
 * An upload that sends nothing for 30 s is given up: a client that opens an estimate and goes
 * quiet would otherwise hold one of the two estimate slots until Node's 5-minute request timeout,
 * and two such connections shut every other user out.
 */
export const UPLOAD_IDLE_MS = 30_000;

/**
 * The idle rule alone is beaten by a byte every few seconds: two such trickles held both slots for
 * Node's 5 minutes, over and over. So an upload must also average 16 KB/s once 30 s have passed
 * (a 200 MB file then still has 3.5 hours; a 1 Mbit/s uplink sends 125 KB/s), and with sign-in a
 * user runs one estimate at a time.
 */
export const UPLOAD_MIN_RATE = 16 * 1024;
export const UPLOAD_GRACE_MS = 30_000;

/** Sliding one-minute window of upload times per client. */
export function uploadLimiter(perMinute: number) {
  const seen = new Map<string, number[]>();
  return (client: string): boolean => {
    const now = Date.now();
    const recent = (seen.get(client) ?? []).filter((t) => now - t < 60_000);
    // re-inserted, so the map stays in order of last upload and a full one forgets the client
    // seen longest ago (its window has most likely passed) — never everyone's at once
    seen.delete(client);
    seen.set(client, recent);
    if (seen.size > 10_000) seen.delete(seen.keys().next().value!);
    if (recent.length >= perMinute) return false;
    recent.push(now);
    return true;
  };
}

function clientOf(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'local';
  } catch {
    return 'local';
  }
}

const FORMATS: EstimateLimits['formats'] = [
  { id: 'canonical', label: 'Canonical conversations (JSON lines)', extensions: ['.jsonl', '.jsonl.gz'] },
  {
    id: 'intercom',
    label: 'Intercom conversations (REST API objects or conversation.list pages)',
    extensions: ['.json', '.jsonl', '.gz'],
  },
  { id: 'zendesk', label: 'Zendesk tickets (JSON export)', extensions: ['.json', '.jsonl', '.gz'] },
  {
    id: 'csv',
    label: 'CSV, one row per conversation or per message',
    extensions: ['.csv', '.tsv', '.txt', '.csv.gz'],
  },
  {
    id: 'records',
    label: 'JSON records with a text field or a list of messages (chat logs)',
    extensions: ['.json', '.jsonl', '.gz'],
  },
];

const estimateQuery = z.object({
  vertical: z
    .string()
    .trim()
    .toLowerCase()
    // words, as the pipeline stores a vertical named "Health Care"
    .regex(/^[a-z0-9][a-z0-9 _-]{0,39}$/, 'vertical must be a short name such as "ecommerce"')
    // spelled as the pipeline reads it: "E-Commerce" is ecommerce
    .transform(verticalOf)
    .optional(),
  name: z
    .string()
    .transform(cleanName)
    .pipe(
      z
        .string()
        .min(1, 'name must not be empty')
        .max(MAX_PROSPECT_NAME, `name is at most ${MAX_PROSPECT_NAME} characters`),
    )
    .optional(),
  save: z.enum(['0', '1', 'true', 'false'], { message: 'save must be 0 or 1' }).optional(),
});
const prospectParam = z.object({ id: z.string().min(1) });
const saveQuery = z.object({ name: estimateQuery.shape.name });

const STATUS_BY_CODE: Record<string, number> = {
  TOO_LARGE: 413,
  ABORTED: 499,
  STALLED: 408,
  READ_ERROR: 400,
};

function utf8Of(latin1: string): string {
  const text = Buffer.from(latin1, 'latin1').toString('utf8');
  return text.includes('\ufffd') ? latin1 : text;
}

function fileNameOf(header: string | undefined): string | null {
  if (!header) return null;
  // Node hands a header's bytes over one per character (latin1): a name sent as raw UTF-8
  // ("Résumé.csv", an emoji) is read back as UTF-8 when its bytes are valid UTF-8
  const raw = /[\u0080-\u00ff]/.test(header) && !/[\u0100-\uffff]/.test(header) ? utf8Of(header) : header;
  let name = raw;
  try {
    name = decodeURIComponent(raw);
  } catch {
    // a plain header value
  }
  name = name
    .replace(/[\\/]/g, '_')
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .trim()
    .slice(0, 255)
    // the cut may split an emoji: no lone half of a surrogate pair is stored (SQLite keeps UTF-8)
    .replace(/\p{Cs}/gu, '');
  return name || null;
}

/** Refuses a body that cannot be a raw file before reading it. */
function checkUpload(req: Request, maxBytes: number) {
  const type = (req.headers.get('content-type') ?? '').toLowerCase();
  // Any other type is read as the file's bytes (curl --data-binary labels them form-urlencoded).
  if (type.startsWith('multipart/'))
    throw new ApiError(
      415,
      'unsupported_media_type',
      `send the file itself as the request body (application/octet-stream), not as ${type.split(';')[0]}`,
    );
  const lengthHeader = req.headers.get('content-length');
  if (lengthHeader !== null) {
    const length = Number(lengthHeader);
    if (Number.isFinite(length) && length > maxBytes)
      throw new ApiError(
        413,
        'too_large',
        `the file is too large: ${formatBytes(length)}, over the ${formatBytes(maxBytes)} limit; gzip it (a text export shrinks 5–10×, and is read the same) or split it by date`,
      );
    if (length === 0)
      throw new ApiError(415, 'empty', 'the request body is empty: send the file as the body');
  }
  if (!req.body) throw new ApiError(415, 'empty', 'the request body is empty: send the file as the body');
  return lengthHeader === null ? null : Number(lengthHeader);
}

/**
 * The request body as an async iterable; an abort cancels a pending read and ends with ABORTED,
 * and a body that sends nothing for `idleMs` ends with STALLED.
 */
async function* readBody(
  body: ReadableStream<Uint8Array>,
  signal: AbortSignal | undefined,
  idleMs: number,
  minBytesPerSecond = 0,
  graceMs = UPLOAD_GRACE_MS,
): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  const started = Date.now();
  let received = 0;
  const onAbort = () => {
    reader.cancel().catch(() => {});
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const quiet = () =>
    new Promise<'stalled'>((resolve) => {
      timer = setTimeout(() => resolve('stalled'), idleMs);
    });
  try {
    if (signal?.aborted) throw new ImportError('ABORTED', 'import cancelled');
    for (;;) {
      let r: ReadableStreamReadResult<Uint8Array> | 'stalled';
      try {
        r = await Promise.race([reader.read(), quiet()]);
      } catch (e) {
        if (signal?.aborted) throw new ImportError('ABORTED', 'import cancelled');
        throw e;
      } finally {
        clearTimeout(timer);
      }
      if (r === 'stalled')
        throw new ImportError(
          'STALLED',
          `the upload stalled: nothing arrived for ${idleMs < 1000 ? `${idleMs} ms` : `${Math.round(idleMs / 1000)} s`}; send the file again`,
        );
      if (signal?.aborted) throw new ImportError('ABORTED', 'import cancelled');
      if (r.done) return;
      received += r.value?.length ?? 0;
      const elapsed = Date.now() - started;
      if (minBytesPerSecond > 0 && elapsed > graceMs && received < (minBytesPerSecond * elapsed) / 1000)
        throw new ImportError(
          'STALLED',
          `the upload is too slow: ${received * 1000 < elapsed ? 'under 1 byte' : formatBytes(Math.round((received * 1000) / elapsed))}/s on average, under the ${formatBytes(minBytesPerSecond)}/s an estimate needs; send the file again from a faster connection, or gzip it`,
        );
      if (r.value && r.value.length > 0) yield r.value;
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    reader.cancel().catch(() => {});
  }
}

/**
 * The head of the body, which must all have come within `capMs` (else STALLED): the idle rule
 * alone let a byte every few seconds hold a preview for Node's 5 minutes. The minimum upload rate
 * comes to the same: after its grace period it asks for more than the whole head.
 */
async function readHead(
  body: ReadableStream<Uint8Array>,
  max: number,
  idleMs: number,
  capMs: number,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  const late = new AbortController();
  const timer = setTimeout(() => late.abort(), capMs);
  try {
    for await (const c of readBody(body, late.signal, idleMs)) {
      chunks.push(Buffer.from(c));
      size += c.length;
      if (size >= max) break;
    }
  } catch (e) {
    if (late.signal.aborted)
      throw new ImportError(
        'STALLED',
        `the upload is too slow: the preview's first ${formatBytes(max)} did not come within ${capMs < 1000 ? `${capMs} ms` : `${Math.round(capMs / 1000)} s`}; send the file again`,
      );
    throw e;
  } finally {
    clearTimeout(timer);
  }
  return Buffer.concat(chunks);
}

/**
 * A body that broke off because the client went away (Node's "aborted", ECONNRESET): a cancelled
 * upload, not a server error to log with its stack (any client could fill the log with them).
 */
function cutOff(err: unknown, req: Request, signal?: AbortSignal): boolean {
  if (err instanceof ImportError || err instanceof ApiError) return false;
  return (
    req.signal.aborted ||
    signal?.aborted === true ||
    (err instanceof Error &&
      /abort|terminated|ECONNRESET|premature close/i.test(`${err.name} ${err.message}`))
  );
}

/**
 * The first `max` decompressed bytes of a gzip head, inflated as a stream off the event loop and
 * stopped at `max`: a small head of a gzip bomb costs `max` bytes, not its full expansion. A head
 * cut mid-stream is expected (sync flush: what is there is decompressed, no "unexpected end").
 */
export async function inflateHead(gz: Buffer, max: number): Promise<Buffer> {
  const gunzip = createGunzip({ finishFlush: zlib.Z_SYNC_FLUSH });
  const out: Buffer[] = [];
  let size = 0;
  gunzip.end(gz);
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      out.push(chunk);
      size += chunk.length;
      if (size >= max) break;
    }
  } catch (e) {
    if (size === 0) throw new ImportError('GZIP', `the gzip data is corrupt (${(e as Error).message})`);
  } finally {
    gunzip.destroy();
  }
  // Nothing came out: a gzip of an empty file, or a corrupt one that the lenient flush let end
  // quietly. Only a strict read of the whole head tells them apart.
  if (size === 0 && gz.length > 0) {
    try {
      gunzipSync(gz, { maxOutputLength: max });
    } catch (e) {
      throw new ImportError('GZIP', `the gzip data is corrupt (${(e as Error).message})`);
    }
  }
  return Buffer.concat(out).subarray(0, max);
}

/** Whether a CSV's text holds a line after its header (Excel's "sep=;" line is not a row). */
function hasDataRow(text: string): boolean {
  let lines = 0;
  for (const line of text.split(/\r\n|\n|\r/)) {
    const t = line.trim();
    if (t === '' || /^sep=.$/i.test(t)) continue;
    if (++lines >= 2) return true;
  }
  return false;
}

/** Ignored columns the preview lists by name; the rest are counted. */
export const PREVIEW_IGNORED_SHOWN = 50;

const FORM_GARBLED = new Set(['MISSING_COLUMNS', 'UNKNOWN_FORMAT', 'EMPTY', 'TOO_MANY_ERRORS']);

/**
 * `curl -d @file` sends a form, and takes the line breaks out of the file on the way: what then
 * fails to read as an export may be that, not a problem of the file. The bytes cannot tell a joined
 * export from a file that has one very long line (a header of 200,000 columns), so the hint says "if". `--data-binary` labels
 * its bytes a form too, with the line breaks kept, so the hint needs a body that looks joined:
 * `start` (its first bytes) holds no line break, and has either JSON records run together (`}{`)
 * or more text than one line of an export would hold. A one-line JSON document or a gzip is not one.
 */
function withFormHint(err: unknown, req: Request, start: Uint8Array | undefined): unknown {
  const type = (req.headers.get('content-type') ?? '').toLowerCase();
  if (!(err instanceof ImportError) || !FORM_GARBLED.has(err.code)) return err;
  if (!type.startsWith('application/x-www-form-urlencoded') || !start || !looksJoined(start)) return err;
  return new ImportError(
    err.code,
    `${err.message} (its first bytes hold no line break: if it was sent with curl -d, which takes the line breaks out, send it with curl --data-binary @FILE)`,
    err.line,
  );
}

/** more than a header row or a line of text holds */
const JOINED_TEXT_BYTES = 512;

function looksJoined(start: Uint8Array): boolean {
  const bytes = Buffer.from(start.buffer, start.byteOffset, start.byteLength);
  if (startsWithGzipMagic(bytes) || bytes.includes(0x0a) || bytes.includes(0x0d)) return false;
  const text = bytes.toString('utf8').trimStart();
  if (text.startsWith('{') || text.startsWith('[')) return /\}\s*\{/.test(text);
  return bytes.length > JOINED_TEXT_BYTES;
}

function errorLine(err: unknown): Extract<EstimateStreamLine, { type: 'error' }> {
  if (err instanceof ApiError)
    return { type: 'error', status: err.status, error: { code: err.code, message: err.message } };
  if (err instanceof ProspectsUnavailableError)
    return { type: 'error', status: 503, error: { code: 'prospects_unavailable', message: err.message } };
  if (err instanceof ProspectsFullError)
    return { type: 'error', status: 409, error: { code: 'prospects_full', message: err.message } };
  if (err instanceof ImportError)
    return {
      type: 'error',
      status: STATUS_BY_CODE[err.code] ?? 422,
      error: { code: err.code.toLowerCase(), message: err.message },
      ...(err.line !== undefined && { line: err.line }),
    };
  console.error(err);
  return { type: 'error', status: 500, error: { code: 'internal', message: 'internal server error' } };
}

export function estimateRoutes(deps: EstimateRouteDeps) {
  const maxBytes = deps.maxBytes ?? MAX_ESTIMATE_BYTES;
  const maxConcurrent = deps.maxConcurrent ?? 2;
  const idleMs = deps.uploadIdleMs ?? UPLOAD_IDLE_MS;
  const allowUpload = uploadLimiter(deps.uploadsPerMinute ?? 120);
  const minRate = deps.uploadMinBytesPerSecond ?? UPLOAD_MIN_RATE;
  const graceMs = deps.uploadGraceMs ?? UPLOAD_GRACE_MS;
  const who = deps.who ?? (() => 'local');
  // Behind a sign-in proxy every request comes from the proxy's address: the limits are per user then.
  const clientKey = (c: Context) => (deps.who ? `user ${deps.who(c.req.raw)}` : `address ${clientOf(c)}`);
  /** Writes the audit line first; a change the log cannot record is refused with a 503 that says why. */
  const record = (entry: AuditEntry) => {
    try {
      deps.audit?.(entry);
    } catch (err) {
      // the client hears why in a word (EISDIR, EACCES…); where the log lives is the operator's
      // business, in the server's own log
      console.error(`audit log: ${(err as Error).message.split('\n')[0]}`);
      const code = (err as NodeJS.ErrnoException).code ?? 'write failed';
      throw new ApiError(
        503,
        'audit_unavailable',
        `not ${entry.action === 'prospect.delete' ? 'deleted' : 'saved'}: the audit log cannot be written (${code})`,
      );
    }
  };
  let running = 0;
  const runningBy = new Map<string, number>();
  const limitUploads: MiddlewareHandler = async (c, next) => {
    if (!allowUpload(clientKey(c)))
      return c.json(
        errorBody('rate_limited', 'too many uploads from this client: wait a minute and try again'),
        429,
        {
          'retry-after': '60',
        },
      );
    await next();
  };
  const checkVertical = (v: string | undefined) => {
    const vertical = v ?? DEFAULT_VERTICAL;
    const known = deps.benchmarks.verticals();
    if (!known.includes(vertical))
      throw new ApiError(
        400,
        'bad_request',
        `invalid query: vertical: unknown vertical "${vertical}"; expected one of ${known.join(', ')}`,
      );
    return vertical;
  };

  return new Hono()
    .get('/limits', (c) => {
      const body: EstimateLimits = {
        maxBytes,
        maxBytesLabel: formatBytes(maxBytes),
        previewBytes: PREVIEW_BYTES,
        saveMaxRejectRate: DEFAULT_MAX_REJECT_RATE,
        maxLineBytes: DEFAULT_MAX_LINE_BYTES,
        formats: FORMATS,
        verticals: deps.benchmarks.verticals(),
        defaultVertical: DEFAULT_VERTICAL,
      };
      return c.json(body);
    })
    .post('/preview', limitUploads, async (c) => {
      const req = c.req.raw;
      checkUpload(req, Number.POSITIVE_INFINITY);
      const fileName = fileNameOf(c.req.header('x-file-name'));
      // the body's first bytes, as sent: whether curl -d joined its lines (withFormHint)
      let sent: Buffer | undefined;
      try {
        let head = await readHead(req.body!, PREVIEW_BYTES + 4096, idleMs, graceMs);
        sent = head;
        if (head.length === 0)
          throw new ApiError(415, 'empty', 'the request body is empty: send the file as the body');
        const gzip = startsWithGzipMagic(head);
        if (gzip) {
          head = await inflateHead(head, PREVIEW_BYTES + 4096);
          // the import decompresses once: what it then reads must be what the preview shows
          if (startsWithGzipMagic(head))
            throw new ImportError('BINARY', `not a text file: ${COMPRESSED_TWICE}`);
        }
        // More than the head: openInput checks the encoding of the first 64 KB only.
        const opened = await openInput(
          (async function* () {
            yield head;
          })(),
        );
        await opened.chunks.return(undefined);
        const d = detectFormat(opened.head, fileName ?? undefined);
        if (!d.format) throw new ImportError('UNKNOWN_FORMAT', d.reason);
        if (opened.notUtf8 && d.format !== 'csv') throw opened.notUtf8;
        // the estimate would stop on it at once: said now, before the upload
        if (d.missing) throw new ImportError('MISSING_COLUMNS', d.missing, 1);
        // a whole file (shorter than the head read) of a header and no rows: the estimate would stop
        // on it after the upload, with the mapping shown and the button offered before
        if (d.format === 'csv' && head.length < PREVIEW_BYTES && !hasDataRow(opened.head))
          throw new ImportError('EMPTY', 'the CSV has a header row but no data rows');
        const body: EstimatePreview = {
          fileName,
          format: d.format,
          reason: d.reason,
          mapping: d.mapping ?? null,
          ignored: (d.ignored ?? []).slice(0, PREVIEW_IGNORED_SHOWN),
          ...((d.ignored?.length ?? 0) > PREVIEW_IGNORED_SHOWN && {
            ignoredMore: d.ignored!.length - PREVIEW_IGNORED_SHOWN,
          }),
          delimiter: d.delimiter ?? null,
          gzip,
          encoding: opened.notUtf8 ? 'windows-1252' : opened.encoding,
          notes: [
            ...(gzip ? ['gzip-compressed'] : []),
            ...opened.notes,
            ...(opened.notUtf8
              ? ['not UTF-8: lines read as Windows-1252 (Excel\'s plain "CSV" on Windows)']
              : []),
            ...(d.undated
              ? [
                  `no time ${d.format === 'records' ? 'field' : 'column'}: the file is read as one month of conversations (per-month figures are its totals)`,
                ]
              : []),
          ],
          headBytes: Math.min(head.length, PREVIEW_BYTES),
        };
        return c.json(body);
      } catch (caught) {
        if (cutOff(caught, req))
          throw new ApiError(499 as ContentfulStatusCode, 'aborted', 'the upload was cut off');
        const err = withFormHint(caught, req, sent);
        // a body that holds no record (a header alone) is an unusable file, 422 as the estimate
        // answers it; 415 is for a request without a body (above)
        if (err instanceof ImportError)
          throw new ApiError(err.code === 'STALLED' ? 408 : 422, err.code.toLowerCase(), err.message);
        throw err;
      }
    })
    .post('/', limitUploads, validate('query', estimateQuery), async (c) => {
      // an unreadable prospects file does not fail an unsaved estimate: it only cannot say so
      const savedNameOf = (id: string) => {
        try {
          return deps.store.savedName(id);
        } catch {
          return undefined;
        }
      };
      // what is wrong with the request itself is said first: a file over the limit is a 413 whether
      // or not the slots are full (a review saw 503 "try again in a minute" for a file that never fits)
      const query = c.req.valid('query');
      const vertical = checkVertical(query.vertical);
      const req = c.req.raw;
      const totalBytes = checkUpload(req, maxBytes);
      if (running >= maxConcurrent)
        return c.json(
          errorBody(
            'busy',
            `${running === 1 ? 'an estimate is' : `${running} estimates are`} already running: try again in a minute`,
          ),
          503,
          { 'retry-after': '30' },
        );
      const client = clientKey(c);
      // with sign-in, one user cannot take every slot; on a loopback server without it there is one
      // user, who may well run two estimates side by side
      if (deps.who && (runningBy.get(client) ?? 0) >= 1)
        return c.json(
          errorBody('busy', 'an estimate of yours is already running: wait for it to finish, or cancel it'),
          503,
          { 'retry-after': '30' },
        );
      const fileName = fileNameOf(c.req.header('x-file-name'));
      const save = query.save === '1' || query.save === 'true';
      const abort = new AbortController();
      const onClientGone = () => abort.abort();
      req.signal.addEventListener('abort', onClientGone, { once: true });
      // The slot is taken before the first byte is awaited: uploads still waiting for theirs count
      // against the limits too (a double click does not start two estimates).
      running++;
      runningBy.set(client, (runningBy.get(client) ?? 0) + 1);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        running--;
        const left = (runningBy.get(client) ?? 1) - 1;
        if (left > 0) runningBy.set(client, left);
        else runningBy.delete(client);
        req.signal.removeEventListener('abort', onClientGone);
        // an answer given before the whole body came (a refused file): let go of the rest of it
        abort.abort();
      };
      // The first bytes before the answer starts: a request with no body at all (curl -X POST with
      // no data, no Content-Length) is a 415 like an empty one, not a 200 stream ending in an error.
      const reading = readBody(req.body!, abort.signal, idleMs, minRate, graceMs);
      let first: IteratorResult<Uint8Array>;
      try {
        first = await reading.next();
      } catch (err) {
        release();
        // a body that breaks before its first byte (the client went away): a cancelled upload,
        // not a server error to log
        const line = errorLine(
          cutOff(err, req, abort.signal)
            ? new ImportError('ABORTED', 'the upload was cut off before its first byte')
            : err,
        );
        throw new ApiError(line.status as ContentfulStatusCode, line.error.code, line.error.message);
      }
      if (first.done) {
        release();
        throw new ApiError(415, 'empty', 'the request body is empty: send the file as the body');
      }
      const firstChunk = first.value;
      c.header('content-type', 'application/x-ndjson; charset=utf-8');
      c.header('cache-control', 'no-store');
      c.header('x-content-type-options', 'nosniff');
      return stream(c, async (out) => {
        // Progress lines are not awaited: a slow reader must not hold the import back.
        const send = (line: EstimateStreamLine) => {
          if (!out.aborted && !out.closed) void out.write(`${JSON.stringify(line)}\n`);
        };
        // The client went away (the response was cancelled or the request aborted): the import
        // stops on the same signal, and nothing more is written.
        out.onAbort(onClientGone);
        send({ type: 'progress', bytes: 0, totalBytes, records: 0 });
        if (req.signal.aborted) {
          try {
            await reading.return(undefined);
          } finally {
            release();
          }
          return;
        }
        try {
          const body = (async function* () {
            yield firstChunk;
            yield* reading;
          })();
          const aggregateOptions = {
            ...(fileName !== null && { fileName }),
            maxBytes,
            // A saved prospect joins the triage: it must pass the pipeline's reject-rate rule.
            ...(save && { maxRejectRate: DEFAULT_MAX_REJECT_RATE }),
            signal: abort.signal,
            onProgress: (p: EstimateProgress) =>
              send({ type: 'progress', bytes: p.bytes, totalBytes, records: p.records }),
          };
          const agg =
            deps.pool && !deps.classifier
              ? await deps.pool.aggregate(body, aggregateOptions)
              : await aggregateProspect(body, {
                  ...aggregateOptions,
                  ...(deps.classifier && { classifier: deps.classifier }),
                });
          const result = resultFromAggregate(agg, deps.benchmarks, {
            vertical,
            fileName,
            ...(query.name !== undefined && { name: query.name }),
          });
          if (abort.signal.aborted) throw new ImportError('ABORTED', 'import cancelled');
          // recorded before it happens: a save the audit log cannot record is refused, not made
          if (save) {
            deps.store.checkRoom(result.id);
            record(prospectSaveEntry(who(req), result));
          }
          // unsaved, it is still a (temporary) prospect: its Account page opens at once
          // with sign-in, the user's own unsaved estimates make room for a new one, not a colleague's
          const answer = save
            ? await deps.store.save(result)
            : deps.store.keep(result, deps.who ? who(req) : undefined);
          // the same export saved before under another name: its page shows that one
          const earlier = save ? undefined : savedNameOf(answer.id);
          const savedAs = earlier !== undefined && earlier !== answer.name ? earlier : undefined;
          // …and under the same name it is that saved prospect: say so, as GET /prospects/:id does
          const sameSaved = earlier !== undefined && earlier === answer.name;
          send({
            type: 'result',
            ...answer,
            ...(sameSaved && { saved: true }),
            ...(savedAs !== undefined && { savedAs }),
          });
        } catch (err) {
          send(
            abort.signal.aborted && !(err instanceof ImportError && err.code === 'ABORTED')
              ? errorLine(new ImportError('ABORTED', 'import cancelled'))
              : errorLine(withFormHint(err, req, firstChunk)),
          );
        } finally {
          release();
        }
      });
    })
    .get('/prospects', (c) => {
      const body: ProspectsResponse = { prospects: deps.store.list() };
      return c.json(body);
    })
    .delete('/prospects/:id', validate('param', prospectParam), async (c) => {
      const { id } = c.req.valid('param');
      let deleted: boolean;
      // recorded before it happens (a delete the audit log cannot record is refused); an unknown id is
      // only a 404, with nothing to record
      let known: boolean;
      try {
        known = deps.store.has(id);
      } catch (err) {
        if (err instanceof ProspectsUnavailableError)
          throw new ApiError(503, 'prospects_unavailable', err.message);
        throw err;
      }
      if (!known) throw notFound(`prospect "${clipped(id)}" not found`);
      record({ action: 'prospect.delete', who: who(c.req.raw), target: id });
      try {
        deleted = await deps.store.delete(id);
      } catch (err) {
        if (err instanceof ProspectsUnavailableError)
          throw new ApiError(503, 'prospects_unavailable', err.message);
        throw err;
      }
      if (!deleted) throw notFound(`prospect "${clipped(id)}" not found`);
      return c.json({ deleted: id });
    })
    .post(
      '/prospects/:id/save',
      validate('param', prospectParam),
      validate('query', saveQuery),
      async (c) => {
        const { id } = c.req.valid('param');
        const { name } = c.req.valid('query');
        const kept = deps.store.get(id);
        if (!kept)
          throw notFound(
            `no estimate "${clipped(id)}": unsaved estimates are kept for a day, by the server that made them; estimate the file again`,
          );
        if (kept.saved && (name === undefined || name === kept.name)) return c.json(kept);
        const rejected = kept.report.records > 0 ? kept.report.rejected / kept.report.records : 0;
        if (rejected > DEFAULT_MAX_REJECT_RATE)
          throw new ApiError(
            422,
            'too_many_rejects',
            `not saved: ${(rejected * 100).toFixed(1)}% of the records were rejected, over the ${DEFAULT_MAX_REJECT_RATE * 100}% a saved prospect allows; fix the rejected rows and estimate the file again`,
          );
        let saved: EstimateResult;
        const toSave = { ...kept, ...(name !== undefined && { name }) };
        try {
          // room first: a save refused for the cap is not recorded as made
          deps.store.checkRoom(toSave.id);
          record(prospectSaveEntry(who(c.req.raw), toSave));
          saved = await deps.store.save(toSave);
        } catch (err) {
          if (err instanceof ProspectsUnavailableError)
            throw new ApiError(503, 'prospects_unavailable', err.message);
          if (err instanceof ProspectsFullError) throw new ApiError(409, 'prospects_full', err.message);
          throw err;
        }
        return c.json(saved);
      },
    )
    .get('/prospects/:id', validate('param', prospectParam), (c) => {
      const { id } = c.req.valid('param');
      const r = deps.store.get(id);
      if (!r) throw notFound(`prospect "${clipped(id)}" not found`);
      return c.json(r);
    });
}
