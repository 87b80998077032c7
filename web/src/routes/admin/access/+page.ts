import { errorText, type AccessToken, type Team } from '$lib/api';
import { client, ok } from '$lib/client';
import { loadTeams } from '$lib/components/admin/teams';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, depends }) => {
  depends('admin:tokens');
  const [tokens, teams] = await Promise.allSettled([ok(client(fetch).api.v1.tokens.$get()), loadTeams(fetch)]);
  return {
    tokens: tokens.status === 'fulfilled' ? tokens.value.tokens : ([] as AccessToken[]),
    tokensError: tokens.status === 'rejected' ? errorText(tokens.reason) : null,
    teams: teams.status === 'fulfilled' ? teams.value : ([] as Team[]),
  };
};
