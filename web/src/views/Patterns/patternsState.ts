/**
 * Patterns view state ⇄ URL, and the pure helpers behind the view (headline, chart items, lift
 * sentences, "generalizes" reasons). Pure, so they are unit-tested without a browser.
 */
import type { InterventionLiftRow, LeafPatternRow, PatternSettings } from '../../api/server-types.ts';
import type { BoxItem } from '../../charts/boxScatter.ts';
import { CLASS_COLORS } from '../../charts/theme.ts';
import { count, pct, points } from '../../lib/format.ts';

export const DEFAULT_VERTICAL = 'all';
export const DEFAULT_PERIOD = 12;
/** leaves in the spread chart (by unrealized volume) */
export const SPREAD_CHART_LEAVES = 15;
/** fixes in the lift chart */
export const LIFT_CHART_ROWS = 12;

export interface PatternsState {
  vertical: string;
  period: number;
  /** the leaf whose accounts are open in the side panel */
  leaf: string | null;
}

const VERTICAL = /^[A-Za-z0-9_-]{1,60}$/;
const LEAF = /^[A-Za-z0-9_.-]{1,120}$/;

export function parsePatternsState(search: string | URLSearchParams): PatternsState {
  const p = typeof search === 'string' ? new URLSearchParams(search) : search;
  const v = p.get('vertical') ?? '';
  const period = Number(p.get('period'));
  const leaf = p.get('leaf') ?? '';
  return {
    vertical: VERTICAL.test(v) ? v : DEFAULT_VERTICAL,
    // any whole number of months goes to the server, which says which periods exist
    period: Number.isInteger(period) && period > 0 && period <= 120 ? period : DEFAULT_PERIOD,
    leaf: LEAF.test(leaf) ? leaf : null,
  };
}

/** Defaults are omitted, so the plain view stays `/patterns`. */
export function serializePatternsState(s: PatternsState): string {
  const p = new URLSearchParams();
  if (s.vertical !== DEFAULT_VERTICAL) p.set('vertical', s.vertical);
  if (s.period !== DEFAULT_PERIOD) p.set('period', String(s.period));
  if (s.leaf) p.set('leaf', s.leaf);
  return p.toString();
}

export interface PatternsHeadline {
  leaves: number;
  generalizing: number;
  unrealizedConversations: number;
  conversations: number;
  /** the leaf with the most unrealized conversations */
  top: LeafPatternRow | null;
  /** customer accounts in scope (vertical), recovered from accounts / accountShare */
  accountsInScope: number;
}

export function patternsHeadline(leaves: readonly LeafPatternRow[]): PatternsHeadline {
  let unrealized = 0;
  let conversations = 0;
  let generalizing = 0;
  let top: LeafPatternRow | null = null;
  let accountsInScope = 0;
  for (const l of leaves) {
    if (l.accountShare > 0)
      accountsInScope = Math.max(accountsInScope, Math.round(l.accounts / l.accountShare));
    unrealized += l.unrealizedConversations;
    conversations += l.conversations;
    if (l.generalizes) generalizing += 1;
    if (!top || l.unrealizedConversations > top.unrealizedConversations) top = l;
  }
  return {
    leaves: leaves.length,
    generalizing,
    unrealizedConversations: unrealized,
    conversations,
    top,
    accountsInScope,
  };
}

/** The "generalizes" rules in words, from the thresholds the server used (`PatternsResponse.settings`). */
export function generalizeRules(s: PatternSettings) {
  const percent = (x: number) => `${Math.round(x * 100)}%`;
  return {
    common: `Common: present (≥ ${s.minConversations} conversations per 3 months) in at least ${percent(s.commonShare)} of the accounts, and in ${s.commonAccounts} or more.`,
    proven: `Proven: at least ${s.provenAccounts} accounts already resolve ${percent(s.provenResolution)} or more of the AI agent’s conversations on it (≥ ${s.minInvolved} involved per 3 months) — it can be automated where it is set up; a wide spread across accounts is the gap a product default would close.`,
    largeGap: `Large gap: at least ${percent(s.largeGapShare)} of all unrealized conversations in scope (the portfolio, or the vertical chosen).`,
  };
}

/** The headline's "generalizes" help text, from the same settings. */
export function generalizesHelp(s: PatternSettings): string {
  const r = generalizeRules(s);
  return `A topic generalizes — worth building into the product — when it is all three. ${r.common} ${r.proven} ${r.largeGap}`;
}

export interface Reason {
  key: keyof ReturnType<typeof generalizeRules>;
  label: string;
  met: boolean;
  rule: string;
}

