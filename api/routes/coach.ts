// Coaching: the coaching views' data and the coaching log. A manager sees only its
// teams: another team's or agent's id is answered 403 with no data in the error. Coaching notes
// are for the agent's managers and admins only (leaders read every view but not the notes).
import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { maySeeTeam, scopeOf } from '../auth/scope';
import { allow, READERS } from '../auth/middleware';
import { createNote, deleteNote, findNote, listNotes, PAIR_KEYS, type CoachingNote } from '../coach/notes';
import type { AppEnv } from '../context';
import { apiError, badRequest, forbidden, limitReached, notFound } from '../errors';
import { COACH_MAX_DAYS } from '../limits';
import { daysBetween, todayIn } from '../metrics/periods';
import { coachAgent, coachAgentRow, coachTeam, coachTeams, lastCompleteWeeks } from '../views/coach';
import { bearer, createRouter, errorResponse, guardedErrors, z } from './openapi';
import { dateParam } from './params';

const Period = z.object({
  from: dateParam('the first day (default: the Monday of 4 complete weeks ago)').optional(),
  to: dateParam('the last day (default: the last complete week’s Sunday)').optional(),
});
/**
 * A JSON answer whose type is the view function's own (`T`): the document keeps the open object it
 * always had, the typed client gets the real shape. Answers are not validated at run time.
 */
const json = <T>(description: string) => ({
  description,
  content: { 'application/json': { schema: z.object({}).catchall(z.unknown()) as unknown as z.ZodType<T> } },
});
type Answer<F extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<F>>;
const notes = allow('admin', 'manager');

const teamsRoute = createRoute({
  method: 'get',
  path: '/views/coach',
  tags: ['Coaching'],
  summary:
    'The teams a coach may see, each with its paired metrics for the period (default: the last 4 complete weeks) and weekly trend',
  security: bearer,
  middleware: [allow(...READERS)] as const,
  request: { query: Period },
  responses: { 200: json<Answer<typeof coachTeams>>('Teams with metrics.'), ...guardedErrors },
});

const teamRoute = createRoute({
  method: 'get',
  path: '/views/coach/team/{id}',
  tags: ['Coaching'],
  summary:
    'A team’s roster by name with n, intervals and suppression under the minimum n; medians, bright spots, survey-integrity notes',
  security: bearer,
  middleware: [allow(...READERS)] as const,
  request: { params: z.object({ id: z.string().min(1).max(200) }), query: Period },
  responses: {
    200: json<Answer<typeof coachTeam>>('The roster.'),
    ...guardedErrors,
    404: errorResponse('No such team.'),
  },
});

const agentRoute = createRoute({
  method: 'get',
  path: '/views/coach/agent/{id}',
  tags: ['Coaching'],
  summary:
    'An agent’s 13-week paired trends, praise naming them, contact reasons handled and (for their managers) the coaching log',
  security: bearer,
  middleware: [allow(...READERS)] as const,
  request: {
    params: z.object({ id: z.string().min(1).max(200) }),
    query: z.object({
      weeks: z.coerce
        .number({ error: 'must be a whole number 4–52' })
        .int('must be a whole number 4–52')
        .min(4, 'must be at least 4')
        .max(52, 'must be at most 52')
        .default(13),
    }),
  },
  responses: {
    200: json<Answer<typeof coachAgent> & { notes: CoachingNote[] | null }>('The agent’s view.'),
    ...guardedErrors,
    404: errorResponse('No such agent.'),
  },
});

const NoteInput = z
  .object({
    held_on: dateParam('the day of the conversation'),
    pair: z.enum(PAIR_KEYS, { error: `must be one of ${PAIR_KEYS.join(', ')}` }),
    note: z.string().trim().min(1, 'is required').max(2000, 'must be at most 2000 characters'),
  })
  .strict()
  .openapi('CoachingNoteInput');

const listNotesRoute = createRoute({
  method: 'get',
  path: '/coach/agents/{id}/notes',
  tags: ['Coaching'],
  summary: 'The coaching log of an agent, each entry with its 4 weeks before against 4 weeks after',
  security: bearer,
  middleware: [notes] as const,
  request: { params: z.object({ id: z.string().min(1).max(200) }) },
  responses: {
    200: json<{ notes: CoachingNote[] }>('The notes, newest first.'),
    ...guardedErrors,
    404: errorResponse('No such agent.'),
  },
});

const createNoteRoute = createRoute({
  method: 'post',
  path: '/coach/agents/{id}/notes',
  tags: ['Coaching'],
  summary: 'Record a coaching conversation (date, the pair in focus, a short note)',
  security: bearer,
  middleware: [notes] as const,
  request: {
    params: z.object({ id: z.string().min(1).max(200) }),
    body: { required: true, content: { 'application/json': { schema: NoteInput } } },
  },
  responses: {
    201: json<CoachingNote>('The note with its before/after.'),
    ...guardedErrors,
    404: errorResponse('No such agent.'),
    422: errorResponse('A date in the future.'),
  },
});

