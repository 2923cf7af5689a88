/**
 * Calibrates the CX score against CSAT (SPEC §3), held out by account. On the rated
 * conversations of ~80% of accounts:
 *
 * - the **additive isotonic model** (shipped): the mean rating plus one non-decreasing curve per
 *   sub-signal, fitted by backfitting pool-adjacent-violators regressions (server/domain/cx.ts
 *   fitCxCurves). Monotone in each sub-signal, on the rating's scale: a score of 4.2 means
 *   "rated 4.2 on average";
 * - the **linear index** (the calibration before it, kept for comparison and as the fallback):
 *   least-squares slopes of the rating on the three sub-signals, kept ≥ 0 and turned into
 *   weights (each ≥ MIN_WEIGHT) of a weighted mean of the sub-signals.
 *
 * Spearman agreement is measured on the rated conversations of the held-out ~20% of accounts,
 * for the calibrated score, the linear index, the default weights and the resolution sub-signal
 * alone (the no-text baseline).
 */
import type Database from 'better-sqlite3';
import { conversationStore, type RatedConversation } from '../../server/db/build.ts';
import {
  CX_SCORE_STEPS,
  type CxCurve,
  type CxCurves,
  calibratedCx,
  combineCx,
  DEFAULT_CX_WEIGHTS,
  fitCxCurves,
} from '../../server/domain/cx.ts';
import { hash32, leastSquares, spearman } from '../../server/domain/stats.ts';

export interface CxCalibration {
  /** 'isotonic': the additive isotonic curves; 'linear': the default weights (too few ratings) */
  method: 'isotonic' | 'linear';
  /** weights of the linear index (the comparison, and the score when there are no curves) */
  weights: [number, number, number];
  /** the mean rating and one non-decreasing curve per sub-signal (null: too few ratings) */
  curves: CxCurves | null;
  calibrated: boolean;
  rated: number;
  heldOut: number;
  /** Spearman of the calibrated score with CSAT on held-out accounts' ratings */
  spearman: number | null;
  /** the same for the linear index (weights, no curves) */
  spearmanLinear: number | null;
  /** the same for the uncalibrated default weights */
  spearmanDefault: number | null;
  /** the same for the resolution sub-signal alone: what the outcome says without the words */
  spearmanResolution: number | null;
  /**
   * Fitted on the ratings of conversations before this month (the complete months), or on every
   * rating (null) when the complete months hold too few.
   */
  ratedBefore: string | null;
}

const MIN_RATED = 200;
export const MIN_WEIGHT = 0.1;
const MAX_RATED = 60_000;

type Rated = RatedConversation;

/** Training and held-out ratings: by account (every 5th account by hash), by conversation if that leaves one side empty. */
export function splitByAccount<T extends { id: string; accountId: string }>(
  rows: readonly T[],
): { train: T[]; test: T[] } {
  let test = rows.filter((r) => hash32(r.accountId) % 5 === 0);
  if (test.length < 20 || test.length === rows.length) test = rows.filter((r) => hash32(r.id) % 5 === 0);
  const held = new Set(test);
  return { train: rows.filter((r) => !held.has(r)), test };
}

/** Weights of the index: least-squares slopes, ≥ 0, normalised, each ≥ MIN_WEIGHT. */
export function fitWeights(train: readonly Rated[]): [number, number, number] | null {
  if (train.length < MIN_RATED) return null;
  const fit = leastSquares(
    train.map((r) => [r.r, r.s, r.e]),
    train.map((r) => r.csat),
  );
  if (!fit) return null;
  const slopes = fit.slice(1).map((w) => Math.max(0, w));
  const total = slopes.reduce((a, b) => a + b, 0);
  if (total <= 0) return null;
  // Every sub-signal keeps a say: ratings mostly follow the outcome, yet a frustrated customer
  // whose issue was "resolved" is not a 5.
  const floored = slopes.map((w) => Math.max(MIN_WEIGHT, w / total));
  const sum = floored.reduce((a, b) => a + b, 0);
  return floored.map((w) => w / sum) as [number, number, number];
}

/**
 * The calibration of the database's ratings. Only the complete months' (before `currentMonth`)
 * count when they hold enough: the current month's ratings are still arriving (a survey is
 * answered days later), and a daily `--append` that adds only current-month conversations then
 * leaves the calibration, and every stored CX sum, exactly as it was (scripts/pipeline/run.ts).
 */
export function calibrateCx(db: Database.Database, currentMonth: string | null): CxCalibration {
  // At most ~MAX_RATED ratings are read (one in k, by a hash of the id): enough for three weights,
  // a curve and a Spearman, and memory does not grow with the input.
  const conversations = conversationStore(db);
  const complete = currentMonth === null ? 0 : conversations.ratedCount(currentMonth);
  const ratedBefore = complete >= MIN_RATED ? currentMonth : null;
  const rated = ratedBefore === null ? conversations.ratedCount(null) : complete;
  const every = Math.max(1, Math.ceil(rated / MAX_RATED));
  return { ...calibrateRated(conversations.ratedSample(every, ratedBefore), rated), ratedBefore };
}

