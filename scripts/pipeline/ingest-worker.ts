/** Worker thread of the parallel ingest: processes batches of lines with a LineProcessor. */
import { parentPort, workerData } from 'node:worker_threads';
import { defaultClassifier } from '../../server/domain/classifier.ts';
import type { TimeWindow } from '../../server/domain/time.ts';
import { type ConversationRow, LineProcessor, type SampleCandidate, SampleReservoir } from './ingest.ts';
import { mapBlock, processorTotals } from './map.ts';

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
      accepted: number;
      topicMapped: number;
      dataAsOfMs: number | null;
      /** the block's own best examples: the main thread merges them in input order, as the queue does */
      samples: SampleCandidate[];
    }
  | { type: 'done' };

const init = workerData as WorkerInit;
const accountIds = new Set(init.accountIds);
// Each worker loads the shipped model file itself (a few ms), so nothing large crosses threads.
const classifier = defaultClassifier();
const port = parentPort!;

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'finish') {
    port.postMessage({ type: 'done' } satisfies FromWorker);
    return;
  }
  // A processor (and sample reservoir) per block: a later version of a conversation in another
  // worker's block must be able to replace an example held here, so blocks are merged in input order.
  const processor = new LineProcessor(accountIds, classifier, new SampleReservoir(), init.window);
  const { rows, rejects } = mapBlock(processor, {
    bytes: new Uint8Array(msg.bytes),
    firstLine: msg.firstLine,
    oversize: msg.oversize,
  });
  const result: FromWorker = {
    type: 'result',
    seq: msg.seq,
    rows,
    rejects,
    ...processorTotals(processor),
  };
  port.postMessage(result);
});
