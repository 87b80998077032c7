// An agent's 13-week paired trend: the operational metric on the left axis and CSAT on the right,
// each with its 95% interval as a band; coaching conversations as numbered dashed lines.
import { weekMarkLine, type WeekMarker } from '../../../../../api/shared/charts/markers';
import { bandSeries, keyMark, pairLine } from '../../../../../api/shared/charts/pair';
import { tooltipLook } from '../../../../../api/shared/charts/palette';
import type { WebChartOption } from '../../charts/echarts';
import { colors, textStyle } from './palette';
import {
  esc,
  fmtAxis,
  fmtValue,
  metricInfo,
  nText,
  rangeText,
  valueState,
  NOT_ENOUGH,
  type MetricInfo,
} from './display';
import type { TrendPoint, Week } from './types';

/** A coaching conversation (numbered) or an annotation (lettered) on the agent's trends. */
export interface TrendMarker extends WeekMarker {
  title: string;
}

interface Side {
  key: string;
  points: TrendPoint[];
}

const shown = (p: TrendPoint | undefined) => !!p && valueState(p) === 'value';

/** A side's 95% interval band, on y axis `axis`, where the week's value is shown. */
function band(side: Side, axis: number, color: string, stack: string) {
  const has = (p: TrendPoint) => shown(p) && p.low !== null && p.high !== null;
  return bandSeries({
    low: side.points.map((p) => (has(p) ? p.low : null)),
    span: side.points.map((p) => (has(p) ? p.high! - p.low! : null)),
    axis,
    color,
    stack,
    names: { low: `${stack} low`, span: `${stack} interval` },
  });
}

/** Clean axis bounds with an explicit tick interval, so both axes read in round steps. */
function range(side: Side, unit: MetricInfo['unit']): { min: number; max: number; interval: number } {
  const xs: number[] = [];
  for (const p of side.points) {
    if (!shown(p)) continue;
    xs.push(p.value as number);
    if (p.low !== null) xs.push(p.low);
    if (p.high !== null) xs.push(p.high);
  }
  if (!xs.length)
    return unit === 'proportion' ? { min: 0, max: 1, interval: 0.25 } : { min: 0, max: 600, interval: 120 };
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  const steps = unit === 'proportion' ? [0.02, 0.05, 0.1, 0.2, 0.25] : [5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600];
  const step = steps.find((st) => (hi - lo) / st <= 5) ?? steps[steps.length - 1]!;
  let min = Math.floor(lo / step) * step;
  let max = Math.ceil(hi / step) * step;
  if (max === min) max = min + step;
  if (unit === 'proportion') {
    min = Math.max(0, min);
    max = Math.min(1, max);
  } else min = Math.max(0, min);
  return { min, max, interval: step };
}

function line(label: string, unit: MetricInfo['unit'], p: TrendPoint | undefined, marker: string): string {
  if (!p) return '';
  const s = valueState(p);
  const value = s === 'value' ? fmtValue(p.value, unit, p.n) : s === 'too_few' ? NOT_ENOUGH : 'no data';
  const r = rangeText(p, unit);
  return `<div>${marker}${esc(label)}: <b>${esc(value)}</b> <span style="color:${colors.muted};font-size:12px">${esc([r ? `95% ${r}` : '', nText(p.n)].filter(Boolean).join(' · '))}</span></div>`;
}

export function agentTrendOption(args: { weeks: Week[]; op: Side; ex: Side; markers: TrendMarker[] }): WebChartOption {
  const { weeks, op, ex, markers } = args;
  const opInfo = metricInfo(op.key);
  const exInfo = metricInfo(ex.key);
  const labels = weeks.map((w) => w.label);
  const value = (s: Side) => s.points.map((p) => (shown(p) ? (p.value as number) : null));

  const axis = (info: MetricInfo, side: Side, color: string, grid: boolean) => ({
    type: 'value' as const,
    ...range(side, info.unit),
    axisLine: { show: false },
    axisTick: { show: false },
    axisLabel: { formatter: (v: number) => fmtAxis(v, info.unit), color },
    splitLine: grid ? { lineStyle: { color: colors.grid } } : { show: false },
  });

  return {
    textStyle,
    grid: { left: 6, right: 6, top: 18, bottom: 4, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    tooltip: {
      trigger: 'axis',
      ...tooltipLook(),
      axisPointer: { type: 'line', lineStyle: { color: colors.axis } },
      formatter: (params) => {
        const list = Array.isArray(params) ? params : [params];
        const i = (list[0] as { dataIndex?: number })?.dataIndex ?? 0;
        const w = weeks[i];
        if (!w) return '';
        const notes = markers
          .filter((m) => m.week === w.label)
          .map((m) => `<div style="color:${colors.muted}">${m.n}: ${esc(m.title)}</div>`);
        return [
          `<b>${esc(w.label)}</b>`,
          line(opInfo.label, opInfo.unit, op.points[i], keyMark(colors.op, 'circle')),
          line(exInfo.label, exInfo.unit, ex.points[i], keyMark(colors.ex, 'diamond')),
          ...notes,
        ].join('');
      },
    },
    xAxis: {
      type: 'category',
      data: labels,
      boundaryGap: false,
      axisLine: { lineStyle: { color: colors.axis } },
      axisTick: { show: false },
      axisLabel: { color: colors.muted, formatter: (v: string) => v.replace(/^\d{4}-/, ''), hideOverlap: true },
    },
    yAxis: [axis(opInfo, op, colors.op, true), axis(exInfo, ex, colors.ex, false)],
    series: [
      ...band(op, 0, colors.opBand, 'op-band'),
      ...band(ex, 1, colors.exBand, 'ex-band'),
      // Conversations in the same week share one line: "1, 2".
      pairLine('op', opInfo.label, value(op), weekMarkLine(markers, { line: colors.median, ink: colors.ink })),
      pairLine('ex', exInfo.label, value(ex)),
    ],
  };
}
