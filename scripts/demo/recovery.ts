/**
 * How much of a demo world's hidden truth (truth.json) the pipeline recovered (issue 10): the
 * potential against the true ceiling, how often the predicted ceiling was passed, the flags'
 * precision and recall per planted state, and the CX score's agreement with CSAT against the
 * ceiling the world allows. Pure: takes the truth and the built figures (server/db/truth-eval.ts).
 */

import type { BuiltFigures } from '../../server/db/truth-eval.ts';
import { summarizeCeiling } from '../../server/domain/backtest.ts';
import { computeFlags, type FlagSettings, goLivePhase, type MonthPoint } from '../../server/domain/flags.ts';
import type { Flag } from '../../server/domain/types.ts';
import type { Truth } from './generate.ts';
import { STATE_RULES, type TruthStateName } from './world.ts';

export const TRUTH_STATES: readonly TruthStateName[] = ['plateau', 'climbing', 'declining', 'low_cx'];

/** The bars issue 10 sets. */
export const BARS = {
  ceilingMae: 0.03,
  exceedance: 0.1,
  precision: 0.9,
  recall: 0.8,
  cxShareOfCeiling: 0.9,
} as const;

export interface StateScore {
  state: TruthStateName;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number | null;
  recall: number | null;
  /** account ids behind the errors, for reading */
  missed: string[];
  wrong: string[];
  /** of the false positives, how many were planted the month before (a state that just ended) */
  wrongPlantedMonthBefore: number;
  /** of the false negatives, how many were planted from the flags' month only (a state that just began) */
  missedJustBegun: number;
  /**
   * The same counts on the accounts whose truth the data can tell (`stateMargin` ≥
   * DETECTABLE_Z): planted states that are not (too close to the truth's threshold for the
   * account's volume) are left out of the recall, flags on accounts that are not clearly free of
   * the state are left out of the false positives; how many of each is counted.
   */
  detectable: {
    truePositives: number;
    falsePositives: number;
    falseNegatives: number;
    precision: number | null;
    recall: number | null;
    /** planted, but within DETECTABLE_Z standard errors of the truth's threshold */
    plantedUndetectable: number;
    /** of those, how many were flagged anyway */
    plantedUndetectableFlagged: number;
    /** not planted, but within DETECTABLE_Z standard errors of it */
    unplantedAmbiguous: number;
    unplantedAmbiguousFlagged: number;
  };
}

export interface Recovery {
  /** the month the flags speak for: the last complete month */
  month: string | null;
  accounts: number;
  /** the accounts the flags were scored on (all when minMonthly is 0) */
  flagScope: { minMonthly: number; accounts: number };
  ceiling: {
    n: number;
    /** mean |potential − true ceiling|, fraction */
    mae: number | null;
    /** mean (potential − true ceiling) */
    bias: number | null;
    /** the largest misses */
    worst: { accountId: string; potential: number; ceiling: number }[];
    /**
     * The same MAE for two guesses that need no model: the account's current rate (no headroom),
     * and one number for everyone (the mean potential), so the figure above can be read.
     */
    baselines: { current: number | null; constant: number | null };
    /** the potentials the backtest predicted with data up to each month M, against the same ceilings */
    history: { n: number; mae: number | null; bias: number | null };
  };
  /**
   * How often the predicted ceiling was passed within 6 months, in any single month and over any
   * 3 months in a row; `trueCeiling` runs the same two tests on the world's true ceiling in place of
   * the prediction: what a perfect ceiling scores, the part of a reading that is sampling noise.
   */
  exceedance: {
    n: number;
    rate: number | null;
    sustained: { n: number; rate: number | null };
    trueCeiling: { single: number | null; sustained: number | null };
  };
  states: StateScore[];
  cx: { spearman: number | null; ceiling: number | null; share: number | null };
  /** the three seed scenarios as the pipeline saw them (null when the world has none) */
  scenarios: Scenarios | null;
}

