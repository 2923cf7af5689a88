import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Conversation } from '../server/domain/types.ts';
import { validateConversation } from '../server/domain/validate.ts';
import {
  collectImport,
  detectFormat,
  htmlToText,
  ImportError,
  type ImportEvent,
  type ImportOptions,
  importConversations,
  parseCsvText,
  parseDateTime,
} from '../server/importers/index.ts';

const FIX = join(import.meta.dirname, 'fixtures', 'imports');
const fixture = (name: string) => readFileSync(join(FIX, name));

async function* chunked(buf: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}
async function* once(buf: Buffer | string): AsyncGenerator<Buffer> {
  yield Buffer.isBuffer(buf) ? buf : Buffer.from(buf);
}

const opts = (extra: Partial<ImportOptions> = {}): ImportOptions => ({ accountId: 'prospect-1', ...extra });

async function run(input: Buffer | string, extra: Partial<ImportOptions> = {}) {
  const r = await collectImport(once(input), opts(extra));
  for (const c of r.conversations) {
    const v = validateConversation(c);
    expect(v.ok, v.ok ? '' : `${c.id}: ${v.reason}`).toBe(true);
  }
  return { ...r, byId: new Map(r.conversations.map((c) => [c.id, c])) };
}

async function fatal(input: Buffer | string | AsyncIterable<Buffer>, extra: Partial<ImportOptions> = {}) {
  try {
    const src = typeof input === 'string' || Buffer.isBuffer(input) ? once(input) : input;
    for await (const _ of importConversations(src, opts(extra))) {
      // drain
    }
  } catch (e) {
    expect(e).toBeInstanceOf(ImportError);
    return e as ImportError;
  }
  throw new Error('expected an ImportError');
}

describe('detectFormat', () => {
  it.each([
    ['canonical.jsonl', 'canonical'],
    ['intercom.jsonl', 'intercom'],
    ['intercom-page.json', 'intercom'],
    ['zendesk-tickets.json', 'zendesk'],
    ['zendesk-incremental.jsonl', 'zendesk'],
    ['zendesk-sideload.json', 'zendesk'],
    ['conversations.csv', 'csv'],
    ['semicolon.csv', 'csv'],
  ])('%s → %s', (file, format) => {
    expect(detectFormat(fixture(file).toString('utf8'), file).format).toBe(format);
  });

  it('reports the CSV mapping before import', () => {
    const d = detectFormat(fixture('conversations.csv').toString('utf8'));
    expect(d.mapping).toEqual({
      'Ticket ID': 'id',
      'Created At': 'createdAt',
      Description: 'text',
      Subject: 'subject',
      Resolution: 'outcome',
      'CSAT Score': 'rating',
      Channel: 'channel',
      Category: 'topic',
    });
    expect(d.ignored).toEqual(['Notes']);
  });

  it('explains what it expected when nothing matches', () => {
    const d = detectFormat('hello world\nthis is prose');
    expect(d.format).toBeNull();
    expect(d.reason).toMatch(/^could not recognise the format: expected .*Intercom.*Zendesk.*CSV/);
    expect(detectFormat('{"foo": 1}').reason).toMatch(/could not recognise the format: JSON/);
  });

  it('detects gzip input by magic bytes, whatever the name', async () => {
    const r = await run(gzipSync(fixture('intercom.jsonl')), { fileName: 'export.bin' });
    expect(r.report.format).toBe('intercom');
    expect(r.report.gzip).toBe(true);
    expect(r.report.imported).toBe(4);
  });
});

describe('canonical', () => {
  it('validates lines, fills a missing accountId, rejects bad lines with their number', async () => {
    const r = await run(fixture('canonical.jsonl'));
    expect(r.report).toMatchObject({ format: 'canonical', records: 3, imported: 2, rejected: 1 });
    expect(r.report.rejects).toEqual([{ line: 4, reason: expect.stringContaining('unknown channel "fax"') }]);
    expect(r.byId.get('k-1')!.accountId).toBe('acme');
    expect(r.byId.get('k-2')!.accountId).toBe('prospect-1');
    expect(r.byId.get('k-1')).not.toHaveProperty('createdAtMs');
  });

  it('reads .jsonl.gz', async () => {
    const r = await run(gzipSync(fixture('canonical.jsonl')), { fileName: 'conversations.jsonl.gz' });
    expect(r.report.imported).toBe(2);
  });
});

