// Quotes and praise: the curation queue (admin, leader), one quote and its curation,
// the featured quote for every view (wallboard included), praise received and shout-outs.
// Displayed text is always redacted on read; the raw comment, and offsets into it, go to the admin
// role only: every other caller searches, and hides words in, the text it is shown.
import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../context';
import { teamScope } from '../auth/scope';
import { allow, READERS } from '../auth/middleware';
import type { Principal } from '../auth/tokens';
import { forbidden, invalidQuery, notFound } from '../errors';
import { todayIn } from '../metrics/periods';
import { featuredFor, quoteScope, type QuoteScope } from '../quotes/service';
import { CURATION_STATUSES, getQuote, LIST_STATUSES, listQuotes, praiseReceived, shoutouts } from '../quotes/store';
import { MAX_HIDDEN_SPANS, updateQuote } from '../quotes/curate';
import { curatorQuote, praiseItem, shoutout } from '../quotes/view';
import { REDACTION_MARKERS, type RedactionKind } from '../quotes/redact';
import { bearer, createRouter, errorResponse, guardedErrors, z } from './openapi';
import { dateParam } from './params';

// ---------------------------------------------------------------------------------------------
// Schemas
// ---------------------------------------------------------------------------------------------

const dateField = dateParam;
const bool = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((v) => v === 'true');
const limit = (fallback: number) =>
  z.coerce
    .number({ error: 'must be a whole number from 1 to 200' })
    .int('must be a whole number from 1 to 200')
    .min(1, 'must be a whole number from 1 to 200')
    .max(200, 'must be a whole number from 1 to 200')
    .default(fallback);
const teamParam = z
  .string()
  .trim()
  .min(1, 'must be a team external id')
  .max(200)
  .optional()
  .describe('A team external id: quotes in its scope (its own, shared with it, or crediting one of its agents).');

const RefSchema = z.object({ id: z.string(), name: z.string() }).openapi('NamedRef');
const KINDS = Object.keys(REDACTION_MARKERS) as [RedactionKind, ...RedactionKind[]];

const CuratorQuoteSchema = z
  .object({
    id: z.string().describe("The survey's external id."),
    status: z.enum(CURATION_STATUSES),
    needs_review: z
      .boolean()
      .describe('The comment changed (re-imported) since a curator judged it: it counts as new.'),
    text: z
      .string()
      .describe(
        'The comment as displayed: personal data, the customer’s name and hidden spans redacted, each as one fixed marker ("[email]", "[hidden]", …) whatever its length.',
      ),
    segments: z
      .array(
        z.object({
          start: z.number().int(),
          end: z.number().int(),
          text: z.string(),
          redacted: z.enum(KINDS).nullable(),
        }),
      )
      .describe('`text` in order: plain words, and each marker with what it hides; offsets into `text`.'),
    hidden_spans: z
      .array(z.tuple([z.number().int(), z.number().int()]))
      .optional()
      .describe('The spans a curator hid, offsets into the original: for the admin role only.'),
    original: z.string().optional().describe('The raw comment: for the admin role only.'),
    csat: z.number().nullable(),
    nps: z.number().nullable(),
    effort: z.number().nullable(),
    responded_at: z.string(),
    date: z.string().describe('The response day in the organisation’s time zone.'),
    channel: z.string().nullable(),
    team: RefSchema.nullable(),
    agent: RefSchema.nullable(),
    is_praise: z.boolean(),
    credited_agent: RefSchema.nullable(),
    credited_agent_suggested: z
      .boolean()
      .describe('The credit is a suggestion (the comment names the agent); no curator confirmed it yet.'),
    praise_teams: z.array(RefSchema),
    pinned_from: z.string().nullable(),
    pinned_to: z.string().nullable(),
    followed_up_on: z.string().nullable(),
    curated_by: z.string().nullable(),
    curated_at: z.string().nullable(),
  })
  .openapi('CuratorQuote');

