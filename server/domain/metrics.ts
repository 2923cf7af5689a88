/**
 * Metric definitions of SPEC §1. Everything that reports a rate goes through here, so the
 * pipeline, the server and the tests agree on one definition.
 */

import { parseIsoTimestamp } from './time.ts';
import type { ResolutionState } from './types.ts';

export interface OutcomeCounts {
  conversations: number;
  involved: number;
  /** involved, confirmed or assumed, and not reopened */
  resolved: number;
  resolvedConfirmed: number;
  resolvedAssumed: number;
  /** all reopened conversations */
  reopened: number;
  /** resolutions lost to a reopen (involved, resolution state, reopened) */
  reopenedResolutions: number;
  escalated: number;
  procedureHandoff: number;
  negativeFeedback: number;
  abandoned: number;
  pending: number;
  ratings: number;
  positiveRatings: number;
  cxScored: number;
  cxSum: number;
}

/**
 * One period's figures of an account (SPEC §1): the counts (less the sums behind CSAT and the CX
 * score) and the rates defined on them.
 */
export type PeriodFigures = Omit<OutcomeCounts, 'positiveRatings' | 'cxScored' | 'cxSum'> & Rates;

export const COUNT_FIELDS = [
  'conversations',
  'involved',
  'resolved',
  'resolvedConfirmed',
  'resolvedAssumed',
  'reopened',
  'reopenedResolutions',
  'escalated',
  'procedureHandoff',
  'negativeFeedback',
  'abandoned',
  'pending',
  'ratings',
  'positiveRatings',
  'cxScored',
  'cxSum',
] as const satisfies readonly (keyof OutcomeCounts)[];

export function emptyCounts(): OutcomeCounts {
  return {
    conversations: 0,
    involved: 0,
    resolved: 0,
    resolvedConfirmed: 0,
    resolvedAssumed: 0,
    reopened: 0,
    reopenedResolutions: 0,
    escalated: 0,
    procedureHandoff: 0,
    negativeFeedback: 0,
    abandoned: 0,
    pending: 0,
    ratings: 0,
    positiveRatings: 0,
    cxScored: 0,
    cxSum: 0,
  };
}

export function addCounts(into: OutcomeCounts, other: OutcomeCounts): OutcomeCounts {
  for (const field of COUNT_FIELDS) into[field] += other[field];
  return into;
}

export interface ConversationOutcome {
  aiInvolved: boolean;
  aiResolutionState: ResolutionState | null;
  reopened?: boolean | null;
  csat?: number | null;
}

export function isResolved(c: ConversationOutcome): boolean {
  return (
    c.aiInvolved &&
    !c.reopened &&
    (c.aiResolutionState === 'confirmed_resolution' || c.aiResolutionState === 'assumed_resolution')
  );
}

/** Adds one conversation to a tally. `cxScore` is its CX score (1–5) when it was scored. */
export function countConversation(into: OutcomeCounts, c: ConversationOutcome, cxScore?: number | null) {
  countGroup(into, c, 1, cxScore == null ? 0 : 1, cxScore ?? 0);
}

/**
 * Adds `n` conversations that share one outcome (the pipeline aggregates in SQL by outcome and
 * feeds the groups here, so the definitions live in one place). `cxScored`/`cxSum` are the
 * group's scored count and score sum.
 */
export function countGroup(into: OutcomeCounts, c: ConversationOutcome, n: number, cxScored = 0, cxSum = 0) {
  into.conversations += n;
  if (c.reopened) into.reopened += n;
  if (c.csat != null) {
    into.ratings += n;
    if (c.csat >= 4) into.positiveRatings += n;
  }
  into.cxScored += cxScored;
  into.cxSum += cxSum;
  if (!c.aiInvolved) return;
  into.involved += n;
  switch (c.aiResolutionState) {
    case 'confirmed_resolution':
    case 'assumed_resolution':
      if (c.reopened) {
        into.reopenedResolutions += n;
      } else {
        into.resolved += n;
        if (c.aiResolutionState === 'confirmed_resolution') into.resolvedConfirmed += n;
        else into.resolvedAssumed += n;
      }
      break;
    case 'escalated':
      into.escalated += n;
      break;
    case 'procedure_handoff':
      into.procedureHandoff += n;
      break;
    case 'negative_feedback':
      into.negativeFeedback += n;
      break;
    case 'abandoned':
      into.abandoned += n;
      break;
    case 'pending':
      into.pending += n;
      break;
    default:
      break;
  }
}

/** A ratio whose denominator is 0 is null, never 0 or NaN. */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

export interface Rates {
  involvementRate: number | null;
  resolutionRate: number | null;
  confirmedResolutionRate: number | null;
  assumedResolutionRate: number | null;
  automationRate: number | null;
  handoffRate: number | null;
  abandonRate: number | null;
  reopenRate: number | null;
  csat: number | null;
  cxScore: number | null;
}

export function rates(c: OutcomeCounts): Rates {
  return {
    involvementRate: ratio(c.involved, c.conversations),
    resolutionRate: ratio(c.resolved, c.involved),
    confirmedResolutionRate: ratio(c.resolvedConfirmed, c.involved),
    assumedResolutionRate: ratio(c.resolvedAssumed, c.involved),
    automationRate: ratio(c.resolved, c.conversations),
    handoffRate: ratio(c.escalated + c.procedureHandoff, c.involved),
    abandonRate: ratio(c.abandoned, c.involved),
    reopenRate: ratio(c.reopened, c.conversations),
    csat: ratio(c.positiveRatings, c.ratings),
    cxScore: ratio(c.cxSum, c.cxScored),
  };
}

/** Parses an ISO-8601 date or date-time; returns epoch ms or null when it is not a valid one. */
export const parseTimestamp = parseIsoTimestamp;

