// POST /ingest/{kind}: a CSV stream or a JSON array, imported whole or not at all (admin).
// The body is streamed, so this route is documented in OpenAPI by hand rather than validated.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { allow } from '../auth/middleware';
import type { AppEnv } from '../context';
import { ApiError, badRequest } from '../errors';
import { ingest, IngestRejected, IngestTooLarge } from '../ingest/ingest';
import { isKind, KINDS } from '../ingest/kinds';
import { csvSource, jsonSource, SourceError, type Source } from '../ingest/sources';
import { bearer, errorResponse, guardedErrors, z } from './openapi';

/** Rows one request may carry; larger files go in parts or through `npm run import`. */
export const MAX_REQUEST_ROWS = 2_000_000;
/** JSON batches are parsed whole, so they are kept smaller than CSV streams. */
export const MAX_JSON_BYTES = 64 * 1024 * 1024;

const IngestResultSchema = z
  .object({
    kind: z.enum(KINDS),
    dry_run: z.boolean(),
    rows: z.number().int(),
    inserted: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    warnings: z.array(z.string()),
  })
  .openapi('IngestResult');

async function readJson(body: ReadableStream<Uint8Array> | null): Promise<unknown> {
  if (!body) throw badRequest('The request has no body: send a JSON array of objects or a CSV file.');
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const part of body) {
    size += part.byteLength;
    if (size > MAX_JSON_BYTES) {
      throw new ApiError(413, 'too-large', `A JSON batch may be at most ${MAX_JSON_BYTES / 1024 / 1024} MB. Send larger batches as CSV (text/csv, streamed), in several requests, or with \`npm run import\`.`);
    }
    parts.push(part);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(parts));
  } catch {
    // As for CSV: never import mojibake (e.g. a Latin-1 body) silently.
    throw new ApiError(422, 'invalid-json', 'The body is not UTF-8 text; send JSON encoded as UTF-8.', { problems: [{ row: 0, field: null, value: null, reason: 'the body is not UTF-8 text' }], total_problems: 1 });
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ApiError(422, 'invalid-json', `The body is not valid JSON: ${(err as Error).message}`, { problems: [{ row: 0, field: null, value: null, reason: 'the body is not valid JSON' }], total_problems: 1 });
  }
}

export function mountIngest(api: OpenAPIHono<AppEnv>) {
  api.openAPIRegistry.registerPath({
    method: 'post',
    path: '/ingest/{kind}',
    tags: ['Ingest'],
    summary: 'Import a batch of one kind: CSV (streamed) or a JSON array; all-or-nothing, upsert by external_id',
    description:
      'Fields as in the data contract. Any invalid row → 422 listing every problem (row, field, value, reason; the first 1,000 and the total) and nothing is written. `dry_run=true` validates and counts without writing.',
    security: bearer,
    request: {
      params: z.object({ kind: z.enum(KINDS) }),
      query: z.object({ dry_run: z.enum(['true', 'false']).optional() }),
      body: {
        required: true,
        content: {
          'text/csv': { schema: z.string().openapi({ description: 'A header row, then one record per row (RFC 4180).' }) },
          'application/json': { schema: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))) },
        },
      },
    },
    responses: {
      200: { description: 'Imported (or validated, with dry_run).', content: { 'application/json': { schema: IngestResultSchema } } },
      ...guardedErrors,
      404: errorResponse('Unknown kind.'),
      413: errorResponse('The batch is too large for one request; the detail says how to split it.'),
      415: errorResponse('Neither text/csv nor application/json.'),
      422: errorResponse('The batch has problems; `problems` lists them and nothing was written.'),
    },
  });

  api.post('/ingest/:kind', allow('admin'), async (c) => {
    const kind = c.req.param('kind');
    if (!isKind(kind)) throw new ApiError(404, 'unknown-kind', `Unknown kind '${kind}': one of ${KINDS.join(', ')}.`);
    const dry = c.req.query('dry_run');
    if (dry !== undefined && !['true', 'false', '1', '0'].includes(dry)) throw badRequest(`Invalid query parameter 'dry_run': must be true or false, got '${dry}'.`, { errors: [{ in: 'query', field: 'dry_run', reason: 'must be true or false' }] });
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const principal = c.get('principal')!;
    const { env, database } = c.get('deps');

    let source: Source;
    try {
      if (type === 'text/csv' || type === 'application/csv' || type === 'text/plain') {
        const body = c.req.raw.body;
        if (!body) throw badRequest('The request has no body: send a CSV file with a header row.');
        source = await csvSource(body);
      } else if (type === 'application/json') {
        source = jsonSource(await readJson(c.req.raw.body));
      } else {
        throw new ApiError(415, 'unsupported-media-type', `Send the batch as text/csv or application/json${type ? `, not ${type}` : ' (no Content-Type was given)'}.`);
      }
      const result = await ingest(database, kind, source, {
        timeZone: env.ORG_TIMEZONE,
        dryRun: dry === 'true' || dry === '1',
        actor: principal.label,
        source: 'api',
        maxRows: MAX_REQUEST_ROWS,
      });
      return c.json(result, 200);
    } catch (err) {
      if (err instanceof SourceError) err = new IngestRejected(kind, [{ row: err.row, field: null, value: null, reason: err.reason }], 1);
      if (err instanceof IngestRejected) {
        const first = err.problems[0];
        const where = first ? (first.row > 0 ? `row ${first.row}${first.field ? `, ${first.field}` : ''}: ` : '') + first.reason : '';
        throw new ApiError(422, 'invalid-batch', `${err.message}. ${where ? `First: ${where}.` : ''}`.trim(), {
          kind,
          total_problems: err.total,
          problems: err.problems,
          warnings: err.warnings,
        });
      }
      if (err instanceof IngestTooLarge) {
        throw new ApiError(413, 'too-large', `${err.message} Split the file into parts of at most ${err.limit.toLocaleString('en')} rows (each part is imported all-or-nothing), or import it whole with \`npm run import -- ${kind} FILE.csv\`, which streams any size in one transaction. Nothing was written.`);
      }
      throw err;
    }
  });
}
