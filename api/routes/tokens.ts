// Access tokens (admin): create (the token is answered once), list, revoke.
import { createRoute } from '@hono/zod-openapi';
import { allow } from '../auth/middleware';
import { createToken, listTokens, revokeToken, ROLES } from '../auth/tokens';
import { notFound } from '../errors';
import { bearer, createRouter, errorResponse, guardedErrors, z } from './openapi';

const TokenSchema = z
  .object({
    id: z.number().int(),
    label: z.string(),
    role: z.enum(ROLES),
    teams: z.array(z.string()),
    prefix: z.string(),
    created_at: z.string(),
    last_used_at: z.string().nullable(),
    revoked_at: z.string().nullable(),
    signed: z.boolean().openapi({
      description: 'Whether its requests must carry X-Pairwise-Signature (the secret is never shown again).',
    }),
  })
  .openapi('AccessToken');

const CreateSchema = z
  .object({
    role: z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` }),
    label: z.string().trim().min(1, 'is required').max(120, 'must be at most 120 characters'),
    teams: z.array(z.string().min(1).max(200)).max(200).optional(),
    signed: z.boolean({ error: 'must be true or false' }).optional().openapi({
      description: 'Ingest tokens only: make a signing secret (answered once) that every request must be signed with.',
    }),
  })
  .openapi('CreateAccessToken');

const admin = allow('admin');

const list = createRoute({
  method: 'get',
  path: '/tokens',
  tags: ['Access'],
  summary: 'List access tokens (never the secrets)',
  security: bearer,
  middleware: [admin] as const,
  responses: {
    200: {
      description: 'Every token, revoked ones included.',
      content: { 'application/json': { schema: z.object({ tokens: z.array(TokenSchema) }) } },
    },
    ...guardedErrors,
  },
});

const create = createRoute({
  method: 'post',
  path: '/tokens',
  tags: ['Access'],
  summary: 'Create an access token; the answer is the only time the token is shown',
  security: bearer,
  middleware: [admin] as const,
  request: { body: { required: true, content: { 'application/json': { schema: CreateSchema } } } },
  responses: {
    201: {
      description: 'Created.',
      content: {
        'application/json': {
          schema: z.object({
            token: z.string(),
            record: TokenSchema,
            signing_secret: z
              .string()
              .optional()
              .openapi({ description: 'With `signed: true` only: `pwsig_…`, shown this once.' }),
          }),
        },
      },
    },
    ...guardedErrors,
    422: errorResponse(
      'A manager token without teams, teams on another role, unknown teams, or `signed` on a role other than ingest.',
    ),
  },
});

const revoke = createRoute({
  method: 'delete',
  path: '/tokens/{id}',
  tags: ['Access'],
  summary: 'Revoke an access token and end its web sessions',
  security: bearer,
  middleware: [admin] as const,
  request: {
    params: z.object({
      id: z.coerce.number({ error: 'must be a token id' }).int('must be a token id').positive('must be a token id'),
    }),
  },
  responses: {
    200: {
      description: 'Revoked (revoking twice is harmless).',
      content: { 'application/json': { schema: TokenSchema } },
    },
    ...guardedErrors,
    404: errorResponse('No such token.'),
  },
});

export const tokenRoutes = createRouter()
  .openapi(list, async (c) => c.json({ tokens: await listTokens(c.get('db')) }, 200))
  .openapi(create, async (c) => {
    const created = await createToken(c.get('db'), c.req.valid('json'), c.get('principal'));
    return c.json(created, 201);
  })
  .openapi(revoke, async (c) => {
    const { id } = c.req.valid('param');
    const record = await revokeToken(c.get('db'), id, c.get('principal'));
    if (!record) throw notFound(`There is no access token ${id}.`);
    return c.json(record, 200);
  });
