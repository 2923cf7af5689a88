/**
 * CSV exports with one row per message (a conversation id, an author, the message): rows of the
 * same conversation are grouped back into one conversation. Read as one row per conversation, each
 * id would keep only its last message ("ok, thanks") and the estimate would be wrong with no
 * reject to show for it.
 *
 * Rows of a conversation usually sit together (sorted by conversation) or close together (sorted
 * by time); a conversation is complete once FLUSH_AFTER_ROWS rows have gone by without one of its
 * messages, or once it holds MAX_MESSAGES, so memory stays bounded whatever the file's size.
 */
import { hash32 } from '../domain/stats.ts';
import { parseIsoTimestamp } from '../domain/time.ts';
import type { Conversation, Message, Role } from '../domain/types.ts';
import type { MapResult, Tally } from './common.ts';
import { withSubject } from './text.ts';

export const FLUSH_AFTER_ROWS = 5000;
/** More messages than this in one conversation: a mis-mapped id column, not a conversation. */
export const MAX_MESSAGES = 1000;

/** Author values (lower case, letters and digits only) → role; a direction (Front's Inbound / Outbound, Kustomer's in / out) too. */
const AUTHOR_ROLES: Record<string, Role> = {};
for (const [role, words] of [
  [
    'customer',
    'customer user enduser contact visitor client requester lead member guest consumer caller shopper patient player inbound incoming in',
  ],
  ['ai', 'ai bot chatbot assistant aiagent virtualagent virtualassistant automation automated fin aibot'],
  [
    'agent',
    'agent admin staff support operator team teammate human humanagent representative rep employee outbound outgoing out supportagent csr advisor adviser',
  ],
] as const)
  for (const w of words.split(' ')) AUTHOR_ROLES[w] = role;

export function authorRole(value: string): Role | null {
  const whole = AUTHOR_ROLES[value.toLowerCase().replace(/[^a-z0-9]/g, '')];
  if (whole) return whole;
  // a role word with a name: "Operator Kim", "Agent: Sarah", "Customer - J. Doe"; a bot's word
  // anywhere wins ("Support Bot", "Fin AI Agent")
  const words = value
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  if (words.length < 2) return null;
  // (not "fin" among other words: Intercom's agent alone, a person's name beside one, "Fin Murphy")
  const roles = words.filter((w) => w !== 'fin').map((w) => AUTHOR_ROLES[w]);
  if (roles.includes('ai')) return 'ai';
  return words[0] === 'fin' ? null : (roles[0] ?? null);
}

/** A message row as read: its role when the author column names one, else the author as written. */
interface Row {
  message: Message;
  role: Role | null;
  author: string;
  /** its subject cell: the customer's own row's, not a reply's "Re: …", goes before their words */
  subject: string;
}

interface Open {
  conversation: Conversation;
  rows: Row[];
  /** the first row's subject: a conversation of one row keeps it before its text */
  subject: string;
  line: number;
  lastRow: number;
  /** every row read into it, with a message or not (the records it stands for) */
  rowCount: number;
  /** whether any row's AI column said yes / no in so many words */
  saidYes: boolean;
  saidNo: boolean;
}

/** Which ids were emitted, by a 52-bit key (two 32-bit hashes): a false "seen before" is vanishingly rare. */
const idKey = (id: string) => hash32(id) * 2 ** 20 + (hash32(`${id}\u0001`) & 0xfffff);

const msOf = (iso: string) => parseIsoTimestamp(iso) ?? 0;

export class CsvMessageGrouper {
  private readonly open = new Map<string, Open>();
  private readonly emitted = new Set<number>();
  /** ids closed at MAX_MESSAGES: their later rows are skipped for that reason, not as fragments */
  private readonly capped = new Set<number>();
  private row = 0;
  /** conversations whose rows run newest first / oldest first, for those whose times say neither */
  private newestFirst = 0;
  private oldestFirst = 0;
  rows = 0;
  conversations = 0;

  constructor(private readonly tally: Tally) {}

  /**
   * Takes one row's result (a conversation of one message, or a reject); returns what is now
   * complete, each with its first line and how many rows it was read from.
   */
  add(res: MapResult, line: number, author: string, subject: string): [MapResult, number, number][] {
    this.row++;
    if (res.kind !== 'ok') return [[res, line, 1]];
    this.rows++;
    const c = res.conversation;
    const message = c.messages[0];
    const row: Row | null = message
      ? { message, role: authorRole(author), author: author.trim(), subject }
      : null;
    const held = this.open.get(c.id);
    const out: [MapResult, number, number][] = [];
    if (held) {
      merge(held.conversation, c);
      if (res.aiSaid === true) held.saidYes = true;
      if (res.aiSaid === false) held.saidNo = true;
      if (row) held.rows.push(row);
      held.lastRow = this.row;
      held.rowCount++;
      if (held.rows.length >= MAX_MESSAGES) {
        this.tally.add(
          `CSV: a conversation reached ${MAX_MESSAGES.toLocaleString('en-US')} message rows and was closed there (is the id column right?)`,
        );
        this.capped.add(idKey(c.id));
        out.push(this.close(c.id, held));
      }
    } else if (this.capped.has(idKey(c.id))) {
      return [
        [
          {
            kind: 'skip',
            reason: `a message of a conversation over ${MAX_MESSAGES.toLocaleString('en-US')} messages (is the id column right?)`,
          },
          line,
          1,
        ],
      ];
    } else if (this.emitted.has(idKey(c.id))) {
      // its conversation was complete rows ago: a later fragment would replace it, and read an
      // agent's reply as the request
      return [
        [
          {
            kind: 'skip',
            reason: `a message of a conversation already read, more than ${FLUSH_AFTER_ROWS.toLocaleString('en-US')} rows earlier (sort the file by conversation id)`,
          },
          line,
          1,
        ],
      ];
    } else
      this.open.set(c.id, {
        conversation: c,
        rows: row ? [row] : [],
        subject,
        line,
        lastRow: this.row,
        rowCount: 1,
        saidYes: res.aiSaid === true,
        saidNo: res.aiSaid === false,
      });
    if (this.row % 1000 === 0) out.push(...this.flush(this.row - FLUSH_AFTER_ROWS));
    return out;
  }

