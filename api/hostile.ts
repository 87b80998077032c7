// Input no route should have to think about: control characters in the path or the query, JSON
// bodies nested beyond reason or carrying NUL (which PostgreSQL text cannot hold), and the database
// errors such input or a lost connection would otherwise turn into a 500.
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './context';
import { ApiError, limitReached } from './errors';
import { JSON_DEPTH, STATEMENT_RETRY_SECONDS } from './limits';

// C0 controls and DEL: never part of an id, a date, a filter or a search term.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
// In body text, line breaks and tabs are ordinary (a coaching note, an annotation); NUL and the
// other C0 controls are not.
// eslint-disable-next-line no-control-regex
const BODY_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
// A lone UTF-16 surrogate has no UTF-8 form: the database would refuse or mangle it.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const invalid = (where: 'query' | 'param' | 'json', field: string | null, reason: string) => {
  const place =
    where === 'query'
      ? `query parameter '${field}'`
      : where === 'param'
        ? `path '${field}'`
        : field
          ? `body field '${field}'`
          : 'body';
  return new ApiError(400, 'invalid-request', `Invalid ${place}: ${reason}.`, {
    errors: [{ in: where, field, reason }],
  });
};

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** 400 for a path or query that carries a control character (NUL, CR, LF, …). */
export const rejectControlCharacters = createMiddleware<AppEnv>(async (c, next) => {
  const url = new URL(c.req.url);
  const path = decoded(url.pathname);
  if (CONTROL.test(path))
    throw invalid('param', url.pathname.slice(0, 200), 'the path may not contain control characters');
  if (LONE_SURROGATE.test(path)) throw invalid('param', url.pathname.slice(0, 200), 'the path is not valid UTF-8');
  for (const [name, value] of url.searchParams) {
    if (CONTROL.test(name) || LONE_SURROGATE.test(name))
      throw invalid(
        'query',
        name.replace(/[^\x20-\x7e]/g, '?').slice(0, 100),
        'a parameter name may not contain control characters',
      );
    if (CONTROL.test(value))
      throw invalid('query', name, 'may not contain control characters (such as NUL or a line break)');
  }
  await next();
});

/** Where in a JSON value the first unacceptable thing is, and what; null when it is all fine. */
export function jsonProblem(value: unknown, maxDepth = JSON_DEPTH): { field: string | null; reason: string } | null {
  // Iterative, so that a value nested 100,000 deep is measured rather than overflowing the stack.
  const stack: Array<{ v: unknown; path: string; depth: number }> = [{ v: value, path: '', depth: 0 }];
  while (stack.length) {
    const { v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      if (BODY_CONTROL.test(v))
        return { field: path || null, reason: 'may not contain NUL or other control characters' };
      if (LONE_SURROGATE.test(v))
        return { field: path || null, reason: 'is not valid Unicode text (a lone surrogate)' };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= maxDepth) return { field: path || null, reason: `is nested more than ${maxDepth} levels deep` };
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--)
        stack.push({ v: v[i], path: path ? `${path}.${i}` : String(i), depth: depth + 1 });
    } else {
      for (const [k, item] of Object.entries(v)) {
        if (BODY_CONTROL.test(k) || LONE_SURROGATE.test(k))
          return { field: path || null, reason: 'a field name may not contain control characters' };
        stack.push({ v: item, path: path ? `${path}.${k}` : k, depth: depth + 1 });
      }
    }
  }
  return null;
}

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** 400 for a JSON body nested too deep or carrying NUL; invalid JSON is left to the route's validator. */
/**
 * Routes that read their own body within their own limits (not parsed as a JSON body here): files
 * received to disk, and events (read whole, as signed bytes; api/auth/middleware.ts signedBody).
 */
export const receivesFile = (path: string) =>
  /^\/api\/v1\/(ingest\/|events\/|sources\/(infer|preview|\d+\/ingest)$)/.test(path);

export const checkJsonBody = createMiddleware<AppEnv>(async (c, next) => {
  if (!WITH_BODY.has(c.req.method) || receivesFile(c.req.path)) return next();
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json' || !c.req.raw.body) return next();
  let parsed: unknown;
  try {
    parsed = JSON.parse(await c.req.text());
  } catch {
    return next();
  }
  const found = jsonProblem(parsed);
  if (found) {
    if (found.reason.startsWith('is nested'))
      throw limitReached(
        400,
        'json-depth',
        `Invalid body${found.field ? ` field '${found.field}'` : ''}: ${found.reason}.`,
        undefined,
        { errors: [{ in: 'json', ...found }] },
      );
    throw invalid('json', found.field, found.reason);
  }
  await next();
});

interface WithCode {
  code?: unknown;
  errno?: unknown;
  message?: unknown;
  cause?: unknown;
}

/** The codes (PostgreSQL SQLSTATE, postgres.js, Node) along an error and its causes. */
function codes(err: unknown): { codes: string[]; messages: string[] } {
  const out = { codes: [] as string[], messages: [] as string[] };
  let e = err as WithCode | undefined;
  for (let i = 0; e && i < 5; i++, e = e.cause as WithCode | undefined) {
    if (typeof e.code === 'string') out.codes.push(e.code);
    if (typeof e.message === 'string') out.messages.push(e.message);
  }
  return out;
}

const CONNECTION_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08000',
  '08003',
  '08006',
  '08001',
  '08004',
]);

/** Whether the error is the database being unreachable (a dropped connection, a restart, PGlite closed). */
export function isConnectionLost(err: unknown): boolean {
  const { codes: cs, messages } = codes(err);
  return (
    cs.some((c) => CONNECTION_CODES.has(c)) ||
    messages.some((m) => /PGlite is closed|Connection terminated|write after end/i.test(m))
  );
}

export interface DatabaseProblem {
  status: 400 | 503;
  code: string;
  detail: string;
  headers: Record<string, string>;
  extensions: Record<string, unknown>;
}

/**
 * A database error that is not the server's fault: the statement time limit (503, try again), the
 * database unreachable (503), or a value it cannot hold that the route's checks let through (400).
 */
export function databaseProblem(err: unknown): DatabaseProblem | null {
  const { codes: cs } = codes(err);
  const retry = { 'retry-after': String(STATEMENT_RETRY_SECONDS) };
  if (cs.includes('57014')) {
    return {
      status: 503,
      code: 'limit-statement-timeout',
      detail:
        'The database took longer than this server allows one statement (statement_timeout); ask for less (a shorter range, a coarser grain) or try again shortly.',
      headers: retry,
      extensions: { limit: 'statement-timeout' },
    };
  }
  if (isConnectionLost(err))
    return {
      status: 503,
      code: 'database-unavailable',
      detail: 'The database is not reachable right now; nothing was changed. Try again shortly.',
      headers: retry,
      extensions: {},
    };
  const data = cs.find((c) => /^22[0-9A-Z]{3}$/.test(c) || c === '54001');
  if (data)
    return {
      status: 400,
      code: 'invalid-value',
      detail: `A value in the request cannot be stored or compared by the database (SQLSTATE ${data}); check the parameters for unusual characters or numbers out of range.`,
      headers: {},
      extensions: {},
    };
  return null;
}
