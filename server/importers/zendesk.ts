/**
 * Zendesk tickets (API objects: a JSON array, `{"tickets":[…]}` pages, or the NDJSON incremental
 * export) → canonical conversations. Zendesk carries no AI outcome: aiInvolved=false, state null.
 */
import type { TimeWindow } from '../domain/time.ts';
import type { Channel, Message, Role } from '../domain/types.ts';
import { finalize, idOf, isRecord, type MapResult, type Tally } from './common.ts';
import { htmlToText, parseDateTime, tidy, transcriptMessages, withSubject } from './text.ts';
import type { ConversationExtra } from './types.ts';

const CHANNELS: Record<string, Channel> = {
  web: 'email',
  web_form: 'email',
  email: 'email',
  chat: 'chat',
  chat_transcript: 'chat',
  native_messaging: 'chat',
  mobile_sdk: 'chat',
  mobile: 'chat',
  web_widget: 'chat',
  sunshine_conversations_api: 'chat',
  voice: 'phone',
  phone: 'phone',
  facebook: 'social',
  twitter: 'social',
  instagram: 'social',
  instagram_dm: 'messenger',
  facebook_messenger: 'messenger',
  messenger: 'messenger',
  whatsapp: 'messenger',
  line: 'messenger',
  wechat: 'messenger',
  telegram: 'messenger',
  sms: 'messenger',
  api: 'other',
  rule: 'other',
  system: 'other',
  closed_ticket: 'other',
  linked_problem: 'other',
  side_conversation: 'other',
  any_channel: 'other',
};

/** Side-loaded data (from `{"users":[…],"comments":[…],"tickets":[…]}`). */
export interface ZendeskSideloads {
  /** user id → Zendesk role (end-user, agent, admin) */
  userRoles: Map<string, string>;
  /** ticket id → comments */
  comments: Map<string, unknown[]>;
  /** ticket id → its metric set (`include=metric_sets`: reopens) */
  metricSets: Map<string, Record<string, unknown>>;
}

/** The side-loaded lists a Zendesk page may carry beside its tickets. */
export const ZENDESK_SIDE_KEYS: readonly string[] = ['users', 'comments', 'metric_sets'];

export function newSideloads(): ZendeskSideloads {
  return { userRoles: new Map(), comments: new Map(), metricSets: new Map() };
}

/** Add side-loaded `users` / `comments` / `metric_sets` items. */
export function addSideload(side: ZendeskSideloads, key: string, item: unknown) {
  if (!isRecord(item)) return;
  if (key === 'users') {
    const id = idOf(item.id);
    if (id && typeof item.role === 'string') side.userRoles.set(id, item.role);
  } else if (key === 'comments') {
    const tid = idOf(item.ticket_id);
    if (!tid) return;
    const list = side.comments.get(tid);
    if (list) list.push(item);
    else side.comments.set(tid, [item]);
  } else if (key === 'metric_sets') {
    const tid = idOf(item.ticket_id);
    if (tid) side.metricSets.set(tid, item);
  }
}

/**
 * Comments oldest first (`sort_order=desc` lists the newest first), each with its time read once:
 * by `created_at`, keeping the given order for equal times; a comment without a time stays right
 * after the one before it. Already in order (the usual case), nothing is sorted.
 */
function inTimeOrder(comments: unknown[]): { c: unknown; at: string | null }[] {
  const timed = comments.map((c) => ({ c, at: isRecord(c) ? parseDateTime(c.created_at) : null }));
  let last = Number.NEGATIVE_INFINITY;
  let sorted = true;
  const keyed = timed.map((t, i) => {
    if (t.at) {
      const ms = Date.parse(t.at);
      if (ms < last) sorted = false;
      last = ms;
    }
    return { t, i, ms: last };
  });
  if (sorted) return timed;
  keyed.sort((a, b) => a.ms - b.ms || a.i - b.i);
  return keyed.map((k) => k.t);
}

function commentText(c: Record<string, unknown>): string {
  if (typeof c.plain_body === 'string') return tidy(c.plain_body);
  if (typeof c.body === 'string') return tidy(c.body);
  if (typeof c.html_body === 'string') return htmlToText(c.html_body);
  return '';
}

