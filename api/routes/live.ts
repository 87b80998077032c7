// The wallboard's feed: GET /views/tv (one snapshot) and GET /live (Server-Sent Events: a
// snapshot on connect and after every change, from any process on the same database).
import { createRoute } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { teamScope } from '../auth/scope';
import { accessInForce } from '../auth/access';
import { ANY_ROLE, allow } from '../auth/middleware';
import { credentialsOf, type Principal } from '../auth/tokens';
import { badRequest } from '../errors';
import { todayIn } from '../metrics/periods';
import { liveHub, scopeKey } from '../live';
import type { LiveClient } from '../live/hub';
import { quoteScope } from '../quotes/service';
import { tvSnapshot } from '../views/tv';
import type { AppDeps } from '../context';
import { CHANNELS } from '../../db/schema';
import { bearer, createRouter, guardedErrors, z } from './openapi';

/** How often an idle stream sends a `ping` event, so proxies and the client see it is alive. */
export const HEARTBEAT_MS = 15_000;
/** The heartbeat in force (tests shorten it). */
export const liveTiming = { heartbeatMs: HEARTBEAT_MS };

const TeamQuery = z.object({
  team: z.string().min(1).max(200).optional().describe('A team’s external id: that team’s wallboard.'),
  channel: z
    .enum(CHANNELS, { error: `must be one of ${CHANNELS.join(', ')}` })
    .optional()
    .describe('One channel’s numbers (a phone floor’s TV: phone).'),
});

const snapshotSchema = z
  .object({
    generated_at: z.string(),
    data_as_of: z.string().nullable(),
    today: z.string(),
    time_zone: z
      .string()
      .describe(
        'The organisation’s IANA time zone (ORG_TIMEZONE): `today` is its date; the wallboard’s clock shows its time.',
      ),
    team: z.object({ id: z.string(), name: z.string() }).nullable(),
    channel: z.string().nullable(),
    statement: z.string().nullable(),
    today_pairs: z.object({ date: z.string(), yesterday: z.string(), values: z.record(z.string(), z.unknown()) }),
    week: z.object({ label: z.string(), from: z.string(), to: z.string(), pairs: z.array(z.unknown()) }),
    quotes: z.object({ featured: z.unknown(), recent: z.array(z.unknown()) }),
    shoutouts: z.array(
      z.object({ first_name: z.string(), team: z.string().nullable(), text: z.string(), date: z.string() }),
    ),
    queue: z
      .object({
        waiting: z
          .number()
          .int()
          .nullable()
          .describe('People waiting, summed over the queues in scope; null when none reports it.'),
        longest_wait_seconds: z.number().int().nullable().describe('The longest current wait of any queue in scope.'),
        agents_available: z.number().int().nullable(),
        agents_busy: z.number().int().nullable(),
        at: z.string().describe('The oldest contributing snapshot’s time: every number is at least this recent.'),
        latest_at: z.string(),
        queues: z.number().int(),
        stale_queues: z.number().int(),
        stale: z
          .boolean()
          .describe(
            'A contributing snapshot is older than `stale_after_seconds`: the queue stopped reporting (its last numbers are kept, never zeroed).',
          ),
        stale_after_seconds: z.number().int(),
        last_hour: z
          .array(z.number().nullable())
          .describe('Mean waiting per minute, the last 60 minutes, oldest first.'),
      })
      .nullable()
      .describe('The floor right now, from queue_status snapshots; null when no queue in scope ever reported.'),
  })
  .openapi('TvSnapshot');

const tvRoute = createRoute({
  method: 'get',
  path: '/views/tv',
  tags: ['Views'],
  summary:
    'The wallboard snapshot: today’s pairs vs target and yesterday, this week’s pairs with sparklines, quotes, shout-outs',
  description:
    'No customer ids, names or raw comments: quotes are redacted and consented, agents appear only by first name in shout-outs.',
  security: bearer,
  middleware: [allow(...ANY_ROLE)] as const,
  request: { query: TeamQuery },
  responses: {
    200: { description: 'The snapshot.', content: { 'application/json': { schema: snapshotSchema } } },
    ...guardedErrors,
  },
});

