/**
 * From monthly leaf aggregates to everything the server serves: account months, the potential
 * model, next actions, flags and CX distributions (the samples are written before: samples.ts).
 */
import type Database from 'better-sqlite3';
import type { AccountDetail, AccountSummary, MonthFigures } from '../../server/api-types.ts';
import { conversationStore, servingTableWriter, writeCxAgreement } from '../../server/db/build.ts';
import { fixesOnTopic, planActions, settlingFixes } from '../../server/domain/actions.ts';
import type { LeafMonthCounts } from '../../server/domain/backtest.ts';
import { rollUpClasses } from '../../server/domain/breakdown.ts';
import { periodFigures } from '../../server/domain/figures.ts';
import { computeFlags, goLivePhase, type MonthPoint } from '../../server/domain/flags.ts';
import { getOrCreate } from '../../server/domain/maps.ts';
import {
  accountWindow,
  addCounts,
  addMonths,
  awaitingLive,
  emptyCounts,
  isMonthToDate,
  isYoungMonth,
  liveWindow,
  monthRange,
  monthsCovered,
  type OutcomeCounts,
  rates,
  WINDOW_MONTHS,
} from '../../server/domain/metrics.ts';
import {
  accountPotential,
  type LeafWindow,
  learnAchievableByVertical,
} from '../../server/domain/potential.ts';
import { classOf, taxonomy } from '../../server/domain/taxonomy.ts';
import type { Account, Intervention } from '../../server/domain/types.ts';
import type { LeafMonth } from './aggregate.ts';
import { actionLifts, PATTERN_PERIODS } from './analysis.ts';
import type { SettledResults } from './settled.ts';

export const TREND_MONTHS = 12;

export interface ModelInput {
  db: Database.Database;
  accounts: Map<string, Account>;
  interventions: Intervention[];
  leafMonths: LeafMonth[];
  /** the same rows as the analyses read them (`toLeafMonthCounts(leafMonths)`) */
  leafMonthCounts: readonly LeafMonthCounts[];
  dataAsOfMs: number | null;
  cxExpr: string;
  /** each account × leaf's stored example ids, as written by `writeSamples` (actions cite them) */
  sampleIds: ReadonlyMap<string, readonly string[]>;
  /**
   * Accounts whose CX rows an append must write again (its touched ones, when it kept the
   * calibration and the window: the others' stand); null: every account.
   */
  cxTouchedAccounts: readonly string[] | null;
  /** an append's: every conversation row it wrote has a larger rowid */
  addedAfterRowid: number | null;
  /** an append's stored results of the analyses that judge whole months (settled.ts) */
  knownSettled: SettledResults | null;
}

/** An account's first month with conversations (`YYYY-MM`: text order is time order), and its first time when known. */
function firstOf(months: ReadonlyMap<string, unknown>, atMs: number | undefined) {
  let month: string | null = null;
  for (const m of months.keys()) if (month === null || m < month) month = m;
  return month === null ? null : { month, atMs };
}

