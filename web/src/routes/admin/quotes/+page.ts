import { api, errorText, type Featured, type QuoteList, type Team } from '$lib/api';
import { fetchPraiseCount, fetchQuotes, readFilters } from '$lib/components/admin/quotes';
import { loadTeams } from '$lib/components/admin/teams';
import { isoWeekRange } from '$lib/format';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, url, depends }) => {
  depends('admin:quotes');
  const filters = readFilters(url.searchParams);
  const week = isoWeekRange();
  const [list, praise, featured, teams] = await Promise.allSettled([
    fetchQuotes(fetch, filters),
    fetchPraiseCount(fetch, filters),
    api<Featured>(fetch, `/api/v1/quotes/featured?from=${week.from}&to=${week.to}`),
    loadTeams(fetch),
  ]);
  return {
    filters,
    week,
    list: list.status === 'fulfilled' ? list.value : (null as QuoteList | null),
    listError: list.status === 'rejected' ? errorText(list.reason) : null,
    praiseCount: praise.status === 'fulfilled' ? praise.value : null,
    featured: featured.status === 'fulfilled' ? featured.value : (null as Featured | null),
    featuredError: featured.status === 'rejected' ? errorText(featured.reason) : null,
    teams: teams.status === 'fulfilled' ? teams.value : ([] as Team[]),
  };
};
