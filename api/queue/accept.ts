// Accepting queue snapshots (kind `queue_status`): every record is checked first and a batch with
// any bad record writes nothing (422 with every problem, like the ingest). Then, in one
// transaction, each queue's newest snapshot replaces the stored one only when it is newer, every
// snapshot is merged into its minute of history, and live views are told.
import { sql, type SQL } from 'drizzle-orm';
import type { Database, Db } from '../../db/client';
import { CHANNELS } from '../../db/schema';
import { findTeams } from '../directory/teams';
import { ApiError } from '../errors';
import type { Problem } from '../ingest/checks';
import { Invalid, parseTimestamp, show } from '../ingest/fields';
import { CHANGES_CHANNEL, type ChangeNotice } from '../ingest/notices';
import { QUEUE } from '../limits';

/** The four measures, by their field names. */
export const QUEUE_MEASURES = ['waiting', 'longest_wait_seconds', 'agents_available', 'agents_busy'] as const;
type Measure = (typeof QUEUE_MEASURES)[number];

/** One snapshot as checked: the team still an external id. */
export interface QueueSnapshot {
  row: number;
  at: number;
  team: string;
  /** '' for all the team's channels. */
  channel: string;
  values: Record<Measure, number | null>;
}

const MAX_INT = 2_147_483_647;
const CHANNEL_SET = new Set<string>(CHANNELS);

/** The value as the problem shows it (a string, or JSON for anything else). */
function shown(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value.length > 200 ? `${value.slice(0, 200)}…` : value;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** A count or a number of seconds: a whole number ≥ 0 (a JSON number or digits in a string); null when absent. */
function count(value: unknown): number | null | Invalid {
  if (value === undefined || value === null || value === '') return null;
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) n = Number(value);
  else return new Invalid(`must be a whole number ≥ 0, got ${typeof value === 'string' ? show(value) : shown(value)}`);
  if (!Number.isInteger(n) || n < 0) return new Invalid(`must be a whole number ≥ 0, got ${n}`);
  if (n > MAX_INT) return new Invalid(`must be at most ${MAX_INT.toLocaleString('en')}, got ${n}`);
  return n;
}

/** Checks one record; adds its problems and answers the snapshot when it has none (the team is looked up later). */
function check(
  record: unknown,
  row: number,
  timeZone: string,
  now: number,
  problems: Problem[],
  named: Array<{ row: number; team: string }>,
): QueueSnapshot | null {
  const add = (field: string | null, value: unknown, reason: string) =>
    problems.push({ row, field, value: shown(value), reason });
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    add(null, record, 'each record must be an object with field names as keys');
    return null;
  }
  const r = record as Record<string, unknown>;
  const before = problems.length;

  let at: number | null = null;
  if (typeof r.at !== 'string' || r.at.trim() === '')
    add(
      'at',
      r.at,
      r.at === undefined || r.at === null || r.at === '' ? 'is required' : 'must be an ISO 8601 timestamp (a string)',
    );
  else {
    const parsed = parseTimestamp(r.at, timeZone);
    if (parsed instanceof Invalid) add('at', r.at, parsed.reason);
    else if (parsed !== null && parsed > now + QUEUE.futureSkewSeconds * 1000)
      add('at', r.at, `is more than ${QUEUE.futureSkewSeconds / 60} minutes ahead of this server's clock`);
    else at = parsed;
  }

  let team = '';
  if (typeof r.team !== 'string' || r.team.trim() === '')
    add(
      'team',
      r.team,
      r.team === undefined || r.team === null || r.team === ''
        ? 'is required'
        : 'must be a team external id (a string)',
    );
  else {
    team = r.team.trim();
    named.push({ row, team });
  }

  let channel = '';
  if (r.channel !== undefined && r.channel !== null && r.channel !== '') {
    const c = typeof r.channel === 'string' ? r.channel.trim().toLowerCase() : null;
    if (c === null || !CHANNEL_SET.has(c))
      add('channel', r.channel, `must be one of ${CHANNELS.join(', ')} (or absent for all the team's channels)`);
    else channel = c;
  }

  const values = {} as Record<Measure, number | null>;
  for (const m of QUEUE_MEASURES) {
    const v = count(r[m]);
    if (v instanceof Invalid) add(m, r[m], v.reason);
    else values[m] = v;
  }
  return problems.length === before && at !== null ? { row, at, team, channel, values } : null;
}

