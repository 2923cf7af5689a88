/**
 * Lift you can defend (issue 10 item 4): what each kind of fix did to the automation rate of the
 * leaf it was made on, against matched controls.
 *
 * For every intervention on a leaf (the treated event), the leaf's automation rate (resolved ÷
 * conversations) over up to `afterMonths` complete months after the intervention's month is set
 * against up to `beforeMonths` before it (the month itself is a transition and is left out) —
 * at least `minAfterMonths` / `minBeforeMonths`: the after-window stops before the account's next
 * fix on the leaf and at the last complete month, the before-window starts after its previous fix
 * and its go-live ramp, so a fix with clean months on both sides is measured on them — minus
 * the same change in its **matched controls**: accounts of the same vertical with no intervention
 * on that leaf (nor an account-wide one) from `cleanMonths` before the before-window to the end of
 * the after-window, live at least `settleDays` before the before-window starts (a go-live ramp is
 * not a lift), with at least `minConversations` on the leaf in each window, the `controls` nearest
 * by their starting rate on the leaf. The treated account obeys the same rules (its before-window
 * never holds a go-live ramp or another fix still ramping in).
 *
 * A **pre-trend check** compares the treated leaf's monthly change across the before-window with
 * its controls' (first vs last before-month): an event whose pre-trends differ by more than
 * `preTrendPoints` and by more than twice their sampling noise is excluded. A kind's lift is the
 * inverse-variance (random-effects) mean over its events; its interval is a seeded bootstrap over
 * treated accounts, never narrower than Student's t interval of that mean's standard error (read
 * from the events' spread, Hartung–Knapp, with accounts − 1 degrees of freedom). The same
 * estimator runs as a **placebo** on untreated accounts at the real dates (each event's nearest
 * untreated account as the pseudo-treated one, with its own matched controls) and at fake dates
 * `placeboShiftMonths` before the real ones: both should be centred on 0.
 */
import { getOrCreate } from './maps.ts';
import { addMonths, monthRange } from './metrics.ts';
import type { LeafMonthCounts } from './potential.ts';
import { normalQuantile, percentile, seededRandom, studentTQuantile } from './stats.ts';
import type { InterventionKind } from './types.ts';

export interface LiftAccount {
  id: string;
  vertical: string;
  /** YYYY-MM-DD, or null when unknown */
  aiLiveSince: string | null;
}

export interface LiftIntervention {
  accountId: string;
  date: string;
  kind: InterventionKind;
  /** null: account-wide (touches every leaf) */
  taxonomyId: string | null;
}

export interface MatchedLiftSettings {
  /** months before the fix's month compared (at most) */
  beforeMonths: number;
  /** months after the fix's month compared (at most) */
  afterMonths: number;
  /**
   * fewest months each side: a window shorter than its maximum ends before the account's next fix
   * on the leaf, starts after its previous one (and its go-live ramp), or stops at the last
   * complete month, instead of the fix not being measured at all
   */
  minBeforeMonths: number;
  minAfterMonths: number;
  /** an account's AI must be live this many days before the before-window starts */
  settleDays: number;
  /** months before the before-window in which no other fix on the leaf may start (ramps) */
  cleanMonths: number;
  /** matched controls per treated event (nearest by starting rate) */
  controls: number;
  /** fewer matched controls than this: the event is not measured */
  minControls: number;
  /** a control's starting rate on the leaf at most this far from the treated one's (1: no cap; a
   * fixed leaf starts low by design, so a cap leaves most fixes without controls on the demo) */
  maxStartGap: number;
  /** conversations on the leaf in each window, treated and controls */
  minConversations: number;
  /** pre-trends diverging by more than this (and by 2 standard errors) exclude the event */
  preTrendPoints: number;
  placeboShiftMonths: number;
  bootstrap: number;
  seed: number;
  /** central interval of the bootstrap (0.95 → P2.5–P97.5) */
  interval: number;
}

