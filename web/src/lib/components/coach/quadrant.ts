// The quadrant chart's option: time on call (x) against CSAT (y), each agent one neutral point with
// its CSAT 95% interval as a whisker, labelled by first name, with the team's median lines.
// No ranks, no red/green: bright spots get a star (and words in the table), nothing marks "bad".
import type { CustomSeriesOption } from 'echarts/charts';
import { tooltipLook } from '../../../../../api/shared/charts/palette';
import type { WebChartOption } from '../../charts/echarts';
import { colors, STAR, textStyle } from './palette';
import { esc, fmtAxis, fmtValue, intervalText, nText, valueState } from './display';
import type { RosterAgent } from './types';

/** Symbol sizes in pixels: agents' dots and bright spots' stars. */
export const SIZE = { dot: 10, star: 17 } as const;

/** The label text style (also used to measure labels for placement). */
export const LABEL_FONT = { size: 12, weight: 600 } as const;

export interface QuadrantPoint {
  id: string;
  label: string;
  name: string;
  handle: number;
  handleN: number;
  csat: number;
  csatN: number;
  low: number | null;
  high: number | null;
  bright: boolean;
}

/** Short labels: first names, or the full name where first names repeat in the team. */
export function pointLabels(roster: RosterAgent[]): Map<string, string> {
  const count = new Map<string, number>();
  for (const a of roster) count.set(a.first_name, (count.get(a.first_name) ?? 0) + 1);
  return new Map(
    roster.map((a) => [a.id, (count.get(a.first_name) ?? 0) > 1 || !a.first_name ? a.name : a.first_name]),
  );
}

/** The agents that can be drawn (both values shown), and those that cannot. */
export function quadrantPoints(roster: RosterAgent[]): { points: QuadrantPoint[]; left: RosterAgent[] } {
  const labels = pointLabels(roster);
  const points: QuadrantPoint[] = [];
  const left: RosterAgent[] = [];
  for (const a of roster) {
    const h = a.values.handle_avg;
    const c = a.values.csat;
    if (valueState(h) !== 'value' || valueState(c) !== 'value' || !h || !c) {
      left.push(a);
      continue;
    }
    points.push({
      id: a.id,
      label: labels.get(a.id) ?? a.first_name,
      name: a.name,
      handle: h.value as number,
      handleN: h.n,
      csat: c.value as number,
      csatN: c.n,
      low: c.low ?? null,
      high: c.high ?? null,
      bright: a.bright,
    });
  }
  return { points, left };
}

type Datum = {
  value: [number, number];
  name: string;
  short: string;
  p: QuadrantPoint;
  symbol: string;
  symbolSize: number;
  label?: { position: Placement['position'] };
  labelLine?: { show: boolean };
};

/** The axes' ranges: the data and its intervals, the medians, padded to round steps. */
export function quadrantExtent(points: QuadrantPoint[], medians: { handle_avg: number | null; csat: number | null }) {
  const ys = points.flatMap((p) => [p.csat, p.low ?? p.csat, p.high ?? p.csat]);
  if (medians.csat !== null) ys.push(medians.csat);
  const yMin = ys.length ? Math.max(0, Math.floor((Math.min(...ys) - 0.02) * 20) / 20) : 0;
  const yMax = ys.length ? Math.min(1, Math.ceil((Math.max(...ys) + 0.02) * 20) / 20) : 1;
  const xs = points.map((p) => p.handle);
  if (medians.handle_avg !== null) xs.push(medians.handle_avg);
  const xLo = xs.length ? Math.min(...xs) : 0;
  const xHi = xs.length ? Math.max(...xs) : 600;
  const xPad = Math.max(15, (xHi - xLo) * 0.12);
  const span = xHi + xPad - (xLo - xPad);
  const xStep = [5, 10, 15, 20, 30, 60, 120, 300, 600, 1200, 1800, 3600].find((st) => span / st <= 7) ?? 3600;
  const xMin = Math.max(0, Math.floor((xLo - xPad) / xStep) * xStep);
  const xMax = Math.ceil((xHi + xPad) / xStep) * xStep;
  return { xMin, xMax, xStep, yMin, yMax };
}

/** Where a point's label goes: beside, above or below its symbol, nudged up or down. */
export interface Placement {
  position: 'right' | 'left' | 'top' | 'bottom';
  offset: [number, number];
}

/** A point in pixels: its symbol's radius, its label's size, and its whisker's pixel span. */
export interface LabelBox {
  px: number;
  py: number;
  r: number;
  w: number;
  h: number;
  whisker: [number, number] | null;
}

type Rect = [number, number, number, number]; // x, y, w, h

const overlap = (a: Rect, b: Rect) =>
  Math.max(0, Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0])) *
  Math.max(0, Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]));

/**
 * Places every label where it covers the fewest other labels, points and whiskers, and stays in
 * the plot (greedy, most crowded points first). Answers one placement per box, in order.
 */
