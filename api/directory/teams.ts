// The organisation's teams as pickers and filters need them: external id, name, kind, and how
// many agents are active today. Managers see only their own teams.
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';

export type TeamEntry = {
  id: string;
  name: string;
  kind: string;
  active_agents: number;
};

/** Every team (or only `only`'s external ids), by name. */
export async function listTeams(database: Database, today: string, only?: readonly string[]): Promise<TeamEntry[]> {
  const filter = only
    ? sql`where t.external_id in (${sql.join(only.length ? only.map((id) => sql`${id}`) : [sql`null`], sql`, `)})`
    : sql``;
  return database.rows<TeamEntry>(sql`
    select t.external_id as id, t.name, t.kind,
      (select count(*)::int from agents a
        where a.team_id = t.id and (a.hired_on is null or a.hired_on <= ${today}::date)
          and (a.left_on is null or a.left_on > ${today}::date)) as active_agents
    from teams t ${filter}
    order by lower(t.name), t.external_id`);
}
