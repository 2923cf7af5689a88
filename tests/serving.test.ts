import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runPipeline } from '../scripts/pipeline/run.ts';
import { openServingDb } from '../server/db/open.ts';
import { openProspectStore } from '../server/db/prospects.ts';
import { benchmarkSource } from '../server/estimate/benchmarks.ts';
import { estimateProspect } from '../server/estimate/estimate.ts';
import { createServer } from '../server/serve.ts';
import { buildFixtureDb, copyFixture, tempDir } from './helpers.ts';

const servers: { close(): void }[] = [];
afterAll(() => {
  for (const s of servers) s.close();
});

function start(dbPath: string, prospectsDbPath?: string, pollIntervalMs?: number) {
  const dist = tempDir();
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Cockpit</title>');
  const s = createServer({
    dbPath,
    distDir: dist,
    port: 0,
    host: '127.0.0.1',
    log: () => {},
    ...(prospectsDbPath && { prospectsDbPath }),
    ...(pollIntervalMs !== undefined && { pollIntervalMs }),
  });
  servers.push(s);
  return s;
}

type Health = {
  ok: boolean;
  status: string;
  buildId: string | null;
  conversations: number;
  ageSeconds: number | null;
  prospects: { state: string; reason?: string };
  database: { state: string; reason?: string };
};
const health = async (s: ReturnType<typeof start>) =>
  (await (await s.app.request('/api/health')).json()) as Health;

describe('the server sees a rebuilt database', () => {
  it('switches to the new file after a rebuild, without a restart', async () => {
    const db = join(tempDir(), 'cockpit.db');
    await runPipeline({ input: copyFixture(), db, log: () => {} });
    const s = start(db);
    const before = await health(s);
    expect(before.conversations).toBe(16);
    expect(before.buildId).toMatch(/^[0-9a-f-]{36}$/);
    expect(before.ageSeconds).toBeGreaterThanOrEqual(0);

    const bundle = copyFixture();
    appendFileSync(
      join(bundle, 'conversations.jsonl'),
      `${JSON.stringify({ id: 'new-1', accountId: 'acme', createdAt: '2026-03-14T10:00:00Z', channel: 'chat', aiInvolved: false, messages: [] })}\n`,
    );
    await runPipeline({ input: bundle, db, log: () => {} });
    // the file watcher notices within a second or two; nothing is restarted
    await vi.waitFor(
      async () => {
        expect((await health(s)).conversations).toBe(17);
      },
      { timeout: 10_000, interval: 200 },
    );
    const after = await health(s);
    expect(after.buildId).not.toBe(before.buildId);
  });

  it('shows an account opened before an in-place append with the appended conversation after it', async () => {
    const db = join(tempDir(), 'cockpit.db');
    await runPipeline({ input: copyFixture(), db, log: () => {} });
    const s = start(db);
    type Detail = { conversations: number; months: { month: string; conversations: number }[] };
    const detail = async () => (await (await s.app.request('/api/accounts/acme')).json()) as Detail;
    const before = await detail();
    // the first answer is kept in this generation's memory; the second must be the same
    expect(await detail()).toEqual(before);

    const day = join(tempDir(), 'day.jsonl');
    writeFileSync(
      day,
      `${JSON.stringify({ id: 'day-1', accountId: 'acme', createdAt: '2026-03-14T10:00:00Z', channel: 'chat', aiInvolved: false, messages: [] })}\n`,
    );
    await runPipeline({ input: day, db, append: true, log: () => {} });
    await vi.waitFor(
      async () => {
        expect((await health(s)).conversations).toBe(17);
      },
      { timeout: 10_000, interval: 200 },
    );
    const after = await detail();
    const march = (d: Detail) => d.months.find((m) => m.month === '2026-03')?.conversations ?? 0;
    expect(march(after)).toBe(march(before) + 1);
  });

  it('serves an in-place append everywhere within a moment of its commit, without waiting for the poll', async () => {
    const db = join(tempDir(), 'cockpit.db');
    await runPipeline({ input: copyFixture(), db, log: () => {} });
    // the poll is an hour away: only the folder's watcher can tell the server in time
    const s = start(db, undefined, 3_600_000);
    const list = async () =>
      (
        (await (await s.app.request('/api/accounts')).json()) as {
          accounts: { id: string; conversations: number }[];
        }
      ).accounts;
    const before = (await list()).find((a) => a.id === 'acme')!.conversations;
    const day = join(tempDir(), 'day.jsonl');
    writeFileSync(
      day,
      `${JSON.stringify({ id: 'day-2', accountId: 'acme', createdAt: '2026-03-14T11:00:00Z', channel: 'chat', aiInvolved: false, messages: [] })}\n`,
    );
    await runPipeline({ input: day, db, append: true, log: () => {} });
    // the list is read from memory: it changes only when the server has moved to the new state
    await vi.waitFor(
      async () => {
        expect((await list()).find((a) => a.id === 'acme')!.conversations).toBe(before + 1);
        expect((await health(s)).conversations).toBe(17);
      },
      { timeout: 5_000, interval: 20 },
    );
  });

  it('keeps serving the current database when the new file cannot be opened', async () => {
    const db = join(tempDir(), 'cockpit.db');
    await runPipeline({ input: copyFixture(), db, log: () => {} });
    const s = start(db);
    writeFileSync(`${db}.tmp`, 'not a database');
    const { renameSync } = await import('node:fs');
    renameSync(`${db}.tmp`, db);
    expect(s.reload()).toBe(false);
    const h = await health(s);
    expect(h.conversations).toBe(16);
    // served, but said: the next start could not serve this file
    expect(h.status).toBe('degraded');
    expect(h.database).toEqual({
      state: 'stale',
      reason: expect.stringMatching(
        /^the database file changed and cannot be opened \(.*\); the previous build is still served$/,
      ),
    });
  });

  it('says so in the health when the database file is deleted, and recovers with a rebuild', async () => {
    const db = join(tempDir(), 'cockpit.db');
    await runPipeline({ input: copyFixture(), db, log: () => {} });
    const s = start(db, undefined, 20);
    expect((await health(s)).database).toEqual({ state: 'ok' });
    rmSync(db);
    await vi.waitFor(
      async () => {
        const h = await health(s);
        expect(h.status).toBe('degraded');
        expect(h.database.reason).toMatch(/^the database file is gone/);
        expect(h.conversations).toBe(16);
      },
      { timeout: 5_000, interval: 20 },
    );
    await runPipeline({ input: copyFixture(), db, log: () => {} });
    await vi.waitFor(async () => expect((await health(s)).status).toBe('ok'), {
      timeout: 5_000,
      interval: 20,
    });
  });
});

