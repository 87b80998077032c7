// Sources (admin), the routes whose body is a file: a file is proposed a mapping (infer), checked
// through one not yet saved (preview, a whole-file dry run), and imported through a saved one
// (ingest) — several kinds, all or nothing. Files are received into a temporary file first,
// within the ingest limits (api/ingest/admission.ts), as POST /ingest/{kind} does. Their bodies
// are streamed, so these routes are documented in OpenAPI by hand.
import { writeFile } from 'node:fs/promises';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { finishImport, startImport } from '../admin-log/store';
import { allow, readSigned, streamedSignature } from '../auth/middleware';
import type { AppEnv } from '../context';
import { ApiError, apiError, badRequest, limitReached } from '../errors';
import { ingestGate } from '../ingest/admission';
import { SourceError } from '../ingest/sources';
import {
  removeSpooled,
  spoolBody,
  spoolDirectory,
  SpoolFull,
  UploadAborted,
  UploadIdle,
  UploadTooLarge,
} from '../ingest/spool';
import { EVENTS, INGEST, SOURCES } from '../limits';
import { acceptSourceEvents } from '../sources/events';
import { recordsOfBody } from '../sources/read-json';
import { eventRecords, parseJsonText, utf8Body } from './events';
import { inferMapping } from '../sources/infer';
import { knownRecords } from '../sources/known';
import { MappingSchema, type Format } from '../sources/mapping';
import { detectFormat, openTable } from '../sources/read';
import { previewRows, runSource, SourceRejected, type SourceRunResult } from '../sources/run';
import { getSource } from '../sources/store';
import { idParam } from './goals';
import { bearer, errorResponse, guardedErrors, z } from './openapi';
import { dryRunOf } from './params';
import { MappingDoc, PreviewRowSchema, ResultsSchema, SavedSchema, SourceProblemSchema } from './sources';

const params = idParam('a source');

const MB = 1024 * 1024;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type FormatType = Format['type'];
/** The format a Content-Type names; null: detect it from the bytes. */
function typeOf(contentType: string | undefined): FormatType | null | 'unsupported' {
  const t = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (t === 'text/csv' || t === 'application/csv' || t === 'text/plain' || t === 'text/tab-separated-values')
    return 'csv';
  if (t === XLSX_TYPE) return 'xlsx';
  if (t === 'application/json') return 'json';
  if (t === 'application/x-ndjson' || t === 'application/jsonl' || t === 'application/x-jsonlines') return 'ndjson';
  if (t === '' || t === 'application/octet-stream') return null;
  return 'unsupported';
}

const maxBytes = (type: FormatType | null) =>
  type === 'csv' || type === 'ndjson' ? INGEST.csvBytes : type === 'json' ? INGEST.jsonBytes : SOURCES.xlsxBytes;

const unsupported = (type: string) =>
  apiError(
    'unsupported-media-type',
    `Send the file as text/csv, ${XLSX_TYPE}, application/json or application/x-ndjson (or application/octet-stream to have it detected), not ${type || 'no Content-Type'}.`,
  );

/** How an upload that failed before its work answers (limits named as POST /ingest names them). */
function uploadProblem(err: unknown, retryAfter: number): unknown {
  if (err instanceof UploadTooLarge)
    return limitReached(
      413,
      'source-file-bytes',
      `The file may be at most ${(err.limit / MB).toLocaleString('en')} MB here. Import larger files with \`npm run import -- --source NAME FILE\`, which streams any size. Nothing was written.`,
    );
  if (err instanceof UploadIdle)
    return limitReached(
      408,
      'ingest-idle',
      `The upload sent nothing for ${err.seconds} s and was cut off after ${err.bytes.toLocaleString('en')} bytes. Nothing was written; send the file again.`,
    );
  if (err instanceof SpoolFull)
    return limitReached(
      503,
      'ingest-spool',
      'The room for uploads being received is full; try again shortly. Nothing was written.',
      retryAfter,
    );
  if (err instanceof UploadAborted)
    return apiError('upload-aborted', 'The upload ended before its body was complete. Nothing was written.');
  if (err instanceof SourceError)
    return apiError(
      'unreadable-file',
      `The file could not be read${err.row > 0 ? ` at row ${err.row}` : ''}: ${err.reason}.`,
      {
        problems: [{ row: err.row, kind: null, field: null, column: null, value: null, reason: err.reason }],
        total_problems: 1,
      },
    );
  if (err instanceof SourceRejected) {
    const first = err.problems[0];
    const where = first
      ? ` First: row ${first.row}${first.column ? `, column '${first.column}'` : ''}: ${first.reason}.`
      : '';
    return apiError('invalid-batch', `${err.message}.${where}`, {
      total_problems: err.total,
      problems: err.problems,
      warnings: err.warnings,
    });
  }
  return err;
}

