// "Waiting, hour by hour": the week's queue_status history (GET /api/v1/queue/history, grain=hour)
// laid out on every hour of the week, so that an hour without a snapshot is a gap (null), never
// zero; the week's busiest hour in words; the table behind the chart; the chart's options.
// Pure functions: hours are told in the organisation's time zone, given by the caller.
import type { ChartOption } from '../../../../../api/shared/charts/option';
import { palette, textStyle, tooltipCard } from '../../../../../api/shared/charts/palette';
import { esc, fmtAxis } from '../../../../../api/shared/format';
import { fmtClock, fmtDecimal, fmtDuration, fmtInt, isTimeZone } from '../../format';
import type { QueuePoint } from './types';

const HOUR_MS = 3_600_000;

/** One hour of the week: its start, and the point of the history when a snapshot came in it. */
export interface HourSlot {
  /** The start of the hour (ms since the epoch). */
  at: number;
  point: QueuePoint | null;
}

/**
 * Every hour from `from` (inclusive) to `to` (exclusive), the history's points placed on theirs.
 * The API's hours are those of the organisation's time zone; over the week's instants they are
 * 3,600 s apart, summer time included (a week then has 167 or 169 of them).
 */
export function hourSlots(from: string, to: string, points: readonly QueuePoint[]): HourSlot[] {
  const start = Date.parse(from);
  const end = Date.parse(to);
  const byHour = new Map(points.map((p) => [Date.parse(p.at), p]));
  const out: HourSlot[] = [];
  if (!Number.isFinite(start) || !Number.isFinite(end)) return out;
  for (let at = start; at < end; at += HOUR_MS) out.push({ at, point: byHour.get(at) ?? null });
  return out;
}

const dayFmt = new Map<string, Intl.DateTimeFormat>();
/** "Tue 17 Nov" in a time zone (the browser's when none or an unknown one is given). */
export function dayText(at: number, timeZone: string | undefined): string {
  const tz = isTimeZone(timeZone) ? timeZone : undefined;
  let f = dayFmt.get(tz ?? '');
  if (!f)
    dayFmt.set(
      tz ?? '',
      (f = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: tz })),
    );
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]));
  return `${p.weekday} ${p.day} ${p.month}`;
}

/** "Tue 17 Nov, 10:00–11:00". */
export function hourText(at: number, timeZone: string | undefined): string {
  return `${dayText(at, timeZone)}, ${fmtClock(at, timeZone)}–${fmtClock(at + HOUR_MS, timeZone)}`;
}

/** A mean number waiting: one decimal ("12.4", "0.3"). */
export const waitingText = (v: number): string => fmtDecimal(v, 1);

export interface QueueSummary {
  /** Hours of the week with at least one snapshot, and hours in the week. */
  reported: number;
  hours: number;
  /** The hour with the most waiting on average (the earliest of equals); null when no snapshot reported it. */
  peak: HourSlot | null;
  /** The hour with the longest wait reported (the earliest of equals). */
  longest: HourSlot | null;
  /** The busiest hour and its longest wait, in one plain sentence (and the week's longest when another hour had it). */
  sentence: string;
}

function firstMax(slots: readonly HourSlot[], pick: (p: QueuePoint) => number | null): HourSlot | null {
  let best: HourSlot | null = null;
  let bestValue = -Infinity;
  for (const s of slots) {
    const v = s.point ? pick(s.point) : null;
    if (v !== null && v > bestValue) {
      best = s;
      bestValue = v;
    }
  }
  return best;
}

