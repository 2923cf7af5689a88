/**
 * `npm start`: on a fresh checkout, builds what is missing (the web app, the demo bundle, the
 * serving database), then serves the app and API on http://localhost:8787 (SPEC §6).
 */
import { closeSync, existsSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { metaValueOf, schemaVersionOf } from '../server/db/open.ts';
import { defaultProspectsDbPath } from '../server/db/prospects.ts';
import { SCHEMA_VERSION } from '../server/db/schema.ts';
import { modelFileId } from '../server/domain/classifier.ts';
import { taxonomy } from '../server/domain/taxonomy.ts';
import {
  type AccessConfig,
  AccessConfigError,
  accessConfigFromEnv,
  bindRefusal,
} from '../server/security.ts';
import { startServer } from '../server/serve.ts';
import { buildWeb, builtFiles, webBuildStale } from './build-web.ts';
import { generateDemoBundle } from './demo/generate.ts';
import { runPipeline } from './pipeline/run.ts';
import { isDemoSource, servingFileDecision } from './serving-file.ts';

const ROOT = resolve(import.meta.dirname, '..');
const DEFAULT_DB = join(ROOT, 'data', 'cockpit.db');
const DEMO_DIR = join(ROOT, 'data', 'demo');
const DIST = join(ROOT, 'dist');

const dbPath = resolve(process.env.COCKPIT_DB ?? DEFAULT_DB);
const port = Number(process.env.PORT ?? 8787);
const host = process.env.HOST ?? '127.0.0.1';
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`PORT must be a port number, got "${process.env.PORT}"`);
  process.exit(2);
}
let access: AccessConfig;
try {
  access = accessConfigFromEnv();
} catch (err) {
  if (!(err instanceof AccessConfigError)) throw err;
  console.error(err.message);
  process.exit(2);
}
const refusal = bindRefusal(host, access);
if (refusal) {
  console.error(refusal);
  process.exit(2);
}

if (webBuildStale(DIST, ROOT) && !process.env.COCKPIT_SKIP_WEB_BUILD) {
  console.log(
    builtFiles(DIST).some((f) => !existsSync(f))
      ? 'web app not built yet: building it (npm run build)…'
      : 'web app sources changed since the last build: rebuilding it (npm run build)…',
  );
  if (!buildWeb(DIST)) {
    console.error('web build failed');
    process.exit(1);
  }
}

/** Why the file at `path` is no SQLite database, or null when its header says it is one. */
function notASqliteFile(path: string): string | null {
  if (statSync(path).isDirectory()) return 'is a folder, not a database file';
  const head = Buffer.alloc(16);
  const fd = openSync(path, 'r');
  let read: number;
  try {
    read = readSync(fd, head, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (read === 0) return 'is an empty file, not a database';
  return head.subarray(0, read).toString('latin1') === 'SQLite format 3\u0000'
    ? null
    : 'is not an SQLite database';
}

/** A meta read of the database; one that is locked by another process (a build) ends the start with why. */
function meta<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    console.error(`cannot start: ${(err as Error).message}`);
    process.exit(1);
  }
}

// A path that holds no SQLite database at all (a folder, an empty or a text file) was reported as
// "built by an older version of Cockpit" or as a bare "disk I/O error"; a database of the user's own
// at the default path was once deleted as the demo's on an upgrade (scripts/serving-file.ts).
const exists = existsSync(dbPath);
const notDatabase = exists ? notASqliteFile(dbPath) : null;
const readable = exists && !notDatabase;
const decision = servingFileDecision({
  path: dbPath,
  exists,
  notDatabase,
  isFolder: exists && statSync(dbPath).isDirectory(),
  empty: exists && statSync(dbPath).size === 0,
  atDefaultPath: dbPath === DEFAULT_DB,
  demoBuild:
    readable &&
    isDemoSource(
      meta(() => metaValueOf(dbPath, 'source')),
      DEMO_DIR,
    ),
  source: readable ? ((meta(() => metaValueOf(dbPath, 'source')) as string | undefined) ?? null) : null,
  schemaVersion: readable ? meta(() => schemaVersionOf(dbPath)) : null,
  currentSchema: SCHEMA_VERSION,
  labelsCurrent:
    readable &&
    meta(() => metaValueOf(dbPath, 'taxonomyVersion')) === taxonomy.version &&
    meta(() => metaValueOf(dbPath, 'classifierModel')) === modelFileId(),
});
if (decision.do === 'refuse') {
  console.error(decision.say);
  process.exit(1);
}
if (decision.do === 'rebuild-demo') {
  console.log(decision.say);
  rmSync(dbPath);
}
if (decision.do === 'build-demo' || decision.do === 'rebuild-demo') {
  if (decision.say && decision.do === 'build-demo') console.log(decision.say);
  if (!existsSync(join(DEMO_DIR, 'accounts.jsonl'))) {
    console.log('no demo data yet: generating it (npm run demo)…');
    await generateDemoBundle({ outDir: DEMO_DIR });
  }
  console.log('building the serving database from the demo bundle…');
  await runPipeline({ input: DEMO_DIR, db: dbPath });
}

const retention = process.env.COCKPIT_PROSPECT_RETENTION_DAYS;
const prospectRetentionDays = retention === undefined || retention === '' ? undefined : Number(retention);
if (prospectRetentionDays !== undefined && !(prospectRetentionDays > 0)) {
  console.error(`COCKPIT_PROSPECT_RETENTION_DAYS must be a number of days, got "${retention}"`);
  process.exit(2);
}
startServer({
  dbPath,
  distDir: DIST,
  port,
  host,
  prospectsDbPath: defaultProspectsDbPath(ROOT),
  access,
  ...(prospectRetentionDays !== undefined && { prospectRetentionDays }),
});
