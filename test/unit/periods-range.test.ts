// Period arithmetic on any dates the API accepts (DATE_RANGE, 1900-01-01..2200-12-31) and at the
// very end of the calendar: periodsBetween always ends, its periods are contiguous and cover the
// range, their count is known beforehand (periodCount) and bounded; computed dates (the previous
// period, a week's Monday) stay real dates. Past year 9999 a date is refused, never printed as
// '+010000-01-01' (which sorts before '9999-…' and made the old string loop run forever).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DATE_RANGE } from '../../api/limits';
import {
  addDays,
  dayNumber,
  dayString,
  daysBetween,
  isoWeek,
  periodCount,
  periodLabel,
  periodsBetween,
  previousPeriod,
  weekLabelStart,
  weekStart,
} from '../../api/metrics/periods';
import type { Grain } from '../../api/metrics/registry';
import { dateProblem, weekProblem, WEEK_RANGE } from '../../api/routes/params';
import { rawPeriods, rawPreviousPeriod } from '../helpers/raw-metrics';

const MIN = dayNumber(DATE_RANGE.min);
const MAX = dayNumber(DATE_RANGE.max);
const GRAINS: Grain[] = ['day', 'week', 'month', 'total'];

/** Any day in the range, with the days at and near its two ends drawn often. */
const dayInRange = fc.oneof(
  fc.integer({ min: MIN, max: MAX }),
  fc.integer({ min: MIN, max: MIN + 400 }),
  fc.integer({ min: MAX - 400, max: MAX }),
);
const rangeIn = fc
  .tuple(dayInRange, dayInRange)
  .map(([a, b]) => [dayString(Math.min(a, b)), dayString(Math.max(a, b))] as const);

describe('day numbers', () => {
  it('the ends of the range and of the calendar', () => {
    // 1900 is not a leap year; 2200 neither; 2000 is.
    expect(addDays('1900-02-28', 1)).toBe('1900-03-01');
    expect(addDays('2000-02-28', 1)).toBe('2000-02-29');
    expect(addDays('2200-02-28', 1)).toBe('2200-03-01');
    expect(daysBetween(DATE_RANGE.min, DATE_RANGE.max)).toBe(109_937);
    expect(addDays('9999-12-30', 1)).toBe('9999-12-31');
    // Before: '+010000-01-01', a string that sorts before every four-digit year.
    expect(() => addDays('9999-12-31', 1)).toThrow(RangeError);
    expect(() => addDays('0001-01-01', -1)).toThrow(RangeError);
    // Years below 100 are years below 100 (Date.UTC would read 0050 as 1950).
    expect(addDays('0050-03-01', -1)).toBe('0050-02-28');
  });

  it('dayString(dayNumber(d)) is d for every date of the range', () => {
    fc.assert(
      fc.property(dayInRange, (n) => {
        expect(dayNumber(dayString(n))).toBe(n);
      }),
      { numRuns: 500 },
    );
  });
});

