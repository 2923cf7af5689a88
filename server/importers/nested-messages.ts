/**
 * A record's own list of messages: help desks that are not Intercom or Zendesk export a ticket
 * with its messages inside it — Gorgias `messages` (`from_agent`, `public`, `body_text`), Help
 * Scout `_embedded.threads` (`type` customer / reply / note, `createdBy.type`), Freshdesk
 * `conversations` (`incoming`, `private`, `body_text`), Front `messages` (`is_inbound`). Each
 * message's sender kind is read from the first field that names one; internal notes are left out.
 * Without these, such a ticket was read by its subject alone.
 */
import type { Message, Role } from '../domain/types.ts';
import { htmlToText, parseDateTime, tidy, withSubject } from './text.ts';

/**
 * Keys that hold a dialogue's turns in chat logs and dialogue data sets, but as often a ticket's
 * event log ("Status changed to open", "Assigned to Tom"): such a list counts only when one of its
 * items names a sender.
 */
const DIALOGUE_KEYS: readonly string[] = [
  'turns',
  'dialogue',
  'dialog',
  'utterances',
  'transcript',
  'history',
];
/** Keys whose list holds a record's messages, in the order they are looked for. */
const LIST_KEYS = [
  'messages',
  'threads',
  'conversations',
  'comments',
  'replies',
  'parts',
  'posts',
  'entries',
  ...DIALOGUE_KEYS,
];
/** Keys of a message's words, plain text first. */
const TEXT_KEYS = [
  'body_text',
  'stripped_text',
  'plain_body',
  'body_plain',
  'text',
  'content',
  'message',
  'body',
  'body_html',
  'html',
  'utterance',
  'msg',
];
const TIME_KEYS = [
  'created_at',
  'createdAt',
  'created_datetime',
  'sent_datetime',
  'sent_at',
  'created',
  'timestamp',
  'date',
  'time',
];

/** Booleans that say who wrote a message: [key, role when true, role when false]. */
const SENDER_FLAGS: [string, Role, Role][] = [
  ['from_agent', 'agent', 'customer'],
  ['fromAgent', 'agent', 'customer'],
  ['from_customer', 'customer', 'agent'],
  ['is_customer', 'customer', 'agent'],
  ['incoming', 'customer', 'agent'],
  ['is_inbound', 'customer', 'agent'],
  ['inbound', 'customer', 'agent'],
];
/** Fields that name the sender kind, directly or on the sender object. */
const SENDER_KINDS: (readonly [string] | readonly [string, string])[] = [
  ['role'],
  ['author_type'],
  ['authorType'],
  ['sender_type'],
  ['senderType'],
  ['type'],
  ['createdBy', 'type'],
  ['created_by', 'type'],
  ['author', 'type'],
  ['sender', 'type'],
  ['from', 'type'],
];
const KIND_WORDS: Record<string, Role | 'internal'> = {};
for (const w of [
  'customer',
  'contact',
  'end-user',
  'end_user',
  'enduser',
  'requester',
  'client',
  'visitor',
  'lead',
  'guest',
  'shopper',
  'buyer',
  'incoming',
  'inbound',
  'member',
  'consumer',
  'caller',
  'patient',
  'player',
])
  KIND_WORDS[w] = 'customer';
for (const w of [
  'agent',
  'admin',
  'staff',
  'teammate',
  'support',
  'employee',
  'reply',
  'outgoing',
  'outbound',
  'operator',
  'team',
])
  KIND_WORDS[w] = 'agent';
for (const w of ['ai', 'bot', 'chatbot', 'assistant', 'automation', 'virtual_agent', 'ai_agent', 'model'])
  KIND_WORDS[w] = 'ai';
for (const w of [
  'note',
  'internal',
  'internal_note',
  'internal-note',
  'private_note',
  'lineitem',
  'line_item',
  'system',
  'event',
  'activity',
  // a chat model's tool calls and their results
  'tool',
  'function',
  'developer',
])
  KIND_WORDS[w] = 'internal';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A chat model's content as a list of parts (`[{"type": "text", "text": "…"}, {"type": "image_url"…}]`): its text parts. */
function partsText(v: unknown): string {
  if (!Array.isArray(v)) return '';
  return v
    .map((part) =>
      typeof part === 'string' ? part : isObject(part) && typeof part.text === 'string' ? part.text : '',
    )
    .filter((t) => t.trim() !== '')
    .join('\n');
}

function textOf(item: Record<string, unknown>): string {
  for (const k of TEXT_KEYS) {
    const raw = item[k];
    const v = typeof raw === 'string' ? raw : partsText(raw);
    if (v.trim() === '') continue;
    return /<[a-z][^>]*>/i.test(v) ? htmlToText(v) : tidy(v);
  }
  return '';
}

/**
 * Help Scout's own words, read only in its `_embedded.threads`: a thread of type "message" is a
 * reply from the mailbox, and a "user" (createdBy.type) is one of its agents. Elsewhere "user" is
 * as often the customer (Intercom's), so these words mean nothing outside Help Scout's shape.
 */
const HELP_SCOUT_KINDS: Record<string, Role | 'internal'> = {
  ...KIND_WORDS,
  message: 'agent',
  user: 'agent',
};

/**
 * A message's `role` as a chat model's log writes it (`"user"` | `"assistant"` | `"system"`): there
 * the user is the one asking. Other fields' "user" stays unread (Help Scout's users are its agents).
 */
