// Loading a coaching view: an API refusal becomes the app's error page (403 "Not for this token",
// 404), with the API's own sentence, which carries no data.
import { error } from '@sveltejs/kit';
import { ApiError, type Featured, type Fetch } from '../../api';
import { client, ok } from '../../client';

/** `request` is a typed-client call passed through `ok()`: `loadView(ok(v1.views.coach.$get(…)), 'view')`. */
export async function loadView<T>(request: Promise<T>, what: string): Promise<T> {
  try {
    return await request;
  } catch (e) {
    if (e instanceof ApiError) {
      if (e.status === 403) error(403, `This ${what} is not among the teams your access token may coach.`);
      if (e.status === 404) error(404, `There is no such ${what}.`);
      if (e.status === 0) error(503, e.detail);
      error(e.status >= 400 && e.status < 600 ? e.status : 500, e.detail);
    }
    throw e;
  }
}

/** The period parameters of a URL, when they look like dates. */
export function periodParams(url: URL): { from: string | null; to: string | null } {
  const d = (v: string | null) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : null);
  return { from: d(url.searchParams.get('from')), to: d(url.searchParams.get('to')) };
}

/** The customer quote to feature for a period (and team); null when it cannot be had. Never throws. */
export async function loadFeatured(
  fetchFn: Fetch,
  params: { from: string; to: string; team?: string | null },
): Promise<Featured | null> {
  try {
    return await ok(
      client(fetchFn).api.v1.quotes.featured.$get({ query: { ...params, team: params.team ?? undefined } }),
    );
  } catch {
    return null;
  }
}

/** A line under the featured quote: why this one (or why none). */
export function featuredReason(f: Featured | null): string {
  if (!f) return '';
  if (!f.quote) return f.reason ?? '';
  return f.source === 'pinned'
    ? 'Pinned by a curator for this period.'
    : f.source === 'approved'
      ? 'The newest approved quote of this period.'
      : 'Picked automatically: a well-rated comment of this period.';
}