export interface Scenarios {
  /** brightloom: resolution and involvement six months before the flags' month and at it */
  climb: { from: MonthRates; to: MonthRates; flags: string[] };
  /** corvane-pay: resolved per month over the last 3 complete months, its gap and flags */
  stuck: { resolved: number[]; gapPoints: number | null; trueGap: number; flags: string[] };
  /** mossgrove-home: the potential predicted the month before its first action, and what it reached */
  catchUp: {
    predictedAt: string | null;
    predicted: number | null;
    reached: number | null;
    ceiling: number;
  };
}

interface MonthRates {
  month: string;
  involvement: number | null;
  resolution: number | null;
}

/**
 * A planted state is told from the data when the truth's own statistic sits at least this many
 * standard errors (of the same statistic measured on the account's conversations) from the
 * truth's threshold: even a rule that knew the threshold and read the statistic off the data
 * would be right about it at most Φ(z) of the time, and Φ(1.28) = 0.9, the precision bar.
 */
export const DETECTABLE_Z = 1.28;

/** What the truth knew about an account over the 6 months ending at the month scored. */
export interface StateEvidence {
  /** latent automation rate per month, oldest first (null before go-live) */
  automation: readonly (number | null)[];
  /** mean satisfaction latent per month */
  satisfaction: readonly (number | null)[];
  /** conversations the data holds per month */
  conversations: readonly number[];
  /** true ceiling */
  ceiling: number;
  /** how far the pipeline's potential is from a true ceiling by its own error (RMSE), fraction */
  potentialError: number;
}

/** Per-conversation spread of what a CX reading of satisfaction is off by (1–5 scale). */
const SATISFACTION_READING_SD = 1;

/**
 * How many standard errors the truth's statistic for `state` sits on the right side of its
 * threshold (STATE_RULES): positive when the state holds, negative when it does not. Compound
 * rules take the weakest of their conditions (all must hold: the minimum; either may hold: the
 * maximum). The noise is sampling: √(p(1−p)/n) for a month's automation rate over n
 * conversations, SATISFACTION_READING_SD/√n for a mean satisfaction; the plateau's gap also
 * carries the potential's own error. Months without conversations carry no information (z = 0).
 */
export function stateMargin(state: TruthStateName, e: StateEvidence): number {
  const r = STATE_RULES;
  const n = e.conversations;
  const k = n.length - 1;
  const z = (diff: number, se: number) => (se > 0 && Number.isFinite(se) ? diff / se : 0);
  const lat = (j: number) => e.automation[j] ?? null;
  const sum = (from: number, to: number) => n.slice(from, to + 1).reduce((t, x) => t + x, 0);
  const avgLat = (from: number, to: number): number | null => {
    let s = 0;
    for (let j = from; j <= to; j++) {
      const x = lat(j);
      if (x === null) return null;
      s += x;
    }
    return s / (to - from + 1);
  };
  const varOf = (p: number) => Math.max(p * (1 - p), 0.01);
  const inv = (x: number) => (x > 0 ? 1 / x : Number.POSITIVE_INFINITY);
  const satOver = (from: number, to: number): number | null => {
    let s = 0;
    let w = 0;
    for (let j = from; j <= to; j++) {
      const x = e.satisfaction[j];
      if (x === null || x === undefined || n[j]! <= 0) continue;
      s += x * n[j]!;
      w += n[j]!;
    }
    return w > 0 ? s / w : null;
  };
  const early = avgLat(k - 5, k - 3);
  const late = avgLat(k - 2, k);
  const riseZ = (sign: 1 | -1, threshold: number): number => {
    if (early === null || late === null) return Number.NEGATIVE_INFINITY;
    const se = Math.sqrt(varOf((early + late) / 2) * (inv(sum(k - 5, k - 3)) + inv(sum(k - 2, k))));
    return z(sign * (late - early) - threshold, se);
  };
  const satDropZ = (): number => {
    const now = satOver(k - 2, k);
    const before = satOver(k - 5, k - 3);
    if (now === null || before === null) return Number.NEGATIVE_INFINITY;
    const se = SATISFACTION_READING_SD * Math.sqrt(inv(sum(k - 5, k - 3)) + inv(sum(k - 2, k)));
    return z(before - now - r.satisfactionDrop, se);
  };
  switch (state) {
    case 'climbing': {
      const a = lat(k);
      const b = lat(k - 2);
      if (a === null || b === null) return riseZ(1, r.climbRise);
      const se = Math.sqrt(varOf((a + b) / 2) * (inv(n[k]!) + inv(n[k - 2]!)));
      return Math.min(riseZ(1, r.climbRise), z(a - b - r.climbStillRising, se));
    }
    case 'declining':
      return Math.max(riseZ(-1, r.declineDrop), satDropZ());
    case 'plateau': {
      const last = [lat(k - 2), lat(k - 1), lat(k)];
      if (last.some((x) => x === null)) return Number.NEGATIVE_INFINITY;
      const xs = last as number[];
      const p = xs.reduce((t, x) => t + x, 0) / 3;
      const spread = Math.max(...xs) - Math.min(...xs);
      // the spread of three months is read off their two extremes: a difference of two months
      const seSpread = Math.sqrt(2 * varOf(p) * inv(Math.min(n[k]!, n[k - 1]!, n[k - 2]!)));
      const seGap = Math.sqrt(varOf(p) * inv(sum(k - 2, k)) + e.potentialError ** 2);
      return Math.min(z(r.plateauMove - spread, seSpread), z(e.ceiling - xs[2]! - r.plateauGap, seGap));
    }
    case 'low_cx': {
      const sat = satOver(k - 2, k);
      if (sat === null) return Number.NEGATIVE_INFINITY;
      return z(r.lowSatisfaction - sat, SATISFACTION_READING_SD * Math.sqrt(inv(sum(k - 2, k))));
    }
  }
}

