/**
 * Saved prospects: a separate, writable SQLite file (default `data/prospects.db`, env
 * `COCKPIT_PROSPECTS_DB`) — the serving database stays read-only. One row per prospect, written in
 * one transaction; the id comes from the file's bytes and the vertical, so saving the same file
 * again replaces the row. A `null` path keeps prospects in memory (tests, or no path configured).
 *
 * The file is the only database users write to, so it carries a schema version
 * (`PRAGMA user_version`) and is migrated forward on open; a file from a newer Cockpit is refused.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type {
  AccountDetail,
  AccountSummary,
  EstimateMonth,
  EstimateResult,
  MonthFigures,
  PeriodFigures,
  ProspectListItem,
} from '../api-types.ts';
import { poorTopicFit } from '../domain/estimate.ts';
import { periodFigures } from '../domain/figures.ts';
import { emptyCounts, isMonthToDate } from '../domain/metrics.ts';
import { StoredJsonError, storedJson } from './stored-json.ts';

/**
 * Migrations, in order: migration i takes the file from version i to i + 1. Never edit one that has
 * shipped; add the next. The first is idempotent because files made before versioning (version 0)
 * already hold its table.
 */
export const PROSPECT_MIGRATIONS: readonly (string | ((db: Database.Database) => void))[] = [
  `CREATE TABLE IF NOT EXISTS prospects (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  vertical TEXT NOT NULL,
  file_name TEXT,
  format TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  conversations INTEGER NOT NULL,
  potential REAL,
  potential_low REAL,
  potential_high REAL,
  saved_at TEXT NOT NULL,
  estimate_json TEXT NOT NULL,
  summary_json TEXT NOT NULL,
  detail_json TEXT NOT NULL
)`,
  // 2: a prospect's list figures are its last month's, not its whole export's (SPEC §6: the
  // current month's figures), and its detail says when that month is only month to date.
  rederiveStoredViews,
  // 3: its involvement and automation are 0 of its conversations (SPEC §1), not null.
  rederiveStoredViews,
  // 4: OIDC sessions signed out and sign-ins completed, until they would have expired: kept in
  // memory before, so a restart let a signed-out cookie back in (server/oidc.ts).
  `CREATE TABLE IF NOT EXISTS signed_out_sessions (sid TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
   CREATE TABLE IF NOT EXISTS used_sign_ins (state TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);`,
  // 5: a prospect whose export fits the taxonomy poorly says so on its page and in the saved list,
  // not only in a note of the estimate (AccountDetail.poorTopicFit)
  rederiveStoredViews,
];
export const PROSPECTS_SCHEMA_VERSION = PROSPECT_MIGRATIONS.length;

export class ProspectsSchemaError extends Error {}

