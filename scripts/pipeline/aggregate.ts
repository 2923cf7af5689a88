/** Monthly aggregates per account × taxonomy leaf, counted through the metric definitions. */
import type Database from 'better-sqlite3';
import { conversationStore } from '../../server/db/build.ts';
import { countGroup, emptyCounts, type OutcomeCounts } from '../../server/domain/metrics.ts';

export interface LeafMonth {
  accountId: string;
  month: string;
  taxonomyId: string;
  counts: OutcomeCounts;
}

/**
 * SQL groups conversations by their outcome; countGroup applies SPEC §1 to each group, so the
 * definitions are written once (server/domain/metrics.ts).
 */
export function aggregateLeafMonths(db: Database.Database, cxExpr: string): LeafMonth[] {
  const groups = conversationStore(db).outcomeGroups(cxExpr);
  const byKey = new Map<string, LeafMonth>();
  for (const g of groups) {
    const key = `${g.accountId}\u0000${g.month}\u0000${g.taxonomyId}`;
    let row = byKey.get(key);
    if (!row) {
      row = { accountId: g.accountId, month: g.month, taxonomyId: g.taxonomyId, counts: emptyCounts() };
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
      g.cxSum,
    );
  }
  return [...byKey.values()];
}
