/**
 * The generic CSV importer against the export layouts of help desks without an importer of their
 * own. The fixtures (tests/fixtures/imports/helpdesks/) are made-up conversations; only their
 * header rows, date formats and value spellings follow each tool's documented export.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateConversation } from '../server/domain/validate.ts';
import { collectImport, detectFormat, ImportError, type ImportOptions } from '../server/importers/index.ts';

const DIR = join(import.meta.dirname, 'fixtures', 'imports', 'helpdesks');
const fixture = (name: string) => readFileSync(join(DIR, name));

async function* once(buf: Buffer | string): AsyncGenerator<Buffer> {
  yield Buffer.isBuffer(buf) ? buf : Buffer.from(buf);
}

async function run(name: string, extra: Partial<ImportOptions> = {}) {
  const buf = fixture(name);
  expect(detectFormat(buf.toString('utf8'), name).format).toBe('csv');
  const r = await collectImport(once(buf), { accountId: 'prospect-1', fileName: name, ...extra });
  for (const c of r.conversations) {
    const v = validateConversation(c);
    expect(v.ok, v.ok ? '' : `${c.id}: ${v.reason}`).toBe(true);
  }
  const byId = new Map(r.conversations.map((c) => [c.id, c]));
  const texts = (id: string) => byId.get(id)!.messages.map((m) => [m.role, m.text]);
  return { ...r, byId, texts };
}

describe('help desk CSV exports read by the generic importer', () => {
  it('Freshdesk ticket export: survey results, sources, times with a +0530 offset', async () => {
    const r = await run('freshdesk-tickets.csv');
    expect(r.report.mapping).toEqual({
      'Ticket ID': 'id',
      'Created time': 'createdAt',
      Description: 'text',
      Subject: 'subject',
      Status: 'outcome',
      'Survey results': 'rating',
      Source: 'channel',
      Tags: 'tags',
    });
    expect(r.report).toMatchObject({ records: 6, imported: 6, rejected: 0 });
    expect(r.byId.get('4101')).toMatchObject({
      createdAt: '2024-03-05T08:52:10Z',
      channel: 'email',
      csat: 5,
      tags: ['damaged', 'replacement'],
      aiInvolved: false,
      aiResolutionState: null,
    });
    expect(r.texts('4101')).toEqual([
      [
        'customer',
        'Blender jug arrived cracked\nThe glass jug was cracked when I opened the box. Can you send a new one?',
      ],
    ]);
    // Awesome / Not Good / Just Okay / Extremely Happy; Feedback Widget and Outbound Email are email
    expect(['4101', '4102', '4104', '4105', '4106'].map((id) => r.byId.get(id)!.csat)).toEqual([
      5,
      1,
      3,
      5,
      null,
    ]);
    expect(r.byId.get('4105')!.channel).toBe('email');
    expect(r.byId.get('4106')!.channel).toBe('email');
    // "Resolved" is the team's status, not an AI agent's resolution
    expect(r.report.notes.join('\n')).toMatch(/help-desk status "Resolved" without an AI column/);
  });

  it('Help Scout conversation export: the preview is the text after the subject', async () => {
    const r = await run('helpscout-conversations.csv');
    expect(r.report.mapping).toEqual({
      'Conversation ID': 'id',
      'Created At': 'createdAt',
      Preview: 'text',
      Subject: 'subject',
      Status: 'outcome',
      Rating: 'rating',
      Type: 'channel',
      Tags: 'tags',
    });
    expect(r.report).toMatchObject({ imported: 4, rejected: 0 });
    // its Type names the channel
    expect(r.conversations.map((c) => c.channel)).toEqual(['email', 'chat', 'phone', 'email']);
    // a Type that is a ticket kind is not a channel, even when the word is one elsewhere ("Bot", "Web")
    const kinds = await collectImport(
      once(
        'id,created_at,type,subject\n1,2026-06-01T10:00:00Z,Bot,where is my order\n2,2026-06-01T11:00:00Z,Web,cancel it\n',
      ),
      {
        accountId: 'p',
        fileName: 'kinds.csv',
      },
    );
    expect(kinds.conversations.map((c) => c.channel)).toEqual(['other', 'other']);
    // a chat's subject the tool wrote ("Chat with Leo") is not the customer's words
    expect(r.texts('2719002')).toEqual([['customer', 'is there a discount for students?']]);
    // Great / Okay / (none) / Not Good
    expect(r.conversations.map((c) => c.csat)).toEqual([5, 3, null, 1]);
    expect(r.byId.get('2719004')!.createdAt).toBe('2024-04-04T17:30:45Z');
  });

  it("Help Scout's API records: a preview beside the threads is not read as another message", async () => {
    const record = {
      id: 81,
      subject: 'Invoice copy',
      preview: 'Here it is, attached.',
      createdAt: '2024-04-05T08:00:00Z',
      _embedded: {
        threads: [
          { type: 'message', body: 'Here it is, attached.', createdAt: '2024-04-05T09:00:00Z' },
          { type: 'customer', body: 'Please send me the March invoice.', createdAt: '2024-04-05T08:00:00Z' },
        ],
      },
    };
    const r = await collectImport(once(`${JSON.stringify(record)}\n`), { accountId: 'p' });
    expect(r.report.format).toBe('records');
    expect(r.conversations[0]!.messages.map((m) => [m.role, m.text])).toEqual([
      ['customer', 'Invoice copy\nPlease send me the March invoice.'],
      ['agent', 'Here it is, attached.'],
    ]);
  });

  it("Gorgias's API tickets: the survey object's score is the rating, an unrated ticket's null none", async () => {
    const ticket = (id: number, survey: unknown) => ({
      id,
      channel: 'email',
      created_datetime: '2024-01-04T08:24:43.000000',
      messages: [
        {
          from_agent: false,
          public: true,
          body_text: 'Why was my transfer rejected?',
          created_datetime: '2024-01-04T08:24:43',
        },
      ],
      satisfaction_survey: survey,
    });
    const page = {
      data: [ticket(1, null), ticket(2, { score: 4, body_text: 'quick', scored_datetime: null })],
    };
    const r = await collectImport(once(JSON.stringify(page)), { accountId: 'p' });
    expect(r.report.mapping).toMatchObject({ satisfaction_survey: 'rating' });
    expect(r.conversations.map((c) => [c.id, c.csat])).toEqual([
      ['1', null],
      ['2', 4],
    ]);
  });

  it('Gorgias ticket export: first customer message, survey score, social and phone channels', async () => {
    const r = await run('gorgias-tickets.csv');
    expect(r.report.mapping).toEqual({
      'Ticket id': 'id',
      'Created datetime': 'createdAt',
      'First customer message': 'text',
      Subject: 'subject',
      Status: 'outcome',
      'Satisfaction survey score': 'rating',
      Channel: 'channel',
      Tags: 'tags',
    });
    // microseconds and a +02:00 offset
    expect(r.byId.get('90011')!.createdAt).toBe('2024-05-01T10:00:00.123Z');
    expect(r.byId.get('90012')).toMatchObject({
      createdAt: '2024-05-01T09:30:00Z',
      csat: 4,
      channel: 'chat',
    });
    // a reply's subject ("Re: your return") is not put before the request
    expect(r.texts('90013')).toEqual([['customer', 'I sent the parcel back, when will I get my money?']]);
    expect(r.conversations.map((c) => c.channel)).toEqual([
      'email',
      'chat',
      'messenger',
      'social',
      'social',
      'phone',
    ]);
  });

  it('Zoho Desk ticket export: happiness rating, forums, day-month-name times with AM/PM', async () => {
    const r = await run('zoho-desk-tickets.csv');
    expect(r.report.mapping).toEqual({
      'Ticket Id': 'id',
      'Created Time': 'createdAt',
      Description: 'text',
      Subject: 'subject',
      Resolution: 'outcome',
      'Happiness Rating': 'rating',
      Channel: 'channel',
      Category: 'topic',
      Tags: 'tags',
    });
    expect(r.byId.get('301')).toMatchObject({
      createdAt: '2024-03-05T14:22:00Z',
      csat: 5,
      topic: 'Technical',
      channel: 'email',
    });
    // Good / Okay / (none) / Bad / (none)
    expect(r.conversations.map((c) => c.csat)).toEqual([5, 3, null, 1, null]);
    expect(r.byId.get('304')!.channel).toBe('social');
    // the agents' resolution notes are no AI outcome
    expect(r.conversations.every((c) => !c.aiInvolved && c.aiResolutionState === null)).toBe(true);
  });

  it('HubSpot ticket export: ticket name and description, source, category', async () => {
    const r = await run('hubspot-tickets.csv');
    expect(r.report.mapping).toEqual({
      'Ticket ID': 'id',
      'Create date': 'createdAt',
      'Ticket description': 'text',
      'Ticket name': 'subject',
      Source: 'channel',
      Category: 'topic',
    });
    // no description: the ticket name is the request
    expect(r.texts('7700102')).toEqual([['customer', 'Need a copy of last invoice']]);
    expect(r.byId.get('7700103')).toMatchObject({
      createdAt: '2024-06-04T18:30:00Z',
      channel: 'email',
      topic: 'Feature request',
    });
    expect(r.byId.get('7700104')!.channel).toBe('phone');
  });

  it("Salesforce Cases report: month-first times, case reason, and the report's footer skipped", async () => {
    const r = await run('salesforce-cases.csv');
    expect(r.report.mapping).toEqual({
      'Case Number': 'id',
      'Date/Time Opened': 'createdAt',
      Description: 'text',
      Subject: 'subject',
      Status: 'outcome',
      'Case Origin': 'channel',
      'Case Reason': 'topic',
    });
    // the footer's four lines are left out on purpose, not rejects against the 1% rule
    expect(r.report).toMatchObject({ records: 8, imported: 4, skipped: 4, rejected: 0 });
    expect(r.report.skippedReasons).toEqual({
      'report footer (Salesforce: confidentiality, copyright, "Generated By")': 4,
    });
    expect(r.report.notes).toContain(
      'numeric dates read month first (03/31/2026), as the first rows write them',
    );
    expect(r.byId.get('00001043')).toMatchObject({
      createdAt: '2024-03-05T09:05:00Z',
      channel: 'email',
      topic: 'Other',
      aiInvolved: false,
      aiResolutionState: null,
    });
    expect(r.byId.get('00001042')!.createdAt).toBe('2024-03-14T14:22:00Z');
  });

  it('Front message export: message date, extract, and the direction as the author', async () => {
    const r = await run('front-messages.csv');
    expect(r.report.mapping).toEqual({
      'Conversation ID': 'id',
      'Message date': 'createdAt',
      Extract: 'text',
      Subject: 'subject',
      Status: 'outcome',
      Tags: 'tags',
      Direction: 'author',
    });
    expect(r.report).toMatchObject({ records: 5, imported: 2, rejected: 0 });
    expect(r.texts('cnv_77')).toEqual([
      // the subject before the customer's first words, as the one-row formats read it
      ['customer', 'Broken zipper\nHi, the zipper on my backpack broke after a week. Can I get it repaired?'],
      ['agent', 'Sorry about that! Send us a photo and we will ship a replacement.'],
      ['customer', 'Photo attached, thanks.'],
    ]);
    // a conversation the team opened: its earliest message is the team's
    expect(r.byId.get('cnv_78')).toMatchObject({ createdAt: '2024-07-02T10:00:00Z', tags: ['quote'] });
    expect(r.texts('cnv_78').map(([role]) => role)).toEqual(['agent', 'customer']);
  });

  it('Kustomer conversation export: preview, channels list, the normalised 1–5 satisfaction rating', async () => {
    const r = await run('kustomer-conversations.csv');
    expect(r.report.mapping).toEqual({
      ID: 'id',
      'Created At': 'createdAt',
      Preview: 'text',
      Subject: 'subject',
      Status: 'outcome',
      'Satisfaction Rating': 'rating',
      Channels: 'channel',
      Tags: 'tags',
    });
    expect(r.byId.get('65f1a0c2e4b0a2')).toMatchObject({
      createdAt: '2024-03-12T09:30:00Z',
      channel: 'chat',
      csat: 1,
    });
    expect(r.texts('65f1a0c2e4b0a2')).toEqual([
      ['customer', 'can I change the fabric colour after ordering?'],
    ]);
    expect(r.conversations.map((c) => [c.channel, c.csat])).toEqual([
      ['email', 5],
      ['chat', 1],
      ['messenger', null],
    ]);
  });

  it('LiveChat chat list: the transcript split by speaker, rated good / bad / not rated', async () => {
    const r = await run('livechat-chats.csv');
    expect(r.report.mapping).toEqual({
      'Chat ID': 'id',
      'Chat start date': 'createdAt',
      'Chat transcript': 'text',
      'Chat rating': 'rating',
      Tags: 'tags',
    });
    expect(r.texts('RX81QX3')).toEqual([
      ['customer', "I can't log in since this morning"],
      ['agent', 'Could you try the reset link I just sent?'],
      ['customer', 'still broken'],
    ]);
    expect(r.texts('RX81QX4')).toEqual([['customer', 'hello?']]);
    expect(r.conversations.map((c) => c.csat)).toEqual([5, 1, null]);
    // a list of chats names no channel: each is a chat
    expect(r.conversations.map((c) => c.channel)).toEqual(['chat', 'chat', 'chat']);
    // "not rated" is no rating, and nothing to note
    expect(r.report.notes.join('\n')).not.toMatch(/rating/);
    expect(r.byId.get('RX81QX2')!.createdAt).toBe('2024-08-01T10:00:00Z');
  });

  it('Tidio message export: one row per message, day-first dates, the bot as the AI agent', async () => {
    const r = await run('tidio-messages.csv');
    expect(r.report.mapping).toEqual({
      'Conversation ID': 'id',
      Date: 'createdAt',
      Message: 'text',
      Channel: 'channel',
      'Author type': 'author',
    });
    expect(r.report.notes).toContain(
      'numeric dates read day first (31/03/2026), as the first rows write them',
    );
    expect(r.byId.get('c-9001')).toMatchObject({
      createdAt: '2024-03-13T09:15:00Z',
      channel: 'chat',
      aiInvolved: true,
    });
    expect(r.texts('c-9001').map(([role]) => role)).toEqual(['customer', 'ai', 'customer', 'agent']);
    expect(r.byId.get('c-9002')).toMatchObject({ createdAt: '2024-04-02T17:40:00Z', channel: 'messenger' });
  });

  it("Crisp messages: session id, user / operator, notes left out, an origin's network", async () => {
    const r = await run('crisp-messages.csv');
    expect(r.report.mapping).toEqual({
      session_id: 'id',
      timestamp: 'createdAt',
      content: 'text',
      origin: 'channel',
      from: 'author',
      type: 'visibility',
    });
    expect(r.report).toMatchObject({ records: 6, imported: 2, rejected: 0 });
    expect(r.texts('session_1f2e')).toEqual([
      ['customer', 'Hello, my coupon code SPRING24 is not accepted at checkout'],
      ['agent', 'The code expired yesterday, here is a new one: SPRING24B'],
      ['customer', 'works now thanks'],
    ]);
    // unix milliseconds; "urn:crisp.im:whatsapp:0"
    expect(r.byId.get('session_2a9b')).toMatchObject({
      createdAt: '2024-04-02T10:00:00Z',
      channel: 'messenger',
    });
  });

  it("Gladly's Conversation Export holds no customer text: refused, saying what is missing and what to export", async () => {
    const buf = fixture('gladly-conversation-export.csv');
    const d = detectFormat(buf.toString('utf8'), 'gladly-conversation-export.csv');
    expect(d).toMatchObject({
      format: 'csv',
      mapping: { 'Conversation ID': 'id', 'Created At': 'createdAt', Status: 'outcome' },
    });
    expect(d.missing).toMatch(
      /^the CSV has no column for text \(text, body, message, description, subject…\): this is Gladly's Conversation Export/,
    );
    let error: unknown;
    try {
      await collectImport(once(buf), { accountId: 'p', undatedAt: '2024-11-30T12:00:00.000Z' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ImportError);
    expect(error).toMatchObject({ code: 'MISSING_COLUMNS' });
    expect((error as ImportError).message).toContain(
      "without what the customers wrote — export the conversations' messages instead",
    );
    // a header the list does not know is refused as before, without a guess
    expect(d.missing).not.toBe(detectFormat('id,created_at,channel\n1,2026-03-01,chat\n').missing);
    expect(detectFormat('id,created_at,channel\n1,2026-03-01,chat\n').missing).toBe(
      'the CSV has no column for text (text, body, message, description, subject…); found columns: "id", "created_at", "channel"',
    );
  });
});
