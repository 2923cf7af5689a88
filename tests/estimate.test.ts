import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PipelineError, runPipeline } from '../scripts/pipeline/run.ts';
import { singleFileBundle } from '../scripts/pipeline/single-file.ts';
import { openServingDb } from '../server/db/open.ts';
import { openProspectStore, prospectDetail, prospectSummary } from '../server/db/prospects.ts';
import {
  buildBenchmarks,
  estimatePotential,
  type PeerLeafRow,
  topicSpread,
} from '../server/domain/estimate.ts';
import { achievableFor, learnAchievableByVertical, MODEL_V1 } from '../server/domain/potential.ts';
import { leafById } from '../server/domain/taxonomy.ts';
import { benchmarkSource } from '../server/estimate/benchmarks.ts';
import { estimateProspect, nameFromFile, prospectId } from '../server/estimate/estimate.ts';
import { monthsCovered } from '../server/estimate/stream.ts';
import { ImportError } from '../server/importers/index.ts';
import { defaultProspectName } from '../web/src/views/Estimate/estimateState.ts';
import { tempDir } from './helpers.ts';

const FIX = join(import.meta.dirname, 'fixtures', 'imports');

const A = 'orders.where_is_my_order'; // personalized
const A2 = 'refunds.refund_status'; // personalized
const B = 'howto.feature_usage'; // informational
const C = 'feedback.complaint'; // human

function peers(): PeerLeafRow[] {
  const rows: PeerLeafRow[] = [];
  // A: 5 ecommerce accounts, involvement and resolution 0.5 … 0.9
  [0.5, 0.6, 0.7, 0.8, 0.9].forEach((r, i) => {
    const involved = Math.round(100 * r);
    rows.push({
      accountId: `e${i}`,
      vertical: 'ecommerce',
      taxonomyId: A,
      automationClass: 'personalized',
      conversations: 100,
      involved,
      resolved: Math.round(involved * r),
    });
    // A2: same accounts, involvement 0.3, resolution 0.5 (pulls the personalized class down)
    rows.push({
      accountId: `e${i}`,
      vertical: 'ecommerce',
      taxonomyId: A2,
      automationClass: 'personalized',
      conversations: 100,
      involved: 30,
      resolved: 15,
    });
  });
  // B: only saas accounts → an ecommerce prospect falls back to all verticals
  [0.4, 0.5, 0.6, 0.7, 0.8].forEach((r, i) => {
    rows.push({
      accountId: `s${i}`,
      vertical: 'saas',
      taxonomyId: B,
      automationClass: 'informational',
      conversations: 100,
      involved: 100,
      resolved: Math.round(100 * r),
    });
  });
  // too little volume to count as a peer anywhere
  rows.push({
    accountId: 'tiny',
    vertical: 'ecommerce',
    taxonomyId: C,
    automationClass: 'human',
    conversations: 10,
    involved: 5,
    resolved: 1,
  });
  return rows;
}

describe('buildBenchmarks', () => {
  it('takes percentiles per vertical, then all verticals, then the class, then the prior: the accounts’ order', () => {
    const b = buildBenchmarks(peers(), 'ecommerce', MODEL_V1);
    expect(b.verticalAccounts).toBe(6);
    expect(b.allAccounts).toBe(11);
    const a = b.leaves.get(A)!;
    expect(a.source).toBe('vertical');
    expect(a.peers).toBe(5);
    expect(a.involvement.p50).toBeCloseTo(0.7, 12);
    expect(a.involvement.p75).toBeCloseTo(0.8, 12);
    expect(a.involvement.p90).toBeCloseTo(0.86, 12);
    expect(a.resolution.p75).toBeCloseTo(0.8, 12);
    expect(b.leaves.get(B)!.source).toBe('all_verticals');
    expect(b.leaves.get(B)!.resolution.p75).toBeCloseTo(0.7, 12);
    // the personalized class pools A and A2: involvement 0.3×5, 0.5…0.9
    expect(b.classes.personalized.source).toBe('class_all');
    expect(b.classes.personalized.involvement.p50).toBeCloseTo(0.4, 12);
    expect(b.classes.personalized.involvement.p90).toBeCloseTo(0.81, 12);
    expect(b.classes.personalized.resolution.p50).toBeCloseTo(0.5, 12);
    expect(b.classes.informational.source).toBe('class_all');
    expect(b.leaves.get(C)!.source).toBe('prior');
    // a leaf nobody has falls back to its class
    expect(b.leaves.get('billing.invoice_copy')!.source).toBe('class_all');
    // …with no peer count: the class level stands on account × topic pairs (the Peers column read 112 of 72 accounts)
    expect(b.leaves.get('billing.invoice_copy')!.peers).toBe(0);
  });
});

describe('one peer learner', () => {
  it('gives a prospect the levels a customer of the same vertical gets, leaf by leaf and at each end', () => {
    const rows = peers();
    const { byVertical } = learnAchievableByVertical(rows, MODEL_V1);
    const b = buildBenchmarks(rows, 'ecommerce', MODEL_V1);
    const customer = byVertical.get('ecommerce')!;
    for (const leaf of [A, A2, B, C, 'billing.invoice_copy']) {
      const cls = leafById(leaf)!.automationClass;
      const bm = b.leaves.get(leaf)!;
      for (const [which, p] of [
        ['low', 'p50'],
        ['point', 'p75'],
        ['high', 'p90'],
      ] as const) {
        const a = achievableFor(customer, which, leaf, cls);
        expect([bm.involvement[p], bm.resolution[p]], `${leaf} ${which}`).toEqual([
          a.involvement,
          a.resolution,
        ]);
      }
    }
  });
});

