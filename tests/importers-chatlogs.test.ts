/**
 * Exports outside the help desks' own layouts: a chat model's conversation log (records whose only
 * words are in a `messages` list of role and content), chat transcripts with a bot's lines, and
 * help-desk CSVs with German, French and Spanish headers. Conversations made up for these tests.
 */
import { describe, expect, it } from 'vitest';
import { validateConversation } from '../server/domain/validate.ts';
import { collectImport, detectFormat, ImportError } from '../server/importers/index.ts';

async function* once(text: string): AsyncGenerator<Buffer> {
  yield Buffer.from(text);
}

async function read(text: string, fileName: string) {
  const r = await collectImport(once(text), { accountId: 'prospect-1', fileName });
  for (const c of r.conversations) {
    const v = validateConversation(c);
    expect(v.ok, v.ok ? '' : `${c.id}: ${v.reason}`).toBe(true);
  }
  return r;
}

const CHAT_LOG = [
  {
    id: 'chat-1',
    created_at: '2026-10-02T09:15:00Z',
    messages: [
      { role: 'system', content: 'You are the support assistant of a shoe shop. Refunds take 5 days.' },
      { role: 'user', content: 'my parcel shows delivered but nothing arrived' },
      { role: 'assistant', content: 'Sorry to hear that. Let me look up the tracking for you.' },
      { role: 'user', content: [{ type: 'text', text: 'order 5521, it was due monday' }] },
      { role: 'tool', content: '{"status":"delivered"}' },
    ],
  },
  {
    id: 'chat-2',
    created_at: '2026-10-03T17:40:00Z',
    messages: [
      { role: 'user', content: 'how long do refunds take' },
      { role: 'assistant', content: 'Refunds reach your card within 5 working days.' },
    ],
  },
];

describe('a chat model’s conversation log', () => {
  it('is recognised as records whose words are in each record’s messages list', () => {
    const head = JSON.stringify(CHAT_LOG);
    const d = detectFormat(head, 'export.json');
    expect(d.format).toBe('records');
    expect(d.reason).toContain('their words in each record\'s "messages" list');
  });

  it('reads user as the customer and assistant as the AI agent, leaving out system and tool messages', async () => {
    const r = await read(JSON.stringify(CHAT_LOG), 'export.json');
    expect(r.report.imported).toBe(2);
    expect(r.report.rejected).toBe(0);
    const [first, second] = r.conversations;
    expect(first!.messages.map((m) => [m.role, m.text])).toEqual([
      ['customer', 'my parcel shows delivered but nothing arrived'],
      ['ai', 'Sorry to hear that. Let me look up the tracking for you.'],
      ['customer', 'order 5521, it was due monday'],
    ]);
    expect(first!.aiInvolved).toBe(true);
    expect(first!.aiResolutionState).toBeNull();
    expect(second!.createdAt).toBe('2026-10-03T17:40:00Z');
    expect(r.report.notes).toContain(
      'no outcome column: no AI resolution state is read; the AI agent took part where a message is written by it (a bot or assistant message, a transcript line by a bot), and in no other conversation',
    );
    expect(r.report.notes.some((n) => n.startsWith('JSON records: internal notes left out'))).toBe(true);
  });

  it('as JSON lines, without ids or times, in the estimate: each line a conversation', async () => {
    const lines = CHAT_LOG.map(({ messages }) => JSON.stringify({ messages })).join('\n');
    const r = await collectImport(once(lines), {
      accountId: 'prospect-1',
      fileName: 'log.jsonl',
      undatedAt: '2026-11-30T12:00:00Z',
    });
    expect(r.report.imported).toBe(2);
    expect(r.report.undated).toBe(true);
    expect(r.conversations[1]!.messages[0]).toMatchObject({
      role: 'customer',
      text: 'how long do refunds take',
    });
  });

  it('records with neither a text field nor a message list are still refused by name', async () => {
    const text = JSON.stringify([{ id: 1, created_at: '2026-10-02T09:15:00Z', tags: ['a'] }]);
    expect(detectFormat(text, 'x.json').format).toBeNull();
    await expect(collectImport(once(text), { accountId: 'p', fileName: 'x.json' })).rejects.toBeInstanceOf(
      ImportError,
    );
  });
});

