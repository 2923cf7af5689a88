/**
 * Browser benchmark of the triage page (issue 12, SPEC §7): a database of 10,000 accounts, the
 * built app served by the real server in its own process, Debian's Chromium driven by
 * playwright-core. Prints the triage payload's gzipped size, the time to the first table rows on a
 * cold load (fresh browser context: no HTTP cache, no JS heap; the server sends the first screen
 * rendered, server/ssr.ts) and to the app's own rows, and the time sorting and filtering take to
 * reach the screen.
 *
 *   npm run bench:web [-- --accounts 10000 --runs 5 --port 8781 --no-build]
 *
 * The database is built once into .tmp/bench-api/ (the same one `npm run bench:api` uses); the web
 * app is built into .tmp/bench-web/dist (so the shared dist/ is left alone) unless --no-build.
 * Times are medians over `--runs` (page loads) and over the repeated sorts and filters; the
 * machine is shared, so read them with the spread printed beside them.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import { startServer } from '../server/serve.ts';
import { benchAccountsDb } from './bench-accounts-db.ts';
import { buildWeb, builtFiles } from './build-web.ts';
import { fromCaller, intOption, parseCli } from './cli.ts';

const ROOT = resolve(import.meta.dirname, '..');
const parsed = parseCli(
  'usage: npm run bench:web -- [--accounts N] [--runs N] [--port N] [--no-build] [--db FILE]',
  {
    accounts: { type: 'string' },
    runs: { type: 'string' },
    port: { type: 'string' },
    'no-build': { type: 'boolean' },
    /** an existing serving database to use instead of building one */
    db: { type: 'string' },
    // internal: the server, forked by this script
    serve: { type: 'string' },
  },
);
if ('exitCode' in parsed) process.exit(parsed.exitCode);
const { values } = parsed;

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : Number.NaN;
};
const ms = (x: number) => `${Math.round(x)} ms`;
const spread = (xs: number[]) => `${ms(Math.min(...xs))}–${ms(Math.max(...xs))}`;

/** In the page: resolves when `done()` holds, then waits for the next frame to be painted. */
const FRAME_HELPERS = `
  window.__untilPainted = (done) => new Promise((resolve) => {
    const check = () => {
      if (!done()) return requestAnimationFrame(check);
      // the frame with the change: rAF runs before paint, the task after it runs after paint
      requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0));
    };
    check();
  });
`;

/** `p`, or an error naming `what` after `ms` (a page that never shows its rows must not hang the run). */
function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

async function firstRows(url: string, browser: Awaited<ReturnType<typeof chromium.launch>>) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  // records when the first rows are in the DOM, then when that frame has been painted
  await page.addInitScript(`
    ${FRAME_HELPERS}
    window.__firstRows = window.__untilPainted(() => document.querySelector('tbody tr[data-index]'));
    window.__appRows = window.__untilPainted(
      () => document.querySelector('tbody tr[data-index]') && !document.querySelector('[data-prerendered]'),
    );
  `);
  await page.goto(url, { waitUntil: 'commit' });
  // the first rows: the server's rendering of the first screen when it sends one (server/ssr.ts)
  const t = (await within(60_000, 'the first rows', page.evaluate('window.__firstRows'))) as number;
  // the app's own rows: from then on sorting and filtering work
  const app = (await within(60_000, "the app's rows", page.evaluate('window.__appRows'))) as number;
  await page.getByTestId('result-count').waitFor();
  const prerendered = t < app;
  return { t, app, prerendered, page, context };
}

/** Clicks a column's sort button; ms from the click to the painted frame with the new order. */
async function sortBy(page: Page, name: string) {
  return (await within(
    30_000,
    `sorting by ${name}`,
    page.evaluate(
      `(async (name) => {
      // headers may hold soft hyphens (Automa\u00adtion) where a narrow column breaks them
      const button = () => [...document.querySelectorAll('th button.th-sort')].find((b) => b.textContent.replace(/\u00ad/g, '').trim().startsWith(name));
      const btn = button();
      if (!btn) throw new Error('no sort button ' + name);
      const before = btn.closest('th').getAttribute('aria-sort');
      const firstBefore = document.querySelector('tbody tr[data-index="0"]')?.textContent;
      const t0 = performance.now();
      btn.click();
      const t1 = await window.__untilPainted(() => button()?.closest('th').getAttribute('aria-sort') !== before);
      return { ms: t1 - t0, changed: document.querySelector('tbody tr[data-index="0"]')?.textContent !== firstBefore };
    })(${JSON.stringify(name)})`,
    ),
  )) as { ms: number; changed: boolean };
}

/** Sets a filter <select>; ms from the change to the painted frame with the new result count. */
async function filterBy(page: Page, id: string, pick: 'first' | 'clear') {
  return (await within(
    30_000,
    `filter ${id}`,
    page.evaluate(
      `(async ([id, pick]) => {
      const sel = document.getElementById(id);
      const count = document.querySelector('[data-testid="result-count"]');
      const before = count.textContent;
      const value = pick === 'clear' ? '' : [...sel.options].map((o) => o.value).find((v) => v !== '' && v !== sel.value);
      const t0 = performance.now();
      sel.value = value;
      sel.dispatchEvent(new Event('change', { bubbles: true }));
      const t1 = await window.__untilPainted(() => count.textContent !== before);
      return { ms: t1 - t0, value, count: count.textContent };
    })(${JSON.stringify([id, pick])})`,
    ),
  )) as { ms: number; value: string; count: string };
}

