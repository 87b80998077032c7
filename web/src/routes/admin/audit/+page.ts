import { errorText, type AuditEntry } from '$lib/api';
import { client, ok } from '$lib/client';
import type { PageLoad } from './$types';

const PAGE = 50;

export const load: PageLoad = async ({ fetch, depends }) => {
  depends('admin:audit');
  try {
    const page = await ok(client(fetch).api.v1.audit.$get({ query: { limit: String(PAGE) } }));
    return { ...page, error: null as string | null };
  } catch (e) {
    return { entries: [] as AuditEntry[], next_before: null, error: errorText(e) };
  }
};
