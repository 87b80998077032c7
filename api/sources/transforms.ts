// The transforms a mapping may apply to a cell, each turning an export's way of writing a value
// (talk time `0:02:23`, a day-first date, `Y`/`N`, a 0–10 rating) into the data contract's way
// (seconds, ISO 8601, true/false, 1–5), or an Invalid saying why not in plain words. They run for
// every mapped cell of every row: compiled once per mapping, no allocation on the common path.
import { Invalid, localToUtc, show, type Parsed } from '../ingest/fields';
import type { Transform } from './mapping';

export type Compiled = (raw: string) => Parsed<string>;

const NUM = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A plain number with `.` or `,` as its decimal separator; thousands separators, spaces and currency signs dropped. */
export function readNumber(raw: string, decimal: '.' | ',' = '.'): number | null {
  let v = raw.trim().replace(/^[$€£¥]\s*|\s*[$€£¥%]$/g, '');
  if (decimal === ',') v = v.replace(/[.\s\u00a0\u202f']/g, '').replace(',', '.');
  else v = v.replace(/[,\s\u00a0\u202f']/g, '');
  if (!NUM.test(v)) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/** Seconds in a duration, or null when the text is not one in that unit. */
export function readDuration(raw: string, unit: (typeof import('./mapping').DURATION_UNITS)[number]): number | null {
  const v = raw.trim();
  if (unit === 'h:mm:ss' || unit === 'mm:ss') {
    // Three parts are always h:mm:ss; two parts are m:ss only when the unit says so.
    const m = /^(\d+):([0-5]?\d)(?::([0-5]?\d))?(?:[.,](\d+))?$/.exec(v);
    if (!m) return null;
    const frac = m[4] ? Number(`0.${m[4]}`) : 0;
    if (m[3] !== undefined) return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) + frac;
    if (unit === 'mm:ss') return Number(m[1]) * 60 + Number(m[2]) + frac;
    return null;
  }
  const n = readNumber(v, v.includes(',') && !v.includes('.') ? ',' : '.');
  if (n === null || n < 0) return null;
  switch (unit) {
    case 'seconds':
      return n;
    case 'minutes':
      return n * 60;
    case 'milliseconds':
      return n / 1000;
    case 'excel_days':
      return n * 86_400;
  }
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export interface Moment {
  /** Local wall-clock time (no zone), or an instant when `offsetMs` or `utc` says so. */
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  ms: number;
  /** Text of an explicit offset in the value (`Z`, `+01:00`), if any. */
  offset: string | null;
  /** Epoch milliseconds, when the value was an absolute instant (epoch numbers). */
  epoch: number | null;
}

const DMY =
  /^(\d{1,4})[./\-\s](\d{1,2})[./\-\s](\d{1,4})(?:(?:[T\s,]+|\s*-\s*)(\d{1,2})[:.h](\d{2})(?:[:.](\d{2})(?:[.,](\d{1,9}))?)?\s*([ap]\.?m\.?)?)?\s*(Z|[+-]\d{2}:?\d{2}|UTC|GMT)?$/i;
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T\s](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

const year2 = (y: string) => (y.length <= 2 ? (Number(y) < 70 ? 2000 + Number(y) : 1900 + Number(y)) : Number(y));

/** Reads the parts of a date (and time) written in `order`; null when it is not one. */
export function readMoment(raw: string, order: (typeof import('./mapping').DATE_ORDERS)[number]): Moment | null {
  const v = raw.trim();
  if (v === '') return null;
  if (order === 'excel' || order === 'epoch_seconds' || order === 'epoch_millis') {
    const n = readNumber(v);
    if (n === null) return null;
    if (order === 'excel') {
      // Serial days since 1899-12-30 (Excel's 1900 system), as a wall-clock time.
      if (n < 1 || n > 2_958_465) return null;
      const t = new Date(EXCEL_EPOCH + Math.round(n * 86_400_000));
      return {
        y: t.getUTCFullYear(),
        mo: t.getUTCMonth() + 1,
        d: t.getUTCDate(),
        h: t.getUTCHours(),
        mi: t.getUTCMinutes(),
        s: t.getUTCSeconds(),
        ms: t.getUTCMilliseconds(),
        offset: null,
        epoch: null,
      };
    }
    const epoch = order === 'epoch_seconds' ? Math.round(n * 1000) : Math.round(n);
    const t = new Date(epoch);
    if (Number.isNaN(t.getTime())) return null;
    return {
      y: t.getUTCFullYear(),
      mo: t.getUTCMonth() + 1,
      d: t.getUTCDate(),
      h: t.getUTCHours(),
      mi: t.getUTCMinutes(),
      s: t.getUTCSeconds(),
      ms: t.getUTCMilliseconds(),
      offset: 'Z',
      epoch,
    };
  }
  if (order === 'iso') {
    const m = ISO.exec(v);
    if (!m) return null;
    return {
      y: Number(m[1]),
      mo: Number(m[2]),
      d: Number(m[3]),
      h: Number(m[4] ?? 0),
      mi: Number(m[5] ?? 0),
      s: Number(m[6] ?? 0),
      ms: m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0,
      offset: m[8] ?? null,
      epoch: null,
    };
  }
  const m = DMY.exec(v);
  if (!m) return null;
  let y: number, mo: number, d: number;
  if (order === 'ymd') [y, mo, d] = [year2(m[1]!), Number(m[2]), Number(m[3])];
  else if (order === 'dmy') [d, mo, y] = [Number(m[1]), Number(m[2]), year2(m[3]!)];
  else [mo, d, y] = [Number(m[1]), Number(m[2]), year2(m[3]!)];
  // A four-digit first part is a year whatever the order says (2026-12-06 in a day-first file).
  if (order !== 'ymd' && m[1]!.length === 4) [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  let h = Number(m[4] ?? 0);
  const ampm = m[8]?.toLowerCase().replace(/\./g, '');
  if (ampm) {
    if (h < 1 || h > 12) return null;
    if (ampm === 'am' && h === 12) h = 0;
    else if (ampm === 'pm' && h !== 12) h += 12;
  }
  const off = m[9] ? (/^(utc|gmt)$/i.test(m[9]) ? 'Z' : m[9]) : null;
  return {
    y,
    mo,
    d,
    h,
    mi: Number(m[5] ?? 0),
    s: Number(m[6] ?? 0),
    ms: m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0,
    offset: off,
    epoch: null,
  };
}

function validDay(y: number, mo: number, d: number) {
  return y >= 1900 && y <= 2200 && mo >= 1 && mo <= 12 && d >= 1 && d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

const FIXED_OFFSET = /^([+-])(\d{2}):?(\d{2})$|^Z$/;

/** Milliseconds east of UTC of an offset written `Z`, `+01:00`, `-0530`, `+02`; null when it is not one. */
function offsetMs(text: string): number | null {
  if (text === 'Z' || text === 'z') return 0;
  const m = /^([+-])(\d{2})(?::?(\d{2}))?$/.exec(text);
  if (!m || Number(m[2]) > 23 || Number(m[3] ?? 0) > 59) return null;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)) * 60_000;
}

/**
 * The instant of a moment as ISO 8601 UTC, a value without an offset read in `zone` (IANA or fixed
 * `+01:00`). Computed from the parts (no text round trip): it runs for every timestamp of a file.
 */
export function momentToIso(m: Moment, zone: string): string | null {
  if (m.epoch !== null) return new Date(m.epoch).toISOString();
  if (!validDay(m.y, m.mo, m.d) || m.h > 23 || m.mi > 59 || m.s > 59) return null;
  const local = Date.UTC(m.y, m.mo - 1, m.d, m.h, m.mi, m.s, m.ms);
  let utc: number;
  if (m.offset !== null) {
    const off = offsetMs(m.offset);
    if (off === null) return null;
    utc = local - off;
  } else if (FIXED_OFFSET.test(zone)) utc = local - offsetMs(zone)!;
  else utc = localToUtc(local, zone);
  return new Date(utc).toISOString();
}

const ORDER_EXAMPLE: Record<(typeof import('./mapping').DATE_ORDERS)[number], string> = {
  iso: '2026-12-06 14:03',
  dmy: 'day-first, such as 06/12/2026 14:03',
  mdy: 'month-first, such as 12/06/2026 2:03 PM',
  ymd: 'year-first, such as 2026/12/06 14:03',
  excel: 'an Excel serial number, such as 46362.585',
  epoch_seconds: 'seconds since 1970, such as 1796220180',
  epoch_millis: 'milliseconds since 1970, such as 1796220180000',
};

/**
 * Compiles a transform into a function of one cell; `zone` is the zone for dates and times
 * without an offset (the transform's own, else the mapping's, else the organisation's).
 */
export function compileTransform(t: Transform | undefined, zone: string): Compiled {
  const blank = (raw: string) => raw.trim() === '';
  switch (t?.type) {
    case undefined:
    case 'text':
      return (raw) => (blank(raw) ? null : raw.trim());
    case 'present':
      return (raw) => (blank(raw) ? 'false' : 'true');
    case 'duration': {
      const unit = t.unit;
      return (raw) => {
        if (blank(raw)) return null;
        const s = readDuration(raw, unit);
        return s === null ? new Invalid(`must be a duration in ${unit}, got ${show(raw)}`) : String(Math.round(s));
      };
    }
    case 'datetime': {
      const order = t.order;
      const z = t.time_zone ?? zone;
      return (raw) => {
        if (blank(raw)) return null;
        const m = readMoment(raw, order);
        const iso = m && momentToIso(m, z);
        return iso ?? new Invalid(`must be a date and time written ${ORDER_EXAMPLE[order]}, got ${show(raw)}`);
      };
    }
    case 'date': {
      const order = t.order;
      return (raw) => {
        if (blank(raw)) return null;
        const m = readMoment(raw, order);
        if (m && m.epoch !== null) return new Date(m.epoch).toISOString().slice(0, 10);
        if (!m || !validDay(m.y, m.mo, m.d))
          return new Invalid(
            `must be a date written ${ORDER_EXAMPLE[order].replace(/ 14:03| 2:03 PM/, '')}, got ${show(raw)}`,
          );
        return `${pad(m.y, 4)}-${pad(m.mo)}-${pad(m.d)}`;
      };
    }
    case 'boolean': {
      const yes = new Set(t.true.map((v) => v.trim().toLowerCase()));
      const no = new Set(t.false.map((v) => v.trim().toLowerCase()));
      const expected = `${t.true[0]} or ${t.false[0]}`;
      return (raw) => {
        const v = raw.trim().toLowerCase();
        if (v === '') return null;
        if (yes.has(v)) return 'true';
        if (no.has(v)) return 'false';
        return new Invalid(`must be ${expected}, got ${show(raw)}`);
      };
    }
    case 'map': {
      const values = new Map<string, string | null>();
      for (const [k, v] of Object.entries(t.values))
        values.set(k.trim().toLowerCase(), v === null || v.trim() === '' ? null : v);
      const otherwise = t.otherwise;
      const known = [...Object.keys(t.values)]
        .slice(0, 8)
        .map((k) => `'${k}'`)
        .join(', ');
      return (raw) => {
        const key = raw.trim().toLowerCase();
        const hit = values.get(key);
        if (hit !== undefined) return hit;
        if (key === '') return null;
        if (otherwise === 'keep') return raw.trim();
        if (otherwise === 'null') return null;
        if (typeof otherwise === 'object')
          return otherwise.value === null || otherwise.value.trim() === '' ? null : otherwise.value;
        return new Invalid(
          `${show(raw)} is not one of the mapped values (${known}${values.size > 8 ? ', …' : ''}); add it to the mapping`,
        );
      };
    }
    case 'number': {
      const decimal = t.decimal;
      return (raw) => {
        if (blank(raw)) return null;
        const n = readNumber(raw, decimal);
        return n === null
          ? new Invalid(`must be a number with '${decimal}' as the decimal separator, got ${show(raw)}`)
          : String(n);
      };
    }
    case 'scale': {
      const [f0, f1] = t.from;
      const [t0, t1] = t.to;
      const lo = Math.min(f0, f1);
      const hi = Math.max(f0, f1);
      if (t.method === 'refuse') {
        return (raw) => {
          if (blank(raw)) return null;
          const n = readNumber(raw);
          if (n === null || !Number.isInteger(n) || n < Math.min(t0, t1) || n > Math.max(t0, t1)) {
            return new Invalid(
              `is on a ${f0}–${f1} scale, not ${t0}–${t1}: the mapping refuses to rescale it, got ${show(raw)}`,
            );
          }
          return String(n);
        };
      }
      return (raw) => {
        if (blank(raw)) return null;
        const n = readNumber(raw);
        if (n === null || n < lo || n > hi)
          return new Invalid(`must be a rating from ${f0} to ${f1}, got ${show(raw)}`);
        // Half points round up (7 of 0–10 is 3.8 → 4; 5 is 3): a stated, tested rule.
        return String(Math.floor(t0 + ((n - f0) * (t1 - t0)) / (f1 - f0) + 0.5 + 1e-9));
      };
    }
  }
}
