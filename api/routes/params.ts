// The date and ISO-week parameters every route shares: one format, one calendar check and one
// range (DATE_RANGE), so that no route hands the period code a date it cannot count to.
import type { Role } from '../auth/tokens';
import { badRequest, forbidden } from '../errors';
import { DATE_RANGE } from '../limits';
import { addDays, dayNumber, dayString, isoWeek, weekLabelStart } from '../metrics/periods';
import { z } from './openapi';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const WEEK = /^\d{4}-W\d{2}$/;
const MIN_DAY = dayNumber(DATE_RANGE.min);
const MAX_DAY = dayNumber(DATE_RANGE.max);

const RANGE_TEXT = `from ${DATE_RANGE.min} to ${DATE_RANGE.max}`;

/** Why `d` is not an acceptable date, or null when it is one. */
export function dateProblem(d: string): string | null {
  if (!DATE.test(d)) return 'must be a date YYYY-MM-DD';
  const n = dayNumber(d);
  if (!Number.isFinite(n) || !calendarDate(d, n)) return 'must be a real calendar date';
  if (n < MIN_DAY || n > MAX_DAY) return `must be a date ${RANGE_TEXT}`;
  return null;
}

/** 2024-02-30 parses as a day number (of 1 March): a real date is the one its day number prints back to. */
function calendarDate(d: string, n: number): boolean {
  try {
    return dayString(n) === d;
  } catch {
    return false; // year 0000
  }
}

/** The first and last ISO week wholly inside DATE_RANGE (the week holding min + 6 days starts on or after min). */
export const WEEK_RANGE = {
  min: isoWeek(addDays(DATE_RANGE.min, 6)),
  max: isoWeek(addDays(DATE_RANGE.max, -6)),
} as const;

/** Why `label` is not an acceptable ISO week, or null when it is one. */
export function weekProblem(label: string): string | null {
  if (!WEEK.test(label)) return 'must be an ISO week such as 2026-W46';
  const monday = weekLabelStart(label);
  if (!monday) return `must be an ISO week that exists (${label.slice(0, 4)} has no week ${label.slice(6)})`;
  const start = dayNumber(monday);
  if (start < MIN_DAY || start + 6 > MAX_DAY)
    return `must be an ISO week from ${WEEK_RANGE.min} to ${WEEK_RANGE.max} (all seven days ${RANGE_TEXT})`;
  return null;
}

const check = (problem: (v: string) => string | null) => (value: string, ctx: z.RefinementCtx) => {
  const reason = problem(value);
  if (reason) ctx.addIssue({ code: 'custom', message: reason });
};

/**
 * A date YYYY-MM-DD that exists in the calendar and lies in DATE_RANGE (a query parameter or a
 * body field). `what` says what the date is, for the message when it is missing.
 */
export const dateParam = (what: string) =>
  z
    .string({
      error: (issue) =>
        issue.input === undefined ? `is required (${what}, YYYY-MM-DD)` : `must be a date YYYY-MM-DD (${what})`,
    })
    .superRefine(check(dateProblem))
    .openapi({
      format: 'date',
      description: `${what[0]!.toUpperCase()}${what.slice(1)}: a date YYYY-MM-DD ${RANGE_TEXT}.`,
      example: '2026-02-16',
    });

/** An ISO week label (2026-W08) whose seven days lie in DATE_RANGE. */
export const isoWeekParam = (what: string) =>
  z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? `is required (${what}, an ISO week such as 2026-W46)`
          : `must be an ISO week such as 2026-W46 (${what})`,
    })
    .superRefine(check(weekProblem))
    .openapi({
      description: `${what[0]!.toUpperCase()}${what.slice(1)}: an ISO week YYYY-Www, ${WEEK_RANGE.min} to ${WEEK_RANGE.max}.`,
      example: '2026-W08',
    });

/**
 * The `dry_run` query parameter of the import routes. Refused to an ingest token: a dry run
 * changes nothing and its counts tell whether stored records match the ones sent, a read.
 */
export function dryRunOf(value: string | undefined, role: Role): boolean {
  if (value !== undefined && !['true', 'false', '1', '0'].includes(value)) {
    throw badRequest(`Invalid query parameter 'dry_run': must be true or false, got '${value}'.`, {
      errors: [{ in: 'query', field: 'dry_run', reason: 'must be true or false' }],
    });
  }
  const dry = value === 'true' || value === '1';
  if (dry && role === 'ingest')
    throw forbidden(
      'An ingest token may only write: a dry run would tell whether stored records match the ones sent. Check a file with an admin token.',
    );
  return dry;
}
