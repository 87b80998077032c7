// The weekly review's chart options, built by pure functions from the view: one paired trend per
// operational ↔ experiential couple, and the patience curve (CSAT by wait bucket). Shared: the page
// draws them in the browser and the server draws the same options as SVG (api/views/weekly-charts.ts).
import type { CustomSeriesOption } from 'echarts/charts';
import type { MetricValue } from '../../metrics/engine';
import type { TrendPoint, WeeklyView } from '../../views/weekly';
import { info, type Catalog, type MetricInfo } from '../catalog';
import { esc, fmtAxis, fmtDate, fmtDateRange, fmtValue, intervalText, nText } from '../format';
import { shortWeek } from '../iso-week';
import { weekMarkLine } from './markers';
import { bandSeries, keyMark, pairLine } from './pair';
import type { ChartOption } from './option';
import { palette, textStyle, tooltipCard } from './palette';

/** One chart of the trends: an operational metric and the experiential metric it is read with. */
export interface TrendCouple {
  id: string;
  pair: string;
  title: string;
  op: string;
  ex: string;
}

/**
 * The couples of the view's pairs, side by side (Loyalty gives two: churn ↔ referrals, CLV ↔ NPS).
 * An operational metric without an experiential metric of its own is not charted: People charts
 * 12-month retention ↔ CSAT; the week's own retention, nearly always 100%, is only in the card.
 */
export function trendCouples(view: Pick<WeeklyView, 'pairs'>, label: (key: string) => string): TrendCouple[] {
  const out: TrendCouple[] = [];
  for (const p of view.pairs) {
    const n = Math.min(p.operational.length, p.experiential.length);
    for (let i = 0; i < n; i++) {
      const op = p.operational[i] ?? p.operational[0];
      const ex = p.experiential[i] ?? p.experiential[0];
      if (!op || !ex) continue;
      out.push({
        id: n > 1 ? `${p.key}-${i + 1}` : p.key,
        pair: p.label,
        title: n > 1 ? `${p.label}: ${label(op.metric)} ↔ ${label(ex.metric)}` : p.label,
        op: op.metric,
        ex: ex.metric,
      });
    }
  }
  return out;
}

export interface Marker {
  /** 1-based number shown on the chart. */
  n: number;
  week: string;
  on: string;
  title: string;
}

/** The annotations as numbered markers on the week each falls in (those outside the range left out). */
export function annotationMarkers(view: Pick<WeeklyView, 'annotations' | 'trends'>): Marker[] {
  const weeks = view.trends.weeks;
  const out: Marker[] = [];
  for (const a of [...view.annotations].sort((x, y) => x.on.localeCompare(y.on))) {
    const w = weeks.find((wk) => wk.from <= a.on && a.on <= wk.to);
    if (w) out.push({ n: out.length + 1, week: w.label, on: a.on, title: a.title });
  }
  return out;
}

export interface Side {
  info: MetricInfo;
  points: TrendPoint[];
}

/** A couple's two series: the operational one and the experiential one, with their catalog entries. */
export function coupleSides(
  view: Pick<WeeklyView, 'trends'>,
  catalog: Catalog,
  couple: TrendCouple,
): { op: Side; ex: Side } {
  return {
    op: { info: info(catalog, couple.op), points: view.trends.series[couple.op] ?? [] },
    ex: { info: info(catalog, couple.ex), points: view.trends.series[couple.ex] ?? [] },
  };
}

/** The chart of a couple, as the page draws it (and the server, for GET /views/weekly/charts/{chart}). */
export function coupleOption(
  view: Pick<WeeklyView, 'trends' | 'week'>,
  sides: { op: Side; ex: Side },
  markers: Marker[],
): ChartOption {
  return trendOption({ weeks: view.trends.weeks, ...sides, markers, current: view.week.label });
}

const hasAny = (xs: Array<number | null>) => xs.some((x) => x !== null && x !== undefined);

function pointLine(color: string, shape: 'circle' | 'diamond', side: Side, i: number): string {
  const p = side.points[i];
  const unit = side.info.unit;
  if (!p) return '';
  const v: MetricValue = { value: p.value, n: p.n, low: p.low, high: p.high };
  const value = p.value === null ? 'no data' : fmtValue(p.value, unit, p.n);
  const interval = p.value === null ? '' : intervalText(v, unit);
  const detail = [interval, nText(p.n), p.target !== null ? `target ${fmtValue(p.target, unit)}` : '']
    .filter(Boolean)
    .map(esc);
  return `<div style="margin-top:2px">${keyMark(color, shape)}${esc(side.info.label)}: <b>${esc(value)}</b></div><div style="margin-left:15px;color:${palette.muted};font-size:12px">${detail.join(' · ')}</div>`;
}

