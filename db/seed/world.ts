// The demo world: the organisation (teams, agents with their hires and leavers, the praised
// few) from the 'organisation' stream and the customers from the 'customers' stream, written as
// teams.csv, agents.csv and customers.csv. The contact reasons and segment tables live here too.
import { csvRow } from './csv';
import { BACK_OFFICE_TEAMS, FIRST_NAMES, FRONTLINE_TEAMS, LAST_NAMES } from './names';
import { headerChunk, pad, type DemoChunk, type DemoKind, type DemoPeriod } from './options';
import { Weighted, type Rng } from './random';

// ---------------------------------------------------------------- the organisation

export interface Team {
  id: string;
  name: string;
  kind: string;
  /** Which contact reasons it takes (frontline teams only). */
  role: number | null;
  turnover: boolean;
  agents: Agent[];
}

export interface Agent {
  id: string;
  first: string;
  name: string;
  team: Team;
  hired: number;
  left: number | null;
  skill: number;
  praised: boolean;
}

export type Segment = 'SMB' | 'Mid-market' | 'Enterprise';

export interface Customer {
  id: string;
  segment: Segment;
  started: number;
  churned: number | null;
  value: number;
  /** Latent loyalty, N(0, 1): drives NPS, churn and referrals. */
  loyalty: number;
}

