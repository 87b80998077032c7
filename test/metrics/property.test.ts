// Property: for random small datasets (teams, agents, customers, interactions, surveys,
// referrals at random instants over a few weeks, in a random one of UTC / America/Chicago /
// Asia/Kolkata) and random requests (metrics, grain, optional `by`, optional filter), every
// value runMetrics answers equals a direct computation over the raw rows
// (test/helpers/raw-metrics.ts): same periods, same dimension values, same n, value within
// 1e-9 relative (wait_p90: within 5 s of percentile_cont), and no cell with data is missing.
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMetrics, type MetricsRequest } from '../../api/metrics/engine';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { csv, ingestCsv } from '../helpers/ingest';
import {
  dimensionValues,
  plusDays,
  prepare,
  rawPeriods,
  rawPreviousPeriod,
  rawValue,
  type Dim,
  type FilterName,
  type RawDataset,
  type RawRequest,
} from '../helpers/raw-metrics';

let d: TestDatabase;
beforeAll(async () => {
  d = await createTestDatabase();
});
afterAll(() => d.destroy());

const ALL_METRICS = [
  'contacts',
  'abandon_rate',
  'wait_avg',
  'wait_p90',
  'handle_avg',
  'resolution_rate',
  'churn_rate',
  'clv',
  'employee_retention',
  'employee_retention_12m',
  'referrals',
  'referral_rate',
  'csat',
  'csat_avg',
  'nps',
  'effort_avg',
  'response_rate',
];
const ZONES = ['UTC', 'America/Chicago', 'Asia/Kolkata'] as const;
/** Windows of five weeks: across ISO week 53 and a year end; Chicago's spring DST and a leap day; autumn DST and month ends. */
const WINDOWS = ['2020-12-14', '2024-02-19', '2024-10-21'] as const;
const WINDOW_DAYS = 35;
const TEAMS = ['t1', 't2', 't3'];
const AGENTS = ['a1', 'a2', 'a3', 'a4', 'a5'];
const CUSTOMERS = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8'];
const CHANNELS = ['phone', 'chat', 'email'];
const STAGES = ['Billing', 'Onboarding', 'Renewal'];
const REASONS = ['Refund', 'Login', 'Bug'];
/** Spellings of two segments (matched case-folded and trimmed, the first one shown). */
const SEGMENTS = ['Monthly', 'monthly', 'Two year', ' TWO YEAR '];

const opt = <T>(a: fc.Arbitrary<T>, freq = 4) => fc.option(a, { nil: null, freq });
/** Minutes from one day before the window to one day after it: records outside the request too. */
const instant = fc.integer({ min: -24 * 60, max: (WINDOW_DAYS + 1) * 24 * 60 });
/** Whole days relative to the window's first day. */
const dayOffset = (min: number, max: number) => fc.integer({ min, max });

const datasetArb = fc.record({
  zone: fc.constantFrom(...ZONES),
  window: fc.constantFrom(...WINDOWS),
  // Some agents hired a year or more before the window: 12-month retention has people to count.
  agents: fc.tuple(
    ...AGENTS.map(() =>
      fc.record({
        team: fc.constantFrom(...TEAMS),
        hired: opt(fc.oneof(dayOffset(-60, WINDOW_DAYS), dayOffset(-450, -300)), 3),
        stay: opt(fc.oneof(dayOffset(0, 60), dayOffset(0, 420)), 2),
      }),
    ),
  ),
  customers: fc.tuple(
    ...CUSTOMERS.map(() =>
      fc.record({
        segment: opt(fc.constantFrom(...SEGMENTS), 3),
        started: opt(dayOffset(-500, WINDOW_DAYS), 4),
        stay: opt(dayOffset(0, 400), 2),
        value: opt(fc.integer({ min: 0, max: 50_000 }), 4),
      }),
    ),
  ),
  interactions: fc.array(
    fc.record({
      at: instant,
      team: fc.constantFrom(...TEAMS),
      channel: fc.constantFrom(...CHANNELS),
      agent: opt(fc.constantFrom(...AGENTS)),
      customer: opt(fc.constantFrom(...CUSTOMERS), 2),
      stage: opt(fc.constantFrom(...STAGES), 3),
      reason: opt(fc.constantFrom(...REASONS), 3),
      answered: fc.integer({ min: 0, max: 5 }).map((x) => x > 0),
      wait: opt(fc.oneof(fc.constantFrom(0, 29, 30, 59, 60, 119, 120, 299, 300), fc.integer({ min: 0, max: 1700 })), 6),
      handle: opt(fc.integer({ min: 0, max: 2000 }), 6),
      resolved: opt(fc.boolean(), 5),
    }),
    { maxLength: 40 },
  ),
  surveys: fc.array(
    fc.record({
      at: instant,
      interaction: opt(fc.nat(), 2),
      team: opt(fc.constantFrom(...TEAMS), 1),
      agent: opt(fc.constantFrom(...AGENTS), 1),
      customer: opt(fc.constantFrom(...CUSTOMERS), 1),
      csat: opt(fc.integer({ min: 1, max: 5 }), 5),
      nps: opt(fc.integer({ min: 0, max: 10 }), 5),
      effort: opt(fc.integer({ min: 1, max: 7 }), 5),
    }),
    { maxLength: 30 },
  ),
  referrals: fc.array(fc.record({ at: instant, customer: fc.constantFrom(...CUSTOMERS) }), { maxLength: 8 }),
});

