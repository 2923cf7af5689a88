/**
 * CSV exports with one row per message (a conversation id, an author, the message): rows of the
 * same conversation are grouped back into one conversation. Read as one row per conversation, each
 * id would keep only its last message ("ok, thanks") and the estimate would be wrong with no
 * reject to show for it.
 *
 * Rows of a conversation usually sit together (sorted by conversation) or close together (sorted
 * by time); a conversation is emitted once FLUSH_AFTER_ROWS rows have gone by without one of its
 * messages, so memory stays bounded whatever the file's size.
 */
import { hash32 } from '../domain/stats.ts';
import { parseIsoTimestamp } from '../domain/time.ts';
import type { Conversation, Role } from '../domain/types.ts';
import type { MapResult, Tally } from './common.ts';

export const FLUSH_AFTER_ROWS = 5000;

/** Author values (lower case, letters and digits only) → role. */
const AUTHOR_ROLES: Record<string, Role> = {};
for (const [role, words] of [
  [
    'customer',
    'customer user enduser contact visitor client requester lead member guest consumer caller shopper patient player inbound incoming',
  ],
  ['ai', 'ai bot chatbot assistant aiagent virtualagent virtualassistant automation automated fin aibot'],
  [
    'agent',
    'agent admin staff support operator team teammate human humanagent representative rep employee outbound outgoing supportagent csr advisor adviser',
  ],
] as const)
  for (const w of words.split(' ')) AUTHOR_ROLES[w] = role;

export function authorRole(value: string): Role | null {
  return AUTHOR_ROLES[value.toLowerCase().replace(/[^a-z0-9]/g, '')] ?? null;
}

interface Open {
  conversation: Conversation;
  line: number;
  lastRow: number;
  rows: number;
}

export class CsvMessageGrouper {
  private readonly open = new Map<string, Open>();
  /** hashes of the ids already emitted: a later row of one is a conversation split apart */
  private readonly emitted = new Set<number>();
  private row = 0;
  rows = 0;
  conversations = 0;

  constructor(private readonly tally: Tally) {}

  /** Takes one row's result (a conversation of one message); returns the conversations now complete. */
  add(res: MapResult, line: number, author: string): [MapResult, number][] {
    this.row++;
    if (res.kind !== 'ok') return [[res, line]];
    this.rows++;
    const c = res.conversation;
    const message = c.messages[0];
    const known = authorRole(author);
    const held = this.open.get(c.id);
    if (message) {
      // An author the table does not know: the opening message of a support conversation is the
      // customer's; later ones are read as the team's, so their words are not taken for the request.
      if (known) message.role = known;
      else {
        message.role = held?.conversation.messages.length ? 'agent' : 'customer';
        this.tally.add(
          `CSV: author ${JSON.stringify(author.trim()).slice(0, 30)} not recognised → the conversation's first message read as the customer's, later ones as an agent's`,
        );
      }
    }
    if (held) {
      merge(held.conversation, c);
      held.lastRow = this.row;
      held.rows++;
    } else {
      if (this.emitted.has(hash32(c.id)))
        this.tally.add(
          `CSV: rows of one conversation more than ${FLUSH_AFTER_ROWS.toLocaleString('en-US')} rows apart: the later part replaced the earlier (sort the file by conversation id to keep them together)`,
        );
      this.open.set(c.id, { conversation: c, line, lastRow: this.row, rows: 1 });
    }
    return this.row % 1000 === 0 ? this.flush(this.row - FLUSH_AFTER_ROWS) : [];
  }

  /** Every conversation still open (the end of the file). */
  end(): [MapResult, number][] {
    return this.flush(Number.POSITIVE_INFINITY);
  }

  private flush(before: number): [MapResult, number][] {
    const out: [MapResult, number][] = [];
    for (const [id, o] of this.open) {
      if (o.lastRow >= before) continue;
      this.open.delete(id);
      this.emitted.add(hash32(id));
      this.conversations++;
      const c = o.conversation;
      // A conversation of one row is a row-per-conversation record whose "author" column names who
      // opened the ticket ("agent" for a phone ticket typed in): its text is the request, as before.
      const only = o.rows === 1 ? c.messages[0] : undefined;
      if (only) only.role = 'customer';
      else if (c.messages.some((m) => m.role === 'ai')) c.aiInvolved = true;
      // stable: messages without a time keep their row order
      c.messages.sort((a, b) => (a.at && b.at ? msOf(a.at) - msOf(b.at) : 0));
      out.push([{ kind: 'ok', conversation: c }, o.line]);
    }
    return out;
  }
}

// the mapper writes every time through isoFromMs; its strings do not all sort as text ("…00Z" vs "…00.500Z")
const msOf = (iso: string) => parseIsoTimestamp(iso) ?? 0;

/** Folds a later row of the same conversation into it. */
function merge(into: Conversation, row: Conversation) {
  into.messages.push(...row.messages);
  if (msOf(row.createdAt) < msOf(into.createdAt)) into.createdAt = row.createdAt;
  if (row.aiInvolved) into.aiInvolved = true;
  if (row.aiResolutionState) into.aiResolutionState = row.aiResolutionState;
  if (row.csat !== null && row.csat !== undefined) into.csat = row.csat;
  if (row.reopened) into.reopened = true;
  if (!into.topic && row.topic) into.topic = row.topic;
  if (into.channel === 'other' && row.channel !== 'other') into.channel = row.channel;
  for (const t of row.tags ?? []) if (!into.tags?.includes(t)) into.tags = [...(into.tags ?? []), t];
}
