/**
 * The one echarts wrapper: owns init, resize (ResizeObserver) and dispose. Registers only the
 * echarts parts the app uses, so echarts lands in the lazily loaded chunks that render charts.
 */
import { BarChart, BoxplotChart, LineChart, ScatterChart } from 'echarts/charts';
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
} from 'echarts/components';
import { type ECharts, init, use } from 'echarts/core';
import { ScatterJitter } from 'echarts/features';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import type { ChartOption } from '../charts/types.ts';

use([
  BarChart,
  LineChart,
  BoxplotChart,
  ScatterChart,
  ScatterJitter,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  MarkLineComponent,
  AriaComponent,
  CanvasRenderer,
]);

export interface ChartClick {
  seriesIndex: number;
  dataIndex: number;
  name: string;
}

export interface ChartProps {
  option: ChartOption;
  /** CSS height; the width follows the container */
  height?: number | string;
  onClick?: (e: ChartClick) => void;
  className?: string;
  /** test hook */
  testId?: string;
}

export function Chart({ option, height = 320, onClick, className, testId }: ChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const chartRef = useRef<ECharts | null>(null);
  const clickRef = useRef(onClick);
  clickRef.current = onClick;

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = init(el, undefined, { renderer: 'canvas' });
    chartRef.current = chart;
    chart.on('click', (p) => {
      const params = p as { seriesIndex?: number; dataIndex?: number; name?: string };
      clickRef.current?.({
        seriesIndex: params.seriesIndex ?? 0,
        dataIndex: params.dataIndex ?? 0,
        name: params.name ?? '',
      });
    });
    let frame = 0;
    const ro = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => chart.resize());
    });
    ro.observe(el);
    return () => {
      cancelAnimationFrame(frame);
      ro.disconnect();
      chart.dispose();
      chartRef.current = null;
    };
  }, []);

  useEffect(() => {
    // no animation for someone who asked their system for less motion
    const still = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
    chartRef.current?.setOption(still ? { ...option, animation: false } : option, {
      notMerge: true,
      lazyUpdate: true,
    });
  }, [option]);

  return (
    <div
      ref={ref}
      className={className ? `chart ${className}` : 'chart'}
      style={{ height, cursor: onClick ? 'pointer' : undefined }}
      data-testid={testId}
    />
  );
}

export default Chart;
