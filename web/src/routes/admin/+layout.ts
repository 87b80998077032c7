// Admin is for admin tokens; leaders curate quotes (the overview and Admin › Quotes).
// Everyone else gets the 403 page.
import { error } from '@sveltejs/kit';
import { mayOpen } from '$lib/components/admin/sections';
import type { LayoutLoad } from './$types';

export const load: LayoutLoad = async ({ parent, url }) => {
  const { me } = await parent();
  if (!me) return {};
  const slug = url.pathname.replace(/^\/admin\/?/, '').split('/')[0] ?? '';
  if (!mayOpen(me.role, slug)) {
    error(
      403,
      me.role === 'leader'
        ? 'Leaders curate quotes in Admin › Quotes; the rest of Admin is for admin tokens.'
        : 'Admin is for admin tokens. Ask your Pairwise admin if you need to import data or curate quotes.',
    );
  }
  return {};
};
