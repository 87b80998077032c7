// The API's typed client: paths, parameters and answers come from the routes' own schemas
// (api/routes, `AppType`), so a page that asks for something the API does not answer fails to build.
import { hc, type ClientResponse } from 'hono/client';
import type { SuccessStatusCode } from 'hono/utils/http-status';
import type { AppType } from '../../../api/routes';
import { ACCEPT, answer, type Fetch } from './api';

/**
 * A client over `fetch` (pass the one a `load` function receives, or the global one). Requests are
 * the ones `api()` sends: same origin, session cookie, `accept` JSON or a problem document.
 */
export function client(fetchFn: Fetch = fetch) {
  return hc<AppType>('/', {
    fetch: fetchFn,
    headers: { accept: ACCEPT },
    init: { credentials: 'same-origin' },
    buildSearchParams: searchParams,
  });
}

export type Client = ReturnType<typeof client>;
/** The routes under /api/v1: `V1['goals']['$get']` is GET /api/v1/goals. */
export type V1 = Client['api']['v1'];

/** As `query()` of api.ts: a missing, null or empty value is left out of the query string. */
function searchParams(query: Record<string, string | string[]>): URLSearchParams {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query as Record<string, unknown>)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) for (const item of v) q.append(k, String(item));
    else q.set(k, String(v));
  }
  return q;
}

/** The body of a route's 2xx JSON answers (`undefined` for 204). */
export type Ok<R> =
  R extends ClientResponse<infer T, infer S, infer F>
    ? S extends SuccessStatusCode
      ? F extends 'json'
        ? T
        : S extends 204 | 205
          ? undefined
          : never
      : never
    : never;

/** What a route answers on success: `Answer<V1['settings']['$get']>`. */
export type Answer<F extends (...args: never[]) => Promise<unknown>> = Ok<Awaited<ReturnType<F>>>;

/**
 * The parsed body of a 2xx answer; anything else throws the ApiError `api()` throws (the problem
 * document of a non-2xx answer, status 0 when the server cannot be reached).
 */
export function ok<R extends ClientResponse<unknown, number, string>>(request: Promise<R>): Promise<Ok<R>> {
  return answer<Ok<R>>(request as unknown as Promise<Response>);
}
