// The demo data generator: a year (by default) of a mid-sized contact centre, written as the six
// CSV files of PRODUCT.md's data contract. Deterministic: the same options give byte-identical
// files (one seeded PRNG, no clock, no Math.random).
//
// The generating model tells these stories by construction:
//  1. Waiting costs satisfaction: CSAT falls with the log of the wait past about a minute.
//  2. Very short calls are rushed calls: a "rushed" contact is short (< 2 min), resolves less
//     and satisfies less.
//  3. The high-turnover team (more leavers, newer hires, weaker coaching) serves worse: new
//     hires resolve less and satisfy less, and the team rushes more.
//  4. One week, six weeks before the end week, a new phone menu (IVR) goes live: phone waits
//     roughly quadruple, abandons and repeat calls rise, CSAT drops. It is the story's incident.
//  5. Each customer has a latent loyalty: it drives NPS (and a little CSAT) and lowers the
//     chance to churn and raises the chance to refer, so promoters churn less than detractors.
//  6. A handful of well-liked agents are praised by first name in comments (`praisedAgents`).
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { join } from 'node:path';
import { composeComment, type CommentArea, type Sentiment } from './comments';
import { csvRow, type CsvValue } from './csv';
import { BACK_OFFICE_TEAMS, FIRST_NAMES, FRONTLINE_TEAMS, LAST_NAMES } from './names';
import { Rng, Weighted } from './random';

export const DEMO_KINDS = ['teams', 'agents', 'customers', 'interactions', 'surveys', 'referrals'] as const;
export type DemoKind = (typeof DEMO_KINDS)[number];

