/**
 * Prospect estimate (SPEC §4–5, view 4): the automation potential of a prospect from nothing but
 * its classified conversations and how comparable customers perform. Pure: no I/O.
 *
 * A prospect has no AI outcomes, so its current automation is 0 and every leaf is taken to the
 * achievable level of its peers:
 *
 *   potential = Σ_leaf share × achievable involvement (P75) × achievable resolution (P75)
 *
 * where, as in the shipped potential model, the achievable resolution is the one that at P75
 * involvement gives the P75 of peers' automation on the leaf (`joint`).
 *
 * The range uses the P50 and P90 levels of the same peers, widened by classification
 * uncertainty: with u = 1 − mean confidence of the leaf's conversations, that fraction of the
 * leaf's volume could belong elsewhere, so it is valued at the less favourable (low end) or more
 * favourable (high end) of the leaf's level and its automation class's level:
 *
 *   low_leaf  = (1 − u) × a50(leaf) + u × min(a50(leaf), a50(class))
 *   high_leaf = (1 − u) × a90(leaf) + u × max(a90(leaf), a90(class))
 *   low = Σ share × low_leaf,   high = Σ share × high_leaf,   low ≤ potential ≤ high.
 *
 * Peer levels (`buildBenchmarks`): the customers' own learner and fallback order (potential.ts,
 * `learnAchievable` and `pickLevels`): per leaf, the percentiles of involvement (accounts with ≥ 30
 * conversations on the leaf in the model window) and resolution (≥ 20 involved) over customer
 * accounts of the prospect's vertical; fewer than 5 such peers → all verticals; still fewer → the
 * automation class; an empty database → the class prior.
 */
import { actionKind, actionTitle, perMonthLabel } from './actions.ts';
import {
  DEFAULT_MODEL,
  type LevelSource,
  learnAchievable,
  type ModelSettings,
  type PickedLevels,
  pickLevels,
} from './potential.ts';
import { isNonRequest, leafById, taxonomy } from './taxonomy.ts';
import {
  type ActionKind,
  AUTOMATION_CLASSES,
  type AutomationClass,
  type Channel,
  LOW_CONFIDENCE,
  type Role,
} from './types.ts';

// Benchmarks ---------------------------------------------------------------------------------

/** One customer account on one leaf over the model window (a row of `account_leaves`). */
export interface PeerLeafRow {
  accountId: string;
  vertical: string;
  taxonomyId: string;
  automationClass: AutomationClass;
  conversations: number;
  involved: number;
  resolved: number;
}

export interface Levels {
  p50: number;
  p75: number;
  p90: number;
}

/**
 * Where a leaf's peer levels come from: its own peers in the vertical, in all verticals, the level
 * of its automation class, or the built-in prior (potential.ts, pickLevels).
 */
export type BenchmarkSource = LevelSource;

export interface Benchmark {
  involvement: Levels;
  resolution: Levels;
  /** accounts behind the levels (for class levels: account × leaf pairs); 0 for the prior */
  peers: number;
  source: BenchmarkSource;
}

export interface Benchmarks {
  vertical: string;
  /** customer accounts of the vertical in the serving database */
  verticalAccounts: number;
  /** customer accounts in all verticals */
  allAccounts: number;
  /** per taxonomy leaf (every leaf of the taxonomy has one) */
  leaves: Map<string, Benchmark>;
  /** per automation class: the class level used for fallback and for the uncertainty mix */
  classes: Record<AutomationClass, Benchmark>;
}

const levelsOf = (
  p: Pick<PickedLevels, 'low' | 'point' | 'high'>,
  dim: 'involvement' | 'resolution',
): Levels => ({
  p50: p.low[dim],
  p75: p.point[dim],
  p90: p.high[dim],
});

const benchmarkOf = (p: PickedLevels): Benchmark => ({
  involvement: levelsOf(p, 'involvement'),
  resolution: levelsOf(p, 'resolution'),
  peers: p.point.peers,
  source: p.source,
});

/**
 * Peer levels for a prospect of `vertical`: the accounts' own learner (learnAchievable) and
 * fallback order (pickLevels), at the model's low / point / high percentiles. Only rows of
 * customer accounts should be passed in.
 */
export function buildBenchmarks(
  rows: readonly PeerLeafRow[],
  vertical: string,
  settings: ModelSettings = DEFAULT_MODEL,
): Benchmarks {
  const all = learnAchievable(rows, settings);
  const mine = rows.filter((r) => r.vertical === vertical);
  const own = mine.length > 0 ? learnAchievable(mine, settings) : undefined;
  const classes = {} as Record<AutomationClass, Benchmark>;
  for (const cls of AUTOMATION_CLASSES) {
    const c = all.byClass[cls];
    classes[cls] = benchmarkOf({ ...c, source: c.point.peers > 0 ? 'class_all' : 'prior' });
  }
  const leaves = new Map<string, Benchmark>();
  for (const leaf of taxonomy.leaves)
    leaves.set(leaf.id, benchmarkOf(pickLevels(own, all, leaf.id, leaf.automationClass)));
  return {
    vertical,
    verticalAccounts: new Set(mine.map((r) => r.accountId)).size,
    allAccounts: new Set(rows.map((r) => r.accountId)).size,
    leaves,
    classes,
  };
}

