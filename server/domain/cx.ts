/**
 * CX score v1 (SPEC §3): three sub-signals on a 1–5 scale, combined by weights that the
 * pipeline calibrates against CSAT where ratings exist. Pure functions, no I/O.
 */
import { createRequire } from 'node:module';
import { ownWords } from './email.ts';
import { parseIsoTimestamp } from './time.ts';
import type { Message, ResolutionState } from './types.ts';

export interface CxInput {
  aiInvolved: boolean;
  aiResolutionState: ResolutionState | null;
  reopened?: boolean | null;
  messages: Message[];
}

export interface CxSignals {
  resolution: number;
  sentiment: number;
  effort: number;
  /** facts behind the signals, for the explanation */
  facts: {
    customerTurns: number;
    repeats: number;
    /** customer messages after the opener that chase the service ("still waiting", "anyone there??") */
    nudges: number;
    maxWaitMinutes: number;
    humanJoined: boolean;
    positiveWords: string[];
    negativeWords: string[];
  };
}

/** Default weights (resolution, sentiment, effort) before calibration. */
export const DEFAULT_CX_WEIGHTS: readonly [number, number, number] = [0.5, 0.3, 0.2];

const RESOLUTION_SIGNAL: Record<ResolutionState, number> = {
  confirmed_resolution: 5,
  assumed_resolution: 4.3,
  pending: 3,
  procedure_handoff: 3.2,
  escalated: 2.4,
  abandoned: 2.2,
  negative_feedback: 1.3,
};

/**
 * Sentiment lexicon: AFINN-165 (−5..+5 per word, 3,382 entries) as shipped by the maintained
 * `sentiment` package, not a hand list written beside the demo generator (which would only
 * measure how well the two agree). In support threads some AFINN words name the topic or the
 * request rather than a feeling — "refund", "cancel", "problem", "help", "please", "like" — and
 * are not counted (SPEC §3).
 */
export const TOPIC_WORDS: ReadonlySet<string> = new Set([
  // the problem the customer writes about
  'cancel',
  'cancelled',
  'charged',
  'charges',
  'complaint',
  'dispute',
  'fraud',
  'problem',
  'problems',
  'error',
  'errors',
  'missing',
  'lost',
  'delay',
  'delayed',
  'damaged',
  'broken',
  'wrong',
  'stuck',
  'fail',
  'failed',
  'block',
  'blocked',
  'suspended',
  'stolen',
  'hacked',
  'scam',
  'urgent',
  'pay',
  'free',
  'solved',
  'resolved',
  // what a product, a plan or a game offers, and what the customer asks of it ("contact support",
  // "join the plan", "my winnings", "saved card", "do you accept PayPal", "interest rate", "limited
  // edition"): AFINN scores them as feelings
  'support',
  'supported',
  'supports',
  'join',
  'reward',
  'rewards',
  'gift',
  'secure',
  'secured',
  'win',
  'wins',
  'winning',
  'won',
  'winner',
  'save',
  'saved',
  'savings',
  'accept',
  'accepted',
  'accepting',
  'allow',
  'approved',
  'interest',
  'interests',
  'limited',
  'loss',
  // request and courtesy words of every support message
  'help',
  'please',
  'like',
  'no',
  'yes',
  'want',
  'kind of',
  'some kind',
]);

// Read with require: a JSON import from a package fails to load in tsx's worker threads on Node 20.
const requireJson = createRequire(import.meta.url);
const afinn: Record<string, number> = requireJson('sentiment/languages/en/labels.json');
const afinnNegators: Record<string, number> = requireJson('sentiment/languages/en/negators.json');

const LEXICON = new Map<string, number>(Object.entries(afinn).filter(([w]) => !TOPIC_WORDS.has(w)));
/** first words of the two-word entries, so bigrams are only built where one could match */
const BIGRAM_STARTS = new Set(
  [...LEXICON.keys()].filter((k) => k.includes(' ')).map((k) => k.split(' ')[0]!),
);
const NEGATORS = new Set([...Object.keys(afinnNegators), 'no', 'never', "wasn't", 'wasnt', 'nothing']);