/** The refusal of a batch with problems: nothing was written. */
function rejected(problems: Problem[]): ApiError {
  const first = problems[0]!;
  const where = `row ${first.row}${first.field ? `, ${first.field}` : ''}: ${first.reason}`;
  return new ApiError(
    422,
    'invalid-batch',
    `${problems.length} problem${problems.length === 1 ? '' : 's'} in the queue_status batch; nothing was written. First: ${where}.`,
    {
      kind: 'queue_status',
      total_problems: problems.length,
      problems: problems.slice(0, 1000),
      warnings: [],
    },
  );
}

const minuteOf = (ms: number) => ms - (((ms % 60_000) + 60_000) % 60_000);
const iso = (ms: number) => new Date(ms).toISOString();

/** Checks `records` (all-or-nothing), stores each queue's newest snapshot and the minute history, and tells live views. */
export async function acceptQueueStatus(
  database: Database,
  records: unknown[],
  options: { timeZone: string },
): Promise<{ accepted: number }> {
  if (records.length > QUEUE.maxRecords) {
    throw new ApiError(
      413,
      'limit-queue-records',
      `A queue_status batch may hold at most ${QUEUE.maxRecords.toLocaleString('en')} records; send it in parts. Nothing was written.`,
      { limit: 'queue-records' },
    );
  }
  const now = Date.now();
  const problems: Problem[] = [];
  const snapshots: QueueSnapshot[] = [];
  const named: Array<{ row: number; team: string }> = [];
  records.forEach((record, i) => {
    const s = check(record, i + 1, options.timeZone, now, problems, named);
    if (s) snapshots.push(s);
  });

  const teamIds = new Map<string, number>();
  const names = [...new Set(named.map((s) => s.team))];
  if (names.length > 0) {
    for (const t of (await findTeams(database.db, names)).values()) teamIds.set(t.id, t.pk);
  }
  for (const s of named)
    if (!teamIds.has(s.team))
      problems.push({ row: s.row, field: 'team', value: s.team, reason: `there is no team '${s.team}'` });
  if (problems.length > 0)
    throw rejected(problems.sort((a, b) => a.row - b.row || (a.field ?? '').localeCompare(b.field ?? '')));
  if (snapshots.length === 0) return { accepted: 0 };

  await database.db.transaction(async (tx) => {
    const fresh = await withoutRepeats(database, tx, snapshots, teamIds);
    if (fresh.length === 0) return;
    await storeLatest(database, tx, fresh, teamIds);
    await mergeMinutes(database, tx, fresh, teamIds);
    const notice: ChangeNotice = {
      kinds: ['queue_status'],
      inserted: fresh.length,
      updated: 0,
      from: null,
      to: null,
      teams: [...new Set(fresh.map((s) => s.team))].slice(0, 50),
    };
    await tx.execute(sql`select pg_notify(${CHANGES_CHANNEL}, ${JSON.stringify(notice)})`);
  });
  return { accepted: records.length };
}

const keyOf = (teamId: number, channel: string) => `${teamId}|${channel}`;

/**
 * Drops repeats, so that a platform sending a snapshot again (a retry) counts it once: the same
 * queue and `at` twice in the batch, or the `at` of the snapshot already stored as newest. The
 * stored rows are locked, so concurrent batches for the same queue take turns.
 */
