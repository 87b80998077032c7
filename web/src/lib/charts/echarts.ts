// The one ECharts set-up of the web app, tree-shaken: `echarts/core` plus only the charts and
// components the views draw, and the SVG renderer, so printed charts stay crisp vectors.
import { init, setPlatformAPI, use, type ComposeOption, type ECharts } from 'echarts/core';
import {
  BarChart,
  CustomChart,
  LineChart,
  ScatterChart,
  type BarSeriesOption,
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
import { measureText } from './measure';

// What ChartOption (api/shared/charts/option.ts) allows, which the server draws too, plus the
// coaching quadrant's scatter with its label layout (drawn only here).
use([
  LineChart,
  BarChart,
  CustomChart,
  ScatterChart,
  GridComponent,
  TooltipComponent,
  MarkLineComponent,
  LabelLayout,
  SVGRenderer,
]);
// Text measured without a search through every installed font (measure.ts).
setPlatformAPI({ measureText });

/** The options the web's charts may use: exactly what is registered above. */
export type WebChartOption = ComposeOption<
  | LineSeriesOption
  | BarSeriesOption
  | CustomSeriesOption
  | ScatterSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | MarkLineComponentOption
>;

export type { ECharts };

/** A chart on `el`, drawn as SVG; at `size` if given, else at the size ECharts measures `el` to be. */
export function createChart(el: HTMLElement, size?: { width: number; height: number }): ECharts {
  return init(el, null, { renderer: 'svg', locale: 'EN', ...size });
}
