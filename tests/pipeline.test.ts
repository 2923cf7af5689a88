import { appendFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { PipelineError, rejectsPathFor, runPipeline } from '../scripts/pipeline/run.ts';
import { metaValueOf } from '../server/db/open.ts';
import { buildFixtureDb, copyFixture, FIXTURE_BUNDLE, tempDir } from './helpers.ts';

type Row = Record<string, number | string | null>;

describe('pipeline on the fixture bundle', () => {
  let db: Database.Database;
  beforeAll(async () => {
    db = new Database(await buildFixtureDb(), { readonly: true });
  });

  const month = (account: string, m: string) =>
    db.prepare('SELECT * FROM account_months WHERE account_id = ? AND month = ?').get(account, m) as Row;

  it('counts January in UTC, with reopened resolutions lost', () => {
    // c8 (2026-02-01T00:30+02:00) is January in UTC; c2 was reopened so it is not resolved.
    expect(month('acme', '2026-01')).toMatchObject({
      conversations: 8,
      involved: 6,
      resolved: 3,
      resolved_confirmed: 2,
      resolved_assumed: 1,
      reopened: 1,
      reopened_resolutions: 1,
      escalated: 1,
      procedure_handoff: 1,
      ratings: 2,
      positive_ratings: 1,
    });
  });

  it('keeps the last of duplicated ids and buckets by UTC month', () => {
    // c10 appears twice: escalated, then assumed_resolution (kept). c12 (-02:00) lands in March.
    expect(month('acme', '2026-02')).toMatchObject({
      conversations: 3,
      involved: 2,
      resolved: 1,
      abandoned: 1,
      escalated: 0,
    });
    expect(month('acme', '2026-03')).toMatchObject({
      conversations: 2,
      involved: 1,
      resolved: 0,
      pending: 1,
    });
    const meta = Object.fromEntries(
      (db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map((r) => [
        r.key,
        JSON.parse(r.value),
      ]),
    );
    expect(meta.duplicates).toBe(1);
    expect(meta.conversations).toBe(16);
    expect(meta.dataAsOf).toBe('2026-03-15T12:00:00.000Z');
    expect(meta.currentMonth).toBe('2026-03');
    expect(meta.monthToDate).toBe(true);
  });

  it('stores every conversation with a leaf, a class-bearing leaf id and a confidence', () => {
    const rows = db.prepare('SELECT taxonomy_id, confidence FROM conversations').all() as {
      taxonomy_id: string;
      confidence: number;
    }[];
    expect(rows).toHaveLength(16);
    for (const r of rows) {
      expect(r.taxonomy_id).toMatch(/^[a-z]+\.[a-z_]+$/);
      expect(r.confidence).toBeGreaterThanOrEqual(0);
      expect(r.confidence).toBeLessThanOrEqual(1);
    }
    // c1's source topic names a leaf: it is taken as is.
    expect(db.prepare("SELECT taxonomy_id, confidence FROM conversations WHERE id = 'c1'").get()).toEqual({
      taxonomy_id: 'orders.where_is_my_order',
      confidence: 1,
    });
  });

  it('account months sum their leaf months', () => {
    const sums = db
      .prepare(
        'SELECT account_id, month, sum(conversations) AS n, sum(resolved) AS r FROM leaf_months GROUP BY 1, 2',
      )
      .all() as { account_id: string; month: string; n: number; r: number }[];
    for (const s of sums) {
      const m = month(s.account_id, s.month);
      expect([m.conversations, m.resolved]).toEqual([s.n, s.r]);
    }
  });

  it("stores each account's class roll-up as the roll-up of its leaves", async () => {
    const { rollUpClasses } = await import('../server/domain/breakdown.ts');
    const { createQueries } = await import('../server/db/queries.ts');
    const q = createQueries(db);
    for (const id of ['acme', 'globex', 'initech']) {
      const stored = q.accountClasses(id);
      expect(stored.map((c) => c.automationClass)).toEqual([
        'informational',
        'personalized',
        'action',
        'human',
      ]);
      const fromLeaves = rollUpClasses(q.accountLeaves(id));
      // equal up to the last bit of a float (sums of the stored leaf values vs of the in-memory ones)
      stored.forEach((row, i) => {
        for (const [key, value] of Object.entries(row)) {
          const expected = fromLeaves[i]![key as keyof typeof row];
          if (typeof value === 'number' && typeof expected === 'number')
            expect(value).toBeCloseTo(expected, 12);
          else expect(value).toEqual(expected);
        }
      });
    }
  });

  it('lists accounts without conversations with null rates', () => {
    const summary = JSON.parse(
      (db.prepare("SELECT summary_json FROM accounts WHERE id = 'initech'").get() as { summary_json: string })
        .summary_json,
    );
    expect(summary.conversations).toBe(0);
    expect(summary.involvementRate).toBeNull();
    expect(summary.automationRate).toBeNull();
    expect(summary.automationPotential).toBeNull();
  });

  it('scores CX within 1–5 for every sample, with an explanation', () => {
    const samples = db.prepare('SELECT sample_json FROM samples').pluck().all() as string[];
    expect(samples.length).toBeGreaterThan(0);
    for (const json of samples) {
      const s = JSON.parse(json);
      expect(s.cx.score).toBeGreaterThanOrEqual(1);
      expect(s.cx.score).toBeLessThanOrEqual(5);
      expect(s.cx.explanation).toMatch(/^CX \d\.\d\/5: /);
    }
  });
});

describe('pipeline on bad input', () => {
  async function expectFailure(input: string, db: string, message: RegExp, maxRejectRate?: number) {
    await expect(runPipeline({ input, db, log: () => {}, maxRejectRate })).rejects.toThrow(message);
  }

  it('fails on a missing input folder or required file, leaving no database', async () => {
    const out = join(tempDir(), 'x.db');
    await expectFailure(
      '/nonexistent/bundle',
      out,
      /: not found \(expected an export file or a canonical export bundle folder/,
    );
    const bundle = copyFixture();
    rmSync(join(bundle, 'conversations.jsonl'));
    await expectFailure(bundle, out, /conversations\.jsonl: required file missing/);
    const bundle2 = copyFixture();
    rmSync(join(bundle2, 'accounts.jsonl'));
    await expectFailure(bundle2, out, /accounts\.jsonl: required file missing/);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a bundle that holds conversations.jsonl and conversations.jsonl.gz both, instead of reading one', async () => {
    const out = join(tempDir(), 'x.db');
    const bundle = copyFixture();
    writeFileSync(
      join(bundle, 'conversations.jsonl.gz'),
      gzipSync(readFileSync(join(bundle, 'conversations.jsonl'))),
    );
    await expectFailure(
      bundle,
      out,
      /holds both conversations\.jsonl and conversations\.jsonl\.gz; keep one/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a conversations file that holds a JSON array, plain or gzipped, in one line that says so', async () => {
    const out = join(tempDir(), 'x.db');
    for (const gz of [false, true]) {
      const bundle = copyFixture();
      const path = join(bundle, 'conversations.jsonl');
      const records = readFileSync(path, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as unknown);
      const pretty = `\uFEFF  ${JSON.stringify(records, null, 2)}\n`;
      if (gz) {
        rmSync(path);
        writeFileSync(`${path}.gz`, gzipSync(pretty));
      } else writeFileSync(path, pretty);
      await expectFailure(bundle, out, /holds a JSON array, not JSON lines .*--input/);
    }
    expect(existsSync(out)).toBe(false);
  });

  it('reports each invalid record as file:line: reason and writes them to the rejects file', async () => {
    const bundle = copyFixture();
    const file = join(bundle, 'conversations.jsonl');
    const good = readFileSync(file, 'utf8');
    const bad = [
      '{"id":"x1","accountId":"acme", broken json',
      JSON.stringify({
        id: 'x2',
        accountId: 'acme',
        createdAt: 'last tuesday',
        aiInvolved: false,
        channel: 'chat',
        messages: [],
      }),
      JSON.stringify({
        id: 'x3',
        accountId: 'acme',
        createdAt: '2026-01-02T00:00:00Z',
        aiInvolved: true,
        aiResolutionState: 'solved',
        channel: 'chat',
        messages: [],
      }),
      JSON.stringify({
        id: 'x4',
        createdAt: '2026-01-02T00:00:00Z',
        channel: 'chat',
        aiInvolved: true,
        messages: [],
      }),
      JSON.stringify({
        id: 'x5',
        accountId: 'acme',
        createdAt: '2026-01-02T00:00:00Z',
        channel: 'chat',
        aiInvolved: true,
      }),
      JSON.stringify({
        id: 'x6',
        accountId: 'ghost',
        createdAt: '2026-01-02T00:00:00Z',
        aiInvolved: false,
        channel: 'chat',
        messages: [],
      }),
    ];
    writeFileSync(file, `${good}${bad.join('\n')}\n`);
    const printed: string[] = [];
    const out = join(tempDir(), 'cockpit.db');
    await runPipeline({ input: bundle, db: out, maxRejectRate: 0.5, log: (m) => printed.push(m) });
    const rejects = readFileSync(rejectsPathFor(out), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rejects.map((r: { line: number; reason: string }) => [r.line, r.reason])).toEqual([
      [18, 'malformed JSON'],
      [19, 'invalid date "createdAt": "last tuesday" (expected ISO 8601, e.g. "2026-06-01T10:00:00Z")'],
      [20, 'unknown aiResolutionState "solved"'],
      [21, 'missing required field "accountId"'],
      [22, 'missing required field "messages" (an array)'],
      [23, 'unknown accountId "ghost" (not in the accounts file, or its line there was rejected)'],
    ]);
    expect(printed.some((m) => /conversations\.jsonl:18: malformed JSON/.test(m))).toBe(true);
  });

  it('rejects an intervention on a topic the taxonomy does not have; an empty topic is a fix on every topic', async () => {
    const bundle = copyFixture();
    appendFileSync(
      join(bundle, 'interventions.jsonl'),
      [
        { accountId: 'acme', date: '2026-02-15', kind: 'procedure', taxonomyId: 'no.such_leaf' },
        { accountId: 'acme', date: '2026-02-20', kind: 'channel_rollout', taxonomyId: '' },
      ]
        .map((r) => `${JSON.stringify(r)}\n`)
        .join(''),
    );
    const out = join(tempDir(), 'cockpit.db');
    await runPipeline({ input: bundle, db: out, maxRejectRate: 0.5, log: () => {} });
    const rejects = readFileSync(rejectsPathFor(out), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { file: string; line: number; reason: string });
    expect(rejects.map((r) => [r.file.endsWith('interventions.jsonl'), r.line, r.reason])).toEqual([
      [
        true,
        2,
        'unknown taxonomyId "no.such_leaf" (not a leaf of taxonomy 2.0.1; leave it out for a fix on every topic)',
      ],
    ]);
    const db = new Database(out, { readonly: true });
    expect(db.prepare('SELECT date, taxonomy_id AS leaf FROM interventions ORDER BY date').all()).toEqual([
      { date: '2026-02-01', leaf: 'refunds.return_policy' },
      { date: '2026-02-20', leaf: null },
    ]);
    db.close();
  });

  it('over the reject threshold: fails and leaves the old database byte-identical', async () => {
    const out = join(tempDir(), 'cockpit.db');
    await runPipeline({ input: copyFixture(), db: out, log: () => {} });
    const before = readFileSync(out);
    const bundle = copyFixture();
    appendFileSync(join(bundle, 'conversations.jsonl'), 'not json at all\n');
    await expectFailure(bundle, out, /over the --max-reject-rate of 1\.00%; the database was not changed/);
    expect(readFileSync(out).equals(before)).toBe(true);
    expect(readFileSync(rejectsPathFor(out), 'utf8')).toContain('malformed JSON');
    // the next run fails before reading a record: that run's rejects file is not the last one's
    rmSync(join(bundle, 'conversations.jsonl'));
    await expectFailure(bundle, out, /conversations\.jsonl/);
    expect(existsSync(rejectsPathFor(out))).toBe(false);
  });

  it('accepts a gzip conversations file and a CSV accounts file', async () => {
    const bundle = copyFixture();
    writeFileSync(
      join(bundle, 'conversations.jsonl.gz'),
      gzipSync(readFileSync(join(bundle, 'conversations.jsonl'))),
    );
    rmSync(join(bundle, 'conversations.jsonl'));
    rmSync(join(bundle, 'accounts.jsonl'));
    writeFileSync(
      join(bundle, 'accounts.csv'),
      'id,name,vertical,plan,arr,csm,region,aiLiveSince,status\nacme,"Acme Outfitters, Inc.",ecommerce,growth,"$1,200,000",Dana Ortiz,EMEA,2025-06-01,customer\nglobex,Globex Cloud,saas,,,,,,\numbrella,"Umbrella, ""the"" Corp",other,,0x10,,,,\n',
    );
    const out = join(tempDir(), 'cockpit.db');
    const result = await runPipeline({ input: bundle, db: out, log: () => {}, maxRejectRate: 0.1 });
    expect(result.conversations).toBe(16);
    expect(result.accounts).toBe(2);
    const db = new Database(out, { readonly: true });
    expect(db.prepare("SELECT name, arr FROM accounts WHERE id = 'acme'").get()).toEqual({
      name: 'Acme Outfitters, Inc.',
      arr: 1_200_000,
    });
    db.close();
    // the refused row is written back as it was read, its quoted cells quoted again
    const [reject] = readFileSync(rejectsPathFor(out), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(reject).toMatchObject({
      line: 4,
      reason: 'arr must be a non-negative amount in USD, got "0x10"',
      record: 'umbrella,"Umbrella, ""the"" Corp",other,,0x10,,,,',
    });
  });

  it('is a PipelineError, not a crash, for an unreadable bundle', async () => {
    await expect(
      runPipeline({ input: '/dev/null', db: join(tempDir(), 'a.db'), log: () => {} }),
    ).rejects.toBeInstanceOf(PipelineError);
  });
});

describe('pipeline data gates (SPEC §2)', () => {
  const conversation = (id: string, createdAt: string) =>
    JSON.stringify({ id, accountId: 'acme', createdAt, aiInvolved: false, messages: [] });
  const rejectReasons = (db: string) =>
    readFileSync(rejectsPathFor(db), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { line: number; reason: string })
      .map((r) => [r.line, r.reason]);

  it('rejects timestamps outside the plausible window; "data as of" stays where the data is', async () => {
    const bundle = copyFixture();
    appendFileSync(
      join(bundle, 'conversations.jsonl'),
      `${[conversation('far', '9999-12-31T00:00:00Z'), conversation('future', '2099-06-01T10:00:00Z'), conversation('old', '1999-12-31T23:00:00Z')].join('\n')}\n`,
    );
    const out = join(tempDir(), 'cockpit.db');
    const result = await runPipeline({ input: bundle, db: out, maxRejectRate: 0.5, log: () => {} });
    expect(result.dataAsOf).toBe('2026-03-15T12:00:00.000Z');
    const reasons = rejectReasons(out);
    expect(reasons[0]).toEqual([
      18,
      expect.stringMatching(
        /^"createdAt" 9999-12-31T00:00:00Z is after \d{4}-\d{2}-\d{2} \(outside the plausible window\)$/,
      ),
    ]);
    expect(reasons[1]?.[1]).toMatch(/^"createdAt" 2099-06-01T10:00:00Z is after /);
    expect(reasons[2]).toEqual([
      20,
      '"createdAt" 1999-12-31T23:00:00Z is before 2000-01-01 (outside the plausible window)',
    ]);
  });

  it("counts an account's conversations in a language the classifier does not read, filed with no confidence", async () => {
    const bundle = copyFixture();
    const said = (id: string, text: string) =>
      JSON.stringify({
        id,
        accountId: 'acme',
        createdAt: '2026-03-10T10:00:00Z',
        channel: 'chat',
        aiInvolved: false,
        messages: [{ role: 'customer', text }],
      });
    appendFileSync(
      join(bundle, 'conversations.jsonl'),
      `${[
        said('es1', '¿Dónde está mi pedido? Lo compré hace dos semanas'),
        said('de1', 'wo ist meine bestellung, ich warte seit einer woche'),
        said('en1', 'where is my parcel, it has been two weeks'),
      ].join('\n')}\n`,
    );
    const out = join(tempDir(), 'cockpit.db');
    await runPipeline({ input: bundle, db: out, log: () => {} });
    const db = new Database(out, { readonly: true });
    const rows = db
      .prepare(
        "SELECT id, taxonomy_id, confidence, unreadable FROM conversations WHERE id IN ('es1', 'de1', 'en1') ORDER BY id",
      )
      .all();
    const detail = JSON.parse(
      db.prepare("SELECT detail_json FROM accounts WHERE id = 'acme'").pluck().get() as string,
    ) as { unreadable?: number };
    db.close();
    expect(rows).toEqual([
      { id: 'de1', taxonomy_id: 'other.greeting', confidence: 0, unreadable: 1 },
      { id: 'en1', taxonomy_id: 'orders.where_is_my_order', confidence: expect.any(Number), unreadable: 0 },
      { id: 'es1', taxonomy_id: 'other.greeting', confidence: 0, unreadable: 1 },
    ]);
    expect(detail.unreadable).toBe(2);
  });

  it('takes the window from --not-before / --not-after', async () => {
    const out = join(tempDir(), 'cockpit.db');
    const result = await runPipeline({
      input: copyFixture(),
      db: out,
      notAfter: '2026-02-28',
      maxRejectRate: 0.9,
      log: () => {},
    });
    expect(result.dataAsOf).toBe('2026-02-05T08:00:00.000Z');
    expect(rejectReasons(out).every(([, r]) => / is after 2026-02-28 /.test(String(r)))).toBe(true);
    await expect(
      runPipeline({ input: copyFixture(), db: out, notBefore: 'soon', log: () => {} }),
    ).rejects.toThrow('--not-before/--not-after: not a date: "soon"');
  });

  it('refuses a build with no conversations and keeps the old database byte-identical', async () => {
    const out = join(tempDir(), 'cockpit.db');
    await runPipeline({ input: copyFixture(), db: out, log: () => {} });
    const before = readFileSync(out);
    const bundle = copyFixture();
    writeFileSync(join(bundle, 'conversations.jsonl'), '');
    await expect(runPipeline({ input: bundle, db: out, log: () => {} })).rejects.toThrow(
      `refused: the new build would hold 0 conversations (3 accounts); ${out} was not changed (--force builds it anyway)`,
    );
    expect(readFileSync(out).equals(before)).toBe(true);
    // nor does a first build with nothing in it make an empty dashboard
    await expect(
      runPipeline({ input: bundle, db: join(tempDir(), 'new.db'), log: () => {} }),
    ).rejects.toThrow(/^refused: the new build would hold 0 conversations/);
  });

  it('creates no folder for --db when it fails on a missing bundle', async () => {
    const root = tempDir();
    const db = join(root, 'not', 'yet', 'cockpit.db');
    await expect(runPipeline({ input: join(root, 'no-such-export'), db, log: () => {} })).rejects.toThrow(
      PipelineError,
    );
    expect(existsSync(join(root, 'not'))).toBe(false);
  });

  it('never replaces a file that is not a database (a mistyped --db), and another SQLite database only with --force', async () => {
    const bundle = copyFixture();
    const exportFile = join(bundle, 'conversations.jsonl');
    const before = readFileSync(exportFile);
    await expect(runPipeline({ input: bundle, db: exportFile, log: () => {} })).rejects.toThrow(
      `refused: ${exportFile} is not a database (an export or another file?): a build would replace it; name another --db, or remove the file first`,
    );
    await expect(runPipeline({ input: bundle, db: exportFile, force: true, log: () => {} })).rejects.toThrow(
      /is not a database/,
    );
    expect(readFileSync(exportFile).equals(before)).toBe(true);
    const other = join(tempDir(), 'prospects.db');
    const handle = new Database(other);
    handle.exec('CREATE TABLE prospects (id TEXT)');
    handle.close();
    const otherBefore = readFileSync(other);
    await expect(runPipeline({ input: bundle, db: other, log: () => {} })).rejects.toThrow(
      `refused: ${other} is a SQLite database that Cockpit did not build (the prospects database?): a build would replace it; name another --db, or pass --force to replace it`,
    );
    expect(readFileSync(other).equals(otherBefore)).toBe(true);
    expect((await runPipeline({ input: bundle, db: other, force: true, log: () => {} })).conversations).toBe(
      16,
    );
  });

  it('refuses to lose more than 20% of the conversations unless --force', async () => {
    const out = join(tempDir(), 'cockpit.db');
    await runPipeline({ input: copyFixture(), db: out, log: () => {} });
    const before = readFileSync(out);
    const bundle = copyFixture();
    const file = join(bundle, 'conversations.jsonl');
    writeFileSync(file, `${readFileSync(file, 'utf8').split('\n').slice(0, 6).join('\n')}\n`);
    await expect(runPipeline({ input: bundle, db: out, log: () => {} })).rejects.toThrow(
      `refused: the new build would lose more than 20% against the database it replaces: conversations 16 → 6 (-62.5%); ${out} was not changed (--force builds it anyway)`,
    );
    expect(readFileSync(out).equals(before)).toBe(true);
    const forced = await runPipeline({ input: bundle, db: out, force: true, log: () => {} });
    expect(forced.conversations).toBe(6);
  });

  it('reads a locked database as locked, not as "no database": the shrink gate cannot be skipped', async () => {
    const out = join(tempDir(), 'cockpit.db');
    await runPipeline({ input: copyFixture(), db: out, log: () => {} });
    expect(metaValueOf(out, 'conversations')).toBe(16);
    const holder = new Database(out);
    holder.exec('BEGIN EXCLUSIVE');
    try {
      expect(() => metaValueOf(out, 'conversations', { busyWaitMs: 50 })).toThrow(
        `${out} is locked by another process (still after 0.05 s); try again when it is free`,
      );
    } finally {
      holder.exec('COMMIT');
      holder.close();
    }
    // a file that is not a Cockpit database still reads as none
    const other = join(tempDir(), 'other.db');
    const otherDb = new Database(other);
    otherDb.exec('CREATE TABLE t (x)');
    otherDb.close();
    expect(metaValueOf(other, 'conversations')).toBeUndefined();
  });

  it('reads account ids without the spaces around them, in accounts and conversations alike', async () => {
    const bundle = copyFixture();
    appendFileSync(
      join(bundle, 'accounts.jsonl'),
      `${JSON.stringify({ id: 'acme ', name: 'Acme again', vertical: 'saas' })}\n`,
    );
    const path = join(bundle, 'conversations.jsonl');
    const lines = readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    const first = JSON.parse(lines[0]!) as { accountId: string };
    lines[0] = JSON.stringify({ ...first, accountId: ` ${first.accountId} ` });
    writeFileSync(path, `${lines.join('\n')}\n`);
    const out = join(tempDir(), 'cockpit.db');
    const r = await runPipeline({ input: bundle, db: out, maxRejectRate: 0.5, log: () => {} });
    // "acme " is acme again: a duplicate, not a second account; the padded accountId is counted
    expect(rejectReasons(out)).toEqual([[4, 'duplicate account id "acme" (first on line 1)']]);
    const plain = await runPipeline({ input: copyFixture(), db: join(tempDir(), 'plain.db'), log: () => {} });
    expect(r.conversations).toBe(plain.conversations);
  });

  it('rejects a repeated account id instead of letting it overwrite the first', async () => {
    const bundle = copyFixture();
    appendFileSync(
      join(bundle, 'accounts.jsonl'),
      `${JSON.stringify({ id: 'acme', name: 'Impostor', vertical: 'saas' })}\n`,
    );
    const out = join(tempDir(), 'cockpit.db');
    await runPipeline({ input: bundle, db: out, maxRejectRate: 0.5, log: () => {} });
    expect(rejectReasons(out)).toEqual([[4, 'duplicate account id "acme" (first on line 1)']]);
    const db = new Database(out, { readonly: true });
    expect(db.prepare("SELECT name FROM accounts WHERE id = 'acme'").pluck().get()).not.toBe('Impostor');
    db.close();
  });

  it('rejects an over-long line in the folder path as in every other path', async () => {
    const bundle = copyFixture();
    appendFileSync(join(bundle, 'conversations.jsonl'), `${'x'.repeat(2 * 1024 * 1024)}\n`);
    const out = join(tempDir(), 'cockpit.db');
    for (const workers of [0, 2]) {
      await runPipeline({
        input: bundle,
        db: out,
        maxRejectRate: 0.5,
        workers,
        blockBytes: 4096,
        log: () => {},
      });
      expect(rejectReasons(out)).toEqual([[18, 'line is too long: 2 MB, over the 1 MB limit']]);
    }
  });

  it('names the file for a truncated gzip, and the old database stays', async () => {
    const out = join(tempDir(), 'cockpit.db');
    await runPipeline({ input: copyFixture(), db: out, log: () => {} });
    const before = readFileSync(out);
    const bundle = copyFixture();
    const gz = gzipSync(readFileSync(join(bundle, 'conversations.jsonl')));
    writeFileSync(join(bundle, 'conversations.jsonl.gz'), gz.subarray(0, gz.length - 20));
    rmSync(join(bundle, 'conversations.jsonl'));
    await expect(runPipeline({ input: bundle, db: out, log: () => {} })).rejects.toThrow(
      /conversations\.jsonl\.gz: the gzip data is corrupt or truncated/,
    );
    expect(readFileSync(out).equals(before)).toBe(true);
  });
});

describe('durable, exclusive builds', () => {
  it('refuses a second build of the same database while one runs', async () => {
    const out = join(tempDir(), 'cockpit.db');
    const first = runPipeline({ input: copyFixture(), db: out, log: () => {} });
    await expect(runPipeline({ input: copyFixture(), db: out, log: () => {} })).rejects.toThrow(
      new RegExp(
        `^another pipeline \\(pid ${process.pid}\\) is building ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
      ),
    );
    await first;
    expect(existsSync(`${out}.lock`)).toBe(false);
  });

  it('takes over the lock of a dead build and removes its leftover file', async () => {
    const out = join(tempDir(), 'cockpit.db');
    const deadPid = 2 ** 22 + 12345; // above Linux's pid_max: no such process
    writeFileSync(`${out}.lock`, String(deadPid));
    writeFileSync(`${out}.building-${deadPid}`, 'half a database');
    const printed: string[] = [];
    await runPipeline({ input: copyFixture(), db: out, log: (m) => printed.push(m) });
    expect(existsSync(`${out}.building-${deadPid}`)).toBe(false);
    expect(existsSync(`${out}.lock`)).toBe(false);
    expect(printed).toContain(
      `removed 1 leftover file(s) of interrupted builds: cockpit.db.building-${deadPid}`,
    );
    // the build is in the audit log, with the hash of the file it read (taken while reading it)
    const { createHash } = await import('node:crypto');
    const [entry] = readFileSync(join(dirname(out), 'audit.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(entry).toMatchObject({
      action: 'build',
      target: out,
      rows: { accounts: 3, conversations: 16, rejected: 0 },
      sha256: createHash('sha256')
        .update(readFileSync(join(FIXTURE_BUNDLE, 'conversations.jsonl')))
        .digest('hex'),
    });
  });

  it('lands no build it cannot write to the audit log: neither a new file nor an append', async () => {
    const out = join(tempDir(), 'cockpit.db');
    await runPipeline({ input: copyFixture(), db: out, log: () => {} });
    const before = readFileSync(out);
    const saved = process.env.COCKPIT_AUDIT_LOG;
    // the log's path is a folder: every write fails
    process.env.COCKPIT_AUDIT_LOG = tempDir();
    try {
      await expect(
        runPipeline({ input: copyFixture(), db: out, log: () => {}, force: true }),
      ).rejects.toThrow(/EISDIR/);
      expect(readFileSync(out).equals(before)).toBe(true);
      await expect(
        runPipeline({ input: copyFixture(), db: out, log: () => {}, append: true, force: true }),
      ).rejects.toThrow(/EISDIR/);
      expect(readFileSync(out).equals(before)).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.COCKPIT_AUDIT_LOG;
      else process.env.COCKPIT_AUDIT_LOG = saved;
    }
  });

  it('says so in one line when --db is a folder', async () => {
    const dir = tempDir();
    await expect(runPipeline({ input: copyFixture(), db: dir, log: () => {} })).rejects.toThrow(
      `${dir}: --db must be a database file, not a folder`,
    );
  });
});

describe('parallel ingest', () => {
  it('builds the same database with worker threads as in one thread', async () => {
    const dump = (path: string) => {
      const db = new Database(path, { readonly: true });
      const out = {
        conversations: db.prepare('SELECT * FROM conversations ORDER BY id').all(),
        months: db.prepare('SELECT * FROM account_months ORDER BY account_id, month').all(),
        samples: db.prepare('SELECT conversation_id FROM samples ORDER BY 1').pluck().all(),
      };
      db.close();
      return out;
    };
    const one = join(tempDir(), 'one.db');
    const two = join(tempDir(), 'two.db');
    await runPipeline({ input: FIXTURE_BUNDLE, db: one, log: () => {}, workers: 0 });
    // 300-byte blocks: every block boundary, and the duplicate id, fall in different blocks.
    const result = await runPipeline({
      input: FIXTURE_BUNDLE,
      db: two,
      log: () => {},
      workers: 2,
      blockBytes: 300,
    });
    expect(result.duplicates).toBe(1);
    expect(dump(two)).toEqual(dump(one));
  });
});

describe('a later version that moves a conversation back in time', () => {
  it('takes dataAsOf from the versions kept, on one thread and on two', async () => {
    const bundle = copyFixture();
    const file = join(bundle, 'conversations.jsonl');
    const lines = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    // the latest conversation (2026-03-15T12:00Z) exported again, dated a month earlier
    const latest = lines.map((l) => JSON.parse(l)).find((c) => c.createdAt === '2026-03-15T12:00:00Z');
    expect(latest).toBeDefined();
    const moved = { ...latest, createdAt: '2026-02-20T08:00:00Z', messages: [] };
    appendFileSync(file, `${JSON.stringify(moved)}\n`);
    for (const workers of [0, 2]) {
      const path = join(tempDir(), 'cockpit.db');
      await runPipeline({ input: bundle, db: path, log: () => {}, workers, blockBytes: 300 });
      const db = new Database(path, { readonly: true });
      const expected = db.prepare('SELECT max(created_at) FROM conversations').pluck().get() as number;
      db.close();
      expect(metaValueOf(path, 'dataAsOf')).toBe(new Date(expected).toISOString());
      expect(metaValueOf(path, 'dataAsOf')).not.toBe('2026-03-15T12:00:00.000Z');
    }
    // the same later version arriving by --append: the append knows the date it replaced
    const original = copyFixture();
    const path = join(tempDir(), 'cockpit.db');
    await runPipeline({ input: original, db: path, log: () => {} });
    expect(metaValueOf(path, 'dataAsOf')).toBe('2026-03-15T12:00:00.000Z');
    const day = join(tempDir(), 'day.jsonl');
    writeFileSync(day, `${JSON.stringify(moved)}\n`);
    await runPipeline({ input: day, db: path, append: true, log: () => {} });
    const db = new Database(path, { readonly: true });
    const expected = db.prepare('SELECT max(created_at) FROM conversations').pluck().get() as number;
    db.close();
    expect(metaValueOf(path, 'dataAsOf')).toBe(new Date(expected).toISOString());
  });
});

describe('parallel ingest with later versions', () => {
  it('shows no replaced version among the examples, whichever thread read which version', async () => {
    const bundle = copyFixture();
    const file = join(bundle, 'conversations.jsonl');
    const lines = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    // every conversation exported again later, reopened and rated 1: only those versions count
    const later = lines.map((l) => JSON.stringify({ ...JSON.parse(l), reopened: true, csat: 1 }));
    writeFileSync(file, `${[...lines, ...later].join('\n')}\n`);
    const examples = (path: string) => {
      const db = new Database(path, { readonly: true });
      const rows = db
        .prepare('SELECT sample_json FROM samples ORDER BY conversation_id')
        .pluck()
        .all() as string[];
      db.close();
      return rows.map((j) => JSON.parse(j) as { id: string; reopened: boolean; csat: number | null });
    };
    const one = join(tempDir(), 'one.db');
    const two = join(tempDir(), 'two.db');
    await runPipeline({ input: bundle, db: one, log: () => {}, workers: 0, maxRejectRate: 0.5 });
    await runPipeline({
      input: bundle,
      db: two,
      log: () => {},
      workers: 2,
      blockBytes: 300,
      maxRejectRate: 0.5,
    });
    const threaded = examples(two);
    expect(threaded.length).toBeGreaterThan(0);
    expect(threaded.filter((s) => !s.reopened || s.csat !== 1).map((s) => s.id)).toEqual([]);
    expect(threaded).toEqual(examples(one));
  });
});

describe('--queue with nothing listening', () => {
  it('fails with the connection error in one line, and leaves no database', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const out = join(tempDir(), 'queued.db');
    await expect(
      runPipeline({
        input: copyFixture(),
        db: out,
        queue: `redis://127.0.0.1:${port}`,
        queueConnectTimeoutMs: 400,
        log: () => {},
      }),
    ).rejects.toThrow(
      `--queue redis://127.0.0.1:${port}: Redis did not answer in 0.4 s (connect ECONNREFUSED 127.0.0.1:${port})`,
    );
    expect(existsSync(out)).toBe(false);
  });
});

describe('pipeline from a single export file (--input FILE)', () => {
  const meta = (dbPath: string, key: string) => {
    const db = new Database(dbPath, { readonly: true });
    try {
      return JSON.parse(db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string);
    } finally {
      db.close();
    }
  };
  const rejectsOf = (dbPath: string) =>
    readFileSync(rejectsPathFor(dbPath), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { file: string; line: number; reason: string; record: string });
  const csvRow = (i: number, date: string) => `${i},${date},where is my order ${i}`;

  it('writes every reject of the import to the rejects file and meta.rejected; meta.source is the file', async () => {
    const rows = Array.from({ length: 300 }, (_, i) =>
      csvRow(i, i % 2 ? '2026-01-05 10:00' : 'last tuesday'),
    );
    const file = join(tempDir(), 'export.csv');
    writeFileSync(file, `id,created_at,text\n${rows.join('\n')}\n`);
    const out = join(tempDir(), 'cockpit.db');
    const result = await runPipeline({ input: file, db: out, maxRejectRate: 0.9, log: () => {} });
    expect(result.conversations).toBe(150);
    expect(result.rejected).toBe(150);
    const rejects = rejectsOf(out);
    expect(rejects).toHaveLength(150);
    expect(rejects[0]).toMatchObject({ line: 2, reason: expect.stringContaining('last tuesday') });
    expect(rejects.at(-1)!.line).toBe(300);
    expect(rejects.every((r) => r.file.endsWith('export.csv'))).toBe(true);
    expect(meta(out, 'rejected')).toBe(150);
    expect(meta(out, 'source')).toBe(file);
  });

  it('over --max-reject-rate: fails in one line, writes the rejects file, keeps the old database', async () => {
    const out = join(tempDir(), 'cockpit.db');
    await runPipeline({ input: copyFixture(), db: out, log: () => {} });
    const before = readFileSync(out);
    const rows = Array.from({ length: 20 }, (_, i) => csvRow(i, i < 3 ? 'soon' : '2026-01-05 10:00'));
    const file = join(tempDir(), 'export.csv');
    writeFileSync(file, `id,created_at,text\n${rows.join('\n')}\n`);
    await expect(runPipeline({ input: file, db: out, log: () => {} })).rejects.toThrow(
      /over the --max-reject-rate of 1\.00%/,
    );
    expect(readFileSync(out).equals(before)).toBe(true);
    expect(rejectsOf(out).map((r) => r.line)).toEqual([2, 3, 4]);
  });

  it('keeps two customers whose exports number their tickets alike apart, and says what the import noticed', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => csvRow(5000 + i, '2026-01-05 10:00'));
    const a = join(tempDir(), 'shop-a.csv');
    const b = join(tempDir(), 'shop-b.csv');
    writeFileSync(a, `id,created_at,text,csat\n${rows.map((r) => `${r},10`).join('\n')}\n`);
    writeFileSync(b, `id,created_at,text\n${rows.join('\n')}\n`);
    const out = join(tempDir(), 'cockpit.db');
    const log: string[] = [];
    await runPipeline({ input: a, db: out, name: 'Shop A', log: (m) => log.push(m) });
    // the out-of-range ratings are said in the pipeline's log, as the estimate says them
    expect(log.some((m) => /rating "10" is not 1–5/.test(m))).toBe(true);
    const r = await runPipeline({ input: b, db: out, name: 'Shop B', append: true, log: () => {} });
    expect(r.conversations).toBe(100);
    const db = new Database(out, { readonly: true });
    try {
      const perAccount = db
        .prepare('SELECT account_id AS a, count(*) AS n FROM conversations GROUP BY account_id ORDER BY a')
        .all();
      expect(perAccount).toEqual([
        { a: 'shop-a', n: 50 },
        { a: 'shop-b', n: 50 },
      ]);
    } finally {
      db.close();
    }
  });

  it('takes the window from --not-before / --not-after', async () => {
    const file = join(tempDir(), 'old.csv');
    writeFileSync(
      file,
      `id,created_at,text\n${csvRow(1, '1998-06-01 10:00')}\n${csvRow(2, '1998-06-02 10:00')}\n`,
    );
    const out = join(tempDir(), 'cockpit.db');
    const result = await runPipeline({ input: file, db: out, notBefore: '1990-01-01', log: () => {} });
    expect(result.conversations).toBe(2);
    expect(result.dataAsOf).toBe('1998-06-02T10:00:00.000Z');
    const late = join(tempDir(), 'late.jsonl');
    const fixture = readFileSync(join(FIXTURE_BUNDLE, 'conversations.jsonl'), 'utf8');
    writeFileSync(late, fixture);
    const out2 = join(tempDir(), 'cockpit.db');
    const r2 = await runPipeline({
      input: late,
      db: out2,
      notAfter: '2026-02-28',
      maxRejectRate: 0.9,
      log: () => {},
    });
    expect(r2.dataAsOf).toBe('2026-02-05T08:00:00.000Z');
    const reasons = rejectsOf(out2);
    expect(reasons.length).toBeGreaterThan(0);
    expect(
      reasons.every((r) => r.file.endsWith('late.jsonl') && / is after 2026-02-28 /.test(r.reason)),
    ).toBe(true);
  });
});

describe('accounts.csv goes through the shared input layer', () => {
  const header = 'id,name,vertical,plan,arr,csm,region,aiLiveSince,status';
  const rows = [
    'acme,"Acme Outfitters, Inc.",ecommerce,growth,120000,Dana Ortiz,EMEA,2025-06-01,customer',
    'globex,Globex Cloud,saas,,,,,,',
    'initech,Initech Pay,fintech,,,,,,customer',
  ];
  const bundleWith = (accounts: Buffer) => {
    const bundle = copyFixture();
    rmSync(join(bundle, 'accounts.jsonl'));
    writeFileSync(join(bundle, 'accounts.csv'), accounts);
    return bundle;
  };

  it('reads a header in any case or spelling of SPEC’s fields, and a gzipped interventions file', async () => {
    const bundle = bundleWith(
      Buffer.from(`ID,Name,Vertical,Plan,ARR,CSM,Region,AI_Live_Since,Status\n${rows.join('\n')}\n`),
    );
    const interventions = readFileSync(join(bundle, 'interventions.jsonl'));
    rmSync(join(bundle, 'interventions.jsonl'));
    writeFileSync(join(bundle, 'interventions.jsonl.gz'), gzipSync(interventions));
    const out = join(tempDir(), 'cockpit.db');
    const printed: string[] = [];
    const result = await runPipeline({ input: bundle, db: out, log: (m) => printed.push(m) });
    expect(result.accounts).toBe(3);
    const db = new Database(out, { readonly: true });
    expect(db.prepare("SELECT csm, ai_live_since FROM accounts WHERE id = 'acme'").get()).toEqual({
      csm: 'Dana Ortiz',
      ai_live_since: '2025-06-01',
    });
    const stored = db.prepare('SELECT COUNT(*) FROM interventions').pluck().get() as number;
    db.close();
    expect(stored).toBeGreaterThan(0);
    expect(printed).toContain(`interventions: ${stored}`);
  });

  it('decodes UTF-16LE with a byte-order mark', async () => {
    const text = `${header}\r\n${rows.join('\r\n')}\r\n`;
    const bundle = bundleWith(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const out = join(tempDir(), 'cockpit.db');
    const result = await runPipeline({ input: bundle, db: out, log: () => {} });
    expect(result.accounts).toBe(3);
    const db = new Database(out, { readonly: true });
    expect(db.prepare("SELECT name FROM accounts WHERE id = 'acme'").pluck().get()).toBe(
      'Acme Outfitters, Inc.',
    );
    db.close();
  });

  it('rejects a line that is not UTF-8 with its reason instead of mangling it', async () => {
    const extra = Array.from({ length: 8 }, (_, i) => `extra-${i},Extra ${i},other,,,,,,`);
    const bundle = bundleWith(
      Buffer.concat([
        Buffer.from(`${header}\n${rows.join('\n')}\n${extra.join('\n')}\n`),
        Buffer.from('cafe,Caf\xe9 Corp,other,,,,,,\n', 'latin1'),
      ]),
    );
    const out = join(tempDir(), 'cockpit.db');
    const result = await runPipeline({ input: bundle, db: out, maxRejectRate: 0.5, log: () => {} });
    expect(result.accounts).toBe(11);
    const rejects = readFileSync(rejectsPathFor(out), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { file: string; line: number; reason: string });
    expect(rejects).toEqual([
      expect.objectContaining({
        file: expect.stringMatching(/accounts\.csv$/),
        line: 13,
        reason: 'not valid UTF-8 text',
      }),
    ]);
    const db = new Database(out, { readonly: true });
    expect(db.prepare("SELECT COUNT(*) FROM accounts WHERE name LIKE '%\uFFFD%'").pluck().get()).toBe(0);
    db.close();
  });

  it('reports a row by the line it starts on when a quoted field spans lines', async () => {
    const bundle = bundleWith(
      Buffer.from(`${header}\n${rows[0]}\n"globex","Globex\nCloud",saas,,,,,,\ninitech,,fintech,,,,,,\n`),
    );
    const out = join(tempDir(), 'cockpit.db');
    await runPipeline({ input: bundle, db: out, maxRejectRate: 0.9, log: () => {} });
    const rejects = readFileSync(rejectsPathFor(out), 'utf8').trim().split('\n');
    expect(rejects.map((l) => JSON.parse(l).line)).toContain(5);
  });
});

describe('a few invalid UTF-8 lines in the first 64 KB of a bundle file', () => {
  it('are rejects with their line, not a refusal of the file', async () => {
    const bundle = copyFixture();
    const lines = readFileSync(join(bundle, 'conversations.jsonl'), 'utf8').trim().split('\n');
    const body = Array.from({ length: 20 }, (_, k) =>
      lines.map((l) => l.replace(/"id":"([^"]+)"/, `"id":"$1-${k}"`)),
    ).flat();
    const bad = (i: number) => Buffer.from(`${body[i]!.slice(0, 30)}\xe9${body[i]!.slice(30)}\n`, 'latin1');
    const parts = body.map((l, i) => (i === 4 || i === 40 ? bad(i) : Buffer.from(`${l}\n`)));
    const buf = Buffer.concat(parts);
    // both inside the head that openInput checks
    expect(Buffer.concat(parts.slice(0, 41)).length).toBeLessThan(64 * 1024);
    writeFileSync(join(bundle, 'conversations.jsonl'), buf);
    const out = join(tempDir(), 'cockpit.db');
    const result = await runPipeline({ input: bundle, db: out, log: () => {} });
    expect(result.rejected).toBe(2);
    const rejects = readFileSync(rejectsPathFor(out), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { line: number; reason: string; record: string });
    expect(rejects.map((r) => [r.line, r.reason])).toEqual([
      [5, 'not valid UTF-8 text'],
      [41, 'not valid UTF-8 text'],
    ]);
    // the record's first characters (the bad byte as U+FFFD), so it can be found by its id
    expect(rejects[0]!.record.startsWith(`${body[4]!.slice(0, 30)}\uFFFD${body[4]!.slice(30, 60)}`)).toBe(
      true,
    );
    expect(rejects[0]!.record.length).toBeLessThanOrEqual(201);
  });
});

describe('an account whose AI agent goes live after the data ends', () => {
  it('has its potential but no gap, flags on it or next actions', async () => {
    const bundle = copyFixture();
    const path = join(bundle, 'accounts.jsonl');
    writeFileSync(
      path,
      readFileSync(path, 'utf8').replace('"aiLiveSince":"2025-06-01"', '"aiLiveSince":"2026-06-01"'),
    );
    const out = join(tempDir(), 'cockpit.db');
    await runPipeline({ input: bundle, db: out, log: () => {} });
    const db = new Database(out, { readonly: true });
    const summary = JSON.parse(
      db.prepare("SELECT summary_json FROM accounts WHERE id = 'acme'").pluck().get() as string,
    ) as Record<string, unknown>;
    const actions = db.prepare("SELECT COUNT(*) FROM actions WHERE account_id = 'acme'").pluck().get();
    db.close();
    expect(summary).toMatchObject({ awaitingLive: true, gapPoints: null, gapConversations: null, flags: [] });
    expect(summary.automationPotential).toEqual(expect.any(Number));
    expect(actions).toBe(0);
    // as built from the fixture as it is, the same account is live, with its gap
    const live = new Database(await buildFixtureDb(), { readonly: true });
    const liveSummary = JSON.parse(
      live.prepare("SELECT summary_json FROM accounts WHERE id = 'acme'").pluck().get() as string,
    ) as Record<string, unknown>;
    live.close();
    expect(liveSummary.awaitingLive).toBeUndefined();
    expect(liveSummary.gapPoints).toEqual(expect.any(Number));
  });
});

describe('stray dates in a full build', () => {
  it('are left out at either end and reported, and do not set "data as of"', async () => {
    const bundle = copyFixture();
    const path = join(bundle, 'conversations.jsonl');
    const line = (id: string, createdAt: string) =>
      JSON.stringify({
        id,
        accountId: 'acme',
        createdAt,
        channel: 'email',
        aiInvolved: false,
        aiResolutionState: null,
        messages: [{ role: 'customer', text: 'where is my parcel, it is late' }],
      });
    const more = Array.from({ length: 40 }, (_, k) =>
      line(`feb-${k}`, `2026-02-${String(1 + (k % 27)).padStart(2, '0')}T10:00:00Z`),
    );
    appendFileSync(
      path,
      `${[...more, line('typo-2005', '2005-06-01T08:00:00Z'), line('test-late', '2026-11-30T08:00:00Z')].join('\n')}\n`,
    );
    const out = join(tempDir(), 'cockpit.db');
    const printed: string[] = [];
    const result = await runPipeline({ input: bundle, db: out, log: (m) => printed.push(m) });
    expect(result.dataAsOf).toBe('2026-03-15T12:00:00.000Z');
    const db = new Database(out, { readonly: true });
    const ids = db.prepare('SELECT id FROM conversations').pluck().all();
    db.close();
    // the fixture's 16 conversations kept (one of its 17 lines is a reject) and the 40 added
    expect(ids).toHaveLength(16 + 40);
    expect(ids).not.toContain('typo-2005');
    const reasons = readFileSync(rejectsPathFor(out), 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { reason: string }).reason);
    expect(reasons).toEqual([
      'conversation "typo-2005" (account acme) dated 1 Jun 2005, 21 years before the rest of the data (5 Jan 2026 – 15 Mar 2026): left out as a stray date (a typo, a test record?)',
      'conversation "test-late" (account acme) dated 30 Nov 2026, 9 months after the rest of the data (5 Jan 2026 – 15 Mar 2026): left out as a stray date (a typo, a test record?)',
    ]);
    expect(printed).toContain('stray dates: 2 conversation(s) left out (see the rejects)');
  });
});

describe('conversations files joined', () => {
  it('read a byte-order mark at the start of a line, as two exports joined carry it', async () => {
    const bundle = copyFixture();
    const path = join(bundle, 'conversations.jsonl');
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    const half = Math.floor(lines.length / 2);
    writeFileSync(path, `\ufeff${lines.slice(0, half).join('\n')}\n\ufeff${lines.slice(half).join('\n')}\n`);
    const out = join(tempDir(), 'cockpit.db');
    await runPipeline({ input: bundle, db: out, log: () => {} });
    const joined = new Database(out, { readonly: true });
    const count = joined.prepare('SELECT count(*) FROM conversations').pluck().get();
    joined.close();
    const plain = new Database(await buildFixtureDb(), { readonly: true });
    expect(count).toBe(plain.prepare('SELECT count(*) FROM conversations').pluck().get());
    plain.close();
  });
});
