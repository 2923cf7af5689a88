/**
 * Compressed delivery: the build writes Brotli and gzip copies of the app's assets
 * (scripts/build-web.ts `precompress`), the server sends the best one the browser accepts with
 * the same caching, and the server-rendered triage page is gzipped on the fly.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtFiles, precompress, webBuildStale } from '../scripts/build-web.ts';
import { createServer } from '../server/serve.ts';
import { buildFixtureDb, tempDir } from './helpers.ts';

const SCRIPT = `export const rows = [${Array.from({ length: 400 }, (_, i) => `{ id: ${i}, name: 'account ${i}' }`).join(', ')}];\n`;

let dbPath = '';
let dist = '';
const opened: { close(): void }[] = [];

beforeAll(async () => {
  dbPath = await buildFixtureDb();
  dist = tempDir();
  mkdirSync(join(dist, 'assets'));
  // a page the size of the built one (~3 KB), so it is worth compressing
  const links = Array.from(
    { length: 30 },
    (_, i) => `<link rel="modulepreload" href="/assets/chunk-${i}.js">`,
  );
  writeFileSync(
    join(dist, 'index.html'),
    `<!doctype html><title>Cockpit</title>${links.join('')}<div id="root"></div>`,
  );
  writeFileSync(join(dist, 'assets', 'app-abc123.js'), SCRIPT);
  writeFileSync(join(dist, 'assets', 'tiny-abc123.js'), 'console.log(1)');
  writeFileSync(join(dist, 'assets', 'logo-abc123.png'), Buffer.alloc(4096, 7));
  precompress(join(dist, 'assets'));
});
afterAll(() => {
  for (const s of opened) s.close();
});

function server() {
  const s = createServer({ dbPath, distDir: dist, port: 0, host: '127.0.0.1', log: () => {} });
  opened.push(s);
  return s.app;
}

describe('precompress', () => {
  it('writes Brotli and gzip copies that decompress to the file, for compressible files over 1 KB only', () => {
    const file = join(dist, 'assets', 'app-abc123.js');
    expect(brotliDecompressSync(readFileSync(`${file}.br`)).toString()).toBe(SCRIPT);
    expect(gunzipSync(readFileSync(`${file}.gz`)).toString()).toBe(SCRIPT);
    expect(readFileSync(`${file}.br`).length).toBeLessThan(SCRIPT.length / 4);
    expect(() => readFileSync(join(dist, 'assets', 'tiny-abc123.js.br'))).toThrow();
    expect(() => readFileSync(join(dist, 'assets', 'logo-abc123.png.gz'))).toThrow();
  });
});

describe('compressed delivery', () => {
  it('sends the Brotli copy, else the gzip one, else the file, each cached forever', async () => {
    const app = server();
    const br = await app.request('/assets/app-abc123.js', {
      headers: { 'accept-encoding': 'gzip, deflate, br, zstd' },
    });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('vary')).toMatch(/accept-encoding/i);
    expect(br.headers.get('cache-control')).toContain('immutable');
    expect(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString()).toBe(SCRIPT);

    const gz = await app.request('/assets/app-abc123.js', { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(SCRIPT);

    const plain = await app.request('/assets/app-abc123.js');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(SCRIPT);
    expect(plain.headers.get('content-type')).toMatch(/javascript/);
  });

  it('gzips the page at / for a browser that accepts it, with its headers kept', async () => {
    const res = await server().request('/', { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('link')).toContain('rel=preload');
    expect(gunzipSync(Buffer.from(await res.arrayBuffer())).toString()).toContain('<div id="root">');
  });
});

describe('webBuildStale (npm start rebuilds a build older than its sources)', () => {
  it('is stale when a build file is missing or a source is newer, fresh otherwise', () => {
    const root = mkdtempSync(join(tmpdir(), 'cockpit-stale-'));
    const out = join(root, 'dist');
    mkdirSync(join(root, 'web', 'src'), { recursive: true });
    mkdirSync(join(out, 'ssr'), { recursive: true });
    const source = join(root, 'web', 'src', 'app.tsx');
    writeFileSync(source, 'x');
    expect(webBuildStale(out, root)).toBe(true);
    for (const f of builtFiles(out)) writeFileSync(f, 'built');
    const past = new Date(Date.now() - 60_000);
    utimesSync(source, past, past);
    expect(webBuildStale(out, root)).toBe(false);
    const future = new Date(Date.now() + 60_000);
    utimesSync(source, future, future);
    expect(webBuildStale(out, root)).toBe(true);
    rmSync(root, { recursive: true, force: true });
  });
});