const CountsSchema = z.object({
  new: z.number().int(),
  approved: z.number().int(),
  pinned: z.number().int(),
  rejected: z.number().int(),
  retired: z.number().int(),
});

const ListSchema = z
  .object({
    quotes: z.array(CuratorQuoteSchema),
    total: z.number().int(),
    counts: CountsSchema.describe(
      'Under the same team, from, to, praise and q filters; pinned quotes are also counted as approved.',
    ),
    follow_up: z.object({
      praise_approved: z.number().int(),
      followed_up: z.number().int(),
      rate: z.number().nullable(),
    }),
  })
  .openapi('QuoteList');

const ListQuery = z.object({
  status: z.enum(LIST_STATUSES, { error: `must be one of ${LIST_STATUSES.join(', ')}` }).default('new'),
  praise: bool.optional(),
  team: teamParam,
  from: dateField('the first response day').optional(),
  to: dateField('the last response day').optional(),
  q: z
    .string()
    .trim()
    .max(200, 'must be at most 200 characters')
    .optional()
    .describe(
      'Case-insensitive words the displayed text contains (markers such as "[email]" included); an admin’s search also matches the raw comment.',
    ),
  limit: limit(50),
  offset: z.coerce
    .number({ error: 'must be a whole number ≥ 0' })
    .int('must be a whole number ≥ 0')
    .min(0, 'must be a whole number ≥ 0')
    .max(1_000_000)
    .default(0),
});

const IdParam = z.object({ id: z.string().min(1).max(200).describe("The survey's external id (URL-encoded).") });

const PatchSchema = z
  .object({
    status: z.enum(CURATION_STATUSES, { error: `must be one of ${CURATION_STATUSES.join(', ')}` }).optional(),
    pinned_from: dateField('first day of the pin').nullable().optional(),
    pinned_to: dateField('last day of the pin').nullable().optional(),
    hidden_spans: z
      .array(
        z.tuple([z.number().int('must be whole numbers'), z.number().int('must be whole numbers')], {
          error: 'must be [start, end] pairs',
        }),
      )
      .max(1000, 'is far too long')
      .optional()
      .describe(
        `Admin only: spans [start, end) of the original comment to hide (replaces the list; at most ${MAX_HIDDEN_SPANS}).`,
      ),
    hide: z
      .object(
        {
          text: z
            .string()
            .max(100_000)
            .describe('The displayed `text` the ranges refer to, as read: a quote changed since answers 409.'),
          spans: z
            .array(
              z.tuple([z.number().int('must be whole numbers'), z.number().int('must be whole numbers')], {
                error: 'must be [start, end] pairs',
              }),
            )
            .max(1000, 'is far too long'),
        },
        { error: 'must be { text, spans }' },
      )
      .strict()
      .optional()
      .describe(
        `Every range [start, end) of the displayed text to keep hidden (replaces the list; at most ${MAX_HIDDEN_SPANS}): a range over a "[hidden]" marker keeps it, a marker left out shows its words again. For any curator.`,
      ),
    is_praise: z.boolean().optional(),
    credited_agent: z
      .string()
      .min(1)
      .max(200)
      .nullable()
      .optional()
      .describe('An agent external id, or null for no credit.'),
    praise_teams: z
      .array(z.string().min(1).max(200))
      .max(200)
      .optional()
      .describe('Team external ids the praise is shared with (replaces the set).'),
    followed_up_on: dateField('the day the customer was thanked').nullable().optional(),
  })
  .strict()
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'must change at least one field' })
  .openapi('QuoteUpdate');

const RangeQuery = z.object({
  from: dateField('the first day'),
  to: dateField('the last day'),
  team: teamParam,
});

const FeaturedSchema = z
  .object({
    id: z.string().optional().describe('Omitted for the display role.'),
    text: z.string(),
    csat: z.number().nullable(),
    nps: z.number().nullable(),
    date: z.string(),
    channel: z.string().nullable(),
    team: z.string().nullable(),
    agent_first_name: z.string().nullable(),
    is_praise: z.boolean(),
  })
  .openapi('FeaturedQuote');