export function placeLabels(
  boxes: LabelBox[],
  bounds: { x0: number; y0: number; x1: number; y1: number },
  distance = 5,
): Placement[] {
  const d = distance;
  const candidates = (b: LabelBox): Array<{ pl: Placement; rect: Rect }> => {
    const right: Rect = [b.px + b.r + d, b.py - b.h / 2, b.w, b.h];
    const left: Rect = [b.px - b.r - d - b.w, b.py - b.h / 2, b.w, b.h];
    const out: Array<{ pl: Placement; rect: Rect }> = [
      { pl: { position: 'right', offset: [0, 0] }, rect: right },
      { pl: { position: 'left', offset: [0, 0] }, rect: left },
      { pl: { position: 'top', offset: [0, 0] }, rect: [b.px - b.w / 2, b.py - b.r - d - b.h, b.w, b.h] },
      { pl: { position: 'bottom', offset: [0, 0] }, rect: [b.px - b.w / 2, b.py + b.r + d, b.w, b.h] },
    ];
    for (const dy of [-b.h * 0.8, b.h * 0.8, -b.h * 1.6, b.h * 1.6]) {
      out.push({ pl: { position: 'right', offset: [2, dy] }, rect: [right[0] + 2, right[1] + dy, b.w, b.h] });
      out.push({ pl: { position: 'left', offset: [-2, dy] }, rect: [left[0] - 2, left[1] + dy, b.w, b.h] });
    }
    return out;
  };
  const symbols: Rect[] = boxes.map((b) => [b.px - b.r - 1, b.py - b.r - 1, 2 * b.r + 2, 2 * b.r + 2]);
  const whiskers: Rect[] = boxes
    .filter((b) => b.whisker)
    .map((b) => [b.px - 4, Math.min(...b.whisker!), 8, Math.abs(b.whisker![1] - b.whisker![0])]);
  const crowd = boxes.map(
    (b) => boxes.filter((o) => o !== b && Math.abs(o.px - b.px) < 80 && Math.abs(o.py - b.py) < 30).length,
  );
  const order = boxes.map((_, i) => i).sort((a, b) => crowd[b]! - crowd[a]! || boxes[a]!.py - boxes[b]!.py);
  const placed: Rect[] = [];
  const result: Placement[] = boxes.map(() => ({ position: 'right', offset: [0, 0] }));
  for (const i of order) {
    const b = boxes[i]!;
    let best: { pl: Placement; rect: Rect } | null = null;
    let bestCost = Infinity;
    candidates(b).forEach((c, k) => {
      const r = c.rect;
      const area = r[2] * r[3];
      const inside = overlap(r, [bounds.x0, bounds.y0, bounds.x1 - bounds.x0, bounds.y1 - bounds.y0]);
      let cost = (area - inside) * 6 + k * 2;
      for (const p of placed) cost += overlap(r, p) * 5;
      symbols.forEach((sr, j) => {
        if (j !== i) cost += overlap(r, sr) * 5;
      });
      for (const w of whiskers) cost += overlap(r, w) * 0.6;
      if (cost < bestCost) {
        bestCost = cost;
        best = c;
      }
    });
    const chosen = best ?? candidates(b)[0]!;
    result[i] = chosen.pl;
    placed.push(chosen.rect);
  }
  return result;
}

function tooltip(p: QuadrantPoint): string {
  const csat = { value: p.csat, n: p.csatN, low: p.low, high: p.high };
  return [
    `<b>${esc(p.name)}</b>${p.bright ? ' ★ bright spot' : ''}`,
    `Time on call: <b>${esc(fmtValue(p.handle, 'seconds'))}</b> <span style="color:${colors.muted}">(${esc(nText(p.handleN))})</span>`,
    `CSAT: <b>${esc(fmtValue(p.csat, 'proportion', p.csatN))}</b>`,
    `<span style="color:${colors.muted}">${esc([intervalText(csat, 'proportion'), nText(p.csatN)].filter(Boolean).join(' · '))}</span>`,
  ].join('<br>');
}

