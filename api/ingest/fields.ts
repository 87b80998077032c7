// Field parsers of the data contract: each turns one cell (a string; empty means
// null) into a typed value, or an Invalid carrying the reason in plain words. They run for every
// cell of every row, so success allocates nothing.

/** A cell that does not hold what its field needs. */
export class Invalid {
  constructor(readonly reason: string) {}
}

export type Parsed<T> = T | null | Invalid;

const ok = <T>(value: T | null): Parsed<T> => value;
const bad = (reason: string): Invalid => new Invalid(reason);

/** Shows an offending value in a message: quoted, truncated. */
export function show(value: string, max = 40): string {
  const flat = value.replace(/[\r\n\t]+/g, ' ');
  return `'${flat.length > max ? `${flat.slice(0, max)}…` : flat}'`;
}

/** A NUL or an unpaired surrogate: text PostgreSQL cannot store (only JSON batches can carry them). */
// eslint-disable-next-line no-control-regex -- matching NUL is the point
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function parseText(raw: string, maxLength: number): Parsed<string> {
  const v = raw.trim();
  if (v === '') return ok(null);
  if (v.length > maxLength)
    return bad(`must be at most ${maxLength.toLocaleString('en')} characters, got ${v.length.toLocaleString('en')}`);
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
  if (!m || !validDate(Number(m[1]), Number(m[2]), Number(m[3])))
    return bad(`must be a date YYYY-MM-DD, got ${show(raw)}`);
  return ok(v);
}

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

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
      for (const p of this.format.formatToParts(new Date(hour * 3_600_000)))
        if (p.type !== 'literal') parts[p.type] = Number(p.value);
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

/** The UTC instant (epoch ms) of a wall-clock time (as epoch ms read as UTC) in a time zone, as parseTimestamp reads one. */
export const localToUtc = (localMs: number, timeZone: string): number =>
  timeZone === 'UTC' ? localMs : zone(timeZone).toUtc(localMs);

const badTimestamp = (raw: string) =>
  bad(`must be an ISO 8601 timestamp such as 2024-02-13T09:30:00Z or 2024-02-13 09:30, got ${show(raw)}`);

/**
 * ISO 8601 timestamp, answered as milliseconds since the epoch; without an offset it is read in
 * the organisation's time zone.
 */
export function parseTimestamp(raw: string, timeZone: string): Parsed<number> {
  const v = raw.trim();
  if (v === '') return null;
  const m = TIMESTAMP.exec(v);
  if (!m) return badTimestamp(raw);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const h = Number(m[4] ?? 0);
  const mi = Number(m[5] ?? 0);
  const s = Number(m[6] ?? 0);
  const frac = m[7];
  const off = m[8];
  if (y < 1900 || y > 2200 || !validDate(y, mo, d) || h > 23 || mi > 59 || s > 59) return badTimestamp(raw);
  const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
  const local = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  if (!off) return zone(timeZone).toUtc(local);
  if (off === 'Z' || off === 'z') return local;
  const oh = Number(off.slice(1, 3));
  const om = off.length > 3 ? Number(off.slice(off.length - 2)) : 0;
  if (oh > 23 || om > 59) return badTimestamp(raw);
  const sign = off[0] === '-' ? -1 : 1;
  return local - sign * (oh * 60 + om) * 60_000;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A number within [min, max] (seconds are rounded to whole seconds when `integer` is 'round').
 * `limit` is the most the column can hold (`decimals` places kept): past it the reason says so.
 */
export function parseNumber(
  raw: string,
  opts: { min?: number; max?: number; integer?: 'round' | 'exact'; limit?: number; decimals?: number },
): Parsed<number> {
  const v = raw.trim();
  if (v === '') return ok(null);
  let n = NUMBER.test(v) ? Number(v) : Number.NaN;
  if (opts.integer === 'exact' && !Number.isInteger(n)) n = Number.NaN;
  if (opts.integer === 'round') n = Math.round(n);
  if (Number.isNaN(n) || (opts.min !== undefined && n < opts.min) || (opts.max !== undefined && n > opts.max)) {
    const range =
      opts.max !== undefined ? ` between ${opts.min} and ${opts.max}` : opts.min !== undefined ? ` ≥ ${opts.min}` : '';
    return bad(`must be ${opts.integer === 'exact' ? 'a whole number' : 'a number'}${range}, got ${show(raw)}`);
  }
  // As the column stores it (numeric(14,2) rounds to cents): 999,999,999,999.995 would not fit.
  const stored = opts.decimals === undefined ? n : Math.round(n * 10 ** opts.decimals) / 10 ** opts.decimals;
  if (!Number.isFinite(stored) || (opts.limit !== undefined && Math.abs(stored) > opts.limit)) {
    return bad(
      `must be at most ${(opts.limit ?? Number.MAX_VALUE).toLocaleString('en', { maximumFractionDigits: opts.decimals ?? 0 })}, got ${show(raw)}`,
    );
  }
  return n;
}
