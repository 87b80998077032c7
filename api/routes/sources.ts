// Sources (admin): an organisation's own export shapes, mapped once and saved: list, save, show,
// change (a new version), delete, export, presets. The routes whose body is a file (infer,
// preview, ingest) are in ./source-files.ts.
import { createRoute } from '@hono/zod-openapi';
import { allow } from '../auth/middleware';
import { MappingSchema, type Mapping } from '../sources/mapping';
import { PRESETS } from '../sources/presets';
import { createSource, deleteSource, getSource, listSources, updateSource } from '../sources/store';
import { KINDS } from '../ingest/kinds';
import { idParam } from './goals';
import { bearer, createRouter, errorResponse, guardedErrors, z } from './openapi';

const SourceCounts = z.object({ inserted: z.number().int(), updated: z.number().int(), unchanged: z.number().int() });
export const ResultsSchema = z.record(z.enum(KINDS), SourceCounts).openapi('SourceResults');
export const SourceProblemSchema = z
  .object({
    row: z.number().int(),
    kind: z.enum(KINDS).nullable(),
    field: z.string().nullable(),
    column: z.string().nullable(),
    value: z.string().nullable(),
    reason: z.string(),
  })
  .openapi('SourceProblem');
export const PreviewRowSchema = z
  .object({
    row: z.number().int(),
    cells: z.array(z.string()),
    records: z.record(z.string(), z.record(z.string(), z.string().nullable()).nullable()),
    problems: z.array(
      z.object({ field: z.string(), column: z.string().nullable(), value: z.string().nullable(), reason: z.string() }),
    ),
  })
  .openapi('SourcePreviewRow');
export const MappingDoc = z.record(z.string(), z.unknown()).openapi('SourceMapping', {
  description:
    'A mapping: `{ version: 1, format, time_zone?, outputs: [{ kind, fields: { field: { column | columns | template | constant, transform?, lookup? } }, only_when_any? }] }` (README › Sources).',
});

const SourceSummarySchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    version: z.number().int(),
    kinds: z.array(z.string()),
    updated_at: z.string(),
    updated_by: z.string(),
  })
  .openapi('SourceSummary');
const SourceDetailSchema = SourceSummarySchema.extend({
  mapping: MappingDoc,
  created_at: z.string(),
  versions: z.array(z.object({ version: z.number().int(), name: z.string(), at: z.string(), actor: z.string() })),
}).openapi('Source');
export const SavedSchema = z
  .object({ id: z.number().int(), name: z.string(), version: z.number().int() })
  .openapi('SourceSaved');

const name = z
  .string({ error: 'is required (1–120 characters)' })
  .trim()
  .min(1, 'is required (1–120 characters)')
  .max(120, 'must be at most 120 characters');
const mapping = z.unknown().transform((value, ctx): Mapping => {
  const parsed = MappingSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues)
    ctx.addIssue({
      code: 'custom',
      message: `mapping.${issue.path.join('.')}: ${issue.message}`.replace('mapping.:', 'mapping:'),
    });
  return z.NEVER;
});
// An exported source (`pairwise_source`, `version`, `exported_at`) is accepted as it is.
const CreateSchema = z
  .object({
    name,
    mapping,
    pairwise_source: z.literal(1).optional(),
    version: z.number().optional(),
    exported_at: z.string().optional(),
  })
  .strict()
  .openapi('CreateSource', { description: '`{ name, mapping }`; an exported source file is accepted as it is.' });
const UpdateSchema = z.object({ name: name.optional(), mapping }).strict().openapi('UpdateSource');

const admin = allow('admin');
const params = idParam('a source');

