// `npm run bench:metrics [-- --rows 10000000]`: builds a database of N interactions and N/5
// surveys shaped like the demo data (PostgreSQL with DATABASE_URL, else PGlite with 1,000,000),
// then times the query set of one weekly review (a) through the API from rollups and (b) as
// plain SQL on the raw tables, as a BI tool would, and prints p50/p95 and the ratio.
import { parseArgs } from 'node:util';
import { sql, type SQL } from 'drizzle-orm';
import { createApp } from '../../api/app';
import { silentLogger } from '../../api/log';
import { hashSecret } from '../../api/auth/tokens';
import { parseEnv } from '../../api/env';
import { rebuildRollups } from '../../api/rollups/refresh';
import { MIGRATIONS } from '../helpers/paths';
import { scratchDatabase } from './scratch';

const url = process.env.DATABASE_URL;
const { values } = parseArgs({
  options: {
    rows: { type: 'string' },
    reps: { type: 'string', default: '50' },
    'raw-reps': { type: 'string', default: '5' },
  },
});
const ROWS = Number(values.rows ?? (url ? 10_000_000 : 1_000_000));
const SURVEYS = Math.round(ROWS / 5);
const REPS = Number(values.reps);
const RAW_REPS = Number(values['raw-reps']);
const TOKEN = 'bench-metrics-admin-token-000000';

const scratch = await scratchDatabase('pairwise_bench_metrics');
const database = scratch.open();
const cleanup = () => scratch.cleanup();