type DatasetSpec = typeof datasetArb extends fc.Arbitrary<infer T> ? T : never;

function build(spec: DatasetSpec): RawDataset {
  const start = spec.window;
  const at = (minutes: number) => new Date(Date.parse(`${start}T00:00:00Z`) + minutes * 60_000).toISOString();
  const agents = spec.agents.map((a, k) => {
    const hiredOn = a.hired === null ? null : plusDays(start, a.hired);
    return {
      id: AGENTS[k]!,
      team: a.team,
      hiredOn,
      leftOn: a.stay === null ? null : plusDays(hiredOn ?? plusDays(start, -30), a.stay),
    };
  });
  const customers = spec.customers.map((c, k) => {
    const startedOn = c.started === null ? null : plusDays(start, c.started);
    return {
      id: CUSTOMERS[k]!,
      segment: c.segment,
      startedOn,
      churnedOn: c.stay === null ? null : plusDays(startedOn ?? plusDays(start, -200), c.stay),
      monthlyValue: c.value === null ? null : c.value / 100,
    };
  });
  const interactions = spec.interactions.map((i, k) => ({
    id: `i${k}`,
    occurredAt: at(i.at),
    team: i.team,
    channel: i.channel,
    agent: i.agent,
    customer: i.customer,
    journeyStage: i.stage,
    contactReason: i.reason,
    answered: i.answered,
    wait: i.wait,
    handle: i.handle,
    resolved: i.resolved,
  }));
  const surveys = spec.surveys.map((s, k) => ({
    id: `s${k}`,
    respondedAt: at(s.at),
    interaction:
      s.interaction === null || interactions.length === 0
        ? null
        : interactions[s.interaction % interactions.length]!.id,
    team: s.team,
    agent: s.agent,
    customer: s.customer,
    csat: s.csat,
    nps: s.nps,
    effort: s.effort,
  }));
  const referrals = spec.referrals.map((r, k) => ({ id: `f${k}`, referredAt: at(r.at), customer: r.customer }));
  return { agents, customers, interactions, surveys, referrals };
}

const requestArb = fc.record({
  metrics: fc.subarray(ALL_METRICS, { minLength: 1, maxLength: 7 }),
  grain: fc.constantFrom('day', 'week', 'month', 'total' as const),
  from: fc.integer({ min: 0, max: WINDOW_DAYS - 1 }),
  length: fc.integer({ min: 0, max: WINDOW_DAYS - 1 }),
  by: opt(
    fc.constantFrom<Dim>('team', 'agent', 'channel', 'journey_stage', 'contact_reason', 'wait_bucket', 'segment'),
    2,
  ),
  compare: fc.boolean(),
  filter: opt(
    fc.record({
      name: fc.constantFrom<FilterName>('team', 'agent', 'channel', 'journey_stage', 'contact_reason', 'segment'),
      pick: fc.array(fc.nat(), { minLength: 1, maxLength: 2 }),
    }),
    2,
  ),
});

type RequestSpec = typeof requestArb extends fc.Arbitrary<infer T> ? T : never;

