// Field parsers of the data contract (PRODUCT.md): each turns one cell (a string; empty means
// null) into a typed value or a reason in plain words.

export type Parsed<T> = { ok: true; value: T | null } | { ok: false; reason: string };

const ok = <T>(value: T | null): Parsed<T> => ({ ok: true, value });
const bad = (reason: string): Parsed<never> => ({ ok: false, reason });

/** Shows an offending value in a message: quoted, truncated. */
export function show(value: string, max = 40): string {
  const flat = value.replace(/[\r\n\t]+/g, ' ');
  return `'${flat.length > max ? `${flat.slice(0, max)}…` : flat}'`;
}

/** A NUL or an unpaired surrogate: text PostgreSQL cannot store (only JSON batches can carry them). */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function parseText(raw: string, maxLength: number): Parsed<string> {
  const v = raw.trim();
  if (v === '') return ok(null);
  if (v.length > maxLength) return bad(`must be at most ${maxLength.toLocaleString('en')} characters, got ${v.length.toLocaleString('en')}`);
  if (UNSTORABLE.test(v)) return bad('must be Unicode text without NUL characters or unpaired surrogates');
  return ok(v);
}

const TRUE = new Set(['true', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'no', 'n', '0']);

export function parseBool(raw: string): Parsed<boolean> {
  const v = raw.trim().toLowerCase();
  if (v === '') return ok(null);
  if (TRUE.has(v)) return ok(true);
  if (FALSE.has(v)) return ok(false);
  return bad(`must be true/false, yes/no, y/n or 1/0, got ${show(raw)}`);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

export function parseDate(raw: string): Parsed<string> {
  const v = raw.trim();
  if (v === '') return ok(null);
  const m = DATE.exec(v);
  if (!m || !validDate(Number(m[1]), Number(m[2]), Number(m[3]))) return bad(`must be a date YYYY-MM-DD, got ${show(raw)}`);
  return ok(v);
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Offsets (minutes east of UTC) of a time zone, cached by UTC hour. */
class ZoneOffsets {
  private readonly format: Intl.DateTimeFormat;
  private readonly cache = new Map<number, number>();
  constructor(timeZone: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  }
  /** The zone's offset at a UTC instant, in milliseconds. */
  at(utcMs: number): number {
    const hour = Math.floor(utcMs / 3_600_000);
    let offset = this.cache.get(hour);
    if (offset === undefined) {
      const parts: Record<string, number> = {};
      for (const p of this.format.formatToParts(new Date(hour * 3_600_000))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
      const local = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
      offset = local - hour * 3_600_000;
      if (this.cache.size > 100_000) this.cache.clear();
      this.cache.set(hour, offset);
    }
    return offset;
  }
  /** The UTC instant of a wall-clock time in the zone (the later instant in a DST overlap, shifted forward in a gap). */
  toUtc(localMs: number): number {
    // As PostgreSQL reads such times: with the offsets in force a day before and a day after,
    // a wall-clock time valid under both (an overlap) is the later instant; valid under
    // neither (a gap) is read with the earlier offset, i.e. shifted forward by the gap.
    const before = this.at(localMs - 86_400_000);
    const after = this.at(localMs + 86_400_000);
    const early = localMs - before;
    const late = localMs - after;
    const earlyOk = this.at(early) === before;
    const lateOk = this.at(late) === after;
    if (earlyOk && lateOk) return Math.max(early, late);
    if (lateOk) return late;
    return early;
  }
}

const zones = new Map<string, ZoneOffsets>();
const zone = (tz: string) => {
  let z = zones.get(tz);
  if (!z) zones.set(tz, (z = new ZoneOffsets(tz)));
  return z;
};

/** ISO 8601 timestamp; without an offset it is read in the organisation's time zone. */
export function parseTimestamp(raw: string, timeZone: string): Parsed<Date> {
  const v = raw.trim();
  if (v === '') return ok(null);
  const m = TIMESTAMP.exec(v);
  const fail = () => bad(`must be an ISO 8601 timestamp such as 2024-02-13T09:30:00Z or 2024-02-13 09:30, got ${show(raw)}`);
  if (!m) return fail();
  const [, ys, mos, ds, hs, mis, ss, frac, off] = m;
  const y = Number(ys);
  const mo = Number(mos);
  const d = Number(ds);
  const h = Number(hs ?? 0);
  const mi = Number(mis ?? 0);
  const s = Number(ss ?? 0);
  if (y < 1900 || y > 2200 || !validDate(y, mo, d) || h > 23 || mi > 59 || s > 59) return fail();
  const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
  const local = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  if (!off) return ok(new Date(zone(timeZone).toUtc(local)));
  if (off === 'Z' || off === 'z') return ok(new Date(local));
  const om = /^([+-])(\d{2}):?(\d{2})?$/.exec(off)!;
  const minutes = Number(om[2]) * 60 + Number(om[3] ?? 0);
  if (Number(om[2]) > 23 || Number(om[3] ?? 0) > 59) return fail();
  const sign = om[1] === '-' ? -1 : 1;
  return ok(new Date(local - sign * minutes * 60_000));
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A number ≥ min (seconds are rounded to whole seconds when `integer`). */
export function parseNumber(raw: string, opts: { min?: number; max?: number; integer?: 'round' | 'exact'; what?: string }): Parsed<number> {
  const v = raw.trim();
  if (v === '') return ok(null);
  const range = opts.max !== undefined ? ` between ${opts.min} and ${opts.max}` : opts.min !== undefined ? ` ≥ ${opts.min}` : '';
  const kind = opts.integer === 'exact' ? 'a whole number' : 'a number';
  const fail = () => bad(`must be ${kind}${range}, got ${show(raw)}`);
  if (!NUMBER.test(v)) return fail();
  let n = Number(v);
  if (!Number.isFinite(n)) return fail();
  if (opts.integer === 'exact' && !Number.isInteger(n)) return fail();
  if (opts.integer === 'round') n = Math.round(n);
  if ((opts.min !== undefined && n < opts.min) || (opts.max !== undefined && n > opts.max)) return fail();
  if (Math.abs(n) > 2_000_000_000) return fail();
  return ok(n);
}
