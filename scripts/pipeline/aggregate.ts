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
  /** the sub-signal sums of the month (their means are shown beside the score) */
  cxSignals: CxSignalSums;
}

/**
 * The summed CX score of every leaf month, from the conversations (the calibrated score is not
 * linear in the sub-signals, so it is summed per conversation: cxSqlExpression keeps each score
 * in steps of 1/64, so the sum is exact in any order). A full build and an append both take this
 * path, so a month counts the same whichever run counted it.
 */
function cxSums(db: Database.Database, cxExpr: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of conversationStore(db).cxScoreSums(cxExpr))
    out.set(`${r.accountId}\u0000${r.month}\u0000${r.taxonomyId}`, r.cxSum);
  return out;
}

/**
 * SQL groups conversations by their outcome; countGroup applies SPEC §1 to each group, so the
 * definitions are written once (server/domain/metrics.ts).
 */
export function aggregateLeafMonths(db: Database.Database, cxExpr: string): LeafMonth[] {
  const rows = countLeafMonths(conversationStore(db).outcomeGroups());
  setCxSums(rows, cxSums(db, cxExpr));
  return rows;
}

/**
 * The leaf months of an append run: the stored rows of every account-month the new conversations
 * did not touch, and a recount from the conversations of the touched ones. With the calibration
 * kept (`sameCalibration`), a stored row's CX sum stands and only the touched months' are summed;
 * otherwise every CX sum is taken again from the conversations (the curves are not linear).
 */
export function aggregateLeafMonthsIncrementally(
  db: Database.Database,
  stored: readonly StoredLeafMonth[],
  touched: Iterable<Placement>,
  cxExpr: string,
  sameCalibration = false,
): LeafMonth[] {
  const placements = [...touched];
  const kept = stored.map((lm) => ({ ...lm, counts: { ...lm.counts } }));
  const conversations = conversationStore(db);
  const recounted = countLeafMonths(conversations.outcomeGroupsOf(placements));
  const rows = [...kept, ...recounted];
  if (sameCalibration) {
    const sums = new Map<string, number>();
    for (const r of conversations.cxScoreSumsOf(placements, cxExpr))
      sums.set(`${r.accountId}\u0000${r.month}\u0000${r.taxonomyId}`, r.cxSum);
    setCxSums(recounted, sums);
  } else setCxSums(rows, cxSums(db, cxExpr));
  return rows.sort(
    (a, b) =>
      compare(a.accountId, b.accountId) || compare(a.month, b.month) || compare(a.taxonomyId, b.taxonomyId),
  );
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function setCxSums(rows: LeafMonth[], sums: ReadonlyMap<string, number>): void {
  for (const row of rows)
    row.counts.cxSum = sums.get(`${row.accountId}\u0000${row.month}\u0000${row.taxonomyId}`) ?? 0;
}

function countLeafMonths(groups: Iterable<OutcomeGroup>): LeafMonth[] {
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
  return [...byKey.values()];
}