export const DEFAULT_MATCHED_LIFT: MatchedLiftSettings = {
  beforeMonths: 3,
  afterMonths: 3,
  minBeforeMonths: 2,
  minAfterMonths: 2,
  settleDays: 150,
  cleanMonths: 1,
  controls: 5,
  minControls: 2,
  maxStartGap: 1,
  minConversations: 10,
  preTrendPoints: 0.05,
  placeboShiftMonths: 4,
  bootstrap: 2000,
  seed: 20261,
  interval: 0.95,
};

export type SkipReason =
  | 'window'
  | 'data_start'
  | 'go_live'
  | 'overlap'
  | 'volume'
  | 'controls'
  | 'pre_trend'
  /** a later fix of the same kind on the same topic of the same account: its first is the one measured */
  | 'repeat'
  /** logged for the whole account: no topic whose rate it could be measured on */
  | 'account_wide';

export interface LiftEvent {
  accountId: string;
  taxonomyId: string;
  kind: InterventionKind;
  date: string;
  month: string;
  /** the windows compared: first before-month and last after-month (YYYY-MM) */
  beforeFrom: string;
  afterTo: string;
  /** the treated leaf's automation rate, before-window and after-window */
  before: number;
  after: number;
  conversationsBefore: number;
  conversationsAfter: number;
  /** mean over the matched controls */
  controlBefore: number;
  controlAfter: number;
  controls: string[];
  /** (after − before) − (controlAfter − controlBefore), fraction of conversations */
  lift: number;
  /** its sampling variance (binomial, treated and the controls' mean) */
  variance: number;
  /**
   * treated minus controls' change from the first to the last before-month with conversations on
   * the leaf; null: not checkable (fewer than two such months, or no control with both)
   */
  preTrend: number | null;
  /** the divergence allowed: max(preTrendPoints, 2 standard errors) */
  preTrendLimit: number;
  /** false: pre-trends diverged, shown but not counted (a trend not checkable counts) */
  included: boolean;
  /** its share of the kind's lift (random-effects weight, normalised; 0 when not counted): the
   * planted effects are averaged with the same weights when the lift is checked against a truth */
  weight: number;
}

export interface LiftEstimate {
  /** events counted */
  n: number;
  /** distinct treated accounts among them */
  accounts: number;
  /** mean lift, automation points of the leaf (fraction) */
  lift: number;
  low: number;
  high: number;
  p10: number;
  p90: number;
}

export interface KindLift extends LiftEstimate {
  kind: InterventionKind;
  /** interventions of this kind on a leaf not measured, by reason */
  skipped: Partial<Record<SkipReason, number>>;
  /** the same estimator on untreated accounts at the real dates */
  placebo: LiftEstimate | null;
  /** the same estimator at dates placeboShiftMonths before the real ones */
  placeboShifted: LiftEstimate | null;
  events: LiftEvent[];
}

export interface MatchedLifts {
  settings: MatchedLiftSettings;
  kinds: KindLift[];
}

interface Cell {
  conversations: number;
  resolved: number;
}

/**
 * Weighted mean of `items` with a bootstrap interval that resamples clusters (treated accounts)
 * with replacement, `draws` times from `seed`. Null when there is nothing to estimate.
 *
 * With `standardError` (the mean's standard error), each bound is at least the normal
 * interval's: a bootstrap over one or two accounts can only span their own values, which says
 * nothing of the sampling noise inside each (a single fix's "interval" would be a point). With
 * `degreesOfFreedom` too, Student's t replaces the normal: a standard error estimated from a handful
 * of accounts is itself uncertain, and the normal interval would cover the truth far less often
 * than it says.
 */
