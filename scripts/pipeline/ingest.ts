/**
 * The streaming pass over conversations: parse, validate, classify, score the CX sub-signals,
 * write one compact row per conversation and keep a bounded sample per account × leaf.
 */
import type { Hash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { SampleConversation } from '../../server/api-types.ts';
import {
  type ConversationRow,
  conversationStore,
  type Placement,
  type StoredSample,
} from '../../server/db/build.ts';
import { assignLeaf } from '../../server/domain/assign.ts';
import { type Classifier, rememberingClassifier } from '../../server/domain/classifier.ts';
import { cxReasons, cxSignals, reasonsOfExplanation } from '../../server/domain/cx.ts';
import { isResolved, monthOf } from '../../server/domain/metrics.ts';
import { hash32 } from '../../server/domain/stats.ts';
import type { TimeWindow } from '../../server/domain/time.ts';
import type { Channel, ResolutionState } from '../../server/domain/types.ts';
import { type ValidConversation, validateConversation } from '../../server/domain/validate.ts';
import { readLines } from './lines.ts';
import type { RejectLog } from './rejects.ts';
import type { SampleSpill, SpillRef } from './sample-spill.ts';

/** Per account × leaf: this many resolved and this many unresolved examples, newest months first. */
export const SAMPLES_PER_OUTCOME = 3;
const MAX_MESSAGES = 16;
const MAX_MESSAGE_CHARS = 600;

/**
 * An example's CX sub-signals and the explanation's reasons, read from the whole conversation
 * before it is shortened for storage: the example then sits in the CX distribution's bucket its
 * stored row counts it in, also when a long e-mail was cut.
 */
export interface SampleCx {
  resolution: number;
  sentiment: number;
  effort: number;
  reasons: string;
}

/** A conversation offered as an example, as the line processor read it. */
export interface SampleOffer {
  conversation: ValidConversation;
  taxonomyId: string;
  confidence: number;
  month: string;
  hash: number;
  cx: SampleCx;
}

/** What a stored sample shows of its conversation besides the messages. */
export interface SampleHead {
  id: string;
  accountId: string;
  createdAtMs: number;
  channel: Channel;
  aiInvolved: boolean;
  aiResolutionState: ResolutionState | null;
  reopened: boolean;
  csat: number | null;
}

/**
 * An example held: its head, and its shortened messages already as JSON. At 10,000 accounts about
 * half a million examples are held until the end of the build; as object graphs (a conversation,
 * its messages, their strings) they took ~1 GB of heap and a large share of the collector's time,
 * as one string each they take what their JSON takes and nothing to trace.
 */
export interface SampleCandidate {
  head: SampleHead;
  messagesJson: string;
  taxonomyId: string;
  confidence: number;
  month: string;
  hash: number;
  cx: SampleCx;
}

/**
 * A sample an earlier build stored, as an append holds it: only what ranks it, read from its row.
 * Its JSON (16 MB at 1M conversations, parsing it was a tenth of a day's append) is read only when
 * the run must write it again (`restore`); an append that keeps the CX calibration never does.
 */
export interface StoredCandidate {
  stored: true;
  id: string;
  accountId: string;
  taxonomyId: string;
  month: string;
  hash: number;
  resolved: boolean;
}

/**
 * A kept example as the pipeline's reservoir holds it while the pass runs: what ranks it, and where
 * the rest waits in the scratch file (`SampleSpill`). Held whole (head, CX reasons, messages), half
 * a million examples at 10,000 accounts took ~1 GB of the build's peak; held so, ~100 MB.
 */
export interface SpilledCandidate extends SpillRef {
  spilled: true;
  id: string;
  taxonomyId: string;
  month: string;
  hash: number;
}

export type HeldSample = SampleCandidate | SpilledCandidate | StoredCandidate;

export const isStoredSample = (h: HeldSample): h is StoredCandidate => 'stored' in h;
export const isCandidate = (h: HeldSample): h is SampleCandidate => 'messagesJson' in h;
const idOf = (h: HeldSample) => (isCandidate(h) ? h.head.id : h.id);

/** What an example is ranked by (and the slot it competes in). */
type Ranked = { taxonomyId: string; month: string; hash: number };

/** Keeps the newest month first, then the lowest id hash: deterministic whatever the input order. */
function better(a: Ranked, b: Ranked): boolean {
  return a.month > b.month || (a.month === b.month && a.hash < b.hash);
}

export class SampleReservoir {
  private readonly slots = new Map<string, { resolved: HeldSample[]; other: HeldSample[] }>();
  /** the slot of every conversation held, so a later version can find the earlier one */
  private readonly held = new Map<string, string>();
  /** the stored samples offered (offerStored), by conversation id: [account, leaf] */
  private readonly storedRows = new Map<string, readonly [string, string]>();

  /**
   * `storedJson`: a stored sample's JSON, by account, leaf and conversation id (an append's);
   * `spill`: where kept examples' messages wait until they are written (the pipeline's reservoir;
   * a block's, in a worker, keeps them in memory)
   */
  constructor(
    private readonly storedJson?: (accountId: string, taxonomyId: string, id: string) => string,
    private readonly spill?: SampleSpill,
  ) {}

  /** A kept example whole, read back from the scratch file when it waits there. */
  candidate(s: SampleCandidate | SpilledCandidate): SampleCandidate {
    if (isCandidate(s)) return s;
    if (!this.spill) throw new Error('candidate: this reservoir keeps no scratch file');
    const text = this.spill.get(s);
    const cut = text.indexOf('\n');
    const meta = JSON.parse(text.slice(0, cut)) as Pick<SampleCandidate, 'head' | 'confidence' | 'cx'>;
    return {
      head: meta.head,
      messagesJson: text.slice(cut + 1),
      taxonomyId: s.taxonomyId,
      confidence: meta.confidence,
      month: s.month,
      hash: s.hash,
      cx: meta.cx,
    };
  }

  /** the same leaf and month strings for every example held (half a million at 10,000 accounts) */
  private readonly names = new Map<string, string>();
  private name(s: string): string {
    const known = this.names.get(s);
    if (known !== undefined) return known;
    this.names.set(s, s);
    return s;
  }

  /**
   * What is held of a kept example: with a scratch file, its ranking and the file's place of the
   * rest (head and CX as JSON, a line break, the messages' JSON: no JSON holds a raw line break).
   */
  private keep(h: HeldSample): HeldSample {
    if (!this.spill || !isCandidate(h)) return h;
    const meta = JSON.stringify({ head: h.head, confidence: h.confidence, cx: h.cx });
    return {
      spilled: true,
      id: h.head.id,
      taxonomyId: this.name(h.taxonomyId),
      month: this.name(h.month),
      hash: h.hash,
      ...this.spill.put(`${meta}\n${h.messagesJson}`),
    };
  }

  /** Offers a conversation just read: it is shortened and its messages serialized only if kept. */
  offer(o: SampleOffer) {
    const c = o.conversation;
    this.hold(o, c.accountId, c.id, isResolved(c), () => candidateOf(o));
  }

  /** Offers an example another reservoir kept (a block's, merged in input order). */
  offerCandidate(c: SampleCandidate) {
    this.hold(c, c.head.accountId, c.head.id, isResolved(c.head), () => c);
  }

  private hold(c: Ranked, accountId: string, id: string, resolved: boolean, kept: () => HeldSample) {
    const key = `${accountId}\u0000${c.taxonomyId}`;
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { resolved: [], other: [] };
      this.slots.set(key, slot);
    }
    // A later version of a conversation replaces the earlier one, also when it changed outcome
    // (reopened, rated late), leaf or account.
    this.forget(id);
    const list = resolved ? slot.resolved : slot.other;
    if (list.length < SAMPLES_PER_OUTCOME) {
      list.push(this.keep(kept()));
      this.held.set(id, key);
      return;
    }
    let worst = 0;
    for (let i = 1; i < list.length; i++) if (better(list[worst]!, list[i]!)) worst = i;
    if (better(c, list[worst]!)) {
      this.held.delete(idOf(list[worst]!));
      list[worst] = this.keep(kept());
      this.held.set(id, key);
    }
  }

  /**
   * Drops the held example of conversation `id`, if any: its version is superseded. The queue's
   * coordinator calls this for every conversation of a block before offering the block's own best
   * examples, so an earlier version held from an earlier block cannot outlive its replacement.
   */
  forget(id: string) {
    const key = this.held.get(id);
    if (key === undefined) return;
    const slot = this.slots.get(key)!;
    for (const list of [slot.resolved, slot.other]) {
      const at = list.findIndex((s) => idOf(s) === id);
      if (at >= 0) list.splice(at, 1);
    }
    this.held.delete(id);
  }

  /** Offers a sample stored by an earlier build (an append run starts from them). */
  offerStored(s: StoredSample) {
    this.storedRows.set(s.id, [s.accountId, s.taxonomyId]);
    const held: StoredCandidate = {
      stored: true,
      id: s.id,
      accountId: s.accountId,
      taxonomyId: s.taxonomyId,
      month: s.createdAt.slice(0, 7),
      hash: hash32(s.id),
      resolved: s.resolved === 1,
    };
    this.hold(held, s.accountId, s.id, held.resolved, () => held);
  }

  /** A stored sample in full, from its JSON: for a run that writes every sample again. */
  restore(h: StoredCandidate): SampleCandidate {
    if (!this.storedJson) throw new Error('restore: this reservoir was given no stored samples to read');
    const s = JSON.parse(this.storedJson(h.accountId, h.taxonomyId, h.id)) as SampleConversation;
    return {
      head: {
        id: s.id,
        accountId: h.accountId,
        createdAtMs: Date.parse(s.createdAt),
        channel: s.channel,
        aiInvolved: s.aiInvolved,
        aiResolutionState: s.aiResolutionState,
        reopened: s.reopened,
        csat: s.csat,
      },
      messagesJson: JSON.stringify(s.messages),
      taxonomyId: s.taxonomyId,
      confidence: s.confidence,
      month: h.month,
      hash: h.hash,
      cx: {
        resolution: s.cx.resolution,
        sentiment: s.cx.sentiment,
        effort: s.cx.effort,
        reasons: reasonsOfExplanation(s.cx.explanation),
      },
    };
  }

  /**
   * Each slot's unresolved then resolved examples, each list best first: the order depends on
   * what was kept, not on the order it was offered in (an append offers stored samples first).
   */
  /**
   * The stored samples no longer held as they were stored (pushed out, or superseded by a later
   * version of their conversation), as [account, leaf, conversation id]: an append deletes them.
   */
  droppedStored(): [string, string, string][] {
    const kept = new Set<string>();
    // membership only: the slots as they are, not all()'s sorted copies (a second full sort at
    // 10,000 accounts, ~0.5 M samples)
    for (const slot of this.slots.values())
      for (const list of [slot.resolved, slot.other])
        for (const c of list) if (isStoredSample(c)) kept.add(c.id);
    return [...this.storedRows]
      .filter(([id]) => !kept.has(id))
      .map(([id, [accountId, taxonomyId]]) => [accountId, taxonomyId, id]);
  }

  /** Lets go of every example held (they are written: samples.ts). */
  clear() {
    this.slots.clear();
    this.held.clear();
    this.storedRows.clear();
    this.names.clear();
  }

  *all(): Generator<HeldSample> {
    const bestFirst = (a: HeldSample, b: HeldSample) => (better(a, b) ? -1 : better(b, a) ? 1 : 0);
    for (const slot of this.slots.values()) {
      yield* [...slot.other].sort(bestFirst);
      yield* [...slot.resolved].sort(bestFirst);
    }
  }
}

