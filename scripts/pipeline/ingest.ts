/**
 * The streaming pass over conversations: parse, validate, classify, score the CX sub-signals,
 * write one compact row per conversation and keep a bounded sample per account × leaf.
 */
import type Database from 'better-sqlite3';
import { assignLeaf } from '../../server/domain/assign.ts';
import type { Classifier } from '../../server/domain/classifier.ts';
import { cxSignals } from '../../server/domain/cx.ts';
import { isResolved, monthOf } from '../../server/domain/metrics.ts';
import { hash32 } from '../../server/domain/stats.ts';
import { type ValidConversation, validateConversation } from '../../server/domain/validate.ts';
import { readLines } from './lines.ts';
import type { RejectLog } from './rejects.ts';

/** Per account × leaf: this many resolved and this many unresolved examples, newest months first. */
export const SAMPLES_PER_OUTCOME = 3;
const MAX_MESSAGES = 16;
const MAX_MESSAGE_CHARS = 600;

export interface SampleCandidate {
  conversation: ValidConversation;
  taxonomyId: string;
  confidence: number;
  month: string;
  hash: number;
}

/** Keeps the newest month first, then the lowest id hash: deterministic whatever the input order. */
function better(a: SampleCandidate, b: SampleCandidate): boolean {
  return a.month > b.month || (a.month === b.month && a.hash < b.hash);
}

export class SampleReservoir {
  private readonly slots = new Map<string, { resolved: SampleCandidate[]; other: SampleCandidate[] }>();

  offer(c: SampleCandidate) {
    const key = `${c.conversation.accountId}\u0000${c.taxonomyId}`;
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { resolved: [], other: [] };
      this.slots.set(key, slot);
    }
    const list = isResolved(c.conversation) ? slot.resolved : slot.other;
    const same = list.findIndex((s) => s.conversation.id === c.conversation.id);
    if (same >= 0) list.splice(same, 1);
    if (list.length < SAMPLES_PER_OUTCOME) {
      list.push({ ...c, conversation: compact(c.conversation) });
      return;
    }
    let worst = 0;
    for (let i = 1; i < list.length; i++) if (better(list[worst]!, list[i]!)) worst = i;
    if (better(c, list[worst]!)) list[worst] = { ...c, conversation: compact(c.conversation) };
  }

  *all(): Generator<SampleCandidate> {
    for (const slot of this.slots.values()) {
      yield* slot.other;
      yield* slot.resolved;
    }
  }
}

function compact(c: ValidConversation): ValidConversation {
  return {
    ...c,
    messages: c.messages.slice(0, MAX_MESSAGES).map((m) => ({
      ...m,
      text: m.text.length > MAX_MESSAGE_CHARS ? `${m.text.slice(0, MAX_MESSAGE_CHARS)}…` : m.text,
    })),
  };
}

export interface IngestResult {
  lines: number;
  accepted: number;
  duplicates: number;
  dataAsOfMs: number | null;
  topicMapped: number;
}

export async function ingestConversations(opts: {
  path: string;
  db: Database.Database;
  accountIds: Set<string>;
  classifier: Classifier;
  rejects: RejectLog;
  samples: SampleReservoir;
  onProgress?: (lines: number) => void;
}): Promise<IngestResult> {
  const { path, db, accountIds, classifier, rejects, samples } = opts;
  const insert = db.prepare(
    `INSERT OR REPLACE INTO conversations (id, account_id, created_at, month, channel, ai_involved, state, reopened,
       csat, taxonomy_id, confidence, cx_resolution, cx_sentiment, cx_effort)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  let lines = 0;
  let accepted = 0;
  let topicMapped = 0;
  let dataAsOfMs: number | null = null;
  const BATCH = 5000;
  let batch: unknown[][] = [];
  const flush = db.transaction((rows: unknown[][]) => {
    for (const row of rows) insert.run(row);
  });

  for await (const [line, text] of readLines(path)) {
    lines++;
    if (text.length === 0 || text.trim() === '') continue;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      rejects.add(path, line, 'malformed JSON', text);
      continue;
    }
    const v = validateConversation(raw);
    if (!v.ok) {
      rejects.add(path, line, v.reason, text);
      continue;
    }
    const c = v.value;
    if (!accountIds.has(c.accountId)) {
      rejects.add(path, line, `unknown accountId "${c.accountId}" (not in the accounts file)`, text);
      continue;
    }
    rejects.accepted++;
    accepted++;
    const { taxonomyId, confidence } = assignLeaf(c, classifier);
    if (confidence === 1 && c.topic) topicMapped++;
    const s = cxSignals(c);
    const month = monthOf(c.createdAtMs);
    if (dataAsOfMs === null || c.createdAtMs > dataAsOfMs) dataAsOfMs = c.createdAtMs;
    batch.push([
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
    ]);
    samples.offer({ conversation: c, taxonomyId, confidence, month, hash: hash32(c.id) });
    if (batch.length >= BATCH) {
      flush(batch);
      batch = [];
      opts.onProgress?.(lines);
    }
  }
  if (batch.length > 0) flush(batch);
  const stored = (db.prepare('SELECT count(*) AS n FROM conversations').get() as { n: number }).n;
  return { lines, accepted, duplicates: accepted - stored, dataAsOfMs, topicMapped };
}