/** Brings a prospects database up to PROSPECTS_SCHEMA_VERSION, one transaction per step. */
export function migrateProspects(db: Database.Database, file: string): void {
  const version = Number(db.pragma('user_version', { simple: true }));
  if (version > PROSPECTS_SCHEMA_VERSION) {
    throw new ProspectsSchemaError(
      `${file} was written by a newer Cockpit (prospects schema ${version}, this one reads up to ${PROSPECTS_SCHEMA_VERSION}): upgrade Cockpit or point COCKPIT_PROSPECTS_DB elsewhere`,
    );
  }
  for (let v = version; v < PROSPECTS_SCHEMA_VERSION; v++) {
    const step = PROSPECT_MIGRATIONS[v]!;
    db.transaction(() => {
      if (typeof step === 'string') db.exec(step);
      else step(db);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

export function defaultProspectsDbPath(root = process.cwd()): string {
  return resolve(process.env.COCKPIT_PROSPECTS_DB ?? resolve(root, 'data', 'prospects.db'));
}

/**
 * Figures of a period with conversations and no AI agent: no conversation was involved, and the
 * rates follow SPEC §1's definitions like a customer's — involvement and automation 0 of the
 * conversations, the rates over involved or resolved conversations null (their denominator is 0).
 * (Until prospects schema 3 every rate was null, which a client applying §1 to the counts could not
 * reproduce, and which disagreed with the estimate's own current automation of 0.)
 */
function prospectFigures(m: Omit<EstimateMonth, 'month'> | undefined): PeriodFigures {
  return periodFigures({
    ...emptyCounts(),
    conversations: m?.conversations ?? 0,
    ratings: m?.ratings ?? 0,
    positiveRatings: m?.positiveRatings ?? 0,
    // the export's own reopens (no AI agent: no resolution is lost to them, but they are counted)
    reopened: m?.reopened ?? 0,
  });
}

/**
 * The summary and detail rows are derived from the stored estimate: rebuilds them for every saved
 * prospect (a migration step, when the derivation changes).
 */
function rederiveStoredViews(db: Database.Database): void {
  const rows = db.prepare('SELECT id, estimate_json AS json FROM prospects').all() as {
    id: string;
    json: string;
  }[];
  const update = db.prepare('UPDATE prospects SET summary_json = ?, detail_json = ? WHERE id = ?');
  for (const row of rows) {
    let r: EstimateResult;
    try {
      r = storedJson.estimate.decode(row.json);
    } catch (err) {
      // an unreadable estimate cannot be served either way: leave its row as it is
      if (err instanceof StoredJsonError || err instanceof SyntaxError) continue;
      throw err;
    }
    update.run(
      storedJson.accountSummary.encode(prospectSummary(r)),
      storedJson.accountDetail.encode(prospectDetail(r)),
      row.id,
    );
  }
}

/**
 * The prospect as a row of the triage table (`status: 'prospect'`): the figures of its export's
 * last month, as a customer's row carries the current month's.
 */
export function prospectSummary(r: EstimateResult): AccountSummary {
  const lastMonth = r.byMonth[r.byMonth.length - 1];
  const last = lastMonth?.month ?? (r.to ?? r.createdAt).slice(0, 7);
  return {
    ...prospectFigures(lastMonth),
    id: r.id,
    name: r.name,
    vertical: r.vertical,
    plan: null,
    csm: null,
    region: null,
    arr: null,
    status: 'prospect',
    aiLiveSince: null,
    month: last,
    windowAutomationRate: r.conversations > 0 ? 0 : null,
    automationPotential: r.potential,
    potentialLow: r.potentialLow,
    potentialHigh: r.potentialHigh,
    ...(poorTopicFit(r) !== null && { poorTopicFit: poorTopicFit(r)! }),
    // No AI agent yet: the whole potential is the gap.
    gapPoints: r.potential,
    gapConversations: r.potential === null ? null : r.potential * r.monthlyConversations,
    flags: [],
    // no AI agent, no automation to trend: a flat line at 0 looked like a steady customer's
    trend: r.byMonth.slice(-12).map(() => null),
  };
}

export function prospectDetail(r: EstimateResult): AccountDetail {
  const months: MonthFigures[] = r.byMonth.map((m) => ({
    month: m.month,
    ...prospectFigures(m),
  }));
  const lastMonth = months[months.length - 1]?.month;
  return {
    ...prospectSummary(r),
    dataAsOf: r.to,
    dataFrom: r.from,
    ...(r.report.undated && { undated: true }),
    // a month's pace counts from its first day: an export that began within its last month
    // (10-11 Feb) has none ("on pace for 5" from 2 conversations over two days)
    monthToDate:
      r.to !== null &&
      isMonthToDate(Date.parse(r.to)) &&
      (r.from === null || r.from.slice(0, 7) !== lastMonth),
    previous: months.length >= 2 ? months[months.length - 2]! : null,
    window: {
      from: months[0]?.month ?? '',
      to: lastMonth ?? '',
      months: months.length,
      // the estimate's own months (the span of the export), so volumes a month agree with it
      monthsCovered: r.months,
    },
    months,
  };
}

/**
 * Unsaved estimates by id, dropped after `ttlMs` or when more than `max` are kept — and when one
 * owner (a signed-in user) keeps more than `maxPerOwner`, that owner's oldest first: otherwise one
 * user uploading 50 small files pushed every colleague's unsaved estimate out before they saved it.
 */
function temporaryProspects(ttlMs: number, max: number, maxPerOwner: number) {
  const kept = new Map<string, { result: EstimateResult; at: number; owner: string | undefined }>();
  const sweep = (now: number, owner?: string) => {
    for (const [id, k] of kept) if (now - k.at > ttlMs) kept.delete(id);
    // a Map iterates in insertion order, and keep() re-inserts: the first is the oldest
    if (owner !== undefined) {
      let mine = [...kept.values()].filter((k) => k.owner === owner).length;
      for (const [id, k] of kept) {
        if (mine <= maxPerOwner) break;
        if (k.owner !== owner) continue;
        kept.delete(id);
        mine--;
      }
    }
    for (const id of kept.keys()) {
      if (kept.size <= max) break;
      kept.delete(id);
    }
  };
  return {
    keep(result: EstimateResult, owner?: string): EstimateResult {
      // The same export estimated by another signed-in user: the unsaved one stays its first
      // owner's, name and all (a review saw a viewer's re-upload rename a colleague's estimate and
      // take it over before the colleague saved it); the figures are the same export's.
      const prior = kept.get(result.id);
      if (
        prior !== undefined &&
        prior.owner !== undefined &&
        owner !== undefined &&
        prior.owner !== owner &&
        Date.now() - prior.at <= ttlMs
      )
        return prior.result;
      kept.delete(result.id);
      kept.set(result.id, { result, at: Date.now(), owner });
      sweep(Date.now(), owner);
      return result;
    },
    get(id: string): EstimateResult | undefined {
      sweep(Date.now());
      return kept.get(id)?.result;
    },
    drop: (id: string) => kept.delete(id),
  };
}

export interface ProspectsHealth {
  /** ok: readable (or not created yet); degraded: unreadable, prospect features are off */
  state: 'ok' | 'degraded';
  path: string;
  reason?: string;
}

/** Saving was not possible (the store is unreadable, or stayed locked): a 503, not a crash. */
/** an error's first line with file paths taken out ("unable to open database file '/x/y.db'") */
function withoutPaths(message: string): string {
  return message
    .split('\n')[0]!
    .replace(/(['"])(?:[A-Za-z]:)?[\\/][^'"]*\1/g, 'the file')
    .replace(/(?<=^|[\s(=])(?:[A-Za-z]:)?[\\/][^\s'"]*/g, 'the file');
}

export class ProspectsUnavailableError extends Error {}

/** A save of a new prospect when the store holds as many as it keeps (`maxSaved`): a 409, not a crash. */
export class ProspectsFullError extends Error {}

export interface ProspectStore {
  /** where prospects are kept (`:memory:` when not on disk) */
  readonly path: string;
  /** writes without blocking the event loop: a locked file is retried asynchronously */
  save(result: EstimateResult): Promise<EstimateResult>;
  /**
   * Throws ProspectsFullError when saving this id would pass `maxSaved` (a new id when the store is
   * full; saving an id again replaces it and always has room), ProspectsUnavailableError when the
   * file cannot be read. Called before the save is written to the audit log.
   */
  checkRoom(id: string): void;
  /**
   * Keeps an unsaved estimate as a temporary prospect, in this process's memory only (never on
   * disk: unsaved means unsaved), so its Account page works until it is saved or expires.
   */
  keep(result: EstimateResult, owner?: string): EstimateResult;
  /** true when the prospect existed */
  delete(id: string): Promise<boolean>;
  /** saved prospects only */
  list(): ProspectListItem[];
  /** the name a prospect is saved under; undefined when it is not saved */
  savedName(id: string): string | undefined;
  /** a saved prospect, else a temporary one */
  get(id: string): EstimateResult | undefined;
  /** whether a prospect (saved or unsaved) has this id; throws ProspectsUnavailableError when the file cannot be read */
  has(id: string): boolean;
  /** saved prospects only: temporary ones stay out of the triage */
  summaries(): AccountSummary[];
  /** the prospect's AccountDetail as JSON text (saved: as stored; temporary: serialised now) */
  detailJson(id: string): string | undefined;
  /** ends a signed-in session for good (server/oidc.ts), until `untilMs`, when it would have expired */
  signOut(sid: string, untilMs: number): Promise<void>;
  /** whether the session was signed out, by this process or an earlier one */
  isSignedOut(sid: string): boolean;
  /** true the first time a sign-in's state completes: a sign-in cookie replayed makes no second session */
  claimSignIn(state: string, untilMs: number): Promise<boolean>;
  /** changes whenever a prospect is saved, by this process or another one */
  version(): string;
  health(): ProspectsHealth;
  close(): void;
}

interface ListRow {
  id: string;
  name: string;
  vertical: string;
  fileName: string | null;
  format: ProspectListItem['format'];
  conversations: number;
  potential: number | null;
  potentialLow: number | null;
  potentialHigh: number | null;
  savedAt: string;
  poorTopicFit: number | null;
}

/** PRAGMA auto_vacuum's value for FULL */
const AUTO_VACUUM_FULL = 1;

/** how often a running server applies the prospects' retention */
const RETENTION_EVERY_MS = 6 * 3600 * 1000;

/**
 * Empties the write-ahead log into the file and truncates it, best effort (a reader may hold it):
 * its frames still hold a removed prospect's pages as they were before the delete.
 */
function forgetWal(d: Database.Database): void {
  try {
    d.pragma('wal_checkpoint(TRUNCATE)');
  } catch {
    // busy: the next checkpoint overwrites the frames
  }
}

export interface ProspectStoreOptions {
  /** prospects saved longer ago than this many days are removed (default: kept) */
  retentionDays?: number;
  /** told of every prospect the retention removes, before it goes (for the audit log) */
  onExpire?: (prospect: { id: string; name: string }) => void;
  /** how long an unsaved estimate stays openable (default 24 h) */
  temporaryMs?: number;
  /** unsaved estimates kept at most; the oldest goes first (default 50) */
  maxTemporary?: number;
  /** unsaved estimates kept at most per owner (a signed-in user), theirs oldest first (default 10) */
  maxTemporaryPerOwner?: number;
  /** how long a save waits for a locked file, retrying off the event loop (default 5 s) */
  lockWaitMs?: number;
  /** saved prospects kept at most (default 2,000): a client cannot grow the triage and the file without end */
  maxSaved?: number;
}

export const DEFAULT_MAX_SAVED_PROSPECTS = 2000;

const isBusy = (e: unknown) => {
  const code = (e as { code?: unknown }).code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A store that never takes the server down with it: a read of an unreadable file answers "no
 * prospects" and marks the store degraded (the accounts keep serving, `/api/health` says why);
 * a write fails with ProspectsUnavailableError. Each SQLite call waits at most 50 ms for a lock;
 * a save retries asynchronously, so a file locked by another process never stalls other requests.
 */
export function openProspectStore(path: string | null, options: ProspectStoreOptions = {}): ProspectStore {
  const file = path === null || path === ':memory:' ? ':memory:' : resolve(path);
  const lockWaitMs = options.lockWaitMs ?? 5000;
  const maxSaved = options.maxSaved ?? DEFAULT_MAX_SAVED_PROSPECTS;
  const roomFor = (d: Database.Database, id: string) => {
    if (d.prepare('SELECT 1 FROM prospects WHERE id = ?').get(id) !== undefined) return;
    const { n } = d.prepare('SELECT count(*) AS n FROM prospects').get() as { n: number };
    if (n >= maxSaved)
      throw new ProspectsFullError(
        `${n.toLocaleString('en-US')} prospects are saved, the most this server keeps: delete prospects you no longer need (Estimate page, Saved prospects) before saving another`,
      );
  };
  const temporary = temporaryProspects(
    options.temporaryMs ?? 86_400_000,
    options.maxTemporary ?? 50,
    options.maxTemporaryPerOwner ?? 10,
  );
  let db: Database.Database | null = null;
  let own = 0;
  let failure: string | null = null;
  /** removes the prospects saved longer ago than the retention, each recorded first (onExpire) */
  const expire = (d: Database.Database) => {
    if (options.retentionDays === undefined) return;
    const cutoff = new Date(Date.now() - options.retentionDays * 86_400_000).toISOString();
    const expired = d.prepare('SELECT id, name FROM prospects WHERE saved_at < ?').all(cutoff) as {
      id: string;
      name: string;
    }[];
    // recorded first: a removal the audit log cannot record does not happen (it is tried again
    // later) — and the store stays open, with every prospect still readable
    const remove = d.prepare('DELETE FROM prospects WHERE id = ?');
    let removed = 0;
    for (const p of expired) {
      try {
        options.onExpire?.(p);
      } catch (err) {
        console.error(
          `prospects retention: not removing ${expired.length} expired prospect(s) now, the audit log cannot be written (${(err as Error).message})`,
        );
        break;
      }
      remove.run(p.id);
      removed++;
    }
    if (removed > 0) {
      console.log(
        `prospects retention: removed ${removed} prospect(s) saved over ${options.retentionDays} days ago`,
      );
      forgetWal(d);
    }
  };
  // a server stays up for months: the retention is applied every 6 hours, not only at start
  if (options.retentionDays !== undefined)
    setInterval(() => {
      try {
        if (db) expire(db);
      } catch (err) {
        console.error(`prospects retention: ${(err as Error).message}`);
      }
    }, RETENTION_EVERY_MS).unref();
  const open = (create: boolean): Database.Database | null => {
    if (db) return db;
    if (file !== ':memory:' && !existsSync(file)) {
      if (!create) return null;
      mkdirSync(dirname(file), { recursive: true });
    }
    const opened = new Database(file);
    try {
      opened.pragma('busy_timeout = 50');
      if (file !== ':memory:') opened.pragma('journal_mode = WAL');
      // a deleted or expired prospect's conversations are customers' words: zeroed where they lay,
      // not left in free pages of the file until SQLite happens to reuse them
      opened.pragma('secure_delete = ON');
      migrateProspects(opened, file);
      expire(opened);
      // Free pages written before secure_delete — by an older version, or one this file was taken
      // back to for a while — may still hold removed text. With auto_vacuum FULL (a property of the
      // file, kept by any version that opens it) a commit gives freed pages back to the file system, so
      // free pages at open mean such a writer, or a file from before: vacuumed then, not at every open.
      const autoVacuum = Number(opened.pragma('auto_vacuum', { simple: true }));
      if (autoVacuum !== AUTO_VACUUM_FULL || Number(opened.pragma('freelist_count', { simple: true })) > 0) {
        try {
          if (autoVacuum !== AUTO_VACUUM_FULL) opened.pragma('auto_vacuum = FULL');
          opened.exec('VACUUM');
          forgetWal(opened);
        } catch (err) {
          // another process writing (the server while the command saves), a read-only file, a full
          // disk: the file is as it was, and the store serves it; tried again at the next open
          console.error(`prospects: not vacuumed now (${(err as Error).message.split('\n')[0]})`);
        }
      }
    } catch (err) {
      opened.close();
      throw err;
    }
    db = opened;
    return db;
  };
  const fail = (err: unknown) => {
    failure = `${file}: ${(err as Error).message}`;
    db?.close();
    db = null;
  };
  const read = <T>(fallback: T, run: (d: Database.Database) => T): T => {
    try {
      const d = open(false);
      const value = d ? run(d) : fallback;
      failure = null;
      return value;
    } catch (err) {
      fail(err);
      return fallback;
    }
  };
  const all = <T>(sql: string, ...params: unknown[]): T[] =>
    read<T[]>([], (d) => d.prepare(sql).all(...params) as T[]);
  const write = async <T>(what: string, run: (d: Database.Database) => T): Promise<T> => {
    const deadline = Date.now() + lockWaitMs;
    for (;;) {
      try {
        const value = run(open(true)!);
        failure = null;
        return value;
      } catch (err) {
        // a refusal of this save, not a problem of the file
        if (err instanceof ProspectsFullError) throw err;
        if (isBusy(err) && Date.now() < deadline) {
          await sleep(25);
          continue;
        }
        if (!isBusy(err)) fail(err);
        // the file's path goes to the server's log, not to the client
        console.error(`prospects database ${file}: ${(err as Error).message.split('\n')[0]}`);
        throw new ProspectsUnavailableError(
          isBusy(err)
            ? `could not ${what}: the prospects database stayed locked by another process for ${lockWaitMs / 1000} s`
            : `could not ${what}: ${withoutPaths((err as Error).message)}`,
        );
      }
    }
  };

  // sessions signed out by this process: still refused while the file cannot be read
  const signedOut = new Map<string, number>();
  setInterval(() => {
    const now = Date.now();
    for (const [sid, until] of signedOut) if (until <= now) signedOut.delete(sid);
  }, 3600_000).unref();

  return {
    path: file,
    save(result) {
      const saved: EstimateResult = { ...result, saved: true };
      const savedAt = new Date().toISOString();
      return write('save the prospect', (d) => {
        roomFor(d, saved.id);
        d.prepare(
          `INSERT OR REPLACE INTO prospects (id, name, vertical, file_name, format, sha256, conversations,
             potential, potential_low, potential_high, saved_at, estimate_json, summary_json, detail_json)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          saved.id,
          saved.name,
          saved.vertical,
          saved.fileName,
          saved.report.format,
          saved.sha256,
          saved.conversations,
          saved.potential,
          saved.potentialLow,
          saved.potentialHigh,
          savedAt,
          storedJson.estimate.encode(saved),
          storedJson.accountSummary.encode(prospectSummary(saved)),
          storedJson.accountDetail.encode(prospectDetail(saved)),
        );
        own++;
        temporary.drop(saved.id);
        return saved;
      });
    },
    checkRoom(id) {
      try {
        const d = open(false);
        if (d) roomFor(d, id);
      } catch (err) {
        if (err instanceof ProspectsFullError) throw err;
        fail(err);
        throw new ProspectsUnavailableError(
          `could not save the prospect: ${withoutPaths((err as Error).message)}`,
        );
      }
    },
    keep: (result, owner) => temporary.keep({ ...result, saved: false }, owner),
    async delete(id) {
      const wasTemporary = temporary.drop(id);
      const changed = await write('delete the prospect', (d) => {
        const changed = d.prepare('DELETE FROM prospects WHERE id = ?').run(id).changes > 0;
        if (changed) {
          own++;
          forgetWal(d);
        }
        return changed;
      });
      return changed || wasTemporary;
    },
    list() {
      return all<ListRow>(
        `SELECT id, name, vertical, file_name AS fileName, format, conversations, potential,
                potential_low AS potentialLow, potential_high AS potentialHigh, saved_at AS savedAt,
                json_extract(detail_json, '$.poorTopicFit') AS poorTopicFit
         FROM prospects ORDER BY saved_at DESC, id`,
      );
    },
    savedName(id) {
      return all<{ name: string }>('SELECT name FROM prospects WHERE id = ?', id)[0]?.name;
    },
    get(id) {
      const [json] = all<{ j: string }>('SELECT estimate_json AS j FROM prospects WHERE id = ?', id);
      return json ? storedJson.estimate.decode(json.j) : temporary.get(id);
    },
    summaries() {
      return all<{ j: string }>('SELECT summary_json AS j FROM prospects ORDER BY name, id').map((r) =>
        storedJson.accountSummary.decode(r.j),
      );
    },
    has(id) {
      if (temporary.get(id)) return true;
      const found = read<boolean | null>(
        null,
        (d) => d.prepare('SELECT 1 FROM prospects WHERE id = ?').get(id) !== undefined,
      );
      if (found === null && failure)
        throw new ProspectsUnavailableError(
          `the prospects store cannot be read: ${withoutPaths(failure.slice(file.length + 2))}`,
        );
      return found === true;
    },
    detailJson(id) {
      const [json] = all<{ j: string }>('SELECT detail_json AS j FROM prospects WHERE id = ?', id);
      if (json) return json.j;
      const unsaved = temporary.get(id);
      return unsaved && storedJson.accountDetail.encode(prospectDetail(unsaved));
    },
    signOut(sid, untilMs) {
      signedOut.set(sid, untilMs);
      return write('sign out', (d) => {
        d.prepare('DELETE FROM signed_out_sessions WHERE expires_at <= ?').run(Date.now());
        d.prepare('INSERT OR REPLACE INTO signed_out_sessions (sid, expires_at) VALUES (?, ?)').run(
          sid,
          untilMs,
        );
      });
    },
    isSignedOut(sid) {
      if (signedOut.has(sid)) return true;
      return read(
        false,
        (d) =>
          d
            .prepare('SELECT 1 FROM signed_out_sessions WHERE sid = ? AND expires_at > ?')
            .get(sid, Date.now()) !== undefined,
      );
    },
    claimSignIn(state, untilMs) {
      return write('complete the sign-in', (d) => {
        d.prepare('DELETE FROM used_sign_ins WHERE expires_at <= ?').run(Date.now());
        return (
          d
            .prepare('INSERT OR IGNORE INTO used_sign_ins (state, expires_at) VALUES (?, ?)')
            .run(state, untilMs).changes === 1
        );
      });
    },
    version() {
      return (
        read('none', (d) => `${d.pragma('data_version', { simple: true })}:${own}`) + (failure ? ':x' : '')
      );
    },
    health() {
      // A read settles whether the file is usable now (it may have been repaired or replaced).
      read(null, (d) => d.prepare('SELECT count(*) FROM prospects').pluck().get());
      return failure ? { state: 'degraded', path: file, reason: failure } : { state: 'ok', path: file };
    },
    close() {
      db?.close();
      db = null;
    },
  };
}
