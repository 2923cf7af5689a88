/** Roadmap waterfall: current → +gain of each ranked action → potential (horizontal, top-down). */
import { points } from '../lib/format.ts';
import { pctValue, toPct } from './format.ts';
import { barEndLabel, categoryYAxis, chartBase, escapeHtml, pctMax, valueXAxis } from './parts.ts';
import { COLORS, TOOLTIP_BASE } from './theme.ts';
import type { ChartOption } from './types.ts';

export interface WaterfallAction {
  rank: number;
  label: string;
  title: string;
  taxonomyId: string;
  /** the kind of fix: named beside the topic where a topic has two actions (one per lever) */
  kind?: string;
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

/** A rest step smaller than this (0.05 pts) is left out. */
export const MIN_REST = 0.0005;

/** The steps of the roadmap; actions beyond `maxActions` are folded into one "other" step. */
export function waterfallSteps(
  current: number | null,
  potential: number | null,
  actions: readonly WaterfallAction[],
  maxActions = 8,
  /** a prospect starts from no AI agent at all, not from a measured rate */
  prospect = false,
  /** the kind of fix as the cards name it ("Widen audience") */
  kindLabel: (kind: string) => string = (kind) => kind,
): WaterfallStep[] {
  if (current == null) return [];
  const steps: WaterfallStep[] = [
    prospect
      ? {
          kind: 'current',
          label: 'Today (no AI agent)',
          detail: 'A prospect: no AI agent yet',
          from: 0,
          to: current,
        }
      : { kind: 'current', label: 'Current', detail: 'Automation rate, last 3 months', from: 0, to: current },
  ];
  const ranked = [...actions].sort((a, b) => a.rank - b.rank);
  const onTopic = new Map<string, number>();
  for (const a of ranked) onTopic.set(a.taxonomyId, (onTopic.get(a.taxonomyId) ?? 0) + 1);
  let level = current;
  for (const a of ranked.slice(0, maxActions)) {
    const to = Math.max(level, a.cumulativeRate);
    const lever = a.kind && (onTopic.get(a.taxonomyId) ?? 0) > 1 ? ` · ${kindLabel(a.kind)}` : '';
    steps.push({
      kind: 'action',
      label: `${a.rank}. ${a.label}${lever}`,
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
      label: `${rest.length} more action${rest.length === 1 ? '' : 's'}`,
      detail: 'Lower-ranked actions',
      from: level,
      to,
    });
    level = to;
  }
  if (potential != null && potential - level > MIN_REST) {
    steps.push({
      kind: 'rest',
      label: 'Rest of the gap',
      // an action's gain is its kind's measured lift where there is one, which can promise less
      // than the topic's gap to the peers' level
      detail:
        'Topics too small to act on (under 5 conversations or 0.05 points), the part of each gap measured lifts do not promise, and what fixes still settling are expected to bring',
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

/** The parts of a step the chart draws (the estimate's roadmap adds conversations to its steps). */
export type FloatingStep = Pick<WaterfallStep, 'kind' | 'label' | 'detail' | 'from' | 'to'>;

export interface WaterfallOptions<S extends FloatingStep> {
  narrow?: boolean;
  /** start of the screen-reader description, before the list of steps */
  title?: string;
  /** echarts stack name of the two series */
  stack?: string;
  /** room right of the plot for the value labels */
  gridRight?: number;
  /** HTML appended to a step's tooltip (escape any text in it) */
  tooltipExtra?: (s: S) => string;
}

const STEP_COLORS: Record<WaterfallStep['kind'], string> = {
  current: COLORS.automation,
  action: COLORS.gain,
  rest: '#8ce99a',
  potential: COLORS.potential,
};

/** A phone's percent axis labels: the number alone ("40"), under an axis named "… (%)". */
export const narrowPctAxis = (v: number) => String(v);

/** Current and potential are levels (a rate), the steps between are gains (points). */
const isLevel = (s: FloatingStep) => s.kind === 'current' || s.kind === 'potential';

/**
 * Floating horizontal bars: each step is a transparent base up to `from` stacked under the visible
 * bar from `from` to `to`, labelled with the rate (levels) or the points it adds (gains).
 */
export function waterfallOption<S extends FloatingStep>(
  steps: readonly S[],
  {
    narrow = false,
    title = 'Automation roadmap',
    stack = 'waterfall',
    gridRight = 60,
    tooltipExtra,
  }: WaterfallOptions<S> = {},
): ChartOption {
  const labelOf = (s: S) => (isLevel(s) ? pctValue(toPct(s.to)) : points(s.to - s.from));
  return {
    ...chartBase(`${title}: ${steps.map((s) => `${s.label} ${labelOf(s)}`).join('; ')}.`),
    grid: { left: 8, right: gridRight, top: 8, bottom: 30, containLabel: true },
    tooltip: {
      ...TOOLTIP_BASE,
      trigger: 'item',
      formatter: (p: unknown) => {
        const s = steps[(p as { dataIndex: number }).dataIndex];
        if (!s) return '';
        const value = isLevel(s)
          ? pctValue(toPct(s.to))
          : `${points(s.to - s.from)} → ${pctValue(toPct(s.to))}`;
        return `<strong>${escapeHtml(s.label)}</strong><br/>${escapeHtml(s.detail)}<br/>${value}${tooltipExtra?.(s) ?? ''}`;
      },
    },
    xAxis: valueXAxis({
      name: 'Automation rate (%)',
      narrow,
      max: pctMax(steps.map((s) => s.to)),
      // a phone's plot is ~125 px wide: "0% 20% 40% 60%" overlapped and the axis dropped "40%";
      // bare numbers fit, the axis name says they are percent
      ...(narrow && { formatter: narrowPctAxis }),
    }),
    yAxis: categoryYAxis(
      steps.map((s) => s.label),
      { narrow },
    ),
    series: [
      {
        type: 'bar',
        name: 'base',
        stack,
        silent: true,
        itemStyle: { color: 'transparent' },
        emphasis: { disabled: true },
        tooltip: { show: false },
        data: steps.map((s) => toPct(s.from)),
      },
      {
        type: 'bar',
        name: 'Automation rate',
        stack,
        barMaxWidth: 22,
        cursor: 'pointer',
        data: steps.map((s) => ({
          value: Math.round(((toPct(s.to) ?? 0) - (toPct(s.from) ?? 0)) * 10) / 10,
          itemStyle: { color: STEP_COLORS[s.kind], borderRadius: 3 },
          label: barEndLabel(labelOf(s)),
        })),
      },
    ],
  };
}

export { escapeHtml };
