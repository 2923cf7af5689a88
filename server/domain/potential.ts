/**
 * Potential model v1 (SPEC §4). For every taxonomy leaf, an achievable involvement and
 * resolution learned from peers (a high percentile over accounts with enough volume on that
 * leaf, falling back to the automation class); an account's potential is the automation rate
 * it would have if each of its leaves reached at least those levels.
 */
import { percentileOfSorted } from './stats.ts';
import type { AutomationClass } from './types.ts';

/** Counts for one account on one leaf over the model window. */
export interface LeafWindow {
  accountId: string;
  taxonomyId: string;
  automationClass: AutomationClass;
  conversations: number;
  involved: number;
  resolved: number;
}

/** A LeafWindow for one calendar month (a row of `leaf_months`). */
export interface LeafMonthCounts extends LeafWindow {
  month: string;
}

/** Sums monthly rows into one window per account × leaf, keeping the rows `keep` accepts. */
export function sumLeafWindows(
  rows: Iterable<LeafMonthCounts>,
  keep: (r: LeafMonthCounts) => boolean,
): LeafWindow[] {
  const byKey = new Map<string, LeafWindow>();
  for (const r of rows) {
    if (!keep(r)) continue;
    const key = `${r.accountId}\u0000${r.taxonomyId}`;
    const w = byKey.get(key);
    if (w) {
      w.conversations += r.conversations;
      w.involved += r.involved;
      w.resolved += r.resolved;
    } else {
      byKey.set(key, {
        accountId: r.accountId,
        taxonomyId: r.taxonomyId,
        automationClass: r.automationClass,
        conversations: r.conversations,
        involved: r.involved,
        resolved: r.resolved,
      });
    }
  }
  return [...byKey.values()];
}

export interface Achievable {
  involvement: number;
  resolution: number;
  /** peers behind the leaf-level figure; 0 when it fell back to the class level */
  peers: number;
}

export interface ModelSettings {
  /** percentile of peers taken as achievable (point estimate) */
  percentile: number;
  /** percentiles for the low and high end of the range */
  lowPercentile: number;
  highPercentile: number;
  /** an account counts as a peer on a leaf with at least this many conversations (involvement)… */
  minConversations: number;
  /** …and this many involved conversations (resolution) */
  minInvolved: number;
  /** fewer qualifying peers than this → class-level fallback */
  minPeers: number;
  /**
   * Joint: the achievable automation of a leaf is the percentile of peers' automation on it
   * (involvement × resolution achieved together), not the product of two separate percentiles.
   */
  joint: boolean;
  /** pseudo-conversations pulling a small leaf's current rates toward the achievable level */
  shrinkage: number;
}

/** v1: separate percentiles of involvement and resolution, current rates taken as measured. */
export const MODEL_V1: ModelSettings = {
  percentile: 0.75,
  lowPercentile: 0.5,
  highPercentile: 0.9,
  minConversations: 30,
  minInvolved: 20,
  minPeers: 5,
  joint: false,
  shrinkage: 0,
};

/**
 * v2 (shipped): joint percentile of peers' automation per leaf, small leaves shrunk toward the
 * achievable level; learned within the account's vertical (see learnAchievableByVertical).
 * scripts/eval-model.ts measures both; docs/model.md has the figures.
 */
export const DEFAULT_MODEL: ModelSettings = { ...MODEL_V1, joint: true, shrinkage: 30 };

const ordinal = (p: number) => {
  const n = Math.round(p * 100);
  const suffix =
    n % 10 === 1 && n !== 11
      ? 'st'
      : n % 10 === 2 && n !== 12
        ? 'nd'
        : n % 10 === 3 && n !== 13
          ? 'rd'
          : 'th';
  return `${n}${suffix}`;
};

