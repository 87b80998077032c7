// Writing a checked batch: staged rows are upserted by external_id a chunk at a time (while the
// next chunk is read). Interactions and surveys record, in the same statement, what each changed
// record contributed before and contributes now (api/rollups/delta.ts); the rollups take the
// difference at the end. Other kinds recompute what they touch (small tables, or whole days when
// an agent's team or a customer's segment changes). Runs inside the ingest's transaction: a later
// problem undoes all of it.
import { sql, type SQL } from 'drizzle-orm';
import type { Database, Db } from '../../db/client';
import { isUniqueViolation } from '../../db/errors';
import { INTERACTION_JOINS, interactionColumns, SURVEY_JOINS, surveyColumns } from '../rollups/definitions';
import { applyDeltas, createDeltaTables, DELTA, DELTA_DAYS } from '../rollups/delta';
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

const CHANGED_OLD = 'pw_changed_old';
const CHANGED_TEAMS = 'pw_changed_teams';
/** Customers whose segment changed (interaction and survey rollups are also kept by segment). */
const CHANGED_SEGMENTS = 'pw_changed_segments';
/** The interactions of those customers. */
const SEGMENT_INTERACTIONS = 'pw_segment_interactions';
/** Interactions updated by the chunk being written: their surveys count again as they are now. */
const CHUNK_UPDATED = 'pw_chunk_updated';
/** Interactions a chunk of surveys links or unlinks, and whether they had a survey before (response rate). */
const CHUNK_LINKS = 'pw_chunk_links';
/** The external ids a batch inserted or updated, when asked (`reportChanges`). */
const CHANGED_IDS = 'pw_changed_ids';

export type Change = 'inserted' | 'updated';

/** Chunks from this size are first written as new records only (smaller ones gain too little). */
const PLAIN_INSERT_ROWS = 1_000;

export interface Upserter {
  /**
   * Upserts the rows of `source` (free of unknown references; `repeats` when an external_id
   * appears in it more than once; `rows` of them); answers what it inserted and updated.
   */
  chunk(source: string, spellings: Array<Array<[string, number]>>, repeats: boolean, rows: number): Promise<{ inserted: number; updated: number }>;
  /** Brings the touched rollups up to date and tells what changed. */
  finish(inserted: number, updated: number): Promise<ChangeNotice>;
  /** The external ids inserted or updated (with `reportChanges`; the first change of an id wins). */
  changes(): Promise<Map<string, Change>>;
}

