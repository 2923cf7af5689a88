/** Roadmap waterfall: current → +gain of each ranked action → potential (horizontal, top-down). */
import { points } from '../lib/format.ts';
import { pctAxis, pctValue, toPct } from './format.ts';
import { COLORS, FONT, TOOLTIP_BASE } from './theme.ts';
import type { ChartOption } from './types.ts';

export interface WaterfallAction {
  rank: number;
  label: string;
  title: string;
  taxonomyId: string;
  gainPoints: number;
  cumulativeRate: number;
}

export interface WaterfallStep {
  kind: 'current' | 'action' | 'rest' | 'potential';
  label: string;
  detail: string;
  /** where the bar starts and ends, fractions 0–1 */
  from: number;
  to: number;
  taxonomyId?: string;
}

const MIN_REST = 0.0005;

/** The steps of the roadmap; actions beyond `maxActions` are folded into one "other" step. */
export function waterfallSteps(
  current: number | null,
  potential: number | null,
  actions: readonly WaterfallAction[],
  maxActions = 8,
): WaterfallStep[] {
  if (current == null) return [];
  const steps: WaterfallStep[] = [
    { kind: 'current', label: 'Current', detail: 'Automation rate, last 3 months', from: 0, to: current },
  ];
  const ranked = [...actions].sort((a, b) => a.rank - b.rank);
  let level = current;
  for (const a of ranked.slice(0, maxActions)) {
    const to = Math.max(level, a.cumulativeRate);
    steps.push({
      kind: 'action',
      label: `${a.rank}. ${a.label}`,
      detail: a.title,
      from: level,
      to,
      taxonomyId: a.taxonomyId,
    });
    level = to;
  }
  const rest = ranked.slice(maxActions);
  if (rest.length) {
    const to = Math.max(level, rest[rest.length - 1]!.cumulativeRate);
    steps.push({
      kind: 'rest',
      label: `${rest.length} more actions`,
      detail: 'Lower-ranked actions',
      from: level,
      to,
    });
    level = to;
  }
  if (potential != null && potential - level > MIN_REST) {
    steps.push({
      kind: 'rest',
      label: 'Other topics',
      detail: 'Smaller gaps on other topics',
      from: level,
      to: potential,
    });
    level = potential;
  }
  steps.push({
    kind: 'potential',
    label: 'Potential',
    detail: 'Every topic at its achievable level',
    from: 0,
    to: potential ?? level,
  });
  return steps;
}

export function waterfallOption(steps: readonly WaterfallStep[], { narrow = false } = {}): ChartOption {
  const colorOf = (s: WaterfallStep) =>
    s.kind === 'current'
      ? COLORS.automation
      : s.kind === 'potential'
        ? COLORS.potential
        : s.kind === 'rest'
          ? '#8ce99a'
          : COLORS.gain;
  const labelOf = (s: WaterfallStep) =>
    s.kind === 'current' || s.kind === 'potential' ? pctValue(toPct(s.to)) : points(s.to - s.from);
  const max = Math.max(0, ...steps.map((s) => s.to));
  return {
    aria: {
      enabled: true,
      label: {
        description: `Automation roadmap: ${steps.map((s) => `${s.label} ${labelOf(s)}`).join('; ')}.`,
      },
    },
    textStyle: FONT,
    animationDuration: 300,
    grid: { left: 8, right: 60, top: 8, bottom: 30, containLabel: true },
    tooltip: {
      ...TOOLTIP_BASE,
      trigger: 'item',
      formatter: (p: unknown) => {
        const i = (p as { dataIndex: number }).dataIndex;
        const s = steps[i];
        if (!s) return '';
        const value =
          s.kind === 'current' || s.kind === 'potential'
            ? pctValue(toPct(s.to))
            : `${points(s.to - s.from)} → ${pctValue(toPct(s.to))}`;
        return `<strong>${escapeHtml(s.label)}</strong><br/>${escapeHtml(s.detail)}<br/>${value}`;
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
        stack: 'waterfall',
        silent: true,
        itemStyle: { color: 'transparent' },
        emphasis: { disabled: true },
        tooltip: { show: false },
        data: steps.map((s) => toPct(s.from)),
      },
      {
        type: 'bar',
        name: 'Automation rate',
        stack: 'waterfall',
        barMaxWidth: 22,
        cursor: 'pointer',
        data: steps.map((s) => ({
          value: Math.round((toPct(s.to) ?? 0) * 10 - (toPct(s.from) ?? 0) * 10) / 10,
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

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
