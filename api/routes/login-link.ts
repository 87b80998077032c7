// `/login?token=…`: the link printed at first start and given to people. A valid token becomes
// a session cookie and the browser goes to the app; the token leaves the address bar at once.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { setSessionCookie } from '../auth/session-cookie';
import { principalForToken } from '../auth/tokens';
import type { AppEnv } from '../context';

export function mountLoginLink(app: OpenAPIHono<AppEnv>) {
  app.get('/login', async (c, next) => {
    const token = c.req.query('token');
    if (token === undefined) return next();
    c.header('cache-control', 'no-store');
    c.header('referrer-policy', 'no-referrer');
    const principal = await principalForToken(c.get('db'), token.trim());
    if (!principal) return c.redirect('/login?error=invalid-token', 303);
    await setSessionCookie(c, principal);
    return c.redirect(principal.role === 'display' ? '/tv' : '/', 303);
  });
}
