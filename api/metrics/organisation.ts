// Metrics over customers, agents and referrals, computed from their small day rollups for any
// range of days: churn, lifetime value, referral rate, employee retention.
import type { Value } from './compute';
import { proportionValue } from './compute';
import { addDays } from './periods';
import { wilson } from './stats';

/** A day of the customer rollup, as the organisation metrics read it (a type alias: database.rows wants a record type). */
export type CustomerDay = {
  day: string;
  starts: number;
  churns: number;
  starts_valued: number;
  starts_value: number;
  churns_valued: number;
  churns_value: number;
};

interface AgentDay {
  day: string;
  team_id: number;
  hires: number;
  leavers: number;
}
interface ReferralDay {
  day: string;
  referrals: number;
  converted: number;
}

/**
 * Prefix sums over the customer day rollup (sorted by day), built once per rows array: any
 * "active at a day" or "churned between two days" is then two binary searches.
 */
interface CustomerIndex {
  days: string[];
  /** cum[k][i] = sum of the first i rows' measure k. */
  starts: Float64Array;
  startsValued: Float64Array;
  startsValue: Float64Array;
  churns: Float64Array;
  churnsValued: Float64Array;
  churnsValue: Float64Array;
}

const indexes = new WeakMap<CustomerDay[], CustomerIndex>();

function indexOf(rows: CustomerDay[]): CustomerIndex {
  let ix = indexes.get(rows);
  if (ix) return ix;
  const sorted = [...rows].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  const n = sorted.length;
  const cum = (f: (r: CustomerDay) => number) => {
    const out = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) out[i + 1] = out[i]! + f(sorted[i]!);
    return out;
  };
  ix = {
    days: sorted.map((r) => r.day),
    starts: cum((r) => r.starts),
    startsValued: cum((r) => r.starts_valued),
    startsValue: cum((r) => r.starts_value),
    churns: cum((r) => r.churns),
    churnsValued: cum((r) => r.churns_valued),
    churnsValue: cum((r) => r.churns_value),
  };
  indexes.set(rows, ix);
  return ix;
}

