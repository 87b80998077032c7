// One error type for the API, answered as RFC 9457 problem details (application/problem+json).
// Every problem has a code from one closed list, and a code always answers with the same status.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export const PROBLEM_TYPE = 'application/problem+json';

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  408: 'Request timeout',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

/**
 * Every limit a problem can name (api/limits.ts), with its status: its code is `limit-<name>` and
 * its body says `limit: <name>`.
 */
export const LIMIT_STATUS = {
  'body-size': 413,
  'coach-range': 400,
  'events-bytes': 413,
  'events-closing': 503,
  'events-queue': 503,
  'events-records': 413,
  'ingest-csv-bytes': 413,
  'ingest-idle': 408,
  'ingest-json-bytes': 413,
  'ingest-queue': 503,
  'ingest-rows': 413,
  'ingest-spool': 503,
  'ingest-uploads': 503,
  'json-depth': 400,
  'metrics-cells': 400,
  'queue-records': 413,
  'source-file-bytes': 413,
  'source-preview-bytes': 413,
  'statement-timeout': 503,
  'token-failures': 429,
  'token-failures-overall': 429,
} as const satisfies Record<string, ContentfulStatusCode>;

export type LimitName = keyof typeof LIMIT_STATUS;

/** The codes other than limits, by status. */
const STATUS_OF_CODE = {
  // The request itself (a parameter, a body field, a value) is not valid.
  'invalid-request': 400,
  // A value the database cannot store or compare (api/hostile.ts).
  'invalid-value': 400,
  'upload-aborted': 400,
  unauthorized: 401,
  'signature-missing': 401,
  'signature-malformed': 401,
  'signature-too-old': 401,
  'signature-mismatch': 401,
  forbidden: 403,
  'not-found': 404,
  'unknown-kind': 404,
  'quote-changed': 409,
  'source-name-taken': 409,
  'unsupported-media-type': 415,
  'goal-overlap': 422,
  'invalid-batch': 422,
  'invalid-goal': 422,
  'invalid-json': 422,
  'invalid-note': 422,
  'invalid-quote-update': 422,
  'invalid-token-request': 422,
  'unknown-team': 422,
  'unreadable-file': 422,
  internal: 500,
  'database-unavailable': 503,
  'web-not-built': 503,
} as const satisfies Record<string, ContentfulStatusCode>;

type LimitStatuses = { readonly [L in LimitName as `limit-${L}`]: (typeof LIMIT_STATUS)[L] };

/** The status of every code: the one place a code gets its status. */
export const ERROR_STATUS: typeof STATUS_OF_CODE & LimitStatuses = {
  ...STATUS_OF_CODE,
  ...(Object.fromEntries(
    Object.entries(LIMIT_STATUS).map(([name, status]) => [`limit-${name}`, status]),
  ) as LimitStatuses),
};

/**
 * A problem code. `http-<status>` is the one open family: a request Hono itself refused before
 * any route ran, answered with Hono's status.
 */
export type ErrorCode = keyof typeof ERROR_STATUS | `http-${number}`;

export type StatusOf<C extends ErrorCode> = C extends keyof typeof ERROR_STATUS
  ? (typeof ERROR_STATUS)[C]
  : ContentfulStatusCode;

export const ERROR_CODES = Object.keys(ERROR_STATUS) as (keyof typeof ERROR_STATUS)[];

export function statusOf(code: ErrorCode): ContentfulStatusCode {
  if (Object.hasOwn(ERROR_STATUS, code)) return ERROR_STATUS[code as keyof typeof ERROR_STATUS];
  const http = /^http-(\d{3})$/.exec(code);
  return (http ? Number(http[1]) : 500) as ContentfulStatusCode;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  request_id?: string;
  [extension: string]: unknown;
}

/**
 * An expected failure: its status, a machine code, a sentence for people, extensions (e.g.
 * `errors`, `limit`) and response headers (e.g. `Retry-After`). The status is checked against the
 * code's when compiled (`new ApiError(400, 'not-found', …)` does not compile); `apiError` takes it
 * from the code.
 */
