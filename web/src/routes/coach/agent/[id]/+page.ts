import { loadFeatured, loadView } from '$lib/components/coach/load';
import type { AgentView } from '$lib/components/coach/types';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, params, depends }) => {
  depends('coach:agent');
  const view = await loadView<AgentView>(
    fetch,
    `/api/v1/views/coach/agent/${encodeURIComponent(params.id)}?weeks=13`,
    'agent',
  );
  const featured = await loadFeatured(fetch, {
    from: view.period.from,
    to: view.period.to,
    team: view.agent.team?.id ?? null,
  });
  return { view, featured };
};
