import { api, type Featured } from '$lib/api';
import { isoWeekRange } from '$lib/format';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch }) => {
  const week = isoWeekRange();
  let featured: Featured | null = null;
  try {
    featured = await api<Featured>(fetch, `/api/v1/quotes/featured?from=${week.from}&to=${week.to}`);
  } catch {
    featured = null; // the panel keeps its reserved empty state
  }
  return { featured, week };
};