describe('estimatePotential', () => {
  // Worked out by hand with separate percentiles of involvement and resolution (model v1).
  const benchmarks = buildBenchmarks(peers(), 'ecommerce', MODEL_V1);
  const model = estimatePotential({
    benchmarks,
    months: 2,
    leaves: [
      { taxonomyId: A, conversations: 60, confidenceSum: 54, lowConfidence: 3 },
      { taxonomyId: B, conversations: 30, confidenceSum: 30 },
      { taxonomyId: C, conversations: 10, confidenceSum: 5, lowConfidence: 5 },
    ],
  });

  it('computes the point estimate from P75 levels: Σ share × involvement × resolution', () => {
    // 0.6 × 0.8 × 0.8 + 0.3 × 1 × 0.7 + 0.1 × (0.6 × 0.15) [human prior]
    expect(model.potential).toBeCloseTo(0.603, 12);
    expect(model.currentAutomation).toBe(0);
    expect(model.conversations).toBe(100);
    expect(model.monthlyConversations).toBe(50);
    expect(model.confidence).toBeCloseTo(0.89, 12);
    // 3 + 5 of the 100 requests were classified with low confidence
    expect(model.lowConfidenceRequests).toBeCloseTo(0.08, 12);
  });

  it('counts low-confidence requests without greetings and small talk, whose confidence is always low', () => {
    const m = estimatePotential({
      benchmarks,
      months: 1,
      leaves: [
        { taxonomyId: A, conversations: 40, confidenceSum: 30, lowConfidence: 10 },
        { taxonomyId: 'other.greeting', conversations: 60, confidenceSum: 6, lowConfidence: 60 },
      ],
    });
    expect(m.lowConfidenceRequests).toBeCloseTo(0.25, 12);
    // a quarter of the requests unsure: the greetings, where misread requests land, get no action
    expect(m.actions.map((x) => x.taxonomyId)).toEqual([A]);
    const fits = estimatePotential({
      benchmarks,
      months: 1,
      leaves: [
        { taxonomyId: A, conversations: 40, confidenceSum: 36, lowConfidence: 2 },
        { taxonomyId: 'other.greeting', conversations: 60, confidenceSum: 6, lowConfidence: 60 },
      ],
    });
    expect(fits.actions.map((x) => x.taxonomyId)).toEqual(['other.greeting', A]);
    const onlyGreetings = estimatePotential({
      benchmarks,
      months: 1,
      leaves: [{ taxonomyId: 'other.greeting', conversations: 5, confidenceSum: 0.5, lowConfidence: 5 }],
    });
    expect(onlyGreetings.lowConfidenceRequests).toBeNull();
  });

  it('widens the P50–P90 range by classification uncertainty toward the class level, and by sampling', () => {
    // sampling error of the topic mix over 100 conversations: targets 0.64, 0.7, 0.09 (P75)
    // Σ s t² − P² = 0.6 × 0.4096 + 0.3 × 0.49 + 0.1 × 0.0081 − 0.603² = 0.029961
    // mixed with the spread over every topic as if 10 more conversations had shown it
    const spread = (100 * 0.029961 + 10 * topicSpread(benchmarks)) / 110;
    const sampling = 1.2816 * Math.sqrt(spread / 100);
    // A: u = 0.1: 0.9 × 0.49 + 0.1 × min(0.49, 0.4 × 0.5) = 0.461; B: u = 0 → 0.6; C: prior 0.48 × 0.12
    expect(model.potentialLow).toBeCloseTo(0.6 * 0.461 + 0.3 * 0.6 + 0.1 * 0.0576 - sampling, 12);
    // A: 0.9 × 0.86² + 0.1 × max(0.7396, 0.81²); B: 0.76; C: 0.66 × 0.165
    expect(model.potentialHigh).toBeCloseTo(0.6 * 0.7396 + 0.3 * 0.76 + 0.1 * 0.1089 + sampling, 12);
    expect(model.potentialLow!).toBeLessThan(model.potential!);
    expect(model.potentialHigh!).toBeGreaterThan(model.potential!);
  });

  it('takes the prior spread over every topic alike, and widens a one-topic export of one conversation', () => {
    const lv = (p75: number) => ({ p50: p75, p75, p90: p75 });
    const two = new Map([
      ['x', { involvement: lv(1), resolution: lv(0.8) }],
      ['y', { involvement: lv(0.5), resolution: lv(0.4) }],
    ]);
    // targets 0.8 and 0.2: mean 0.5, variance 0.09
    expect(topicSpread({ leaves: two as never })).toBeCloseTo(0.09, 12);
    const one = estimatePotential({
      benchmarks,
      months: 1,
      leaves: [{ taxonomyId: B, conversations: 1, confidenceSum: 1 }],
    });
    // B alone: no spread of its own; the prior's, over 1 conversation: ± 1.28 √(10/11 × prior)
    const wide = 1.2816 * Math.sqrt((10 * topicSpread(benchmarks)) / 11);
    expect(wide).toBeGreaterThan(0.1);
    expect(one.potentialHigh! - one.potentialLow!).toBeGreaterThan(2 * Math.min(wide, 0.2));
  });

  it('gives a 2-conversation export a far wider range than a 2,000-conversation one with the same mix', () => {
    const mix = (n: number) =>
      estimatePotential({
        benchmarks,
        months: 1,
        leaves: [
          { taxonomyId: A, conversations: n / 2, confidenceSum: n / 2 },
          { taxonomyId: C, conversations: n / 2, confidenceSum: n / 2 },
        ],
      });
    const small = mix(2);
    const large = mix(2000);
    expect(small.potential).toBeCloseTo(large.potential!, 12);
    expect(small.potentialHigh! - small.potentialLow!).toBeGreaterThan(
      large.potentialHigh! - large.potentialLow! + 0.3,
    );
  });

  it('breaks down by leaf and class', () => {
    const a = model.leaves.find((l) => l.taxonomyId === A)!;
    expect(a).toMatchObject({
      conversations: 60,
      share: 0.6,
      confidence: 0.9,
      lowConfidenceShare: 0.05,
      uncertain: false,
    });
    // C's mean confidence is exactly LOW_CONFIDENCE: not below it, so not flagged
    expect(model.leaves.find((l) => l.taxonomyId === C)!.uncertain).toBe(false);
    expect(a.achievableAutomation).toBeCloseTo(0.64, 12);
    expect(a.points).toBeCloseTo(0.384, 12);
    expect(a.expectedConversations).toBeCloseTo(19.2, 12);
    expect(a.benchmark.source).toBe('vertical');
    expect(model.leaves.map((l) => l.taxonomyId)).toEqual([A, B, C]);
    const cls = Object.fromEntries(model.classes.map((c) => [c.automationClass, c]));
    expect(cls.personalized!.points).toBeCloseTo(0.384, 12);
    expect(cls.informational!.share).toBeCloseTo(0.3, 12);
    expect(cls.action).toMatchObject({ conversations: 0, confidence: null, achievableAutomation: null });
  });

  it('orders the roadmap by expected conversations, kind from the class', () => {
    expect(model.actions.map((a) => [a.taxonomyId, a.kind])).toEqual([
      [A, 'data_connector'],
      [B, 'content'],
      [C, 'routing'],
    ]);
    expect(model.actions[0]!.gainConversations).toBeCloseTo(19.2, 12);
    expect(model.actions[1]!.cumulativeRate).toBeCloseTo(0.594, 12);
    expect(model.actions[2]!.cumulativeRate).toBeCloseTo(model.potential!, 12);
    expect(model.actions[0]!.title).toMatch(/Where is my order/);
  });

  it('returns null potentials without conversations', () => {
    const empty = estimatePotential({ benchmarks, months: 1, leaves: [] });
    expect(empty).toMatchObject({ potential: null, potentialLow: null, potentialHigh: null, actions: [] });
  });
});

