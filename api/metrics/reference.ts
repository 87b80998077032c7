// Reference data every metrics request needs — teams, agents, journey stages, contact reasons,
// customer segments and the small day rollups of customers, agents and referrals (also by
// segment) — read once and kept per process until the data changes: one tiny read of the data
// version (api/data-version.ts) tells whether the copy is current.
import type { Database } from '../../db/client';
import { agents, contactReasons, customerSegments, journeyStages, teams } from '../../db/schema';
import { dataVersion } from '../data-version';
import { readOrgRollups, readSegmentRollups } from './sources';

export interface Reference {
  version: string;
  teams: Array<{ id: number; externalId: string }>;
  agents: Array<{ id: number; externalId: string; teamId: number }>;
  stages: Array<{ id: number; key: string; label: string }>;
  reasons: Array<{ id: number; key: string; label: string }>;
  segments: Array<{ id: number; key: string; label: string }>;
  org: Awaited<ReturnType<typeof readOrgRollups>>;
  /** Customer and referral day rollups by segment (segment_id 0: none). */
  bySegment: Awaited<ReturnType<typeof readSegmentRollups>>;
}

const cache = new WeakMap<Database, Reference>();

/** The reference data as of now: the cached copy when no ingest committed since it was read. */
export async function reference(database: Database): Promise<Reference> {
  const version = await dataVersion(database);
  const cached = cache.get(database);
  if (cached && cached.version === version) return cached;
  const db = database.db;
  const [teamRows, agentRows, stageRows, reasonRows, org, segmentRows, bySegment] = await Promise.all([
    db.select({ id: teams.id, externalId: teams.externalId }).from(teams),
    db.select({ id: agents.id, externalId: agents.externalId, teamId: agents.teamId }).from(agents),
    db.select({ id: journeyStages.id, key: journeyStages.key, label: journeyStages.label }).from(journeyStages),
    db.select({ id: contactReasons.id, key: contactReasons.key, label: contactReasons.label }).from(contactReasons),
    readOrgRollups(database),
    db
      .select({ id: customerSegments.id, key: customerSegments.key, label: customerSegments.label })
      .from(customerSegments),
    readSegmentRollups(database),
  ]);
  const fresh: Reference = {
    version,
    teams: teamRows,
    agents: agentRows,
    stages: stageRows,
    reasons: reasonRows,
    segments: segmentRows,
    org,
    bySegment,
  };
  cache.set(database, fresh);
  return fresh;
}