describe('intercom', () => {
  it('maps channel, roles, state, csat, reopened, timestamps (UTC) and strips HTML', async () => {
    const r = await run(fixture('intercom.jsonl'));
    const a = r.byId.get('5001')!;
    expect(a).toEqual({
      id: '5001',
      accountId: 'prospect-1',
      createdAt: '2026-03-04T10:40:00Z',
      channel: 'chat',
      aiInvolved: true,
      aiResolutionState: 'assumed_resolution',
      reopened: false,
      csat: 5,
      topic: null,
      tags: ['shipping'],
      messages: [
        {
          role: 'customer',
          text: "Hi! My parcel #A-17 hasn't arrived & it’s late.",
          at: '2026-03-04T10:40:00Z',
        },
        { role: 'ai', text: 'It left our depot today.\nTrack it here.', at: '2026-03-04T10:40:05Z' },
      ],
    } satisfies Conversation);
    expect(r.extras.get('5001')).toMatchObject({
      cxScoreRating: 4,
      cxScoreExplanation: 'Answered fast, customer satisfied.',
      teamAssigneeId: '42',
    });
    const b = r.byId.get('5002')!;
    expect(b).toMatchObject({ channel: 'email', aiResolutionState: 'escalated', reopened: true, csat: null });
    expect(b.messages.map((m) => m.role)).toEqual(['customer', 'ai', 'agent']);
    expect(b.messages[0]!.text).toBe('Refund request\nI want my money back\nfor order 12');
    expect(b.messages[2]!.text).toBe('Sure — refund issued.');
    expect(r.extras.get('5002')!.adminAssigneeId).toBe('991');
    // whatsapp → messenger; ai_agent.rating used when there is no conversation_rating
    expect(r.byId.get('5004')).toMatchObject({
      channel: 'messenger',
      aiResolutionState: 'confirmed_resolution',
      csat: 4,
    });
    expect(r.byId.get('5005')).toMatchObject({
      channel: 'phone',
      aiInvolved: false,
      aiResolutionState: null,
      csat: 2,
    });
  });

  it('leaves out preview traffic and counts it with a reason', async () => {
    const r = await run(fixture('intercom.jsonl'));
    expect(r.report).toMatchObject({ records: 6, imported: 4, skipped: 2, rejected: 0 });
    expect(r.report.skippedReasons).toEqual({
      'preview traffic (ai_agent.source_type=fin_preview)': 1,
      'preview traffic (ai_agent.source_type=workflow_preview)': 1,
    });
    expect(r.byId.has('5003')).toBe(false);
  });

  it('streams a pretty-printed conversation.list page', async () => {
    const r = await run(fixture('intercom-page.json'));
    expect(r.conversations.map((c) => c.id)).toEqual(['7001', '7002']);
    expect(r.byId.get('7001')).toMatchObject({
      channel: 'messenger',
      aiResolutionState: 'negative_feedback',
    });
    expect(r.byId.get('7002')!.messages.map((m) => m.role)).toEqual(['agent', 'customer']);
  });

  it('streams a page written on one line longer than maxLineBytes', async () => {
    const page = JSON.parse(fixture('intercom-page.json').toString());
    const line = `${JSON.stringify(page)}\n${JSON.stringify(page)}\n`;
    const r = await run(line, { maxLineBytes: 600 });
    expect(r.report.imported).toBe(4);
    expect(r.report.rejected).toBe(0);
  });
});

