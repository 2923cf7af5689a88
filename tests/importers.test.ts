import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { plausibleWindow } from '../server/domain/time.ts';
import type { Conversation } from '../server/domain/types.ts';
import { validateConversation } from '../server/domain/validate.ts';
import { csvRating } from '../server/importers/csv.ts';
import { FLUSH_AFTER_ROWS, MAX_MESSAGES } from '../server/importers/csv-messages.ts';
import { looksLikeJsonLines } from '../server/importers/detect.ts';
import {
  collectImport,
  detectFormat,
  htmlToText,
  ImportError,
  type ImportEvent,
  type ImportOptions,
  importConversations,
  mapCsvHeader,
  parseCsvText,
  parseDateTime,
} from '../server/importers/index.ts';
import { withSubject } from '../server/importers/text.ts';

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

  it('takes a one-column list of requests under a text header, with or without a file name', () => {
    const list = 'utterance\nwhere is my order\ncancel my subscription\n';
    for (const name of [undefined, 'requests.csv', 'upload']) {
      const d = detectFormat(list, name);
      expect(d.format).toBe('csv');
      expect(d.mapping).toEqual({ utterance: 'text' });
      expect(d.undated).toBe(true);
    }
    // one word alone is not a file of requests
    expect(detectFormat('hello\n').format).toBeNull();
    expect(detectFormat('text\n').format).toBeNull();
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

  it('recognises files whose first 64 KB hold no ticket and no accountId', async () => {
    // Zendesk side-loads written before the tickets, as the importer's own note asks for
    const users = Array.from({ length: 900 }, (_, i) => ({ id: 5000 + i, role: 'end-user', name: 'Cust' }));
    const comments = Array.from({ length: 600 }, (_, i) => ({
      id: i,
      ticket_id: 1 + (i % 300),
      author_id: 5000 + (i % 900),
      public: true,
      body: 'Hello, my order has not arrived yet',
    }));
    const zendesk = JSON.stringify({ users, comments, tickets: [] }, null, 2);
    expect(zendesk.indexOf('"tickets"')).toBeGreaterThan(64 * 1024);
    expect(detectFormat(zendesk.slice(0, 64 * 1024), 'export.json').format).toBe('zendesk');
    expect(detectFormat(JSON.stringify({ users: users.slice(0, 50) })).format).toBe('zendesk');
    expect(detectFormat(JSON.stringify({ comments: comments.slice(0, 50) })).format).toBe('zendesk');
    // a generic author_id is not Zendesk: canonical lines without accountId whose messages carry one
    const canonicalLine = JSON.stringify({
      id: 'c1',
      createdAt: '2026-07-31T10:00:00Z',
      messages: [{ role: 'customer', text: 'where is my order', author_id: 7 }],
    });
    expect(detectFormat(canonicalLine).format).toBe('canonical');
    // an author_id elsewhere is not Zendesk: flat records with a text field, read by their keys
    expect(detectFormat('{"items":[{"id":1,"author_id":2,"body":"x"}]}').format).toBe('records');
    expect(detectFormat('{"items":[{"id":1,"author_id":2,"score":3}]}').format).toBeNull();
    // nor is a chat-model transcript canonical
    expect(detectFormat('{"messages":[{"role":"system","content":"You are a bot"}]}').format).toBeNull();
    // a canonical line whose messages come first and run past the head
    const thread = 'Earlier in this thread, about the delayed parcel and the refund. '.repeat(1500);
    const line = JSON.stringify({
      messages: [{ role: 'customer', text: `${thread} Where is my refund?` }],
      id: 'long-1',
      createdAt: '2026-07-31T10:00:00Z',
      channel: 'email',
      aiInvolved: false,
      aiResolutionState: null,
    });
    expect(line.indexOf('"createdAt"')).toBeGreaterThan(64 * 1024);
    expect(detectFormat(line.slice(0, 64 * 1024), 'x.jsonl').format).toBe('canonical');
    const r = await run(`${line}\n`);
    expect(r.report).toMatchObject({ format: 'canonical', imported: 1 });
  });

  it('says the top of a file is blank rather than that the file is empty', () => {
    expect(detectFormat(`${'\n'.repeat(70_000)}`).reason).toMatch(/^the first 64 KB of the file are blank/);
    expect(detectFormat('\n\n  \n').reason).toBe('the file is empty');
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
  it('leaves out a part without an author instead of reading it as a human agent', async () => {
    const convo = {
      type: 'conversation',
      id: '7001',
      created_at: 1772620800,
      source: {
        type: 'conversation',
        delivered_as: 'customer_initiated',
        body: '<p>Where is my parcel?</p>',
        author: { type: 'user', id: 'u1' },
      },
      ai_agent_participated: true,
      conversation_parts: {
        type: 'conversation_part.list',
        conversation_parts: [
          {
            type: 'conversation_part',
            part_type: 'comment',
            body: '<p>It ships today.</p>',
            created_at: 1772620805,
            author: null,
          },
          {
            type: 'conversation_part',
            part_type: 'comment',
            body: '<p>Thanks</p>',
            created_at: 1772620900,
            author: { type: 'user', id: 'u1' },
          },
        ],
      },
    };
    const r = await run(`${JSON.stringify(convo)}\n`);
    expect(r.byId.get('7001')!.messages.map((m) => m.role)).toEqual(['customer', 'customer']);
    expect(r.report.notes.some((n) => n.includes('part without an author'))).toBe(true);
  });

  it("leaves out a workflow bot's lines where the export says Fin took no part, so no AI agent is counted", async () => {
    const part = (body: string, type: string, at: number) => ({
      type: 'conversation_part',
      part_type: 'comment',
      body,
      created_at: at,
      author: { type, id: type },
    });
    const convo = (id: string, participated: boolean | undefined) => ({
      type: 'conversation',
      id,
      created_at: 1772620800,
      source: {
        type: 'conversation',
        body: '<p>Hi there, how can we help?</p>',
        author: { type: 'bot', id: 'b' },
      },
      ...(participated !== undefined && { ai_agent_participated: participated }),
      conversation_parts: [
        part('<p>my pipe burst, I need to claim</p>', 'user', 1772620810),
        part('<p>Pick a topic</p>', 'bot', 1772620811),
      ],
    });
    const r = await run(
      [convo('1', false), convo('2', true), convo('3', undefined)].map((c) => JSON.stringify(c)).join('\n'),
    );
    expect(r.byId.get('1')!.messages.map((m) => m.role)).toEqual(['customer']);
    expect(r.byId.get('1')!.aiInvolved).toBe(false);
    // Fin's own lines, and a bot in an export that does not say, stay the AI agent's
    expect(r.byId.get('2')!.messages.map((m) => m.role)).toEqual(['ai', 'customer', 'ai']);
    expect(r.byId.get('3')!.messages.map((m) => m.role)).toEqual(['ai', 'customer', 'ai']);
    expect(r.report.notes).toContain(
      'Intercom: a workflow bot’s messages in conversations Fin took no part in were left out (not the AI agent’s) (2×)',
    );
  });

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
  it('puts comments in time order (a sort_order=desc list is newest first), stable for equal or missing times', async () => {
    const c = (id: number, author: number, text: string, at?: string) => ({
      id,
      author_id: author,
      public: true,
      plain_body: text,
      ...(at && { created_at: at }),
    });
    const line = JSON.stringify({
      ticket: { id: 77, created_at: '2026-03-01T10:00:00Z', requester_id: 5, via: { channel: 'email' } },
      comments: [
        c(4, 5, 'Thanks, it works', '2026-03-01T12:00:00Z'),
        c(3, 9, 'Anything else?'),
        c(2, 9, 'Use the reset link', '2026-03-01T11:00:00Z'),
        c(5, 9, 'Also check spam', '2026-03-01T11:00:00Z'),
        c(1, 5, 'I cannot log in', '2026-03-01T10:00:00Z'),
      ],
    });
    const r = await run(`${line}\n`, { format: 'zendesk' });
    expect(r.byId.get('77')!.messages.map((m) => [m.role, m.text])).toEqual([
      ['customer', 'I cannot log in'],
      ['agent', 'Use the reset link'],
      ['agent', 'Also check spam'],
      ['customer', 'Thanks, it works'],
      ['agent', 'Anything else?'],
    ]);
  });

  it('takes only the tickets of a search result that mixes in users and organizations', async () => {
    const ticket = (id: number) => ({
      id,
      result_type: 'ticket',
      created_at: '2026-03-01T10:00:00Z',
      subject: 'Where is my order',
      description: 'It has not arrived yet',
      status: 'open',
      requester_id: 42,
      via: { channel: 'web' },
    });
    const body = JSON.stringify({
      results: [
        ticket(1),
        { id: 900, result_type: 'user', created_at: '2025-01-01T00:00:00Z', name: 'A customer' },
        ticket(2),
        { id: 901, result_type: 'organization', created_at: '2025-01-01T00:00:00Z', name: 'Acme' },
      ],
    });
    const r = await run(body);
    expect(r.report).toMatchObject({ imported: 2, skipped: 2, rejected: 0 });
    expect([...r.byId.keys()].sort()).toEqual(['1', '2']);
    // a user whose id is a ticket's id leaves that ticket's side-loaded comments to it
    const mixed = JSON.stringify({
      comments: [{ id: 1, ticket_id: 3, author_id: 42, public: true, body: 'My refund is missing' }],
      results: [
        { id: 3, result_type: 'user', created_at: '2025-01-01T00:00:00Z', name: 'Same id' },
        { ...ticket(3), description: 'the description' },
      ],
    });
    const m = await run(mixed);
    expect(m.byId.get('3')!.messages.map((x) => x.text)).toEqual(['Where is my order\nMy refund is missing']);
  });

  it('reads a ticket saved with its own comments and users on one line, as GET /tickets/{id} and /comments give them', async () => {
    const saved = (id: number, reply: string, withTicketId: boolean) =>
      JSON.stringify({
        ticket: {
          id,
          created_at: '2026-02-03T09:15:00+01:00',
          subject: 'Refund for order 889',
          description: 'The jacket is the wrong size, I would like a refund.',
          status: 'solved',
          requester_id: 9001,
          via: { channel: 'email' },
        },
        comments: [
          {
            id: 1,
            author_id: 9001,
            public: true,
            body: 'The jacket is the wrong size, I would like a refund.',
          },
          { id: 2, author_id: 7001, public: true, body: reply },
          { id: 3, author_id: 7001, public: false, body: 'internal: approve' },
        ].map((c) => (withTicketId ? { ...c, ticket_id: id } : c)),
        users: [{ id: 7001, role: 'agent' }],
      });
    const r = await run(
      `${saved(5001, 'I have issued the refund.', false)}\n${saved(5002, 'Refund sent.', true)}\n`,
    );
    expect(r.report).toMatchObject({ imported: 2, rejected: 0 });
    expect(r.byId.get('5001')!.messages.map((m) => [m.role, m.text])).toEqual([
      ['customer', 'Refund for order 889\nThe jacket is the wrong size, I would like a refund.'],
      ['agent', 'I have issued the refund.'],
    ]);
    expect(r.byId.get('5002')!.messages.map((m) => m.role)).toEqual(['customer', 'agent']);
  });

  it('leaves out the subjects and call details Zendesk writes itself, and splits chat transcripts by speaker', async () => {
    const ticket = (id: number, subject: string, description: string, extra: object = {}) => ({
      id,
      created_at: '2026-04-10T14:00:00Z',
      subject,
      description,
      requester_id: 1,
      via: { channel: 'voice' },
      ...extra,
    });
    const page = JSON.stringify({
      tickets: [
        ticket(
          1,
          'Call from: +49 30 123',
          'Inbound call from +49 30 123\nCall Details:\n\nCall from: +49 30 123\nTime of call: April 10, 2026 02:00:00 PM\nLength of phone call: 3 minutes',
        ),
        ticket(
          2,
          'Chat with Visitor 8812',
          'Visitor: how do I reset my password\nAgent: click forgot password',
        ),
        ticket(3, 'Conversation with Web User 64f1', 'Can I change the delivery address?'),
        ticket(4, 'Lamp', 'Order: 55102\nStatus: lost'),
        ticket(5, 'Chat', '', {
          comments: [
            {
              author_id: 1,
              public: true,
              body: '(10:00:01) Visitor: my discount code SAVE10 is not accepted\n(10:00:30) Jane: let me check',
            },
          ],
        }),
        // speakers with their role in brackets
        ticket(
          6,
          'Chat',
          '(08:04:00 PM) Sam (customer): the app crashes on login\n(08:04:30 PM) Alex (agent): which version?',
        ),
        ticket(7, 'Chat', 'Alex (agent): hello, how can I help\nSam Lee (visitor): my refund is missing'),
        // Zendesk Chat's transcript: its header and "*** … joined the chat ***" lines are not turns
        ticket(
          8,
          'Chat with Visitor 88123',
          'Chat started: 2024-05-03 10:00 AM UTC\n\n(10:00:03 AM) Visitor 88123: where is my parcel\n(10:00:40 AM) *** Sam joined the chat ***\n(10:01:10 AM) Sam: I have opened a claim with the courier.\n(10:01:50 AM) Visitor 88123: ok thanks',
        ),
        ticket(
          9,
          'Conversation with Web User 64f1',
          'Conversation with Web User 64f1\n\nURL: https://shop.example/help\n\n(10:00:03 AM) Web User 64f1: can I pay in instalments?\n(10:00:20 AM) Bot: Yes, in three.',
        ),
      ],
    });
    const r = await run(page, { fileName: 'tickets.json' });
    const texts = (id: string) => r.byId.get(id)!.messages.map((m) => [m.role, m.text]);
    expect(texts('1')).toEqual([]);
    expect(texts('2')).toEqual([
      ['customer', 'how do I reset my password'],
      ['agent', 'click forgot password'],
    ]);
    expect(texts('3')).toEqual([['customer', 'Can I change the delivery address?']]);
    expect(texts('4')).toEqual([['customer', 'Lamp\nOrder: 55102\nStatus: lost']]);
    expect(texts('5')).toEqual([
      ['customer', 'my discount code SAVE10 is not accepted'],
      ['agent', 'let me check'],
    ]);
    expect(texts('6')).toEqual([
      ['customer', 'the app crashes on login'],
      ['agent', 'which version?'],
    ]);
    expect(texts('7')).toEqual([
      ['agent', 'hello, how can I help'],
      ['customer', 'my refund is missing'],
    ]);
    expect(texts('8')).toEqual([
      ['customer', 'where is my parcel'],
      ['agent', 'I have opened a claim with the courier.'],
      ['customer', 'ok thanks'],
    ]);
    expect(texts('9')).toEqual([
      ['customer', 'can I pay in instalments?'],
      ['ai', 'Yes, in three.'],
    ]);
    // customers' own subjects and messages that only look like those stay whole
    const own = JSON.stringify({
      tickets: [
        ticket(11, 'Call from my bank asking for my PIN', 'Is that you?'),
        ticket(12, 'Chat with agent was disconnected', 'It cut off'),
        ticket(13, 'Voicemail', 'Voicemail not working since the update', { via: { channel: 'email' } }),
        ticket(14, 'Missed call', 'Missed call from your driver, please call me back'),
        ticket(15, 'Form', 'Customer name: John\nOrder number: 55102\nIssue: the parcel never arrived'),
        ticket(16, 'Chat', '(10:00) Acme Support: Hi!\n(10:01) Visitor 8812: where is my order'),
      ],
    });
    const o = await run(own, { fileName: 'tickets.json' });
    const first = (id: string) => o.byId.get(id)!.messages.map((m) => [m.role, m.text]);
    expect(first('11')).toEqual([['customer', 'Call from my bank asking for my PIN\nIs that you?']]);
    expect(first('12')).toEqual([['customer', 'Chat with agent was disconnected\nIt cut off']]);
    expect(first('13')).toEqual([['customer', 'Voicemail not working since the update']]);
    expect(first('14')).toEqual([['customer', 'Missed call from your driver, please call me back']]);
    expect(first('15')).toEqual([
      ['customer', 'Form\nCustomer name: John\nOrder number: 55102\nIssue: the parcel never arrived'],
    ]);
    expect(first('16')).toEqual([
      ['agent', 'Hi!'],
      ['customer', 'where is my order'],
    ]);
  });

  it('reads the description, as text, when a ticket has no public comment', async () => {
    const base = {
      created_at: '2026-03-01T10:00:00Z',
      status: 'open',
      requester_id: 42,
      via: { channel: 'email' },
    };
    const body = JSON.stringify({
      tickets: [
        { ...base, id: 11, description: "<p>I'd like a refund for order 2</p>" },
        { ...base, id: 12, description: 'Where is my order?', comments: [] },
        { ...base, id: 13, description: 'Cancel my plan', comments: [{ public: false, body: 'internal' }] },
      ],
    });
    const r = await run(body);
    expect(r.byId.get('11')!.messages[0]!.text).toBe("I'd like a refund for order 2");
    expect(r.byId.get('12')!.messages[0]!.text).toBe('Where is my order?');
    expect(r.byId.get('13')!.messages[0]!.text).toBe('Cancel my plan');
  });

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
      { role: 'agent', text: 'Your account was locked; I unlocked it.', at: '2026-02-10T15:00:00Z' },
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
    // the comments of a deleted ticket are not reported as having come after their ticket
    const withDeleted = JSON.stringify({
      comments: [
        { id: 1, ticket_id: 7, author_id: 1, public: true, body: 'hello' },
        { id: 2, ticket_id: 8, author_id: 1, public: true, body: 'where is my order' },
      ],
      tickets: [
        { id: 7, status: 'deleted', created_at: '2026-02-01T10:00:00Z', requester_id: 1 },
        { id: 8, status: 'open', created_at: '2026-02-01T10:00:00Z', requester_id: 1 },
      ],
    });
    const d = await run(withDeleted, { fileName: 'tickets.json' });
    expect(d.report).toMatchObject({ imported: 1, skipped: 1 });
    expect(d.report.notes.join('\n')).not.toMatch(/came after/);
  });

  it('attaches comments that come after their tickets in a page split while streaming', async () => {
    // a pretty-printed page, and the same page on one line over the 1 MB line cap, with the
    // side-loads last as some exporters write them
    const tickets = Array.from({ length: 600 }, (_, i) => ({
      id: 9000 + i,
      status: 'solved',
      created_at: '2026-02-01T10:00:00Z',
      requester_id: 1,
      subject: `Order ${i} has not arrived`,
      description: `Order ${i} has not arrived yet, it is a week late. ${'Details. '.repeat(200)}`,
      via: { channel: 'email' },
    }));
    const comments = tickets.map((t) => ({
      id: t.id,
      ticket_id: t.id,
      author_id: 2,
      public: true,
      body: 'It ships today.',
    }));
    const page = { tickets, comments, users: [{ id: 2, role: 'agent' }] };
    for (const text of [JSON.stringify(page, null, 2), `${JSON.stringify(page)}\n`]) {
      expect(text.length).toBeGreaterThan(1024 * 1024);
      const r = await run(text, { fileName: 'tickets.json' });
      expect(r.report.imported).toBe(600);
      const replied = r.conversations.filter((c) => c.messages.some((m) => m.role === 'agent'));
      expect(replied).toHaveLength(600);
      expect(r.report.notes.join('\n')).not.toMatch(/came after/);
    }
  });

  it('reads a plain JSON array of tickets', async () => {
    const tickets = (JSON.parse(fixture('zendesk-tickets.json').toString()) as { tickets: unknown[] })
      .tickets;
    const r = await run(JSON.stringify(tickets, null, 2));
    expect(r.report).toMatchObject({ format: 'zendesk', imported: 2, skipped: 1 });
  });

  it('reads tags given as one space-separated string, as Zendesk’s own exports write them', async () => {
    const page = JSON.parse(fixture('zendesk-tickets.json').toString()) as {
      tickets: Record<string, unknown>[];
    };
    const first = page.tickets.find((t) => Array.isArray(t.tags) && t.tags.length > 0)!;
    first.tags = 'vip  late_delivery,refund';
    const r = await run(JSON.stringify(page));
    expect(r.byId.get(String(first.id))!.tags).toEqual(['vip', 'late_delivery', 'refund']);
  });

  it('reads a ticket an agent opened for a caller: its description is the customer’s request, said once', async () => {
    const ticket = {
      id: 8101,
      via: { channel: 'voice' },
      created_at: '2026-10-02T09:00:00Z',
      subject: 'Call from: +44 20 7946 0000',
      description:
        'Call from: +44 20 7946 0000\nTime of call: 2026-10-02 09:00\nCaller wants to pause her plan for a month.',
      requester_id: 55,
      submitter_id: 9,
      comments: [
        {
          author_id: 9,
          public: true,
          plain_body:
            'Call from: +44 20 7946 0000\nTime of call: 2026-10-02 09:00\nCaller wants to pause her plan for a month.',
          created_at: '2026-10-02T09:00:00Z',
        },
        {
          author_id: 9,
          public: true,
          plain_body: 'Paused until November.',
          created_at: '2026-10-02T09:04:00Z',
        },
      ],
    };
    const r = await run(JSON.stringify(ticket));
    expect(r.byId.get('8101')!.messages).toEqual([
      { role: 'customer', text: 'Caller wants to pause her plan for a month.', at: '2026-10-02T09:00:00Z' },
      { role: 'agent', text: 'Paused until November.', at: '2026-10-02T09:04:00Z' },
    ]);
  });

  it('reads reopens from side-loaded metric sets (include=metric_sets), after the tickets too', async () => {
    const page = JSON.parse(fixture('zendesk-tickets.json').toString()) as {
      tickets: Record<string, unknown>[];
    };
    // ticket 301 has no metric set of its own: read alone it is not reopened
    expect((await run(JSON.stringify(page))).byId.get('301')!.reopened).toBe(false);
    const metricSets = [{ ticket_id: 301, reopens: 2 }];
    for (const text of [
      JSON.stringify({ tickets: page.tickets, metric_sets: metricSets }),
      // pretty-printed, so read while streaming, with the metric sets after the tickets
      JSON.stringify({ tickets: page.tickets, metric_sets: metricSets }, null, 2),
      JSON.stringify({ metric_sets: metricSets, tickets: page.tickets }, null, 2),
    ]) {
      const r = await run(text);
      expect(r.byId.get('301')!.reopened, text.slice(0, 30)).toBe(true);
      expect(r.report.notes.join('\n')).not.toMatch(/metric sets came after/);
    }
  });
});

