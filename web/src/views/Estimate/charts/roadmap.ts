/**
 * The prospect's roadmap: from no AI agent (0 %) through its first actions (each step is the gain
 * of one topic taken to its achievable level), the rest of the topics, to the predicted potential.
 */
import type { ChartOption } from '../../../charts/types.ts';
import { MIN_REST, waterfallOption } from '../../../charts/waterfall.ts';
import { count } from '../../../lib/format.ts';

export interface RoadmapAction {
  rank: number;
  label: string;
  title: string;
  taxonomyId: string;
  gainPoints: number;
  gainConversations: number;
  cumulativeRate: number;
}

export interface RoadmapStep {
  kind: 'action' | 'rest' | 'potential';
  label: string;
  detail: string;
  /** fractions 0–1 */
  from: number;
  to: number;
  conversations: number | null;
  taxonomyId?: string;
}

export function roadmapSteps(
  actions: readonly RoadmapAction[],
  potential: number | null,
  expectedConversations: number,
): RoadmapStep[] {
  if (potential == null) return [];
  const steps: RoadmapStep[] = [];
  let level = 0;
  let conv = 0;
  for (const a of [...actions].sort((x, y) => x.rank - y.rank)) {
    const to = Math.max(level, a.cumulativeRate);
    steps.push({
      kind: 'action',
      label: `${a.rank}. ${a.label}`,
      detail: a.title,
      from: level,
      to,
      conversations: a.gainConversations,
      taxonomyId: a.taxonomyId,
    });
    level = to;
    conv += a.gainConversations;
  }
  if (potential - level > MIN_REST)
    steps.push({
      kind: 'rest',
      label: 'Other topics',
      detail: 'Every other topic at its achievable level',
      from: level,
      to: potential,
      conversations: Math.max(0, expectedConversations - conv),
    });
  steps.push({
    kind: 'potential',
    label: 'Potential',
    detail: 'Predicted automation rate with every topic at its achievable level',
    from: 0,
    to: Math.max(potential, level),
    conversations: expectedConversations,
  });
  return steps;
}

export function roadmapOption(steps: readonly RoadmapStep[], { narrow = false } = {}): ChartOption {
  return waterfallOption(steps, {
    narrow,
    title: 'Roadmap from no AI agent to the potential',
    stack: 'roadmap',
    gridRight: 64,
    tooltipExtra: (s) =>
      s.conversations == null ? '' : `<br/>≈ ${count(s.conversations)} conversations / month`,
  });
}