/** The header row of each file: the data contract's field names, in the contract's order. */
export const DEMO_HEADERS: Record<DemoKind, readonly string[]> = {
  teams: ['external_id', 'name', 'kind'],
  agents: ['external_id', 'name', 'team', 'hired_on', 'left_on'],
  customers: ['external_id', 'segment', 'started_on', 'churned_on', 'monthly_value'],
  interactions: [
    'external_id', 'occurred_at', 'team', 'channel', 'agent', 'customer', 'journey_stage', 'contact_reason',
    'answered', 'wait_seconds', 'handle_seconds', 'resolved',
  ],
  surveys: ['external_id', 'responded_at', 'interaction', 'customer', 'agent', 'team', 'csat', 'nps', 'effort', 'comment', 'may_quote'],
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

// ---------------------------------------------------------------- dates and times

const DAY_SECONDS = 86_400;

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
function weekday(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/** Today's date in UTC: the default `end`. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

// ---------------------------------------------------------------- the organisation

interface Team {
  id: string;
  name: string;
  kind: string;
  /** Which contact reasons it takes (frontline teams only). */
  role: number | null;
  turnover: boolean;
  agents: Agent[];
}

interface Agent {
  id: string;
  first: string;
  name: string;
  team: Team;
  hired: number;
  left: number | null;
  skill: number;
  praised: boolean;
}

type Segment = 'SMB' | 'Mid-market' | 'Enterprise';

interface Customer {
  id: string;
  segment: Segment;
  started: number;
  churned: number | null;
  value: number;
  /** Latent loyalty, N(0, 1): drives NPS, churn and referrals. */
  loyalty: number;
}

interface Reason {
  label: string;
  /** Occasional other spellings (case, stray spaces) the ingest normalises. */
  variants?: string[];
  stage: string;
  role: number;
  weight: number;
  topic: string;
  resolve: number;
  csat: number;
  /** Median handle time of a phone call, seconds. */
  handle: number;
}

const REASONS: readonly Reason[] = [
  { label: 'Invoice query', stage: 'Billing', role: 0, weight: 10, topic: 'invoice', resolve: 0.86, csat: 0, handle: 300 },
  { label: 'Refund request', stage: 'Billing', role: 0, weight: 6, topic: 'refund', resolve: 0.78, csat: -0.1, handle: 360 },
  { label: 'Payment failed', stage: 'Payment', role: 0, weight: 5, topic: 'payment', resolve: 0.84, csat: -0.05, handle: 280 },
  { label: 'Direct debit change', stage: 'Payment', role: 0, weight: 4, topic: 'direct debit', resolve: 0.92, csat: 0.1, handle: 240 },
  {
    label: 'Password reset', variants: [' password reset', 'password reset', 'Password Reset '], stage: 'Account change', role: 1,
    weight: 7, topic: 'password reset', resolve: 0.95, csat: 0.15, handle: 170,
  },
  { label: 'Change of address', stage: 'Account change', role: 1, weight: 4, topic: 'account details', resolve: 0.94, csat: 0.1, handle: 220 },
  { label: 'Delivery delay', variants: ['delivery delay', 'Delivery Delay'], stage: 'Delivery', role: 1, weight: 6, topic: 'delivery', resolve: 0.72, csat: -0.2, handle: 260 },
  { label: 'Damaged item', stage: 'Returns', role: 1, weight: 3, topic: 'return', resolve: 0.8, csat: -0.1, handle: 330 },
  { label: 'Product question', stage: 'General enquiry', role: 1, weight: 4, topic: 'order', resolve: 0.9, csat: 0.1, handle: 240 },
  { label: 'Internet outage', stage: 'Technical issue', role: 2, weight: 7, topic: 'broadband', resolve: 0.66, csat: -0.3, handle: 480 },
  { label: 'Slow connection', stage: 'Technical issue', role: 2, weight: 5, topic: 'connection', resolve: 0.7, csat: -0.15, handle: 540 },
  {
    label: 'App login problem', variants: ['app login problem', ' App login problem'], stage: 'Technical issue', role: 2, weight: 4,
    topic: 'app login', resolve: 0.85, csat: 0, handle: 300,
  },
  { label: 'New account setup', stage: 'Onboarding', role: 3, weight: 5, topic: 'new account', resolve: 0.9, csat: 0.15, handle: 420 },
  { label: 'Device setup', stage: 'Onboarding', role: 3, weight: 4, topic: 'router setup', resolve: 0.82, csat: 0.05, handle: 600 },
  { label: 'Price increase', stage: 'Billing', role: 4, weight: 3, topic: 'bill', resolve: 0.7, csat: -0.35, handle: 420 },
  { label: 'Upgrade plan', stage: 'Renewal', role: 4, weight: 3, topic: 'upgrade', resolve: 0.9, csat: 0.2, handle: 360 },
  { label: 'Contract renewal', stage: 'Renewal', role: 4, weight: 3, topic: 'contract renewal', resolve: 0.9, csat: 0.1, handle: 420 },
  { label: 'Cancel service', stage: 'Cancellation', role: 4, weight: 3, topic: 'cancellation', resolve: 0.85, csat: -0.3, handle: 380 },
];
const REASON_PICKER = new Weighted(REASONS, REASONS.map((r) => r.weight));
const CANCEL_REASON = REASONS.find((r) => r.label === 'Cancel service') as Reason;
const ROLES = 5;

const SEGMENTS = new Weighted<Segment>(['SMB', 'Mid-market', 'Enterprise'], [0.64, 0.27, 0.09]);
const SEGMENT_VALUE: Record<Segment, { median: number; sigma: number; min: number }> = {
  SMB: { median: 95, sigma: 0.6, min: 19 },
  'Mid-market': { median: 1200, sigma: 0.5, min: 300 },
  Enterprise: { median: 9500, sigma: 0.6, min: 3000 },
};
/** Annual churn hazard per segment for a customer of average loyalty. */
const SEGMENT_CHURN: Record<Segment, number> = { SMB: 0.22, 'Mid-market': 0.13, Enterprise: 0.06 };
const SEGMENT_CONTACTS: Record<Segment, number> = { SMB: 1, 'Mid-market': 2.2, Enterprise: 4 };

type Channel = 'phone' | 'chat' | 'email' | 'social';
const WEEKDAY_CHANNELS = new Weighted<Channel>(['phone', 'chat', 'email', 'social'], [0.7, 0.17, 0.11, 0.02]);
const WEEKEND_CHANNELS = new Weighted<Channel>(['phone', 'chat', 'email', 'social'], [0.55, 0.25, 0.15, 0.05]);

const DOW_VOLUME = [1.22, 1.12, 1.05, 1.0, 0.93, 0.32, 0.14];

function hours(weights: Record<number, number>): Weighted<number> {
  const keys = Object.keys(weights).map(Number);
  return new Weighted(keys, keys.map((k) => weights[k] as number));
}
const HOURS_LIVE_WEEKDAY = hours({ 8: 0.5, 9: 1.3, 10: 1.6, 11: 1.5, 12: 1.2, 13: 1.1, 14: 1.3, 15: 1.4, 16: 1.2, 17: 0.9, 18: 0.6, 19: 0.35, 20: 0.15 });
const HOURS_LIVE_WEEKEND = hours({ 9: 1, 10: 1.2, 11: 1.2, 12: 1, 13: 1, 14: 1, 15: 0.9, 16: 0.7 });
const HOURS_ASYNC = hours({ 6: 0.2, 7: 0.5, 8: 1, 9: 1.3, 10: 1.3, 11: 1.2, 12: 1.1, 13: 1.1, 14: 1.1, 15: 1, 16: 1, 17: 0.9, 18: 0.8, 19: 0.8, 20: 0.8, 21: 0.6, 22: 0.4, 23: 0.2 });
const PEAK_HOURS = new Set([9, 10, 11, 14, 15]);

const clamp = (x: number, lo: number, hi: number) => (x < lo ? lo : x > hi ? hi : x);
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

export function validateDemoOptions(options: DemoOptions): DemoOptions {
  const { seed, weeks, scale, end } = options;
  if (!Number.isFinite(seed)) throw new RangeError('seed must be a number');
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > 520) throw new RangeError('weeks must be a whole number from 1 to 520');
  if (!Number.isFinite(scale) || scale <= 0 || scale > 50) throw new RangeError('scale must be a number above 0 and at most 50');
  parseDay(end);
  return { seed, weeks, scale, end };
}

