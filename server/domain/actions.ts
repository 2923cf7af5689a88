/**
 * Next actions (SPEC §4): one per leaf with a gap, the kind chosen from the diagnosis
 * (low involvement → widen the audience, otherwise by automation class), ranked by impact.
 *
 * Expected gain (issue 10 item 4): where the kind of fix has a lift measured against matched
 * controls on enough treated accounts (server/domain/lifts.ts), the gain is that lift (points of
 * the leaf's automation rate, with its interval) applied to the leaf's share of the volume,
 * capped by the leaf's headroom to its achievable level; otherwise the gap to the peers' level
 * (the potential's leaf gap), as before. `gainSource` says which.
 */

import type { LeafPotential } from './potential.ts';
import type { ActionKind, AutomationClass, InterventionKind } from './types.ts';

/** The intervention kind whose measured lift stands for an action kind (routing has none). */
export const ACTION_LIFT_KIND: Readonly<Partial<Record<ActionKind, InterventionKind>>> = {
  widen_audience: 'channel_rollout',
  content: 'content',
  data_connector: 'data_connector',
  procedure: 'procedure',
};

/** A kind's lift needs this many distinct treated accounts to feed the gain (the bar). */
export const MIN_LIFT_ACCOUNTS = 5;

/** What a next action's gain rests on: a measured lift, or the gap to the peers' level. */
export type GainSource = 'lift' | 'peers';

/** A kind's measured lift, as the actions use it (points of the leaf's automation, fractions). */
export interface ActionLift {
  kind: InterventionKind;
  /** distinct treated accounts behind it */
  accounts: number;
  lift: number;
  low: number;
  high: number;
}

export interface PlannedAction {
  rank: number;
  taxonomyId: string;
  automationClass: AutomationClass;
  kind: ActionKind;
  /** expected gain, points of the account's automation rate */
  gainPoints: number;
  gainConversations: number;
  gainSource: GainSource;
  /** the lift's interval applied the same way (points); null when the gain is the peers' gap */
  gainLow: number | null;
  gainHigh: number | null;
  /** treated accounts behind the lift; null for the peers' gap */
  liftAccounts: number | null;
  /** the leaf's gap to its achievable level (points): the peers' gain, and the cap of a lift's */
  headroomPoints: number;
  monthlyConversations: number;
  share: number;
  involvementRate: number | null;
  resolutionRate: number | null;
  achievableInvolvement: number;
  achievableResolution: number;
  /** automation rate after this and every higher-ranked action */
  cumulativeRate: number;
}

const KIND_BY_CLASS: Record<AutomationClass, ActionKind> = {
  informational: 'content',
  personalized: 'data_connector',
  action: 'procedure',
  human: 'routing',
};

/**
 * SPEC §4: low involvement → widen the audience, else by class — except a human-class topic, which
 * stays out of the AI agent's scope (SPEC §3): routing it well is the action, never widening the AI
 * agent's audience for it.
 */
export function actionKind(leaf: Pick<LeafPotential, 'limitedBy' | 'automationClass'>): ActionKind {
  if (leaf.automationClass === 'human') return 'routing';
  return leaf.limitedBy === 'involvement' ? 'widen_audience' : KIND_BY_CLASS[leaf.automationClass];
}

const KIND_VERB: Record<ActionKind, string> = {
  widen_audience: 'Widen the AI agent’s audience for',
  content: 'Write or fix help content for',
  data_connector: 'Connect a data source so the AI agent can look up',
  procedure: 'Build a procedure so the AI agent can handle',
  // a human-class topic stays a person's to decide, but peers' AI agents resolve part of it (what a
  // charge is, where a dispute stands) and hand the rest over with its context: that part is the gain
  routing: 'Route well — the AI agent answers what it can, a person takes the rest with its context:',
};

