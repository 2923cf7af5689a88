/**
 * Calibrates the CX score's weights against CSAT (SPEC §3): least squares of the rating on the
 * three sub-signals over the rated conversations of ~80% of accounts, Spearman agreement on the
 * rated conversations of the held-out ~20% of accounts.
 */
import type Database from 'better-sqlite3';
import { conversationStore } from '../../server/db/build.ts';
import { combineCx, DEFAULT_CX_WEIGHTS } from '../../server/domain/cx.ts';
import { hash32, leastSquares, spearman } from '../../server/domain/stats.ts';

export interface CxCalibration {
  weights: [number, number, number];
  calibrated: boolean;
  rated: number;
  heldOut: number;
  spearman: number | null;
  /** Spearman of the uncalibrated default weights on the same held-out set, for comparison */
  spearmanDefault: number | null;
}

const MIN_RATED = 200;
export const MIN_WEIGHT = 0.1;
const MAX_RATED = 60_000;

export function calibrateCx(db: Database.Database): CxCalibration {
  // At most ~MAX_RATED ratings are read (every k-th by row order): enough for three weights and
  // a Spearman, and memory does not grow with the input.
  const conversations = conversationStore(db);
  const rated = conversations.ratedCount();
  const every = Math.max(1, Math.ceil(rated / MAX_RATED));
  const rows = conversations.ratedSample(every);
  // Held out by account (SPEC §3): the agreement is measured on accounts the weights never saw.
  let test = rows.filter((r) => hash32(r.accountId) % 5 === 0);
  // a handful of accounts may all hash into one side: then by conversation, as before
  if (test.length < 20 || test.length === rows.length) test = rows.filter((r) => hash32(r.id) % 5 === 0);
  const held = new Set(test);
  const train = rows.filter((r) => !held.has(r));
  let weights: [number, number, number] = [...DEFAULT_CX_WEIGHTS];
  let calibrated = false;
  if (train.length >= MIN_RATED) {
    const fit = leastSquares(
      train.map((r) => [r.r, r.s, r.e]),
      train.map((r) => r.csat),
    );
    if (fit) {
      const slopes = fit.slice(1).map((w) => Math.max(0, w));
      const total = slopes.reduce((a, b) => a + b, 0);
      if (total > 0) {
        // Every sub-signal keeps a say: ratings mostly follow the outcome, yet a frustrated
        // customer whose issue was "resolved" is not a 5.
        const floored = slopes.map((w) => Math.max(MIN_WEIGHT, w / total));
        const sum = floored.reduce((a, b) => a + b, 0);
        weights = floored.map((w) => w / sum) as [number, number, number];
        calibrated = true;
      }
    }
  }
  const agreement = (w: readonly number[]) =>
    test.length >= 20
      ? spearman(
          test.map((r) => combineCx(r.r, r.s, r.e, w)),
          test.map((r) => r.csat),
        )
      : null;
  return {
    weights,
    calibrated,
    rated,
    heldOut: test.length,
    spearman: agreement(weights),
    spearmanDefault: agreement(DEFAULT_CX_WEIGHTS),
  };
}

/** The SQL twin of combineCx, for aggregating in the database with the calibrated weights. */
export function cxSqlExpression(weights: readonly number[]): string {
  const [wr, ws, we] = weights.map((w) => Number(w.toFixed(12)));
  const total = wr! + ws! + we!;
  return `min(5.0, max(1.0, (${wr} * cx_resolution + ${ws} * cx_sentiment + ${we} * cx_effort) / ${total}))`;
}
