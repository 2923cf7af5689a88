/**
 * Deterministic demo data generator: samples conversations from the latent world (world.ts) and
 * writes a canonical export bundle (SPEC §2): accounts.jsonl, conversations.jsonl.gz (streamed,
 * gzip level 1, memory flat) and interventions.jsonl. Same seed and options -> identical bytes.
 */

import { createWriteStream } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { spearman } from '../../server/domain/stats.ts';
import type { Channel, Conversation, Message, ResolutionState } from '../../server/domain/types.ts';
import {
  AFTER_AGENT_BAD,
  AFTER_AGENT_GOOD,
  AGENT_CLOSE,
  AGENT_HELLO,
  AGENT_HUMAN_FIX,
  AGENT_NAMES,
  AI_CLARIFY,
  AI_CONNECTING,
  AI_ESCALATE,
  AI_GLAD,
  AI_PROCEDURE_HANDOFF,
  AI_SORRY,
  AI_WEAK,
  ASSUMED_DOUBT,
  ASSUMED_WARM,
  CHATTY_PREFIX,
  CONFIRMED_PLAIN,
  ESCALATE_CALM,
  FRUSTRATED,
  GREETING_PREFIX,
  LEAF_PHRASES,
  type LeafPhrases,
  MOOD_REMARK,
  NEGATIVE,
  OK_ASSUMED,
  PARTING_ANGRY,
  REOPEN,
  REPEAT_PREFIX,
  SIGNOFF_SUFFIX,
  SLOT_VALUES,
  THANKS_CONFIRMED,
  WAITING,
} from './phrases.ts';
import { Rng } from './rng.ts';
import {
  type AccountModel,
  accountStates,
  buildWorld,
  DEFAULT_END_DATE,
  type LeafModel,
  latentAutomation,
  leafRates,
  STATE_RULES,
  type TruthState,
  trueCeiling,
  type World,
} from './world.ts';

export { DEFAULT_END_DATE, SPECIAL_IDS } from './world.ts';

export interface DemoOptions {
  accounts?: number;
  months?: number;
  seed?: number;
  outDir: string;
  endDate?: string;
  onProgress?: (done: number, total: number) => void;
  /** generate only these account ids (the world, and so their data, is unchanged) */
  onlyAccounts?: string[];
  /** multiplies all volumes; for quick tests */
  volumeScale?: number;
}

export interface DemoSummary {
  accounts: number;
  conversations: number;
  interventions: number;
  files: string[];
}

export const DEFAULTS = { accounts: 72, months: 12, seed: 42 } as const;

export function demoWorld(opts: Omit<DemoOptions, 'outDir' | 'onProgress'> = {}): World {
  return buildWorld({
    accounts: opts.accounts ?? DEFAULTS.accounts,
    months: opts.months ?? DEFAULTS.months,
    seed: opts.seed ?? DEFAULTS.seed,
    endDate: opts.endDate ?? DEFAULT_END_DATE,
    volumeScale: opts.volumeScale ?? 1,
  });
}

// ---------------------------------------------------------------------------------------------
// Time

const HOUR_W = [
  0.15, 0.1, 0.08, 0.07, 0.08, 0.15, 0.3, 0.55, 0.85, 1, 1, 0.95, 0.9, 0.95, 1, 0.95, 0.9, 0.85, 0.75, 0.7,
  0.65, 0.55, 0.4, 0.25,
];
const DOW_W = [0.6, 1, 1, 0.97, 0.95, 0.9, 0.7];
const SEC = 1000;
const MIN = 60_000;
const HOUR = 3_600_000;

function sampleTimes(rng: Rng, n: number, from: number, to: number, tzOffsetH: number): Float64Array {
  const out = new Float64Array(n);
  const span = to - from;
  const tz = tzOffsetH * HOUR;
  for (let i = 0; i < n; i++) {
    for (;;) {
      const t = from + Math.floor((rng.next() * span) / SEC) * SEC;
      const local = t + tz;
      const hour = Math.floor(local / HOUR) % 24;
      const dow = (Math.floor(local / 86_400_000) + 4) % 7; // 1970-01-01 was a Thursday
      if (rng.next() < HOUR_W[hour]! * DOW_W[dow]!) {
        out[i] = t;
        break;
      }
    }
  }
  return out.sort();
}

