// Goals (targets per metric, organisation-wide or per team, in force from/to): read by admins,
// leaders and managers (a manager: organisation-wide goals and its own teams'), written by admins.
// GET /metrics?compare=target answers the goal in force as `target` and `met`.
import { createRoute } from '@hono/zod-openapi';
import { teamScope } from '../auth/scope';
import { allow, READERS } from '../auth/middleware';
import { notFound } from '../errors';
import { createGoal, deleteGoal, listGoals, updateGoal } from '../goals/store';
import { todayIn } from '../metrics/periods';
import { METRIC_KEYS } from '../metrics/registry';
import { bearer, createRouter, errorResponse, guardedErrors, z } from './openapi';
import { dateParam } from './params';

/** A YYYY-MM-DD date that exists in the calendar, within DATE_RANGE. */
export const isoDate = dateParam;

/** A body object that refuses unknown fields, naming them. */
export const strictBody = <T extends z.ZodRawShape>(shape: T, hint: string) =>
  z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')} (${hint})`
        : issue.code === 'invalid_type'
          ? 'must be a JSON object'
          : undefined,
  });

export const idParam = (what: string) =>
  z.object({
    id: z.coerce
      .number({ error: `must be ${what} id` })
      .int(`must be ${what} id`)
      .positive(`must be ${what} id`),
  });

const TeamRefSchema = z
  .object({ id: z.string().describe('The team’s external id.'), name: z.string() })
  .openapi('TeamRef');

