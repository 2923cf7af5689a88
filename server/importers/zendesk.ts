/**
 * Zendesk tickets (API objects: a JSON array, `{"tickets":[…]}` pages, or the NDJSON incremental
 * export) → canonical conversations. Zendesk carries no AI outcome: aiInvolved=false, state null.
 */
import type { TimeWindow } from '../domain/time.ts';
import type { Channel, Message, Role } from '../domain/types.ts';
import { finalize, idOf, isRecord, type MapResult, type Tally } from './common.ts';
import { htmlToText, parseDateTime, tidy } from './text.ts';
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
}

export function newSideloads(): ZendeskSideloads {
  return { userRoles: new Map(), comments: new Map() };
}

/** Add side-loaded `users` / `comments` items. */
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
  }
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
  if (raw.status === 'deleted') return { kind: 'skip', reason: 'deleted ticket (status=deleted)' };
  // search results mix tickets with users, organizations and groups
  if (typeof raw.result_type === 'string' && raw.result_type !== 'ticket')
    return { kind: 'skip', reason: `not a ticket (result_type=${raw.result_type.slice(0, 20)})` };
  const createdAt = parseDateTime(raw.created_at);
  if (!createdAt)
    return {
      kind: 'reject',
      reason: `ticket ${id}: missing or invalid "created_at" ${JSON.stringify(raw.created_at ?? null).slice(0, 40)}`,
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

  const tags = Array.isArray(raw.tags)
    ? raw.tags.filter((t): t is string => typeof t === 'string' && t !== '')
    : [];
  const metrics = isRecord(raw.metric_set)
    ? raw.metric_set
    : isRecord(raw.ticket_metric)
      ? raw.ticket_metric
      : null;
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
  const comments = Array.isArray(raw.comments) ? raw.comments : (side?.comments.get(id) ?? null);
  if (comments) {
    for (const c of comments) {
      if (!isRecord(c) || c.public === false) continue;
      const text = commentText(c);
      if (!text) continue;
      const at = parseDateTime(c.created_at);
      // a chat or messaging ticket's transcript, posted as one comment: each line is its speaker's
      const lines = transcriptMessages(text, at);
      if (lines) {
        messages.push(...lines);
        continue;
      }
      const msg: Message = { role: roleOf(c.author_id), text };
      if (at) msg.at = at;
      messages.push(msg);
    }
    side?.comments.delete(id);
  }
  // no comments, or none public with text: the description is the customer's opening message
  if (messages.length === 0 && typeof raw.description === 'string' && raw.description.trim()) {
    const d = raw.description;
    const text = withoutCallDetails(/<[a-z][^>]*>/i.test(d) ? htmlToText(d) : tidy(d));
    const lines = text ? transcriptMessages(text, createdAt) : null;
    if (lines) messages.push(...lines);
    else if (text) messages.push({ role: 'customer', text, at: createdAt });
  }
  // a subject Zendesk wrote itself ("Call from: +49…", "Chat with Visitor 8812") says nothing of the request
  const given = typeof raw.subject === 'string' ? tidy(raw.subject) : '';
  const subject = GENERATED_SUBJECT.test(given) ? '' : given;
  if (subject) {
    const first = messages.find((m) => m.role === 'customer');
    if (!first) messages.unshift({ role: 'customer', text: subject, at: createdAt });
    else if (!first.text.startsWith(subject)) first.text = `${subject}\n${first.text}`;
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
      aiInvolved: false,
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

/** Subjects Zendesk writes itself for calls, chats and messaging (no words of the customer's). */
const GENERATED_SUBJECT =
  /^(?:(?:conversation|chat) with\b|(?:inbound |outbound |missed )?(?:call|voicemail) (?:from|to)\b|(?:new )?(?:message|text message|sms|conversation|chat|ticket) from\b|(?:whatsapp|facebook|instagram|twitter|messenger|wechat|line|telegram) (?:message|conversation|dm|post)\b|chat$|call$|voicemail$)/i;

/** A call ticket's description is the phone system's call details, not the customer's words. */
const CALL_DETAIL =
  /^(?:(?:inbound|outbound|missed) call (?:from|to)\b.*|call details:?|call from:.*|call to:.*|time of call:.*|length of (?:phone )?call:.*|answered by:.*|call recording:?.*|recording:.*|voicemail:?.*)$/i;
function withoutCallDetails(text: string): string {
  const kept = text.split('\n').filter((l) => !CALL_DETAIL.test(l.trim()));
  return kept.length === text.split('\n').length ? text : kept.join('\n').trim();
}

// "(10:00:01) Visitor: my code is not accepted", "(10:02 AM) Jane: let me check", "Visitor: hi"
const TRANSCRIPT_LINE = /^(?:\(\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]m)?\)\s*)?([^:()\n]{1,40}):\s+(\S.*)$/i;
const STAFF_SPEAKER = /^(?:agent|bot|support|assistant|operator|admin)\b/i;
const CUSTOMER_SPEAKER = /^(?:visitor|customer|guest|user|web user|client|end[- ]user)\b/i;

/**
 * A chat transcript (every non-empty line "speaker: text", 2 speakers at most besides the first)
 * as messages: the first speaker and visitor-like names are the customer, the others agents. Null
 * when the text is not one, so an ordinary message with a "Note: …" line stays whole.
 */
export function transcriptMessages(text: string, at: string | null): Message[] | null {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length < 2 && !/^\(\d{1,2}:\d{2}/.test(lines[0] ?? '')) return null;
  const parsed: { speaker: string; text: string }[] = [];
  for (const l of lines) {
    const m = TRANSCRIPT_LINE.exec(l.trim());
    if (!m) return null;
    parsed.push({ speaker: m[1]!.trim(), text: m[2]!.trim() });
  }
  const first = parsed[0]!.speaker;
  if (new Set(parsed.map((p) => p.speaker)).size > 3) return null;
  // "Order: 55102 / Status: lost" is a message with labels: a transcript has times or named roles
  const timed = lines.every((l) => /^\(\d{1,2}:\d{2}/.test(l.trim()));
  if (!timed && !parsed.some((p) => CUSTOMER_SPEAKER.test(p.speaker) || STAFF_SPEAKER.test(p.speaker)))
    return null;
  return parsed.map((p) => ({
    role:
      CUSTOMER_SPEAKER.test(p.speaker) || (p.speaker === first && !STAFF_SPEAKER.test(p.speaker))
        ? 'customer'
        : 'agent',
    text: p.text,
    ...(at && { at }),
  }));
}