const deleteNoteRoute = createRoute({
  method: 'delete',
  path: '/coach/notes/{id}',
  tags: ['Coaching'],
  summary: 'Delete a coaching note (its author or an admin)',
  security: bearer,
  middleware: [notes] as const,
  request: {
    params: z.object({
      id: z.coerce.number({ error: 'must be a note id' }).int('must be a note id').positive('must be a note id'),
    }),
  },
  responses: {
    200: json<{ id: number; deleted: true }>('Deleted.'),
    ...guardedErrors,
    404: errorResponse('No such note.'),
  },
});

const tzOf = (c: Context<AppEnv>) => c.get('deps').env.ORG_TIMEZONE;

function period(c: Context<AppEnv>, q: { from?: string; to?: string }) {
  const def = lastCompleteWeeks(todayIn(tzOf(c)), 4);
  const from = q.from ?? def.from;
  const to = q.to ?? def.to;
  const days = daysBetween(from, to) + 1;
  if (days < 1)
    throw badRequest(`Invalid query parameter 'from': must not be after 'to' (${from} > ${to}).`, {
      errors: [{ in: 'query', field: 'from', reason: 'must not be after to' }],
    });
  if (days > COACH_MAX_DAYS) {
    const field = q.from === undefined ? 'to' : 'from';
    throw limitReached(
      400,
      'coach-range',
      `Invalid query parameter '${field}': a coaching view may span at most ${COACH_MAX_DAYS} days (53 weeks); ${from} to ${to} is ${days.toLocaleString('en')} days. Ask for a shorter period, or for several periods one after another.`,
      undefined,
      {
        max_days: COACH_MAX_DAYS,
        errors: [{ in: 'query', field, reason: `the period may span at most ${COACH_MAX_DAYS} days` }],
      },
    );
  }
  return { from, to };
}

export const coachRoutes = createRouter()
  .openapi(teamsRoute, async (c) => {
    const p = c.get('principal')!;
    return c.json(await coachTeams(c.get('deps').database, period(c, c.req.valid('query')), scopeOf(p)), 200);
  })
  .openapi(teamRoute, async (c) => {
    const p = c.get('principal')!;
    const { id } = c.req.valid('param');
    const range = period(c, c.req.valid('query'));
    return c.json(
      await coachTeam(c.get('deps').database, { team: id, ...range, tz: tzOf(c), role: p.role }, scopeOf(p)),
      200,
    );
  })
  .openapi(agentRoute, async (c) => {
    const p = c.get('principal')!;
    const { id } = c.req.valid('param');
    const { weeks } = c.req.valid('query');
    const database = c.get('deps').database;
    const today = todayIn(tzOf(c));
    const view = await coachAgent(database, { agent: id, today, weeks, tz: tzOf(c) }, scopeOf(p));
    const agent = await coachAgentRow(database, id, scopeOf(p));
    const log = p.role === 'admin' || p.role === 'manager' ? await listNotes(database, agent.pk, p, today) : null;
    return c.json({ ...view, notes: log }, 200);
  })
  .openapi(listNotesRoute, async (c) => {
    const p = c.get('principal')!;
    const database = c.get('deps').database;
    const agent = await coachAgentRow(database, c.req.valid('param').id, scopeOf(p));
    return c.json({ notes: await listNotes(database, agent.pk, p, todayIn(tzOf(c))) }, 200);
  })
  .openapi(createNoteRoute, async (c) => {
    const p = c.get('principal')!;
    const database = c.get('deps').database;
    const agent = await coachAgentRow(database, c.req.valid('param').id, scopeOf(p));
    const input = c.req.valid('json');
    const today = todayIn(tzOf(c));
    if (input.held_on > today) {
      throw apiError(
        'invalid-note',
        `The conversation date ${input.held_on} is in the future; record a conversation once it has happened.`,
        { errors: [{ in: 'body', field: 'held_on', reason: `must not be after today (${today})` }] },
      );
    }
    return c.json(await createNote(database, agent, input, p, today), 201);
  })
  .openapi(deleteNoteRoute, async (c) => {
    const p = c.get('principal')!;
    const database = c.get('deps').database;
    const { id } = c.req.valid('param');
    const note = await findNote(database, id);
    if (!note) throw notFound(`There is no coaching note ${id}.`);
    if (!maySeeTeam(p, note.team_id)) throw forbidden('This coaching note is not about one of your teams.');
    if (p.role !== 'admin' && note.author_token_id !== p.tokenId)
      throw forbidden('Only the note’s author or an admin may delete it.');
    await deleteNote(database, id, p);
    return c.json({ id, deleted: true }, 200);
  });
