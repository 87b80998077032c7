// Incremental rollup upkeep: an ingest records what each changed record contributed before (−1)
// and contributes now (+1) in two signed tables; applying them adds the signed sums to the rollup
// rows of the keys they touch. The cost follows the rows of the batch, not the rows already in
// their days. `verifyRollups` (api/rollups/refresh.ts) recomputes from raw rows and must agree.
import { sql } from 'drizzle-orm';
import type { Database, Db } from '../../db/client';
import type { KeptTable } from '../../db/temp';
import { interactionRollups, surveyRollups, type RollupDefinition } from './definitions';

export const DELTA = {
  /** Rows in the order of `interactionColumns` (api/rollups/definitions.ts), after a sign. */
  interactions: 'pw_delta_interactions',
  /** Rows in the order of `surveyColumns`, after a sign. */
  surveys: 'pw_delta_surveys',
} as const;

/**
 * The signed contribution tables (kept by the connection, db/temp.ts; a transaction writing
 * several kinds drops them in between, api/ingest/ingest.ts).
 */
export const deltaTables = (): KeptTable[] => [
  {
    name: DELTA.interactions,
    definition: `(
      sign int not null, day date not null, team_id bigint not null, agent_id bigint, channel text not null,
      journey_stage_id bigint not null, contact_reason_id bigint not null, segment_id bigint not null,
      answered boolean not null, wait_seconds int, handle_seconds int, resolved boolean, responded boolean not null, b smallint)`,
  },
  {
    name: DELTA.surveys,
    definition: `(
      sign int not null, day date not null, team_id bigint not null, agent_id bigint not null, channel text not null,
      journey_stage_id bigint not null, contact_reason_id bigint not null, wait_bucket smallint not null, segment_id bigint not null,
      linked boolean not null, csat int, nps int, effort int)`,
  },
];

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
 * The WITH applying a signed table to one rollup (its parts' names prefixed by `p`): the sums per
 * key, the histogram's per bucket, each key's new values (stored + signed sums, buckets merged);
 * then keys left with nothing are deleted (a full recompute has no row for them) and the others
 * written. Reading the stored row and writing it back is safe as ingests hold one lock.
 */
function applyTo(
  p: string,
  def: RollupDefinition,
  delta: string,
  measures: Array<[string, string]>,
  histogram: boolean,
): string {
  const table = def.table;
  const keys = ['day', ...(def.keys ?? [])];
  const k = keys.join(', ');
  const where = def.where ?? 'true';
  const cols = measures.map(([c]) => c);
  const sums = measures.map(([c, e]) => `coalesce(${e}, 0) as ${c}`).join(', ');
  // Each key's stored row by its primary key. As a plain join, the plan a kept statement makes
  // once (the signed table then empty, so guessed at hundreds of rows) read the whole rollup
  // table every time: 1–2 ms per statement at 5,000 rollup rows, growing with the history.
  const stored = `left join lateral (select * from ${table} s where ${keys.map((c) => `s.${c} = d.${c}`).join(' and ')} limit 1) r on true`;
  const next = cols.map((c) => `coalesce(r.${c}, 0) + d.${c} as ${c}`).join(', ');
  const hist = histogram ? ', wait_hist_bucket, wait_hist_count' : '';
  const parts = [`${p}d as (select ${k}, ${sums} from ${delta} where ${where} group by ${k})`];
  if (histogram) {
    parts.push(
      `${p}h as (
        select ${k}, array_agg(b order by b) as hb, array_agg(n order by b) as hn
        from (select ${k}, b, sum(sign)::int as n from ${delta} where ${where} and b is not null group by ${k}, b having sum(sign) <> 0) x
        group by ${k})`,
      `${p}f as (
        select ${keys.map((c) => `d.${c}`).join(', ')}, ${next}, m.wait_hist_bucket, m.wait_hist_count
        from ${p}d d left join ${p}h h on ${keys.map((c) => `h.${c} = d.${c}`).join(' and ')} ${stored}
        cross join lateral (
          select coalesce(array_agg(b order by b), '{}') as wait_hist_bucket, coalesce(array_agg(n order by b), '{}') as wait_hist_count
          from (
            select b, sum(n)::int as n
            from (select b, n from unnest(r.wait_hist_bucket, r.wait_hist_count) as x(b, n)
                  union all select b, n from unnest(h.hb, h.hn) as y(b, n)) u
            group by b having sum(n) <> 0
          ) merged
        ) m)`,
    );
  } else {
    parts.push(`${p}f as (select ${keys.map((c) => `d.${c}`).join(', ')}, ${next} from ${p}d d ${stored})`);
  }
  parts.push(
    `${p}gone as (delete from ${table} r using ${p}f f where ${keys.map((c) => `r.${c} = f.${c}`).join(' and ')} and f.${cols[0]} = 0)`,
    `${p}put as (
      insert into ${table} (${k}, ${cols.join(', ')}${hist})
      select ${k}, ${cols.join(', ')}${hist} from ${p}f where ${cols[0]} <> 0
      on conflict (${k}) do update set ${[...cols, ...(histogram ? ['wait_hist_bucket', 'wait_hist_count'] : [])].map((c) => `${c} = excluded.${c}`).join(', ')})`,
  );
  return parts.join(',\n');
}

const APPLY = {
  interactions: interactionRollups.map(
    (def) => `with ${applyTo('', def, DELTA.interactions, INTERACTION_DELTAS, true)} select 1`,
  ),
  surveys: surveyRollups.map((def) => `with ${applyTo('', def, DELTA.surveys, SURVEY_DELTAS, false)} select 1`),
};

/** The statements applying the signed tables to every interaction and survey rollup (a batch of events runs them kept, in one script). */
export const APPLY_DELTAS: readonly string[] = [...APPLY.interactions, ...APPLY.surveys];

/**
 * Applies the signed tables to every interaction and survey rollup (once, at the end of a kind's
 * batch), one statement per rollup. (One statement for all eight took longer to plan, 26 ms,
 * than the eight took to run.)
 */
export async function applyDeltas(database: Database, tx: Db) {
  const [any] = await database.rows<{ interactions: boolean; surveys: boolean }>(
    sql.raw(
      `select exists (select 1 from ${DELTA.interactions}) as interactions, exists (select 1 from ${DELTA.surveys}) as surveys`,
    ),
    tx,
  );
  for (const statement of [...(any!.interactions ? APPLY.interactions : []), ...(any!.surveys ? APPLY.surveys : [])])
    await tx.execute(sql.raw(statement));
}

/** The span of days the signed tables touch (for the change notice). */
export const DELTA_DAYS = `select day from ${DELTA.interactions} union all select day from ${DELTA.surveys}`;
