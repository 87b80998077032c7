// POST /ingest/{kind}: a CSV stream or a JSON array, imported whole or not at all (admin).
// The body is received into a temporary file first (api/ingest/spool.ts), within the limits of
// api/ingest/admission.ts; only then does the import take its turn, a pooled connection and the
// ingest lock. The body is streamed, so this route is documented in OpenAPI by hand.
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { finishImport, startImport, type ImportStatus } from '../admin-log/store';
import { allow, streamedSignature } from '../auth/middleware';
import { ApiError, apiError, badRequest, limitReached } from '../errors';
import { ingestGate } from '../ingest/admission';
import { INGEST } from '../limits';
import { importOutcome, ingest, IngestRejected, IngestTooLarge } from '../ingest/ingest';
import { isKind, KINDS, type Kind } from '../ingest/kinds';
import { csvSource, jsonSource, SourceError, type Source } from '../ingest/sources';
import {
  removeSpooled,
  spoolBody,
  SpoolFull,
  UploadAborted,
  UploadIdle,
  UploadTooLarge,
  type Spooled,
} from '../ingest/spool';
import { bearer, createRouter, errorResponse, guardedErrors, z } from './openapi';
import { dryRunOf } from './params';

const MB = 1024 * 1024;

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

const invalidJson = (detail: string, reason: string) =>
  apiError('invalid-json', detail, { problems: [{ row: 0, field: null, value: null, reason }], total_problems: 1 });

/** A received JSON batch, parsed whole (its size was bounded as it was received). */
async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(await readFile(path));
  } catch {
    // As for CSV: never import mojibake (e.g. a Latin-1 body) silently.
    throw invalidJson('The body is not UTF-8 text; send JSON encoded as UTF-8.', 'the body is not UTF-8 text');
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw invalidJson(`The body is not valid JSON: ${(err as Error).message}`, 'the body is not valid JSON');
  }
}

/** How a request that failed before or around its import is recorded in the import history. */
function outcome(err: unknown): [Exclude<ImportStatus, 'running' | 'imported'>, Record<string, unknown>] {
  if (err instanceof UploadTooLarge) return ['rejected', { too_large_bytes: err.limit }];
  if (err instanceof UploadIdle)
    return ['aborted', { reason: `the upload sent nothing for ${err.seconds} s`, bytes: err.bytes }];
  if (err instanceof UploadAborted)
    return ['aborted', { reason: 'the client disconnected during the upload', bytes: err.bytes }];
  if (err instanceof SpoolFull) return ['aborted', { reason: 'no room for more uploads', bytes: err.bytes }];
  if (err instanceof ApiError && err.status === 422) return ['rejected', { problems: 1 }];
  if (err instanceof ApiError && err.status === 503) return ['aborted', { reason: err.message }];
  return importOutcome(err);
}

/** The problem a failed ingest answers (anything not listed goes on to the app's error handler). */
function problemOf(err: unknown, kind: Kind, format: 'csv' | 'json', retryAfter: number): unknown {
  if (err instanceof SourceError)
    err = new IngestRejected(kind, [{ row: err.row, field: null, value: null, reason: err.reason }], 1);
  if (err instanceof IngestRejected) {
    const first = err.problems[0];
    const where = first
      ? (first.row > 0 ? `row ${first.row}${first.field ? `, ${first.field}` : ''}: ` : '') + first.reason
      : '';
    return apiError('invalid-batch', `${err.message}. ${where ? `First: ${where}.` : ''}`.trim(), {
      kind,
      total_problems: err.total,
      problems: err.problems,
      warnings: err.warnings,
    });
  }
  if (err instanceof IngestTooLarge) {
    return limitReached(
      413,
      'ingest-rows',
      `${err.message} Split the file into parts of at most ${err.limit.toLocaleString('en')} rows (each part is imported all-or-nothing), or import it whole with \`npm run import -- ${kind} FILE.csv\`, which streams any size in one transaction. Nothing was written.`,
    );
  }
  if (err instanceof UploadTooLarge) {
    return format === 'json'
      ? limitReached(
          413,
          'ingest-json-bytes',
          `A JSON batch may be at most ${err.limit / MB} MB. Send larger batches as CSV (text/csv, streamed), in several requests, or with \`npm run import\`. Nothing was written.`,
        )
      : limitReached(
          413,
          'ingest-csv-bytes',
          `A CSV body may be at most ${(err.limit / MB).toLocaleString('en')} MB. Send the file in parts (each is imported all-or-nothing), or import it whole with \`npm run import -- ${kind} FILE.csv\`. Nothing was written.`,
        );
  }
  if (err instanceof UploadIdle) {
    return limitReached(
      408,
      'ingest-idle',
      `The upload sent nothing for ${err.seconds} s and was cut off after ${err.bytes.toLocaleString('en')} bytes. Nothing was written; send the batch again.`,
    );
  }
  if (err instanceof SpoolFull) {
    return limitReached(
      503,
      'ingest-spool',
      'The room for uploads being received is full; try again shortly. Nothing was written.',
      retryAfter,
    );
  }
  if (err instanceof UploadAborted)
    return apiError('upload-aborted', 'The upload ended before its body was complete. Nothing was written.');
  return err;
}

