// The floor right now: what a contact-centre platform reports every few seconds about each queue
// (api/queue). Only the newest snapshot per team × channel is kept, and a per-minute rollup for
// history: raw snapshots would be millions a day and nothing reads them one by one.
// channel '' is a snapshot of all the team's channels together (the platform gave none).
import { sql } from 'drizzle-orm';
import { bigint, check, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { oneOf, ref } from './columns';
import { CHANNELS, teams } from './records';

/** Channels a queue snapshot may name; '' is the whole team. */
export const QUEUE_CHANNELS = ['', ...CHANNELS] as const;

const at = (name: string) => timestamp(name, { withTimezone: true }).notNull();
const nonNegative = (name: string) => sql.raw(`${name} is null or ${name} >= 0`);

/** The newest snapshot of each queue; an older one arriving late never replaces it. */
export const queueStatus = pgTable(
  'queue_status',
  {
    teamId: ref('team_id')
      .notNull()
      .references(() => teams.id),
    channel: text('channel').notNull(),
    /** When the platform took the snapshot. */
    at: at('at'),
    /** When Pairwise accepted it. */
    receivedAt: at('received_at'),
    waiting: integer('waiting'),
    longestWaitSeconds: integer('longest_wait_seconds'),
    agentsAvailable: integer('agents_available'),
    agentsBusy: integer('agents_busy'),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.channel] }),
    check('queue_status_channel_check', oneOf('channel', QUEUE_CHANNELS)),
    check('queue_status_waiting_check', nonNegative('waiting')),
    check('queue_status_longest_wait_check', nonNegative('longest_wait_seconds')),
    check('queue_status_agents_available_check', nonNegative('agents_available')),
    check('queue_status_agents_busy_check', nonNegative('agents_busy')),
  ],
);

const n = (name: string) => integer(name).notNull().default(0);
const sum = (name: string) => bigint(name, { mode: 'number' }).notNull().default(0);
/** Null while no sample of the minute reported the field (a missing value is not a zero). */
const max = (name: string) => integer(name);

/**
 * Snapshots by minute (UTC, truncated) × team × channel. Each field keeps its own n: a platform
 * that does not report a field leaves it out of that field's mean and maximum.
 */
export const rollupQueueMinute = pgTable(
  'rollup_queue_minute',
  {
    minute: at('minute'),
    teamId: bigint('team_id', { mode: 'number' }).notNull(),
    channel: text('channel').notNull(),
    samples: n('samples'),
    waitingN: n('waiting_n'),
    waitingSum: sum('waiting_sum'),
    waitingMax: max('waiting_max'),
    longestWaitN: n('longest_wait_n'),
    longestWaitSum: sum('longest_wait_sum'),
    longestWaitMax: max('longest_wait_max'),
    agentsAvailableN: n('agents_available_n'),
    agentsAvailableSum: sum('agents_available_sum'),
    agentsAvailableMax: max('agents_available_max'),
    agentsBusyN: n('agents_busy_n'),
    agentsBusySum: sum('agents_busy_sum'),
    agentsBusyMax: max('agents_busy_max'),
  },
  (t) => [primaryKey({ columns: [t.minute, t.teamId, t.channel] })],
);
