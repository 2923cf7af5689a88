import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openProspectStore, PROSPECT_MIGRATIONS, PROSPECTS_SCHEMA_VERSION } from '../server/db/prospects.ts';

const dir = mkdtempSync(join(tmpdir(), 'cockpit-prospects-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('prospects database versions', () => {
  it('migrates a file made before versioning, keeping its prospects', () => {
    const file = join(dir, 'old.db');
    const old = new Database(file);
    old.exec(PROSPECT_MIGRATIONS[0]!);
    old
      .prepare(
        `INSERT INTO prospects VALUES ('p1', 'Acme', 'saas', 'acme.csv', 'csv', 'abc', 10, 0.5, 0.4, 0.6,
          '2026-11-01T00:00:00Z', '{}', '{"id":"p1"}', '{}')`,
      )
      .run();
    expect(old.pragma('user_version', { simple: true })).toBe(0);
    old.close();

    const store = openProspectStore(file);
    expect(store.list().map((p) => p.id)).toEqual(['p1']);
    store.close();
    const reopened = new Database(file, { readonly: true });
    expect(reopened.pragma('user_version', { simple: true })).toBe(PROSPECTS_SCHEMA_VERSION);
    reopened.close();
  });

  it('refuses a file written by a newer Cockpit, saying what to do', () => {
    const file = join(dir, 'newer.db');
    const newer = new Database(file);
    newer.pragma(`user_version = ${PROSPECTS_SCHEMA_VERSION + 1}`);
    newer.close();
    const store = openProspectStore(file);
    // the server keeps serving accounts: the store reads as empty and says why it is degraded
    expect(store.list()).toEqual([]);
    const health = store.health();
    expect(health.state).toBe('degraded');
    expect(health.reason).toMatch(/written by a newer Cockpit .*COCKPIT_PROSPECTS_DB/);
    store.close();
  });
});
