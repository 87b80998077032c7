// The one ECharts set-up of the web app, tree-shaken: `echarts/core` plus only the
// charts and components the views draw, and the SVG renderer, so printed charts stay crisp vectors.
import { init, setPlatformAPI, use, type ECharts } from 'echarts/core';
import { BarChart, CustomChart, LineChart } from 'echarts/charts';
import { GridComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { measureText } from './measure';

// Exactly what ChartOption (api/shared/charts/option.ts) allows.
use([LineChart, BarChart, CustomChart, GridComponent, TooltipComponent, MarkLineComponent, SVGRenderer]);
// Text measured without a search through every installed font (measure.ts).
setPlatformAPI({ measureText });

export type { ECharts };

/** A chart on `el`, drawn as SVG; at `size` if given, else at the size ECharts measures `el` to be. */
export function createChart(el: HTMLElement, size?: { width: number; height: number }): ECharts {
  return init(el, null, { renderer: 'svg', locale: 'EN', ...size });
}