const SCENARIO_IDS = { climb: 'brightloom', stuck: 'corvane-pay', catchUp: 'mossgrove-home' } as const;

function scenarios(truth: Truth, built: BuiltFigures, month: string | null): Scenarios | null {
  const ids = Object.values(SCENARIO_IDS);
  if (month === null || ids.some((id) => !truth.accounts[id] || !built.accounts.some((a) => a.id === id)))
    return null;
  const row = (id: string, m: string) => built.months.find((r) => r.accountId === id && r.month === m);
  const ratesAt = (id: string, m: string): MonthRates => {
    const r = row(id, m);
    return {
      month: m,
      involvement: r && r.conversations > 0 ? r.involved / r.conversations : null,
      resolution: r && r.involved > 0 ? r.resolved / r.involved : null,
    };
  };
  const flags = (id: string) => built.accounts.find((a) => a.id === id)!.flags.map((f) => f.kind);
  const stuck = built.accounts.find((a) => a.id === SCENARIO_IDS.stuck)!;
  const stuckTruth = truth.accounts[SCENARIO_IDS.stuck]!;
  const latestLatent = stuckTruth.latent.automation[truth.months.indexOf(month)] ?? null;
  const firstAction = truth.interventions
    .filter((i) => i.accountId === SCENARIO_IDS.catchUp)
    .map((i) => i.date.slice(0, 7))
    .sort()[0];
  const predictedAt = firstAction ? addMonths(firstAction, -1) : null;
  const point = built.backtest.find((b) => b.accountId === SCENARIO_IDS.catchUp && b.month === predictedAt);
  const reachedRow = row(SCENARIO_IDS.catchUp, month);
  return {
    climb: {
      from: ratesAt(SCENARIO_IDS.climb, addMonths(month, -5)),
      to: ratesAt(SCENARIO_IDS.climb, month),
      flags: flags(SCENARIO_IDS.climb),
    },
    stuck: {
      resolved: [2, 1, 0].map((k) => row(SCENARIO_IDS.stuck, addMonths(month, -k))?.resolved ?? 0),
      gapPoints: stuck.gapPoints,
      trueGap: latestLatent === null ? Number.NaN : stuckTruth.ceiling - latestLatent,
      flags: flags(SCENARIO_IDS.stuck),
    },
    catchUp: {
      predictedAt: point ? predictedAt : null,
      predicted: point?.predicted ?? null,
      reached:
        reachedRow && reachedRow.conversations > 0 ? reachedRow.resolved / reachedRow.conversations : null,
      ceiling: truth.accounts[SCENARIO_IDS.catchUp]!.ceiling,
    },
  };
}

