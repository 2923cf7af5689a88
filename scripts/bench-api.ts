/**
 * API benchmark (SPEC §7): latency percentiles and requests/s for the accounts and account
 * endpoints on a database of 10,000 accounts, under concurrent load from a separate process.
 *
 *   npm run bench:api [-- --accounts 10000 --seconds 10 --connections 32 --rounds 2]
 *
 * Builds the database once into .tmp/bench-api/ (demo generator, small volumes per account).
 *
 * The floor (issue 12): a minimal Hono + better-sqlite3 server, in its own process on the same
 * database, answering `GET /floor/:id` with a 12-row query and `c.json`. It is measured by the same
 * load generator with the same connections and ids as `GET /api/accounts/:id`, in alternating
 * rounds (account, floor, account, floor…) so both see the same machine load; the ratio of their
 * requests/s is printed.
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { FLOOR_SQL } from '../server/db/bench-floor.ts';
import { benchAccountsDb } from './bench-accounts-db.ts';
import { decimalOption, fromCaller, intOption, parseCli } from './cli.ts';

const ROOT = resolve(import.meta.dirname, '..');
const parsed = parseCli(
  'usage: npm run bench:api -- [--accounts N] [--seconds S] [--connections N] [--rounds N] [--db FILE]',
  {
    accounts: { type: 'string' },
    seconds: { type: 'string' },
    connections: { type: 'string' },
    rounds: { type: 'string' },
    /** an existing serving database to use instead of building one */
    db: { type: 'string' },
    // internal: the load generator and the floor server, forked by this script
    load: { type: 'string' },
    floor: { type: 'string' },
  },
);
if ('exitCode' in parsed) process.exit(parsed.exitCode);
const { values } = parsed;

/** The floor server: the least a Hono + better-sqlite3 endpoint does (no middleware, no cache). */
async function floor(spec: { port: number; db: string }) {
  const { serve } = await import('@hono/node-server');
  const { Hono } = await import('hono');
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(spec.db, { readonly: true });
  const stmt = db.prepare(FLOOR_SQL);
  const app = new Hono().get('/floor/:id', (c) => c.json(stmt.all(c.req.param('id'))));
  serve({ fetch: app.fetch, port: spec.port, hostname: '127.0.0.1' }, () => process.send!('ready'));
}

/** CPU seconds (user + system) a process has used so far (Linux; 0 elsewhere). */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of /proc/PID/stat, in clock ticks (100 per second)
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

interface LoadResult {
  path: string;
  requests: number;
  errors: number;
  seconds: number;
  p50: number;
  p99: number;
  max: number;
  bytes: number;
  /** CPU seconds the server used during the run (when measured) */
  cpu?: number;
}

/** The load generator: runs in its own process so it does not share the server's event loop. */
async function load(spec: {
  port: number;
  paths: string[];
  seconds: number;
  connections: number;
  label: string;
}) {
  const agent = new Agent({ keepAlive: true, maxSockets: spec.connections });
  const latencies: number[] = [];
  let errors = 0;
  let bytes = 0;
  const end = performance.now() + spec.seconds * 1000;
  let i = 0;
  const one = () =>
    new Promise<void>((done) => {
      const path = spec.paths[i++ % spec.paths.length]!;
      const t = performance.now();
      request(
        { host: '127.0.0.1', port: spec.port, path, agent, headers: { 'accept-encoding': 'gzip' } },
        (res) => {
          res.on('data', (c: Buffer) => {
            bytes += c.length;
          });
          res.on('end', () => {
            if (res.statusCode !== 200) errors++;
            latencies.push(performance.now() - t);
            done();
          });
        },
      )
        .on('error', () => {
          errors++;
          done();
        })
        .end();
    });
  const worker = async () => {
    while (performance.now() < end) await one();
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: spec.connections }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  const result: LoadResult = {
    path: spec.label,
    requests: latencies.length,
    errors,
    seconds,
    p50: q(0.5),
    p99: q(0.99),
    max: latencies.at(-1) ?? 0,
    bytes,
  };
  process.send!(result);
  agent.destroy();
}