const WORD = /[a-z']+/g;
const STACKED = /!!|\?\?/;
const SHOUTING = /\b[A-Z]{4,}\b/;

interface SentimentResult {
  score: number;
  positive: string[];
  negative: string[];
}

const wordsOf = (text: string): string[] => text.toLowerCase().match(WORD) ?? [];

export function sentimentOf(texts: string[]): SentimentResult {
  return sentimentOfWords(texts, texts.map(wordsOf));
}

const SCALE = 0.2;

/** words that strengthen the next sentiment word (VADER's boosters, the common ones) */
const BOOSTERS = new Set([
  'so',
  'very',
  'really',
  'extremely',
  'totally',
  'absolutely',
  'truly',
  'incredibly',
  'honestly',
  'quite',
  'too',
]);
/** how far back a negator reaches: "not really clear", "doesn't help at all" */
const NEGATION_REACH = 3;
/** the opening message states the problem and its courtesy ("thanks in advance"); how it went is said after the first reply */
export const OPENER_WEIGHT = 0.25;

/**
 * Sentiment of texts already split into lower-case words (cxSignals splits each message once).
 * `weights` per text (default 1): the opener counts less than the replies to the service.
 */
function sentimentOfWords(
  texts: readonly string[],
  wordLists: readonly string[][],
  weights?: readonly number[],
  lowerTexts: readonly string[] = texts.map((t) => t.toLowerCase()),
): SentimentResult {
  let pos = 0;
  let neg = 0;
  const positive: string[] = [];
  const negative: string[] = [];
  for (let t = 0; t < texts.length; t++) {
    const raw = texts[t]!;
    const words = wordLists[t]!;
    const weight = weights?.[t] ?? 1;
    // "but" shifts the weight to what follows it (VADER): "thanks but this is useless"
    const butAt = words.lastIndexOf('but');
    // "Thanks!" / "useless!": an exclamation mark strengthens the text's words (VADER)
    const exclaim = /!/.test(raw) && !STACKED.test(raw) ? 1.2 : 1;
    const caps = raw.match(/\b[A-Z]{3,}\b/g);
    const shouted = caps === null ? null : new Set(caps.map((w) => w.toLowerCase()));
    let tPos = 0;
    let tNeg = 0;
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      let term = w;
      const at = i;
      let v = BIGRAM_STARTS.has(w) && i + 1 < words.length ? LEXICON.get(`${w} ${words[i + 1]}`) : undefined;
      if (v !== undefined) {
        term = `${w} ${words[i + 1]}`;
        i++;
      } else v = LEXICON.get(w);
      if (v === undefined) continue;
      // "not happy" counts against, "not bad" no longer counts as bad, within a few words
      let negated = false;
      for (let k = at - 1; k >= 0 && k >= at - NEGATION_REACH; k--) {
        if (NEGATORS.has(words[k]!)) {
          negated = true;
          break;
        }
        if (words[k] === 'but') break;
      }
      let m = 1;
      if (at > 0 && BOOSTERS.has(words[at - 1]!)) m *= 1.3;
      if (butAt >= 0) m *= at < butAt ? 0.5 : 1.5;
      // an all-caps sentiment word is shouted
      if (shouted?.has(w)) m *= 1.5;
      if (v > 0 && !negated) {
        tPos += v * m;
        positive.push(term);
      } else if (v > 0) {
        tNeg += v * m;
        negative.push(`not ${term}`);
      } else if (!negated) {
        tNeg -= v * m;
        negative.push(term);
      } else {
        // "not bad": mildly positive at most (VADER damps a negated negative)
        tPos += -v * m * 0.3;
      }
    }
    // "thanks for nothing": the thanks is sarcastic
    if (/\bfor nothing\b/.test(lowerTexts[t]!)) {
      tNeg += tPos + 2;
      tPos = 0;
    }
    // Shouting and stacked punctuation are frustration, not enthusiasm, in support threads.
    if (STACKED.test(raw)) tNeg += 1;
    if (SHOUTING.test(raw)) tNeg += 1;
    pos += tPos * weight * exclaim;
    neg += tNeg * weight * exclaim;
  }
  // AFINN's typical entry weighs ~2: 0.2 per point keeps a remark or two short of the scale's end.
  const score = 3 + 2 * Math.tanh(SCALE * (pos - neg));
  return { score, positive, negative };
}