// ---------------------------------------------------------------- the generator

/**
 * Yields the CSV text of every file as [kind, chunk] pairs (the header first, then rows;
 * interactions, surveys and referrals one day at a time) and returns the story.
 */
export function* demoChunks(options: DemoOptions): Generator<[DemoKind, string], DemoStory, void> {
  const { seed, weeks, scale, end } = validateDemoOptions(options);
  const root = new Rng(seed);
  const orgRng = root.fork('organisation');
  const customerRng = root.fork('customers');
  const rng = root.fork('events');
  const textRng = root.fork('comments');

  const endDay = parseDay(end);
  const endWeekStart = endDay - weekday(endDay);
  const startDay = endWeekStart - 7 * (weeks - 1);
  const fullEndDay = endWeekStart + 6;
  const periodDays = endDay - startDay + 1;
  const endSecond = (endDay + 1) * DAY_SECONDS - 1;
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

  const counts: Record<DemoKind, number> = { teams: 0, agents: 0, customers: 0, interactions: 0, surveys: 0, referrals: 0 };
  const header = (kind: DemoKind): [DemoKind, string] => [kind, csvRow(DEMO_HEADERS[kind])];

  // ---- teams
  const frontlineCount = Math.max(2, Math.round(5 * scale));
  const frontline: Team[] = [];
  for (let i = 0; i < frontlineCount; i++) {
    const base = FRONTLINE_TEAMS[i % FRONTLINE_TEAMS.length] as (typeof FRONTLINE_TEAMS)[number];
    const round = Math.floor(i / FRONTLINE_TEAMS.length);
    const name = round === 0 ? base.name : `${base.name} ${round + 1}`;
    frontline.push({ id: slug(name), name, kind: base.kind, role: base.role, turnover: i === 1, agents: [] });
  }
  const backOffice: Team[] = [];
  const backOfficeEach = Math.max(1, Math.round(scale));
  for (let round = 0; round < backOfficeEach; round++) {
    for (const base of BACK_OFFICE_TEAMS) {
      const name = round === 0 ? base.name : `${base.name} ${round + 1}`;
      backOffice.push({ id: slug(name), name, kind: base.kind, role: null, turnover: false, agents: [] });
    }
  }
  const turnoverTeam = frontline[1] as Team;
  const teamsByRole: Team[][] = [];
  for (let r = 0; r < ROLES; r++) {
    const own = frontline.filter((t) => t.role === r);
    teamsByRole.push(own.length > 0 ? own : [frontline[r % frontline.length] as Team]);
  }
  const roleWeight = (r: number) => REASONS.filter((x) => x.role === r).reduce((s, x) => s + x.weight, 0);
  const share = new Map<Team, number>();
  for (let r = 0; r < ROLES; r++) {
    const handlers = teamsByRole[r] as Team[];
    for (const t of handlers) share.set(t, (share.get(t) ?? 0) + roleWeight(r) / handlers.length);
  }

  yield header('teams');
  let text = '';
  for (const t of [...frontline, ...backOffice]) {
    text += csvRow([t.id, t.name, t.kind]);
    counts.teams++;
  }
  yield ['teams', text];

  // ---- agents: slots per team in proportion to its volume; leavers are replaced after a gap.
  const agentTarget = Math.max(4 * frontlineCount, Math.round(60 * scale));
  const rowsPerSlot = (t: Team) => (t.turnover ? 1.75 : 1.15);
  const slotUnit = agentTarget / frontline.reduce((s, t) => s + (share.get(t) ?? 0) * rowsPerSlot(t), 0);
  const firstNames = orgRng.shuffle([...FIRST_NAMES]);
  let nameIndex = 0;
  const fullNames = new Set<string>();
  const agents: Agent[] = [];
  const newAgent = (team: Team, hired: number, left: number | null): Agent => {
    let first: string;
    let name: string;
    do {
      if (nameIndex > 0 && nameIndex % firstNames.length === 0) orgRng.shuffle(firstNames);
      first = firstNames[nameIndex++ % firstNames.length] as string;
      name = `${first} ${orgRng.pick(LAST_NAMES)}`;
    } while (fullNames.has(name));
    fullNames.add(name);
    const agent: Agent = { id: '', first, name, team, hired, left, skill: orgRng.normal(0, 0.22), praised: false };
    team.agents.push(agent);
    agents.push(agent);
    return agent;
  };
  const lastLeave = Math.max(startDay, endDay - 10);
  const leaveDay = (from: number) => orgRng.int(Math.min(from, lastLeave), lastLeave);
  for (const team of frontline) {
    const slots = Math.max(team.turnover ? 4 : 3, Math.round((share.get(team) ?? 0) * slotUnit));
    // Slot 0 (the team lead) never leaves, so every team always has someone on the phones.
    const leavers = team.turnover ? Math.max(1, Math.round((slots - 1) * 0.6)) : Math.round((slots - 1) * 0.12);
    const leaverSlots = new Set(orgRng.shuffle(Array.from({ length: slots - 1 }, (_, i) => i + 1)).slice(0, leavers));
    for (let slot = 0; slot < slots; slot++) {
      const newPosition = slot > 0 && !leaverSlots.has(slot) && orgRng.chance(team.turnover ? 0.25 : 0.12);
      const hired = newPosition
        ? startDay + orgRng.int(0, Math.floor(periodDays * 0.7))
        : startDay - (team.turnover ? orgRng.int(30, 500) : orgRng.int(90, 6 * 365));
      if (!leaverSlots.has(slot)) {
        newAgent(team, hired, null);
        continue;
      }
      let left = leaveDay(startDay + 10);
      newAgent(team, hired, left);
      // The replacement, who may leave too on the high-turnover team.
      let next = left + orgRng.int(7, 28);
      while (next <= endDay) {
        const leaves = team.turnover && next + 45 < lastLeave && orgRng.chance(0.35);
        left = leaves ? leaveDay(next + 45) : 0;
        newAgent(team, next, leaves ? left : null);
        if (!leaves) break;
        next = left + orgRng.int(7, 28);
      }
    }
  }
  agents.sort((a, b) => frontline.indexOf(a.team) - frontline.indexOf(b.team) || a.hired - b.hired || a.name.localeCompare(b.name));
  agents.forEach((a, i) => (a.id = `ag-${pad(i + 1, 4)}`));

  // A handful of long-serving agents on steady teams whom customers praise by first name.
  const firstNameCount = new Map<string, number>();
  for (const a of agents) firstNameCount.set(a.first, (firstNameCount.get(a.first) ?? 0) + 1);
  const praiseCandidates = orgRng.shuffle(
    agents.filter((a) => !a.team.turnover && a.left === null && a.hired < startDay && firstNameCount.get(a.first) === 1),
  );
  // Five at scale 1 (a handful, 4–6); never more than half the candidates on a tiny organisation.
  const praised = praiseCandidates.slice(0, Math.min(agents.length >= 30 ? 5 : 4, Math.max(1, Math.ceil(praiseCandidates.length / 2))));
  for (const a of praised) {
    a.praised = true;
    a.skill += 0.45;
  }

  yield header('agents');
  text = '';
  for (const a of agents) {
    text += csvRow([a.id, a.name, a.team.id, dateOf(a.hired), a.left === null ? null : dateOf(a.left)]);
    counts.agents++;
  }
  yield ['agents', text];

  // ---- customers
  const customerCount = Math.max(1, Math.round(5000 * scale));
  const customers: Customer[] = [];
  const loyaltyNorm = Math.exp(1.1 ** 2 / 2);
  for (let i = 0; i < customerCount; i++) {
    const segment = SEGMENTS.pick(customerRng);
    const started = customerRng.chance(0.78)
      ? startDay - customerRng.int(1, 3 * 365)
      : startDay + customerRng.int(0, Math.max(0, periodDays - 8));
    const v = SEGMENT_VALUE[segment];
    const drawn = customerRng.logNormal(v.median, v.sigma);
    const value = drawn >= v.min ? drawn : v.min * (1 + customerRng.float() * 0.5);
    const loyalty = customerRng.normal();
    let churned: number | null = null;
    const exposureStart = Math.max(started + 30, startDay);
    if (exposureStart < endDay) {
      const years = (endDay - exposureStart) / 365;
      const hazard = (SEGMENT_CHURN[segment] * Math.exp(-1.1 * loyalty)) / loyaltyNorm;
      if (customerRng.chance(1 - Math.exp(-hazard * years))) churned = customerRng.int(exposureStart, endDay);
    }
    customers.push({
      id: `cus-${pad(i + 1, 5)}`,
      segment,
      started,
      churned,
      value: segment === 'SMB' ? Math.round(value * 2) / 2 : Math.round(value),
      loyalty,
    });
  }
  yield header('customers');
  for (let i = 0; i < customers.length; i += 2000) {
    text = '';
    for (const c of customers.slice(i, i + 2000)) {
      text += csvRow([c.id, c.segment, dateOf(c.started), c.churned === null ? null : dateOf(c.churned), c.value.toFixed(2)]);
      counts.customers++;
    }
    yield ['customers', text];
  }
  const contactPicker = new Weighted(customers, customers.map((c) => SEGMENT_CONTACTS[c.segment]));
  const activeOn = (c: Customer, day: number) => c.started <= day && (c.churned === null || day <= c.churned);
  const pickCustomer = (day: number, accept?: (c: Customer) => boolean): Customer | null => {
    for (let tries = 0; tries < 40; tries++) {
      const c = contactPicker.pick(rng);
      if (activeOn(c, day) && (accept === undefined || accept(c))) return c;
    }
    return null;
  };

  // ---- volumes: a day's expected count follows weekday, season, growth, holidays, the incident.
  const dayWeight = (day: number) => {
    const date = new Date(day * 86_400_000);
    const month = date.getUTCMonth();
    const dom = date.getUTCDate();
    const holiday = (month === 11 && (dom === 25 || dom === 26)) || (month === 0 && dom === 1) ? 0.15 : 1;
    const dayOfYear = (Date.UTC(date.getUTCFullYear(), month, dom) - Date.UTC(date.getUTCFullYear(), 0, 1)) / 86_400_000;
    const season = 1 + 0.07 * Math.cos((2 * Math.PI * (dayOfYear - 15)) / 365);
    const growth = 0.94 + (0.12 * (day - startDay)) / (fullEndDay - startDay + 1);
    return (DOW_VOLUME[weekday(day)] as number) * season * growth * holiday;
  };
  let weightSum = 0;
  for (let d = startDay; d <= fullEndDay; d++) weightSum += dayWeight(d);
  // Expected count per unit of day weight for a yearly (52-week) volume at scale 1.
  const perWeight = (yearly: number) => (yearly * scale * weeks) / 52 / weightSum;
  const interactionUnit = perWeight(150_000);
  const surveyTarget = perWeight(30_000);
  const referralUnit = perWeight(1_000);
  // Surveys: 2.5% are about the app, a branch or the product (no interaction); the rest
  // follow answered contacts with a known customer (~93% of contacts).
  const surveyChance = (0.975 * 30_000) / (150_000 * 0.93 * 0.985);
  const backOfficeSurveyUnit = surveyTarget * 0.025;
  // Each accumulator starts just under 1, so even the tiniest scale has one of each.
  let interactionAcc = 0.999;
  let backOfficeAcc = 0.999;
  let referralAcc = 0.999;
  let interactionSeq = 0;
  let surveySeq = 0;
  let referralSeq = 0;

  const activeAgents = new Map<Team, Agent[]>();
  const tenureDays = (a: Agent, day: number) => day - a.hired;

  yield header('interactions');
  yield header('surveys');
  yield header('referrals');

  for (let day = startDay; day <= endDay; day++) {
    const dow = weekday(day);
    const weekend = dow >= 5;
    const incident = inIncident(day);
    for (const t of frontline) activeAgents.set(t, t.agents.filter((a) => a.hired + 10 <= day && (a.left === null || day < a.left)));

    interactionAcc += interactionUnit * dayWeight(day) * (incident ? 1.12 : 1);
    const events: { second: number; channel: Channel }[] = [];
    const dayStart = day * DAY_SECONDS;
    const todays = Math.floor(interactionAcc) - counts.interactions;
    for (let i = 0; i < todays; i++) {
      const channel = (weekend ? WEEKEND_CHANNELS : WEEKDAY_CHANNELS).pick(rng);
      const hourTable = channel === 'email' || channel === 'social' ? HOURS_ASYNC : weekend ? HOURS_LIVE_WEEKEND : HOURS_LIVE_WEEKDAY;
      events.push({ second: dayStart + hourTable.pick(rng) * 3600 + rng.int(0, 3599), channel });
    }
    events.sort((a, b) => a.second - b.second);

    let interactionsText = '';
    let surveysText = '';
    for (const ev of events) {
      const { channel, second } = ev;
      const hour = Math.floor((second - dayStart) / 3600);
      const id = `int-${pad(++interactionSeq, 7)}`;
      counts.interactions++;

      const customer = channel === 'social' ? (rng.chance(0.75) ? pickCustomer(day) : null) : rng.chance(0.98) ? pickCustomer(day) : null;
      let reason = REASON_PICKER.pick(rng);
      if (customer?.churned != null && customer.churned - day <= 21 && rng.chance(0.45)) reason = CANCEL_REASON;
      const handlers = teamsByRole[reason.role] as Team[];
      const team = handlers.length === 1 ? (handlers[0] as Team) : rng.pick(handlers);
      const reasonText = reason.variants && rng.chance(0.04) ? rng.pick(reason.variants) : reason.label;
      const stageText = rng.chance(0.01) ? null : reason.stage;

      // Wait: long-tailed, by channel; peaks and Mondays are busier; the IVR week is far worse.
      let wait: number;
      if (channel === 'phone') {
        const busy = (PEAK_HOURS.has(hour) ? 1.35 : 1) * (dow === 0 ? 1.2 : 1) * (incident ? 4 : 1);
        wait = Math.min(3600, rng.logNormal(38 * busy, 1.0));
      } else if (channel === 'chat') {
        const busy = (PEAK_HOURS.has(hour) ? 1.25 : 1) * (incident ? 1.6 : 1);
        wait = Math.min(1800, rng.logNormal(25 * busy, 0.9));
      } else if (channel === 'email') {
        wait = Math.min(4 * DAY_SECONDS, rng.logNormal(16_200 * (weekend ? 1.8 : 1), 0.8));
      } else {
        wait = Math.min(DAY_SECONDS, rng.logNormal(3000, 0.9));
      }
      wait = Math.round(wait);

      let abandon: number;
      if (channel === 'phone') abandon = 0.03 + 0.55 * clamp((wait - 60) / 600, 0, 1) + (incident ? 0.04 : 0);
      else if (channel === 'chat') abandon = 0.025 + 0.3 * clamp((wait - 60) / 600, 0, 1);
      else abandon = channel === 'email' ? 0.008 : 0.03;
      const answered = !rng.chance(abandon);
      const agents = activeAgents.get(team) as Agent[];
      if (!answered || agents.length === 0) {
        interactionsText += csvRow([
          id, timestamp(second), team.id, channel, null, customer && rng.chance(0.6) ? customer.id : null, stageText, reasonText,
          false, wait, null, null,
        ]);
        continue;
      }
      const agent = rng.pick(agents);
      const tenure = tenureDays(agent, day);
      const rookie = tenure < 90;

      const rushed = rng.chance(0.06 + (team.turnover ? 0.07 : 0) + (rookie ? 0.05 : 0) + (incident ? 0.04 : 0));
      let handle: number;
      if (rushed) {
        handle = channel === 'phone' ? rng.int(35, 115) : channel === 'chat' ? rng.int(60, 118) : rng.int(20, 100);
      } else {
        const median = reason.handle * (rookie ? 1.15 : 1) * (channel === 'chat' ? 1.5 : channel === 'email' ? 0.8 : channel === 'social' ? 0.5 : 1);
        handle = Math.max(20, Math.round(rng.logNormal(median, 0.5)));
      }

      const tenurePenalty = tenure < 30 ? 0.12 : tenure < 90 ? 0.08 : tenure < 180 ? 0.03 : 0;
      const pResolve = clamp(
        reason.resolve + agent.skill * 0.15 - (rushed ? 0.38 : 0) - tenurePenalty - (team.turnover ? 0.04 : 0) -
          (channel === 'social' ? 0.1 : channel === 'email' ? 0.03 : 0),
        0.05,
        0.98,
      );
      const resolved: boolean | null = rng.chance(0.02) ? null : rng.chance(pResolve);

      interactionsText += csvRow([
        id, timestamp(second), team.id, channel, agent.id, customer?.id ?? null, stageText, reasonText, true, wait, handle, resolved,
      ]);

      // ---- the survey, if the customer answers one
      if (customer === null || !rng.chance(surveyChance)) continue;
      const delay = (() => {
        const r = rng.float();
        if (r < 0.55) return 120 + rng.exponential(2100);
        if (r < 0.88) return rng.int(2 * 3600, 30 * 3600);
        return rng.int(30 * 3600, 72 * 3600);
      })();
      const responded = Math.round(second + (channel === 'email' || channel === 'social' ? wait : 0) + handle + delay);
      if (responded > endSecond) continue;

      // Satisfaction: a latent score from everything that happened, then ordered thresholds.
      const waitPenalty =
        channel === 'phone' || channel === 'chat'
          ? -Math.min(2.4, 0.95 * Math.max(0, Math.log(wait / 70)))
          : -Math.min(1.8, 0.55 * Math.max(0, Math.log(wait / (channel === 'email' ? 2 * 3600 : 1800))));
      const tenureCsat = tenure < 30 ? -0.45 : tenure < 90 ? -0.3 : tenure < 180 ? -0.15 : 0;
      const latent =
        1.45 + 0.3 * customer.loyalty + agent.skill + tenureCsat + (team.turnover ? -0.2 : 0) + reason.csat +
        (resolved === true ? 0.35 : resolved === false ? -0.9 : 0) + (rushed ? -0.45 : 0) + waitPenalty +
        (incident ? (channel === 'phone' ? -0.8 : channel === 'chat' ? -0.2 : 0) : 0) +
        (channel === 'chat' ? 0.05 : channel === 'email' ? -0.3 : channel === 'social' ? -0.35 : 0);
      const u = latent + rng.logistic(0.5);
      surveysText += surveyRow({
        responded,
        interaction: id,
        customer,
        agent,
        team,
        u,
        resolved,
        area: 'contact',
        comment: {
          channel,
          topic: reason.topic,
          waitSeconds: wait,
          handleSeconds: handle,
          resolved,
          incident: incident && channel === 'phone',
        },
      });
    }

    // Surveys about the app, a branch or the product: no interaction, the team named directly.
    backOfficeAcc += backOfficeSurveyUnit * dayWeight(day);
    while (backOfficeAcc >= 1) {
      backOfficeAcc -= 1;
      const customer = pickCustomer(day);
      if (customer === null) continue;
      const team = rng.pick(backOffice);
      const area = team.kind as CommentArea;
      const responded = dayStart + HOURS_ASYNC.pick(rng) * 3600 + rng.int(0, 3599);
      const u = 1.15 + 0.3 * customer.loyalty + (area === 'facilities' ? 0.2 : 0) + rng.logistic(0.5);
      surveysText += surveyRow({ responded, interaction: null, customer, agent: null, team, u, resolved: null, area, comment: null });
    }

    // Referrals: loyal customers refer.
    referralAcc += referralUnit * dayWeight(day);
    let referralsText = '';
    while (referralAcc >= 1) {
      referralAcc -= 1;
      const customer = pickCustomer(day, (c) => rng.chance(sigmoid(1.5 * c.loyalty - 0.3)));
      if (customer === null) continue;
      const at = dayStart + HOURS_ASYNC.pick(rng) * 3600 + rng.int(0, 3599);
      const recent = endDay - day < 30;
      const converted = rng.chance(recent ? 0.65 : 0.1) ? null : rng.chance(0.38);
      referralsText += csvRow([`ref-${pad(++referralSeq, 5)}`, timestamp(at), customer.id, converted]);
      counts.referrals++;
    }

    if (interactionsText) yield ['interactions', interactionsText];
    if (surveysText) yield ['surveys', surveysText];
    if (referralsText) yield ['referrals', referralsText];
  }

  const weekStart = dateOf(incidentStart);
  return {
    incident: {
      weekStart,
      title: 'New phone menu (IVR) went live',
      note:
        `A new phone menu (IVR) went live on Monday ${weekStart}. Callers were misrouted between options, ` +
        `phone waits roughly quadrupled and abandoned calls rose; the previous menu was restored on ` +
        `${dateOf(incidentStart + 7)}.`,
    },
    praisedAgents: praised.map((a) => a.id).sort(),
    turnoverTeam: turnoverTeam.id,
    counts,
  };

  // ---- a survey row (closure over the generator's streams and counters)
  function surveyRow(s: {
    responded: number;
    interaction: string | null;
    customer: Customer;
    agent: Agent | null;
    team: Team;
    u: number;
    resolved: boolean | null;
    area: CommentArea;
    comment: { channel: string; topic: string; waitSeconds: number | null; handleSeconds: number | null; resolved: boolean | null; incident: boolean } | null;
  }): string {
    const { u } = s;
    const csatValue = u > 1.15 ? 5 : u > 0.25 ? 4 : u > -0.45 ? 3 : u > -1.15 ? 2 : 1;
    let csat: number | null = rng.chance(0.92) ? csatValue : null;
    const npsValue = Math.round(clamp(7.7 + 1.9 * s.customer.loyalty + 0.55 * (u - 0.5) + rng.normal(0, 0.9), 0, 10));
    const nps = rng.chance(csat === null ? 0.8 : 0.35) ? npsValue : null;
    const effortValue = Math.round(clamp(2.4 - 0.75 * (u - 0.5) + (s.resolved === false ? 1 : 0) + rng.normal(0, 0.8), 1, 7));
    const effort = rng.chance(0.3) ? effortValue : null;
    if (csat === null && nps === null && effort === null) csat = csatValue;

    let sentiment: Sentiment;
    if (csat !== null) sentiment = csat >= 5 ? 'praise' : csat === 4 ? (rng.chance(0.8) ? 'praise' : 'neutral') : csat === 3 ? (rng.chance(0.7) ? 'neutral' : 'complaint') : 'complaint';
    else if (nps !== null) sentiment = nps >= 9 ? 'praise' : nps >= 7 ? 'neutral' : 'complaint';
    else sentiment = effort !== null && effort <= 2 ? 'praise' : effort !== null && effort >= 5 ? 'complaint' : 'neutral';
    const commentChance = s.area !== 'contact' ? 0.8 : sentiment === 'complaint' ? 0.62 : sentiment === 'neutral' ? 0.42 : 0.35;
    let comment: string | null = null;
    if (rng.chance(commentChance)) {
      const c = s.comment;
      comment = composeComment(textRng, {
        sentiment,
        area: s.area,
        channel: c?.channel ?? 'other',
        topic: c?.topic ?? 'account',
        waitSeconds: c?.waitSeconds ?? null,
        handleSeconds: c?.handleSeconds ?? null,
        resolved: c?.resolved ?? null,
        incident: c?.incident ?? false,
        praisedName: s.agent?.praised && sentiment === 'praise' && rng.chance(0.55) ? s.agent.first : null,
      });
    }
    const mayQuote = comment !== null && rng.chance(sentiment === 'praise' ? 0.4 : sentiment === 'neutral' ? 0.3 : 0.25);
    // A survey linked to an interaction inherits team, agent and customer; now and then the
    // source system repeats them anyway (consistently).
    const repeat = s.interaction === null || rng.chance(0.03);
    counts.surveys++;
    return csvRow([
      `srv-${pad(++surveySeq, 6)}`,
      timestamp(s.responded),
      s.interaction,
      repeat ? s.customer.id : null,
      repeat && s.agent ? s.agent.id : null,
      repeat ? s.team.id : null,
      csat,
      nps,
      effort,
      comment,
      mayQuote,
    ] satisfies CsvValue[]);
  }
}