export interface Reason {
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

export const REASONS: readonly Reason[] = [
  {
    label: 'Invoice query',
    stage: 'Billing',
    role: 0,
    weight: 10,
    topic: 'invoice',
    resolve: 0.86,
    csat: 0,
    handle: 300,
  },
  {
    label: 'Refund request',
    stage: 'Billing',
    role: 0,
    weight: 6,
    topic: 'refund',
    resolve: 0.78,
    csat: -0.1,
    handle: 360,
  },
  {
    label: 'Payment failed',
    stage: 'Payment',
    role: 0,
    weight: 5,
    topic: 'payment',
    resolve: 0.84,
    csat: -0.05,
    handle: 280,
  },
  {
    label: 'Direct debit change',
    stage: 'Payment',
    role: 0,
    weight: 4,
    topic: 'direct debit',
    resolve: 0.92,
    csat: 0.1,
    handle: 240,
  },
  {
    label: 'Password reset',
    variants: [' password reset', 'password reset', 'Password Reset '],
    stage: 'Account change',
    role: 1,
    weight: 7,
    topic: 'password reset',
    resolve: 0.95,
    csat: 0.15,
    handle: 170,
  },
  {
    label: 'Change of address',
    stage: 'Account change',
    role: 1,
    weight: 4,
    topic: 'account details',
    resolve: 0.94,
    csat: 0.1,
    handle: 220,
  },
  {
    label: 'Delivery delay',
    variants: ['delivery delay', 'Delivery Delay'],
    stage: 'Delivery',
    role: 1,
    weight: 6,
    topic: 'delivery',
    resolve: 0.72,
    csat: -0.2,
    handle: 260,
  },
  {
    label: 'Damaged item',
    stage: 'Returns',
    role: 1,
    weight: 3,
    topic: 'return',
    resolve: 0.8,
    csat: -0.1,
    handle: 330,
  },
  {
    label: 'Product question',
    stage: 'General enquiry',
    role: 1,
    weight: 4,
    topic: 'order',
    resolve: 0.9,
    csat: 0.1,
    handle: 240,
  },
  {
    label: 'Internet outage',
    stage: 'Technical issue',
    role: 2,
    weight: 7,
    topic: 'broadband',
    resolve: 0.66,
    csat: -0.3,
    handle: 480,
  },
  {
    label: 'Slow connection',
    stage: 'Technical issue',
    role: 2,
    weight: 5,
    topic: 'connection',
    resolve: 0.7,
    csat: -0.15,
    handle: 540,
  },
  {
    label: 'App login problem',
    variants: ['app login problem', ' App login problem'],
    stage: 'Technical issue',
    role: 2,
    weight: 4,
    topic: 'app login',
    resolve: 0.85,
    csat: 0,
    handle: 300,
  },
  {
    label: 'New account setup',
    stage: 'Onboarding',
    role: 3,
    weight: 5,
    topic: 'new account',
    resolve: 0.9,
    csat: 0.15,
    handle: 420,
  },
  {
    label: 'Device setup',
    stage: 'Onboarding',
    role: 3,
    weight: 4,
    topic: 'router setup',
    resolve: 0.82,
    csat: 0.05,
    handle: 600,
  },
  {
    label: 'Price increase',
    stage: 'Billing',
    role: 4,
    weight: 3,
    topic: 'bill',
    resolve: 0.7,
    csat: -0.35,
    handle: 420,
  },
  {
    label: 'Upgrade plan',
    stage: 'Renewal',
    role: 4,
    weight: 3,
    topic: 'upgrade',
    resolve: 0.9,
    csat: 0.2,
    handle: 360,
  },
  {
    label: 'Contract renewal',
    stage: 'Renewal',
    role: 4,
    weight: 3,
    topic: 'contract renewal',
    resolve: 0.9,
    csat: 0.1,
    handle: 420,
  },
  {
    label: 'Cancel service',
    stage: 'Cancellation',
    role: 4,
    weight: 3,
    topic: 'cancellation',
    resolve: 0.85,
    csat: -0.3,
    handle: 380,
  },
];
const ROLES = 5;

const SEGMENTS = new Weighted<Segment>(['SMB', 'Mid-market', 'Enterprise'], [0.64, 0.27, 0.09]);
const SEGMENT_VALUE: Record<Segment, { median: number; sigma: number; min: number }> = {
  SMB: { median: 95, sigma: 0.6, min: 19 },
  'Mid-market': { median: 1200, sigma: 0.5, min: 300 },
  Enterprise: { median: 9500, sigma: 0.6, min: 3000 },
};
/** Annual churn hazard per segment for a customer of average loyalty. */
const SEGMENT_CHURN: Record<Segment, number> = { SMB: 0.22, 'Mid-market': 0.13, Enterprise: 0.06 };
export const SEGMENT_CONTACTS: Record<Segment, number> = { SMB: 1, 'Mid-market': 2.2, Enterprise: 4 };

function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** The teams, and which of them take each contact reason's role. */
export interface Organisation {
  frontline: Team[];
  backOffice: Team[];
  turnoverTeam: Team;
  teamsByRole: Team[][];
  /** Each frontline team's share of the contact volume (in reason weights). */
  share: Map<Team, number>;
}

// ---------------------------------------------------------------- teams, agents, customers

/** Writes the teams: frontline teams (one of them the high-turnover team) and back-office teams. */
export function* teamChunks(scale: number, counts: Record<DemoKind, number>): Generator<DemoChunk, Organisation, void> {
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

  yield headerChunk('teams');
  let text = '';
  for (const t of [...frontline, ...backOffice]) {
    text += csvRow([t.id, t.name, t.kind]);
    counts.teams++;
  }
  yield ['teams', text];
  return { frontline, backOffice, turnoverTeam, teamsByRole, share };
}

/**
 * Writes the agents: slots per team in proportion to its volume; leavers are replaced after a
 * gap. Answers the praised agents.
 */
export function* agentChunks(
  orgRng: Rng,
  org: Organisation,
  scale: number,
  period: DemoPeriod,
  counts: Record<DemoKind, number>,
): Generator<DemoChunk, Agent[], void> {
  const { frontline, share } = org;
  const { startDay, endDay, periodDays, dateOf } = period;
  const frontlineCount = frontline.length;
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
  agents.sort(
    (a, b) =>
      frontline.indexOf(a.team) - frontline.indexOf(b.team) || a.hired - b.hired || a.name.localeCompare(b.name),
  );
  agents.forEach((a, i) => (a.id = `ag-${pad(i + 1, 4)}`));

  // A handful of long-serving agents on steady teams whom customers praise by first name.
  const firstNameCount = new Map<string, number>();
  for (const a of agents) firstNameCount.set(a.first, (firstNameCount.get(a.first) ?? 0) + 1);
  const praiseCandidates = orgRng.shuffle(
    agents.filter(
      (a) => !a.team.turnover && a.left === null && a.hired < startDay && firstNameCount.get(a.first) === 1,
    ),
  );
  // Five at scale 1 (a handful, 4–6); never more than half the candidates on a tiny organisation.
  const praised = praiseCandidates.slice(
    0,
    Math.min(agents.length >= 30 ? 5 : 4, Math.max(1, Math.ceil(praiseCandidates.length / 2))),
  );
  for (const a of praised) {
    a.praised = true;
    a.skill += 0.45;
  }

  yield headerChunk('agents');
  let text = '';
  for (const a of agents) {
    text += csvRow([a.id, a.name, a.team.id, dateOf(a.hired), a.left === null ? null : dateOf(a.left)]);
    counts.agents++;
  }
  yield ['agents', text];
  return praised;
}

/** Writes the customers, each with a segment, a value, a latent loyalty and perhaps a churn day. */
export function* customerChunks(
  customerRng: Rng,
  scale: number,
  period: DemoPeriod,
  counts: Record<DemoKind, number>,
): Generator<DemoChunk, Customer[], void> {
  const { startDay, endDay, periodDays, dateOf } = period;
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
  yield headerChunk('customers');
  for (let i = 0; i < customers.length; i += 2000) {
    let text = '';
    for (const c of customers.slice(i, i + 2000)) {
      text += csvRow([
        c.id,
        c.segment,
        dateOf(c.started),
        c.churned === null ? null : dateOf(c.churned),
        c.value.toFixed(2),
      ]);
      counts.customers++;
    }
    yield ['customers', text];
  }
  return customers;
}