/** An offered conversation as an example keeps it: the first messages, each cut to a length. */
function candidateOf(o: SampleOffer): SampleCandidate {
  const c = o.conversation;
  return {
    head: {
      id: c.id,
      accountId: c.accountId,
      createdAtMs: c.createdAtMs,
      channel: c.channel,
      aiInvolved: c.aiInvolved,
      aiResolutionState: c.aiResolutionState,
      reopened: c.reopened === true,
      csat: c.csat ?? null,
    },
    messagesJson: JSON.stringify(
      c.messages.slice(0, MAX_MESSAGES).map((m) => ({
        ...m,
        text: m.text.length > MAX_MESSAGE_CHARS ? `${m.text.slice(0, MAX_MESSAGE_CHARS)}…` : m.text,
      })),
    ),
    taxonomyId: o.taxonomyId,
    confidence: o.confidence,
    month: o.month,
    hash: o.hash,
    cx: o.cx,
  };
}

/** One block's share of an ingest mapped elsewhere (a worker thread or a queue worker). */
export interface BlockOutcome {
  rows: readonly ConversationRow[];
  accepted: number;
  topicMapped: number;
  dataAsOfMs: number | null;
  /** the block's own best examples (a reservoir per block) */
  samples: readonly SampleCandidate[];
}

