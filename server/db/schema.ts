/**
 * The serving database, written once by the pipeline and only read by the server.
 * docs/schema.md describes every table; keep the two in step.
 */
/**
 * 4: leaf_months keeps the sums of the three CX sub-signals, so an append run (--append) can
 * re-weigh every stored month after a new CX calibration without reading its conversations.
 * 5: account_cx_buckets (mean CSAT per CX-score bucket, per account) and cx_disagreements (the
 *    rated conversations whose score and rating differ most); leaf months' CX sums come from the
 *    conversations (the isotonic calibration is not linear in the sub-signals).
 * 6: actions say what their gain rests on (gain_source: a measured lift or the peers' gap), with
 *    the lift's interval, its treated accounts and the leaf's headroom.
 * 8: conversations say whether their text was in a language the classifier does not read
 *    (`unreadable`), and an account's detail counts them over the model window.
 * 9: cx_month_buckets (per account-month and rounded CX score: conversations, sub-signal sums,
 *    ratings): the per-account CX over the window and the rating buckets are summed from it, so a
 *    day's --append re-reads only the account-months it touched; the CX calibration is fitted on
 *    the complete months' ratings (`meta.cxCalibration.ratedBefore`).
 * 10: the CX calibration's ratings are sampled by a salted hash of the id (not by rowid) and the
 *     CX effort reads zone-less message times as UTC: a database of 9 holds a calibration and
 *     sub-signals an append must not keep.
 * 11: `meta.forecast` holds `gapClosed`, the share of its topic's gap an action closes, where it
 *     held a lift per kind of action.
 * 12: `samples` is a rowid table: as WITHOUT ROWID each ~1 KB row took an overflow page of its
 *     own (1.4 GB for 0.46 GB of JSON at 10,000 accounts).
 * 13: `samples.resolved`: an append ranks the stored samples from their own rows, without joining
 *     each to its conversation.
 * 14: `actions` gains are net of the fixes still settling on their topic (the served basis says
 *     so, reading the same fixes), none stands on a topic under 5 conversations, and low CX reads
 *     complete months: a database of 13 would be served with sentences its numbers do not match.
 * 15: `backtest.peak6`, the highest monthly rate over M+1 … M+6 that the ceiling is judged against,
 *     and no point predicted before 3 months of live history.
 * 16: `backtest.peak3of6`, the highest rate over 3 consecutive months within M+1 … M+6: the
 *     like-for-like reading of a pass of the (3-month) potential.
 */
export const SCHEMA_VERSION = 16;

const COUNT_COLUMNS = `
  conversations INTEGER NOT NULL,
  involved INTEGER NOT NULL,
  resolved INTEGER NOT NULL,
  resolved_confirmed INTEGER NOT NULL,
  resolved_assumed INTEGER NOT NULL,
  reopened INTEGER NOT NULL,
  reopened_resolutions INTEGER NOT NULL,
  escalated INTEGER NOT NULL,
  procedure_handoff INTEGER NOT NULL,
  negative_feedback INTEGER NOT NULL,
  abandoned INTEGER NOT NULL,
  pending INTEGER NOT NULL,
  ratings INTEGER NOT NULL,
  positive_ratings INTEGER NOT NULL,
  cx_scored INTEGER NOT NULL,
  cx_sum REAL NOT NULL`;

export const SCHEMA_SQL = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE taxonomy (
  id TEXT PRIMARY KEY,
  grp TEXT NOT NULL,
  label TEXT NOT NULL,
  automation_class TEXT NOT NULL,
  description TEXT NOT NULL
);

CREATE TABLE accounts (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  vertical TEXT NOT NULL,
  plan TEXT,
  arr REAL,
  csm TEXT,
  region TEXT,
  ai_live_since TEXT,
  status TEXT NOT NULL,
  summary_json TEXT NOT NULL,
  detail_json TEXT NOT NULL
);

