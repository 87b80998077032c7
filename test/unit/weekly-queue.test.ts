// The weekly review's "Waiting, hour by hour" (web/src/lib/components/weekly/queue.ts): every hour
// of the week in the organisation's time zone, an hour without a snapshot a gap (null, never 0),
// the busiest hour in words, runs of empty hours as one row, and the chart's series.
import { describe, expect, it } from 'vitest';
import {
  hourSlots,
  queueOption,
  queueRows,
  queueSummary,
  secondsStep,
  spanText,
} from '../../web/src/lib/components/weekly/queue';
import type { QueuePoint } from '../../web/src/lib/components/weekly/types';

const point = (at: string, waiting_avg: number | null, longest_wait_max: number | null, samples = 60): QueuePoint => ({
  at,
  samples,
  queues: 1,
  waiting_avg,
  waiting_max: waiting_avg === null ? null : Math.ceil(waiting_avg),
  longest_wait_max,
  agents_available_avg: null,
  agents_busy_avg: null,
});

// The week of Mon 16 Nov 2026 in UTC, as GET /queue/history answers for from=2026-11-16&to=2026-11-22.
const FROM = '2026-11-16T00:00:00.000Z';
const TO = '2026-11-23T00:00:00.000Z';
const POINTS = [
  point('2026-11-17T09:00:00.000Z', 4.5, 150),
  point('2026-11-17T10:00:00.000Z', 12.25, 372),
  // 11:00 and 12:00 without a snapshot.
  point('2026-11-17T13:00:00.000Z', 12.25, 90),
  point('2026-11-18T15:00:00.000Z', 2, 545),
];

describe('hourSlots', () => {
  it('lays the points on all 168 hours of the week; the others are null, not zero', () => {
    const slots = hourSlots(FROM, TO, POINTS);
    expect(slots).toHaveLength(168);
    expect(slots[0]!.at).toBe(Date.parse(FROM));
    expect(slots.filter((s) => s.point !== null).map((s) => new Date(s.at).toISOString())).toEqual(
      POINTS.map((p) => p.at),
    );
    expect(slots[24 + 11]!.point).toBeNull();
  });

  it('a week whose Sunday turns the clocks forward has 167 hours (Europe/Berlin, 2026-W13)', () => {
    // Mon 23 Mar 00:00 CET = 22 Mar 23:00 UTC; Mon 30 Mar 00:00 CEST = 29 Mar 22:00 UTC.
    expect(hourSlots('2026-03-22T23:00:00.000Z', '2026-03-29T22:00:00.000Z', [])).toHaveLength(167);
  });
});

describe('queueSummary', () => {
  it('names the busiest hour (the earliest of equals) with its longest wait, and the week’s longest when another hour had it', () => {
    const s = queueSummary(hourSlots(FROM, TO, POINTS), 'UTC');
    expect([s.reported, s.hours]).toEqual([4, 168]);
    // 10:00 and 13:00 both average 12.25 waiting: the first counts.
    expect(new Date(s.peak!.at).toISOString()).toBe('2026-11-17T10:00:00.000Z');
    expect(s.sentence).toBe(
      'Busiest hour: Tue 17 Nov, 10:00–11:00, 12.3 waiting on average, longest wait 6m 12s. Longest wait of the week: 9m 05s, Wed 18 Nov, 15:00–16:00.',
    );
  });

  it('says hours in the organisation’s time zone', () => {
    const s = queueSummary(hourSlots(FROM, TO, POINTS.slice(0, 2)), 'America/Chicago');
    expect(s.sentence).toBe('Busiest hour: Tue 17 Nov, 04:00–05:00, 12.3 waiting on average, longest wait 6m 12s.');
  });

  it('never makes a busiest hour out of nothing', () => {
    expect(queueSummary(hourSlots(FROM, TO, []), 'UTC')).toMatchObject({ reported: 0, peak: null, sentence: '' });
    expect(queueSummary(hourSlots(FROM, TO, [point('2026-11-17T09:00:00.000Z', 0, 20)]), 'UTC').sentence).toBe(
      'Nobody was waiting at any snapshot this week. Longest wait of the week: 20s, Tue 17 Nov, 09:00–10:00.',
    );
    expect(queueSummary(hourSlots(FROM, TO, [point('2026-11-17T09:00:00.000Z', 0, null)]), 'UTC').sentence).toBe(
      'Nobody was waiting at any snapshot this week.',
    );
    expect(queueSummary(hourSlots(FROM, TO, [point('2026-11-17T09:00:00.000Z', null, 20)]), 'UTC').sentence).toBe(
      'No snapshot this week said how many were waiting. Longest wait of the week: 20s, Tue 17 Nov, 09:00–10:00.',
    );
  });
});

