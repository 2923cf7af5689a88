/**
 * The distributed map (issue 12 item 2): the pipeline with `--queue` and two `npm run worker`
 * processes builds exactly the database the embedded pipeline builds; a worker stopped and killed
 * in the middle of a job has the job retried by the other worker, and nothing is counted twice.
 *
 * Starts its own redis-server on a free port (no persistence). Without redis-server on PATH the
 * suite is skipped with a message, except under CI (`CI` set, as .ci/run does), where it fails.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE_NAME } from '../scripts/pipeline/queue.ts';
import { runPipeline } from '../scripts/pipeline/run.ts';
import { testData, writeBundle } from './append-data.ts';
import { type DbSnapshot, diffSnapshots, snapshot } from './append-snapshot.ts';
import { tempDir } from './helpers.ts';

const ROOT = join(import.meta.dirname, '..');

function onPath(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const haveRedis = onPath('redis-server');
if (!haveRedis && !process.env.CI)
  console.warn(
    'tests/queue.test.ts skipped: redis-server is not installed (apt-get install -y redis-server)',
  );
const suite = haveRedis || process.env.CI ? describe : describe.skip;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A child process whose output lines are kept and can be waited for. */
class Proc {
  readonly lines: string[] = [];
  private waiters: { test: (l: string) => boolean; resolve: (l: string) => void }[] = [];
  constructor(readonly child: ChildProcess) {
    let buffered = '';
    const take = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let nl = buffered.indexOf('\n');
      while (nl !== -1) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        this.lines.push(line);
        this.waiters = this.waiters.filter((w) => {
          if (!w.test(line)) return true;
          w.resolve(line);
          return false;
        });
        nl = buffered.indexOf('\n');
      }
    };
    child.stdout?.on('data', take);
    child.stderr?.on('data', take);
  }
  /** the first line from now on (or already seen, when `seen`) that passes `test` */
  waitFor(test: (l: string) => boolean, ms = 60_000, seen = true): Promise<string> {
    const old = seen ? this.lines.find(test) : undefined;
    if (old) return Promise.resolve(old);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out waiting for a line; got:\n${this.lines.slice(-20).join('\n')}`)),
        ms,
      );
      this.waiters.push({
        test,
        resolve: (l) => {
          clearTimeout(timer);
          resolve(l);
        },
      });
    });
  }
  kill(signal: NodeJS.Signals = 'SIGTERM') {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }
  /** asks the process to stop and waits until it has */
  async stop() {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    await exited;
  }
}

suite('the pipeline on a BullMQ queue (--queue) with npm run worker processes', () => {
  let redis: Proc;
  let url: string;
  let root: string;
  let bundle: string;
  let embedded: DbSnapshot;
  const workers: Proc[] = [];

  const startWorker = async () => {
    const w = new Proc(
      spawn(process.execPath, ['--import', 'tsx', 'scripts/worker.ts', '--queue', url, '--lock-ms', '4000'], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    workers.push(w);
    await w.waitFor((l) => l.includes(' ready on '));
    return w;
  };

  beforeAll(async () => {
    if (!haveRedis)
      throw new Error(
        'redis-server is not installed, and CI is set: .ci/run installs it (apt-get install -y redis-server)',
      );
    const port = await freePort();
    url = `redis://127.0.0.1:${port}`;
    redis = new Proc(
      spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      ),
    );
    await redis.waitFor((l) => l.includes('Ready to accept connections'), 15_000);
    root = tempDir('cockpit-queue-');
    const data = testData({ conversations: 3000 });
    bundle = writeBundle(join(root, 'bundle'), data, data.conversations);
    const db = join(root, 'embedded.db');
    await runPipeline({ input: bundle, db, workers: 0, log: () => {} });
    embedded = snapshot(db);
  }, 120_000);

  afterAll(async () => {
    for (const w of workers) w.kill('SIGKILL');
    redis?.kill('SIGKILL');
  });

  it('two workers build exactly the embedded database', async () => {
    const [a, b] = [await startWorker(), await startWorker()];
    try {
      const log: string[] = [];
      const db = join(root, 'queued.db');
      // small blocks: about 30 jobs, so both workers take some
      await runPipeline({ input: bundle, db, queue: url, blockBytes: 40_000, log: (m) => log.push(m) });
      expect(diffSnapshots(embedded, snapshot(db))).toEqual([]);
      expect(log.find((l) => l.startsWith('queue: '))).toMatch(/^queue: [1-9]\d+ jobs, /);
      for (const w of [a, b]) expect(w.lines.filter((l) => l.startsWith('done ')).length).toBeGreaterThan(0);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  }, 120_000);

  it('--append through the queue equals the embedded --append, revised conversations included', async () => {
    const worker = await startWorker();
    try {
      const data = testData({ conversations: 2000 });
      // Day N: the last 100 conversations, and new versions, reopened, of the 100 newest before
      // them (the likeliest to be held as examples while resolved). Each new version comes with
      // three newer unresolved conversations of its account and leaf, so in its own block it is
      // not among the best examples: only dropping every superseded id keeps the old, resolved
      // version from staying an example.
      const lastDay = (JSON.parse(data.conversations.at(-1)!) as { createdAt: string }).createdAt;
      const revised = data.conversations.slice(1800, 1900).flatMap((l) => {
        const c = JSON.parse(l) as { id: string };
        return [
          { ...c, reopened: true },
          ...[1, 2, 3].map((k) => ({ ...c, id: `${c.id}-n${k}`, createdAt: lastDay, reopened: true })),
        ].map((v) => `${JSON.stringify(v)}\n`);
      });
      const before = writeBundle(join(root, 'append-base'), data, data.conversations.slice(0, 1900));
      const day = writeBundle(join(root, 'append-day'), data, [
        ...data.conversations.slice(1900),
        ...revised,
      ]);
      const embeddedDb = join(root, 'append-embedded.db');
      const queuedDb = join(root, 'append-queued.db');
      await runPipeline({ input: before, db: embeddedDb, workers: 0, log: () => {} });
      copyFileSync(embeddedDb, queuedDb);
      await runPipeline({ input: day, db: embeddedDb, append: true, workers: 0, log: () => {} });
      await runPipeline({
        input: day,
        db: queuedDb,
        append: true,
        queue: url,
        blockBytes: 20_000,
        log: () => {},
      });
      expect(diffSnapshots(snapshot(embeddedDb), snapshot(queuedDb))).toEqual([]);
    } finally {
      await worker.stop();
    }
  }, 120_000);

  it('a worker killed mid-job: the job is retried by another worker and counted once', async () => {
    const victim = await startWorker();
    const log: string[] = [];
    const db = join(root, 'killed.db');
    const run = runPipeline({ input: bundle, db, queue: url, blockBytes: 40_000, log: (m) => log.push(m) });
    // Freeze the victim inside a job (SIGSTOP right after it says it started one, checked against
    // the queue: the job must still be active), then kill it: it dies holding the job's lock.
    const queue = new Queue(QUEUE_NAME, { connection: { url } });
    let held: string | null = null;
    for (let attempt = 0; attempt < 20 && held === null; attempt++) {
      const line = await victim.waitFor((l) => l.startsWith('started '), 60_000, false);
      victim.kill('SIGSTOP');
      const jobId = line.slice('started '.length);
      if ((await queue.getJobState(jobId)) === 'active') held = jobId;
      else victim.kill('SIGCONT');
    }
    await queue.close();
    expect(held).not.toBeNull();
    victim.kill('SIGKILL');
    const rescuer = await startWorker();
    try {
      await run;
      expect(diffSnapshots(embedded, snapshot(db))).toEqual([]);
      // the held job went back to the queue and the other worker ran it
      expect(log.some((l) => l.includes(`job ${held} stalled`))).toBe(true);
      expect(rescuer.lines).toContain(`started ${held}`);
      expect(log.find((l) => l.startsWith('queue: '))).toMatch(/ [1-9]\d* stalled job\(s\) retried$/);
    } finally {
      await rescuer.stop();
    }
  }, 180_000);

  it('without a worker the run fails in one line and leaves no database', async () => {
    const db = join(root, 'nobody.db');
    await expect(
      runPipeline({ input: bundle, db, queue: url, queueIdleTimeoutMs: 2_000, log: () => {} }),
    ).rejects.toThrow(
      `no queue worker finished a job in 2 s: start workers with npm run worker -- --queue ${url}; the database was not changed`,
    );
    expect(() => snapshot(db)).toThrow();
  }, 60_000);
});
