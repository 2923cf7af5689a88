/**
 * The prospect's roadmap: from no AI agent (0 %) through its first actions (each step is the gain
 * of one topic taken to its achievable level), the rest of the topics, to the predicted potential.
 */
import { pctAxis, pctValue, toPct } from '../../../charts/format.ts';
import { COLORS, FONT, TOOLTIP_BASE } from '../../../charts/theme.ts';
import type { ChartOption } from '../../../charts/types.ts';
import { escapeHtml } from '../../../charts/waterfall.ts';
import { count, points } from '../../../lib/format.ts';

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

const MIN_REST = 0.0005;

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
  const colorOf = (s: RoadmapStep) =>
    s.kind === 'potential' ? COLORS.potential : s.kind === 'rest' ? '#8ce99a' : COLORS.gain;
  const labelOf = (s: RoadmapStep) =>
    s.kind === 'potential' ? pctValue(toPct(s.to)) : points(s.to - s.from);
  const max = Math.max(0, ...steps.map((s) => s.to));
  return {
    aria: {
      enabled: true,
      label: {
        description: `Roadmap from no AI agent to the potential: ${steps.map((s) => `${s.label} ${labelOf(s)}`).join('; ')}.`,
      },
    },
    textStyle: FONT,
    animationDuration: 300,
    grid: { left: 8, right: 64, top: 8, bottom: 30, containLabel: true },
    tooltip: {
      ...TOOLTIP_BASE,
      trigger: 'item',
      formatter: (p: unknown) => {
        const s = steps[(p as { dataIndex: number }).dataIndex];
        if (!s) return '';
        const value =
          s.kind === 'potential'
            ? pctValue(toPct(s.to))
            : `${points(s.to - s.from)} → ${pctValue(toPct(s.to))}`;
        const conv = s.conversations == null ? '' : `<br/>≈ ${count(s.conversations)} conversations / month`;
        return `<strong>${escapeHtml(s.label)}</strong><br/>${escapeHtml(s.detail)}<br/>${value}${conv}`;
      },
    },
    xAxis: {
      type: 'value',
      min: 0,
      max: max > 0.9 ? 100 : undefined,
      splitNumber: narrow ? 3 : 5,
      axisLabel: { formatter: pctAxis, color: COLORS.subtle, hideOverlap: true },
      splitLine: { lineStyle: { color: COLORS.grid } },
      name: 'Automation rate (%)',
      nameLocation: 'middle',
      nameGap: 24,
      nameTextStyle: { color: COLORS.subtle },
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: steps.map((s) => s.label),
      axisTick: { show: false },
      axisLine: { lineStyle: { color: COLORS.axis } },
      axisLabel: { color: COLORS.text, width: narrow ? 104 : 170, overflow: 'truncate' },
    },
    series: [
      {
        type: 'bar',
        name: 'base',
        stack: 'roadmap',
        silent: true,
        itemStyle: { color: 'transparent' },
        emphasis: { disabled: true },
        tooltip: { show: false },
        data: steps.map((s) => toPct(s.from)),
      },
      {
        type: 'bar',
        name: 'Automation rate',
        stack: 'roadmap',
        barMaxWidth: 22,
        cursor: 'pointer',
        data: steps.map((s) => ({
          value: Math.round(((toPct(s.to) ?? 0) - (toPct(s.from) ?? 0)) * 10) / 10,
          itemStyle: { color: colorOf(s), borderRadius: 3 },
          label: {
            show: true,
            position: 'right',
            formatter: labelOf(s),
            color: COLORS.text,
            fontWeight: 600,
          },
        })),
      },
    ],
  };
}