/** "How is this calculated" for the backtest, in words, from the settings the model ran with. */
export function modelMethod(s: ModelSettings): string {
  const level = s.joint
    ? 'involvement, and automation (involvement × resolution reached together)'
    : 'involvement and resolution, each on its own';
  const shrink =
    s.shrinkage > 0
      ? ` A small leaf’s current rates are shrunk toward that level (${s.shrinkage} pseudo-conversations) so noise is not mistaken for performance.`
      : '';
  return (
    `For each account and month M with 3 months of history, the potential is predicted with data up to M only. ` +
    `Per leaf, the achievable level is the ${ordinal(s.percentile)} percentile of peer accounts with at least ` +
    `${s.minConversations} conversations on that leaf over M-2..M: ${level}, learned within the account’s ` +
    `vertical, falling back to all verticals with fewer than ${s.minPeers} peers and to the automation class when ` +
    `the leaf has too few.${shrink} A leaf’s target is max(current, achievable) involvement × max(current, achievable) resolution, never below its current automation; potential = Σ share × target; the range uses the ` +
    `${ordinal(s.lowPercentile)} and ${ordinal(s.highPercentile)} percentiles. The potential is a ceiling, not a forecast: ` +
    `it is judged by how often an account passed it in month M+3 or M+6 (a good ceiling rarely is), and the ` +
    `distance to the rate reached (|actual − predicted| in points) is the headroom the account had not realized.`
  );
}

/** Used only when not even the class has enough peers (tiny datasets). */
export const CLASS_PRIOR: Record<AutomationClass, { involvement: number; resolution: number }> = {
  informational: { involvement: 0.9, resolution: 0.75 },
  personalized: { involvement: 0.85, resolution: 0.6 },
  action: { involvement: 0.8, resolution: 0.5 },
  human: { involvement: 0.6, resolution: 0.15 },
};

/** The prior's range: its low and high ends, as multiples of its level. */
const PRIOR_LOW = 0.8;
const PRIOR_HIGH = 1.1;
const priorAt = (cls: AutomationClass, factor: number): Achievable => ({
  involvement: Math.min(1, CLASS_PRIOR[cls].involvement * factor),
  resolution: Math.min(1, CLASS_PRIOR[cls].resolution * factor),
  peers: 0,
});

export interface AchievableTable {
  /** per leaf at the point percentile, and the low/high ends */
  point: Map<string, Achievable>;
  low: Map<string, Achievable>;
  high: Map<string, Achievable>;
  byClass: Record<AutomationClass, { point: Achievable; low: Achievable; high: Achievable }>;
  shrinkage: number;
}

interface Samples {
  inv: number[];
  res: number[];
  auto: number[];
}

const noSamples = (): Samples => ({ inv: [], res: [], auto: [] });

/** The same samples, each sorted once for the three percentiles read from it (at 10,000 accounts a class holds ~50k). */
interface SortedSamples {
  inv: Float64Array;
  res: Float64Array;
  auto: Float64Array;
}

const sortedSamples = (s: Samples): SortedSamples => ({
  inv: Float64Array.from(s.inv).sort(),
  res: Float64Array.from(s.res).sort(),
  auto: Float64Array.from(s.auto).sort(),
});

function level(s: SortedSamples, p: number, fallback: Achievable, settings: ModelSettings): Achievable {
  const { minPeers } = settings;
  const inv = s.inv.length >= minPeers ? percentileOfSorted(s.inv, p)! : fallback.involvement;
  let res = s.res.length >= minPeers ? percentileOfSorted(s.res, p)! : fallback.resolution;
  if (settings.joint && s.auto.length >= minPeers && inv > 0)
    res = Math.min(1, percentileOfSorted(s.auto, p)! / inv);
  const peers = Math.min(s.inv.length, s.res.length);
  return { involvement: inv, resolution: res, peers: peers >= minPeers ? peers : 0 };
}

