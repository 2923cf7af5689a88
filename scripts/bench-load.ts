/**
 * Load with uploads in flight (issue 11): while prospect estimates stream in, the server must keep
 * answering — no 5xx, `/api/health` quick. Starts `npm start` on a spare port (the demo database),
 * uploads `--uploads` generated exports of `--conversations` records at once, and meanwhile polls
 * `/api/health` and reads `/api/accounts` and an account from `--readers` connections.
 *
 *   npm run bench:load [-- --uploads 2 --conversations 200000 --readers 8]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { intOption, parseCli } from './cli.ts';

const ROOT = resolve(import.meta.dirname, '..');

function settings() {
  const parsed = parseCli(
    'usage: npm run bench:load -- [--uploads N] [--conversations N] [--readers N] [--port N]',
    {
      uploads: { type: 'string' },
      conversations: { type: 'string' },
      readers: { type: 'string' },
      port: { type: 'string' },
    },
  );
  if ('exitCode' in parsed) process.exit(parsed.exitCode);
  const { values } = parsed;
  const port = intOption('port', values.port, 8791, { max: 65535 });
  const uploads = intOption('uploads', values.uploads, 2);
  const conversations = intOption('conversations', values.conversations, 200000);
  const readers = intOption('readers', values.readers, 8, { min: 0 });
  if (port === null || uploads === null || conversations === null || readers === null) process.exit(2);
  return { port, uploads, conversations, readers };
}
const { port: PORT, uploads: UPLOADS, conversations: CONVERSATIONS, readers: READERS } = settings();
const agent = new Agent({ keepAlive: true, maxSockets: READERS + 4 });

const TEXTS = [
  'Where is my order? The tracking page has not changed since Monday.',
  'I would like a refund for the jacket, it arrived torn.',
  'How do I change the email address on my account?',
  'Can you cancel my subscription before the next renewal?',
  'The app crashes every time I open the settings page.',
  'What are your delivery times to Ireland?',
];

function* exportLines(n: number, seed: number): Generator<string> {
  for (let i = 0; i < n; i++) {
    const day = String((i % 27) + 1).padStart(2, '0');
    const month = String((Math.floor(i / 27) % 9) + 1).padStart(2, '0');
    yield `${JSON.stringify({
      id: `u${seed}-${i}`,
      createdAt: `2026-${month}-${day}T10:00:00Z`,
      channel: 'chat',
      aiInvolved: false,
      messages: [{ role: 'customer', text: `${TEXTS[(i + seed) % TEXTS.length]} (order ${i})` }],
    })}\n`;
  }
}

function get(path: string): Promise<{ status: number; ms: number }> {
  const t = performance.now();
  return new Promise((done) => {
    request({ host: '127.0.0.1', port: PORT, path, agent }, (res) => {
      res.resume();
      res.on('end', () => done({ status: res.statusCode ?? 0, ms: performance.now() - t }));
    })
      .on('error', () => done({ status: 0, ms: performance.now() - t }))
      .end();
  });
}

function upload(seed: number): Promise<{ status: string; seconds: number }> {
  const t = performance.now();
  return new Promise((done) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: PORT,
        path: `/api/estimate?name=load-${seed}`,
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
      },
      (res) => {
        let last = '';
        res.on('data', (c: Buffer) => {
          last = (last + c.toString()).split('\n').slice(-2).join('\n');
        });
        res.on('end', () => {
          const line = last.trim().split('\n').at(-1) ?? '';
          const type = line ? (JSON.parse(line) as { type: string; status?: number }) : { type: '?' };
          done({
            status: `${res.statusCode} ${type.type}${type.status ? ` ${type.status}` : ''}`,
            seconds: (performance.now() - t) / 1000,
          });
        });
      },
    );
    req.on('error', (e) => done({ status: `error ${e.message}`, seconds: (performance.now() - t) / 1000 }));
    Readable.from(exportLines(CONVERSATIONS, seed)).pipe(req);
  });
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : Number.NaN;
};

async function main() {
  const server: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(PORT),
      COCKPIT_SKIP_WEB_BUILD: '1',
      COCKPIT_PROSPECTS_DB: ':memory:',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    for (let i = 0; ; i++) {
      if ((await get('/api/health')).status === 200) break;
      if (i > 600) throw new Error('the server did not start');
      await new Promise((r) => setTimeout(r, 500));
    }
    const accounts = (await new Promise<string>((done) => {
      request({ host: '127.0.0.1', port: PORT, path: '/api/accounts?status=customer', agent }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => {
          body += c.toString();
        });
        res.on('end', () => done(body));
      }).end();
    })) as string;
    const firstId = (JSON.parse(accounts) as { accounts: { id: string }[] }).accounts[0]!.id;

    const health: number[] = [];
    const reads: number[] = [];
    const statuses = new Map<number, number>();
    const count = (s: number) => statuses.set(s, (statuses.get(s) ?? 0) + 1);
    let running = true;
    const uploads = Promise.all(Array.from({ length: UPLOADS }, (_, i) => upload(i + 1))).finally(() => {
      running = false;
    });
    const poller = (async () => {
      while (running) {
        const r = await get('/api/health');
        count(r.status);
        health.push(r.ms);
        await new Promise((res) => setTimeout(res, 20));
      }
    })();
    const readers = Array.from({ length: READERS }, async (_, i) => {
      while (running) {
        const r = await get(i % 2 === 0 ? '/api/accounts' : `/api/accounts/${firstId}`);
        count(r.status);
        reads.push(r.ms);
      }
    });
    const done = await uploads;
    await Promise.all([poller, ...readers]);
    const fivexx = [...statuses.entries()]
      .filter(([s]) => s >= 500 || s === 0)
      .reduce((n, [, c]) => n + c, 0);
    console.log(`uploads: ${done.map((u) => `${u.status} in ${u.seconds.toFixed(1)} s`).join('; ')}`);
    console.log('| requests | n | p50 ms | p99 ms | max ms |');
    console.log('|---|---:|---:|---:|---:|');
    console.log(
      `| /api/health | ${health.length} | ${pct(health, 50).toFixed(1)} | ${pct(health, 99).toFixed(1)} | ${Math.max(...health).toFixed(1)} |`,
    );
    console.log(
      `| accounts, account | ${reads.length} | ${pct(reads, 50).toFixed(1)} | ${pct(reads, 99).toFixed(1)} | ${Math.max(...reads).toFixed(1)} |`,
    );
    console.log(
      `statuses: ${[...statuses.entries()].map(([s, n]) => `${s}×${n}`).join(', ')}; 5xx or failed: ${fivexx}`,
    );
    process.exitCode = fivexx > 0 ? 1 : 0;
  } finally {
    server.kill('SIGTERM');
    agent.destroy();
  }
}

await main();
