/**
 * The triage's first screen rendered by the server (server/ssr.ts with the web app's own renderer,
 * web/src/ssr.tsx, built here by Vite as `npm run build` builds it): the page at / carries the rows
 * of the URL's sort, filters and search, in the order and with the figures the app shows; without a
 * renderer, or when it fails, the plain page is served.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountsResponse } from '../server/api-types.ts';
import { createServer } from '../server/serve.ts';
import { buildFixtureDb, tempDir } from './helpers.ts';

const ROOT = resolve(import.meta.dirname, '..');
const PAGE =
  '<!doctype html><html><head><title>Cockpit</title></head><body><div id="root"></div></body></html>';

let dbPath = '';
let builtDist = '';
const opened: { close(): void }[] = [];

function server(dist: string) {
  const s = createServer({ dbPath, distDir: dist, port: 0, host: '127.0.0.1', log: () => {} });
  opened.push(s);
  return s.app;
}

beforeAll(async () => {
  dbPath = await buildFixtureDb();
  builtDist = tempDir();
  writeFileSync(join(builtDist, 'index.html'), PAGE);
  const vite = spawnSync(
    process.execPath,
    [
      join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--ssr',
      join(ROOT, 'web', 'src', 'ssr.tsx'),
      '--outDir',
      join(builtDist, 'ssr'),
      '--logLevel',
      'error',
    ],
    { cwd: ROOT, encoding: 'utf8' },
  );
  expect(vite.status, vite.stderr).toBe(0);
}, 120_000);
afterAll(() => {
  for (const s of opened) s.close();
});

/** the prerendered rows' account names, top to bottom */
const rowNames = (html: string) => [...html.matchAll(/class="row-link"[^>]*>([^<]+)</g)].map((m) => m[1]);

describe('GET / with the first screen rendered', () => {
  it('carries the default view: customers by gap, the count and the headline, inert until the app runs', async () => {
    const res = await server(builtDist).request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain('<div id="root"><div data-prerendered inert>');
    expect(html).toContain('<h1>Accounts</h1>');
    // the fixture's customers (globex has no status: a customer), largest gap in conversations first
    const list = (await (await server(builtDist).request('/api/accounts')).json()) as AccountsResponse;
    const byGap = list.accounts
      .filter((a) => a.status === 'customer')
      .sort((a, b) => (b.gapConversations ?? -1) - (a.gapConversations ?? -1))
      .map((a) => a.name);
    expect(byGap).toHaveLength(3);
    expect(rowNames(html)).toEqual(byGap);
    expect(html).toMatch(/data-testid="result-count"[^>]*>3<!-- --> <!-- -->accounts</);
  });

  it("follows the URL's sort, filters and search", async () => {
    const app = server(builtDist);
    const byName = await (await app.request('/?sort=name.asc')).text();
    expect(rowNames(byName)).toEqual(['Acme Outfitters', 'Globex Cloud', 'Initech Pay']);
    const reversed = await (await app.request('/?sort=name.desc')).text();
    expect(rowNames(reversed)).toEqual(['Initech Pay', 'Globex Cloud', 'Acme Outfitters']);
    const dana = await (await app.request('/?sort=name.asc&csm=Dana+Ortiz')).text();
    expect(rowNames(dana)).toEqual(['Acme Outfitters', 'Initech Pay']);
    const searched = await (await app.request('/?q=globex')).text();
    expect(rowNames(searched)).toEqual(['Globex Cloud']);
    const none = await (await app.request('/?q=no+such+account')).text();
    expect(rowNames(none)).toEqual([]);
    expect(none).toContain('No accounts match these filters');
  });

  it('is sent gzipped to a browser that accepts it', async () => {
    const res = await server(builtDist).request('/?sort=name.asc', {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    const html = gunzipSync(Buffer.from(await res.arrayBuffer())).toString();
    expect(rowNames(html)).toEqual(['Acme Outfitters', 'Globex Cloud', 'Initech Pay']);
  });

  it('escapes what the URL puts on the page', async () => {
    const html = await (await server(builtDist).request('/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E')).text();
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('value="&lt;script&gt;alert(1)&lt;/script&gt;"');
  });

  it("puts a search with $` or $' in it on the page as typed, not the page inside itself", async () => {
    for (const q of ['%24%60', "%24'", '%24%26']) {
      const html = await (await server(builtDist).request(`/?q=${q}`)).text();
      expect(html.match(/<!doctype/gi), q).toHaveLength(1);
      const typed = decodeURIComponent(q).replace('&', '&amp;').replace("'", '&#x27;');
      expect(html).toContain(`value="${typed}"`);
    }
  });

  it('serves the plain page without a renderer, for an overlong search, or when rendering fails', async () => {
    const plain = tempDir();
    writeFileSync(join(plain, 'index.html'), PAGE);
    expect(await (await server(plain).request('/')).text()).toBe(PAGE);

    const long = await (await server(builtDist).request(`/?q=${'x'.repeat(600)}`)).text();
    expect(long).toBe(PAGE);

    const broken = tempDir();
    cpSync(builtDist, broken, { recursive: true });
    mkdirSync(join(broken, 'ssr'), { recursive: true });
    writeFileSync(
      join(broken, 'ssr', 'ssr.js'),
      'export function renderTriagePage() { throw new Error("boom"); }\n',
    );
    const res = await server(broken).request('/?sort=name');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(PAGE);
  });

  it('renders at most a few new searches a second; past that the plain page, while rendered ones stay served', async () => {
    const app = server(builtDist);
    const first = await (await app.request('/?q=a')).text();
    expect(first).toContain('data-prerendered');
    const burst = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => (await app.request(`/?q=burst${i}`)).text()),
    );
    const rendered = burst.filter((html) => html.includes('data-prerendered')).length;
    expect(rendered).toBeGreaterThanOrEqual(1);
    expect(rendered).toBeLessThanOrEqual(8);
    expect(burst.filter((html) => html === PAGE).length).toBe(12 - rendered);
    expect(await (await app.request('/?q=a')).text()).toBe(first);
  });

  it('serves a rebuilt page at once, not a rendering made from the page before', async () => {
    const dist = tempDir();
    cpSync(builtDist, dist, { recursive: true });
    const app = server(dist);
    expect(await (await app.request('/')).text()).toContain('<title>Cockpit</title>');
    const rebuilt = PAGE.replace('<title>Cockpit</title>', '<title>Cockpit 2</title>');
    writeFileSync(join(dist, 'index.html'), rebuilt);
    utimesSync(join(dist, 'index.html'), new Date(), new Date(Date.now() + 5_000));
    const html = await (await app.request('/')).text();
    expect(html).toContain('<title>Cockpit 2</title>');
    expect(html).toContain('data-prerendered');
  });

  it('renders only the triage: other pages are the plain page', async () => {
    const app = server(builtDist);
    for (const path of ['/accounts/acme', '/model'])
      expect(await (await app.request(path)).text(), path).toBe(PAGE);
  });
});
