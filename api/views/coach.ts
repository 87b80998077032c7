// Coaching views: teams with their paired metrics, a team's roster (by name, never by
// score) with n, intervals and suppression under the minimum n, the quadrant's medians, bright
// spots, survey-integrity notes; an agent's trends, praise, contact reasons and coaching log.
// Every number comes from the metrics engine (runMetrics); suppression from the same code.
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import type { Role } from '../auth/tokens';
import { teamsIn } from '../directory/teams';
import type { MetricValue, Scope } from '../metrics/engine';
import { addDays, isoWeek, periodsBetween, weekStart } from '../metrics/periods';
import { praiseForAgent, praiseReceived } from '../quotes/store';
import { praiseItem, type PraiseItem } from '../quotes/view';
import { listAnnotations } from '../annotations/store';
import { readSettings } from '../settings';
import { orEmpty, ViewQueries } from './queries';
import type { TrendPoint } from './weekly';

export const COACH_METRICS = ['contacts', 'handle_avg', 'csat', 'resolution_rate', 'response_rate'] as const;
const TEAM_METRICS = [...COACH_METRICS, 'wait_avg'];
const TREND_METRICS = ['handle_avg', 'csat', 'resolution_rate'];
const AGENT_TREND_METRICS = ['handle_avg', 'csat', 'resolution_rate', 'response_rate'];

/** The scope a request may not leave: a manager's teams, by external id. */
export class CoachScopeError extends Error {}
export class CoachNotFound extends Error {}

export interface CoachPeriod {
  from: string;
  to: string;
  weeks: string[];
}

/** The last `weeks` complete ISO weeks before `today`. */
export function lastCompleteWeeks(today: string, weeks: number): { from: string; to: string } {
  const to = addDays(weekStart(today), -1);
  return { from: addDays(weekStart(to), -7 * (weeks - 1)), to };
}

function periodOf(from: string, to: string): CoachPeriod {
  return { from, to, weeks: periodsBetween(from, to, 'week').map((p) => p.label) };
}

const point = (v: MetricValue | undefined): TrendPoint => {
  const x = orEmpty(v);
  return { value: x.value, n: x.n, low: x.low ?? null, high: x.high ?? null, target: null };
};

type AgentRow = {
  pk: number;
  id: string;
  name: string;
  team_pk: number;
  team_id: string;
  team_name: string;
  hired_on: string | null;
  left_on: string | null;
};

const firstName = (name: string) => name.trim().split(/\s+/u)[0] ?? name;

async function agentsWhere(database: Database, where: ReturnType<typeof sql>): Promise<AgentRow[]> {
  return database.rows<AgentRow>(sql`
    select a.id::float8 as pk, a.external_id as id, a.name, t.id::float8 as team_pk, t.external_id as team_id, t.name as team_name,
           a.hired_on::text as hired_on, a.left_on::text as left_on
    from agents a join teams t on t.id = a.team_id where ${where} order by lower(a.name), a.external_id`);
}

/** Agents who worked in the team at some point of the period (hired before its end, not left before its start). */
const workedIn = (from: string, to: string) =>
  sql`(a.hired_on is null or a.hired_on <= ${to}::date) and (a.left_on is null or a.left_on >= ${from}::date)`;

function checkTeam(teamId: string, scope: Scope) {
  if (scope.teams && !scope.teams.includes(teamId))
    throw new CoachScopeError(`Team '${teamId}' is not one of your teams.`);
}

// ---------------------------------------------------------------------------------------------
// /coach: the teams
// ---------------------------------------------------------------------------------------------

