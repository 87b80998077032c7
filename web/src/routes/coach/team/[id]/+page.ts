import { client, ok } from '$lib/client';
import { loadFeatured, loadView, periodParams } from '$lib/components/coach/load';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, url, params }) => {
  const { from, to } = periodParams(url);
  const request = client(fetch).api.v1.views.coach.team[':id'].$get({
    param: { id: encodeURIComponent(params.id) },
    query: { from: from ?? undefined, to: to ?? undefined },
  });
  const view = await loadView(ok(request), 'team');
  // The reserved quote place: the period the view answered for, the team's scope.
  const featured = await loadFeatured(fetch, { from: view.period.from, to: view.period.to, team: view.team.id });
  return { view, from, to, featured };
};