function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 2, 1));
  return d.toISOString().slice(0, 7);
}

const mean = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((s, x) => s + x, 0) / xs.length);

function addMonths(month: string, k: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 + k, 1)).toISOString().slice(0, 7);
}

/**
 * The flags the given settings would raise on the built monthly figures (the same inputs the
 * pipeline gives computeFlags: 12 complete months, the gap, the last 3 complete months' CX), so a change to
 * the rules can be set against the shipped ones without rebuilding.
 */
export function recomputeFlags(
  built: BuiltFigures,
  settings?: FlagSettings,
  compute: typeof computeFlags = computeFlags,
): Map<string, Flag[]> {
  const out = new Map<string, Flag[]>();
  if (built.currentMonth === null) return out;
  const last = built.monthToDate ? addMonths(built.currentMonth, -1) : built.currentMonth;
  const complete = Array.from({ length: 12 }, (_, i) => addMonths(last, i - 11));
  const windowMonths = new Set(complete.slice(-3));
  const byAccount = new Map<string, Map<string, BuiltFigures['months'][number]>>();
  for (const r of built.months) {
    const m = byAccount.get(r.accountId) ?? new Map();
    byAccount.set(r.accountId, m);
    m.set(r.month, r);
  }
  for (const a of built.accounts) {
    const rows = byAccount.get(a.id) ?? new Map();
    const points: MonthPoint[] = complete.map((month) => {
      const r = rows.get(month);
      return {
        month,
        conversations: r?.conversations ?? 0,
        resolved: r?.resolved ?? 0,
        automationRate: r && r.conversations > 0 ? r.resolved / r.conversations : null,
        cxScore: r && r.cxScored > 0 ? r.cxSum / r.cxScored : null,
        ...goLivePhase(month, a.aiLiveSince),
      };
    });
    let cxSum = 0;
    let cxN = 0;
    for (const [month, r] of rows)
      if (windowMonths.has(month)) {
        cxSum += r.cxSum;
        cxN += r.cxScored;
      }
    out.set(a.id, compute(points, a.gapPoints, cxN > 0 ? cxSum / cxN : null, settings));
  }
  return out;
}

