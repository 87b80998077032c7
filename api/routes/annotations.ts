// Annotations: events marked on every trend chart. Read by every role (the wallboard too; a
// manager sees organisation-wide annotations and its own teams'), written by admins.
import { createRoute } from '@hono/zod-openapi';
import { teamScope } from '../auth/scope';
import { allow, READERS } from '../auth/middleware';
import { createAnnotation, deleteAnnotation, listAnnotations, updateAnnotation } from '../annotations/store';
import { invalidQuery, notFound } from '../errors';
import { idParam, isoDate, strictBody } from './goals';
import { bearer, createRouter, errorResponse, guardedErrors, z } from './openapi';

const AnnotationSchema = z
  .object({
    id: z.number().int(),
    on: z.string(),
    title: z.string(),
    note: z.string().nullable(),
    team: z
      .object({ id: z.string(), name: z.string() })
      .nullable()
      .describe('null for an organisation-wide annotation.'),
    created_at: z.string(),
  })
  .openapi('Annotation');

const fields = {
  on: isoDate('the day of the event'),
  title: z
    .string({ error: 'is required (1–120 characters)' })
    .trim()
    .min(1, 'is required (1–120 characters)')
    .max(120, 'must be at most 120 characters'),
  note: z.string().trim().max(1000, 'must be at most 1000 characters').nullable().optional(),
  team: z
    .string()
    .min(1, 'must be a team’s external id')
    .max(200)
    .nullable()
    .optional()
    .describe('A team’s external id; absent or null for the organisation.'),
};
const HINT = 'an annotation has on, title, note, team';

const CreateSchema = strictBody(fields, HINT).openapi('CreateAnnotation');
const PatchSchema = strictBody({ ...fields, on: fields.on.optional(), title: fields.title.optional() }, HINT)
  .refine((o) => Object.values(o).some((v) => v !== undefined), 'name at least one of on, title, note, team')
  .openapi('AnnotationPatch');

const QuerySchema = z.object({
  from: isoDate('the first day').optional(),
  to: isoDate('the last day').optional(),
  team: z.string().min(1).optional().describe('A team’s external id: its annotations and the organisation-wide ones.'),
});

const admin = allow('admin');
const params = idParam('an annotation');
const single = (description: string) => ({
  description,
  content: { 'application/json': { schema: AnnotationSchema } },
});

const list = createRoute({
  method: 'get',
  path: '/annotations',
  tags: ['Annotations'],
  summary: 'Annotations by date',
  description:
    'A manager sees organisation-wide annotations and its own teams’. `team` gives that team’s and the organisation-wide ones.',
  security: bearer,
  middleware: [allow(...READERS)] as const,
  request: { query: QuerySchema },
  responses: {
    200: {
      description: 'Sorted by date.',
      content: { 'application/json': { schema: z.object({ annotations: z.array(AnnotationSchema) }) } },
    },
    ...guardedErrors,
  },
});

const create = createRoute({
  method: 'post',
  path: '/annotations',
  tags: ['Annotations'],
  summary: 'Annotate an event',
  security: bearer,
  middleware: [admin] as const,
  request: { body: { required: true, content: { 'application/json': { schema: CreateSchema } } } },
  responses: { 201: single('Created.'), ...guardedErrors, 422: errorResponse('Unknown team.') },
});

const patch = createRoute({
  method: 'patch',
  path: '/annotations/{id}',
  tags: ['Annotations'],
  summary: 'Change an annotation',
  security: bearer,
  middleware: [admin] as const,
  request: { params, body: { required: true, content: { 'application/json': { schema: PatchSchema } } } },
  responses: {
    200: single('The annotation after the change.'),
    ...guardedErrors,
    404: errorResponse('No such annotation.'),
    422: errorResponse('Unknown team.'),
  },
});

const remove = createRoute({
  method: 'delete',
  path: '/annotations/{id}',
  tags: ['Annotations'],
  summary: 'Remove an annotation',
  security: bearer,
  middleware: [admin] as const,
  request: { params },
  responses: {
    200: single('Removed; the annotation as it was.'),
    ...guardedErrors,
    404: errorResponse('No such annotation.'),
  },
});

export const annotationRoutes = createRouter()
  .openapi(list, async (c) => {
    const q = c.req.valid('query');
    const principal = c.get('principal')!;
    const scopeTeams = teamScope(principal, q.team);
    if (q.from && q.to && q.from > q.to) {
      throw invalidQuery('from', `must not be after 'to' (${q.from} > ${q.to})`);
    }
    return c.json({ annotations: await listAnnotations(c.get('db'), { ...q, scopeTeams }) }, 200);
  })
  .openapi(create, async (c) =>
    c.json(await createAnnotation(c.get('db'), c.req.valid('json'), c.get('principal') ?? null), 201),
  )
  .openapi(patch, async (c) => {
    const { id } = c.req.valid('param');
    const annotation = await updateAnnotation(c.get('db'), id, c.req.valid('json'), c.get('principal') ?? null);
    if (!annotation) throw notFound(`There is no annotation ${id}.`);
    return c.json(annotation, 200);
  })
  .openapi(remove, async (c) => {
    const { id } = c.req.valid('param');
    const annotation = await deleteAnnotation(c.get('db'), id, c.get('principal') ?? null);
    if (!annotation) throw notFound(`There is no annotation ${id}.`);
    return c.json(annotation, 200);
  });
