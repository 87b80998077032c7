import { query } from '$lib/api';
import { loadFeatured, loadView, periodParams } from '$lib/components/coach/load';
import type { TeamView } from '$lib/components/coach/types';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, url, params }) => {
  const { from, to } = periodParams(url);
  const view = await loadView<TeamView>(
    fetch,
    `/api/v1/views/coach/team/${encodeURIComponent(params.id)}${query({ from, to })}`,
    'team',
  );
  // The reserved quote place: the period the view answered for, the team's scope.
  const featured = await loadFeatured(fetch, { from: view.period.from, to: view.period.to, team: view.team.id });
  return { view, from, to, featured };
};