/** The week in words: its busiest hour, the longest wait then, and the week's longest wait. */
export function queueSummary(slots: readonly HourSlot[], timeZone: string | undefined): QueueSummary {
  const reported = slots.filter((s) => s.point !== null).length;
  const peak = firstMax(slots, (p) => p.waiting_avg);
  const longest = firstMax(slots, (p) => p.longest_wait_max);
  const parts: string[] = [];
  const peakWaiting = peak?.point?.waiting_avg ?? null;
  const peakLongest = peak?.point?.longest_wait_max ?? null;
  /** Whether the sentence names a busiest hour (someone was waiting then). */
  const named = !!peak && peakWaiting !== null && peakWaiting > 0;
  if (named) {
    parts.push(
      `Busiest hour: ${hourText(peak.at, timeZone)}, ${waitingText(peakWaiting)} waiting on average, ${peakLongest === null ? 'no longest wait reported' : `longest wait ${fmtDuration(peakLongest)}`}.`,
    );
  } else if (peak) {
    parts.push('Nobody was waiting at any snapshot this week.');
  } else if (reported > 0) {
    parts.push('No snapshot this week said how many were waiting.');
  }
  const weekLongest = longest?.point?.longest_wait_max ?? null;
  if (
    longest &&
    weekLongest !== null &&
    weekLongest > 0 &&
    (!named || (longest !== peak && (peakLongest === null || weekLongest > peakLongest)))
  ) {
    parts.push(`Longest wait of the week: ${fmtDuration(weekLongest)}, ${hourText(longest.at, timeZone)}.`);
  }
  return { reported, hours: slots.length, peak, longest, sentence: parts.join(' ') };
}

/** A row of the table behind the chart: an hour with snapshots, or a run of hours without any. */
export type QueueRow =
  { kind: 'hour'; at: number; point: QueuePoint } | { kind: 'gap'; from: number; to: number; hours: number };

/** The table's rows: each hour that had snapshots, and each run of hours without one as one row. */
export function queueRows(slots: readonly HourSlot[]): QueueRow[] {
  const rows: QueueRow[] = [];
  for (const s of slots) {
    if (s.point) {
      rows.push({ kind: 'hour', at: s.at, point: s.point });
      continue;
    }
    const last = rows[rows.length - 1];
    if (last?.kind === 'gap' && last.to === s.at) {
      last.to = s.at + HOUR_MS;
      last.hours += 1;
    } else rows.push({ kind: 'gap', from: s.at, to: s.at + HOUR_MS, hours: 1 });
  }
  return rows;
}

/** "Mon 16 Nov, 00:00–08:00", or across days "Mon 16 Nov, 20:00 – Tue 17 Nov, 06:00". */
export function spanText(from: number, to: number, timeZone: string | undefined): string {
  const a = dayText(from, timeZone);
  const b = dayText(to - 1, timeZone);
  return a === b
    ? `${a}, ${fmtClock(from, timeZone)}–${fmtClock(to, timeZone)}`
    : `${a}, ${fmtClock(from, timeZone)} – ${dayText(to, timeZone)}, ${fmtClock(to, timeZone)}`;
}

/** The colour of the longest-wait line: a dark slate, apart from the waiting line's blue (and dashed). */
export const LONGEST_COLOR = '#4a5668';

/** Whether the slot's value has no neighbour with a value: drawn as a dot, else it would not show. */
function alone(values: ReadonlyArray<number | null>, i: number): boolean {
  return values[i] !== null && (values[i - 1] ?? null) === null && (values[i + 1] ?? null) === null;
}

/** The values, those alone between gaps with a dot of `size` (the series' own symbols are size 0). */
function lineData(values: ReadonlyArray<number | null>, size: number) {
  return values.map((v, i) => (alone(values, i) ? { value: v, symbolSize: size } : v));
}

/** Seconds between the longest-wait axis's ticks: whole minutes (or 15 s steps under a minute), at most 4 steps. */
export function secondsStep(max: number): number {
  for (const step of [15, 30, 60, 120, 180, 300, 600, 900, 1800, 3600, 7200]) if (max <= step * 4) return step;
  return Math.ceil(max / 4 / 3600) * 3600;
}

/**
 * The week's hours: the mean number waiting (left axis, a line with its area) and the longest wait
 * reported (right axis, dashed); an hour without a snapshot breaks both lines. Days are marked at
 * midnight, the busiest hour by a dashed line.
 */
