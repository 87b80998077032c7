// Computes, from the demo CSV files alone, the numbers behind the stories the demo data must
// tell (test helper).
import { readCsv, type CsvTable } from './csv-reader';

export type Files = Record<'teams' | 'agents' | 'customers' | 'interactions' | 'surveys' | 'referrals', string>;

export interface Rate {
  hits: number;
  n: number;
  rate: number;
}

function rate(hits: number, n: number): Rate {
  return { hits, n, rate: n === 0 ? NaN : hits / n };
}

class Counter {
  hits = 0;
  n = 0;
  add(hit: boolean) {
    this.n++;
    if (hit) this.hits++;
  }
  get value(): Rate {
    return rate(this.hits, this.n);
  }
}

const DAY_MS = 86_400_000;
/** Monday (YYYY-MM-DD) of the ISO week containing a timestamp or date. */
export function weekOf(text: string): string {
  const day = Math.floor(Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text) / DAY_MS);
  const monday = day - ((day + 3) % 7);
  return new Date(monday * DAY_MS).toISOString().slice(0, 10);
}

export function waitBucket(wait: number): string {
  return wait < 30 ? '0-30' : wait < 60 ? '30-60' : wait < 120 ? '60-120' : wait < 300 ? '120-300' : '300+';
}

const FIELDS = {
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
} as const;
type Fields = typeof FIELDS;

export type Tables = { [K in keyof Fields]: CsvTable<Fields[K][number]> };

export function readAll(files: Files): Tables {
  return {
    teams: readCsv(files.teams, FIELDS.teams),
    agents: readCsv(files.agents, FIELDS.agents),
    customers: readCsv(files.customers, FIELDS.customers),
    interactions: readCsv(files.interactions, FIELDS.interactions),
    surveys: readCsv(files.surveys, FIELDS.surveys),
    referrals: readCsv(files.referrals, FIELDS.referrals),
  };
}

export function storyNumbers(t: Tables, incidentWeek: string) {
  const interactions = new Map(t.interactions.rows.map((r) => [r.external_id as string, r]));
  const csatByBucket = new Map<string, Counter>();
  const phoneShort = { resolved: new Counter(), csat: new Counter() };
  const phoneLonger = { resolved: new Counter(), csat: new Counter() };
  const teamResolved = new Map<string, Counter>();
  const teamCsat = new Map<string, Counter>();
  const weekCsat = new Map<string, Counter>();
  const weekPhoneWait = new Map<string, { sum: number; n: number }>();
  const npsByCustomer = new Map<string, { sum: number; n: number }>();
  const get = <K, V>(m: Map<K, V>, k: K, make: () => V): V => {
    let v = m.get(k);
    if (v === undefined) m.set(k, (v = make()));
    return v;
  };

  for (const r of t.interactions.rows) {
    if (r.answered !== 'true') continue;
    if (r.resolved !== null) get(teamResolved, r.team as string, () => new Counter()).add(r.resolved === 'true');
    if (r.channel === 'phone') {
      const w = get(weekPhoneWait, weekOf(r.occurred_at as string), () => ({ sum: 0, n: 0 }));
      w.sum += Number(r.wait_seconds);
      w.n++;
      if (r.resolved !== null)
        (Number(r.handle_seconds) < 120 ? phoneShort : phoneLonger).resolved.add(r.resolved === 'true');
    }
  }
  for (const s of t.surveys.rows) {
    const i = s.interaction ? interactions.get(s.interaction) : undefined;
    const customer = s.customer ?? i?.customer ?? null;
    if (s.nps !== null && customer) {
      const c = get(npsByCustomer, customer, () => ({ sum: 0, n: 0 }));
      c.sum += Number(s.nps);
      c.n++;
    }
    if (s.csat === null) continue;
    const top = Number(s.csat) >= 4;
    get(weekCsat, weekOf(s.responded_at as string), () => new Counter()).add(top);
    if (!i) continue;
    get(csatByBucket, waitBucket(Number(i.wait_seconds)), () => new Counter()).add(top);
    get(teamCsat, i.team as string, () => new Counter()).add(top);
    if (i.channel === 'phone') (Number(i.handle_seconds) < 120 ? phoneShort : phoneLonger).csat.add(top);
  }

  const churned = new Map(t.customers.rows.map((c) => [c.external_id as string, c.churned_on !== null]));
  const promoters = new Counter();
  const passives = new Counter();
  const detractors = new Counter();
  for (const [customer, { sum, n }] of npsByCustomer) {
    const mean = sum / n;
    (mean >= 9 ? promoters : mean > 6 ? passives : detractors).add(churned.get(customer) === true);
  }

  const weeks = [...weekCsat.keys()].sort();
  const at = weeks.indexOf(incidentWeek);
  const around = weeks.slice(Math.max(0, at - 3), at).concat(weeks.slice(at + 1, at + 4));
  const pooled = (ws: string[]) => {
    const c = new Counter();
    for (const w of ws) {
      const x = weekCsat.get(w);
      if (x) {
        c.hits += x.hits;
        c.n += x.n;
      }
    }
    return c.value;
  };
  const meanWait = (ws: string[]) => {
    let sum = 0;
    let n = 0;
    for (const w of ws) {
      const x = weekPhoneWait.get(w);
      if (x) {
        sum += x.sum;
        n += x.n;
      }
    }
    return n === 0 ? NaN : sum / n;
  };

  return {
    csatByBucket: Object.fromEntries([...csatByBucket].map(([k, v]) => [k, v.value])),
    shortCalls: { resolved: phoneShort.resolved.value, csat: phoneShort.csat.value },
    otherCalls: { resolved: phoneLonger.resolved.value, csat: phoneLonger.csat.value },
    teamCsat: Object.fromEntries([...teamCsat].map(([k, v]) => [k, v.value])),
    teamResolved: Object.fromEntries([...teamResolved].map(([k, v]) => [k, v.value])),
    incident: {
      csat: pooled([incidentWeek]),
      csatAround: pooled(around),
      phoneWait: meanWait([incidentWeek]),
      phoneWaitAround: meanWait(around),
      aroundWeeks: around,
    },
    churn: { promoters: promoters.value, passives: passives.value, detractors: detractors.value },
  };
}

/** Pooled rate of every key except `except`. */
export function pooledExcept(byKey: Record<string, Rate>, except: string): Rate {
  let hits = 0;
  let n = 0;
  for (const [k, v] of Object.entries(byKey)) {
    if (k === except) continue;
    hits += v.hits;
    n += v.n;
  }
  return rate(hits, n);
}
