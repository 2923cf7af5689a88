/**
 * The query of `npm run bench:api`'s floor (issue 12): a minimal Hono + better-sqlite3 endpoint
 * the account endpoint is measured against. Twelve leaf-months read in primary-key order from the
 * account's first one on (a range scan, no sort; always 12 rows, even for an account with fewer of
 * its own). Kept here with the rest of the house's SQL.
 */
export const FLOOR_SQL = `SELECT account_id AS accountId, month, taxonomy_id AS taxonomyId, conversations, involved, resolved
  FROM leaf_months WHERE account_id >= ? ORDER BY account_id, month, taxonomy_id LIMIT 12`;