export function learnAchievable(
  rows: readonly LeafWindow[],
  settings: ModelSettings = DEFAULT_MODEL,
): AchievableTable {
  const byLeaf = new Map<string, Samples>();
  const byClassSamples = new Map<AutomationClass, Samples>();
  const classOfLeaf = new Map<string, AutomationClass>();
  for (const r of rows) {
    classOfLeaf.set(r.taxonomyId, r.automationClass);
    const leaf = byLeaf.get(r.taxonomyId) ?? noSamples();
    byLeaf.set(r.taxonomyId, leaf);
    const cls = byClassSamples.get(r.automationClass) ?? noSamples();
    byClassSamples.set(r.automationClass, cls);
    if (r.conversations >= settings.minConversations) {
      leaf.inv.push(r.involved / r.conversations);
      cls.inv.push(r.involved / r.conversations);
      leaf.auto.push(r.resolved / r.conversations);
      cls.auto.push(r.resolved / r.conversations);
    }
    if (r.involved >= settings.minInvolved) {
      leaf.res.push(r.resolved / r.involved);
      cls.res.push(r.resolved / r.involved);
    }
  }
  const byClass = {} as AchievableTable['byClass'];
  for (const cls of ['informational', 'personalized', 'action', 'human'] as const) {
    const s = sortedSamples(byClassSamples.get(cls) ?? noSamples());
    byClass[cls] = {
      point: level(s, settings.percentile, priorAt(cls, 1), settings),
      low: level(s, settings.lowPercentile, priorAt(cls, PRIOR_LOW), settings),
      high: level(s, settings.highPercentile, priorAt(cls, PRIOR_HIGH), settings),
    };
  }
  const point = new Map<string, Achievable>();
  const low = new Map<string, Achievable>();
  const high = new Map<string, Achievable>();
  for (const [leafId, unsorted] of byLeaf) {
    const s = sortedSamples(unsorted);
    const cls = byClass[classOfLeaf.get(leafId)!];
    point.set(leafId, level(s, settings.percentile, cls.point, settings));
    low.set(leafId, level(s, settings.lowPercentile, cls.low, settings));
    high.set(leafId, level(s, settings.highPercentile, cls.high, settings));
  }
  return { point, low, high, byClass, shrinkage: settings.shrinkage };
}

/** Where a leaf's achievable level came from (the one fallback order, see pickLevels). */
export type LevelSource = 'vertical' | 'all_verticals' | 'class_all' | 'prior';

export interface PickedLevels {
  point: Achievable;
  low: Achievable;
  high: Achievable;
  source: LevelSource;
}

const classSource = (t: AchievableTable, cls: AutomationClass): LevelSource =>
  t.byClass[cls].point.peers > 0 ? 'class_all' : 'prior';

/**
 * The one fallback order, for customers' potential and prospects' estimates alike: the leaf's
 * peers in the account's vertical; else its peers in all verticals (a dimension with too few of
 * them takes the class level); else the automation class over all verticals; else the prior.
 */
export function pickLevels(
  own: AchievableTable | undefined,
  all: AchievableTable,
  taxonomyId: string,
  cls: AutomationClass,
): PickedLevels {
  const mine = own?.point.get(taxonomyId);
  if (own && mine && mine.peers > 0)
    return {
      point: mine,
      low: own.low.get(taxonomyId)!,
      high: own.high.get(taxonomyId)!,
      source: 'vertical',
    };
  const anyone = all.point.get(taxonomyId);
  if (anyone)
    return {
      point: anyone,
      low: all.low.get(taxonomyId)!,
      high: all.high.get(taxonomyId)!,
      source: anyone.peers > 0 ? 'all_verticals' : classSource(all, cls),
    };
  // a class level stands on account × topic pairs, not on peer accounts: it has no peer count
  const c = all.byClass[cls];
  return {
    point: { ...c.point, peers: 0 },
    low: { ...c.low, peers: 0 },
    high: { ...c.high, peers: 0 },
    source: classSource(all, cls),
  };
}