export function mapZendesk(
  raw: unknown,
  accountId: string,
  tally: Tally,
  side: ZendeskSideloads | null,
  window?: TimeWindow,
): MapResult {
  if (!isRecord(raw)) return { kind: 'reject', reason: 'expected a JSON object (a Zendesk ticket)' };
  const id = idOf(raw.id);
  if (!id) return { kind: 'reject', reason: 'missing ticket "id"' };
  // search results mix tickets with users, organizations and groups (whose ids are not tickets')
  if (typeof raw.result_type === 'string' && raw.result_type !== 'ticket')
    return { kind: 'skip', reason: `not a ticket (result_type=${raw.result_type.slice(0, 20)})` };
  // Its side-loaded comments are taken whatever becomes of the ticket (deleted, rejected): those
  // left at the end came after, or without, their ticket, as the report's note says.
  const sideComments = side?.comments.get(id) ?? null;
  side?.comments.delete(id);
  if (raw.status === 'deleted') return { kind: 'skip', reason: 'deleted ticket (status=deleted)' };
  const createdAt = parseDateTime(raw.created_at);
  if (!createdAt)
    return {
      kind: 'reject',
      reason:
        raw.created_at === undefined
          ? `ticket ${id}: no "created_at"`
          : `ticket ${id}: invalid "created_at" ${JSON.stringify(raw.created_at).slice(0, 40)}`,
    };
  const via = isRecord(raw.via) ? raw.via : null;
  const vc = via && typeof via.channel === 'string' ? via.channel : '';
  let channel: Channel = 'other';
  if (vc) {
    const ch = CHANNELS[vc];
    if (ch) channel = ch;
    else tally.add(`Zendesk: unknown via.channel ${JSON.stringify(vc).slice(0, 30)} → "other"`);
  }

  const sr = isRecord(raw.satisfaction_rating) ? raw.satisfaction_rating : null;
  const score = sr && typeof sr.score === 'string' ? sr.score.toLowerCase() : '';
  const csat = score === 'good' ? 5 : score === 'bad' ? 1 : null;

  // The API sends an array; Zendesk's own CSV/XML exports and some views send one string with
  // the tags separated by spaces (a Zendesk tag cannot contain a space).
  const tags = Array.isArray(raw.tags)
    ? raw.tags.filter((t): t is string => typeof t === 'string' && t !== '')
    : typeof raw.tags === 'string'
      ? raw.tags.split(/[\s,]+/).filter((t) => t !== '')
      : [];
  const sideMetrics = side?.metricSets.get(id) ?? null;
  side?.metricSets.delete(id);
  const metrics = isRecord(raw.metric_set)
    ? raw.metric_set
    : isRecord(raw.ticket_metric)
      ? raw.ticket_metric
      : sideMetrics;
  const reopens = metrics ? Number(metrics.reopens ?? 0) : 0;
  const reopened = Number.isFinite(reopens) && reopens > 0;

  const requester = idOf(raw.requester_id);
  const roleOf = (author: unknown): Role => {
    const a = idOf(author);
    if (a !== null && requester !== null && a === requester) return 'customer';
    const r = a !== null ? side?.userRoles.get(a) : undefined;
    if (r === 'end-user') return 'customer';
    return 'agent';
  };

  const messages: Message[] = [];
  const comments = Array.isArray(raw.comments) ? raw.comments : sideComments;
  if (comments) {
    for (const { c, at } of inTimeOrder(comments)) {
      if (!isRecord(c) || c.public === false) continue;
      const text = commentText(c);
      if (!text) continue;
      // a chat or messaging ticket's transcript, posted as one comment: each line is its speaker's
      // (untimed only there: an e-mail reply's "Order: 4471 … Acme Support: Mon-Fri 9-5" is one author's)
      const lines = transcriptMessages(text, at, channel === 'chat' || channel === 'messenger');
      if (lines) {
        messages.push(...lines);
        continue;
      }
      const msg: Message = { role: roleOf(c.author_id), text };
      if (at) msg.at = at;
      messages.push(msg);
    }
  }
  // No comments, or none public with text: the description is the customer's opening message.
  // Nor one by the customer: a ticket an agent opened for them (a call, a walk-in) states their
  // request in its description, which is also the agent's first comment; without this it had no
  // customer words at all, and no topic.
  const hasCustomer = messages.some((m) => m.role === 'customer');
  if (!hasCustomer && typeof raw.description === 'string' && raw.description.trim()) {
    const d = raw.description;
    const read = /<[a-z][^>]*>/i.test(d) ? htmlToText(d) : tidy(d);
    const text = channel === 'phone' ? withoutCallDetails(read) : read;
    const lines = text && messages.length === 0 ? transcriptMessages(text, createdAt) : null;
    if (lines) messages.push(...lines);
    else if (text) {
      // the agent's copy of it goes: the request is said once, by the customer
      if (messages[0]?.text === read || messages[0]?.text === text) messages.shift();
      messages.unshift({ role: 'customer', text, at: createdAt });
    }
  }
  // a subject Zendesk wrote itself ("Call from: +49…", "Chat with Visitor 8812") is dropped by withSubject
  const subject = typeof raw.subject === 'string' ? tidy(raw.subject) : '';
  if (subject) {
    const first = messages.find((m) => m.role === 'customer');
    const alone = withSubject(subject, '');
    if (!first) {
      if (alone) messages.unshift({ role: 'customer', text: alone, at: createdAt });
    } else first.text = withSubject(subject, first.text);
  }

  const extra: ConversationExtra = {};
  if (typeof raw.status === 'string') extra.sourceStatus = raw.status;
  const assignee = idOf(raw.assignee_id);
  if (assignee) extra.adminAssigneeId = assignee;
  const group = idOf(raw.group_id);
  if (group) extra.teamAssigneeId = group;

  return finalize(
    {
      id,
      accountId,
      createdAt,
      channel,
      // no outcome, but a bot's turns in a chat transcript ("Answer Bot: …") say it took part
      aiInvolved: messages.some((m) => m.role === 'ai'),
      aiResolutionState: null,
      reopened,
      csat,
      topic: null,
      tags,
      messages,
    },
    extra,
    window,
  );
}

/** The phone system's call details in a call ticket's description, line by line (never a customer's words). */
const CALL_DETAIL =
  /^(?:(?:inbound|outbound|missed) call (?:from|to) \+?[\d(].*|call details:|call (?:from|to):.*|time of call:.*|length of (?:phone )?call:.*|answered by:.*|call recording:.*|recording:\s*https?:\/\/.*)$/i;
function withoutCallDetails(text: string): string {
  const lines = text.split('\n');
  const kept = lines.filter((l) => !CALL_DETAIL.test(l.trim()));
  return kept.length === lines.length ? text : kept.join('\n').trim();
}
