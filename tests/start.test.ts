import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isDemoSource, type ServingFileFacts, servingFileDecision } from '../scripts/serving-file.ts';
import { tempDir } from './helpers.ts';

const ROOT = resolve(import.meta.dirname, '..');

/** `npm start`'s own process, as npm runs it, with COCKPIT_DB pointing at `db` */
function start(db: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: ROOT,
    env: { ...process.env, COCKPIT_DB: db, PORT: '1', COCKPIT_SKIP_WEB_BUILD: '1' },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('npm start with a COCKPIT_DB that holds no database', () => {
  it('says what the path holds and exits, instead of "built by an older version" or "disk I/O error"', () => {
    const dir = tempDir();
    const text = join(dir, 'notes.db');
    writeFileSync(text, 'account notes, not a database\n');
    const empty = join(dir, 'empty.db');
    writeFileSync(empty, '');
    const folder = join(dir, 'folder.db');
    mkdirSync(folder);
    for (const [path, what] of [
      [text, 'is not an SQLite database'],
      [empty, 'is an empty file, not a database'],
      [folder, 'is a folder, not a database file'],
    ] as const) {
      const run = start(path);
      expect(run.status, path).toBe(1);
      expect(run.stderr.trim()).toBe(
        `cannot start: ${path} ${what}; point COCKPIT_DB at a database npm run pipeline built`,
      );
    }
  });
});

describe('what npm start does with the serving database it finds', () => {
  const facts = (over: Partial<ServingFileFacts>): ServingFileFacts => ({
    path: '/repo/data/cockpit.db',
    exists: true,
    notDatabase: null,
    isFolder: false,
    empty: false,
    atDefaultPath: true,
    demoBuild: true,
    source: '/repo/data/demo',
    schemaVersion: 16,
    currentSchema: 16,
    labelsCurrent: true,
    ...over,
  });

  it('never deletes a database of the user’s own at the default path, whatever version built it', () => {
    // the upgrade review: `npm run pipeline -- --input export.csv` (no --db) wrote data/cockpit.db,
    // and the next version's npm start deleted it as "the demo database" and built the demo there
    const own = facts({ demoBuild: false, source: '/home/sam/acme.csv', schemaVersion: 13 });
    expect(servingFileDecision(own)).toEqual({
      do: 'refuse',
      say: '/repo/data/cockpit.db was built by an older version of Cockpit (schema 13; this one reads 16): rebuild it with npm run pipeline -- --input /home/sam/acme.csv --db /repo/data/cockpit.db (with the --name and --vertical you gave it)',
    });
    // labelled by an older taxonomy: served as it is, as at any COCKPIT_DB
    expect(servingFileDecision(facts({ demoBuild: false, labelsCurrent: false }))).toEqual({ do: 'serve' });
  });

  it('rebuilds the demo’s own database when its version or labels are not this checkout’s', () => {
    expect(servingFileDecision(facts({ schemaVersion: 13 })).do).toBe('rebuild-demo');
    expect(servingFileDecision(facts({ labelsCurrent: false })).do).toBe('rebuild-demo');
    expect(servingFileDecision(facts({}))).toEqual({ do: 'serve' });
    expect(servingFileDecision(facts({ exists: false })).do).toBe('build-demo');
  });

  it('says "newer" for a database a newer version built, and how to go on', () => {
    const d = servingFileDecision(
      facts({
        path: '/srv/cockpit.db',
        atDefaultPath: false,
        demoBuild: false,
        source: '/srv/export',
        schemaVersion: 17,
      }),
    );
    expect(d).toEqual({
      do: 'refuse',
      say: '/srv/cockpit.db was built by a newer version of Cockpit (schema 17; this one reads 16): update this checkout (git pull, npm install), or rebuild it with this one: npm run pipeline -- --input /srv/export --db /srv/cockpit.db',
    });
  });

  it('replaces only an empty file at the demo’s path; any other file that is no database is left there', () => {
    expect(
      servingFileDecision(facts({ notDatabase: 'is an empty file, not a database', empty: true })).do,
    ).toBe('rebuild-demo');
    expect(servingFileDecision(facts({ notDatabase: 'is not an SQLite database' }))).toEqual({
      do: 'refuse',
      say: 'cannot start: /repo/data/cockpit.db is not an SQLite database; move it away and npm start builds the demo there, or point COCKPIT_DB at a database npm run pipeline built',
    });
    expect(
      servingFileDecision(facts({ notDatabase: 'is a folder, not a database file', isFolder: true })).do,
    ).toBe('refuse');
  });

  it('knows the demo bundle from a moved checkout, and nothing else', () => {
    expect(isDemoSource('/repo/data/demo', '/repo/data/demo')).toBe(true);
    expect(isDemoSource('/old/place/cockpit/data/demo/', '/repo/data/demo')).toBe(true);
    expect(isDemoSource('/repo/data/demo-copy', '/repo/data/demo')).toBe(false);
    expect(isDemoSource('/home/sam/acme.csv', '/repo/data/demo')).toBe(false);
    expect(isDemoSource(undefined, '/repo/data/demo')).toBe(false);
  });
});