/** All six files as strings, and the story. Pure: same options → same output. */
export function generateDemo(options: DemoOptions): DemoData {
  const parts: Record<DemoKind, string[]> = { teams: [], agents: [], customers: [], interactions: [], surveys: [], referrals: [] };
  const it = demoChunks(options);
  for (;;) {
    const step = it.next();
    if (step.done) {
      const files = Object.fromEntries(DEMO_KINDS.map((k) => [k, parts[k].join('')])) as Record<DemoKind, string>;
      return { files, story: step.value };
    }
    parts[step.value[0]].push(step.value[1]);
  }
}

/** Writes `teams.csv` … `referrals.csv` into `folder` (created if needed), streaming. */
export async function writeDemo(folder: string, options: DemoOptions): Promise<DemoStory> {
  validateDemoOptions(options);
  await mkdir(folder, { recursive: true });
  const streams = {} as Record<DemoKind, WriteStream>;
  let failure: unknown = null;
  for (const kind of DEMO_KINDS) {
    const stream = createWriteStream(join(folder, `${kind}.csv`), { encoding: 'utf8', highWaterMark: 1 << 20 });
    stream.on('error', (err) => (failure ??= err));
    streams[kind] = stream;
  }
  try {
    const it = demoChunks(options);
    for (;;) {
      if (failure) throw failure;
      const step = it.next();
      if (step.done) {
        await Promise.all(DEMO_KINDS.map((kind) => finished(streams[kind].end())));
        if (failure) throw failure;
        return step.value;
      }
      const [kind, chunk] = step.value;
      if (!streams[kind].write(chunk)) await once(streams[kind], 'drain');
    }
  } catch (err) {
    for (const kind of DEMO_KINDS) streams[kind].destroy();
    throw err;
  }
}
