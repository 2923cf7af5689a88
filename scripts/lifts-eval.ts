/**
 * Lifts against a demo world's planted effects (issue 10 item 4), for `npm run eval:truth --
 * --lifts`: per kind of intervention, the matched-controls lift (server/domain/lifts.ts) with its
 * interval and n, the mean planted effect of the same fixes, the placebos, and beside them the
 * old difference in differences (server/domain/patterns.ts interventionLifts) as the baseline.
 * Recomputed from the built database's leaf months, accounts and interventions with the shipped
 * settings, which is what the pipeline stores.
 */
import Database from 'better-sqlite3';
import { modelHistory } from '../server/db/build.ts';
import {
  ACTION_LIFT_KIND,
  type ActionLift,
  expectedGain,
  MIN_LIFT_ACCOUNTS,
} from '../server/domain/actions.ts';
import { DEFAULT_BACKTEST, groupByMonth, potentialsWithDataUpTo } from '../server/domain/backtest.ts';
import {
  DEFAULT_MATCHED_LIFT,
  type KindLift,
  type LiftAccount,
  type LiftEstimate,
  type LiftIntervention,
  type MatchedLiftSettings,
  type MatchedLifts,
  matchedLifts,
} from '../server/domain/lifts.ts';
import { addMonths } from '../server/domain/metrics.ts';
import { interventionLifts } from '../server/domain/patterns.ts';
import type { LeafMonthCounts } from '../server/domain/potential.ts';
import { mean, pearson } from '../server/domain/stats.ts';
import { classOf } from '../server/domain/taxonomy.ts';
import type { ActionKind, InterventionKind } from '../server/domain/types.ts';
import type { Truth } from './demo/generate.ts';

export interface LiftInputs {
  rows: LeafMonthCounts[];
  accounts: LiftAccount[];
  interventions: LiftIntervention[];
  lastCompleteMonth: string | null;
}

const byBytes = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function readLiftInputs(path: string): LiftInputs {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const history = modelHistory(db);
    const current = (history.meta.currentMonth as string | null | undefined) ?? null;
    const accounts = [...history.customers].sort((a, b) => a.id.localeCompare(b.id, 'en'));
    const ids = new Set(accounts.map((a) => a.id));
    const rows = history.leafMonths
      .filter((r) => ids.has(r.accountId))
      // the order the pipeline reads them in (SQLite's binary collation)
      .sort(
        (a, b) =>
          byBytes(a.accountId, b.accountId) ||
          byBytes(a.month, b.month) ||
          byBytes(a.taxonomyId, b.taxonomyId),
      )
      .map((r) => ({ ...r, automationClass: classOf(r.taxonomyId) }));
    const interventions = history.interventions.filter((i) => ids.has(i.accountId));
    return {
      rows,
      accounts,
      interventions,
      lastCompleteMonth: current === null ? null : addMonths(current, -1),
    };
  } finally {
    db.close();
  }
}

export interface KindRecovery {
  kind: InterventionKind;
  /** planted interventions of this kind on a leaf */
  planted: number;
  estimate: Omit<KindLift, 'events' | 'kind'>;
  /** planted effect of the fixes counted in the estimate, averaged with the estimate's weights */
  plantedMean: number | null;
  baseline: { n: number; accounts: number; lift: number; plantedMean: number | null } | null;
}

/** Next actions' expected gain against the planted effects of the fixes accounts then made. */
export interface GainCheck {
  kind: InterventionKind;
  /** planted fixes on a leaf with a potential the month before */
  fixes: number;
  /** the peers' gap (the leaf's headroom predicted the month before) as the gain */
  peers: { mae: number; bias: number };
  /** the kind's lift measured without the fixing account, capped to [0, headroom] */
  lift: { mae: number; bias: number };
}