const CHAT_ROLES: Record<string, Role | 'internal'> = { ...KIND_WORDS, user: 'customer' };
const SPEAKERS: Record<string, Role | 'internal'> = { ...KIND_WORDS, user: 'customer', system: 'ai' };
const WORD_SENDERS: [string, Record<string, Role | 'internal'>][] = [
  ['role', CHAT_ROLES],
  ['author', CHAT_ROLES],
  ['sender', CHAT_ROLES],
  ['from', CHAT_ROLES],
  ['speaker', SPEAKERS],
];

/** Fields whose value may say a message is internal (a note, a system event) before any sender field is read. */
const NOTE_TYPE_KEYS = ['type', 'part_type', 'message_type', 'kind'];

const isSender = (k: Role | 'internal' | undefined): boolean => k !== undefined && k !== 'internal';

/** The sender kind of one message; undefined when nothing in it says. */
function kindOf(
  item: Record<string, unknown>,
  words: Record<string, Role | 'internal'> = KIND_WORDS,
): Role | 'internal' | undefined {
  if (item.public === false || item.private === true || item.is_private === true || item.internal === true)
    return 'internal';
  // a note is a note whoever wrote it (`{"type": "note", "from": "operator"}`, as Crisp writes it)
  for (const key of NOTE_TYPE_KEYS) {
    const v = item[key];
    if (typeof v === 'string' && KIND_WORDS[v.trim().toLowerCase()] === 'internal') return 'internal';
  }
  // outside Help Scout's shape: a chat model's `role`, the sender written as a word (`"from": "user"`
  // as Crisp writes it), a dialogue data set's `speaker` (USER / SYSTEM, the system being the bot)
  if (words === KIND_WORDS)
    for (const [key, kinds] of WORD_SENDERS) {
      const v = item[key];
      const kind = typeof v === 'string' ? kinds[v.trim().toLowerCase()] : undefined;
      if (kind) return kind;
    }
  for (const [key, yes, no] of SENDER_FLAGS) {
    const v = item[key];
    if (typeof v === 'boolean') return v ? yes : no;
  }
  for (const path of SENDER_KINDS) {
    const holder = path.length === 1 ? item : item[path[0]];
    const v = isObject(holder) ? holder[path[path.length - 1]!] : undefined;
    if (typeof v !== 'string') continue;
    const kind = words[v.trim().toLowerCase()];
    if (kind) return kind;
  }
  return undefined;
}

/** The list of message objects a record holds (its own, or under Help Scout's `_embedded`), with its key. */
export function messageList(
  record: Record<string, unknown>,
): { key: string; items: Record<string, unknown>[] } | null {
  const holders: [Record<string, unknown>, string][] = [[record, '']];
  if (isObject(record._embedded)) holders.push([record._embedded, '_embedded.']);
  for (const [holder, prefix] of holders)
    for (const key of LIST_KEYS) {
      const list = holder[key];
      if (!Array.isArray(list)) continue;
      const items = list.filter(isObject);
      if (!items.some((it) => textOf(it) !== '')) continue;
      if (DIALOGUE_KEYS.includes(key) && !items.some((it) => isSender(kindOf(it)))) continue;
      return { key: prefix + key, items };
    }
  return null;
}

export interface NestedMessages {
  /** where the list was found (`messages`, `_embedded.threads`…) */
  key: string;
  messages: Message[];
  /** internal notes left out */
  internal: number;
  /** messages whose sender kind nothing named, left out (all but the first when none is named) */
  unknownSender: number;
}

/**
 * The messages of a record's own list, in the list's order (Help Scout lists newest first: a
 * list whose times run backwards is turned round), or null when it has none with text.
 */
export function nestedMessages(record: Record<string, unknown>): NestedMessages | null {
  const list = messageList(record);
  if (!list) return null;
  const words = list.key === '_embedded.threads' ? HELP_SCOUT_KINDS : KIND_WORDS;
  const read = list.items.map((it) => {
    const at = TIME_KEYS.map((k) => it[k]).find((v) => v !== undefined && v !== null);
    return { kind: kindOf(it, words), text: textOf(it), at: at === undefined ? null : parseDateTime(at) };
  });
  const timed = read.filter((r) => r.at !== null);
  if (timed.length >= 2 && timed[0]!.at! > timed[timed.length - 1]!.at!) read.reverse();
  const anyKnown = read.some((r) => r.kind !== undefined && r.kind !== 'internal');
  let internal = 0;
  let unknownSender = 0;
  const messages: Message[] = [];
  for (const r of read) {
    if (r.kind === 'internal') {
      internal++;
      continue;
    }
    if (!r.text) continue;
    // a list that names no sender at all: its first message is the customer's request
    const role = r.kind ?? (!anyKnown && messages.length === 0 ? 'customer' : undefined);
    if (!role) {
      unknownSender++;
      continue;
    }
    messages.push(r.at ? { role, text: r.text, at: r.at } : { role, text: r.text });
  }
  return messages.length > 0 ? { key: list.key, messages, internal, unknownSender } : null;
}

/**
 * A ticket's messages from its own list and its flat fields: a flat text field is the opening
 * request (Freshdesk's description before its replies) unless the list already opens with it; the
 * subject goes before the first customer message, as for every format.
 */
export function withNestedMessages(subject: string, body: string, nested: Message[], at: string): Message[] {
  const out = nested.slice();
  const first = out.findIndex((m) => m.role === 'customer');
  if (body && !(first === 0 && out[0]!.text === body)) {
    out.unshift({ role: 'customer', text: withSubject(subject, body), at });
  } else if (first >= 0) out[first] = { ...out[first]!, text: withSubject(subject, out[first]!.text) };
  return out;
}