const PAD2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
let isoDay = Number.NaN;
let isoDayPrefix = '';
/** `YYYY-MM-DDTHH:MM:SSZ` (whole seconds); caches the date part, as messages come in time order. */
function iso(ms: number): string {
  const day = Math.floor(ms / 86_400_000);
  if (day !== isoDay) {
    isoDay = day;
    isoDayPrefix = new Date(day * 86_400_000).toISOString().slice(0, 11);
  }
  let rest = Math.floor((ms - day * 86_400_000) / 1000);
  const sec = rest % 60;
  rest = (rest - sec) / 60;
  const min = rest % 60;
  return `${isoDayPrefix}${PAD2[(rest - min) / 60]}:${PAD2[min]}:${PAD2[sec]}Z`;
}

// ---------------------------------------------------------------------------------------------
// Text

interface Ctx {
  rng: Rng;
  acc: AccountModel;
  leaf: LeafModel;
  phr: LeafPhrases;
  vals: Record<string, string>;
  agent: string;
}

const PNR = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function digits(rng: Rng, n: number): string {
  let s = String(rng.int(1, 9));
  for (let i = 1; i < n; i++) s += String(rng.int(0, 9));
  return s;
}

function slot(name: string, ctx: Ctx): string {
  const cached = ctx.vals[name];
  if (cached !== undefined) return cached;
  const { rng, acc } = ctx;
  const v = acc.account.vertical;
  let value: string;
  switch (name) {
    case 'order':
      value = rng.chance(0.6) ? `#${digits(rng, 6)}` : digits(rng, 5);
      break;
    case 'pnr': {
      value = '';
      for (let i = 0; i < 6; i++) value += PNR[rng.int(0, PNR.length - 1)];
      break;
    }
    case 'n3':
    case 'n4':
    case 'n5':
    case 'n6':
      value = digits(rng, Number(name.slice(1)));
      break;
    case 'amount': {
      const whole = rng.chance(0.7) ? rng.int(9, 240) : rng.int(240, 1400);
      value = `${acc.currency}${whole}${rng.chance(0.5) ? `.${rng.pick(['00', '99', '50', '95', '49'])}` : ''}`;
      break;
    }
    case 'days':
      value = String(rng.int(3, 12));
      break;
    case 'card4':
      value = digits(rng, 4);
      break;
    case 'noun':
      value = ctx.leaf.label.toLowerCase();
      break;
    case 'team':
      value = ctx.phr.team;
      break;
    case 'agent':
      value = ctx.agent;
      break;
    default: {
      const table = SLOT_VALUES[name];
      const list = table ? (table[v] ?? table.any ?? table.ecommerce) : undefined;
      value = list ? fill(rng.pick(list), ctx) : name;
    }
  }
  ctx.vals[name] = value;
  return value;
}

const SLOT_RE = /\{(\w+)\}/g;

function fill(template: string, ctx: Ctx): string {
  if (template.indexOf('{') < 0) return template;
  return template.replace(SLOT_RE, (_m, name: string) => slot(name, ctx));
}

