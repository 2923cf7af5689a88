/** Peer rows for prospect benchmarks: customer accounts' model-window leaf counts. */
import type Database from 'better-sqlite3';
import type { PeerLeafRow } from '../domain/estimate.ts';

const PEER_LEAVES_SQL = `
  SELECT l.account_id AS accountId, a.vertical, l.taxonomy_id AS taxonomyId,
         t.automation_class AS automationClass, l.conversations, l.involved, l.resolved
  FROM account_leaves l
  JOIN accounts a ON a.id = l.account_id
  JOIN taxonomy t ON t.id = l.taxonomy_id
  WHERE a.status = 'customer'`;

export function peerLeafRows(db: Database.Database): PeerLeafRow[] {
  return db.prepare<[], PeerLeafRow>(PEER_LEAVES_SQL).all();
}