  /** Every conversation still open (the end of the file). */
  end(): [MapResult, number, number][] {
    return this.flush(Number.POSITIVE_INFINITY);
  }

  private flush(before: number): [MapResult, number, number][] {
    const out: [MapResult, number, number][] = [];
    for (const [id, o] of this.open) if (o.lastRow < before) out.push(this.close(id, o));
    return out;
  }

  private close(id: string, o: Open): [MapResult, number, number] {
    this.open.delete(id);
    this.emitted.add(idKey(id));
    this.conversations++;
    const c = o.conversation;
    // A file written newest first (Tidio, some Intercom views) keeps rows of the same minute in that
    // order, and the stable sort below then put a bot's answer before the question: such a
    // conversation is turned round first. One whose times never move says nothing, and follows the
    // file's other conversations.
    let ups = 0;
    let downs = 0;
    for (let i = 1; i < o.rows.length; i++) {
      const a = o.rows[i - 1]!.message.at;
      const b = o.rows[i]!.message.at;
      if (!a || !b) continue;
      const d = msOf(b) - msOf(a);
      if (d > 0) ups++;
      else if (d < 0) downs++;
    }
    if (downs > 0 && ups === 0) this.newestFirst++;
    else if (ups > 0 && downs === 0) this.oldestFirst++;
    const reversed = downs > ups || (downs === ups && this.newestFirst > this.oldestFirst);
    // stable: rows without a time keep their order
    const rows = (reversed ? [...o.rows].reverse() : [...o.rows]).sort((a, b) =>
      a.message.at && b.message.at ? msOf(a.message.at) - msOf(b.message.at) : 0,
    );
    if (o.rowCount === 1 && rows.length === 1) {
      // A conversation of one row is a row-per-conversation record whose "author" column names who
      // opened the ticket ("agent" for a phone ticket typed in): its text is the request, subject
      // first, as a one-row-per-conversation CSV reads it.
      // But a bot's line alone in a message export (no subject: a greeting nobody answered) stays
      // the bot's, with no customer words.
      const only = rows[0]!.message;
      if (rows[0]!.role === 'ai' && !o.subject) {
        only.role = 'ai';
        if (!o.saidNo && !o.saidYes) c.aiInvolved = true;
      } else {
        only.role = 'customer';
        only.text = withSubject(o.subject, only.text);
      }
    } else {
      // An author the table does not know (a person's name): the first such name is the customer,
      // in every message they wrote; other names are the team's. With a known customer author
      // in the conversation, every unknown name is the team's.
      const opener = rows.some((r) => r.role === 'customer')
        ? undefined
        : rows.find((r) => r.role === null)?.author;
      for (const r of rows) {
        if (r.role !== null) r.message.role = r.role;
        else {
          r.message.role = r.author === opener ? 'customer' : 'agent';
          this.tally.addValue(
            "CSV: authors not recognised → read as the customer's when they wrote the conversation's first message, else as an agent's",
            r.author,
          );
        }
      }
      // a row whose AI cell said nothing (blank, unreadable) leaves it to the messages
      if (!o.saidNo && !o.saidYes && rows.some((r) => r.message.role === 'ai')) c.aiInvolved = true;
      // the subject before the customer's first words, as the help desks' own formats read it: left
      // out, 46 of 120 conversations of a message export lost it and 9 moved topic (a review)
      // (the customer's row's own subject: a newest-first file's first row is the agent's "Re: …")
      const first = rows.find((r) => r.message.role === 'customer');
      if (first) first.message.text = withSubject(first.subject || o.subject, first.message.text);
    }
    // Where the file says in so many words that the AI agent took no part, a bot's lines are a
    // workflow's canned prompts, left out as the Intercom JSON reading leaves them out
    const kept = o.saidNo && !o.saidYes ? rows.filter((r) => r.message.role !== 'ai') : rows;
    if (kept.length < rows.length)
      this.tally.add(
        'CSV: a bot’s messages in conversations the file says the AI agent took no part in were left out (a workflow’s, not the AI agent’s)',
        rows.length - kept.length,
      );
    c.messages = kept.map((r) => r.message);
    return [{ kind: 'ok', conversation: c }, o.line, o.rowCount];
  }
}

/**
 * Folds a later row of the same conversation into it: the earliest time; the AI agent took part
 * if any row says so; the outcome, rating and channel of the last row that has one (an export
 * writes them on the closing row); the first topic; every tag.
 */
function merge(into: Conversation, row: Conversation) {
  if (msOf(row.createdAt) < msOf(into.createdAt)) into.createdAt = row.createdAt;
  if (row.aiInvolved) into.aiInvolved = true;
  if (row.aiResolutionState) into.aiResolutionState = row.aiResolutionState;
  if (row.csat !== null && row.csat !== undefined) into.csat = row.csat;
  if (row.reopened) into.reopened = true;
  if (!into.topic && row.topic) into.topic = row.topic;
  if (into.channel === 'other' && row.channel !== 'other') into.channel = row.channel;
  for (const t of row.tags ?? []) if (!into.tags?.includes(t)) into.tags = [...(into.tags ?? []), t];
}