export function clusterBootstrap(
  items: readonly { cluster: string; value: number; weight?: number }[],
  draws: number,
  seed: number,
  interval: number,
  standardError = 0,
  degreesOfFreedom = Number.POSITIVE_INFINITY,
): LiftEstimate | null {
  if (items.length === 0) return null;
  const byCluster = new Map<string, { sum: number; weight: number; n: number }>();
  let total = 0;
  let totalWeight = 0;
  for (const it of items) {
    const w = it.weight ?? 1;
    const c = byCluster.get(it.cluster) ?? { sum: 0, weight: 0, n: 0 };
    c.sum += w * it.value;
    c.weight += w;
    c.n += 1;
    byCluster.set(it.cluster, c);
    total += w * it.value;
    totalWeight += w;
  }
  const clusters = [...byCluster.keys()].sort().map((k) => byCluster.get(k)!);
  const mean = total / totalWeight;
  const rand = seededRandom(seed);
  const stats: number[] = [];
  for (let b = 0; b < draws; b++) {
    let s = 0;
    let w = 0;
    for (let i = 0; i < clusters.length; i++) {
      const c = clusters[Math.floor(rand() * clusters.length)]!;
      s += c.sum;
      w += c.weight;
    }
    stats.push(s / w);
  }
  const tail = (1 - interval) / 2;
  const quantile = (p: number) =>
    Number.isFinite(degreesOfFreedom) ? studentTQuantile(p, degreesOfFreedom) : normalQuantile(p);
  const lo = (p: number) => Math.min(percentile(stats, p) ?? mean, mean + quantile(p) * standardError);
  const hi = (p: number) => Math.max(percentile(stats, p) ?? mean, mean + quantile(p) * standardError);
  // a change in a rate cannot pass 100 points either way, however little the data say
  const bounded = (v: number) => Math.min(1, Math.max(-1, v));
  return {
    n: items.length,
    accounts: clusters.length,
    lift: mean,
    low: bounded(lo(tail)),
    high: bounded(hi(1 - tail)),
    p10: bounded(lo(0.1)),
    p90: bounded(hi(0.9)),
  };
}

/**
 * Inverse-variance weights with a between-event variance (DerSimonian–Laird): a large leaf's
 * precise lift counts for more than a small leaf's noisy one, but never for everything.
 */
export function randomEffectsWeights(values: readonly number[], variances: readonly number[]): number[] {
  const k = values.length;
  if (k === 0) return [];
  const w = variances.map((v) => 1 / Math.max(v, 1e-6));
  const sw = w.reduce((a, b) => a + b, 0);
  const fixed = values.reduce((s, v, i) => s + w[i]! * v, 0) / sw;
  const q = values.reduce((s, v, i) => s + w[i]! * (v - fixed) ** 2, 0);
  const c = sw - w.reduce((s, x) => s + x * x, 0) / sw;
  const tau2 = k > 1 && c > 0 ? Math.max(0, (q - (k - 1)) / c) : 0;
  return variances.map((v) => 1 / (Math.max(v, 1e-6) + tau2));
}

const DAY = 86_400_000;

/** The matched-controls estimator over one dataset (leaf months, interventions, accounts). */
export class LiftEstimator {
  private readonly cells = new Map<string, Cell>();
  private readonly accounts: Map<string, LiftAccount>;
  private readonly byVertical = new Map<string, string[]>();
  /** account → leaf (or '*' for account-wide) → intervention months */
  private readonly touched = new Map<string, Map<string, string[]>>();
  /** each account's first month with conversations: no window reaches before it */
  private readonly firstMonth = new Map<string, string>();
  readonly lastMonth: string | null;

  constructor(
    rows: readonly LeafMonthCounts[],
    accounts: readonly LiftAccount[],
    interventions: readonly LiftIntervention[],
    /** the last complete month with data (after-windows must end by then) */
    lastCompleteMonth: string | null,
    readonly s: MatchedLiftSettings = DEFAULT_MATCHED_LIFT,
  ) {
    for (const r of rows) {
      const key = `${r.accountId}\u0000${r.taxonomyId}\u0000${r.month}`;
      const c = this.cells.get(key) ?? { conversations: 0, resolved: 0 };
      c.conversations += r.conversations;
      c.resolved += r.resolved;
      this.cells.set(key, c);
      const first = this.firstMonth.get(r.accountId);
      if (r.conversations > 0 && (first === undefined || r.month < first))
        this.firstMonth.set(r.accountId, r.month);
    }
    this.accounts = new Map(accounts.map((a) => [a.id, a]));
    for (const a of [...accounts].sort((x, y) => x.id.localeCompare(y.id, 'en')))
      getOrCreate(this.byVertical, a.vertical, () => []).push(a.id);
    for (const i of interventions) {
      const leaves = this.touched.get(i.accountId) ?? new Map<string, string[]>();
      const key = i.taxonomyId ?? '*';
      getOrCreate(leaves, key, () => []).push(i.date.slice(0, 7));
      this.touched.set(i.accountId, leaves);
    }
    this.lastMonth = lastCompleteMonth;
  }

