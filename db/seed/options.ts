// The demo generator's contract and calendar: the six files and their headers, the options
// and their validation, the story it reports, and the days, dates and times it works in.
import { csvRow } from './csv';

export const DEMO_KINDS = ['teams', 'agents', 'customers', 'interactions', 'surveys', 'referrals'] as const;
export type DemoKind = (typeof DEMO_KINDS)[number];

/** The header row of each file: the data contract's field names, in the contract's order. */
export const DEMO_HEADERS: Record<DemoKind, readonly string[]> = {
  teams: ['external_id', 'name', 'kind'],
  agents: ['external_id', 'name', 'team', 'hired_on', 'left_on'],
  customers: ['external_id', 'segment', 'started_on', 'churned_on', 'monthly_value'],
  interactions: [
    'external_id',
    'occurred_at',
    'team',
    'channel',
    'agent',
    'customer',
    'journey_stage',
    'contact_reason',
    'answered',
    'wait_seconds',
    'handle_seconds',
    'resolved',
  ],
  surveys: [
    'external_id',
    'responded_at',
    'interaction',
    'customer',
    'agent',
    'team',
    'csat',
    'nps',
    'effort',
    'comment',
    'may_quote',
  ],
  referrals: ['external_id', 'referred_at', 'customer', 'converted'],
};

export interface DemoOptions {
  seed: number;
  /** ISO weeks covered, ending with the week that contains `end`. */
  weeks: number;
  /** 1 = about 8 teams, 60 agents, 5,000 customers and, per 52 weeks, 150,000 interactions, 30,000 surveys, 1,000 referrals. */
  scale: number;
  /** YYYY-MM-DD, the last day with data (inclusive). */
  end: string;
  /** An instant (epoch seconds) after which nothing happened yet: a demo loaded at 06:10 has no 14:00 calls. */
  until?: number;
}

export interface DemoStory {
  /** The new phone menu week: becomes an annotation. */
  incident: { weekStart: string; title: string; note: string };
  /** External ids of the agents customers praise by first name. */
  praisedAgents: string[];
  /** External id of the team with high turnover (more leavers, newer hires). */
  turnoverTeam: string;
  /** Rows written per file (header excluded). */
  counts: Record<DemoKind, number>;
}

export interface DemoData {
  files: Record<DemoKind, string>;
  story: DemoStory;
}

export const DEMO_DEFAULTS = { seed: 42, weeks: 52, scale: 1 } as const;

/** A piece of one file's CSV text. */
export type DemoChunk = [DemoKind, string];

/** The header row of a file, as a chunk. */
export const headerChunk = (kind: DemoKind): DemoChunk => [kind, csvRow(DEMO_HEADERS[kind])];

// ---------------------------------------------------------------- dates and times

export const DAY_SECONDS = 86_400;

/** Epoch day (days since 1970-01-01) of a YYYY-MM-DD date; throws on anything else. */
export function parseDay(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) throw new RangeError(`"${text}" is not a YYYY-MM-DD date`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const day = ms / 86_400_000;
  if (!Number.isFinite(day) || dayText(day) !== text) throw new RangeError(`"${text}" is not a valid date`);
  return day;
}

export function dayText(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** Monday = 0 … Sunday = 6 (1970-01-01 was a Thursday). */
export function weekday(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/** Today's date in UTC: the default `end`. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

export function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

export function validateDemoOptions(options: DemoOptions): DemoOptions {
  const { seed, weeks, scale, end } = options;
  if (!Number.isFinite(seed)) throw new RangeError('seed must be a number');
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > 520)
    throw new RangeError('weeks must be a whole number from 1 to 520');
  if (!Number.isFinite(scale) || scale <= 0 || scale > 50)
    throw new RangeError('scale must be a number above 0 and at most 50');
  parseDay(end);
  return { seed, weeks, scale, end };
}

// ---------------------------------------------------------------- the period

/** The days covered, the incident week, and the date and timestamp texts of the files. */
export interface DemoPeriod {
  startDay: number;
  /** The last day with data (inclusive). */
  endDay: number;
  /** The Sunday of the end week: volumes are spread over whole weeks. */
  fullEndDay: number;
  periodDays: number;
  /** The last second with data. */
  endSecond: number;
  /** The Monday of the incident week. */
  incidentStart: number;
  inIncident: (day: number) => boolean;
  /** YYYY-MM-DD of an epoch day (cached). */
  dateOf: (day: number) => string;
  /** YYYY-MM-DDTHH:MM:SSZ of an epoch second. */
  timestamp: (second: number) => string;
}

export function demoPeriod(weeks: number, end: string, until?: number): DemoPeriod {
  const endDay = parseDay(end);
  const endWeekStart = endDay - weekday(endDay);
  const startDay = endWeekStart - 7 * (weeks - 1);
  const fullEndDay = endWeekStart + 6;
  const periodDays = endDay - startDay + 1;
  const endSecond = Math.min((endDay + 1) * DAY_SECONDS - 1, until ?? Infinity);
  const incidentStart = startDay + 7 * Math.max(0, weeks - 7);
  const inIncident = (day: number) => day >= incidentStart && day < incidentStart + 7;

  const dayTexts = new Map<number, string>();
  const dateOf = (day: number) => {
    let t = dayTexts.get(day);
    if (t === undefined) {
      t = dayText(day);
      dayTexts.set(day, t);
    }
    return t;
  };
  const timestamp = (second: number) => {
    const day = Math.floor(second / DAY_SECONDS);
    const s = second - day * DAY_SECONDS;
    return `${dateOf(day)}T${pad2(Math.floor(s / 3600))}:${pad2(Math.floor((s % 3600) / 60))}:${pad2(s % 60)}Z`;
  };
  return { startDay, endDay, fullEndDay, periodDays, endSecond, incidentStart, inIncident, dateOf, timestamp };
}
