// Annotations: events worth marking on every trend chart (a new phone menu, a product launch),
// organisation-wide (team null) or for one team.
import { and, asc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { annotations, teams } from '../../db/schema';
import { audit } from '../admin-log/store';
import { teamPk } from '../directory/teams';
import type { Principal } from '../auth/tokens';
import { invalidQuery, unprocessable } from '../errors';
import type { TeamRef } from '../goals/store';

export interface AnnotationView {
  id: number;
  on: string;
  title: string;
  note: string | null;
  team: TeamRef | null;
  created_at: string;
}

export interface AnnotationInput {
  on: string;
  title: string;
  note?: string | null;
  /** A team's external id; absent or null for the organisation. */
  team?: string | null;
}

export type AnnotationPatch = Partial<AnnotationInput>;

export interface AnnotationQuery {
  from?: string;
  to?: string;
  /** A team's external id: that team's annotations and the organisation-wide ones. */
  team?: string;
  /** A manager's teams (external ids): organisation-wide annotations and these teams' only. */
  scopeTeams?: string[];
}

type Row = typeof annotations.$inferSelect;
const selection = { annotation: annotations, team: { externalId: teams.externalId, name: teams.name } };

function toView({
  annotation: a,
  team,
}: {
  annotation: Row;
  team: { externalId: string; name: string } | null;
}): AnnotationView {
  return {
    id: a.id,
    on: a.on,
    title: a.title,
    note: a.note,
    team: a.teamId !== null && team ? { id: team.externalId, name: team.name } : null,
    created_at: a.createdAt.toISOString(),
  };
}

/** Annotations by date (then id), filtered. */
export async function listAnnotations(db: Db, q: AnnotationQuery): Promise<AnnotationView[]> {
  const where: SQL[] = [];
  if (q.from) where.push(sql`${annotations.on} >= ${q.from}`);
  if (q.to) where.push(sql`${annotations.on} <= ${q.to}`);
  if (q.team) {
    const id = await teamPk(db, q.team);
    if (id === null) {
      throw invalidQuery('team', `unknown team '${q.team}'`);
    }
    where.push(or(isNull(annotations.teamId), eq(annotations.teamId, id))!);
  }
  if (q.scopeTeams) {
    where.push(
      q.scopeTeams.length > 0
        ? or(isNull(annotations.teamId), inArray(teams.externalId, q.scopeTeams))!
        : isNull(annotations.teamId),
    );
  }
  const rows = await db
    .select(selection)
    .from(annotations)
    .leftJoin(teams, eq(teams.id, annotations.teamId))
    .where(and(...where))
    .orderBy(asc(annotations.on), asc(annotations.id));
  return rows.map(toView);
}

async function getAnnotation(db: Db, id: number): Promise<AnnotationView | null> {
  const [row] = await db
    .select(selection)
    .from(annotations)
    .leftJoin(teams, eq(teams.id, annotations.teamId))
    .where(eq(annotations.id, id));
  return row ? toView(row) : null;
}

/** The team's internal id for a body's `team` (undefined: unchanged, null: organisation-wide); 422 when unknown. */
async function resolveTeam(db: Db, team: string | null | undefined): Promise<number | null | undefined> {
  if (team === undefined || team === null) return team;
  const id = await teamPk(db, team);
  if (id === null)
    throw unprocessable('unknown-team', [
      { field: 'team', reason: `unknown team '${team}'; use a team's external id (import the team first)` },
    ]);
  return id;
}

const clean = (note: string | null | undefined) => (note === undefined ? undefined : note?.trim() || null);

export async function createAnnotation(
  db: Db,
  input: AnnotationInput,
  actor: Principal | null,
): Promise<AnnotationView> {
  const tid = (await resolveTeam(db, input.team)) ?? null;
  return db.transaction(async (txAny) => {
    const tx = txAny as unknown as Db;
    const [row] = await tx
      .insert(annotations)
      .values({ on: input.on, title: input.title.trim(), note: clean(input.note) ?? null, teamId: tid })
      .returning();
    if (!row) throw new Error('insert returned no row');
    await audit(tx, actor, 'annotation.create', `annotation ${row.id}`, {
      on: row.on,
      title: row.title,
      team: input.team ?? null,
    });
    return (await getAnnotation(tx, row.id))!;
  });
}

/** Answers null when there is no such annotation. */
export async function updateAnnotation(
  db: Db,
  id: number,
  patch: AnnotationPatch,
  actor: Principal | null,
): Promise<AnnotationView | null> {
  const tid = await resolveTeam(db, patch.team);
  return db.transaction(async (txAny) => {
    const tx = txAny as unknown as Db;
    const set: Partial<typeof annotations.$inferInsert> = {};
    if (patch.on !== undefined) set.on = patch.on;
    if (patch.title !== undefined) set.title = patch.title.trim();
    if (patch.note !== undefined) set.note = clean(patch.note);
    if (tid !== undefined) set.teamId = tid;
    const [row] =
      Object.keys(set).length > 0
        ? await tx.update(annotations).set(set).where(eq(annotations.id, id)).returning({ id: annotations.id })
        : await tx.select({ id: annotations.id }).from(annotations).where(eq(annotations.id, id));
    if (!row) return null;
    await audit(
      tx,
      actor,
      'annotation.update',
      `annotation ${id}`,
      Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
    );
    return getAnnotation(tx, id);
  });
}

/** Answers the removed annotation, or null when there is no such annotation. */
export async function deleteAnnotation(db: Db, id: number, actor: Principal | null): Promise<AnnotationView | null> {
  return db.transaction(async (txAny) => {
    const tx = txAny as unknown as Db;
    const view = await getAnnotation(tx, id);
    if (!view) return null;
    await tx.delete(annotations).where(eq(annotations.id, id));
    await audit(tx, actor, 'annotation.delete', `annotation ${id}`, {
      on: view.on,
      title: view.title,
      team: view.team?.id ?? null,
    });
    return view;
  });
}