  private cell(accountId: string, taxonomyId: string, month: string): Cell {
    return (
      this.cells.get(`${accountId}\u0000${taxonomyId}\u0000${month}`) ?? { conversations: 0, resolved: 0 }
    );
  }

  private pooled(accountId: string, taxonomyId: string, months: readonly string[]): Cell {
    const p = { conversations: 0, resolved: 0 };
    for (const m of months) {
      const c = this.cell(accountId, taxonomyId, m);
      p.conversations += c.conversations;
      p.resolved += c.resolved;
    }
    return p;
  }

  /** The first month whose first day is at least settleDays after the account's AI went live. */
  private settledFrom(accountId: string): string | null {
    const live = this.accounts.get(accountId)?.aiLiveSince;
    if (!live) return null;
    const d = new Date(Date.parse(`${live.slice(0, 10)}T00:00:00Z`) + this.s.settleDays * DAY);
    const month = d.toISOString().slice(0, 7);
    return d.getUTCDate() === 1 ? month : addMonths(month, 1);
  }

  /** AI live at least settleDays before the month's first day. */
  private settled(accountId: string, month: string): boolean {
    const from = this.settledFrom(accountId);
    return from === null || month >= from;
  }

  /** Months of interventions on the leaf or account-wide, the event itself (once) left out. */
  private touches(accountId: string, taxonomyId: string, except?: string): string[] {
    const leaves = this.touched.get(accountId);
    if (!leaves) return [];
    const out: string[] = [];
    for (const key of [taxonomyId, '*']) {
      let skipped = false;
      for (const m of leaves.get(key) ?? []) {
        if (except !== undefined && key === taxonomyId && m === except && !skipped) {
          skipped = true;
          continue;
        }
        out.push(m);
      }
    }
    return out.sort();
  }

  /** No intervention on the leaf (or account-wide) in [from, to]. */
  private untouched(accountId: string, taxonomyId: string, from: string, to: string): boolean {
    return this.touches(accountId, taxonomyId).every((m) => m < from || m > to);
  }