/**
 * Receives the request's body into a temporary file (within the ingest limits), waits its turn,
 * then hands the file's path to `work`. The file is removed afterwards.
 */
async function withUploadedFile<T>(c: Context<AppEnv>, limit: number, work: (path: string) => Promise<T>): Promise<T> {
  const body = c.req.raw.body;
  if (!body) throw badRequest('The request has no body: send the file as the body.');
  // A token that signs: its header is checked now, its MAC over the bytes as they are received.
  const signature = await streamedSignature(c);
  const gate = ingestGate(c.get('deps'));
  let upload: ReturnType<typeof gate.upload> | null = null;
  let path: string | null = null;
  let received = false;
  try {
    upload = gate.upload();
    const spooled = await spoolBody(signature ? signature.wrap(body) : body, {
      maxBytes: limit,
      idleMs: gate.limits.idleSeconds * 1000,
      reserve: upload.reserve,
    });
    path = spooled.path;
    received = true;
    signature?.verify();
    const release = await gate.turn();
    try {
      return await work(path);
    } finally {
      release();
    }
  } catch (err) {
    const answer = uploadProblem(err, gate.limits.retryAfterSeconds);
    if (!received && answer instanceof ApiError) answer.headers.connection = 'close';
    throw answer;
  } finally {
    upload?.close();
    if (path) await removeSpooled(path);
  }
}

/** The file's format: the content type's, with the details (delimiter, encoding, records path, sheet) detected. */
async function formatOf(
  path: string,
  declared: FormatType | null,
  contentType: string | undefined,
  fileName: string | undefined,
  sheet: string | undefined,
) {
  const detected = await detectFormat(path, { contentType, filename: fileName });
  let format = detected.format;
  if (declared && format.type !== declared) {
    throw apiError(
      'unsupported-media-type',
      `The body was sent as ${declared} but reads as ${format.type}: ${detected.evidence.join('; ')}.`,
    );
  }
  if (sheet !== undefined) {
    if (format.type !== 'xlsx')
      throw badRequest("'sheet' is for XLSX files only.", {
        errors: [{ in: 'query', field: 'sheet', reason: 'is for XLSX files only' }],
      });
    format = { ...format, sheet };
  }
  return { format, evidence: detected.evidence, sheets: detected.sheets };
}

const fileBody = {
  required: true,
  content: {
    'text/csv': {
      schema: z.string().openapi({
        description: 'CSV: any of , ; tab | as the delimiter; UTF-8 (with or without BOM), UTF-16 or Windows-1252.',
      }),
    },
    [XLSX_TYPE]: { schema: z.string().openapi({ format: 'binary' }) },
    'application/json': {
      schema: z.unknown().openapi({ description: 'A JSON array of records, or a document holding one.' }),
    },
    'application/x-ndjson': { schema: z.string().openapi({ description: 'One JSON object per line.' }) },
    'application/octet-stream': {
      schema: z.string().openapi({ format: 'binary', description: 'Any of the above, detected from its bytes.' }),
    },
  },
};

const uploadErrors = {
  ...guardedErrors,
  408: errorResponse('The upload sent nothing for too long (`limit`: ingest-idle).'),
  413: errorResponse('The file is too large for this route (`limit`: source-file-bytes).'),
  415: errorResponse('A content type other than the file types listed.'),
  503: errorResponse(
    'Too many uploads or imports under way (`limit`: ingest-uploads, ingest-queue or ingest-spool); try again after Retry-After.',
  ),
};

