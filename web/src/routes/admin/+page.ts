import { error } from '@sveltejs/kit';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent }) => {
  const { me } = await parent();
  if (me && me.role !== 'admin') error(403, 'Admin is for admin tokens. Ask your Pairwise admin if you need to import data or curate quotes.');
  return {};
};
