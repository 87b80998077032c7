// The team directory for pickers and filters (readers; a manager sees only its own teams).
import { createRoute } from '@hono/zod-openapi';
import { teamsOf } from '../auth/scope';
import { allow, READERS } from '../auth/middleware';
import { listTeams } from '../directory/teams';
import { todayIn } from '../metrics/periods';
import { bearer, createRouter, guardedErrors, z } from './openapi';

const TeamSchema = z
  .object({
    id: z.string().describe('The external id.'),
    name: z.string(),
    kind: z.string(),
    active_agents: z.number().int().describe('Agents hired and not left as of today.'),
  })
  .openapi('Team');

const list = createRoute({
  method: 'get',
  path: '/teams',
  tags: ['Directory'],
  summary: 'Teams, by name (a manager gets only its own teams)',
  security: bearer,
  middleware: [allow(...READERS)] as const,
  responses: {
    200: {
      description: 'The teams.',
      content: { 'application/json': { schema: z.object({ teams: z.array(TeamSchema) }) } },
    },
    ...guardedErrors,
  },
});

export const teamRoutes = createRouter().openapi(list, async (c) => {
  const principal = c.get('principal')!;
  const { database, env } = c.get('deps');
  const teams = await listTeams(database, todayIn(env.ORG_TIMEZONE), teamsOf(principal));
  return c.json({ teams }, 200);
});
