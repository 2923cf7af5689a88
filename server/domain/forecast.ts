/**
 * Forecast (issue 10 item 3): where an account's automation rate will be in 3 and 6 months —
 * a different question from the potential, which is a ceiling. Pure: no I/O.
 *
 * The change from the month's rate is a pooled, volume-weighted ridge regression (one per
 * horizon) on what is known at the origin month M:
 *   - the gap between the last 3 months' pooled rate and M's rate (a noisy month reverts),
 *   - the gap to the potential predicted at M (accounts drift toward their ceiling),
 *   - the go-live ramp still ahead (exp(−months live / 4) − exp(−(months live + h) / 4)),
 *   - the gaps the account's actions go after: Σ over actions of its topic's gap to the achievable
 *     level at M (in points of the account's rate; the whole account's gap for an action on every
 *     topic, such as a channel roll-out) × the part of the action that lands in (M, M+h] (actions
 *     ramp in linearly over `rampMonths`; actions taken before M still ramping count too). Its one
 *     coefficient is the share of a gap an action closes, learned from the actions that landed.
 *     Per kind of action it was learned worse: most kinds have few fixes, and a kind's lift in
 *     points ignores how much room its topic had (decided on three demo worlds other than the
 *     shipped one, docs/model.md).
 * The P10–P90 band is ± 1.2816 σ with σ² = the model's own residual variance beyond sampling
 * noise + p(1−p)/n of the month forecast: wide for small accounts, narrow for large ones.
 *
 * Backtest: at every origin M the model is fitted on pairs whose outcome month is ≤ M (no data
 * after M), then judged on M+h against the persistence baseline ("no change": the rate at M)
 * and the oracle noise floor (how far a month's rate moves by sampling alone, E|N(0, p(1−p)/n)|).
 */

import { dayLabel, monthSpan } from './flags.ts';
import { addMonths, monthRange } from './metrics.ts';
import type { LeafMonthCounts } from './potential.ts';
import { percentile, seededRandom } from './stats.ts';
import type { Intervention, InterventionKind } from './types.ts';

/** horizons the forecast is shown and judged at */
export const FORECAST_HORIZONS = [3, 6] as const;
/** one model is fitted over every horizon up to the longest: a 6-month pair needs 6 months more data */
const FIT_HORIZONS = [1, 2, 3, 4, 5, 6] as const;
export type Horizon = (typeof FIT_HORIZONS)[number];

export interface ForecastSettings {
  /** months over which an action's effect ramps in */
  rampMonths: number;
  /** a month needs this many conversations to be an origin or an outcome */
  minConversations: number;
  /** fewer training pairs than this: no forecast at that origin */
  minTrainingPairs: number;
  /** ridge penalty (on standardized features) */
  ridge: number;
  /** bootstrap resamples of accounts for the intervals */
  bootstrap: number;
}

export const DEFAULT_FORECAST: ForecastSettings = {
  rampMonths: 2,
  minConversations: 50,
  minTrainingPairs: 40,
  ridge: 0.1,
  bootstrap: 400,
};

/** The potential predicted with data up to a month: the account's, and each topic's gap to it. */
export interface PotentialAt {
  /** null where the backtest predicted none (too few conversations in the window) */
  potential: number | null;
  /** taxonomy id → points of the account's rate between the topic's rate and its achievable level */
  leafGaps: ReadonlyMap<string, number>;
}

export interface ForecastAccount {
  id: string;
  aiLiveSince: string | null;
  /** for the track record by vertical */
  vertical?: string;
}

export interface ForecastInput {
  /** customers' leaf-month counts */
  rows: readonly LeafMonthCounts[];
  accounts: readonly ForecastAccount[];
  interventions: readonly Intervention[];
  /** the potential predicted with data up to `month`, when there is one */
  potentialAt: (accountId: string, month: string) => PotentialAt | null;
  /** last complete month */
  lastMonth: string;
}

interface Month {
  n: number;
  resolved: number;
}

