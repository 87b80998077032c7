// The organisation's teams, looked up where every module looks them up: by external id (the
// id the organisation's systems give them), as pickers and filters list them (with how many
// agents are active today), and as a manager's own teams. Managers see only their own teams.
import { inArray, sql } from 'drizzle-orm';
import type { Database, Db } from '../../db/client';
import { teams } from '../../db/schema';

/** A team as look-ups answer it: internal id, external id, name. */
export interface KnownTeam {
  pk: number;
  id: string;
  name: string;
}

/** Teams by external id; unknown ids are simply absent. `db` may be a transaction. */
export async function findTeams(db: Db, externalIds: readonly string[]): Promise<Map<string, KnownTeam>> {
  const wanted = [...new Set(externalIds)];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .select({ pk: teams.id, id: teams.externalId, name: teams.name })
    .from(teams)
    .where(inArray(teams.externalId, wanted));
  return new Map(rows.map((r) => [r.id, { pk: Number(r.pk), id: r.id, name: r.name }]));
}

/** One team by external id; null when there is none. */
export async function findTeam(db: Db, externalId: string): Promise<KnownTeam | null> {
  return (await findTeams(db, [externalId])).get(externalId) ?? null;
}

/** The internal id of a team by its external id; null when there is none. */
export async function teamPk(db: Db, externalId: string): Promise<number | null> {
  return (await findTeam(db, externalId))?.pk ?? null;
}

/** `where` limiting `t` to `only`'s external ids (none at all for an empty list); nothing without it. */
const onlyTeams = (only?: readonly string[]) =>
  only
    ? sql`where t.external_id in (${sql.join(only.length ? only.map((id) => sql`${id}`) : [sql`null`], sql`, `)})`
    : sql``;

export type TeamRow = { pk: number; id: string; name: string; kind: string };

/** Every team, or only `only`'s external ids (a manager's teams), by name. */
export async function teamsIn(database: Database, only?: readonly string[]): Promise<TeamRow[]> {
  return database.rows<TeamRow>(
    sql`select t.id::float8 as pk, t.external_id as id, t.name, t.kind from teams t ${onlyTeams(only)} order by lower(t.name), t.external_id`,
  );
}

export type TeamEntry = {
  id: string;
  name: string;
  kind: string;
  active_agents: number;
};

/** Every team (or only `only`'s external ids), by name, with how many agents are active `today`. */
export async function listTeams(database: Database, today: string, only?: readonly string[]): Promise<TeamEntry[]> {
  return database.rows<TeamEntry>(sql`
    select t.external_id as id, t.name, t.kind,
      (select count(*)::int from agents a
        where a.team_id = t.id and (a.hired_on is null or a.hired_on <= ${today}::date)
          and (a.left_on is null or a.left_on > ${today}::date)) as active_agents
    from teams t ${onlyTeams(only)}
    order by lower(t.name), t.external_id`);
}
