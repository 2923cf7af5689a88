/**
 * The bad-input corpus (issue 11): every kind of broken record and file, through the three input
 * paths — a bundle folder, a single export file, and the prospect estimate. A bad record is a
 * reject with its line and reason (the rest of the file is used); a bad file is a one-line reason
 * and the old database stays byte-identical. Nothing surfaces as a crash.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PipelineError } from '../scripts/pipeline/errors.ts';
import { rejectsPathFor, runPipeline } from '../scripts/pipeline/run.ts';
import { singleFileBundle } from '../scripts/pipeline/single-file.ts';
import { openServingDb } from '../server/db/open.ts';
import { type BenchmarkSource, benchmarkSource } from '../server/estimate/benchmarks.ts';
import { estimateProspect } from '../server/estimate/estimate.ts';
import { ImportError } from '../server/importers/index.ts';
import { buildFixtureDb, copyFixture, FIXTURE_BUNDLE, tempDir } from './helpers.ts';

const GOOD = readFileSync(join(FIXTURE_BUNDLE, 'conversations.jsonl'));
const GOOD_LINES = GOOD.toString('utf8').trimEnd().split('\n').length;
const BAD_LINE_NO = GOOD_LINES + 1;

const base = {
  id: 'bad',
  accountId: 'acme',
  createdAt: '2026-02-10T10:00:00Z',
  channel: 'chat',
  aiInvolved: true,
  aiResolutionState: 'assumed_resolution',
  messages: [{ role: 'customer', text: 'Where is my parcel?' }],
};
const record = (patch: Record<string, unknown>, drop: string[] = []) => {
  const r: Record<string, unknown> = { ...base, ...patch };
  for (const k of drop) delete r[k];
  return JSON.stringify(r);
};

interface BadLine {
  kind: string;
  line: string | Buffer;
  reason: RegExp;
  /**
   * only the bundle folder holds it against the canonical schema's account fields: a single file or
   * an estimate is a prospect's own export (no AI yet, one account), where these may be absent
   */
  folderOnly?: boolean;
}