export interface LiftRecovery {
  settings: MatchedLiftSettings;
  minAccounts: number;
  kinds: KindRecovery[];
  /** over kinds with at least minAccounts treated accounts */
  matched: { kinds: number; correlation: number | null; mae: number | null };
  /** the same over every kind with at least 2 treated accounts (less precise, but more kinds) */
  matchedAll: { kinds: number; correlation: number | null; mae: number | null };
  baseline: { kinds: number; correlation: number | null; mae: number | null };
  placebo: { kinds: number; meanAbs: number | null; covering0: number };
  /** the same at fake dates before the real ones */
  placeboShifted: { kinds: number; meanAbs: number | null; covering0: number };
  /** per kind whose lift feeds the next actions (≥ MIN_LIFT_ACCOUNTS treated accounts) */
  gains: GainCheck[];
}

/**
 * For every planted fix on a leaf of a kind whose lift feeds the next actions: the gain an action
 * would have promised the month before it — the peers' gap (the leaf's achievable automation
 * predicted with data up to that month, minus its rate), or the kind's lift measured on the other
 * accounts (leave-account-out, so a fix does not predict itself) within [0, that gap] — against the
 * planted effect, in points of the leaf's automation rate.
 */
export function evaluateGains(truth: Truth, inputs: LiftInputs, measured: MatchedLifts): GainCheck[] {
  const accounts = new Map(
    inputs.accounts.map((a) => [
      a.id,
      { id: a.id, vertical: a.vertical, interventionMonths: [], aiLiveSince: a.aiLiveSince },
    ]),
  );
  const potentialsAt = potentialsWithDataUpTo(groupByMonth(inputs.rows), accounts, DEFAULT_BACKTEST);
  const cache = new Map<string, ReturnType<typeof potentialsAt>>();
  const out: GainCheck[] = [];
  for (const k of measured.kinds) {
    if (k.accounts < MIN_LIFT_ACCOUNTS) continue;
    const actionKind = (Object.keys(ACTION_LIFT_KIND) as ActionKind[]).find(
      (a) => ACTION_LIFT_KIND[a] === k.kind,
    );
    if (!actionKind) continue;
    const peers: number[] = [];
    const lift: number[] = [];
    for (const i of truth.interventions) {
      if (i.kind !== k.kind || !i.taxonomyId || !accounts.has(i.accountId)) continue;
      const before = addMonths(i.date.slice(0, 7), -1);
      let potentials = cache.get(before);
      if (!potentials) {
        potentials = potentialsAt(before);
        cache.set(before, potentials);
      }
      const leaf = potentials.get(i.accountId)?.leaves.find((l) => l.taxonomyId === i.taxonomyId);
      if (!leaf || leaf.automationRate === null) continue;
      const headroom = Math.max(0, leaf.achievableAutomation - leaf.automationRate);
      const others = k.events.filter((e) => e.included && e.accountId !== i.accountId);
      const w = others.reduce((s, e) => s + e.weight, 0);
      const loo: ActionLift = {
        kind: k.kind,
        accounts: new Set(others.map((e) => e.accountId)).size,
        lift: w > 0 ? others.reduce((s, e) => s + e.weight * e.lift, 0) / w : k.lift,
        low: k.low,
        high: k.high,
      };
      // the gain rule itself, on the leaf alone (share 1); too few other accounts: the peers' gap
      const gain = expectedGain({ share: 1, gapPoints: headroom }, actionKind, new Map([[k.kind, loo]]));
      peers.push(headroom - i.effect);
      lift.push(gain.points - i.effect);
    }
    if (peers.length === 0) continue;
    const summary = (d: number[]) => ({ mae: mean(d.map(Math.abs))!, bias: mean(d)! });
    out.push({ kind: k.kind, fixes: peers.length, peers: summary(peers), lift: summary(lift) });
  }
  return out;
}

const eventKey = (i: { accountId: string; date: string; kind: string; taxonomyId: string | null }) =>
  `${i.accountId}\u0000${i.date.slice(0, 10)}\u0000${i.kind}\u0000${i.taxonomyId}`;

