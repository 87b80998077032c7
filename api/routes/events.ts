// POST /events/{kind}: live events from a platform or a webhook, one record or a small array,
// answered 202 once committed with the request's own counts; requests of one kind are committed
// together (api/events). Admin and ingest tokens; a token with a signing secret must sign.
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { allow, rawBodyOf, signedBody } from '../auth/middleware';
import type { AppEnv } from '../context';
import { apiError, limitReached } from '../errors';
import { acceptEvents, eventsStatus } from '../events';
import { checkEvents } from '../events/validate';
import { jsonProblem } from '../hostile';
import { acceptQueueStatus } from '../queue/accept';
import { sourceEventsStatus } from '../sources/events';
import { isKind, KINDS } from '../ingest/kinds';
import { EVENTS, JSON_DEPTH } from '../limits';
import { bearer, errorResponse, guardedErrors, z } from './openapi';

const writers = allow('admin', 'ingest');

/** Queue snapshots from a contact-centre platform: their own store (api/queue), same auth, signature and body limits. */
const QUEUE_STATUS = 'queue_status';
const EVENT_KINDS = [...KINDS, QUEUE_STATUS] as const;

const invalidJson = (detail: string, reason: string) =>
  apiError('invalid-json', detail, { problems: [{ row: 0, field: null, value: null, reason }], total_problems: 1 });

/** The body as text (422 unless UTF-8). */
export function utf8Body(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalidJson('The body is not UTF-8 text; send JSON encoded as UTF-8.', 'the body is not UTF-8 text');
  }
}

/** JSON text parsed (422 when invalid; 400 naming `json-depth` when nested too deep); `what` names it in the answer. */
export function parseJsonText(text: string, what = 'The body'): unknown {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw invalidJson(
      `${what} is not valid JSON: ${(err as Error).message}`,
      `${what.toLowerCase()} is not valid JSON`,
    );
  }
  const found = jsonProblem(body, JSON_DEPTH);
  if (found?.reason.startsWith('is nested'))
    throw limitReached(400, 'json-depth', `Invalid body: ${found.reason}.`, undefined, {
      errors: [{ in: 'json', ...found }],
    });
  return body;
}

/** A request's records: at least one and at most `EVENTS.records` (413 naming `events-records`). */
export function eventRecords(records: unknown[]): unknown[] {
  if (records.length > EVENTS.records) {
    throw limitReached(
      413,
      'events-records',
      `One request may carry at most ${EVENTS.records.toLocaleString('en')} events, got ${records.length.toLocaleString('en')}; send them in several requests, or a file to POST /ingest/{kind}. Nothing was written.`,
    );
  }
  if (records.length === 0)
    throw invalidJson(
      'The body holds no events: send one JSON object or an array of them.',
      'the body holds no events',
    );
  return records;
}

/** The body's records: one object or an array of at most `EVENTS.records`. */
export function parseEventBody(bytes: Uint8Array): unknown[] {
  const body = parseJsonText(utf8Body(bytes));
  return eventRecords(Array.isArray(body) ? body : [body]);
}

const JSON_TYPES = /^(application\/(.+\+)?json|text\/plain)$/;

const EventRecord = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));

const AcceptedSchema = z
  .object({
    kind: z.string(),
    accepted: z.number().int().openapi({ description: 'Records of this request (inserted + updated + unchanged).' }),
    inserted: z
      .number()
      .int()
      .optional()
      .openapi({ description: 'Not for queue_status (snapshots are kept by their own rules).' }),
    updated: z.number().int().optional(),
    unchanged: z.number().int().optional(),
    warnings: z.array(z.string()).optional().openapi({ description: 'e.g. unknown fields ignored.' }),
  })
  .openapi('EventsAccepted');

const KindStatusSchema = z.object({
  requests: z.number().int(),
  events: z.number().int(),
  rejected: z.number().int(),
  groups: z.number().int(),
  last_event_at: z.string().nullable(),
  queued_requests: z.number().int(),
  queued_events: z.number().int(),
  committing: z.boolean(),
});