// Streaming estimate -------------------------------------------------------------------------

const noPeers = benchmarkSource(null);
async function* once(buf: Buffer | string): AsyncGenerator<Buffer> {
  yield Buffer.isBuffer(buf) ? buf : Buffer.from(buf);
}
async function estimateOf(input: Buffer | string, extra: Parameters<typeof estimateProspect>[2] = {}) {
  return estimateProspect(once(input), noPeers, { vertical: 'ecommerce', ...extra });
}
async function failure(input: Buffer | string, extra: Parameters<typeof estimateProspect>[2] = {}) {
  try {
    await estimateOf(input, extra);
  } catch (e) {
    expect(e).toBeInstanceOf(ImportError);
    return e as ImportError;
  }
  throw new Error('expected an ImportError');
}

describe('estimateProspect', () => {
  it('estimates each format, with the import report and bounded examples', async () => {
    for (const [file, format] of [
      ['canonical.jsonl', 'canonical'],
      ['intercom.jsonl', 'intercom'],
      ['zendesk-tickets.json', 'zendesk'],
      ['conversations.csv', 'csv'],
    ] as const) {
      const r = await estimateOf(readFileSync(join(FIX, file)), { fileName: file });
      expect(r.report.format, file).toBe(format);
      expect(r.conversations).toBe(r.report.imported);
      expect(r.potential).toBeGreaterThan(0);
      expect(r.potentialLow!).toBeLessThanOrEqual(r.potential!);
      expect(r.potentialHigh!).toBeGreaterThanOrEqual(r.potential!);
      for (const l of r.leaves) expect(l.samples.length).toBeLessThanOrEqual(3);
      expect(r.id).toMatch(/^prospect-[0-9a-f]{16}$/);
    }
    const csv = await estimateOf(readFileSync(join(FIX, 'conversations.csv')), { fileName: 'x.csv' });
    expect(csv.report.mapping).toMatchObject({ 'Ticket ID': 'id', 'Created At': 'createdAt' });
    expect(csv.report.rejects.map((r) => r.line)).toEqual(expect.arrayContaining([8]));
  });

  it('gives the same export the same prospect id whether it is sent plain, gzipped or with a BOM', async () => {
    const csv = readFileSync(join(FIX, 'conversations.csv'));
    const plain = await estimateOf(csv, { fileName: 'tickets.csv' });
    const gz = await estimateOf(gzipSync(csv), { fileName: 'tickets.csv.gz' });
    const bom = await estimateOf(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), csv]), {
      fileName: 'x.csv',
    });
    expect(gz.sha256).not.toBe(plain.sha256); // the bytes uploaded differ, and the audit log says so
    expect(gz.id).toBe(plain.id);
    expect(bom.id).toBe(plain.id);
    expect(plain.id).toBe(prospectId(createHash('sha256').update(csv).digest('hex'), 'ecommerce'));
    // another vertical, or other content, is another prospect
    expect((await estimateOf(csv, { vertical: 'saas' })).id).not.toBe(plain.id);
    const lastRowDropped = csv.subarray(0, csv.lastIndexOf('\n', csv.length - 2) + 1);
    expect((await estimateOf(lastRowDropped, { fileName: 'tickets.csv' })).id).not.toBe(plain.id);
    // the same text in Windows-1252 (Excel's plain "CSV") and saved again as UTF-8 is one prospect
    const text = `id,created_at,text\n${Array.from({ length: 12 }, (_, i) => `${i},2026-01-0${1 + (i % 9)},Zoë’s café order ${i} is late`).join('\n')}\n`;
    const utf8 = await estimateOf(text);
    const win = Buffer.from(text.replaceAll('’', '\x92'), 'latin1');
    expect((await estimateOf(win)).id).toBe(utf8.id);
    // and a UTF-8 file read in small pieces hashes as read whole
    const pieces = Buffer.from(text);
    async function* sevens() {
      for (let i = 0; i < pieces.length; i += 7) yield pieces.subarray(i, i + 7);
    }
    expect((await estimateProspect(sevens(), noPeers, { vertical: 'ecommerce' })).id).toBe(utf8.id);
  });

  it('keeps examples bounded and reports progress', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) =>
      JSON.stringify({
        id: `c-${i}`,
        createdAt: `2026-0${1 + (i % 3)}-10T10:00:00Z`,
        channel: 'chat',
        aiInvolved: false,
        aiResolutionState: null,
        accountId: 'p',
        messages: [{ role: 'customer', text: `Where is my order ${i}? It has not arrived yet.` }],
      }),
    ).join('\n');
    const progress: number[] = [];
    const r = await estimateOf(lines, { onProgress: (p) => progress.push(p.records), progressIntervalMs: 0 });
    expect(r.conversations).toBe(3000);
    expect(r.byMonth.map((m) => [m.month, m.conversations])).toEqual([
      ['2026-01', 1000],
      ['2026-02', 1000],
      ['2026-03', 1000],
    ]);
    expect(progress.at(-1)).toBe(3000);
    expect(r.leaves.every((l) => l.samples.length <= 3)).toBe(true);
  });

  it('stops when the signal aborts', async () => {
    const ac = new AbortController();
    ac.abort();
    const e = await failure(readFileSync(join(FIX, 'canonical.jsonl')), { signal: ac.signal });
    expect(e.code).toBe('ABORTED');
  });
});

