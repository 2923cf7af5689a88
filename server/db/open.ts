import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { SCHEMA_VERSION } from './schema.ts';

export class DatabaseMissingError extends Error {}
export class DatabaseOutdatedError extends Error {}

/** One value of a serving database's meta table, or undefined when absent or unreadable. */
export function metaValueOf(path: string, key: string): unknown {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined;
    return row === undefined ? undefined : JSON.parse(row);
  } catch {
    return undefined;
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
