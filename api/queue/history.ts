// Queue history from the minute rollup, by minute or by hour (hours of the organisation's time
// zone). Each queue's mean is over the samples that reported the field; the scope's values add
// the queues' means up (the expected number waiting over all of them) and take the largest of
// their maxima. Which queues count follows the rule of the live part (./now.ts).
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';

export interface QueuePoint {
  /** The minute or hour this point covers, its start (ISO). */
  at: string;
  /** Snapshots received over the queues in scope. */
  samples: number;
  /** Queues that reported in this period. */
  queues: number;
  /** Mean number waiting, summed over the queues; null when none reported it. */
  waiting_avg: number | null;
  /** The most waiting in any one queue at any one snapshot. */
  waiting_max: number | null;
  /** The longest wait any queue reported, in seconds. */
  longest_wait_max: number | null;
  agents_available_avg: number | null;
  agents_busy_avg: number | null;
}

export interface QueueHistoryRequest {
  from: Date;
  /** Exclusive. */
  to: Date;
  grain: 'minute' | 'hour';
  /** Internal team ids; null for every team. */
  teamPks: number[] | null;
  channel?: string;
  timeZone: string;
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export async function queueHistory(database: Database, req: QueueHistoryRequest): Promise<QueuePoint[]> {
  if (req.teamPks && req.teamPks.length === 0) return [];
  const bucket =
    req.grain === 'minute'
      ? sql`minute`
      : sql`(date_trunc('hour', minute at time zone ${req.timeZone}) at time zone ${req.timeZone})`;
  const teamFilter = req.teamPks
    ? sql`and team_id in (${sql.join(
        req.teamPks.map((id) => sql`${id}::bigint`),
        sql`, `,
      )})`
    : sql``;
  const chosen = req.channel ? sql`channel = ${req.channel}` : sql`(channel = '' or not has_whole)`;
  const rows = await database.rows<Record<string, unknown>>(sql`
    with per_queue as (
      select ${bucket} as b, team_id, channel, sum(samples) as samples,
             sum(waiting_sum)::float8 / nullif(sum(waiting_n), 0) as waiting_avg, max(waiting_max) as waiting_max,
             max(longest_wait_max) as longest_wait_max,
             sum(agents_available_sum)::float8 / nullif(sum(agents_available_n), 0) as agents_available_avg,
             sum(agents_busy_sum)::float8 / nullif(sum(agents_busy_n), 0) as agents_busy_avg
      from rollup_queue_minute
      where minute >= ${req.from.toISOString()}::timestamptz and minute < ${req.to.toISOString()}::timestamptz ${teamFilter}
      group by 1, team_id, channel
    ), marked as (
      select *, bool_or(channel = '') over (partition by b, team_id) as has_whole from per_queue
    )
    select round(extract(epoch from b) * 1000)::float8 as at_ms, sum(samples)::int as samples, count(*)::int as queues,
           sum(waiting_avg) as waiting_avg, max(waiting_max) as waiting_max, max(longest_wait_max) as longest_wait_max,
           sum(agents_available_avg) as agents_available_avg, sum(agents_busy_avg) as agents_busy_avg
    from marked where ${chosen}
    group by b order by b`);
  return rows.map((r) => ({
    at: new Date(Number(r.at_ms)).toISOString(),
    samples: Number(r.samples),
    queues: Number(r.queues),
    waiting_avg: num(r.waiting_avg),
    waiting_max: num(r.waiting_max),
    longest_wait_max: num(r.longest_wait_max),
    agents_available_avg: num(r.agents_available_avg),
    agents_busy_avg: num(r.agents_busy_avg),
  }));
}