/** How many rows have a day before `day` (or on it, when `inclusive`). */
function countUpTo(days: string[], day: string, inclusive: boolean): number {
  let lo = 0;
  let hi = days.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const d = days[mid]!;
    if (d < day || (inclusive && d === day)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Customers active at the start of `day`: started on or before it, not churned before it. */
function activeCustomers(rows: CustomerDay[], day: string) {
  const ix = indexOf(rows);
  const s = countUpTo(ix.days, day, true);
  const c = countUpTo(ix.days, day, false);
  return {
    count: ix.starts[s]! - ix.churns[c]!,
    valued: ix.startsValued[s]! - ix.churnsValued[c]!,
    value: ix.startsValue[s]! - ix.churnsValue[c]!,
  };
}

const churnsBetween = (rows: CustomerDay[], start: string, end: string) => {
  const ix = indexOf(rows);
  return ix.churns[countUpTo(ix.days, end, true)]! - ix.churns[countUpTo(ix.days, start, false)]!;
};

export function churnRate(rows: CustomerDay[], start: string, end: string): Value {
  return proportionValue(churnsBetween(rows, start, end), activeCustomers(rows, start).count);
}

/** The first day of the month `months` months after (or, negative, before) the month of `d`. */
function monthStartOffset(d: string, months: number): string {
  const [y, m] = d.split('-').map(Number) as [number, number];
  const total = y * 12 + (m - 1) + months;
  const ty = Math.floor(total / 12);
  return `${String(ty).padStart(4, '0')}-${String(total - ty * 12 + 1).padStart(2, '0')}-01`;
}

/**
 * The 12 calendar months whose churn rates CLV averages, as [first day, last day]: those ending
 * with the month of the period's last day when the period ends on that month's last day, else
 * with the month before it (the last month complete by the period's end; a week, a day or a
 * partial month never averages in days after it ends).
 */
export function clvMonths(end: string): Array<[string, string]> {
  const next = addDays(end, 1);
  // The first day after the 12 months: the day after the period when that starts a month.
  const after = next.endsWith('-01') ? next : monthStartOffset(end, 0);
  const out: Array<[string, string]> = [];
  for (let k = 12; k >= 1; k--) out.push([monthStartOffset(after, -k), addDays(monthStartOffset(after, -k + 1), -1)]);
  return out;
}

/**
 * Lifetime value: mean monthly value of the customers active at the period start, divided by the
 * mean of the 12 calendar months' churn rates of `clvMonths` (each month's churns ÷ customers
 * active at its first day, as churn_rate at grain=month; months without active customers left
 * out). Null when there was no churn.
 */
export function clv(rows: CustomerDay[], start: string, end: string): Value {
  const active = activeCustomers(rows, start);
  const rates: number[] = [];
  for (const [first, last] of clvMonths(end)) {
    const a = activeCustomers(rows, first).count;
    if (a > 0) rates.push(churnsBetween(rows, first, last) / a);
  }
  const meanRate = rates.length ? rates.reduce((s, r) => s + r, 0) / rates.length : 0;
  const meanValue = active.valued > 0 ? active.value / active.valued : null;
  return { value: meanRate > 0 && meanValue !== null ? meanValue / meanRate : null, n: active.valued };
}

export function referrals(rows: ReferralDay[], start: string, end: string): Value {
  const n = rows.reduce((s, r) => s + (r.day >= start && r.day <= end ? r.referrals : 0), 0);
  return { value: n > 0 ? n : null, n };
}

/** Referrals per 100 customers active at the period start. */
export function referralRate(refs: ReferralDay[], customers: CustomerDay[], start: string, end: string): Value {
  const x = referrals(refs, start, end).n;
  const n = activeCustomers(customers, start).count;
  const w = wilson(Math.min(x, n), n);
  return {
    value: n > 0 ? (100 * x) / n : null,
    n,
    low: w.low === null ? null : 100 * w.low,
    high: w.high === null ? null : 100 * w.high,
  };
}

/**
 * The 12 months ending with `end`, as [first day, end]: 12 calendar months when `end` is a
 * month's last day (2024-02-29 → from 2023-03-01), else from the day after the same date a year
 * earlier (2024-02-18 → from 2023-02-19).
 */
export function twelveMonthsEnding(end: string): [string, string] {
  const next = addDays(end, 1);
  if (next.endsWith('-01')) return [monthStartOffset(next, -12), end];
  const [y, rest] = [Number(end.slice(0, 4)), end.slice(4)];
  return [addDays(`${String(y - 1).padStart(4, '0')}${rest}`, 1), end];
}

/**
 * Employee retention over the 12 months ending with the period's last day, as HR reports it:
 * 1 − leavers in the window ÷ the average headcount, the mean of the agents employed at its
 * first day's start and at its last day's end (n, a half when they differ by an odd number);
 * floored at 0; the interval is 1 − the Wilson interval of the leavers over that average.
 */
export function employeeRetention12m(rows: AgentDay[], end: string, teamId?: number): Value {
  const [first] = twelveMonthsEnding(end);
  let atStart = 0;
  let atEnd = 0;
  let left = 0;
  for (const r of rows) {
    if (teamId !== undefined && r.team_id !== teamId) continue;
    if (r.day <= first) atStart += r.hires;
    if (r.day < first) atStart -= r.leavers;
    if (r.day <= end) atEnd += r.hires - r.leavers;
    if (r.day >= first && r.day <= end) left += r.leavers;
  }
  const n = (atStart + atEnd) / 2;
  const w = wilson(Math.min(left, n), n);
  return {
    value: n > 0 ? Math.max(0, 1 - left / n) : null,
    n,
    low: w.high === null ? null : 1 - w.high,
    high: w.low === null ? null : 1 - w.low,
  };
}

/** 1 − agents who left in the period ÷ agents employed at its start (of the given teams, or all). */
export function employeeRetention(rows: AgentDay[], start: string, end: string, teamId?: number): Value {
  let active = 0;
  let left = 0;
  for (const r of rows) {
    if (teamId !== undefined && r.team_id !== teamId) continue;
    if (r.day <= start) active += r.hires;
    if (r.day < start) active -= r.leavers;
    if (r.day >= start && r.day <= end) left += r.leavers;
  }
  const w = wilson(Math.min(left, active), active);
  return {
    value: active > 0 ? 1 - left / active : null,
    n: active,
    low: w.high === null ? null : 1 - w.high,
    high: w.low === null ? null : 1 - w.low,
  };
}
