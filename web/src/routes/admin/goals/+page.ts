import { api, errorText, type Goal, type MetricDef, type Settings, type Team } from '$lib/api';
import { loadTeams } from '$lib/components/admin/teams';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, depends }) => {
  depends('admin:goals');
  const [goals, catalog, settings, teams] = await Promise.allSettled([
    api<{ goals: Goal[] }>(fetch, '/api/v1/goals?include_ended=true'),
    api<{ metrics: MetricDef[] }>(fetch, '/api/v1/metrics/catalog'),
    api<Settings>(fetch, '/api/v1/settings'),
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
