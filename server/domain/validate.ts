/**
 * Record-level validation of the canonical bundle (SPEC §2). Each function returns the typed
 * record or a human-readable reason, never throws: the caller reports `file:line: reason`.
 */
import { parseTimestamp } from './metrics.ts';
import { outsideWindow, plausibleWindow, type TimeWindow } from './time.ts';
import {
  type Account,
  CHANNELS,
  type Channel,
  type Conversation,
  INTERVENTION_KINDS,
  type Intervention,
  type InterventionKind,
  type Message,
  RESOLUTION_STATES,
  type ResolutionState,
  ROLES,
  type Role,
  VERTICALS,
} from './types.ts';

export type Valid<T> = { ok: true; value: T } | { ok: false; reason: string };

const fail = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const nonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;

/** An id that is there but no id ({"a":1}, true) is not "missing": say what it is. */
const missingOrNot = (field: string, v: unknown) =>
  v === undefined || v === null || (typeof v === 'string' && v.trim() === '')
    ? `missing required field "${field}"`
    : `field "${field}" must be a string or a number, not ${Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`}`;

export interface ValidConversation extends Conversation {
  /** epoch ms of createdAt, parsed once */
  createdAtMs: number;
}

let cachedWindow: { hour: number; window: TimeWindow } | null = null;
/** The default plausible window, from the clock (recomputed each hour for a long-running server). */
export function currentWindow(nowMs = Date.now()): TimeWindow {
  const hour = Math.floor(nowMs / 3_600_000);
  if (cachedWindow?.hour !== hour) cachedWindow = { hour, window: plausibleWindow(nowMs) };
  return cachedWindow.window;
}

/** The reject reason of a createdAt outside the plausible window, or null (every input path says it alike). */
export function implausibleCreatedAt(
  createdAt: string,
  ms: number,
  window: TimeWindow = currentWindow(),
): string | null {
  const why = outsideWindow(ms, window);
  return why && `"createdAt" ${createdAt.slice(0, 40)} ${why} (outside the plausible window)`;
}

export function validateConversation(
  raw: unknown,
  window: TimeWindow = currentWindow(),
): Valid<ValidConversation> {
  if (!isRecord(raw)) return fail('expected a JSON object');
  const {
    id,
    accountId,
    createdAt,
    channel,
    aiInvolved,
    aiResolutionState,
    reopened,
    csat,
    topic,
    tags,
    messages,
  } = raw;
  if (!nonEmptyString(id) && typeof id !== 'number') return fail(missingOrNot('id', id));
  // a numeric id is a string id written without quotes, as accounts.jsonl's own ids may be
  if (!nonEmptyString(accountId) && !Number.isSafeInteger(accountId))
    return fail(
      typeof accountId === 'number'
        ? 'field "accountId" is a number JSON cannot hold exactly: write the id in quotes'
        : 'missing required field "accountId"',
    );
  if (createdAt === undefined || createdAt === null) return fail('missing required field "createdAt"');
  const createdAtMs = parseTimestamp(createdAt);
  if (createdAtMs === null)
    return fail(
      `invalid date "createdAt": ${clip(JSON.stringify(createdAt) ?? String(createdAt))} (${
        typeof createdAt === 'number'
          ? 'a number: the canonical format writes ISO 8601 text, e.g. "2026-06-01T10:00:00Z"'
          : 'expected ISO 8601, e.g. "2026-06-01T10:00:00Z"'
      })`,
    );
  const implausible = outsideWindow(createdAtMs, window);
  if (implausible)
    return fail(
      `"createdAt" ${String(createdAt).slice(0, 40)} ${implausible} (outside the plausible window)`,
    );
  // required (SPEC §2 lists only csat, topic, tags and reopened as optional); an import of a
  // prospect's own export fills it in before it gets here (importers/index.ts)
  if (channel === undefined || channel === null)
    return fail(`missing required field "channel" (one of ${CHANNELS.join(', ')})`);
  if (typeof channel !== 'string' || !(CHANNELS as readonly string[]).includes(channel))
    return fail(`unknown channel ${JSON.stringify(channel).slice(0, 40)} (expected ${CHANNELS.join(', ')})`);
  const ch = channel as Channel;
  if (typeof aiInvolved !== 'boolean') return fail('missing or non-boolean field "aiInvolved"');
  let state: ResolutionState | null = null;
  if (aiResolutionState !== undefined && aiResolutionState !== null) {
    if (
      typeof aiResolutionState !== 'string' ||
      !(RESOLUTION_STATES as readonly string[]).includes(aiResolutionState)
    )
      return fail(`unknown aiResolutionState ${JSON.stringify(aiResolutionState).slice(0, 40)}`);
    state = aiResolutionState as ResolutionState;
  }
  if (!aiInvolved && state !== null) return fail('aiResolutionState set on a conversation the AI was not in');
  if (reopened !== undefined && reopened !== null && typeof reopened !== 'boolean')
    return fail('field "reopened" must be a boolean');
  let rating: number | null = null;
  if (csat !== undefined && csat !== null) {
    if (typeof csat !== 'number' || !Number.isInteger(csat) || csat < 1 || csat > 5)
      return fail(`csat must be an integer 1–5, got ${JSON.stringify(csat).slice(0, 20)}`);
    rating = csat;
  }
  if (topic !== undefined && topic !== null && typeof topic !== 'string')
    return fail('field "topic" must be a string');
  if (
    tags !== undefined &&
    tags !== null &&
    !(Array.isArray(tags) && tags.every((t) => typeof t === 'string'))
  )
    return fail('field "tags" must be an array of strings');
  const msgs = validateMessages(messages, window);
  if (!msgs.ok) return msgs;
  return {
    ok: true,
    value: {
      id: String(id),
      // surrounding spaces are an export's, not part of the name: "acme " is acme
      accountId: String(accountId).trim(),
      createdAt: createdAt as string,
      createdAtMs,
      channel: ch,
      aiInvolved,
      aiResolutionState: state,
      reopened: reopened === true,
      csat: rating,
      topic: (topic as string | undefined) ?? null,
      tags: (tags as string[] | undefined) ?? [],
      messages: msgs.value,
    },
  };
}

/** The messages of a conversation: an array of {role, text, at?}, or why not. */
function validateMessages(messages: unknown, window: TimeWindow): Valid<Message[]> {
  if (!Array.isArray(messages)) return fail('missing required field "messages" (an array)');
  const msgs: Message[] = [];
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    if (!isRecord(m)) return fail(`messages[${i}] is not an object`);
    if (typeof m.role !== 'string' || !(ROLES as readonly string[]).includes(m.role))
      return fail(
        m.role === undefined
          ? `messages[${i}] has no "role" (one of ${ROLES.join(', ')})`
          : `messages[${i}].role ${String(JSON.stringify(m.role)).slice(0, 30)} is not one of ${ROLES.join(', ')}`,
      );
    if (typeof m.text !== 'string') return fail(`messages[${i}].text must be a string`);
    const msg: Message = { role: m.role as Role, text: m.text };
    if (m.at !== undefined && m.at !== null) {
      const ms = parseTimestamp(m.at);
      if (ms === null) return fail(`messages[${i}].at is not a valid date-time`);
      // SPEC §2's window holds for every timestamp: a message "sent" in 1970 would read as a wait of
      // decades in the CX score's effort
      const why = outsideWindow(ms, window);
      if (why)
        return fail(`messages[${i}].at ${String(m.at).slice(0, 40)} ${why} (outside the plausible window)`);
      msg.at = m.at as string;
    }
    msgs.push(msg);
  }
  return { ok: true, value: msgs };
}

/**
 * A conversation as `npm run classify` reads it: what the classifier does not use may be left out
 * (`{id, messages}` is enough for another tool to get its answer), but a field that is there is
 * checked as the pipeline checks it, so a version the pipeline would reject is not the one
 * classified either (SPEC §2: the last valid version of an id wins).
 */
export function validateForClassification(raw: unknown): Valid<ValidConversation> {
  if (!isRecord(raw)) return fail('expected a JSON object');
  const missing = (k: string) => raw[k] === undefined || raw[k] === null;
  const filled: Record<string, unknown> = { ...raw };
  if (missing('accountId')) filled.accountId = 'unknown';
  if (missing('channel')) filled.channel = 'other';
  if (missing('aiInvolved')) filled.aiInvolved = !missing('aiResolutionState');
  if (missing('createdAt')) filled.createdAt = new Date().toISOString();
  return validateConversation(filled);
}

/**
 * An amount of money as exports write it: a number, or text such as "120000", "1,200",
 * "$ 1,200.50" or "USD 98 000"; blank is null. undefined when it is not an amount (a negative, a
 * boolean, "0x10", "1e3", "1.200,50": whose thousands and decimals cannot be told apart).
 */
export function amountOf(v: unknown): number | null | undefined {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const text = v
    .trim()
    .replace(/^(?:US\$|\$|USD)\s*/i, '')
    .replace(/\s*(?:USD|\$)$/i, '');
  if (text === '') return v.trim() === '' ? null : undefined;
  // digits, or thousands grouped in threes by one kind of separator: comma, space (also no-break
  // ones) or apostrophe; a point for the decimals
  if (!/^(?:\d+|\d{1,3}([,\u00a0\u202f '])\d{3}(?:\1\d{3})*)(?:\.\d+)?$/.test(text)) return undefined;
  return Number(text.replace(/[,\u00a0\u202f ']/g, ''));
}

/**
 * A planned date (a go-live, a fix dated after the data) may lie ahead of the build, but not past
 * this many days: beyond it the year is a typo, not a plan.
 */
export const PLAN_HORIZON_DAYS = 731;

/** A value quoted in a reject reason, cut to 40 characters with an ellipsis when longer. */
function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/** The reject reason of a date that may be planned (SPEC §2's window, its end moved out by the plan horizon). */
/**
 * A go-live or fix date as the UTC day it falls on (SPEC: months are UTC): a time with an offset
 * moves it ("2024-10-01T00:00:00+14:00" is 30 September); a date alone is that day. Cut to its first
 * ten characters, a go-live at midnight in Kiribati read a day late (a data engineer's review).
 */
function utcDay(value: unknown): string {
  const text = String(value).trim();
  if (text.length <= 10) return text.slice(0, 10);
  const ms = parseTimestamp(value);
  return ms === null ? text.slice(0, 10) : new Date(ms).toISOString().slice(0, 10);
}

function implausiblePlan(field: string, value: unknown, window: TimeWindow): string | null {
  const ms = parseTimestamp(value);
  if (ms === null) return `invalid date "${field}": ${JSON.stringify(value)}`;
  const why = outsideWindow(ms, {
    notBeforeMs: window.notBeforeMs,
    notAfterMs: window.notAfterMs + PLAN_HORIZON_DAYS * 86_400_000,
  });
  return (
    why &&
    `"${field}" ${String(value).slice(0, 40)} ${why} (outside the plausible window; a planned date may be up to two years ahead)`
  );
}

/**
 * A vertical as stored: lower case, and one of SPEC's names however it is spelled ("E-Commerce",
 * "Fin Tech", "SAAS"); another name as written, lower-cased. A review saw "E-Commerce" kept apart
 * from "ecommerce": a second filter entry and a one-account peer group.
 */
export function verticalOf(written: string | null): string {
  if (written === null || written.trim() === '') return 'other';
  const lower = written.trim().toLowerCase();
  const squeezed = lower.replace(/[\s_.-]+/g, '');
  return (VERTICALS as readonly string[]).includes(squeezed) ? squeezed : lower;
}

export function validateAccount(raw: unknown, window: TimeWindow = currentWindow()): Valid<Account> {
  if (!isRecord(raw)) return fail('expected an object');
  const { id, name, vertical, plan, arr, csm, region, aiLiveSince, status } = raw;
  if (!nonEmptyString(id) && typeof id !== 'number') return fail(missingOrNot('id', id));
  if (!nonEmptyString(name))
    return fail(typeof name === 'string' ? 'field "name" is empty' : 'missing required field "name"');
  const arrValue = amountOf(arr);
  if (arrValue === undefined)
    return fail(`arr must be a non-negative amount in USD, got ${JSON.stringify(arr).slice(0, 40)}`);
  let live: string | null = null;
  if (aiLiveSince !== undefined && aiLiveSince !== null && aiLiveSince !== '') {
    const why = implausiblePlan('aiLiveSince', aiLiveSince, window);
    if (why) return fail(why);
    live = utcDay(aiLiveSince);
  }
  let st: Account['status'] = 'customer';
  if (status !== undefined && status !== null && status !== '') {
    // written as the vertical may be: "Customer" is a customer
    const s = typeof status === 'string' ? status.trim().toLowerCase() : status;
    if (s !== 'customer' && s !== 'prospect')
      return fail(`unknown status ${JSON.stringify(status)} (expected customer or prospect)`);
    st = s;
  }
  const opt = (v: unknown) => (v === undefined || v === null || v === '' ? null : String(v));
  return {
    ok: true,
    value: {
      id: String(id).trim(),
      name: name.trim(),
      vertical: verticalOf(opt(vertical)),
      plan: opt(plan),
      arr: arrValue,
      csm: opt(csm),
      region: opt(region),
      aiLiveSince: live,
      status: st,
    },
  };
}

export function validateIntervention(
  raw: unknown,
  window: TimeWindow = currentWindow(),
): Valid<Intervention> {
  if (!isRecord(raw)) return fail('expected a JSON object');
  const { accountId, date, kind, taxonomyId, note } = raw;
  if (!nonEmptyString(accountId)) return fail('missing required field "accountId"');
  const late = implausiblePlan('date', date, window);
  if (late) return fail(late);
  if (typeof kind !== 'string' || !(INTERVENTION_KINDS as readonly string[]).includes(kind))
    return fail(`unknown kind ${JSON.stringify(kind)} (expected ${INTERVENTION_KINDS.join(', ')})`);
  if (taxonomyId !== undefined && taxonomyId !== null && typeof taxonomyId !== 'string')
    return fail('field "taxonomyId" must be a string');
  return {
    ok: true,
    value: {
      accountId: accountId.trim(),
      date: utcDay(date),
      kind: kind as InterventionKind,
      // "" (an empty spreadsheet cell) is a fix on every topic, as a missing field is
      taxonomyId: typeof taxonomyId === 'string' && taxonomyId.trim() !== '' ? taxonomyId.trim() : null,
      note: typeof note === 'string' ? note : null,
    },
  };
}
