import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { SCHEMA_VERSION } from './schema.ts';

export class DatabaseMissingError extends Error {}
export class DatabaseOutdatedError extends Error {}

/** Waiting this long for another process's lock (an append, a VACUUM) before giving up. */
const BUSY_WAIT_MS = 10_000;

/**
 * One value of a serving database's meta table, or undefined when absent or when the file is not a
 * Cockpit database. A database that is there but cannot be read now (locked by another process,
 * an I/O error) throws: read as "not ours", a locked database once let a full build replace it
 * without the shrink gate and told an append to rebuild from one day's export.
 */
export function metaValueOf(path: string, key: string, busyWaitMs = BUSY_WAIT_MS): unknown {
  const db = new Database(path, { readonly: true, fileMustExist: true, timeout: busyWaitMs });
  try {
    const row = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined;
    return row === undefined ? undefined : JSON.parse(row);
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED')
      throw Object.assign(
        new Error(
          `${path} is locked by another process (still after ${busyWaitMs / 1000} s); try again when it is free`,
        ),
        { code },
      );
    if (
      code === 'SQLITE_ERROR' ||
      code === 'SQLITE_NOTADB' ||
      code === 'SQLITE_CORRUPT' ||
      err instanceof SyntaxError
    )
      return undefined;
    throw err;
  } finally {
    db.close();
  }
}

/** The schema version a serving database was built with, or null when it has none (not ours). */
export function schemaVersionOf(path: string): number | null {
  const v = metaValueOf(path, 'schemaVersion');
  return v === undefined ? null : Number(v);
}

/** Opens the serving database read-only: the server never writes to it (SPEC §6). */
export function openServingDb(path: string): Database.Database {
  if (!existsSync(path))
    throw new DatabaseMissingError(
      `serving database not found at ${path}: run npm run demo or npm run pipeline`,
    );
  const version = schemaVersionOf(path);
  if (version !== SCHEMA_VERSION)
    throw new DatabaseOutdatedError(
      `${path} was built by ${version === null ? 'something else' : `schema version ${version}`}, this server reads version ${SCHEMA_VERSION}: rebuild it with npm run pipeline (or npm run demo)`,
    );
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma('query_only = ON');
  return db;
}
