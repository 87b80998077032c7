// The coaching views' ECharts set-up, tree-shaken: scatter (the quadrant), custom (interval
// whiskers), line (paired trends with interval bands), mark lines (team medians), SVG renderer.
import { init, setPlatformAPI, use, type ComposeOption, type ECharts } from 'echarts/core';
import {
  CustomChart,
  LineChart,
  ScatterChart,
  type CustomSeriesOption,
  type LineSeriesOption,
  type ScatterSeriesOption,
} from 'echarts/charts';
import {
  GridComponent,
  MarkLineComponent,
  TooltipComponent,
  type GridComponentOption,
  type MarkLineComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { LabelLayout } from 'echarts/features';
import { SVGRenderer } from 'echarts/renderers';
import { measureText } from '../../charts/measure';

use([
  ScatterChart,
  CustomChart,
  LineChart,
  GridComponent,
  TooltipComponent,
  MarkLineComponent,
  LabelLayout,
  SVGRenderer,
]);
// Text measured as the weekly charts measure it (the setting is zrender's, shared by both set-ups).
setPlatformAPI({ measureText });

export type CoachChartOption = ComposeOption<
  | ScatterSeriesOption
  | CustomSeriesOption
  | LineSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | MarkLineComponentOption
>;

export type { ECharts };

export function createChart(el: HTMLElement): ECharts {
  return init(el, null, { renderer: 'svg', locale: 'EN' });
}

/** Chart colours: one neutral ink for agents (no colour says "bad agent"), blue/amber for the pair. */
export const colors = {
  agent: '#1f3a5f',
  agentSoft: 'rgba(31, 58, 95, 0.55)',
  star: '#b57900',
  median: '#7b8796',
  op: '#2f6aa8',
  opBand: 'rgba(143, 184, 232, 0.26)',
  ex: '#b57900',
  exBand: 'rgba(242, 193, 78, 0.3)',
  ink: '#1b2430',
  muted: '#5a6675',
  grid: '#e6e9ee',
  axis: '#cfd6df',
} as const;

export const textStyle = {
  fontFamily:
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', 'Liberation Sans', sans-serif",
  fontSize: 12,
  color: '#5a6675',
} as const;

/** A five-pointed star as an ECharts path symbol (bright spots). */
export const STAR =
  'path://M12 1.5l3.09 6.26 6.91 1-5 4.87 1.18 6.88L12 17.27l-6.18 3.24L7 13.63l-5-4.87 6.91-1L12 1.5z';
