import type { Context } from 'hono';
import { setCookie } from 'hono/cookie';
import type { AppEnv } from '../context';
import { openSession, SESSION_COOKIE, type Principal } from './tokens';

/** Opens a session for the principal and sets its cookie: httpOnly, SameSite=Lax, Secure behind HTTPS. */
export async function setSessionCookie(c: Context<AppEnv>, principal: Principal) {
  const { id, expires } = await openSession(c.get('db'), principal);
  const https = new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';
  setCookie(c, SESSION_COOKIE, id, { httpOnly: true, sameSite: 'Lax', secure: https, path: '/', expires });
}