CREATE TABLE conversations (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  month TEXT NOT NULL,
  channel TEXT NOT NULL,
  ai_involved INTEGER NOT NULL,
  state TEXT,
  reopened INTEGER NOT NULL,
  csat INTEGER,
  taxonomy_id TEXT NOT NULL,
  confidence REAL NOT NULL,
  cx_resolution REAL NOT NULL,
  cx_sentiment REAL NOT NULL,
  cx_effort REAL NOT NULL,
  unreadable INTEGER NOT NULL
);

CREATE TABLE account_months (
  account_id TEXT NOT NULL,
  month TEXT NOT NULL,${COUNT_COLUMNS},
  PRIMARY KEY (account_id, month)
) WITHOUT ROWID;

CREATE TABLE leaf_months (
  account_id TEXT NOT NULL,
  month TEXT NOT NULL,
  taxonomy_id TEXT NOT NULL,${COUNT_COLUMNS},
  cx_resolution_sum REAL NOT NULL,
  cx_sentiment_sum REAL NOT NULL,
  cx_effort_sum REAL NOT NULL,
  PRIMARY KEY (account_id, month, taxonomy_id)
) WITHOUT ROWID;

CREATE TABLE cx_month_buckets (
  account_id TEXT NOT NULL,
  month TEXT NOT NULL,
  score INTEGER NOT NULL,
  conversations INTEGER NOT NULL,
  resolution_sum REAL NOT NULL,
  sentiment_sum REAL NOT NULL,
  effort_sum REAL NOT NULL,
  rated INTEGER NOT NULL,
  csat_sum REAL NOT NULL,
  PRIMARY KEY (account_id, month, score)
) WITHOUT ROWID;

CREATE TABLE account_leaves (
  account_id TEXT NOT NULL,
  taxonomy_id TEXT NOT NULL,
  conversations INTEGER NOT NULL,
  involved INTEGER NOT NULL,
  resolved INTEGER NOT NULL,
  ratings INTEGER NOT NULL,
  positive_ratings INTEGER NOT NULL,
  cx_scored INTEGER NOT NULL,
  cx_sum REAL NOT NULL,
  share REAL NOT NULL,
  achievable_involvement REAL NOT NULL,
  achievable_resolution REAL NOT NULL,
  achievable_automation REAL NOT NULL,
  gap_points REAL NOT NULL,
  gap_conversations REAL NOT NULL,
  peer_accounts INTEGER NOT NULL,
  PRIMARY KEY (account_id, taxonomy_id)
) WITHOUT ROWID;

CREATE TABLE actions (
  account_id TEXT NOT NULL,
  rank INTEGER NOT NULL,
  taxonomy_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  gain_points REAL NOT NULL,
  gain_conversations REAL NOT NULL,
  monthly_conversations REAL NOT NULL,
  share REAL NOT NULL,
  involvement_rate REAL,
  resolution_rate REAL,
  achievable_involvement REAL NOT NULL,
  achievable_resolution REAL NOT NULL,
  cumulative_rate REAL NOT NULL,
  sample_ids_json TEXT NOT NULL,
  gain_source TEXT NOT NULL,
  gain_low REAL,
  gain_high REAL,
  lift_accounts INTEGER,
  headroom_points REAL NOT NULL,
  PRIMARY KEY (account_id, rank)
) WITHOUT ROWID;

CREATE TABLE account_classes (
  account_id TEXT NOT NULL,
  automation_class TEXT NOT NULL,
  conversations INTEGER NOT NULL,
  share REAL NOT NULL,
  involvement_rate REAL,
  resolution_rate REAL,
  automation_rate REAL,
  achievable_automation REAL NOT NULL,
  gap_points REAL NOT NULL,
  gap_conversations REAL NOT NULL,
  cx_score REAL,
  PRIMARY KEY (account_id, automation_class)
) WITHOUT ROWID;

CREATE TABLE account_cx (
  account_id TEXT PRIMARY KEY,
  resolution REAL,
  sentiment REAL,
  effort REAL,
  distribution_json TEXT NOT NULL
);

CREATE TABLE account_cx_buckets (
  account_id TEXT NOT NULL,
  score INTEGER NOT NULL,
  rated INTEGER NOT NULL,
  csat_sum REAL NOT NULL,
  PRIMARY KEY (account_id, score)
) WITHOUT ROWID;

