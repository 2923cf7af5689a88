/**
 * Estimates run on worker threads, so a large upload being classified never delays other
 * requests (measured with `npm run bench:load`). The pool keeps up to `size` workers, each with the
 * classifier loaded; the request body is handed over chunk by chunk with a small window, so a
 * fast upload waits for the worker instead of piling up in memory.
 */
import { Worker } from 'node:worker_threads';
import { ImportError, type ImportErrorCode } from '../importers/index.ts';
import type { EstimateProgress, ProspectAggregate } from './stream.ts';
import type { FromEstimateWorker, ToEstimateWorker, WorkerAggregateOptions } from './worker.ts';

const WINDOW = 8;
const END = Symbol('worker finished');

interface PoolWorker {
  worker: Worker;
  busy: boolean;
}

export class EstimatePool {
  private readonly workers: PoolWorker[] = [];
  private jobs = 0;

  constructor(private readonly size: number) {}

  private acquire(): PoolWorker {
    let w = this.workers.find((x) => !x.busy);
    if (!w) {
      const worker = new Worker(new URL('./worker-boot.mjs', import.meta.url));
      worker.unref();
      w = { worker, busy: false };
      const entry = w;
      worker.on('exit', () => {
        const i = this.workers.indexOf(entry);
        if (i >= 0) this.workers.splice(i, 1);
      });
      if (this.workers.length < this.size) this.workers.push(w);
    }
    w.busy = true;
    return w;
  }

  async aggregate(
    input: AsyncIterable<Uint8Array>,
    opts: WorkerAggregateOptions & { signal?: AbortSignal; onProgress?: (p: EstimateProgress) => void },
  ): Promise<ProspectAggregate> {
    const { signal, onProgress, ...plain } = opts;
    const w = this.acquire();
    const { worker } = w;
    const job = ++this.jobs;
    let inFlight = 0;
    let release: (() => void) | null = null;
    let settle!: { resolve: (a: ProspectAggregate) => void; reject: (e: unknown) => void };
    const result = new Promise<ProspectAggregate>((resolve, reject) => {
      settle = { resolve, reject };
    });
    // The worker can fail (a CSV without a date column, a binary file) while the loop below waits
    // for the body's next chunk: handled from the start, that rejection is not an unhandled one,
    // which would stop the whole server; `ended` lets the wait give up at once.
    const ended: Promise<typeof END> = result.then(
      () => END,
      () => END,
    );
    let finished = false;
    const onMessage = (msg: FromEstimateWorker) => {
      if (msg.job !== job) return;
      if (msg.type === 'ack') {
        inFlight--;
        release?.();
        release = null;
      } else if (msg.type === 'progress') onProgress?.({ bytes: msg.bytes, records: msg.records });
      else if (msg.type === 'done') {
        finished = true;
        settle.resolve(msg.agg);
      } else {
        finished = true;
        settle.reject(
          msg.code
            ? new ImportError(msg.code as ImportErrorCode, msg.message, msg.line)
            : new Error(`estimate worker: ${msg.message}`),
        );
      }
      if (finished) release?.();
    };
    const onError = (err: Error) => {
      finished = true;
      settle.reject(err);
      release?.();
    };
    const onExit = (code: number) => {
      if (finished) return;
      onError(new Error(`estimate worker stopped (exit code ${code})`));
    };
    worker.on('message', onMessage);
    worker.once('error', onError);
    worker.once('exit', onExit);
    const send = (msg: ToEstimateWorker, transfer?: ArrayBuffer[]) => worker.postMessage(msg, transfer);
    try {
      send({ type: 'start', job, opts: plain });
      const chunks = input[Symbol.asyncIterator]();
      try {
        while (!finished) {
          const next = await Promise.race([chunks.next(), ended]);
          if (next === END || next.done) break;
          while (inFlight >= WINDOW && !finished)
            await new Promise<void>((resolve) => {
              release = resolve;
            });
          if (finished) break;
          const copy = new Uint8Array(next.value); // the body's chunk may share a pooled buffer
          inFlight++;
          send({ type: 'chunk', job, bytes: copy }, [copy.buffer]);
        }
        if (finished) {
          // the rest of the body is not wanted: let go of it without waiting for a slow sender
          chunks.return?.().catch(() => {});
        } else send({ type: signal?.aborted ? 'abort' : 'end', job });
      } catch (err) {
        // the upload broke off (client gone, read error): stop the worker's job, report the cause
        send({ type: 'abort', job });
        await result.catch(() => {});
        throw err;
      }
      return await result;
    } finally {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      w.busy = false;
      if (!this.workers.includes(w)) void worker.terminate();
    }
  }

  close(): Promise<unknown> {
    return Promise.all(this.workers.splice(0).map((w) => w.worker.terminate()));
  }
}
