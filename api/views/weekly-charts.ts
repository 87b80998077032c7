// The weekly review's charts drawn on the server, as SVG, by ECharts' own server-side rendering,
// from the option builders the page itself uses (api/shared/charts/weekly.ts). The page
// shows its first chart from here while the browser has still to load and run ECharts (a third of
// the way to a first chart on a cold load), and a report or a slide can take any chart as an image.
import type { ECharts } from 'echarts/core';
import { catalogByKey, info } from '../shared/catalog';
import type { ChartOption } from '../shared/charts/option';
import { annotationMarkers, coupleOption, coupleSides, patienceOption, trendCouples } from '../shared/charts/weekly';
import { METRICS } from '../metrics/registry';
import type { WeeklyView } from './weekly';

/** The charts of the page that are not a trend couple. */
const OTHER_CHARTS = ['patience'] as const;

const catalog = catalogByKey(METRICS);
const label = (key: string) => info(catalog, key).label;

/** The ids of the view's charts, in page order: its trend couples (`waiting`, `loyalty-1`…), then `patience`. */
export function weeklyChartIds(view: WeeklyView): string[] {
  return [...trendCouples(view, label).map((c) => c.id), ...OTHER_CHARTS];
}

/** The option of one chart of the view, exactly as the page builds it; null for an unknown id. */
export function weeklyChartOption(view: WeeklyView, chart: string): ChartOption | null {
  if (chart === 'patience') return patienceOption({ patience: view.patience, week: view.week.label });
  const couple = trendCouples(view, label).find((c) => c.id === chart);
  return couple ? coupleOption(view, coupleSides(view, catalog, couple), annotationMarkers(view)) : null;
}

type Init = (
  dom: null,
  theme: null,
  opts: { renderer: 'svg'; ssr: true; width: number; height: number; locale: string },
) => ECharts;
let loading: Promise<Init> | undefined;

/** ECharts with what the weekly charts use, loaded on first use (the server starts without it). */
function echarts(): Promise<Init> {
  loading ??= (async () => {
    const [core, charts, components, renderers] = await Promise.all([
      import('echarts/core'),
      import('echarts/charts'),
      import('echarts/components'),
      import('echarts/renderers'),
    ]);
    // As the page registers them (web/src/lib/charts/echarts.ts): the tooltip draws nothing here.
    core.use([
      charts.LineChart,
      charts.BarChart,
      charts.CustomChart,
      components.GridComponent,
      components.TooltipComponent,
      components.MarkLineComponent,
      renderers.SVGRenderer,
    ]);
    return core.init as unknown as Init;
  })();
  return loading;
}

/**
 * One chart as an SVG document of `width` × `height` CSS pixels. Not animated, as the page draws a
 * chart the first time. Text is measured by zrender's table of glyph widths (there is no canvas
 * here), so a label may sit a pixel or two from where the browser puts it.
 */
export async function renderChartSvg(option: ChartOption, size: { width: number; height: number }): Promise<string> {
  const init = await echarts();
  const chart = init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height, locale: 'EN' });
  try {
    chart.setOption({ animation: false, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** Loads ECharts and draws one small chart, so that the first chart a person asks for is drawn warm. */
export async function warmChartRenderer(): Promise<void> {
  await renderChartSvg(
    {
      xAxis: { type: 'category', data: ['a', 'b'] },
      yAxis: { type: 'value' },
      series: [{ type: 'line', data: [1, 2] }],
    },
    { width: 320, height: 160 },
  );
}
