/**
 * Incremental refresh (issue 12 item 1, SPEC §2): a full build over days 1–N equals a full build
 * over days 1–(N−1) plus `--append` of day N, table by table, including later versions of earlier
 * conversations (reopened, rated late, moved to another account) that must replace, not add.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../scripts/pipeline/run.ts';
import { openServingDb } from '../server/db/open.ts';
import { SCHEMA_VERSION } from '../server/db/schema.ts';
import { testData, writeBundle } from './append-data.ts';
import { type DbSnapshot, diffSnapshots, snapshot } from './append-snapshot.ts';
import { tempDir } from './helpers.ts';

interface Line {
  id: string;
  accountId: string;
  createdAt: string;
  reopened?: boolean;
  csat?: number | null;
}

let root: string;
let full: DbSnapshot;
let appended: DbSnapshot;
let base: DbSnapshot;
let appendLog: string[];
let dayLines: number;

beforeAll(async () => {
  root = tempDir('cockpit-append-');
  const data = testData();
  const all = data.conversations;
  const { earlier, today } = splitLastDay(all);
  // Later versions of earlier conversations arrive with day N: every 97th one reopened and rated 1
  // (a resolution lost, a rating gained), every 89th moved to another account, and one of them
  // sent twice in the same day (the last of the two wins).
  const accounts = [...new Set(earlier.map((l) => (JSON.parse(l) as Line).accountId))].sort();
  const revised: string[] = [];
  earlier.forEach((l, i) => {
    const c = JSON.parse(l) as Line;
    if (i % 97 === 0) revised.push(`${JSON.stringify({ ...c, reopened: true, csat: 1 })}\n`);
    else if (i % 89 === 0) {
      const other = accounts[(accounts.indexOf(c.accountId) + 1) % accounts.length]!;
      revised.push(`${JSON.stringify({ ...c, accountId: other })}\n`);
    }
  });
  const first = JSON.parse(earlier[0]!) as Line;
  revised.push(`${JSON.stringify({ ...first, reopened: false, csat: 5 })}\n`);
  const dayN = [...today, ...revised];
  dayLines = dayN.length;

  const quiet = () => {};
  const fullDb = join(root, 'full.db');
  await runPipeline({
    input: writeBundle(join(root, 'full'), data, [...earlier, ...dayN]),
    db: fullDb,
    log: quiet,
  });
  const incrementalDb = join(root, 'incremental.db');
  await runPipeline({
    input: writeBundle(join(root, 'days-1-to-n-1'), data, earlier),
    db: incrementalDb,
    log: quiet,
  });
  base = snapshot(incrementalDb);
  appendLog = [];
  await runPipeline({
    input: writeBundle(join(root, 'day-n'), data, dayN),
    db: incrementalDb,
    append: true,
    log: (m) => appendLog.push(m),
  });
  full = snapshot(fullDb);
  appended = snapshot(incrementalDb);
}, 120_000);

describe('--append', () => {
  it('equals a full build over the same data, table by table', () => {
    expect(diffSnapshots(full, appended)).toEqual([]);
  });

  it('changed the database: day N and the revisions are counted, not added twice', () => {
    // the comparison above is not vacuous: the base build differs from both in every serving table
    expect(diffSnapshots(base, appended).length).toBeGreaterThan(0);
    const count = (s: DbSnapshot) => s.meta.conversations as number;
    // 3 revisions of existing ids replace rows (plus the id sent twice): only day N's own lines add
    expect(count(appended)).toBe(count(base) + dayLines - revisedCount());
    expect(appended.meta.duplicates).toBe(full.meta.duplicates);
  });

  it('recounts only the account-months it touched', () => {
    const line = appendLog.find((m) => m.startsWith('append: '));
    expect(line).toBeDefined();
    const touched = Number(/append: (\d+) account-months touched/.exec(line!)![1]);
    const accountMonths = full.tables.account_months!.length;
    expect(touched).toBeGreaterThan(0);
    expect(touched).toBeLessThan(accountMonths);
  });
});

describe('--append of the current month only (a daily refresh)', () => {
  let kept: { full: DbSnapshot; appended: DbSnapshot; log: string[] };

  beforeAll(async () => {
    const dir = tempDir('cockpit-append-day-');
    // eleven months: enough for backtest points and lifts, the results a daily append takes over
    const data = testData({ days: 330, conversations: 8000 });
    const all = data.conversations;
    const { earlier, today } = splitLastDay(all);
    const fullDb = join(dir, 'full.db');
    await runPipeline({ input: writeBundle(join(dir, 'full'), data, all), db: fullDb, log: () => {} });
    const db = join(dir, 'incremental.db');
    await runPipeline({ input: writeBundle(join(dir, 'base'), data, earlier), db, log: () => {} });
    const log: string[] = [];
    await runPipeline({
      input: writeBundle(join(dir, 'day'), data, today),
      db,
      append: true,
      log: (m) => log.push(m),
    });
    kept = { full: snapshot(fullDb), appended: snapshot(db), log };
  }, 120_000);

  it('keeps the CX calibration fitted on the complete months, and still equals a full build', () => {
    expect(kept.log).toContain(
      `cx calibration kept: the append touched only ${kept.full.meta.currentMonth}, after the months it was fitted on`,
    );
    expect((kept.full.meta.cxCalibration as { ratedBefore: string }).ratedBefore).toBe(
      kept.full.meta.currentMonth,
    );
    expect(diffSnapshots(kept.full, kept.appended)).toEqual([]);
  });

  it('fits the calibration again when revisions reach the months it was fitted on', () => {
    expect(appendLog).toContain(
      'cx calibration fitted again: the append touched a month it is fitted on, or a new month began',
    );
  });

  it('takes over the lifts, backtest and forecast track of whole months it left as they were', () => {
    expect(kept.log).toContain(
      'lifts, backtest and forecast track kept: the append left every whole month they judge as it was',
    );
    // not vacuous: the build has backtest points and measured lifts to take over
    expect(kept.full.tables.backtest!.length).toBeGreaterThan(0);
    const lifts = kept.full.tables.patterns!.map(
      (r) => JSON.parse(r.lifts_json as string) as { kinds: unknown[] },
    );
    expect(lifts.some((l) => l.kinds.length > 0)).toBe(true);
    expect(kept.full.meta.settledAnalyses).toEqual(kept.appended.meta.settledAnalyses);
  });

  it('measures them again when revisions reach a month they judge', () => {
    expect(appendLog).toContain(
      'lifts, backtest and forecast track measured again: the append changed a month they judge, an account or an intervention',
    );
  });
});

describe('--append with a new intervention in the current month', () => {
  it('measures the lifts again and equals a full build', async () => {
    const dir = tempDir('cockpit-append-fix-');
    const data = testData();
    const all = data.conversations;
    const { lastDay, earlier, today } = splitLastDay(all);
    const db = join(dir, 'incremental.db');
    await runPipeline({ input: writeBundle(join(dir, 'base'), data, earlier), db, log: () => {} });
    // the day's export logs a fix made today: an input of the lifts that is not a conversation
    const first = JSON.parse(data.interventions[0]!) as Record<string, unknown>;
    const withFix = {
      ...data,
      interventions: [...data.interventions, `${JSON.stringify({ ...first, date: lastDay })}\n`],
    };
    const log: string[] = [];
    await runPipeline({
      input: writeBundle(join(dir, 'day'), withFix, today),
      db,
      append: true,
      log: (m) => log.push(m),
    });
    const fullDb = join(dir, 'full.db');
    await runPipeline({ input: writeBundle(join(dir, 'full'), withFix, all), db: fullDb, log: () => {} });
    expect(log).toContain(
      'lifts, backtest and forecast track measured again: the append changed a month they judge, an account or an intervention',
    );
    expect(diffSnapshots(snapshot(fullDb), snapshot(db))).toEqual([]);
  }, 120_000);
});

describe('--append that revises a conversation in a CX disagreement queue', () => {
  it("ranks that account's queue again from all its ratings, and equals a full build", async () => {
    const dir = tempDir('cockpit-append-queue-');
    const data = testData();
    const all = data.conversations;
    const { lastDay, earlier, today } = splitLastDay(all);
    const db = join(dir, 'incremental.db');
    await runPipeline({ input: writeBundle(join(dir, 'base'), data, earlier), db, log: () => {} });
    // A queued conversation of the current month (so the calibration is kept) rated again, now in
    // line with its score: it leaves the queue, and the account's next one must take its place.
    const handle = new Database(db, { readonly: true });
    const queued = handle
      .prepare<[number], { id: string; score: number }>(
        'SELECT conversation_id AS id, score FROM cx_disagreements WHERE created_at >= ? ORDER BY rank, account_id LIMIT 1',
      )
      .get(Date.parse(`${lastDay.slice(0, 7)}-01T00:00:00Z`))!;
    handle.close();
    const line = earlier.find((l) => (JSON.parse(l) as Line).id === queued.id)!;
    const revised = `${JSON.stringify({ ...JSON.parse(line), csat: Math.round(queued.score) })}\n`;
    const log: string[] = [];
    await runPipeline({
      input: writeBundle(join(dir, 'day'), data, [...today, revised]),
      db,
      append: true,
      log: (m) => log.push(m),
    });
    const fullDb = join(dir, 'full.db');
    await runPipeline({
      input: writeBundle(join(dir, 'full'), data, [...earlier, ...today, revised]),
      db: fullDb,
      log: () => {},
    });
    expect(log.some((m) => m.startsWith('cx calibration kept'))).toBe(true);
    expect(diffSnapshots(snapshot(fullDb), snapshot(db))).toEqual([]);
  }, 120_000);
});

/** A bundle's lines split into its last calendar day (UTC) and the days before it. */
function splitLastDay(all: readonly string[]) {
  const dayOf = (l: string) => (JSON.parse(l) as Line).createdAt.slice(0, 10);
  const lastDay = dayOf(all.at(-1)!);
  return {
    lastDay,
    earlier: all.filter((l) => dayOf(l) < lastDay),
    today: all.filter((l) => dayOf(l) === lastDay),
  };
}

