import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { SCHEMA_VERSION } from './schema.ts';

export class DatabaseMissingError extends Error {}
export class DatabaseOutdatedError extends Error {}

/** The schema version a serving database was built with, or null when it has none (not ours). */
export function schemaVersionOf(path: string): number | null {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare("SELECT value FROM meta WHERE key = 'schemaVersion'").pluck().get() as
      | string
      | undefined;
    return row === undefined ? null : Number(JSON.parse(row));
  } catch {
    return null;
  } finally {
    db.close();
  }
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