const Z90 = 1.2815515655446004;
/** a horizon's own spread is measured from at least this many training pairs */
const MIN_PAIRS_FOR_SPREAD = 20;
const monthIndex = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;

/** Everything about one account needed to build a feature row at any origin. */
interface AccountSeries {
  id: string;
  live: string | null;
  months: Map<string, Month>;
  /** taxonomyId null: an action on every topic (a channel roll-out) */
  actions: { month: number; kind: InterventionKind; taxonomyId: string | null }[];
}

function seriesOf(input: ForecastInput): Map<string, AccountSeries> {
  const out = new Map<string, AccountSeries>();
  for (const a of input.accounts)
    out.set(a.id, {
      id: a.id,
      live: a.aiLiveSince?.slice(0, 7) ?? null,
      months: new Map(),
      actions: [],
    });
  for (const r of input.rows) {
    const s = out.get(r.accountId);
    if (!s) continue;
    const m = s.months.get(r.month) ?? { n: 0, resolved: 0 };
    m.n += r.conversations;
    m.resolved += r.resolved;
    s.months.set(r.month, m);
  }
  for (const i of input.interventions) {
    const s = out.get(i.accountId);
    if (s) s.actions.push({ month: monthIndex(i.date), kind: i.kind, taxonomyId: i.taxonomyId });
  }
  return out;
}

function pooled(s: AccountSeries, from: string, to: string): Month {
  const sum = { n: 0, resolved: 0 };
  for (const m of monthRange(from, to)) {
    const x = s.months.get(m);
    if (x) {
      sum.n += x.n;
      sum.resolved += x.resolved;
    }
  }
  return sum;
}

const rateOf = (m: Month | undefined) => (m && m.n > 0 ? m.resolved / m.n : null);

// No trend term: on the three development worlds it changed nothing (< 0.1 point), and a fitted
// (negative) trend × horizon forecast a climbing account falling 14 points.
export const FEATURES = ['smoothing', 'toPotential', 'goLiveRamp', 'gapClosed'] as const;
const GAP_CLOSED = FEATURES.indexOf('gapClosed');

interface Row {
  accountId: string;
  origin: string;
  horizon: Horizon;
  /** rate at the origin (the persistence forecast) */
  rate: number;
  x: number[];
  /** observed outcome, when known */
  actual: number | null;
  /** conversations in the outcome month (the weight), or at the origin for a live forecast */
  n: number;
}

/** The feature row of an account at origin M for horizon h; null when M is not a usable origin. */
function featureRow(
  s: AccountSeries,
  origin: string,
  horizon: Horizon,
  input: ForecastInput,
  settings: ForecastSettings,
): Omit<Row, 'actual' | 'n'> | null {
  const now = s.months.get(origin);
  if (!now || now.n < settings.minConversations) return null;
  if (!s.live || s.live > addMonths(origin, -3)) return null; // 3 live months before M
  const rate = now.resolved / now.n;
  const last3 = rateOf(pooled(s, addMonths(origin, -2), origin))!;
  const potential = input.potentialAt(s.id, origin);
  const liveMonths = monthIndex(origin) - monthIndex(s.live);
  const ramp = Math.exp(-liveMonths / 4) - Math.exp(-(liveMonths + horizon) / 4);
  const o = monthIndex(origin);
  const landed = (at: number, month: number) => Math.min(1, Math.max(0, (at - month) / settings.rampMonths));
  // the gaps the actions landing in the horizon go after, as they stood at M
  let gapAfter = 0;
  if (potential) {
    let accountGap: number | null = null;
    for (const a of s.actions) {
      const part = landed(o + horizon, a.month) - landed(o, a.month);
      if (part <= 0) continue;
      if (a.taxonomyId === null) {
        accountGap ??= [...potential.leafGaps.values()].reduce((x, y) => x + y, 0);
        gapAfter += accountGap * part;
      } else gapAfter += (potential.leafGaps.get(a.taxonomyId) ?? 0) * part;
    }
  }
  return {
    accountId: s.id,
    origin,
    horizon,
    rate,
    x: [
      last3 - rate,
      potential?.potential == null ? 0 : Math.max(0, potential.potential - last3),
      ramp,
      gapAfter,
    ],
  };
}

