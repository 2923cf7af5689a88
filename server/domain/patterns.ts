/**
 * Patterns across accounts (SPEC §5 view 3): how every leaf behaves across the portfolio, and
 * the lift each kind of fix produced where it was tried, against the same leaf in accounts that
 * did not make that fix over the same months (a difference in differences).
 */
import { getOrCreate } from './maps.ts';
import { addMonths, monthRange } from './metrics.ts';
import {
  accountPotential,
  DEFAULT_MODEL,
  type LeafMonthCounts,
  type LeafPotential,
  type LeafWindow,
  learnAchievableByVertical,
  type ModelSettings,
  sumLeafWindows,
} from './potential.ts';
import { percentile } from './stats.ts';
import type { AutomationClass, InterventionKind } from './types.ts';

export interface PatternAccount {
  id: string;
  name: string;
  vertical: string;
}

export interface Spread {
  min: number;
  p25: number;
  median: number;
  p75: number;
  max: number;
}

export interface LeafPattern {
  taxonomyId: string;
  automationClass: AutomationClass;
  /** accounts with at least `minConversations` on the leaf per 3 months of the period */
  accounts: number;
  accountShare: number;
  conversations: number;
  share: number;
  resolutionSpread: Spread | null;
  /** each account's resolution rate on the leaf (those with enough involved conversations) */
  points: { accountId: string; name: string; resolutionRate: number; conversations: number }[];
  unrealizedConversations: number;
  /**
   * The same split by what limits each account on the topic (conversations per month): its AI agent
   * takes part in too few of them (audience: widen the audience or channels), or resolves too few of
   * those it handles (resolution: content, a data connector or a procedure, by the topic's class)
   */
  unrealizedByLever: { audience: number; resolution: number };
  common: boolean;
  /** resolution similar across accounts (shown; no longer part of `generalizes`) */
  consistent: boolean;
  /** enough accounts already resolve it well: it can be automated where it is set up */
  proven: boolean;
  largeGap: boolean;
  /** common, proven and with a large gap: worth building into the product */
  generalizes: boolean;
}

export interface PatternSettings {
  /**
   * Conversations on a leaf per 3 months for an account to count as having it: scaled to the
   * period's months, so a longer period does not count an account that asks it twice a year, and
   * "common" (and with it "generalizes") means the same over 3, 6 or 12 months.
   */
  minConversations: number;
  /** AI-involved conversations per 3 months behind an account's resolution rate (scaled as above) */
  minInvolved: number;
  commonShare: number;
  /** and in at least this many accounts: one account of two is half of them, not a pattern */
  commonAccounts: number;
  /** inter-quartile range of resolution at most this → consistent */
  consistentIqr: number;
  /** at least `provenAccounts` accounts resolve at least this share of the AI-involved → proven */
  provenResolution: number;
  provenAccounts: number;
  /** share of all unrealized conversations at least this → large gap */
  largeGapShare: number;
}

export const DEFAULT_PATTERNS: PatternSettings = {
  minConversations: 20,
  minInvolved: 20,
  commonShare: 0.3,
  commonAccounts: 3,
  consistentIqr: 0.25,
  provenResolution: 0.6,
  provenAccounts: 3,
  largeGapShare: 0.04,
};

export function spreadOf(values: readonly number[]): Spread | null {
  if (values.length === 0) return null;
  return {
    min: Math.min(...values),
    p25: percentile(values, 0.25)!,
    median: percentile(values, 0.5)!,
    p75: percentile(values, 0.75)!,
    max: Math.max(...values),
  };
}

function windows(
  rows: readonly LeafMonthCounts[],
  months: Set<string>,
  accountIds: Set<string>,
): LeafWindow[] {
  return sumLeafWindows(rows, (r) => months.has(r.month) && accountIds.has(r.accountId));
}

export type PeerAchievable = ReturnType<typeof learnAchievableByVertical>;

/**
 * What every leafPatterns call over the same months and peers shares, computed once: the peers'
 * leaf windows (in the order `windows` gives them), the achievable levels they show, and each
 * peer's potential by leaf. The pipeline asks for the patterns of every vertical and of all of
 * them, for three periods: at 10,000 accounts, scanning the leaf months and working out every
 * account's potential once per call (7 calls a period) was 5 s of a day's append.
 */
