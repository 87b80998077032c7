// Writing a checked batch: staged rows are upserted by external_id a chunk at a time (while the
// next chunk is read), then the rollups of every touched day are recomputed and the change
// notice is made. Runs inside the ingest's transaction: a later problem undoes all of it.
import { sql } from 'drizzle-orm';
import type { Database, Db } from '../../db/client';
import { createTouchedTables, refreshTouched, TOUCHED, type Touched } from '../rollups/refresh';
import type { ChangeNotice } from './notices';
import { SPECS, type Kind } from './kinds';

/** A free-text lookup field and each distinct spelling in the batch with the row it first appears in. */
export interface Lookup {
  field: string;
  table: string;
  /** Where the field is among the kind's fields. */
  at: number;
  firsts: Map<string, number>;
}

/** The timestamp that places a record in a day, for the kinds that have one. */
const DAY_COLUMN: Partial<Record<Kind, string>> = { interactions: 'occurred_at', surveys: 'responded_at', referrals: 'referred_at' };

const CHANGED_OLD = 'pw_changed_old';
const CHANGED_TEAMS = 'pw_changed_teams';
/** Customers whose segment changed (interaction and survey rollups are also kept by segment). */
const CHANGED_SEGMENTS = 'pw_changed_segments';
/** The interactions of those customers. */
const SEGMENT_INTERACTIONS = 'pw_segment_interactions';
/** Surveys' links to interactions, +1 as they are and −1 as they were (response rate). */
const CHANGED_LINKS = 'pw_changed_links';

export interface Upserter {
  /**
   * Upserts the rows of `source` (free of unknown references; `repeats` when an external_id
   * appears in it more than once); answers what it inserted and updated.
   */
  chunk(source: string, spellings: Array<Array<[string, number]>>, repeats: boolean): Promise<{ inserted: number; updated: number }>;
  /** Recomputes the touched rollups and tells what changed. */
  finish(inserted: number, updated: number): Promise<ChangeNotice>;
}