/** The calibration of a set of rated conversations (pure: calibrateCx reads them from the database). */
export function calibrateRated(rows: readonly Rated[], rated = rows.length): CxCalibration {
  const { train, test } = splitByAccount(rows);
  const fitted = fitWeights(train);
  const weights = (fitted ?? [...DEFAULT_CX_WEIGHTS]).map((w) => Number(w.toFixed(12))) as [
    number,
    number,
    number,
  ];
  const curves = fitted ? fitCxCurves(train) : null;
  const agreement = (score: (r: Rated) => number) =>
    test.length >= 20
      ? spearman(
          test.map(score),
          test.map((r) => r.csat),
        )
      : null;
  return {
    method: curves ? 'isotonic' : 'linear',
    weights,
    curves,
    calibrated: fitted !== null,
    rated,
    heldOut: test.length,
    spearman: agreement((r) => calibratedCx(r.r, r.s, r.e, weights, curves)),
    spearmanLinear: agreement((r) => combineCx(r.r, r.s, r.e, weights)),
    spearmanDefault: agreement((r) => combineCx(r.r, r.s, r.e, DEFAULT_CX_WEIGHTS)),
    spearmanResolution: agreement((r) => r.r),
    ratedBefore: null,
  };
}

const num = (v: number) => String(Number(v.toFixed(12)));

/** A curve as SQL over `column`: linear between knots, flat beyond the ends (applyCurve's arithmetic). */
function curveSql(curve: CxCurve, column: string): string {
  const { x, y } = curve;
  const segment = (k: number) =>
    k === 0
      ? num(y[0]!)
      : k === x.length
        ? num(y.at(-1)!)
        : `${num(y[k - 1]!)} + (${column} - ${num(x[k - 1]!)}) * ${num(Number(((y[k]! - y[k - 1]!) / (x[k]! - x[k - 1]!)).toFixed(12)))}`;
  // segment k covers x[k-1] < v <= x[k]: found by halving, so a row costs log2(knots) comparisons
  const search = (lo: number, hi: number): string => {
    if (lo === hi) return segment(lo);
    const mid = (lo + hi) >> 1;
    return `CASE WHEN ${column} <= ${num(x[mid]!)} THEN ${search(lo, mid)} ELSE ${search(mid + 1, hi)} END`;
  };
  return `(${search(0, x.length)})`;
}

/**
 * The SQL twin of calibratedCx over the conversations table's sub-signal columns, rounded to
 * 1/CX_SCORE_STEPS, so a sum of scores is exact whatever order SQLite adds them in (a full build
 * and an append agree to the bit).
 */
export function cxSqlExpression(calibration: Pick<CxCalibration, 'weights' | 'curves'>): string {
  const c = calibration.curves;
  let value: string;
  if (c)
    value = `${num(c.intercept)} + ${curveSql(c.resolution, 'cx_resolution')} + ${curveSql(c.sentiment, 'cx_sentiment')} + ${curveSql(c.effort, 'cx_effort')}`;
  else {
    const [wr, ws, we] = calibration.weights.map((w) => Number(w.toFixed(12))) as [number, number, number];
    const total = Number((wr + ws + we).toFixed(12));
    value = `(${num(wr)} * cx_resolution + ${num(ws)} * cx_sentiment + ${num(we)} * cx_effort) / ${num(total)}`;
  }
  return `(round(${CX_SCORE_STEPS} * min(5.0, max(1.0, ${value}))) / ${CX_SCORE_STEPS}.0)`;
}

const isNumberOrNull = (v: unknown) => v === null || typeof v === 'number';
const isCurve = (v: unknown): v is CxCurve =>
  typeof v === 'object' &&
  v !== null &&
  Array.isArray((v as CxCurve).x) &&
  Array.isArray((v as CxCurve).y) &&
  (v as CxCurve).x.every((n) => typeof n === 'number') &&
  (v as CxCurve).y.every((n) => typeof n === 'number');

/** Whether `v` is a calibration as a build stores it in `meta.cxCalibration`. */
export function isStoredCalibration(v: unknown): v is CxCalibration {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Record<string, unknown>;
  const curves = c.curves as Record<string, unknown> | null;
  return (
    (c.method === 'isotonic' || c.method === 'linear') &&
    Array.isArray(c.weights) &&
    c.weights.length === 3 &&
    c.weights.every((w) => typeof w === 'number') &&
    (curves === null ||
      (typeof curves === 'object' &&
        typeof curves.intercept === 'number' &&
        isCurve(curves.resolution) &&
        isCurve(curves.sentiment) &&
        isCurve(curves.effort))) &&
    typeof c.calibrated === 'boolean' &&
    typeof c.rated === 'number' &&
    typeof c.heldOut === 'number' &&
    [c.spearman, c.spearmanLinear, c.spearmanDefault, c.spearmanResolution].every(isNumberOrNull) &&
    (c.ratedBefore === null || typeof c.ratedBefore === 'string')
  );
}

/**
 * The stored calibration an append can keep as it is: the one calibrateCx would fit again. That
 * holds when it was fitted on the complete months before the current month, the current month is
 * still that month, and the append touched no account-month before it (no rating it was fitted
 * on was added, revised or moved). Null: calibrate again.
 */
export function keptCalibration(
  stored: unknown,
  currentMonth: string | null,
  touched: Iterable<{ month: string }>,
): CxCalibration | null {
  if (currentMonth === null || !isStoredCalibration(stored) || stored.ratedBefore !== currentMonth)
    return null;
  for (const p of touched) if (p.month < currentMonth) return null;
  return stored;
}