function sloppy(text: string, rng: Rng): string {
  const r = rng.next();
  if (r < 0.4) return text.toLowerCase().replace(/[.!]+$/, '');
  if (r < 0.7) {
    const words = text.split(' ');
    const startAt = rng.int(0, words.length - 1);
    const idx = words.findIndex((w, k) => k >= startAt && /^[a-z]{5,}$/i.test(w));
    if (idx >= 0) {
      const w = words[idx]!;
      const p = rng.int(1, w.length - 3);
      words[idx] = w.slice(0, p) + w[p + 1] + w[p] + w.slice(p + 2);
      return words.join(' ');
    }
    return text;
  }
  return text.replace(/'/g, '').replace(/,/g, '');
}

function customerOpen(ctx: Ctx, channel: Channel): string {
  const { rng } = ctx;
  let text = fill(rng.pick(ctx.phr.open), ctx);
  const email = channel === 'email';
  if (email && rng.chance(0.45)) text += ` ${fill(rng.pick(ctx.phr.more), ctx)}`;
  if (rng.chance(0.05)) text = rng.pick(CHATTY_PREFIX) + text.charAt(0).toLowerCase() + text.slice(1);
  else if (rng.chance(email ? 0.6 : 0.18)) text = rng.pick(GREETING_PREFIX) + text;
  if (rng.chance(email ? 0.5 : 0.1)) text += rng.pick(SIGNOFF_SUFFIX);
  if (rng.chance(ctx.acc.sloppiness)) text = sloppy(text, rng);
  return text;
}

function customerSays(ctx: Ctx, bank: readonly string[]): string {
  const text = fill(ctx.rng.pick(bank), ctx);
  return ctx.rng.chance(ctx.acc.sloppiness * 0.6) ? sloppy(text, ctx.rng) : text;
}

function answer(ctx: Ctx): string {
  return fill(ctx.rng.pick(ctx.phr.ai), ctx);
}

function agentAnswer(ctx: Ctx): string {
  const hello = fill(ctx.rng.pick(AGENT_HELLO), ctx);
  const body =
    ctx.leaf.cls === 'human' || ctx.leaf.id === 'feedback.talk_to_human'
      ? fill(ctx.rng.pick(AGENT_HUMAN_FIX), ctx)
      : answer(ctx);
  return hello + body;
}

function weakAnswer(ctx: Ctx): string {
  return fill(ctx.rng.pick(AI_WEAK[ctx.leaf.cls]!), ctx);
}

// ---------------------------------------------------------------------------------------------
// Outcomes

const FAIL_STATES: ResolutionState[] = ['escalated', 'procedure_handoff', 'negative_feedback', 'abandoned'];
const FAIL_CUM: Record<string, number[]> = {
  informational: cum([0.4, 0.03, 0.22, 0.35]),
  personalized: cum([0.52, 0.08, 0.12, 0.28]),
  action: cum([0.45, 0.22, 0.1, 0.23]),
  human: cum([0.55, 0.3, 0.04, 0.11]),
};
function cum(ws: number[]): number[] {
  let s = 0;
  return ws.map((w) => (s += w));
}

type Outcome = ResolutionState | 'none';

const TAGS = ['vip', 'repeat-contact', 'mobile-app', 'web', 'priority', 'promo', 'new-customer', 'b2b'];

// ---------------------------------------------------------------------------------------------
// One conversation

class Timeline {
  msgs: Message[] = [];
  t: number;
  constructor(
    start: number,
    private readonly channel: Channel,
    private readonly rng: Rng,
  ) {
    this.t = start;
  }
  private wait(lo: number, hi: number) {
    this.t += Math.round(this.rng.range(lo, hi) / SEC) * SEC;
  }
  customer(text: string, first = false) {
    if (!first) {
      if (this.channel === 'email') this.wait(20 * MIN, 8 * HOUR);
      else if (this.channel === 'social' || this.channel === 'messenger') this.wait(30 * SEC, 20 * MIN);
      else this.wait(12 * SEC, 4 * MIN);
    }
    this.msgs.push({ role: 'customer', text, at: iso(this.t) });
  }
  ai(text: string) {
    if (this.channel === 'email') this.wait(40 * SEC, 4 * MIN);
    else this.wait(2 * SEC, 9 * SEC);
    this.msgs.push({ role: 'ai', text, at: iso(this.t) });
  }
  agent(text: string, slow: boolean) {
    if (this.channel === 'email') this.wait(slow ? 5 * HOUR : 40 * MIN, slow ? 40 * HOUR : 12 * HOUR);
    else this.wait(slow ? 12 * MIN : 40 * SEC, slow ? 100 * MIN : 15 * MIN);
    this.msgs.push({ role: 'agent', text, at: iso(this.t) });
  }
  later(lo: number, hi: number) {
    this.wait(lo, hi);
  }
}

/** Mean satisfaction (1–5 scale) by outcome, before the account's offset, waits and noise. */
const SAT_MEAN: Record<Outcome, number> = {
  confirmed_resolution: 4.5,
  assumed_resolution: 4.05,
  none: 3.85,
  pending: 3.5,
  procedure_handoff: 3.4,
  escalated: 3.05,
  abandoned: 2.7,
  negative_feedback: 1.9,
};
/** spread of a conversation's satisfaction around its mean, and of the CSAT answer around it */
export const SAT_NOISE = 0.75;
export const CSAT_NOISE = 0.75;

export interface GeneratedConversation {
  conv: Conversation;
  leafId: string;
  /** the satisfaction latent (truth, never written to the bundle) */
  satisfaction: number;
}

export function makeConversation(
  acc: AccountModel,
  rng: Rng,
  createdAt: number,
  seq: number,
  endMs: number,
): GeneratedConversation {
  const leaf = acc.leaves[rng.pickCumulative(acc.leafCum)]!;
  const channel = acc.channels[rng.pickCumulative(acc.channelCum)]!;
  const phr = LEAF_PHRASES[leaf.id]!;
  const ctx: Ctx = { rng, acc, leaf, phr, vals: {}, agent: rng.pick(AGENT_NAMES) };
  const rates = leafRates(acc, leaf, createdAt, [0, 0]);
  const involved = rng.next() < rates[0];
  let state: ResolutionState | null = null;
  let reopened = false;
  if (involved) {
    const pState = Math.min(0.995, rates[1] / (1 - acc.reopenResolved));
    if (rng.next() < pState) {
      state = rng.next() < acc.confirmedShare ? 'confirmed_resolution' : 'assumed_resolution';
      reopened = rng.next() < acc.reopenResolved;
    } else {
      const c = FAIL_CUM[leaf.cls]!;
      const x = rng.next() * c[c.length - 1]!;
      state = FAIL_STATES[c.findIndex((v) => x < v)] ?? 'escalated';
      reopened = rng.next() < 0.06;
    }
  } else {
    reopened = rng.next() < 0.035;
  }
  // waits happen to the customer; the satisfaction latent takes them in, then drives the words
  const slow = rng.chance(state === null ? 0.3 : 0.5);
  const outcome0: Outcome = state ?? 'none';
  let sat =
    SAT_MEAN[outcome0] +
    acc.satOffset +
    rng.normal(0, SAT_NOISE) -
    (reopened ? 1.2 : 0) -
    (slow && (state === null || state === 'escalated') ? 0.45 : 0);
  sat = Math.min(5.6, Math.max(0.4, sat));

  const tl = new Timeline(createdAt, channel, rng);
  const opener = customerOpen(ctx, channel);
  tl.customer(opener, true);
  const repeat = () => tl.customer(rng.pick(REPEAT_PREFIX) + opener);
  const talkToHuman = leaf.id === 'feedback.talk_to_human';
  switch (state) {
    case null: {
      if (rng.chance(0.4)) tl.customer(customerSays(ctx, phr.more));
      if (sat < 2.6 && rng.chance(0.5)) repeat();
      tl.agent(agentAnswer(ctx), slow);
      if (sat < 3.2 ? rng.chance(0.75) : rng.chance(0.5))
        tl.customer(customerSays(ctx, sat < 3.2 ? AFTER_AGENT_BAD : AFTER_AGENT_GOOD));
      if (rng.chance(0.3)) tl.agent(rng.pick(AGENT_CLOSE), false);
      break;
    }
    case 'confirmed_resolution': {
      if (rng.chance(0.3)) {
        tl.ai(fill(rng.pick(AI_CLARIFY), ctx));
        tl.customer(customerSays(ctx, phr.more));
      }
      tl.ai(answer(ctx));
      tl.customer(customerSays(ctx, sat >= 4 ? THANKS_CONFIRMED : CONFIRMED_PLAIN));
      if (rng.chance(0.5)) tl.ai(rng.pick(AI_GLAD));
      break;
    }
    case 'assumed_resolution': {
      if (rng.chance(0.25)) {
        tl.ai(fill(rng.pick(AI_CLARIFY), ctx));
        tl.customer(customerSays(ctx, phr.more));
      }
      tl.ai(answer(ctx));
      if (sat < 3.3) {
        if (rng.chance(0.6)) tl.customer(customerSays(ctx, ASSUMED_DOUBT));
      } else if (sat >= 4.6) {
        if (rng.chance(0.5)) tl.customer(customerSays(ctx, ASSUMED_WARM));
      } else if (rng.chance(0.35)) tl.customer(customerSays(ctx, OK_ASSUMED));
      break;
    }
    case 'escalated': {
      if (talkToHuman) {
        tl.ai(rng.pick(AI_CONNECTING));
      } else {
        if (rng.chance(0.5)) {
          tl.ai(fill(rng.pick(AI_CLARIFY), ctx));
          tl.customer(customerSays(ctx, phr.more));
        }
        tl.ai(weakAnswer(ctx));
        if (sat < 3.4) {
          tl.customer(customerSays(ctx, FRUSTRATED));
          if (sat < 2.6) {
            if (rng.chance(0.5)) repeat();
            else tl.customer(customerSays(ctx, FRUSTRATED));
          }
        } else tl.customer(customerSays(ctx, ESCALATE_CALM));
        tl.ai(rng.pick(AI_ESCALATE));
      }
      if (slow || rng.chance(0.2)) {
        tl.later(3 * MIN, 20 * MIN);
        if (slow || sat < 3) tl.customer(customerSays(ctx, WAITING));
      }
      tl.agent(agentAnswer(ctx), slow);
      if (rng.chance(0.7)) tl.customer(customerSays(ctx, sat < 3.2 ? AFTER_AGENT_BAD : AFTER_AGENT_GOOD));
      break;
    }
    case 'procedure_handoff': {
      tl.ai(fill(rng.pick(AI_CLARIFY), ctx));
      tl.customer(customerSays(ctx, phr.more));
      tl.ai(fill(rng.pick(AI_PROCEDURE_HANDOFF), ctx));
      if (sat < 2.8 && rng.chance(0.6)) tl.customer(customerSays(ctx, AFTER_AGENT_BAD));
      if (rng.chance(0.45)) {
        tl.later(1 * HOUR, 30 * HOUR);
        tl.agent(agentAnswer(ctx), false);
      }
      break;
    }
    case 'negative_feedback': {
      tl.ai(rng.chance(0.5) ? weakAnswer(ctx) : answer(ctx));
      tl.customer(customerSays(ctx, NEGATIVE));
      if (rng.chance(0.6)) tl.ai(rng.pick(AI_SORRY));
      if (sat < 1.6 && rng.chance(0.5)) tl.customer(customerSays(ctx, PARTING_ANGRY));
      break;
    }
    case 'abandoned': {
      tl.ai(rng.chance(0.5) ? fill(rng.pick(AI_CLARIFY), ctx) : weakAnswer(ctx));
      if (sat < 2.6 && rng.chance(0.5)) repeat();
      else if (rng.chance(0.3)) {
        tl.customer(customerSays(ctx, phr.more));
        tl.ai(weakAnswer(ctx));
      }
      if (sat < 2 && rng.chance(0.5)) tl.customer(customerSays(ctx, PARTING_ANGRY));
      break;
    }
    default:
      break;
  }
  // how it felt, said in so many words by some customers (more often when the feeling is strong)
  const mood = sat < 1.9 ? 0 : sat < 2.8 ? 1 : sat < 3.6 ? 2 : sat < 4.4 ? 3 : 4;
  if (rng.chance(mood === 2 ? 0.25 : 0.6)) tl.customer(customerSays(ctx, MOOD_REMARK[mood]!));
  const mainEnd = tl.t;
  if (reopened) {
    tl.later(1 * HOUR, 72 * HOUR);
    tl.customer(customerSays(ctx, REOPEN));
    tl.agent(agentAnswer(ctx), true);
  }

  // conversations still running at the export time are cut off there: the AI outcome is pending,
  // or, when only the reopen falls after it, the reopen has not happened yet
  let msgs = tl.msgs;
  let complete = true;
  if (tl.t > endMs) {
    const cut = iso(endMs);
    msgs = msgs.filter((m) => m.at! <= cut);
    reopened = false;
    if (mainEnd > endMs) {
      complete = false;
      if (involved) state = 'pending';
    }
  }

  const conv: Conversation = {
    id: `${acc.account.id}-${seq}`,
    accountId: acc.account.id,
    createdAt: iso(createdAt),
    channel,
    aiInvolved: involved,
    aiResolutionState: state,
    reopened,
    messages: msgs,
  };
  if (complete) {
    const rateP =
      acc.csatRate * (outcome0 === 'abandoned' ? 0.5 : outcome0 === 'negative_feedback' ? 1.4 : 1);
    if (rng.next() < rateP) {
      // the rating is the customer's satisfaction, read through the coarse 1–5 scale with noise
      conv.csat = Math.min(5, Math.max(1, Math.round(sat + rng.normal(0, CSAT_NOISE))));
    }
  }
  if (acc.topicMode !== 'none' && rng.next() < acc.topicRate) {
    conv.topic = acc.topicMode === 'canonical' ? `${leaf.group} > ${leaf.label}` : rng.pick(acc.customTopics);
  }
  if (acc.tagRate > 0 && rng.next() < acc.tagRate) {
    conv.tags = rng.chance(0.8)
      ? [rng.pick(TAGS)]
      : [rng.pick(TAGS), rng.pick(TAGS)].filter((t, k, a) => a.indexOf(t) === k);
  }
  return { conv, leafId: leaf.id, satisfaction: sat };
}

// ---------------------------------------------------------------------------------------------
// Iteration and writing

/** Every conversation of one account, month by month, in time order. */
export function* accountConversations(world: World, acc: AccountModel): Generator<GeneratedConversation> {
  let seq = 0;
  for (const [k, month] of world.months.entries()) {
    const n = acc.monthly[k] ?? 0;
    if (n === 0) continue;
    const from = Math.max(month.start, acc.dataStartMs);
    const rng = Rng.derive(world.seed, 'conversations', acc.account.id, month.key);
    const times = sampleTimes(rng, n, from, month.end, acc.tzOffsetH);
    for (let i = 0; i < n; i++) yield makeConversation(acc, rng, times[i]!, seq + i + 1, world.endMs);
    seq += n;
  }
}

export function selectAccounts(world: World, only?: string[]): AccountModel[] {
  if (!only) return world.accounts;
  const wanted = new Set(only);
  const found = world.accounts.filter((a) => wanted.has(a.account.id));
  if (found.length !== wanted.size) {
    const missing = [...wanted].filter((id) => !found.some((a) => a.account.id === id));
    throw new Error(`unknown account id(s): ${missing.join(', ')}`);
  }
  return found;
}

export async function generateDemoBundle(opts: DemoOptions): Promise<DemoSummary> {
  const world = demoWorld(opts);
  const accounts = selectAccounts(world, opts.onlyAccounts);
  const ids = new Set(accounts.map((a) => a.account.id));
  const total = accounts.reduce((s, a) => s + a.monthly.reduce((x, y) => x + y, 0), 0);
  await mkdir(opts.outDir, { recursive: true });

  const accountsFile = join(opts.outDir, 'accounts.jsonl');
  const conversationsFile = join(opts.outDir, 'conversations.jsonl.gz');
  const interventionsFile = join(opts.outDir, 'interventions.jsonl');
  const truthFile = join(opts.outDir, 'truth.json');

  await writeAtomic(accountsFile, accounts.map((a) => `${JSON.stringify(a.account)}\n`).join(''));

  // the satisfaction latent, summed by account and month, and beside every rating
  const monthIndex = new Map(world.months.map((m, k) => [m.key, k]));
  const satSum = new Map(accounts.map((a) => [a.account.id, new Float64Array(world.months.length)]));
  const satCount = new Map(accounts.map((a) => [a.account.id, new Float64Array(world.months.length)]));
  const ratedSat: number[] = [];
  const ratedCsat: number[] = [];

  let done = 0;
  const progress = opts.onProgress;
  const CHUNK = 1 << 20;
  function* chunks(): Generator<string> {
    let parts: string[] = [];
    let size = 0;
    let lastReport = 0;
    progress?.(0, total);
    for (const acc of accounts) {
      const sums = satSum.get(acc.account.id)!;
      const counts = satCount.get(acc.account.id)!;
      for (const { conv, satisfaction } of accountConversations(world, acc)) {
        const k = monthIndex.get(conv.createdAt.slice(0, 7))!;
        sums[k]! += satisfaction;
        counts[k]! += 1;
        if (conv.csat != null) {
          ratedSat.push(satisfaction);
          ratedCsat.push(conv.csat);
        }
        const line = `${JSON.stringify(conv)}\n`;
        parts.push(line);
        size += line.length;
        done += 1;
        if (size >= CHUNK) {
          yield parts.join('');
          parts = [];
          size = 0;
          if (progress && done - lastReport >= 20_000) {
            lastReport = done;
            progress(done, total);
          }
        }
      }
    }
    if (parts.length > 0) yield parts.join('');
    progress?.(done, total);
  }
  const tmp = `${conversationsFile}.tmp`;
  await pipeline(Readable.from(chunks()), createGzip({ level: 1 }), createWriteStream(tmp));
  await rename(tmp, conversationsFile);

  const interventions = world.interventions.filter((i) => ids.has(i.accountId));
  await writeAtomic(
    interventionsFile,
    interventions.map(({ effect: _effect, ...i }) => `${JSON.stringify(i)}\n`).join(''),
  );

  const truth = buildTruth(world, accounts, satSum, satCount, spearman(ratedSat, ratedCsat));
  await writeAtomic(truthFile, `${JSON.stringify(truth, null, 1)}\n`);

  return {
    accounts: accounts.length,
    conversations: done,
    interventions: interventions.length,
    files: [accountsFile, conversationsFile, interventionsFile, truthFile],
  };
}

// ---------------------------------------------------------------------------------------------
// Truth

export interface TruthAccount {
  /** automation rate over the last 3 months with every leaf at its true ceiling */
  ceiling: number;
  /** each leaf's true ceiling, as an automation rate (involvement × resolution) */
  leafCeilings: Record<string, number>;
  /** each leaf's share of the account's volume (the mix the ceiling is taken over) */
  leafShares: Record<string, number>;
  states: TruthState[];
  /** latent monthly figures, oldest first (same months as `months`) */
  latent: { automation: (number | null)[]; satisfaction: (number | null)[] };
}

export interface Truth {
  seed: number;
  dataAsOf: string;
  months: string[];
  /** how states, the ceiling and csatCeiling are defined */
  definitions: Record<string, string>;
  accounts: Record<string, TruthAccount>;
  interventions: {
    accountId: string;
    date: string;
    kind: string;
    taxonomyId: string | null;
    effect: number;
  }[];
  /** Spearman of the satisfaction latent with the CSAT answer over every rating */
  csatCeiling: number | null;
}

const r4 = (x: number) => Math.round(x * 10_000) / 10_000;

export function buildTruth(
  world: World,
  accounts: readonly AccountModel[],
  satSum: ReadonlyMap<string, Float64Array>,
  satCount: ReadonlyMap<string, Float64Array>,
  csatCeiling: number | null,
): Truth {
  const out: Record<string, TruthAccount> = {};
  for (const acc of accounts) {
    const id = acc.account.id;
    const automation = latentAutomation(world, acc);
    const sums = satSum.get(id)!;
    const counts = [...satCount.get(id)!];
    const satisfaction = counts.map((n, k) => (n > 0 ? sums[k]! / n : null));
    out[id] = {
      ceiling: r4(trueCeiling(acc)),
      leafCeilings: Object.fromEntries(acc.leaves.map((l) => [l.id, r4(l.invCeil * l.resCeil)])),
      leafShares: Object.fromEntries(acc.leaves.map((l) => [l.id, r4(l.weight)])),
      states: accountStates(world, acc, automation, satisfaction, counts),
      latent: {
        automation: automation.map((x) => (x === null ? null : r4(x))),
        satisfaction: satisfaction.map((x) => (x === null ? null : r4(x))),
      },
    };
  }
  const ids = new Set(accounts.map((a) => a.account.id));
  return {
    seed: world.seed,
    dataAsOf: new Date(world.endMs).toISOString(),
    months: world.months.map((m) => m.key),
    definitions: {
      ceiling:
        'automation rate the account would have over the last 3 months if every leaf ran at its true ceiling (involvement x resolution with every capability in place), over its topic mix',
      effect: "planted change in the leaf's automation rate once the intervention has ramped in (fraction)",
      climbing: `latent automation: 3-month average ${STATE_RULES.climbRise * 100}+ pts above the 3 months before, and still rising ${STATE_RULES.climbStillRising * 100}+ pts over the last 3 months`,
      declining: `latent automation: 3-month average ${STATE_RULES.declineDrop * 100}+ pts below the 3 months before, or mean satisfaction latent ${STATE_RULES.satisfactionDrop}+ below`,
      plateau: `latent automation within ${STATE_RULES.plateauMove * 100} pts over the last 3 months while ${STATE_RULES.plateauGap * 100}+ pts below the true ceiling`,
      low_cx: `mean satisfaction latent over the last 3 months below ${STATE_RULES.lowSatisfaction}`,
      states: 'evaluated on complete months; from/to are inclusive months',
      csatCeiling: 'Spearman of the satisfaction latent with the CSAT answer, over every rated conversation',
    },
    accounts: out,
    interventions: world.interventions
      .filter((i) => ids.has(i.accountId))
      .map((i) => ({
        accountId: i.accountId,
        date: i.date,
        kind: i.kind,
        taxonomyId: i.taxonomyId,
        effect: r4(i.effect),
      })),
    csatCeiling: csatCeiling === null ? null : r4(csatCeiling),
  };
}

async function writeAtomic(file: string, content: string) {
  const tmp = `${file}.tmp`;
  await writeFile(tmp, content);
  await rename(tmp, file);
}
