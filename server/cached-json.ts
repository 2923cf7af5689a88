/**
 * Large responses over immutable data (the serving database never changes while the server
 * runs) are serialised and gzipped once, then sent as bytes: the portfolio of 10,000 accounts
 * is ~10 MB of JSON, too much to stringify per request and still answer in milliseconds.
 *
 * The response carries the value it was serialised from (`_data`, the field Hono's typed client
 * reads its type from), so the type the web client sees is the type of that value: no cast.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Context } from 'hono';
import { parseAccept } from 'hono/utils/accept';
import { preSecuredResponse, SECURITY_HEADERS } from './security.ts';

const MAX_ENTRIES = 8;

interface Entry<T> {
  value: T;
  json: ArrayBuffer;
  gzip: ArrayBuffer;
  /** names this body: equal ETags, equal bodies (the server-rendered triage is cached by it) */
  etag: string;
}

const toArrayBuffer = (b: Buffer): ArrayBuffer =>
  b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

/**
 * Whether the client takes gzip, by its q-values (RFC 9110 §12.5.3): `gzip;q=0` refuses it, and
 * `*` stands for any coding the header does not name.
 */
function acceptsGzip(header: string | undefined): boolean {
  const accepts = parseAccept(header ?? '');
  const named = accepts.find((a) => a.type.toLowerCase() === 'gzip') ?? accepts.find((a) => a.type === '*');
  return (named?.q ?? 0) > 0;
}

/** A JSON response of `value` whose body is `json` (the serialisation of `value`), gzipped when asked. */
function typedJson<T>(c: Context, { value, json, gzip, etag }: Entry<T>) {
  const useGzip = acceptsGzip(c.req.header('accept-encoding'));
  // A strong ETag names one sequence of bytes: the gzipped body has its own (a cache holding both
  // by Vary must not take one for the other).
  const tag = useGzip ? `${etag.slice(0, -1)}-gzip"` : etag;
  const headers: Record<string, string> = {
    ...SECURITY_HEADERS,
    'content-type': 'application/json',
    vary: 'Accept-Encoding',
    // kept by the browser but asked again each time: a rebuilt database answers with a new ETag
    'cache-control': 'private, no-cache',
    etag: tag,
  };
  if (useGzip) headers['content-encoding'] = 'gzip';
  // The client already holds this body: 304, no bytes (the account list is ~100 KB gzipped). The
  // comparison is weak (RFC 9110 §13.1.2), and `*` matches any body: this one exists.
  const ifNoneMatch = c.req.header('if-none-match') ?? '';
  const unchanged =
    ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === tag);
  if (unchanged) delete headers['content-encoding'];
  const res = preSecuredResponse(
    unchanged
      ? new Response(null, { status: 304, headers })
      : new Response(useGzip ? gzip : json, { status: 200, headers }),
  );
  return Object.assign(res, { _data: value, _status: 200 as const, _format: 'json' as const });
}

export class JsonCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  /** Answers with the cached serialisation of `build()`, built on the first request for `key`. */
  respond(c: Context, key: string, build: () => T) {
    let entry = this.entries.get(key);
    if (!entry) {
      // Keys carry a version (saved prospects): older versions will not be asked for again.
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      const value = build();
      const json = Buffer.from(JSON.stringify(value));
      entry = {
        value,
        json: toArrayBuffer(json),
        gzip: toArrayBuffer(gzipSync(json, { level: 6 })),
        etag: `"${createHash('sha1').update(json).digest('base64url')}"`,
      };
      this.entries.set(key, entry);
    }
    return typedJson(c, entry);
  }
}

/**
 * A JSON text that is already the response body (the pipeline's precomputed AccountDetail), sent
 * without parsing it: parsing 9 KB per request would cost the account endpoint ~20% of its
 * throughput (22 µs a parse, measured). Its `_data` — the field Hono's typed client reads the
 * type from — decodes the text only if someone reads it, with the decoder the query module gives.
 */
function jsonTextResponseClass(Base: typeof Response) {
  return class JsonTextResponse<T> extends Base {
    readonly _status = 200 as const;
    readonly _format = 'json' as const;
    readonly #json: string;
    readonly #decode: (json: string) => T;

    constructor(json: string, decode: (json: string) => T) {
      // the security headers are in place from the start (server/security.ts: nothing to add later)
      super(json, { status: 200, headers: { ...SECURITY_HEADERS, 'content-type': 'application/json' } });
      this.#json = json;
      this.#decode = decode;
      preSecuredResponse(this);
    }

    get _data(): T {
      return this.#decode(this.#json);
    }
  };
}

// Built on first use: @hono/node-server swaps in its own, faster Response class when the server
// starts, after this module has loaded; extending the one current at the first request keeps
// that fast path (extending the original measured ~30% fewer requests/s on this endpoint).
let JsonText: ReturnType<typeof jsonTextResponseClass> | null = null;

export function jsonTextResponse<T>(json: string, decode: (json: string) => T) {
  JsonText ??= jsonTextResponseClass(globalThis.Response);
  return new JsonText<T>(json, decode);
}
