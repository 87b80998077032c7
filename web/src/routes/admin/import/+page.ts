import { api, errorText, type ImportRun } from '$lib/api';
import { listPresets, listSources, type Preset, type SourceSummary } from '$lib/sources';
import type { PageLoad } from './$types';

/** Each part of the page loads on its own: one that fails says so and the others still show. */
async function settle<T>(p: Promise<T>): Promise<{ value: T | null; error: string | null }> {
  try {
    return { value: await p, error: null };
  } catch (e) {
    return { value: null, error: errorText(e) };
  }
}

export const load: PageLoad = async ({ fetch, depends }) => {
  depends('admin:imports');
  depends('admin:sources');
  const [history, sources, presets] = await Promise.all([
    settle(api<{ imports: ImportRun[] }>(fetch, '/api/v1/imports')),
    settle(listSources(fetch)),
    settle(listPresets(fetch)),
  ]);
  return {
    imports: history.value?.imports ?? ([] as ImportRun[]),
    historyError: history.error,
    sources: sources.value?.sources ?? ([] as SourceSummary[]),
    sourcesError: sources.error,
    presets: presets.value?.presets ?? ([] as Preset[]),
    presetsError: presets.error,
  };
};