// Weighted ridge regression ------------------------------------------------------------------

export interface FittedForecast {
  intercept: number;
  coefficients: number[];
  /**
   * residual variance beyond sampling noise (fraction²) by horizon (index h − 1); a horizon with
   * too few training pairs takes the longest measured one's, grown in proportion to h
   */
  excessVariance: number[];
  pairs: number;
}

/** Solves A x = b (A symmetric positive definite, small) by Gaussian elimination. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    const d = m[c]![c]!;
    if (Math.abs(d) < 1e-12) continue;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / d;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((row, i) => (Math.abs(row[i]!) < 1e-12 ? 0 : row[n]! / row[i]!));
}

const noiseVariance = (p: number, n: number) =>
  (Math.min(1, Math.max(0, p)) * (1 - Math.min(1, Math.max(0, p)))) / n;

/**
 * Fits y = actual − rate on the rows (weights: outcome volume) by ridge regression in the
 * features' own units: `ridge` pseudo-pairs of average weight at feature value 1 and no change
 * pull every coefficient toward 0, so a kind of action seen on a few accounts only gets a
 * cautious lift instead of a wild one.
 */
function fitForecast(rows: readonly Row[], ridge: number, withIntercept = false): FittedForecast | null {
  const train = rows.filter((r) => r.actual !== null);
  if (train.length === 0) return null;
  const k = train[0]!.x.length;
  const w = train.map((r) => r.n);
  const sw = w.reduce((a, b) => a + b, 0);
  const ata = Array.from({ length: k + 1 }, () => new Array<number>(k + 1).fill(0));
  const atb = new Array<number>(k + 1).fill(0);
  train.forEach((r, i) => {
    const f = [1, ...r.x];
    const y = r.actual! - r.rate;
    for (let a = 0; a <= k; a++) {
      atb[a]! += w[i]! * f[a]! * y;
      for (let b = 0; b <= k; b++) ata[a]![b]! += w[i]! * f[a]! * f[b]!;
    }
  });
  const meanW = sw / train.length;
  for (let a = 1; a <= k; a++) ata[a]![a]! += ridge * meanW;
  // no drift without a reason: the intercept is held at 0 unless asked for
  if (!withIntercept) ata[0]![0]! += 1e9 * meanW;
  const beta = solve(ata, atb);
  const fitted: FittedForecast = {
    intercept: beta[0]!,
    coefficients: beta.slice(1),
    excessVariance: [],
    pairs: train.length,
  };
  const byHorizon = FIT_HORIZONS.map(() => ({ w: 0, residual: 0, noise: 0, n: 0 }));
  train.forEach((r, i) => {
    const e = r.actual! - predictRow(fitted, r);
    const h = byHorizon[r.horizon - 1]!;
    h.w += w[i]!;
    h.residual += w[i]! * e * e;
    h.noise += w[i]! * noiseVariance(r.actual!, r.n);
    h.n += 1;
  });
  let known = { h: 0, v: 0 };
  fitted.excessVariance = byHorizon.map((b, i) => {
    const h = i + 1;
    if (b.n >= MIN_PAIRS_FOR_SPREAD) {
      known = { h, v: Math.max(0, (b.residual - b.noise) / b.w) };
      return known.v;
    }
    return known.h > 0 ? (known.v * h) / known.h : 0;
  });
  return fitted;
}

function predictRow(
  f: Pick<FittedForecast, 'intercept' | 'coefficients'>,
  r: Pick<Row, 'rate' | 'x'>,
): number {
  const y = r.rate + f.intercept + f.coefficients.reduce((s, c, j) => s + c * r.x[j]!, 0);
  return Math.min(1, Math.max(0, y));
}

