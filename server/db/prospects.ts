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
  EstimateResult,
  MonthFigures,
  PeriodFigures,
  ProspectListItem,
} from '../api-types.ts';
import { periodFigures } from '../domain/figures.ts';
import { emptyCounts } from '../domain/metrics.ts';

/**
 * Migrations, in order: migration i takes the file from version i to i + 1. Never edit one that has
 * shipped; add the next. The first is idempotent because files made before versioning (version 0)
 * already hold its table.
 */
export const PROSPECT_MIGRATIONS: readonly string[] = [
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
    db.transaction(() => {
      db.exec(PROSPECT_MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

export function defaultProspectsDbPath(root = process.cwd()): string {
  return resolve(process.env.COCKPIT_PROSPECTS_DB ?? resolve(root, 'data', 'prospects.db'));
}

/**
 * Figures of a period with conversations but no AI outcomes. The counts go through the shared
 * definitions; the rates that need an AI outcome are unknown, not 0, so they are null.
 */
function prospectFigures(conversations: number, ratings: number, positiveRatings: number): PeriodFigures {
  const counts = { ...emptyCounts(), conversations, ratings, positiveRatings };
  return {
    ...periodFigures(counts),
    involvementRate: null,
    resolutionRate: null,
    confirmedResolutionRate: null,
    assumedResolutionRate: null,
    automationRate: null,
    handoffRate: null,
    abandonRate: null,
    reopenRate: null,
  };
}

/** The prospect as a row of the triage table (`status: 'prospect'`). */
export function prospectSummary(r: EstimateResult): AccountSummary {
  const ratings = r.byMonth.reduce((s, m) => s + m.ratings, 0);
  const positive = r.byMonth.reduce((s, m) => s + m.positiveRatings, 0);
  const last = r.byMonth[r.byMonth.length - 1]?.month ?? (r.to ?? r.createdAt).slice(0, 7);
  return {
    ...prospectFigures(r.conversations, ratings, positive),
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
    windowAutomationRate: null,
    automationPotential: r.potential,
    potentialLow: r.potentialLow,
    potentialHigh: r.potentialHigh,
    // No AI agent yet: the whole potential is the gap.
    gapPoints: r.potential,
    gapConversations: r.potential === null ? null : r.potential * r.monthlyConversations,
    flags: [],
    trend: r.byMonth.slice(-12).map(() => null),
  };
}

export function prospectDetail(r: EstimateResult): AccountDetail {
  const months: MonthFigures[] = r.byMonth.map((m) => ({
    month: m.month,
    ...prospectFigures(m.conversations, m.ratings, m.positiveRatings),
  }));
  return {
    ...prospectSummary(r),
    dataAsOf: r.to,
    monthToDate: false,
    previous: months.length >= 2 ? months[months.length - 2]! : null,
    window: {
      from: months[0]?.month ?? '',
      to: months[months.length - 1]?.month ?? '',
      months: months.length,
    },
    months,
  };
}

export interface ProspectStore {
  /** where prospects are kept (`:memory:` when not on disk) */
  readonly path: string;
  save(result: EstimateResult): EstimateResult;
  list(): ProspectListItem[];
  get(id: string): EstimateResult | undefined;
  summaries(): AccountSummary[];
  detail(id: string): AccountDetail | undefined;
  /** changes whenever a prospect is saved, by this process or another one */
  version(): string;
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
}

export function openProspectStore(path: string | null): ProspectStore {
  const file = path === null || path === ':memory:' ? ':memory:' : resolve(path);
  let db: Database.Database | null = null;
  let own = 0;
  const open = (create: boolean): Database.Database | null => {
    if (db) return db;
    if (file !== ':memory:' && !existsSync(file)) {
      if (!create) return null;
      mkdirSync(dirname(file), { recursive: true });
    }
    const opened = new Database(file);
    try {
      opened.pragma('busy_timeout = 5000');
      if (file !== ':memory:') opened.pragma('journal_mode = WAL');
      migrateProspects(opened, file);
    } catch (err) {
      opened.close();
      throw err;
    }
    db = opened;
    return db;
  };
  const all = <T>(sql: string, ...params: unknown[]): T[] => {
    const d = open(false);
    return d ? (d.prepare(sql).all(...params) as T[]) : [];
  };

  return {
    path: file,
    save(result) {
      const d = open(true)!;
      const saved: EstimateResult = { ...result, saved: true };
      const savedAt = new Date().toISOString();
      d.transaction(() => {
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
          JSON.stringify(saved),
          JSON.stringify(prospectSummary(saved)),
          JSON.stringify(prospectDetail(saved)),
        );
      })();
      own++;
      return saved;
    },
    list() {
      return all<ListRow>(
        `SELECT id, name, vertical, file_name AS fileName, format, conversations, potential,
                potential_low AS potentialLow, potential_high AS potentialHigh, saved_at AS savedAt
         FROM prospects ORDER BY saved_at DESC, id`,
      );
    },
    get(id) {
      const [json] = all<{ j: string }>('SELECT estimate_json AS j FROM prospects WHERE id = ?', id);
      return json ? (JSON.parse(json.j) as EstimateResult) : undefined;
    },
    summaries() {
      return all<{ j: string }>('SELECT summary_json AS j FROM prospects ORDER BY name, id').map(
        (r) => JSON.parse(r.j) as AccountSummary,
      );
    },
    detail(id) {
      const [json] = all<{ j: string }>('SELECT detail_json AS j FROM prospects WHERE id = ?', id);
      return json ? (JSON.parse(json.j) as AccountDetail) : undefined;
    },
    version() {
      const d = open(false);
      return d ? `${d.pragma('data_version', { simple: true })}:${own}` : 'none';
    },
    close() {
      db?.close();
      db = null;
    },
  };
}
