import { client } from '$lib/client';
import { loadFeatured, loadView, periodParams } from '$lib/components/coach/load';
import type { TeamView } from '$lib/components/coach/types';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, url, params }) => {
  const { from, to } = periodParams(url);
  const path = client(fetch).api.v1.views.coach.team[':id'].$path({
    param: { id: encodeURIComponent(params.id) },
    query: { from: from ?? undefined, to: to ?? undefined },
  });
  const view = await loadView<TeamView>(fetch, path, 'team');
  // The reserved quote place: the period the view answered for, the team's scope.
  const featured = await loadFeatured(fetch, { from: view.period.from, to: view.period.to, team: view.team.id });
  return { view, from, to, featured };
};
