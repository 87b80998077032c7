// Incremental rollup upkeep: an ingest records what each changed record contributed before (−1)
// and contributes now (+1) in two signed tables; applying them adds the signed sums to the rollup
// rows of the keys they touch. The cost follows the rows of the batch, not the rows already in
// their days. `verifyRollups` (api/rollups/refresh.ts) recomputes from raw rows and must agree.
import { sql } from 'drizzle-orm';
import type { Database, Db } from '../../db/client';
import { interactionRollups, surveyRollups, type RollupDefinition } from './definitions';

export const DELTA = {
  /** Rows in the order of `interactionColumns` (api/rollups/definitions.ts), after a sign. */
  interactions: 'pw_delta_interactions',
  /** Rows in the order of `surveyColumns`, after a sign. */
  surveys: 'pw_delta_surveys',
} as const;

/** Creates the signed contribution tables of one transaction (dropped at commit). */
export async function createDeltaTables(tx: Db) {
  await tx.execute(
    sql.raw(`create temp table if not exists ${DELTA.interactions} (
      sign int not null, day date not null, team_id bigint not null, agent_id bigint, channel text not null,
      journey_stage_id bigint not null, contact_reason_id bigint not null, segment_id bigint not null,
      answered boolean not null, wait_seconds int, handle_seconds int, resolved boolean, responded boolean not null, b smallint
    ) on commit drop`),
  );
  await tx.execute(
    sql.raw(`create temp table if not exists ${DELTA.surveys} (
      sign int not null, day date not null, team_id bigint not null, agent_id bigint not null, channel text not null,
      journey_stage_id bigint not null, contact_reason_id bigint not null, wait_bucket smallint not null, segment_id bigint not null,
      linked boolean not null, csat int, nps int, effort int
    ) on commit drop`),
  );
}

/** Each stored measure as a signed sum over contribution rows (the same measures `fill` counts). */
const INTERACTION_DELTAS: Array<[string, string]> = [
  ['contacts', 'sum(sign)'],
  ['answered', 'sum(sign) filter (where answered)'],
  ['abandoned', 'sum(sign) filter (where not answered)'],
  ['wait_n', 'sum(sign) filter (where answered and wait_seconds is not null)'],
  ['wait_sum', 'sum(sign * wait_seconds) filter (where answered)'],
  ['wait_sq', 'sum(sign * wait_seconds::float8 * wait_seconds) filter (where answered)'],
  ['handle_n', 'sum(sign) filter (where answered and handle_seconds is not null)'],
  ['handle_sum', 'sum(sign * handle_seconds) filter (where answered)'],
  ['handle_sq', 'sum(sign * handle_seconds::float8 * handle_seconds) filter (where answered)'],
  ['resolved_n', 'sum(sign) filter (where answered and resolved is not null)'],
  ['resolved_yes', 'sum(sign) filter (where answered and resolved)'],
  ['responded', 'sum(sign) filter (where responded)'],
];

const SURVEY_DELTAS: Array<[string, string]> = [
  ['surveys', 'sum(sign)'],
  ['linked', 'sum(sign) filter (where linked)'],
  ['csat_n', 'sum(sign) filter (where csat is not null)'],
  ['csat_top2', 'sum(sign) filter (where csat >= 4)'],
  ['csat_sum', 'sum(sign * csat)'],
  ['csat_sq', 'sum(sign * csat::float8 * csat)'],
  ['nps_n', 'sum(sign) filter (where nps is not null)'],
  ['promoters', 'sum(sign) filter (where nps >= 9)'],
  ['detractors', 'sum(sign) filter (where nps <= 6)'],
  ['effort_n', 'sum(sign) filter (where effort is not null)'],
  ['effort_sum', 'sum(sign * effort)'],
  ['effort_sq', 'sum(sign * effort::float8 * effort)'],
];

/**
 * The statements applying a signed table to one rollup: add the sums per key (a new key is
 * inserted), merge the wait histogram bucket by bucket, then drop the keys left with nothing —
 * a full recompute has no row for them. Additions happen on the stored row itself (not on a
 * value read earlier), so they stay right whatever else commits meanwhile.
 */
function applyTo(def: RollupDefinition, delta: string, measures: Array<[string, string]>, histogram: boolean): string[] {
  const table = def.table;
  const keys = ['day', ...(def.keys ?? [])];
  const k = keys.join(', ');
  const where = def.where ?? 'true';
  const cols = measures.map(([c]) => c);
  const sums = measures.map(([c, e]) => `coalesce(${e}, 0) as ${c}`).join(', ');
  const add = cols.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', ');
  const upsert = histogram
    ? `with d as (select ${k}, ${sums} from ${delta} where ${where} group by ${k}),
       h as (
         select ${k}, array_agg(b order by b) as hb, array_agg(n order by b) as hn
         from (select ${k}, b, sum(sign)::int as n from ${delta} where ${where} and b is not null group by ${k}, b having sum(sign) <> 0) x
         group by ${k}
       )
       insert into ${table} (${k}, ${cols.join(', ')}, wait_hist_bucket, wait_hist_count)
       select ${k}, ${cols.join(', ')}, coalesce(hb, '{}'), coalesce(hn, '{}') from d left join h using (${k})
       on conflict (${k}) do update set ${add},
         (wait_hist_bucket, wait_hist_count) = (
           select coalesce(array_agg(b order by b), '{}'), coalesce(array_agg(n order by b), '{}')
           from (
             select b, sum(n)::int as n
             from (select b, n from unnest(${table}.wait_hist_bucket, ${table}.wait_hist_count) as x(b, n)
                   union all select b, n from unnest(excluded.wait_hist_bucket, excluded.wait_hist_count) as y(b, n)) u
             group by b having sum(n) <> 0
           ) m
         )`
    : `insert into ${table} (${k}, ${cols.join(', ')})
       select ${k}, ${sums} from ${delta} where ${where} group by ${k}
       on conflict (${k}) do update set ${add}`;
  const emptied = `delete from ${table} r using (select distinct ${k} from ${delta} where ${where}) d
    where ${keys.map((c) => `r.${c} = d.${c}`).join(' and ')} and r.${cols[0]} = 0`;
  return [upsert, emptied];
}

/** Applies the signed tables to every interaction and survey rollup (once, at the end of a kind's batch). */
export async function applyDeltas(database: Database, tx: Db) {
  const [n] = await database.rows<{ interactions: boolean; surveys: boolean }>(
    sql.raw(`select exists (select 1 from ${DELTA.interactions}) as interactions, exists (select 1 from ${DELTA.surveys}) as surveys`),
    tx,
  );
  const plan: Array<[boolean, RollupDefinition[], string, Array<[string, string]>, boolean]> = [
    [n!.interactions, interactionRollups, DELTA.interactions, INTERACTION_DELTAS, true],
    [n!.surveys, surveyRollups, DELTA.surveys, SURVEY_DELTAS, false],
  ];
  for (const [any, defs, delta, measures, histogram] of plan) {
    if (!any) continue;
    for (const def of defs) for (const statement of applyTo(def, delta, measures, histogram)) await tx.execute(sql.raw(statement));
  }
}

/** The span of days the signed tables touch (for the change notice). */
export const DELTA_DAYS = `select day from ${DELTA.interactions} union all select day from ${DELTA.surveys}`;