export async function coachTeams(database: Database, req: { from: string; to: string }, scope: Scope) {
  const { min_n } = await readSettings(database.db);
  const teams = await teamsIn(database, scope.teams);
  const q = new ViewQueries(database, scope);
  const ids = teams.map((t) => t.id);
  const [totals, trends, active] = await Promise.all([
    ids.length
      ? q.run({
          metrics: TEAM_METRICS,
          from: req.from,
          to: req.to,
          grain: 'total',
          by: 'team',
          filters: { team: ids },
          minN: min_n,
        })
      : null,
    ids.length
      ? q.run({ metrics: TREND_METRICS, from: req.from, to: req.to, grain: 'week', by: 'team', filters: { team: ids } })
      : null,
    database.rows<{ team_id: string; n: number }>(sql`
      select t.external_id as team_id, count(a.id)::int as n from teams t join agents a on a.team_id = t.id
      where (a.hired_on is null or a.hired_on <= ${req.to}::date) and (a.left_on is null or a.left_on > ${req.to}::date) group by t.external_id`),
  ]);
  const weeks = periodsBetween(req.from, req.to, 'week').map((p) => ({ label: p.label, from: p.start, to: p.end }));
  return {
    period: periodOf(req.from, req.to),
    min_n,
    teams: teams.map((t) => {
      const total = totals?.rows.find((r) => r.team === t.id);
      const rows = trends?.rows.filter((r) => r.team === t.id) ?? [];
      return {
        id: t.id,
        name: t.name,
        kind: t.kind,
        active_agents: active.find((a) => a.team_id === t.id)?.n ?? 0,
        values: Object.fromEntries(TEAM_METRICS.map((k) => [k, orEmpty(total?.values[k])])) as Record<
          string,
          MetricValue
        >,
        trend: {
          weeks,
          series: Object.fromEntries(
            TREND_METRICS.map((k) => [k, weeks.map((w) => point(rows.find((r) => r.period === w.label)?.values[k]))]),
          ),
        },
      };
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// /coach/team/{id}: the roster
// ---------------------------------------------------------------------------------------------

const median = (xs: number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

const meanSd = (xs: number[]) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, xs.length - 1));
  return { mean, sd };
};

/** How far outside the team's spread an agent must be, in standard deviations of the other agents. */
export const INTEGRITY_Z = 2;
/** The fewest agents with enough n for a spread to mean anything. */
export const INTEGRITY_MIN_AGENTS = 4;

export async function coachTeam(
  database: Database,
  req: { team: string; from: string; to: string; tz: string; role: Role },
  scope: Scope,
) {
  checkTeam(req.team, scope);
  const [team] = await teamsIn(database, [req.team]);
  if (!team) throw new CoachNotFound(`There is no team '${req.team}'.`);
  const { min_n } = await readSettings(database.db);
  const roster = await agentsWhere(database, sql`t.external_id = ${req.team} and ${workedIn(req.from, req.to)}`);
  const q = new ViewQueries(database, scope);
  const filters = { team: [req.team] };
  const [teamTotal, byAgent, praise] = await Promise.all([
    q.run({ metrics: [...COACH_METRICS], from: req.from, to: req.to, grain: 'total', filters, minN: min_n }),
    q.run({
      metrics: [...COACH_METRICS],
      from: req.from,
      to: req.to,
      grain: 'total',
      by: 'agent',
      filters,
      minN: min_n,
    }),
    praiseReceived(database, { from: req.from, to: req.to, tz: req.tz, teamPks: [team.pk] }, 50),
  ]);
  const teamValues = Object.fromEntries(COACH_METRICS.map((k) => [k, orEmpty(teamTotal.rows[0]?.values[k])])) as Record<
    string,
    MetricValue
  >;
  const teamCsat = teamValues.csat!;
  const rows = roster.map((a) => {
    const r = byAgent.rows.find((x) => x.agent === a.id);
    const values = Object.fromEntries(COACH_METRICS.map((k) => [k, orEmpty(r?.values[k])])) as Record<
      string,
      MetricValue
    >;
    const csat = values.csat!;
    const bright = !csat.suppressed && csat.low != null && teamCsat.high != null && csat.low > teamCsat.high;
    return {
      id: a.id,
      name: a.name,
      first_name: firstName(a.name),
      hired_on: a.hired_on,
      left_on: a.left_on,
      values,
      bright,
    };
  });
  const shown = (k: string) =>
    rows
      .map((r) => r.values[k]!)
      .filter((v) => !v.suppressed && v.value !== null)
      .map((v) => v.value!);

  // Survey integrity: response rate and top-score share both far above the team's spread.
  const integrity: Array<{
    agent: { id: string; name: string };
    response_rate: MetricValue;
    team_response_rate: number | null;
    top_share: MetricValue;
    team_top_share: number | null;
    note: string;
  }> = [];
  if (req.role === 'admin' || req.role === 'manager') {
    const eligible = rows.filter(
      (r) =>
        !r.values.response_rate!.suppressed &&
        !r.values.csat!.suppressed &&
        r.values.response_rate!.value !== null &&
        r.values.csat!.value !== null,
    );
    if (eligible.length >= INTEGRITY_MIN_AGENTS) {
      for (const r of eligible) {
        const others = eligible.filter((o) => o !== r);
        const rr = meanSd(others.map((o) => o.values.response_rate!.value!));
        const ts = meanSd(others.map((o) => o.values.csat!.value!));
        const zr = rr.sd > 0 ? (r.values.response_rate!.value! - rr.mean) / rr.sd : 0;
        const zt = ts.sd > 0 ? (r.values.csat!.value! - ts.mean) / ts.sd : 0;
        if (zr >= INTEGRITY_Z && zt >= INTEGRITY_Z) {
          const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`);
          integrity.push({
            agent: { id: r.id, name: r.name },
            response_rate: r.values.response_rate!,
            team_response_rate: teamValues.response_rate!.value,
            top_share: r.values.csat!,
            team_top_share: teamCsat.value,
            note: `${firstName(r.name)}’s contacts get surveys answered ${pct(r.values.response_rate!.value)} of the time (team ${pct(teamValues.response_rate!.value)}) with ${pct(r.values.csat!.value)} top scores (team ${pct(teamCsat.value)}): check how surveys are offered on these contacts.`,
          });
        }
      }
    }
  }

  return {
    period: periodOf(req.from, req.to),
    min_n,
    team: { id: team.id, name: team.name },
    team_values: teamValues,
    roster: rows,
    medians: { handle_avg: median(shown('handle_avg')), csat: median(shown('csat')) },
    bright_spots: {
      agents: rows.filter((r) => r.bright).map((r) => ({ id: r.id, name: r.name, csat: r.values.csat! })),
      praise: praise
        .filter((p) => p.credited_pk !== null && roster.some((a) => a.pk === p.credited_pk))
        .map(praiseItem),
    },
    /** Praise received that names none of the team's agents: about the team, or shared with it by a curator. */
    praise_received: praise
      .filter((p) => p.credited_pk === null || !roster.some((a) => a.pk === p.credited_pk))
      .map(praiseItem),
    integrity,
  };
}

// ---------------------------------------------------------------------------------------------
// /coach/agent/{id}
// ---------------------------------------------------------------------------------------------

/** The agent, checked against the scope (a manager's teams); CoachNotFound when there is none. */
export async function coachAgentRow(database: Database, agentId: string, scope: Scope): Promise<AgentRow> {
  const [agent] = await agentsWhere(database, sql`a.external_id = ${agentId}`);
  if (!agent) throw new CoachNotFound(`There is no agent '${agentId}'.`);
  if (scope.teams && !scope.teams.includes(agent.team_id))
    throw new CoachScopeError(`Agent '${agentId}' is not in one of your teams.`);
  return agent;
}

export async function coachAgent(
  database: Database,
  req: { agent: string; today: string; weeks: number; tz: string },
  scope: Scope,
) {
  const agent = await coachAgentRow(database, req.agent, scope);
  const { min_n } = await readSettings(database.db);
  const period = lastCompleteWeeks(req.today, 4);
  const trendRange = lastCompleteWeeks(req.today, req.weeks);
  const q = new ViewQueries(database, scope);
  const filters = { agent: [agent.id] };
  const [totals, trends, praise, reasons, marks] = await Promise.all([
    q.run({ metrics: [...COACH_METRICS], ...period, grain: 'total', filters, minN: min_n }),
    q.run({ metrics: AGENT_TREND_METRICS, ...trendRange, grain: 'week', filters }),
    praiseForAgent(database, { ...trendRange, tz: req.tz }, agent.pk, 20),
    database.rows<{ reason: string | null; contacts: number }>(sql`
      select cr.label as reason, count(*)::int as contacts
      from interactions i left join contact_reasons cr on cr.id = i.contact_reason_id
      where i.agent_id = ${agent.pk}
        and i.occurred_at >= (${period.from}::date::timestamp at time zone ${req.tz})
        and i.occurred_at < ((${period.to}::date + 1)::timestamp at time zone ${req.tz})
      group by cr.label order by contacts desc, cr.label nulls last limit 12`),
    listAnnotations(database.db, { ...trendRange, team: agent.team_id }),
  ]);
  const weeks = trends.rows.map((r) => ({ label: r.period, from: r.from, to: r.to }));
  return {
    agent: {
      id: agent.id,
      name: agent.name,
      first_name: firstName(agent.name),
      team: { id: agent.team_id, name: agent.team_name },
      hired_on: agent.hired_on,
      left_on: agent.left_on,
    },
    min_n,
    period,
    values: Object.fromEntries(COACH_METRICS.map((k) => [k, orEmpty(totals.rows[0]?.values[k])])) as Record<
      string,
      MetricValue
    >,
    trends: {
      weeks,
      series: Object.fromEntries(AGENT_TREND_METRICS.map((k) => [k, trends.rows.map((r) => point(r.values[k]))])),
    },
    praise: praise.map(praiseItem) as PraiseItem[],
    reasons: reasons.map((r) => ({ reason: r.reason, contacts: r.contacts })),
    /** Events marked on the trends: the organisation's and the agent's team's. */
    annotations: marks.map((a) => ({ on: a.on, title: a.title })),
  };
}

export { isoWeek };
