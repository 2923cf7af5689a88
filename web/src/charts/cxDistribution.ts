/** CX score distribution: conversations per rounded score 1..5, colored bad → good. */
import { count, pct } from '../lib/format.ts';
import { countAxis } from './format.ts';
import { chartBase } from './parts.ts';
import { COLORS, CX_COLORS, TOOLTIP_BASE } from './theme.ts';
import type { ChartOption } from './types.ts';

export const CX_LABELS = ['1 · very poor', '2 · poor', '3 · neutral', '4 · good', '5 · great'] as const;

export function cxDistributionOption(
  distribution: readonly { score: number; conversations: number }[],
): ChartOption {
  const byScore = new Map(distribution.map((d) => [Math.round(d.score), d.conversations]));
  const values = [1, 2, 3, 4, 5].map((s) => byScore.get(s) ?? 0);
  const total = values.reduce((a, b) => a + b, 0);
  const share = (v: number) => (total > 0 ? v / total : null);
  return {
    ...chartBase(
      `CX score distribution: ${values.map((v, i) => `score ${i + 1}: ${count(v)} conversations`).join('; ')}.`,
    ),
    grid: { left: 8, right: 8, top: 28, bottom: 30, containLabel: true },
    tooltip: {
      ...TOOLTIP_BASE,
      trigger: 'item',
      formatter: (p: unknown) => {
        const i = (p as { dataIndex: number }).dataIndex;
        const v = values[i] ?? 0;
        return `<strong>CX score ${CX_LABELS[i] ?? ''}</strong><br/>${count(v)} conversations (${pct(share(v))})`;
      },
    },
    xAxis: {
      type: 'category',
      data: [...CX_LABELS],
      name: 'CX score',
      nameLocation: 'middle',
      nameGap: 28,
      nameTextStyle: { color: COLORS.subtle },
      axisTick: { show: false },
      axisLine: { lineStyle: { color: COLORS.axis } },
      axisLabel: { color: COLORS.subtle, formatter: (v: string) => v.split(' · ')[0] ?? v },
    },
    yAxis: {
      type: 'value',
      name: 'Conversations',
      nameTextStyle: { color: COLORS.subtle, align: 'left' },
      min: 0,
      axisLabel: { formatter: countAxis, color: COLORS.subtle },
      splitLine: { lineStyle: { color: COLORS.grid } },
    },
    series: [
      {
        type: 'bar',
        name: 'Conversations',
        barMaxWidth: 48,
        data: values.map((v, i) => ({
          value: v,
          itemStyle: { color: CX_COLORS[i], borderRadius: [4, 4, 0, 0] },
          label: {
            show: total > 0,
            position: 'top',
            formatter: pct(share(v)),
            color: COLORS.subtle,
            fontSize: 11,
          },
        })),
      },
    ],
  };
}
