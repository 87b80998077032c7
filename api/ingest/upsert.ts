// Writing a checked batch: staged rows are upserted by external_id a chunk at a time (while the
// next chunk is read). Interactions and surveys record, in the same statement, what each changed
// record contributed before and contributes now (api/rollups/delta.ts); the rollups take the
// difference at the end. Other kinds recompute what they touch (small tables, or whole days when
// an agent's team or a customer's segment changes). Runs inside the ingest's transaction: a later
// problem undoes all of it.
import { sql, type SQL } from 'drizzle-orm';
import type { Database, Db } from '../../db/client';
import { isUniqueViolation } from '../../db/errors';
import { inlineSql, type KeptStatements } from '../../db/kept';
import type { KeptTable } from '../../db/temp';
import { bumpDataVersion } from '../data-version';
import { INTERACTION_JOINS, interactionColumns, surveyColumns, surveyJoins } from '../rollups/definitions';
import { APPLY_DELTAS, applyDeltas, DELTA, DELTA_DAYS, deltaTables } from '../rollups/delta';
import { refreshTouched, TOUCHED, touchedTables, type Touched } from '../rollups/refresh';
import { CHANGES_CHANNEL, type ChangeNotice } from './notices';
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

export type Change = 'inserted' | 'updated';

/** Chunks from this size are first written as new records only (smaller ones gain too little). */
const PLAIN_INSERT_ROWS = 1_000;

export interface Upserter {
  /**
   * Upserts the rows of `source` (free of unknown references; `repeats` when an external_id
   * appears in it more than once; `rows` of them); answers what it inserted and updated. With
   * `kept`, a small batch's statement runs kept (db/kept.ts).
   */
  chunk(
    source: string,
    spellings: Array<Array<[string, number]>>,
    repeats: boolean,
    rows: number,
    kept?: KeptStatements,
  ): Promise<{ inserted: number; updated: number }>;
  /**
   * Brings the touched rollups up to date, moves the data version on and tells the live views what
   * changed (NOTIFY, sent at commit); answers the notice. With `kept`, in one round trip.
   */
  finish(inserted: number, updated: number, kept?: KeptStatements): Promise<ChangeNotice>;
  /** The external ids inserted or updated (with `reportChanges`; the first change of an id wins). */
  changes(): Promise<Map<string, Change>>;
}

/** Kept upsert statements' text by kind, time zone, source table and options. */
const keptUpserts = new Map<string, string>();

/** When this process last summarized the BRIN index of interactions (ms since the epoch). */
let brinSummarizedAt = 0;

/** The temporary tables an upsert of `kind` uses (kept by the connection; the caller creates them first). */
export function upsertTables(kind: Kind): KeptTable[] {
  const touchesDays = kind === 'agents' || kind === 'customers';
  const signed = kind === 'interactions' || kind === 'surveys';
  return [
    ...(touchesDays ? touchedTables() : []),
    ...(signed ? deltaTables() : []),
    ...(kind === 'agents'
      ? [
          { name: CHANGED_OLD, definition: '(id bigint not null)' },
          { name: CHANGED_TEAMS, definition: '(team_id bigint not null)' },
        ]
      : []),
    ...(kind === 'customers' ? [{ name: CHANGED_SEGMENTS, definition: '(id bigint not null)' }] : []),
  ];
}

/**
 * The statement closing a batch: it bumps the data version and notifies the live views (at
 * commit) of the span of days and the teams the batch changed; answers them. `$1`, `$2`: the
 * batch's inserted and updated counts.
 */
function announcement(kind: Kind, days: string, teamIds: string, counts: [string, string] = ['$1', '$2']): string {
  return `with s as (
      select (select min(day)::text from (${days}) d) as "from", (select max(day)::text from (${days}) d) as "to",
             array(select distinct tm.external_id from (${teamIds}) c join teams tm on tm.id = c.team_id order by 1 limit 50) as teams),
    bumped as (${inlineSql(bumpDataVersion)})
    select s."from", s."to", s.teams,
           pg_notify('${CHANGES_CHANNEL}', json_build_object('kinds', json_build_array('${kind}'), 'inserted', ${counts[0]}::int, 'updated', ${counts[1]}::int, 'from', s."from", 'to', s."to", 'teams', s.teams)::text)
    from s`;
}

