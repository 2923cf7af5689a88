/**
 * Chart colors; they mirror the CSS variables in styles.css (echarts needs literal colors). Lines and
 * marks that carry data are 3:1 or more against white (WCAG 1.4.11): involvement 3.1, resolution 3.6.
 * Volume bars stay light so the rate lines read first, and get an outline at 3.1:1 instead.
 */
import type { TooltipComponentOption } from 'echarts/components';
import type { AutomationClass } from '../api/server-types.ts';

export const COLORS = {
  automation: '#3b5bdb',
  involvement: '#0ca678',
  resolution: '#e8590c',
  volume: '#d0d7e5',
  volumeMtd: '#e9edf4',
  volumeEdge: '#8a94a6',
  potential: '#7048e8',
  potentialSoft: 'rgba(112, 72, 232, 0.14)',
  gain: '#2f9e44',
  headroom: 'rgba(59, 91, 219, 0.16)',
  text: '#1b2230',
  subtle: '#5d6677',
  axis: '#c9cfda',
  grid: '#edf0f5',
  danger: '#e03131',
} as const;

export const CLASS_COLORS: Record<AutomationClass, string> = {
  informational: '#3b5bdb',
  personalized: '#0ca678',
  action: '#e8590c',
  human: '#868e96',
};

/** CX 1 (bad) → 5 (good); each 3:1 or more against white (4.5, 3.0, 3.8, 3.7, 3.5). */
export const CX_COLORS = ['#e03131', '#f76707', '#b07800', '#5c940d', '#2f9e44'] as const;

export const FONT = {
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", "Liberation Sans", Arial, sans-serif',
  fontSize: 12,
  color: COLORS.subtle,
} as const;

export const TOOLTIP_BASE: TooltipComponentOption = {
  backgroundColor: '#ffffff',
  borderColor: '#dfe3ea',
  borderWidth: 1,
  padding: [8, 10],
  textStyle: { color: COLORS.text, fontSize: 12, fontFamily: FONT.fontFamily },
  extraCssText: 'box-shadow: 0 6px 20px rgba(16,24,40,.12); border-radius: 8px;',
};
