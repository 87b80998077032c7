import { createRoute } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { apiError } from '../errors';
import { createRouter, errorResponse, z } from './openapi';

const HealthSchema = z.object({ status: z.literal('ok'), db: z.enum(['pglite', 'postgres']) }).openapi('Health');

const health = createRoute({
  method: 'get',
  path: '/health',
  tags: ['System'],
  summary: 'Liveness and database reachability (no authentication)',
  responses: {
    200: {
      description: 'The process is up and the database answers.',
      content: { 'application/json': { schema: HealthSchema } },
    },
    503: errorResponse('The database does not answer.'),
  },
});

export const healthRoutes = createRouter().openapi(health, async (c) => {
  const { database } = c.get('deps');
  try {
    await database.rows(sql`select 1 as ok`);
  } catch (err) {
    console.error('health: database check failed:', err);
    throw apiError('database-unavailable', 'The database does not answer.');
  }
  return c.json({ status: 'ok' as const, db: database.kind }, 200);
});
