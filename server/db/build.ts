/**
 * The pipeline's side of the serving database: every statement that creates, fills or reads a
 * database being built, so all SQL of the house lives in server/db/ (the server's side is
 * queries.ts). The pipeline (scripts/pipeline/) calls these and never writes SQL itself.
 */
import type Database from 'better-sqlite3';
import type { BacktestPoint } from '../domain/backtest.ts';
import type { ClassRollup } from '../domain/breakdown.ts';
import type { OutcomeCounts } from '../domain/metrics.ts';
import { hash32 } from '../domain/stats.ts';
import type { Account, Intervention, ResolutionState } from '../domain/types.ts';
import { ANALYSIS_SQL, DERIVED_TABLES, INDEX_SQL, SCHEMA_SQL } from './schema.ts';

/** Count columns of leaf_months / account_months, in table order, with their OutcomeCounts key. */
const COUNT_COLS = [
  ['conversations', 'conversations'],
  ['involved', 'involved'],
  ['resolved', 'resolved'],
  ['resolved_confirmed', 'resolvedConfirmed'],
  ['resolved_assumed', 'resolvedAssumed'],
  ['reopened', 'reopened'],
  ['reopened_resolutions', 'reopenedResolutions'],
  ['escalated', 'escalated'],
  ['procedure_handoff', 'procedureHandoff'],
  ['negative_feedback', 'negativeFeedback'],
  ['abandoned', 'abandoned'],
  ['pending', 'pending'],
  ['ratings', 'ratings'],
  ['positive_ratings', 'positiveRatings'],
  ['cx_scored', 'cxScored'],
  ['cx_sum', 'cxSum'],
] as const satisfies readonly (readonly [string, keyof OutcomeCounts])[];

const countValues = (c: OutcomeCounts) => COUNT_COLS.map(([, k]) => c[k]);

/**
 * Sums of the three CX sub-signals over a group of conversations. The CX score is a weighted
 * mean of sub-signals that are each within 1–5, so it never needs clamping and its sum over a
 * group is the same weighted mean of these sums: a stored month can be re-weighed after a new
 * calibration without reading its conversations.
 */
export interface CxSignalSums {
  resolution: number;
  sentiment: number;
  effort: number;
}
const countColumns = COUNT_COLS.map(([c]) => c).join(', ');
const countMarks = COUNT_COLS.map(() => '?').join(', ');

/** One row of `conversations` as the ingest writes it (the order of INSERT_CONVERSATION). */
export type ConversationRow = [
  id: string,
  accountId: string,
  createdAtMs: number,
  month: string,
  channel: string,
  aiInvolved: 0 | 1,
  state: string | null,
  reopened: 0 | 1,
  csat: number | null,
  taxonomyId: string,
  confidence: number,
  cxResolution: number,
  cxSentiment: number,
  cxEffort: number,
  /** 1 when the text is in a language the classifier does not read (Classification.unreadable) */
  unreadable: 0 | 1,
];