export function evaluateRecovery(
  truth: Truth,
  built: BuiltFigures,
  flagsOf: (accountId: string) => readonly Flag[] | undefined = () => undefined,
  /** score the flags only on accounts with at least this many conversations in each of the 6 complete months up to the flags' month */
  minMonthly = 0,
): Recovery {
  const month =
    built.currentMonth === null
      ? null
      : built.monthToDate
        ? previousMonth(built.currentMonth)
        : built.currentMonth;
  const pairs = built.accounts
    .filter((a) => a.automationPotential !== null && truth.accounts[a.id] !== undefined)
    .map((a) => ({
      accountId: a.id,
      potential: a.automationPotential!,
      ceiling: truth.accounts[a.id]!.ceiling,
    }));
  const errors = pairs.map((p) => p.potential - p.ceiling);
  const currentPairs = built.accounts
    .filter((a) => a.windowAutomationRate !== null && truth.accounts[a.id] !== undefined)
    .map((a) => Math.abs(a.windowAutomationRate! - truth.accounts[a.id]!.ceiling));
  const meanPotential = mean(pairs.map((p) => p.potential));
  const history = built.backtest
    .filter((b) => truth.accounts[b.accountId] !== undefined)
    .map((b) => b.predicted - truth.accounts[b.accountId]!.ceiling);

  const inScope = new Set<string>();
  if (month !== null) {
    const six = new Set(Array.from({ length: 6 }, (_, i) => addMonths(month, -i)));
    const volumes = new Map<string, number[]>();
    for (const r of built.months)
      if (six.has(r.month)) volumes.set(r.accountId, [...(volumes.get(r.accountId) ?? []), r.conversations]);
    for (const a of built.accounts) {
      const v = volumes.get(a.id) ?? [];
      if (minMonthly <= 0 || (v.length === 6 && Math.min(...v) >= minMonthly)) inScope.add(a.id);
    }
  }
  const volumeAt = new Map(built.months.map((r) => [`${r.accountId}\u0000${r.month}`, r.conversations]));
  const potentialError = Math.sqrt(mean(errors.map((x) => x * x)) ?? 0);
  const evidenceOf = (accountId: string): StateEvidence | null => {
    const t = truth.accounts[accountId];
    const k = month === null ? -1 : truth.months.indexOf(month);
    if (!t || k < 0) return null;
    const keys = Array.from({ length: 6 }, (_, i) => addMonths(month!, i - 5));
    const at = (xs: readonly (number | null)[], key: string) => {
      const j = truth.months.indexOf(key);
      return j >= 0 ? (xs[j] ?? null) : null;
    };
    return {
      automation: keys.map((m) => at(t.latent.automation, m)),
      satisfaction: keys.map((m) => at(t.latent.satisfaction, m)),
      conversations: keys.map((m) => volumeAt.get(`${accountId}\u0000${m}`) ?? 0),
      ceiling: t.ceiling,
      potentialError,
    };
  };
  const ratio = (num: number, den: number) => (den > 0 ? num / den : null);
  const states: StateScore[] = TRUTH_STATES.map((state) => {
    const score: StateScore = {
      state,
      truePositives: 0,
      falsePositives: 0,
      falseNegatives: 0,
      precision: null,
      recall: null,
      missed: [],
      wrong: [],
      wrongPlantedMonthBefore: 0,
      missedJustBegun: 0,
      detectable: {
        truePositives: 0,
        falsePositives: 0,
        falseNegatives: 0,
        precision: null,
        recall: null,
        plantedUndetectable: 0,
        plantedUndetectableFlagged: 0,
        unplantedAmbiguous: 0,
        unplantedAmbiguousFlagged: 0,
      },
    };
    const d = score.detectable;
    for (const a of built.accounts) {
      const t = truth.accounts[a.id];
      if (!t || month === null || !inScope.has(a.id)) continue;
      const planted = t.states.some((s) => s.state === state && s.from <= month && month <= s.to);
      const flagged = (flagsOf(a.id) ?? a.flags).some((f) => f.kind === state);
      const evidence = evidenceOf(a.id);
      const clear = evidence !== null && Math.abs(stateMargin(state, evidence)) >= DETECTABLE_Z;
      const monthBefore = addMonths(month, -1);
      if (planted && flagged) score.truePositives++;
      else if (flagged) {
        score.falsePositives++;
        score.wrong.push(a.id);
        if (t.states.some((s) => s.state === state && s.from <= monthBefore && monthBefore <= s.to))
          score.wrongPlantedMonthBefore++;
      } else if (planted) {
        score.falseNegatives++;
        score.missed.push(a.id);
        if (t.states.some((s) => s.state === state && s.from === month)) score.missedJustBegun++;
      }
      if (!clear) {
        if (planted) {
          d.plantedUndetectable++;
          if (flagged) d.plantedUndetectableFlagged++;
        } else {
          d.unplantedAmbiguous++;
          if (flagged) d.unplantedAmbiguousFlagged++;
        }
      } else if (planted && flagged) d.truePositives++;
      else if (flagged) d.falsePositives++;
      else if (planted) d.falseNegatives++;
    }
    score.precision = ratio(score.truePositives, score.truePositives + score.falsePositives);
    score.recall = ratio(score.truePositives, score.truePositives + score.falseNegatives);
    d.precision = ratio(d.truePositives, d.truePositives + d.falsePositives);
    d.recall = ratio(d.truePositives, d.truePositives + d.falseNegatives);
    return score;
  });

  const ceilingSummary = summarizeCeiling(built.backtest);
  return {
    month,
    accounts: built.accounts.length,
    flagScope: { minMonthly, accounts: inScope.size },
    ceiling: {
      n: pairs.length,
      mae: mean(errors.map(Math.abs)),
      bias: mean(errors),
      worst: pairs
        .slice()
        .sort((a, b) => Math.abs(b.potential - b.ceiling) - Math.abs(a.potential - a.ceiling))
        .slice(0, 5),
      history: {
        n: history.length,
        mae: mean(history.map(Math.abs)),
        bias: mean(history),
      },
      baselines: {
        current: mean(currentPairs),
        constant: meanPotential === null ? null : mean(pairs.map((p) => Math.abs(meanPotential - p.ceiling))),
      },
    },
    exceedance: {
      n: ceilingSummary.n,
      rate: ceilingSummary.exceeded,
      sustained: { n: ceilingSummary.sustained.n, rate: ceilingSummary.sustained.exceeded },
      trueCeiling: trueCeilingPasses(truth, built),
    },
    states,
    scenarios: scenarios(truth, built, month),
    cx: {
      spearman: built.cxSpearman,
      ceiling: truth.csatCeiling,
      share:
        built.cxSpearman !== null && truth.csatCeiling !== null && truth.csatCeiling > 0
          ? built.cxSpearman / truth.csatCeiling
          : null,
    },
  };
}

