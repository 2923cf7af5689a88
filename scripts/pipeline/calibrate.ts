/**
 * Calibrates the CX score against CSAT (SPEC §3), held out by account:
 *
 * 1. an index: least squares of the rating on the three sub-signals over the rated conversations
 *    of ~80% of accounts, slopes kept ≥ 0 and turned into weights (each ≥ MIN_WEIGHT) of a
 *    weighted mean of the sub-signals (1–5);
 * 2. a monotone map of that index onto the rating scale: isotonic regression (pool adjacent
 *    violators) of the rating on the index over the same training accounts, read as a
 *    piecewise-linear curve through the pooled blocks' (mean index, mean rating) and kept within
 *    1–5 (server/domain/cx.ts calibratedCx). A score of 4.2 then means "rated 4.2 on average".
 *
 * Spearman agreement is measured on the rated conversations of the held-out ~20% of accounts,
 * for the calibrated score, the linear index alone (the calibration before this one), the default
 * weights and the resolution sub-signal alone (the no-text baseline).
 */
import type Database from 'better-sqlite3';
import { conversationStore } from '../../server/db/build.ts';
import {
  CX_SCORE_STEPS,
  type CxCurve,
  calibratedCx,
  combineCx,
  DEFAULT_CX_WEIGHTS,
  isotonicCurve,
} from '../../server/domain/cx.ts';
import { hash32, leastSquares, spearman } from '../../server/domain/stats.ts';

export interface CxCalibration {
  /** 'isotonic': weights, then the curve; 'linear': weights only (too few ratings for a curve) */
  method: 'isotonic' | 'linear';
  weights: [number, number, number];
  /** the monotone map of the weighted index onto the rating (null: the index is the score) */
  curve: CxCurve | null;
  calibrated: boolean;
  rated: number;
  heldOut: number;
  /** Spearman of the calibrated score with CSAT on held-out accounts' ratings */
  spearman: number | null;
  /** the same for the linear index alone (weights, no curve) */
  spearmanLinear: number | null;
  /** the same for the uncalibrated default weights */
  spearmanDefault: number | null;
  /** the same for the resolution sub-signal alone: what the outcome says without the words */
  spearmanResolution: number | null;
}

const MIN_RATED = 200;
export const MIN_WEIGHT = 0.1;
const MAX_RATED = 60_000;

interface Rated {
  id: string;
  accountId: string;
  csat: number;
  r: number;
  s: number;
  e: number;
}

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

export function calibrateCx(db: Database.Database): CxCalibration {
  // At most ~MAX_RATED ratings are read (every k-th by row order): enough for three weights, a
  // curve and a Spearman, and memory does not grow with the input.
  const conversations = conversationStore(db);
  const rated = conversations.ratedCount();
  const every = Math.max(1, Math.ceil(rated / MAX_RATED));
  return calibrateRated(conversations.ratedSample(every), rated);
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
  const curve = fitted
    ? isotonicCurve(
        train.map((r) => combineCx(r.r, r.s, r.e, weights)),
        train.map((r) => r.csat),
      )
    : null;
  const agreement = (score: (r: Rated) => number) =>
    test.length >= 20
      ? spearman(
          test.map(score),
          test.map((r) => r.csat),
        )
      : null;
  return {
    method: curve ? 'isotonic' : 'linear',
    weights,
    curve,
    calibrated: fitted !== null,
    rated,
    heldOut: test.length,
    spearman: agreement((r) => calibratedCx(r.r, r.s, r.e, weights, curve)),
    spearmanLinear: agreement((r) => combineCx(r.r, r.s, r.e, weights)),
    spearmanDefault: agreement((r) => combineCx(r.r, r.s, r.e, DEFAULT_CX_WEIGHTS)),
    spearmanResolution: agreement((r) => r.r),
  };
}

const num = (v: number) => String(Number(v.toFixed(12)));

/**
 * The SQL twin of calibratedCx over the conversations table's sub-signal columns: the weighted
 * index, the curve by linear interpolation, then rounded to 1/CX_SCORE_STEPS, so a sum of scores
 * is exact whatever order SQLite adds them in (a full build and an append agree to the bit).
 */
export function cxSqlExpression(calibration: Pick<CxCalibration, 'weights' | 'curve'>): string {
  const [wr, ws, we] = calibration.weights.map((w) => Number(w.toFixed(12))) as [number, number, number];
  const total = Number((wr + ws + we).toFixed(12));
  const index = `min(5.0, max(1.0, (${num(wr)} * cx_resolution + ${num(ws)} * cx_sentiment + ${num(we)} * cx_effort) / ${num(total)}))`;
  const curve = calibration.curve;
  let value = index;
  if (curve && curve.x.length > 0) {
    const { x, y } = curve;
    const parts = [`CASE WHEN ix <= ${num(x[0]!)} THEN ${num(y[0]!)}`];
    for (let k = 1; k < x.length; k++) {
      const slope = (y[k]! - y[k - 1]!) / (x[k]! - x[k - 1]!);
      parts.push(
        `WHEN ix <= ${num(x[k]!)} THEN ${num(y[k - 1]!)} + (ix - ${num(x[k - 1]!)}) * ${num(slope)}`,
      );
    }
    parts.push(`ELSE ${num(y.at(-1)!)} END`);
    value = parts.join(' ').replaceAll('ix', `(${index})`);
  }
  return `(round(${CX_SCORE_STEPS} * min(5.0, max(1.0, ${value}))) / ${CX_SCORE_STEPS}.0)`;
}
