import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
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
