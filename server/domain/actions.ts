/**
 * Next actions (SPEC §4): one per leaf with a gap, the kind chosen from the diagnosis
 * (low involvement → widen the audience, otherwise by automation class), ranked by impact.
 */

import type { LeafPotential } from './potential.ts';
import type { ActionKind, AutomationClass } from './types.ts';

export interface PlannedAction {
  rank: number;
  taxonomyId: string;
  automationClass: AutomationClass;
  kind: ActionKind;
  gainPoints: number;
  gainConversations: number;
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

export function actionKind(leaf: Pick<LeafPotential, 'limitedBy' | 'automationClass'>): ActionKind {
  return leaf.limitedBy === 'involvement' ? 'widen_audience' : KIND_BY_CLASS[leaf.automationClass];
}

const KIND_VERB: Record<ActionKind, string> = {
  widen_audience: 'Widen the AI agent’s audience for',
  content: 'Write or fix help content for',
  data_connector: 'Connect a data source so the AI agent can look up',
  procedure: 'Build a procedure so the AI agent can handle',
  routing: 'Route well and keep out of the AI agent’s scope:',
};

export function actionTitle(kind: ActionKind, leafLabel: string): string {
  return `${KIND_VERB[kind]} “${leafLabel}”`;
}

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(0)}%`);

export function actionRationale(a: PlannedAction, leafLabel: string): string {
  // Small leaves keep a decimal: "0 conversations/month" would hide that there are some.
  const perMonth =
    a.monthlyConversations < 10
      ? a.monthlyConversations.toFixed(1)
      : Math.round(a.monthlyConversations).toLocaleString('en-US');
  const volume = `${perMonth} conversations/month (${pct(a.share)} of volume)`;
  if (a.kind === 'widen_audience')
    return `“${leafLabel}”: ${volume}; the AI agent takes part in ${pct(a.involvementRate)} of them where peers reach ${pct(a.achievableInvolvement)}.`;
  return `“${leafLabel}”: ${volume}; the AI agent resolves ${pct(a.resolutionRate)} of those it handles where peers reach ${pct(a.achievableResolution)} (involvement ${pct(a.involvementRate)} vs ${pct(a.achievableInvolvement)}).`;
}

/** Ranks actions by conversations gained per month; `currentRate` is the window automation rate. */
export function planActions(
  leaves: readonly LeafPotential[],
  currentRate: number,
  months: number,
  minGainPoints = 0.0005,
): PlannedAction[] {
  const candidates = leaves
    .filter((l) => l.gapPoints >= minGainPoints)
    .sort((a, b) => b.gapConversations - a.gapConversations || a.taxonomyId.localeCompare(b.taxonomyId));
  let cumulative = currentRate;
  return candidates.map((l, i) => {
    cumulative += l.gapPoints;
    return {
      rank: i + 1,
      taxonomyId: l.taxonomyId,
      automationClass: l.automationClass,
      kind: actionKind(l),
      gainPoints: l.gapPoints,
      gainConversations: l.gapConversations,
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