describe('zendesk', () => {
  it('maps a {"tickets":[…]} page with comments', async () => {
    const r = await run(fixture('zendesk-tickets.json'));
    expect(r.report).toMatchObject({
      imported: 2,
      skipped: 1,
      skippedReasons: { 'deleted ticket (status=deleted)': 1 },
    });
    const t = r.byId.get('301')!;
    expect(t).toMatchObject({
      createdAt: '2026-02-10T14:05:00Z',
      channel: 'email',
      aiInvolved: false,
      aiResolutionState: null,
      csat: 5,
      reopened: false,
      tags: ['login', 'web'],
    });
    // private comment dropped; requester → customer, others → agent; offset converted to UTC
    expect(t.messages).toEqual([
      {
        role: 'customer',
        text: 'Cannot log in\nI reset my password twice and still cannot log in.',
        at: '2026-02-10T14:05:00Z',
      },
      { role: 'agent', text: 'Your account was locked; I unlocked it.', at: '2026-02-10T14:00:00Z' },
    ]);
    expect(r.byId.get('302')).toMatchObject({ channel: 'phone', csat: 1, reopened: true });
    expect(r.byId.get('302')!.messages[0]!.text).toBe(
      'Call about invoice\nCustomer called about a double charge.',
    );
  });

  it('reads the NDJSON incremental export; offered/unoffered ratings are no rating', async () => {
    const r = await run(fixture('zendesk-incremental.jsonl'));
    expect(r.conversations.map((c) => [c.id, c.channel, c.csat])).toEqual([
      ['401', 'chat', null],
      ['402', 'social', null],
      ['403', 'chat', null],
    ]);
  });

  it('attaches side-loaded users and comments', async () => {
    const r = await run(fixture('zendesk-sideload.json'));
    expect(r.byId.get('501')!.messages).toEqual([
      { role: 'customer', text: 'Payment failed\nMy card was declined.', at: '2026-02-01T10:00:00Z' },
      { role: 'agent', text: 'Please try again – it works now.', at: '2026-02-01T10:05:00Z' },
    ]);
  });

  it('reads a plain JSON array of tickets', async () => {
    const tickets = (JSON.parse(fixture('zendesk-tickets.json').toString()) as { tickets: unknown[] })
      .tickets;
    const r = await run(JSON.stringify(tickets, null, 2));
    expect(r.report).toMatchObject({ format: 'zendesk', imported: 2, skipped: 1 });
  });
});

describe('csv', () => {
  it('maps aliases, quoted multi-line fields, dates, outcomes and ratings', async () => {
    const r = await run(fixture('conversations.csv'));
    expect(r.report.mapping).toMatchObject({
      'Ticket ID': 'id',
      Resolution: 'outcome',
      'CSAT Score': 'rating',
    });
    expect(r.report).toMatchObject({ records: 6, imported: 4, rejected: 2 });
    expect(r.byId.get('T-1')).toMatchObject({
      createdAt: '2026-03-01T09:15:00Z',
      channel: 'chat',
      aiInvolved: true,
      aiResolutionState: 'assumed_resolution',
      csat: 5,
      topic: 'Shipping',
      messages: [
        { role: 'customer', text: 'Late parcel\nMy parcel is late,\nand the tracking page says "unknown".' },
      ],
    });
    expect(r.byId.get('T-2')).toMatchObject({
      createdAt: '2026-03-01T08:00:00Z',
      channel: 'email',
      aiResolutionState: 'escalated',
      csat: 2,
    });
    // "solved" is a helpdesk status, not an AI outcome
    expect(r.byId.get('T-3')).toMatchObject({
      createdAt: '2026-03-01T13:00:00Z',
      aiInvolved: false,
      aiResolutionState: null,
    });
    expect(r.byId.get('T-4')).toMatchObject({
      createdAt: '2026-03-01T13:00:00Z',
      channel: 'messenger',
      csat: 5,
    });
    expect(r.report.rejects).toEqual([
      { line: 7, reason: expect.stringMatching(/^invalid date "03\/01\/2026"/) },
      { line: 8, reason: 'expected 9 columns, found 4' },
    ]);
    expect(r.report.notes.join('\n')).toMatch(/outcome "solved" is not an AI resolution state/);
  });

  it('sniffs the delimiter and handles LF files', async () => {
    const r = await run(fixture('semicolon.csv'));
    expect(r.conversations.map((c) => c.messages[0]!.text)).toEqual([
      'Hallo, ich brauche Hilfe',
      'zweite\nZeile',
    ]);
    expect(r.report.notes.join('\n')).toMatch(/no outcome column/);
  });

  it('parses quoted fields', () => {
    expect(parseCsvText('a,"b ""q"", c",\n"x\ny",2,3\n')).toEqual([
      ['a', 'b "q", c', ''],
      ['x\ny', '2', '3'],
    ]);
  });

  it('fails clearly when required columns are missing', async () => {
    const e = await fatal('foo,bar\n1,2\n', { fileName: 'x.csv' });
    expect(e.code).toBe('MISSING_COLUMNS');
    expect(e.message).toMatch(/no column for created time .* and text/);
  });

  it('rejects an unterminated quote with the line it opened on', async () => {
    const r = await run('id,created_at,text\n1,2026-01-01,ok\n2,2026-01-02,"never closed\nmore\n');
    expect(r.report.imported).toBe(1);
    expect(r.report.rejects).toEqual([
      { line: 3, reason: expect.stringContaining('quote opened on line 3 is never closed') },
    ]);
  });
});