export function benchmarkFor(b: Benchmarks, taxonomyId: string, cls: AutomationClass): Benchmark {
  return b.leaves.get(taxonomyId) ?? b.classes[cls];
}

// Estimate -----------------------------------------------------------------------------------

/** An example conversation behind a leaf (bounded: a few per leaf, messages truncated). */
export interface EstimateSample {
  id: string;
  createdAt: string;
  channel: Channel;
  confidence: number;
  messages: { role: Role; text: string }[];
}

/** A prospect's classified conversations on one leaf. */
export interface ProspectLeafInput {
  taxonomyId: string;
  conversations: number;
  /** Σ classifier confidence over the leaf's conversations */
  confidenceSum: number;
  /** conversations classified with confidence < LOW_CONFIDENCE */
  lowConfidence?: number;
  samples?: EstimateSample[];
}

export interface EstimateInput {
  leaves: readonly ProspectLeafInput[];
  /** months of data covered by the export (for volumes per month); at least 1 is used */
  months: number;
  benchmarks: Benchmarks;
  /** how many roadmap actions to return (default 5) */
  maxActions?: number;
}

export interface EstimateLeaf {
  taxonomyId: string;
  label: string;
  group: string;
  automationClass: AutomationClass;
  conversations: number;
  monthlyConversations: number;
  share: number;
  /** mean classifier confidence */
  confidence: number;
  /** share of the leaf's conversations classified with confidence < LOW_CONFIDENCE */
  lowConfidenceShare: number;
  /** mean confidence below LOW_CONFIDENCE: the leaf's assignment is more likely wrong than right */
  uncertain: boolean;
  /** peer levels at P75 (the point estimate) */
  achievableInvolvement: number;
  achievableResolution: number;
  /** the leaf's expected automation rate: involvement × resolution at P75 */
  achievableAutomation: number;
  /** the leaf's rate at the low / high end (P50 / P90, widened by classification uncertainty) */
  automationLow: number;
  automationHigh: number;
  /** points of the prospect's automation rate from this leaf (share × rate) */
  points: number;
  pointsLow: number;
  pointsHigh: number;
  /** automated conversations per month expected on this leaf */
  expectedConversations: number;
  benchmark: { source: BenchmarkSource; peers: number; involvement: Levels; resolution: Levels };
  samples: EstimateSample[];
}

export interface EstimateClass {
  automationClass: AutomationClass;
  conversations: number;
  share: number;
  confidence: number | null;
  /** volume-weighted expected automation rate of the class's leaves (null when no volume) */
  achievableAutomation: number | null;
  points: number;
  pointsLow: number;
  pointsHigh: number;
  expectedConversations: number;
}

export interface EstimateAction {
  rank: number;
  taxonomyId: string;
  label: string;
  automationClass: AutomationClass;
  kind: ActionKind;
  title: string;
  rationale: string;
  /** points of automation rate gained by taking this leaf to its achievable level */
  gainPoints: number;
  /** automated conversations per month gained */
  gainConversations: number;
  monthlyConversations: number;
  share: number;
  achievableInvolvement: number;
  achievableResolution: number;
  /** automation rate after this and every higher-ranked action (the roadmap) */
  cumulativeRate: number;
  sampleIds: string[];
}

export interface EstimateModel {
  conversations: number;
  months: number;
  monthlyConversations: number;
  /** a prospect has no AI outcomes yet: 0 */
  currentAutomation: number;
  potential: number | null;
  potentialLow: number | null;
  potentialHigh: number | null;
  /** mean classifier confidence over all conversations */
  confidence: number | null;
  /**
   * Share of the support requests (greetings and small talk left out) classified with confidence
   * < LOW_CONFIDENCE, or null with none: 1–15% on the domains the taxonomy was written for, 21–35%
   * on a reviewer's telecom, insurance and food-delivery exports (docs/estimate.md)
   */
  lowConfidenceRequests: number | null;
  /** expected automated conversations per month at the potential */
  expectedConversations: number;
  classes: EstimateClass[];
  /** by expected points, largest first */
  leaves: EstimateLeaf[];
  /** the roadmap's first actions, by expected conversations per month */
  actions: EstimateAction[];
}

/**
 * From this share of low-confidence requests an export is said to run topics the taxonomy may not
 * have (the web's note keeps the same figure: it imports no values from the server).
 */
export const UNFAMILIAR_REQUEST_SHARE = 0.2;