const BAD_LINES: BadLine[] = [
  { kind: 'malformed JSON', line: '{"id":"bad","accountId":', reason: /malformed JSON|invalid JSON/ },
  { kind: 'a JSON array', line: '[1,2,3]', reason: /expected a JSON object|not an object|object/ },
  { kind: 'a JSON string', line: '"hello"', reason: /object/ },
  { kind: 'JSON null', line: 'null', reason: /object/ },
  { kind: 'a bare number', line: '42', reason: /object/ },
  { kind: 'deeply nested arrays', line: `${'['.repeat(5000)}${']'.repeat(5000)}`, reason: /object|JSON/ },
  { kind: 'missing id', line: record({}, ['id']), reason: /"id"/ },
  { kind: 'empty id', line: record({ id: '  ' }), reason: /"id"/ },
  { kind: 'id is an object', line: record({ id: { a: 1 } }), reason: /"id"/ },
  { kind: 'missing accountId', line: record({}, ['accountId']), reason: /"accountId"/, folderOnly: true },
  // a number is read as the id it spells (accounts.jsonl may write its ids unquoted too)
  {
    kind: 'accountId is a number no account has',
    line: record({ accountId: 7 }),
    reason: /unknown accountId "7"/,
    folderOnly: true,
  },
  {
    kind: 'accountId is a boolean',
    line: record({ accountId: true }),
    reason: /"accountId"/,
    folderOnly: true,
  },
  {
    kind: 'unknown accountId',
    line: record({ accountId: 'ghost' }),
    reason: /unknown accountId "ghost"/,
    folderOnly: true,
  },
  { kind: 'missing createdAt', line: record({}, ['createdAt']), reason: /"createdAt"/ },
  {
    kind: 'createdAt in words',
    line: record({ createdAt: 'last tuesday' }),
    reason: /invalid date "createdAt"/,
  },
  {
    kind: 'impossible day',
    line: record({ createdAt: '2026-02-30T10:00:00Z' }),
    reason: /invalid date "createdAt"/,
  },
  {
    kind: 'hour 25',
    line: record({ createdAt: '2026-02-10T25:00:00Z' }),
    reason: /invalid date "createdAt"/,
  },
  {
    kind: 'year 9999',
    line: record({ createdAt: '9999-12-31T00:00:00Z' }),
    reason: /outside the plausible window/,
  },
  {
    kind: 'year 2099',
    line: record({ createdAt: '2099-06-01T00:00:00Z' }),
    reason: /outside the plausible window/,
  },
  {
    kind: 'year 1970',
    line: record({ createdAt: '1970-01-01T00:00:00Z' }),
    reason: /outside the plausible window/,
  },
  { kind: 'year 1', line: record({ createdAt: '0001-01-01T00:00:00Z' }), reason: /invalid date|plausible/ },
  {
    kind: 'createdAt as a number',
    line: record({ createdAt: 1767225600 }),
    reason: /invalid date "createdAt"/,
  },
  {
    kind: 'channel missing (SPEC §2: required)',
    line: record({}, ['channel']),
    reason: /missing required field "channel"/,
    folderOnly: true,
  },
  { kind: 'unknown channel', line: record({ channel: 'fax' }), reason: /unknown channel "fax"/ },
  { kind: 'channel is a number', line: record({ channel: 3 }), reason: /unknown channel/ },
  {
    kind: 'aiInvolved missing',
    line: record({}, ['aiInvolved', 'aiResolutionState']),
    reason: /"aiInvolved"/,
    folderOnly: true,
  },
  { kind: 'aiInvolved "yes"', line: record({ aiInvolved: 'yes' }), reason: /"aiInvolved"/ },
  {
    kind: 'unknown resolution state',
    line: record({ aiResolutionState: 'solved' }),
    reason: /unknown aiResolutionState/,
  },
  {
    kind: 'state without AI',
    line: record({ aiInvolved: false }),
    reason: /aiResolutionState set on a conversation the AI was not in/,
  },
  {
    kind: 'a message without a role',
    line: record({ messages: [{ text: 'hi' }] }),
    reason: /messages\[0\] has no "role"/,
  },
  { kind: 'reopened "no"', line: record({ reopened: 'no' }), reason: /"reopened"/ },
  { kind: 'csat 0', line: record({ csat: 0 }), reason: /csat must be an integer 1–5/ },
  { kind: 'csat 6', line: record({ csat: 6 }), reason: /csat must be an integer 1–5/ },
  { kind: 'csat 4.5', line: record({ csat: 4.5 }), reason: /csat must be an integer 1–5/ },
  { kind: 'csat "5"', line: record({ csat: '5' }), reason: /csat must be an integer 1–5/ },
  { kind: 'topic is a number', line: record({ topic: 12 }), reason: /"topic"/ },
  { kind: 'tags is a string', line: record({ tags: 'vip' }), reason: /"tags"/ },
  { kind: 'tags hold numbers', line: record({ tags: [1, 2] }), reason: /"tags"/ },
  { kind: 'messages missing', line: record({}, ['messages']), reason: /"messages"/ },
  { kind: 'messages is an object', line: record({ messages: { a: 1 } }), reason: /"messages"/ },
  { kind: 'a message is a number', line: record({ messages: [1] }), reason: /messages\[0\]/ },
  {
    kind: 'unknown role',
    line: record({ messages: [{ role: 'bot', text: 'hi' }] }),
    reason: /messages\[0\]\.role/,
  },
  {
    kind: 'message text is a number',
    line: record({ messages: [{ role: 'customer', text: 5 }] }),
    reason: /messages\[0\]\.text/,
  },
  {
    kind: 'message time in words',
    line: record({ messages: [{ role: 'customer', text: 'hi', at: 'yesterday' }] }),
    reason: /messages\[0\]\.at/,
  },
  {
    kind: 'a line over 1 MB',
    line: record({ messages: [{ role: 'customer', text: 'x'.repeat(1_100_000) }] }),
    reason: /line is too long|too large/,
  },
  {
    kind: 'invalid UTF-8',
    line: Buffer.concat([
      Buffer.from(record({}).slice(0, 20)),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from(record({}).slice(20)),
    ]),
    reason: /not valid UTF-8/,
  },
  { kind: 'a raw control character', line: `{"id":"bad\u0001","accountId":"acme"}`, reason: /JSON/ },
];