describe('periodsBetween terminates on any input', () => {
  it('the week of 9999-12-27..9999-12-31 is one period (it never ended before)', () => {
    const started = performance.now();
    expect(periodsBetween('9999-12-27', '9999-12-31', 'week')).toEqual([
      { label: '9999-W52', start: '9999-12-27', end: '9999-12-31' },
    ]);
    expect(periodsBetween('9999-12-01', '9999-12-31', 'month')).toEqual([
      { label: '9999-12', start: '9999-12-01', end: '9999-12-31' },
    ]);
    expect(periodsBetween('9999-12-30', '9999-12-31', 'day')).toHaveLength(2);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('from after to gives no period', () => {
    for (const g of GRAINS) expect(periodsBetween('2024-02-02', '2024-02-01', g)).toEqual([]);
    for (const g of GRAINS) expect(periodCount('2024-02-02', '2024-02-01', g)).toBe(0);
  });

  it('the whole range, counted and made', () => {
    expect(periodCount(DATE_RANGE.min, DATE_RANGE.max, 'day')).toBe(109_938);
    // 1900-01-01 is a Monday and 2200-12-31 a Wednesday: 15,705 whole weeks and a part.
    expect(periodCount(DATE_RANGE.min, DATE_RANGE.max, 'week')).toBe(15_706);
    expect(periodCount(DATE_RANGE.min, DATE_RANGE.max, 'month')).toBe(301 * 12);
    expect(periodsBetween(DATE_RANGE.min, DATE_RANGE.max, 'week')).toHaveLength(15_706);
  });

  it('any two dates in the range: contiguous periods that cover it, as many as periodCount says, bounded by its length', () => {
    fc.assert(
      fc.property(rangeIn, fc.constantFrom<Grain>('week', 'month', 'total'), ([from, to], grain) => {
        const periods = periodsBetween(from, to, grain);
        const days = daysBetween(from, to) + 1;
        expect(periods.length).toBe(periodCount(from, to, grain));
        const bound = grain === 'week' ? Math.floor(days / 7) + 2 : grain === 'month' ? Math.floor(days / 28) + 2 : 1;
        expect(periods.length).toBeLessThanOrEqual(bound);
        expect(periods[0]!.start).toBe(from);
        expect(periods.at(-1)!.end).toBe(to);
        // Checked in plain code (an expect per period is slow over 15,000 weeks), reported once.
        const wrong = periods.filter((p, i) => {
          if (daysBetween(p.start, p.end) < 0) return true;
          if (i > 0 && daysBetween(periods[i - 1]!.end, p.start) !== 1) return true;
          return (
            grain !== 'total' && (periodLabel(p.start, grain) !== p.label || periodLabel(p.end, grain) !== p.label)
          );
        });
        expect(wrong).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it('day grain over any range: one period a day', () => {
    fc.assert(
      fc.property(rangeIn, ([from, to]) => {
        const periods = periodsBetween(from, to, 'day');
        expect(periods.length).toBe(daysBetween(from, to) + 1);
        expect(periods.length).toBe(periodCount(from, to, 'day'));
        expect(periods.at(-1)).toEqual({ label: to, start: to, end: to });
      }),
      { numRuns: 15 },
    );
  });

  it('near both ends of the range, the same periods and previous periods as a day-by-day count', () => {
    const near = fc.oneof(fc.integer({ min: MIN, max: MIN + 200 }), fc.integer({ min: MAX - 200, max: MAX }));
    fc.assert(
      fc.property(
        near,
        fc.integer({ min: 0, max: 120 }),
        fc.constantFrom<Grain>('day', 'week', 'month', 'total'),
        (start, length, grain) => {
          const from = dayString(start);
          const to = dayString(Math.min(MAX, start + length));
          const periods = periodsBetween(from, to, grain);
          expect(periods).toEqual(
            rawPeriods(from, to, grain).map((p) => ({
              label: grain === 'total' ? 'total' : p.label,
              start: p.start,
              end: p.end,
            })),
          );
          for (const p of periods) {
            const prev = previousPeriod(p, grain);
            const raw = rawPreviousPeriod(p, grain);
            expect({ start: prev.start, end: prev.end }).toEqual({ start: raw.start, end: raw.end });
            // A computed date is a real date, at most a year (a total's length) before the range.
            expect(dateProblem(prev.start) === null || daysBetween(prev.start, DATE_RANGE.min) <= 366).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('ISO weeks at the range ends', () => {
  it('1900-W01 starts on 1900-01-01; 2200-W52 is the last week wholly in range', () => {
    expect(WEEK_RANGE).toEqual({ min: '1900-W01', max: '2200-W52' });
    expect(weekLabelStart('1900-W01')).toBe('1900-01-01');
    expect(weekLabelStart('2200-W52')).toBe('2200-12-22');
    expect(isoWeek('2200-12-31')).toBe('2201-W01');
    expect(weekStart('2200-12-31')).toBe('2200-12-29');
  });

  it('weeks past the ends, or that do not exist, are refused with a reason; 9999-W52 too', () => {
    expect(weekProblem('1900-W01')).toBeNull();
    expect(weekProblem('2200-W52')).toBeNull();
    expect(weekProblem('2020-W53')).toBeNull();
    for (const w of ['9999-W52', '2201-W01', '1899-W52', '0000-W01'])
      expect(weekProblem(w), w).toMatch(/from 1900-W01 to 2200-W52|exists/);
    expect(weekProblem('2025-W53')).toMatch(/2025 has no week 53/);
    expect(weekProblem('2025-W00')).toMatch(/no week 00/);
    expect(weekProblem('2025-53')).toMatch(/ISO week such as/);
  });

  it('every week label in range maps to its Monday and back', () => {
    fc.assert(
      fc.property(dayInRange, (n) => {
        const d = dayString(n);
        const label = isoWeek(d);
        const monday = weekLabelStart(label)!;
        expect(monday).toBe(weekStart(d));
        expect(daysBetween(monday, d)).toBeGreaterThanOrEqual(0);
        expect(daysBetween(monday, d)).toBeLessThanOrEqual(6);
      }),
      { numRuns: 500 },
    );
  });
});

describe('dates the API accepts', () => {
  it.each([
    ['1900-01-01', null],
    ['2200-12-31', null],
    ['2024-02-29', null],
    ['1899-12-31', /from 1900-01-01 to 2200-12-31/],
    ['2201-01-01', /from 1900-01-01 to 2200-12-31/],
    ['9999-12-31', /from 1900-01-01 to 2200-12-31/],
    ['0000-01-01', /real calendar date/],
    ['2023-02-29', /real calendar date/],
    ['2024-13-01', /real calendar date/],
    ['+10000-01-01', /YYYY-MM-DD/],
    ['2024-1-01', /YYYY-MM-DD/],
  ])('%s', (d, want) => {
    if (want === null) expect(dateProblem(d)).toBeNull();
    else expect(dateProblem(d)).toMatch(want);
  });
});
