/**
 * The conversation pass spread over machines (`--queue redis://HOST:PORT`): this process reads
 * the input in blocks of whole lines and queues each block as a BullMQ job; stateless workers
 * (`npm run worker`, any number, on any machine) parse, validate, classify and score it; this
 * process takes the results back in input order and writes them, exactly as the embedded paths do
 * (so the last of duplicated ids still wins and rowids are the same). Everything after the pass
 * (aggregates, model, serving tables) runs here, on the rows written.
 */
import { randomUUID } from 'node:crypto';
import { type Job, Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { PipelineError } from './errors.ts';
import type { IngestOptions, IngestResult } from './ingest.ts';
import { BlockMerge, conversationWriter } from './ingest.ts';
import { readLineBlocks, splitLineBlock } from './lines.ts';
import {
  currentRunSettings,
  type MapJobData,
  type MapJobDone,
  type MapJobResult,
  QUEUE_NAME,
  queueConnection,
  resultKey,
  runKey,
} from './queue.ts';

const BLOCK_BYTES = 1 << 20;
/**
 * Blocks queued ahead of the one being written: enough to keep a dozen workers busy, few enough
 * to bound Redis memory (~1.4 MB a job) and ours (results waiting to be written).
 */
const JOBS_AHEAD = 16;
/** Attempts per job: a job whose worker dies is retried (BullMQ's stalled-job check), then these. */
const ATTEMPTS = 3;

export interface QueueIngestOptions extends IngestOptions {
  queue: string;
  blockBytes?: number;
  /** fail when no job of the run finishes for this long (no worker running?); default 120 s */
  idleTimeoutMs?: number;
  /** fail when Redis has not answered in this long; default 10 s */
  connectTimeoutMs?: number;
  log: (msg: string) => void;
}

export interface QueueStats {
  jobs: number;
  /** summed time workers spent mapping blocks */
  workerSeconds: number;
  /** time this process spent writing results (the merge) */
  writeSeconds: number;
  /** jobs that went back to the queue because their worker stopped */
  stalled: number;
}

export async function ingestConversationsQueued(
  opts: QueueIngestOptions,
): Promise<IngestResult & { queue: QueueStats }> {
  const { path, rejects, samples, log } = opts;
  const connection = queueConnection(opts.queue);
  const run = randomUUID();
  // A short events stream: it only carries job ids and result keys (results wait beside the queue).
  const queue = new Queue<MapJobData, MapJobDone>(QUEUE_NAME, {
    connection,
    streams: { events: { maxLen: 1000 } },
  });
  const events = new QueueEvents(QUEUE_NAME, { connection });
  // the run's settings and the jobs' results are plain keys beside the queue
  const store = new Redis(opts.queue, { lazyConnect: true, maxRetriesPerRequest: 2 });
  const idleTimeoutMs = opts.idleTimeoutMs ?? 120_000;
  const connectTimeoutMs = opts.connectTimeoutMs ?? 10_000;
  const stats: QueueStats = { jobs: 0, workerSeconds: 0, writeSeconds: 0, stalled: 0 };
  const jobs = new Map<number, Job<MapJobData, MapJobDone>>();
  let lastFinished = Date.now();
  const mine = (jobId: string) => jobId.startsWith(`${run}-`);
  // Connection errors are the reason of a failed run, said once: as unhandled events they printed
  // a stack trace for every reconnection attempt.
  let connectionError: string | null = null;
  const onError = (err: Error) => {
    connectionError = err.message;
  };
  queue.on('error', onError);
  events.on('error', onError);
  store.on('error', onError);
  events.on('completed', ({ jobId }) => {
    if (mine(jobId)) lastFinished = Date.now();
  });
  events.on('stalled', ({ jobId }) => {
    if (!mine(jobId)) return;
    stats.stalled++;
    log(`  queue: job ${jobId} stalled (its worker stopped); it goes back to the queue and runs again`);
  });
  let connected = false;
  try {
    await Promise.race([
      Promise.all([queue.waitUntilReady(), events.waitUntilReady()]).then(() => {
        connected = true;
      }),
      new Promise((_, reject) =>
        setTimeout(
          () =>
            reject(
              new PipelineError(
                `--queue ${opts.queue}: Redis did not answer in ${connectTimeoutMs / 1000} s${connectionError ? ` (${connectionError})` : ''}`,
              ),
            ),
          connectTimeoutMs,
        ).unref(),
      ),
    ]);
    await store.set(
      runKey(run),
      JSON.stringify(currentRunSettings(opts.accountIds, opts.window)),
      'EX',
      7 * 86_400,
    );
    log(`  queue: run ${run} on ${opts.queue} (queue ${QUEUE_NAME})`);

    const writer = conversationWriter(opts);
    let lines = 0;
    let sent = 0;
    let written = 0;
    const merged = new BlockMerge(samples);

    const idle = () =>
      new Promise<never>((_, reject) => {
        const timer = setInterval(() => {
          if (Date.now() - lastFinished < idleTimeoutMs) return;
          clearInterval(timer);
          reject(
            new PipelineError(
              `no queue worker finished a job in ${Math.round(idleTimeoutMs / 1000)} s: start workers with npm run worker -- --queue ${opts.queue}; the database was not changed`,
            ),
          );
        }, 500);
        timer.unref();
      });
    const apply = async () => {
      const job = jobs.get(written)!;
      try {
        await Promise.race([job.waitUntilFinished(events), idle()]);
      } catch (err) {
        if (err instanceof PipelineError) throw err;
        throw new PipelineError(
          `queue job ${job.id} failed after ${ATTEMPTS} attempts: ${(err as Error).message}`,
        );
      }
      const text = await store.get(resultKey(job.id!));
      if (text === null)
        throw new PipelineError(`queue job ${job.id} finished but its result is gone from Redis`);
      const result = JSON.parse(text) as MapJobResult;
      // A job's result is taken once, by its block number: a retry can replace it, never add to it.
      if (result.seq !== written)
        throw new PipelineError(`queue job ${job.id} answered for block ${result.seq}`);
      const started = performance.now();
      for (const r of result.rejects) rejects.add(path, r.line, r.reason, r.text);
      writer.write(result.rows);
      merged.add(result);
      stats.writeSeconds += (performance.now() - started) / 1000;
      stats.workerSeconds += result.ms / 1000;
      jobs.delete(written);
      written++;
      await Promise.all([job.remove().catch(() => {}), store.del(resultKey(job.id!)).catch(() => {})]);
      opts.onProgress?.(lines);
    };

    const blockBytes = opts.blockBytes ?? BLOCK_BYTES;
    for await (const read of readLineBlocks(path, blockBytes, undefined, opts.rawHash))
      for (const block of splitLineBlock(read, blockBytes)) {
        lines += block.lines;
        const data: MapJobData = {
          run,
          seq: sent,
          firstLine: block.firstLine,
          bytes: block.bytes.toString('base64'),
          ...(block.oversize !== undefined && { oversize: block.oversize }),
        };
        const job = await queue.add('map', data, {
          jobId: `${run}-${sent}`,
          attempts: ATTEMPTS,
          backoff: { type: 'fixed', delay: 500 },
          removeOnComplete: false,
          removeOnFail: false,
        });
        // The block is in Redis now: keep the job's handle, not a second copy of its bytes.
        job.data = { ...data, bytes: '' };
        jobs.set(sent, job);
        sent++;
        while (sent - written >= JOBS_AHEAD) await apply();
      }
    while (written < sent) await apply();
    stats.jobs = sent;
    const { accepted, topicMapped, dataAsOfMs } = merged;
    rejects.accepted += accepted;
    return {
      lines,
      accepted,
      duplicates: writer.duplicates(accepted),
      replacedLatestMs: writer.replacedLatestMs(),
      dataAsOfMs,
      topicMapped,
      queue: stats,
    };
  } finally {
    // A failed run leaves nothing behind for workers: its settings go (jobs of a run without
    // settings are refused at once) and its queued blocks are removed.
    // Never connected: nothing to clean up, and closing would wait for a connection forever.
    if (!connected) {
      store.disconnect();
      void events.disconnect().catch(() => {});
      void queue.disconnect().catch(() => {});
    } else {
      // each step bounded: Redis can go away mid-run, and closing would wait for it
      const bounded = (p: Promise<unknown>) =>
        Promise.race([p.catch(() => {}), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
      await bounded(store.del(runKey(run), ...[...jobs.values()].map((j) => resultKey(j.id!))));
      store.disconnect();
      await bounded(Promise.all([...jobs.values()].map((j) => j.remove())));
      await bounded(events.close());
      await bounded(queue.close());
    }
  }
}
