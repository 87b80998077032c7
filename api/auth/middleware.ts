// Resolves who is asking (bearer token or session cookie) and guards routes by role.
import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../context';
import { forbidden, unauthorized } from '../errors';
import { requestHost } from '../net';
import { guardedCheck } from './guard';
import { renewSessionCookie } from './session-cookie';
import { principalForSession, principalForToken, SESSION_COOKIE, type Role } from './tokens';

/** Routes that answer whoever asks: credentials sent along are not even looked at. */
const UNIDENTIFIED = new Set(['/api/v1/health']);

/**
 * Sets `principal` when the request carries a valid token or session. A bad bearer token is
 * refused (401, or 429 once its address failed too often); a stale session cookie is not.
 */
export const identify = createMiddleware<AppEnv>(async (c, next) => {
  // A health check must not depend on whatever credentials a probe happens to carry.
  if (UNIDENTIFIED.has(c.req.path)) return next();
  const db = c.get('db');
  const header = c.req.header('authorization');
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) throw unauthorized('The Authorization header must be "Bearer <token>".');
    const token = match[1];
    const principal = await guardedCheck(c, token, () => principalForToken(db, token));
    if (!principal) throw unauthorized('The access token is unknown or was revoked.');
    c.set('principal', principal);
  } else {
    const session = getCookie(c, SESSION_COOKIE);
    if (session) {
      const found = await principalForSession(db, session);
      if (found) {
        const { renewed, ...principal } = found;
        c.set('principal', principal);
        if (renewed) renewSessionCookie(c, session, renewed);
      }
    }
  }
  await next();
});

const ROLE_NAMES: Record<Role, string> = {
  admin: 'an admin',
  leader: 'a leader',
  manager: 'a manager',
  display: 'a display (wallboard)',
  ingest: 'an ingest (write-only)',
};

/** Lets the request through only for the given roles: 401 without a principal, 403 outside the roles. */
export const allow = (...roles: Role[]) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const principal = c.get('principal');
    if (!principal) throw unauthorized();
    if (!roles.includes(principal.role)) {
      throw forbidden(`This needs the ${roles.join(' or ')} role; the token in use is ${ROLE_NAMES[principal.role]} token.`);
    }
    await next();
  });

export const ANY_ROLE: Role[] = ['admin', 'leader', 'manager', 'display'];
export const READERS: Role[] = ['admin', 'leader', 'manager'];

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cross-site request forgery guard for cookie sessions: a state-changing request that relies on
 * the session cookie must come from this site's own pages. Bearer-token requests carry no
 * ambient credentials and pass.
 */
export const sameOriginForCookies = createMiddleware<AppEnv>(async (c, next) => {
  if (SAFE.has(c.req.method) || c.req.header('authorization') || !getCookie(c, SESSION_COOKIE)) return next();
  const site = c.req.header('sec-fetch-site');
  const origin = c.req.header('origin');
  const host = requestHost(c);
  const originHost = origin ? URL.parse(origin)?.host ?? 'invalid' : undefined;
  const crossSite = (site !== undefined && site !== 'same-origin' && site !== 'none') || (originHost !== undefined && originHost !== host);
  if (crossSite) throw forbidden('Cross-site request refused: this session may only be used from Pairwise’s own pages.');
  await next();
});