/** Jaccard similarity of two messages' word sets ≥ 0.6: the customer said the same thing again. */
function similar(sa: ReadonlySet<string>, sb: ReadonlySet<string>): boolean {
  if (sa.size === 0 || sb.size === 0) return false;
  let common = 0;
  for (const t of sa) if (sb.has(t)) common++;
  return common / (sa.size + sb.size - common) >= 0.6;
}

const NUDGE_WORDS = new Set(['still', 'again', 'already', 'anyone', 'update', 'waiting', 'hello', 'repeat']);
const ELONGATED = /([a-z])\1{2,}/;
const TURN_COST = 0.4;
const NUDGE_COST = 0.6;
/** a message that chases or repeats rather than adds: "Still waiting...", "helloooo??", "As I said, …" */
function isNudge(raw: string, lower: string, words: readonly string[]): boolean {
  if (words.some((w) => NUDGE_WORDS.has(w))) return true;
  if (ELONGATED.test(lower) || STACKED.test(raw)) return true;
  return /\b(as i said|i said|told you|times now|been an hour|it's been|its been)\b/i.test(raw);
}

const clamp = (v: number, lo = 1, hi = 5) => Math.min(hi, Math.max(lo, v));

export function cxSignals(c: CxInput): CxSignals {
  let resolution = 3;
  if (c.aiInvolved && c.aiResolutionState) resolution = RESOLUTION_SIGNAL[c.aiResolutionState];
  const humanJoined = c.messages.some((m) => m.role === 'agent');
  if (!c.aiInvolved) resolution = humanJoined ? 3.5 : 3;
  if (c.reopened) resolution -= 1.5;

  const customerTexts: string[] = [];
  const customerLower: string[] = [];
  const customerWords: string[][] = [];
  let previousSet: Set<string> | null = null;
  let repeats = 0;
  let maxWaitMinutes = 0;
  let lastCustomerAt: number | null = null;
  for (const m of c.messages) {
    if (m.role === 'customer') {
      // lower-cased once: the words, the sarcasm and the elongation checks all read it
      // the customer's own words: an e-mail reply quoting the thread would read as a repeat,
      // and the company's quoted "thanks for reaching out!" as the customer's warmth
      const text = ownWords(m.text);
      const lower = text.toLowerCase();
      const words = lower.match(WORD) ?? [];
      const set = new Set(words);
      if (previousSet && similar(previousSet, set)) repeats++;
      previousSet = set;
      customerTexts.push(text);
      customerLower.push(lower);
      customerWords.push(words);
      if (lastCustomerAt === null && m.at) lastCustomerAt = parseIsoTimestamp(m.at);
    } else if (lastCustomerAt !== null && m.at) {
      // the house's one reader: a time without a zone is UTC, as everywhere else (Date.parse would
      // read it in the machine's zone)
      const at = parseIsoTimestamp(m.at);
      if (at === null) continue;
      maxWaitMinutes = Math.max(maxWaitMinutes, (at - lastCustomerAt) / 60_000);
      lastCustomerAt = null;
    }
  }
  const customerTurns = customerTexts.length;
  const textWeights = customerTexts.map((_, k) => (k === 0 && customerTexts.length > 1 ? OPENER_WEIGHT : 1));
  const s = sentimentOfWords(customerTexts, customerWords, textWeights, customerLower);

  // the customer chasing the service after the opener: "still waiting", "again", "anyone there?"
  let nudges = 0;
  for (let k = 1; k < customerWords.length; k++)
    if (isNudge(customerTexts[k]!, customerLower[k]!, customerWords[k]!)) nudges++;

  let effort = 5;
  effort -= Math.min(2, Math.max(0, customerTurns - 2) * TURN_COST);
  effort -= Math.min(1.5, nudges * NUDGE_COST);
  effort -= Math.min(1.4, repeats * 0.7);
  if (maxWaitMinutes > 24 * 60) effort -= 1.5;
  else if (maxWaitMinutes > 60) effort -= 1;
  else if (maxWaitMinutes > 5) effort -= 0.4;
  if (c.aiInvolved && humanJoined) effort -= 0.7;

  return {
    resolution: clamp(resolution),
    sentiment: clamp(s.score),
    effort: clamp(effort),
    facts: {
      customerTurns,
      repeats,
      nudges,
      maxWaitMinutes,
      humanJoined,
      positiveWords: s.positive.slice(0, 3),
      negativeWords: s.negative.slice(0, 3),
    },
  };
}

/** Weighted mean of the sub-signals; weights need not sum to 1. Always within 1–5. */
export function combineCx(
  resolution: number,
  sentiment: number,
  effort: number,
  weights: readonly number[] = DEFAULT_CX_WEIGHTS,
): number {
  const [wr = 0, ws = 0, we = 0] = weights;
  const total = wr + ws + we;
  if (total <= 0) return clamp((resolution + sentiment + effort) / 3);
  return clamp((wr * resolution + ws * sentiment + we * effort) / total);
}

function formatWait(minutes: number): string {
  if (minutes >= 24 * 60) return `${Math.round(minutes / 60 / 24)} d`;
  if (minutes >= 60) return `${Math.round(minutes / 60)} h`;
  return `${Math.round(minutes)} min`;
}

const OUTCOME_TEXT: Record<ResolutionState, string> = {
  confirmed_resolution: 'resolved by the AI agent (confirmed by the customer)',
  assumed_resolution: 'resolved by the AI agent (assumed: the customer left satisfied)',
  pending: 'still pending',
  procedure_handoff: 'handed to a team by a procedure',
  escalated: 'escalated to a human',
  abandoned: 'abandoned by the customer',
  negative_feedback: 'the customer gave negative feedback',
};

/** One line a CSM can read: what happened and what drove the score. */
export function explainCx(c: CxInput, s: CxSignals, score: number): string {
  return cxExplanation(cxReasons(c, s), score);
}

/** The explanation's score-free part: what the score stands on ("Resolved by the AI agent; …"). */
export function cxReasons(c: CxInput, s: CxSignals): string {
  const parts: string[] = [];
  if (!c.aiInvolved) parts.push(s.facts.humanJoined ? 'Handled by a human agent' : 'No AI involvement');
  else
    parts.push(c.aiResolutionState ? OUTCOME_TEXT[c.aiResolutionState] : 'AI involved, no outcome recorded');
  if (c.reopened) parts.push('reopened later');
  if (s.facts.negativeWords.length > 0 && s.sentiment < 3)
    parts.push(`negative wording ("${s.facts.negativeWords.join('", "')}")`);
  else if (s.facts.positiveWords.length > 0 && s.sentiment > 3.2)
    parts.push(`positive wording ("${s.facts.positiveWords.join('", "')}")`);
  if (s.facts.customerTurns >= 4) parts.push(`${s.facts.customerTurns} customer turns`);
  if (s.facts.repeats > 0) parts.push(`customer repeated themselves ${s.facts.repeats}×`);
  if (s.facts.nudges > 0) parts.push(`customer chased the service ${s.facts.nudges}×`);
  if (s.facts.maxWaitMinutes > 5) parts.push(`waited ${formatWait(s.facts.maxWaitMinutes)} for a reply`);
  const text = parts.join('; ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

export function cxExplanation(reasons: string, score: number): string {
  return `CX ${score.toFixed(1)}/5: ${reasons}.`;
}

/** The reasons back out of a stored explanation (an append re-scores stored examples). */
export function reasonsOfExplanation(explanation: string): string {
  return explanation.replace(/^CX \d+\.\d\/5: /, '').replace(/\.$/, '');
}

/**
 * A monotone (non-decreasing) curve of the CX calibration: knots of a piecewise-linear function
 * (x = a sub-signal, y = its part of the expected rating), flat beyond the ends.
 */
export interface CxCurve {
  x: number[];
  y: number[];
}

/**
 * The CX calibration's map of the three sub-signals onto the rating: the mean rating plus one
 * non-decreasing curve per sub-signal (an additive isotonic model), so a better outcome, warmer
 * words or less effort never lower the score.
 */
export interface CxCurves {
  intercept: number;
  resolution: CxCurve;
  sentiment: CxCurve;
  effort: CxCurve;
}

/** Scores are kept in steps of 1/64: sums of them are exact in any order (full build = append). */
export const CX_SCORE_STEPS = 64;
/** at most this many knots: enough for a smooth curve, few enough for one SQL CASE */
const MAX_KNOTS = 24;
export const r12 = (v: number) => Number(v.toFixed(12));

/**
 * Isotonic regression of y on x (pool adjacent violators): the non-decreasing step function of x
 * closest to y in squared error, read as knots at each pooled block's (mean x, mean y). Blocks
 * are then merged, smallest neighbours first, down to MAX_KNOTS (still non-decreasing).
 */
export function isotonicCurve(x: readonly number[], y: readonly number[]): CxCurve | null {
  if (x.length === 0 || x.length !== y.length) return null;
  const order = x.map((_, i) => i).sort((a, b) => x[a]! - x[b]!);
  // one block per distinct x, then pooled while a block's mean falls below the one before
  const blocks: { sx: number; sy: number; n: number }[] = [];
  for (const i of order) {
    const last = blocks.at(-1);
    if (last && last.sx / last.n === x[i]) {
      last.sx += x[i]!;
      last.sy += y[i]!;
      last.n++;
    } else blocks.push({ sx: x[i]!, sy: y[i]!, n: 1 });
    while (blocks.length >= 2) {
      const b = blocks.at(-1)!;
      const a = blocks.at(-2)!;
      if (a.sy / a.n < b.sy / b.n) break;
      a.sx += b.sx;
      a.sy += b.sy;
      a.n += b.n;
      blocks.pop();
    }
  }
  while (blocks.length > MAX_KNOTS) {
    let k = 0;
    for (let j = 1; j < blocks.length - 1; j++)
      if (blocks[j]!.n + blocks[j + 1]!.n < blocks[k]!.n + blocks[k + 1]!.n) k = j;
    const a = blocks[k]!;
    const b = blocks[k + 1]!;
    a.sx += b.sx;
    a.sy += b.sy;
    a.n += b.n;
    blocks.splice(k + 1, 1);
  }
  // knots whose positions round to the same 12 decimals are one knot (no zero-width segment)
  const kept: typeof blocks = [];
  for (const b of blocks) {
    const last = kept.at(-1);
    if (last && r12(last.sx / last.n) >= r12(b.sx / b.n)) {
      last.sx += b.sx;
      last.sy += b.sy;
      last.n += b.n;
    } else kept.push({ ...b });
  }
  return { x: kept.map((b) => r12(b.sx / b.n)), y: kept.map((b) => r12(b.sy / b.n)) };
}

/** The curve at x: linear between knots, flat beyond the ends. */
export function applyCurve(curve: CxCurve, ix: number): number {
  const { x, y } = curve;
  if (ix <= x[0]!) return y[0]!;
  for (let k = 1; k < x.length; k++)
    if (ix <= x[k]!) return y[k - 1]! + (ix - x[k - 1]!) * r12((y[k]! - y[k - 1]!) / (x[k]! - x[k - 1]!));
  return y.at(-1)!;
}

/** Backfitting rounds of the additive isotonic model (the fit settles within a few). */
const BACKFIT_ROUNDS = 6;

/**
 * The additive isotonic model of the rating: the mean rating plus a non-decreasing curve of each
 * sub-signal, fitted by backfitting (each curve is the isotonic regression of what the other two
 * and the mean leave unexplained, in turn, BACKFIT_ROUNDS times).
 */
export function fitCxCurves(
  rows: readonly { r: number; s: number; e: number; csat: number }[],
): CxCurves | null {
  if (rows.length === 0) return null;
  const intercept = r12(rows.reduce((a, r) => a + r.csat, 0) / rows.length);
  const xs = [rows.map((r) => r.r), rows.map((r) => r.s), rows.map((r) => r.e)];
  const parts = xs.map(() => new Float64Array(rows.length));
  const curves: CxCurve[] = [];
  for (let round = 0; round < BACKFIT_ROUNDS; round++)
    for (let j = 0; j < 3; j++) {
      const rest = rows.map(
        (r, i) => r.csat - intercept - parts.reduce((a, p, k) => (k === j ? a : a + p[i]!), 0),
      );
      const curve = isotonicCurve(xs[j]!, rest);
      if (!curve) return null;
      curves[j] = curve;
      for (let i = 0; i < rows.length; i++) parts[j]![i] = applyCurve(curve, xs[j]![i]!);
    }
  return { intercept, resolution: curves[0]!, sentiment: curves[1]!, effort: curves[2]! };
}

/**
 * The calibrated CX score (1–5, in steps of 1/64): the mean rating plus each sub-signal's curve.
 * Without curves (too few ratings), the weighted mean of the sub-signals. The pipeline's SQL twin
 * is cxSqlExpression (scripts/pipeline/calibrate.ts); both compute in the same order.
 */
export function calibratedCx(
  resolution: number,
  sentiment: number,
  effort: number,
  weights: readonly number[] = DEFAULT_CX_WEIGHTS,
  curves: CxCurves | null = null,
): number {
  let v: number;
  if (curves)
    v =
      curves.intercept +
      applyCurve(curves.resolution, resolution) +
      applyCurve(curves.sentiment, sentiment) +
      applyCurve(curves.effort, effort);
  else {
    const [wr = 0, ws = 0, we = 0] = weights.map(r12);
    const total = r12(wr + ws + we);
    v =
      total <= 0
        ? (resolution + sentiment + effort) / 3
        : (wr * resolution + ws * sentiment + we * effort) / total;
  }
  return Math.round(CX_SCORE_STEPS * clamp(v)) / CX_SCORE_STEPS;
}

/** The CX distribution's bucket of a score: rounded, within 1–5 (as the pipeline's SQL rounds it). */
export function cxBucket(score: number): number {
  return Math.min(5, Math.max(1, Math.round(score)));
}

/** Example conversations whose CX score falls in `bucket`, in the order given, at most `limit`. */
export function samplesInCxBucket<T extends { cx: { score: number } }>(
  samples: readonly T[],
  bucket: number,
  limit = 12,
): T[] {
  const out: T[] = [];
  for (const s of samples) {
    if (cxBucket(s.cx.score) !== bucket) continue;
    out.push(s);
    if (out.length >= limit) break;
  }
  return out;
}

/** topics need this many CX-scored conversations to be listed among the lowest */
export const MIN_CX_SCORED = 10;
/** conversations' worth of the account's mean CX a topic's mean is pulled toward when ranked */
export const CX_PRIOR_WEIGHT = 30;

/**
 * An account's five lowest-scoring topics. Ranked by the topic's mean CX pulled toward the
 * account's mean by CX_PRIOR_WEIGHT conversations, so a topic of 11 conversations and one bad week
 * does not lead ahead of a large topic that is truly low; the score given is the topic's own mean.
 */
export function lowestCxTopics<
  T extends { taxonomyId: string; label: string; conversations: number; cxSum: number; cxScored: number },
>(
  leaves: readonly T[],
  { minScored = MIN_CX_SCORED, limit = 5 }: { minScored?: number; limit?: number } = {},
): { taxonomyId: string; label: string; cxScore: number; conversations: number }[] {
  const scored = leaves.reduce((n, r) => n + r.cxScored, 0);
  const accountMean = scored > 0 ? leaves.reduce((s, r) => s + r.cxSum, 0) / scored : 0;
  const ranked = (r: T) => (r.cxSum + CX_PRIOR_WEIGHT * accountMean) / (r.cxScored + CX_PRIOR_WEIGHT);
  // below the account's own mean only: a small account's only well-scored topics, above it, were
  // listed as its "lowest" (3.84 and 4.02 beside a mean of 3.71)
  return leaves
    .filter((r) => r.cxScored >= minScored && r.cxSum / r.cxScored < accountMean)
    .map((r) => ({ r, rank: ranked(r) }))
    .sort((a, b) => a.rank - b.rank || (a.r.taxonomyId < b.r.taxonomyId ? -1 : 1))
    .slice(0, limit)
    .map(({ r }) => ({
      taxonomyId: r.taxonomyId,
      label: r.label,
      cxScore: r.cxSum / r.cxScored,
      conversations: r.conversations,
    }));
}