const withBadLine = (bad: string | Buffer) =>
  Buffer.concat([GOOD, Buffer.isBuffer(bad) ? bad : Buffer.from(bad), Buffer.from('\n')]);

let benchmarks: BenchmarkSource;
let servingDb: Database.Database;
let goodDb = '';
let goodBytes: Buffer;
beforeAll(async () => {
  servingDb = openServingDb(await buildFixtureDb());
  benchmarks = benchmarkSource(servingDb);
  goodDb = join(tempDir(), 'cockpit.db');
  await runPipeline({ input: copyFixture(), db: goodDb, log: () => {} });
  goodBytes = readFileSync(goodDb);
});
afterAll(() => servingDb.close());

const rejectsOf = (db: string) =>
  readFileSync(rejectsPathFor(db), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { line: number; reason: string });

async function estimateBytes(bytes: Buffer) {
  return estimateProspect(
    (async function* () {
      yield bytes;
    })(),
    benchmarks,
    { fileName: 'export.jsonl' },
  );
}

describe(`bad records (${BAD_LINES.length} kinds) are rejects with their line and reason in every path`, () => {
  for (const bad of BAD_LINES) {
    it(bad.kind, async () => {
      const content = withBadLine(bad.line);
      // 1. bundle folder, tolerant threshold: built, the record rejected with its reason
      const bundle = copyFixture();
      writeFileSync(join(bundle, 'conversations.jsonl'), content);
      const out = join(tempDir(), 'cockpit.db');
      const built = await runPipeline({ input: bundle, db: out, maxRejectRate: 0.5, log: () => {} });
      expect(built.conversations).toBe(16);
      const rejects = rejectsOf(out);
      expect(rejects).toHaveLength(1);
      expect(rejects[0]!.line).toBe(BAD_LINE_NO);
      expect(rejects[0]!.reason).toMatch(bad.reason);
      // default threshold (1%): refused in one line, the database it would replace untouched
      const target = join(tempDir(), 'cockpit.db');
      writeFileSync(target, goodBytes);
      const failure = await runPipeline({ input: bundle, db: target, log: () => {} }).catch(
        (e: unknown) => e,
      );
      expect(failure).toBeInstanceOf(PipelineError);
      expect((failure as Error).message).toMatch(
        /over the --max-reject-rate of 1\.00%; the database was not changed/,
      );
      expect((failure as Error).message).not.toContain('\n');
      expect(readFileSync(target).equals(goodBytes)).toBe(true);
      if (bad.folderOnly) return;

      // 2. one export file
      const file = join(tempDir(), 'export.jsonl');
      writeFileSync(file, content);
      const single = await singleFileBundle(file, { maxRejectRate: 0.5, log: () => {} });
      single.cleanup();
      expect(single.report.rejects).toEqual([
        { line: BAD_LINE_NO, reason: expect.stringMatching(bad.reason) },
      ]);

      // 3. the estimate: the result stands on the good records, the bad one is listed
      const estimate = await estimateBytes(content);
      expect(estimate.conversations).toBe(16); // the repeated id counted once, as by the pipeline
      expect(estimate.report.rejects).toEqual([
        { line: BAD_LINE_NO, reason: expect.stringMatching(bad.reason) },
      ]);
    });
  }
});

interface BadFile {
  kind: string;
  bytes: Buffer;
  /** the one-line reason expected from each path */
  reason: RegExp;
}

