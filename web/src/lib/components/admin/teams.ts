// Teams for pickers: the directory (GET /api/v1/teams) merged with teams a page already knows.
import { ApiError, type Fetch, type Ref, type Team } from '$lib/api';
import { client, ok } from '$lib/client';

/** The team directory; an empty list when the server has no directory route. */
export async function loadTeams(fetchFn: Fetch): Promise<Team[]> {
  try {
    const res = await ok(client(fetchFn).api.v1.teams.$get());
    return res.teams;
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 403)) return [];
    throw e;
  }
}

/** Unique teams by id, sorted by name; later names do not replace earlier ones. */
export function mergeTeams(...lists: ReadonlyArray<ReadonlyArray<Ref | null | undefined>>): Ref[] {
  const byId = new Map<string, Ref>();
  for (const list of lists) for (const t of list) if (t && !byId.has(t.id)) byId.set(t.id, { id: t.id, name: t.name });
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** "Support (t1)" or the id alone. */
export function teamLabel(id: string, teams: readonly Ref[]): string {
  const t = teams.find((x) => x.id === id);
  return t && t.name !== id ? `${t.name} (${id})` : id;
}