/**
 * The totals and examples of blocks mapped elsewhere, merged in input order: every conversation
 * of a block supersedes any earlier version held, then the block's best examples are offered, so a
 * later version read by another thread or worker always replaces the earlier one.
 */
export class BlockMerge {
  accepted = 0;
  topicMapped = 0;
  dataAsOfMs: number | null = null;
  constructor(private readonly samples: SampleReservoir) {}

  add(block: BlockOutcome): void {
    this.accepted += block.accepted;
    this.topicMapped += block.topicMapped;
    if (block.dataAsOfMs !== null && (this.dataAsOfMs === null || block.dataAsOfMs > this.dataAsOfMs))
      this.dataAsOfMs = block.dataAsOfMs;
    for (const row of block.rows) this.samples.forget(row[0]);
    for (const candidate of block.samples) this.samples.offerCandidate(candidate);
  }
}

export interface IngestResult {
  lines: number;
  accepted: number;
  duplicates: number;
  /**
   * the latest created_at among the versions this run replaced (an append tracks it; null on a
   * full build): when it is the latest time of all, "data as of" is read again from the table
   */
  replacedLatestMs: number | null;
  dataAsOfMs: number | null;
  topicMapped: number;
}

/** One row of the `conversations` table, in column order. */
export type { ConversationRow };

