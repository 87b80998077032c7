import { errorText, type Goal, type MetricDef, type Settings, type Team } from '$lib/api';
import { client, ok } from '$lib/client';
import { loadTeams } from '$lib/components/admin/teams';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, depends }) => {
  depends('admin:goals');
  const v1 = client(fetch).api.v1;
  const [goals, catalog, settings, teams] = await Promise.allSettled([
    ok(v1.goals.$get({ query: { include_ended: 'true' } })),
    ok(v1.metrics.catalog.$get()),
    ok(v1.settings.$get()),
    loadTeams(fetch),
  ]);
  return {
    goals: goals.status === 'fulfilled' ? goals.value.goals : ([] as Goal[]),
    goalsError: goals.status === 'rejected' ? errorText(goals.reason) : null,
    metrics: catalog.status === 'fulfilled' ? catalog.value.metrics.filter((m) => m.targetable) : ([] as MetricDef[]),
    settings: settings.status === 'fulfilled' ? settings.value : (null as Settings | null),
    settingsError: settings.status === 'rejected' ? errorText(settings.reason) : null,
    teams: teams.status === 'fulfilled' ? teams.value : ([] as Team[]),
  };
};