describe('bad input', () => {
  it('empty file', async () => {
    expect((await fatal('')).code).toBe('EMPTY');
    expect((await fatal(' \n\n ')).code).toBe('EMPTY');
    expect((await fatal(gzipSync(Buffer.alloc(0)))).message).toMatch(/empty once decompressed/);
    expect((await fatal('id,created_at,text\n')).message).toBe('the CSV has a header row but no data rows');
  });

  it('binary file', async () => {
    const e = await fatal(Buffer.from([0x00, 0x01, 0x02, 0xff, 0x00, 0x10, 0x80, 0x00, 0x9f]));
    expect(e.code).toBe('BINARY');
    expect(e.message).toMatch(/^not a text file/);
    const zip = await fatal(Buffer.from('PK\x03\x04 rest of zip', 'latin1'));
    expect(zip.message).toMatch(/not a text file: .*Excel/);
  });

  it('invalid UTF-8 (Latin-1) names the line', async () => {
    const e = await fatal(Buffer.from('id,created_at,text\n1,2026-01-01,caf\xe9\n', 'latin1'));
    expect(e.code).toBe('ENCODING');
    expect(e.message).toMatch(/invalid UTF-8 on line 2.*save it as UTF-8/);
    expect(e.line).toBe(2);
  });

  it('invalid UTF-8 after the first 64 KB rejects only that line', async () => {
    const good = Array.from({ length: 2000 }, (_, i) => `${i},2026-01-01,hello there number ${i}`).join('\n');
    const buf = Buffer.concat([
      Buffer.from(`id,created_at,text\n${good}\n`),
      Buffer.from('9999,2026-01-01,caf\xe9\n', 'latin1'),
      Buffer.from('10000,2026-01-01,fine\n'),
    ]);
    const r = await run(buf);
    expect(r.report.imported).toBe(2001);
    expect(r.report.rejects).toEqual([{ line: 2002, reason: 'not valid UTF-8 text' }]);
  });

  it('UTF-16 with a BOM is decoded (and noted)', async () => {
    const text = fixture('semicolon.csv').toString('utf8');
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const r = await run(le);
    expect(r.report.encoding).toBe('utf-16le');
    expect(r.report.notes[0]).toMatch(/decoded from UTF-16LE/);
    expect(r.conversations).toHaveLength(2);
    const be = Buffer.from(le);
    be.swap16();
    expect((await run(be)).report.encoding).toBe('utf-16be');
    // without a BOM
    expect((await run(Buffer.from(text, 'utf16le'))).conversations).toHaveLength(2);
  });

  it('unknown format', async () => {
    const e = await fatal('Dear team,\nplease find attached.\n');
    expect(e.code).toBe('UNKNOWN_FORMAT');
    expect(e.message).toMatch(/^could not recognise the format: expected/);
  });

  it('a line over maxLineBytes is rejected with its number', async () => {
    const lines = fixture('intercom.jsonl').toString().trim().split('\n');
    const big = JSON.parse(lines[1]!);
    big.source.body = `<p>${'x'.repeat(5000)}</p>`;
    lines[1] = JSON.stringify(big);
    const r = await run(`${lines.join('\n')}\n`, { maxLineBytes: 4096 });
    expect(r.report.rejects).toEqual([
      { line: 2, reason: expect.stringMatching(/too large: \d+ bytes, over the 4096-byte limit/) },
    ]);
    expect(r.report.imported).toBe(3);
    // same for canonical lines and CSV rows
    const c = await run(`${fixture('canonical.jsonl').toString()}{"id":"${'y'.repeat(5000)}"}\n`, {
      maxLineBytes: 1024,
    });
    expect(c.report.rejects.at(-1)).toEqual({ line: 5, reason: expect.stringContaining('too large') });
    const v = await run(`id,created_at,text\n1,2026-01-01,${'z'.repeat(3000)}\n2,2026-01-01,ok\n`, {
      maxLineBytes: 1024,
    });
    expect(v.report.rejects).toEqual([
      { line: 2, reason: expect.stringMatching(/line is too long: 2\.\d KB, over the 1 KB limit/) },
    ]);
    expect(v.report.imported).toBe(1);
  });

  it('broken JSON lines are rejected with their number, the rest imported', async () => {
    const lines = fixture('zendesk-incremental.jsonl').toString().trim().split('\n');
    lines.splice(1, 0, '{"id": 999, "created_at": "2026-01-01T00:00:00Z", "subject": "cut off');
    lines.splice(3, 0, 'not json at all');
    const r = await run(`${lines.join('\n')}\n`);
    expect(r.report.imported).toBe(3);
    expect(r.report.rejects.map((x) => x.line)).toEqual([2, 4]);
    expect(r.report.rejects[0]!.reason).toMatch(/^invalid JSON/);
  });

  it('a truncated JSON document is reported', async () => {
    const text = fixture('intercom-page.json').toString();
    const r = await run(text.slice(0, text.lastIndexOf('"conversation_parts"')));
    expect(r.report.imported).toBe(1);
    expect(r.report.rejects).toEqual([
      { line: 20, reason: 'unexpected end of file: the JSON value starting on line 20 is incomplete' },
    ]);
  });

  it('corrupt gzip', async () => {
    const gz = gzipSync(Buffer.from(fixture('intercom.jsonl').toString().repeat(50)));
    const e = await fatal(gz.subarray(0, gz.length - 200));
    expect(e.code).toBe('GZIP');
    expect(e.message).toMatch(/gzip data is corrupt or truncated/);
  });

  it('too many errors: the wrong kind of file stops early', async () => {
    const lines = Array.from({ length: 500 }, (_, i) =>
      JSON.stringify({ type: 'conversation', nope: i }),
    ).join('\n');
    const e = await fatal(lines);
    expect(e.code).toBe('TOO_MANY_ERRORS');
    expect(e.message).toMatch(/first 200 records were all rejected .* line 1: missing conversation "id"/);
    const e2 = await fatal(`${fixture('canonical.jsonl')}${'{}\n'.repeat(20)}`, { maxRejects: 10 });
    expect(e2.code).toBe('TOO_MANY_ERRORS');
  });
});

