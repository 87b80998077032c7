// The weekly review: one request for the view (GET /api/v1/views/weekly), beside the metric
// catalog (labels, units, better-directions) and the teams the filter may offer.
import { redirect } from '@sveltejs/kit';
import { errorText, type Team } from '$lib/api';
import { catalogByKey } from '../../../api/shared/catalog';
import type { Catalog, WeeklyView } from '$lib/components/weekly/types';
import { keepEarlyChart, weeklyParams, weeklyRequests, type WeeklyParams } from '$lib/components/weekly/requests';
import { withEarly } from '$lib/early';
import type { PageLoad } from './$types';

// Built as a page of its own (an empty shell, as every page here: no server rendering) so that its
// HTML already names the page's code and styles, charts included: the browser fetches them at
// once instead of after the app has started.
export const prerender = true;

export interface WeeklyPageData {
  /** What the URL asks for (null: the API's default, the last complete week). */
  params: Required<WeeklyParams>;
  view: WeeklyView | null;
  /** Why the view could not be loaded (an invalid week, a team outside a manager's scope…). */
  error: string | null;
  catalog: Catalog;
  teams: Team[];
}

export const load: PageLoad = async ({ parent, fetch, url }): Promise<WeeklyPageData> => {
  const params = weeklyParams(url);
  // Ask for the data while the layout checks the session (the view is the slow part of the page);
  // on arriving at `/` the HTML page asked already. A failed answer is only read if the session
  // check lets the page show.
  const requests = weeklyRequests(withEarly(fetch), params);
  keepEarlyChart(params);

  const { me } = await parent();
  // The wallboard's token has no weekly review; send it to its screen.
  if (me?.role === 'display') redirect(307, '/tv');
  if (!me) return { params, view: null, error: null, catalog: {}, teams: [] };

  const [view, catalog, teams] = await requests;
  return {
    params,
    view: view.status === 'fulfilled' ? view.value : null,
    error:
      view.status === 'rejected'
        ? errorText(view.reason)
        : catalog.status === 'rejected'
          ? errorText(catalog.reason)
          : null,
    catalog: catalog.status === 'fulfilled' ? catalogByKey(catalog.value.metrics) : {},
    teams: teams.status === 'fulfilled' ? teams.value.teams : [],
  };
};
