/** Worker thread of the parallel ingest: processes batches of lines with a LineProcessor. */
import { parentPort, workerData } from 'node:worker_threads';
import { defaultClassifier } from '../../server/domain/classifier.ts';
import type { TimeWindow } from '../../server/domain/time.ts';
import { type ConversationRow, LineProcessor, SampleReservoir } from './ingest.ts';
import { mapBlock } from './map.ts';

export interface WorkerInit {
  accountIds: string[];
  window: TimeWindow;
}

export type ToWorker =
  | { type: 'block'; seq: number; firstLine: number; bytes: ArrayBuffer; oversize?: number }
  | { type: 'finish' };

export type FromWorker =
  | {
      type: 'result';
      seq: number;
      rows: ConversationRow[];
      rejects: { line: number; reason: string; text: string }[];
    }
  | {
      type: 'done';
      accepted: number;
      topicMapped: number;
      dataAsOfMs: number | null;
      samples: ReturnType<SampleReservoir['all']> extends Generator<infer T> ? T[] : never;
    };

const init = workerData as WorkerInit;
const processor = new LineProcessor(
  new Set(init.accountIds),
  // Each worker loads the shipped model file itself (a few ms), so nothing large crosses threads.
  defaultClassifier(),
  new SampleReservoir(),
  init.window,
);
const port = parentPort!;

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'finish') {
    const done: FromWorker = {
      type: 'done',
      accepted: processor.accepted,
      topicMapped: processor.topicMapped,
      dataAsOfMs: processor.dataAsOfMs,
      samples: [...processor.samples.all()],
    };
    port.postMessage(done);
    return;
  }
  const { rows, rejects } = mapBlock(processor, {
    bytes: new Uint8Array(msg.bytes),
    firstLine: msg.firstLine,
    oversize: msg.oversize,
  });
  const result: FromWorker = { type: 'result', seq: msg.seq, rows, rejects };
  port.postMessage(result);
});
