import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPipeline } from '../scripts/pipeline/run.ts';

export const FIXTURE_BUNDLE = join(import.meta.dirname, 'fixtures', 'bundle');

export function tempDir(prefix = 'cockpit-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Copies the fixture bundle to a temp folder so a test can break it. */
export function copyFixture(): string {
  const dir = join(tempDir(), 'bundle');
  cpSync(FIXTURE_BUNDLE, dir, { recursive: true });
  return dir;
}

/** Builds a database from the fixture bundle with the real pipeline. */
export async function buildFixtureDb(input = FIXTURE_BUNDLE): Promise<string> {
  const db = join(tempDir(), 'cockpit.db');
  await runPipeline({ input, db, log: () => {} });
  return db;
}
