// Typed access to the Pairwise API (`/api/v1`), same origin, session cookie.

export type Role = 'admin' | 'leader' | 'manager' | 'display';

/** The signed-in principal, from `GET /api/v1/auth/me`. */
export interface Me {
  role: Role;
  label: string;
  teams: string[];
}

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
  if (!h.has('accept')) h.set('accept', 'application/json, application/problem+json');
  let body = rest.body;
  if (json !== undefined) {
    h.set('content-type', 'application/json');
    body = JSON.stringify(json);
  }

  let res: Response;
  try {
    res = await fetchFn(path, { credentials: 'same-origin', ...rest, headers: h, body });
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
    throw new ApiError(res.status, { title: 'Invalid response', detail: 'The server answered with something that is not JSON.' });
  }
}

async function readProblem(res: Response): Promise<Problem> {
  const fallback: Problem = { status: res.status, title: res.statusText || 'Error', detail: `The server answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}.` };
  try {
    const text = await res.text();
    if (!text) return fallback;
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const p = parsed as Problem;
      return { ...fallback, ...p, detail: typeof p.detail === 'string' && p.detail ? p.detail : (p.title ?? fallback.detail) };
    }
    return fallback;
  } catch {
    return fallback;
  }
}

/** What each role may see in the navigation. */
export function canSee(role: Role, area: 'weekly' | 'coach' | 'tv' | 'admin'): boolean {
  if (area === 'admin') return role === 'admin';
  if (area === 'tv') return true;
  return role !== 'display';
}