function agreement(pairs: { est: number; truth: number }[]) {
  return {
    kinds: pairs.length,
    correlation: pearson(
      pairs.map((p) => p.est),
      pairs.map((p) => p.truth),
    ),
    mae: mean(pairs.map((p) => Math.abs(p.est - p.truth))),
  };
}

export function evaluateLifts(
  truth: Truth,
  inputs: LiftInputs,
  s: MatchedLiftSettings = DEFAULT_MATCHED_LIFT,
  minAccounts = 5,
): LiftRecovery {
  const effect = new Map(truth.interventions.map((i) => [eventKey(i), i.effect]));
  // a measured fix is the first of its kind on the leaf for the account; the planted effect of
  // that same intervention is what it should recover
  const plantedOf = (e: { accountId: string; date: string; kind: string; taxonomyId: string | null }) =>
    effect.get(eventKey(e)) ?? null;
  const measured = matchedLifts(
    inputs.rows,
    inputs.accounts,
    inputs.interventions,
    inputs.lastCompleteMonth,
    inputs.interventions,
    s,
  );
  const ids = new Set(inputs.accounts.map((a) => a.id));
  const old = interventionLifts(inputs.rows, inputs.interventions, ids);
  const firstDate = new Map<string, string>();
  for (const i of [...inputs.interventions].sort((a, b) => a.date.localeCompare(b.date, 'en'))) {
    const k = `${i.accountId}\u0000${i.kind}\u0000${i.taxonomyId}`;
    if (!firstDate.has(k)) firstDate.set(k, i.date);
  }
  const kinds: KindRecovery[] = [];
  for (const k of measured.kinds) {
    const { events, kind, ...estimate } = k;
    // the lift is a weighted mean of its fixes' lifts: the truth it estimates is the same
    // weighted mean of those fixes' planted effects
    const counted = events.filter((e) => e.included);
    const planted = counted.flatMap((e) => {
      const v = plantedOf(e);
      return v === null ? [] : [{ v, w: e.weight }];
    });
    const plantedWeight = planted.reduce((t, p) => t + p.w, 0);
    const oldGroups = old.filter((g) => g.kind === kind);
    const oldLifts = oldGroups.flatMap((g) => g.lifts.map((l) => ({ ...l, kind, taxonomyId: g.taxonomyId })));
    const oldPlanted = oldLifts
      .map((l) =>
        plantedOf({
          accountId: l.accountId,
          kind,
          taxonomyId: l.taxonomyId,
          date: firstDate.get(`${l.accountId}\u0000${kind}\u0000${l.taxonomyId}`) ?? '',
        }),
      )
      .filter((v) => v !== null);
    kinds.push({
      kind,
      planted: truth.interventions.filter((i) => i.kind === kind && i.taxonomyId).length,
      estimate,
      plantedMean: plantedWeight > 0 ? planted.reduce((t, p) => t + p.w * p.v, 0) / plantedWeight : null,
      baseline:
        oldLifts.length === 0
          ? null
          : {
              n: oldLifts.length,
              accounts: new Set(oldLifts.map((l) => l.accountId)).size,
              lift: mean(oldLifts.map((l) => l.automationLift))!,
              plantedMean: mean(oldPlanted),
            },
    });
  }
  const eligible = kinds.filter((k) => k.estimate.accounts >= minAccounts && k.plantedMean !== null);
  const baselineEligible = kinds.filter(
    (k) => k.baseline && k.baseline.accounts >= minAccounts && k.baseline.plantedMean !== null,
  );
  const placeboSummary = (which: 'placebo' | 'placeboShifted') => {
    const placebos = kinds.map((k) => k.estimate[which]).filter((p): p is LiftEstimate => p !== null);
    return {
      kinds: placebos.length,
      meanAbs: mean(placebos.map((p) => Math.abs(p.lift))),
      covering0: placebos.filter((p) => p.low <= 0 && p.high >= 0).length,
    };
  };
  return {
    settings: s,
    minAccounts,
    kinds,
    matched: agreement(eligible.map((k) => ({ est: k.estimate.lift, truth: k.plantedMean! }))),
    matchedAll: agreement(
      kinds
        .filter((k) => k.estimate.accounts >= 2 && k.plantedMean !== null)
        .map((k) => ({ est: k.estimate.lift, truth: k.plantedMean! })),
    ),
    baseline: agreement(
      baselineEligible.map((k) => ({ est: k.baseline!.lift, truth: k.baseline!.plantedMean! })),
    ),
    placebo: placeboSummary('placebo'),
    placeboShifted: placeboSummary('placeboShifted'),
    gains: evaluateGains(truth, inputs, measured),
  };
}