const liveRoute = createRoute({
  method: 'get',
  path: '/live',
  tags: ['Views'],
  summary: 'Live wallboard feed (Server-Sent Events)',
  description: `\`event: snapshot\` with a TvSnapshot as JSON on connect and within about a second of every change (an import, a curated quote, a goal), from any server process on the same database (PostgreSQL LISTEN/NOTIFY). A \`ping\` event every ${HEARTBEAT_MS / 1000} s shows the connection is alive. The stream ends, before anything more is sent, when its access ends: the session it was opened with is signed out, or its token is revoked (in any server process); \`retry\` tells the browser to reconnect after 3 s.`,
  security: bearer,
  middleware: [allow(...ANY_ROLE)] as const,
  request: { query: TeamQuery },
  responses: {
    200: { description: 'An event stream.', content: { 'text/event-stream': { schema: z.string() } } },
    ...guardedErrors,
  },
});

const badTeam = (message: string) =>
  badRequest(`Invalid query parameter 'team': ${message}`, {
    errors: [{ in: 'query', field: 'team', reason: message }],
  });

/** Checks the team against the principal and that it exists; answers the manager's limit. */
async function checkScope(
  deps: AppDeps,
  principal: Principal,
  team: string | undefined,
): Promise<string[] | undefined> {
  const managerTeams = teamScope(principal, team);
  if (!(await quoteScope(deps.database, team, managerTeams))) throw badTeam(`there is no team '${team}'.`);
  return managerTeams;
}

export const liveRoutes = createRouter()
  .openapi(tvRoute, async (c) => {
    const { team, channel } = c.req.valid('query');
    const deps = c.get('deps');
    const managerTeams = await checkScope(deps, c.get('principal')!, team);
    const tz = deps.env.ORG_TIMEZONE;
    return c.json(
      await tvSnapshot(
        deps.database,
        { team, channel, today: todayIn(tz), timeZone: tz },
        managerTeams ? { teams: managerTeams } : {},
      ),
      200,
    );
  })
  .openapi(liveRoute, async (c) => {
    const { team, channel } = c.req.valid('query');
    const deps = c.get('deps');
    const principal = c.get('principal')!;
    const managerTeams = await checkScope(deps, principal, team);
    const hub = liveHub(deps);
    c.header('cache-control', 'no-store');
    c.header('x-accel-buffering', 'no');
    return streamSSE(c, async (stream) => {
      // `open` turns false when the client leaves or its access ends; `wake` cuts the heartbeat's wait short.
      let open = true;
      let wake: (() => void) | null = null;
      const stop = () => {
        open = false;
        wake?.();
      };
      const live = () => open && !stream.aborted && !stream.closed;
      let unsubscribe: (() => void) | null = null;
      stream.onAbort(() => {
        stop();
        unsubscribe?.();
      });
      await stream.writeSSE({
        event: 'hello',
        data: JSON.stringify({ heartbeat_ms: liveTiming.heartbeatMs }),
        retry: 3000,
      });
      // Access ends the stream three ways: a sign-out or revocation notice from any process ends
      // it at once (hub.endAccess calls `end`); the database is asked before the first snapshot
      // (access that ended before the stream was subscribed) and at each heartbeat (a notice
      // missed while the database connection was down, an expired session).
      let checked = false;
      const client: LiveClient = {
        credentials: credentialsOf(principal),
        end: stop,
        async send(snapshot, version) {
          if (!live()) return false;
          if (!checked) {
            checked = true;
            if (!(await accessInForce(deps.database, principal))) stop();
            if (!live()) return false;
          }
          await stream.writeSSE({ event: 'snapshot', id: String(version), data: JSON.stringify(snapshot) });
          return true;
        },
      };
      unsubscribe = await hub.subscribe(scopeKey(team, managerTeams, channel), client);
      while (live()) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, liveTiming.heartbeatMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
        if (!live()) break;
        if (!(await accessInForce(deps.database, principal))) break;
        if (!live()) break;
        await stream.writeSSE({ event: 'ping', data: String(Date.now()) });
      }
      unsubscribe();
      if (!stream.closed) await stream.close();
    }) as never;
  });
