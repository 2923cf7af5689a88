/**
 * The security headers (server/security.ts) are written out once so the hot JSON answers are
 * built with them in place (issue 12: the account endpoint's throughput). This pins them to what
 * Hono's `secureHeaders` sends with the same policy, and checks that every kind of answer —
 * pre-secured JSON, ordinary JSON, errors, pages — carries exactly the same set.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECURITY_HEADERS } from '../server/security.ts';
import { createServer } from '../server/serve.ts';
import { buildFixtureDb, tempDir } from './helpers.ts';

let server: ReturnType<typeof createServer>;
beforeAll(async () => {
  const dist = tempDir();
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Cockpit</title>');
  server = createServer({ dbPath: await buildFixtureDb(), distDir: dist, port: 0, host: '127.0.0.1' });
});
afterAll(() => server?.close());

const lower = (h: Readonly<Record<string, string>>) =>
  Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));

const securityOf = (res: Response) =>
  Object.fromEntries(Object.keys(lower(SECURITY_HEADERS)).map((k) => [k, res.headers.get(k)]));

describe('security headers', () => {
  it('are those of Hono’s secureHeaders with Cockpit’s policy', async () => {
    const reference = new Hono()
      .use(
        secureHeaders({
          contentSecurityPolicy: {
            defaultSrc: ["'self'"],
            scriptSrc: ["'self'"],
            styleSrc: ["'self'", "'unsafe-inline'"],
            imgSrc: ["'self'", 'data:', 'blob:'],
            fontSrc: ["'self'", 'data:'],
            connectSrc: ["'self'"],
            objectSrc: ["'none'"],
            baseUri: ["'self'"],
            formAction: ["'self'"],
            frameAncestors: ["'none'"],
          },
          xFrameOptions: 'DENY',
          referrerPolicy: 'no-referrer',
        }),
      )
      .get('/', (c) => c.text('ok'));
    const res = await reference.request('/');
    const sent = Object.fromEntries([...res.headers].filter(([k]) => k !== 'content-type'));
    expect(sent).toEqual(lower(SECURITY_HEADERS));
  });

  it('are the same on every kind of answer, and nothing is sent twice', async () => {
    const expected = lower(SECURITY_HEADERS);
    for (const [path, status] of [
      ['/api/accounts/acme', 200],
      ['/api/accounts', 200],
      ['/api/accounts?view=triage', 200],
      ['/api/health', 200],
      ['/api/accounts/nobody', 404],
      ['/api/accounts?status=vip', 400],
      ['/api/nope', 404],
      ['/', 200],
    ] as const) {
      for (const encoding of ['gzip', 'identity']) {
        const res = await server.app.request(path, { headers: { 'accept-encoding': encoding } });
        expect(res.status, path).toBe(status);
        expect(securityOf(res), path).toEqual(expected);
        expect(res.headers.get('x-powered-by')).toBeNull();
        for (const [k] of Object.entries(expected))
          expect(res.headers.get(k), `${path} ${k}`).not.toContain(',');
      }
    }
  });
});

describe('what browsers and proxies may keep', () => {
  it('API answers are not stored; the account list is kept but revalidated, and 304 when unchanged', async () => {
    for (const path of ['/api/accounts/acme', '/api/health', '/api/accounts/nobody', '/api/nope'])
      expect((await server.app.request(path)).headers.get('cache-control'), path).toBe('no-store');
    const first = await server.app.request('/api/accounts', { headers: { 'accept-encoding': 'gzip' } });
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    const again = await server.app.request('/api/accounts', {
      headers: { 'accept-encoding': 'gzip', 'if-none-match': `W/"other", ${etag}` },
    });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect(again.headers.get('content-encoding')).toBeNull();
    expect(await again.text()).toBe('');
    const stale = await server.app.request('/api/accounts', { headers: { 'if-none-match': '"stale"' } });
    expect(stale.status).toBe(200);
  });

  it('the server-side renderer under dist/ssr is not served', async () => {
    expect((await server.app.request('/ssr/ssr.js')).status).toBe(404);
  });

  it('reads q-values in Accept-Encoding, names the gzipped and the plain list apart, and 304s both', async () => {
    const get = (headers: Record<string, string>) => server.app.request('/api/accounts', { headers });
    for (const refused of ['gzip;q=0', 'br, gzip;q=0', 'gzip;q=0.000, identity', '*;q=0', 'identity'])
      expect((await get({ 'accept-encoding': refused })).headers.get('content-encoding'), refused).toBeNull();
    for (const taken of ['gzip', 'GZIP;q=0.5', 'br;q=1, *;q=0.1'])
      expect((await get({ 'accept-encoding': taken })).headers.get('content-encoding'), taken).toBe('gzip');
    const gz = (await get({ 'accept-encoding': 'gzip' })).headers.get('etag')!;
    const plain = (await get({})).headers.get('etag')!;
    expect(gz).toMatch(/^".+"$/);
    expect(gz).not.toBe(plain);
    expect((await get({ 'accept-encoding': 'gzip', 'if-none-match': gz })).status).toBe(304);
    expect((await get({ 'if-none-match': `W/${plain}` })).status).toBe(304);
    // one encoding's tag does not stand for the other's bytes
    expect((await get({ 'accept-encoding': 'gzip', 'if-none-match': plain })).status).toBe(200);
    expect((await get({ 'if-none-match': gz })).status).toBe(200);
    // `*`: the client holds some version of a resource that exists
    for (const encoding of ['gzip', 'identity'])
      expect((await get({ 'accept-encoding': encoding, 'if-none-match': '*' })).status).toBe(304);
  });
});