/** Achievable levels learned within each vertical, in pickLevels' fallback order. */
export function learnAchievableByVertical(
  rows: readonly (LeafWindow & { vertical: string })[],
  settings: ModelSettings = DEFAULT_MODEL,
): { all: AchievableTable; byVertical: Map<string, AchievableTable> } {
  const all = learnAchievable(rows, settings);
  const classOf = new Map(rows.map((r) => [r.taxonomyId, r.automationClass]));
  const byVertical = new Map<string, AchievableTable>();
  for (const vertical of new Set(rows.map((r) => r.vertical))) {
    const own = learnAchievable(
      rows.filter((r) => r.vertical === vertical),
      settings,
    );
    const table: AchievableTable = {
      point: new Map(),
      low: new Map(),
      high: new Map(),
      byClass: all.byClass,
      shrinkage: all.shrinkage,
    };
    for (const leaf of all.point.keys()) {
      const picked = pickLevels(own, all, leaf, classOf.get(leaf)!);
      table.point.set(leaf, picked.point);
      table.low.set(leaf, picked.low);
      table.high.set(leaf, picked.high);
    }
    byVertical.set(vertical, table);
  }
  return { all, byVertical };
}

export function achievableFor(
  table: AchievableTable,
  which: 'point' | 'low' | 'high',
  taxonomyId: string,
  cls: AutomationClass,
): Achievable {
  return table[which].get(taxonomyId) ?? table.byClass[cls][which];
}

export interface LeafPotential {
  taxonomyId: string;
  automationClass: AutomationClass;
  conversations: number;
  share: number;
  involvementRate: number | null;
  resolutionRate: number | null;
  automationRate: number | null;
  achievable: Achievable;
  /** the leaf's target: max(current, achievable) involvement × resolution, never below its current automation */
  achievableAutomation: number;
  /** points of the account's automation rate gained on this leaf */
  gapPoints: number;
  /** extra resolved conversations/month on this leaf (needs monthly volume) */
  gapConversations: number;
  /** which factor holds the leaf back most */
  limitedBy: 'involvement' | 'resolution' | 'none';
  /**
   * The gap split by lever (points of the account's rate): what raising involvement alone to its
   * target closes at today's resolution, and what raising resolution alone closes at today's
   * involvement. The rest of `gapPoints` needs both (more conversations handled, and resolved at the
   * better rate): the next actions count it to whichever of the topic's two actions comes second.
   */
  involvementPart: number;
  resolutionPart: number;
}

export interface AccountPotential {
  conversations: number;
  currentRate: number | null;
  potential: number | null;
  potentialLow: number | null;
  potentialHigh: number | null;
  gapPoints: number | null;
  gapConversations: number | null;
  leaves: LeafPotential[];
}

/**
 * Each lever's part of a leaf's gap, never below 0 and together never above the gap (its current
 * automation is the unshrunk rate, the parts are worked out on the shrunk ones).
 */
function splitGap(gap: number, involvement: number, resolution: number) {
  const inv = Math.max(0, involvement);
  const res = Math.max(0, resolution);
  const scale = inv + res > gap && inv + res > 0 ? gap / (inv + res) : 1;
  return { involvement: inv * scale, resolution: res * scale };
}

function leafTarget(row: LeafWindow, a: Achievable, k = 0) {
  // With shrinkage, a small leaf's noisy rates count for less against the achievable level.
  const inv = row.conversations + k > 0 ? (row.involved + k * a.involvement) / (row.conversations + k) : 0;
  const res = row.involved + k > 0 ? (row.resolved + k * a.resolution) / (row.involved + k) : 0;
  const targetInv = Math.max(inv, a.involvement);
  const targetRes = row.involved > 0 ? Math.max(res, a.resolution) : a.resolution;
  return { inv, res, targetInv, targetRes };
}

/**
 * Potential of one account from its leaves over the model window. `months` is the number of
 * months in the window, to express gaps per month.
 */
