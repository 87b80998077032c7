// The web's "today" is the organisation's day (ORG_TIMEZONE), not the browser's: a TV in UTC for
// an organisation in America/Chicago must not turn the page at 18:00 local time.
import { afterEach, describe, expect, it } from 'vitest';
import { todayIn } from '../../api/metrics/periods';
import { COACH_MAX_DAYS, periodDays } from '../../web/src/lib/components/coach/display';
import {
  dayIn,
  fmtClock,
  fmtDateTime,
  isoWeekRange,
  setOrgTimeZone,
  todayIso,
  zoneNote,
} from '../../web/src/lib/format';

const CHICAGO = 'America/Chicago';

afterEach(() => setOrgTimeZone(undefined));

describe('dayIn / todayIso', () => {
  it('23:30 in Chicago is 05:30 UTC the next day: the organisation’s today is still the earlier date', () => {
    const at = new Date('2026-01-15T05:30:00Z'); // CST, UTC−6
    expect(dayIn('UTC', at)).toBe('2026-01-15');
    expect(dayIn(CHICAGO, at)).toBe('2026-01-14');
    expect(todayIso(at, CHICAGO)).toBe('2026-01-14');
    // …and the week it falls in is the organisation's too (Wed 14 Jan: the week of Mon 12 Jan).
    expect(isoWeekRange(todayIso(at, CHICAGO))).toEqual({ from: '2026-01-12', to: '2026-01-18' });
  });

  it('follows summer time: the day turns at 05:00 UTC in CDT, 06:00 UTC in CST', () => {
    // Summer time starts on Sunday 8 March 2026 at 02:00 CST (08:00 UTC).
    expect(dayIn(CHICAGO, new Date('2026-03-08T05:30:00Z'))).toBe('2026-03-07'); // 23:30 CST
    expect(dayIn(CHICAGO, new Date('2026-03-09T04:30:00Z'))).toBe('2026-03-08'); // 23:30 CDT
    // A fixed UTC−6 would still say 8 March here; in CDT it is 00:30 on the 9th.
    expect(dayIn(CHICAGO, new Date('2026-03-09T05:30:00Z'))).toBe('2026-03-09');
    // It ends on Sunday 1 November at 02:00 CDT: that day lasts 25 hours, 05:00 to 06:00 UTC next day.
    expect(dayIn(CHICAGO, new Date('2026-11-01T04:59:00Z'))).toBe('2026-10-31');
    expect(dayIn(CHICAGO, new Date('2026-11-01T05:00:00Z'))).toBe('2026-11-01');
    expect(dayIn(CHICAGO, new Date('2026-11-02T05:59:00Z'))).toBe('2026-11-01');
    expect(dayIn(CHICAGO, new Date('2026-11-02T06:00:00Z'))).toBe('2026-11-02');
  });

  it('draws every day boundary of a year where the server does (api todayIn)', () => {
    for (const tz of [CHICAGO, 'Europe/London', 'Asia/Kolkata', 'Pacific/Chatham', 'UTC']) {
      // Every 7 h 13 min: every hour of the day comes round (the server's formatter is slow to make).
      for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 433 * 60_000) {
        const at = new Date(t);
        if (dayIn(tz, at) !== todayIn(tz, at))
          expect({ tz, at: at.toISOString(), web: dayIn(tz, at) }).toEqual({
            tz,
            at: at.toISOString(),
            web: todayIn(tz, at),
          });
      }
    }
  });

  it('uses the organisation’s zone once set, and the browser’s before or when the name is unknown', () => {
    const at = new Date('2026-01-15T05:30:00Z');
    const browser = dayIn(undefined, at);
    expect(todayIso(at)).toBe(browser);
    setOrgTimeZone(CHICAGO);
    expect(todayIso(at)).toBe('2026-01-14');
    expect(fmtDateTime('2026-01-15T05:30:00Z')).toBe('Wed 14 Jan 2026, 23:30');
    expect(fmtClock(at)).toBe('23:30');
    setOrgTimeZone('Mars/Olympus_Mons');
    expect(todayIso(at)).toBe(browser);
  });

  it('writes half past midnight as 00:30, never 24:30', () => {
    expect(fmtClock(new Date('2026-01-15T06:30:00Z'), CHICAGO)).toBe('00:30');
  });
});

describe('zoneNote', () => {
  const winter = new Date('2026-01-15T12:00:00Z');

  it('names the organisation’s zone when the browser’s clock differs', () => {
    expect(zoneNote(CHICAGO, 'UTC', winter)).toBe('Times in America/Chicago');
  });

  it('says nothing when the clocks agree, under one name or two', () => {
    expect(zoneNote(CHICAGO, CHICAGO, winter)).toBeNull();
    expect(zoneNote('Europe/Paris', 'Europe/Berlin', winter)).toBeNull();
    expect(zoneNote(undefined, 'UTC', winter)).toBeNull();
  });

  it('notes a zone that matches the browser only in winter (London and UTC part in summer)', () => {
    expect(zoneNote('Europe/London', 'UTC', winter)).toBe('Times in Europe/London');
  });
});

describe('coaching periods', () => {
  it('counts both ends, and the longest period the API accepts is 371 days', () => {
    expect(COACH_MAX_DAYS).toBe(371);
    expect(periodDays('2026-01-05', '2026-01-05')).toBe(1);
    expect(periodDays('2025-01-01', '2026-01-06')).toBe(371);
    expect(periodDays('2025-01-01', '2026-01-07')).toBe(372);
    // Across a summer-time change the count is still in whole days.
    expect(periodDays('2026-03-01', '2026-03-31')).toBe(31);
    expect(periodDays('2026-02-01', '2026-01-31')).toBe(0);
  });
});
