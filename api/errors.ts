// One error type for the API, answered as RFC 9457 problem details (application/problem+json).
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
 * `errors`, `limit`) and response headers (e.g. `Retry-After`).
 */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    detail: string,
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'ApiError';
  }
}

export const unauthorized = (detail = 'A valid access token is required: send "Authorization: Bearer <token>" or sign in.') =>
  new ApiError(401, 'unauthorized', detail);
export const forbidden = (detail: string) => new ApiError(403, 'forbidden', detail);
export const notFound = (detail: string) => new ApiError(404, 'not-found', detail);
export const badRequest = (detail: string, extensions?: Record<string, unknown>) =>
  new ApiError(400, 'bad-request', detail, extensions);

/**
 * A documented limit was reached (api/limits.ts): the problem names it in `limit` so a client can
 * tell which one, and `Retry-After` says when to try again for limits that pass with time.
 */
export const limitReached = (status: 400 | 408 | 413 | 429 | 503, limit: string, detail: string, retryAfterSeconds?: number, extensions: Record<string, unknown> = {}) =>
  new ApiError(status, `limit-${limit}`, detail, { limit, ...extensions }, retryAfterSeconds === undefined ? {} : { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) });

export function problemBody(c: Context, status: number, code: string, detail: string, extensions: Record<string, unknown> = {}): Problem {
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

export function problem(c: Context, status: ContentfulStatusCode, code: string, detail: string, extensions?: Record<string, unknown>, extraHeaders: Record<string, string> = {}) {
  const headers: Record<string, string> = { ...extraHeaders, 'content-type': PROBLEM_TYPE };
  if (status === 401) headers['www-authenticate'] = 'Bearer realm="pairwise"';
  return c.body(JSON.stringify(problemBody(c, status, code, detail, extensions)), status, headers);
}
