import { redirect } from '@sveltejs/kit';
import type { LayoutLoad } from './$types';

export const load: LayoutLoad = async ({ parent }) => {
  const { me } = await parent();
  // The wallboard's token has no coaching views; send it to its screen.
  if (me?.role === 'display') redirect(307, '/tv');
  return {};
};
