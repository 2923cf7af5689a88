import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';

export class DatabaseMissingError extends Error {}

/** Opens the serving database read-only: the server never writes to it (SPEC §6). */
export function openServingDb(path: string): Database.Database {
  if (!existsSync(path))
    throw new DatabaseMissingError(
      `serving database not found at ${path}: run npm run demo or npm run pipeline`,
    );
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma('query_only = ON');
  return db;
}
