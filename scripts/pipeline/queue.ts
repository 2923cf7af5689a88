/**
 * The map step as jobs on BullMQ over Redis (issue 12 item 2): what the coordinator
 * (ingest-queue.ts) and the stateless workers (scripts/worker.ts) agree on. A job is one block of
 * whole input lines; its result is the block's compact rows, rejects, sample candidates and
 * counters. Jobs are pure functions of their block and the run's settings, so a job retried after
 * its worker died gives the same result, and the coordinator takes each block's result once.
 */
import type { ConnectionOptions } from 'bullmq';
import type { Classifier } from '../../server/domain/classifier.ts';
import { defaultClassifier, modelFileId } from '../../server/domain/classifier.ts';
import { taxonomy } from '../../server/domain/taxonomy.ts';
import type { TimeWindow } from '../../server/domain/time.ts';
import { PipelineError } from './errors.ts';
import type { ConversationRow } from './ingest.ts';
import { LineProcessor, type SampleCandidate, SampleReservoir } from './ingest.ts';
import { splitLineBlock } from './lines.ts';
import { type BlockReject, mapBlock, processorTotals } from './map.ts';

/** One queue for every run; a job names its run, whose settings are stored once under runKey. */
export const QUEUE_NAME = 'cockpit-pipeline-map';

/** What every job of a run needs, stored once in Redis rather than in each job. */
export interface RunSettings {
  accountIds: string[];
  window: TimeWindow;
  /** the coordinator's classifier model and taxonomy: a worker with others refuses the job */
  classifierModel: string;
  taxonomyVersion: string;
}

export interface MapJobData {
  run: string;
  seq: number;
  firstLine: number;
  /** the block's bytes, base64 (job data travels as JSON) */
  bytes: string;
  oversize?: number;
}

export interface MapJobResult {
  seq: number;
  rows: ConversationRow[];
  rejects: BlockReject[];
  accepted: number;
  topicMapped: number;
  dataAsOfMs: number | null;
  /** the block's own best examples per account × leaf (the coordinator merges them) */
  samples: SampleCandidate[];
  /** time the worker spent on the block */
  ms: number;
}

export const runKey = (run: string) => `cockpit:pipeline:run:${run}`;

/**
 * Where a worker puts a job's result, keyed by the job id: a retried job writes the same value
 * again, and the coordinator reads each once. Results travel beside the queue rather than as
 * BullMQ return values, which BullMQ also copies into its events stream and every listener.
 */
export const resultKey = (jobId: string) => `cockpit:pipeline:result:${jobId}`;

/** What a map job returns through BullMQ: where its result is. */
export interface MapJobDone {
  seq: number;
  resultKey: string;
}

/** `redis://HOST:PORT[/DB]` (or rediss://) to BullMQ's connection options. */
export function queueConnection(url: string): ConnectionOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new PipelineError(`--queue must be a redis://HOST:PORT URL, got "${url}"`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
    throw new PipelineError(`--queue must be a redis://HOST:PORT URL, got "${url}"`);
  // maxRetriesPerRequest null: BullMQ's blocking commands must wait, not fail, across reconnects.
  return { url, maxRetriesPerRequest: null };
}

export function currentRunSettings(accountIds: Iterable<string>, window: TimeWindow): RunSettings {
  return {
    accountIds: [...accountIds],
    window,
    classifierModel: modelFileId(),
    taxonomyVersion: taxonomy.version,
  };
}

/** Why this process cannot run jobs of `settings`, or null when it can. */
export function settingsMismatch(settings: RunSettings): string | null {
  const model = modelFileId();
  if (settings.classifierModel !== model)
    return `the run classifies with model ${settings.classifierModel}, this worker has ${model}: run workers from the same version of Cockpit`;
  if (settings.taxonomyVersion !== taxonomy.version)
    return `the run uses taxonomy ${settings.taxonomyVersion}, this worker has ${taxonomy.version}`;
  return null;
}

let classifier: Classifier | null = null;

/** Lines mapped between two yields to the event loop (so the worker's job lock is renewed). */
const SLICE_BYTES = 64 << 10;

/**
 * Runs one job: a fresh processor per block, so the result depends on the block alone. The block
 * is mapped in slices with a yield between them: a long synchronous job would keep BullMQ from
 * renewing its lock, and another worker would take the job as stalled and run it again.
 */
export async function runMapJob(
  settings: RunSettings,
  accountIds: ReadonlySet<string>,
  data: MapJobData,
): Promise<MapJobResult> {
  const started = performance.now();
  classifier ??= defaultClassifier();
  const processor = new LineProcessor(accountIds, classifier, new SampleReservoir(), settings.window);
  const block = {
    bytes: Buffer.from(data.bytes, 'base64'),
    firstLine: data.firstLine,
    lines: 0,
    ...(data.oversize !== undefined && { oversize: data.oversize }),
  };
  const rows: ConversationRow[] = [];
  const rejects: BlockReject[] = [];
  for (const slice of splitLineBlock(block, SLICE_BYTES)) {
    const mapped = mapBlock(processor, slice);
    rows.push(...mapped.rows);
    rejects.push(...mapped.rejects);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return {
    seq: data.seq,
    rows,
    rejects,
    ...processorTotals(processor),
    ms: performance.now() - started,
  };
}