export interface PeriodAccounts {
  /** every month of the period: volumes */
  windows: LeafWindow[];
  /** the months each account's rates are read from (all of them unless it went live inside the period) */
  liveWindows: LeafWindow[];
  achievable: PeerAchievable;
  leaves: Map<string, LeafPotential[]>;
}

export function periodAccounts(
  rows: readonly LeafMonthCounts[],
  peers: readonly Pick<PatternAccount, 'id' | 'vertical'>[],
  months: readonly string[],
  monthsOfData: number = months.length,
  model: ModelSettings = DEFAULT_MODEL,
  /** an account's own months of data in `months` (one that began inside them has fewer) */
  monthsOfAccount: (accountId: string) => number = () => monthsOfData,
  /**
   * the first of `months` an account's rates are read from (its first fully live month, metrics.ts
   * liveWindow): volumes count every month, rates and gaps the live ones, as the account model does
   */
  ratesFrom: (accountId: string) => string | undefined = () => undefined,
): PeriodAccounts {
  const verticalOf = new Map(peers.map((a) => [a.id, a.vertical]));
  const inPeriod = new Set(months);
  const peerWindows = windows(rows, inPeriod, new Set(verticalOf.keys()));
  const from = new Map<string, string>();
  for (const id of verticalOf.keys()) {
    const f = ratesFrom(id);
    if (f !== undefined && f > months[0]!) from.set(id, f);
  }
  // the same windows where no account went live inside the period (no second pass over the rows)
  const liveWindows =
    from.size === 0
      ? peerWindows
      : sumLeafWindows(
          rows,
          (r) =>
            inPeriod.has(r.month) && verticalOf.has(r.accountId) && r.month >= (from.get(r.accountId) ?? ''),
        );
  const achievable = learnAchievableByVertical(
    liveWindows.map((w) => ({ ...w, vertical: verticalOf.get(w.accountId)! })),
    model,
  );
  const byAccount = new Map<string, LeafWindow[]>();
  for (const w of liveWindows) getOrCreate(byAccount, w.accountId, () => []).push(w);
  const leaves = new Map<string, LeafPotential[]>();
  for (const [accountId, list] of byAccount) {
    const table = achievable.byVertical.get(verticalOf.get(accountId)!) ?? achievable.all;
    leaves.set(accountId, accountPotential(list, table, monthsOfAccount(accountId)).leaves);
  }
  return { windows: peerWindows, liveWindows, achievable, leaves };
}

/**
 * Leaf patterns over `months` for `accounts` (some or all of the `peers`). Achievable levels (and
 * so gaps) are learned from `peers` over the same months, by vertical as the account model learns
 * them (an account's gap here is the one its Account page and the triage show), so a vertical
 * filter still compares against all peers and the unrealized conversations sum to the triage's.
 */
