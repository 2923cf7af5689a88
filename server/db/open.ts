import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { SCHEMA_VERSION } from './schema.ts';

export class DatabaseMissingError extends Error {}
export class DatabaseOutdatedError extends Error {}

export interface MetaReadOptions {
  /** wait this long for another process's lock (an append, a VACUUM) before failing; default 0 */
  busyWaitMs?: number;
  /**
   * A database that cannot be read for another reason (a hot journal left by a crashed writer, an
   * I/O error) throws instead of reading as "not ours". The pipeline's gates read strictly: read as
   * "not ours", a database once let a full build replace it without the shrink gate.
   */
  strict?: boolean;
}

/**
 * One value of a serving database's meta table, or undefined when absent or when the file is not a
 * Cockpit database. A database locked by another process throws (with the reason, after
 * `busyWaitMs`), whatever the mode: a locked file is not a missing one.
 */
export function metaValueOf(path: string, key: string, opts: MetaReadOptions = {}): unknown {
  const busyWaitMs = opts.busyWaitMs ?? 0;
  const db = new Database(path, { readonly: true, fileMustExist: true, timeout: busyWaitMs });
  try {
    const row = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined;
    return row === undefined ? undefined : JSON.parse(row);
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED')
      throw Object.assign(
        new Error(
          `${path} is locked by another process${busyWaitMs > 0 ? ` (still after ${busyWaitMs / 1000} s)` : ''}; try again when it is free`,
        ),
        { code },
      );
    const notOurs =
      code === 'SQLITE_ERROR' ||
      code === 'SQLITE_NOTADB' ||
      code === 'SQLITE_CORRUPT' ||
      err instanceof SyntaxError;
    if (notOurs || !opts.strict) return undefined;
    throw err;
  } finally {
    db.close();
  }
}

/** The schema version a serving database was built with, or null when it has none (not ours). */
export function schemaVersionOf(path: string, opts: MetaReadOptions = {}): number | null {
  const v = metaValueOf(path, 'schemaVersion', opts);
  return v === undefined ? null : Number(v);
}

/**
 * Rolls back the write of a process that died inside a transaction on `path` (a killed `--append`
 * leaves its rollback journal beside the database). SQLite does it for the first connection that
 * may write; a read-only one — the server's — is refused until then, so the server and the
 * pipeline's gates open the file once for writing first. A journal that is not hot (a live writer
 * holds its lock) is left alone by SQLite: the read below just sees the last committed state.
 */
export function recoverInterruptedWrite(path: string, busyWaitMs = 5000): void {
  if (!existsSync(`${path}-journal`)) return;
  let db: Database.Database | null = null;
  try {
    db = new Database(path, { fileMustExist: true, timeout: busyWaitMs });
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
  } catch {
    // not writable here, or not a database: the read-only open that follows reports it
  } finally {
    db?.close();
  }
}

/** Opens the serving database read-only: the server never writes to it (SPEC §6). */
export function openServingDb(path: string): Database.Database {
  if (!existsSync(path))
    throw new DatabaseMissingError(
      `serving database not found at ${path}: run npm run demo or npm run pipeline`,
    );
  recoverInterruptedWrite(path);
  // an append commits in place: wait out its commit rather than read the file as not ours
  const version = schemaVersionOf(path, { busyWaitMs: 5000 });
  if (version !== SCHEMA_VERSION)
    throw new DatabaseOutdatedError(
      `${path} was built by ${version === null ? 'something else' : `schema version ${version}`}, this server reads version ${SCHEMA_VERSION}: rebuild it with npm run pipeline (or npm run demo)`,
    );
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma('query_only = ON');
  return db;
}