export function quadrantOption(args: {
  points: QuadrantPoint[];
  medians: { handle_avg: number | null; csat: number | null };
  /** Label placements by point (from placeLabels); without, labels go to the right. */
  placements?: Placement[] | null;
}): WebChartOption {
  const { points, medians, placements } = args;
  const { xMin, xMax, xStep, yMin, yMax } = quadrantExtent(points, medians);

  // One series (so labels avoid each other); bright spots drawn as stars, in the same colour.
  const data = points.map((p, i): Datum => {
    const d: Datum = {
      value: [p.handle, p.csat],
      name: p.name,
      short: p.label,
      p,
      symbol: p.bright ? STAR : 'circle',
      symbolSize: p.bright ? SIZE.star : SIZE.dot,
    };
    const pl = placements?.[i];
    if (pl) {
      d.label = { position: pl.position };
      d.labelLine = { show: !!(pl.offset[0] || pl.offset[1]) };
    }
    return d;
  });

  const whiskers: CustomSeriesOption = {
    type: 'custom',
    id: 'whiskers',
    name: 'CSAT 95% interval',
    silent: true,
    z: 2,
    encode: { x: 0, y: [1, 2] },
    data: points.filter((p) => p.low !== null && p.high !== null).map((p) => [p.handle, p.low, p.high]),
    renderItem: (_params, api) => {
      const x = api.value(0) as number;
      const top = api.coord([x, api.value(2) as number]);
      const bottom = api.coord([x, api.value(1) as number]);
      const style = { stroke: colors.agentSoft, lineWidth: 1.5 };
      const cap = 4;
      return {
        type: 'group',
        children: [
          { type: 'line', shape: { x1: top[0]!, y1: top[1]!, x2: bottom[0]!, y2: bottom[1]! }, style },
          { type: 'line', shape: { x1: top[0]! - cap, y1: top[1]!, x2: top[0]! + cap, y2: top[1]! }, style },
          {
            type: 'line',
            shape: { x1: bottom[0]! - cap, y1: bottom[1]!, x2: bottom[0]! + cap, y2: bottom[1]! },
            style,
          },
        ],
      };
    },
  };

  const label = {
    show: true,
    position: 'right' as const,
    distance: 6,
    formatter: (p: { data?: unknown }) => (p.data as Datum | undefined)?.short ?? '',
    color: colors.ink,
    fontSize: LABEL_FONT.size,
    fontWeight: LABEL_FONT.weight,
    backgroundColor: 'rgba(255,255,255,0.85)',
    padding: [1, 3],
    borderRadius: 3,
  };

  const medianLines: Array<Record<string, unknown>> = [];
  if (medians.handle_avg !== null) {
    medianLines.push({
      xAxis: medians.handle_avg,
      name: `Team median ${fmtAxis(medians.handle_avg, 'seconds')}`,
      label: { position: 'end', formatter: `median\n${fmtValue(medians.handle_avg, 'seconds')}` },
    });
  }
  if (medians.csat !== null) {
    medianLines.push({
      yAxis: medians.csat,
      name: `Team median CSAT`,
      label: { position: 'end', formatter: `median\n${fmtValue(medians.csat, 'proportion', 100)}` },
    });
  }

  return {
    textStyle,
    grid: { left: 8, right: 70, top: 28, bottom: 34, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    tooltip: {
      trigger: 'item',
      ...tooltipLook(),
      formatter: (params) => {
        const p = (Array.isArray(params) ? params[0] : params) as { data?: unknown };
        const d = p?.data as Datum | undefined;
        return d?.p ? tooltip(d.p) : '';
      },
    },
    xAxis: {
      type: 'value',
      min: xMin,
      max: xMax,
      interval: xStep,
      name: 'Time on call (mean per answered contact) →',
      nameLocation: 'middle',
      nameGap: 26,
      nameTextStyle: { color: colors.muted, fontSize: 12 },
      axisLine: { lineStyle: { color: colors.axis } },
      axisTick: { show: false },
      axisLabel: { formatter: (v: number) => fmtAxis(v, 'seconds'), color: colors.muted, hideOverlap: true },
      splitLine: { lineStyle: { color: colors.grid } },
    },
    yAxis: {
      type: 'value',
      min: yMin,
      max: yMax,
      name: 'CSAT (share of 4–5 scores), with 95% interval',
      nameLocation: 'end',
      nameGap: 12,
      nameTextStyle: { color: colors.muted, fontSize: 12, align: 'left' },
      axisLine: { show: false },
      axisTick: { show: false },
      axisLabel: { formatter: (v: number) => fmtAxis(v, 'proportion'), color: colors.muted },
      splitLine: { lineStyle: { color: colors.grid } },
    },
    series: [
      whiskers,
      {
        type: 'scatter',
        id: 'agents',
        name: 'Agents',
        data,
        z: 4,
        itemStyle: { color: colors.agent, borderColor: '#fff', borderWidth: 1.5 },
        label,
        // Nudged labels (crowded points) get a thin leader line back to their point.
        labelLayout: (params: { dataIndex?: number }) => {
          const pl = params.dataIndex === undefined ? undefined : placements?.[params.dataIndex];
          return pl && (pl.offset[0] || pl.offset[1]) ? { dx: pl.offset[0], dy: pl.offset[1] } : {};
        },
        labelLine: { show: true, length2: 0, smooth: false, lineStyle: { color: colors.median, width: 1 } },
        emphasis: { scale: 1.3, label: { show: true } },
        markLine: medianLines.length
          ? {
              silent: true,
              symbol: ['none', 'none'],
              animation: false,
              lineStyle: { color: colors.median, type: [6, 4], width: 1.25 },
              label: { color: colors.muted, fontSize: 11, lineHeight: 13 },
              data: medianLines,
            }
          : undefined,
      },
    ],
  };
}