export class ApiError<C extends ErrorCode = ErrorCode> extends Error {
  constructor(
    readonly status: StatusOf<C>,
    readonly code: C,
    detail: string,
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'ApiError';
  }
}

export const apiError = <C extends ErrorCode>(
  code: C,
  detail: string,
  extensions: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) => new ApiError<C>(statusOf(code) as StatusOf<C>, code, detail, extensions, headers);

export const unauthorized = (
  detail = 'A valid access token is required: send "Authorization: Bearer <token>" or sign in.',
) => apiError('unauthorized', detail);
export const forbidden = (detail: string) => apiError('forbidden', detail);
export const notFound = (detail: string) => apiError('not-found', detail);
export const badRequest = (detail: string, extensions?: Record<string, unknown>) =>
  apiError('invalid-request', detail, extensions);

/** What a 400 for one query parameter says: the detail names it, `errors` says where and why. */
export const queryProblem = (field: string, reason: string) => ({
  detail: `Invalid query parameter '${field}': ${reason}.`,
  extensions: { errors: [{ in: 'query', field, reason }] },
});

export const invalidQuery = (field: string, reason: string) => {
  const { detail, extensions } = queryProblem(field, reason);
  return badRequest(detail, extensions);
};

export interface FieldProblem {
  field: string;
  reason: string;
}

/** 422 naming every problem of a body; the detail is the first, as is. */
export function unprocessable(
  code: 'invalid-goal' | 'goal-overlap' | 'unknown-team',
  problems: FieldProblem[],
  extensions: Record<string, unknown> = {},
) {
  const first = problems[0]!;
  const more = problems.length - 1;
  const detail = `${first.reason}${more > 0 ? ` (and ${more} more problem${more > 1 ? 's' : ''})` : ''}.`;
  return apiError(code, detail, { errors: problems.map((p) => ({ in: 'body', ...p })), ...extensions });
}

/**
 * A documented limit was reached (api/limits.ts): the problem names it in `limit` so a client can
 * tell which one, and `Retry-After` says when to try again for limits that pass with time. A
 * limit named in the code must be listed with the status given; a name passed on as a string is
 * answered with its listed status.
 */
export function limitReached<L extends string>(
  status: L extends LimitName ? (typeof LIMIT_STATUS)[L] : string extends L ? ContentfulStatusCode : never,
  limit: L,
  detail: string,
  retryAfterSeconds?: number,
  extensions: Record<string, unknown> = {},
): ApiError {
  const listed: ContentfulStatusCode | undefined = Object.hasOwn(LIMIT_STATUS, limit)
    ? LIMIT_STATUS[limit as LimitName]
    : undefined;
  const headers: Record<string, string> =
    retryAfterSeconds === undefined ? {} : { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) };
  return new ApiError(
    (listed ?? status) as ContentfulStatusCode,
    `limit-${limit}` as ErrorCode,
    detail,
    { limit, ...extensions },
    headers,
  );
}

export function problemBody(
  c: Context,
  status: number,
  code: ErrorCode,
  detail: string,
  extensions: Record<string, unknown> = {},
): Problem {
  return {
    type: `urn:pairwise:problem:${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    instance: new URL(c.req.url).pathname,
    request_id: c.get('requestId') as string | undefined,
    ...extensions,
  };
}

/** The response for a problem: the code's status, problem+json, and the challenge on 401. */
export function problem(c: Context, err: ApiError) {
  const headers: Record<string, string> = { ...err.headers, 'content-type': PROBLEM_TYPE };
  if (err.status === 401) headers['www-authenticate'] = 'Bearer realm="pairwise"';
  return c.body(
    JSON.stringify(problemBody(c, err.status, err.code, err.message, err.extensions)),
    err.status as ContentfulStatusCode,
    headers,
  );
}
