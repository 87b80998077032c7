// `/login?token=…`: the link printed at first start and given to people. A valid token becomes
// a session cookie and the browser goes to the app; the token leaves the address bar at once.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { guardedCheck } from '../auth/guard';
import { setSessionCookie } from '../auth/session-cookie';
import { principalForToken, type Principal } from '../auth/tokens';
import type { Context, Next } from 'hono';
import type { AppEnv } from '../context';

export function mountLoginLink(app: OpenAPIHono<AppEnv>) {
  app.get('/login', (c, next) => signInByLink(c, next, (principal) => (principal.role === 'display' ? '/tv' : '/')));
  // The TV URL an admin hands out: `/tv?token=…&screens=…&every=…&team=…`. The session it makes
  // slides (renewed while in use), so the wallboard survives reloads and restarts untouched.
  app.get('/tv', (c, next) =>
    signInByLink(c, next, () => {
      const kept = new URL(c.req.url).searchParams;
      kept.delete('token');
      const rest = kept.toString();
      return `/tv${rest ? `?${rest}` : ''}`;
    }),
  );
}

async function signInByLink(c: Context<AppEnv>, next: Next, target: (principal: Principal) => string) {
  const token = c.req.query('token')?.trim();
  if (token === undefined) return next();
  c.header('cache-control', 'no-store');
  c.header('referrer-policy', 'no-referrer');
  // Guessing through a link is limited like the sign-in form: 429 problem+json with Retry-After.
  const principal = await guardedCheck(c, token, () => principalForToken(c.get('db'), token));
  if (!principal) return c.redirect('/login?error=invalid-token', 303);
  await setSessionCookie(c, principal);
  return c.redirect(target(principal), 303);
}
