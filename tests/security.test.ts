import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type RequestListener } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { join } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadLimiter } from '../server/routes/estimate.ts';
import { type AccessConfig, accessConfigFromEnv, bindRefusal } from '../server/security.ts';
import {
  answerHostlessRequests,
  answerUnparsableRequests,
  createServer,
  TRIAGE_PRELOAD,
} from '../server/serve.ts';
import { client } from '../web/src/api/client.ts';
import { TRIAGE_QUERY } from '../web/src/api/triageFetch.ts';
import { buildFixtureDb, tempDir } from './helpers.ts';

function distDir(): string {
  const dist = tempDir();
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Cockpit</title>');
  writeFileSync(join(dist, 'assets', 'app-abc123.js'), 'console.log(1)');
  return dist;
}

let dbPath = '';
const opened: { close(): void }[] = [];
function server(access?: AccessConfig) {
  const s = createServer({
    dbPath,
    distDir: distDir(),
    port: 0,
    host: '127.0.0.1',
    ...(access && { access }),
  });
  opened.push(s);
  return s.app;
}
beforeAll(async () => {
  dbPath = await buildFixtureDb();
});
afterAll(() => {
  for (const db of opened) db.close();
});

const csv = 'id,created_at,text\nq-1,2026-03-01T10:00:00Z,Where is my parcel?\n';
const upload = (headers: Record<string, string>) => ({
  method: 'POST',
  body: csv,
  headers: { 'content-type': 'text/plain', ...headers },
});