/** Lines of day N that carry an id already stored or already seen earlier in day N. */
function revisedCount(): number {
  const seen = new Set(base.tables.conversations!.map((r) => r.id as string));
  const day = readFileSync(join(root, 'day-n', 'conversations.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => (JSON.parse(l) as Line).id);
  let repeats = 0;
  for (const id of day) {
    if (seen.has(id)) repeats++;
    seen.add(id);
  }
  return repeats;
}

describe('--append of a single export file', () => {
  it("keeps the stored accounts' records: the file's stand-in accounts do not replace them", async () => {
    const dir = tempDir('cockpit-append-file-');
    const data = testData({ conversations: 300 });
    const db = join(dir, 'c.db');
    const [earlier, later] = [data.conversations.slice(0, 250), data.conversations.slice(250)];
    await runPipeline({ input: writeBundle(join(dir, 'a'), data, earlier), db, log: () => {} });
    const file = join(dir, 'day.jsonl');
    writeFileSync(file, later.join(''));
    await runPipeline({ input: file, db, append: true, log: () => {} });
    const fullDb = join(dir, 'full.db');
    await runPipeline({
      input: writeBundle(join(dir, 'full'), data, data.conversations),
      db: fullDb,
      log: () => {},
    });
    const accountsOf = (path: string) => {
      const handle = new Database(path, { readonly: true });
      const rows = handle.prepare('SELECT id, name, vertical, arr, csm FROM accounts ORDER BY id').all();
      handle.close();
      return rows;
    };
    expect(accountsOf(db)).toEqual(accountsOf(fullDb));
    expect(diffSnapshots(snapshot(fullDb), snapshot(db))).toEqual([]);
  });

  it('keeps the stored fields a slim daily account row leaves out, takes the ones it gives, clears a null', async () => {
    const dir = tempDir('cockpit-append-slim-');
    const data = testData({ conversations: 300 });
    const db = join(dir, 'c.db');
    const [earlier, later] = [data.conversations.slice(0, 250), data.conversations.slice(250)];
    await runPipeline({ input: writeBundle(join(dir, 'a'), data, earlier), db, log: () => {} });
    const [first, prospect] = [data.accounts[0]!, data.accounts[11]!].map(
      (l) => JSON.parse(l) as { id: string; vertical: string },
    );
    const slim = {
      ...data,
      accounts: [
        // no vertical, plan, ARR or go-live date; a new CSM; the region cleared
        `${JSON.stringify({ id: first!.id, name: 'Renamed', csm: 'New CSM', region: null })}\n`,
        // no status: still a prospect
        `${JSON.stringify({ id: prospect!.id, name: 'Account 11', csm: '' })}\n`,
      ],
    };
    await runPipeline({ input: writeBundle(join(dir, 'day'), slim, later), db, append: true, log: () => {} });
    const handle = new Database(db, { readonly: true });
    const row = (id: string) =>
      handle
        .prepare(
          'SELECT name, vertical, plan, arr, csm, region, ai_live_since, status FROM accounts WHERE id = ?',
        )
        .get(id);
    expect(row(first!.id)).toEqual({
      name: 'Renamed',
      vertical: first!.vertical,
      plan: 'growth',
      arr: 50_000,
      csm: 'New CSM',
      region: null,
      ai_live_since: '2025-10-01',
      status: 'customer',
    });
    expect(row(prospect!.id)).toMatchObject({
      status: 'prospect',
      csm: 'CSM 2',
      vertical: prospect!.vertical,
    });
    handle.close();
  });

  it('says so when a help desk file would become an account of its own', async () => {
    const dir = tempDir('cockpit-append-named-');
    const data = testData({ conversations: 300 });
    const db = join(dir, 'c.db');
    await runPipeline({ input: writeBundle(join(dir, 'a'), data, data.conversations), db, log: () => {} });
    // a CSV export names no account: its stand-in is named after the file
    const csv = join(dir, 'helpdesk-2026-03-02.csv');
    writeFileSync(csv, 'id,created_at,message\nt1,2026-03-02T10:00:00Z,where is my order\n');
    const log: string[] = [];
    await runPipeline({ input: csv, db, append: true, log: (m) => log.push(m) });
    expect(log.find((m) => m.startsWith('note: --append adds'))).toMatch(
      /^note: --append adds a new account \(helpdesk-2026-03-02\) that the database does not hold; to add a help desk's file to an existing account, pass --name/,
    );
  });
});

describe('--append refuses what a full build refuses, and leaves the database untouched', () => {
  it('needs an existing database', async () => {
    const dir = tempDir('cockpit-append-none-');
    const input = writeBundle(
      join(dir, 'in'),
      testData({ conversations: 50 }),
      testData({ conversations: 50 }).conversations,
    );
    await expect(
      runPipeline({ input, db: join(dir, 'none.db'), append: true, log: () => {} }),
    ).rejects.toThrow(/--append: .*none\.db does not exist; build it first without --append/);
  });

  it('over the reject threshold: fails and the old database is byte-identical', async () => {
    const dir = tempDir('cockpit-append-reject-');
    const data = testData({ conversations: 300 });
    const db = join(dir, 'c.db');
    await runPipeline({ input: writeBundle(join(dir, 'a'), data, data.conversations), db, log: () => {} });
    const before = readFileSync(db);
    const bad = [...data.conversations.slice(0, 20), '{"id": broken\n', '{"id":"x","accountId":"nobody"}\n'];
    await expect(
      runPipeline({ input: writeBundle(join(dir, 'b'), data, bad), db, append: true, log: () => {} }),
    ).rejects.toThrow(/over the --max-reject-rate of 1\.00%; the database was not changed/);
    expect(readFileSync(db).equals(before)).toBe(true);
  });

  it('killed inside its transaction: the server reads the database as it was, and the next append runs', async () => {
    const dir = tempDir('cockpit-append-killed-');
    const data = testData({ conversations: 300 });
    const db = join(dir, 'c.db');
    await runPipeline({ input: writeBundle(join(dir, 'a'), data, data.conversations), db, log: () => {} });
    const before = snapshot(db);
    // A writer that dies after some of its changes reached the file (a tiny page cache spills them),
    // as an append killed with SIGKILL or by a power cut does. (WHERE 1: a bare DELETE drops whole
    // tables in a few page writes, which never spill.)
    const killed = spawnSync(
      process.execPath,
      [
        '-e',
        `const db = new (require('better-sqlite3'))(process.argv[1]);
         db.pragma('cache_size = 10');
         db.exec('BEGIN IMMEDIATE');
         db.exec('DELETE FROM samples WHERE 1');
         db.exec('DELETE FROM accounts WHERE 1');
         db.exec('DELETE FROM conversations WHERE 1');
         process.kill(process.pid, 'SIGKILL');`,
        db,
      ],
      { cwd: join(import.meta.dirname, '..') },
    );
    expect(killed.signal).toBe('SIGKILL');
    expect(existsSync(`${db}-journal`)).toBe(true);
    // read-only, SQLite refuses the file until someone rolls the journal back
    const plain = new Database(db, { readonly: true });
    expect(() => plain.prepare('SELECT count(*) FROM accounts').get()).toThrow(/readonly/);
    plain.close();

    const served = openServingDb(db);
    expect(served.prepare('SELECT count(*) FROM accounts').pluck().get()).toBe(
      before.tables.accounts!.length,
    );
    served.close();
    expect(existsSync(`${db}-journal`)).toBe(false);
    expect(diffSnapshots(before, snapshot(db))).toEqual([]);
    await runPipeline({
      input: writeBundle(join(dir, 'b'), data, data.conversations.slice(0, 5)),
      db,
      append: true,
      log: () => {},
    });
  });

  it('refuses a database of another schema version', async () => {
    const dir = tempDir('cockpit-append-schema-');
    const data = testData({ conversations: 300 });
    const db = join(dir, 'c.db');
    await runPipeline({ input: writeBundle(join(dir, 'a'), data, data.conversations), db, log: () => {} });
    const handle = new Database(db);
    handle.prepare("UPDATE meta SET value = '3' WHERE key = 'schemaVersion'").run();
    handle.close();
    await expect(
      runPipeline({
        input: writeBundle(join(dir, 'b'), data, data.conversations.slice(0, 5)),
        db,
        append: true,
        log: () => {},
      }),
    ).rejects.toThrow(
      new RegExp(
        `was built by schema version 3, this pipeline writes version ${SCHEMA_VERSION}; run a full build`,
      ),
    );
  });
});
