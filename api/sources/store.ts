// Saved sources: a name and its mapping, every change a new version kept beside the earlier ones
// (an edit never rewrites records already imported: the import history names the version used),
// every change in the audit log.
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { isUniqueViolation } from '../../db/errors';
import { sources, sourceVersions } from '../../db/schema';
import type { Principal } from '../auth/tokens';
import { audit } from '../admin-log/store';
import { ApiError, notFound } from '../errors';
import { MappingSchema, type Mapping } from './mapping';

export interface SourceSummary {
  id: number;
  name: string;
  version: number;
  kinds: string[];
  updated_at: string;
  updated_by: string;
}

export interface SourceDetail extends SourceSummary {
  mapping: Mapping;
  created_at: string;
  versions: Array<{ version: number; name: string; at: string; actor: string }>;
}

const nameTaken = (name: string) =>
  new ApiError(
    409,
    'source-name-taken',
    `A source named '${name}' exists already: choose another name, or change that source.`,
    { field: 'name' },
  );

export async function listSources(db: Db): Promise<SourceSummary[]> {
  const rows = await db
    .select({
      id: sources.id,
      name: sources.name,
      version: sources.version,
      mapping: sourceVersions.mapping,
      at: sourceVersions.at,
      actor: sourceVersions.actor,
    })
    .from(sources)
    .innerJoin(
      sourceVersions,
      and(eq(sourceVersions.sourceId, sources.id), eq(sourceVersions.version, sources.version)),
    )
    .orderBy(asc(sql`lower(${sources.name})`));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    version: r.version,
    kinds: (r.mapping as Mapping).outputs.map((o) => o.kind),
    updated_at: r.at.toISOString(),
    updated_by: r.actor,
  }));
}

/** A source at its current version, or at `version`. */
export async function getSource(db: Db, id: number, version?: number): Promise<SourceDetail> {
  const [head] = await db.select().from(sources).where(eq(sources.id, id));
  if (!head) throw notFound(`No source has id ${id}.`);
  const versions = await db
    .select()
    .from(sourceVersions)
    .where(eq(sourceVersions.sourceId, id))
    .orderBy(desc(sourceVersions.version));
  const shown = versions.find((v) => v.version === (version ?? head.version));
  if (!shown) throw notFound(`Source ${id} has no version ${version}: it has versions 1 to ${head.version}.`);
  const current = versions.find((v) => v.version === head.version)!;
  // A stored mapping was checked on the way in; parsing again fills defaults added since.
  const mapping = MappingSchema.parse(shown.mapping);
  return {
    id,
    name: head.name,
    version: shown.version,
    kinds: mapping.outputs.map((o) => o.kind),
    mapping,
    created_at: head.createdAt.toISOString(),
    updated_at: current.at.toISOString(),
    updated_by: current.actor,
    versions: versions.map((v) => ({ version: v.version, name: v.name, at: v.at.toISOString(), actor: v.actor })),
  };
}

export async function createSource(
  db: Db,
  input: { name: string; mapping: Mapping },
  actor: Principal,
): Promise<{ id: number; name: string; version: number }> {
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx.insert(sources).values({ name: input.name, version: 1 }).returning({ id: sources.id });
      await tx
        .insert(sourceVersions)
        .values({ sourceId: row!.id, version: 1, name: input.name, mapping: input.mapping, actor: actor.label });
      await audit(tx as unknown as Db, actor, 'source.create', input.name, {
        id: row!.id,
        version: 1,
        kinds: input.mapping.outputs.map((o) => o.kind),
      });
      return { id: row!.id, name: input.name, version: 1 };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken(input.name);
    throw err;
  }
}

/** A new version (the name may change with it); the earlier versions stay. */
export async function updateSource(
  db: Db,
  id: number,
  input: { name?: string; mapping: Mapping },
  actor: Principal,
): Promise<{ id: number; name: string; version: number }> {
  try {
    return await db.transaction(async (tx) => {
      const [head] = await tx.select().from(sources).where(eq(sources.id, id)).for('update');
      if (!head) throw notFound(`No source has id ${id}.`);
      const name = input.name ?? head.name;
      const version = head.version + 1;
      await tx
        .update(sources)
        .set({ name, version, updatedAt: sql`now()` })
        .where(eq(sources.id, id));
      await tx
        .insert(sourceVersions)
        .values({ sourceId: id, version, name, mapping: input.mapping, actor: actor.label });
      await audit(tx as unknown as Db, actor, 'source.update', name, {
        id,
        version,
        ...(name !== head.name ? { renamed_from: head.name } : {}),
      });
      return { id, name, version };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken(input.name ?? '');
    throw err;
  }
}

/** Removes a source and its versions; the records it imported stay (and the audit log says when). */
export async function deleteSource(db: Db, id: number, actor: Principal): Promise<void> {
  await db.transaction(async (tx) => {
    const [gone] = await tx
      .delete(sources)
      .where(eq(sources.id, id))
      .returning({ name: sources.name, version: sources.version });
    if (!gone) throw notFound(`No source has id ${id}.`);
    await audit(tx as unknown as Db, actor, 'source.delete', gone.name, { id, versions: gone.version });
  });
}