describe('web hardening', () => {
  it('sends CSP, nosniff, frame and referrer headers on pages and API answers', async () => {
    const app = server();
    for (const path of ['/', '/api/health']) {
      const res = await app.request(path);
      expect(res.status).toBe(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });

  it('answers a missing asset with 404 and no long cache; a real one is immutable', async () => {
    const app = server();
    const missing = await app.request('/assets/gone-000.js');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('cache-control')).not.toContain('immutable');
    const real = await app.request('/assets/app-abc123.js');
    expect(real.status).toBe(200);
    expect(real.headers.get('cache-control')).toContain('immutable');
    // a broken escape or an encoded slash still gets the app (and its not-found page), not a bare 404
    for (const path of ['/', '/accounts/acme', '/accounts/%ZZ', '/accounts/a%2Fb', '/accounts/%E0%A4%A']) {
      const page = await app.request(path);
      expect(page.status, path).toBe(200);
      expect(page.headers.get('content-type'), path).toMatch(/^text\/html/);
      expect(page.headers.get('cache-control')).toBe('no-cache');
    }
  });

  it('preloads the account list on the triage page only, as exactly the request the page makes', async () => {
    const app = server();
    const triage = await app.request('/?sort=name&flag=plateau');
    expect(triage.headers.get('link')).toBe(`<${TRIAGE_PRELOAD}>; rel=preload; as=fetch; crossorigin`);
    const { pathname, search } = client.api.accounts.$url({ query: TRIAGE_QUERY });
    expect(`${pathname}${search}`).toBe(TRIAGE_PRELOAD);
    for (const path of ['/accounts/acme', '/model', '/api/health', '/assets/app-abc123.js'])
      expect((await app.request(path)).headers.get('link'), path).toBeNull();
  });

  it('answers an unknown API path with a JSON 404, not the page', async () => {
    const res = await server().request('/api/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'no route for GET /api/nope' } });
  });

  it('answers a known API path asked with the wrong method with 405 and the methods it takes', async () => {
    const app = server();
    const post = await app.request('/api/accounts/acme', { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect(await post.json()).toEqual({
      error: {
        code: 'method_not_allowed',
        message: 'POST is not allowed on /api/accounts/acme (allowed: GET, HEAD)',
      },
    });
    const get = await app.request('/api/estimate');
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    const del = await app.request('/api/estimate/prospects/p-1', { method: 'PUT' });
    expect(del.headers.get('allow')).toBe('DELETE, GET, HEAD');
    // a path no route has stays 404, whatever the method, and a trailing slash is such a path
    expect((await app.request('/api/accounts/acme/nope', { method: 'POST' })).status).toBe(404);
    for (const path of ['/api/accounts/', '/api/accounts/acme/']) {
      const slash = await app.request(path);
      expect(slash.status, path).toBe(404);
      expect(((await slash.json()) as { error: { code: string } }).error.code).toBe('not_found');
    }
  });

  it('answers a file the build does not have with 404, not the page; account ids with dots keep the app', async () => {
    const app = server();
    for (const path of [
      '/favicon.ico',
      '/robots.txt',
      '/.git/config',
      '/.env',
      '/wp-admin/setup.php',
      '/model/x.js',
    ]) {
      const res = await app.request(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type'), path).not.toMatch(/^text\/html/);
      expect(res.headers.get('cache-control'), path).toBe('no-store');
    }
    for (const path of [
      '/accounts/acme.io',
      '/Accounts/acme.io',
      '/accounts/a.b.c',
      '/accounts/.hidden',
      '/model',
      '/estimate',
      '/index.html',
    ]) {
      const page = await app.request(path);
      expect(page.status, path).toBe(200);
      expect(page.headers.get('content-type'), path).toMatch(/^text\/html/);
    }
    expect((await app.request('/assets/app-abc123.js')).status).toBe(200);
  });

  it('refuses a query whose %-escapes are not UTF-8 instead of keeping them as text', async () => {
    const app = server();
    for (const path of [
      '/api/accounts?status=%FF%FE',
      '/api/accounts?status=50%',
      '/api/accounts/acme?x=%ED%A0%80',
    ]) {
      const res = await app.request(path);
      expect(res.status, path).toBe(400);
      expect(await res.json()).toEqual({
        error: {
          code: 'bad_request',
          message:
            'invalid query: it holds a % that is not the escape of UTF-8 text (write %25 for a % sign)',
        },
      });
    }
    // an escaped % sign and escaped UTF-8 are fine
    expect((await app.request('/api/accounts?status=all&q=50%25%20caf%C3%A9')).status).toBe(200);
  });

  it('answers another method on a page or an asset with 405 in the error shape', async () => {
    const app = server();
    for (const [method, path] of [
      ['POST', '/'],
      ['PUT', '/accounts/acme'],
      ['DELETE', '/assets/app-abc123.js'],
      ['PATCH', '/favicon.ico'],
    ] as const) {
      const res = await app.request(path, { method, body: method === 'DELETE' ? null : 'x' });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD');
      expect(await res.json()).toEqual({
        error: {
          code: 'method_not_allowed',
          message: `${method} is not allowed on ${path} (allowed: GET, HEAD)`,
        },
      });
    }
    expect((await app.request('/model', { method: 'HEAD' })).status).toBe(200);
  });
});

describe('who may connect', () => {
  it('refuses a foreign Host (DNS rebinding) and serves the loopback names', async () => {
    const app = server();
    const foreign = await app.request('/api/accounts', { headers: { host: 'attacker.example:8787' } });
    expect(foreign.status).toBe(403);
    expect(((await foreign.json()) as { error: { code: string } }).error.code).toBe('unknown_host');
    for (const host of ['localhost:8787', '127.0.0.1:8787', '[::1]:8787'])
      expect((await app.request('/api/health', { headers: { host } })).status).toBe(200);
    const empty = await app.request('/api/accounts', { headers: { host: '' } });
    expect(empty.status).toBe(403);
    // userinfo or a path in the Host names no host of ours (an absolute-form request reaches the
    // app with such a Host: the adapter reads the URL from the target)
    for (const host of ['localhost:8787@evil.com', 'localhost/x', 'localhost\\x'])
      expect((await app.request('/api/health', { headers: { host } })).status, host).toBe(403);
    const allowed = server({ allowedHosts: ['cockpit.internal'], auth: null });
    expect((await allowed.request('/api/health', { headers: { host: 'cockpit.internal' } })).status).toBe(
      200,
    );
  });

  it('refuses a cross-origin upload and serves same-origin pages and non-browser clients', async () => {
    const app = server();
    const cross = await app.request('/api/estimate?save=1', {
      ...upload({ host: '127.0.0.1:8787', origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' }),
    });
    expect(cross.status).toBe(403);
    expect(((await cross.json()) as { error: { code: string } }).error.code).toBe('cross_origin');
    const nullOrigin = await app.request('/api/estimate', upload({ host: '127.0.0.1:8787', origin: 'null' }));
    expect(nullOrigin.status).toBe(403);
    // a sandboxed frame elsewhere says null too, but its browser says cross-site
    const sandboxed = upload({ host: '127.0.0.1:8787', origin: 'null', 'sec-fetch-site': 'cross-site' });
    expect((await app.request('/api/estimate', sandboxed)).status).toBe(403);
    // a form of Cockpit's own pages (Referrer-Policy no-referrer blanks a form's origin): served
    const ownForm = { host: '127.0.0.1:8787', origin: 'null', 'sec-fetch-site': 'same-origin' };
    expect((await app.request('/api/estimate/limits', { headers: ownForm })).status).toBe(200);
    const same = await app.request(
      '/api/estimate',
      upload({ host: '127.0.0.1:8787', origin: 'http://127.0.0.1:8787', 'sec-fetch-site': 'same-origin' }),
    );
    expect(same.status).toBe(200);
    const curl = await app.request('/api/estimate', upload({ host: '127.0.0.1:8787' }));
    expect(curl.status).toBe(200);
    // no page of Cockpit's sends another scheme, credentials or a path as its origin
    for (const origin of ['ws://127.0.0.1:8787', 'http://user@127.0.0.1:8787', 'http://127.0.0.1:8787/x']) {
      const odd = await app.request('/api/estimate/limits', { headers: { host: '127.0.0.1:8787', origin } });
      expect(odd.status, origin).toBe(403);
    }
    const https = await app.request('/api/estimate/limits', {
      headers: { host: '127.0.0.1:8787', origin: 'https://127.0.0.1:8787' },
    });
    expect(https.status, 'behind a TLS proxy the page is https').toBe(200);
  });

  it('refuses the Estimate API’s reads to other origins too (SPEC §6), and serves other reads', async () => {
    const app = server();
    const foreign = { host: '127.0.0.1:8787', origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' };
    for (const path of ['/api/estimate/limits', '/api/estimate/prospects']) {
      const res = await app.request(path, { headers: foreign });
      expect(res.status, path).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('cross_origin');
      const own = { host: '127.0.0.1:8787', 'sec-fetch-site': 'same-origin' };
      expect((await app.request(path, { headers: own })).status, path).toBe(200);
      expect((await app.request(path, { headers: { host: '127.0.0.1:8787' } })).status, path).toBe(200);
    }
    // the account reads are not the Estimate API: a cross-site GET of them is not refused here
    expect((await app.request('/api/health', { headers: foreign })).status).toBe(200);
  });
});

describe('trusted-proxy sign-in (COCKPIT_AUTH=proxy)', () => {
  const access = accessConfigFromEnv({
    COCKPIT_AUTH: 'proxy',
    COCKPIT_TRUSTED_PROXIES: '10.0.0.5',
    COCKPIT_ALLOWED_HOSTS: 'cockpit.internal',
    COCKPIT_ROLES: 'sam@corp=sales, ada@corp=admin',
  });
  const via = (address: string) => ({ incoming: { socket: { remoteAddress: address } } });
  const headers = (user?: string) => ({
    host: 'cockpit.internal',
    ...(user && { 'x-forwarded-user': user }),
  });

  it('needs a signed-in user, from the proxy only', async () => {
    const app = server(access);
    expect((await app.request('/api/health', { headers: headers() }, via('10.0.0.5'))).status).toBe(401);
    // a client that reaches the server directly cannot claim to be someone
    expect((await app.request('/api/health', { headers: headers('ada@corp') }, via('10.0.0.9'))).status).toBe(
      403,
    );
    const ok = await app.request('/api/health', { headers: headers('vic@corp') }, via('::ffff:10.0.0.5'));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-cockpit-role')).toBe('viewer');
    // a signed-in viewer is not told where the server keeps its files
    const health = (await ok.json()) as { prospects: { state: string; path?: string } };
    expect(health.prospects).toEqual({ state: 'ok' });
  });

  it('lets viewers read and estimate, and only sales or admin save a prospect', async () => {
    const app = server(access);
    const save = (user: string) =>
      app.request('/api/estimate?save=1', { ...upload(headers(user)), method: 'POST' }, via('10.0.0.5'));
    const viewer = await save('vic@corp');
    expect(viewer.status).toBe(403);
    expect(((await viewer.json()) as { error: { message: string } }).error.message).toBe(
      'saving or deleting prospects needs the sales or admin role',
    );
    expect((await save('sam@corp')).status).toBe(200);
    const look = await app.request('/api/estimate', upload(headers('vic@corp')), via('10.0.0.5'));
    expect(look.status).toBe(200);
    // saving an unsaved estimate afterwards is a save too
    const later = (user: string) =>
      app.request(
        '/api/estimate/prospects/some-id/save',
        { method: 'POST', headers: headers(user) },
        via('10.0.0.5'),
      );
    expect((await later('vic@corp')).status).toBe(403);
    expect((await later('sam@corp')).status).toBe(404);
  });

  it('gives a user named like an object property no role of its own (it once had write access)', async () => {
    const closed = accessConfigFromEnv({
      COCKPIT_AUTH: 'proxy',
      COCKPIT_TRUSTED_PROXIES: '10.0.0.5',
      COCKPIT_ALLOWED_HOSTS: 'cockpit.internal',
      COCKPIT_ROLES: 'sam@corp=sales',
      COCKPIT_DEFAULT_ROLE: 'none',
    });
    const app = server(closed);
    for (const user of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const res = await app.request(
        '/api/estimate?save=1',
        { ...upload(headers(user)), method: 'POST' },
        via('10.0.0.5'),
      );
      expect(res.status, user).toBe(403);
      expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
        `${user} has no role in Cockpit`,
      );
    }
    // with viewers by default they read, and still cannot write
    const open = server(access);
    const asViewer = await open.request('/api/health', { headers: headers('constructor') }, via('10.0.0.5'));
    expect(asViewer.headers.get('x-cockpit-role')).toBe('viewer');
    const save = await open.request(
      '/api/estimate?save=1',
      { ...upload(headers('constructor')), method: 'POST' },
      via('10.0.0.5'),
    );
    expect(save.status).toBe(403);
    // the refusal says who was refused and as what, as every other answer does
    expect(save.headers.get('x-cockpit-user')).toBe('constructor');
    expect(save.headers.get('x-cockpit-role')).toBe('viewer');
  });

  it('refuses to serve the network without sign-in, and says what to set', () => {
    expect(bindRefusal('127.0.0.1', { allowedHosts: [], auth: null })).toBeNull();
    expect(bindRefusal('127.4.5.6', { allowedHosts: [], auth: null })).toBeNull();
    // names that only begin like a loopback address resolve wherever their owner wants
    for (const name of ['127.attacker.example', '127.lan', '127.0.0.1.nip.io'])
      expect(bindRefusal(name, { allowedHosts: [], auth: null }), name).toMatch(/without sign-in/);
    expect(bindRefusal('0.0.0.0', { allowedHosts: [], auth: null })).toMatch(
      /^HOST=0\.0\.0\.0 would serve every account, and prospects' conversation text, to the network without sign-in/,
    );
    expect(bindRefusal('0.0.0.0', { ...access, allowedHosts: [] })).toMatch(/needs COCKPIT_ALLOWED_HOSTS/);
    // a loopback server named for the network: a proxy on this machine would serve it without sign-in
    expect(bindRefusal('127.0.0.1', { allowedHosts: ['cockpit.corp'], auth: null })).toBe(
      "COCKPIT_ALLOWED_HOSTS=cockpit.corp would let a proxy serve every account, and prospects' conversation text, to the network without sign-in: set COCKPIT_AUTH=oidc or proxy (docs/security.md) or leave COCKPIT_ALLOWED_HOSTS empty",
    );
    expect(
      bindRefusal('127.0.0.1', { allowedHosts: ['cockpit.localhost', '127.0.0.2'], auth: null }),
    ).toBeNull();
    expect(bindRefusal('127.0.0.1', access)).toBeNull();
    expect(bindRefusal('0.0.0.0', access)).toBeNull();
    expect(() => accessConfigFromEnv({ COCKPIT_AUTH: 'proxy' })).toThrow(/needs COCKPIT_TRUSTED_PROXIES/);
    expect(() => accessConfigFromEnv({ COCKPIT_AUTH: 'ldap' })).toThrow(
      'COCKPIT_AUTH must be "none", "proxy" or "oidc", got "ldap"',
    );
  });
});

describe('prospect deletes, upload limits and the audit log', () => {
  it('makes no prospect change the audit log cannot record, and records the retention’s removals', async () => {
    const { readFileSync } = await import('node:fs');
    const dir = tempDir();
    const prospectsDbPath = join(dir, 'prospects.db');
    const auditDir = join(dir, 'audit-is-a-folder');
    mkdirSync(auditDir);
    const before = process.env.COCKPIT_AUDIT_LOG;
    process.env.COCKPIT_AUDIT_LOG = auditDir;
    try {
      const s = createServer({
        dbPath,
        distDir: distDir(),
        port: 0,
        host: '127.0.0.1',
        prospectsDbPath,
        log: () => {},
      });
      opened.push(s);
      const refused = await s.app.request('/api/estimate?save=1&name=Unlogged', upload({}));
      const last = JSON.parse((await refused.text()).trim().split('\n').at(-1)!) as {
        type: string;
        status: number;
        error: { code: string; message: string };
      };
      expect(last).toMatchObject({ type: 'error', status: 503, error: { code: 'audit_unavailable' } });
      // why, in a word; where the log lives is not the client's business
      expect(last.error.message).toBe('not saved: the audit log cannot be written (EISDIR)');
      const listed = await s.app.request('/api/estimate/prospects');
      expect(((await listed.json()) as { prospects: unknown[] }).prospects).toEqual([]);
    } finally {
      if (before === undefined) delete process.env.COCKPIT_AUDIT_LOG;
      else process.env.COCKPIT_AUDIT_LOG = before;
    }
    // saved with a working log, then a server whose retention has passed removes it, and says so
    const s2 = createServer({
      dbPath,
      distDir: distDir(),
      port: 0,
      host: '127.0.0.1',
      prospectsDbPath,
      log: () => {},
    });
    opened.push(s2);
    const saved = await s2.app.request('/api/estimate?save=1&name=Old', upload({}));
    const result = JSON.parse((await saved.text()).trim().split('\n').at(-1)!) as { id: string };
    s2.close();
    await new Promise((r) => setTimeout(r, 5));
    const s3 = createServer({
      dbPath,
      distDir: distDir(),
      port: 0,
      host: '127.0.0.1',
      prospectsDbPath,
      prospectRetentionDays: 1e-9,
      log: () => {},
    });
    opened.push(s3);
    expect((await s3.app.request(`/api/accounts/${result.id}`)).status).toBe(404);
    const log = readFileSync(join(dir, 'audit.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { action: string; target: string; who: string });
    expect(log.map((e) => [e.action, e.target, e.who])).toEqual([
      ['prospect.save', result.id, 'local'],
      ['prospect.expire', result.id, 'retention'],
    ]);
  });

  it('deletes a saved prospect and records saves and deletes with who, hash and counts', async () => {
    const { readFileSync } = await import('node:fs');
    const dir = tempDir();
    const s = createServer({
      dbPath,
      distDir: distDir(),
      port: 0,
      host: '127.0.0.1',
      prospectsDbPath: join(dir, 'prospects.db'),
      log: () => {},
    });
    opened.push(s);
    const saved = await s.app.request('/api/estimate?save=1&name=Audited', upload({}));
    const line = (await saved.text()).trim().split('\n').at(-1)!;
    const result = JSON.parse(line) as { type: string; id: string; sha256: string };
    expect(result.type).toBe('result');
    const del = await s.app.request(`/api/estimate/prospects/${result.id}`, { method: 'DELETE' });
    expect(del.status).toBe(200);
    expect(await del.json()).toEqual({ deleted: result.id });
    expect((await s.app.request(`/api/accounts/${result.id}`)).status).toBe(404);
    const again = await s.app.request(`/api/estimate/prospects/${result.id}`, { method: 'DELETE' });
    expect(again.status).toBe(404);
    const log = readFileSync(join(dir, 'audit.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(log).toEqual([
      {
        at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        action: 'prospect.save',
        who: 'local',
        target: result.id,
        name: 'Audited',
        sha256: result.sha256,
        rows: { records: 1, conversations: 1, rejected: 0 },
      },
      { at: expect.any(String), action: 'prospect.delete', who: 'local', target: result.id },
    ]);
  });

  it('answers 429 when one client sends too many uploads in a minute', async () => {
    const { createApp } = await import('../server/app.ts');
    const { openServingDb } = await import('../server/db/open.ts');
    const db = openServingDb(dbPath);
    opened.push(db);
    const app = createApp(db, { prospectsDb: null, uploadsPerMinute: 2 });
    for (let i = 0; i < 2; i++) expect((await app.request('/api/estimate', upload({}))).status).toBe(200);
    const limited = await app.request('/api/estimate', upload({}));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('60');
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
  });

  it('answers 503 with Retry-After while the estimate slots are full', async () => {
    const { createApp } = await import('../server/app.ts');
    const { openServingDb } = await import('../server/db/open.ts');
    const db = openServingDb(dbPath);
    opened.push(db);
    const app = createApp(db, { prospectsDb: null, maxConcurrentEstimates: 1 });
    let feed: ReadableStreamDefaultController<Uint8Array> | undefined;
    const slow = new ReadableStream<Uint8Array>({
      start(controller) {
        feed = controller;
        controller.enqueue(new TextEncoder().encode('id,created_at,text\n'));
      },
    });
    const first = await app.request('/api/estimate', {
      method: 'POST',
      body: slow,
      headers: { 'content-type': 'text/plain' },
      duplex: 'half',
    } as RequestInit);
    expect(first.status).toBe(200);
    const busy = await app.request('/api/estimate', upload({}));
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('30');
    expect(((await busy.json()) as { error: { message: string } }).error.message).toBe(
      'an estimate is already running: try again in a minute',
    );
    feed!.enqueue(new TextEncoder().encode('q-1,2026-03-01T10:00:00Z,Where is my parcel?\n'));
    feed!.close();
    expect((await first.text()).trim().split('\n').at(-1)).toContain('"type":"result"');
    expect((await app.request('/api/estimate', upload({}))).status).toBe(200);
  });
});

describe('requests Node refuses before the app', () => {
  const rawExchange = async (
    request: string,
    handler: RequestListener = (_req, res) => res.end('app'),
    bindHost?: string,
  ): Promise<string> => {
    const server = createHttpServer({ requireHostHeader: false }, handler);
    answerUnparsableRequests(server);
    answerHostlessRequests(server, bindHost);
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as AddressInfo;
    try {
      return await new Promise<string>((done, fail) => {
        const socket = connect(port, '127.0.0.1', () => socket.write(request));
        let answer = '';
        socket.on('data', (chunk) => {
          answer += chunk;
        });
        socket.on('end', () => done(answer));
        socket.on('error', fail);
      });
    } finally {
      server.close();
    }
  };

  it('answers an over-long URL with 431 in the error shape', async () => {
    const answer = await rawExchange(`GET /api/accounts/${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({
      error: { code: 'too_large', message: 'the request line and headers are over 16 KB' },
    });
    // with the app's security headers, though the app never saw it
    expect(answer).toMatch(
      /\r\nContent-Security-Policy: default-src 'self';[^\r]*frame-ancestors 'none'\r\n/,
    );
    expect(answer).toMatch(/\r\nX-Frame-Options: DENY\r\n/);
  });

  it('answers an over-long HEAD request with 431 and no body (a body there reads as a second response)', async () => {
    const answer = await rawExchange(`HEAD /api/accounts/${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(answer).toMatch(/\r\nContent-Length: 0\r\n/);
    expect(answer.endsWith('\r\n\r\n')).toBe(true);
  });

  it('answers an unknown Expect and a CONNECT in the error shape, with the security headers', async () => {
    const expectation = await rawExchange(
      'GET /api/health HTTP/1.1\r\nHost: x\r\nExpect: something-else\r\nConnection: close\r\n\r\n',
    );
    expect(expectation).toMatch(/^HTTP\/1\.1 417 /);
    expect(expectation).toMatch(/\r\nX-Content-Type-Options: nosniff\r\n/);
    expect(JSON.parse(expectation.slice(expectation.indexOf('\r\n\r\n') + 4))).toEqual({
      error: {
        code: 'expectation_failed',
        message: 'only "Expect: 100-continue" is understood, not "something-else"',
      },
    });
    const tunnel = await rawExchange('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
    expect(tunnel).toMatch(/^HTTP\/1\.1 405 /);
    expect(JSON.parse(tunnel.slice(tunnel.indexOf('\r\n\r\n') + 4))).toEqual({
      error: { code: 'method_not_allowed', message: 'CONNECT is not served: this is no proxy' },
    });
  });

  it('answers a Host header that is no host name with 400 in the error shape, not an empty one', async () => {
    for (const host of ['localhost:evil', '::1', '']) {
      const answer = await rawExchange(
        `GET /api/health HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
      );
      expect(answer, host).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer).toMatch(/\r\nReferrer-Policy: no-referrer\r\n/);
      expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({
        error: { code: 'bad_request', message: 'the Host header is not a host name with an optional port' },
      });
    }
  });

  it('answers a request without a Host header with 400 in the error shape, before the app', async () => {
    const answer = await rawExchange('GET /api/health HTTP/1.1\r\nConnection: close\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({
      error: { code: 'bad_request', message: 'the request has no Host header (HTTP/1.1 needs one)' },
    });
    expect(await rawExchange('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toMatch(
      /\r\n\r\napp$/,
    );
    // HTTP/1.0 needs no Host
    expect(await rawExchange('GET / HTTP/1.0\r\n\r\n')).toMatch(/^HTTP\/1\.1 200 [\s\S]*\r\n\r\napp$/);
  });

  it('writes no second status line into a response already under way', async () => {
    // an estimate's stream has started when the client sends bytes past its body
    const answer = await rawExchange(
      'POST /api/estimate HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nxGARBAGE\r\n\r\n',
      (req, res) => {
        req.resume();
        res.writeHead(200, { 'content-type': 'application/x-ndjson' });
        res.write('{"type":"progress"}\n');
        setTimeout(() => res.end(), 100);
      },
    );
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer.match(/HTTP\/1\.1/g)).toHaveLength(1);
  });

  it('answers a malformed request with 400 in the error shape', async () => {
    const answer = await rawExchange('NOT HTTP AT ALL\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('"code":"bad_request"');
  });

  it('answers what the adapter would refuse with an empty 400 in the error shape, and lets the rest through', async () => {
    // the real adapter behind it: whatever it refuses, answerHostlessRequests must have answered first
    const adapter = getRequestListener(() => new Response('app'));
    const bodyOf = (answer: string) => answer.slice(answer.indexOf('\r\n\r\n') + 4);
    for (const [target, host] of [
      ['/api\\health', 'localhost'],
      ['*', 'localhost'],
      ['/api/health', 'localhost:8872@evil.com'],
      ['/api/health', 'localhost/x'],
      ['/api/health', '[::ffff:127.0.0.1]'],
      ['/api/health', 'localhost:'],
    ]) {
      const answer = await rawExchange(
        `GET ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
        adapter,
      );
      expect(answer, `${target} ${host}`).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer).toMatch(/\r\nX-Frame-Options: DENY\r\n/);
      expect(JSON.parse(bodyOf(answer)).error.code).toBe('bad_request');
    }
    for (const [target, host] of [
      ['/api/health?a\\b', 'localhost:8872'],
      ['/api/health', 'LOCALHOST'],
      ['/api/health', '[::1]:8872'],
      ['http://localhost/api/health', 'localhost'],
    ]) {
      const answer = await rawExchange(
        `GET ${target} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
        adapter,
      );
      expect(bodyOf(answer), `${target} ${host}`).toBe('app');
    }
  });

  it('lets an HTTP/1.0 request without a Host through when the server listens on ::1', async () => {
    // the adapter names such a request by its listening address; unbracketed, "::1" makes no URL
    const adapter = getRequestListener(() => new Response('app'), { hostname: '::1' });
    const answer = await rawExchange('GET /api/health HTTP/1.0\r\n\r\n', adapter, '::1');
    expect(answer.slice(answer.indexOf('\r\n\r\n') + 4)).toBe('app');
  });
});

describe('the upload rate limit', () => {
  it('holds a client at its limit while 10,000 others upload (a full table once forgot everyone)', () => {
    const allow = uploadLimiter(2);
    expect(allow('10.0.0.1')).toBe(true);
    expect(allow('10.0.0.1')).toBe(true);
    expect(allow('10.0.0.1')).toBe(false);
    // it keeps trying while the others come: it stays limited
    for (let i = 0; i < 10_000; i++) {
      allow(`2001:db8::${i.toString(16)}`);
      if (i % 1000 === 0) expect(allow('10.0.0.1')).toBe(false);
    }
    expect(allow('10.0.0.1')).toBe(false);
    // the client seen longest ago is the one forgotten, and a later one is still counted
    expect(allow('2001:db8::0')).toBe(true);
    expect(allow('2001:db8::270f')).toBe(true);
    expect(allow('2001:db8::270f')).toBe(false);
  });
});
