// Pairwise's web app is a single-page app: the Hono process serves the static build.
import { redirect } from '@sveltejs/kit';
import { api, ApiError, type Me } from '$lib/api';
import { startEarly } from '$lib/components/weekly/requests';
import type { LayoutLoad } from './$types';

export const ssr = false;
export const prerender = false;

export interface LayoutData {
  /** The signed-in principal; null on /login or when the server cannot be reached. */
  me: Me | null;
  /** Set when the session check failed for a reason other than "not signed in". */
  unreachable: string | null;
}

export const load: LayoutLoad = async ({ fetch, url, depends, untrack }): Promise<LayoutData> => {
  depends('app:me');
  const onLogin = url.pathname === '/login';
  // The TV wallboard shows its own "needs its link again" and reconnecting screens.
  const onTv = url.pathname === '/tv' || url.pathname.startsWith('/tv/');
  const session = api<Me>(fetch, '/api/v1/auth/me');
  // The weekly review's data is asked for now, right after the session check (every page waits
  // for that one), while the page's code (charts included) downloads: its `load` takes the
  // requests over. Untracked: a new week or filter must not re-run this load.
  if (url.pathname === '/') untrack(() => startEarly(url));
  try {
    const me = await session;
    // Already signed in: the login page has nothing to offer.
    if (onLogin) redirect(307, '/');
    return { me, unreachable: null };
  } catch (e) {
    if (e instanceof ApiError) {
      if (onTv) return { me: null, unreachable: null };
      if (e.status === 401) {
        if (!onLogin) redirect(307, '/login');
        return { me: null, unreachable: null };
      }
      return { me: null, unreachable: e.detail };
    }
    throw e; // redirects
  }
};