export function leafPatterns(
  rows: readonly LeafMonthCounts[],
  accounts: readonly PatternAccount[],
  peers: readonly Pick<PatternAccount, 'id' | 'vertical'>[],
  months: readonly string[],
  s: PatternSettings = DEFAULT_PATTERNS,
  model: ModelSettings = DEFAULT_MODEL,
  /** months of data in `months` (the last may be in progress: metrics.ts `monthsCovered`) */
  monthsOfData: number = months.length,
  /** the same as computed here, when the caller asks for several `accounts` over one period */
  period: PeriodAccounts = periodAccounts(rows, peers, months, monthsOfData, model),
): LeafPattern[] {
  const ids = new Set(accounts.map((a) => a.id));
  const names = new Map(accounts.map((a) => [a.id, a.name]));
  // the peers' windows kept for these accounts: the same windows, in the same order
  const own = period.windows.filter((w) => ids.has(w.accountId));
  const byAccount = new Map<string, LeafWindow[]>();
  // pushed, not copied: a leaf's list holds one window per account (10,000 at scale)
  for (const w of own) getOrCreate(byAccount, w.accountId, () => []).push(w);
  const gapByLeaf = new Map<string, number>();
  const leverByLeaf = new Map<string, { audience: number; resolution: number }>();
  for (const accountId of byAccount.keys()) {
    // (none: every month of the account in the period came before its AI went live)
    for (const l of period.leaves.get(accountId) ?? []) {
      gapByLeaf.set(l.taxonomyId, (gapByLeaf.get(l.taxonomyId) ?? 0) + l.gapConversations);
      const lever = leverByLeaf.get(l.taxonomyId) ?? { audience: 0, resolution: 0 };
      if (l.limitedBy === 'involvement') lever.audience += l.gapConversations;
      else if (l.limitedBy === 'resolution') lever.resolution += l.gapConversations;
      leverByLeaf.set(l.taxonomyId, lever);
    }
  }
  // per 3 months of data (the month in progress counts for the part of it that has passed)
  const minPresent = (s.minConversations * monthsOfData) / 3;
  // an account's rate on the topic needs as steady a volume, so it is never behind a median without
  // counting in the Accounts column beside it
  const minRated = (s.minInvolved * monthsOfData) / 3;
  const totalConversations = own.reduce((sum, w) => sum + w.conversations, 0);
  const totalGap = [...gapByLeaf.values()].reduce((a, b) => a + b, 0);
  const byLeaf = new Map<string, LeafWindow[]>();
  for (const w of own) getOrCreate(byLeaf, w.taxonomyId, () => []).push(w);
  // an account's rate on a topic from its live months, as its Account page reads it (a go-live
  // ramp is not the topic's resolution); the same windows when nobody went live inside the period
  const liveByLeaf = new Map<string, LeafWindow[]>();
  if (period.liveWindows === period.windows) for (const [k, v] of byLeaf) liveByLeaf.set(k, v);
  else
    for (const w of period.liveWindows)
      if (ids.has(w.accountId)) getOrCreate(liveByLeaf, w.taxonomyId, () => []).push(w);
  const out: LeafPattern[] = [];
  for (const [taxonomyId, list] of byLeaf) {
    const present = list.filter((w) => w.conversations >= minPresent);
    const live = liveByLeaf.get(taxonomyId) ?? [];
    const volumeOf = live === list ? null : new Map(list.map((w) => [w.accountId, w.conversations] as const));
    const points = live
      .filter((w) => w.involved >= minRated)
      .map((w) => ({
        accountId: w.accountId,
        name: names.get(w.accountId) ?? w.accountId,
        resolutionRate: w.resolved / w.involved,
        // the period's volume, as the Accounts column counts it
        conversations: volumeOf?.get(w.accountId) ?? w.conversations,
      }))
      .sort((a, b) => a.resolutionRate - b.resolutionRate);
    const spread = spreadOf(points.map((p) => p.resolutionRate));
    const conversations = list.reduce((sum, w) => sum + w.conversations, 0);
    const unrealized = gapByLeaf.get(taxonomyId) ?? 0;
    const accountShare = ids.size > 0 ? present.length / ids.size : 0;
    const common = accountShare >= s.commonShare && present.length >= s.commonAccounts;
    const consistent = spread !== null && points.length >= 3 && spread.p75 - spread.p25 <= s.consistentIqr;
    // A wide spread is not a reason against building it in: accounts that set the topic up resolve
    // it and the others do not yet — exactly what a product default would close.
    const proven = points.filter((p) => p.resolutionRate >= s.provenResolution).length >= s.provenAccounts;
    const largeGap = totalGap > 0 && unrealized / totalGap >= s.largeGapShare;
    out.push({
      taxonomyId,
      automationClass: list[0]!.automationClass,
      accounts: present.length,
      accountShare,
      conversations,
      share: totalConversations > 0 ? conversations / totalConversations : 0,
      resolutionSpread: spread,
      points,
      unrealizedConversations: unrealized,
      unrealizedByLever: leverByLeaf.get(taxonomyId) ?? { audience: 0, resolution: 0 },
      common,
      consistent,
      proven,
      largeGap,
      generalizes: common && proven && largeGap,
    });
  }
  return out.sort((a, b) => b.unrealizedConversations - a.unrealizedConversations);
}

export interface InterventionEvent {
  accountId: string;
  date: string;
  kind: InterventionKind;
  taxonomyId: string | null;
}

export interface AccountLift {
  accountId: string;
  month: string;
  before: number;
  after: number;
  /** the same leaf in accounts without this kind of fix on it, same months */
  controlBefore: number | null;
  controlAfter: number | null;
  /** (after − before) − (controlAfter − controlBefore), in points */
  resolutionLift: number;
  automationLift: number;
}

export interface InterventionLift {
  kind: InterventionKind;
  taxonomyId: string;
  accounts: number;
  resolution: Spread;
  automation: Spread;
  /** share of accounts whose lift was positive */
  positiveShare: number;
  consistent: boolean;
  lifts: AccountLift[];
}

export interface LiftSettings {
  months: number;
  minInvolved: number;
}

