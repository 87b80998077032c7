// One live hub per app: wallboard snapshots by scope (a team, a manager's teams, or everyone),
// recomputed once per change notice and pushed to every subscribed client.
import type { AppDeps } from '../context';
import { todayIn } from '../metrics/periods';
import { tvSnapshot } from '../views/tv';
import { LiveHub } from './hub';

const hubs = new WeakMap<AppDeps, LiveHub<string>>();

/** The key of a scope: the team and channel asked for, and the teams a manager is limited to. */
export const scopeKey = (team: string | undefined, managerTeams: readonly string[] | undefined, channel?: string) =>
  JSON.stringify([team ?? null, managerTeams ? [...managerTeams].sort() : null, channel ?? null]);

export function liveHub(deps: AppDeps): LiveHub<string> {
  let hub = hubs.get(deps);
  if (!hub) {
    const { database, env } = deps;
    hub = new LiveHub<string>(
      database,
      (key) => {
        const [team, managerTeams, channel] = JSON.parse(key) as [string | null, string[] | null, string | null];
        return tvSnapshot(
          database,
          {
            team: team ?? undefined,
            channel: channel ?? undefined,
            today: todayIn(env.ORG_TIMEZONE),
            timeZone: env.ORG_TIMEZONE,
          },
          managerTeams ? { teams: managerTeams } : {},
        );
      },
      // A minute's refresh carries the day over at midnight and repairs a missed notice. PGlite
      // computes a snapshot in this thread, in the time events need too: at most ~2 a second there.
      {
        debounceMs: database.kind === 'pglite' ? 400 : 150,
        refreshMs: 60_000,
        onError: (err) => console.error('live: a wallboard snapshot could not be computed:', err),
      },
    );
    hubs.set(deps, hub);
  }
  return hub;
}

/** Stops the app's live hub (shutdown). */
export async function closeLiveHub(deps: AppDeps): Promise<void> {
  const hub = hubs.get(deps);
  hubs.delete(deps);
  await hub?.close();
}