  /**
   * The before- and after-windows of a fix at `month` on the treated account: at most
   * beforeMonths / afterMonths, the after-window ending with the last complete month and before
   * the account's next fix on the leaf, the before-window starting cleanMonths after its previous
   * one and once its AI has been live settleDays; too short a window is a skip reason.
   */
  windows(
    accountId: string,
    taxonomyId: string,
    month: string,
    self: string | undefined,
  ): { before: string[]; after: string[] } | { skip: SkipReason } {
    const { beforeMonths, afterMonths, minBeforeMonths, minAfterMonths, cleanMonths } = this.s;
    if (!this.lastMonth) return { skip: 'window' };
    const count = (from: string, to: string) => (from > to ? 0 : monthRange(from, to).length);
    let afterEnd = addMonths(month, afterMonths);
    if (afterEnd > this.lastMonth) afterEnd = this.lastMonth;
    if (count(addMonths(month, 1), afterEnd) < Math.max(1, minAfterMonths)) return { skip: 'window' };
    const others = this.touches(accountId, taxonomyId, self);
    if (others.includes(month)) return { skip: 'overlap' };
    const next = others.find((m) => m > month);
    if (next !== undefined && addMonths(next, -1) < afterEnd) afterEnd = addMonths(next, -1);
    let beforeStart = addMonths(month, -beforeMonths);
    const previous = others.filter((m) => m < month).at(-1);
    if (previous !== undefined && addMonths(previous, cleanMonths + 1) > beforeStart)
      beforeStart = addMonths(previous, cleanMonths + 1);
    const settledFrom = this.settledFrom(accountId);
    const lastBefore = addMonths(month, -1);
    const minBefore = Math.max(1, minBeforeMonths);
    if (settledFrom !== null && count(settledFrom, lastBefore) < minBefore) return { skip: 'go_live' };
    if (settledFrom !== null && settledFrom > beforeStart) beforeStart = settledFrom;
    // months before the data begins are no before-window (a review found a January fix compared
    // against October–December with only December in the data, and its pre-trend read as "ok")
    const dataFrom = this.firstMonth.get(accountId);
    if (dataFrom === undefined || count(dataFrom, lastBefore) < minBefore) return { skip: 'data_start' };
    if (dataFrom > beforeStart) beforeStart = dataFrom;
    if (count(beforeStart, lastBefore) < minBefore) return { skip: 'overlap' };
    if (count(addMonths(month, 1), afterEnd) < Math.max(1, minAfterMonths)) return { skip: 'overlap' };
    return { before: monthRange(beforeStart, lastBefore), after: monthRange(addMonths(month, 1), afterEnd) };
  }

  private rate(c: Cell): number {
    return c.conversations > 0 ? c.resolved / c.conversations : 0;
  }

  /**
   * One event: `accountId` treated on `taxonomyId` at `month`. `self` is the month of the
   * account's own intervention being measured (allowed inside its windows), undefined for a
   * placebo. `exclude` keeps accounts out of the control pool.
   */
  measure(
    accountId: string,
    taxonomyId: string,
    month: string,
    self: string | undefined,
    exclude: ReadonlySet<string> = new Set(),
  ): { event: Omit<LiftEvent, 'kind' | 'date'> } | { skip: SkipReason } {
    const w = this.windows(accountId, taxonomyId, month, self);
    if ('skip' in w) return w;
    const { before, after } = w;
    const cleanFrom = addMonths(before[0]!, -this.s.cleanMonths);
    const end = after[after.length - 1]!;
    const tb = this.pooled(accountId, taxonomyId, before);
    const ta = this.pooled(accountId, taxonomyId, after);
    if (tb.conversations < this.s.minConversations || ta.conversations < this.s.minConversations)
      return { skip: 'volume' };
    const vertical = this.accounts.get(accountId)?.vertical;
    const treatedBefore = this.rate(tb);
    const candidates: { id: string; before: Cell; after: Cell; distance: number }[] = [];
    for (const id of (vertical !== undefined && this.byVertical.get(vertical)) || []) {
      if (id === accountId || exclude.has(id)) continue;
      if (!this.settled(id, before[0]!) || !this.untouched(id, taxonomyId, cleanFrom, end)) continue;
      const cb = this.pooled(id, taxonomyId, before);
      const ca = this.pooled(id, taxonomyId, after);
      if (cb.conversations < this.s.minConversations || ca.conversations < this.s.minConversations) continue;
      const distance = Math.abs(this.rate(cb) - treatedBefore);
      if (distance <= this.s.maxStartGap) candidates.push({ id, before: cb, after: ca, distance });
    }
    candidates.sort((a, b) => a.distance - b.distance || a.id.localeCompare(b.id, 'en'));
    const controls = candidates.slice(0, this.s.controls);
    if (controls.length < this.s.minControls) return { skip: 'controls' };
    const avg = (f: (c: (typeof controls)[number]) => number) =>
      controls.reduce((s, c) => s + f(c), 0) / controls.length;
    const controlBefore = avg((c) => this.rate(c.before));
    const controlAfter = avg((c) => this.rate(c.after));
    // pre-trend: change from the first to the last before-month in which the treated leaf has
    // conversations, treated vs controls over the same two months
    const withData = before.filter((m) => this.cell(accountId, taxonomyId, m).conversations > 0);
    const first = withData[0];
    const last = withData.at(-1);
    const slope = (id: string) => {
      if (first === undefined || last === undefined || first === last) return null;
      const a = this.cell(id, taxonomyId, first);
      const b = this.cell(id, taxonomyId, last);
      if (a.conversations === 0 || b.conversations === 0) return null;
      const pa = this.rate(a);
      const pb = this.rate(b);
      return {
        change: pb - pa,
        variance: (pa * (1 - pa)) / a.conversations + (pb * (1 - pb)) / b.conversations,
      };
    };
    const ts = slope(accountId);
    const cs = controls.map((c) => slope(c.id)).filter((x) => x !== null);
    let preTrend: number | null = null;
    let preTrendLimit = this.s.preTrendPoints;
    if (ts && cs.length > 0) {
      const cMean = cs.reduce((s, c) => s + c.change, 0) / cs.length;
      const cVar = cs.reduce((s, c) => s + c.variance, 0) / (cs.length * cs.length);
      preTrend = ts.change - cMean;
      preTrendLimit = Math.max(this.s.preTrendPoints, 2 * Math.sqrt(ts.variance + cVar));
    }
    const treatedAfter = this.rate(ta);
    const binomial = (c: Cell) => {
      // a rate of 0 or 1 on a small window is not certainty: floor p(1 − p) at a 5% rate's
      const p = Math.min(0.95, Math.max(0.05, this.rate(c)));
      return (p * (1 - p)) / c.conversations;
    };
    const variance =
      binomial(tb) +
      binomial(ta) +
      controls.reduce((s, c) => s + binomial(c.before) + binomial(c.after), 0) /
        (controls.length * controls.length);
    return {
      event: {
        accountId,
        taxonomyId,
        month,
        beforeFrom: before[0]!,
        afterTo: end,
        before: treatedBefore,
        after: treatedAfter,
        conversationsBefore: tb.conversations,
        conversationsAfter: ta.conversations,
        controlBefore,
        controlAfter,
        controls: controls.map((c) => c.id),
        lift: treatedAfter - treatedBefore - (controlAfter - controlBefore),
        variance,
        preTrend,
        preTrendLimit,
        included: preTrend === null || Math.abs(preTrend) <= preTrendLimit,
        weight: 0,
      },
    };
  }

