/**
 * Cross-account analyses served precomputed: leaf patterns and intervention lifts per vertical
 * and period (view 3), and the potential model's backtest (view 5).
 */

import type Database from 'better-sqlite3';
import { analysisWriter } from '../../server/db/build.ts';
import { storedJson } from '../../server/db/stored-json.ts';
import type { ActionLift } from '../../server/domain/actions.ts';
import {
  type BacktestSettings,
  checkFixedLeaves,
  DEFAULT_BACKTEST,
  type LeafMonthCounts,
  runBacktest,
  summarizeErrors,
} from '../../server/domain/backtest.ts';
import { forecastAnalysis } from '../../server/domain/forecast.ts';
import { matchedLifts } from '../../server/domain/lifts.ts';
import { addMonths, isMonthToDate, monthRange, monthsCovered } from '../../server/domain/metrics.ts';
import { leafPatterns } from '../../server/domain/patterns.ts';
import { classOf } from '../../server/domain/taxonomy.ts';
import type { Account, Intervention, InterventionKind } from '../../server/domain/types.ts';
import type { LeafMonth } from './aggregate.ts';

export const PATTERN_PERIODS = [3, 6, 12] as const;

/** The backtest settings the pipeline ships (scripts/eval-model.ts compares alternatives). */
export const SHIPPED_BACKTEST: BacktestSettings = DEFAULT_BACKTEST;

export function toLeafMonthCounts(leafMonths: readonly LeafMonth[]): LeafMonthCounts[] {
  return leafMonths.map((lm) => ({
    accountId: lm.accountId,
    month: lm.month,
    taxonomyId: lm.taxonomyId,
    automationClass: classOf(lm.taxonomyId),
    conversations: lm.counts.conversations,
    involved: lm.counts.involved,
    resolved: lm.counts.resolved,
  }));
}

/**
 * The lift of each kind of fix as the next actions use it: the matched-controls estimator over
 * every customer intervention (all verticals, all months), after-windows ending with the last
 * complete month — the Patterns view's "all verticals" figures over the whole history.
 */
export function actionLifts(
  accounts: Map<string, Account>,
  interventions: readonly Intervention[],
  rows: readonly LeafMonthCounts[],
  currentMonth: string | null,
): Map<InterventionKind, ActionLift> {
  if (!currentMonth) return new Map();
  const customers = [...accounts.values()].filter((a) => a.status === 'customer');
  const ids = new Set(customers.map((a) => a.id));
  const lifts = matchedLifts(
    rows,
    customers.map((a) => ({ id: a.id, vertical: a.vertical, aiLiveSince: a.aiLiveSince })),
    interventions.filter((i) => ids.has(i.accountId)),
    addMonths(currentMonth, -1),
  );
  return new Map(
    lifts.kinds
      .filter((k) => k.n > 0)
      .map((k) => [k.kind, { kind: k.kind, accounts: k.accounts, lift: k.lift, low: k.low, high: k.high }]),
  );
}

export function buildAnalyses(opts: {
  db: Database.Database;
  accounts: Map<string, Account>;
  interventions: Intervention[];
  rows: LeafMonthCounts[];
  currentMonth: string | null;
  /** the latest conversation: the current month counts for the part of it that has passed */
  dataAsOfMs: number | null;
  /** each account's potential as the model predicts it now (the live forecast starts from it) */
  potentials: ReadonlyMap<string, number | null>;
}) {
  const { db, accounts, interventions, rows, currentMonth } = opts;
  if (!currentMonth) return { backtest: null, fixCheck: null, forecast: null };
  const customers = [...accounts.values()].filter((a) => a.status === 'customer');
  const customerIds = new Set(customers.map((a) => a.id));
  const verticals = ['all', ...new Set(customers.map((a) => a.vertical))].sort();
  const write = analysisWriter(db);
  // Lifts: controls are customers untreated on the leaf, so every customer intervention counts
  // against them; after-windows end with the last complete month (the current one is partial).
  const liftAccounts = customers.map((a) => ({ id: a.id, vertical: a.vertical, aiLiveSince: a.aiLiveSince }));
  const customerInterventions = interventions.filter((i) => customerIds.has(i.accountId));
  const lastComplete = addMonths(currentMonth, -1);
  // what a prediction "reached" is a whole month's rate: a month still in progress is not one yet
  const lastReached =
    opts.dataAsOfMs !== null && isMonthToDate(opts.dataAsOfMs) ? lastComplete : currentMonth;
  for (const period of PATTERN_PERIODS) {
    const from = addMonths(currentMonth, -(period - 1));
    const months = monthRange(from, currentMonth);
    for (const vertical of verticals) {
      const members = customers.filter((a) => vertical === 'all' || a.vertical === vertical);
      const memberIds = new Set(members.map((a) => a.id));
      const leaves = leafPatterns(
        rows,
        members,
        customers,
        months,
        undefined,
        undefined,
        monthsCovered(months.length, opts.dataAsOfMs),
      );
      // Lifts need months before and after the fix: interventions dated inside the period.
      const events = customerInterventions.filter(
        (i) => memberIds.has(i.accountId) && i.date.slice(0, 7) >= from,
      );
      const lifts = matchedLifts(rows, liftAccounts, customerInterventions, lastComplete, events);
      write.pattern(
        vertical,
        period,
        from,
        currentMonth,
        storedJson.leafPatterns.encode(leaves),
        storedJson.lifts.encode(lifts),
      );
    }
  }

  const interventionMonths = new Map<string, string[]>();
  for (const i of interventions)
    interventionMonths.set(i.accountId, [...(interventionMonths.get(i.accountId) ?? []), i.date.slice(0, 7)]);
  const points = runBacktest(
    rows.filter((r) => customerIds.has(r.accountId)),
    customers.map((a) => ({
      id: a.id,
      vertical: a.vertical,
      interventionMonths: interventionMonths.get(a.id) ?? [],
    })),
    lastReached,
    SHIPPED_BACKTEST,
  );
  for (const p of points)
    write.backtestPoint(
      p.accountId,
      p.month,
      p.vertical,
      p.predicted,
      p.predictedLow,
      p.predictedHigh,
      p.currentRate,
      p.actual3,
      p.actual6,
      p.acted ? 1 : 0,
    );
  const fixes = interventions.flatMap((i) =>
    i.taxonomyId && customerIds.has(i.accountId)
      ? [{ accountId: i.accountId, taxonomyId: i.taxonomyId, month: i.date.slice(0, 7) }]
      : [],
  );
  const backtestAccounts = customers.map((a) => ({ id: a.id, vertical: a.vertical, interventionMonths: [] }));
  // the forecast's track record, like the backtest's, is judged on whole months only
  const forecast = forecastAnalysis(rows, customers, interventions, points, lastReached, {
    from: lastComplete,
    potentials: opts.potentials,
  });
  for (const [accountId, f] of forecast.accounts)
    write.forecast(accountId, storedJson.accountForecast.encode(f));
  return {
    backtest: { h3: summarizeErrors(points, 3), h6: summarizeErrors(points, 6) },
    forecast: forecast.track,
    fixCheck: checkFixedLeaves(
      rows.filter((r) => customerIds.has(r.accountId)),
      backtestAccounts,
      fixes,
      lastReached,
      SHIPPED_BACKTEST,
    ),
  };
}