export interface ForecastValue {
  rate: number;
  low: number;
  high: number;
}

/** The forecast with its P10–P90 band for a month of `n` conversations. */
function forecastValue(f: FittedForecast, r: Pick<Row, 'rate' | 'x' | 'horizon'>, n: number): ForecastValue {
  const rate = predictRow(f, r);
  const sd = Math.sqrt(f.excessVariance[r.horizon - 1]! + noiseVariance(rate, Math.max(1, n)));
  return { rate, low: Math.max(0, rate - Z90 * sd), high: Math.min(1, rate + Z90 * sd) };
}

// Backtest -------------------------------------------------------------------------------------

export interface ForecastPoint {
  accountId: string;
  origin: string;
  horizon: Horizon;
  rateAtOrigin: number;
  forecast: ForecastValue;
  actual: number;
  conversations: number;
}

/** Every (account, origin, horizon) pair whose outcome month is known. */
function allRows(
  series: Map<string, AccountSeries>,
  input: ForecastInput,
  settings: ForecastSettings,
): Row[] {
  const months = [...new Set(input.rows.map((r) => r.month))].sort();
  const rows: Row[] = [];
  if (months.length === 0) return rows;
  for (const horizon of FIT_HORIZONS)
    for (const s of series.values())
      for (const origin of monthRange(months[0]!, addMonths(input.lastMonth, -horizon))) {
        const f = featureRow(s, origin, horizon, input, settings);
        if (!f) continue;
        const out = s.months.get(addMonths(origin, horizon));
        if (!out || out.n < settings.minConversations) continue;
        rows.push({ ...f, actual: out.resolved / out.n, n: out.n });
      }
  return rows;
}

/** Forecasts made at every origin with data up to it only, against what was reached. */
export function backtestForecast(input: ForecastInput, settings = DEFAULT_FORECAST): ForecastPoint[] {
  const series = seriesOf(input);
  const points: ForecastPoint[] = [];
  const rows = allRows(series, input, settings);
  const judged = rows.filter((r) => (FORECAST_HORIZONS as readonly number[]).includes(r.horizon));
  for (const origin of [...new Set(judged.map((r) => r.origin))].sort()) {
    const known = rows.filter((r) => addMonths(r.origin, r.horizon) <= origin);
    if (known.length < settings.minTrainingPairs) continue;
    const fit = fitForecast(known, settings.ridge);
    if (!fit) continue;
    for (const r of judged.filter((x) => x.origin === origin))
      points.push({
        accountId: r.accountId,
        origin,
        rateAtOrigin: r.rate,
        horizon: r.horizon,
        forecast: forecastValue(fit, r, r.n),
        actual: r.actual!,
        conversations: r.n,
      });
  }
  return points;
}

/**
 * The model fitted on every pair known at the last month: its kind coefficients are the lifts it
 * measured. Null with too few pairs.
 */
export function fitOnAll(input: ForecastInput, settings = DEFAULT_FORECAST): FittedForecast | null {
  const fit = fitForecast(allRows(seriesOf(input), input, settings), settings.ridge);
  return fit && fit.pairs >= settings.minTrainingPairs ? fit : null;
}

// Live forecast --------------------------------------------------------------------------------

export interface AccountForecast {
  /** the month forecast from (the last complete month) and its rate */
  from: string;
  rate: number;
  h3: ForecastValue & { month: string };
  h6: ForecastValue & { month: string };
}

/**
 * Where each account is expected to be 3 and 6 months after the last complete month: the model
 * fitted on every known pair, applied to each account's features at that month (its planned
 * actions included). No forecast for an account that is not a usable origin (under 3 live months
 * or too few conversations that month) or without a fit.
 */
