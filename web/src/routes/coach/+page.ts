import { client } from '$lib/client';
import { loadFeatured, loadView, periodParams } from '$lib/components/coach/load';
import type { CoachView } from '$lib/components/coach/types';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, url }) => {
  const { from, to } = periodParams(url);
  const path = client(fetch).api.v1.views.coach.$path({ query: { from: from ?? undefined, to: to ?? undefined } });
  const view = await loadView<CoachView>(fetch, path, 'view');
  // The reserved quote place, for the period the view answered for (a manager's scope: its teams).
  const featured = await loadFeatured(fetch, { from: view.period.from, to: view.period.to });
  return { view, from, to, featured };
};
