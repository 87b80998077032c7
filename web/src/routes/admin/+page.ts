import type { Featured } from '$lib/api';
import { client, ok } from '$lib/client';
import { isoWeekRange, todayIso } from '$lib/format';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, parent }) => {
  // This week is the organisation's (its time zone comes with the session).
  const { me } = await parent();
  const week = isoWeekRange(todayIso(new Date(), me?.time_zone));
  let featured: Featured | null;
  try {
    featured = await ok(client(fetch).api.v1.quotes.featured.$get({ query: { from: week.from, to: week.to } }));
  } catch {
    featured = null; // the panel keeps its reserved empty state
  }
  return { featured, week };
};
