import type { Context } from 'hono';
import { setCookie } from 'hono/cookie';
import type { AppEnv } from '../context';
import { isHttps } from '../net';
import { openSession, SESSION_COOKIE, type Principal } from './tokens';

/** Opens a session for the principal and sets its cookie: httpOnly, SameSite=Lax, Secure behind HTTPS. */
export async function setSessionCookie(c: Context<AppEnv>, principal: Principal) {
  const { id, expires } = await openSession(c.get('db'), principal);
  setCookie(c, SESSION_COOKIE, id, { httpOnly: true, sameSite: 'Lax', secure: isHttps(c), path: '/', expires });
}

/** Sends the same session cookie again with its renewed expiry (sliding sessions). */
export function renewSessionCookie(c: Context<AppEnv>, id: string, expires: Date) {
  setCookie(c, SESSION_COOKIE, id, { httpOnly: true, sameSite: 'Lax', secure: isHttps(c), path: '/', expires });
}