describe('streaming', () => {
  it.each([
    'canonical.jsonl',
    'intercom.jsonl',
    'intercom-page.json',
    'zendesk-tickets.json',
    'zendesk-incremental.jsonl',
    'zendesk-sideload.json',
    'conversations.csv',
    'semicolon.csv',
  ])('%s gives the same result fed 1, 7 or 4096 bytes at a time', async (file) => {
    const whole = await collectImport(once(fixture(file)), opts());
    for (const size of [1, 7, 4096]) {
      const r = await collectImport(chunked(fixture(file), size), opts());
      expect(r.conversations).toEqual(whole.conversations);
      expect(r.report.rejects).toEqual(whole.report.rejects);
    }
  });

  it('emits progress events and a final report', async () => {
    const lines = Array.from({ length: 120 }, (_, i) => `${i},2026-01-01,text ${i}`).join('\n');
    const events: ImportEvent['type'][] = [];
    for await (const ev of importConversations(
      once(`id,created_at,text\n${lines}\n`),
      opts({ progressEvery: 50 }),
    ))
      events.push(ev.type);
    expect(events.filter((t) => t === 'progress').length).toBeGreaterThanOrEqual(2);
    expect(events.at(-1)).toBe('report');
  });

  it('can be cancelled with an AbortSignal', async () => {
    const ctrl = new AbortController();
    const line = fixture('intercom.jsonl').toString().split('\n')[0]!;
    async function* endless() {
      for (;;) yield Buffer.from(`${line}\n`.repeat(100));
    }
    let seen = 0;
    const e = await (async () => {
      try {
        for await (const ev of importConversations(endless(), opts({ signal: ctrl.signal }))) {
          if (ev.type === 'conversation' && ++seen === 250) ctrl.abort();
        }
      } catch (err) {
        return err as ImportError;
      }
      return null;
    })();
    expect(e).toBeInstanceOf(ImportError);
    expect(e!.code).toBe('ABORTED');
    expect(seen).toBeLessThan(400);
  });
});