/**
 * The share of support requests classified with low confidence when it reaches
 * UNFAMILIAR_REQUEST_SHARE (the export's topics fit the taxonomy poorly, so its potential is
 * indicative), else null; null too when the potential is withheld for another reason.
 */
export function poorTopicFit(r: {
  lowConfidenceRequests?: number | null;
  withheld?: unknown;
}): number | null {
  const share = r.lowConfidenceRequests;
  return share != null && share >= UNFAMILIAR_REQUEST_SHARE && !r.withheld ? share : null;
}

const MIN_ACTION_POINTS = 0.0005;
/** the range's ends lie this many sampling standard errors out (P10–P90 of a normal) */
const SAMPLING_Z = 1.2816;
/** pseudo-conversations of the prior spread of targets (see the sampling error below) */
const PRIOR_SPREAD_WEIGHT = 10;

/** Variance of the achievable automation over every topic of the taxonomy, topics weighted alike. */
export function topicSpread(b: Pick<Benchmarks, 'leaves'>): number {
  const levels = [...b.leaves.values()].map((l) => l.involvement.p75 * l.resolution.p75);
  if (levels.length < 2) return 0;
  const mean = levels.reduce((a, v) => a + v, 0) / levels.length;
  return levels.reduce((a, v) => a + (v - mean) ** 2, 0) / levels.length;
}
const pct = (v: number) => `${(v * 100).toFixed(0)}%`;

