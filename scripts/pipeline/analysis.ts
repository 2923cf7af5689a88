/**
 * Cross-account analyses served precomputed: leaf patterns and intervention lifts per vertical
 * and period (view 3), and the potential model's backtest (view 5).
 */

import type Database from 'better-sqlite3';
import { analysisWriter } from '../../server/db/build.ts';
import { storedJson } from '../../server/db/stored-json.ts';
import type { ActionLift } from '../../server/domain/actions.ts';
import {
  type BacktestPotential,
  type BacktestSettings,
  checkFixedLeaves,
  DEFAULT_BACKTEST,
  groupByMonth,
  type LeafMonthCounts,
  potentialsWithDataUpTo,
  runBacktest,
  summarizeErrors,
} from '../../server/domain/backtest.ts';
import { forecastAnalysis } from '../../server/domain/forecast.ts';
import { DEFAULT_MATCHED_LIFT, LiftEstimator, matchedLifts } from '../../server/domain/lifts.ts';
import { getOrCreate } from '../../server/domain/maps.ts';
import {
  accountWindow,
  addMonths,
  awaitingLive,
  liveWindow,
  monthRange,
  monthsCovered,
  WINDOW_MONTHS,
} from '../../server/domain/metrics.ts';
import { leafPatterns, periodAccounts } from '../../server/domain/patterns.ts';
import { classOf } from '../../server/domain/taxonomy.ts';
import type { Account, Intervention, InterventionKind } from '../../server/domain/types.ts';
import type { LeafMonth } from './aggregate.ts';
import { judgedMonths, type SettledResults, type StoredSettled } from './settled.ts';