describe('a broken prospects store degrades only prospect features', () => {
  it('serves the accounts and says degraded when the prospects file is corrupt', async () => {
    const db = join(tempDir(), 'cockpit.db');
    await runPipeline({ input: copyFixture(), db, log: () => {} });
    const prospects = join(tempDir(), 'prospects.db');
    writeFileSync(prospects, 'this is not an SQLite file, it is a corrupted one'.repeat(200));
    const s = start(db, prospects);
    const accounts = await s.app.request('/api/accounts');
    expect(accounts.status).toBe(200);
    expect(((await accounts.json()) as { accounts: unknown[] }).accounts.length).toBe(3);
    const h = await health(s);
    expect(h.ok).toBe(true);
    expect(h.status).toBe('degraded');
    expect(h.prospects.state).toBe('degraded');
    expect(h.prospects.reason).toContain(prospects);
    expect((await s.app.request('/api/estimate/prospects')).status).toBe(200);
    // a delete cannot tell whether the prospect exists: 503, not a 404 that says it does not
    const del = await s.app.request('/api/estimate/prospects/prospect-0123456789abcdef', {
      method: 'DELETE',
    });
    expect(del.status).toBe(503);
    expect(((await del.json()) as { error: { code: string } }).error.code).toBe('prospects_unavailable');
  });

  it('a save waits for a locked file without blocking other work, then succeeds', async () => {
    const file = join(tempDir(), 'prospects.db');
    const store = openProspectStore(file, { lockWaitMs: 5000 });
    servers.push(store);
    const serving = openServingDb(await buildFixtureDb());
    servers.push(serving);
    const result = await estimateProspect(
      (async function* () {
        yield Buffer.from('id,created_at,text\nq-1,2026-03-01T10:00:00Z,Where is my parcel?\n');
      })(),
      benchmarkSource(serving),
    );
    expect(store.list()).toEqual([]);
    // another process holds the write lock
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    let ticks = 0;
    let saved = false;
    const saving = store.save(result).then(() => {
      saved = true;
    });
    while (ticks < 20) {
      await new Promise((r) => setTimeout(r, 5));
      ticks++;
    }
    expect(saved).toBe(false); // still waiting, and the event loop kept turning meanwhile
    other.exec('COMMIT');
    other.close();
    await saving;
    expect(store.list().map((p) => p.id)).toEqual([result.id]);
  });
});

describe('a prospects store that cannot be written', () => {
  it('answers a save with 503 in one line and keeps serving the accounts', async () => {
    const db = join(tempDir(), 'cockpit.db');
    await runPipeline({ input: copyFixture(), db, log: () => {} });
    const blocker = join(tempDir(), 'a-file');
    writeFileSync(blocker, 'x');
    // the audit log elsewhere: this is about the prospects file (beside it, the log fails first, and says so)
    const before = process.env.COCKPIT_AUDIT_LOG;
    process.env.COCKPIT_AUDIT_LOG = join(tempDir(), 'audit.jsonl');
    const s = start(db, join(blocker, 'prospects.db'));
    if (before === undefined) delete process.env.COCKPIT_AUDIT_LOG;
    else process.env.COCKPIT_AUDIT_LOG = before;
    const res = await s.app.request('/api/estimate?save=1', {
      method: 'POST',
      body: 'id,created_at,text\nq-1,2026-03-01T10:00:00Z,Where is my parcel?\n',
      headers: { 'content-type': 'text/plain' },
    });
    const last = JSON.parse((await res.text()).trim().split('\n').at(-1)!) as {
      type: string;
      status: number;
      error: { code: string; message: string };
    };
    expect(last).toMatchObject({ type: 'error', status: 503, error: { code: 'prospects_unavailable' } });
    expect(last.error.message).toMatch(/^could not save the prospect: /);
    expect(last.error.message).not.toContain('\n');
    expect((await s.app.request('/api/accounts')).status).toBe(200);
  });
});