describe('the report on AI outcomes', () => {
  it('says no AI agent took part in an export without one, not that its outcomes are unused', async () => {
    const csv = `id,created_at,text\n${Array.from({ length: 6 }, (_, i) => `${i},2026-01-0${i + 1},where is my parcel`).join('\n')}\n`;
    const r = await estimateOf(csv);
    expect(r.report.notes).toContain(
      'no AI agent took part in these conversations, and none is assumed: a prospect’s estimate stands on its topics',
    );
    expect(r.report.notes.join('\n')).not.toMatch(/AI outcomes in the file are not used/);
  });
});

describe('bad input gets a clear message naming the problem (and the line)', () => {
  it('empty file', async () => {
    expect((await failure('')).message).toBe('the file is empty');
    expect((await failure('  \n\n ')).message).toMatch(/empty|white space/);
  });

  it('binary file', async () => {
    const e = await failure(Buffer.from([0x41, 0x00, 0x42, 0x07, 0x00]));
    expect(e.code).toBe('BINARY');
    expect(e.message).toMatch(/not a text file: it contains NUL bytes/);
    // one NUL in a text file, with a byte-order mark or without, however far into the head
    const text = Array.from({ length: 3000 }, (_, i) => `${i},2026-01-01,where is my order number ${i}`);
    const stray = (bom: boolean) =>
      Buffer.concat([
        Buffer.from(bom ? '\ufeffid,created_at,text\n' : 'id,created_at,text\n'),
        Buffer.from(text.slice(0, 1000).join('\n')),
        Buffer.from([0]),
        Buffer.from(`\n${text.slice(1000).join('\n')}\n`),
      ]);
    for (const bom of [false, true]) {
      const one = await failure(stray(bom));
      expect(one.code).toBe('BINARY');
      expect(one.message).toMatch(
        /^a stray NUL byte on line 1001 \(byte \d+\): a text file has none; remove it/,
      );
    }
    const zip = await failure(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]));
    expect(zip.message).toMatch(/ZIP archive; unzip it/);
    // a workbook is told apart by its parts' names: no "unzip it" advice for it
    const workbook = Buffer.concat([
      Buffer.from([0x50, 0x4b, 0x03, 0x04, 20, 0, 6, 0]),
      Buffer.from(`${'\u0000'.repeat(22)}[Content_Types].xml`, 'latin1'),
    ]);
    expect((await failure(workbook)).message).toMatch(
      /it is an Excel workbook \(\.xlsx\): open it in Excel and save the sheet as "CSV UTF-8"/,
    );
  });

  it('wrong format', async () => {
    const e = await failure('just some notes\nabout our customers\n');
    expect(e.code).toBe('UNKNOWN_FORMAT');
    expect(e.message).toMatch(/could not recognise the format/);
    const json = await failure('{"hello":"world"}\n');
    expect(json.message).toMatch(/JSON, but none of the known shapes/);
  });

  it('huge lines: rejected with their line; all huge → no usable conversations, naming line 1', async () => {
    const good = readFileSync(join(FIX, 'canonical.jsonl'), 'utf8').split('\n')[0]!;
    const huge = JSON.stringify({
      id: 'h',
      accountId: 'p',
      createdAt: '2026-03-01T00:00:00Z',
      text: 'x'.repeat(5000),
    });
    const r = await estimateOf(`${good}\n${huge}\n`, { maxLineBytes: 4096 });
    expect(r.conversations).toBe(1);
    expect(r.report.rejects[0]).toMatchObject({ line: 2 });
    expect(r.report.rejects[0]!.reason).toMatch(/too (large|long)/);
    const e = await failure(`${huge}\n`, { maxLineBytes: 4096, fileName: 'x.jsonl' });
    expect(e.message).toMatch(/line 1/);
    expect(e.message).toMatch(/too (large|long)/);
  });

  it('broken JSON', async () => {
    const good = readFileSync(join(FIX, 'canonical.jsonl'), 'utf8').split('\n')[0]!;
    const r = await estimateOf(`${good}\n{"id":"x","accountId":\n`);
    expect(r.report.rejects[0]).toMatchObject({ line: 2 });
    expect(r.report.rejects[0]!.reason).toMatch(/invalid JSON/);
    const doc = await failure('[{"id":"1","accountId":"p","createdAt":"2026-03-01T00:00:00Z","messages":[');
    expect(doc.message).toMatch(/line 1/);
    expect(doc.message).toMatch(/incomplete|unexpected end/i);
  });

  it('broken CSV', async () => {
    const e = await failure('id,created_at,text\n1,2026-03-01,"never closed\n2,2026-03-02,hello\n');
    expect(e.message).toMatch(/line 2: .*the quote opened on line 2 is never closed/);
    const missing = await failure('id,created_at,priority\n1,2026-03-01,low\n', { fileName: 'x.csv' });
    expect(missing.code).toBe('MISSING_COLUMNS');
  });

  it('estimates a list of requests without dates as one whole month, and says so', async () => {
    const { undatedTime } = await import('../server/estimate/stream.ts');
    expect(undatedTime(new Date('2026-12-04T20:00:00Z'))).toBe('2026-11-30T12:00:00.000Z');
    expect(undatedTime(new Date('2027-01-01T00:00:00Z'))).toBe('2026-12-31T12:00:00.000Z');
    const r = await estimateOf(
      'text,category\n"where is my order",a\n"I want to cancel my subscription",b\n"how do I reset my password",c\n',
      { fileName: 'requests.csv' },
    );
    expect(r.conversations).toBe(3);
    expect(r.byMonth.map((m) => m.month)).toEqual([undatedTime().slice(0, 7)]);
    expect(r.byMonth[0]!.conversations).toBe(3);
    expect(r.potential).toBeGreaterThan(0);
    expect(r.report.notes.some((n) => n.startsWith('no time column: every conversation is dated'))).toBe(
      true,
    );
    expect(r.report.undated).toBe(true);
    // the same request asked again is another conversation, not a repeated id
    const repeats = await estimateOf(`text\n${'where is my order\n'.repeat(40)}cancel my plan\n`, {
      fileName: 'requests.csv',
    });
    expect(repeats.conversations).toBe(41);
    expect(repeats.report.notes).toContain(
      'no id column: each row is a conversation, named by its place in the file (the same request asked twice counts twice)',
    );
    // one column: each line is one request, commas and all, with or without a file name
    for (const fileName of ['requests.csv', undefined]) {
      const list = await estimateOf(
        'text\nhi, where is my order\nI was charged twice, please help, thanks\n"quoted, with a comma"\ncancel my plan\n',
        fileName ? { fileName } : {},
      );
      expect(list.report).toMatchObject({ records: 4, imported: 4, rejected: 0 });
      expect(list.conversations).toBe(4);
    }
  });

  it('wrong encoding: a file in none it reads is refused with its line; UTF-16 is decoded', async () => {
    // 0x81 and 0x9d are neither UTF-8 nor Windows-1252 (which a plain Excel CSV is, and is read)
    const latin1 = Buffer.concat([
      Buffer.from('id,created_at,text\n1,2026-03-01,ok\n2,2026-03-02,caf'),
      Buffer.from([0x81]),
      Buffer.from('\n3,2026-03-02,th'),
      Buffer.from([0x9d]),
      Buffer.from('\n'),
    ]);
    const e = await failure(latin1);
    expect(e.code).toBe('ENCODING');
    expect(e.message).toMatch(/invalid UTF-8 on line 3/);
    const text = readFileSync(join(FIX, 'conversations.csv'), 'utf8');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const r = await estimateOf(utf16, { fileName: 'x.csv' });
    expect(r.report.encoding).toBe('utf-16le');
    expect(r.conversations).toBeGreaterThan(0);
  });

  it('over the size limit', async () => {
    const e = await failure(readFileSync(join(FIX, 'intercom.jsonl')), { maxBytes: 1000 });
    expect(e.code).toBe('TOO_LARGE');
    expect(e.message).toMatch(/too large: over the 1000 B limit|too large: over the .* limit/);
  });

  it('corrupt gzip', async () => {
    const gz = gzipSync(readFileSync(join(FIX, 'canonical.jsonl')));
    const e = await failure(gz.subarray(0, gz.length - 20));
    expect(e.code).toBe('GZIP');
  });
});

