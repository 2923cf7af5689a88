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
import { isResolved } from '../../server/domain/metrics.ts';
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
  CHATTY_PREFIX,
  FRUSTRATED,
  GREETING_PREFIX,
  LEAF_PHRASES,
  type LeafPhrases,
  NEGATIVE,
  OK_ASSUMED,
  REOPEN,
  SIGNOFF_SUFFIX,
  SLOT_VALUES,
  THANKS_CONFIRMED,
  WAITING,
} from './phrases.ts';
import { Rng } from './rng.ts';
import {
  type AccountModel,
  buildWorld,
  DEFAULT_END_DATE,
  type LeafModel,
  leafRates,
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
const CSAT_CUM: Record<string, number[]> = {
  // P(1..5)
  confirmed_resolution: cum([0.01, 0.02, 0.07, 0.3, 0.6]),
  assumed_resolution: cum([0.07, 0.08, 0.15, 0.35, 0.35]),
  escalated: cum([0.1, 0.15, 0.25, 0.3, 0.2]),
  procedure_handoff: cum([0.1, 0.1, 0.3, 0.3, 0.2]),
  negative_feedback: cum([0.5, 0.3, 0.13, 0.05, 0.02]),
  abandoned: cum([0.3, 0.3, 0.25, 0.1, 0.05]),
  none: cum([0.05, 0.1, 0.2, 0.35, 0.3]),
  reopened: cum([0.35, 0.3, 0.2, 0.1, 0.05]),
};

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

export function makeConversation(acc: AccountModel, rng: Rng, createdAt: number, seq: number, endMs: number) {
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

  const tl = new Timeline(createdAt, channel, rng);
  tl.customer(customerOpen(ctx, channel), true);
  const talkToHuman = leaf.id === 'feedback.talk_to_human';
  switch (state) {
    case null: {
      if (rng.chance(0.4)) tl.customer(customerSays(ctx, phr.more));
      tl.agent(agentAnswer(ctx), rng.chance(0.3));
      if (rng.chance(0.5)) tl.customer(customerSays(ctx, AFTER_AGENT_GOOD));
      if (rng.chance(0.3)) tl.agent(rng.pick(AGENT_CLOSE), false);
      break;
    }
    case 'confirmed_resolution': {
      if (rng.chance(0.3)) {
        tl.ai(fill(rng.pick(AI_CLARIFY), ctx));
        tl.customer(customerSays(ctx, phr.more));
      }
      tl.ai(answer(ctx));
      tl.customer(customerSays(ctx, THANKS_CONFIRMED));
      if (rng.chance(0.5)) tl.ai(rng.pick(AI_GLAD));
      break;
    }
    case 'assumed_resolution': {
      if (rng.chance(0.25)) {
        tl.ai(fill(rng.pick(AI_CLARIFY), ctx));
        tl.customer(customerSays(ctx, phr.more));
      }
      tl.ai(answer(ctx));
      if (rng.chance(0.35)) tl.customer(customerSays(ctx, OK_ASSUMED));
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
        tl.customer(customerSays(ctx, FRUSTRATED));
        if (rng.chance(0.3)) tl.customer(customerSays(ctx, FRUSTRATED));
        tl.ai(rng.pick(AI_ESCALATE));
      }
      const slow = rng.chance(0.5);
      if (slow || rng.chance(0.2)) {
        tl.later(3 * MIN, 20 * MIN);
        tl.customer(customerSays(ctx, WAITING));
      }
      tl.agent(agentAnswer(ctx), slow);
      if (rng.chance(0.7)) tl.customer(customerSays(ctx, slow ? AFTER_AGENT_BAD : AFTER_AGENT_GOOD));
      break;
    }
    case 'procedure_handoff': {
      tl.ai(fill(rng.pick(AI_CLARIFY), ctx));
      tl.customer(customerSays(ctx, phr.more));
      tl.ai(fill(rng.pick(AI_PROCEDURE_HANDOFF), ctx));
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
      break;
    }
    case 'abandoned': {
      tl.ai(rng.chance(0.5) ? fill(rng.pick(AI_CLARIFY), ctx) : weakAnswer(ctx));
      if (rng.chance(0.3)) {
        tl.customer(customerSays(ctx, phr.more));
        tl.ai(weakAnswer(ctx));
      }
      break;
    }
    default:
      break;
  }
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
    const outcome: Outcome = state ?? 'none';
    const rateP = acc.csatRate * (outcome === 'abandoned' ? 0.5 : outcome === 'negative_feedback' ? 1.4 : 1);
    if (rng.next() < rateP) {
      const c = CSAT_CUM[reopened ? 'reopened' : outcome]!;
      const x = rng.next();
      conv.csat = c.findIndex((v) => x < v) + 1 || 5;
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
  return { conv, leafId: leaf.id };
}

// ---------------------------------------------------------------------------------------------
// Iteration and writing

/** Every conversation of one account, month by month, in time order. */
export function* accountConversations(
  world: World,
  acc: AccountModel,
): Generator<{ conv: Conversation; leafId: string }> {
  let seq = 0;
  for (const [k, month] of world.months.entries()) {
    const n = acc.monthly[k] ?? 0;
    if (n === 0) continue;
    const from = Math.max(month.start, acc.dataStartMs);
    const target = acc.targets[world.months.length - 1 - k];
    const sample = (attempt: number) => {
      const rng = Rng.derive(world.seed, 'conversations', acc.account.id, month.key, attempt);
      const times = sampleTimes(rng, n, from, month.end, acc.tzOffsetH);
      let i = 0;
      return () => makeConversation(acc, rng, times[i]!, seq + ++i, world.endMs);
    };
    if (!target) {
      const next = sample(0);
      for (let i = 0; i < n; i++) yield next();
    } else {
      // scripted months: redraw the month (new sub-seed) until its figures sit near the script
      let best: { conv: Conversation; leafId: string }[] = [];
      let bestScore = Number.POSITIVE_INFINITY;
      for (let attempt = 0; attempt < 60 && bestScore > 0; attempt++) {
        const next = sample(attempt);
        const batch = Array.from({ length: n }, next);
        let involved = 0;
        let resolved = 0;
        for (const { conv } of batch) {
          if (conv.aiInvolved) involved++;
          if (isResolved(conv)) resolved++;
        }
        const score = target(n, involved, resolved);
        if (score < bestScore) [best, bestScore] = [batch, score];
      }
      yield* best;
    }
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

  await writeAtomic(accountsFile, accounts.map((a) => `${JSON.stringify(a.account)}\n`).join(''));

  let done = 0;
  const progress = opts.onProgress;
  const CHUNK = 1 << 20;
  function* chunks(): Generator<string> {
    let parts: string[] = [];
    let size = 0;
    let lastReport = 0;
    progress?.(0, total);
    for (const acc of accounts) {
      for (const { conv } of accountConversations(world, acc)) {
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
  await writeAtomic(interventionsFile, interventions.map((i) => `${JSON.stringify(i)}\n`).join(''));

  return {
    accounts: accounts.length,
    conversations: done,
    interventions: interventions.length,
    files: [accountsFile, conversationsFile, interventionsFile],
  };
}

async function writeAtomic(file: string, content: string) {
  const tmp = `${file}.tmp`;
  await writeFile(tmp, content);
  await rename(tmp, file);
}
