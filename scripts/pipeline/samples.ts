/**
 * The example conversations of each account × leaf, written as soon as the CX calibration that
 * scores them is known: the reservoir that held them (about half a million examples, ~600 MB at
 * 10,000 accounts) is then emptied before the aggregates and the model fill the heap.
 */
import type Database from 'better-sqlite3';
import type { SampleConversation } from '../../server/api-types.ts';
import { conversationStore, servingTableWriter } from '../../server/db/build.ts';
import { calibratedCx, cxExplanation } from '../../server/domain/cx.ts';
import { getOrCreate } from '../../server/domain/maps.ts';
import { isResolved } from '../../server/domain/metrics.ts';
import type { CxCalibration } from './calibrate.ts';
import { isStoredSample, type SampleReservoir } from './ingest.ts';

/**
 * Writes the examples the reservoir holds, validated against the stored rows (a later duplicate
 * may have replaced one), and empties it. `keepStored`: an append that kept the CX calibration,
 * whose stored examples still held stay as they are (their conversations were not read again, so
 * their rows and scores stand) and only the new ones are written. Returns each account × leaf's
 * example ids, unresolved then resolved, best first (the actions cite them).
 */
export function writeSamples(
  db: Database.Database,
  samples: SampleReservoir,
  calibration: Pick<CxCalibration, 'weights' | 'curves'>,
  keepStored: boolean,
): Map<string, string[]> {
  const write = servingTableWriter(db);
  const conversations = conversationStore(db);
  const sampleIds = new Map<string, string[]>();
  // read in full before the stored rows are cleared, when every sample is written again
  const held = [...samples.all()].map((s) => (keepStored || !isStoredSample(s) ? s : samples.restore(s)));
  if (keepStored) write.removeSamples(samples.droppedStored());
  else write.clearSamples();
  samples.clear();
  for (const h of held) {
    if (isStoredSample(h)) {
      getOrCreate(sampleIds, `${h.accountId}\u0000${h.taxonomyId}`, () => []).push(h.id);
      continue;
    }
    const s = samples.candidate(h);
    const c = s.head;
    const stored = conversations.stored(c.id);
    if (!stored || stored.accountId !== c.accountId || stored.taxonomyId !== s.taxonomyId) continue;
    const signals = s.cx;
    const score = calibratedCx(
      signals.resolution,
      signals.sentiment,
      signals.effort,
      calibration.weights,
      calibration.curves,
    );
    const sample: Omit<SampleConversation, 'messages'> = {
      id: c.id,
      taxonomyId: s.taxonomyId,
      confidence: s.confidence,
      createdAt: new Date(c.createdAtMs).toISOString(),
      channel: c.channel,
      aiInvolved: c.aiInvolved,
      aiResolutionState: c.aiResolutionState,
      reopened: c.reopened,
      csat: c.csat,
      cx: {
        score,
        resolution: signals.resolution,
        sentiment: signals.sentiment,
        effort: signals.effort,
        explanation: cxExplanation(signals.reasons, score),
      },
    };
    // the messages were serialized when the example was kept: spliced in as the last key, the
    // same JSON as stringifying the whole sample
    const json = `${JSON.stringify(sample).slice(0, -1)},"messages":${s.messagesJson}}`;
    write.sample(c.accountId, s.taxonomyId, c.id, sample.createdAt, isResolved(c) ? 1 : 0, json);
    getOrCreate(sampleIds, `${c.accountId}\u0000${s.taxonomyId}`, () => []).push(c.id);
  }
  return sampleIds;
}
