import { client, ok } from '$lib/client';
import { loadFeatured, loadView } from '$lib/components/coach/load';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, params, depends }) => {
  depends('coach:agent');
  const request = client(fetch).api.v1.views.coach.agent[':id'].$get({
    param: { id: encodeURIComponent(params.id) },
    query: { weeks: '13' },
  });
  const view = await loadView(ok(request), 'agent');
  const featured = await loadFeatured(fetch, {
    from: view.period.from,
    to: view.period.to,
    team: view.agent.team?.id ?? null,
  });
  return { view, featured };
};