/**
 * The exceedance tests run on the true ceiling instead of the prediction. The truth's ceiling is
 * taken over the last 3 months' topic mix and stands for every past M, as in the MAE of the
 * potentials predicted in the past.
 */
function trueCeilingPasses(
  truth: Truth,
  built: BuiltFigures,
): { single: number | null; sustained: number | null } {
  const observed = built.backtest.filter(
    (p) => (p.actual3 !== null || p.actual6 !== null) && truth.accounts[p.accountId] !== undefined,
  );
  const passed = (rate: number | null, accountId: string) =>
    (rate ?? -1) > truth.accounts[accountId]!.ceiling + 1e-9;
  return {
    single: mean(observed.map((p) => (passed(p.peak6, p.accountId) ? 1 : 0))),
    sustained: mean(
      observed.filter((p) => p.peak3of6 !== null).map((p) => (passed(p.peak3of6, p.accountId) ? 1 : 0)),
    ),
  };
}

const pts = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)} pts`);
const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const num = (x: number | null) => (x === null ? '—' : x.toFixed(2));
const mark = (ok: boolean | null) => (ok === null ? '  ' : ok ? 'ok' : 'NO');

/** A plain-text report, one line per figure, with the issue's bar beside it. */
export function formatRecovery(r: Recovery): string {
  const lines: string[] = [];
  const le = (x: number | null, bar: number) => (x === null ? null : x <= bar);
  const ge = (x: number | null, bar: number) => (x === null ? null : x >= bar);
  lines.push(
    `truth recovery: ${r.accounts} accounts; flags for ${r.month ?? '—'}${r.flagScope.minMonthly > 0 ? ` on the ${r.flagScope.accounts} accounts with ${r.flagScope.minMonthly}+ conversations in each of the last 6 complete months` : ''}`,
  );
  lines.push(
    `${mark(le(r.ceiling.mae, BARS.ceilingMae))} potential vs true ceiling: MAE ${pts(r.ceiling.mae)} (bar ≤ ${pts(BARS.ceilingMae)}), bias ${pts(r.ceiling.bias)}, n=${r.ceiling.n}`,
  );
  lines.push(
    `     predicted with data up to each past month M (backtest): MAE ${pts(r.ceiling.history.mae)}, bias ${pts(r.ceiling.history.bias)}, n=${r.ceiling.history.n}`,
  );
  lines.push(
    `     baselines: the current rate ${pts(r.ceiling.baselines.current)}, one number for all ${pts(r.ceiling.baselines.constant)}`,
  );
  for (const w of r.ceiling.worst)
    lines.push(`     ${w.accountId}: potential ${pct(w.potential)}, true ceiling ${pct(w.ceiling)}`);
  lines.push(
    `${mark(le(r.exceedance.sustained.rate, BARS.exceedance))} predicted ceiling passed within 6 months, over 3 months in a row: ${pct(r.exceedance.sustained.rate)} of ${r.exceedance.sustained.n} account-months (bar ≤ ${pct(BARS.exceedance)})`,
  );
  lines.push(
    `${mark(le(r.exceedance.rate, BARS.exceedance))} predicted ceiling passed within 6 months, in any single month: ${pct(r.exceedance.rate)} of ${r.exceedance.n} account-months`,
  );
  lines.push(
    `     the true ceiling in its place: passed over 3 months in a row ${pct(r.exceedance.trueCeiling.sustained)}, in a single month ${pct(r.exceedance.trueCeiling.single)} (sampling noise alone)`,
  );
  for (const s of r.states) {
    const ok =
      s.precision === null && s.recall === null
        ? null
        : (s.precision ?? 1) >= BARS.precision && (s.recall ?? 1) >= BARS.recall;
    lines.push(
      `${mark(ok)} ${s.state.padEnd(9)} precision ${num(s.precision)} recall ${num(s.recall)} (TP ${s.truePositives}, FP ${s.falsePositives}, FN ${s.falseNegatives})${s.wrong.length ? `; flagged, not planted: ${s.wrong.join(', ')}` : ''}${s.missed.length ? `; planted, missed: ${s.missed.join(', ')}` : ''}`,
    );
    const d = s.detectable;
    const dOk =
      d.precision === null && d.recall === null
        ? null
        : (d.precision ?? 1) >= BARS.precision && (d.recall ?? 1) >= BARS.recall;
    lines.push(
      `     near the edges of planted windows: ${s.wrongPlantedMonthBefore} of the ${s.falsePositives} false flags were planted the month before; ${s.missedJustBegun} of the ${s.falseNegatives} misses began in the flags' month`,
    );
    lines.push(
      `${mark(dOk)}   where the data can tell (${DETECTABLE_Z} SE from the truth's threshold): precision ${num(d.precision)} recall ${num(d.recall)} (TP ${d.truePositives}, FP ${d.falsePositives}, FN ${d.falseNegatives}); left out: ${d.plantedUndetectable} planted too close to call (${d.plantedUndetectableFlagged} flagged), ${d.unplantedAmbiguous} unplanted too close to call (${d.unplantedAmbiguousFlagged} flagged)`,
    );
  }
  lines.push(
    `${mark(ge(r.cx.share, BARS.cxShareOfCeiling))} CX Spearman with CSAT (held-out accounts) ${num(r.cx.spearman)} vs ceiling ${num(r.cx.ceiling)}: ${pct(r.cx.share)} of it (bar ≥ ${pct(BARS.cxShareOfCeiling)}; ceiling should sit in 0.6–0.8)`,
  );
  const s = r.scenarios;
  if (s) {
    const rate = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
    lines.push('seed scenarios:');
    lines.push(
      `   ${SCENARIO_IDS.climb}: resolution ${rate(s.climb.from.resolution)} (${s.climb.from.month}) -> ${rate(s.climb.to.resolution)} (${s.climb.to.month}) at ${rate(s.climb.from.involvement)} -> ${rate(s.climb.to.involvement)} involvement; flags: ${s.climb.flags.join(', ') || 'none'}`,
    );
    lines.push(
      `   ${SCENARIO_IDS.stuck}: ${s.stuck.resolved.map((n) => n.toLocaleString('en-US')).join(', ')} resolved over the last 3 complete months; gap to potential ${pts(s.stuck.gapPoints)} (to the true ceiling ${pts(s.stuck.trueGap)}); flags: ${s.stuck.flags.join(', ') || 'none'}`,
    );
    lines.push(
      `   ${SCENARIO_IDS.catchUp}: potential predicted with data to ${s.catchUp.predictedAt ?? '—'} (before its first action) ${rate(s.catchUp.predicted)}, reached ${rate(s.catchUp.reached)} in ${r.month}, true ceiling ${rate(s.catchUp.ceiling)}`,
    );
  }
  return lines.join('\n');
}