export function generalizeReasons(l: LeafPatternRow, settings: PatternSettings | null): Reason[] {
  const rules = settings ? generalizeRules(settings) : { common: '', proven: '', largeGap: '' };
  return [
    { key: 'common', label: 'common', met: l.common, rule: rules.common },
    { key: 'proven', label: 'proven', met: l.proven, rule: rules.proven },
    { key: 'largeGap', label: 'large gap', met: l.largeGap, rule: rules.largeGap },
  ];
}

/** "Generalizes: common, proven, large gap" / "Common, large gap; not proven". */
export function generalizeSummary(l: LeafPatternRow): string {
  const r = generalizeReasons(l, null);
  const met = r.filter((x) => x.met).map((x) => x.label);
  const missing = r.filter((x) => !x.met).map((x) => x.label);
  if (l.generalizes) return `Generalizes: ${met.join(', ')}`;
  const text = `${met.length ? `${met.join(', ')}; ` : ''}not ${missing.join(', not ')}`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The spread chart's rows: the top leaves by unrealized volume that have a spread. */
export function spreadChartLeaves(
  leaves: readonly LeafPatternRow[],
  n: number = SPREAD_CHART_LEAVES,
): LeafPatternRow[] {
  return leaves
    .filter((l) => l.resolutionSpread !== null && l.points.length > 0)
    .sort((a, b) => b.unrealizedConversations - a.unrealizedConversations)
    .slice(0, n);
}

export function leafBoxItems(leaves: readonly LeafPatternRow[]): BoxItem[] {
  return leaves.map((l) => ({
    key: l.taxonomyId,
    label: l.label,
    color: CLASS_COLORS[l.automationClass],
    spread: l.resolutionSpread,
    points: l.points.map((p) => ({
      key: p.accountId,
      name: p.name,
      value: p.resolutionRate,
      detail: `${count(p.conversations)} conversations`,
    })),
    lines: [
      `${l.group} · ${l.automationClass}`,
      `${count(l.accounts)} accounts · ${count(l.unrealizedConversations)} unrealized conv/month`,
      'Click for the accounts behind it',
    ],
  }));
}

export const KIND_LABELS: Record<InterventionLiftRow['kind'], string> = {
  content: 'Content',
  data_connector: 'Data connector',
  procedure: 'Procedure',
  guidance: 'Guidance',
  channel_rollout: 'Channel rollout',
};

export const KIND_COLORS: Record<InterventionLiftRow['kind'], string> = {
  content: '#3b5bdb',
  data_connector: '#0ca678',
  procedure: '#e8590c',
  guidance: '#7048e8',
  channel_rollout: '#1c7ed6',
};

export const liftKey = (r: Pick<InterventionLiftRow, 'kind'>) => r.kind;

/** "+29.5 pts [+19.3 … +39.3]": the lift and its bootstrap interval. */
export function liftInterval(e: Pick<InterventionLiftRow, 'lift' | 'low' | 'high'>): string {
  return `${points(e.lift)} [${points(e.low)} … ${points(e.high)}]`;
}

/** "Data connector: +29.5 pts [+19.3 … +39.3], 10 fixes in 9 accounts; placebo +1.6 pts". */
/**
 * Kinds of fix headlined as findings need this many treated accounts: the bar at which a lift
 * feeds next actions' expected gains (MIN_LIFT_ACCOUNTS in server/domain/actions.ts). One fix in
 * one account can be luck; it stays in the table below with its interval.
 */
export const MIN_FINDING_ACCOUNTS = 5;

/** Up to 3 kinds whose lift is measured on enough accounts and whose interval is above 0. */
export function strongestFindings(lifts: readonly InterventionLiftRow[]): InterventionLiftRow[] {
  return lifts
    .filter((r) => r.n > 0 && r.accounts >= MIN_FINDING_ACCOUNTS && (r.low ?? 0) > 0)
    .sort((a, b) => b.n - a.n || (b.lift ?? 0) - (a.lift ?? 0))
    .slice(0, 3);
}

export function liftSentence(r: InterventionLiftRow): string {
  if (r.n === 0) return `${KIND_LABELS[r.kind]}: no fix measurable against matched controls`;
  const n = `${count(r.n)} ${r.n === 1 ? 'fix' : 'fixes'} in ${count(r.accounts)} ${r.accounts === 1 ? 'account' : 'accounts'}`;
  const placebo = r.placebo ? `; placebo ${points(r.placebo.lift)}` : '';
  // how much of the kind the figure stands on: the fixes that could not be measured are often most
  const unmeasured = Object.values(r.skipped ?? {}).reduce<number>((a, b) => a + (b ?? 0), 0);
  const of = unmeasured > 0 ? ` (${count(unmeasured)} more not measurable)` : '';
  return `${KIND_LABELS[r.kind]}: ${liftInterval(r)}, ${n}${of}${placebo}`;
}

/** The fixes measured on one topic, every kind, largest lift first: what the topic's panel lists. */
export function topicFixes(
  lifts: readonly InterventionLiftRow[],
  taxonomyId: string,
): (InterventionLiftRow['events'][number] & { kind: InterventionLiftRow['kind'] })[] {
  return lifts
    .flatMap((k) => k.events.filter((e) => e.taxonomyId === taxonomyId).map((e) => ({ ...e, kind: k.kind })))
    .sort((a, b) => b.lift - a.lift);
}

/**
 * How a kind's lift reads: 'up' or 'down' only when it was measured on 2+ accounts and its interval
 * leaves out 0; 'unclear' otherwise (one account, or an interval that spans 0: a few accounts, or
 * fixes that disagree), so a mean of +34 points over two accounts is not painted as a proven gain.
 */
export function liftTone(
  r: Pick<InterventionLiftRow, 'n' | 'accounts' | 'low' | 'high'>,
): 'up' | 'down' | 'unclear' | 'none' {
  if (r.n === 0 || r.low === null || r.high === null) return 'none';
  // one account says how a fix went there, not what it does elsewhere
  if (r.accounts < 2) return 'unclear';
  if (r.low > 0) return 'up';
  if (r.high < 0) return 'down';
  return 'unclear';
}

/**
 * A placebo should sit near 0. When its interval leaves 0 out, the estimator finds "lift" where
 * no fix was made, and the kind's own lift is suspect by about as much.
 */
export function placeboOffZero(p: { low: number; high: number } | null): boolean {
  return p !== null && (p.low > 0 || p.high < 0);
}

/** The lift chart's rows: kinds with measured fixes, most measured first. */
export function liftChartRows(
  lifts: readonly InterventionLiftRow[],
  n: number = LIFT_CHART_ROWS,
): InterventionLiftRow[] {
  return [...lifts]
    .filter((r) => r.n > 0)
    .sort((a, b) => b.n - a.n || (b.lift ?? 0) - (a.lift ?? 0))
    .slice(0, n);
}

function spreadOf(values: readonly number[]): BoxItem['spread'] {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => {
    const pos = (sorted.length - 1) * p;
    const lo = Math.floor(pos);
    return sorted[lo]! + (sorted[Math.ceil(pos)]! - sorted[lo]!) * (pos - lo);
  };
  return { min: sorted[0]!, p25: at(0.25), median: at(0.5), p75: at(0.75), max: sorted[sorted.length - 1]! };
}

/** Box: the counted fixes' lifts across accounts; each dot a fix. */
export function liftBoxItems(lifts: readonly InterventionLiftRow[]): BoxItem[] {
  return lifts.map((r) => {
    const counted = r.events.filter((e) => e.included);
    return {
      key: liftKey(r),
      label: KIND_LABELS[r.kind],
      color: KIND_COLORS[r.kind],
      spread: spreadOf(counted.map((e) => e.lift)),
      points: counted.map((x) => ({
        key: x.accountId,
        name: x.name,
        value: x.lift,
        taxonomyId: x.taxonomyId,
        detail: `${x.label}: ${pct(x.before)} → ${pct(x.after)} (fix ${x.month})`,
      })),
      lines: [`lift ${liftInterval(r)} · n = ${count(r.n)} in ${count(r.accounts)} accounts`],
      // the kind's pooled lift, as the findings and the table rank them (the median ranked otherwise)
      figure: `${points(r.lift)}${liftTone(r) === 'unclear' ? ' ?' : ''}`,
    };
  });
}

/** Change of the matched controls (same leaf, same months) in points. */
export type LiftEventRow = InterventionLiftRow['events'][number];

export function controlChange(l: Pick<LiftEventRow, 'controlBefore' | 'controlAfter'>): number {
  return l.controlAfter - l.controlBefore;
}

/**
 * What most of a topic's unrealized volume needs, across accounts: "Audience 75%" (the AI agent
 * takes part in too few of the topic's conversations) or "Resolution 80%" (it resolves too few of
 * those it handles); null without unrealized volume. `share` is the larger lever's part.
 */
export function mainLever(
  leaf: Pick<LeafPatternRow, 'unrealizedByLever'>,
): { lever: 'audience' | 'resolution'; share: number } | null {
  const { audience, resolution } = leaf.unrealizedByLever;
  const total = audience + resolution;
  // under half a conversation a month the table shows 0 unrealized: no lever to name beside it
  if (!(total >= 0.5)) return null;
  return audience >= resolution
    ? { lever: 'audience', share: audience / total }
    : { lever: 'resolution', share: resolution / total };
}