const latin1 = Buffer.from(
  `${record({ messages: [{ role: 'customer', text: 'caf\u00e9 cr\u00e8me' }] })}\n`.repeat(3),
  'latin1',
);
const gz = gzipSync(GOOD);
const BAD_FILES: BadFile[] = [
  { kind: 'an empty file', bytes: Buffer.alloc(0), reason: /0 conversations|empty/ },
  {
    kind: 'only blank lines',
    bytes: Buffer.from('\n\n   \n\n'),
    reason: /0 conversations|white space|no usable/,
  },
  {
    kind: 'a PNG image',
    bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]),
    reason: /not a text file/,
  },
  {
    kind: 'a truncated gzip',
    bytes: gz.subarray(0, gz.length - 30),
    reason: /gzip data is corrupt or truncated/,
  },
  {
    kind: 'gzip magic then garbage',
    bytes: Buffer.from([0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9]),
    reason: /gzip/,
  },
  { kind: 'Latin-1 text', bytes: latin1, reason: /not a UTF-8 text file: invalid UTF-8 on line 1/ },
  {
    kind: 'NUL-filled bytes',
    bytes: Buffer.concat([Buffer.from('{"id":'), Buffer.alloc(4096, 0)]),
    reason: /not a text file/,
  },
  {
    kind: 'a ZIP archive',
    bytes: Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 1)]),
    reason: /not a text file/,
  },
];

describe(`bad files (${BAD_FILES.length} kinds) are a one-line reason and change nothing`, () => {
  for (const bad of BAD_FILES) {
    it(bad.kind, async () => {
      // 1. bundle folder: refused, the old database byte-identical
      const bundle = copyFixture();
      writeFileSync(join(bundle, 'conversations.jsonl'), bad.bytes);
      const target = join(tempDir(), 'cockpit.db');
      writeFileSync(target, goodBytes);
      const failure = await runPipeline({ input: bundle, db: target, log: () => {} }).catch(
        (e: unknown) => e,
      );
      expect(failure).toBeInstanceOf(PipelineError);
      expect((failure as Error).message).toMatch(bad.reason);
      expect((failure as Error).message).not.toContain('\n');
      expect(readFileSync(target).equals(goodBytes)).toBe(true);
      // 2. one export file
      const file = join(tempDir(), 'export.jsonl');
      writeFileSync(file, bad.bytes);
      const single = await singleFileBundle(file, { log: () => {} }).catch((e: unknown) => e);
      expect(single).toBeInstanceOf(PipelineError);
      expect((single as Error).message).not.toContain('\n');
      // 3. the estimate
      const estimate = await estimateBytes(bad.bytes).catch((e: unknown) => e);
      expect(estimate).toBeInstanceOf(ImportError);
      expect((estimate as Error).message).not.toContain('\n');
    });
  }

  it('UTF-16 with a byte-order mark is decoded in every path, not refused', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(GOOD.toString('utf8'), 'utf16le')]);
    const bundle = copyFixture();
    writeFileSync(join(bundle, 'conversations.jsonl'), utf16);
    const built = await runPipeline({ input: bundle, db: join(tempDir(), 'c.db'), log: () => {} });
    expect(built.conversations).toBe(16);
    const file = join(tempDir(), 'export.jsonl');
    writeFileSync(file, utf16);
    const single = await singleFileBundle(file, { log: () => {} });
    single.cleanup();
    expect(single.report.imported).toBe(17);
    expect((await estimateBytes(utf16)).conversations).toBe(16);
  });

  it('a folder where the conversations file should be', async () => {
    const bundle = copyFixture();
    rmSync(join(bundle, 'conversations.jsonl'));
    mkdirSync(join(bundle, 'conversations.jsonl'));
    await expect(runPipeline({ input: bundle, db: join(tempDir(), 'c.db'), log: () => {} })).rejects.toThrow(
      /conversations\.jsonl: cannot be read/,
    );
  });
});