  /** The nearest untreated account on the leaf at `month` (by starting rate), for the placebo. */
  placeboAccount(treated: LiftEvent): string | null {
    for (const id of treated.controls) {
      const r = this.measure(id, treated.taxonomyId, treated.month, undefined, new Set([treated.accountId]));
      if ('event' in r) return id;
    }
    return null;
  }
}

function weighted<T extends { value: number; variance: number }>(items: readonly T[]) {
  const w = randomEffectsWeights(
    items.map((i) => i.value),
    items.map((i) => i.variance),
  );
  return items.map((i, k) => ({ ...i, weight: w[k]! }));
}

/**
 * The random-effects mean's standard error and the degrees of freedom to read it with
 * (Hartung–Knapp–Sidik–Jonkman, as meta-analyses with few studies use): the spread of the events
 * around the mean, weighted, over k − 1, never below the model's own √(1 / Σ weights); t with
 * (accounts − 1) degrees of freedom, since events of one account are not independent. One event:
 * the model's standard error on the normal (there is no spread to estimate); one account with
 * several events: their spread, on t with (events − 1).
 */
export function randomEffectsError(items: readonly { cluster: string; value: number; weight: number }[]): {
  standardError: number;
  degreesOfFreedom: number;
} {
  const sw = items.reduce((s, i) => s + i.weight, 0);
  if (sw <= 0) return { standardError: 0, degreesOfFreedom: Number.POSITIVE_INFINITY };
  const accounts = new Set(items.map((i) => i.cluster)).size;
  if (items.length < 2)
    return { standardError: Math.sqrt(1 / sw), degreesOfFreedom: Number.POSITIVE_INFINITY };
  const mu = items.reduce((s, i) => s + i.weight * i.value, 0) / sw;
  const spread = items.reduce((s, i) => s + i.weight * (i.value - mu) ** 2, 0) / (items.length - 1);
  // one account with several fixes: their own spread, read as if they were independent (the
  // least the data show; how the fix does elsewhere is not known at all, and the UI says so)
  return {
    standardError: Math.sqrt(Math.max(1, spread) / sw),
    degreesOfFreedom: accounts >= 2 ? accounts - 1 : items.length - 1,
  };
}

