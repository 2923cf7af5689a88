/**
 * The map step of the conversation pass, shared by the worker threads of the embedded pipeline and
 * the queue workers (scripts/worker.ts): one block of input lines in, the block's rows and rejects
 * out. Pure apart from the processor's counters and samples: the same block gives the same result
 * wherever and however often it runs, which is what makes a retried queue job harmless.
 */
import {
  type BlockOutcome,
  type ConversationRow,
  isCandidate,
  type LineProcessor,
  type SampleCandidate,
} from './ingest.ts';
import { decodeBlock } from './lines.ts';

export interface BlockReject {
  line: number;
  reason: string;
  text: string;
}

export interface MappedBlock {
  rows: ConversationRow[];
  rejects: BlockReject[];
}

export function mapBlock(
  processor: LineProcessor,
  block: { bytes: Uint8Array; firstLine: number; oversize?: number | undefined },
): MappedBlock {
  const rows: ConversationRow[] = [];
  const rejects: BlockReject[] = [];
  const { lines, problems } = decodeBlock({
    bytes: Buffer.from(block.bytes.buffer, block.bytes.byteOffset, block.bytes.byteLength),
    firstLine: block.firstLine,
    lines: 0,
    oversize: block.oversize,
  });
  for (let i = 0; i < lines.length; i++) {
    const problem = problems?.get(i);
    if (problem) {
      rejects.push({ line: block.firstLine + i, reason: problem, text: lines[i]! });
      continue;
    }
    const out = processor.process(lines[i]!);
    if (out === null) continue;
    if ('reject' in out) rejects.push({ line: block.firstLine + i, reason: out.reject, text: lines[i]! });
    else rows.push(out.row);
  }
  return { rows, rejects };
}

/** What a block's own processor counted and kept: the part of a block's outcome besides its rows. */
export function processorTotals(
  processor: LineProcessor,
): Omit<BlockOutcome, 'rows' | 'samples'> & { samples: SampleCandidate[] } {
  return {
    accepted: processor.accepted,
    topicMapped: processor.topicMapped,
    dataAsOfMs: processor.dataAsOfMs,
    // a block's own reservoir holds only what the block read (nothing stored)
    samples: [...processor.samples.all()].filter(isCandidate),
  };
}
