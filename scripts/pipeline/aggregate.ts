/** Monthly aggregates per account × taxonomy leaf, counted through the metric definitions. */
import type Database from 'better-sqlite3';
import {
  type CxSignalSums,
  conversationStore,
  type OutcomeGroup,
  type Placement,
  type StoredLeafMonth,
} from '../../server/db/build.ts';
import { countGroup, emptyCounts, type OutcomeCounts } from '../../server/domain/metrics.ts';

export interface LeafMonth {
  accountId: string;
  month: string;
  taxonomyId: string;
  counts: OutcomeCounts;
  /** kept beside the counts so a later append can re-weigh the month (counts.cxSum) */
  cxSignals: CxSignalSums;
}

/**
 * The summed CX score of a group from its summed sub-signals. Every sub-signal is within 1–5, so
 * the weighted mean of one conversation never needs combineCx's clamp, and the sum of the means is
 * the weighted mean of the sums. A full build and an append both take this path, so a month
 * counts the same whichever run counted it.
 */
export function cxSumOf(sums: CxSignalSums, weights: readonly number[]): number {
  const [wr = 0, ws = 0, we = 0] = weights;
  return (wr * sums.resolution + ws * sums.sentiment + we * sums.effort) / (wr + ws + we);
}

/**
 * SQL groups conversations by their outcome; countGroup applies SPEC §1 to each group, so the
 * definitions are written once (server/domain/metrics.ts).
 */
export function aggregateLeafMonths(db: Database.Database, weights: readonly number[]): LeafMonth[] {
  return countLeafMonths(conversationStore(db).outcomeGroups(), weights);
}

/**
 * The leaf months of an append run: the stored rows of every account-month the new conversations
 * did not touch (re-weighed with the new calibration), and a recount from the conversations of
 * the touched ones.
 */
export function aggregateLeafMonthsIncrementally(
  db: Database.Database,
  stored: readonly StoredLeafMonth[],
  touched: Iterable<Placement>,
  weights: readonly number[],
): LeafMonth[] {
  const kept = stored.map((lm) => ({
    ...lm,
    counts: { ...lm.counts, cxSum: cxSumOf(lm.cxSignals, weights) },
  }));
  const recounted = countLeafMonths(conversationStore(db).outcomeGroupsOf(touched), weights);
  return [...kept, ...recounted].sort(
    (a, b) =>
      compare(a.accountId, b.accountId) || compare(a.month, b.month) || compare(a.taxonomyId, b.taxonomyId),
  );
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function countLeafMonths(groups: Iterable<OutcomeGroup>, weights: readonly number[]): LeafMonth[] {
  const byKey = new Map<string, LeafMonth>();
  for (const g of groups) {
    const key = `${g.accountId}\u0000${g.month}\u0000${g.taxonomyId}`;
    let row = byKey.get(key);
    if (!row) {
      row = {
        accountId: g.accountId,
        month: g.month,
        taxonomyId: g.taxonomyId,
        counts: emptyCounts(),
        cxSignals: { resolution: 0, sentiment: 0, effort: 0 },
      };
      byKey.set(key, row);
    }
    countGroup(
      row.counts,
      {
        aiInvolved: g.aiInvolved === 1,
        aiResolutionState: g.state,
        reopened: g.reopened === 1,
        csat: g.csat,
      },
      g.n,
      g.n,
    );
    row.cxSignals.resolution += g.cxResolution;
    row.cxSignals.sentiment += g.cxSentiment;
    row.cxSignals.effort += g.cxEffort;
  }
  const rows = [...byKey.values()];
  for (const row of rows) row.counts.cxSum = cxSumOf(row.cxSignals, weights);
  return rows;
}
