// The admin area's history (admin): GET /audit, administrative actions newest first, paged by
// id; GET /imports, the latest import runs (API, CLI, demo: every attempt, whatever its outcome).
import { createRoute } from '@hono/zod-openapi';
import { listAudit, listImports } from '../admin-log/store';
import { allow } from '../auth/middleware';
import { bearer, createRouter, guardedErrors, z } from './openapi';

const whole = (lo: number, hi: number, fallback: number) =>
  z.coerce
    .number({ error: `must be a whole number from ${lo} to ${hi}` })
    .int(`must be a whole number from ${lo} to ${hi}`)
    .min(lo, `must be a whole number from ${lo} to ${hi}`)
    .max(hi, `must be a whole number from ${lo} to ${hi}`)
    .default(fallback);

const AuditEntrySchema = z
  .object({
    id: z.number().int(),
    at: z.string(),
    actor: z.string().describe('The label of the token that acted, or "system".'),
    action: z.string().describe('e.g. token.create, settings.update, goal.create, annotation.delete'),
    subject: z.string().nullable(),
    details: z.unknown(),
  })
  .openapi('AuditEntry');

const ImportRunSchema = z
  .object({
    id: z.number().int(),
    kind: z.string(),
    source: z.string().describe('api, cli, demo or test'),
    actor: z.string(),
    dry_run: z.boolean(),
    status: z
      .enum(['running', 'imported', 'rejected', 'failed', 'aborted'])
      .describe(
        'running (still under way, or its process stopped mid-import), imported, rejected (the batch had problems or was too large), failed (the server or database failed), aborted (the upload stopped or was cut off, or the import was interrupted); only imported wrote anything',
      ),
    counts: z
      .unknown()
      .describe(
        'Imported: rows, inserted, updated, unchanged. Rejected: problems, too_large (rows) or too_large_bytes. Failed: error (a code). Aborted: reason (and bytes received). Running: null.',
      ),
    started_at: z.string().describe('When the request (or command) started.'),
    finished_at: z.string().nullable().describe('When the import ended; null while running.'),
  })
  .openapi('ImportRun');

const admin = allow('admin');

const audit = createRoute({
  method: 'get',
  path: '/audit',
  tags: ['Admin'],
  summary: 'The audit log of administrative actions, newest first',
  security: bearer,
  middleware: [admin] as const,
  request: {
    query: z.object({
      limit: whole(1, 500, 100),
      before: z.coerce
        .number({ error: 'must be an audit entry id' })
        .int('must be an audit entry id')
        .positive('must be an audit entry id')
        .optional()
        .describe('Entries older than this id (next_before of the previous page).'),
    }),
  },
  responses: {
    200: {
      description: 'One page; next_before is null on the last.',
      content: {
        'application/json': {
          schema: z.object({ entries: z.array(AuditEntrySchema), next_before: z.number().int().nullable() }),
        },
      },
    },
    ...guardedErrors,
  },
});

const imports = createRoute({
  method: 'get',
  path: '/imports',
  tags: ['Admin'],
  summary: 'The latest imports, newest first: every attempt and its outcome (dry runs are not recorded)',
  security: bearer,
  middleware: [admin] as const,
  request: { query: z.object({ limit: whole(1, 200, 50) }) },
  responses: {
    200: {
      description: 'Import runs.',
      content: { 'application/json': { schema: z.object({ imports: z.array(ImportRunSchema) }) } },
    },
    ...guardedErrors,
  },
});

export const adminLogRoutes = createRouter()
  .openapi(audit, async (c) => {
    const { limit, before } = c.req.valid('query');
    return c.json(await listAudit(c.get('db'), limit, before), 200);
  })
  .openapi(imports, async (c) => c.json({ imports: await listImports(c.get('db'), c.req.valid('query').limit) }, 200));
