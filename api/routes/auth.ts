// Web sign-in: a token becomes an httpOnly SameSite session cookie; `me` tells the web who is signed in.
import { createRoute } from '@hono/zod-openapi';
import { deleteCookie, getCookie } from 'hono/cookie';
import { guardedCheck } from '../auth/guard';
import { allow, ANY_ROLE } from '../auth/middleware';
import { closeSession, principalForToken, ROLES, SESSION_COOKIE } from '../auth/tokens';
import { setSessionCookie } from '../auth/session-cookie';
import { unauthorized } from '../errors';
import { bearer, createRouter, errorResponse, guardedErrors, z } from './openapi';

const MeSchema = z
  .object({
    role: z.enum(ROLES),
    label: z.string(),
    teams: z.array(z.string()),
    time_zone: z
      .string()
      .describe(
        'The organisation’s IANA time zone (ORG_TIMEZONE): days and weeks begin there, whatever zone the browser is in.',
      ),
  })
  .openapi('Me', {
    description: 'The signed-in token: its role, label and (for managers) teams, and the organisation’s time zone.',
  });

const signIn = createRoute({
  method: 'post',
  path: '/auth/session',
  tags: ['Access'],
  summary: 'Sign the browser in with an access token (sets an httpOnly session cookie)',
  request: {
    body: {
      required: true,
      content: { 'application/json': { schema: z.object({ token: z.string().min(1, 'is required').max(512) }) } },
    },
  },
  responses: {
    200: { description: 'Signed in; the cookie is set.', content: { 'application/json': { schema: MeSchema } } },
    400: guardedErrors[400],
    401: errorResponse('The token is unknown or was revoked.'),
    429: errorResponse(
      'Too many failed tokens from this address (or from all together): `limit` names which, `Retry-After` says when to try again.',
    ),
  },
});

const me = createRoute({
  method: 'get',
  path: '/auth/me',
  tags: ['Access'],
  summary: 'Who is signed in',
  security: bearer,
  middleware: [allow(...ANY_ROLE)] as const,
  responses: {
    200: { description: 'The signed-in token.', content: { 'application/json': { schema: MeSchema } } },
    ...guardedErrors,
  },
});

const signOut = createRoute({
  method: 'delete',
  path: '/auth/session',
  tags: ['Access'],
  summary: 'Sign the browser out (ends the session)',
  security: bearer,
  middleware: [allow(...ANY_ROLE)] as const,
  responses: { 204: { description: 'Signed out; the cookie is cleared.' }, ...guardedErrors },
});

export const authRoutes = createRouter()
  .openapi(signIn, async (c) => {
    const token = c.req.valid('json').token.trim();
    const principal = await guardedCheck(c, token, () => principalForToken(c.get('db'), token));
    if (!principal) throw unauthorized('That access token is unknown or was revoked.');
    await setSessionCookie(c, principal);
    return c.json(
      {
        role: principal.role,
        label: principal.label,
        teams: principal.teams,
        time_zone: c.get('deps').env.ORG_TIMEZONE,
      },
      200,
    );
  })
  .openapi(me, (c) => {
    const p = c.get('principal')!;
    return c.json({ role: p.role, label: p.label, teams: p.teams, time_zone: c.get('deps').env.ORG_TIMEZONE }, 200);
  })
  .openapi(signOut, async (c) => {
    const session = getCookie(c, SESSION_COOKIE);
    if (session) await closeSession(c.get('db'), session);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.body(null, 204);
  });