describe('queueRows', () => {
  it('keeps each hour with snapshots and folds each run of empty hours into one row', () => {
    const rows = queueRows(hourSlots(FROM, TO, POINTS));
    expect(rows.map((r) => (r.kind === 'hour' ? new Date(r.at).toISOString().slice(5, 16) : `gap ${r.hours}`))).toEqual(
      [
        'gap 33', // Mon 00:00 – Tue 09:00
        '11-17T09:00',
        '11-17T10:00',
        'gap 2', // 11:00, 12:00
        '11-17T13:00',
        'gap 25', // Tue 14:00 – Wed 15:00
        '11-18T15:00',
        'gap 104', // to the end of Sunday
      ],
    );
    const gap = rows[3]!;
    expect(gap.kind === 'gap' && spanText(gap.from, gap.to, 'UTC')).toBe('Tue 17 Nov, 11:00–13:00');
    const first = rows[0]!;
    expect(first.kind === 'gap' && spanText(first.from, first.to, 'UTC')).toBe('Mon 16 Nov, 00:00 – Tue 17 Nov, 09:00');
  });
});

describe('secondsStep', () => {
  it('steps the longest-wait axis in 15 s under a minute, then in whole minutes', () => {
    expect([0, 40, 60, 200, 545, 1_200, 3_000, 20_000, 40_000].map(secondsStep)).toEqual([
      15, 15, 15, 60, 180, 300, 900, 7_200, 10_800,
    ]);
  });
});

describe('queueOption', () => {
  it('draws nulls for the hours without a snapshot and a dot for an hour alone between gaps', () => {
    const slots = hourSlots(FROM, TO, POINTS);
    const option = queueOption({ slots, peak: queueSummary(slots, 'UTC').peak, timeZone: 'UTC' });
    const series = option.series as Array<{ name: string; data: unknown[]; markLine?: { data: unknown[] } }>;
    const waiting = series.find((s) => s.name === 'Waiting, mean')!;
    expect(waiting.data).toHaveLength(168);
    expect(waiting.data[24 + 9]).toBe(4.5);
    expect(waiting.data[24 + 11]).toBeNull();
    expect(waiting.data.filter((v) => v === 0)).toEqual([]);
    // 13:00 has no neighbour with a value: a dot, or it would not show at all.
    expect(waiting.data[24 + 13]).toEqual({ value: 12.25, symbolSize: 6 });
    expect(waiting.markLine!.data).toEqual([{ xAxis: String(Date.parse('2026-11-17T10:00:00.000Z')) }]);
    const longest = series.find((s) => s.name === 'Longest wait')!;
    expect(longest.data[24 + 10]).toBe(372);
    expect(longest.data[0]).toBeNull();
    // The longest wait's axis in whole minutes: 9m 05s at most, so 0, 3, 6, 9 and 12 min.
    const axes = option.yAxis as Array<{ interval?: number; max?: (e: { max: number }) => number }>;
    expect([axes[1]!.interval, axes[1]!.max!({ max: 545 })]).toEqual([180, 720]);
  });
});