describe('a dialogue’s turns and senders written as words', () => {
  it('turns of speaker USER / SYSTEM: the user asks, the system is the bot', async () => {
    const dialogue = {
      dialogue_id: 'd-1',
      timestamp: '2026-10-06T12:00:00Z',
      turns: [
        { speaker: 'USER', utterance: 'i need to change the date of my table booking' },
        { speaker: 'SYSTEM', utterance: 'Sure, which day would suit you?' },
        { speaker: 'USER', utterance: 'saturday at 8' },
      ],
    };
    const r = await read(`${JSON.stringify(dialogue)}\n`, 'dialogues.jsonl');
    expect(r.conversations[0]!.messages.map((m) => [m.role, m.text])).toEqual([
      ['customer', 'i need to change the date of my table booking'],
      ['ai', 'Sure, which day would suit you?'],
      ['customer', 'saturday at 8'],
    ]);
    expect(r.conversations[0]!.id).toBe('d-1');
  });

  it('from "user" / "operator", and a private message left out whatever its sender', async () => {
    const session = {
      session_id: 's-9',
      created_at: '2026-10-06T12:00:00Z',
      messages: [
        { from: 'user', content: 'my refund has not arrived' },
        { from: 'operator', content: 'checking with billing', private: true },
        { from: 'operator', content: 'It was sent yesterday, it takes 3 days.' },
      ],
    };
    const r = await read(`${JSON.stringify(session)}\n`, 'crisp.jsonl');
    expect(r.conversations[0]!.messages.map((m) => [m.role, m.text])).toEqual([
      ['customer', 'my refund has not arrived'],
      ['agent', 'It was sent yesterday, it takes 3 days.'],
    ]);
    expect(r.conversations[0]!.aiInvolved).toBe(false);
  });
});

describe('lists that are not a conversation’s messages', () => {
  it('a ticket’s event history beside its text stays out of the messages', async () => {
    const ticket = {
      id: 'a1',
      created_at: '2026-01-05T10:00:00Z',
      description: 'I want a refund please',
      history: [
        { message: 'Status changed to open', created_at: '2026-01-05T10:01:00Z' },
        { message: 'Assigned to Tom', created_at: '2026-01-05T10:02:00Z' },
      ],
    };
    const r = await read(`${JSON.stringify(ticket)}\n`, 'tickets.jsonl');
    expect(r.conversations[0]!.messages.map((m) => [m.role, m.text])).toEqual([
      ['customer', 'I want a refund please'],
    ]);
  });

  it('records whose only list is an event history are still refused', () => {
    const ticket = {
      id: 't1',
      created_at: '2026-01-05T10:00:00Z',
      status: 'closed',
      history: [{ date: '2026-01-05T10:00:00Z', message: 'Ticket created by web form' }],
    };
    expect(detectFormat(JSON.stringify(ticket), 'x.json').format).toBeNull();
  });

  it('a note is left out whoever wrote it (type note beside from / author)', async () => {
    const session = {
      session_id: 's-1',
      created_at: '2026-10-06T12:00:00Z',
      messages: [
        { type: 'text', from: 'user', content: 'where is my parcel' },
        { type: 'note', from: 'operator', content: 'VIP, refund without asking' },
        { type: 'text', from: 'operator', content: 'it ships today' },
      ],
    };
    const r = await read(`${JSON.stringify(session)}\n`, 'crisp.jsonl');
    expect(r.conversations[0]!.messages.map((m) => m.text)).toEqual(['where is my parcel', 'it ships today']);
  });
});