export function forecastAccounts(
  input: ForecastInput,
  fit: FittedForecast | null,
  settings = DEFAULT_FORECAST,
): Map<string, AccountForecast> {
  const out = new Map<string, AccountForecast>();
  if (!fit) return out;
  for (const s of seriesOf(input).values()) {
    const r3 = featureRow(s, input.lastMonth, 3, input, settings);
    const r6 = featureRow(s, input.lastMonth, 6, input, settings);
    if (!r3 || !r6) continue;
    // the month forecast is assumed to be as large as the last one
    const n = s.months.get(input.lastMonth)!.n;
    out.set(s.id, {
      from: input.lastMonth,
      rate: r3.rate,
      h3: { ...forecastValue(fit, r3, n), month: addMonths(input.lastMonth, 3) },
      h6: { ...forecastValue(fit, r6, n), month: addMonths(input.lastMonth, 6) },
    });
  }
  return out;
}

// Track record ---------------------------------------------------------------------------------

export interface Interval {
  value: number;
  /** 90% bootstrap interval, resampling accounts */
  low: number;
  high: number;
}

export interface ForecastSummary {
  horizon: Horizon;
  points: number;
  accounts: number;
  /** Kish's effective number of accounts, (Σ w)² / Σ w², w = an account's outcome volume */
  effectiveAccounts: number;
  /** volume-weighted mean absolute error of the forecast, points (fraction) */
  mae: Interval;
  /** the same for "no change" (the rate at M) */
  persistenceMae: Interval;
  /** E|sampling noise| of the months forecast: no forecast can be expected to beat it */
  noiseFloor: Interval;
  /** share of outcomes inside the P10–P90 band (aim: 75–90%) */
  coverage: Interval;
  /**
   * 1 − mae / persistenceMae, its interval from the same resamples (paired: both errors on the
   * same accounts), so "better than no change" is read off the difference, not two overlapping bars
   */
  gain: Interval;
}

interface Sums {
  w: number;
  err: number;
  persistence: number;
  noise: number;
  inside: number;
  count: number;
}

function sumsOf(points: readonly ForecastPoint[]): Sums {
  const s: Sums = { w: 0, err: 0, persistence: 0, noise: 0, inside: 0, count: 0 };
  for (const p of points) {
    const w = p.conversations;
    s.w += w;
    s.err += w * Math.abs(p.actual - p.forecast.rate);
    s.persistence += w * Math.abs(p.actual - p.rateAtOrigin);
    s.noise += w * Math.sqrt(2 / Math.PI) * Math.sqrt(noiseVariance(p.actual, p.conversations));
    s.inside += p.actual >= p.forecast.low - 1e-12 && p.actual <= p.forecast.high + 1e-12 ? 1 : 0;
    s.count += 1;
  }
  return s;
}

const metricsOf = (s: Sums) => [
  s.err / s.w,
  s.persistence / s.w,
  s.noise / s.w,
  s.inside / s.count,
  1 - s.err / s.persistence,
];

export function summarizeForecast(
  points: readonly ForecastPoint[],
  horizon: Horizon,
  settings = DEFAULT_FORECAST,
): ForecastSummary | null {
  const mine = points.filter((p) => p.horizon === horizon);
  if (mine.length === 0) return null;
  const byAccount = new Map<string, Sums>();
  for (const id of new Set(mine.map((p) => p.accountId)))
    byAccount.set(id, sumsOf(mine.filter((p) => p.accountId === id)));
  const accounts = [...byAccount.values()];
  const weights = accounts.map((a) => a.w);
  const effectiveAccounts = weights.reduce((a, b) => a + b, 0) ** 2 / weights.reduce((a, b) => a + b * b, 0);
  const total = (list: readonly Sums[]) =>
    list.reduce(
      (t, a) => ({
        w: t.w + a.w,
        err: t.err + a.err,
        persistence: t.persistence + a.persistence,
        noise: t.noise + a.noise,
        inside: t.inside + a.inside,
        count: t.count + a.count,
      }),
      { w: 0, err: 0, persistence: 0, noise: 0, inside: 0, count: 0 },
    );
  const point = metricsOf(total(accounts));
  const random = seededRandom(horizon * 7919);
  const draws: number[][] = [[], [], [], [], []];
  for (let b = 0; b < settings.bootstrap; b++) {
    const sample = accounts.map(() => accounts[Math.floor(random() * accounts.length)]!);
    metricsOf(total(sample)).forEach((v, i) => {
      // a resample whose "no change" was exact has no ratio to keep
      if (Number.isFinite(v)) draws[i]!.push(v);
    });
  }
  const interval = (i: number): Interval => {
    return { value: point[i]!, low: percentile(draws[i]!, 0.05)!, high: percentile(draws[i]!, 0.95)! };
  };
  return {
    horizon,
    points: mine.length,
    accounts: accounts.length,
    effectiveAccounts,
    mae: interval(0),
    persistenceMae: interval(1),
    noiseFloor: interval(2),
    coverage: interval(3),
    gain: interval(4),
  };
}

