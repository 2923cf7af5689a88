/**
 * Option pieces shared by the chart builders: the base every chart starts with, the legend, and for the
 * horizontal bar charts (categories top-down on y, values on x: roadmap waterfalls, breakdown,
 * contribution) the axes, the axis tooltip and the bar-end label.
 */
import { pctAxis } from './format.ts';
import { COLORS, FONT, TOOLTIP_BASE } from './theme.ts';
import type { ChartOption } from './types.ts';

type One<T> = Exclude<NonNullable<T>, readonly unknown[]>;
type XAxis = One<ChartOption['xAxis']>;
type YAxis = One<ChartOption['yAxis']>;
type Legend = One<ChartOption['legend']>;
type Tooltip = One<ChartOption['tooltip']>;

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Screen-reader description, font and animation every chart starts with. */
export function chartBase(
  description: string,
): Pick<ChartOption, 'aria' | 'textStyle' | 'animationDuration'> {
  return {
    aria: { enabled: true, label: { description } },
    textStyle: FONT,
    animationDuration: 300,
  };
}

/** The legend above the plot, top left, with small rounded swatches. */
export function chartLegend(data: string[]): Legend {
  return {
    top: 0,
    left: 0,
    icon: 'roundRect',
    itemWidth: 12,
    itemHeight: 8,
    data,
    textStyle: { color: COLORS.subtle },
  };
}

/** The horizontal value axis from 0, named in the middle below it (percent labels by default). */
export function valueXAxis({
  name,
  narrow,
  max,
  formatter = pctAxis,
}: {
  name: string;
  narrow: boolean;
  max?: number;
  formatter?: (v: number) => string;
}): XAxis {
  return {
    type: 'value',
    min: 0,
    max,
    splitNumber: narrow ? 3 : 5,
    axisLabel: { formatter, color: COLORS.subtle, hideOverlap: true },
    splitLine: { lineStyle: { color: COLORS.grid } },
    name,
    nameLocation: 'middle',
    nameGap: 24,
    nameTextStyle: { color: COLORS.subtle },
  };
}

/** Percent axes end at 100 when a value is above 90 %, so a bar never ends beyond the last tick. */
export function pctMax(fractions: readonly number[]): number | undefined {
  return Math.max(0, ...fractions) > 0.9 ? 100 : undefined;
}

/**
 * A label on at most two lines of `maxChars`, by words; what does not fit ends in "…" (ECharts cut a
 * third line without a mark: "Product suggestion or" read as a whole topic on a phone).
 */
export function twoLineLabel(label: string, maxChars: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of label.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (next.length <= maxChars || !line) line = next;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  const cut = (l: string) => (l.length > maxChars ? `${l.slice(0, maxChars - 1).trimEnd()}…` : l);
  if (lines.length <= 2) return lines.map(cut).join('\n');
  // the second line's whole words that leave room for the mark
  let second = '';
  for (const word of lines.slice(1).join(' ').split(' ')) {
    const next = second ? `${second} ${word}` : word;
    if (next.length > maxChars - 1) break;
    second = next;
  }
  return `${cut(lines[0]!)}\n${second || lines[1]!.slice(0, maxChars - 1)}…`;
}

/** Average glyph width of the axis font with room to spare, to wrap labels before ECharts must. */
const LABEL_CHAR_PX = 6.6;

/** The category axis listing the bars top-down, labels wrapped to two lines of `width` (112 px when narrow). */
export function categoryYAxis(
  labels: string[],
  { narrow, width = 170 }: { narrow: boolean; width?: number },
): YAxis {
  return {
    type: 'category',
    inverse: true,
    data: labels,
    axisTick: { show: false },
    axisLine: { lineStyle: { color: COLORS.axis } },
    // wrapped onto a second line, not cut: "1. Create an a…" and "Unexpected or…" hid which topic a
    // bar is (a browser audit); a third line is cut
    axisLabel: {
      color: COLORS.text,
      width: narrow ? 112 : width,
      formatter: (label: string) => twoLineLabel(label, Math.floor((narrow ? 112 : width) / LABEL_CHAR_PX)),
      overflow: 'break',
      lineHeight: 13,
      height: 26,
      lineOverflow: 'truncate',
    },
  };
}

/** Axis-triggered tooltip (shadow pointer) showing the lines of the hovered item, one per row. */
export function axisTooltip<T>(items: readonly T[], lines: (item: T) => string[]): Tooltip {
  return {
    ...TOOLTIP_BASE,
    trigger: 'axis',
    axisPointer: { type: 'shadow', shadowStyle: { opacity: 0.25 } },
    formatter: (p: unknown) => {
      const first = Array.isArray(p) ? p[0] : p;
      const it = items[(first as { dataIndex: number }).dataIndex];
      return it ? lines(it).join('<br/>') : '';
    },
  };
}

/** The value label drawn at the right end of a bar. */
export function barEndLabel(formatter: string) {
  return { show: true, position: 'right' as const, formatter, color: COLORS.text, fontWeight: 600 };
}