export function actionTitle(kind: ActionKind, leafLabel: string): string {
  return `${KIND_VERB[kind]} “${leafLabel}”`;
}

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(0)}%`);

const pts = (v: number) => `${(v * 100).toFixed(1)} pts`;

/** Where the expected gain comes from, in one sentence. */
export function gainBasis(
  a: Pick<
    PlannedAction,
    'kind' | 'gainSource' | 'gainPoints' | 'gainLow' | 'gainHigh' | 'liftAccounts' | 'headroomPoints'
  >,
): string {
  if (a.gainSource === 'peers')
    return `Expected gain: the gap to the peers’ level (${pts(a.headroomPoints)}); no lift measured on enough accounts for this kind of fix.`;
  const capped =
    a.gainPoints >= a.headroomPoints - 1e-9 ? `, capped by the topic’s gap to the peers’ level` : '';
  return `Expected gain: the lift measured for ${ACTION_LIFT_KIND[a.kind]?.replace('_', ' ')} fixes on ${a.liftAccounts} accounts against matched controls, on this topic’s share of volume: ${pts(a.gainPoints)} (95% interval ${pts(a.gainLow ?? 0)}–${pts(a.gainHigh ?? 0)})${capped}.`;
}

/** "904 conversations/month"; small volumes keep a decimal: "0 conversations/month" would hide that there are some. */
export function perMonthLabel(n: number): string {
  return `${n < 10 ? n.toFixed(1) : Math.round(n).toLocaleString('en-US')} conversations/month`;
}

export function actionRationale(a: PlannedAction, leafLabel: string): string {
  const volume = `${perMonthLabel(a.monthlyConversations)} (${pct(a.share)} of volume)`;
  if (a.kind === 'widen_audience')
    return `“${leafLabel}”: ${volume}; the AI agent takes part in ${pct(a.involvementRate)} of them where peers reach ${pct(a.achievableInvolvement)}.`;
  return `“${leafLabel}”: ${volume}; the AI agent resolves ${pct(a.resolutionRate)} of those it handles where peers reach ${pct(a.achievableResolution)} (involvement ${pct(a.involvementRate)} vs ${pct(a.achievableInvolvement)}).`;
}

/**
 * The expected gain of acting on `leaf` with an action of `kind`: with a lift for the kind on at
 * least `minAccounts` treated accounts, share × lift (and its interval), each within
 * [0, the leaf's gap] — a fix is not counted on to lower the rate, nor to pass the leaf's
 * achievable level; otherwise the gap itself (the peers' level).
 */
export function expectedGain(
  leaf: Pick<LeafPotential, 'share' | 'gapPoints'>,
  kind: ActionKind,
  lifts: ReadonlyMap<InterventionKind, ActionLift>,
  minAccounts = MIN_LIFT_ACCOUNTS,
): { points: number; low: number | null; high: number | null; source: GainSource; accounts: number | null } {
  const liftKind = ACTION_LIFT_KIND[kind];
  const lift = liftKind ? lifts.get(liftKind) : undefined;
  if (!lift || lift.accounts < minAccounts)
    return { points: leaf.gapPoints, low: null, high: null, source: 'peers', accounts: null };
  const capped = (points: number) => Math.min(leaf.gapPoints, Math.max(0, leaf.share * points));
  return {
    points: capped(lift.lift),
    low: capped(lift.low),
    high: capped(lift.high),
    source: 'lift',
    accounts: lift.accounts,
  };
}

/**
 * Ranks actions by conversations gained per month; `currentRate` is the window automation rate.
 * `lifts` are the measured lifts per intervention kind (none: every gain is the peers' gap, and
 * the cumulative rate of the last action is the potential).
 */
export function planActions(
  leaves: readonly LeafPotential[],
  currentRate: number,
  months: number,
  lifts: ReadonlyMap<InterventionKind, ActionLift> = new Map(),
  minGainPoints = 0.0005,
): PlannedAction[] {
  const candidates = leaves
    .filter((l) => l.gapPoints >= minGainPoints)
    .map((l) => {
      const kind = actionKind(l);
      const gain = expectedGain(l, kind, lifts);
      // conversations/month of the account: the gap's, scaled to the gain
      const perPoint = l.gapPoints > 0 ? l.gapConversations / l.gapPoints : 0;
      return { l, kind, gain, gainConversations: gain.points * perPoint };
    })
    .sort(
      (a, b) =>
        b.gainConversations - a.gainConversations || a.l.taxonomyId.localeCompare(b.l.taxonomyId, 'en'),
    );
  let cumulative = currentRate;
  return candidates.map(({ l, kind, gain, gainConversations }, i) => {
    cumulative += gain.points;
    return {
      rank: i + 1,
      taxonomyId: l.taxonomyId,
      automationClass: l.automationClass,
      kind,
      gainPoints: gain.points,
      gainConversations,
      gainSource: gain.source,
      gainLow: gain.low,
      gainHigh: gain.high,
      liftAccounts: gain.accounts,
      headroomPoints: l.gapPoints,
      monthlyConversations: l.conversations / months,
      share: l.share,
      involvementRate: l.involvementRate,
      resolutionRate: l.resolutionRate,
      achievableInvolvement: l.achievable.involvement,
      achievableResolution: l.achievable.resolution,
      cumulativeRate: cumulative,
    };
  });
}
