/**
 * `npm run worker -- --queue redis://HOST:PORT [--concurrency N] [--lock-ms MS]`: a stateless
 * worker of the distributed pipeline (docs/scale.md). It takes map jobs from the queue — blocks of
 * conversation lines queued by `npm run pipeline -- … --queue URL` — and returns each block's rows,
 * rejects and samples. It keeps nothing between jobs but the classifier model and each run's
 * settings, so any number can run on any machine with the same version of Cockpit, and one that
 * dies mid-job costs a retry, not a result.
 */
import { setFlagsFromString } from 'node:v8';
import { UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { parseCli } from './cli.ts';
import type { PipelineError } from './pipeline/errors.ts';
import {
  type MapJobData,
  type MapJobDone,
  QUEUE_NAME,
  queueConnection,
  type RunSettings,
  resultKey,
  runKey,
  runMapJob,
  settingsMismatch,
} from './pipeline/queue.ts';
import { BUILD_HEAP_GROWING_PERCENT } from './pipeline/run.ts';

const USAGE = 'usage: npm run worker -- --queue redis://HOST:PORT [--concurrency N] [--lock-ms MS]';
/** A worker that cannot reach Redis at start says why and ends, as the pipeline's coordinator does. */
const CONNECT_TIMEOUT_MS = 10_000;

async function main(): Promise<number> {
  const parsed = parseCli(
    USAGE,
    { queue: { type: 'string' }, concurrency: { type: 'string' }, 'lock-ms': { type: 'string' } },
    ['queue'],
  );
  if ('exitCode' in parsed) return parsed.exitCode;
  const url = parsed.values.queue!;
  // One job at a time by default: mapping is CPU-bound, so run one worker process per core.
  const concurrency = Number(parsed.values.concurrency ?? 1);
  // How long a job's lock lasts without renewal: a worker that stops is noticed after about this.
  const lockMs = Number(parsed.values['lock-ms'] ?? 30_000);
  if (!Number.isInteger(concurrency) || concurrency < 1 || !Number.isInteger(lockMs) || lockMs < 500) {
    console.error(`--concurrency must be a whole number ≥ 1 and --lock-ms ≥ 500\n${USAGE}`);
    return 2;
  }
  let connection: ReturnType<typeof queueConnection>;
  try {
    connection = queueConnection(url);
  } catch (err) {
    console.error((err as PipelineError).message);
    return 2;
  }
  // A worker does nothing but map jobs, which allocate short-lived rows at a steady rate: the heap
  // is kept close to the live data, as an embedded build keeps it (scripts/pipeline/run.ts).
  setFlagsFromString(`--heap-growing-percent=${BUILD_HEAP_GROWING_PERCENT}`);
  const store = new Redis(url, { maxRetriesPerRequest: null });
  // Until Redis has answered once, a connection error is the reason to give up with, said once;
  // afterwards each is logged on one line (Redis restarting: the worker reconnects).
  let ready = false;
  let lastError: string | null = null;
  const onError = (err: Error) => {
    if (ready) console.error(`worker: ${err.message}`);
    else lastError = err.message;
  };
  store.on('error', onError);
  const runs = new Map<string, { settings: RunSettings; accountIds: Set<string> }>();
  const settingsOf = async (run: string) => {
    const known = runs.get(run);
    if (known) return known;
    const text = await store.get(runKey(run));
    // The coordinator removes a run's settings when it ends: its leftover jobs are not worth doing.
    if (text === null) throw new UnrecoverableError(`run ${run} is over (its coordinator stopped)`);
    const settings = JSON.parse(text) as RunSettings;
    const mismatch = settingsMismatch(settings);
    if (mismatch) throw new UnrecoverableError(mismatch);
    const entry = { settings, accountIds: new Set(settings.accountIds) };
    runs.clear(); // one run at a time is the usual case; do not let old account lists pile up
    runs.set(run, entry);
    return entry;
  };

  const worker = new Worker<MapJobData, MapJobDone>(
    QUEUE_NAME,
    async (job) => {
      const { settings, accountIds } = await settingsOf(job.data.run);
      console.log(`started ${job.id}`);
      const result = await runMapJob(settings, accountIds, job.data);
      console.log(
        `done ${job.id}: ${result.rows.length} rows, ${result.rejects.length} rejects in ${result.ms.toFixed(0)} ms`,
      );
      const key = resultKey(job.id!);
      await store.set(key, JSON.stringify(result), 'EX', 7 * 86_400);
      return { seq: result.seq, resultKey: key };
    },
    {
      connection,
      concurrency,
      lockDuration: lockMs,
      stalledInterval: lockMs,
      // a job whose workers keep dying is failed after this many stalls, and the run with it
      maxStalledCount: 3,
    },
  );
  worker.on('failed', (job, err) => console.error(`failed ${job?.id}: ${err.message}`));
  worker.on('error', onError);
  const answered = await Promise.race([
    worker.waitUntilReady().then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), CONNECT_TIMEOUT_MS).unref()),
  ]);
  if (!answered) {
    // connection errors: nothing is listening there; none: Redis is there but still starting (LOADING)
    if (lastError !== null) {
      console.error(
        `worker: Redis at ${url} did not answer in ${CONNECT_TIMEOUT_MS / 1000} s (${lastError})`,
      );
      process.exit(1);
    }
    console.log(`worker: Redis at ${url} is not ready yet; waiting`);
    await worker.waitUntilReady();
  }
  ready = true;
  console.log(`worker ${process.pid} ready on ${url} (queue ${QUEUE_NAME}, concurrency ${concurrency})`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    // under npm the shell between npm and this process dies on npm's SIGTERM without passing it on:
    // the parent's going is the signal (an orphaned worker went on taking jobs); only under npm, as
    // a worker started with nohup from a script is meant to stay
    if (process.env.npm_lifecycle_event === 'worker') {
      const parent = process.ppid;
      setInterval(() => {
        if (process.ppid !== parent) stop();
      }, 500).unref();
    }
  });
  // Finish the job in hand, then leave: nothing is lost, nothing is left locked.
  await worker.close();
  store.disconnect();
  return 0;
}

process.exitCode = await main();
