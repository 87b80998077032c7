import { errorText, type Annotation, type Team } from '$lib/api';
import { client, ok } from '$lib/client';
import { loadTeams } from '$lib/components/admin/teams';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, depends, url }) => {
  depends('admin:annotations');
  const from = url.searchParams.get('from') ?? '';
  const to = url.searchParams.get('to') ?? '';
  const [list, teams] = await Promise.allSettled([
    ok(client(fetch).api.v1.annotations.$get({ query: { from, to } })),
    loadTeams(fetch),
  ]);
  return {
    from,
    to,
    annotations: list.status === 'fulfilled' ? list.value.annotations : ([] as Annotation[]),
    listError: list.status === 'rejected' ? errorText(list.reason) : null,
    teams: teams.status === 'fulfilled' ? teams.value : ([] as Team[]),
  };
};