export async function prepareUpsert(database: Database, tx: Db, kind: Kind, tz: string, lookups: Lookup[]): Promise<Upserter> {
  const spec = SPECS[kind];
  const table = spec.table;
  const joins = [
    ...spec.fields.filter((f) => f.ref).map((f) => `left join ${SPECS[f.ref!].table} r_${f.name} on r_${f.name}.external_id = s.${f.name}`),
    ...(spec.lookups ?? []).map((l) => `left join ${l.table} l_${l.field} on l_${l.field}.key = lower(s.${l.field})`),
  ].join('\n        ');
  const cols = spec.columns.map(([c]) => c);
  const at = DAY_COLUMN[kind];
  // The team a changed record belongs to, for the change notice.
  const team = (row: string) =>
    kind === 'interactions' || kind === 'agents'
      ? `${row}team_id`
      : kind === 'surveys'
        ? `coalesce(${row}team_id, (select i.team_id from interactions i where i.id = ${row}interaction_id))`
        : 'null::bigint';
  // Rows of the kind's own day rollups that the change touches (old and new placement).
  const ownDays = kind === 'interactions' ? TOUCHED.interactions : kind === 'surveys' ? TOUCHED.surveys : null;
  await createTouchedTables(tx);
  await tx.execute(sql.raw(`create temp table ${CHANGED_OLD} (id bigint not null) on commit drop`));
  await tx.execute(sql.raw(`create temp table ${CHANGED_TEAMS} (team_id bigint not null) on commit drop`));
  const segments = kind === 'customers';
  if (segments) await tx.execute(sql.raw(`create temp table ${CHANGED_SEGMENTS} (id bigint not null) on commit drop`));
  const links = kind === 'surveys';
  if (links) await tx.execute(sql.raw(`create temp table ${CHANGED_LINKS} (interaction_id bigint not null, delta int not null) on commit drop`));

  return {
    async chunk(source, spellings, repeats) {
      // Free-text lookups: matched case-folded (by PostgreSQL's lower, as the join below), the
      // first spelling kept (chunks come in row order).
      for (const [i, l] of lookups.entries()) {
        const firsts = spellings[i] ?? [];
        if (firsts.length === 0) continue;
        await tx.execute(
          sql`insert into ${sql.raw(l.table)} (key, label)
              select distinct on (lower(v)) lower(v), v from json_to_recordset(${JSON.stringify(firsts.map(([v, row]) => ({ v, row })))}::json) as x(v text, row int)
              order by lower(v), row
              on conflict (key) do nothing`,
        );
      }
      const values = `${repeats ? 'distinct on (s.external_id) ' : ''}s.external_id, ${spec.columns.map(([, e]) => e).join(', ')}
            from ${source} s
            ${joins}
            ${repeats ? 'order by s.external_id, s.row_no' : ''}`;
      // One statement: upsert only what differs; keep the ids of updated records, the days
      // touched (new and previous placement) and the teams — every part of a WITH sees the table
      // as it was before the statement, so `old` holds the previous values.
      const [counts] = await database.rows<{ inserted: number; updated: number }>(
        sql`
          with up as (
            insert into ${sql.raw(table)} (external_id, ${sql.raw(cols.join(', '))})
            select ${sql.raw(values)}
            on conflict (external_id) do update set ${sql.raw(cols.map((c) => `${c} = excluded.${c}`).join(', '))}, updated_at = now()
            where (${sql.raw(cols.map((c) => `${table}.${c}`).join(', '))}) is distinct from (${sql.raw(cols.map((c) => `excluded.${c}`).join(', '))})
            returning id, (xmax = 0) as inserted, ${sql.raw(at ?? 'null::timestamptz')} as at, ${sql.raw(team(''))} as team_id${sql.raw(segments ? ', segment_id' : '')}${sql.raw(links ? ', interaction_id' : '')}
          ),
          old as (
            select t.id, ${sql.raw(at ? `t.${at}` : 'null::timestamptz')} as at, ${sql.raw(team('t.'))} as team_id${sql.raw(segments ? ', t.segment_id' : '')}${sql.raw(links ? ', t.interaction_id' : '')}
            from ${sql.raw(table)} t where t.id in (select id from up where not inserted)
          ),${segments ? sql`
          kept_segments as (
            insert into ${sql.raw(CHANGED_SEGMENTS)} (id)
            select o.id from old o join up u on u.id = o.id where o.segment_id is distinct from u.segment_id
          ),` : sql``}${links ? sql`
          kept_links as (
            insert into ${sql.raw(CHANGED_LINKS)} (interaction_id, delta)
            select interaction_id, 1 from up where interaction_id is not null
            union all select interaction_id, -1 from old where interaction_id is not null
          ),` : sql``}
          kept_old as (insert into ${sql.raw(CHANGED_OLD)} (id) select id from old),
          kept_teams as (insert into ${sql.raw(CHANGED_TEAMS)} (team_id) select distinct team_id from (select team_id from up union select team_id from old) x where team_id is not null),
          kept_days as (
            insert into ${sql.raw(ownDays ?? TOUCHED.interactions)} (day)
            select distinct timezone(${tz}, at)::date from (select at from up union all select at from old) x
            where at is not null and ${ownDays ? sql`true` : sql`false`}
            on conflict do nothing
          )
          select (count(*) filter (where inserted))::int as inserted, (count(*) filter (where not inserted))::int as updated from up`,
        tx,
      );
      return counts!;
    },

    async finish(inserted, updated) {
      const notice: ChangeNotice = { kinds: [kind], inserted, updated, from: null, to: null, teams: [] };
      if (inserted + updated === 0) return notice;

      const touch = (name: string, query: string) =>
        tx.execute(sql`insert into ${sql.raw(name)} (day) select distinct timezone(${tz}, at)::date from (${sql.raw(query)}) q where at is not null on conflict do nothing`);
      const touched: Touched = {};
      if (kind === 'interactions') {
        // The BRIN index on occurred_at (db/schema/records.ts) knows new pages only once they are
        // summarized: nothing does it on PGlite, and autovacuum does it late. Summarized here,
        // the day's rows of the refresh below (and every later time range) skip the rest.
        await tx.execute(sql`select brin_summarize_new_values('interactions_occurred_at_brin'::regclass)`);
        // Surveys inherit from their interaction and are bucketed by its wait.
        await touch(TOUCHED.surveys, `select responded_at as at from surveys where interaction_id in (select id from ${CHANGED_OLD})`);
        Object.assign(touched, { interactions: true, surveys: true });
      } else if (kind === 'surveys') {
        touched.surveys = true;
        // Response rate counts answered interactions with a survey by the interaction's day: the
        // days of interactions that gained their first survey or lost their last are recomputed.
        await touch(
          TOUCHED.interactions,
          `select i.occurred_at as at
           from (select interaction_id, sum(delta) as d from ${CHANGED_LINKS} group by interaction_id having sum(delta) <> 0) c
           join interactions i on i.id = c.interaction_id and i.answered
           cross join lateral (select count(*) as now from surveys s where s.interaction_id = i.id) x
           where (x.now > 0) <> (x.now - c.d > 0)`,
        );
        const [flipped] = await database.rows<{ n: number }>(sql.raw(`select count(*)::int as n from ${TOUCHED.interactions}`), tx);
        if (flipped!.n > 0) touched.interactions = true;
      } else if (kind === 'agents') {
        // A survey with neither interaction nor team takes its agent's team.
        await touch(TOUCHED.surveys, `select responded_at as at from surveys where agent_id in (select id from ${CHANGED_OLD}) and interaction_id is null and team_id is null`);
        Object.assign(touched, { agents: true, surveys: true });
      } else if (kind === 'customers') {
        touched.customers = true;
        // A customer's interactions and surveys count under its segment as it is now: their days
        // are recomputed when it changes. interactions.customer_id has no index (each costs every
        // imported row), so this reads the interactions once, and only when a segment changed.
        const [changed] = await database.rows<{ n: number }>(sql.raw(`select count(*)::int as n from ${CHANGED_SEGMENTS}`), tx);
        if (changed!.n > 0) {
          await tx.execute(
            sql.raw(`create temp table ${SEGMENT_INTERACTIONS} on commit drop as
              select id, occurred_at from interactions where customer_id in (select id from ${CHANGED_SEGMENTS})`),
          );
          await touch(TOUCHED.interactions, `select occurred_at as at from ${SEGMENT_INTERACTIONS}`);
          // A survey's customer is its own, else its interaction's.
          await touch(
            TOUCHED.surveys,
            `select responded_at as at from surveys where customer_id in (select id from ${CHANGED_SEGMENTS})
             union all
             select responded_at from surveys where customer_id is null and interaction_id in (select id from ${SEGMENT_INTERACTIONS})`,
          );
          touched.segments = true;
        }
      } else if (kind === 'referrals') {
        touched.referrals = true;
      }
      await refreshTouched(tx, tz, touched);

      // What changed, for live views: the span of days and (for events) the teams.
      const [span] = await database.rows<{ from: string | null; to: string | null }>(
        sql.raw(`select min(day)::text as from, max(day)::text as to from (select day from ${TOUCHED.interactions} union all select day from ${TOUCHED.surveys}) d`),
        tx,
      );
      notice.from = span?.from ?? null;
      notice.to = span?.to ?? null;
      const teams = await database.rows<{ external_id: string }>(
        sql.raw(`select distinct tm.external_id from ${CHANGED_TEAMS} c join teams tm on tm.id = c.team_id order by 1 limit 50`),
        tx,
      );
      notice.teams = teams.map((t) => t.external_id);
      return notice;
    },
  };
}