/** What the Model view shows of the forecast: its track record and the lifts it measured. */
export interface ForecastTrackRecord {
  method: string;
  h3: ForecastSummary | null;
  h6: ForecastSummary | null;
  /** the share of its topic's gap to the achievable level an action closes once landed, as fitted */
  gapClosed: number | null;
  pairs: number;
  /** the same track record per vertical (SPEC §5: error by vertical, with intervals) */
  byVertical: { vertical: string; h3: ForecastSummary | null; h6: ForecastSummary | null }[];
}

export function forecastMethod(s: ForecastSettings): string {
  return (
    `Change from the month's rate, by one volume-weighted ridge regression (penalty ${s.ridge}) over every horizon from 1 to 6 months, on: ` +
    `the last 3 months' pooled rate against the month's, the gap to the potential predicted that month, the go-live ramp ahead, ` +
    `and the gaps to the achievable level of the topics the account's actions go after (the whole account's for an action on every topic) × the part of each action landing in the horizon (actions ramp in over ${s.rampMonths} months; planned ones count). ` +
    `P10–P90 band: the model's own spread at that horizon plus the sampling noise of the month. ` +
    `Backtested at every month with data up to it only, against “no change” (the rate at M) and the noise floor (E|sampling noise| of the months forecast); intervals resample accounts.`
  );
}

/** The topics of an account's potential at a month, as the potential model gives them. */
export type LeafPotentialsAt = (
  month: string,
) => ReadonlyMap<string, { leaves: readonly { taxonomyId: string; gapPoints: number }[] }>;

/**
 * The potential the forecast reads at (account, month): the predicted one (`predicted`, null where
 * the backtest made none) with its topics' gaps from `leafPotentialsAt`, asked once per month.
 */
export function potentialsAt(
  predicted: (accountId: string, month: string) => number | null,
  leafPotentialsAt: LeafPotentialsAt,
): (accountId: string, month: string) => PotentialAt | null {
  const byMonth = new Map<string, ReturnType<LeafPotentialsAt>>();
  return (accountId, month) => {
    let leaves = byMonth.get(month);
    if (!leaves) {
      leaves = leafPotentialsAt(month);
      byMonth.set(month, leaves);
    }
    const of = leaves.get(accountId)?.leaves;
    const potential = predicted(accountId, month);
    if (!of && potential === null) return null;
    return { potential, leafGaps: new Map((of ?? []).map((l) => [l.taxonomyId, l.gapPoints])) };
  };
}

/**
 * The pipeline's call: the track record over customers, the fit on everything, and each
 * customer's live forecast from the last complete month (`live.from`, with the potential the
 * model predicts now).
 */
