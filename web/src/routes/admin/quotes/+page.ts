import { errorText, type Featured, type QuoteList, type Team } from '$lib/api';
import { client, ok } from '$lib/client';
import { fetchPraiseCount, fetchQuotes, readFilters } from '$lib/components/admin/quotes';
import { loadTeams } from '$lib/components/admin/teams';
import { isoWeekRange, todayIso } from '$lib/format';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, url, depends, parent }) => {
  depends('admin:quotes');
  const filters = readFilters(url.searchParams);
  // This week is the organisation's: its time zone comes with the session (the other requests need not wait).
  const week = parent().then(({ me }) => isoWeekRange(todayIso(new Date(), me?.time_zone)));
  const [list, praise, featured, teams, weekOf] = await Promise.allSettled([
    fetchQuotes(fetch, filters),
    fetchPraiseCount(fetch, filters),
    week.then((w) => ok(client(fetch).api.v1.quotes.featured.$get({ query: { from: w.from, to: w.to } }))),
    loadTeams(fetch),
    week,
  ]);
  return {
    filters,
    week: weekOf.status === 'fulfilled' ? weekOf.value : isoWeekRange(),
    list: list.status === 'fulfilled' ? list.value : (null as QuoteList | null),
    listError: list.status === 'rejected' ? errorText(list.reason) : null,
    praiseCount: praise.status === 'fulfilled' ? praise.value : null,
    featured: featured.status === 'fulfilled' ? featured.value : (null as Featured | null),
    featuredError: featured.status === 'rejected' ? errorText(featured.reason) : null,
    teams: teams.status === 'fulfilled' ? teams.value : ([] as Team[]),
  };
};