function boundedEstimate(
  items: readonly { cluster: string; value: number; weight: number }[],
  s: MatchedLiftSettings,
  seed: number,
): LiftEstimate | null {
  const { standardError, degreesOfFreedom } = randomEffectsError(items);
  return clusterBootstrap(items, s.bootstrap, seed, s.interval, standardError, degreesOfFreedom);
}

function estimateOf(
  items: readonly { cluster: string; value: number; variance: number }[],
  s: MatchedLiftSettings,
  seed: number,
): LiftEstimate | null {
  const w = weighted(items);
  return boundedEstimate(w, s, seed);
}

/**
 * Matched lifts per kind of intervention, over `events` (interventions on a leaf; account-wide
 * ones are not measured but do disqualify controls). `interventions` is every intervention known
 * (controls must be untreated on the leaf), `events` the ones to measure (e.g. a vertical's).
 */
export function matchedLifts(
  rows: readonly LeafMonthCounts[],
  accounts: readonly LiftAccount[],
  interventions: readonly LiftIntervention[],
  lastCompleteMonth: string | null,
  events: readonly LiftIntervention[] = interventions,
  s: MatchedLiftSettings = DEFAULT_MATCHED_LIFT,
  /** the estimator over these rows, accounts and interventions, when the caller measures several event sets */
  est: LiftEstimator = new LiftEstimator(rows, accounts, interventions, lastCompleteMonth, s),
): MatchedLifts {
  const byKind = new Map<
    InterventionKind,
    { events: LiftEvent[]; skipped: Partial<Record<SkipReason, number>> }
  >();
  const seen = new Set<string>();
  const sorted = [...events].sort(
    (a, b) => a.date.localeCompare(b.date, 'en') || a.accountId.localeCompare(b.accountId, 'en'),
  );
  for (const i of sorted) {
    // every logged fix is counted somewhere: measured, or skipped with its reason (a review found
    // 27 account-wide roll-outs and the repeats missing, so channel roll-outs looked barely tried)
    const group = byKind.get(i.kind) ?? { events: [], skipped: {} };
    byKind.set(i.kind, group);
    if (!i.taxonomyId) {
      group.skipped.account_wide = (group.skipped.account_wide ?? 0) + 1;
      continue;
    }
    // one measurement per account, kind and leaf: its first intervention of that kind there
    const once = `${i.accountId}\u0000${i.kind}\u0000${i.taxonomyId}`;
    if (seen.has(once)) {
      group.skipped.repeat = (group.skipped.repeat ?? 0) + 1;
      continue;
    }
    seen.add(once);
    const month = i.date.slice(0, 7);
    const r = est.measure(i.accountId, i.taxonomyId, month, month);
    if ('skip' in r) {
      group.skipped[r.skip] = (group.skipped[r.skip] ?? 0) + 1;
      continue;
    }
    if (!r.event.included) group.skipped.pre_trend = (group.skipped.pre_trend ?? 0) + 1;
    group.events.push({ ...r.event, kind: i.kind, date: i.date });
  }
  const kinds: KindLift[] = [];
  for (const [kind, g] of byKind) {
    const counted = g.events.filter((e) => e.included);
    const items = weighted(
      counted.map((e) => ({ cluster: e.accountId, value: e.lift, variance: e.variance })),
    );
    const totalWeight = items.reduce((sum, it) => sum + it.weight, 0);
    counted.forEach((e, k) => {
      e.weight = items[k]!.weight / totalWeight;
    });
    const estimate = boundedEstimate(items, s, s.seed);
    // placebo 1: an untreated account at the real date
    const placeboItems: { cluster: string; value: number; variance: number }[] = [];
    for (const e of counted) {
      const id = est.placeboAccount(e);
      if (!id) continue;
      const r = est.measure(id, e.taxonomyId, e.month, undefined, new Set([e.accountId]));
      if ('event' in r && r.event.included)
        placeboItems.push({ cluster: id, value: r.event.lift, variance: r.event.variance });
    }
    // placebo 2: the treated account at a fake date before the real one
    const shiftedItems: { cluster: string; value: number; variance: number }[] = [];
    for (const e of g.events) {
      const r = est.measure(e.accountId, e.taxonomyId, addMonths(e.month, -s.placeboShiftMonths), undefined);
      if ('event' in r && r.event.included)
        shiftedItems.push({ cluster: e.accountId, value: r.event.lift, variance: r.event.variance });
    }
    kinds.push({
      kind,
      ...(estimate ?? { n: 0, accounts: 0, lift: 0, low: 0, high: 0, p10: 0, p90: 0 }),
      skipped: g.skipped,
      placebo: estimateOf(placeboItems, s, s.seed + 1),
      placeboShifted: estimateOf(shiftedItems, s, s.seed + 2),
      events: g.events.sort((a, b) => b.lift - a.lift),
    });
  }
  return { settings: s, kinds: kinds.sort((a, b) => b.n - a.n || a.kind.localeCompare(b.kind, 'en')) };
}

