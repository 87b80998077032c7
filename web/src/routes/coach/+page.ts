import { client, ok } from '$lib/client';
import { loadFeatured, loadView, periodParams } from '$lib/components/coach/load';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, url }) => {
  const { from, to } = periodParams(url);
  const request = client(fetch).api.v1.views.coach.$get({ query: { from: from ?? undefined, to: to ?? undefined } });
  const view = await loadView(ok(request), 'view');
  // The reserved quote place, for the period the view answered for (a manager's scope: its teams).
  const featured = await loadFeatured(fetch, { from: view.period.from, to: view.period.to });
  return { view, from, to, featured };
};