export const sourceRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/sources',
      tags: ['Sources'],
      summary: 'Saved sources',
      security: bearer,
      middleware: [admin] as const,
      responses: {
        200: {
          description: 'By name.',
          content: { 'application/json': { schema: z.object({ sources: z.array(SourceSummarySchema) }) } },
        },
        ...guardedErrors,
      },
    }),
    async (c) => c.json({ sources: await listSources(c.get('deps').database.db) }, 200),
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/sources/presets',
      tags: ['Sources'],
      summary: 'Ready sources for common exports (starting points to adjust)',
      security: bearer,
      middleware: [admin] as const,
      responses: {
        200: {
          description: 'Each with the vendor fields it reads.',
          content: {
            'application/json': {
              schema: z.object({
                presets: z.array(
                  z.object({
                    id: z.string(),
                    name: z.string(),
                    description: z.string(),
                    fields: z.array(z.object({ column: z.string(), becomes: z.string(), note: z.string().optional() })),
                    mapping: MappingDoc,
                  }),
                ),
              }),
            },
          },
        },
        ...guardedErrors,
      },
    }),
    (c) =>
      c.json(
        {
          presets: PRESETS.map((p) => ({
            id: p.id,
            name: p.name,
            description: p.description,
            fields: p.fields,
            mapping: p.mapping as Record<string, unknown>,
          })),
        },
        200,
      ),
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/sources',
      tags: ['Sources'],
      summary: 'Save a source',
      security: bearer,
      middleware: [admin] as const,
      request: { body: { required: true, content: { 'application/json': { schema: CreateSchema } } } },
      responses: {
        201: { description: 'Saved as version 1.', content: { 'application/json': { schema: SavedSchema } } },
        ...guardedErrors,
        409: errorResponse('The name is taken.'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      return c.json(
        await createSource(c.get('deps').database.db, { name: body.name, mapping: body.mapping }, c.get('principal')!),
        201,
      );
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/sources/{id}',
      tags: ['Sources'],
      summary: 'A source and its versions',
      security: bearer,
      middleware: [admin] as const,
      request: {
        params,
        query: z.object({
          version: z.coerce
            .number()
            .int()
            .positive()
            .optional()
            .describe('An earlier version; default the current one.'),
        }),
      },
      responses: {
        200: { description: 'The source.', content: { 'application/json': { schema: SourceDetailSchema } } },
        ...guardedErrors,
        404: errorResponse('No such source or version.'),
      },
    }),
    async (c) => {
      const s = await getSource(c.get('deps').database.db, c.req.valid('param').id, c.req.valid('query').version);
      return c.json({ ...s, mapping: s.mapping as Record<string, unknown> }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/sources/{id}/export',
      tags: ['Sources'],
      summary: 'A source as a JSON file to share (POST /sources takes it back)',
      security: bearer,
      middleware: [admin] as const,
      request: { params },
      responses: {
        200: {
          description: 'A download.',
          content: {
            'application/json': {
              schema: z.object({
                pairwise_source: z.literal(1),
                name: z.string(),
                version: z.number().int(),
                exported_at: z.string(),
                mapping: MappingDoc,
              }),
            },
          },
        },
        ...guardedErrors,
        404: errorResponse('No such source.'),
      },
    }),
    async (c) => {
      const s = await getSource(c.get('deps').database.db, c.req.valid('param').id);
      const file =
        s.name
          .replace(/[^A-Za-z0-9._-]+/g, '-')
          .replace(/^-+|-+$/g, '')
          .slice(0, 80) || 'source';
      c.header('content-disposition', `attachment; filename="${file}.pairwise-source.json"`);
      return c.json(
        {
          pairwise_source: 1 as const,
          name: s.name,
          version: s.version,
          exported_at: new Date().toISOString(),
          mapping: s.mapping as Record<string, unknown>,
        },
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/sources/{id}',
      tags: ['Sources'],
      summary: 'Change a source (a new version; records already imported are not rewritten)',
      security: bearer,
      middleware: [admin] as const,
      request: { params, body: { required: true, content: { 'application/json': { schema: UpdateSchema } } } },
      responses: {
        200: { description: 'The new version.', content: { 'application/json': { schema: SavedSchema } } },
        ...guardedErrors,
        404: errorResponse('No such source.'),
        409: errorResponse('The name is taken.'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      return c.json(
        await updateSource(c.get('deps').database.db, c.req.valid('param').id, body, c.get('principal')!),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/sources/{id}',
      tags: ['Sources'],
      summary: 'Delete a source (its imported records stay)',
      security: bearer,
      middleware: [admin] as const,
      request: { params },
      responses: { 204: { description: 'Deleted.' }, ...guardedErrors, 404: errorResponse('No such source.') },
    }),
    async (c) => {
      await deleteSource(c.get('deps').database.db, c.req.valid('param').id, c.get('principal')!);
      return c.body(null, 204);
    },
  );