const status = createRoute({
  method: 'get',
  path: '/events/status',
  tags: ['Ingest'],
  summary: 'Live events per kind since this process started: requests and events committed, groups, the last event',
  security: bearer,
  middleware: [allow('admin')] as const,
  responses: {
    200: {
      description:
        'Counters of this server process (each process of several keeps its own): per kind, and per source (by id) for the JSON payloads sent to POST /sources/{id}/ingest.',
      content: {
        'application/json': {
          schema: z.object({
            kinds: z.record(z.string(), KindStatusSchema),
            sources: z.record(z.string(), KindStatusSchema),
          }),
        },
      },
    },
    ...guardedErrors,
  },
});

export function mountEvents(api: OpenAPIHono<AppEnv>) {
  api.openapi(status, (c) =>
    c.json({ kinds: eventsStatus(c.get('deps')), sources: sourceEventsStatus(c.get('deps')) }, 200),
  );

  api.openAPIRegistry.registerPath({
    method: 'post',
    path: '/events/{kind}',
    tags: ['Ingest'],
    summary: 'Live events: one record or a small array, upserted by external_id, answered once committed',
    description: `For platforms and webhooks (an \`ingest\` token may only write). Fields as in the data contract. At most ${EVENTS.records.toLocaleString('en')} records and ${EVENTS.bodyBytes / 1024} KB per request. Concurrent requests of a kind are committed together, in order; each is answered its own counts (a record sent again unchanged counts as unchanged). A token made with \`signed: true\` must send \`X-Pairwise-Signature: t=<unix seconds>,sha256=<hex HMAC-SHA256(secret, "<t>.<body>")>\`, at most ${EVENTS.signatureSkewSeconds / 60} minutes old.`,
    security: bearer,
    request: {
      params: z.object({ kind: z.enum(EVENT_KINDS) }),
      headers: z.object({
        'x-pairwise-signature': z
          .string()
          .optional()
          .openapi({ description: 'Required for tokens with a signing secret.', example: 't=1796558400,sha256=5c1f…' }),
      }),
      body: {
        required: true,
        content: { 'application/json': { schema: z.union([EventRecord, z.array(EventRecord).max(EVENTS.records)]) } },
      },
    },
    responses: {
      202: { description: 'Committed.', content: { 'application/json': { schema: AcceptedSchema } } },
      ...guardedErrors,
      401: errorResponse(
        'No valid token, or (signed tokens) the signature is missing, malformed, wrong or older than 5 minutes (`signature` says which).',
      ),
      404: errorResponse('Unknown kind.'),
      413: errorResponse('Too many records or bytes (`limit`: events-records or events-bytes); nothing was written.'),
      415: errorResponse('Not JSON.'),
      422: errorResponse(
        'Invalid JSON or invalid records: `problems` lists each (row = index in the array + 1, field, reason); nothing of this request was written.',
      ),
      503: errorResponse(
        'The kind’s queue is full or the server is closing (`limit`: events-queue, events-closing), or the database is unreachable; try again after Retry-After.',
      ),
    },
  });

  api.post(
    '/events/:kind',
    writers,
    async (c, next) => {
      const kind = c.req.param('kind');
      if (!isKind(kind) && kind !== QUEUE_STATUS)
        throw apiError('unknown-kind', `Unknown kind '${kind}': one of ${EVENT_KINDS.join(', ')}.`);
      const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== '' && !JSON_TYPES.test(type))
        throw apiError('unsupported-media-type', `Send events as application/json, not ${type}.`);
      await next();
    },
    signedBody(EVENTS.bodyBytes, 'events-bytes'),
    async (c) => {
      const kind = c.req.param('kind');
      const deps = c.get('deps');
      const records = parseEventBody(rawBodyOf(c));
      if (kind === QUEUE_STATUS) {
        const { accepted } = await acceptQueueStatus(deps.database, records, { timeZone: deps.env.ORG_TIMEZONE });
        return c.json({ kind, accepted }, 202);
      }
      if (!isKind(kind)) throw apiError('unknown-kind', `Unknown kind '${kind}'.`);
      const { ids, warnings } = await checkEvents(kind, records, deps.env.ORG_TIMEZONE);
      const counts = await acceptEvents(deps, kind, { records, ids });
      return c.json({ kind, ...counts, warnings }, 202);
    },
  );
}
