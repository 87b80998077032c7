import { api, errorText, type AuditEntry } from '$lib/api';
import type { PageLoad } from './$types';

const PAGE = 50;

export const load: PageLoad = async ({ fetch, depends }) => {
  depends('admin:audit');
  try {
    const page = await api<{ entries: AuditEntry[]; next_before: number | string | null }>(
      fetch,
      `/api/v1/audit?limit=${PAGE}`,
    );
    return { ...page, error: null as string | null };
  } catch (e) {
    return { entries: [] as AuditEntry[], next_before: null, error: errorText(e) };
  }
};