export async function prepareUpsert(
  database: Database,
  tx: Db,
  kind: Kind,
  tz: string,
  lookups: Lookup[],
  options: { reportChanges?: boolean } = {},
): Promise<Upserter> {
  const spec = SPECS[kind];
  const table = spec.table;
  const joins = [
    ...spec.fields
      .filter((f) => f.ref)
      .map((f) => `left join ${SPECS[f.ref!].table} r_${f.name} on r_${f.name}.external_id = s.${f.name}`),
    ...(spec.lookups ?? []).map((l) => `left join ${l.table} l_${l.field} on l_${l.field}.key = lower(s.${l.field})`),
  ].join('\n        ');
  const cols = spec.columns.map(([c]) => c);
  // Only agents and customers recompute whole days.
  const touchesDays = kind === 'agents' || kind === 'customers';
  const signed = kind === 'interactions' || kind === 'surveys';

  // What the statement records beside the upsert. Every part of a WITH sees the tables as they
  // were before the statement: `old` and the −1 rows read the previous values.
  const contributions: SQL[] = [];
  if (kind === 'interactions') {
    contributions.push(
      sql`d_new as (insert into ${sql.raw(DELTA.interactions)} select 1, ${interactionColumns(tz)} from up i ${sql.raw(INTERACTION_JOINS)})`,
      sql`d_old as (insert into ${sql.raw(DELTA.interactions)} select -1, ${interactionColumns(tz)} from old i ${sql.raw(INTERACTION_JOINS)})`,
      // Surveys inherit from their interaction (team, channel, wait bucket…): they count again,
      // joined to the interaction as it was (`old`) and as it is now (`up`).
      sql`s_old as (insert into ${sql.raw(DELTA.surveys)} select -1, ${surveyColumns(tz)} from surveys s ${sql.raw(surveyJoins('old', 'join'))})`,
      sql`s_new as (insert into ${sql.raw(DELTA.surveys)} select 1, ${surveyColumns(tz)} from surveys s ${sql.raw(surveyJoins('(select * from up where not inserted)', 'join'))})`,
    );
  } else if (kind === 'surveys') {
    contributions.push(
      sql`d_new as (insert into ${sql.raw(DELTA.surveys)} select 1, ${surveyColumns(tz)} from up s ${sql.raw(surveyJoins())})`,
      sql`d_old as (insert into ${sql.raw(DELTA.surveys)} select -1, ${surveyColumns(tz)} from old s ${sql.raw(surveyJoins())})`,
      // An interaction that gains its first survey or loses its last counts as responded or not
      // (response rate). After the statement its surveys are those it had that the statement
      // did not change, and the changed ones (`up`) that name it. (Uncorrelated IN and NOT IN over
      // `up` are hashed once; a correlated EXISTS over it read all of it for each interaction.)
      sql`flips as (
        insert into ${sql.raw(DELTA.interactions)}
        select v.sign, x.day, x.team_id, x.agent_id, x.channel, x.journey_stage_id, x.contact_reason_id, x.segment_id,
               x.answered, x.wait_seconds, x.handle_seconds, x.resolved, v.responded, x.b
        from (
          select ${interactionColumns(tz)},
                 i.answered and (i.id in (select interaction_id from up where interaction_id is not null)
                                 or exists (select 1 from surveys s where s.interaction_id = i.id and s.id not in (select id from up))) as now
          from interactions i ${sql.raw(INTERACTION_JOINS)}
          where i.id in (select interaction_id from up union select interaction_id from old)
        ) x
        cross join lateral (values (-1, x.responded), (1, x.now)) v(sign, responded)
        where x.responded <> x.now)`,
    );
  } else if (kind === 'customers') {
    contributions.push(sql`kept_segments as (
      insert into ${sql.raw(CHANGED_SEGMENTS)} (id)
      select o.id from old o join up u on u.id = o.id where o.segment_id is distinct from u.segment_id)`);
  }
  if (kind === 'agents') {
    contributions.push(
      sql`kept_old as (insert into ${sql.raw(CHANGED_OLD)} (id) select id from old)`,
      sql`kept_teams as (insert into ${sql.raw(CHANGED_TEAMS)} (team_id) select team_id from up union select team_id from old)`,
    );
  }

  let allNew = true;
  const changed = new Map<string, Change>();
  return {
    async chunk(source, spellings, repeats, rows, kept) {
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
      type Counts = { inserted: number; updated: number; changes?: Array<[string, boolean]> | string };
      const statement = (conflicts: boolean) => sql`
          with up as (
            insert into ${sql.raw(table)} (external_id, ${sql.raw(cols.join(', '))})
            select ${sql.raw(values)}
            ${
              conflicts
                ? sql`on conflict (external_id) do update set ${sql.raw(cols.map((c) => `${c} = excluded.${c}`).join(', '))}, updated_at = now()
            where (${sql.raw(cols.map((c) => `${table}.${c}`).join(', '))}) is distinct from (${sql.raw(cols.map((c) => `excluded.${c}`).join(', '))})`
                : sql``
            }
            returning *, (xmax = 0) as inserted
          ),
          old as (select t.* from ${sql.raw(table)} t where t.id in (select id from up where not inserted))
          ${sql.join(
            contributions.map((c) => sql`, ${c}`),
            sql` `,
          )}
          select (count(*) filter (where inserted))::int as inserted, (count(*) filter (where not inserted))::int as updated
            ${options.reportChanges ? sql`, (select coalesce(json_agg(json_build_array(external_id, inserted)), '[]') from up) as changes` : sql``}
          from up`;
      const write = (conflicts: boolean, on: Db) => database.rows<Counts>(statement(conflicts), on);
      // A large chunk is first tried as new records only (a first import); the first that meets
      // a known id is undone and upserted, and so is every later chunk of the batch.
      let counts: Counts | undefined;
      if (kept) {
        // The same text every group of events: built once (drizzle's SQL rendering was 3% of the server's time).
        const key = [kind, tz, source, repeats, options.reportChanges === true].join('\u0000');
        let text = keptUpserts.get(key);
        if (text === undefined) {
          text = inlineSql(statement(true));
          if (keptUpserts.size >= 100) keptUpserts.clear();
          keptUpserts.set(key, text);
        }
        [counts] = await database.script<Counts>(tx, kept.run(text));
      } else if (allNew && rows >= PLAIN_INSERT_ROWS) {
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
      if (counts!.changes !== undefined) {
        // The first change of an id in the batch wins (a later chunk may repeat it).
        const list =
          typeof counts!.changes === 'string'
            ? (JSON.parse(counts!.changes) as Array<[string, boolean]>)
            : counts!.changes;
        for (const [id, inserted] of list) if (!changed.has(id)) changed.set(id, inserted ? 'inserted' : 'updated');
      }
      return { inserted: counts!.inserted, updated: counts!.updated };
    },

    async finish(inserted, updated, kept) {
      const notice: ChangeNotice = { kinds: [kind], inserted, updated, from: null, to: null, teams: [] };
      if (inserted + updated === 0) return notice;
      // What changed, for live views: the span of days and (for events) the teams.
      const days = [
        ...(touchesDays ? [`select day from ${TOUCHED.interactions}`, `select day from ${TOUCHED.surveys}`] : []),
        ...(signed ? [DELTA_DAYS] : []),
        'select null::date as day',
      ].join(' union all ');
      const teamIds = signed
        ? `select team_id from ${DELTA.interactions} union select team_id from ${DELTA.surveys}`
        : kind === 'agents'
          ? `select team_id from ${CHANGED_TEAMS}`
          : 'select null::bigint as team_id';
      type Summary = { from: string | null; to: string | null; teams: string[] };
      const told = (summary: Summary | undefined) => ({
        ...notice,
        from: summary?.from ?? null,
        to: summary?.to ?? null,
        teams: summary?.teams ?? [],
      });
      // The BRIN index on occurred_at (db/schema/records.ts) knows new pages only once they are
      // summarized: nothing does it on PGlite, and autovacuum does it late. Summarized here,
      // every later time range skips the rest. Small batches summarize at most once a second
      // (about 1 ms of each group of events otherwise): reads meanwhile scan a few more pages.
      const summarize = kind === 'interactions' && (!kept || Date.now() - brinSummarizedAt >= 1000);
      if (summarize) brinSummarizedAt = Date.now();
      const brin = summarize ? [`select brin_summarize_new_values('interactions_occurred_at_brin'::regclass)`] : [];
      if (kept && signed) {
        // A small batch: the summary, the eight rollups and the announcement in one round trip.
        const script = [
          ...brin,
          ...APPLY_DELTAS.map((text) => kept.run(text)),
          kept.run(announcement(kind, days, teamIds), {
            types: ['int', 'int'],
            values: [String(inserted), String(updated)],
          }),
        ];
        const [summary] = await database.script<Summary>(tx, script.join(';\n'));
        return told(summary);
      }

      const touch = (name: string, query: string) =>
        tx.execute(
          sql`insert into ${sql.raw(name)} (day) select distinct timezone(${tz}, at)::date from (${sql.raw(query)}) q where at is not null on conflict do nothing`,
        );
      const touched: Touched = {};
      if (brin.length > 0) {
        await tx.execute(sql.raw(brin[0]!));
      } else if (kind === 'agents') {
        // A survey with neither interaction nor team takes its agent's team.
        await touch(
          TOUCHED.surveys,
          `select responded_at as at from surveys where agent_id in (select id from ${CHANGED_OLD}) and interaction_id is null and team_id is null`,
        );
        Object.assign(touched, { agents: true, surveys: true });
      } else if (kind === 'customers') {
        touched.customers = true;
        // A customer's interactions and surveys count under its segment as it is now: their days
        // are recomputed when it changes. interactions.customer_id has no index (each costs every
        // imported row), so this reads the interactions once, and only when a segment changed.
        const [changed] = await database.rows<{ n: number }>(
          sql.raw(`select count(*)::int as n from ${CHANGED_SEGMENTS}`),
          tx,
        );
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
      if (signed) await applyDeltas(database, tx);
      await refreshTouched(tx, tz, touched);

      const [summary] = await database.rows<Summary>(
        sql.raw(announcement(kind, days, teamIds, [String(inserted), String(updated)])),
        tx,
      );
      return told(summary);
    },

    async changes() {
      return changed;
    },
  };
}