describe('csv', () => {
  it('reads headers with a unit or scale in brackets', async () => {
    const r = await run(
      'Ticket ID,Created at (UTC),Message,CSAT score (1-5)\nT-9,2026-03-01 09:00,where is my order,4\n',
    );
    expect(r.report.mapping).toMatchObject({
      'Created at (UTC)': 'createdAt',
      'CSAT score (1-5)': 'rating',
    });
    expect(r.byId.get('T-9')).toMatchObject({ createdAt: '2026-03-01T09:00:00Z', csat: 4 });
  });

  it('reads times in the zone the header names, and leaves a time that names its own alone', async () => {
    const r = await run(
      [
        'Ticket ID,Created at (UTC+02:00),Body (plain text),Satisfaction',
        '1,2026-03-31 23:30,where is my order,5',
        '2,2026-04-01 01:30,refund please,1',
        '3,2026-04-01 01:30Z,cancel my plan,',
        '4,2026-04-02,change my address,',
        '5,2026-04-01T01:30:00-05:00,refund please,',
        '6,2026-03-31 23:30:00+02:00,where is my parcel,',
      ].join('\n'),
    );
    expect(r.report.rejected).toBe(0);
    expect(r.conversations.map((c) => c.createdAt)).toEqual([
      '2026-03-31T21:30:00Z',
      '2026-03-31T23:30:00Z',
      '2026-04-01T01:30:00Z',
      '2026-04-02T00:00:00Z',
      '2026-04-01T06:30:00Z',
      '2026-03-31T21:30:00Z',
    ]);
    expect(r.report.notes).toContain("CSV: times without a zone read in the header's +02:00 (2×)");
    const west = await run('id,Date (GMT-5),text\nw1,2026-05-01 20:15,where is my order\n');
    expect(west.byId.get('w1')!.createdAt).toBe('2026-05-02T01:15:00Z');
  });

  it('reads counts written as decimals ("1.0", as pandas writes them), and says what it cannot read', async () => {
    const csv = [
      'conversation_id,created_at,ai_involved,outcome,reopen_count,csat,text',
      'f1,2026-03-01 10:00,1.0,assumed_resolution,1.0,5.0,where is my order',
      'f2,2026-03-01 11:00,True,confirmed_resolution,2.0,4.0,refund please',
      'f3,2026-03-01 12:00,1.0,assumed_resolution,0.0,,cancel my plan',
      'f4,2026-03-01 13:00,0.0,,0.0,,change address',
      'f5,2026-03-01 14:00,1,assumed_resolution,twice,,change my address',
    ].join('\n');
    const r = await run(csv);
    expect(r.report).toMatchObject({ imported: 5, rejected: 0 });
    expect(['f1', 'f2', 'f3', 'f4', 'f5'].map((id) => r.byId.get(id)!.reopened)).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
    expect(r.byId.get('f1')).toMatchObject({ aiInvolved: true, csat: 5 });
    expect(r.byId.get('f4')).toMatchObject({ aiInvolved: false, aiResolutionState: null });
    expect(r.report.notes.join('\n')).toMatch(/reopened value "twice" not understood → not reopened/);
    expect(r.report.notes.join('\n')).not.toMatch(/AI-involved value/);
  });

  it('leaves internal notes out of a per-message export, by a type or a public/internal column', async () => {
    const byType = await run(
      [
        'Conversation ID,Created At,Author Type,Part Type,Body,State',
        'c1,2026-06-01T10:00:00Z,user,comment,I want to cancel my subscription,open',
        'c1,2026-06-01T10:01:00Z,admin,note,VIP customer - check the refund policy before answering,open',
        'c1,2026-06-01T10:02:00Z,admin,comment,"Done, it is cancelled.",closed',
      ].join('\n'),
    );
    expect(byType.report).toMatchObject({ imported: 1, rejected: 0 });
    expect(byType.report.mapping).toMatchObject({ 'Part Type': 'visibility' });
    expect(byType.byId.get('c1')!.messages.map((m) => [m.role, m.text])).toEqual([
      ['customer', 'I want to cancel my subscription'],
      ['agent', 'Done, it is cancelled.'],
    ]);
    expect(byType.report.notes.join('\n')).toMatch(
      /internal notes left out \(the customer never saw them\) \(1×\)/,
    );
    const byFlag = await run(
      [
        'ticket_id,created_at,author,public,body',
        't1,2026-06-01T10:00:00Z,end-user,true,Where is my parcel?',
        't1,2026-06-01T10:01:00Z,agent,false,Courier says lost; refund if no scan by Friday',
        't1,2026-06-01T10:02:00Z,agent,TRUE,It is on its way and arrives tomorrow.',
      ].join('\n'),
    );
    expect(byFlag.byId.get('t1')!.messages.map((m) => m.text)).toEqual([
      'Where is my parcel?',
      'It is on its way and arrives tomorrow.',
    ]);
    const internal = await run(
      'id,created_at,sender,is_internal,text\nk,2026-06-01T10:00:00Z,customer,no,refund please\nk,2026-06-01T10:01:00Z,agent,yes,escalate to billing',
    );
    expect(internal.byId.get('k')!.messages.map((m) => m.text)).toEqual(['refund please']);
    // a ticket export's Type (question, incident…) is not a visibility column
    const tickets = await run('id,created_at,type,subject\nz1,2026-06-01T10:00:00Z,note,cancel my order');
    expect(tickets.report.mapping?.type).not.toBe('visibility');
    expect(tickets.byId.get('z1')!.messages[0]!.text).toBe('cancel my order');
    // without a channel column it is read as one where it names a channel (Help Scout's email /
    // chat / phone); a ticket type is left unread, without a note
    expect(tickets.report.mapping?.type).toBe('channel');
    expect(tickets.byId.get('z1')!.channel).toBe('other');
    expect(tickets.report.notes.join('\n')).not.toMatch(/channel "note"/);
  });

  it('reads a role word beside a name in an author column, and counts the names it cannot read once', async () => {
    const { authorRole } = await import('../server/importers/csv-messages.ts');
    expect(
      [
        'Operator Kim',
        'Agent: Sarah',
        'Customer - J. Doe',
        'Support Bot',
        'Fin AI Agent',
        'Fin',
        'Fin Murphy',
        'Laura Smith',
        'Kim',
      ].map(authorRole),
    ).toEqual(['agent', 'agent', 'customer', 'ai', 'ai', 'ai', null, null, null]);
    const rows = ['id,created_at,author,text'];
    for (let i = 0; i < 40; i++)
      rows.push(
        `c${i},2026-06-01T10:00:${String(i).padStart(2, '0')}Z,Person ${i},where is my parcel`,
        `c${i},2026-06-01T10:01:${String(i).padStart(2, '0')}Z,Operator Kim,it arrives tomorrow`,
      );
    const r = await run(rows.join('\n'), { fileName: 'messages.csv' });
    expect(r.byId.get('c3')!.messages.map((m) => m.role)).toEqual(['customer', 'agent']);
    const notes = r.report.notes.filter((n) => n.includes('not recognised'));
    expect(notes).toEqual([
      'CSV: authors not recognised → read as the customer\'s when they wrote the conversation\'s first message, else as an agent\'s: 40 distinct ("Person 0", "Person 1", "Person 2", …) (40×)',
    ]);
  });

  it('groups an export of one row per message back into conversations, by id, in time order', async () => {
    const csv = [
      'Conversation ID,Created At,Author Type,Message,Rating,Channel',
      // time-sorted: the two conversations interleave, and a row of c1 comes out of order
      'c1,2026-06-01T10:00:00Z,customer,"Hi, my parcel for order 4411 has not arrived",,chat',
      'c2,2026-06-01T10:00:30Z,User,How do I reset my password?,,chat',
      'c1,2026-06-01T10:02:00Z,Bot,"It is out for delivery today, arriving by 6pm.",,chat',
      'c2,2026-06-01T10:01:00Z,chatbot,Use the Forgot password link on the sign-in page.,,chat',
      'c1,2026-06-01T10:01:00Z,Jamie (night shift),Sorry about that — let me look.,,chat',
      'c1,2026-06-01T10:03:00Z,customer,"ok, thanks",4,chat',
    ].join('\n');
    const r = await run(csv, { fileName: 'messages.csv' });
    expect(r.report).toMatchObject({ imported: 2, rejected: 0 });
    const c1 = r.byId.get('c1')!;
    expect(c1.messages.map((m) => [m.role, m.text.slice(0, 12)])).toEqual([
      ['customer', 'Hi, my parce'],
      ['agent', 'Sorry about '],
      ['ai', 'It is out fo'],
      ['customer', 'ok, thanks'],
    ]);
    expect(c1).toMatchObject({
      createdAt: '2026-06-01T10:00:00Z',
      aiInvolved: true,
      csat: 4,
      channel: 'chat',
    });
    expect(r.byId.get('c2')!.messages.map((m) => m.role)).toEqual(['customer', 'ai']);
    expect(r.report.notes.join('\n')).toMatch(/6 message rows grouped into 2 conversations/);
    expect(r.report.notes.join('\n')).toMatch(
      /authors not recognised .*: 1 distinct \("Jamie \(night shift\)"\) \(1×\)/,
    );
    // a ticket export whose author column names who opened each ticket: every row is a conversation
    // and its text the request, whoever typed it in
    const tickets = await run(
      'id,created_at,author,description\nt1,2026-06-02T09:00:00Z,agent,Caller wants to cancel her subscription\nt2,2026-06-02T09:05:00Z,end-user,where is my order',
    );
    expect(tickets.conversations.map((c) => [c.id, c.messages[0]!.role, c.aiInvolved])).toEqual([
      ['t1', 'customer', false],
      ['t2', 'customer', false],
    ]);
  });

  it('reads authors given by name per person, keeps a one-row ticket whole, counts rows as records', async () => {
    const csv = [
      'ticket,created_at,sender,subject,body',
      // names only, newest first: the earliest writer is the customer in every message they wrote
      't1,2026-06-01T10:05:00Z,Alex Moreno,,Refund issued.',
      't1,2026-06-01T10:02:00Z,Sam Lee,,"it was order 4411, and I want a refund"',
      't1,2026-06-01T10:01:00Z,Alex Moreno,,Which order?',
      't1,2026-06-01T10:00:00Z,Sam Lee,Refund,my parcel arrived broken',
      // one row: subject and text are the request, whoever the author column names
      't2,2026-06-02T09:00:00Z,agent,Refund for order 55,Hello please help',
    ].join('\n');
    const r = await run(csv);
    // the subject of the customer's own row before their words, though a reply comes first in the file
    expect(r.byId.get('t1')!.messages.map((m) => [m.role, m.text])).toEqual([
      ['customer', 'Refund\nmy parcel arrived broken'],
      ['agent', 'Which order?'],
      ['customer', 'it was order 4411, and I want a refund'],
      ['agent', 'Refund issued.'],
    ]);
    expect(r.byId.get('t2')!.messages).toEqual([
      { role: 'customer', text: 'Refund for order 55\nHello please help', at: '2026-06-02T09:00:00Z' },
    ]);
    // rows are the records: a reject rate counts bad rows against rows, not conversations
    expect(r.report).toMatchObject({ records: 5, imported: 2, rejected: 0 });
  });

  it('skips a fragment of a conversation read long before, and closes one that never ends', async () => {
    const rows = [
      'id,created_at,author,text',
      'c0,2026-06-01T10:00:00Z,customer,where is my refund',
      'c0,2026-06-01T10:00:05Z,bot,Checking.',
    ];
    for (let i = 1; i <= FLUSH_AFTER_ROWS + 1500; i++)
      rows.push(`x${i},2026-06-01T11:00:00Z,customer,hello ${i}`);
    rows.push('c0,2026-06-02T10:00:00Z,agent,Your refund has been processed');
    const r = await run(rows.join('\n'));
    const c0 = r.byId.get('c0')!;
    expect(c0.messages.map((m) => m.role)).toEqual(['customer', 'ai']);
    expect(c0.aiInvolved).toBe(true);
    expect(Object.keys(r.report.skippedReasons)).toEqual([
      `a message of a conversation already read, more than ${FLUSH_AFTER_ROWS.toLocaleString('en-US')} rows earlier (sort the file by conversation id)`,
    ]);
    const busy = ['id,created_at,author,text'];
    for (let i = 0; i < MAX_MESSAGES + 5; i++) busy.push(`same,2026-06-01T10:00:00Z,customer,message ${i}`);
    const b = await run(busy.join('\n'));
    expect(b.byId.get('same')!.messages).toHaveLength(MAX_MESSAGES);
    expect(b.report.notes.join('\n')).toMatch(/reached 1,000 message rows and was closed there/);
    expect(b.report.skippedReasons).toEqual({
      'a message of a conversation over 1,000 messages (is the id column right?)': 5,
    });
    // a row without text still counts as a record of its conversation
    const blank = await run(
      'id,created_at,author,text\nq,2026-06-01T10:00:00Z,customer,hello there\nq,2026-06-01T10:01:00Z,bot,',
    );
    expect(blank.report).toMatchObject({ records: 2, imported: 1 });
  });

  it('names rows without an id column by their content, and skips rows of delimiters only', async () => {
    const day1 =
      'created_at,text,outcome\r\n2026-11-01T01:00:00Z,where is my order,resolved\r\n2026-11-01T02:00:00Z,cancel my order,escalated\r\n,,\r\n,,\r\n';
    const day2 =
      'created_at,text,outcome\r\n2026-11-02T01:00:00Z,where is my order,resolved\r\n2026-11-01T02:00:00Z,cancel my order,escalated\r\n';
    const a = await run(day1);
    const b = await run(day2);
    // the two empty rows are skipped, not rejected (they would have failed a build at 1%)
    expect(a.report).toMatchObject({ records: 4, imported: 2, rejected: 0, skipped: 2 });
    const idsA = a.conversations.map((c) => c.id);
    const idsB = b.conversations.map((c) => c.id);
    expect(new Set(idsA).size).toBe(2);
    // row 2 of tomorrow's file is another conversation; the same row again is the same one
    expect(idsB[0]).not.toBe(idsA[0]);
    expect(idsB[1]).toBe(idsA[1]);
  });

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
      { line: 7, reason: expect.stringMatching(/^ambiguous date "03\/01\/2026": day or month first\?/) },
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
    // the two lines it holds are both counted: the reject rate sees what was lost
    expect(r.report.rejected).toBe(2);
    expect(r.report.records).toBe(3);
  });

  it("reads a help desk's own Status column as the team's work, not the AI agent's outcome", async () => {
    const desk = await run(
      'Ticket ID,Created at,Description,Status\n1,2026-03-01,Where is my parcel,Resolved\n2,2026-03-01,Refund please,Escalated\n3,2026-03-01,Hi,bot_resolved\n',
    );
    expect(desk.conversations.map((c) => [c.id, c.aiInvolved, c.aiResolutionState])).toEqual([
      ['1', false, null],
      ['2', false, null],
      // a value that names the AI agent counts whatever the column is called
      ['3', true, 'assumed_resolution'],
    ]);
    const abandoned = await run('id,created_at,text,status\n1,2026-03-01,hello?,Abandoned\n');
    expect(abandoned.conversations[0]).toMatchObject({ aiInvolved: false, aiResolutionState: null });
    expect(desk.report.notes.join('\n')).toMatch(
      /help-desk status "Resolved" without an AI column is the team's/,
    );
    // beside an AI column that says it took part, the same words are the AI agent's outcome
    const withAi = await run(
      'id,created_at,text,status,ai_involved\n1,2026-03-01,Where is my parcel,Resolved,yes\n2,2026-03-01,Refund,Resolved,no\n',
    );
    expect(withAi.conversations.map((c) => [c.aiInvolved, c.aiResolutionState])).toEqual([
      [true, 'assumed_resolution'],
      [false, null],
    ]);
  });

  it("reads a fortnight's US report month first: the second number runs through the days", async () => {
    const rows = Array.from(
      { length: 36 },
      (_, i) => `${i + 1},3/${(i % 12) + 1}/2024 ${(i % 12) + 1}:22 PM,my card was declined at checkout`,
    ).join('\n');
    const r = await run(`id,created_at,text\n${rows}\n`);
    expect(r.report).toMatchObject({ imported: 36, rejected: 0 });
    expect(r.byId.get('12')!.createdAt).toBe('2024-03-12T12:22:00Z');
    expect(r.report.notes.join('\n')).toMatch(
      /numeric dates read month first \(03\/31\/2026\), since in the first rows no number passes 12 and the second one runs through the days/,
    );
  });

  it('reads a day-first export once its first rows show a day past the 12th', async () => {
    const dmy = await run('id,created_at,text\n1,03/04/2026 10:22,a\n2,28/02/2026 09:00,b\n3,4 Mar 2026,c\n');
    expect(dmy.conversations.map((c) => c.createdAt)).toEqual([
      '2026-04-03T10:22:00Z',
      '2026-02-28T09:00:00Z',
      '2026-03-04T00:00:00Z',
    ]);
    expect(dmy.report.notes.join('\n')).toMatch(/numeric dates read day first/);
    const mdy = await run('id,created_at,text\n1,03/04/2026 10:22 PM,a\n2,02/28/2026,b\n');
    expect(mdy.conversations[0]!.createdAt).toBe('2026-03-04T22:22:00Z');
    // once the order is known, a bad time is said as such, and a date against the order is refused
    // (the two after the first 64 KB, which decide the order)
    const filler = Array.from({ length: 2500 }, (_, i) => `f${i},2026-02-01,filler row ${i}`).join('\n');
    const known = await run(
      `id,created_at,text\n1,28/02/2026,a\n${filler}\n2,03/04/2026 25:00,b\n3,03/13/2026,c\n`,
    );
    expect(known.report.rejects.map((r) => r.reason)).toEqual([
      expect.stringMatching(/^invalid date "03\/04\/2026 25:00"/),
      expect.stringMatching(/^invalid date "03\/13\/2026"/),
    ]);
    const unsure = await run('id,created_at,text\n1,03/04/2026,a\n2,2026-02-28,b\n');
    expect(unsure.report.rejects[0]!.reason).toMatch(/^ambiguous date "03\/04\/2026": day or month first\?/);
  });

  it('reads zone abbreviations, names a zone it does not know, and skips a repeated header row', async () => {
    const r = await run(
      'id,created_at,text\n1,2026-06-01 10:00:00 PDT,a\n2,"Jun 1, 2026 10:00 AM CEST",b\n3,2026-06-01 10:00 XYZ,c\n' +
        'id,created_at,text\n4,Mon Jun 01 2026 10:00:00 GMT+0200 (Central European Summer Time) and more words,d\n',
    );
    expect(r.conversations.map((c) => c.createdAt)).toEqual(['2026-06-01T17:00:00Z', '2026-06-01T08:00:00Z']);
    expect(r.report.rejects.map((x) => x.reason)).toEqual([
      'time zone "XYZ" in "2026-06-01 10:00 XYZ" not understood: write an offset such as -07:00 or +05:30 (or UTC)',
      // a long value is cut with an ellipsis, so the reader sees it was cut
      'invalid date "Mon Jun 01 2026 10:00:00 GMT+0200 (Cent…" (expected ISO 8601, YYYY-MM-DD HH:MM(:SS), 31/03/2026, 4 Mar 2026, or unix seconds/ms)',
    ]);
    expect(r.report.skippedReasons).toEqual({ 'the header row repeated (two exports pasted together?)': 1 });
  });

  it('names no unnamed column among those it ignores (a trailing delimiter)', async () => {
    const r = await run('id,created_at,customer,text,\n1,2026-01-01,Ana,where is my order,\n');
    expect(r.report.notes.filter((n) => n.startsWith('ignored'))).toEqual(['ignored columns: customer']);
  });

  it("puts a message export's subject before the customer's first words, under any of its names", async () => {
    const r = await run(
      'Conversation ID,Conversation subject,Author,Created at,Body\n' +
        'c1,Sofa leg snapped,Customer,2026-01-01 10:00,One leg broke on delivery\n' +
        'c1,Sofa leg snapped,Agent,2026-01-01 10:05,Sorry! We will send a new one.\n',
    );
    expect(r.report.mapping).toMatchObject({ 'Conversation subject': 'subject', Author: 'author' });
    expect(r.byId.get('c1')!.messages.map((m) => [m.role, m.text])).toEqual([
      ['customer', 'Sofa leg snapped\nOne leg broke on delivery'],
      ['agent', 'Sorry! We will send a new one.'],
    ]);
  });

  it('reads a channel named among other words by its known word', async () => {
    const vals = [
      'Phone (inbound)',
      'Inbound call',
      'Social media',
      'X (Twitter)',
      'Chat en direct',
      'In person',
      // words that name a channel only as a whole label do not on their own
      'Support line',
      'Mobile phone',
      'Web (live chat)',
      'Inbound mail',
      'In-app messaging',
      'Facebook Messenger (inbound)',
    ];
    const r = await run(
      `id,created_at,channel,text\n${vals.map((v, i) => `${i},2026-01-01,"${v}",where is my order`).join('\n')}\n`,
    );
    expect(r.conversations.map((c) => c.channel)).toEqual([
      'phone',
      'phone',
      'social',
      'social',
      'chat',
      'other',
      'other',
      'phone',
      'chat',
      'email',
      'chat',
      'messenger',
    ]);
    expect(r.report.notes).toContain('CSV: channel "In person" → "other" (1×)');
    expect(r.report.notes).toContain('CSV: channel "Phone (inbound)" → "phone" (by its word) (1×)');
  });

  it('reads the rows under a header repeated in another column order by that order', async () => {
    const r = await run(
      'id,created_at,csat,text\n1,2026-06-01,5,where is my parcel\n2,2026-06-02,1,refund please\n' +
        'csat,ID,text,created_at\n4,3,my card was charged twice,2026-06-03\n2,4,change my address,2026-06-04\n' +
        'id,created_at,csat,text\n5,2026-06-05,3,cancel my plan\n',
    );
    expect(r.report).toMatchObject({ imported: 5, rejected: 0 });
    expect(r.conversations.map((c) => [c.id, c.createdAt.slice(0, 10), c.csat])).toEqual([
      ['1', '2026-06-01', 5],
      ['2', '2026-06-02', 1],
      ['3', '2026-06-03', 4],
      ['4', '2026-06-04', 2],
      ['5', '2026-06-05', 3],
    ]);
    expect(r.report.skippedReasons).toEqual({
      'the header row repeated in another column order (two exports pasted together?): the rows under it read by that order': 1,
      'the header row repeated (two exports pasted together?)': 1,
    });
  });

  it('reads exports as help desks write them: their headers, Excel sep= line, HTML bodies, worded ratings', async () => {
    // HubSpot-, Gorgias- and Salesforce-style headers
    expect(
      mapCsvHeader(['Ticket ID', 'Ticket name', 'Ticket description', 'Create date', 'Source']).mapping,
    ).toEqual({
      'Ticket ID': 'id',
      'Create date': 'createdAt',
      'Ticket description': 'text',
      'Ticket name': 'subject',
      Source: 'channel',
    });
    expect(mapCsvHeader(['Ticket id', 'Created Datetime', 'First customer message']).columns).toEqual({
      id: 0,
      createdAt: 1,
      text: 2,
    });
    expect(
      mapCsvHeader(['Case Number', 'Date/Time Opened', 'Description', 'Case Origin', 'Satisfaction survey'])
        .mapping,
    ).toMatchObject({ 'Case Number': 'id', 'Date/Time Opened': 'createdAt', 'Case Origin': 'channel' });
    const excel = await run(
      'sep=;\nid;created_at;text;rating;channel\n1;2026-03-01;"<p>Where is my order&nbsp;#12?</p>";4,0;Portal\n2;2026-03-01;"x &amp; y";5 - Very satisfied;instagram-direct-message\n3;2026-03-02;plain a<b;Not satisfied;chat\n',
    );
    expect(excel.report.rejected).toBe(0);
    expect(excel.conversations.map((c) => [c.messages[0]!.text, c.csat, c.channel])).toEqual([
      ['Where is my order #12?', 4, 'email'],
      ['x & y', 5, 'messenger'],
      ['plain a<b', 2, 'chat'],
    ]);
    // Freshdesk's three-point survey and the five-point one's middle answer
    expect(
      ['Awesome', 'Just Okay', 'Not Good', 'Neither satisfied nor dissatisfied', 'Unhappy'].map((v) =>
        csvRating(v),
      ),
    ).toEqual([5, 3, 1, 3, 2]);
    // a score written out, and survey answers, in the export languages
    expect(
      [
        '4 von 5',
        '4 sur 5',
        '3 out of 5',
        '5 Sterne',
        '2 étoiles',
        'Sehr zufrieden',
        'Très insatisfait',
        'Satisfecho',
      ].map((v) => csvRating(v)),
    ).toEqual([4, 4, 3, 5, 2, 5, 1, 4]);
    expect(['4 von 6', 'Zufriedenheit', '6 Sterne'].map((v) => csvRating(v))).toEqual([null, null, null]);
    expect(excel.report.notes.join('\n')).toMatch(/Excel "sep=;" line read as the delimiter/);
    expect(detectFormat('sep=,\nid,created_at,text\n1,2026-03-01,hi\n')).toMatchObject({
      format: 'csv',
      delimiter: ',',
    });
  });

  it('reads a local clock: a no-break space, "Uhr", a dotted time after a dotted date', () => {
    expect(parseDateTime('03.08.2026 19.40')).toBe('2026-08-03T19:40:00Z');
    expect(parseDateTime('03.08.2026 19.40.05')).toBe('2026-08-03T19:40:05Z');
    expect(parseDateTime('03.08.2026\u00a019:40')).toBe('2026-08-03T19:40:00Z');
    expect(parseDateTime('03.08.2026 19:40 Uhr')).toBe('2026-08-03T19:40:00Z');
    // a date alone keeps its dots
    expect(parseDateTime('03.08.2026')).toBe('2026-08-03T00:00:00Z');
  });

  it("reads the machine forms: float milliseconds, ISO 8601's basic form, Java's zone in brackets", () => {
    expect(parseDateTime('1788249600000.0')).toBe('2026-09-01T08:00:00Z');
    expect(parseDateTime('20260901T080000Z')).toBe('2026-09-01T08:00:00Z');
    expect(parseDateTime('20260901T0800+0200')).toBe('2026-09-01T06:00:00Z');
    expect(parseDateTime('2026-09-01T10:00:00+02:00[Europe/Berlin]')).toBe('2026-09-01T08:00:00Z');
    expect(parseDateTime('2026-09-01T08:00:00Z[UTC]')).toBe('2026-09-01T08:00:00Z');
    // a bracketed word after a date is not a zone to drop
    expect(parseDateTime('2026-09-01 [draft]')).toBeNull();
  });

  it('reads the dates Excel writes back: two-digit years and serial day numbers', async () => {
    expect(parseDateTime('3/31/26 9:15')).toBe('2026-03-31T09:15:00Z');
    expect(parseDateTime('31.03.26')).toBe('2026-03-31T00:00:00Z');
    expect(parseDateTime('2026-3-4')).toBe('2026-03-04T00:00:00Z');
    // the file's order decides 11/3/26, as for four-digit years
    const twoDigit = await run(
      'Ticket ID,Created,Subject\n1,11/3/26 9:15,Where is my order\n2,11/14/26 14:30,Refund\n',
    );
    expect(twoDigit.report.rejected).toBe(0);
    expect(twoDigit.conversations.map((c) => c.createdAt)).toEqual([
      '2026-11-03T09:15:00Z',
      '2026-11-14T14:30:00Z',
    ]);
    // 46329.38542 = 2026-11-03 09:15 (days since 1899-12-30; the time a fraction of the day)
    const serial = await run(
      'id,created_at (UTC+01:00),text\n1,46329.38542,Where is my order\n2,46330,Refund\n3,1234,x\n4,99999,y\n',
    );
    expect(serial.conversations.map((c) => c.createdAt)).toEqual([
      '2026-11-03T08:15:00Z',
      '2026-11-03T23:00:00Z',
    ]);
    // outside 2000–2099 a number is not a day
    expect(serial.report.rejects.map((r) => r.line)).toEqual([4, 5]);
  });

  it("maps the headers of Intercom's reporting export and of its message export", async () => {
    const report = await run(
      'Conversation ID,Conversation started at (UTC),Channel,Fin AI Agent involved,Fin AI Agent resolution state,Conversation rating,Initial message\n' +
        '9001,2026-03-02 09:00:00,Chat,Yes,Assumed resolution,5,My card was charged twice\n',
      { undatedAt: '2026-11-30T12:00:00.000Z' },
    );
    expect(report.report.undated).toBeUndefined();
    expect(report.byId.get('9001')).toMatchObject({
      createdAt: '2026-03-02T09:00:00Z',
      aiInvolved: true,
      aiResolutionState: 'assumed_resolution',
    });
    const messages = await run(
      'message_id,message_body,message_created_at,message_author_type,conversation_id,conversation_created_at\n' +
        'm2,A refund is on its way,2026-03-02 09:01:00,bot,c7,2026-03-02 09:00:00\n' +
        'm1,I was charged twice,2026-03-02 09:00:00,user,c7,2026-03-02 09:00:00\n',
    );
    expect(messages.report.mapping).toMatchObject({
      message_body: 'text',
      message_created_at: 'createdAt',
      message_author_type: 'author',
    });
    expect(messages.byId.get('c7')!.messages.map((m) => [m.role, m.text])).toEqual([
      ['customer', 'I was charged twice'],
      ['ai', 'A refund is on its way'],
    ]);
    // without the message's own time, the conversation's is the row's time
    expect(
      mapCsvHeader(['conversation_id', 'conversation_created_at', 'message_body']).mapping,
    ).toMatchObject({
      conversation_created_at: 'createdAt',
    });
  });

  it("reads Intercom's rating words on its own scale and Freshdesk's seven-point survey", async () => {
    // Freshdesk's seven answers onto 1–5: its five-point survey (the middle five) reads as written
    const freshdesk = [
      'Extremely Happy',
      'Very Happy',
      'Happy',
      'Neutral',
      'Unhappy',
      'Very Unhappy',
      'Extremely Unhappy',
    ];
    expect(freshdesk.map((v) => csvRating(v))).toEqual([5, 5, 4, 3, 2, 1, 1]);
    // Intercom: 1 Terrible, 2 Bad, 3 OK, 4 Great, 5 Amazing — in its "Conversation rating" column
    const csv = (header: string) =>
      `id,created_at,text,${header}\n${['Terrible', 'Bad', 'OK', 'Great', 'Amazing'].map((w, i) => `${i},2026-03-01,hi,${w}`).join('\n')}\n`;
    const intercom = await run(csv('Conversation rating'));
    expect(intercom.conversations.map((c) => c.csat)).toEqual([1, 2, 3, 4, 5]);
    // elsewhere a good/bad survey's "Bad" stays the lowest rating, and "Great" the top one (Help
    // Scout's Great / Okay / Not Good)
    expect((await run(csv('Satisfaction'))).conversations.map((c) => c.csat)).toEqual([1, 1, 3, 5, 5]);
    // and the API's conversation_rating, should it carry the word
    const conv = {
      type: 'conversation',
      id: 'w1',
      created_at: 1772370000,
      source: { type: 'conversation', body: 'hi', author: { type: 'user' } },
      conversation_rating: { rating: 'Bad' },
    };
    expect((await run(`${JSON.stringify(conv)}\n`)).byId.get('w1')!.csat).toBe(2);
  });

  it('counts every row a quote left open swallowed as rejected, not one', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => `${i + 10},2026-01-02,parcel ${i} not here`);
    const csv = `id,created_at,text\n1,2026-01-01,ok\n2,2026-01-02,"27 inch monitor\n${rows.join('\n')}\n`;
    // the quote never closes: 41 lines from line 3 on, each a row the user wrote
    const open = await run(csv);
    expect(open.report).toMatchObject({ records: 42, imported: 1, rejected: 41 });
    expect(open.report.rejects[0]!.reason).toMatch(/never closed — its 41 lines are counted as rejected/);
    // the stretch outgrows the record limit: the same lines, then reading goes on
    const big = await run(`${csv}99,2026-01-03,after\n`, { maxLineBytes: 600 });
    expect(big.report.imported).toBeGreaterThan(1);
    expect(big.report.rejected + big.report.imported).toBe(big.report.records);
    expect(big.report.rejects[0]!.reason).toMatch(/too large.*quote left open on line 3\? — its \d+ lines/);
    expect(big.report.rejected).toBeGreaterThan(15);
    // closed by a later row's quote with the right column count: read leniently as one row, as an
    // unescaped quote inside a text is (home-made exporters write them)
    const lenient = await run(
      'id,created_at,text\n1,2026-03-04,"Hello,\nI clicked "Pay" and nothing happened"\n2,2026-03-04,next\n',
    );
    expect(lenient.report).toMatchObject({ records: 2, imported: 2, rejected: 0 });
    // a row of the wrong shape over several lines: the rows it took are counted
    const shape = await run(
      'id,created_at,text,channel\n1,2026-01-01,ok,chat\n2,2026-01-02,"open,chat\n3,2026-01-02,x,chat\n4,2026-01-02,"\n5,2026-01-03,fine,chat\n',
    );
    expect(shape.report).toMatchObject({ imported: 2, rejected: 3, records: 5 });
    expect(shape.report.rejects[0]!.reason).toMatch(/expected 4 columns, found 3, over 3 lines/);
    // a quoted text over several lines is still one good record
    const ok = await run('id,created_at,text\n1,2026-01-01,"line one\nline two\nline three" \n');
    expect(ok.report).toMatchObject({ records: 1, imported: 1, rejected: 0 });
    // a broken first row over many lines is rejected with its lines, not taken for the wrong format
    const longFirst = await run(
      `id,created_at,text,channel\n1,2026-01-01,"${'a\n'.repeat(250)}",chat,x\n2,2026-01-02,fine,chat\n`,
    );
    expect(longFirst.report).toMatchObject({ imported: 1, rejected: 251 });
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
    expect(zip.message).toMatch(/not a text file: it looks like a ZIP archive; unzip it/);
  });

  it("reads a CSV line that is not UTF-8 as Windows-1252 (Excel's plain CSV), and names a line in neither", async () => {
    // Excel on Windows saves "CSV" in Windows-1252: é is one byte, € and ’ are 0x80 and 0x92
    const excel = Buffer.from(
      'id,cr\xe9\xe9_le,created_at,text\n1,x,2026-01-01,caf\xe9 froid\n2,x,2026-01-01,tea\n3,x,2026-01-01,it\x92s 5 \x80 too much\n',
      'latin1',
    );
    const read = await run(excel);
    expect(read.report).toMatchObject({ imported: 3, rejected: 0 });
    expect(read.byId.get('1')!.messages[0]!.text).toBe('café froid');
    expect(read.byId.get('3')!.messages[0]!.text).toBe('it’s 5 € too much');
    expect(read.report.notes).toContain(
      '3 lines were not UTF-8 and were read as Windows-1252 (Excel\'s plain "CSV" on Windows): check the accented letters in the examples, or save the file as "CSV UTF-8"',
    );
    // a line in neither encoding (0x81 is undefined in Windows-1252) is that line's reject
    const one = await run(
      Buffer.from('id,created_at,text\n1,2026-01-01,caf\x81\n2,2026-01-01,tea\n', 'latin1'),
    );
    expect(one.report).toMatchObject({ imported: 1, rejected: 1 });
    expect(one.report.rejects).toEqual([{ line: 2, reason: 'not valid UTF-8 text' }]);
    // and a file of them is refused, naming the line
    const e = await fatal(
      Buffer.from('id,created_at,text\n1,2026-01-01,caf\x81\n2,2026-01-01,th\x9d\n', 'latin1'),
    );
    expect(e.code).toBe('ENCODING');
    expect(e.message).toMatch(/invalid UTF-8 on line 2.*save it as UTF-8/);
    expect(e.line).toBe(2);
    // JSON is UTF-8 by definition: a Windows-1252 JSON lines file is refused as before
    const json = await fatal(
      Buffer.from(
        '{"id":"1","created_at":"2026-01-01","text":"caf\xe9"}\n{"id":"2","created_at":"2026-01-01","text":"th\xe9"}\n',
        'latin1',
      ),
    );
    expect(json.code).toBe('ENCODING');
    // and so is a pretty-printed one, whose records span many lines (few of them with a letter
    // outside ASCII): 3 of its 5 records were rejected and an estimate made of the other 2
    const records = [
      'caf\xe9 froid',
      'tea please',
      'cr\xe8me br\xfbl\xe9e',
      'where is it',
      'd\xe9j\xe0 vu',
    ].map(
      (text, i) =>
        `  {\n    "id": "${i + 1}",\n    "created_at": "2026-01-0${i + 1}",\n    "status": "closed",\n    "channel": "email",\n    "text": "${text}"\n  }`,
    );
    const pretty = await fatal(Buffer.from(`[\n${records.join(',\n')}\n]\n`, 'latin1'));
    expect(pretty.code).toBe('ENCODING');
    expect(pretty.message).toBe(
      'not a UTF-8 text file: 3 of 5 records are not valid UTF-8 (the first on line 2); it is probably Latin-1/Windows-1252 — save it as UTF-8',
    );
  });

  it('keeps the UTF-8 of a line with a stray byte, reading only that byte otherwise', async () => {
    const csv = Buffer.concat([
      Buffer.from('id,created_at,text\n1,2026-01-01,Zo\u00eb says it'),
      Buffer.from([0x92]), // a Word apostrophe pasted in
      Buffer.from('s late\n2,2026-01-01,caf\u00e9 \u201cnoir\u201d '),
      // an "é" cut in half, and a byte Windows-1252 has no letter for
      Buffer.from([0xc3, 0x20, 0x81]),
      // (two lines in ten, as in a UTF-8 export with a few pasted in: not a file in another encoding)
      Buffer.from(`\n${Array.from({ length: 8 }, (_, k) => `${k + 3},2026-01-01,plain tea\n`).join('')}`),
    ]);
    const read = await run(csv);
    expect(read.report).toMatchObject({ imported: 10, rejected: 0 });
    expect(read.byId.get('1')!.messages[0]!.text).toBe('Zoë says it’s late');
    expect(read.report.notes.join('\n')).toMatch(/^2 UTF-8 lines hold a byte or two that are not/m);
    expect(read.byId.get('2')!.messages[0]!.text).toBe('café “noir” \ufffd \ufffd');
  });

  it('reads a Windows-1252 line whose bytes fall into a valid but unlikely UTF-8 sequence as Windows-1252', async () => {
    // "à »" with a no-break space is E0 A0 BB: U+083B, a Samaritan letter, as UTF-8
    const line = Buffer.from(
      "1,2026-01-01,Il a dit \xab c'est d\xe9j\xe0\xa0\xbb et r\xe9gl\xe9\n",
      'latin1',
    );
    const good = Array.from({ length: 9 }, (_, k) => `${k + 2},2026-01-01,plain tea\n`).join('');
    const read = await run(Buffer.concat([Buffer.from('id,created_at,text\n'), line, Buffer.from(good)]));
    expect(read.byId.get('1')!.messages[0]!.text).toBe('Il a dit « c’est déjà » et réglé'.replace('’', "'"));
  });

  it('keeps any script, emoji and combining accent of a UTF-8 line with a stray byte', async () => {
    const texts = ['สินค้าเสียหาย', '🇩🇪 ❤️ ⭐', 'Hawaiʻi', 'cafe\u0301', 'გამარჯობა'];
    const rows = texts.map((t, k) =>
      Buffer.concat([
        Buffer.from(`${k + 1},2026-01-01,${t} it`),
        Buffer.from([0x92]),
        Buffer.from('s broken\n'),
      ]),
    );
    const good = Array.from({ length: 30 }, (_, k) => `${k + 10},2026-01-01,plain tea\n`).join('');
    const read = await run(Buffer.concat([Buffer.from('id,created_at,text\n'), ...rows, Buffer.from(good)]));
    expect(read.report.rejected).toBe(0);
    expect(texts.map((_, k) => read.byId.get(String(k + 1))!.messages[0]!.text)).toEqual(
      texts.map((t) => `${t} it’s broken`),
    );
  });

  it('reads two JSON lines exports joined, each with its byte-order mark', async () => {
    const part = (from: number) =>
      Buffer.from(
        `\ufeff${[0, 1]
          .map((k) =>
            JSON.stringify({ id: String(from + k), created_at: '2026-01-02', text: 'where is my parcel' }),
          )
          .join('\n')}\n`,
      );
    const read = await run(Buffer.concat([part(1), part(3)]));
    expect(read.report).toMatchObject({ imported: 4, rejected: 0 });
  });

  it('invalid UTF-8 after the first 64 KB rejects only that line', async () => {
    const good = Array.from({ length: 2000 }, (_, i) => `${i},2026-01-01,hello there number ${i}`).join('\n');
    const buf = Buffer.concat([
      Buffer.from(`id,created_at,text\n${good}\n`),
      Buffer.from('9999,2026-01-01,caf\x81\n', 'latin1'),
      Buffer.from('10000,2026-01-01,fine\n'),
      Buffer.from('10001,2026-01-01,caf\xe9\n', 'latin1'),
    ]);
    const r = await run(buf);
    expect(r.report.imported).toBe(2002);
    expect(r.report.rejects).toEqual([{ line: 2002, reason: 'not valid UTF-8 text' }]);
    expect(r.byId.get('10001')!.messages[0]!.text).toBe('café');
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

  it('UTF-32, with or without its byte-order mark, is refused by name (not read as NUL-riddled UTF-16)', async () => {
    const text = fixture('semicolon.csv').toString('utf8');
    const utf32le = (s: string) => {
      const codes = [...s].map((ch) => ch.codePointAt(0)!);
      const b = Buffer.alloc(codes.length * 4);
      for (const [i, c] of codes.entries()) b.writeUInt32LE(c, i * 4);
      return b;
    };
    const withBom = utf32le(`\ufeff${text}`);
    await expect(run(withBom)).rejects.toMatchObject({
      code: 'ENCODING',
      message: expect.stringMatching(/UTF-32/),
    });
    const be = Buffer.from(withBom);
    be.swap32();
    await expect(run(be)).rejects.toMatchObject({ code: 'ENCODING' });
    await expect(run(utf32le(text))).rejects.toMatchObject({ code: 'ENCODING' });
  });

  it('old Mac line ends (a bare CR) are read as line breaks, in any chunking and in UTF-16', async () => {
    const lf = fixture('conversations.csv').toString('utf8').replaceAll('\r\n', '\n');
    const cr = lf.replaceAll('\n', '\r');
    const base = await run(lf);
    const r = await run(cr);
    expect(r.report).toMatchObject({ records: 6, imported: 4, rejected: 2 });
    expect(r.conversations).toEqual(base.conversations);
    expect(r.report.notes).toContain('lines end in a bare CR (old Mac format); read as line breaks');
    expect(base.report.notes.join('\n')).not.toMatch(/bare CR/);
    const small = await collectImport(chunked(Buffer.from(cr), 7), opts());
    expect(small.conversations).toEqual(base.conversations);
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(cr, 'utf16le')]);
    expect((await run(le)).conversations).toEqual(base.conversations);
  });

  it('a time column under a header no alias knows is found by its values, and named', async () => {
    const rows = ['01.08.2026 09:10', '14.09.2026 11:00', '03.10.2026 16:45', '20.11.2026 08:05'];
    const csv = [
      'Ticket ID;Eingang am;Rückruf;Beschreibung;Bewertung (1-5)',
      ...rows.map((d, i) => `${500 + i};${d};${i % 2 ? '0301 2345' : ''};Wo ist meine Bestellung?;${i + 1}`),
      '',
    ].join('\n');
    const r = await run(csv);
    expect(r.conversations.map((c) => c.createdAt.slice(0, 10))).toEqual([
      '2026-08-01',
      '2026-09-14',
      '2026-10-03',
      '2026-11-20',
    ]);
    expect(r.report.notes).toContain(
      'created time read from the column "Eingang am": its header is not one Cockpit knows, its values are dates',
    );
    // phone numbers and counts are not dates: without a date column the file has no time column
    await expect(run(csv.replaceAll(/\d\d\.\d\d\.2026 \d\d:\d\d/g, '17'))).rejects.toMatchObject({
      code: 'MISSING_COLUMNS',
    });
  });

  it("a spreadsheet's title lines, totals row and empty trailing header columns do not cost the file", async () => {
    const csv = [
      'Ticket export – Acme Shop GmbH',
      'Zeitraum: 01.08.2026 – 30.11.2026',
      '',
      'Ticket ID;Created;Description;Channel;Rating;;;',
      '1;03.08.2026 09:13;How can I export my invoices?;email;1,0',
      '2;04.08.2026 11:39;Where is my order?;chat;3,0',
      '3;05.08.2026 12:00;Excel kept this;chat;46239,5',
      ';;;;;',
      'Total;;;3;2,0',
      'Average rating;;;;2,0',
      '',
    ].join('\n');
    const r = await run(csv);
    expect(r.report).toMatchObject({ imported: 3, rejected: 0 });
    expect(r.conversations.map((c) => c.id)).toEqual(['1', '2', '3']);
    expect(r.report.notes).toContain(
      '3 lines above the header row skipped as a title ("Ticket export – Acme Shop GmbH")',
    );
    // a header cell that names something keeps its rows' count strict
    const named = await run(csv.replace('Rating;;;', 'Rating;Tags;;'));
    expect(named.report.rejected).toBe(5);
  });

  it("a message file with the id on a conversation's first row only reads the rows below as its", async () => {
    const csv = [
      'Conversation ID;Message date;Author;Message;Rating',
      '7;05.08.2026 02:53;Customer;Where is my parcel?;',
      ';05.08.2026 03:49;Agent;Could you send the order number?;',
      ';05.08.2026 04:21;Customer;It is 4411.;4,0',
      '8;06.08.2026 04:39;Customer;Please cancel my order.;',
      '',
    ].join('\n');
    const r = await run(csv);
    expect(r.report).toMatchObject({ imported: 2, rejected: 0 });
    expect(r.conversations.map((c) => [c.id, c.messages.length, c.csat ?? null])).toEqual([
      ['7', 3, 4],
      ['8', 1, null],
    ]);
    // a file of one row per conversation keeps refusing a row without its id
    const flat = await run('Ticket ID;Created;Description\n1;2026-08-05;Hi\n;2026-08-06;Hello\n');
    expect(flat.report.rejects).toEqual([{ line: 3, reason: 'empty id' }]);
  });

  it('reads an Excel serial date written with a decimal comma', async () => {
    const csv = 'Ticket ID;Created;Description\n1;46239,5;Where is my order?\n';
    expect((await run(csv)).conversations[0]!.createdAt).toBe('2026-08-05T12:00:00Z');
  });

  it("refuses Excel for Mac's Mac Roman CSV by name instead of reading it as Windows-1252", async () => {
    // é 0x8e, ü 0x9f, ç 0x8d, è 0x8f in Mac Roman; € 0xdb
    const mac = (s: string) =>
      Buffer.from(
        [...s].map(
          (ch) => ({ é: 0x8e, ü: 0x9f, ç: 0x8d, è: 0x8f, '€': 0xdb })[ch as 'é'] ?? ch.charCodeAt(0),
        ),
      );
    const rows = [
      'Ticket ID;Created;Customer;Description',
      '1;2026-08-03 09:13;Jürgen Müller;Où est ma commande de 20 € ?',
      '2;2026-08-04 11:39;François Crème;Le café est arrivé cassé',
      '3;2026-08-05 12:00;Renée Dubois;Je voudrais être remboursée',
      '',
    ].join('\r\n');
    await expect(run(mac(rows))).rejects.toMatchObject({
      code: 'ENCODING',
      message: expect.stringMatching(/Mac Roman .*save it as "CSV UTF-8"/),
    });
    // the same text in Windows-1252, a curly apostrophe included, is still read
    const win = (s: string) =>
      Buffer.from([...s].map((ch) => ({ '€': 0x80, '’': 0x92 })[ch as '€'] ?? ch.charCodeAt(0)));
    const read = await run(win(rows.replace('Le café', 'Le café d’hier')));
    expect(read.report.imported).toBe(3);
    expect(read.conversations[0]!.messages[0]!.text).toBe('Où est ma commande de 20 € ?');
    // English in Mac Roman: its apostrophe (0xd5) is Windows-1252's Õ, and no letter of Windows-1252
    // ("hasnÕt" was read, and the file with it)
    const macQuotes = (s: string) =>
      Buffer.from([...s].map((ch) => ({ '’': 0xd5, é: 0x8e })[ch as 'é'] ?? ch.charCodeAt(0)));
    const english = [
      'Ticket ID;Created;Description',
      '1;2026-08-03 09:13;It hasn’t arrived and I’m worried',
      '2;2026-08-04 11:39;The café chair doesn’t fit',
      '3;2026-08-05 12:00;I’d like a refund, it’s broken',
      '',
    ].join('\r');
    await expect(run(macQuotes(english))).rejects.toMatchObject({
      code: 'ENCODING',
      message: expect.stringMatching(/Mac Roman .*save it as "CSV UTF-8"/),
    });
  });

  it('from a review: what the spreadsheet fixes must not take', async () => {
    // Windows-1252 punctuation beside letters (— … ™ „“) is no Mac Roman
    const win = Buffer.from(
      'Ticket ID,Created,Description\r\n1,2026-08-01 10:00,The order\x97a jacket\x97never came\r\n2,2026-08-02 10:00,I waited\x85 nothing\r\n3,2026-08-03 10:00,My TurboWidget\x99 broke \x84Premium\x93 support please\r\n',
      'latin1',
    );
    expect((await run(win)).report).toMatchObject({ imported: 3, rejected: 0 });
    // another time's column is not the conversation's: an order date, updated, due, customer since
    const dated = (header: string) =>
      `message;order number;${header}\n${['Where is my parcel?;A1;2026-03-02', 'Refund please;A2;2026-05-09', 'Wrong size;A3;2026-07-21', 'Cancel it;A4;2026-08-30'].join('\n')}\n`;
    for (const header of [
      'order date',
      'Updated',
      'Due',
      'Customer since',
      'Geändert am',
      'Date de clôture',
      'Reopened on',
    ])
      expect(
        (
          await collectImport(
            once(dated(header)),
            opts({ undatedAt: '2026-09-01T00:00:00Z', fileName: 'requests.csv' }),
          )
        ).report.notes.join('\n'),
        header,
      ).not.toMatch(/created time read from/);
    // the same column under a name that is no other time's is read ("Fecha de recepción" included)
    expect(
      (
        await collectImport(
          once(dated('Fecha de recepción')),
          opts({ undatedAt: '2026-09-01T00:00:00Z', fileName: 'requests.csv' }),
        )
      ).report.notes.join('\n'),
    ).toMatch(/created time read from the column "Fecha de recepción"/);
    expect(
      (
        await collectImport(
          once(dated('Eingang')),
          opts({ undatedAt: '2026-09-01T00:00:00Z', fileName: 'requests.csv' }),
        )
      ).report.notes,
    ).toContain(
      'created time read from the column "Eingang": its header is not one Cockpit knows, its values are dates',
    );
    // among several dates, the one whose name says it opened the conversation
    const several = await run(
      'Ticket;Updated;Closed;Eingang am;Message\n1;2026-09-02;2026-09-03;2026-08-30;Where is my parcel?\n2;2026-09-05;2026-09-06;2026-09-01;Refund\n3;2026-09-08;2026-09-09;2026-09-04;Cancel\n',
    );
    expect(several.conversations.map((c) => c.createdAt.slice(0, 10))).toEqual([
      '2026-08-30',
      '2026-09-01',
      '2026-09-04',
    ]);
    // a bare CR inside the header's quoted cell of an LF file is no CR line end
    const crInCell = await run(
      '"Ticket\rID",Created,Description\n1,2026-08-01 10:00,Hello world\n2,2026-08-02 10:00,Refund\n',
    );
    expect(crInCell.report).toMatchObject({ imported: 2, rejected: 0 });
    // blank ids under a rejected row are rejected with it, not given to the conversation above
    const merged = await run(
      [
        'Conversation ID;Message date;Author;Message',
        'c1;2026-08-01 10:00;Customer;Where is my parcel?',
        ';2026-08-01 10:05;Agent;It ships today.',
        '2.15469E+14;2026-08-02 09:00;Customer;I want a refund',
        ';2026-08-02 09:10;Agent;Sure, refund issued',
        'c2;2026-08-03 11:00;Customer;Cancel my order',
        '',
      ].join('\n'),
    );
    expect(merged.conversations.map((c) => [c.id, c.messages.length])).toEqual([
      ['c1', 2],
      ['c2', 1],
    ]);
    expect(merged.report.rejected).toBe(2);
    // a message row of its own with a bad date is that row's reject, not its conversation's end
    const badRow = await run(
      [
        'Conversation ID;Message date;Author;Message',
        'c1;2026-08-01 10:00;Customer;Where is my parcel?',
        ';not a date;Agent;It ships today.',
        ';2026-08-01 10:09;Customer;Thanks',
        '',
      ].join('\n'),
    );
    expect(badRow.conversations.map((c) => [c.id, c.messages.length])).toEqual([['c1', 2]]);
    expect(badRow.report.rejected).toBe(1);
    // a ticket whose text opens "Total…" is a ticket (rejected for its missing time), not a totals row
    const total = await run(
      'Description,Ticket,Created\n"Total charged twice on my card",1,\nRefund,2,2026-08-01\n',
    );
    expect(total.report.rejects).toEqual([{ line: 2, reason: 'empty created time' }]);
    const subject = await run(
      'Subject,Description,Created\nSum wrong,My invoice adds up wrong,\nRefund,Money back,2026-08-01\n',
    );
    expect(subject.report.rejects).toEqual([{ line: 2, reason: 'empty created time' }]);
    // the footer's label need not be in the id's column when the id is empty
    const footer = await run('Channel;Ticket ID;Created;Description\nemail;1;2026-08-01;Refund\nTotal;;;1\n');
    expect(footer.report).toMatchObject({ imported: 1, rejected: 0, skipped: 1 });
    // an old-Mac file whose header holds a stray inch sign is still read by its CR line ends
    const inch = await run(
      'Ticket ID;Created;Screen 5" size;Description\r1;2026-08-01;yes;Refund\r2;2026-08-02;no;Parcel\r',
    );
    expect(inch.report).toMatchObject({ imported: 2, rejected: 0 });
  });

  it('French satisfaction headers are ratings', async () => {
    const csv =
      'Numéro de ticket;Créé le;Description;Note de satisfaction\n7;2026-10-02 10:00;Où est mon colis ?;4\n';
    expect((await run(csv)).conversations[0]!.csat).toBe(4);
  });

  it("Excel for Mac's CSV: rows end in a bare CR, a cell's own line breaks are LF", async () => {
    const csv = [
      'Ticket ID;Created;Subject;Description',
      '4001;2026-08-03 08:14;Return an item;"Hi,\nhow do I return something I bought?"',
      '4002;2026-08-04 09:30;Late parcel;"Where is my order?\nIt was due Monday."',
      '',
    ].join('\r');
    const r = await run(csv);
    expect(r.report).toMatchObject({ records: 2, imported: 2, rejected: 0 });
    expect(r.conversations.map((c) => c.messages[0]!.text)).toEqual([
      'Return an item\nHi,\nhow do I return something I bought?',
      'Late parcel\nWhere is my order?\nIt was due Monday.',
    ]);
    expect(r.report.notes).toContain('lines end in a bare CR (old Mac format); read as line breaks');
    // a Unix file whose cell holds a stray CR keeps its LF rows
    const unix = 'Ticket ID;Created;Subject\n4001;2026-08-03 08:14;"Return\ran item"\n';
    expect((await run(unix)).report.notes.join('\n')).not.toMatch(/bare CR/);
    // and an old Mac file whose cell holds a pasted CRLF (a signature) keeps its CR rows
    const pasted = [
      'Ticket ID;Created;Subject;Description',
      '4001;2026-08-03 08:14;Return an item;"How do I return it?\r\nBest, Ana"',
      '4002;2026-08-04 09:30;Late parcel;Where is my order?',
      '',
    ].join('\r');
    const read = await run(pasted);
    expect(read.report).toMatchObject({ records: 2, imported: 2, rejected: 0 });
    expect(read.report.notes).toContain('lines end in a bare CR (old Mac format); read as line breaks');
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

  it('a gzip that inflates over 100× its size is cut short once past 64 MB, as a bomb', async () => {
    // a valid first record, then 80 MB of spaces on one (over-long, dropped) line: ~80 KB gzipped
    const bomb = gzipSync(Buffer.concat([fixture('canonical.jsonl'), Buffer.alloc(80 * 1024 * 1024, ' ')]));
    expect(bomb.length).toBeLessThan(200_000);
    const e = await fatal(chunked(bomb, 16 * 1024));
    expect(e.code).toBe('TOO_LARGE');
    expect(e.message).toMatch(
      /^the gzip data inflates over 100× its compressed size \(64\.\d MB of text from/,
    );
    // an export's own ratio (5–15×) reads in full
    const r = await run(gzipSync(Buffer.from(fixture('canonical.jsonl').toString().repeat(40))));
    expect(r.report.gzip).toBe(true);
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
    // a mail client's quoted reply keeps its quote marks, and Gmail's quote starts a line
    expect(
      htmlToText(
        '<div>Still no card.<div class="gmail_quote">On Tue, 3 Mar 2026, Bank &lt;help@bank.example&gt; wrote:<blockquote><p>It was sent.</p><p>Regards</p></blockquote></div></div>',
      ),
    ).toBe('Still no card.\nOn Tue, 3 Mar 2026, Bank <help@bank.example> wrote:\n> It was sent.\n> Regards');
  });

  it('htmlToText drops comments whole and keeps table cells apart', () => {
    expect(htmlToText('<!-- old <p>hidden</p> --><p>Where is my order?</p>')).toBe('Where is my order?');
    expect(htmlToText('Hi<!-- never closed <b>x</b>')).toBe('Hi');
    expect(
      htmlToText(
        '<table><tr><th>Order</th><th>Status</th></tr><tr><td>4471</td><td>late</td></tr></table>Help',
      ),
    ).toBe('Order Status\n4471 late\nHelp');
    // a cell left open (allowed in HTML) still ends where the next one starts
    expect(htmlToText('<table><tr><td>a<td>b<tr><td>c</table>')).toBe('a b\nc');
  });

  it("puts the ticket's subject before the first message, unless it is a reply's", () => {
    expect(withSubject('Refund for order 55', 'It arrived broken')).toBe(
      'Refund for order 55\nIt arrived broken',
    );
    expect(withSubject('Re: RE: Password reset', 'My card never came')).toBe('My card never came');
    expect(withSubject('AW: Ihre Bestellung', '')).toBe('Ihre Bestellung');
    expect(withSubject('Refund', 'Refund please, it broke')).toBe('Refund please, it broke');
    // a subject the help desk wrote itself says nothing of the request
    expect(withSubject('Conversation with Web User 25a9', 'my internet is down')).toBe('my internet is down');
    expect(withSubject('Call from: +49 30 123', '')).toBe('');
    expect(withSubject('Call from my bank about a fee', '')).toBe('Call from my bank about a fee');
  });

  it('reads message exports as their tools mean them: the conversation id, bots, the AI column, Excel ids, header zones and scales', async () => {
    // Kustomer: "ID" is the message's, "Conversation ID" the conversation's
    const kustomer = await run(
      [
        'ID,Conversation ID,Direction,Author,Channel,Body,Created At',
        'm1,c1,in,,email,my sofa never came,2024-03-11T15:04:05Z',
        'm2,c1,out,Ines,email,"So sorry, rebooked for Thursday",2024-03-11T16:10:00Z',
        'm3,c1,in,,email,Thursday works,2024-03-11T16:30:00Z',
      ].join('\n'),
    );
    expect(kustomer.conversations.map((c) => [c.id, c.messages.map((m) => m.role)])).toEqual([
      ['c1', ['customer', 'agent', 'customer']],
    ]);
    // a bot's greeting nobody answered is no customer's request
    const alone = await run(
      'Conversation ID,Date,Channel,Author type,Author name,Message\nc-1,2024-03-13 12:12,widget,bot,Welcome flow,Hi there! How can we help?\nc-2,2024-03-14 09:00,widget,visitor,Maria,do you ship to Norway?\n',
    );
    expect(alone.byId.get('c-1')!.messages).toMatchObject([{ role: 'ai' }]);
    expect(alone.byId.get('c-2')!.messages).toMatchObject([
      { role: 'customer', text: 'do you ship to Norway?' },
    ]);
    // "Fin AI Agent involved: false": the Operator's greeting is a workflow's, not the AI agent's
    const workflow = await run(
      [
        'Conversation ID,Message created at (UTC),Message author type,Message author name,Message body,Channel,Fin AI Agent involved',
        '215469000168,2024-03-10 06:12:48,bot,Operator,Hi there! How can we help?,Chat,false',
        '215469000168,2024-03-10 06:13:30,user,Maria Lopez,I need to change my e-mail address,Chat,false',
        '215469000168,2024-03-10 06:17:00,admin,Sam Reyes,Sure: what is the new one?,Chat,false',
      ].join('\n'),
    );
    const w = workflow.byId.get('215469000168')!;
    expect(w.aiInvolved).toBe(false);
    expect(w.messages.map((m) => m.role)).toEqual(['customer', 'agent']);
    // ids Excel rounded are refused, not merged into one conversation
    const excel = await run(
      'Conversation ID,Created at,Author,Body\n2.15469E+14,2024-03-10 06:12,user,where is my order\n2.15469E+14,2024-03-11 08:00,user,cancel my plan\n',
    );
    expect(excel.conversations).toHaveLength(0);
    expect(excel.report.rejects[0]!.reason).toMatch(
      /^id "2\.15469E\+14" is a number Excel rounded to scientific notation/,
    );
    // Zoho Desk: a Resolution beside the ticket's Status, without an AI column, is the team's
    const zoho = await run(
      'Ticket Id,Subject,Description,Status,Resolution,Created Time\n300,Refund,I still have no refund,Closed,Resolved,2024-03-04 07:13\n301,Address,ship it to my office,Closed,Escalated,2024-03-04 12:13\n',
    );
    expect(zoho.conversations.map((c) => [c.aiInvolved, c.aiResolutionState])).toEqual([
      [false, null],
      [false, null],
    ]);
    // a zone and a scale named in the header
    const named = await run(
      'Ticket ID,Created at (CET),Description,CSAT (1-10)\n1,2024-03-04 09:00,Where is my refund?,9\n2,2024-03-04 10:00,I cannot log in,2\n',
    );
    expect(named.conversations.map((c) => [c.createdAt, c.csat])).toEqual([
      ['2024-03-04T08:00:00Z', 5],
      ['2024-03-04T09:00:00Z', 1],
    ]);
  });

  it('keeps what a message file does not say: a blank AI cell, a bare ID beside a session id, a bot-opened ticket, exact E+ ids', async () => {
    // a blank AI cell says nothing: the bot's answer stays, and says the AI agent took part
    const blank = await run(
      'Conversation ID,Created at,Author type,Message,Fin AI Agent involved\nc1,2024-03-10 06:12,user,where is my order,\nc1,2024-03-10 06:13,bot,Your order ships Monday,\n',
    );
    expect(blank.byId.get('c1')).toMatchObject({
      aiInvolved: true,
      messages: [{ role: 'customer' }, { role: 'ai' }],
    });
    // a session groups conversations: the bare ID stays the conversation's
    const session = await run(
      'ID,Session ID,Created at,Author,Message\n101,s-9,2024-03-10 06:12,user,where is my order\n101,s-9,2024-03-10 06:13,agent,ships monday\n102,s-9,2024-03-10 07:12,user,cancel my plan\n',
    );
    expect(session.conversations.map((c) => c.id)).toEqual(['101', '102']);
    // a ticket export's row opened by a chatbot is still the customer's request
    const ticket = await run(
      'Ticket ID,Created,Subject,Description,From\n1,2024-03-10 06:12,Double charge,My card was charged twice,Chatbot\n',
    );
    expect(ticket.byId.get('1')!.messages).toEqual([
      { role: 'customer', text: 'Double charge\nMy card was charged twice', at: '2024-03-10T06:12:00Z' },
    ]);
    // every digit kept, or no Excel number: read as written
    const exact = await run(
      'Conversation ID,Created at,Author,Body\n1.23456789012E+11,2024-03-10 06:12,user,where is my order\n1E+3,2024-03-11 08:00,user,cancel my plan\n',
    );
    expect(exact.conversations.map((c) => c.id)).toEqual(['1.23456789012E+11', '1E+3']);
  });

  it("reads LiveChat's and Salesforce's transcript stamps, Freshdesk's numeric sources and newest-first message files", async () => {
    const livechat = await run(
      'Chat ID,Chat start date,Chat transcript\nS1,2024-03-07 00:13:00,"[2024-03-07 00:13:00] Maria Lopez: Is there a student discount?\n[2024-03-07 00:15:00] Marek Nowak: Yes, 15% with a student ID."\n',
    );
    const salesforce = await run(
      '"Case Number","Subject","Description","Case Origin","Date/Time Opened"\n"00001111","Chat with Maria Lopez","Chat Started: Thursday, March 07, 2024, 00:13:00 (+0000)\nChat Origin: Web Chat\nAgent Sam R\n( 0s ) Maria Lopez: Is there a student discount?\n( 120s ) Sam R: Yes, 15% with a student ID.","Chat","3/17/2024 12:13 AM"\n',
    );
    for (const r of [livechat, salesforce])
      expect(r.conversations[0]!.messages.map((m) => [m.role, m.text])).toEqual([
        ['customer', 'Is there a student discount?'],
        ['agent', 'Yes, 15% with a student ID.'],
      ]);
    const freshdesk = await run(
      JSON.stringify([
        {
          id: 1,
          subject: 'Restock',
          description_text: 'is the hoodie coming back?',
          source: 7,
          created_at: '2024-03-04T18:13:00Z',
        },
        {
          id: 2,
          subject: 'Charge',
          description_text: 'charged twice',
          source: 3,
          created_at: '2024-03-04T18:20:00Z',
        },
      ]),
    );
    expect(freshdesk.conversations.map((c) => c.channel)).toEqual(['chat', 'phone']);
    // newest first (c-1 shows it): the same minute's rows of c-2 are turned round with the rest of the file
    const newestFirst = await run(
      [
        'Conversation ID,Date,Author type,Message',
        'c-1,2024-03-17 09:05,operator,It ships today.',
        'c-1,2024-03-17 09:01,visitor,where is my parcel',
        'c-2,2024-03-18 12:13,bot,On public holidays we open 10-16.',
        'c-2,2024-03-18 12:13,visitor,What are your opening hours on holidays?',
      ].join('\n'),
    );
    expect(newestFirst.byId.get('c-2')!.messages.map((m) => m.role)).toEqual(['customer', 'ai']);
  });

  it("reads a Zendesk CSV's chat rows without the subject Zendesk wrote, and its Via values as channels", async () => {
    const csv = [
      'Id,Subject,Description,Created at,Status,Via',
      '1,Conversation with Web User 25a9,"speed test says 3mbps, please help",2026-08-03 08:58:29,Open,Web Widget',
      '2,Change of account holder,"change the surname on the account please",2026-08-03 09:37:25,Solved,Web form',
      '3,Bill,"why is my bill higher",2026-08-03 10:00:00,Solved,Phone call (incoming)',
    ].join('\n');
    const r = await run(csv);
    expect(r.byId.get('1')!.messages[0]!.text).toBe('speed test says 3mbps, please help');
    expect(r.byId.get('2')!.messages[0]!.text).toBe(
      'Change of account holder\nchange the surname on the account please',
    );
    expect([...r.byId.values()].map((c) => c.channel)).toEqual(['chat', 'email', 'phone']);
    expect(r.report.notes.some((n) => n.includes('→ "other"'))).toBe(false);
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
  // the estimate marks a prospect's import; the pipeline does not
  const prospect = { accountId: 'prospect', format: 'canonical', prospect: true } as const;
  const bare = (extra: Record<string, unknown> = {}) =>
    `${JSON.stringify({ id: 'p2', createdAt: '2026-05-01T10:00:00Z', messages: [], ...extra })}\n`;

  it('imports them as not involved', async () => {
    const line = JSON.stringify({
      id: 'p1',
      createdAt: '2026-05-01T10:00:00Z',
      channel: 'chat',
      messages: [{ role: 'customer', text: 'where is my parcel' }],
    });
    const { conversations } = await collectImport(once(`${line}\n`), prospect);
    expect(conversations).toHaveLength(1);
    expect(conversations[0]).toMatchObject({
      id: 'p1',
      accountId: 'prospect',
      aiInvolved: false,
      aiResolutionState: null,
    });
    // nor a channel: "other", said in the notes (a customer bundle's pipeline requires one)
    const r = await collectImport(once(bare()), prospect);
    expect(r.conversations[0]).toMatchObject({ id: 'p2', channel: 'other' });
    expect(r.report.notes.join('\n')).toMatch(/canonical: no channel → "other"/);
    // an AI outcome without aiInvolved says the AI agent took part
    const state = await collectImport(
      once(bare({ channel: 'chat', aiResolutionState: 'escalated' })),
      prospect,
    );
    expect(state.conversations[0]).toMatchObject({ aiInvolved: true, aiResolutionState: 'escalated' });
  });

  it('rejects them for the pipeline (not a prospect) for the reason a bundle folder gives', async () => {
    const { accountId, format } = prospect;
    const lines = [
      bare({ channel: 'chat' }),
      bare({ aiInvolved: false }),
      bare({ channel: 'chat', aiResolutionState: 'escalated' }),
    ];
    const r = await collectImport(once(lines.join('')), { accountId, format });
    expect(r.report.imported).toBe(0);
    expect(r.report.rejects.map((x) => x.reason)).toEqual([
      'missing or non-boolean field "aiInvolved"',
      expect.stringMatching(/^missing required field "channel"/),
      'missing or non-boolean field "aiInvolved"',
    ]);
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

describe('a JSON array written on one line (not pretty-printed)', () => {
  const lines = (file: string) =>
    fixture(file)
      .toString()
      .split('\n')
      .filter((l) => l.trim() !== '');

  it('reads every element as a record, as the pretty-printed array is read', async () => {
    // Zendesk: [{ticket},…]
    const tickets = (JSON.parse(fixture('zendesk-tickets.json').toString()) as { tickets: unknown[] })
      .tickets;
    const pretty = await run(JSON.stringify(tickets, null, 2));
    for (const text of [JSON.stringify(tickets), `${JSON.stringify(tickets)}\n`]) {
      const compact = await run(text);
      expect(compact.report).toMatchObject({ format: 'zendesk', imported: 2, skipped: 1, rejected: 0 });
      expect(compact.conversations).toEqual(pretty.conversations);
    }
    // Intercom: [{conversation},…]
    const intercom = await run(`[${lines('intercom.jsonl').join(',')}]\n`);
    expect(intercom.report).toMatchObject({ format: 'intercom', imported: 4, skipped: 2, rejected: 0 });
    expect(intercom.conversations).toEqual((await run(fixture('intercom.jsonl'))).conversations);
    // an array of conversation.list pages
    const page = JSON.parse(fixture('intercom-page.json').toString());
    const pages = await run(`${JSON.stringify([page, page])}\n`);
    expect(pages.report).toMatchObject({ format: 'intercom', imported: 4, rejected: 0 });
    expect(pages.conversations.map((c) => c.id)).toEqual(['7001', '7002', '7001', '7002']);
    // canonical: the bad element is one reject, on the array's line
    const canonical = await run(`[${lines('canonical.jsonl').join(',')}]`);
    expect(canonical.report).toMatchObject({ format: 'canonical', records: 3, imported: 2, rejected: 1 });
    expect(canonical.report.rejects).toEqual([
      { line: 1, reason: expect.stringContaining('unknown channel "fax"') },
    ]);
  });

  it('an array line without objects is still one bad record', async () => {
    const r = await run(`${lines('canonical.jsonl').slice(0, 2).join('\n')}\n[1,2,3]\n`);
    expect(r.report.rejects).toEqual([{ line: 3, reason: expect.stringMatching(/object/) }]);
  });
});

describe('JSON lines whose first line is broken', () => {
  const good = fixture('canonical.jsonl').toString().trim().split('\n').slice(0, 2);

  it('costs only that line, as in the bundle folder', async () => {
    const r = await run(`{"id":"c-0","accountId":"acme",\n${good.join('\n')}\n`);
    expect(r.report).toMatchObject({ format: 'canonical', imported: 2, rejected: 1 });
    expect(r.report.rejects).toEqual([{ line: 1, reason: expect.stringMatching(/^invalid JSON/) }]);
    // Intercom and Zendesk NDJSON alike
    const intercom = fixture('intercom.jsonl').toString().trim().split('\n');
    const i = await run(`{"type":"conversation","id":"9",\n${intercom.join('\n')}\n`);
    expect(i.report).toMatchObject({ imported: 4, skipped: 2, rejected: 1 });
    const zendesk = fixture('zendesk-incremental.jsonl').toString().trim().split('\n');
    const z = await run(`{"id": 999, "requester_id": 1, "via": {"channel":\n${zendesk.join('\n')}\n`);
    expect(z.report).toMatchObject({ imported: 3, rejected: 1 });
  });

  it('a .jsonl name settles two lines, one of them broken', async () => {
    const text = `{"id":"c-0","accountId":"acme",\n${good[0]}\n`;
    const named = await run(text, { fileName: 'export.jsonl' });
    expect(named.report).toMatchObject({ imported: 1, rejected: 1 });
    expect(looksLikeJsonLines(text)).toBe(false);
    expect(looksLikeJsonLines(text, 'x.ndjson.gz')).toBe(true);
  });

  it('pretty-printed documents are still read as one document', () => {
    for (const file of ['intercom-page.json', 'zendesk-tickets.json', 'zendesk-sideload.json'])
      expect(looksLikeJsonLines(fixture(file).toString(), `${file}l`)).toBe(false);
    const tickets = (JSON.parse(fixture('zendesk-tickets.json').toString()) as { tickets: unknown[] })
      .tickets;
    expect(looksLikeJsonLines(JSON.stringify(tickets, null, 2))).toBe(false);
    // one element per line inside brackets: a document
    const rows = tickets.map((t) => JSON.stringify(t));
    expect(looksLikeJsonLines(`[\n${rows.join(',\n')}\n]\n`)).toBe(false);
    expect(looksLikeJsonLines(fixture('canonical.jsonl').toString())).toBe(true);
    expect(looksLikeJsonLines(JSON.stringify(tickets))).toBe(true);
  });
});

describe('invalid UTF-8 in the first 64 KB', () => {
  const row = (i: number) => `${i},2026-01-01,hello there number ${i}`;

  it('a few bad lines are rejects with their reason, not a refusal of the file', async () => {
    const parts: Buffer[] = [Buffer.from('id,created_at,text\n')];
    for (let i = 1; i <= 999; i++)
      parts.push(
        i === 10 || i === 500
          ? Buffer.from(`${i},2026-01-01,caf\x81\n`, 'latin1')
          : Buffer.from(`${row(i)}\n`),
      );
    const buf = Buffer.concat(parts);
    expect(buf.length).toBeLessThan(64 * 1024);
    const r = await run(buf);
    expect(r.report.imported).toBe(997);
    expect(r.report.rejects).toEqual([
      { line: 11, reason: 'not valid UTF-8 text' },
      { line: 501, reason: 'not valid UTF-8 text' },
    ]);
  });

  it('a file where a large share of the lines is in no encoding it reads is refused as a whole', async () => {
    const lines = (bad: string) =>
      Array.from({ length: 20 }, (_, i) =>
        i % 4 === 0 ? Buffer.from(`${i},2026-01-01,caf${bad}\n`, 'latin1') : Buffer.from(`${row(i)}\n`),
      );
    const e = await fatal(Buffer.concat([Buffer.from('id,created_at,text\n'), ...lines('\x8f')]));
    expect(e.code).toBe('ENCODING');
    // (0x8f after a letter is Mac Roman's è: named so)
    expect(e.message).toMatch(
      /^not a UTF-8 text file: invalid UTF-8 on line 2 .*Mac Roman.*save it as "CSV UTF-8"/,
    );
    // the same share in Windows-1252 is read
    const r = await run(Buffer.concat([Buffer.from('id,created_at,text\n'), ...lines('\xe9')]));
    expect(r.report).toMatchObject({ imported: 20, rejected: 0 });
  });

  it('a header row in no encoding it reads is refused, not replaced by the next row', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => row(i)).join('\n');
    const e = await fatal(Buffer.concat([Buffer.from('id,cr\x90\xe9,text\n', 'latin1'), Buffer.from(rows)]));
    expect(e.code).toBe('ENCODING');
    expect(e.message).toMatch(/header row \(line 1\)/);
  });
});

describe('the plausible window comes from the options', () => {
  it('a record outside the default window is kept when the window says so, and the reverse', async () => {
    const csv = 'id,created_at,text\n1,1998-06-01 10:00,where is my order\n2,2026-01-05 10:00,refund\n';
    const dflt = await collectImport(once(csv), opts());
    expect(dflt.report.rejects).toEqual([{ line: 2, reason: expect.stringMatching(/before 2000-01-01/) }]);
    const wide = await collectImport(
      once(csv),
      opts({ window: plausibleWindow(Date.now(), { notBefore: '1990-01-01' }) }),
    );
    expect(wide.report).toMatchObject({ imported: 2, rejected: 0 });
    const narrow = await collectImport(
      once(csv),
      opts({ window: plausibleWindow(Date.now(), { notBefore: '1990-01-01', notAfter: '2025-12-31' }) }),
    );
    expect(narrow.report.rejects).toEqual([{ line: 3, reason: expect.stringMatching(/after 2025-12-31/) }]);
    // Intercom and canonical records alike
    const intercom = await collectImport(
      once(fixture('intercom.jsonl')),
      opts({ window: plausibleWindow(Date.now(), { notAfter: '2000-12-31' }) }),
    );
    expect(intercom.report.imported).toBe(0);
    const canonical = await collectImport(
      once(fixture('canonical.jsonl')),
      opts({ window: plausibleWindow(Date.now(), { notAfter: '2000-12-31' }) }),
    );
    expect(canonical.report.imported).toBe(0);
    expect(canonical.report.rejects[0]).toEqual({
      line: 1,
      reason: expect.stringMatching(/is after 2000-12-31 \(outside the plausible window\)/),
    });
  });

  it('every reject reaches onReject, past the 100 listed in the report', async () => {
    const rows = Array.from({ length: 300 }, (_, i) =>
      i % 2 ? `${i},2026-01-05 10:00,ok ${i}` : `${i},last tuesday,bad ${i}`,
    );
    const seen: { line: number; reason: string; record: string }[] = [];
    const r = await collectImport(
      once(`id,created_at,text\n${rows.join('\n')}\n`),
      opts({ onReject: (x) => seen.push(x) }),
    );
    expect(r.report.rejected).toBe(150);
    expect(r.report.rejects).toHaveLength(100);
    expect(seen).toHaveLength(150);
    expect(seen[0]).toEqual({
      line: 2,
      reason: expect.stringContaining('date'),
      record: '0,last tuesday,bad 0',
    });
  });
});

describe('flat JSON records (a help desk ticket list, a list of requests)', () => {
  it('reads a Freshdesk-style ticket array by its keys, the plain-text description before the HTML one', async () => {
    const tickets = [
      {
        id: 101,
        subject: 'Parcel not here',
        description: '<div>Where is my <b>parcel</b>?</div>',
        description_text: 'Where is my parcel? It was due on Monday.',
        created_at: '2026-10-03T09:12:00Z',
        status: 2,
        tags: ['shipping'],
        requester: { name: 'Ana' },
      },
      {
        id: 102,
        subject: 'Refund',
        description: '<p>Please refund order 55</p>',
        description_text: 'Please refund order 55',
        created_at: '2026-10-04T11:00:00Z',
        status: 5,
        tags: [],
        requester: { name: 'Bo' },
      },
    ];
    const r = await run(JSON.stringify(tickets, null, 2), { fileName: 'tickets.json' });
    expect(r.report.format).toBe('records');
    expect(r.report.mapping).toMatchObject({ id: 'id', created_at: 'createdAt', description_text: 'text' });
    expect(r.conversations.map((c) => c.id)).toEqual(['101', '102']);
    expect(r.byId.get('101')!.messages[0]!.text).toBe(
      'Parcel not here\nWhere is my parcel? It was due on Monday.',
    );
    expect(r.byId.get('102')!.createdAt).toBe('2026-10-04T11:00:00Z');
  });

  it('reads JSON lines of requests without dates only when the caller dates them, and says so', async () => {
    const lines =
      '{"text":"I am still waiting on my card","label":11}\n{"text":"how do I reset my pin","label":3}\n';
    const refused = await fatal(lines, { fileName: 'requests.jsonl' });
    expect(refused.code).toBe('MISSING_COLUMNS');
    expect(refused.message).toMatch(/no column for created time/);
    const r = await run(lines, { fileName: 'requests.jsonl', undatedAt: '2026-11-30T12:00:00.000Z' });
    expect(r.report).toMatchObject({ format: 'records', imported: 2, rejected: 0, undated: true });
    expect(r.conversations.every((c) => c.createdAt === '2026-11-30T12:00:00.000Z')).toBe(true);
    expect(r.conversations[0]!.messages[0]).toMatchObject({
      role: 'customer',
      text: 'I am still waiting on my card',
    });
    expect(r.report.notes).toContain('ignored fields: label');
  });

  it('takes records under data, and groups one record per message by id', async () => {
    const doc = {
      data: [
        { conversation_id: 'c1', created_at: '2026-10-01T10:00:00Z', author: 'customer', message: 'hi' },
        {
          conversation_id: 'c1',
          created_at: '2026-10-01T10:01:00Z',
          author: 'agent',
          message: 'hello, how can I help',
        },
        {
          conversation_id: 'c1',
          created_at: '2026-10-01T10:02:00Z',
          author: 'customer',
          message: 'cancel my order 12',
        },
        {
          conversation_id: 'c2',
          created_at: '2026-10-02T08:00:00Z',
          author: 'customer',
          message: 'where is my refund',
        },
      ],
    };
    const r = await run(JSON.stringify(doc), { fileName: 'export.json' });
    expect(r.report.format).toBe('records');
    expect(r.conversations.map((c) => [c.id, c.messages.length])).toEqual([
      ['c1', 3],
      ['c2', 1],
    ]);
    expect(r.byId.get('c1')!.messages.map((m) => m.role)).toEqual(['customer', 'agent', 'customer']);
  });

  it("keeps a record whole when it holds its own items list (an order's lines are not more requests)", async () => {
    const orders = [1, 2, 3].map((n) => ({
      id: `o${n}`,
      created_at: `2026-10-0${n}T10:00:00Z`,
      message: `order ${n} arrived broken, I want a replacement`,
      items: [
        { sku: 'a', name: 'mug', qty: 1 },
        { sku: 'b', name: 'plate', qty: 2 },
      ],
    }));
    const lines = `${orders.map((o) => JSON.stringify(o)).join('\n')}\n`;
    const pretty = JSON.stringify(orders, null, 2);
    for (const [input, fileName] of [
      [lines, 'orders.jsonl'],
      [pretty, 'orders.json'],
    ] as const) {
      expect(detectFormat(input, fileName).format).toBe('records');
      const r = await run(input, { fileName });
      expect(r.conversations.map((c) => c.id)).toEqual(['o1', 'o2', 'o3']);
      expect(r.byId.get('o2')!.messages[0]!.text).toBe('order 2 arrived broken, I want a replacement');
      expect(r.report.rejected).toBe(0);
    }
  });

  it('counts every row of an undated file without ids, equal rows included (each is a request)', async () => {
    const asked = ['where is my order', 'where is my order', 'cancel my plan', 'where is my order'];
    const jsonl = `${asked.map((t) => JSON.stringify({ text: t })).join('\n')}\n`;
    const csv = `text\n${asked.join('\n')}\n`;
    for (const [input, fileName] of [
      [jsonl, 'requests.jsonl'],
      [csv, 'requests.csv'],
    ] as const) {
      const r = await run(input, { fileName, undatedAt: '2026-11-30T12:00:00.000Z' });
      expect(new Set(r.conversations.map((c) => c.id)).size).toBe(4);
      expect(r.conversations.filter((c) => c.messages[0]!.text === 'where is my order')).toHaveLength(3);
    }
    // with a time column, an identical row is the same conversation exported twice
    const dated = 'created_at,text\n2026-10-01 10:00,hello\n2026-10-01 10:00,hello\n';
    expect(new Set((await run(dated, { fileName: 'd.csv' })).conversations.map((c) => c.id)).size).toBe(1);
  });

  it('reads a flat ticket list with requester_id as records when its text is in a field Zendesk lacks', async () => {
    const tickets = [
      {
        id: 7,
        requester_id: 900,
        subject: 'Card blocked',
        description: '<p>My card is <b>blocked</b></p>',
        description_text: 'My card is blocked since yesterday',
        created_at: '2026-10-05T08:00:00Z',
        satisfaction_rating: null,
      },
    ];
    const input = JSON.stringify(tickets);
    expect(detectFormat(input, 'tickets.json').format).toBe('records');
    const r = await run(input, { fileName: 'tickets.json' });
    expect(r.byId.get('7')!.messages[0]!.text).toBe('Card blocked\nMy card is blocked since yesterday');
    // a Zendesk ticket keeps its own reader, via or not
    const zendesk =
      '{"id":1,"requester_id":2,"subject":"Help","description":"Where is my parcel?","created_at":"2026-10-05T08:00:00Z"}';
    expect(detectFormat(zendesk, 't.json').format).toBe('zendesk');
  });

  it('takes its fields from the first records, not the first alone, and names itself in its notes', async () => {
    const lines = [
      { id: 'a', created_at: '2026-10-01T10:00:00Z', text: 'refund please' },
      {
        id: 'b',
        created_at: '2026-10-02T10:00:00Z',
        text: 'help',
        subject: 'Login broken',
        channel: 'pigeon',
      },
    ];
    const r = await run(`${lines.map((l) => JSON.stringify(l)).join('\n')}\n`, { fileName: 'x.jsonl' });
    expect(r.byId.get('b')!.messages[0]!.text).toBe('Login broken\nhelp');
    expect(r.report.notes.join('\n')).toMatch(/JSON records: channel "pigeon"/);
    expect(r.report.notes.join('\n')).not.toMatch(/CSV:/);
  });

  it('reads a line that is a list of pages of records', async () => {
    const input = `${JSON.stringify([
      [{ id: 1, created_at: '2026-10-01T10:00:00Z', text: 'one' }],
      [{ id: 2, created_at: '2026-10-01T11:00:00Z', text: 'two' }],
    ])}\n`;
    expect(detectFormat(input, 'pages.json').format).toBe('records');
    expect((await run(input, { fileName: 'pages.json' })).conversations.map((c) => c.id)).toEqual(['1', '2']);
  });

  it('says why when the first JSON value is longer than the part the format is recognised from', () => {
    const input = `[\n  {"notes": "${'x'.repeat(70 * 1024)}", "text": "hi"}\n]`;
    expect(detectFormat(input.slice(0, 64 * 1024), 'big.json').reason).toMatch(
      /first JSON value does not end within its first 64 KB/,
    );
  });

  it("reads a ticket's own message list: who wrote each, internal notes out, the subject before the request", async () => {
    const gorgiasLike = {
      data: [
        {
          id: 5001,
          subject: 'Wrong size',
          channel: 'email',
          created_datetime: '2026-10-06T09:00:00Z',
          messages: [
            {
              from_agent: false,
              public: true,
              body_text: 'The shoes I got are a 38, I ordered a 40',
              created_datetime: '2026-10-06T09:00:00Z',
            },
            {
              from_agent: true,
              public: false,
              body_text: 'check stock first',
              created_datetime: '2026-10-06T09:05:00Z',
            },
            {
              from_agent: true,
              public: true,
              body_html: '<p>Sorry about that, a 40 is on its way.</p>',
              created_datetime: '2026-10-06T09:10:00Z',
            },
          ],
        },
      ],
    };
    const r = await run(JSON.stringify(gorgiasLike), { fileName: 'gorgias.json' });
    expect(r.report.format).toBe('records');
    expect(r.byId.get('5001')!.messages).toEqual([
      {
        role: 'customer',
        text: 'Wrong size\nThe shoes I got are a 38, I ordered a 40',
        at: '2026-10-06T09:00:00Z',
      },
      { role: 'agent', text: 'Sorry about that, a 40 is on its way.', at: '2026-10-06T09:10:00Z' },
    ]);
    expect(r.report.notes).toContain('JSON records: messages read from each record\'s "messages" list (1×)');
    expect(r.report.notes).toContain('JSON records: internal notes left out (1×)');
  });

  it("reads Help Scout's API page (conversations under _embedded), pretty-printed past 64 KB or one page a line", async () => {
    const conversation = (id: number) => ({
      id,
      subject: `Invoice ${id}`,
      status: 'closed',
      createdAt: '2026-10-07T08:00:00Z',
      _embedded: {
        threads: [
          {
            type: 'message',
            body: '<p>Here it is.</p>',
            createdAt: '2026-10-07T09:00:00Z',
            createdBy: { type: 'user' },
          },
          {
            type: 'customer',
            body: `Please send me the invoice. ${'Thanks. '.repeat(300)}`,
            createdAt: '2026-10-07T08:00:00Z',
            createdBy: { type: 'customer' },
          },
        ],
      },
    });
    const page = (from: number, n: number) => ({
      _embedded: { conversations: Array.from({ length: n }, (_, i) => conversation(from + i)) },
      _links: { self: { href: 'https://api.helpscout.net/v2/conversations?page=1' } },
      page: { size: n, totalElements: n, totalPages: 1, number: 1 },
    });
    const pretty = JSON.stringify(page(1, 40), null, 2);
    expect(pretty.length).toBeGreaterThan(64 * 1024);
    const big = await run(pretty, { fileName: 'helpscout.json' });
    expect(big.report).toMatchObject({ format: 'records', imported: 40, rejected: 0 });
    expect(big.byId.get('40')!.messages.map((m) => m.role)).toEqual(['customer', 'agent']);
    const lines = await run(`${JSON.stringify(page(1, 2))}\n${JSON.stringify(page(3, 2))}\n`);
    expect([...lines.byId.keys()]).toEqual(['1', '2', '3', '4']);
    // one conversation (GET /conversations/{id}) keeps its threads: they are not records
    const one = await run(JSON.stringify(conversation(7), null, 2));
    expect(one.report.imported).toBe(1);
  });

  it('reads Help Scout-style threads under _embedded, newest first, and a Freshdesk-style description before its replies', async () => {
    const helpScoutLike = {
      id: 77,
      subject: 'Invoice copy',
      createdAt: '2026-10-07T08:00:00Z',
      _embedded: {
        threads: [
          {
            type: 'note',
            body: 'asked finance',
            createdAt: '2026-10-07T10:00:00Z',
            createdBy: { type: 'user' },
          },
          {
            type: 'message',
            body: '<p>Here it is.</p>',
            createdAt: '2026-10-07T09:00:00Z',
            createdBy: { type: 'user' },
          },
          {
            type: 'customer',
            body: 'Can you send me the invoice for September?',
            createdAt: '2026-10-07T08:00:00Z',
            createdBy: { type: 'customer' },
          },
        ],
      },
    };
    const hs = await run(`${JSON.stringify(helpScoutLike)}\n`, { fileName: 'helpscout.jsonl' });
    // the mailbox's reply ("message", by a "user") is the agent's; the note stays out
    expect(hs.byId.get('77')!.messages.map((m) => [m.role, m.text])).toEqual([
      ['customer', 'Invoice copy\nCan you send me the invoice for September?'],
      ['agent', 'Here it is.'],
    ]);
    expect(hs.report.notes.join('\n')).not.toMatch(/names the sender/);
    expect(hs.report.notes).toContain('JSON records: internal notes left out (1×)');
    // outside Help Scout's shape a "user" says nothing: Intercom's users are its customers
    const userElsewhere = {
      id: 78,
      subject: 'Parcel',
      created_at: '2026-10-07T08:00:00Z',
      messages: [
        { type: 'customer', body: 'Where is my parcel?', created_at: '2026-10-07T08:00:00Z' },
        {
          type: 'message',
          body: 'Any news?',
          created_at: '2026-10-07T09:00:00Z',
          createdBy: { type: 'user' },
        },
      ],
    };
    const other = await run(`${JSON.stringify(userElsewhere)}\n`, { fileName: 'other.jsonl' });
    // the same with camelCase times throughout: records still, not canonical lines rejected one by one
    const camel = JSON.stringify(userElsewhere).replaceAll('"created_at"', '"createdAt"');
    const camelRun = await run(`${camel}\n`, { fileName: 'other.jsonl' });
    expect(camelRun.report.format).toBe('records');
    expect(camelRun.byId.get('78')!.messages.map((m) => m.text)).toEqual(['Parcel\nWhere is my parcel?']);
    expect(other.byId.get('78')!.messages.map((m) => m.role)).toEqual(['customer']);
    expect(other.report.notes.join('\n')).toMatch(/messages no field names the sender of .* \(1×\)/);
    const freshdeskLike = [
      {
        id: 9,
        requester_id: 4,
        subject: 'Login',
        description_text: 'I cannot log in since the update',
        created_at: '2026-10-08T07:00:00Z',
        conversations: [
          {
            incoming: false,
            private: false,
            body_text: 'Please clear the app cache',
            created_at: '2026-10-08T07:30:00Z',
          },
          {
            incoming: true,
            private: false,
            body_text: 'That fixed it, thanks',
            created_at: '2026-10-08T08:00:00Z',
          },
        ],
      },
    ];
    const fd = await run(JSON.stringify(freshdeskLike), { fileName: 'freshdesk.json' });
    expect(fd.byId.get('9')!.messages.map((m) => [m.role, m.text])).toEqual([
      ['customer', 'Login\nI cannot log in since the update'],
      ['agent', 'Please clear the app cache'],
      ['customer', 'That fixed it, thanks'],
    ]);
  });

  it('reads a time field that is empty in every first record as no time field', async () => {
    const lines =
      '{"id":1,"created_at":null,"text":"where is my parcel"}\n{"id":2,"created_at":null,"text":"refund"}\n';
    expect(detectFormat(lines, 'x.jsonl')).toMatchObject({ format: 'records', undated: true });
    const r = await run(lines, { fileName: 'x.jsonl', undatedAt: '2026-11-30T12:00:00.000Z' });
    expect(r.report).toMatchObject({ imported: 2, rejected: 0, undated: true });
    expect((await fatal(lines, { fileName: 'x.jsonl' })).message).toMatch(/no column for created time/);
  });
});
