// ISO week labels ("2026-W47") for the week picker (the page's URL: requests.ts).
import { addDays, isoWeekLabel } from '../../format';

const WEEK_RE = /^(\d{4})-W(\d{2})$/;

/** The Monday of an ISO week label, YYYY-MM-DD; null when the label is not a week. */
export function weekMonday(label: string): string | null {
  const m = WEEK_RE.exec(label);
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  // 4 January is always in week 1.
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const monday1 = new Date(jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * 86_400_000);
  const d = new Date(monday1.getTime() + (week - 1) * 7 * 86_400_000);
  const iso = d.toISOString().slice(0, 10);
  return isoWeekLabel(iso) === label ? iso : null;
}

/** The week `n` weeks after `label` (before, for negative `n`). */
export function shiftWeek(label: string, n: number): string {
  const monday = weekMonday(label);
  return monday ? isoWeekLabel(addDays(monday, 7 * n)) : label;
}

/** Every week label from `first` to `last`, oldest first (at most `limit`, the newest kept). */
export function weeksBetween(first: string, last: string, limit = 260): string[] {
  const a = weekMonday(first);
  const b = weekMonday(last);
  if (!a || !b || a > b) return [];
  const out: string[] = [];
  for (let d = b; d >= a && out.length < limit; d = addDays(d, -7)) out.push(isoWeekLabel(d));
  return out.reverse();
}

/** "W47" for axis labels. */
export function shortWeek(label: string): string {
  return label.replace(/^\d{4}-/, '');
}