/** The routes whose bodies are files (documented by hand: their bodies are streamed to disk). */
export function mountSourceUploads(api: OpenAPIHono<AppEnv>) {
  api.openAPIRegistry.registerPath({
    method: 'post',
    path: '/sources/infer',
    tags: ['Sources'],
    summary:
      'Propose a mapping for a file, with the evidence for each guess and questions for what it could not decide',
    description: `The body is the file. Answers \`{ mapping, evidence, questions, … }\`: \`mapping\` is directly usable to create a source (every question's default already in it); each question names the \`path\` in the mapping its options replace. Also the first ${SOURCES.previewRows} rows and what each becomes. Keys and formats are checked over the first ${SOURCES.inferRows.toLocaleString('en')} rows.`,
    security: bearer,
    request: {
      query: z.object({ file_name: z.string().max(255).optional(), sheet: z.string().max(200).optional() }),
      body: fileBody,
    },
    responses: {
      200: {
        description: 'The proposal.',
        content: {
          'application/json': {
            schema: z.object({
              mapping: MappingDoc,
              evidence: z.array(
                z.object({
                  kind: z.string().optional(),
                  field: z.string().optional(),
                  column: z.string().optional(),
                  message: z.string(),
                }),
              ),
              questions: z.array(z.unknown()),
              format_evidence: z.array(z.string()),
              sheets: z.array(z.string()).optional(),
              columns: z.array(z.string()),
              rows: z.number().int(),
              preview: z.array(PreviewRowSchema),
            }),
          },
        },
      },
      ...uploadErrors,
      422: errorResponse('The file could not be read (`problems` says where).'),
    },
  });
  api.post('/sources/infer', allow('admin'), async (c) => {
    const declared = typeOf(c.req.header('content-type'));
    if (declared === 'unsupported') throw unsupported(c.req.header('content-type') ?? '');
    const fileName = c.req.query('file_name');
    const sheet = c.req.query('sheet');
    const { env, database } = c.get('deps');
    return withUploadedFile(c, maxBytes(declared), async (path) => {
      const {
        format,
        evidence: formatEvidence,
        sheets,
      } = await formatOf(path, declared, c.req.header('content-type'), fileName, sheet);
      const table = await openTable(path, format);
      const inference = await inferMapping(table, {
        timeZone: env.ORG_TIMEZONE,
        fileName,
        maxRows: SOURCES.inferRows,
        ...knownRecords(database),
      });
      const preview = await previewRows(
        inference.mapping,
        await openTable(path, inference.mapping.format),
        env.ORG_TIMEZONE,
        { teams: new Map(), agents: new Map() },
        SOURCES.previewRows,
      );
      return c.json({ ...inference, format_evidence: formatEvidence, sheets, preview }, 200);
    });
  });

  api.openAPIRegistry.registerPath({
    method: 'post',
    path: '/sources/preview',
    tags: ['Sources'],
    summary:
      'Check a file against a mapping not yet saved: a whole-file dry run, and the first rows as they become records',
    description: `\`multipart/form-data\` with parts \`mapping\` (JSON) and \`file\`. Nothing is written. The form may be at most ${SOURCES.previewBytes / MB} MB (\`limit\`: source-preview-bytes): check a larger file by saving the source and calling its ingest with \`dry_run=true\`.`,
    security: bearer,
    request: {
      body: {
        required: true,
        content: {
          'multipart/form-data': {
            schema: z.object({ mapping: z.string(), file: z.string().openapi({ format: 'binary' }) }),
          },
        },
      },
    },
    responses: {
      200: {
        description: 'The dry run: `ok` false with `problems` when the file would be refused.',
        content: {
          'application/json': {
            schema: z.object({
              ok: z.boolean(),
              rows: z.number().int(),
              results: ResultsSchema.nullable(),
              warnings: z.array(z.string()),
              problems: z.array(SourceProblemSchema),
              total_problems: z.number().int(),
              preview: z.array(PreviewRowSchema),
            }),
          },
        },
      },
      ...uploadErrors,
      400: errorResponse('The form lacks its mapping or file, or the mapping is not valid (`errors` says where).'),
    },
  });
  api.post('/sources/preview', allow('admin'), async (c) => {
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'multipart/form-data')
      throw apiError('unsupported-media-type', 'Send multipart/form-data with the parts mapping (JSON) and file.');
    const length = Number(c.req.header('content-length') ?? Number.NaN);
    if (Number.isFinite(length) && length > SOURCES.previewBytes)
      throw limitReached(
        413,
        'source-preview-bytes',
        `The form may be at most ${SOURCES.previewBytes / MB} MB: save the source and check a larger file with POST /sources/{id}/ingest?dry_run=true.`,
      );
    const { env, database } = c.get('deps');
    const gate = ingestGate(c.get('deps'));
    let form: FormData;
    try {
      form = await c.req.raw.formData();
    } catch {
      throw badRequest('The body is not a readable multipart form: send the parts mapping and file.');
    }
    const mappingPart = form.get('mapping');
    const file = form.get('file');
    if (typeof mappingPart !== 'string')
      throw badRequest("The form has no part 'mapping' (the mapping as JSON text).", {
        errors: [{ in: 'form', field: 'mapping', reason: 'is required' }],
      });
    if (!file || typeof file === 'string')
      throw badRequest("The form has no part 'file' (the file itself).", {
        errors: [{ in: 'form', field: 'file', reason: 'is required' }],
      });
    if (file.size > SOURCES.previewBytes)
      throw limitReached(
        413,
        'source-preview-bytes',
        `The file may be at most ${SOURCES.previewBytes / MB} MB here: save the source and check a larger file with POST /sources/{id}/ingest?dry_run=true.`,
      );
    let raw: unknown;
    try {
      raw = JSON.parse(mappingPart);
    } catch {
      throw badRequest("The part 'mapping' is not valid JSON.", {
        errors: [{ in: 'form', field: 'mapping', reason: 'is not valid JSON' }],
      });
    }
    const parsed = MappingSchema.safeParse(raw);
    if (!parsed.success) {
      const errors = parsed.error.issues.map((i) => ({
        in: 'form',
        field: ['mapping', ...i.path].join('.'),
        reason: i.message,
      }));
      throw badRequest(
        `The mapping is not valid: ${errors[0]!.field}: ${errors[0]!.reason}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}.`,
        { errors },
      );
    }
    const m = parsed.data;
    const path = `${spoolDirectory()}/preview-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    await writeFile(path, new Uint8Array(await file.arrayBuffer()), { mode: 0o600 });
    const release = await gate.turn().catch((err: unknown) => {
      void removeSpooled(path);
      throw err;
    });
    try {
      let result: SourceRunResult | null = null;
      let rejected: SourceRejected | null = null;
      try {
        result = await runSource(database, m, () => openTable(path, m.format), {
          timeZone: env.ORG_TIMEZONE,
          dryRun: true,
          maxRows: INGEST.rows,
        });
      } catch (err) {
        if (err instanceof SourceRejected) rejected = err;
        else throw uploadProblem(err, gate.limits.retryAfterSeconds);
      }
      const names = result?.names ?? { teams: new Map(), agents: new Map() };
      const preview = await previewRows(
        m,
        await openTable(path, m.format),
        env.ORG_TIMEZONE,
        names,
        SOURCES.previewRows,
      );
      return c.json(
        {
          ok: rejected === null,
          rows: result?.rows ?? 0,
          results: result?.results ?? null,
          warnings: result?.warnings ?? rejected?.warnings ?? [],
          problems: rejected?.problems ?? [],
          total_problems: rejected?.total ?? 0,
          preview,
        },
        200,
      );
    } finally {
      release();
      await removeSpooled(path);
    }
  });

  api.openAPIRegistry.registerPath({
    method: 'post',
    path: '/sources/{id}/ingest',
    tags: ['Sources'],
    summary: 'Import a file through a saved source: every kind it makes, all or nothing, upsert by external_id',
    description: `The body is the file, in the format the source reads. Answers per kind \`{ inserted, updated, unchanged }\`; importing the same file again reports every record unchanged. Any problem → 422 listing them with the file’s own row number and column header, and nothing is written. \`dry_run=true\` checks and counts without writing.\n\nA platform's webhook may post its own JSON here: a JSON or NDJSON body with a Content-Length of at most ${EVENTS.bodyBytes / 1024} KB and at most ${EVENTS.records.toLocaleString('en')} records (a single object is one record) is committed together with the source's other payloads arriving meanwhile, as POST /events does, and answered once durable with its own records' counts for the kinds the mapping makes (teams and agents created by name are not counted). Such payloads are counted in GET /events/status, not the import history. Still all or nothing per request; a signed ingest token signs the body as for POST /events.`,
    security: bearer,
    request: { params, query: z.object({ dry_run: z.enum(['true', 'false']).optional() }), body: fileBody },
    responses: {
      200: {
        description: 'Imported (or checked, with dry_run).',
        content: {
          'application/json': {
            schema: z.object({
              source: SavedSchema,
              dry_run: z.boolean(),
              rows: z.number().int(),
              results: ResultsSchema,
              warnings: z.array(z.string()),
            }),
          },
        },
      },
      ...uploadErrors,
      404: errorResponse('No such source.'),
      413: errorResponse(
        'The file is too large (`limit`: source-file-bytes or ingest-rows), or a webhook payload has too many records (`limit`: events-records).',
      ),
      422: errorResponse(
        'The file has problems; `problems` lists them (row, kind, field, column, value, reason) and nothing was written.',
      ),
    },
  });
  // Ingest tokens may send files through a saved source too: the answer holds counts and problems only.
  api.post('/sources/:id/ingest', allow('admin', 'ingest'), async (c) => {
    const id = Number(c.req.param('id'));
    if (!Number.isSafeInteger(id) || id <= 0)
      throw badRequest(`Invalid path parameter 'id': must be a source id.`, {
        errors: [{ in: 'param', field: 'id', reason: 'must be a source id' }],
      });
    const dryRun = dryRunOf(c.req.query('dry_run'), c.get('principal')!.role);
    const { env, database } = c.get('deps');
    const source = await getSource(database.db, id);
    const declared = typeOf(c.req.header('content-type'));
    if (declared === 'unsupported') throw unsupported(c.req.header('content-type') ?? '');
    const expected = source.mapping.format.type;
    if (declared && declared !== expected)
      throw apiError(
        'unsupported-media-type',
        `The source '${source.name}' reads ${expected.toUpperCase()} files; the body was sent as ${declared.toUpperCase()}.`,
      );
    // A webhook's payload (JSON, at most as large as an event request): committed with the
    // source's other payloads arriving meanwhile, as events are.
    const length = Number(c.req.header('content-length'));
    if (
      !dryRun &&
      (expected === 'json' || expected === 'ndjson') &&
      Number.isFinite(length) &&
      length <= EVENTS.bodyBytes
    ) {
      const records = payloadRecords(await readSigned(c, EVENTS.bodyBytes, 'events-bytes'), source.mapping.format);
      try {
        const own = await acceptSourceEvents(c.get('deps'), source, records);
        return c.json(
          { source: { id: source.id, name: source.name, version: source.version }, dry_run: false, ...own },
          200,
        );
      } catch (err) {
        throw uploadProblem(err, EVENTS.retryAfterSeconds);
      }
    }
    const principal = c.get('principal')!;
    const kinds = source.mapping.outputs.map((o) => o.kind).join(', ');
    const runId = dryRun
      ? undefined
      : await startImport(database.db, {
          kind: kinds,
          source: `api · source ${source.name} v${source.version}`,
          actor: principal.label,
        });
    try {
      return await withUploadedFile(c, maxBytes(expected), async (path) => {
        const result = await runSource(database, source.mapping, () => openTable(path, source.mapping.format), {
          timeZone: env.ORG_TIMEZONE,
          dryRun,
          maxRows: INGEST.rows,
        });
        if (runId !== undefined) await finishImport(database.db, runId, 'imported', importCounts(result, source));
        return c.json(
          {
            source: { id: source.id, name: source.name, version: source.version },
            dry_run: dryRun,
            rows: result.rows,
            results: result.results,
            warnings: result.warnings,
          },
          200,
        );
      });
    } catch (err) {
      if (runId !== undefined) {
        const rejected = err instanceof ApiError && err.status === 422;
        const ended = rejected
          ? finishImport(database.db, runId, 'rejected', { problems: (err.extensions.total_problems as number) ?? 1 })
          : finishImport(database.db, runId, err instanceof ApiError ? 'aborted' : 'failed', {
              error: err instanceof ApiError ? err.code : err instanceof Error ? err.name : 'unknown',
            });
        await ended.catch(() => {});
      }
      throw err;
    }
  });
}

/** A webhook payload's records: JSON as the source reads a file (a single object is one record), or NDJSON. */
function payloadRecords(bytes: Uint8Array, format: Format): unknown[] {
  const text = utf8Body(bytes);
  if (format.type === 'ndjson') {
    return eventRecords(
      text
        .split('\n')
        .map((line, i) => ({ line, n: i + 1 }))
        .filter(({ line }) => line.trim() !== '')
        .map(({ line, n }) => parseJsonText(line, `Line ${n}`)),
    );
  }
  const doc = parseJsonText(text);
  try {
    return eventRecords(recordsOfBody(doc, format));
  } catch (err) {
    throw uploadProblem(err, EVENTS.retryAfterSeconds);
  }
}

/** What the import history keeps of a source's import: totals over its kinds, and each kind's. */
function importCounts(r: SourceRunResult, source: { id: number; version: number }) {
  const sum = (k: 'inserted' | 'updated' | 'unchanged') =>
    Object.values(r.results).reduce((n, c) => n + (c?.[k] ?? 0), 0);
  return {
    rows: r.rows,
    inserted: sum('inserted'),
    updated: sum('updated'),
    unchanged: sum('unchanged'),
    source_id: source.id,
    source_version: source.version,
    results: r.results,
  };
}
