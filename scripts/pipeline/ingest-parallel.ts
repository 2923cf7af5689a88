/**
 * Parallel ingest for large inputs: the main thread reads lines and writes rows to SQLite in
 * input order (so the last of duplicated ids still wins); worker threads parse, validate,
 * classify and score. At most a few batches are in flight, so memory stays flat.
 */
import { Worker } from 'node:worker_threads';
import type { TrainingExample } from '../../server/domain/classifier.ts';
import {
  BATCH_LINES,
  type ConversationRow,
  INSERT_CONVERSATION,
  type IngestOptions,
  type IngestResult,
} from './ingest.ts';
import type { FromWorker, ToWorker, WorkerInit } from './ingest-worker.ts';
import { readLines } from './lines.ts';

const IN_FLIGHT_PER_WORKER = 3;

export async function ingestConversationsParallel(
  opts: IngestOptions & { examples: TrainingExample[]; workers: number },
): Promise<IngestResult> {
  const { path, db, rejects, samples } = opts;
  const insert = db.prepare(INSERT_CONVERSATION);
  const flush = db.transaction((rows: ConversationRow[]) => {
    for (const row of rows) insert.run(row);
  });
  const init: WorkerInit = { accountIds: [...opts.accountIds], examples: opts.examples };
  const workers = Array.from(
    { length: opts.workers },
    () => new Worker(new URL('./ingest-worker-boot.mjs', import.meta.url), { workerData: init }),
  );
  const pending = new Map<number, FromWorker & { type: 'result' }>();
  const waiters = new Map<number, () => void>();
  const done: (FromWorker & { type: 'done' })[] = [];
  let failure: Error | null = null;
  let onDone: (() => void) | null = null;
  for (const w of workers) {
    w.on('message', (msg: FromWorker) => {
      if (msg.type === 'result') {
        pending.set(msg.seq, msg);
        waiters.get(msg.seq)?.();
      } else {
        done.push(msg);
        if (done.length === workers.length) onDone?.();
      }
    });
    w.on('error', (err: Error) => {
      failure = err;
      for (const wake of waiters.values()) wake();
      onDone?.();
    });
  }
  const take = async (seq: number) => {
    if (!pending.has(seq) && !failure) await new Promise<void>((resolve) => waiters.set(seq, resolve));
    waiters.delete(seq);
    if (failure) throw failure;
    const result = pending.get(seq)!;
    pending.delete(seq);
    return result;
  };

  let lines = 0;
  let sent = 0;
  let written = 0;
  const apply = async () => {
    const result = await take(written);
    for (const r of result.rejects) rejects.add(path, r.line, r.reason, r.text);
    flush(result.rows);
    written++;
    opts.onProgress?.(Math.min(lines, written * BATCH_LINES));
  };
  const send = (batch: string[], firstLine: number) => {
    const msg: ToWorker = { type: 'batch', seq: sent, firstLine, lines: batch };
    workers[sent % workers.length]!.postMessage(msg);
    sent++;
  };

  try {
    let batch: string[] = [];
    let firstLine = 1;
    for await (const [line, text] of readLines(path)) {
      lines++;
      if (batch.length === 0) firstLine = line;
      batch.push(text);
      if (batch.length >= BATCH_LINES) {
        send(batch, firstLine);
        batch = [];
        while (sent - written >= workers.length * IN_FLIGHT_PER_WORKER) await apply();
      }
    }
    if (batch.length > 0) send(batch, firstLine);
    while (written < sent) await apply();
    const finished = new Promise<void>((resolve) => {
      onDone = resolve;
    });
    for (const w of workers) w.postMessage({ type: 'finish' } satisfies ToWorker);
    await finished;
    if (failure) throw failure;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }

  let accepted = 0;
  let topicMapped = 0;
  let dataAsOfMs: number | null = null;
  for (const d of done) {
    accepted += d.accepted;
    topicMapped += d.topicMapped;
    if (d.dataAsOfMs !== null && (dataAsOfMs === null || d.dataAsOfMs > dataAsOfMs))
      dataAsOfMs = d.dataAsOfMs;
    for (const candidate of d.samples) samples.offer(candidate);
  }
  rejects.accepted += accepted;
  const stored = (db.prepare('SELECT count(*) AS n FROM conversations').get() as { n: number }).n;
  return { lines, accepted, duplicates: accepted - stored, dataAsOfMs, topicMapped };
}