/** Types into the search box; ms from the input event to the painted frame with the new count. */
async function search(page: Page, text: string) {
  return (await within(
    30_000,
    'search',
    page.evaluate(
      `(async (text) => {
      const input = document.getElementById('acc-search');
      const count = document.querySelector('[data-testid="result-count"]');
      const before = count.textContent;
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
      const t0 = performance.now();
      setter.call(input, text);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      const t1 = await window.__untilPainted(() => count.textContent !== before);
      return { ms: t1 - t0, count: count.textContent };
    })(${JSON.stringify(text)})`,
    ),
  )) as { ms: number; count: string };
}

async function serveMode(spec: { port: number; db: string; dist: string; prospects: string }) {
  startServer({
    dbPath: spec.db,
    distDir: spec.dist,
    port: spec.port,
    host: '127.0.0.1',
    prospectsDbPath: spec.prospects,
    log: () => {},
  });
}

async function main() {
  if (values.serve) return serveMode(JSON.parse(values.serve));
  const accounts = intOption('accounts', values.accounts, 10000);
  const runs = intOption('runs', values.runs, 5);
  const port = intOption('port', values.port, 8781, { max: 65535 });
  if (accounts === null || runs === null || port === null) process.exit(2);
  const db = await benchAccountsDb(
    ROOT,
    accounts,
    values.db === undefined ? undefined : fromCaller(values.db),
  );
  const dist = join(ROOT, '.tmp', 'bench-web', 'dist');
  if (!values['no-build'] || builtFiles(dist).some((f) => !existsSync(f))) {
    console.log('building the web app into .tmp/bench-web/dist (npm run build)…');
    if (!buildWeb(dist, 'ignore')) throw new Error('web build failed');
  }
  const server: ChildProcess = fork(
    import.meta.filename,
    ['--serve', JSON.stringify({ port, db, dist, prospects: join(dirname(db), 'prospects-web.db') })],
    { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] },
  );
  let serverExit = '';
  server.once('exit', (code) => {
    serverExit = `the server exited (code ${code}); run it by hand to see why: COCKPIT_DB=${db} npm start`;
  });
  const base = `http://127.0.0.1:${port}`;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    for (let t = 0; ; t++) {
      const ok = await fetch(`${base}/api/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (serverExit) throw new Error(serverExit);
      if (t > 120) throw new Error('server did not start');
      await new Promise((r) => setTimeout(r, 500));
    }
    // payload sizes, as sent (the server gzips once and caches)
    const size = async (path: string) => {
      const res = await fetch(`${base}${path}`, { headers: { 'accept-encoding': 'identity' } });
      const raw = Buffer.from(await res.arrayBuffer());
      return { raw: raw.length, gz: gzipSync(raw, { level: 6 }).length };
    };
    const triage = await size('/api/accounts?status=all&view=triage');
    const full = await size('/api/accounts?status=all');
    const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
    const health = (await (await fetch(`${base}/api/health`)).json()) as { accounts: number };
    console.log(
      `${health.accounts.toLocaleString('en-US')} accounts; Chromium ${browser.version()}; ${runs} cold loads\n`,
    );
    // one warm-up load so the server has built and cached its answers (not a browser cache)
    await (await firstRows(`${base}/`, browser)).context.close();

    const loads: number[] = [];
    const interactive: number[] = [];
    let prerendered = 0;
    const sorts: number[] = [];
    const filters: number[] = [];
    const searches: number[] = [];
    for (let i = 0; i < runs; i++) {
      const { t, app, prerendered: ahead, page, context } = await firstRows(`${base}/`, browser);
      loads.push(t);
      interactive.push(app);
      if (ahead) prerendered++;
      await page.waitForTimeout(300);
      for (const col of ['Automation', 'Account', 'CX score', 'Gap conv/mo', 'Conv. this month']) {
        const r = await sortBy(page, col);
        sorts.push(r.ms);
        await page.waitForTimeout(100);
      }
      for (const id of ['f-vertical', 'f-csm', 'f-flag']) {
        filters.push((await filterBy(page, id, 'first')).ms);
        await page.waitForTimeout(100);
        filters.push((await filterBy(page, id, 'clear')).ms);
        await page.waitForTimeout(100);
      }
      // a word of the first row's name: a search that narrows the list
      const word = (await page.locator('tbody tr[data-index="0"] a.row-link').innerText()).split(' ')[0]!;
      searches.push((await search(page, word)).ms);
      await page.waitForTimeout(100);
      searches.push((await search(page, '')).ms);
      await context.close();
    }
    console.log('| measure | value | bar |');
    console.log('|---|---:|---:|');
    console.log(
      `| triage payload (GET /api/accounts?view=triage) | ${kb(triage.gz)} gzipped (${kb(triage.raw)} JSON) | ≤ 400 KB gz |`,
    );
    console.log(
      `| documented list (GET /api/accounts), for comparison | ${kb(full.gz)} gzipped (${kb(full.raw)} JSON) | — |`,
    );
    console.log(
      `| first rows visible, cold (median of ${runs}; range; rendered by the server in ${prerendered} of ${runs}) | ${ms(median(loads))} (${spread(loads)}) | ≤ 1000 ms |`,
    );
    console.log(
      `| the app's own rows (sort, filter and search work), cold | ${ms(median(interactive))} (${spread(interactive)}) | — |`,
    );
    console.log(
      `| sort, click to painted (median of ${sorts.length}; range) | ${ms(median(sorts))} (${spread(sorts)}) | ≤ 100 ms |`,
    );
    console.log(
      `| filter (select), change to painted (median of ${filters.length}; range) | ${ms(median(filters))} (${spread(filters)}) | ≤ 100 ms |`,
    );
    console.log(
      `| search, keystroke to painted (median of ${searches.length}; range) | ${ms(median(searches))} (${spread(searches)}) | ≤ 100 ms |`,
    );
  } finally {
    await browser.close();
    server.kill();
  }
}

await main();