async function withoutRepeats(
  database: Database,
  tx: Db,
  snapshots: QueueSnapshot[],
  teamIds: Map<string, number>,
): Promise<QueueSnapshot[]> {
  const seen = new Set<string>();
  const unique = snapshots.filter((s) => {
    const k = `${keyOf(teamIds.get(s.team)!, s.channel)}|${s.at}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const keys = [...new Set(unique.map((s) => keyOf(teamIds.get(s.team)!, s.channel)))].sort();
  const pairs = keys.map((k) => {
    const [team, channel] = k.split('|') as [string, string];
    return sql`(${Number(team)}::bigint, ${channel}::text)`;
  });
  const stored = await database.rows<{ team_id: number; channel: string; at_ms: number }>(
    sql`select team_id, channel, round(extract(epoch from at) * 1000)::float8 as at_ms from queue_status
        where (team_id, channel) in (${sql.join(pairs, sql`, `)}) order by team_id, channel for update`,
    tx,
  );
  const storedAt = new Map(stored.map((r) => [keyOf(Number(r.team_id), r.channel), Number(r.at_ms)]));
  return unique.filter((s) => storedAt.get(keyOf(teamIds.get(s.team)!, s.channel)) !== s.at);
}

/** Each queue's newest snapshot of the batch, stored unless the stored one is at least as new. */
async function storeLatest(
  database: Database,
  tx: Db,
  snapshots: QueueSnapshot[],
  teamIds: Map<string, number>,
): Promise<void> {
  const newest = new Map<string, QueueSnapshot>();
  for (const s of snapshots) {
    const k = keyOf(teamIds.get(s.team)!, s.channel);
    const had = newest.get(k);
    if (!had || s.at > had.at) newest.set(k, s);
  }
  const rows: SQL[] = [...newest.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, s]) => {
      const v = s.values;
      return sql`(${teamIds.get(s.team)!}::bigint, ${s.channel}, ${iso(s.at)}::timestamptz, now(), ${v.waiting}::int, ${v.longest_wait_seconds}::int, ${v.agents_available}::int, ${v.agents_busy}::int)`;
    });
  await database.rows(
    sql`insert into queue_status (team_id, channel, at, received_at, waiting, longest_wait_seconds, agents_available, agents_busy)
        values ${sql.join(rows, sql`, `)}
        on conflict (team_id, channel) do update set
          at = excluded.at, received_at = excluded.received_at, waiting = excluded.waiting,
          longest_wait_seconds = excluded.longest_wait_seconds, agents_available = excluded.agents_available, agents_busy = excluded.agents_busy
        where queue_status.at < excluded.at`,
    tx,
  );
}

interface MinuteCell {
  samples: number;
  n: Record<Measure, number>;
  sum: Record<Measure, number>;
  max: Record<Measure, number | null>;
}

/** Adds every snapshot to its minute × team × channel: samples, and per measure n, sum and maximum (nulls left out). */
async function mergeMinutes(
  database: Database,
  tx: Db,
  snapshots: QueueSnapshot[],
  teamIds: Map<string, number>,
): Promise<void> {
  const cells = new Map<string, MinuteCell>();
  for (const s of snapshots) {
    const k = `${minuteOf(s.at)}|${keyOf(teamIds.get(s.team)!, s.channel)}`;
    let c = cells.get(k);
    if (!c) {
      c = { samples: 0, n: {} as MinuteCell['n'], sum: {} as MinuteCell['sum'], max: {} as MinuteCell['max'] };
      for (const m of QUEUE_MEASURES) [c.n[m], c.sum[m], c.max[m]] = [0, 0, null];
      cells.set(k, c);
    }
    c.samples++;
    for (const m of QUEUE_MEASURES) {
      const v = s.values[m];
      if (v === null) continue;
      c.n[m]++;
      c.sum[m] += v;
      c.max[m] = Math.max(c.max[m] ?? v, v);
    }
  }
  const rows = [...cells.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, c]) => {
      const [minute, team, channel] = k.split('|') as [string, string, string];
      const measures = QUEUE_MEASURES.map((m) => sql`${c.n[m]}::int, ${c.sum[m]}::bigint, ${c.max[m]}::int`);
      return sql`(${iso(Number(minute))}::timestamptz, ${Number(team)}::bigint, ${channel}, ${c.samples}::int, ${sql.join(measures, sql`, `)})`;
    });
  const cols = QUEUE_MEASURES.map((m) => (m === 'longest_wait_seconds' ? 'longest_wait' : m));
  const columns = cols.flatMap((m) => [`${m}_n`, `${m}_sum`, `${m}_max`]);
  const updates = cols.flatMap((m) => [
    `${m}_n = rollup_queue_minute.${m}_n + excluded.${m}_n`,
    `${m}_sum = rollup_queue_minute.${m}_sum + excluded.${m}_sum`,
    `${m}_max = greatest(rollup_queue_minute.${m}_max, excluded.${m}_max)`,
  ]);
  // 16 parameters a row: chunks keep a statement under PostgreSQL's 65,535.
  for (let i = 0; i < rows.length; i += 2_000) {
    await database.rows(
      sql`insert into rollup_queue_minute (minute, team_id, channel, samples, ${sql.raw(columns.join(', '))})
          values ${sql.join(rows.slice(i, i + 2_000), sql`, `)}
          on conflict (minute, team_id, channel) do update set
            samples = rollup_queue_minute.samples + excluded.samples, ${sql.raw(updates.join(', '))}`,
      tx,
    );
  }
}
