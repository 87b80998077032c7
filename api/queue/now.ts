// The floor right now, for the wallboard: the newest snapshot of every queue in scope added up.
// A queue that stopped reporting keeps its last numbers but makes the whole part stale (it is
// never counted as zero); no snapshot at all gives no part.
//
// A team may report all its channels together (channel '') or one by one. Without a channel
// filter a team counts by its all-channel snapshot when it has one (its channel snapshots are
// parts of it, adding both would count twice), else by the sum of its channel snapshots. With a
// channel filter only that channel's snapshots count.
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { queueHistory } from './history';
import { QUEUE } from '../limits';

export interface QueueNow {
  /** People waiting, summed over the queues in scope; null when none reports it. */
  waiting: number | null;
  /** The longest current wait of any queue in scope, in seconds; null when none reports it. */
  longest_wait_seconds: number | null;
  agents_available: number | null;
  agents_busy: number | null;
  /** The oldest contributing snapshot's time (ISO): every number is at least this recent. */
  at: string;
  /** The newest contributing snapshot's time (ISO). */
  latest_at: string;
  /** Queues added up, and how many of them are stale. */
  queues: number;
  stale_queues: number;
  /** True when any contributing snapshot is older than `stale_after_seconds`. */
  stale: boolean;
  stale_after_seconds: number;
  /** Mean waiting per minute over the last `QUEUE.tvHistoryMinutes` minutes, oldest first (null: no report that minute). */
  last_hour: Array<number | null>;
}

interface Row extends Record<string, unknown> {
  team_id: number;
  channel: string;
  at_ms: number;
  waiting: number | null;
  longest_wait_seconds: number | null;
  agents_available: number | null;
  agents_busy: number | null;
}

/** The rows of queues in scope, by the rule above (./history.ts applies it in SQL). */
export function chosenQueues<T extends { team_id: number; channel: string }>(
  rows: T[],
  channel: string | undefined,
): T[] {
  if (channel) return rows.filter((r) => r.channel === channel);
  const whole = new Set(rows.filter((r) => r.channel === '').map((r) => Number(r.team_id)));
  return rows.filter((r) => r.channel === '' || !whole.has(Number(r.team_id)));
}

const sumOf = (values: Array<number | null>) =>
  values.some((v) => v !== null) ? values.reduce<number>((a, v) => a + (v ?? 0), 0) : null;
const maxOf = (values: Array<number | null>) =>
  values.some((v) => v !== null) ? Math.max(...values.filter((v): v is number => v !== null)) : null;

/**
 * The queue part of a wallboard: `teamPks` null for every team. `now` (epoch ms) is injectable
 * so that staleness can be tested.
 */
export async function queueNow(
  database: Database,
  scope: { teamPks: number[] | null; channel?: string },
  now: number = Date.now(),
): Promise<QueueNow | null> {
  if (scope.teamPks && scope.teamPks.length === 0) return null;
  const teamFilter = scope.teamPks
    ? sql`and team_id in (${sql.join(
        scope.teamPks.map((id) => sql`${id}::bigint`),
        sql`, `,
      )})`
    : sql``;
  const channelFilter = scope.channel ? sql`and channel = ${scope.channel}` : sql``;
  const rows = chosenQueues(
    await database.rows<Row>(sql`
      select team_id, channel, round(extract(epoch from at) * 1000)::float8 as at_ms, waiting, longest_wait_seconds, agents_available, agents_busy
      from queue_status where true ${teamFilter} ${channelFilter}`),
    scope.channel,
  );
  if (rows.length === 0) return null;
  const times = rows.map((r) => Number(r.at_ms));
  const staleBefore = now - QUEUE.staleSeconds * 1000;
  const staleQueues = times.filter((t) => t < staleBefore).length;
  return {
    waiting: sumOf(rows.map((r) => r.waiting)),
    longest_wait_seconds: maxOf(rows.map((r) => r.longest_wait_seconds)),
    agents_available: sumOf(rows.map((r) => r.agents_available)),
    agents_busy: sumOf(rows.map((r) => r.agents_busy)),
    at: new Date(Math.min(...times)).toISOString(),
    latest_at: new Date(Math.max(...times)).toISOString(),
    queues: rows.length,
    stale_queues: staleQueues,
    stale: staleQueues > 0,
    stale_after_seconds: QUEUE.staleSeconds,
    last_hour: await lastHour(database, scope, now),
  };
}

/** The wallboard's compact line: mean waiting of each of the last minutes (the current one last). */
async function lastHour(
  database: Database,
  scope: { teamPks: number[] | null; channel?: string },
  now: number,
): Promise<Array<number | null>> {
  const minutes = QUEUE.tvHistoryMinutes;
  const end = now - (now % 60_000) + 60_000;
  const from = end - minutes * 60_000;
  const points = await queueHistory(database, {
    from: new Date(from),
    to: new Date(end),
    grain: 'minute',
    teamPks: scope.teamPks,
    channel: scope.channel,
    timeZone: 'UTC',
  });
  const byMinute = new Map(points.map((p) => [Date.parse(p.at), p.waiting_avg]));
  return Array.from({ length: minutes }, (_, i) => byMinute.get(from + i * 60_000) ?? null);
}