const FeaturedAnswer = z
  .object({
    quote: FeaturedSchema.nullable(),
    source: z.enum(['pinned', 'approved', 'automatic']).nullable(),
    reason: z.string().nullable().describe('Why there is no quote, in a plain sentence.'),
  })
  .openapi('FeaturedQuoteAnswer');

const PraiseSchema = z
  .object({
    praise: z.array(
      z.object({
        id: z.string(),
        text: z.string(),
        date: z.string(),
        channel: z.string().nullable(),
        csat: z.number().nullable(),
        nps: z.number().nullable(),
        team: RefSchema.nullable(),
        credited_agent: RefSchema.nullable(),
        shared_with: z.array(RefSchema),
        received_via: z.enum(['shared', 'team', 'agent']),
      }),
    ),
  })
  .openapi('PraiseReceived');

const ShoutoutSchema = z
  .object({
    shoutouts: z.array(
      z.object({ first_name: z.string(), team: z.string().nullable(), text: z.string(), date: z.string() }),
    ),
  })
  .openapi('Shoutouts');

// ---------------------------------------------------------------------------------------------
// Contracts
// ---------------------------------------------------------------------------------------------

const curators = allow('admin', 'leader');
const tags = ['Quotes'];
const json = <T>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

const listRoute = createRoute({
  method: 'get',
  path: '/quotes',
  tags,
  summary: 'The curation queue: consented comments, newest first, with counts and the follow-up rate',
  security: bearer,
  middleware: [curators] as const,
  request: { query: ListQuery },
  responses: { 200: json(ListSchema, 'A page of quotes.'), ...guardedErrors },
});

const getRoute = createRoute({
  method: 'get',
  path: '/quotes/{id}',
  tags,
  summary: 'One quote with its curation state',
  security: bearer,
  middleware: [curators] as const,
  request: { params: IdParam },
  responses: {
    200: json(CuratorQuoteSchema, 'The quote.'),
    ...guardedErrors,
    404: errorResponse('No such quote (or the customer did not consent).'),
  },
});

const patchRoute = createRoute({
  method: 'patch',
  path: '/quotes/{id}',
  tags,
  summary: 'Curate a quote: approve, pin, reject, retire, hide words, mark and route praise, record the follow-up',
  security: bearer,
  middleware: [curators] as const,
  request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: PatchSchema } } } },
  responses: {
    200: json(CuratorQuoteSchema, 'The updated quote.'),
    ...guardedErrors,
    404: errorResponse('No such quote (or the customer did not consent).'),
    409: errorResponse('`hide` refers to a displayed text that has changed since it was read.'),
    422: errorResponse('A curation rule is broken; `errors` lists each (field, reason).'),
  },
});

const featuredRoute = createRoute({
  method: 'get',
  path: '/quotes/featured',
  tags,
  summary:
    'The quote to feature for a range: pinned, else the newest approved, else (when allowed) the best-rated comment',
  security: bearer,
  middleware: [allow(...READERS)] as const,
  request: { query: RangeQuery },
  responses: { 200: json(FeaturedAnswer, 'The featured quote, or null with the reason.'), ...guardedErrors },
});

const praiseRoute = createRoute({
  method: 'get',
  path: '/quotes/praise',
  tags,
  summary: 'Praise received: approved praise in a team’s scope (its own, shared with it, naming its agents)',
  security: bearer,
  middleware: [allow(...READERS)] as const,
  request: { query: RangeQuery.extend({ limit: limit(50) }) },
  responses: { 200: json(PraiseSchema, 'Approved praise, newest first.'), ...guardedErrors },
});

const shoutoutsRoute = createRoute({
  method: 'get',
  path: '/quotes/shoutouts',
  tags,
  summary: 'Shout-outs for the wallboard: approved praise that credits an agent (first name, team, redacted words)',
  security: bearer,
  middleware: [allow(...READERS)] as const,
  request: { query: RangeQuery.extend({ limit: limit(20) }) },
  responses: { 200: json(ShoutoutSchema, 'Shout-outs, newest first.'), ...guardedErrors },
});

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