const router = createRouter();

router.openAPIRegistry.registerPath({
  method: 'post',
  path: '/ingest/{kind}',
  tags: ['Ingest'],
  summary: 'Import a batch of one kind: CSV (streamed) or a JSON array; all-or-nothing, upsert by external_id',
  description: `Fields as in the data contract. Any invalid row → 422 listing every problem (row, field, value, reason; the first 1,000 and the total) and nothing is written. \`dry_run=true\` validates and counts without writing. The body is received whole before the import starts; an upload silent for ${INGEST.idleSeconds} s is cut off (408), and when too many uploads or imports are under way the answer is 503 with Retry-After (the problem's \`limit\` names which).`,
  security: bearer,
  request: {
    params: z.object({ kind: z.enum(KINDS) }),
    query: z.object({ dry_run: z.enum(['true', 'false']).optional() }),
    body: {
      required: true,
      content: {
        'text/csv': {
          schema: z.string().openapi({ description: 'A header row, then one record per row (RFC 4180).' }),
        },
        'application/json': {
          schema: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))),
        },
      },
    },
  },
  responses: {
    200: {
      description: 'Imported (or validated, with dry_run).',
      content: { 'application/json': { schema: IngestResultSchema } },
    },
    ...guardedErrors,
    404: errorResponse('Unknown kind.'),
    408: errorResponse('The upload sent nothing for too long (`limit`: ingest-idle); nothing was written.'),
    413: errorResponse(
      'The batch is too large for one request (`limit`: ingest-rows, ingest-csv-bytes or ingest-json-bytes); the detail says how to split it.',
    ),
    415: errorResponse('Neither text/csv nor application/json.'),
    422: errorResponse('The batch has problems; `problems` lists them and nothing was written.'),
    503: errorResponse(
      'Too many uploads or imports under way (`limit`: ingest-uploads, ingest-queue or ingest-spool), or the database is unreachable; try again after Retry-After.',
    ),
  },
});

// A plain `post`, not `openapi()`: a validator would read the body that is streamed to disk here.
// Ingest tokens (write-only) too: the answer holds counts and problems, nothing read.
export const ingestRoutes = router.post('/ingest/:kind', allow('admin', 'ingest'), async (c) => {
  const kind = c.req.param('kind');
  if (!isKind(kind)) throw apiError('unknown-kind', `Unknown kind '${kind}': one of ${KINDS.join(', ')}.`);
  const dryRun = dryRunOf(c.req.query('dry_run'), c.get('principal')!.role);
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const format =
    type === 'text/csv' || type === 'application/csv' || type === 'text/plain'
      ? 'csv'
      : type === 'application/json'
        ? 'json'
        : null;
  if (!format)
    throw apiError(
      'unsupported-media-type',
      `Send the batch as text/csv or application/json${type ? `, not ${type}` : ' (no Content-Type was given)'}.`,
    );
  const body = c.req.raw.body;
  if (!body)
    throw badRequest(
      format === 'csv'
        ? 'The request has no body: send a CSV file with a header row.'
        : 'The request has no body: send a JSON array of objects or a CSV file.',
    );
  const principal = c.get('principal')!;
  const { env, database } = c.get('deps');
  // A token that signs: its header is checked now, its MAC over the bytes as they are received.
  const signature = await streamedSignature(c);
  const gate = ingestGate(c.get('deps'));
  const limits = gate.limits;

  let received = false;
  let runId: number | undefined;
  let spooled: Spooled | null = null;
  let upload: ReturnType<typeof gate.upload> | null = null;
  try {
    upload = gate.upload();
    if (!dryRun) runId = await startImport(database.db, { kind, source: 'api', actor: principal.label });
    spooled = await spoolBody(signature ? signature.wrap(body) : body, {
      maxBytes: format === 'csv' ? limits.csvBytes : limits.jsonBytes,
      idleMs: limits.idleSeconds * 1000,
      reserve: upload.reserve,
    });
    received = true;
    signature?.verify();
    const release = await gate.turn();
    try {
      let source: Source;
      // Read as the network delivered it, 64 KB at a time: 1 MB reads made the parser's bursts
      // larger (200,000 rows on PostgreSQL: peak RSS 356–386 MB against 261–273 MB).
      if (format === 'csv') source = await csvSource(createReadStream(spooled.path, { highWaterMark: 64 * 1024 }));
      else source = jsonSource(await readJson(spooled.path));
      const result = await ingest(database, kind, source, {
        timeZone: env.ORG_TIMEZONE,
        dryRun,
        actor: principal.label,
        source: 'api',
        maxRows: limits.rows,
        runId,
      });
      return c.json(result, 200);
    } finally {
      release();
    }
  } catch (err) {
    // Recorded unless the import recorded its own end already (the first outcome stays).
    if (runId !== undefined) await finishImport(database.db, runId, ...outcome(err)).catch(() => {});
    const answer = problemOf(err, kind, format, limits.retryAfterSeconds);
    // An answer before the body was read: the connection is closed after it, so that a client
    // still sending holds no socket.
    if (!received && answer instanceof ApiError) answer.headers.connection = 'close';
    throw answer;
  } finally {
    upload?.close();
    if (spooled) await removeSpooled(spooled.path);
  }
});
