/**
 * Intercom conversation objects (REST API `GET /conversations/{id}`, or pages of
 * `{"type":"conversation.list","conversations":[…]}`) → canonical conversations.
 */
import type { TimeWindow } from '../domain/time.ts';
import type { Channel, Message, ResolutionState, Role } from '../domain/types.ts';
import {
  finalize,
  idOf,
  intercomRating,
  isRecord,
  knownState,
  type MapResult,
  rating1to5,
  type Tally,
} from './common.ts';
import { htmlToText, isoFromUnixSeconds, withSubject } from './text.ts';
import type { ConversationExtra } from './types.ts';

const CHANNELS: Record<string, Channel> = {
  conversation: 'chat',
  chat: 'chat',
  messenger: 'chat',
  push: 'chat',
  email: 'email',
  facebook: 'messenger',
  instagram: 'messenger',
  whatsapp: 'messenger',
  sms: 'messenger',
  twitter: 'social',
  phone_call: 'phone',
  phone: 'phone',
  call: 'phone',
};

const ROLES: Record<string, Role> = {
  user: 'customer',
  lead: 'customer',
  contact: 'customer',
  bot: 'ai',
  admin: 'agent',
  team: 'agent',
};

/** Preview traffic: teammates trying Fin/workflows, not customers. */
export const PREVIEW_SOURCE_TYPES = new Set(['fin_preview', 'workflow_preview']);

/** Internal part types that the customer never sees. */
const HIDDEN_PARTS = new Set(['note', 'note_and_reopen']);

export function isIntercomPage(v: unknown): v is { conversations: unknown[] } {
  return (
    isRecord(v) && Array.isArray(v.conversations) && (v.type === 'conversation.list' || v.id === undefined)
  );
}

function roleOf(author: unknown, tally: Tally): Role {
  const t = isRecord(author) && typeof author.type === 'string' ? author.type : '';
  const r = ROLES[t];
  if (r) return r;
  tally.add(`Intercom: unknown author type ${JSON.stringify(t).slice(0, 30)} treated as agent`);
  return 'agent';
}

