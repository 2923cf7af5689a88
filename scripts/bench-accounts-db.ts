/**
 * The many-account serving database that bench:api and bench:web share
 * (`.tmp/bench-api/a<N>/cockpit.db`): generated and built once, and again when the schema
 * changed (the server refuses an older one). A `--db` given by the user is used as it is.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { schemaVersionOf } from '../server/db/open.ts';
import { SCHEMA_VERSION } from '../server/db/schema.ts';
import { generateDemoBundle } from './demo/generate.ts';
import { runPipeline } from './pipeline/run.ts';

export async function benchAccountsDb(root: string, accounts: number, given?: string): Promise<string> {
  const dir = given ? dirname(resolve(given)) : join(root, '.tmp', 'bench-api', `a${accounts}`);
  const db = given ? resolve(given) : join(dir, 'cockpit.db');
  if (!existsSync(db) || (!given && schemaVersionOf(db) !== SCHEMA_VERSION)) {
    console.log(`building a ${accounts}-account database in ${dir} (once per schema version)…`);
    await generateDemoBundle({ accounts, months: 6, outDir: dir, volumeScale: 0.05 });
    await runPipeline({ input: dir, db, log: () => {} });
  }
  return db;
}
