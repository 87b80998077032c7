// Shared by the weekly review's trends (weekly.ts, drawn by the server too) and the coaching trends:
// how a paired trend is drawn. The operational line in blue with dots on the left axis, the
// experiential line in amber with diamonds on the right, a 95% interval as a band, and the same
// shapes as the colour key in tooltips.
import type { LineSeriesOption } from 'echarts/charts';
import type { MarkLineComponentOption } from 'echarts/components';
import { palette } from './palette';

/**
 * A 95% interval band on y axis `axis`: an unseen line at the low edge and, stacked on it, the
 * span (high − low) filled with `color`; null where a week has no interval.
 */
export function bandSeries(args: {
  low: Array<number | null>;
  span: Array<number | null>;
  axis: number;
  color: string;
  stack: string;
  names: { low: string; span: string };
}): LineSeriesOption[] {
  const { low, span, axis, color, stack, names } = args;
  return [
    {
      type: 'line',
      name: names.low,
      yAxisIndex: axis,
      data: low,
      stack,
      symbol: 'none',
      lineStyle: { opacity: 0 },
      silent: true,
      z: 1,
    },
    {
      type: 'line',
      name: names.span,
      yAxisIndex: axis,
      data: span,
      stack,
      symbol: 'none',
      lineStyle: { opacity: 0 },
      areaStyle: { color, opacity: 1 },
      silent: true,
      z: 1,
    },
  ];
}

const LINES = {
  op: { axis: 0, color: palette.op, symbol: 'circle', size: 6, z: 3 },
  ex: { axis: 1, color: palette.ex, symbol: 'diamond', size: 9, z: 4 },
} as const;

/**
 * The operational line (left axis, with the events' lines `markLine` on it) or the experiential
 * line (right axis, over its band).
 */
export function pairLine(
  side: 'op' | 'ex',
  name: string,
  data: Array<number | null>,
  markLine?: MarkLineComponentOption,
): LineSeriesOption {
  const l = LINES[side];
  return {
    type: 'line',
    name,
    yAxisIndex: l.axis,
    data,
    symbol: l.symbol,
    symbolSize: l.size,
    itemStyle: { color: l.color },
    lineStyle: { color: l.color, width: 2.5 },
    z: l.z,
    ...(side === 'op' ? { markLine } : {}),
  };
}

/** A series' key in a tooltip: a dot (operational), a diamond (experiential) or a dash (an event). */
export const keyMark = (color: string, shape: 'circle' | 'diamond' | 'dash') =>
  shape === 'dash'
    ? `<span style="display:inline-block;width:12px;border-top:2px dashed ${color};margin:0 6px 3px 0"></span>`
    : `<span style="display:inline-block;width:9px;height:9px;margin-right:6px;background:${color};${shape === 'circle' ? 'border-radius:50%' : 'transform:rotate(45deg) scale(.85)'}"></span>`;