/** Calendar month in UTC, `YYYY-MM`. */
export function monthOf(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 7);
}

/** `YYYY-MM` shifted by n months. */
export function addMonths(month: string, n: number): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7)) - 1 + n;
  const year = y + Math.floor(m / 12);
  const mon = ((m % 12) + 12) % 12;
  return `${year}-${String(mon + 1).padStart(2, '0')}`;
}

/** Inclusive list of months from `from` to `to`. */
export function monthRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) out.push(m);
  return out;
}

/**
 * How many months of data `count` calendar months ending with `dataAsOf`'s month hold: the last
 * counts only for the part of it that had passed by `dataAsOf` (18 days of November: 0.59), so a
 * volume per month over a window with the current month in it is not read ~10% low mid-month.
 */
export function monthsCovered(count: number, dataAsOfMs: number | null): number {
  if (dataAsOfMs === null || count <= 0 || !isMonthToDate(dataAsOfMs)) return count;
  const d = new Date(dataAsOfMs);
  const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  return count - 1 + (dataAsOfMs - start) / (end - start);
}

export interface ModelWindow {
  from: string;
  to: string;
  months: number;
  /** the months of data it holds: its current month only in part (`monthsCovered`) */
  monthsCovered: number;
}

/**
 * The first month whose conversations all came after the AI agent went live (`aiLiveSince`, an ISO
 * date): its go-live month when it went live on the 1st, else the month after; null without a date.
 */
export function firstLiveMonth(aiLiveSince: string | null | undefined): string | null {
  if (!aiLiveSince || !/^\d{4}-\d{2}-\d{2}/.test(aiLiveSince)) return null;
  const month = aiLiveSince.slice(0, 7);
  return aiLiveSince.slice(8, 10) === '01' ? month : addMonths(month, 1);
}

/**
 * The months an account's rates are read from: the dataset's window, from its first fully live month
 * when that falls inside it. Weeks before go-live count every conversation as one the AI agent did
 * not take part in: a customer live since 20 September read 18.4% automation over September–November
 * for 24.4% over its live October–November, and its gap and its "widen the audience" actions with it.
 * A go-live month that is the month in progress and under three days old is too few conversations to
 * read rates from: the whole window stands.
 */
export function liveWindow(
  window: { from: string; to: string },
  aiLiveSince: string | null | undefined,
  dataAsOfMs: number | null,
): { from: string; to: string } {
  const live = firstLiveMonth(aiLiveSince);
  if (live === null || live <= window.from || live > window.to) return window;
  if (live === window.to && dataAsOfMs !== null && isYoungMonth(dataAsOfMs)) return window;
  return { from: live, to: window.to };
}

/** The model window: an account's rates, gap and potential are read over its last 3 months. */
export const WINDOW_MONTHS = 3;

/**
 * Whether an account has no month to read its live rates from yet: the AI agent goes live after
 * the data ends, or went live so lately that its first fully live month is still to come (or is
 * the month in progress, under three days old). Its gap and next actions wait for that month: read
 * from the months before go-live, a customer going live in March ranked first in the triage with a
 * 53.7-point gap and five "widen the audience" actions (a data engineer's review).
 */
export function awaitingLive(
  window: { from: string; to: string },
  aiLiveSince: string | null | undefined,
  dataAsOfMs: number | null,
): boolean {
  const live = firstLiveMonth(aiLiveSince);
  if (live === null || live <= window.from) return false;
  return live > window.to || (live === window.to && dataAsOfMs !== null && isYoungMonth(dataAsOfMs));
}

/**
 * One account's model window: the dataset's last months, from the account's first conversation
 * when that falls inside them (`first`: its month, and its time when known). Per-month volumes
 * divide by it: a customer whose conversations began this month has this month's pace, not a third
 * of it (its gap read "≈ 9 a month" for a pace of 40), and one that began on 25 October has a week
 * of October, not all of it (its gap read half its pace).
 */
export function accountWindow(
  window: { from: string; to: string },
  first: { month: string; atMs?: number | null | undefined } | null | undefined,
  dataAsOfMs: number | null,
): ModelWindow {
  const inside = !!first && first.month >= window.from && first.month <= window.to;
  const from = inside ? first.month : window.from;
  const months = monthRange(from, window.to).length;
  const before = inside && first.atMs != null ? monthFractionBefore(first.month, first.atMs) : 0;
  return {
    from,
    to: window.to,
    months,
    monthsCovered: Math.max(MIN_MONTHS_COVERED, monthsCovered(months, dataAsOfMs) - before),
  };
}

/** The part of `month` (YYYY-MM, UTC) that had passed at `atMs`, within [0, 1). */
function monthFractionBefore(month: string, atMs: number): number {
  const start = Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1, 1);
  const end = Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1);
  return Math.min(Math.max(0, (atMs - start) / (end - start)), 1);
}

/**
 * The least a window counts for, about a week: a month read from the first hours of a new customer's
 * conversations (×700 for an hour) would be noise, not a pace.
 */
export const MIN_MONTHS_COVERED = 0.25;

/**
 * Whether `dataAsOf`'s month has run for under a tenth of it (three days): its rates rest on its
 * first conversations, so a trend line does not end on them (the web's pace rule is the same).
 */
export function isYoungMonth(dataAsOfMs: number): boolean {
  const d = new Date(dataAsOfMs);
  const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  return (dataAsOfMs + 1000 - start) / (end - start) < 0.1;
}

/** Whether `dataAsOf` falls before the last day of its UTC month (the month is still in progress). */
export function isMonthToDate(dataAsOfMs: number): boolean {
  const d = new Date(dataAsOfMs);
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  return d.getUTCDate() < lastDay;
}