const pts = (v: number | null | undefined, digits = 1) =>
  v === null || v === undefined ? '—' : `${v >= 0 ? '+' : ''}${(v * 100).toFixed(digits)}`;
const interval = (e: LiftEstimate | null) =>
  e === null ? '—' : `${pts(e.lift)} [${pts(e.low)}, ${pts(e.high)}] n=${e.n}`;

export function formatLifts(r: LiftRecovery): string {
  const lines = [
    `lifts (matched controls; points of the leaf's automation rate; [${Math.round(r.settings.interval * 100)}% bootstrap over treated accounts])`,
  ];
  for (const k of r.kinds) {
    const e = k.estimate;
    const skipped = Object.entries(e.skipped)
      .map(([why, n]) => `${why} ${n}`)
      .join(', ');
    lines.push(
      `  ${k.kind.padEnd(16)} n ${String(e.n).padStart(3)} (${e.accounts} accounts) of ${k.planted} planted: ` +
        (e.n === 0
          ? 'lift — (no fix measured)'
          : `lift ${pts(e.lift)} [${pts(e.low)}, ${pts(e.high)}] P10–P90 [${pts(e.p10)}, ${pts(e.p90)}]`) +
        `  planted ${pts(k.plantedMean)}` +
        `  | old DiD ${k.baseline ? `${pts(k.baseline.lift)} (n ${k.baseline.n}, planted ${pts(k.baseline.plantedMean)})` : '—'}`,
    );
    lines.push(
      `  ${''.padEnd(16)} placebo, untreated accounts: ${interval(e.placebo)}; fake date −${r.settings.placeboShiftMonths} months: ${interval(e.placeboShifted)}` +
        (skipped ? `; not measured: ${skipped}` : ''),
    );
  }
  const agree = (a: LiftRecovery['matched']) =>
    `correlation ${a.correlation?.toFixed(3) ?? '—'}, MAE ${a.mae === null ? '—' : (a.mae * 100).toFixed(2)} pts over ${a.kinds} kinds`;
  lines.push(
    `  kinds with ≥ ${r.minAccounts} treated accounts: matched ${agree(r.matched)} (bar: ≥ 0.95, ≤ 2 pts)`,
    `  kinds with ≥ 2 treated accounts: matched ${agree(r.matchedAll)}`,
    `  baseline, old difference in differences: ${agree(r.baseline)}`,
    `  placebo (untreated accounts): mean |lift| ${pts(r.placebo.meanAbs, 2)} pts; interval includes 0 for ${r.placebo.covering0} of ${r.placebo.kinds} kinds`,
    `  placebo (fake dates): mean |lift| ${pts(r.placeboShifted.meanAbs, 2)} pts; interval includes 0 for ${r.placeboShifted.covering0} of ${r.placeboShifted.kinds} kinds`,
    `next actions' expected gain vs the planted effect of the fixes then made (points of the leaf; predicted the month before; lift without the fixing account):`,
  );
  for (const g of r.gains)
    lines.push(
      `  ${g.kind.padEnd(16)} ${g.fixes} fixes: peers' gap MAE ${(g.peers.mae * 100).toFixed(1)} (bias ${pts(g.peers.bias)}), lift MAE ${(g.lift.mae * 100).toFixed(1)} (bias ${pts(g.lift.bias)})`,
    );
  return lines.join('\n');
}
