// The API under /api/v1: one router per resource, chained so that `AppType` carries every
// route's contract to the web's typed client, and the OpenAPI document made from the same schemas.
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { ExtractSchema, MergeSchemaPath } from 'hono/types';
import { allow, READERS } from '../auth/middleware';
import type { AppEnv } from '../context';
import { authRoutes } from './auth';
import { healthRoutes } from './health';
import { ingestRoutes } from './ingest';
import { mountEvents } from './events';
import { mountSourceUploads } from './source-files';
import { sourceRoutes } from './sources';
import { metricsRoutes } from './metrics';
import { renderDocs } from './docs';
import { createRouter } from './openapi';
import { teamRoutes } from './teams';
import { tokenRoutes } from './tokens';
import { quoteRoutes } from './quotes';
import { viewRoutes } from './views';
import { liveRoutes } from './live';
import { coachRoutes } from './coach';
import { settingsRoutes } from './settings';
import { goalRoutes } from './goals';
import { annotationRoutes } from './annotations';
import { adminLogRoutes } from './admin-log';
import { queueRoutes } from './queue';

export const OPENAPI_PATH = '/openapi.json';
export const DOCS_PATH = '/docs';

const OPENAPI_CONFIG = {
  openapi: '3.1.0',
  info: {
    title: 'Pairwise API',
    version: '1',
    description:
      'Operational metrics paired with the experience they produced. Errors are application/problem+json (RFC 9457).',
  },
  servers: [{ url: '/api/v1' }],
};

export function createApi() {
  const api = createRouter()
    .route('/', healthRoutes)
    .route('/', authRoutes)
    .route('/', tokenRoutes)
    .route('/', settingsRoutes)
    .route('/', goalRoutes)
    .route('/', annotationRoutes)
    .route('/', adminLogRoutes)
    .route('/', metricsRoutes)
    .route('/', teamRoutes)
    .route('/', viewRoutes)
    .route('/', liveRoutes)
    .route('/', coachRoutes)
    .route('/', quoteRoutes)
    .route('/', sourceRoutes)
    .route('/', queueRoutes)
    .route('/', ingestRoutes);

  mountEvents(api);
  mountSourceUploads(api);
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description:
      'An access token (`npm run token -- create …` or Admin › Access). The web app uses a session cookie made from one.',
  });
  api.use(OPENAPI_PATH, allow(...READERS));
  api.doc31(OPENAPI_PATH, OPENAPI_CONFIG);
  api.get(DOCS_PATH, allow(...READERS), (c) =>
    c.html(renderDocs(api.getOpenAPI31Document(OPENAPI_CONFIG) as unknown as Record<string, unknown>)),
  );
  return api;
}

/**
 * The API as a client reaches it: under /api/v1, where api/app.ts mounts it, so that
 * `hc<AppType>('/')` answers `client.api.v1.views.weekly` for GET /api/v1/views/weekly.
 */
export type AppType = OpenAPIHono<AppEnv, MergeSchemaPath<ExtractSchema<ReturnType<typeof createApi>>, '/api/v1'>>;