export function accountPotential(
  rows: readonly LeafWindow[],
  table: AchievableTable,
  months: number,
): AccountPotential {
  const total = rows.reduce((s, r) => s + r.conversations, 0);
  if (total === 0) {
    return {
      conversations: 0,
      currentRate: null,
      potential: null,
      potentialLow: null,
      potentialHigh: null,
      gapPoints: null,
      gapConversations: null,
      leaves: [],
    };
  }
  const resolved = rows.reduce((s, r) => s + r.resolved, 0);
  let potential = 0;
  let low = 0;
  let high = 0;
  const leaves: LeafPotential[] = [];
  for (const row of rows) {
    if (row.conversations === 0) continue;
    const share = row.conversations / total;
    const a = achievableFor(table, 'point', row.taxonomyId, row.automationClass);
    const t = leafTarget(row, a, table.shrinkage);
    const current = row.resolved / row.conversations;
    // Never below what the leaf already achieves, whatever the shrinkage did to its rates.
    const achievableAutomation = Math.max(current, t.targetInv * t.targetRes);
    potential += share * achievableAutomation;
    const lo = leafTarget(
      row,
      achievableFor(table, 'low', row.taxonomyId, row.automationClass),
      table.shrinkage,
    );
    const hi = leafTarget(
      row,
      achievableFor(table, 'high', row.taxonomyId, row.automationClass),
      table.shrinkage,
    );
    low += share * Math.max(current, lo.targetInv * lo.targetRes);
    high += share * Math.max(current, hi.targetInv * hi.targetRes);
    const gapPoints = share * Math.max(0, achievableAutomation - current);
    // Which lever holds the leaf back more: the gap targetInv·targetRes − inv·res split between the
    // two in both orders and averaged (each order alone favours the lever taken second: resolution
    // raised at the target involvement looked bigger than involvement raised at today's resolution,
    // so a topic at 36% involvement of an achievable 95% was "limited by resolution"). Judged on the
    // rates the card shows, not the shrunk ones the gap is measured with: shrinking a small topic's
    // resolution toward its target sent "0 of 10 resolved" to widening the audience.
    const r = leafTarget(row, a, 0);
    const invGain = (r.targetInv - r.inv) * (row.involved > 0 ? (r.res + r.targetRes) / 2 : r.targetRes);
    const resGain = (r.targetRes - r.res) * (row.involved > 0 ? (r.inv + r.targetInv) / 2 : 0);
    // Each lever alone, on the same rates (an action card's arithmetic): with no conversation handled
    // yet, today's resolution says nothing, and the AI agent is taken to resolve at its target once it
    // takes part, so the whole gap is the audience's. What shrinkage adds to the gap falls in the part
    // only both levers close.
    const resNow = row.involved > 0 ? r.res : r.targetRes;
    const parts = splitGap(
      gapPoints,
      share * (r.targetInv - r.inv) * resNow,
      share * r.inv * (r.targetRes - resNow),
    );
    leaves.push({
      taxonomyId: row.taxonomyId,
      automationClass: row.automationClass,
      conversations: row.conversations,
      share,
      involvementRate: row.conversations > 0 ? row.involved / row.conversations : null,
      resolutionRate: row.involved > 0 ? row.resolved / row.involved : null,
      automationRate: current,
      achievable: a,
      achievableAutomation,
      gapPoints,
      gapConversations: (gapPoints * total) / months,
      limitedBy: gapPoints <= 1e-9 ? 'none' : invGain >= resGain ? 'involvement' : 'resolution',
      involvementPart: parts.involvement,
      resolutionPart: parts.resolution,
    });
  }
  const currentRate = resolved / total;
  const gap = Math.max(0, potential - currentRate);
  return {
    conversations: total,
    currentRate,
    potential,
    potentialLow: Math.max(currentRate, Math.min(low, potential)),
    potentialHigh: Math.max(high, potential),
    gapPoints: gap,
    gapConversations: (gap * total) / months,
    leaves: leaves.sort((a, b) => b.gapPoints - a.gapPoints),
  };
}