export function mapIntercom(raw: unknown, accountId: string, tally: Tally, window?: TimeWindow): MapResult {
  if (!isRecord(raw)) return { kind: 'reject', reason: 'expected a JSON object (an Intercom conversation)' };
  const id = idOf(raw.id);
  if (!id) return { kind: 'reject', reason: 'missing conversation "id"' };
  const createdAt = isoFromUnixSeconds(raw.created_at);
  if (!createdAt)
    return {
      kind: 'reject',
      reason:
        raw.created_at === undefined
          ? `conversation ${id}: no "created_at"`
          : `conversation ${id}: invalid "created_at" ${JSON.stringify(raw.created_at).slice(0, 30)} (expected unix seconds)`,
    };
  const ai = isRecord(raw.ai_agent) ? raw.ai_agent : null;
  const sourceType = ai && typeof ai.source_type === 'string' ? ai.source_type : undefined;
  if (sourceType && PREVIEW_SOURCE_TYPES.has(sourceType))
    return { kind: 'skip', reason: `preview traffic (ai_agent.source_type=${sourceType})` };

  const source = isRecord(raw.source) ? raw.source : {};
  let channel: Channel = 'other';
  const st = typeof source.type === 'string' ? source.type : '';
  if (st) {
    const ch = CHANNELS[st];
    if (ch) channel = ch;
    else tally.add(`Intercom: unknown source.type ${JSON.stringify(st).slice(0, 30)} → channel "other"`);
  }

  let state: ResolutionState | null = null;
  const rawState = ai ? ai.resolution_state : null;
  const known = knownState(rawState);
  if (known === undefined)
    tally.add(`Intercom: unknown ai_agent.resolution_state ${JSON.stringify(rawState).slice(0, 40)} → null`);
  else state = known;
  const aiInvolved =
    raw.ai_agent_participated === true || (raw.ai_agent_participated === undefined && state !== null);
  if (!aiInvolved && state !== null) {
    tally.add('Intercom: ai_agent.resolution_state set but ai_agent_participated is false → state ignored');
    state = null;
  }
  if (aiInvolved && state === null)
    tally.add('Intercom: AI agent participated with no resolution_state → null');

  const stats = isRecord(raw.statistics) ? raw.statistics : null;
  const reopens = stats ? Number(stats.count_reopens ?? 0) : 0;
  const reopened = Number.isFinite(reopens) && reopens > 0;

  const cr = isRecord(raw.conversation_rating) ? raw.conversation_rating : null;
  let csat = cr ? intercomRating(cr.rating) : null;
  if (csat === null && ai) csat = rating1to5(ai.rating);

  const tags: string[] = [];
  const tagList = isRecord(raw.tags) ? raw.tags.tags : Array.isArray(raw.tags) ? raw.tags : null;
  if (Array.isArray(tagList)) {
    for (const t of tagList) {
      const name = isRecord(t) ? t.name : t;
      if (typeof name === 'string' && name.trim()) tags.push(name.trim());
    }
  }

  const messages: Message[] = [];
  const subject = typeof source.subject === 'string' ? htmlToText(source.subject) : '';
  const firstText = typeof source.body === 'string' ? htmlToText(source.body) : '';
  const opening = withSubject(subject, firstText);
  // Intercom's author type "bot" is Fin and the workflow bots alike: where the export says Fin took
  // no part, a bot's lines are a workflow's canned prompts ("Hi there 👋 how can we help?"), not the
  // AI agent's (a tester's export with Fin in none of 180 conversations was read as "an AI agent
  // already took part in 43")
  const workflowBot = (author: unknown) =>
    raw.ai_agent_participated === false && isRecord(author) && author.type === 'bot';
  let workflowLines = 0;
  if (opening && workflowBot(source.author)) workflowLines++;
  else if (opening) messages.push({ role: roleOf(source.author, tally), text: opening, at: createdAt });
  const partsHolder = raw.conversation_parts;
  const parts = isRecord(partsHolder)
    ? partsHolder.conversation_parts
    : Array.isArray(partsHolder)
      ? partsHolder
      : null;
  if (Array.isArray(parts)) {
    for (const p of parts) {
      if (!isRecord(p)) continue;
      if (typeof p.part_type === 'string' && HIDDEN_PARTS.has(p.part_type)) continue;
      if (typeof p.body !== 'string' || p.body === '') continue;
      const text = htmlToText(p.body);
      if (!text) continue;
      // no author at all: not known to be a person, so not read as a human joining the thread
      if (p.author === null || p.author === undefined) {
        tally.add('Intercom: a conversation part without an author was left out');
        continue;
      }
      if (workflowBot(p.author)) {
        workflowLines++;
        continue;
      }
      const msg: Message = { role: roleOf(p.author, tally), text };
      const at = isoFromUnixSeconds(p.created_at);
      if (at) msg.at = at;
      messages.push(msg);
    }
  }
  if (workflowLines > 0)
    tally.add(
      'Intercom: a workflow bot’s messages in conversations Fin took no part in were left out (not the AI agent’s)',
      workflowLines,
    );

  const extra: ConversationExtra = {};
  const ca = isRecord(raw.custom_attributes) ? raw.custom_attributes : null;
  if (ca) {
    const cx = rating1to5(ca['CX Score rating']);
    if (cx !== null) extra.cxScoreRating = cx;
    const expl = ca['CX Score explanation'];
    if (typeof expl === 'string' && expl.trim()) extra.cxScoreExplanation = expl.trim();
  }
  if (typeof raw.state === 'string') extra.sourceStatus = raw.state;
  if (sourceType) extra.aiSourceType = sourceType;
  const admin = idOf(raw.admin_assignee_id);
  if (admin) extra.adminAssigneeId = admin;
  const team = idOf(raw.team_assignee_id);
  if (team) extra.teamAssigneeId = team;

  return finalize(
    {
      id,
      accountId,
      createdAt,
      channel,
      aiInvolved,
      aiResolutionState: state,
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