CREATE TABLE cx_disagreements (
  account_id TEXT NOT NULL,
  rank INTEGER NOT NULL,
  conversation_id TEXT NOT NULL,
  taxonomy_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  channel TEXT NOT NULL,
  ai_involved INTEGER NOT NULL,
  state TEXT,
  reopened INTEGER NOT NULL,
  csat INTEGER NOT NULL,
  score REAL NOT NULL,
  resolution REAL NOT NULL,
  sentiment REAL NOT NULL,
  effort REAL NOT NULL,
  PRIMARY KEY (account_id, rank)
) WITHOUT ROWID;

-- A rowid table: a sample's row (~1 KB of JSON) is over what a WITHOUT ROWID page keeps inline,
-- so each spilled to an overflow page of its own, 3 KB of a 4 KB page unused (schema 12).
CREATE TABLE samples (
  account_id TEXT NOT NULL,
  taxonomy_id TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  resolved INTEGER NOT NULL,
  sample_json TEXT NOT NULL,
  UNIQUE (account_id, taxonomy_id, conversation_id)
);

CREATE TABLE interventions (
  account_id TEXT NOT NULL,
  date TEXT NOT NULL,
  kind TEXT NOT NULL,
  taxonomy_id TEXT,
  note TEXT
);

CREATE TABLE leaf_benchmarks (
  taxonomy_id TEXT PRIMARY KEY,
  automation_class TEXT NOT NULL,
  peers INTEGER NOT NULL,
  involvement_low REAL NOT NULL,
  involvement REAL NOT NULL,
  involvement_high REAL NOT NULL,
  resolution_low REAL NOT NULL,
  resolution REAL NOT NULL,
  resolution_high REAL NOT NULL
);
`;

export const ANALYSIS_SQL = `
CREATE TABLE patterns (
  vertical TEXT NOT NULL,
  period INTEGER NOT NULL,
  from_month TEXT NOT NULL,
  to_month TEXT NOT NULL,
  leaves_json TEXT NOT NULL,
  lifts_json TEXT NOT NULL,
  PRIMARY KEY (vertical, period)
) WITHOUT ROWID;

CREATE TABLE backtest (
  account_id TEXT NOT NULL,
  month TEXT NOT NULL,
  vertical TEXT NOT NULL,
  predicted REAL NOT NULL,
  predicted_low REAL NOT NULL,
  predicted_high REAL NOT NULL,
  current_rate REAL NOT NULL,
  actual3 REAL,
  actual6 REAL,
  peak6 REAL,
  peak3of6 REAL,
  acted INTEGER NOT NULL,
  PRIMARY KEY (account_id, month)
) WITHOUT ROWID;

CREATE TABLE account_forecasts (
  account_id TEXT PRIMARY KEY,
  forecast_json TEXT NOT NULL
) WITHOUT ROWID;
`;

/**
 * Indexes are built after the bulk load: cheaper than maintaining them row by row. An append run
 * starts from a finished database that already has them, hence IF NOT EXISTS.
 */
export const INDEX_SQL = `
CREATE INDEX IF NOT EXISTS conversations_account_month ON conversations (account_id, month);
CREATE INDEX IF NOT EXISTS interventions_account ON interventions (account_id, date);
`;

/**
 * The tables an append run empties and rebuilds from the stored conversations and aggregates:
 * everything but \`conversations\` (kept, rows replaced by id), \`leaf_months\` (read back first;
 * the touched account-months' rows are counted again and rewritten), and \`cx_month_buckets\`,
 * \`cx_disagreements\` and \`samples\` (refreshed for the accounts the append touched when the CX
 * calibration is kept, rebuilt otherwise: scripts/pipeline/model.ts).
 */
export const DERIVED_TABLES = [
  'meta',
  'taxonomy',
  'accounts',
  'account_months',
  'account_leaves',
  'actions',
  'account_classes',
  'account_cx',
  'account_cx_buckets',
  'interventions',
  'leaf_benchmarks',
  'patterns',
  'backtest',
  'account_forecasts',
] as const;