export function queueOption(args: {
  slots: readonly HourSlot[];
  peak: HourSlot | null;
  timeZone: string | undefined;
}): ChartOption {
  const { slots, timeZone } = args;
  const keys = slots.map((s) => String(s.at));
  const waiting = slots.map((s) => s.point?.waiting_avg ?? null);
  const longest = slots.map((s) => s.point?.longest_wait_max ?? null);
  const midnight = slots.map((s) => fmtClock(s.at, timeZone) === '00:00');
  const atMidnight = (i: number) => midnight[i] === true;
  const longestStep = secondsStep(Math.max(0, ...longest.filter((v): v is number => v !== null)));

  return {
    textStyle,
    grid: { left: 6, right: 6, top: 22, bottom: 4, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    xAxis: {
      type: 'category',
      data: keys,
      boundaryGap: false,
      axisLabel: {
        interval: atMidnight,
        formatter: (_v: string, i: number) => dayText(slots[i]?.at ?? 0, timeZone).replace(/ \w+$/, ''),
        color: palette.muted,
        fontSize: 11,
        align: 'left',
      },
      axisTick: { interval: atMidnight, length: 4, lineStyle: { color: palette.axis } },
      axisLine: { lineStyle: { color: palette.axis } },
      splitLine: { show: true, interval: atMidnight, lineStyle: { color: palette.grid } },
    },
    yAxis: [
      {
        type: 'value',
        min: 0,
        minInterval: 1,
        splitNumber: 4,
        axisLabel: { formatter: (v: number) => fmtInt(v), color: palette.op, fontSize: 12 },
        splitLine: { lineStyle: { color: palette.grid } },
      },
      {
        type: 'value',
        min: 0,
        interval: longestStep,
        max: (e: { max: number }) => Math.max(longestStep, Math.ceil(e.max / longestStep) * longestStep),
        axisLabel: { formatter: (v: number) => fmtAxis(v, 'seconds'), color: LONGEST_COLOR, fontSize: 12 },
        splitLine: { show: false },
      },
    ],
    tooltip: {
      ...tooltipCard(320),
      axisPointer: { type: 'line', lineStyle: { color: palette.axis } },
      formatter: (params: unknown) => {
        const first = (Array.isArray(params) ? params[0] : params) as { dataIndex?: number } | undefined;
        const s = slots[first?.dataIndex ?? 0];
        if (!s) return '';
        const head = `<div style="margin-bottom:4px"><b>${esc(hourText(s.at, timeZone))}</b></div>`;
        const p = s.point;
        if (!p) return `${head}<div style="color:${palette.muted}">No snapshot in this hour</div>`;
        const w = p.waiting_avg === null ? 'not reported' : `${waitingText(p.waiting_avg)} on average`;
        const l = p.longest_wait_max === null ? 'not reported' : fmtDuration(p.longest_wait_max);
        return `${head}<div>Waiting: <b>${esc(w)}</b></div><div>Longest wait: <b>${esc(l)}</b></div><div style="color:${palette.muted};font-size:12px">${esc(`${fmtInt(p.samples)} snapshots from ${fmtInt(p.queues)} ${p.queues === 1 ? 'queue' : 'queues'}`)}</div>`;
      },
    },
    series: [
      {
        type: 'line',
        name: 'Waiting, mean',
        yAxisIndex: 0,
        data: lineData(waiting, 6),
        connectNulls: false,
        symbol: 'circle',
        symbolSize: 0,
        showAllSymbol: true,
        itemStyle: { color: palette.op },
        lineStyle: { color: palette.op, width: 2 },
        areaStyle: { color: palette.op, opacity: 0.12 },
        z: 3,
        markLine: args.peak
          ? {
              silent: true,
              symbol: ['none', 'none'],
              animation: false,
              lineStyle: { color: palette.annotation, type: [4, 3], width: 1.25 },
              label: {
                show: true,
                position: 'end',
                formatter: 'busiest',
                color: palette.ink,
                fontWeight: 700,
                fontSize: 11,
                distance: 2,
              },
              data: [{ xAxis: String(args.peak.at) }],
            }
          : undefined,
      },
      {
        type: 'line',
        name: 'Longest wait',
        yAxisIndex: 1,
        data: lineData(longest, 5),
        connectNulls: false,
        symbol: 'circle',
        symbolSize: 0,
        showAllSymbol: true,
        itemStyle: { color: LONGEST_COLOR },
        lineStyle: { color: LONGEST_COLOR, width: 1.5, type: [5, 3] },
        z: 4,
      },
    ],
  };
}
