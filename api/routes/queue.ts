// GET /queue/history: the floor's queues over time, per minute (or per hour for long ranges), from
// the minute rollup of queue_status snapshots. Readers; a manager sees only its own teams.
import { createRoute } from '@hono/zod-openapi';
import { teamScope } from '../auth/scope';
import { allow, READERS } from '../auth/middleware';
import { invalidQuery } from '../errors';
import { Invalid, parseTimestamp } from '../ingest/fields';
import { queueHistory } from '../queue/history';
import { QUEUE } from '../limits';
import { quoteScope } from '../quotes/service';
import { CHANNELS } from '../../db/schema';
import { bearer, createRouter, guardedErrors, z } from './openapi';

const DAY_MS = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

const PointSchema = z
  .object({
    at: z.string().describe('The start of the minute or hour (ISO).'),
    samples: z.number().int(),
    queues: z.number().int().describe('Queues that reported in this minute or hour.'),
    waiting_avg: z
      .number()
      .nullable()
      .describe('Mean number waiting, each queue’s mean over its snapshots, summed over the queues.'),
    waiting_max: z.number().int().nullable().describe('The most waiting in any one queue at any one snapshot.'),
    longest_wait_max: z.number().int().nullable().describe('The longest wait any queue reported, in seconds.'),
    agents_available_avg: z.number().nullable(),
    agents_busy_avg: z.number().nullable(),
  })
  .openapi('QueuePoint');

const history = createRoute({
  method: 'get',
  path: '/queue/history',
  tags: ['Views'],
  summary: 'Queue history: waiting, longest wait and agents per minute or per hour',
  description: `From the queue_status snapshots platforms push. \`from\` and \`to\` are ISO timestamps or dates (a date \`to\` includes its whole day; without an offset read in ORG_TIMEZONE); default: the last two hours. By minute up to ${QUEUE.minuteGrainMaxHours} hours, by hour (of ORG_TIMEZONE) beyond, at most ${QUEUE.historyMaxDays} days. Minutes without a snapshot are absent, never zero.`,
  security: bearer,
  middleware: [allow(...READERS)] as const,
  request: {
    query: z.object({
      from: z.string().min(1).max(40).optional(),
      to: z.string().min(1).max(40).optional(),
      team: z.string().min(1).max(200).optional().describe('A team’s external id.'),
      channel: z.enum(CHANNELS, { error: `must be one of ${CHANNELS.join(', ')}` }).optional(),
      grain: z
        .enum(['minute', 'hour'], { error: 'must be minute or hour' })
        .optional()
        .describe(`Default: minute up to ${QUEUE.minuteGrainMaxHours} hours, else hour.`),
    }),
  },
  responses: {
    200: {
      description: 'The points, oldest first.',
      content: {
        'application/json': {
          schema: z.object({
            from: z.string(),
            to: z.string(),
            grain: z.enum(['minute', 'hour']),
            team: z.string().nullable(),
            channel: z.string().nullable(),
            points: z.array(PointSchema),
          }),
        },
      },
    },
    ...guardedErrors,
  },
});

/** A bound of the range: a timestamp, or a date (a `to` date ends with its day). */
function bound(field: 'from' | 'to', raw: string, timeZone: string): number {
  const parsed = parseTimestamp(raw, timeZone);
  if (parsed === null || parsed instanceof Invalid)
    throw invalidQuery(field, parsed instanceof Invalid ? parsed.reason : 'is empty');
  return field === 'to' && DATE_ONLY.test(raw.trim())
    ? (parseTimestamp(nextDay(raw.trim()), timeZone) as number)
    : parsed;
}

const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

export const queueRoutes = createRouter().openapi(history, async (c) => {
  const q = c.req.valid('query');
  const principal = c.get('principal')!;
  const { database, env } = c.get('deps');
  const tz = env.ORG_TIMEZONE;
  const managerTeams = teamScope(principal, q.team);
  const to = q.to !== undefined ? bound('to', q.to, tz) : Date.now();
  const from = q.from !== undefined ? bound('from', q.from, tz) : to - 2 * 3_600_000;
  if (from >= to) throw invalidQuery('from', 'must be before to');
  if (to - from > QUEUE.historyMaxDays * DAY_MS)
    throw invalidQuery('to', `the range may span at most ${QUEUE.historyMaxDays} days`);
  const minuteMax = QUEUE.minuteGrainMaxHours * 3_600_000;
  const grain = q.grain ?? (to - from <= minuteMax ? 'minute' : 'hour');
  if (grain === 'minute' && to - from > minuteMax)
    throw invalidQuery('grain', `minute spans at most ${QUEUE.minuteGrainMaxHours} hours; ask for grain=hour`);
  const scope = await quoteScope(database, q.team, managerTeams);
  if (!scope) throw invalidQuery('team', `there is no team '${q.team}'`);
  const points = await queueHistory(database, {
    from: new Date(from),
    to: new Date(to),
    grain,
    teamPks: scope.teamPks,
    channel: q.channel,
    timeZone: tz,
  });
  return c.json(
    {
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      grain,
      team: q.team ?? null,
      channel: q.channel ?? null,
      points,
    },
    200,
  );
});
