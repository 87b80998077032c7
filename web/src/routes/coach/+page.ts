import { query } from '$lib/api';
import { loadFeatured, loadView, periodParams } from '$lib/components/coach/load';
import type { CoachView } from '$lib/components/coach/types';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, url }) => {
  const { from, to } = periodParams(url);
  const view = await loadView<CoachView>(fetch, `/api/v1/views/coach${query({ from, to })}`, 'view');
  // The reserved quote place, for the period the view answered for (a manager's scope: its teams).
  const featured = await loadFeatured(fetch, { from: view.period.from, to: view.period.to });
  return { view, from, to, featured };
};