const pct = (v: number) => `${Math.round(v * 100)}%`;

/** The method in words, from the settings (served with the lifts; the Patterns view shows it). */
export function liftMethod(s: MatchedLiftSettings): string {
  return (
    `Each fix on a leaf is measured on that leaf's automation rate (resolved ÷ conversations): the ` +
    `${s.afterMonths} complete months after the fix's month against the ${s.beforeMonths} before it (at least ` +
    `${s.minAfterMonths} and ${s.minBeforeMonths}: the after-window stops before the account's next fix on the leaf and at the ` +
    `last complete month, the before-window starts ${s.cleanMonths} month${s.cleanMonths === 1 ? '' : 's'} after its previous fix and once its AI has been live ${s.settleDays} days), ` +
    `minus the same change in its ${s.controls} matched controls over the same months — accounts of the same vertical with no fix on that leaf from ` +
    `${s.cleanMonths} month${s.cleanMonths === 1 ? '' : 's'} before the before-window to the end of the after-window, AI live for at least ` +
    `${s.settleDays} days before the before-window (a go-live ramp is not a lift), at least ${s.minConversations} ` +
    `conversations on the leaf in each window, nearest by their starting rate on the leaf` +
    `${s.maxStartGap < 1 ? ` and within ${Math.round(s.maxStartGap * 100)} points of it` : ''}. The treated account obeys the same ` +
    `rules; fixes with fewer than ${s.minControls} controls are not measured. Pre-trend check: a fix whose leaf ` +
    `moved differently from its controls across the before-window (by more than ${Math.round(s.preTrendPoints * 100)} points and ` +
    `twice the sampling noise) is shown but not counted. A kind's lift is the mean over its fixes weighted by how precisely each was measured (inverse variance with the ` +
    `spread between fixes, DerSimonian–Laird: a large topic's fix counts more, a plain average when the fixes disagree widely); the interval is ` +
    `the central ${pct(s.interval)} of ${s.bootstrap.toLocaleString('en-US')} bootstrap resamples of the treated accounts ` +
    `(seeded), never narrower than Student's t interval of the mean's standard error with accounts − 1 degrees of freedom ` +
    `(a few accounts cannot show their own noise, and a spread read from 3 accounts is itself a guess), and within ±100 points. Placebo: the same estimator on each fix's nearest untreated account at the real date, and on the ` +
    `treated account ${s.placeboShiftMonths} months before the real date; both should sit near 0.`
  );
}