function toRequest(spec: RequestSpec, window: string, data: RawDataset): RawRequest & { compare?: 'previous' } {
  const from = plusDays(window, spec.from);
  const to = plusDays(window, Math.min(WINDOW_DAYS - 1, spec.from + spec.length));
  const req: RawRequest & { compare?: 'previous' } = {
    metrics: spec.metrics,
    from,
    to,
    grain: spec.grain,
    by: spec.by ?? undefined,
    filters: {},
    ...(spec.compare ? { compare: 'previous' as const } : {}),
  };
  if (spec.filter) {
    const { name } = spec.filter;
    // Filter values must exist (an unknown one is a 400); journey stages and reasons are given in another case.
    const pool =
      name === 'team'
        ? TEAMS
        : name === 'agent'
          ? AGENTS
          : name === 'channel'
            ? CHANNELS
            : name === 'journey_stage'
              ? [...new Set(data.interactions.map((i) => i.journeyStage).filter((s): s is string => !!s))].map((s) =>
                  s.toUpperCase(),
                )
              : name === 'segment'
                ? [...new Set(data.customers.map((c) => c.segment).filter((s): s is string => !!s))].map((s) =>
                    s.trim().toUpperCase(),
                  )
                : [...new Set(data.interactions.map((i) => i.contactReason).filter((s): s is string => !!s))].map(
                    (s) => ` ${s.toLowerCase()}`,
                  );
    const agentClash = (a: string | undefined, b: string) =>
      a === 'agent' && (b === 'journey_stage' || b === 'contact_reason');
    // Segments are kept apart from agents and journeys (the API refuses the combination).
    const segmentClash = (a: string | undefined, b: string) =>
      a === 'segment' && (b === 'agent' || b === 'journey_stage' || b === 'contact_reason');
    const clash = (a: string | undefined, b: string) => agentClash(a, b) || segmentClash(a, b);
    if (pool.length && !clash(name, req.by ?? '') && !clash(req.by, name))
      req.filters[name] = [...new Set(spec.filter.pick.map((k) => pool[k % pool.length]!))];
  }
  return req;
}

const cell = (v: string | null | undefined) => (v == null ? '∅' : v);

async function reset() {
  await d.rows(sql`truncate teams, agents, customers, journey_stages, contact_reasons, interactions, surveys, referrals,
    rollup_interactions_day, rollup_interactions_agent, rollup_interactions_journey, rollup_surveys_day, rollup_surveys_agent,
    rollup_surveys_journey, rollup_customers_day, rollup_agents_day, rollup_referrals_day, customer_segments, rollup_interactions_segment,
    rollup_surveys_segment, rollup_customers_segment, rollup_referrals_segment restart identity cascade`);
}

async function load(data: RawDataset, timeZone: string) {
  const o = { timeZone };
  const b = (x: boolean | null | undefined) => (x == null ? '' : String(x));
  const v = (x: number | string | null | undefined) => (x == null ? '' : String(x));
  await ingestCsv(d, 'teams', csv('external_id,name', ...TEAMS.map((t) => `${t},Team ${t}`)), o);
  await ingestCsv(
    d,
    'agents',
    csv(
      'external_id,name,team,hired_on,left_on',
      ...data.agents.map((a) => [a.id, `Agent ${a.id}`, a.team, v(a.hiredOn), v(a.leftOn)].join(',')),
    ),
    o,
  );
  await ingestCsv(
    d,
    'customers',
    csv(
      'external_id,segment,started_on,churned_on,monthly_value',
      ...data.customers.map((c) => [c.id, v(c.segment), v(c.startedOn), v(c.churnedOn), v(c.monthlyValue)].join(',')),
    ),
    o,
  );
  if (data.interactions.length)
    await ingestCsv(
      d,
      'interactions',
      csv(
        'external_id,occurred_at,team,channel,agent,customer,journey_stage,contact_reason,answered,wait_seconds,handle_seconds,resolved',
        ...data.interactions.map((i) =>
          [
            i.id,
            i.occurredAt,
            i.team,
            i.channel,
            v(i.agent),
            v(i.customer),
            v(i.journeyStage),
            v(i.contactReason),
            b(i.answered),
            v(i.wait),
            v(i.handle),
            b(i.resolved),
          ].join(','),
        ),
      ),
      o,
    );
  if (data.surveys.length)
    await ingestCsv(
      d,
      'surveys',
      csv(
        'external_id,responded_at,interaction,team,agent,customer,csat,nps,effort',
        ...data.surveys.map((s) =>
          [
            s.id,
            s.respondedAt,
            v(s.interaction),
            v(s.team),
            v(s.agent),
            v(s.customer),
            v(s.csat),
            v(s.nps),
            v(s.effort),
          ].join(','),
        ),
      ),
      o,
    );
  if (data.referrals.length)
    await ingestCsv(
      d,
      'referrals',
      csv('external_id,referred_at,customer', ...data.referrals.map((r) => [r.id, r.referredAt, r.customer].join(','))),
      o,
    );
}

