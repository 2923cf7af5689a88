import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  openProspectStore,
  PROSPECT_MIGRATIONS,
  PROSPECTS_SCHEMA_VERSION,
  ProspectsFullError,
} from '../server/db/prospects.ts';
import { benchmarkSource } from '../server/estimate/benchmarks.ts';
import { estimateProspect } from '../server/estimate/estimate.ts';

const dir = mkdtempSync(join(tmpdir(), 'cockpit-prospects-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An export of one chat on 10 Feb 2026 without an AI agent. */
async function* oneChat(id: string, text: string) {
  yield Buffer.from(
    JSON.stringify({
      id,
      createdAt: '2026-02-10T10:00:00Z',
      channel: 'chat',
      aiInvolved: false,
      aiResolutionState: null,
      messages: [{ role: 'customer', text }],
    }),
  );
}

describe('prospects database versions', () => {
  it('migrates a file made before versioning, keeping its prospects', () => {
    const file = join(dir, 'old.db');
    const old = new Database(file);
    old.exec(PROSPECT_MIGRATIONS[0] as string);
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

  it('re-derives the list and detail rows of prospects saved by an earlier version', async () => {
    const at = (day: string) => `2026-${day}T10:00:00Z`;
    const lines = ['01-04', '01-12', '01-30', '02-02', '02-10'].map((day, i) =>
      JSON.stringify({
        id: `m${i}`,
        createdAt: at(day),
        channel: 'email',
        aiInvolved: false,
        aiResolutionState: null,
        messages: [{ role: 'customer', text: 'please cancel my subscription from next month' }],
      }),
    );
    async function* body() {
      yield Buffer.from(lines.join('\n'));
    }
    const result = await estimateProspect(body(), benchmarkSource(null), {
      vertical: 'saas',
      name: 'Old Co',
    });
    const file = join(dir, 'version1.db');
    const store = openProspectStore(file);
    await store.save(result);
    store.close();
    // as version 1 stored it: the whole export's count in the row, no month-to-date
    const v1 = new Database(file);
    const summary = JSON.parse(v1.prepare('SELECT summary_json FROM prospects').pluck().get() as string);
    const detail = JSON.parse(v1.prepare('SELECT detail_json FROM prospects').pluck().get() as string);
    v1.prepare('UPDATE prospects SET summary_json = ?, detail_json = ?').run(
      JSON.stringify({ ...summary, conversations: 5 }),
      JSON.stringify({ ...detail, conversations: 5, monthToDate: false }),
    );
    v1.pragma('user_version = 1');
    v1.close();

    const reopened = openProspectStore(file);
    expect(reopened.summaries().map((p) => [p.month, p.conversations])).toEqual([['2026-02', 2]]);
    expect(JSON.parse(reopened.detailJson(result.id)!)).toMatchObject({
      conversations: 2,
      monthToDate: true,
    });
    reopened.close();
  });

  it('says on the page and in the saved list when an export fits the topics poorly, for prospects saved before too', async () => {
    const estimated = await estimateProspect(
      oneChat('f-1', 'my meter reading looks wrong this quarter'),
      benchmarkSource(null),
      {
        vertical: 'other',
        name: 'Grid Co',
      },
    );
    const file = join(dir, 'fit.db');
    const store = openProspectStore(file);
    await store.save({ ...estimated, lowConfidenceRequests: 0.35 });
    expect(store.list()[0]!.poorTopicFit).toBe(0.35);
    expect(JSON.parse(store.detailJson(estimated.id)!).poorTopicFit).toBe(0.35);
    // under a fifth of the requests unsure: no mark
    await store.save({ ...estimated, lowConfidenceRequests: 0.1 });
    expect(store.list()[0]!.poorTopicFit).toBeNull();
    expect(JSON.parse(store.detailJson(estimated.id)!)).not.toHaveProperty('poorTopicFit');
    await store.save({ ...estimated, lowConfidenceRequests: 0.35 });
    store.close();
    // as version 4 stored it: no mark in the row, the share in the estimate
    const v4 = new Database(file);
    const detail = JSON.parse(v4.prepare('SELECT detail_json FROM prospects').pluck().get() as string);
    delete detail.poorTopicFit;
    v4.prepare('UPDATE prospects SET detail_json = ?').run(JSON.stringify(detail));
    v4.pragma('user_version = 4');
    v4.close();
    const reopened = openProspectStore(file);
    expect(reopened.list()[0]!.poorTopicFit).toBe(0.35);
    reopened.close();
  });

  it('gives prospects saved at version 2 (every rate null) their rates per SPEC §1 at version 3', async () => {
    const result = await estimateProspect(
      oneChat('v2-1', 'where is my parcel, it is late'),
      benchmarkSource(null),
      {
        vertical: 'ecommerce',
        name: 'V2 Co',
      },
    );
    const file = join(dir, 'version2.db');
    const store = openProspectStore(file);
    await store.save(result);
    store.close();
    const v2 = new Database(file);
    const summary = JSON.parse(v2.prepare('SELECT summary_json FROM prospects').pluck().get() as string);
    v2.prepare('UPDATE prospects SET summary_json = ?').run(
      JSON.stringify({ ...summary, involvementRate: null, automationRate: null, windowAutomationRate: null }),
    );
    v2.pragma('user_version = 2');
    v2.close();
    expect(PROSPECTS_SCHEMA_VERSION).toBe(5);
    const reopened = openProspectStore(file);
    expect(reopened.summaries()[0]).toMatchObject({
      conversations: 1,
      involvementRate: 0,
      automationRate: 0,
      resolutionRate: null,
      windowAutomationRate: 0,
    });
    reopened.close();
  });

  it('keeps an expired prospect, and the store open, while the audit log cannot record its removal', async () => {
    async function* body() {
      yield Buffer.from(
        JSON.stringify({
          id: 'r-1',
          createdAt: '2026-02-10T10:00:00Z',
          channel: 'chat',
          aiInvolved: false,
          aiResolutionState: null,
          messages: [{ role: 'customer', text: 'cancel my order please' }],
        }),
      );
    }
    const result = await estimateProspect(body(), benchmarkSource(null), {
      vertical: 'ecommerce',
      name: 'Old',
    });
    const file = join(dir, 'retention.db');
    const store = openProspectStore(file);
    await store.save(result);
    store.close();
    const errors: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((m: string) => errors.push(m));
    try {
      const failing = openProspectStore(file, {
        retentionDays: 1e-9,
        onExpire: () => {
          throw new Error('EACCES: audit.jsonl');
        },
      });
      expect(failing.list().map((p) => p.id)).toEqual([result.id]);
      expect(failing.health().state).toBe('ok');
      failing.close();
    } finally {
      spy.mockRestore();
    }
    expect(errors.join('\n')).toMatch(
      /not removing 1 expired prospect\(s\) now, the audit log cannot be written/,
    );
    const recorded: string[] = [];
    const working = openProspectStore(file, { retentionDays: 1e-9, onExpire: (p) => recorded.push(p.id) });
    expect(working.list()).toEqual([]);
    expect(recorded).toEqual([result.id]);
    working.close();
  });

  it('leaves no word of a deleted or expired prospect in its files', async () => {
    const withText = (marker: string) =>
      (async function* () {
        yield Buffer.from(
          ['01-04', '01-12', '02-02']
            .map((day, i) =>
              JSON.stringify({
                id: `${marker}-${i}`,
                createdAt: `2026-${day}T10:00:00Z`,
                channel: 'email',
                aiInvolved: false,
                aiResolutionState: null,
                messages: [{ role: 'customer', text: `where is parcel ${marker} for my order` }],
              }),
            )
            .join('\n'),
        );
      })();
    const file = join(dir, 'forget.db');
    const bytes = () =>
      ['', '-wal']
        .map((suffix) => {
          try {
            return readFileSync(`${file}${suffix}`).toString('latin1');
          } catch {
            return '';
          }
        })
        .join('');
    const store = openProspectStore(file);
    const deleted = await estimateProspect(withText('zanzibar7781'), benchmarkSource(null), {
      vertical: 'ecommerce',
      name: 'Deleted Co',
    });
    const kept = await estimateProspect(withText('kilimanjaro4410'), benchmarkSource(null), {
      vertical: 'ecommerce',
      name: 'Kept Co',
    });
    await store.save(deleted);
    await store.save(kept);
    expect(bytes()).toContain('zanzibar7781');
    expect(await store.delete(deleted.id)).toBe(true);
    store.close();
    expect(bytes()).not.toContain('zanzibar7781');
    expect(bytes()).toContain('kilimanjaro4410');
    // expired by the retention, on the next start
    const later = openProspectStore(file, { retentionDays: 1e-9 });
    expect(later.list()).toEqual([]);
    later.close();
    // a file from before, whose free pages still hold a deleted row, is scrubbed once when opened
    const old = join(dir, 'old-free-pages.db');
    const raw = new Database(old);
    raw.exec(PROSPECT_MIGRATIONS[0] as string);
    raw
      .prepare(`INSERT INTO prospects VALUES ('p9', 'Gone', 'saas', 'g.csv', 'csv', 'abc', 10, 0.5, 0.4, 0.6,
          '2026-11-01T00:00:00Z', ?, '{}', '{}')`)
      .run(JSON.stringify({ text: 'okavango5512 '.repeat(400) }));
    raw.prepare("DELETE FROM prospects WHERE id = 'p9'").run();
    raw.close();
    expect(readFileSync(old).toString('latin1')).toContain('okavango5512');
    const reopened = openProspectStore(old);
    expect(reopened.list()).toEqual([]);
    reopened.close();
    expect(readFileSync(old).toString('latin1')).not.toContain('okavango5512');
    // the file now gives freed pages back at each commit: a delete leaves none, so the next open has
    // nothing to vacuum (a full rewrite at every open after a delete took 4.5 s on 2,000 prospects)
    const check = new Database(file, { readonly: true });
    expect(check.pragma('auto_vacuum', { simple: true })).toBe(1);
    expect(check.pragma('freelist_count', { simple: true })).toBe(0);
    check.close();
    expect(bytes()).not.toContain('kilimanjaro4410');
  });

  it('makes room for a user’s new unsaved estimate from their own, not a colleague’s', async () => {
    async function* body() {
      yield Buffer.from(
        JSON.stringify({
          id: 't-1',
          createdAt: '2026-02-10T10:00:00Z',
          channel: 'chat',
          aiInvolved: false,
          aiResolutionState: null,
          messages: [{ role: 'customer', text: 'where is my refund' }],
        }),
      );
    }
    const r = await estimateProspect(body(), benchmarkSource(null), { vertical: 'ecommerce', name: 'T' });
    const store = openProspectStore(null, { maxTemporary: 5, maxTemporaryPerOwner: 2 });
    store.keep({ ...r, id: 'sam-1' }, 'sam@corp');
    for (let i = 1; i <= 4; i++) store.keep({ ...r, id: `eve-${i}` }, 'eve@corp');
    expect(store.get('sam-1')?.id).toBe('sam-1');
    expect(['eve-1', 'eve-2', 'eve-3', 'eve-4'].map((id) => store.get(id) !== undefined)).toEqual([
      false,
      false,
      true,
      true,
    ]);
    // the same export estimated by another user: the first one's, under its name
    const named = store.keep({ ...r, id: 'sam-1', name: 'Eve renamed it' }, 'eve@corp');
    expect(named.name).toBe('T');
    expect(store.get('sam-1')?.name).toBe('T');
    // its owner may rename it
    expect(store.keep({ ...r, id: 'sam-1', name: 'Sam renamed it' }, 'sam@corp').name).toBe('Sam renamed it');
    // without owners (no sign-in) the shared cap alone applies, oldest first
    for (let i = 1; i <= 5; i++) store.keep({ ...r, id: `anon-${i}` });
    expect(store.get('sam-1')).toBeUndefined();
    expect(store.get('anon-5')?.id).toBe('anon-5');
    store.close();
  });

  it('keeps at most maxSaved prospects: a new one past it is refused by name, saving one again replaces it', async () => {
    async function* body() {
      yield Buffer.from(
        JSON.stringify({
          id: 'f-1',
          createdAt: '2026-02-10T10:00:00Z',
          channel: 'chat',
          aiInvolved: false,
          aiResolutionState: null,
          messages: [{ role: 'customer', text: 'can I change my plan' }],
        }),
      );
    }
    const r = await estimateProspect(body(), benchmarkSource(null), { vertical: 'saas', name: 'F' });
    const store = openProspectStore(join(dir, 'full.db'), { maxSaved: 2 });
    await store.save({ ...r, id: 'a' });
    await store.save({ ...r, id: 'b' });
    expect(() => store.checkRoom('c')).toThrow(ProspectsFullError);
    expect(() => store.checkRoom('c')).toThrow(/^2 prospects are saved, the most this server keeps/);
    await expect(store.save({ ...r, id: 'c' })).rejects.toBeInstanceOf(ProspectsFullError);
    // the same prospect saved again (a new name) has room, and the store stays healthy
    expect(() => store.checkRoom('a')).not.toThrow();
    await store.save({ ...r, id: 'a', name: 'F renamed' });
    expect(store.list().map((p) => [p.id, p.name])).toEqual(
      expect.arrayContaining([
        ['a', 'F renamed'],
        ['b', 'F'],
      ]),
    );
    expect(store.health().state).toBe('ok');
    await store.delete('b');
    await store.save({ ...r, id: 'c' });
    expect(store.list()).toHaveLength(2);
    store.close();
  });

  it('counts the reopens the export marks, month by month (SPEC §1: reopens are always available)', async () => {
    const conv = (id: string, day: string, reopened: boolean) =>
      JSON.stringify({
        id,
        createdAt: `2026-${day}T10:00:00Z`,
        channel: 'email',
        aiInvolved: false,
        aiResolutionState: null,
        reopened,
        messages: [{ role: 'customer', text: 'my parcel has not arrived yet' }],
      });
    const lines = [
      conv('r1', '03-02', true),
      conv('r2', '03-05', false),
      conv('r3', '04-01', false),
      conv('r4', '04-02', true),
      conv('r5', '04-03', false),
      conv('r6', '04-04', false),
      // a later version of r6, reopened: counted once, as its last version says
      conv('r6', '04-04', true),
      // r1 again, no longer reopened
      conv('r1', '03-02', false),
    ];
    async function* body() {
      yield Buffer.from(lines.join('\n'));
    }
    const r = await estimateProspect(body(), benchmarkSource(null), { vertical: 'ecommerce', name: 'R' });
    expect(r.byMonth.map((m) => [m.month, m.conversations, m.reopened])).toEqual([
      ['2026-03', 2, 0],
      ['2026-04', 4, 2],
    ]);
    const store = openProspectStore(null);
    await store.save(r);
    const detail = JSON.parse(store.detailJson(r.id)!) as {
      months: { reopened: number; reopenRate: number }[];
    };
    expect(detail.months.map((m) => [m.reopened, m.reopenRate])).toEqual([
      [0, 0],
      [2, 0.5],
    ]);
    expect(store.summaries()[0]).toMatchObject({
      reopened: 2,
      reopenRate: 0.5,
      involved: 0,
      automationRate: 0,
    });
    store.close();
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
