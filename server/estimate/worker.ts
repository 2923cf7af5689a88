/**
 * Worker thread of the estimate pool (server/estimate/pool.ts): runs `aggregateProspect` — the
 * import and classification, the CPU-heavy part — off the server's event loop. One estimate at a
 * time; the classifier stays loaded between estimates.
 */
import { parentPort } from 'node:worker_threads';
import { ImportError } from '../importers/index.ts';
import { aggregateProspect, type ProspectAggregate } from './stream.ts';

/** What crosses into the worker: plain data only (no signal, no callbacks). */
export interface WorkerAggregateOptions {
  fileName?: string;
  maxBytes?: number;
  maxLineBytes?: number;
  maxRejectRate?: number;
  progressIntervalMs?: number;
  samplesPerLeaf?: number;
}

/** Every message names its job: chunks still in flight for a job that already failed are dropped. */
export type ToEstimateWorker =
  | { type: 'start'; job: number; opts: WorkerAggregateOptions }
  | { type: 'chunk'; job: number; bytes: Uint8Array }
  | { type: 'end'; job: number }
  | { type: 'abort'; job: number };

export type FromEstimateWorker = { job: number } & (
  | { type: 'progress'; bytes: number; records: number }
  | { type: 'ack' }
  | { type: 'done'; agg: ProspectAggregate }
  | { type: 'error'; code: string | null; message: string; line?: number }
);

const port = parentPort!;
let job = -1;
let queue: Uint8Array[] = [];
let ended = false;
let abort = new AbortController();
let wake: (() => void) | null = null;
const notify = () => {
  const w = wake;
  wake = null;
  w?.();
};

async function* input(): AsyncGenerator<Uint8Array> {
  for (;;) {
    const next = queue.shift();
    if (next) {
      port.postMessage({ job, type: 'ack' } satisfies FromEstimateWorker);
      yield next;
      continue;
    }
    if (ended || abort.signal.aborted) return;
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
  }
}

async function run(id: number, opts: WorkerAggregateOptions) {
  try {
    const agg = await aggregateProspect(input(), {
      ...opts,
      signal: abort.signal,
      onProgress: (p) => port.postMessage({ job: id, type: 'progress', ...p } satisfies FromEstimateWorker),
    });
    port.postMessage({ job: id, type: 'done', agg } satisfies FromEstimateWorker);
  } catch (err) {
    const msg: FromEstimateWorker =
      err instanceof ImportError
        ? {
            job: id,
            type: 'error',
            code: err.code,
            message: err.message,
            ...(err.line !== undefined && { line: err.line }),
          }
        : { job: id, type: 'error', code: null, message: (err as Error).message };
    port.postMessage(msg);
  } finally {
    job = -1;
    queue = [];
  }
}

port.on('message', (msg: ToEstimateWorker) => {
  if (msg.type === 'start') {
    job = msg.job;
    queue = [];
    ended = false;
    abort = new AbortController();
    void run(msg.job, msg.opts);
  } else if (msg.job !== job) return;
  else if (msg.type === 'chunk') queue.push(msg.bytes);
  else if (msg.type === 'end') ended = true;
  else abort.abort();
  notify();
});
