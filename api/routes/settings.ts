// GET /settings (every role: the wallboard shows the CX success statement) and PATCH /settings
// (admin): the CX success statement, automatic quote selection, the minimum n of coaching views.
import { createRoute } from '@hono/zod-openapi';
import { allow, READERS } from '../auth/middleware';
import { readSettings, SETTING_DEFAULTS, SettingsSchema, writeSettings } from '../settings';
import { bearer, createRouter, guardedErrors, z } from './openapi';

const KEYS = Object.keys(SETTING_DEFAULTS);

const PatchSchema = z
  .strictObject(SettingsSchema.partial().shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown setting${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')} (settings: ${KEYS.join(', ')})`
        : undefined,
  })
  .refine(
    (o) => Object.values(o).some((v) => v !== undefined),
    `name at least one setting to change (${KEYS.join(', ')})`,
  )
  .openapi('SettingsPatch');

const read = createRoute({
  method: 'get',
  path: '/settings',
  tags: ['Settings'],
  summary: 'The organisation’s settings: the CX success statement, automatic quote selection, minimum n',
  security: bearer,
  middleware: [allow(...READERS)] as const,
  responses: {
    200: {
      description: 'Every setting (defaults where none is stored).',
      content: { 'application/json': { schema: SettingsSchema } },
    },
    ...guardedErrors,
  },
});

const patch = createRoute({
  method: 'patch',
  path: '/settings',
  tags: ['Settings'],
  summary: 'Change some settings (audited); answers every setting',
  security: bearer,
  middleware: [allow('admin')] as const,
  request: { body: { required: true, content: { 'application/json': { schema: PatchSchema } } } },
  responses: {
    200: {
      description: 'Every setting after the change.',
      content: { 'application/json': { schema: SettingsSchema } },
    },
    ...guardedErrors,
  },
});

export const settingsRoutes = createRouter()
  .openapi(read, async (c) => c.json(await readSettings(c.get('db')), 200))
  .openapi(patch, async (c) =>
    c.json(await writeSettings(c.get('db'), c.req.valid('json'), c.get('principal') ?? null), 200),
  );