describe('prospect store', () => {
  it('saves idempotently: same file and vertical → same id, replaced not duplicated', async () => {
    const file = join(tempDir(), 'prospects.db');
    const store = openProspectStore(file);
    expect(store.list()).toEqual([]);
    const bytes = readFileSync(join(FIX, 'intercom.jsonl'));
    const r1 = await estimateOf(bytes, { fileName: 'acme-export.jsonl', name: 'Acme' });
    const r2 = await estimateOf(bytes, { fileName: 'acme-export.jsonl', name: 'Acme Inc' });
    expect(r2.id).toBe(r1.id);
    await store.save(r1);
    await store.save(r2);
    expect(store.list()).toHaveLength(1);
    expect(store.get(r1.id)).toMatchObject({ name: 'Acme Inc', saved: true });
    const other = await estimateOf(bytes, { vertical: 'saas' });
    expect(other.id).not.toBe(r1.id);
    await store.save(other);
    expect(store.list()).toHaveLength(2);
    store.close();
    // another connection (a CLI run) sees the same rows
    const again = openProspectStore(file);
    expect(again.summaries().map((s) => s.status)).toEqual(['prospect', 'prospect']);
    again.close();
  });

  it('turns an estimate into an account summary and detail with no AI agent: 0 involved, rates per SPEC §1', async () => {
    const r = await estimateOf(readFileSync(join(FIX, 'intercom.jsonl')));
    const s = prospectSummary(r);
    const last = r.byMonth.at(-1)!;
    expect(s).toMatchObject({
      status: 'prospect',
      month: last.month,
      conversations: last.conversations,
      automationPotential: r.potential,
      potentialLow: r.potentialLow,
      potentialHigh: r.potentialHigh,
      involved: 0,
      involvementRate: 0,
      resolutionRate: null,
      automationRate: 0,
      handoffRate: null,
      windowAutomationRate: 0,
    });
    const d = prospectDetail(r);
    expect(d.months.reduce((n, m) => n + m.conversations, 0)).toBe(r.conversations);
    expect(d.months.every((m) => m.automationRate === (m.conversations > 0 ? 0 : null))).toBe(true);
  });

  it("gives the prospect's row its last month's figures, as a customer's carries the current month's", async () => {
    const line = (id: string, at: string, csat: number | null) =>
      JSON.stringify({
        id,
        createdAt: at,
        channel: 'chat',
        aiInvolved: false,
        aiResolutionState: null,
        ...(csat === null ? {} : { csat }),
        messages: [{ role: 'customer', text: 'where is my parcel, it was due on monday', at }],
      });
    const r = await estimateOf(
      [
        line('a', '2026-01-05T10:00:00Z', 5),
        line('b', '2026-01-09T10:00:00Z', 5),
        line('c', '2026-01-20T10:00:00Z', 1),
        line('d', '2026-02-03T10:00:00Z', 2),
        line('e', '2026-02-15T09:00:00Z', 4),
      ].join('\n'),
    );
    expect(r.conversations).toBe(5);
    const s = prospectSummary(r);
    expect(s).toMatchObject({ month: '2026-02', conversations: 2, ratings: 2, csat: 0.5 });
    const d = prospectDetail(r);
    expect(d.months.map((m) => [m.month, m.conversations, m.csat])).toEqual([
      ['2026-01', 3, 2 / 3],
      ['2026-02', 2, 0.5],
    ]);
    // its data ends on 15 February: that month is month to date
    expect(d.monthToDate).toBe(true);
  });

  it('names a prospect from its file, as the Estimate page suggests it before the upload', () => {
    expect(nameFromFile('/x/acme_support-export.jsonl.gz')).toBe('acme support export');
    // the page fills the name field with its own reading of the file name: the two agree
    for (const file of [
      'bank_freshdesk.csv',
      'Zendesk  tickets (Q3).JSON',
      'data.xlsx',
      'café—export\u200b.ndjson.gz',
      `${'x'.repeat(200)}.csv`,
      '.csv',
    ])
      expect(defaultProspectName(file), file).toBe(nameFromFile(file) ?? '');
  });
});