const close = (a: number | null, b: number | null, abs: number) =>
  a === null || b === null ? a === b : Math.abs(a - b) <= abs;

describe('metrics property', () => {
  it('every value from runMetrics equals a direct computation over the raw rows', async () => {
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(datasetArb, fc.array(requestArb, { minLength: 3, maxLength: 3 }), async (spec, requests) => {
        const data = build(spec);
        await reset();
        await load(data, spec.zone);
        const ctx = prepare(data, spec.zone);
        for (const rs of requests) {
          const req = toRequest(rs, spec.window, data);
          const where = `${spec.zone} ${JSON.stringify(req)}`;
          const result = await runMetrics(d, { ...req, filters: req.filters } as MetricsRequest);
          const periods = rawPeriods(req.from, req.to, req.grain);
          const keys = result.meta.metrics;
          expect(new Set(keys), where).toEqual(
            new Set([
              ...req.metrics,
              ...(req.metrics.some((k) => ['wait_avg', 'wait_p90', 'handle_avg', 'abandon_rate'].includes(k))
                ? ['csat']
                : []),
            ]),
          );
          const norm = (v: unknown) =>
            req.by === 'journey_stage' || req.by === 'contact_reason' || req.by === 'segment'
              ? v == null
                ? null
                : String(v).toLowerCase()
              : ((v ?? null) as string | null);
          // Shape: every dimension value × every period, periods in order, nothing skipped.
          const seen = new Map<string, string[]>();
          for (const row of result.rows) {
            const k = cell(norm(req.by ? row[req.by] : null));
            seen.set(k, [...(seen.get(k) ?? []), `${row.period} ${row.from} ${row.to}`]);
          }
          for (const [k, labels] of seen)
            expect(labels, `${where} dim ${k}`).toEqual(periods.map((p) => `${p.label} ${p.start} ${p.end}`));
          // Every engine value equals the raw one.
          for (const row of result.rows) {
            const dim = norm(req.by ? row[req.by] : null);
            const p = periods.find((x) => x.label === row.period)!;
            for (const key of keys) {
              const raw = rawValue(ctx, req, key, p, dim);
              const got = row.values[key]!;
              const at = `${where} ${row.period} ${cell(dim)} ${key}: engine ${JSON.stringify(got)} raw ${JSON.stringify(raw)}`;
              expect(got.n, at).toBe(raw.n);
              const tol = key === 'wait_p90' ? 5 : 1e-9 * Math.max(1, Math.abs(raw.value ?? 0));
              expect(close(got.value, raw.value, tol), at).toBe(true);
              if (req.compare) {
                // The previous period of the same kind, with its own n and value, and the change.
                const pp = rawPreviousPeriod(p, req.grain);
                const prev = rawValue(ctx, req, key, pp, dim);
                const atPrev = `${at} previous ${pp.start}..${pp.end} raw ${JSON.stringify(prev)}`;
                expect(got.previous?.n, atPrev).toBe(prev.n);
                expect(close(got.previous?.value ?? null, prev.value, tol), atPrev).toBe(true);
                expect(
                  close(
                    got.change ?? null,
                    raw.value !== null && prev.value !== null ? raw.value - prev.value : null,
                    key === 'wait_p90' ? 10 : tol,
                  ),
                  atPrev,
                ).toBe(true);
              }
              checked++;
            }
          }
          // No cell with data is missing.
          if (req.by) {
            for (const dim of dimensionValues(ctx, req.by)) {
              for (const p of periods) {
                const has = keys.some((key) => rawValue(ctx, req, key, p, dim).n > 0);
                if (has)
                  expect(seen.has(cell(dim)), `${where} missing ${req.by}=${cell(dim)} in ${p.label}`).toBe(true);
              }
            }
          }
        }
      }),
      { numRuns: Number(process.env.PROP_RUNS ?? 25), seed: Number(process.env.PROP_SEED ?? 4_2024_1130) },
    );
    expect(checked).toBeGreaterThan(500);
  }, 120_000);
});
