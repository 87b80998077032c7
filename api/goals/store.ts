// Goals: a target for one metric, organisation-wide (team null) or for one team, in force from
// valid_from to valid_to (inclusive; null = open-ended). For one metric and team, goals never
// overlap: a new goal that starts later ends the goal in force the day before; one that would
// overlap a goal starting on or after it is refused. The metric query (compare=target) reads
// this table directly (api/metrics/engine.ts goalFor: the team's goal over the organisation's).
import { and, asc, desc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { goals, teams } from '../../db/schema';
import { audit } from '../admin-log/store';
import { teamPk } from '../directory/teams';
import type { Principal } from '../auth/tokens';
import { invalidQuery, unprocessable, type FieldProblem } from '../errors';
import { metric as metricDef, METRICS, type MetricDefinition } from '../metrics/registry';

export interface TeamRef {
  /** The team's external id. */
  id: string;
  name: string;
}

export interface GoalView {
  id: number;
  metric: string;
  metric_label: string;
  unit: string;
  team: TeamRef | null;
  target: number;
  valid_from: string;
  valid_to: string | null;
  note: string | null;
  created_at: string;
}

export interface GoalInput {
  metric: string;
  /** A team's external id; absent or null for an organisation-wide goal. */
  team?: string | null;
  target: number;
  valid_from: string;
  valid_to?: string | null;
  note?: string | null;
}

export interface GoalPatch {
  target?: number;
  valid_from?: string;
  /** null makes the goal open-ended. */
  valid_to?: string | null;
  note?: string | null;
}

export interface GoalQuery {
  metric?: string;
  /** A team's external id: that team's goals and the organisation-wide ones. */
  team?: string;
  /** Only goals in force on this day. */
  activeOn?: string;
  /** Include goals that ended before `today` (ignored with `activeOn`). */
  includeEnded?: boolean;
  /** Today in the organisation's time zone. */
  today: string;
  /** A manager's teams (external ids): organisation-wide goals and these teams' only. */
  scopeTeams?: string[];
}

/** Metrics a goal may target. */
export const TARGETABLE_METRICS = METRICS.filter((d) => d.targetable).map((d) => d.key);

type Row = typeof goals.$inferSelect;
type Joined = { goal: Row; team: { externalId: string; name: string } | null };

const selection = { goal: goals, team: { externalId: teams.externalId, name: teams.name } };

function toView({ goal, team }: Joined): GoalView {
  const def = metricDef(goal.metric);
  return {
    id: goal.id,
    metric: goal.metric,
    metric_label: def?.label ?? goal.metric,
    unit: def?.unit ?? 'count',
    team: goal.teamId !== null && team ? { id: team.externalId, name: team.name } : null,
    target: goal.target,
    valid_from: goal.validFrom,
    valid_to: goal.validTo,
    note: goal.note,
    created_at: goal.createdAt.toISOString(),
  };
}

/** The day before a YYYY-MM-DD date. */
export function dayBefore(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

const NOT_TARGETABLE: Record<string, string> = {
  handle_avg: 'time on call is never a target on its own — pair it with CSAT and set a CSAT target instead',
  contacts:
    'contacts counts demand, which is never a target on its own — set a target for how contacts go instead (resolution_rate, csat or abandon_rate)',
};

/** Why `key` cannot be a goal's metric, or null when it can. */
export function metricProblem(key: string): string | null {
  const def = metricDef(key);
  if (!def) return `unknown metric '${key}'; goals can be set for ${TARGETABLE_METRICS.join(', ')}`;
  if (!def.targetable)
    return (
      NOT_TARGETABLE[key] ??
      `${key} is never a target on its own; goals can be set for ${TARGETABLE_METRICS.join(', ')}`
    );
  return null;
}

/** Why `target` is not a possible value of the metric, or null when it is. */
export function targetProblem(def: MetricDefinition, target: number): string | null {
  const [lo, hi] = def.range;
  if (Number.isFinite(target) && target >= lo && target <= hi) return null;
  const k = def.key;
  switch (def.unit) {
    case 'proportion':
      return `${k} is a proportion between 0 and 1 (0.8 = 80%); got ${target}`;
    case 'nps':
      return `${k} is a score between -100 and 100; got ${target}`;
    case 'score':
      return `${k} is a mean score between ${lo} and ${hi}; got ${target}`;
    case 'seconds':
      return `${k} is in seconds and cannot be negative; got ${target}`;
    case 'per_100':
      return `${k} is per 100 customers and cannot be negative; got ${target}`;
    case 'currency':
      return `${k} is an amount of money and cannot be negative; got ${target}`;
    default:
      return `${k} must be between ${lo} and ${hi}; got ${target}`;
  }
}

const unknownTeam = (team: string): FieldProblem => ({
  field: 'team',
  reason: `unknown team '${team}'; use a team's external id (import the team first)`,
});

const describe = (g: Row) => `goal ${g.id} (${g.metric} ${g.target}, ${g.validFrom} to ${g.validTo ?? 'open-ended'})`;

/** Goals, filtered; sorted by metric, organisation-wide first, then team, then start. */
export async function listGoals(db: Db, q: GoalQuery): Promise<GoalView[]> {
  const where: SQL[] = [];
  if (q.metric) where.push(eq(goals.metric, q.metric));
  if (q.team) {
    const id = await teamPk(db, q.team);
    if (id === null) {
      throw invalidQuery('team', `unknown team '${q.team}'`);
    }
    where.push(or(isNull(goals.teamId), eq(goals.teamId, id))!);
  }
  if (q.scopeTeams) {
    where.push(
      q.scopeTeams.length > 0
        ? or(isNull(goals.teamId), inArray(teams.externalId, q.scopeTeams))!
        : isNull(goals.teamId),
    );
  }
  if (q.activeOn) {
    where.push(
      sql`${goals.validFrom} <= ${q.activeOn}`,
      or(isNull(goals.validTo), sql`${goals.validTo} >= ${q.activeOn}`)!,
    );
  } else if (!q.includeEnded) {
    where.push(or(isNull(goals.validTo), sql`${goals.validTo} >= ${q.today}`)!);
  }
  const rows = await db
    .select(selection)
    .from(goals)
    .leftJoin(teams, eq(teams.id, goals.teamId))
    .where(and(...where))
    .orderBy(asc(goals.metric), sql`${teams.name} asc nulls first`, asc(goals.validFrom), asc(goals.id));
  return rows.map(toView);
}

export async function getGoal(db: Db, id: number): Promise<GoalView | null> {
  const [row] = await db
    .select(selection)
    .from(goals)
    .leftJoin(teams, eq(teams.id, goals.teamId))
    .where(eq(goals.id, id));
  return row ? toView(row) : null;
}

/** Goal writes one at a time, so that two concurrent writes cannot create an overlap. */
const lock = (tx: Db) => tx.execute(sql`select pg_advisory_xact_lock(7263010)`);

/** Goals of the same metric and team (null = organisation-wide) overlapping [from, to]. */
async function overlapping(
  tx: Db,
  metricKey: string,
  team: number | null,
  from: string,
  to: string | null,
  except?: number,
): Promise<Row[]> {
  return tx
    .select()
    .from(goals)
    .where(
      and(
        eq(goals.metric, metricKey),
        team === null ? isNull(goals.teamId) : eq(goals.teamId, team),
        or(isNull(goals.validTo), sql`${goals.validTo} >= ${from}`),
        to === null ? undefined : sql`${goals.validFrom} <= ${to}`,
        except === undefined ? undefined : sql`${goals.id} <> ${except}`,
      ),
    )
    .orderBy(desc(goals.validFrom));
}

export interface CreatedGoal extends GoalView {
  /** Goals in force before this one that it ended the day before it starts. */
  ended: Array<{ id: number; valid_to: string }>;
}

/** Creates a goal; ends an earlier goal of the same metric and team the day before it starts. */
export async function createGoal(db: Db, input: GoalInput, actor: Principal | null): Promise<CreatedGoal> {
  const problems: FieldProblem[] = [];
  const mp = metricProblem(input.metric);
  if (mp) problems.push({ field: 'metric', reason: mp });
  const def = metricDef(input.metric);
  if (!mp && def) {
    const tp = targetProblem(def, input.target);
    if (tp) problems.push({ field: 'target', reason: tp });
  }
  const validTo = input.valid_to ?? null;
  if (validTo !== null && validTo < input.valid_from)
    problems.push({ field: 'valid_to', reason: `valid_to (${validTo}) is before valid_from (${input.valid_from})` });
  const team = input.team ?? null;
  const tid = team === null ? null : await teamPk(db, team);
  if (team !== null && tid === null) problems.push(unknownTeam(team));
  if (problems.length > 0) throw unprocessable('invalid-goal', problems);

  return db.transaction(async (txAny) => {
    const tx = txAny as unknown as Db;
    await lock(tx);
    const clash = await overlapping(tx, input.metric, tid, input.valid_from, validTo);
    const later = clash.filter((g) => g.validFrom >= input.valid_from);
    if (later.length > 0) {
      const g = later[later.length - 1]!;
      const whose = team === null ? 'organisation-wide' : `team ${team}`;
      throw unprocessable(
        'goal-overlap',
        [
          {
            field: validTo === null ? 'valid_to' : 'valid_from',
            reason: `this ${whose} ${input.metric} goal would overlap ${describe(g)}; end this goal before ${g.validFrom}, or change or delete goal ${g.id}`,
          },
        ],
        { conflicting_goals: later.map((x) => x.id) },
      );
    }
    const ended: CreatedGoal['ended'] = [];
    const endOn = dayBefore(input.valid_from);
    for (const g of clash) {
      await tx.update(goals).set({ validTo: endOn }).where(eq(goals.id, g.id));
      await audit(tx, actor, 'goal.update', `goal ${g.id}`, {
        valid_to: endOn,
        previous_valid_to: g.validTo,
        reason: 'superseded by a new goal',
      });
      ended.push({ id: g.id, valid_to: endOn });
    }
    const [row] = await tx
      .insert(goals)
      .values({
        metric: input.metric,
        teamId: tid,
        target: input.target,
        validFrom: input.valid_from,
        validTo,
        note: input.note?.trim() || null,
      })
      .returning();
    if (!row) throw new Error('insert returned no row');
    await audit(tx, actor, 'goal.create', `goal ${row.id}`, {
      metric: row.metric,
      team,
      target: row.target,
      valid_from: row.validFrom,
      valid_to: row.validTo,
      note: row.note,
      ended,
    });
    const view = await getGoal(tx, row.id);
    return { ...view!, ended };
  });
}

/** Changes a goal's target, dates or note; answers null when there is no such goal. */
export async function updateGoal(
  db: Db,
  id: number,
  patch: GoalPatch,
  actor: Principal | null,
): Promise<GoalView | null> {
  return db.transaction(async (txAny) => {
    const tx = txAny as unknown as Db;
    await lock(tx);
    const [current] = await tx.select().from(goals).where(eq(goals.id, id));
    if (!current) return null;
    const next = {
      target: patch.target ?? current.target,
      validFrom: patch.valid_from ?? current.validFrom,
      validTo: patch.valid_to === undefined ? current.validTo : patch.valid_to,
      note: patch.note === undefined ? current.note : patch.note?.trim() || null,
    };
    const problems: FieldProblem[] = [];
    const def = metricDef(current.metric);
    if (def && patch.target !== undefined) {
      const tp = targetProblem(def, patch.target);
      if (tp) problems.push({ field: 'target', reason: tp });
    }
    if (next.validTo !== null && next.validTo < next.validFrom) {
      problems.push({
        field: patch.valid_to !== undefined ? 'valid_to' : 'valid_from',
        reason: `valid_to (${next.validTo}) is before valid_from (${next.validFrom})`,
      });
    }
    if (problems.length > 0) throw unprocessable('invalid-goal', problems);
    const clash = await overlapping(tx, current.metric, current.teamId, next.validFrom, next.validTo, id);
    if (clash.length > 0) {
      const g = clash[0]!;
      throw unprocessable(
        'goal-overlap',
        [
          {
            field: g.validFrom > next.validFrom ? 'valid_to' : 'valid_from',
            reason: `goal ${id} would then overlap ${describe(g)} for the same metric and team; change or end that goal first`,
          },
        ],
        { conflicting_goals: clash.map((x) => x.id) },
      );
    }
    await tx.update(goals).set(next).where(eq(goals.id, id));
    const changes = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    await audit(tx, actor, 'goal.update', `goal ${id}`, changes);
    return getGoal(tx, id);
  });
}

/** Removes a goal entered by mistake; answers it, or null when there is no such goal. */
export async function deleteGoal(db: Db, id: number, actor: Principal | null): Promise<GoalView | null> {
  return db.transaction(async (txAny) => {
    const tx = txAny as unknown as Db;
    const view = await getGoal(tx, id);
    if (!view) return null;
    await tx.delete(goals).where(eq(goals.id, id));
    await audit(tx, actor, 'goal.delete', `goal ${id}`, {
      metric: view.metric,
      team: view.team?.id ?? null,
      target: view.target,
      valid_from: view.valid_from,
      valid_to: view.valid_to,
    });
    return view;
  });
}
