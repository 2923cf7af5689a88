/**
 * Large responses over immutable data (the serving database never changes while the server
 * runs) are serialised and gzipped once, then sent as bytes: the portfolio of 10,000 accounts
 * is ~10 MB of JSON, too much to stringify per request and still answer in milliseconds.
 */
import { gzipSync } from 'node:zlib';
import type { Context, TypedResponse } from 'hono';

const MAX_ENTRIES = 8;

interface Entry {
  json: ArrayBuffer;
  gzip: ArrayBuffer;
}

const toArrayBuffer = (b: Buffer): ArrayBuffer =>
  b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

export class JsonCache {
  private readonly entries = new Map<string, Entry>();

  respond<T>(c: Context, key: string, build: () => T): TypedResponse<T, 200, 'json'> {
    let entry = this.entries.get(key);
    if (!entry) {
      // Keys carry a version (saved prospects): older versions will not be asked for again.
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      const json = Buffer.from(JSON.stringify(build()));
      entry = { json: toArrayBuffer(json), gzip: toArrayBuffer(gzipSync(json, { level: 6 })) };
      this.entries.set(key, entry);
    }
    const gzip = /\bgzip\b/.test(c.req.header('accept-encoding') ?? '');
    const body = gzip ? entry.gzip : entry.json;
    const headers: Record<string, string> = { 'content-type': 'application/json', vary: 'Accept-Encoding' };
    if (gzip) headers['content-encoding'] = 'gzip';
    return c.body(body, 200, headers) as unknown as TypedResponse<T, 200, 'json'>;
  }
}

/** A JSON text that is already the response body, sent without parsing it again. */
export function rawJson<T>(c: Context, json: string): TypedResponse<T, 200, 'json'> {
  return c.body(json, 200, { 'content-type': 'application/json' }) as unknown as TypedResponse<
    T,
    200,
    'json'
  >;
}