async function main() {
  if (values.load) return load(JSON.parse(values.load));
  if (values.floor) return floor(JSON.parse(values.floor));
  const accounts = intOption('accounts', values.accounts, 10000);
  const seconds = decimalOption('seconds', values.seconds, 10);
  const connections = intOption('connections', values.connections, 32);
  const rounds = intOption('rounds', values.rounds, 2);
  if (accounts === null || seconds === null || connections === null || rounds === null) process.exit(2);
  const db = await benchAccountsDb(
    ROOT,
    accounts,
    values.db === undefined ? undefined : fromCaller(values.db),
  );
  const port = 8779;
  const floorPort = 8778;
  const server: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'scripts', 'start.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        COCKPIT_DB: db,
        COCKPIT_PROSPECTS_DB: join(dirname(db), 'prospects.db'),
        COCKPIT_SKIP_WEB_BUILD: '1',
      },
      stdio: 'ignore',
    },
  );
  const floorServer = fork(import.meta.filename, ['--floor', JSON.stringify({ port: floorPort, db })], {
    execArgv: ['--import', 'tsx'],
    stdio: 'ignore',
  });
  try {
    await new Promise((res, rej) => {
      floorServer.once('message', res);
      floorServer.once('exit', () => rej(new Error('floor server exited')));
    });
    for (let t = 0; ; t++) {
      const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (t > 120) throw new Error('server did not start');
      await new Promise((r) => setTimeout(r, 500));
    }
    const list = (await (await fetch(`http://127.0.0.1:${port}/api/accounts`)).json()) as {
      accounts: { id: string }[];
    };
    const ids = list.accounts.map((a) => a.id);
    const sample = ids.slice(0, 2000);
    console.log(
      `${ids.length.toLocaleString('en-US')} accounts; ${connections} connections, ${seconds} s per endpoint (the account endpoint and the floor: ${rounds} alternating rounds of ${seconds} s each)\n`,
    );
    const measure = async (p: number, paths: string[], label: string, secs: number, pid?: number) => {
      // warm-up request so caches (prepared statements, the portfolio JSON) are built
      await fetch(`http://127.0.0.1:${p}${paths[0]}`);
      const cpu0 = pid === undefined ? 0 : cpuSeconds(pid);
      const child = fork(
        import.meta.filename,
        ['--load', JSON.stringify({ port: p, paths, seconds: secs, connections, label })],
        { execArgv: ['--import', 'tsx'] },
      );
      const r = await new Promise<LoadResult>((res) => child.once('message', (m) => res(m as LoadResult)));
      return pid === undefined ? r : { ...r, cpu: cpuSeconds(pid) - cpu0 };
    };
    const row = (r: LoadResult) =>
      `| ${r.path} | ${Math.round(r.requests / r.seconds).toLocaleString('en-US')} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.max.toFixed(1)} | ${r.errors} | ${(r.bytes / r.seconds / 1e6).toFixed(1)} |`;
    const accountLabel = 'GET /api/accounts/:id (random ids)';
    const floorLabel = 'floor: minimal Hono + better-sqlite3, 12-row query, c.json';
    const account: LoadResult[] = [];
    const floorRuns: LoadResult[] = [];
    for (let i = 0; i < rounds; i++) {
      account.push(
        await measure(
          port,
          sample.map((id) => `/api/accounts/${id}`),
          accountLabel,
          seconds,
          server.pid,
        ),
      );
      floorRuns.push(
        await measure(
          floorPort,
          sample.map((id) => `/floor/${id}`),
          floorLabel,
          seconds,
          floorServer.pid,
        ),
      );
    }
    const others = [
      await measure(port, ['/api/accounts'], 'GET /api/accounts (all, gzip)', seconds),
      await measure(port, ['/api/accounts?view=triage'], 'GET /api/accounts?view=triage (gzip)', seconds),
      await measure(port, ['/api/health'], 'GET /api/health', seconds),
    ];
    console.log('| endpoint | requests/s | p50 (ms) | p99 (ms) | max (ms) | errors | MB/s |');
    console.log('|---|---:|---:|---:|---:|---:|---:|');
    const merged = (runs: LoadResult[]): LoadResult => {
      const worst = (k: 'p50' | 'p99' | 'max') => Math.max(...runs.map((r) => r[k]));
      return {
        path: runs[0]!.path,
        requests: runs.reduce((s, r) => s + r.requests, 0),
        errors: runs.reduce((s, r) => s + r.errors, 0),
        seconds: runs.reduce((s, r) => s + r.seconds, 0),
        bytes: runs.reduce((s, r) => s + r.bytes, 0),
        // percentiles of the merged rounds are not kept: the worst round's is shown
        p50: worst('p50'),
        p99: worst('p99'),
        max: worst('max'),
      };
    };
    const a = merged(account);
    const f = merged(floorRuns);
    for (const r of [a, f, ...others]) console.log(row(r));
    const rate = (r: LoadResult) => r.requests / r.seconds;
    const ratios = account.map((r, i) => rate(r) / rate(floorRuns[i]!));
    const median = [...ratios].sort((x, y) => x - y)[Math.floor((ratios.length - 1) / 2)]!;
    console.log(
      `\naccount endpoint / floor, requests/s: ${(rate(a) / rate(f)).toFixed(2)}× over all rounds (${Math.round(rate(a)).toLocaleString('en-US')} vs ${Math.round(rate(f)).toLocaleString('en-US')} req/s); per round ${ratios.map((x) => x.toFixed(2)).join(', ')}, median ${median.toFixed(2)}×; bar ≥ 0.80×`,
    );
    // CPU time the server process spent per request: steadier than requests/s on a shared machine
    const cpuPer = (runs: LoadResult[]) =>
      (runs.reduce((s, r) => s + (r.cpu ?? 0), 0) / runs.reduce((s, r) => s + r.requests, 0)) * 1e6;
    if (process.platform === 'linux')
      console.log(
        `server CPU per request: account endpoint ${cpuPer(account).toFixed(0)} µs, floor ${cpuPer(floorRuns).toFixed(0)} µs → floor/account ${(cpuPer(floorRuns) / cpuPer(account)).toFixed(2)}× (the throughput ratio a CPU-bound server would reach)`,
      );
    console.log(
      `account endpoint p99 at ${connections} connections: ${a.p99.toFixed(2)} ms (worst round); bar ≤ 10 ms`,
    );
  } finally {
    server.kill();
    floorServer.kill();
  }
}

await main();