export const DEFAULT_LIFT: LiftSettings = { months: 3, minInvolved: 20 };

interface Pool {
  conversations: number;
  involved: number;
  resolved: number;
}

function pool(rows: Iterable<LeafMonthCounts>): Pool {
  const p = { conversations: 0, involved: 0, resolved: 0 };
  for (const r of rows) {
    p.conversations += r.conversations;
    p.involved += r.involved;
    p.resolved += r.resolved;
  }
  return p;
}

/**
 * For each intervention on a leaf: the leaf's rates in the `months` before the intervention's
 * month against the `months` after it (the month itself is left out as a transition), minus the
 * same change in the pooled control accounts.
 */
export function interventionLifts(
  rows: readonly LeafMonthCounts[],
  events: readonly InterventionEvent[],
  accountIds: ReadonlySet<string>,
  s: LiftSettings = DEFAULT_LIFT,
): InterventionLift[] {
  const index = new Map<string, LeafMonthCounts[]>();
  for (const r of rows) {
    const key = `${r.taxonomyId}\u0000${r.month}`;
    const list = index.get(key) ?? [];
    list.push(r);
    index.set(key, list);
  }
  const treatedLeaves = new Map<string, Set<string>>();
  for (const e of events) {
    if (!e.taxonomyId) continue;
    const key = `${e.kind}\u0000${e.taxonomyId}`;
    treatedLeaves.set(key, (treatedLeaves.get(key) ?? new Set()).add(e.accountId));
  }
  const groups = new Map<string, AccountLift[]>();
  const seen = new Set<string>();
  for (const e of events) {
    if (!e.taxonomyId || !accountIds.has(e.accountId)) continue;
    const month = e.date.slice(0, 7);
    // One measurement per account, kind and leaf: its first intervention of that kind there.
    const once = `${e.accountId}\u0000${e.kind}\u0000${e.taxonomyId}`;
    if (seen.has(once)) continue;
    seen.add(once);
    const before = monthRange(addMonths(month, -s.months), addMonths(month, -1));
    const after = monthRange(addMonths(month, 1), addMonths(month, s.months));
    const treated = treatedLeaves.get(`${e.kind}\u0000${e.taxonomyId}`)!;
    const of = (months: string[], match: (r: LeafMonthCounts) => boolean) =>
      pool(months.flatMap((m) => (index.get(`${e.taxonomyId}\u0000${m}`) ?? []).filter(match)));
    const mine = (r: LeafMonthCounts) => r.accountId === e.accountId;
    const control = (r: LeafMonthCounts) => !treated.has(r.accountId) && accountIds.has(r.accountId);
    const b = of(before, mine);
    const a = of(after, mine);
    if (b.involved < s.minInvolved || a.involved < s.minInvolved) continue;
    const cb = of(before, control);
    const ca = of(after, control);
    const hasControl = cb.involved >= s.minInvolved && ca.involved >= s.minInvolved;
    const res = (p: Pool) => p.resolved / p.involved;
    const auto = (p: Pool) => p.resolved / p.conversations;
    const lift: AccountLift = {
      accountId: e.accountId,
      month,
      before: res(b),
      after: res(a),
      controlBefore: hasControl ? res(cb) : null,
      controlAfter: hasControl ? res(ca) : null,
      resolutionLift: res(a) - res(b) - (hasControl ? res(ca) - res(cb) : 0),
      automationLift: auto(a) - auto(b) - (hasControl ? auto(ca) - auto(cb) : 0),
    };
    const key = `${e.kind}\u0000${e.taxonomyId}`;
    getOrCreate(groups, key, () => []).push(lift);
  }
  const out: InterventionLift[] = [];
  for (const [key, lifts] of groups) {
    const [kind, taxonomyId] = key.split('\u0000') as [InterventionKind, string];
    const resolution = spreadOf(lifts.map((l) => l.resolutionLift))!;
    const positiveShare = lifts.filter((l) => l.resolutionLift > 0).length / lifts.length;
    out.push({
      kind,
      taxonomyId,
      accounts: lifts.length,
      resolution,
      automation: spreadOf(lifts.map((l) => l.automationLift))!,
      positiveShare,
      consistent: lifts.length >= 3 && positiveShare >= 0.75,
      lifts: lifts.sort((x, y) => y.resolutionLift - x.resolutionLift),
    });
  }
  return out.sort((a, b) => b.accounts - a.accounts || b.resolution.median - a.resolution.median);
}
