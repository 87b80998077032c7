import { api, errorText, type ImportRun } from '$lib/api';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, depends }) => {
  depends('admin:imports');
  try {
    const { imports } = await api<{ imports: ImportRun[] }>(fetch, '/api/v1/imports');
    return { imports, historyError: null as string | null };
  } catch (e) {
    return { imports: [] as ImportRun[], historyError: errorText(e) };
  }
};