describe('a chat transcript with a bot’s lines', () => {
  it('reads the bot as the AI agent, so the AI agent took part', async () => {
    const rows = [
      {
        chat_id: 'c1',
        started: '2026-10-05 10:00',
        transcript: 'Customer: my code does not work\nBot: Which code do you mean?\nCustomer: WELCOME10',
      },
      {
        chat_id: 'c2',
        started: '2026-10-05 11:00',
        transcript: 'Visitor: hi\nAgent: hello, how can I help?',
      },
    ];
    const r = await read(rows.map((x) => JSON.stringify(x)).join('\n'), 'chats.jsonl');
    expect(r.report.mapping).toEqual({ chat_id: 'id', started: 'createdAt', transcript: 'text' });
    const [bot, human] = r.conversations;
    expect(bot!.messages.map((m) => m.role)).toEqual(['customer', 'ai', 'customer']);
    expect(bot!.aiInvolved).toBe(true);
    expect(human!.messages.map((m) => m.role)).toEqual(['customer', 'agent']);
    expect(human!.aiInvolved).toBe(false);
    expect(bot!.createdAt).toBe('2026-10-05T10:00:00Z');
  });

  it('reads a bot that speaks first, a bot by its name, a named customer and turns over many lines', async () => {
    const rows = [
      {
        chat_id: 'c1',
        started: '2026-10-05 10:00',
        transcript:
          'Answer Bot: Hi, what can I help you with?\nMaria: my sofa arrived scratched\nAnswer Bot: Sorry! Let me get a person.\nSam (agent): Hi Maria, I will send a repair kit.',
      },
      {
        chat_id: 'c2',
        started: '2026-10-05 11:00',
        transcript:
          'Customer: Hello,\nmy order 1234 is late.\nOrder: 1234, placed 2 Oct\nAgent: Hi,\nit ships tomorrow.\nBest, Sam',
      },
    ];
    const r = await read(rows.map((x) => JSON.stringify(x)).join('\n'), 'chats.jsonl');
    const [botFirst, threaded] = r.conversations;
    expect(botFirst!.messages.map((m) => m.role)).toEqual(['ai', 'customer', 'ai', 'agent']);
    expect(botFirst!.aiInvolved).toBe(true);
    expect(threaded!.messages.map((m) => [m.role, m.text])).toEqual([
      ['customer', 'Hello,\nmy order 1234 is late.\nOrder: 1234, placed 2 Oct'],
      ['agent', 'Hi,\nit ships tomorrow.\nBest, Sam'],
    ]);
  });
});

describe('text that only looks like a transcript', () => {
  it('stays the customer’s one message: forms, labels with a team word, signatures', async () => {
    const cells = [
      'Name: Jane Porter\nSupport plan: Premium\nMessage: I was charged twice for my order',
      'Account: 0170-555-12\nOperator: Vodafone\nMy number port has been stuck for a week',
      'Order: 55102\nThe parcel never arrived.\nAgent I spoke to: Dave\nIt has been 3 weeks.',
      'Support request: I cannot reset my password\nOrder: 1234\nThanks',
      'Name: Dr. Lee\nAssistant: Mary Jones\nWe need to reschedule the delivery',
      'Subject: Refund\nI tried your chat first.\nYour bot: kept sending me to the FAQ',
      'Customer: John\nSupport level: Gold\nIssue: cannot log in',
    ];
    const rows = cells.map((text, i) =>
      JSON.stringify({ chat_id: `c${i}`, started: '2026-10-05 10:00', transcript: text }),
    );
    const r = await read(rows.join('\n'), 'chats.jsonl');
    expect(r.conversations.map((c) => c.messages.map((m) => m.role))).toEqual(cells.map(() => ['customer']));
    expect(r.conversations.every((c) => !c.aiInvolved)).toBe(true);
  });
});