describe('pipeline from a single export file', () => {
  it.each([
    ['intercom.jsonl', 4],
    ['zendesk-tickets.json', 2],
    ['canonical.jsonl', 2],
  ])('builds a database from %s with one synthesized account', async (file, n) => {
    const bundle = await singleFileBundle(join(FIX, file), {
      vertical: 'saas',
      maxRejectRate: 0.5,
      log: () => {},
    });
    try {
      const dbPath = join(tempDir(), 'cockpit.db');
      const r = await runPipeline({ input: bundle.dir, db: dbPath, log: () => {} });
      expect(r.conversations).toBe(n);
      const db = openServingDb(dbPath);
      const accounts = db.prepare('SELECT id, name, vertical FROM accounts').all() as { vertical: string }[];
      expect(accounts.length).toBe(bundle.accounts.length);
      expect(accounts.every((a) => a.vertical === 'saas')).toBe(true);
      db.close();
    } finally {
      bundle.cleanup();
    }
  });

  it('names the account from the file and fails on too many rejects', async () => {
    const b = await singleFileBundle(join(FIX, 'intercom.jsonl'), { log: () => {} });
    expect(b.accounts).toEqual(['intercom']);
    b.cleanup();
    await expect(singleFileBundle(join(FIX, 'conversations.csv'), { log: () => {} })).rejects.toThrow(
      PipelineError,
    );
    const ok = await singleFileBundle(join(FIX, 'conversations.csv'), {
      maxRejectRate: 0.5,
      name: 'Acme CSV',
      log: () => {},
    });
    expect(ok.accounts).toEqual(['acme-csv']);
    ok.cleanup();
  });
});