export async function prepareUpsert(database: Database, tx: Db, kind: Kind, tz: string, lookups: Lookup[], options: { reportChanges?: boolean } = {}): Promise<Upserter> {
  const spec = SPECS[kind];
  const table = spec.table;
  const joins = [
    ...spec.fields.filter((f) => f.ref).map((f) => `left join ${SPECS[f.ref!].table} r_${f.name} on r_${f.name}.external_id = s.${f.name}`),
    ...(spec.lookups ?? []).map((l) => `left join ${l.table} l_${l.field} on l_${l.field}.key = lower(s.${l.field})`),
  ].join('\n        ');
  const cols = spec.columns.map(([c]) => c);
  // The team a changed record (`up` or `old`, every column of the table) belongs to, for the change notice.
  const team =
    kind === 'interactions' || kind === 'agents'
      ? 'team_id'
      : kind === 'surveys'
        ? 'coalesce(team_id, (select i.team_id from interactions i where i.id = interaction_id))'
        : 'null::bigint';
  // Only agents and customers recompute whole days; each temporary table costs a few catalog
  // writes, which a group of a few events feels.
  const days = kind === 'agents' || kind === 'customers';
  if (days) await createTouchedTables(tx);
  const signed = kind === 'interactions' || kind === 'surveys';
  if (signed) await createDeltaTables(tx);
  const temp = (name: string, columns: string) => tx.execute(sql.raw(`create temp table ${name} (${columns}) on commit drop`));
  if (kind === 'agents') await temp(CHANGED_OLD, 'id bigint not null');
  await temp(CHANGED_TEAMS, 'team_id bigint not null');
  if (kind === 'customers') await temp(CHANGED_SEGMENTS, 'id bigint not null');
  if (kind === 'interactions') await temp(CHUNK_UPDATED, 'id bigint not null');
  if (kind === 'surveys') await temp(CHUNK_LINKS, 'id bigint primary key, had boolean not null');
  if (options.reportChanges) await temp(CHANGED_IDS, 'external_id text primary key, inserted boolean not null');

  // What the statement records beside the upsert. Every part of a WITH sees the tables as they
  // were before the statement: `old` and the −1 rows read the previous values.
  const contributions: SQL[] = [];
  if (kind === 'interactions') {
    contributions.push(
      sql`d_new as (insert into ${sql.raw(DELTA.interactions)} select 1, ${interactionColumns(tz)} from up i ${sql.raw(INTERACTION_JOINS)})`,
      sql`d_old as (insert into ${sql.raw(DELTA.interactions)} select -1, ${interactionColumns(tz)} from old i ${sql.raw(INTERACTION_JOINS)})`,
      // Surveys inherit from their interaction (team, channel, wait bucket…): they count again.
      sql`s_old as (insert into ${sql.raw(DELTA.surveys)} select -1, ${surveyColumns(tz)} from surveys s ${sql.raw(SURVEY_JOINS)} where s.interaction_id in (select id from old))`,
      sql`k_updated as (insert into ${sql.raw(CHUNK_UPDATED)} select id from old)`,
    );
  } else if (kind === 'surveys') {
    contributions.push(
      sql`d_new as (insert into ${sql.raw(DELTA.surveys)} select 1, ${surveyColumns(tz)} from up s ${sql.raw(SURVEY_JOINS)})`,
      sql`d_old as (insert into ${sql.raw(DELTA.surveys)} select -1, ${surveyColumns(tz)} from old s ${sql.raw(SURVEY_JOINS)})`,
      sql`k_links as (
        insert into ${sql.raw(CHUNK_LINKS)} (id, had)
        select x.id, exists (select 1 from surveys s where s.interaction_id = x.id)
        from (select interaction_id as id from up where interaction_id is not null
              union select interaction_id from old where interaction_id is not null) x)`,
    );
  } else if (kind === 'customers') {
    contributions.push(sql`kept_segments as (
      insert into ${sql.raw(CHANGED_SEGMENTS)} (id)
      select o.id from old o join up u on u.id = o.id where o.segment_id is distinct from u.segment_id)`);
  }
  if (kind === 'agents') contributions.push(sql`kept_old as (insert into ${sql.raw(CHANGED_OLD)} (id) select id from old)`);
  if (options.reportChanges) {
    contributions.push(sql`k_changes as (insert into ${sql.raw(CHANGED_IDS)} select external_id, inserted from up on conflict do nothing)`);
  }

  let allNew = true;
  return {
    async chunk(source, spellings, repeats, rows) {
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
      // One statement: upsert only what differs, and keep what the rollups and the notice need.
      // `conflicts: false` is a plain insert, half the work of an upsert per row on PostgreSQL.
      const write = (conflicts: boolean, on: Db) =>
        database.rows<{ inserted: number; updated: number }>(
          sql`
          with up as (
            insert into ${sql.raw(table)} (external_id, ${sql.raw(cols.join(', '))})
            select ${sql.raw(values)}
            ${conflicts ? sql`on conflict (external_id) do update set ${sql.raw(cols.map((c) => `${c} = excluded.${c}`).join(', '))}, updated_at = now()
            where (${sql.raw(cols.map((c) => `${table}.${c}`).join(', '))}) is distinct from (${sql.raw(cols.map((c) => `excluded.${c}`).join(', '))})` : sql``}
            returning *, (xmax = 0) as inserted
          ),
          old as (select t.* from ${sql.raw(table)} t where t.id in (select id from up where not inserted)),
          ${sql.join(
            contributions.map((c) => sql`${c},`),
            sql` `,
          )}
          kept_teams as (
            insert into ${sql.raw(CHANGED_TEAMS)} (team_id)
            select distinct team_id from (select ${sql.raw(team)} as team_id from up union select ${sql.raw(team)} from old) x where team_id is not null
          )
          select (count(*) filter (where inserted))::int as inserted, (count(*) filter (where not inserted))::int as updated from up`,
          on,
        );
      // A large chunk is first tried as new records only (a first import); the first that meets
      // a known id is undone and upserted, and so is every later chunk of the batch.
      let counts: { inserted: number; updated: number } | undefined;
      if (allNew && rows >= PLAIN_INSERT_ROWS) {
        try {
          // A nested transaction is a savepoint, through the driver (postgres.js remembers any
          // failed statement of a transaction unless it ran in the driver's own savepoint).
          [counts] = await tx.transaction((savepoint) => write(false, savepoint as unknown as Db));
        } catch (err) {
          if (!isUniqueViolation(err)) throw err;
          allNew = false;
        }
      } else allNew = false;
      if (!counts) [counts] = await write(true, tx);
      if (kind === 'interactions' && counts!.updated > 0) {
        await tx.execute(sql`insert into ${sql.raw(DELTA.surveys)} select 1, ${surveyColumns(tz)} from surveys s ${sql.raw(SURVEY_JOINS)} where s.interaction_id in (select id from ${sql.raw(CHUNK_UPDATED)})`);
        await tx.execute(sql.raw(`truncate ${CHUNK_UPDATED}`));
      }
      if (kind === 'surveys' && counts!.inserted + counts!.updated > 0) {
        // An interaction that gained its first survey or lost its last now counts as responded or not.
        await tx.execute(sql`
          insert into ${sql.raw(DELTA.interactions)}
          select v.sign, x.day, x.team_id, x.agent_id, x.channel, x.journey_stage_id, x.contact_reason_id, x.segment_id,
                 x.answered, x.wait_seconds, x.handle_seconds, x.resolved, v.responded, x.b
          from (select ${interactionColumns(tz)}, l.had and i.answered as was
                from ${sql.raw(CHUNK_LINKS)} l join interactions i on i.id = l.id ${sql.raw(INTERACTION_JOINS)}) x
          cross join lateral (values (-1, x.was), (1, x.responded)) v(sign, responded)
          where x.responded <> x.was`);
        await tx.execute(sql.raw(`truncate ${CHUNK_LINKS}`));
      }
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
        // every later time range skips the rest.
        await tx.execute(sql`select brin_summarize_new_values('interactions_occurred_at_brin'::regclass)`);
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
      if (signed) await applyDeltas(tx);
      await refreshTouched(tx, tz, touched);

      // What changed, for live views: the span of days and (for events) the teams.
      const [span] = await database.rows<{ from: string | null; to: string | null }>(
        sql.raw(`select min(day)::text as from, max(day)::text as to from (${[...(days ? [`select day from ${TOUCHED.interactions}`, `select day from ${TOUCHED.surveys}`] : []), ...(signed ? [DELTA_DAYS] : []), 'select null::date as day'].join(' union all ')}) d`),
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

    async changes() {
      const out = new Map<string, Change>();
      if (!options.reportChanges) return out;
      const rows = await database.rows<{ external_id: string; inserted: boolean }>(sql.raw(`select external_id, inserted from ${CHANGED_IDS}`), tx);
      for (const r of rows) out.set(r.external_id, r.inserted ? 'inserted' : 'updated');
      return out;
    },
  };
}