describe('helpers', () => {
  it('htmlToText', () => {
    expect(htmlToText('<p>One &amp; two</p><p>Three<br/>four</p><ul><li>a</li><li>b</li></ul>')).toBe(
      'One & two\nThree\nfour\n- a\n- b',
    );
    expect(htmlToText('a < b &#x41;&#66; &nbsp;x<script>alert(1)</script>')).toBe('a < b AB x');
  });

  it('parseDateTime', () => {
    expect(parseDateTime('2026-03-01 09:15')).toBe('2026-03-01T09:15:00Z');
    expect(parseDateTime('2026-03-01T09:15:07.250+02:00')).toBe('2026-03-01T07:15:07.250Z');
    expect(parseDateTime('1772370000')).toBe('2026-03-01T13:00:00Z');
    expect(parseDateTime('1772370000000')).toBe('2026-03-01T13:00:00Z');
    expect(parseDateTime('2026-02-30')).toBeNull();
    expect(parseDateTime('01/03/2026')).toBeNull();
    // other systems' spellings, read by the same core as canonical timestamps
    expect(parseDateTime('2026/03/01 09:15 UTC')).toBe('2026-03-01T09:15:00Z');
    expect(parseDateTime('2026-03-01 09:15:00 +0100')).toBe('2026-03-01T08:15:00Z');
    expect(parseDateTime('2026-03-01T25:15')).toBeNull();
  });
});

describe('canonical lines without AI fields (a prospect export)', () => {
  it('imports them as not involved', async () => {
    const { collectImport } = await import('../server/importers/index.ts');
    const line = JSON.stringify({
      id: 'p1',
      createdAt: '2026-05-01T10:00:00Z',
      channel: 'chat',
      messages: [{ role: 'customer', text: 'where is my parcel' }],
    });
    const { Readable } = await import('node:stream');
    const { conversations } = await collectImport(Readable.from([Buffer.from(`${line}\n`)]), {
      accountId: 'prospect',
      format: 'canonical',
    });
    expect(conversations).toHaveLength(1);
    expect(conversations[0]).toMatchObject({
      id: 'p1',
      accountId: 'prospect',
      aiInvolved: false,
      aiResolutionState: null,
    });
  });
});

describe('detection of canonical lines without accountId', () => {
  it('recognises createdAt + messages as canonical', async () => {
    const { detectFormat } = await import('../server/importers/index.ts');
    const head =
      '{"id":"1","createdAt":"2026-01-01T00:00:00Z","messages":[{"role":"customer","text":"hi"}]}\n';
    expect(detectFormat(head).format).toBe('canonical');
  });
});