function checkRange(from: string | undefined, to: string | undefined) {
  if (from && to && from > to) throw invalidQuery('from', `must not be after 'to' (${from} > ${to})`);
}

async function scopeOf(c: Context<AppEnv>, principal: Principal, team: string | undefined): Promise<QuoteScope> {
  const scope = await quoteScope(c.get('deps').database, team, teamScope(principal, team));
  if (!scope) throw invalidQuery('team', `unknown team '${team}'`);
  return scope;
}

const tzOf = (c: Context<AppEnv>) => c.get('deps').env.ORG_TIMEZONE;

// ---------------------------------------------------------------------------------------------
// Handlers (the fixed paths before /quotes/{id})
// ---------------------------------------------------------------------------------------------

export const quoteRoutes = createRouter()
  .openapi(featuredRoute, async (c) => {
    const q = c.req.valid('query');
    checkRange(q.from, q.to);
    const principal = c.get('principal')!;
    const database = c.get('deps').database;
    const scope = await scopeOf(c, principal, q.team);
    return c.json(await featuredFor(database, { from: q.from, to: q.to, tz: tzOf(c) }, scope, principal.role), 200);
  })
  .openapi(praiseRoute, async (c) => {
    const q = c.req.valid('query');
    checkRange(q.from, q.to);
    const scope = await scopeOf(c, c.get('principal')!, q.team);
    const rows = await praiseReceived(
      c.get('deps').database,
      { from: q.from, to: q.to, teamPks: scope.teamPks, tz: tzOf(c) },
      q.limit,
    );
    return c.json({ praise: rows.map(praiseItem) }, 200);
  })
  .openapi(shoutoutsRoute, async (c) => {
    const q = c.req.valid('query');
    checkRange(q.from, q.to);
    const scope = await scopeOf(c, c.get('principal')!, q.team);
    const rows = await shoutouts(
      c.get('deps').database,
      { from: q.from, to: q.to, teamPks: scope.teamPks, tz: tzOf(c) },
      q.limit,
    );
    return c.json({ shoutouts: rows.map(shoutout) }, 200);
  })
  .openapi(listRoute, async (c) => {
    const q = c.req.valid('query');
    checkRange(q.from, q.to);
    const principal = c.get('principal')!;
    const scope = await scopeOf(c, principal, q.team);
    const result = await listQuotes(
      c.get('deps').database,
      {
        status: q.status,
        praise: q.praise,
        teamPks: scope.teamPks,
        from: q.from,
        to: q.to,
        q: q.q || undefined,
        qRaw: principal.role === 'admin',
        limit: q.limit,
        offset: q.offset,
      },
      tzOf(c),
    );
    return c.json(
      {
        quotes: result.rows.map((r) => curatorQuote(r, principal.role)),
        total: result.total,
        counts: result.counts,
        follow_up: result.follow_up,
      },
      200,
    );
  })
  .openapi(getRoute, async (c) => {
    const { id } = c.req.valid('param');
    const row = await getQuote(c.get('deps').database, id, tzOf(c));
    if (!row) throw notFound('There is no such quote.');
    return c.json(curatorQuote(row, c.get('principal')!.role), 200);
  })
  .openapi(patchRoute, async (c) => {
    const { id } = c.req.valid('param');
    const tz = tzOf(c);
    const principal = c.get('principal')!;
    const body = c.req.valid('json');
    // Offsets into the original would let a caller who never reads it probe its words' places.
    if (body.hidden_spans !== undefined && principal.role !== 'admin') {
      throw forbidden(
        'hidden_spans are offsets into the original comment, which only an admin reads: send `hide` with ranges of the displayed text instead.',
      );
    }
    const row = await updateQuote(c.get('deps').database, id, body, principal, { tz, today: todayIn(tz) });
    if (!row) throw notFound('There is no such quote.');
    return c.json(curatorQuote(row, principal.role), 200);
  });
