/**
 * API benchmark (SPEC §7): latency percentiles and requests/s for the accounts and account
 * endpoints on a database of 10,000 accounts, under concurrent load from a separate process.
 *
 *   npm run bench:api [-- --accounts 10000 --seconds 10 --connections 32]
 *
 * Builds the database once into .tmp/bench-api/ (demo generator, small volumes per account).
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateDemoBundle } from './demo/generate.ts';
import { runPipeline } from './pipeline/run.ts';

const ROOT = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    load: { type: 'string' },
  },
});

interface LoadResult {
  path: string;
  requests: number;
  errors: number;
  seconds: number;
  p50: number;
  p99: number;
  max: number;
  bytes: number;
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
  const accounts = Number(values.accounts);
  const dir = join(ROOT, '.tmp', 'bench-api', `a${accounts}`);
  const db = join(dir, 'cockpit.db');
  if (!existsSync(db)) {
    console.log(`building a ${accounts}-account database in ${dir} (once)…`);
    await generateDemoBundle({ accounts, months: 6, outDir: dir, volumeScale: 0.05 });
    await runPipeline({ input: dir, db, log: () => {} });
  }
  const port = 8779;
  const server: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'scripts', 'start.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        COCKPIT_DB: db,
        COCKPIT_PROSPECTS_DB: join(dir, 'prospects.db'),
        COCKPIT_SKIP_WEB_BUILD: '1',
      },
      stdio: 'ignore',
    },
  );
  try {
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
    console.log(
      `${ids.length.toLocaleString('en-US')} accounts; ${values.connections} connections, ${values.seconds} s per endpoint\n`,
    );
    const runs = [
      {
        label: 'GET /api/accounts/:id (random ids)',
        paths: ids.slice(0, 2000).map((id) => `/api/accounts/${id}`),
      },
      { label: 'GET /api/accounts (all, gzip)', paths: ['/api/accounts'] },
      { label: 'GET /api/health', paths: ['/api/health'] },
    ];
    console.log('| endpoint | requests/s | p50 (ms) | p99 (ms) | max (ms) | errors | MB/s |');
    console.log('|---|---:|---:|---:|---:|---:|---:|');
    for (const run of runs) {
      // warm-up pass so caches (prepared statements, the portfolio JSON) are built
      await fetch(`http://127.0.0.1:${port}${run.paths[0]}`);
      const child = fork(
        import.meta.filename,
        [
          '--load',
          JSON.stringify({
            port,
            paths: run.paths,
            seconds: Number(values.seconds),
            connections: Number(values.connections),
            label: run.label,
          }),
        ],
        {
          execArgv: ['--import', 'tsx'],
        },
      );
      const r = await new Promise<LoadResult>((res) => child.once('message', (m) => res(m as LoadResult)));
      console.log(
        `| ${r.path} | ${Math.round(r.requests / r.seconds).toLocaleString('en-US')} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.max.toFixed(1)} | ${r.errors} | ${(r.bytes / r.seconds / 1e6).toFixed(1)} |`,
      );
    }
  } finally {
    server.kill();
  }
}

await main();
