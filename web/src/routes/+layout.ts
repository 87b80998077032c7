// Pairwise's web app is a single-page app: the Hono process serves the static build.
import { redirect } from '@sveltejs/kit';
import { ApiError, type Me } from '$lib/api';
import { client, ok } from '$lib/client';
import { withEarly } from '$lib/early';
import { setOrgTimeZone } from '$lib/format';
import type { LayoutLoad } from './$types';

export const ssr = false;
export const prerender = false;

export interface LayoutData {
  /** The signed-in principal; null on /login or when the server cannot be reached. */
  me: Me | null;
  /** Set when the session check failed for a reason other than "not signed in". */
  unreachable: string | null;
}

export const load: LayoutLoad = async ({ fetch, url, depends }): Promise<LayoutData> => {
  depends('app:me');
  const onLogin = url.pathname === '/login';
  // The TV wallboard shows its own "needs its link again" and reconnecting screens.
  const onTv = url.pathname === '/tv' || url.pathname.startsWith('/tv/');
  // On `/` the HTML page asked already (app.html): the first load takes that answer.
  const session = ok(client(withEarly(fetch)).api.v1.auth.me.$get());
  try {
    const me = await session;
    // Before any page renders: "today" in forms and pickers is the organisation's day.
    setOrgTimeZone(me.time_zone);
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
