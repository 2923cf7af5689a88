/**
 * Spread across accounts, one row per item: a horizontal box plot (min, p25, median, p75, max) with
 * every account as a dot on hover. Used for the resolution spread per topic (rates, 0–100%) and for
 * the lift per fix (signed points, with a zero line) on the Patterns view.
 */
import type { Spread } from '../api/server-types.ts';
import { pct, points as pts } from '../lib/format.ts';
import { toPct } from './format.ts';
import { chartBase, escapeHtml } from './parts.ts';
import { COLORS, TOOLTIP_BASE } from './theme.ts';
import type { ChartOption } from './types.ts';

export interface BoxPoint {
  /** what a click opens (an account id) */
  key: string;
  name: string;
  /** a fraction (rate) or a difference of fractions (lift) */
  value: number;
  /** extra tooltip line, e.g. "1,234 conversations" */
  detail?: string;
  /** the topic the account is opened at, when the dot is about one */
  taxonomyId?: string;
}

export interface BoxItem {
  key: string;
  label: string;
  color: string;
  spread: Spread | null;
  points: readonly BoxPoint[];
  /** extra tooltip lines for the box */
  lines?: readonly string[];
  /** the figure at the row's right end (with `medianLabels`); the median when absent */
  figure?: string;
}

export type BoxValueKind = 'rate' | 'lift';

/** Below this many dots a box's quartiles are just the dots themselves: draw the dots alone. */
export const MIN_BOX_POINTS = 4;

const boxed = (it: BoxItem): Spread | null => (it.points.length >= MIN_BOX_POINTS ? it.spread : null);

export const BOX_SERIES = { box: 'Spread across accounts', points: 'Accounts', median: 'Median' } as const;

/** The dots in series order, so a click's dataIndex maps back to its account. */
export function boxPoints(items: readonly BoxItem[]): (BoxPoint & { item: number })[] {
  return items.flatMap((it, item) => it.points.map((p) => ({ ...p, item })));
}

const fmt = (kind: BoxValueKind, x: number | null | undefined) => (kind === 'rate' ? pct(x) : pts(x));

/**
 * Axis bounds in percent units, on whole ticks: rates 0..(100 when needed); lifts always show 0,
 * with a 10-point step up to a 60-point range and 20 beyond, so the last tick is not squeezed.
 */
export function boxAxisRange(
  items: readonly BoxItem[],
  kind: BoxValueKind,
): { min: number; max: number; interval?: number } {
  const values = items.flatMap((it) => [
    ...(it.spread ? [it.spread.min, it.spread.max] : []),
    ...it.points.map((p) => p.value),
  ]);
  const lo = Math.min(0, ...values) * 100;
  const hi = Math.max(0, ...values) * 100;
  if (kind === 'rate') return { min: 0, max: hi > 80 ? 100 : Math.ceil(hi / 10) * 10 || 10 };
  const span = Math.ceil(hi / 10) * 10 - Math.floor(lo / 10) * 10;
  const step = span > 60 ? 20 : 10;
  return {
    min: Math.floor(lo / step) * step,
    max: Math.max(step, Math.ceil(hi / step) * step),
    interval: step,
  };
}