export const INSERT_CONVERSATION = `INSERT OR REPLACE INTO conversations (id, account_id, created_at, month, channel,
  ai_involved, state, reopened, csat, taxonomy_id, confidence, cx_resolution, cx_sentiment, cx_effort, unreadable)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** A group of conversations with one outcome, per account × month × leaf (for countGroup). */
export interface OutcomeGroup {
  accountId: string;
  month: string;
  taxonomyId: string;
  aiInvolved: number;
  state: ResolutionState | null;
  reopened: number;
  csat: number | null;
  /** the calibrated CX score rounded to 1–5 (the group's conversations share it) */
  score: number;
  n: number;
  /** the calibrated CX scores summed (exact: each is a multiple of 1/64) */
  cxSum: number;
  cxResolution: number;
  cxSentiment: number;
  cxEffort: number;
}

/** One row of `cx_month_buckets`. */
export interface CxMonthBucket {
  accountId: string;
  month: string;
  score: number;
  conversations: number;
  resolutionSum: number;
  sentimentSum: number;
  effortSum: number;
  rated: number;
  csatSum: number;
}

/** A stored leaf_months row, as an append run reads it back. */
export interface StoredLeafMonth {
  accountId: string;
  month: string;
  taxonomyId: string;
  counts: OutcomeCounts;
  cxSignals: CxSignalSums;
}

/**
 * A stored sample as an append run reads it back into the sample reservoir: what ranks it, from
 * its own row (a sample is always of the version the conversations table holds: a later version
 * replaces both).
 */
export interface StoredSample {
  accountId: string;
  taxonomyId: string;
  id: string;
  createdAt: string;
  /** 1 when its conversation counts as resolved (metrics.ts `isResolved`) */
  resolved: 0 | 1;
}

/** Where a stored conversation is counted: its account-month. */
export interface Placement {
  accountId: string;
  month: string;
}

export interface RatedConversation {
  id: string;
  accountId: string;
  csat: number;
  r: number;
  s: number;
  e: number;
}

export interface CxGroup {
  accountId: string;
  score: number;
  n: number;
  r: number;
  s: number;
  e: number;
}

/** Tuning of a database file being built: fast writes (the file is checked and synced before the swap). */
export function prepareBuildFile(db: Database.Database): void {
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  // A bounded page cache keeps memory flat as the input grows (64 MB). Sorts for indexes and
  // GROUP BYs spill to a temporary file instead of memory: in memory they grew with the input
  // (the 5M-conversation build peaked at ~1 GB, ~580 MB with FILE, for no measurable time cost).
  db.pragma('cache_size = -64000');
  db.pragma('temp_store = FILE');
  db.exec(SCHEMA_SQL);
  db.exec(ANALYSIS_SQL);
}

/**
 * Starts an append run's one transaction on the database being served. The append writes in place:
 * readers see the last committed build until the COMMIT, a failed or interrupted run rolls back,
 * and a killed one leaves a journal that the next opener rolls back (recoverInterruptedWrite).
 * The page cache holds every page the run changes, so readers are not locked out before the commit
 * (a spill to the file would take the exclusive lock for the rest of the run).
 */
export function beginAppend(db: Database.Database): void {
  db.pragma('cache_size = -256000');
  db.pragma('temp_store = FILE');
  db.exec('BEGIN IMMEDIATE');
}

/** Empties every table an append run rebuilds; `conversations` is kept (rows replaced by id). */
export function prepareAppendFile(db: Database.Database): void {
  for (const table of DERIVED_TABLES) db.exec(`DELETE FROM ${table}`);
}

/** Indexes, meta and statistics of an append, inside its transaction: the caller commits. */
export function finishAppend(db: Database.Database, meta: Record<string, unknown>): void {
  db.exec(INDEX_SQL);
  const insertMeta = db.prepare<[string, string]>('INSERT INTO meta VALUES (?, ?)');
  for (const [k, v] of Object.entries(meta)) insertMeta.run(k, JSON.stringify(v));
  // Statistics again only for a table whose size has moved far from what the last ANALYZE saw
  // (SQLite's advice for long-lived databases): a day's append rarely moves any, and a full ANALYZE
  // took 50 ms of a 1.4 s append at 1M conversations.
  db.pragma('analysis_limit = 400');
  db.exec('PRAGMA optimize');
}

/** What an append run reads from the database it extends, before it empties the derived tables. */
export function storedBuild(db: Database.Database) {
  return {
    meta: (): Record<string, unknown> =>
      Object.fromEntries(
        db
          .prepare<[], { key: string; value: string }>('SELECT key, value FROM meta')
          .all()
          .map((r) => [r.key, JSON.parse(r.value) as unknown]),
      ),
    /** the largest rowid in `conversations`: every row the append writes gets a larger one */
    lastConversationRowid: (): number =>
      (db.prepare('SELECT max(rowid) FROM conversations').pluck().get() as number | null) ?? 0,
    accounts: (): Account[] =>
      db
        .prepare<[], Account>(
          `SELECT id, name, vertical, plan, arr, csm, region, ai_live_since AS aiLiveSince, status
           FROM accounts ORDER BY rowid`,
        )
        .all(),
    interventions: (): Intervention[] =>
      db
        .prepare<[], Intervention>(
          'SELECT account_id AS accountId, date, kind, taxonomy_id AS taxonomyId, note FROM interventions ORDER BY rowid',
        )
        .all(),
    samples: (): StoredSample[] =>
      db
        .prepare<[], StoredSample>(
          // from the samples alone: the outcome is stored with each (joining every sample to its
          // conversation was 0.1 s of a 1M-conversation append, ~0.5 s at 10,000 accounts)
          `SELECT account_id AS accountId, taxonomy_id AS taxonomyId, conversation_id AS id,
                  created_at AS createdAt, resolved
           FROM samples`,
        )
        .all(),
    /** a stored sample's JSON (the reservoir reads it only to write the sample again) */
    sampleJson: (): ((accountId: string, taxonomyId: string, id: string) => string) => {
      const read = db
        .prepare<[string, string, string], string>(
          'SELECT sample_json FROM samples WHERE account_id = ? AND taxonomy_id = ? AND conversation_id = ?',
        )
        .pluck();
      return (accountId, taxonomyId, id) => {
        const json = read.get(accountId, taxonomyId, id);
        if (json === undefined) throw new Error(`stored sample ${id} (${accountId}, ${taxonomyId}) is gone`);
        return json;
      };
    },
    /**
     * Every leaf month except those of the account-months in `touched` (keys `account\u0000month`),
     * whose rows are deleted for the run to count and write them again.
     */
    takeLeafMonths: (touched: ReadonlySet<string>): StoredLeafMonth[] => {
      const out: StoredLeafMonth[] = [];
      // read as arrays: objects of 20 named columns cost 3-4× as much, and an append reads them all
      const rows = db
        .prepare<[], (string | number)[]>(
          `SELECT account_id, month, taxonomy_id, ${countColumns}, cx_resolution_sum, cx_sentiment_sum, cx_effort_sum
           FROM leaf_months ORDER BY account_id, month, taxonomy_id`,
        )
        .raw()
        .iterate();
      const sums = 3 + COUNT_COLS.length;
      for (const r of rows) {
        const accountId = r[0] as string;
        const month = r[1] as string;
        if (touched.has(`${accountId}\u0000${month}`)) continue;
        const counts = {} as OutcomeCounts;
        for (let i = 0; i < COUNT_COLS.length; i++) counts[COUNT_COLS[i]![1]] = r[3 + i] as number;
        out.push({
          accountId,
          month,
          taxonomyId: r[2] as string,
          counts,
          cxSignals: {
            resolution: r[sums] as number,
            sentiment: r[sums + 1] as number,
            effort: r[sums + 2] as number,
          },
        });
      }
      // the kept rows stay as they are: only the touched account-months are written again
      const remove = db.prepare<[string, string]>(
        'DELETE FROM leaf_months WHERE account_id = ? AND month = ?',
      );
      for (const key of touched) {
        const [accountId, month] = key.split('\u0000') as [string, string];
        remove.run(accountId, month);
      }
      return out;
    },
    /** The stored results of the analyses that judge whole months (scripts/pipeline/settled.ts). */
    settled: (): { patternLifts: Map<string, string>; points: BacktestPoint[] } => {
      const patternLifts = new Map(
        db
          .prepare<[], { vertical: string; period: number; lifts: string }>(
            'SELECT vertical, period, lifts_json AS lifts FROM patterns',
          )
          .all()
          .map((r) => [`${r.vertical}\u0000${r.period}`, r.lifts]),
      );
      const points = db
        .prepare<[], Omit<BacktestPoint, 'acted'> & { acted: 0 | 1 }>(
          `SELECT account_id AS accountId, vertical, month, predicted, predicted_low AS predictedLow,
                  predicted_high AS predictedHigh, current_rate AS currentRate, actual3, actual6, peak6, peak3of6, acted
           FROM backtest ORDER BY account_id, month`,
        )
        .all()
        .map((r) => ({ ...r, acted: r.acted === 1 }));
      return { patternLifts, points };
    },
    /** empties leaf_months: the run counts every month again */
    clearLeafMonths: (): void => {
      db.exec('DELETE FROM leaf_months');
    },
  };
}

/** Indexes, meta, statistics and the integrity check, once every table is written. */
export function finishBuildFile(db: Database.Database, meta: Record<string, unknown>): string {
  db.exec(INDEX_SQL);
  const insertMeta = db.prepare<[string, string]>('INSERT INTO meta VALUES (?, ?)');
  for (const [k, v] of Object.entries(meta)) insertMeta.run(k, JSON.stringify(v));
  db.pragma('journal_mode = DELETE');
  // Statistics from a sample of each index (SQLite's own recommendation for large files): the
  // planner needs their shape, not exact counts, and a full ANALYZE read the whole file again
  // (0.43 s against 0.04 s on a 1M-conversation database).
  db.pragma('analysis_limit = 400');
  db.exec('ANALYZE');
  const rows = db.pragma('quick_check') as { quick_check: string }[];
  return rows[0]?.quick_check ?? 'no answer';
}

/** Conversations: written by the ingest, read back by the later phases. */
export function conversationStore(db: Database.Database) {
  const insert = db.prepare<ConversationRow>(INSERT_CONVERSATION);
  const count = db.prepare('SELECT count(*) FROM conversations').pluck();
  const latestCreated = db.prepare('SELECT max(created_at) FROM conversations').pluck();
  const stored = db.prepare<[string], { accountId: string; taxonomyId: string }>(
    'SELECT account_id AS accountId, taxonomy_id AS taxonomyId FROM conversations WHERE id = ?',
  );
  const placement = db.prepare<[string], Placement & { createdAt: number }>(
    'SELECT account_id AS accountId, month, created_at AS createdAt FROM conversations WHERE id = ?',
  );
  // One scan gives every aggregate the build needs from the conversations: outcome counts, the CX
  // sub-signal sums and the calibrated score's sum per leaf month, and the score buckets. The inner
  // LIMIT -1 keeps SQLite from flattening the subquery into the outer one, which would compute the
  // score's expression twice a row (once for round(x), once for sum(x)): 15% of an append's count.
  const groupQuery = (cxExpr: string, where: string) =>
    `SELECT account_id AS accountId, month, taxonomy_id AS taxonomyId, ai_involved AS aiInvolved, state,
            reopened, csat, CAST(round(x) AS INTEGER) AS score, count(*) AS n, sum(x) AS cxSum,
            sum(cx_resolution) AS cxResolution, sum(cx_sentiment) AS cxSentiment, sum(cx_effort) AS cxEffort
     FROM (SELECT account_id, month, taxonomy_id, ai_involved, state, reopened, csat, cx_resolution,
                  cx_sentiment, cx_effort, ${cxExpr} AS x
           FROM conversations ${where} LIMIT -1)
     GROUP BY account_id, month, taxonomy_id, ai_involved, state, reopened, csat, score`;
  // prepared on first use: the store also serves files that only take conversations
  let insertBucket: Database.Statement<
    [string, string, number, number, number, number, number, number, number]
  >;
  /** runs `read` with the account-months in `temp.touched` (read through the account-month index) */
  const withTouched = <T>(accountMonths: Iterable<Placement>, read: () => T): T => {
    db.exec('CREATE TEMP TABLE IF NOT EXISTS touched (account_id TEXT NOT NULL, month TEXT NOT NULL)');
    db.exec('DELETE FROM temp.touched');
    const add = db.prepare<[string, string]>('INSERT INTO temp.touched VALUES (?, ?)');
    for (const p of accountMonths) add.run(p.accountId, p.month);
    try {
      return read();
    } finally {
      db.exec('DROP TABLE temp.touched');
    }
  };
  return {
    insertMany: db.transaction((rows: readonly ConversationRow[]) => {
      for (const row of rows) insert.run(...row);
    }),
    count: (): number => count.get() as number,
    /** conversations per UTC day (days since the epoch), oldest first */
    perDay: (): { day: number; conversations: number }[] =>
      db
        .prepare<[], { day: number; conversations: number }>(
          'SELECT created_at / 86400000 AS day, count(*) AS conversations FROM conversations GROUP BY day ORDER BY day',
        )
        .all(),
    /** the conversations created in [fromMs, toMs), with their accounts, and then removed */
    takeCreatedBetween: (
      fromMs: number,
      toMs: number,
    ): { id: string; accountId: string; createdAt: number }[] => {
      const rows = db
        .prepare<[number, number], { id: string; accountId: string; createdAt: number }>(
          'SELECT id, account_id AS accountId, created_at AS createdAt FROM conversations WHERE created_at >= ? AND created_at < ? ORDER BY created_at',
        )
        .all(fromMs, toMs);
      db.prepare('DELETE FROM conversations WHERE created_at >= ? AND created_at < ?').run(fromMs, toMs);
      return rows;
    },
    /** the latest `created_at` (epoch ms) of the conversations kept, null when there are none */
    latestCreatedAt: (): number | null => (latestCreated.get() as number | null) ?? null,
    /** where a conversation landed (a later duplicate id may have replaced it) */
    stored: (id: string) => stored.get(id),
    /** the account-month a stored conversation is counted in, if it is stored */
    /** where the stored version of `id` is counted, and its created_at (epoch ms) */
    placement: (id: string): (Placement & { createdAt: number }) | undefined => placement.get(id),
    /**
     * Each account's first conversation (ms) in the month given for it — its first month with
     * conversations from some month on (the leaf months say which), so this is its first conversation
     * since then: where an account began inside the model window its per-month volumes count from then
     * (metrics.ts accountWindow). One index range per account: a GROUP BY over every conversation
     * since the month read the whole table (0.5 s of a 1M-conversation append).
     */
    firstCreatedIn: (firstMonths: ReadonlyMap<string, string>): Map<string, number> => {
      const out = new Map<string, number>();
      if (firstMonths.size === 0) return out;
      // An append reads each account's month through the account-month index. A full build has no
      // index yet (it is made after the bulk load), where a lookup per account scanned the whole
      // table each time: 10,000 accounts × 780k conversations ran for over 20 minutes. One grouped
      // pass over the period's rows instead.
      const indexed =
        db
          .prepare(
            "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'conversations_account_month'",
          )
          .get() !== undefined;
      if (indexed) {
        const firstIn = db
          .prepare<[string, string], number | null>(
            'SELECT min(created_at) FROM conversations WHERE account_id = ? AND month = ?',
          )
          .pluck();
        for (const [accountId, month] of firstMonths) {
          const first = firstIn.get(accountId, month);
          if (typeof first === 'number') out.set(accountId, first);
        }
        return out;
      }
      const from = [...firstMonths.values()].reduce((a, b) => (b < a ? b : a));
      const rows = db
        .prepare<[string], { accountId: string; month: string; first: number }>(
          'SELECT account_id AS accountId, month, min(created_at) AS first FROM conversations WHERE month >= ? GROUP BY account_id, month',
        )
        .iterate(from);
      for (const r of rows) if (firstMonths.get(r.accountId) === r.month) out.set(r.accountId, r.first);
      return out;
    },
    /** per account, its conversations from `fromMonth` on in a language the classifier does not read */
    unreadableSince: (fromMonth: string): Map<string, number> => {
      // A partial index of the few unreadable rows: a full build pays one scan to make it, as it
      // paid one for this count, and an append then reads a handful of entries instead of scanning
      // every conversation again (50 ms of a 1M-conversation append). Named, because the planner
      // prefers a skip-scan of the account-month index when the accounts are few.
      db.exec(
        'CREATE INDEX IF NOT EXISTS conversations_unreadable ON conversations (month, account_id) WHERE unreadable = 1',
      );
      return new Map(
        db
          .prepare<[string], { accountId: string; n: number }>(
            `SELECT account_id AS accountId, count(*) AS n FROM conversations INDEXED BY conversations_unreadable
             WHERE unreadable = 1 AND month >= ? GROUP BY account_id`,
          )
          .all(fromMonth)
          .map((r) => [r.accountId, r.n]),
      );
    },
    /**
     * Conversations grouped by outcome and rounded CX score (cxExpr: cxSqlExpression), with the
     * CX score and sub-signals summed, in the order of the grouping.
     */
    outcomeGroups: (cxExpr: string): IterableIterator<OutcomeGroup> =>
      db.prepare<[], OutcomeGroup>(groupQuery(cxExpr, '')).iterate(),
    /** the same, for the conversations of the given account-months only (through the account-month index) */
    outcomeGroupsOf: (accountMonths: Iterable<Placement>, cxExpr: string): OutcomeGroup[] =>
      withTouched(accountMonths, () =>
        db
          .prepare<[], OutcomeGroup>(
            groupQuery(cxExpr, 'WHERE (account_id, month) IN (SELECT account_id, month FROM temp.touched)'),
          )
          .all(),
      ),
    /**
     * Writes score buckets: after removing every stored one (`accountMonths` null: a full count),
     * or those of the given account-months (a count of those only). In one transaction (a
     * savepoint inside an append's): a full build writes without one, and a commit per row took
     * 11.8 s for the 189k buckets of 10,000 accounts.
     */
    writeCxMonthBuckets: db.transaction(
      (rows: Iterable<CxMonthBucket>, accountMonths: Iterable<Placement> | null): void => {
        if (accountMonths === null) db.exec('DELETE FROM cx_month_buckets');
        else
          withTouched(accountMonths, () =>
            db.exec(
              'DELETE FROM cx_month_buckets WHERE (account_id, month) IN (SELECT account_id, month FROM temp.touched)',
            ),
          );
        insertBucket ??= db.prepare('INSERT INTO cx_month_buckets VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
        for (const b of rows)
          insertBucket.run(
            b.accountId,
            b.month,
            b.score,
            b.conversations,
            b.resolutionSum,
            b.sentimentSum,
            b.effortSum,
            b.rated,
            b.csatSum,
          );
      },
    ),
    /** rated conversations, of the months before `beforeMonth` when given */
    ratedCount: (beforeMonth: string | null): number =>
      db
        .prepare<[string]>('SELECT count(*) FROM conversations WHERE csat IS NOT NULL AND month < ?')
        .pluck()
        .get(beforeMonth ?? '\uffff') as number,
    /**
     * About one in `every` rated conversations (before `beforeMonth`), with its CX sub-signals:
     * chosen by a hash of the id and ordered by id, so the same conversations give the same sample
     * in the same order whatever order they were read in (a full build of a file whose last day is
     * spread through it, and a build of the other days plus an append of that day, calibrate alike;
     * the fit depends on the order).
     */
    ratedSample: (every: number, beforeMonth: string | null): RatedConversation[] => {
      // salted: the calibration's held-out split falls back to hash32(id) % 5, and an unsalted
      // sample of one in 5 (or 10, …) would send every sampled rating to the held-out side
      db.function('cockpit_sampled', { deterministic: true }, (id: unknown, k: unknown) =>
        hash32(`cx-sample:${String(id)}`) % Number(k) === 0 ? 1 : 0,
      );
      return db
        .prepare<[string, number], RatedConversation>(
          `SELECT id, account_id AS accountId, csat, cx_resolution AS r, cx_sentiment AS s, cx_effort AS e
           FROM conversations WHERE csat IS NOT NULL AND month < ? AND cockpit_sampled(id, ?) ORDER BY id`,
        )
        .all(beforeMonth ?? '\uffff', every);
    },
    /** the CX score distribution and sub-signal sums per account since `fromMonth` */
    cxGroups: (fromMonth: string): CxGroup[] =>
      db
        .prepare<[string], CxGroup>(
          `SELECT account_id AS accountId, score, sum(conversations) AS n,
                  sum(resolution_sum) AS r, sum(sentiment_sum) AS s, sum(effort_sum) AS e
           FROM cx_month_buckets WHERE month >= ? GROUP BY account_id, score`,
        )
        .all(fromMonth),
  };
}

/**
 * The CX score's agreement with CSAT per account (cxExpr: cxSqlExpression): rated conversations
 * and summed rating per rounded score 1–5 over all months (from `cx_month_buckets`), and the `top`
 * rated conversations since `fromMonth` whose score and rating differ most (largest
 * |score − rating| first, then the newest) — of every account (`accounts` null), or of the given
 * ones only, the others' kept (an append that keeps the calibration and the window).
 *
 * An append also says which rows it added (`addedAfterRowid`: every row it wrote has a larger
 * rowid, a replaced one included). An account whose stored queue still holds only rows the append
 * left alone ranks that queue with its added rows — its other rows ranked below its queue before
 * and still do — instead of reading all its rated conversations again.
 */
export function writeCxAgreement(
  db: Database.Database,
  cxExpr: string,
  fromMonth: string,
  accounts: readonly string[] | null,
  addedAfterRowid: number | null = null,
  top = 10,
): void {
  db.prepare(
    `INSERT INTO account_cx_buckets
     SELECT account_id, score, sum(rated), sum(csat_sum)
     FROM cx_month_buckets GROUP BY account_id, score HAVING sum(rated) > 0`,
  ).run();
  const rated = (where: string) =>
    `SELECT account_id, id AS conversation_id, taxonomy_id, created_at, channel, ai_involved, state, reopened,
            csat, ${cxExpr} AS score, cx_resolution AS resolution, cx_sentiment AS sentiment, cx_effort AS effort
     FROM conversations WHERE csat IS NOT NULL AND month >= ? ${where}`;
  const insertTop = (candidates: string) =>
    db.prepare(
      `INSERT INTO cx_disagreements
       SELECT account_id, rank, conversation_id, taxonomy_id, created_at, channel, ai_involved, state, reopened,
              csat, score, resolution, sentiment, effort
       FROM (SELECT *, row_number() OVER (PARTITION BY account_id
                                          ORDER BY abs(score - csat) DESC, created_at DESC, conversation_id) AS rank
             FROM (${candidates}))
       WHERE rank <= ?`,
    );
  if (accounts === null) {
    db.exec('DELETE FROM cx_disagreements');
    insertTop(rated('')).run(fromMonth, top);
    return;
  }
  const inList = 'account_id IN (SELECT value FROM json_each(?))';
  // queues that held a row the append replaced (or moved away) are ranked again from every row
  const recount = new Set(
    addedAfterRowid === null
      ? accounts
      : db
          .prepare<[string, number], string>(
            `SELECT DISTINCT d.account_id FROM cx_disagreements d LEFT JOIN conversations c ON c.id = d.conversation_id
             WHERE d.${inList} AND (c.rowid IS NULL OR c.rowid > ? OR c.account_id <> d.account_id)`,
          )
          .pluck()
          .all(JSON.stringify(accounts), addedAfterRowid),
  );
  const again = JSON.stringify(accounts.filter((a) => recount.has(a)));
  const topUp = JSON.stringify(accounts.filter((a) => !recount.has(a)));
  db.prepare<[string]>(`DELETE FROM cx_disagreements WHERE ${inList}`).run(again);
  insertTop(rated(`AND ${inList}`)).run(fromMonth, again, top);
  if (addedAfterRowid === null) return;
  db.exec('CREATE TEMP TABLE IF NOT EXISTS queue_before AS SELECT * FROM cx_disagreements WHERE 0');
  db.exec('DELETE FROM temp.queue_before');
  db.prepare<[string]>(`INSERT INTO temp.queue_before SELECT * FROM cx_disagreements WHERE ${inList}`).run(
    topUp,
  );
  db.prepare<[string]>(`DELETE FROM cx_disagreements WHERE ${inList}`).run(topUp);
  insertTop(
    `SELECT account_id, conversation_id, taxonomy_id, created_at, channel, ai_involved, state, reopened, csat,
            score, resolution, sentiment, effort FROM temp.queue_before
     UNION ALL ${rated(`AND rowid > ? AND ${inList}`)}`,
  ).run(fromMonth, addedAfterRowid, topUp, top);
}

/** The serving tables the model phase writes. */
export function servingTableWriter(db: Database.Database) {
  const leafMonth = db.prepare(
    `INSERT INTO leaf_months (account_id, month, taxonomy_id, ${countColumns}, cx_resolution_sum, cx_sentiment_sum, cx_effort_sum)
     VALUES (?, ?, ?, ${countMarks}, ?, ?, ?)`,
  );
  const accountMonth = db.prepare(
    `INSERT INTO account_months (account_id, month, ${countColumns}) VALUES (?, ?, ${countMarks})`,
  );
  const benchmark = db.prepare<[string, string, number, number, number, number, number, number, number]>(
    'INSERT INTO leaf_benchmarks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const sample = db.prepare<[string, string, string, string, 0 | 1, string]>(
    'INSERT OR REPLACE INTO samples VALUES (?, ?, ?, ?, ?, ?)',
  );
  const removeSample = db.prepare<[string, string, string]>(
    'DELETE FROM samples WHERE account_id = ? AND taxonomy_id = ? AND conversation_id = ?',
  );
  const cx = db.prepare<[string, number | null, number | null, number | null, string]>(
    'INSERT INTO account_cx VALUES (?, ?, ?, ?, ?)',
  );
  const leaf = db.prepare<
    [
      string,
      string,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ]
  >('INSERT INTO account_leaves VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const action = db.prepare<
    [
      string,
      number,
      string,
      string,
      number,
      number,
      number,
      number,
      number | null,
      number | null,
      number,
      number,
      number,
      string,
      string,
      number | null,
      number | null,
      number | null,
      number,
    ]
  >('INSERT INTO actions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const account = db.prepare<
    [
      string,
      string,
      string,
      string | null,
      number | null,
      string | null,
      string | null,
      string | null,
      string,
      string,
      string,
    ]
  >('INSERT INTO accounts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const classRow = db.prepare<
    [
      string,
      string,
      number,
      number,
      number | null,
      number | null,
      number | null,
      number,
      number,
      number,
      number | null,
    ]
  >('INSERT INTO account_classes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const intervention = db.prepare<[string, string, string, string | null, string | null]>(
    'INSERT INTO interventions VALUES (?, ?, ?, ?, ?)',
  );
  const taxonomyLeaf = db.prepare<[string, string, string, string, string]>(
    'INSERT INTO taxonomy VALUES (?, ?, ?, ?, ?)',
  );
  return {
    leafMonth: (accountId: string, month: string, taxonomyId: string, c: OutcomeCounts, cx: CxSignalSums) =>
      leafMonth.run(accountId, month, taxonomyId, ...countValues(c), cx.resolution, cx.sentiment, cx.effort),
    accountMonth: (accountId: string, month: string, c: OutcomeCounts) =>
      accountMonth.run(accountId, month, ...countValues(c)),
    benchmark: benchmark.run.bind(benchmark),
    sample: sample.run.bind(sample),
    clearSamples: () => db.exec('DELETE FROM samples'),
    /** removes samples by [account, leaf, conversation id] */
    removeSamples: (rows: Iterable<readonly [string, string, string]>) => {
      for (const r of rows) removeSample.run(...r);
    },
    cx: cx.run.bind(cx),
    leaf: leaf.run.bind(leaf),
    action: action.run.bind(action),
    /** one account's roll-up by automation class (the Account page's "by automation class") */
    classes: (accountId: string, rows: readonly ClassRollup[]) => {
      for (const r of rows)
        classRow.run(
          accountId,
          r.automationClass,
          r.conversations,
          r.share,
          r.involvementRate,
          r.resolutionRate,
          r.automationRate,
          r.achievableAutomation,
          r.gapPoints,
          r.gapConversations,
          r.cxScore,
        );
    },
    account: account.run.bind(account),
    intervention: intervention.run.bind(intervention),
    taxonomyLeaf: taxonomyLeaf.run.bind(taxonomyLeaf),
  };
}

/** The analysis tables: patterns per vertical × period and the backtest points. */
export function analysisWriter(db: Database.Database) {
  const pattern = db.prepare<[string, number, string, string, string, string]>(
    'INSERT INTO patterns VALUES (?, ?, ?, ?, ?, ?)',
  );
  const point = db.prepare<
    [
      string,
      string,
      string,
      number,
      number,
      number,
      number | null,
      number | null,
      number | null,
      number | null,
      number | null,
      0 | 1,
    ]
  >('INSERT INTO backtest VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const forecast = db.prepare<[string, string]>('INSERT INTO account_forecasts VALUES (?, ?)');
  return {
    pattern: pattern.run.bind(pattern),
    backtestPoint: point.run.bind(point),
    /** an account's live forecast (storedJson.accountForecast) */
    forecast: forecast.run.bind(forecast),
  };
}

/** What the model evaluation (scripts/eval-model.ts) reads back from a built database. */
export function modelHistory(db: Database.Database) {
  const meta = Object.fromEntries(
    db
      .prepare<[], { key: string; value: string }>('SELECT key, value FROM meta')
      .all()
      .map((r) => [r.key, JSON.parse(r.value) as unknown]),
  );
  const customers = db
    .prepare<[], { id: string; vertical: string; aiLiveSince: string | null }>(
      "SELECT id, vertical, ai_live_since AS aiLiveSince FROM accounts WHERE status = 'customer'",
    )
    .all();
  const leafMonths = db
    .prepare<
      [],
      {
        accountId: string;
        month: string;
        taxonomyId: string;
        conversations: number;
        involved: number;
        resolved: number;
      }
    >(
      'SELECT account_id AS accountId, month, taxonomy_id AS taxonomyId, conversations, involved, resolved FROM leaf_months',
    )
    .all();
  const interventions = db
    .prepare<[], Intervention>(
      'SELECT account_id AS accountId, date, kind, taxonomy_id AS taxonomyId, note FROM interventions',
    )
    .all();
  return { meta, customers, leafMonths, interventions };
}
