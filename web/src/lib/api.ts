// Access to the Pairwise API (`/api/v1`), same origin, session cookie: the errors every call
// throws, the shapes pages share (most inferred from the routes, see client.ts) and `api()` for
// the calls that do not go through the typed client.

import type { CuratorQuote, Segment as QuoteSegment } from '../../../api/quotes/view';
import type { CurationStatus as QuoteStatus } from '../../../api/quotes/store';
import type { RedactionKind } from '../../../api/quotes/redact';
import type { FeaturedAnswer } from '../../../api/quotes/service';
import type { FeaturedQuote } from '../../../api/quotes/view';
import type { CreatedToken, CreateTokenInput, TokenView } from '../../../api/auth/tokens';
import type { Answer, V1 } from './client';

import { KINDS, ROLES, type Kind, type Role } from '../../../api/shared/constants';

export { ROLES, type Role };

/** `ingest` only writes events from a platform: it may sign nothing in and read nothing. */
export const readsNothing = (role: Role): boolean => role === 'ingest';

/** The signed-in principal, from `GET /api/v1/auth/me` (`time_zone`: the organisation's, where days begin). */
export type Me = Answer<V1['auth']['me']['$get']>;

/** An RFC 9457 problem document, as the API answers errors. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  [extension: string]: unknown;
}

/** Any non-2xx answer (status 0: the server could not be reached). */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(status: number, problem: Problem) {
    super(problem.detail ?? problem.title ?? `Request failed with status ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }

  /** The sentence to show a person. */
  get detail(): string {
    return this.message;
  }
}

export type Fetch = typeof fetch;

/** What every call accepts: a JSON answer, or a problem document when it fails. */
export const ACCEPT = 'application/json, application/problem+json';

export interface ApiInit extends RequestInit {
  /** Sent as a JSON body with `content-type: application/json`. */
  json?: unknown;
}

/**
 * Calls the API and returns the parsed JSON body (`undefined` for 204).
 * Pass the `fetch` a `load` function receives, or the global one.
 */
export async function api<T>(fetchFn: Fetch, path: string, init: ApiInit = {}): Promise<T> {
  const { json, headers, ...rest } = init;
  const h = new Headers(headers);
  if (!h.has('accept')) h.set('accept', ACCEPT);
  let body = rest.body;
  if (json !== undefined) {
    h.set('content-type', 'application/json');
    body = JSON.stringify(json);
  }
  // Called inside an async function, so that a fetch which throws at once still gives ApiError(0).
  return answer<T>((async () => fetchFn(path, { credentials: 'same-origin', ...rest, headers: h, body }))());
}

/**
 * The parsed JSON body of a response (`undefined` for 204 or an empty body), or an ApiError for
 * a non-2xx answer, an unreachable server (status 0) or a body that is not JSON.
 */
export async function answer<T>(request: Promise<Response>): Promise<T> {
  let res: Response;
  try {
    res = await request;
  } catch {
    throw new ApiError(0, {
      title: 'Network error',
      detail: 'Could not reach the Pairwise server. Check your connection and try again.',
    });
  }

  if (!res.ok) throw new ApiError(res.status, await readProblem(res));
  if (res.status === 204 || res.status === 205) return undefined as T;
  const text = await res.text();
  if (text === '') return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(res.status, {
      title: 'Invalid response',
      detail: 'The server answered with something that is not JSON.',
    });
  }
}

async function readProblem(res: Response): Promise<Problem> {
  const fallback: Problem = {
    status: res.status,
    title: res.statusText || 'Error',
    detail: `The server answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}.`,
  };
  try {
    const text = await res.text();
    if (!text) return fallback;
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const p = parsed as Problem;
      return {
        ...fallback,
        ...p,
        detail: typeof p.detail === 'string' && p.detail ? p.detail : (p.title ?? fallback.detail),
      };
    }
    return fallback;
  } catch {
    return fallback;
  }
}

/** An area of the navigation. `quotes` is the leader's way into Admin › Quotes (leaders curate quotes). */
export type Area = 'weekly' | 'coach' | 'tv' | 'admin' | 'quotes';

/** What each role may see in the navigation. */
export function canSee(role: Role, area: Area): boolean {
  if (readsNothing(role)) return false;
  if (area === 'admin') return role === 'admin';
  if (area === 'quotes') return role === 'admin' || role === 'leader';
  if (area === 'tv') return true;
  return role !== 'display';
}

// ---------------------------------------------------------------------------------------------
// Validation errors
// ---------------------------------------------------------------------------------------------

/** One field problem of a 400 or 422 answer (`errors` [{field, reason}]). */
export interface FieldError {
  in?: string;
  field: string | null;
  reason: string;
}

/** The field problems of an error, by field name (`''` for those without a field). */
export function fieldErrors(e: unknown): Record<string, string> {
  if (!(e instanceof ApiError)) return {};
  const list = e.problem.errors;
  if (!Array.isArray(list)) return {};
  const out: Record<string, string> = {};
  for (const item of list as FieldError[]) {
    if (!item || typeof item.reason !== 'string') continue;
    const key = item.field ?? '';
    // `hidden_spans.2` also counts for `hidden_spans`, so a form can show it by its field.
    for (const k of new Set([key, key.split('.')[0]!])) out[k] = out[k] ? `${out[k]}; ${item.reason}` : item.reason;
  }
  return out;
}

/** A sentence for any thrown value. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.detail;
  if (e instanceof Error) return e.message;
  return String(e);
}

// ---------------------------------------------------------------------------------------------
// Shapes of the admin routes
// ---------------------------------------------------------------------------------------------

/** A reference to a team or agent by external id, with its display name. */
export interface Ref {
  id: string;
  name: string;
}

/** A team, from `GET /api/v1/teams`. */
export type Team = Answer<V1['teams']['$get']>['teams'][number];

export const INGEST_KINDS = KINDS;
export type IngestKind = Kind;

/** `POST /api/v1/ingest/{kind}` on success (`changed` left out: this route never asks the import for it). */
export type IngestResult = Omit<Answer<V1['ingest'][':kind']['$post']>, 'changed'>;

/** One row problem of a rejected batch (422). */
export interface IngestProblem {
  row: number;
  field: string | null;
  value: unknown;
  reason: string;
}

/** One import, from `GET /api/v1/imports`. */
export type ImportRun = Answer<V1['imports']['$get']>['imports'][number];

export type QuoteFilter = QuoteStatus | 'pinned' | 'all';
// The quote shapes are the API's own (api/quotes): one definition for both sides.
export type { CuratorQuote, QuoteSegment, QuoteStatus, RedactionKind };

/** A page of `GET /api/v1/quotes`. */
export type QuoteList = Answer<V1['quotes']['$get']>;

/** What `PATCH /api/v1/quotes/{id}` accepts. */
export interface QuotePatch {
  status?: QuoteStatus;
  pinned_from?: string | null;
  pinned_to?: string | null;
  /** Admin only: offsets into the original comment. */
  hidden_spans?: Array<[number, number]>;
  /** Ranges of the shown `text` (as read) to keep hidden: any curator. */
  hide?: { text: string; spans: Array<[number, number]> };
  is_praise?: boolean;
  credited_agent?: string | null;
  praise_teams?: string[];
  followed_up_on?: string | null;
}

/** The quote a view features (QuotePanel's `quote`), and the featured answer with why there is none. */
export type { FeaturedQuote };
export type Featured = FeaturedAnswer;

/** A metric of `GET /api/v1/metrics/catalog`. */
export type MetricDef = Answer<V1['metrics']['catalog']['$get']>['metrics'][number];

/** A goal of `GET /api/v1/goals`. */
export type Goal = Answer<V1['goals']['$get']>['goals'][number];

/** `GET /api/v1/settings`. */
export type Settings = Answer<V1['settings']['$get']>;

/** An annotation of `GET /api/v1/annotations`. */
export type Annotation = Answer<V1['annotations']['$get']>['annotations'][number];

/** A token as `GET /api/v1/tokens` lists it (never its secret). */
export type AccessToken = TokenView;
/** What `POST /api/v1/tokens` accepts. */
export type CreateToken = CreateTokenInput;
/** `POST /api/v1/tokens` → 201: the only time the token (and a signing secret) is shown. */
export type { CreatedToken };

/** An entry of `GET /api/v1/audit`. */
export type AuditEntry = Answer<V1['audit']['$get']>['entries'][number];

/** Builds a query string from the defined, non-empty values. */
export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/**
 * Uploads a file with XMLHttpRequest so that upload progress can be shown (fetch has no upload
 * progress). Same origin, session cookie. Answers the parsed JSON; throws ApiError like `api`.
 */
export function upload<T>(
  path: string,
  body: Blob,
  opts: {
    contentType: string;
    onProgress?: (sent: number, total: number) => void;
    onSent?: () => void;
    signal?: AbortSignal;
  },
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('content-type', opts.contentType);
    xhr.setRequestHeader('accept', ACCEPT);
    xhr.upload.onprogress = (ev) => opts.onProgress?.(ev.loaded, ev.lengthComputable ? ev.total : body.size);
    xhr.upload.onload = () => opts.onSent?.();
    xhr.onerror = () =>
      reject(
        new ApiError(0, {
          title: 'Network error',
          detail: 'Could not reach the Pairwise server. Check your connection and try again.',
        }),
      );
    xhr.onabort = () => reject(new ApiError(0, { title: 'Cancelled', detail: 'The upload was cancelled.' }));
    xhr.onload = () => {
      const text = xhr.responseText;
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(parsed as T);
        return;
      }
      const fallback: Problem = {
        status: xhr.status,
        title: xhr.statusText || 'Error',
        detail: `The server answered ${xhr.status}${xhr.statusText ? ` ${xhr.statusText}` : ''}.`,
      };
      const p = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Problem) : {};
      reject(
        new ApiError(xhr.status, {
          ...fallback,
          ...p,
          detail: typeof p.detail === 'string' && p.detail ? p.detail : fallback.detail,
        }),
      );
    };
    opts.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(body);
  });
}