export function estimatePotential(input: EstimateInput): EstimateModel {
  // the export's span in months (monthsCovered: under one for a short export read at its own pace)
  const months = input.months > 0 ? input.months : 1;
  const total = input.leaves.reduce((s, l) => s + l.conversations, 0);
  const b = input.benchmarks;
  const leaves: EstimateLeaf[] = [];
  let confidenceSum = 0;
  let requests = 0;
  let lowRequests = 0;
  for (const l of input.leaves) {
    if (l.conversations <= 0) continue;
    if (!isNonRequest(l.taxonomyId)) {
      requests += l.conversations;
      lowRequests += l.lowConfidence ?? 0;
    }
    const def = leafById(l.taxonomyId);
    const cls = def?.automationClass ?? 'informational';
    const bm = benchmarkFor(b, l.taxonomyId, cls);
    const classBm = b.classes[cls];
    const share = l.conversations / total;
    const confidence = Math.min(1, Math.max(0, l.confidenceSum / l.conversations));
    confidenceSum += l.confidenceSum;
    const u = 1 - confidence;
    const a50 = bm.involvement.p50 * bm.resolution.p50;
    const a75 = bm.involvement.p75 * bm.resolution.p75;
    const a90 = bm.involvement.p90 * bm.resolution.p90;
    const c50 = classBm.involvement.p50 * classBm.resolution.p50;
    const c90 = classBm.involvement.p90 * classBm.resolution.p90;
    const automationLow = (1 - u) * a50 + u * Math.min(a50, c50);
    const automationHigh = (1 - u) * a90 + u * Math.max(a90, c90);
    const monthly = l.conversations / months;
    leaves.push({
      taxonomyId: l.taxonomyId,
      label: def?.label ?? l.taxonomyId,
      group: def?.group ?? 'Other',
      automationClass: cls,
      conversations: l.conversations,
      monthlyConversations: monthly,
      share,
      confidence,
      lowConfidenceShare: (l.lowConfidence ?? 0) / l.conversations,
      uncertain: confidence < LOW_CONFIDENCE,
      achievableInvolvement: bm.involvement.p75,
      achievableResolution: bm.resolution.p75,
      achievableAutomation: a75,
      automationLow,
      automationHigh,
      points: share * a75,
      pointsLow: share * automationLow,
      pointsHigh: share * automationHigh,
      expectedConversations: monthly * a75,
      benchmark: {
        source: bm.source,
        peers: bm.peers,
        involvement: bm.involvement,
        resolution: bm.resolution,
      },
      samples: l.samples ?? [],
    });
  }
  leaves.sort((x, y) => y.points - x.points || x.taxonomyId.localeCompare(y.taxonomyId, 'en'));
  const sum = (list: EstimateLeaf[], f: (l: EstimateLeaf) => number) => list.reduce((s, l) => s + f(l), 0);

  const classes: EstimateClass[] = AUTOMATION_CLASSES.map((cls) => {
    const of = leaves.filter((l) => l.automationClass === cls);
    const conversations = sum(of, (l) => l.conversations);
    return {
      automationClass: cls,
      conversations,
      share: total > 0 ? conversations / total : 0,
      confidence: conversations > 0 ? sum(of, (l) => l.confidence * l.conversations) / conversations : null,
      achievableAutomation:
        conversations > 0 ? sum(of, (l) => l.achievableAutomation * l.conversations) / conversations : null,
      points: sum(of, (l) => l.points),
      pointsLow: sum(of, (l) => l.pointsLow),
      pointsHigh: sum(of, (l) => l.pointsHigh),
      expectedConversations: sum(of, (l) => l.expectedConversations),
    };
  });

  // An export whose requests fit the topics poorly files many of them as greetings or small talk
  // (a review's "I can smell gas" and meter readings): the roadmap then led with "guide the AI
  // agent to ask what they need" on them. Such topics stay in the potential, not in the roadmap.
  const poorFit = requests > 0 && lowRequests / requests >= UNFAMILIAR_REQUEST_SHARE;
  const candidates = leaves
    .filter((l) => l.points >= MIN_ACTION_POINTS && !(poorFit && isNonRequest(l.taxonomyId)))
    .sort(
      (x, y) =>
        y.expectedConversations - x.expectedConversations || x.taxonomyId.localeCompare(y.taxonomyId, 'en'),
    )
    .slice(0, input.maxActions ?? 5);
  let cumulative = 0;
  const actions: EstimateAction[] = candidates.map((l, i) => {
    // No AI agent yet: the kind follows the class (never "widen the audience").
    const kind = actionKind({
      limitedBy: 'resolution',
      automationClass: l.automationClass,
      taxonomyId: l.taxonomyId,
    });
    cumulative += l.points;
    return {
      rank: i + 1,
      taxonomyId: l.taxonomyId,
      label: l.label,
      automationClass: l.automationClass,
      kind,
      title: actionTitle(kind, l.label),
      rationale: `“${l.label}”: ${perMonthLabel(l.monthlyConversations)} (${pct(l.share)} of volume); comparable accounts involve the AI agent in ${pct(l.achievableInvolvement)} and resolve ${pct(l.achievableResolution)} of those.`,
      gainPoints: l.points,
      gainConversations: l.expectedConversations,
      monthlyConversations: l.monthlyConversations,
      share: l.share,
      achievableInvolvement: l.achievableInvolvement,
      achievableResolution: l.achievableResolution,
      cumulativeRate: cumulative,
      sampleIds: l.samples.map((s) => s.id),
    };
  });

  // The topic shares are themselves estimated from `total` conversations: a small export's mix
  // can be far from the prospect's real one. Potential = Σ share × target is a mean of targets
  // over the conversations, so its sampling error is the targets' spread over √total.
  // A small export's own spread understates it (one topic seen: no spread at all), so it is mixed
  // with the spread of the targets over every topic as if PRIOR_SPREAD_WEIGHT conversations had
  // been spread that way: the range of a 1-conversation file is wide, a 1,000-row file's unchanged.
  const potential = total > 0 ? sum(leaves, (l) => l.points) : null;
  const own =
    potential === null ? 0 : sum(leaves, (l) => l.share * l.achievableAutomation ** 2) - potential ** 2;
  const spread =
    (total * Math.max(0, own) + PRIOR_SPREAD_WEIGHT * topicSpread(b)) / (total + PRIOR_SPREAD_WEIGHT);
  const sampling = total > 0 ? SAMPLING_Z * Math.sqrt(spread / total) : 0;
  return {
    conversations: total,
    months,
    monthlyConversations: total / months,
    currentAutomation: 0,
    potential,
    potentialLow: total > 0 ? Math.max(0, sum(leaves, (l) => l.pointsLow) - sampling) : null,
    potentialHigh: total > 0 ? Math.min(1, sum(leaves, (l) => l.pointsHigh) + sampling) : null,
    confidence: total > 0 ? confidenceSum / total : null,
    lowConfidenceRequests: requests > 0 ? lowRequests / requests : null,
    expectedConversations: sum(leaves, (l) => l.expectedConversations),
    classes,
    leaves,
    actions,
  };
}

/** The method in a few sentences, for "how is this calculated" in the UI and the CLI. */
export const ESTIMATE_METHOD =
  'Every conversation is assigned a taxonomy leaf (its source topic when it names one, otherwise the offline classifier) with a confidence. ' +
  'For each leaf, comparable customer accounts (same vertical; all verticals, then the automation class when fewer than 5 peers have enough volume) give achievable involvement and resolution: P75 for the estimate, P50 and P90 for the range. ' +
  'Potential = Σ share × involvement × resolution. The range is widened by classification uncertainty: the (1 − confidence) part of each leaf is valued at the less (low end) or more (high end) favourable of the leaf’s and its class’s level; and by the sampling error of the topic mix, ±1.28 × the spread of the topics’ levels / √conversations, which matters for small exports. ' +
  'A prospect has no AI outcomes, so its current automation is taken as 0 and every leaf contributes its full achievable rate. ' +
  'Conversations in a language the classifier does not read (it reads English and Hindi-English) count in the volume but not in the topic mix: the potential is that of the conversations it reads.';