export function buildServingTables(input: ModelInput) {
  const { db, accounts, leafMonths, dataAsOfMs, cxExpr } = input;
  const currentMonth = dataAsOfMs === null ? null : new Date(dataAsOfMs).toISOString().slice(0, 7);
  const monthToDate = dataAsOfMs !== null && isMonthToDate(dataAsOfMs);
  const youngMonth = dataAsOfMs !== null && isYoungMonth(dataAsOfMs);
  const windowFrom = currentMonth ? addMonths(currentMonth, -(WINDOW_MONTHS - 1)) : null;

  const write = servingTableWriter(db);
  const conversations = conversationStore(db);
  const unreadable = windowFrom ? conversations.unreadableSince(windowFrom) : new Map<string, number>();
  // each account's rate window: the model window from its first fully live month (liveWindow)
  const windowOfAccount = new Map<string, { from: string; to: string }>();
  // and those with no fully live month yet: no gap or actions, and no peer of anyone
  const waiting = new Set<string>();
  if (windowFrom && currentMonth)
    for (const a of accounts.values()) {
      const window = { from: windowFrom, to: currentMonth };
      windowOfAccount.set(a.id, liveWindow(window, a.aiLiveSince, dataAsOfMs));
      // (a prospect has no AI agent by definition: its gap is its whole potential, go-live or not)
      if (a.status === 'customer' && awaitingLive(window, a.aiLiveSince, dataAsOfMs)) waiting.add(a.id);
    }
  // Leaf months and account months.
  const accountMonths = new Map<string, Map<string, OutcomeCounts>>();
  const windowLeaves = new Map<string, Map<string, OutcomeCounts>>();
  for (const lm of leafMonths) {
    if (!lm.stored) write.leafMonth(lm.accountId, lm.month, lm.taxonomyId, lm.counts, lm.cxSignals);
    const months = getOrCreate(accountMonths, lm.accountId, () => new Map<string, OutcomeCounts>());
    addCounts(getOrCreate(months, lm.month, emptyCounts), lm.counts);
    const from = windowOfAccount.get(lm.accountId)?.from ?? windowFrom;
    if (from && lm.month >= from) {
      const leaves = getOrCreate(windowLeaves, lm.accountId, () => new Map<string, OutcomeCounts>());
      addCounts(getOrCreate(leaves, lm.taxonomyId, emptyCounts), lm.counts);
    }
  }
  for (const [accountId, months] of accountMonths)
    for (const [month, c] of months) write.accountMonth(accountId, month, c);
  // each account's first conversation over the longest Patterns period, read once for the model
  // window here and the periods' windows in the analyses: in its first month of that period
  const periodFrom = currentMonth ? addMonths(currentMonth, -(Math.max(...PATTERN_PERIODS) - 1)) : null;
  const firstMonths = new Map<string, string>();
  if (periodFrom)
    for (const [accountId, months] of accountMonths) {
      let first: string | null = null;
      for (const [month, c] of months)
        if (month >= periodFrom && c.conversations > 0 && (first === null || month < first)) first = month;
      if (first !== null) firstMonths.set(accountId, first);
    }
  const firstCreated = conversations.firstCreatedIn(firstMonths);

  // Potential model: peers are customer accounts only (a prospect is estimated, not a benchmark).
  const leafWindowRows = (accountId: string): LeafWindow[] =>
    [...(windowLeaves.get(accountId) ?? new Map<string, OutcomeCounts>()).entries()].map(
      ([taxonomyId, c]) => ({
        accountId,
        taxonomyId,
        automationClass: classOf(taxonomyId),
        conversations: c.conversations,
        involved: c.involved,
        resolved: c.resolved,
      }),
    );
  const peerRows = [...accounts.values()]
    .filter((a) => a.status === 'customer' && !waiting.has(a.id))
    .flatMap((a) => leafWindowRows(a.id).map((r) => ({ ...r, vertical: a.vertical })));
  const { all: table, byVertical } = learnAchievableByVertical(peerRows);
  const windowMonthsCount =
    windowFrom && currentMonth ? monthRange(windowFrom, currentMonth).length : WINDOW_MONTHS;
  // volumes per month divide by the months of data the window holds (the current month in part)
  const windowMonthsCovered = monthsCovered(windowMonthsCount, dataAsOfMs);

  for (const leaf of taxonomy.leaves) {
    const p = table.point.get(leaf.id) ?? table.byClass[leaf.automationClass].point;
    const lo = table.low.get(leaf.id) ?? table.byClass[leaf.automationClass].low;
    const hi = table.high.get(leaf.id) ?? table.byClass[leaf.automationClass].high;
    write.benchmark(
      leaf.id,
      leaf.automationClass,
      p.peers,
      lo.involvement,
      p.involvement,
      hi.involvement,
      lo.resolution,
      p.resolution,
      hi.resolution,
    );
  }

  // the fixes each account logged, for the actions' gains: one still settling is not promised again
  const fixesByAccount = new Map<string, Intervention[]>();
  for (const i of input.interventions) getOrCreate(fixesByAccount, i.accountId, () => []).push(i);
  const dataAsOf = dataAsOfMs === null ? null : new Date(dataAsOfMs).toISOString();

  // Next actions' expected gains use the lift measured for their kind of fix (where enough accounts).
  const liftsByKind = actionLifts(
    accounts,
    input.interventions,
    input.leafMonthCounts,
    currentMonth,
    input.knownSettled,
  );

  // CX distribution and sub-signal means over the window.
  const cxRows = windowFrom ? conversations.cxGroups(windowFrom) : [];
  if (windowFrom) writeCxAgreement(db, cxExpr, windowFrom, input.cxTouchedAccounts, input.addedAfterRowid);
  const cxByAccount = new Map<string, { dist: number[]; n: number; r: number; s: number; e: number }>();
  for (const row of cxRows) {
    const a = getOrCreate(cxByAccount, row.accountId, () => ({
      dist: [0, 0, 0, 0, 0],
      n: 0,
      r: 0,
      s: 0,
      e: 0,
    }));
    a.dist[row.score - 1]! += row.n;
    a.n += row.n;
    a.r += row.r;
    a.s += row.s;
    a.e += row.e;
  }

  // Per account: summary, leaves, actions, flags.
  const windowInfo =
    windowFrom && currentMonth
      ? { from: windowFrom, to: currentMonth, months: windowMonthsCount, monthsCovered: windowMonthsCovered }
      : null;
  const trendMonths = currentMonth
    ? monthRange(addMonths(currentMonth, -(TREND_MONTHS - 1)), currentMonth)
    : [];
  const completeMonths = currentMonth
    ? monthRange(addMonths(currentMonth, -11), monthToDate ? addMonths(currentMonth, -1) : currentMonth)
    : [];

  // each account's potential now: the live forecast (scripts/pipeline/analysis.ts) starts from it
  const potentials = new Map<string, number | null>();
  for (const account of accounts.values()) {
    const months = accountMonths.get(account.id) ?? new Map<string, OutcomeCounts>();
    const current = (currentMonth && months.get(currentMonth)) || emptyCounts();
    const rows = leafWindowRows(account.id);
    // an account whose conversations began inside the window: its own months of it
    const first = firstOf(months, firstCreated.get(account.id));
    const ownWindow = windowInfo
      ? accountWindow(windowOfAccount.get(account.id) ?? windowInfo, first, dataAsOfMs)
      : { from: '', to: '', months: 0, monthsCovered: windowMonthsCovered };
    // where it began inside the window, when: its first month is partial (no change read from it)
    const beganAt =
      windowFrom && first && first.month >= windowFrom && first.atMs !== undefined
        ? new Date(first.atMs).toISOString()
        : null;
    const potential = accountPotential(
      rows,
      byVertical.get(account.vertical) ?? table,
      ownWindow.monthsCovered,
    );
    const leafCounts = windowLeaves.get(account.id) ?? new Map<string, OutcomeCounts>();
    for (const leaf of potential.leaves) {
      const c = leafCounts.get(leaf.taxonomyId)!;
      write.leaf(
        account.id,
        leaf.taxonomyId,
        c.conversations,
        c.involved,
        c.resolved,
        c.ratings,
        c.positiveRatings,
        c.cxScored,
        c.cxSum,
        leaf.share,
        leaf.achievable.involvement,
        leaf.achievable.resolution,
        leaf.achievableAutomation,
        leaf.gapPoints,
        leaf.gapConversations,
        leaf.achievable.peers,
      );
    }
    write.classes(
      account.id,
      rollUpClasses(
        potential.leaves.map((leaf) => {
          const c = leafCounts.get(leaf.taxonomyId)!;
          return {
            automationClass: leaf.automationClass,
            conversations: c.conversations,
            involved: c.involved,
            resolved: c.resolved,
            achievableAutomation: leaf.achievableAutomation,
            gapPoints: leaf.gapPoints,
            gapConversations: leaf.gapConversations,
            cxSum: c.cxSum,
            cxScored: c.cxScored,
          };
        }),
      ),
    );
    const accountFixes = fixesByAccount.get(account.id) ?? [];
    const actions =
      potential.currentRate === null || waiting.has(account.id)
        ? []
        : planActions(
            potential.leaves,
            potential.currentRate,
            ownWindow.monthsCovered,
            liftsByKind,
            undefined,
            (taxonomyId, kind) =>
              settlingFixes(fixesOnTopic(taxonomyId, kind, accountFixes, dataAsOf), dataAsOf).map(
                (f) => f.kind,
              ),
          );
    for (const a of actions) {
      write.action(
        account.id,
        a.rank,
        a.taxonomyId,
        a.kind,
        a.gainPoints,
        a.gainConversations,
        a.monthlyConversations,
        a.share,
        a.involvementRate,
        a.resolutionRate,
        a.achievableInvolvement,
        a.achievableResolution,
        a.cumulativeRate,
        JSON.stringify(input.sampleIds.get(`${account.id}\u0000${a.taxonomyId}`) ?? []),
        a.gainSource,
        a.gainLow,
        a.gainHigh,
        a.liftAccounts,
        a.headroomPoints,
      );
    }
    const cx = cxByAccount.get(account.id);
    write.cx(
      account.id,
      cx && cx.n > 0 ? cx.r / cx.n : null,
      cx && cx.n > 0 ? cx.s / cx.n : null,
      cx && cx.n > 0 ? cx.e / cx.n : null,
      JSON.stringify((cx?.dist ?? [0, 0, 0, 0, 0]).map((n, i) => ({ score: i + 1, conversations: n }))),
    );
    // low CX reads the same last complete months as the other flags, not the month in progress
    const lastQuarter = completeMonths
      .slice(-3)
      .reduce((acc, m) => addCounts(acc, months.get(m) ?? emptyCounts()), emptyCounts());
    const points: MonthPoint[] = completeMonths.map((month) => {
      const c = months.get(month) ?? emptyCounts();
      const r = rates(c);
      return {
        month,
        conversations: c.conversations,
        resolved: c.resolved,
        automationRate: r.automationRate,
        cxScore: r.cxScore,
        ...goLivePhase(month, account.aiLiveSince),
      };
    });
    const summary: AccountSummary = {
      id: account.id,
      name: account.name,
      vertical: account.vertical,
      plan: account.plan,
      csm: account.csm,
      region: account.region,
      arr: account.arr,
      status: account.status,
      aiLiveSince: account.aiLiveSince,
      month: currentMonth ?? '',
      ...periodFigures(current),
      windowAutomationRate: potential.currentRate,
      automationPotential: potential.potential,
      potentialLow: potential.potentialLow,
      potentialHigh: potential.potentialHigh,
      ...(waiting.has(account.id) && { awaitingLive: true as const }),
      gapPoints: waiting.has(account.id) ? null : potential.gapPoints,
      gapConversations: waiting.has(account.id) ? null : potential.gapConversations,
      flags: computeFlags(
        points,
        waiting.has(account.id) ? null : potential.gapPoints,
        rates(lastQuarter).cxScore,
      ),
      // the sparkline does not end on a month's first hours (a crash to 0% on one conversation)
      trend: trendMonths.map((m) => {
        const c = months.get(m);
        return c && !(m === currentMonth && youngMonth) ? rates(c).automationRate : null;
      }),
    };
    // Every month from the account's first to the current one, a month without conversations
    // included: an account that went quiet in August showed a trend ending in an "August (month to
    // date)", and a client reading the last entry as the current month read August's figures.
    const held = [...months.keys()].sort((a, b) => a.localeCompare(b, 'en'));
    const monthList: MonthFigures[] =
      held.length === 0
        ? []
        : monthRange(held[0]!, currentMonth ?? held[held.length - 1]!).map((month) => ({
            month,
            ...periodFigures(months.get(month) ?? emptyCounts()),
          }));
    const previousMonth = currentMonth ? addMonths(currentMonth, -1) : null;
    const detail: AccountDetail = {
      ...summary,
      dataAsOf: dataAsOfMs === null ? null : new Date(dataAsOfMs).toISOString(),
      monthToDate,
      previous: monthList.find((m) => m.month === previousMonth) ?? null,
      window: windowInfo ? ownWindow : { from: '', to: '', months: 0 },
      ...(beganAt !== null && { dataFrom: beganAt }),
      months: monthList,
      unreadable: unreadable.get(account.id) ?? 0,
    };
    potentials.set(account.id, potential.potential);
    write.account(
      account.id,
      account.name,
      account.vertical,
      account.plan,
      account.arr,
      account.csm,
      account.region,
      account.aiLiveSince,
      account.status,
      JSON.stringify(summary),
      JSON.stringify(detail),
    );
  }

  for (const i of input.interventions) write.intervention(i.accountId, i.date, i.kind, i.taxonomyId, i.note);
  for (const l of taxonomy.leaves)
    write.taxonomyLeaf(l.id, l.group, l.label, l.automationClass, l.description);

  return {
    currentMonth,
    monthToDate,
    potentials,
    firstCreated,
    actionLifts: liftsByKind,
    window:
      windowFrom && currentMonth
        ? {
            from: windowFrom,
            to: currentMonth,
            months: windowMonthsCount,
            monthsCovered: windowMonthsCovered,
          }
        : null,
  };
}