export type LineOutcome = { row: ConversationRow } | { reject: string } | null;

/**
 * Everything done to one line, with no I/O: the same code runs in-process for small inputs and
 * in worker threads for large ones.
 */
export class LineProcessor {
  accepted = 0;
  topicMapped = 0;
  dataAsOfMs: number | null = null;

  private readonly classifier: Classifier;

  constructor(
    private readonly accountIds: ReadonlySet<string>,
    classifier: Classifier,
    readonly samples: SampleReservoir,
    private readonly window: TimeWindow,
  ) {
    this.classifier = rememberingClassifier(classifier);
  }

  process(text: string): LineOutcome {
    if (text.length === 0 || text.trim() === '') return null;
    let raw: unknown;
    try {
      // a byte-order mark at a line's start: two exports joined, each with its own (SPEC §2: one
      // encoding rule for every input; the estimate's importer drops it too)
      raw = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch {
      return { reject: 'malformed JSON' };
    }
    const v = validateConversation(raw, this.window);
    if (!v.ok) return { reject: v.reason };
    const c = v.value;
    if (!this.accountIds.has(c.accountId))
      return {
        reject: `unknown accountId "${c.accountId}" (not in the accounts file, or its line there was rejected)`,
      };
    this.accepted++;
    const { taxonomyId, confidence, unreadable } = assignLeaf(c, this.classifier);
    if (confidence === 1 && c.topic) this.topicMapped++;
    const s = cxSignals(c);
    // A UTC timestamp already spells its month; only offsets need the Date round trip.
    const month =
      c.createdAt.length >= 20 && c.createdAt.endsWith('Z')
        ? c.createdAt.slice(0, 7)
        : monthOf(c.createdAtMs);
    if (this.dataAsOfMs === null || c.createdAtMs > this.dataAsOfMs) this.dataAsOfMs = c.createdAtMs;
    this.samples.offer({
      conversation: c,
      taxonomyId,
      confidence,
      month,
      hash: hash32(c.id),
      cx: { resolution: s.resolution, sentiment: s.sentiment, effort: s.effort, reasons: cxReasons(c, s) },
    });
    return {
      row: [
        c.id,
        c.accountId,
        c.createdAtMs,
        month,
        c.channel,
        c.aiInvolved ? 1 : 0,
        c.aiResolutionState,
        c.reopened ? 1 : 0,
        c.csat ?? null,
        taxonomyId,
        confidence,
        s.resolution,
        s.sentiment,
        s.effort,
        unreadable ? 1 : 0,
      ],
    };
  }
}

export const BATCH_LINES = 4000;

export interface IngestOptions {
  path: string;
  db: Database.Database;
  accountIds: Set<string>;
  /** loaded only where conversations are classified: here, or in each worker of the parallel ingest */
  classifier: () => Classifier;
  rejects: RejectLog;
  samples: SampleReservoir;
  /** createdAt outside it is a reject (SPEC §2) */
  window: TimeWindow;
  /** fed the file's raw bytes as they are read (the audit log's hash) */
  rawHash?: Hash;
  onProgress?: (lines: number) => void;
  /**
   * Append runs: collects every account-month a written row is counted in, and the one a row it
   * replaces was counted in (keys `account\0month`), so only those months are recounted.
   */
  touched?: Map<string, Placement>;
}

/**
 * Writes batches of rows in input order (INSERT OR REPLACE: the later version of an id wins) and,
 * for an append run, notes the account-months they touch before the old versions are gone.
 */
export function conversationWriter(opts: Pick<IngestOptions, 'db' | 'touched'>) {
  const conversations = conversationStore(opts.db);
  const { touched } = opts;
  // An append looks up every id's earlier version anyway, so it counts the replaced ones as it
  // goes; a new build compares row counts (a count reads the whole index: ~25 ms per 1M rows).
  const storedBefore = touched ? 0 : conversations.count();
  let replaced = 0;
  let replacedLatestMs: number | null = null;
  const replacedAt = (ms: number) => {
    if (replacedLatestMs === null || ms > replacedLatestMs) replacedLatestMs = ms;
  };
  const note = (p: Placement) => {
    const key = `${p.accountId}\u0000${p.month}`;
    if (!touched!.has(key)) touched!.set(key, { accountId: p.accountId, month: p.month });
  };
  return {
    write(rows: readonly ConversationRow[]) {
      if (touched) {
        // an id twice in one batch is not in the table yet when its second version is looked up
        const inBatch = new Map<string, number>();
        for (const row of rows) {
          const earlier = conversations.placement(row[0]);
          if (earlier) note(earlier);
          note({ accountId: row[1], month: row[3] });
          const earlierAt = inBatch.get(row[0]) ?? earlier?.createdAt;
          if (earlierAt !== undefined) {
            replaced++;
            replacedAt(earlierAt);
          }
          inBatch.set(row[0], row[2]);
        }
      }
      conversations.insertMany(rows);
    },
    /** accepted records that did not add a row: they replaced an earlier version of their id */
    duplicates: (accepted: number) =>
      touched ? replaced : accepted - (conversations.count() - storedBefore),
    replacedLatestMs: () => (touched ? replacedLatestMs : null),
  };
}

/** Single-threaded ingest: for small inputs, where starting workers costs more than it saves. */
export async function ingestConversations(opts: IngestOptions): Promise<IngestResult> {
  const { path, rejects } = opts;
  const writer = conversationWriter(opts);
  const flush = writer.write;
  const processor = new LineProcessor(opts.accountIds, opts.classifier(), opts.samples, opts.window);
  let lines = 0;
  let batch: ConversationRow[] = [];
  for await (const [line, text, problem] of readLines(path, undefined, opts.rawHash)) {
    lines++;
    if (problem) {
      rejects.add(path, line, problem, text);
      continue;
    }
    const out = processor.process(text);
    if (out === null) continue;
    if ('reject' in out) {
      rejects.add(path, line, out.reject, text);
      continue;
    }
    batch.push(out.row);
    if (batch.length >= BATCH_LINES) {
      flush(batch);
      batch = [];
      opts.onProgress?.(lines);
    }
  }
  if (batch.length > 0) flush(batch);
  rejects.accepted += processor.accepted;
  return {
    lines,
    accepted: processor.accepted,
    duplicates: writer.duplicates(processor.accepted),
    replacedLatestMs: writer.replacedLatestMs(),
    dataAsOfMs: processor.dataAsOfMs,
    topicMapped: processor.topicMapped,
  };
}