describe('repeated conversation ids (SPEC §2: the last record wins)', () => {
  it('counts the conversations in a language the classifier does not read, a repeated id once', async () => {
    const line = (id: string, text: string) =>
      JSON.stringify({
        id,
        createdAt: '2026-01-10T10:00:00Z',
        aiInvolved: false,
        messages: [{ role: 'customer', text }],
      });
    const input = [
      line('en', 'Where is my parcel? It has not arrived yet.'),
      line('hi', 'mera order kab aayega, 5 din ho gaye'),
      line('es', '¿Dónde está mi pedido? Lo compré hace dos semanas'),
      line('de', 'wo ist meine bestellung, ich warte seit einer woche'),
      line('ru', 'мой заказ еще не пришел'),
      // "de" again, now in English: it counts as read
      line('de', 'I want to cancel my subscription please'),
    ].join('\n');
    const r = await estimateOf(input);
    expect(r.conversations).toBe(5);
    expect(r.unreadable).toBe(2);
    // they count in the volume, not in the topic mix
    expect(r.leaves.reduce((n, l) => n + l.conversations, 0)).toBe(3);
    expect(r.byMonth[0]!.conversations).toBe(5);
    // 2 of 5 unread: the rest is too likely misread for a potential or a roadmap
    expect(r).toMatchObject({ withheld: 'unreadable', potential: null, potentialLow: null, actions: [] });
    // 1 of 5 (20%, under the quarter): the potential of the rest, said with the count
    const fewer = await estimateOf(
      [
        line('en', 'Where is my parcel? It has not arrived yet.'),
        line('en2', 'I want to cancel my subscription please'),
        line('en3', 'how do I reset my password'),
        line('en4', 'my card payment failed twice'),
        line('es', '¿Dónde está mi pedido? Lo compré hace dos semanas'),
      ].join('\n'),
    );
    expect(fewer.unreadable).toBe(1);
    expect(fewer.withheld).toBeUndefined();
    expect(fewer.potential).not.toBeNull();
  });

  it('says when a canonical file holds several accounts, read as one export', async () => {
    const line = (id: string, accountId: string) =>
      JSON.stringify({
        id,
        accountId,
        createdAt: '2026-01-10T10:00:00Z',
        aiInvolved: false,
        messages: [{ role: 'customer', text: 'Where is my parcel?' }],
      });
    const two = await estimateOf([line('a', 'acme'), line('b', 'globex'), line('c', 'acme')].join('\n'));
    expect(two.conversations).toBe(3);
    expect(two.report.notes).toContain(
      'the file holds conversations of 2 accounts ("acme", "globex"): the estimate reads them as one prospect\'s export — estimate each account\'s conversations on their own for each one\'s figures',
    );
    const one = await estimateOf([line('a', 'acme'), line('b', 'acme')].join('\n'));
    expect(one.report.notes.some((n) => n.includes('accounts ('))).toBe(false);
  });

  it('gives no potential when half the conversations or more have no customer words', async () => {
    const line = (id: string, text: string | null) =>
      JSON.stringify({
        id,
        createdAt: '2026-01-10T10:00:00Z',
        aiInvolved: false,
        messages: text === null ? [] : [{ role: 'customer', text }],
      });
    const words = ['Where is my parcel?', 'I want a refund please', 'how do I reset my password'];
    // an empty text column, emoji only, no messages at all: no request to read
    const empty = await estimateOf(
      [line('a', ''), line('b', '📦😡🙏'), line('c', null), line('d', '?!'), line('e', words[0]!)].join('\n'),
    );
    expect(empty.noText).toBe(4);
    expect(empty).toMatchObject({ withheld: 'no_text', potential: null, potentialLow: null, actions: [] });
    expect(empty.report.notes).toContain(
      '4 conversations have no customer words (only the team’s or the AI agent’s messages, emoji, numbers or none): counted in the volume, in no topic (the topic mix is that of the conversations with words); with half the export or more so, no potential is given',
    );
    // 2 of 5: still a potential, the note says how many
    const some = await estimateOf(
      [line('a', ''), line('b', '😡'), ...words.map((w, i) => line(`w${i}`, w))].join('\n'),
    );
    expect(some.noText).toBe(2);
    expect(some.withheld).toBeUndefined();
    expect(some.potential).not.toBeNull();
    // in no topic: the mix is the three requests', as for a language not read
    expect(some.leaves.reduce((n, l) => n + l.conversations, 0)).toBe(3);
    // an order number alone is no request either; a word beside an emoji is one
    const numbers = await estimateOf(
      [line('n1', '48213'), line('n2', '#55102 !!'), line('n3', '📦 where?'), line('n4', words[1]!)].join(
        '\n',
      ),
    );
    expect(numbers.noText).toBe(2);
  });

  it('counts a repeated id once, in the leaf and month of its last record, and says so', async () => {
    const line = (id: string, createdAt: string, text: string, csat?: number) =>
      JSON.stringify({
        id,
        createdAt,
        aiInvolved: false,
        ...(csat !== undefined && { csat }),
        messages: [{ role: 'customer', text }],
      });
    const input = [
      line('a', '2026-01-10T10:00:00Z', 'Where is my parcel? It has not arrived.', 2),
      line('b', '2026-01-11T10:00:00Z', 'Where is my parcel? Still waiting.'),
      // "a" again, reopened a month later about something else and rated well
      line('a', '2026-02-10T10:00:00Z', 'How do I reset my password? The link expired.', 5),
    ].join('\n');
    const r = await estimateOf(input);
    expect(r.conversations).toBe(2);
    expect(r.byMonth).toEqual([
      { month: '2026-01', conversations: 1, ratings: 0, positiveRatings: 0, reopened: 0 },
      { month: '2026-02', conversations: 1, ratings: 1, positiveRatings: 1, reopened: 0 },
    ]);
    expect(r.leaves.reduce((n, l) => n + l.conversations, 0)).toBe(2);
    const where = r.leaves.find((l) => l.taxonomyId === 'orders.where_is_my_order');
    expect(where?.conversations).toBe(1);
    expect(where?.samples.map((s) => s.id)).toEqual(['b']);
    expect(r.report.notes).toContain('1 repeated conversation id: the last record of each was kept');
  });

  it('says when a handful of conversations is read as a month, with the span they cover', async () => {
    // a week's 12 tickets read "about 12 a month" beside their own dates, with nothing said
    const rows = Array.from(
      { length: 12 },
      (_, i) =>
        `t${i},2026-11-${String(9 + Math.floor(i / 2)).padStart(2, '0')}T10:00:00Z,where is my order ${i}`,
    );
    const r = await estimateOf(`id,created_at,text\n${rows.join('\n')}\n`);
    expect(r.report.notes).toContain(
      "only 12 dated conversations, over 6 days: too few to read a pace from, so their volumes a month count the file as one month's (export 30 or more for a volume a month from its dates)",
    );
  });

  it("reads volumes a month at a short export's own pace, and a handful of conversations as a month", async () => {
    const DAY = 24 * 3600 * 1000;
    const MONTH = 30.4375 * DAY;
    // 400 conversations evenly over two days: ~6,000 a month, not 400
    expect(400 / monthsCovered(400, 2 * DAY * (399 / 401))).toBeCloseTo((400 * MONTH) / (2 * DAY), 6);
    // a year's export is its span, scaled up by (n + 1) / (n − 1)
    expect(monthsCovered(1001, 365 * DAY)).toBeCloseTo(((365 * DAY) / MONTH) * (1002 / 1000), 9);
    // under 30 conversations, or all within an hour (a bulk import's one time): a month
    expect(monthsCovered(29, 2 * DAY)).toBe(1);
    expect(monthsCovered(60, 60_000)).toBe(1);
    expect(monthsCovered(400, 0)).toBe(1);
    // over an hour but under a day: at least a day
    expect(monthsCovered(60, 3 * 3600 * 1000)).toBeCloseTo(DAY / MONTH, 9);
    // dates without a time: 3-5 March is three days (the last one in full), not scaled
    expect(monthsCovered(400, 2 * DAY, true)).toBeCloseTo((3 * DAY) / MONTH, 12);
    const line = (i: number) =>
      JSON.stringify({
        id: `c${i}`,
        createdAt: new Date(Date.UTC(2026, 1, 10) + i * 1440 * 1000).toISOString(),
        aiInvolved: false,
        messages: [{ role: 'customer', text: 'Where is my parcel?' }],
      });
    // 120 conversations one every 24 minutes from 10 Feb, to 11 Feb 23:36
    const r = await estimateOf(Array.from({ length: 120 }, (_, i) => line(i)).join('\n'));
    expect(r.months).toBeCloseTo((119 * 1440 * 1000 * (121 / 119)) / MONTH, 9);
    expect(r.monthlyConversations).toBeCloseTo(120 / r.months, 9);
    expect(Math.round(r.monthlyConversations)).toBe(1811);
    // its page: no month-to-date pace for a month the export began in, per-month volumes on its span
    const detail = prospectDetail(r);
    expect(detail.monthToDate).toBe(false);
    expect(detail.window.monthsCovered).toBe(r.months);
  });

  it('reads the volume a month over the time the dates cover: a stray date and sampled weeks', async () => {
    const MONTH = 30.4375 * 24 * 3600 * 1000;
    const at = (i: number, ms: number) =>
      JSON.stringify({
        id: `c${i}`,
        createdAt: new Date(ms).toISOString(),
        aiInvolved: false,
        messages: [{ role: 'customer', text: 'Where is my parcel?' }],
        csat: 5,
      });
    const june = (i: number) => Date.UTC(2026, 5, 1) + i * 2 * 3600 * 1000;
    // 300 conversations every 2 hours from 1 June, and one dated 2005 (a typo in the date column)
    const lines = Array.from({ length: 300 }, (_, i) => at(i, june(i)));
    const stray = await estimateOf([...lines, at(999, Date.UTC(2005, 5, 2, 10))].join('\n'));
    const alone = await estimateOf(lines.join('\n'));
    expect(stray.from).toBe(alone.from);
    expect(stray.to).toBe(alone.to);
    expect(stray.months).toBeCloseTo(alone.months, 12);
    // all 301 still count, over the 25 days the export covers (~365 a month), not 254 months
    expect(stray.conversations).toBe(301);
    expect(Math.round(stray.monthlyConversations)).toBe(Math.round((301 * MONTH) / (alone.months * MONTH)));
    expect(stray.byMonth.map((m) => m.month)).toEqual(['2026-06']);
    expect(stray.byMonth[0]).toMatchObject({ conversations: 300, ratings: 300 });
    expect(stray.strayDates).toBe(1);
    expect(stray.periods).toBeUndefined();
    expect(stray.report.notes).toContain(
      '1 conversation is dated far from the rest of the export (2 Jun 2005, 21 years before the rest): left out of its period, months and monthly trend, still counted in its topics — check the date column',
    );
    // two sampled weeks five months apart: the two weeks, not the five months between them
    const week = (start: number, from: number) =>
      Array.from({ length: 350 }, (_, i) => at(from + i, start + i * 0.5 * 3600 * 1000));
    const weeks = await estimateOf(
      [...week(Date.UTC(2026, 0, 5), 0), ...week(Date.UTC(2026, 5, 1), 1000)].join('\n'),
    );
    const oneWeek = 349 * 0.5 * 3600 * 1000 * (351 / 349);
    expect(weeks.months).toBeCloseTo((2 * oneWeek) / MONTH, 9);
    expect(Math.round(weeks.monthlyConversations)).toBe(Math.round((700 * MONTH) / (2 * oneWeek)));
    expect(weeks.byMonth.map((m) => m.month)).toEqual(['2026-01', '2026-06']);
    expect(weeks.periods?.map((p) => p.conversations)).toEqual([350, 350]);
    expect(
      weeks.report.notes.some((n) => n.startsWith('the export holds 2 separate periods with 30+ days')),
    ).toBe(true);
    // a steady export with a quiet fortnight is one run: its volume over first to last, as before
    const quiet = await estimateOf(
      [
        ...lines.slice(0, 150),
        ...lines.slice(150).map((_, i) => at(500 + i, june(150 + i) + 14 * 86_400_000)),
      ].join('\n'),
    );
    expect(quiet.report.notes.some((n) => /separate periods|dated far/.test(n))).toBe(false);
    // a business closed for six weeks inside a year: a quiet spell, counted in its months, and its
    // closed month shown as a month of none
    const day = (d: number, i: number) =>
      at(2000 + d * 10 + i, Date.UTC(2025, 0, 1) + d * 86_400_000 + i * 3_600_000);
    const open = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, k) =>
        Array.from({ length: 3 }, (_, i) => day(from + k, i)),
      ).flat();
    const seasonal = await estimateOf([...open(0, 205), ...open(250, 365)].join('\n'));
    expect(seasonal.periods).toBeUndefined();
    expect(seasonal.months).toBeGreaterThan(11.9);
    expect(seasonal.byMonth.find((m) => m.month === '2025-08')).toMatchObject({ conversations: 0 });
  });

  it('gives the topics their share of the whole volume when some conversations are in a language not read', async () => {
    const texts = ['Where is my parcel?', 'I want a refund for my order', 'How do I reset my password?'];
    const line = (i: number, text: string) =>
      JSON.stringify({
        id: `c${i}`,
        createdAt: new Date(Date.UTC(2026, 0, 1) + i * 3600 * 1000).toISOString(),
        aiInvolved: false,
        messages: [{ role: 'customer', text }],
      });
    const lines = [
      ...Array.from({ length: 90 }, (_, i) => line(i, texts[i % 3]!)),
      ...Array.from({ length: 10 }, (_, i) =>
        line(90 + i, 'Ich habe meine Bestellung nicht bekommen und möchte wissen, wo sie ist'),
      ),
    ];
    const r = await estimateOf(lines.join('\n'));
    expect(r.unreadable).toBe(10);
    expect(r.expectedConversations).toBeGreaterThan(0);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    // the topics' volumes and gaps a month add up to the headline's, not to the read three quarters
    expect(sum(r.leaves.map((l) => l.monthlyConversations))).toBeCloseTo(r.monthlyConversations, 9);
    expect(sum(r.leaves.map((l) => l.expectedConversations))).toBeCloseTo(r.expectedConversations, 9);
    for (const l of r.leaves) expect(l.monthlyConversations).toBeCloseTo(l.share * r.monthlyConversations, 9);
  });

  it('takes the span of the data from the records kept, not from a record a later one replaced', async () => {
    const line = (id: string, createdAt: string) =>
      JSON.stringify({
        id,
        createdAt,
        aiInvolved: false,
        messages: [{ role: 'customer', text: 'Where is my parcel?' }],
      });
    const input = [
      // "a" first dated in January, then exported again in November: only November counts
      line('a', '2026-01-05T10:00:00Z'),
      line('b', '2026-11-10T10:00:00Z'),
      line('a', '2026-11-05T10:00:00Z'),
    ].join('\n');
    const r = await estimateOf(input);
    expect(r.from).toBe('2026-11-05T10:00:00.000Z');
    expect(r.to).toBe('2026-11-10T10:00:00.000Z');
    expect(r.months).toBe(1);
    expect(r.monthlyConversations).toBe(2);
    expect(r.byMonth).toEqual([
      { month: '2026-11', conversations: 2, ratings: 0, positiveRatings: 0, reopened: 0 },
    ]);
  });

  it('says how many conversations have no customer words, a repeated id once', async () => {
    const line = (id: string, messages: object[]) =>
      JSON.stringify({ id, createdAt: '2026-01-10T10:00:00Z', aiInvolved: false, messages });
    const input = [
      line('a', [{ role: 'customer', text: 'Where is my parcel?' }]),
      line('b', []),
      line('c', [{ role: 'agent', text: 'Closing this ticket due to inactivity' }]),
      line('d', [{ role: 'customer', text: '   ' }]),
      // "b" again, now with the customer's words
      line('b', [{ role: 'customer', text: 'I want a refund' }]),
    ].join('\n');
    const r = await estimateOf(input);
    expect(r.conversations).toBe(4);
    expect(r.report.notes).toContain(
      '2 conversations have no customer words (only the team’s or the AI agent’s messages, emoji, numbers or none): counted in the volume, in no topic (the topic mix is that of the conversations with words); with half the export or more so, no potential is given',
    );
    expect(r.withheld).toBe('no_text');
  });
});