const GoalSchema = z
  .object({
    id: z.number().int(),
    metric: z.string(),
    metric_label: z.string(),
    unit: z.string(),
    team: TeamRefSchema.nullable().describe('null for an organisation-wide goal.'),
    target: z.number(),
    valid_from: z.string(),
    valid_to: z.string().nullable().describe('Inclusive; null when open-ended.'),
    note: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi('Goal');

const CreatedGoalSchema = GoalSchema.extend({
  ended: z
    .array(z.object({ id: z.number().int(), valid_to: z.string() }))
    .describe('Goals of the same metric and team that were in force and now end the day before this one starts.'),
}).openapi('CreatedGoal');

const note = z.string().trim().max(1000, 'must be at most 1000 characters').nullable();
const target = z.number({ error: 'must be a number in the metric’s unit (a proportion as 0.8 for 80%)' });

const CreateSchema = strictBody(
  {
    metric: z.string({ error: 'is required (a metric key)' }).min(1, 'is required (a metric key)'),
    team: z
      .string()
      .min(1, 'must be a team’s external id')
      .max(200)
      .nullable()
      .optional()
      .describe('A team’s external id; absent or null for an organisation-wide goal.'),
    target,
    valid_from: isoDate('the first day the goal is in force'),
    valid_to: isoDate('the last day the goal is in force')
      .nullable()
      .optional()
      .describe('Inclusive; absent or null for open-ended.'),
    note: note.optional(),
  },
  'a goal has metric, team, target, valid_from, valid_to, note',
).openapi('CreateGoal');

const PatchSchema = strictBody(
  {
    target: target.optional(),
    valid_from: isoDate('the first day the goal is in force').optional(),
    valid_to: isoDate('the last day the goal is in force')
      .nullable()
      .optional()
      .describe('null makes the goal open-ended; today ends it today.'),
    note: note.optional(),
  },
  'target, valid_from, valid_to and note can be changed; for another metric or team, create a new goal',
)
  .refine(
    (o) => Object.values(o).some((v) => v !== undefined),
    'name at least one of target, valid_from, valid_to, note',
  )
  .openapi('GoalPatch');

const QuerySchema = z.object({
  metric: z
    .enum(METRIC_KEYS as [string, ...string[]], { error: `must be a metric key (${METRIC_KEYS.join(', ')})` })
    .optional(),
  team: z.string().min(1).optional().describe('A team’s external id: its goals and the organisation-wide ones.'),
  active_on: isoDate('goals in force on this day').optional(),
  include_ended: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .optional()
    .describe('Include goals that ended before today (default false).'),
});

const admin = allow('admin');

const list = createRoute({
  method: 'get',
  path: '/goals',
  tags: ['Goals'],
  summary: 'Goals, by default those not ended before today',
  description:
    'A manager sees organisation-wide goals and its own teams’ goals. `active_on` lists the goals in force on a day.',
  security: bearer,
  middleware: [allow(...READERS)] as const,
  request: { query: QuerySchema },
  responses: {
    200: {
      description: 'Goals by metric, organisation-wide first.',
      content: { 'application/json': { schema: z.object({ goals: z.array(GoalSchema) }) } },
    },
    ...guardedErrors,
  },
});

const create = createRoute({
  method: 'post',
  path: '/goals',
  tags: ['Goals'],
  summary: 'Set a goal; a goal of the same metric and team in force before it ends the day before',
  security: bearer,
  middleware: [admin] as const,
  request: { body: { required: true, content: { 'application/json': { schema: CreateSchema } } } },
  responses: {
    201: {
      description: 'Created; `ended` lists the goals it superseded.',
      content: { 'application/json': { schema: CreatedGoalSchema } },
    },
    ...guardedErrors,
    422: errorResponse(
      'Unknown or untargetable metric, a target outside the metric’s range, unknown team, valid_to before valid_from, or an overlap with a goal starting on or after valid_from; `errors` names each.',
    ),
  },
});

const patch = createRoute({
  method: 'patch',
  path: '/goals/{id}',
  tags: ['Goals'],
  summary: 'Change a goal’s target, dates or note (end it: valid_to = today)',
  security: bearer,
  middleware: [admin] as const,
  request: {
    params: idParam('a goal'),
    body: { required: true, content: { 'application/json': { schema: PatchSchema } } },
  },
  responses: {
    200: { description: 'The goal after the change.', content: { 'application/json': { schema: GoalSchema } } },
    ...guardedErrors,
    404: errorResponse('No such goal.'),
    422: errorResponse(
      'A target outside the metric’s range, valid_to before valid_from, or an overlap with another goal of the same metric and team.',
    ),
  },
});

const remove = createRoute({
  method: 'delete',
  path: '/goals/{id}',
  tags: ['Goals'],
  summary: 'Remove a goal entered by mistake (to stop a goal, end it instead)',
  security: bearer,
  middleware: [admin] as const,
  request: { params: idParam('a goal') },
  responses: {
    200: { description: 'Removed; the goal as it was.', content: { 'application/json': { schema: GoalSchema } } },
    ...guardedErrors,
    404: errorResponse('No such goal.'),
  },
});

export const goalRoutes = createRouter()
  .openapi(list, async (c) => {
    const q = c.req.valid('query');
    const principal = c.get('principal')!;
    const scopeTeams = teamScope(principal, q.team);
    const goals = await listGoals(c.get('db'), {
      metric: q.metric,
      team: q.team,
      activeOn: q.active_on,
      includeEnded: q.include_ended === 'true',
      today: todayIn(c.get('deps').env.ORG_TIMEZONE),
      scopeTeams,
    });
    return c.json({ goals }, 200);
  })
  .openapi(create, async (c) =>
    c.json(await createGoal(c.get('db'), c.req.valid('json'), c.get('principal') ?? null), 201),
  )
  .openapi(patch, async (c) => {
    const { id } = c.req.valid('param');
    const goal = await updateGoal(c.get('db'), id, c.req.valid('json'), c.get('principal') ?? null);
    if (!goal) throw notFound(`There is no goal ${id}.`);
    return c.json(goal, 200);
  })
  .openapi(remove, async (c) => {
    const { id } = c.req.valid('param');
    const goal = await deleteGoal(c.get('db'), id, c.get('principal') ?? null);
    if (!goal) throw notFound(`There is no goal ${id}.`);
    return c.json(goal, 200);
  });