describe('help-desk CSVs with localised headers', () => {
  it('German: semicolons, accents, dotted dates, channel and rating', async () => {
    const csv = [
      'Ticket-ID;Erstellt am;Betreff;Beschreibung;Status;Kanal;Bewertung;Kategorie',
      '7101;02.10.2026 14:05;Lieferung;where is my order, it is a week late;Gelöst;E-Mail;4;Versand',
      '7102;13.10.2026 09:30;Konto;please delete my account;Offen;Telefon;;Konto',
    ].join('\n');
    expect(detectFormat(csv, 'tickets.csv').format).toBe('csv');
    const r = await read(csv, 'tickets.csv');
    expect(r.report.mapping).toEqual({
      'Ticket-ID': 'id',
      'Erstellt am': 'createdAt',
      Beschreibung: 'text',
      Betreff: 'subject',
      Status: 'outcome',
      Bewertung: 'rating',
      Kanal: 'channel',
      Kategorie: 'topic',
    });
    const [a, b] = r.conversations;
    expect(a).toMatchObject({
      id: '7101',
      createdAt: '2026-10-02T14:05:00Z',
      channel: 'email',
      csat: 4,
      topic: 'Versand',
    });
    expect(a!.messages[0]!.text).toBe('Lieferung\nwhere is my order, it is a week late');
    // a help desk's own status is the team's, not the AI agent's outcome
    expect(a!.aiResolutionState).toBeNull();
    expect(b).toMatchObject({ createdAt: '2026-10-13T09:30:00Z', channel: 'phone', csat: null });
  });

  it('French and Spanish headers, with their accents', async () => {
    const fr =
      'Numéro du ticket,Créé le,Objet,Description,Statut,Canal,Évaluation\n55,2026-10-04 08:00,Remboursement,I want a refund for my broken kettle,Résolu,Téléphone,5\n';
    const r = await read(fr, 'fr.csv');
    expect(r.report.mapping).toMatchObject({
      'Numéro du ticket': 'id',
      'Créé le': 'createdAt',
      Objet: 'subject',
      Description: 'text',
      Statut: 'outcome',
      Canal: 'channel',
    });
    expect(r.conversations[0]).toMatchObject({ id: '55', channel: 'phone' });
    const es =
      'ID del ticket,Fecha de creación,Asunto,Descripción,Estado,Canal\n9,2026-10-04 08:00,Pedido,where is my parcel,Cerrado,Correo electrónico\n';
    const e = await read(es, 'es.csv');
    expect(e.report.mapping).toEqual({
      'ID del ticket': 'id',
      'Fecha de creación': 'createdAt',
      Descripción: 'text',
      Asunto: 'subject',
      Estado: 'outcome',
      Canal: 'channel',
    });
    expect(e.conversations[0]).toMatchObject({ id: '9', channel: 'email' });
  });

  it('an English column wins over a localised one of the same field', async () => {
    const csv = 'id,created_at,text,Nachricht\n1,2026-10-04T08:00:00Z,cancel my order,Bitte stornieren\n';
    const r = await read(csv, 'both.csv');
    expect(r.report.mapping).toEqual({ id: 'id', created_at: 'createdAt', text: 'text' });
    expect(r.conversations[0]!.messages[0]!.text).toBe('cancel my order');
  });
});

describe('a help desk record without its time says so plainly', () => {
  const intercom = (createdAt: string) =>
    `{"type":"conversation","id":"71",${createdAt}"source":{"body":"<p>where is my parcel</p>","author":{"type":"user"}},"conversation_parts":{"conversation_parts":[]}}\n`;
  it('no created_at: "no", not "missing or invalid … null"', async () => {
    const absent = await collectImport(once(intercom('')), { accountId: 'prospect-1', fileName: 'i.jsonl' });
    expect(absent.report.rejects.map((r) => r.reason)).toEqual(['conversation 71: no "created_at"']);
    const wrong = await collectImport(once(intercom('"created_at":"soon",')), {
      accountId: 'prospect-1',
      fileName: 'i.jsonl',
    });
    expect(wrong.report.rejects.map((r) => r.reason)).toEqual([
      'conversation 71: invalid "created_at" "soon" (expected unix seconds)',
    ]);
  });
});