export function boxScatterOption(
  items: readonly BoxItem[],
  {
    kind,
    axisName,
    narrow = false,
    medianLabels = false,
    labelWidth = 190,
  }: {
    kind: BoxValueKind;
    axisName: string;
    narrow?: boolean;
    medianLabels?: boolean;
    /** px of the row labels on wide screens (100 on phones) */
    labelWidth?: number;
  },
): ChartOption {
  const dots = boxPoints(items);
  const { min, max, interval } = boxAxisRange(items, kind);
  const axisFmt = (v: number) =>
    kind === 'rate' ? `${v}%` : `${v > 0 ? '+' : v < 0 ? '−' : ''}${Math.abs(v)}`;
  const spreadLine = (it: BoxItem) => {
    const s = boxed(it);
    if (s)
      return `Median ${fmt(kind, s.median)} · middle half ${fmt(kind, s.p25)} – ${fmt(kind, s.p75)}<br/>Range ${fmt(kind, s.min)} – ${fmt(kind, s.max)}`;
    if (it.spread && it.points.length > 0)
      return `Median ${fmt(kind, it.spread.median)} · ${it.points.length} ${it.points.length === 1 ? 'dot' : 'dots'}, too few for a box`;
    return 'Too few accounts with enough volume for a spread';
  };
  return {
    ...chartBase(
      `${axisName} across accounts: ${items
        .map((i) => `${i.label} median ${fmt(kind, i.spread?.median)}`)
        .join('; ')}.`,
    ),
    grid: { left: 8, right: medianLabels ? 8 : 20, top: 12, bottom: 34, containLabel: true },
    tooltip: {
      ...TOOLTIP_BASE,
      trigger: 'item',
      confine: true,
      formatter: (p: unknown) => {
        const { seriesIndex, dataIndex } = p as { seriesIndex: number; dataIndex: number };
        if (seriesIndex === 1) {
          const d = dots[dataIndex];
          if (!d) return '';
          return [
            `<strong>${escapeHtml(d.name)}</strong>`,
            `${escapeHtml(items[d.item]?.label ?? '')}: ${fmt(kind, d.value)}`,
            ...(d.detail ? [escapeHtml(d.detail)] : []),
            '<span style="color:#5d6677">Click to open the account</span>',
          ].join('<br/>');
        }
        const it = items[dataIndex];
        if (!it) return '';
        return [
          `<strong>${escapeHtml(it.label)}</strong>`,
          spreadLine(it),
          ...(it.lines ?? []).map(escapeHtml),
        ].join('<br/>');
      },
    },
    xAxis: {
      type: 'value',
      min,
      max,
      ...(interval
        ? { interval: narrow && max - min > 4 * interval ? interval * 2 : interval }
        : narrow && max === 100
          ? { interval: 25 }
          : {}),
      splitNumber: narrow ? 4 : 6,
      axisLabel: { formatter: axisFmt, color: COLORS.subtle, hideOverlap: true },
      splitLine: { lineStyle: { color: COLORS.grid } },
      name: axisName,
      nameLocation: 'middle',
      nameGap: 24,
      nameTextStyle: { color: COLORS.subtle },
    },
    yAxis: [
      {
        type: 'category',
        inverse: true,
        data: items.map((i) => i.label),
        axisTick: { show: false },
        axisLine: { show: false },
        splitLine: { show: true, lineStyle: { color: COLORS.grid } },
        axisLabel: { color: COLORS.text, width: narrow ? 125 : labelWidth, overflow: 'truncate' },
        // spread the account dots vertically inside their row so overlapping accounts stay visible
        jitter: narrow ? 10 : 14,
        jitterOverlap: false,
      },
      ...(medianLabels
        ? [
            {
              // each row's figure (its median unless the item gives one), read off at the right edge
              type: 'category' as const,
              position: 'right' as const,
              inverse: true,
              data: items.map((i) => i.figure ?? fmt(kind, i.spread?.median)),
              axisTick: { show: false },
              axisLine: { show: false },
              axisLabel: { color: COLORS.text, fontWeight: 600 as const },
            },
          ]
        : []),
    ],
    series: [
      {
        type: 'boxplot',
        name: BOX_SERIES.box,
        boxWidth: narrow ? [6, 14] : [8, 18],
        cursor: 'pointer',
        itemStyle: { color: COLORS.headroom, borderColor: COLORS.automation, borderWidth: 1.2 },
        emphasis: { itemStyle: { borderWidth: 2 } },
        data: items.map((i) => {
          const b = boxed(i);
          return {
            value: b ? [b.min, b.p25, b.median, b.p75, b.max].map((v) => toPct(v) ?? 0) : [],
            itemStyle: { color: `${i.color}29`, borderColor: i.color },
          };
        }),
        ...(kind === 'lift'
          ? {
              markLine: {
                silent: true,
                symbol: 'none',
                label: { show: false },
                lineStyle: { color: COLORS.subtle, type: 'solid', width: 1 },
                data: [{ xAxis: 0 }],
              },
            }
          : {}),
      },
      {
        type: 'scatter',
        name: BOX_SERIES.points,
        symbolSize: narrow ? 5 : 6,
        cursor: 'pointer',
        itemStyle: { color: COLORS.text, opacity: 0.55 },
        emphasis: { scale: 1.8, itemStyle: { opacity: 1 } },
        data: dots.map((d) => ({ value: [toPct(d.value) ?? 0, d.item], name: d.name })),
      },
    ],
  };
}