const time = async <T>(label: string, f: () => Promise<T>): Promise<T> => {
  const t0 = performance.now();
  const r = await f();
  console.error(`  ${label}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return r;
};

const END = '2026-11-22'; // a Sunday: the review week is 2026-W47
const DAYS = 364;

try {
  await database.migrate(MIGRATIONS);
  console.error(
    `Building ${ROWS.toLocaleString('en')} interactions and ${SURVEYS.toLocaleString('en')} surveys on ${database.kind} …`,
  );
  const db = database.db;
  await time('dimensions', async () => {
    await db.execute(
      sql`insert into teams (external_id, name) select 't' || g, 'Team ' || g from generate_series(1, 20) g`,
    );
    await db.execute(sql`insert into agents (external_id, name, team_id, hired_on, left_on)
      select 'a' || g, 'Agent ' || g, 1 + g % 20, ${END}::date - (400 + g % 300), case when g % 13 = 0 then ${END}::date - (g % 200) end from generate_series(1, 600) g`);
    await db.execute(
      sql`insert into journey_stages (key, label) select 'stage ' || g, 'Stage ' || g from generate_series(1, 10) g`,
    );
    await db.execute(
      sql`insert into contact_reasons (key, label) select 'reason ' || g, 'Reason ' || g from generate_series(1, 15) g`,
    );
    await db.execute(sql`insert into customers (external_id, segment, started_on, churned_on, monthly_value)
      select 'c' || g, 'SMB', ${END}::date - (g % 1200), case when g % 9 = 0 then ${END}::date - (g % 360) end, 50 + g % 400 from generate_series(1, 50000) g`);
    await db.execute(sql`insert into referrals (external_id, referred_at, customer_id)
      select 'f' || g, ${END}::timestamptz - (g % ${DAYS}) * interval '1 day', 1 + g % 50000 from generate_series(1, 10000) g`);
  });
  // Generated data is consistent by construction: skip per-row foreign-key triggers while loading.
  await time('interactions', async () => {
    await db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(sql`insert into interactions (external_id, occurred_at, team_id, channel, agent_id, customer_id, journey_stage_id, contact_reason_id, answered, wait_seconds, handle_seconds, resolved)
        select 'i' || g,
               ${END}::timestamptz + interval '20 hours' - ((g * 7919) % (${DAYS} * 86400)) * interval '1 second',
               1 + (g % 600) % 20, (array['phone','phone','phone','chat','email'])[(1 + g % 5)::int],
               1 + g % 600, 1 + (g * 31) % 50000, 1 + (g * 7) % 10, 1 + (g * 11) % 15,
               g % 19 <> 0, case when g % 19 <> 0 then ((g * 2654435761) % 1000003) % 600 end,
               case when g % 19 <> 0 then 60 + (g * 40503) % 900 end, case when g % 19 <> 0 then g % 4 <> 0 end
        from generate_series(1::bigint, ${ROWS}::bigint) g`);
    });
  });
  await time('surveys', async () => {
    await db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(sql`insert into surveys (external_id, responded_at, interaction_id, csat, nps, effort, may_quote)
        select 's' || g, i.occurred_at + interval '2 hours', i.id,
               1 + (g * 7) % 5, case when g % 3 = 0 then (g * 13) % 11 end, case when g % 4 = 0 then 1 + g % 7 end, false
        from generate_series(1, ${SURVEYS}) g join interactions i on i.id = g * 5`);
    });
  });
  await time('analyze', async () => {
    await db.execute(sql`analyze`);
  });
  await time('rollups (full build)', () => rebuildRollups(db, 'UTC'));

  const env = parseEnv({ PAIRWISE_ADMIN_TOKEN: TOKEN, PAIRWISE_DEMO: '0' });
  if (!env.ok) throw new Error(env.problems.join('; '));
  const app = createApp({ database, env: env.env, logger: silentLogger() });
  await db.execute(
    sql`insert into access_tokens (label, role, token_hash, prefix) values ('bench', 'admin', ${hashSecret(TOKEN)}, 'bench')`,
  );

  // One weekly review: the week 2026-W47 and the 13 weeks ending with it.
  const week = 'from=2026-11-16&to=2026-11-22';
  const trend = 'from=2026-08-24&to=2026-11-22';
  const pairs = 'metrics=wait_avg,handle_avg,resolution_rate,csat,churn_rate,clv,referral_rate,nps,employee_retention';
  const apiSet = [
    `/api/v1/metrics?${pairs}&${week}&grain=week&compare=previous`,
    `/api/v1/metrics?${pairs}&${trend}&grain=week`,
    `/api/v1/metrics?metrics=csat&${week}&grain=total&by=wait_bucket`,
    `/api/v1/metrics?metrics=csat&${trend}&grain=total&by=wait_bucket`,
    `/api/v1/metrics?metrics=contacts,csat&${week}&grain=total&by=contact_reason&compare=previous`,
    `/api/v1/metrics?metrics=wait_avg,handle_avg,resolution_rate,csat&${week}&grain=total&by=journey_stage`,
  ];
  const perRequest = apiSet.map(() => [] as number[]);
  const runApi = async () => {
    for (const [i, path] of apiSet.entries()) {
      const t0 = performance.now();
      const res = await app.request(path, { headers: { authorization: `Bearer ${TOKEN}` } });
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      await res.json();
      perRequest[i]!.push(performance.now() - t0);
    }
  };

  const range = (from: string, to: string) =>
    sql`occurred_at >= ${from}::timestamptz and occurred_at < (${to}::date + 1)::timestamptz`;
  const srange = (from: string, to: string) =>
    sql`s.responded_at >= ${from}::timestamptz and s.responded_at < (${to}::date + 1)::timestamptz`;
  const rawSet: SQL[] = [
    // every pair for the week and the week before, by week
    sql`select to_char(occurred_at, 'IYYY-IW') w, avg(wait_seconds) filter (where answered), avg(handle_seconds) filter (where answered),
               avg(resolved::int) filter (where answered) from interactions where ${range('2026-11-09', '2026-11-22')} group by 1`,
    sql`select to_char(s.responded_at, 'IYYY-IW') w, avg((s.csat >= 4)::int), avg(case when nps >= 9 then 100 when nps <= 6 then -100 else 0 end)
        from surveys s where ${srange('2026-11-09', '2026-11-22')} group by 1`,
    // 13-week trends
    sql`select to_char(occurred_at, 'IYYY-IW') w, avg(wait_seconds) filter (where answered), avg(handle_seconds) filter (where answered),
               avg(resolved::int) filter (where answered) from interactions where ${range('2026-08-24', '2026-11-22')} group by 1`,
    sql`select to_char(s.responded_at, 'IYYY-IW') w, avg((s.csat >= 4)::int), avg(case when nps >= 9 then 100 when nps <= 6 then -100 else 0 end)
        from surveys s where ${srange('2026-08-24', '2026-11-22')} group by 1`,
    // CSAT by wait bucket, week and 13 weeks
    sql`select width_bucket(i.wait_seconds, array[30,60,120,300]) b, avg((s.csat >= 4)::int) from surveys s join interactions i on i.id = s.interaction_id where ${srange('2026-11-16', '2026-11-22')} group by 1`,
    sql`select width_bucket(i.wait_seconds, array[30,60,120,300]) b, avg((s.csat >= 4)::int) from surveys s join interactions i on i.id = s.interaction_id where ${srange('2026-08-24', '2026-11-22')} group by 1`,
    // contact reasons, this week and last, with CSAT
    sql`select contact_reason_id, count(*) from interactions where ${range('2026-11-09', '2026-11-22')} group by 1`,
    sql`select i.contact_reason_id, avg((s.csat >= 4)::int) from surveys s join interactions i on i.id = s.interaction_id where ${srange('2026-11-09', '2026-11-22')} group by 1`,
    // journey stages
    sql`select journey_stage_id, avg(wait_seconds), avg(handle_seconds), avg(resolved::int) from interactions where ${range('2026-11-16', '2026-11-22')} group by 1`,
    sql`select i.journey_stage_id, avg((s.csat >= 4)::int) from surveys s join interactions i on i.id = s.interaction_id where ${srange('2026-11-16', '2026-11-22')} group by 1`,
    // churn and retention: active at the start, left in the week
    sql`select count(*) filter (where churned_on between '2026-11-16' and '2026-11-22') , count(*) filter (where started_on <= '2026-11-16' and (churned_on is null or churned_on >= '2026-11-16')) from customers`,
    sql`select team_id, count(*) filter (where left_on between '2026-11-16' and '2026-11-22'), count(*) filter (where hired_on <= '2026-11-16' and (left_on is null or left_on >= '2026-11-16')) from agents group by 1`,
  ];
  const runRaw = async () => {
    for (const q of rawSet) await database.rows(q);
  };

  const measure = async (f: () => Promise<void>, reps: number) => {
    await f(); // warm
    const times: number[] = [];
    for (let i = 0; i < reps; i++) {
      const t0 = performance.now();
      await f();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const pct = (p: number) => times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)]!;
    return { p50: pct(0.5), p95: pct(0.95) };
  };
  const api = await measure(runApi, REPS);
  const raw = await measure(runRaw, RAW_REPS);
  const [sizes] = await database.rows<{ day: number; agent: number; journey: number }>(sql`select
      (select count(*) from rollup_interactions_day)::int as day, (select count(*) from rollup_interactions_agent)::int as agent,
      (select count(*) from rollup_interactions_journey)::int as journey`);
  console.log(
    `\nbench:metrics — ${ROWS.toLocaleString('en')} interactions, ${SURVEYS.toLocaleString('en')} surveys on ${database.kind}`,
  );
  console.log(
    `  rollup rows: day ${sizes!.day.toLocaleString('en')}, agent ${sizes!.agent.toLocaleString('en')}, journey ${sizes!.journey.toLocaleString('en')}`,
  );
  console.log(
    `  weekly review set (${apiSet.length} API requests), from rollups:  p50 ${api.p50.toFixed(1)} ms   p95 ${api.p95.toFixed(1)} ms   (${REPS} reps)`,
  );
  console.log(
    `  same figures, plain SQL on raw tables (${rawSet.length} queries): p50 ${raw.p50.toFixed(1)} ms   p95 ${raw.p95.toFixed(1)} ms   (${RAW_REPS} reps)`,
  );
  console.log(`  ratio (raw p50 / API p50): ${(raw.p50 / api.p50).toFixed(1)}×`);
  console.log('  per request, p50:');
  for (const [i, path] of apiSet.entries()) {
    const t = [...perRequest[i]!].sort((a, b) => a - b);
    console.log(
      `    ${t[Math.floor(t.length / 2)]!.toFixed(1).padStart(6)} ms  ${path.replace('/api/v1/metrics?', '')}`,
    );
  }
} finally {
  await cleanup();
}
