import { client } from '$lib/client';
import { loadFeatured, loadView } from '$lib/components/coach/load';
import type { AgentView } from '$lib/components/coach/types';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, params, depends }) => {
  depends('coach:agent');
  const path = client(fetch).api.v1.views.coach.agent[':id'].$path({
    param: { id: encodeURIComponent(params.id) },
    query: { weeks: '13' },
  });
  const view = await loadView<AgentView>(fetch, path, 'agent');
  const featured = await loadFeatured(fetch, {
    from: view.period.from,
    to: view.period.to,
    team: view.agent.team?.id ?? null,
  });
  return { view, featured };
};
