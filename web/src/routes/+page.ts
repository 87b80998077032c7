import { redirect } from '@sveltejs/kit';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent }) => {
  const { me } = await parent();
  // The wallboard's token has no weekly review; send it to its screen.
  if (me?.role === 'display') redirect(307, '/tv');
  return {};
};