/** A 13-week paired trend: operational on the left axis, experiential (with its 95% band) on the right. */
export function trendOption(args: {
  weeks: WeeklyView['trends']['weeks'];
  op: Side;
  ex: Side;
  markers: Marker[];
  current: string;
}): ChartOption {
  const { weeks, op, ex, markers } = args;
  const labels = weeks.map((w) => w.label);
  const opValues = op.points.map((p) => p.value);
  const exValues = ex.points.map((p) => p.value);
  const low = ex.points.map((p) => (p.value === null || p.low === null || p.high === null ? null : p.low));
  const span = ex.points.map((p) => (p.value === null || p.low === null || p.high === null ? null : p.high - p.low));
  const opTarget = op.points.map((p) => p.target);
  const exTarget = ex.points.map((p) => p.target);

  const series: NonNullable<ChartOption['series']> = [
    ...bandSeries({
      low,
      span,
      axis: 1,
      color: palette.exBand,
      stack: 'ex-band',
      names: { low: '95% interval (low)', span: `${ex.info.label}, 95% interval` },
    }),
    pairLine('op', op.info.label, opValues, weekMarkLine(markers, { line: palette.annotation, ink: palette.ink })),
    pairLine('ex', ex.info.label, exValues),
  ];
  if (hasAny(opTarget)) {
    series.push({
      type: 'line',
      name: `Target: ${op.info.label}`,
      yAxisIndex: 0,
      data: opTarget,
      step: 'middle',
      symbol: 'none',
      lineStyle: { color: palette.op, type: [6, 4], width: 1.5 },
      silent: true,
      z: 2,
    });
  }
  if (hasAny(exTarget)) {
    series.push({
      type: 'line',
      name: `Target: ${ex.info.label}`,
      yAxisIndex: 1,
      data: exTarget,
      step: 'middle',
      symbol: 'none',
      lineStyle: { color: palette.ex, type: [6, 4], width: 1.5 },
      silent: true,
      z: 2,
    });
  }

  const axis = (side: Side, color: string, grid: boolean) => ({
    type: 'value' as const,
    scale: true,
    splitNumber: 4,
    axisLabel: { formatter: (v: number) => fmtAxis(v, side.info.unit), color, fontSize: 12 },
    axisLine: { show: false },
    axisTick: { show: false },
    splitLine: grid ? { lineStyle: { color: palette.grid } } : { show: false },
  });

  return {
    textStyle,
    grid: { left: 6, right: 6, top: 22, bottom: 4, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    xAxis: {
      type: 'category',
      data: labels,
      boundaryGap: false,
      axisLabel: {
        // The week under review in bold.
        formatter: (v: string) => (v === args.current ? `{b|${shortWeek(v)}}` : shortWeek(v)),
        rich: { b: { fontWeight: 700, color: palette.ink, fontSize: 11 } },
        color: palette.muted,
        fontSize: 11,
        hideOverlap: true,
      },
      axisLine: { lineStyle: { color: palette.axis } },
      axisTick: { show: false },
    },
    yAxis: [axis(op, '#2f4b6b', true), axis(ex, '#7a5600', false)],
    tooltip: {
      ...tooltipCard(360),
      axisPointer: { type: 'line', lineStyle: { color: palette.axis } },
      formatter: (params: unknown) => {
        const first = (Array.isArray(params) ? params[0] : params) as { dataIndex?: number } | undefined;
        const i = first?.dataIndex ?? 0;
        const w = weeks[i];
        if (!w) return '';
        const lines = [
          `<div style="margin-bottom:4px"><b>${esc(w.label)}</b> <span style="color:${palette.muted}">${esc(fmtDateRange(w.from, w.to))}</span></div>`,
          pointLine(palette.op, 'circle', op, i),
          pointLine(palette.ex, 'diamond', ex, i),
        ];
        for (const m of markers.filter((mk) => mk.week === w.label)) {
          lines.push(
            `<div style="margin-top:4px">${keyMark(palette.annotation, 'dash')}<b>${m.n}</b> ${esc(fmtDate(m.on))}: ${esc(m.title)}</div>`,
          );
        }
        return lines.join('');
      },
    },
    series,
  };
}

/** Paper overrides of a trend: fewer week labels (every fourth, ending on the week), smaller type. */
export function trendPrintOption(weeks: number): ChartOption {
  const last = weeks - 1;
  const small = { axisLabel: { fontSize: 10 } };
  return {
    xAxis: { axisLabel: { interval: (i: number) => (last - i) % 4 === 0, fontSize: 10, hideOverlap: false } },
    yAxis: [small, small],
  };
}

const BUCKET_LABELS: Record<string, string> = {
  '0-30': '0–30 s',
  '30-60': '30–60 s',
  '60-120': '1–2 min',
  '120-300': '2–5 min',
  '300+': '5 min +',
};

/** "0-30" → "0–30 s". */
export function bucketLabel(bucket: string): string {
  return BUCKET_LABELS[bucket] ?? bucket;
}

/** Paper overrides of the patience curve: every bucket labelled, smaller type. */
export const patiencePrintOption: ChartOption = {
  xAxis: { axisLabel: { interval: 0, fontSize: 10 } },
  yAxis: { axisLabel: { fontSize: 10 } },
};

const BAR_WIDTH = 0.28; // of the category band
const BAR_GAP = 0.14; // of the bar width
const OFFSET = BAR_WIDTH / 2 + (BAR_WIDTH * BAR_GAP) / 2; // bar centres from the band centre

/** CSAT by wait bucket: this week and the 13-week baseline as bars, 95% intervals as whiskers. */
export function patienceOption(args: { patience: WeeklyView['patience']; week: string }): ChartOption {
  const { patience } = args;
  const cats = patience.buckets.map((b) => bucketLabel(b.bucket));
  const bars = (pick: 'week' | 'baseline') => patience.buckets.map((b) => b[pick].value);
  const whiskers = (pick: 'week' | 'baseline') =>
    patience.buckets.flatMap((b, i) => {
      const v = b[pick];
      return v.value !== null && v.low !== null && v.low !== undefined && v.high !== null && v.high !== undefined
        ? [[i, v.low, v.high]]
        : [];
    });
  const whisker = (pick: 'week' | 'baseline', dx: number): CustomSeriesOption => ({
    type: 'custom',
    name: `${pick} interval`,
    silent: true,
    z: 5,
    data: whiskers(pick),
    encode: { x: 0, y: [1, 2] },
    renderItem: (_params, api) => {
      const x = Number(api.value(0));
      const lo = api.coord([x, Number(api.value(1))]);
      const hi = api.coord([x, Number(api.value(2))]);
      const size = api.size?.([1, 0]);
      const band = Array.isArray(size) ? (size[0] ?? 0) : (size ?? 0);
      const cx = (lo[0] ?? 0) + dx * band;
      const cap = Math.max(3, band * 0.05);
      const style = { stroke: palette.whisker, lineWidth: 1.5 };
      return {
        type: 'group',
        children: [
          { type: 'line', shape: { x1: cx, y1: lo[1], x2: cx, y2: hi[1] }, style },
          { type: 'line', shape: { x1: cx - cap, y1: lo[1], x2: cx + cap, y2: lo[1] }, style },
          { type: 'line', shape: { x1: cx - cap, y1: hi[1], x2: cx + cap, y2: hi[1] }, style },
        ],
      };
    },
  });
  return {
    textStyle,
    grid: { left: 6, right: 6, top: 12, bottom: 4, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    xAxis: {
      type: 'category',
      data: cats,
      axisLabel: { color: palette.ink, fontSize: 12 },
      axisLine: { lineStyle: { color: palette.axis } },
      axisTick: { show: false },
    },
    yAxis: {
      type: 'value',
      min: 0,
      max: 1,
      interval: 0.25,
      axisLabel: { formatter: (v: number) => fmtAxis(v, 'proportion'), color: palette.muted },
      splitLine: { lineStyle: { color: palette.grid } },
    },
    tooltip: {
      ...tooltipCard(340),
      axisPointer: { type: 'shadow', shadowStyle: { color: 'rgba(31,58,95,0.06)' } },
      formatter: (params: unknown) => {
        const first = (Array.isArray(params) ? params[0] : params) as { dataIndex?: number } | undefined;
        const b = patience.buckets[first?.dataIndex ?? 0];
        if (!b) return '';
        const line = (color: string, name: string, v: MetricValue) => {
          const value =
            v.value === null
              ? v.suppressed
                ? 'not enough responses'
                : 'no data'
              : fmtValue(v.value, 'proportion', v.n);
          const detail = [v.value === null ? '' : intervalText(v, 'proportion'), nText(v.n)].filter(Boolean).map(esc);
          return `<div style="margin-top:2px">${keyMark(color, 'circle')}${esc(name)}: <b>${esc(value)}</b></div><div style="margin-left:15px;color:${palette.muted};font-size:12px">${detail.join(' · ')}</div>`;
        };
        return [
          `<div style="margin-bottom:4px"><b>CSAT after waiting ${esc(bucketLabel(b.bucket))}</b></div>`,
          line(palette.exBar, args.week, b.week),
          line(palette.baseline, '13-week baseline', b.baseline),
        ].join('');
      },
    },
    series: [
      {
        type: 'bar',
        name: args.week,
        data: bars('week'),
        barWidth: `${BAR_WIDTH * 100}%`,
        barGap: `${BAR_GAP * 100}%`,
        itemStyle: { color: palette.exBar, borderRadius: [3, 3, 0, 0] },
        z: 2,
      },
      {
        type: 'bar',
        name: '13-week baseline',
        data: bars('baseline'),
        barWidth: `${BAR_WIDTH * 100}%`,
        itemStyle: { color: palette.baseline, borderRadius: [3, 3, 0, 0], decal: undefined },
        z: 2,
      },
      whisker('week', -OFFSET),
      whisker('baseline', OFFSET),
    ],
  };
}