export function forecastAnalysis(
  rows: readonly LeafMonthCounts[],
  customers: readonly ForecastAccount[],
  interventions: readonly Intervention[],
  potentials: readonly { accountId: string; month: string; predicted: number }[],
  leafPotentialsAt: LeafPotentialsAt,
  lastMonth: string,
  live: { from: string; potentials: ReadonlyMap<string, number | null> },
  settings = DEFAULT_FORECAST,
  /**
   * the track record and fit of a build over the same whole months (an append's): not measured
   * or fitted again
   */
  known: { track: ForecastTrackRecord; fit: FittedForecast | null } | null = null,
): { track: ForecastTrackRecord; fit: FittedForecast | null; accounts: Map<string, AccountForecast> } {
  const ids = new Set(customers.map((a) => a.id));
  const potential = new Map(potentials.map((p) => [`${p.accountId}\u0000${p.month}`, p.predicted]));
  const predicted = (accountId: string, month: string) =>
    month === live.from
      ? (live.potentials.get(accountId) ?? null)
      : (potential.get(`${accountId}\u0000${month}`) ?? null);
  const backtestAt = potentialsAt((a, m) => potential.get(`${a}\u0000${m}`) ?? null, leafPotentialsAt);
  const input: ForecastInput = {
    rows: rows.filter((r) => ids.has(r.accountId)),
    accounts: customers,
    interventions: interventions.filter((i) => ids.has(i.accountId)),
    potentialAt: backtestAt,
    lastMonth,
  };
  const fit = known ? known.fit : fitOnAll(input, settings);
  const accounts = forecastAccounts(
    { ...input, potentialAt: potentialsAt(predicted, leafPotentialsAt), lastMonth: live.from },
    fit,
    settings,
  );
  if (known) return { track: known.track, fit, accounts };
  const track = backtestForecast(input, settings);
  const verticalOf = new Map(customers.map((a) => [a.id, a.vertical ?? 'other']));
  const verticals = [...new Set(verticalOf.values())].sort((a, b) => a.localeCompare(b, 'en'));
  return {
    track: {
      method: forecastMethod(settings),
      h3: summarizeForecast(track, 3, settings),
      h6: summarizeForecast(track, 6, settings),
      gapClosed: fit ? fit.coefficients[GAP_CLOSED]! : null,
      pairs: fit?.pairs ?? 0,
      byVertical: verticals
        .map((vertical) => {
          const mine = track.filter((p) => verticalOf.get(p.accountId) === vertical);
          return {
            vertical,
            h3: summarizeForecast(mine, 3, settings),
            h6: summarizeForecast(mine, 6, settings),
          };
        })
        .filter((v) => v.h3 !== null || v.h6 !== null),
    },
    fit,
    accounts,
  };
}

/**
 * Why an account has no forecast, in the order the forecast's rules apply: no model fitted (the
 * data holds too few months with an outcome 1–6 months later), no go-live date, under 3 live months
 * before the last complete month, or too few conversations that month. (One sentence for all of
 * them told a 3-month world's account, live since June with 216 conversations in October, that it
 * needed 3 months live and 50 conversations.)
 */
export function noForecastReason(
  model: { pairs: number },
  account: { aiLiveSince: string | null; lastCompleteMonth: string | null; conversationsThen: number },
  settings = DEFAULT_FORECAST,
): string {
  if (model.pairs === 0 || account.lastCompleteMonth === null)
    return 'No forecast yet: the data does not hold enough months to learn how accounts move (a month’s rate and where it was 1 to 6 months later).';
  const then = monthSpan(account.lastCompleteMonth, account.lastCompleteMonth);
  if (!account.aiLiveSince)
    return 'No forecast for this account: the accounts file gives no AI go-live date (aiLiveSince), which the forecast reads the ramp from.';
  if (account.aiLiveSince.slice(0, 7) > addMonths(account.lastCompleteMonth, -3))
    // "AI live from", not "live since": the go-live may still be to come (a planned one read "live since 1 Mar 2027")
    return `No forecast for this account: AI live from ${dayLabel(account.aiLiveSince.slice(0, 10))}, it needs 3 months live before the last complete month (${then}).`;
  if (account.conversationsThen < settings.minConversations)
    return `No forecast for this account: it needs ${settings.minConversations}+ conversations in the last complete month (${then}: ${account.conversationsThen.toLocaleString('en-US')}).`;
  return `No forecast for this account in ${then}.`;
}