/** An account's potential at a month as the backtest and the forecast read it. */
type MonthPotential = BacktestPotential & { leaves: { taxonomyId: string; gapPoints: number }[] };

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
  /** an append's stored results over the same whole months */
  known: SettledResults | null = null,
): Map<InterventionKind, ActionLift> {
  if (!currentMonth) return new Map();
  if (known) return new Map(known.actionLifts);
  const customers = [...accounts.values()].filter((a) => a.status === 'customer');
  const ids = new Set(customers.map((a) => a.id));
  const { lastComplete } = judgedMonths(currentMonth, null);
  const lifts = matchedLifts(
    rows.filter((r) => r.month <= lastComplete),
    customers.map((a) => ({ id: a.id, vertical: a.vertical, aiLiveSince: a.aiLiveSince })),
    interventions.filter((i) => ids.has(i.accountId)),
    lastComplete,
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
  /** the lifts the next actions use (`actionLifts`), kept with the key for the next append */
  actionLifts: ReadonlyMap<InterventionKind, ActionLift>;
  /** each account's first conversation over the longest period (ms), as the model read it */
  firstCreated: ReadonlyMap<string, number>;
  /** settledKey() of this build's input */
  settledKey: string | null;
  /** an append's stored results over the same whole months, taken over instead of measured */
  known: SettledResults | null;
}) {
  const { db, accounts, interventions, rows, currentMonth, known } = opts;
  if (!currentMonth) return { backtest: null, fixCheck: null, forecast: null, settled: null };
  const customers = [...accounts.values()].filter((a) => a.status === 'customer');
  const customerIds = new Set(customers.map((a) => a.id));
  const verticals = ['all', ...new Set(customers.map((a) => a.vertical))].sort();
  const write = analysisWriter(db);
  // Lifts: controls are customers untreated on the leaf, so every customer intervention counts
  // against them; after-windows end with the last complete month (the current one is partial).
  const liftAccounts = customers.map((a) => ({ id: a.id, vertical: a.vertical, aiLiveSince: a.aiLiveSince }));
  const customerInterventions = interventions.filter((i) => customerIds.has(i.accountId));
  const { lastComplete, lastReached } = judgedMonths(currentMonth, opts.dataAsOfMs);
  // What judges whole months reads only them: lifts the months up to the last complete one, the
  // backtest, fix check and forecast track those up to the last month reached (settled.ts).
  const complete = rows.filter((r) => r.month <= lastComplete);
  const settled = rows.filter((r) => r.month <= lastReached);
  // one index of the complete months for every vertical's and period's lifts (built per call, it
  // cost 6 s at 10,000 accounts); only when some lift is measured again
  let liftIndex: LiftEstimator | undefined;
  const sharedLiftIndex = () => {
    if (!liftIndex)
      liftIndex = new LiftEstimator(complete, liftAccounts, customerInterventions, lastComplete);
    return liftIndex;
  };
  // each account's first month with conversations: one that began inside a period has fewer months
  // of it, as its Account page's window (metrics.ts accountWindow)
  const firstMonths = new Map<string, string>();
  for (const r of rows) {
    const first = firstMonths.get(r.accountId);
    if (first === undefined || r.month < first) firstMonths.set(r.accountId, r.month);
  }
  const dataFrom = [...firstMonths.values()].reduce<string | null>(
    (a, b) => (a === null || b < a ? b : a),
    null,
  );
  // and its first conversation (one that began mid-month has that part of it)
  const { firstCreated } = opts;
  // Patterns read the accounts with a gap (an account whose AI agent has no fully live month yet
  // has none, metrics.ts awaitingLive): their unrealized volume is the triage's, summed again
  const modelWindow = { from: addMonths(currentMonth, -(WINDOW_MONTHS - 1)), to: currentMonth };
  const patternAccounts = customers.filter((a) => !awaitingLive(modelWindow, a.aiLiveSince, opts.dataAsOfMs));
  for (const period of PATTERN_PERIODS) {
    // a period longer than the data is the months the data holds: 12 months over 4 months of data
    // divided every volume by 12 and asked 4× the volume of a topic to count it as present
    const periodFrom = addMonths(currentMonth, -(period - 1));
    const from = dataFrom !== null && dataFrom > periodFrom ? dataFrom : periodFrom;
    const months = monthRange(from, currentMonth);
    // every vertical's accounts are compared with the same peers: the peers' windows, levels and
    // potentials are worked out once per period
    const monthsOfData = monthsCovered(months.length, opts.dataAsOfMs);
    // rates and gaps from each account's first fully live month, as the account model reads them
    const liveOf = new Map(
      patternAccounts.map((a) => [
        a.id,
        liveWindow({ from, to: currentMonth }, a.aiLiveSince, opts.dataAsOfMs),
      ]),
    );
    const peers = periodAccounts(
      rows,
      patternAccounts,
      months,
      monthsOfData,
      undefined,
      (id) => {
        const month = firstMonths.get(id);
        const first = month === undefined ? null : { month, atMs: firstCreated.get(id) };
        const window = liveOf.get(id) ?? { from, to: currentMonth };
        return accountWindow(window, first, opts.dataAsOfMs).monthsCovered;
      },
      (id) => liveOf.get(id)?.from,
    );
    for (const vertical of verticals) {
      const members = patternAccounts.filter((a) => vertical === 'all' || a.vertical === vertical);
      const memberIds = new Set(members.map((a) => a.id));
      const leaves = leafPatterns(
        rows,
        members,
        patternAccounts,
        months,
        undefined,
        undefined,
        monthsOfData,
        peers,
      );
      const measureLifts = () => {
        // Lifts need months before and after the fix: interventions dated inside the period.
        const events = customerInterventions.filter(
          (i) => memberIds.has(i.accountId) && i.date.slice(0, 7) >= from,
        );
        return storedJson.lifts.encode(
          matchedLifts(
            complete,
            liftAccounts,
            customerInterventions,
            lastComplete,
            events,
            DEFAULT_MATCHED_LIFT,
            sharedLiftIndex(),
          ),
        );
      };
      const lifts = known?.patternLifts.get(`${vertical}\u0000${period}`) ?? measureLifts();
      write.pattern(vertical, period, from, currentMonth, storedJson.leafPatterns.encode(leaves), lifts);
    }
  }
  // let go of the lifts' index of every leaf-month before the backtest and forecast fill the heap
  // (~150 MB at 10,000 accounts, held to the end of the run by the closure above)
  liftIndex = undefined;

  const interventionMonths = new Map<string, string[]>();
  for (const i of interventions)
    getOrCreate(interventionMonths, i.accountId, () => []).push(i.date.slice(0, 7));
  // each account's potential with data up to a month, computed once for the backtest and the
  // forecast (which reads each topic's gap to its achievable level)
  const customerRows = settled.filter((r) => customerIds.has(r.accountId));
  // kept as the backtest and the forecast read them, not whole (every topic's rates and levels:
  // ~25 MB a month at 10,000 accounts, for months the two ask again)
  const byMonthPotentials = new Map<string, ReadonlyMap<string, MonthPotential>>();
  const computePotentials = potentialsWithDataUpTo(
    groupByMonth(customerRows),
    new Map(
      customers.map((a) => [
        a.id,
        { id: a.id, vertical: a.vertical, interventionMonths: [], aiLiveSince: a.aiLiveSince },
      ]),
    ),
    SHIPPED_BACKTEST,
  );
  const leafPotentialsAt = (month: string) => {
    let p = byMonthPotentials.get(month);
    if (!p) {
      const slim = new Map<string, MonthPotential>();
      for (const [accountId, a] of computePotentials(month))
        slim.set(accountId, {
          conversations: a.conversations,
          currentRate: a.currentRate,
          potential: a.potential,
          potentialLow: a.potentialLow,
          potentialHigh: a.potentialHigh,
          leaves: a.leaves.map((l) => ({ taxonomyId: l.taxonomyId, gapPoints: l.gapPoints })),
        });
      p = slim;
      byMonthPotentials.set(month, p);
    }
    return p;
  };
  const points =
    known?.points ??
    runBacktest(
      customerRows,
      customers.map((a) => ({
        id: a.id,
        vertical: a.vertical,
        interventionMonths: interventionMonths.get(a.id) ?? [],
        aiLiveSince: a.aiLiveSince,
      })),
      lastReached,
      SHIPPED_BACKTEST,
      leafPotentialsAt,
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
      p.peak6,
      p.peak3of6,
      p.acted ? 1 : 0,
    );
  const fixes = interventions.flatMap((i) =>
    i.taxonomyId && customerIds.has(i.accountId)
      ? [{ accountId: i.accountId, taxonomyId: i.taxonomyId, month: i.date.slice(0, 7) }]
      : [],
  );
  const backtestAccounts = customers.map((a) => ({ id: a.id, vertical: a.vertical, interventionMonths: [] }));
  // the forecast's track record, like the backtest's, is judged on whole months only
  const forecast = forecastAnalysis(
    settled,
    customers,
    interventions,
    points,
    leafPotentialsAt,
    lastReached,
    { from: lastComplete, potentials: opts.potentials },
    undefined,
    known && { track: known.forecastTrack, fit: known.forecastFit },
  );
  for (const [accountId, f] of forecast.accounts)
    write.forecast(accountId, storedJson.accountForecast.encode(f));
  const stored: StoredSettled | null = opts.settledKey
    ? { key: opts.settledKey, actionLifts: [...opts.actionLifts.values()], forecastFit: forecast.fit }
    : null;
  return {
    backtest: known ? known.backtest : { h3: summarizeErrors(points, 3), h6: summarizeErrors(points, 6) },
    forecast: forecast.track,
    fixCheck:
      known?.fixCheck ??
      checkFixedLeaves(
        settled.filter((r) => customerIds.has(r.accountId)),
        backtestAccounts,
        fixes,
        lastReached,
        SHIPPED_BACKTEST,
      ),
    settled: stored,
  };
}
