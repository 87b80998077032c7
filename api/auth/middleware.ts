// Resolves who is asking (bearer token or session cookie) and guards routes by role.
import { getCookie } from 'hono/cookie';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../context';
import { ApiError, forbidden, limitReached, unauthorized } from '../errors';
import { requestHost } from '../net';
import { guardedCheck } from './guard';
import { renewSessionCookie } from './session-cookie';
import {
  checkSignatureHeader,
  SIGNATURE_HEADER,
  SignatureStream,
  verifySignature,
  type SignatureFailure,
} from './signature';
import { holderOfToken, principalForSession, SESSION_COOKIE, type Role } from './tokens';

/** The signing secret of the token a request came with, where it has one (read with the token). */
const secrets = new WeakMap<Request, string>();

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
    const holder = await guardedCheck(c, token, () => holderOfToken(db, token));
    if (!holder) throw unauthorized('The access token is unknown or was revoked.');
    c.set('principal', holder.principal);
    if (holder.signingSecret) secrets.set(c.req.raw, holder.signingSecret);
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
      throw forbidden(
        `This needs the ${roles.join(' or ')} role; the token in use is ${ROLE_NAMES[principal.role]} token.`,
      );
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
  const originHost = origin ? (URL.parse(origin)?.host ?? 'invalid') : undefined;
  const crossSite =
    (site !== undefined && site !== 'same-origin' && site !== 'none') ||
    (originHost !== undefined && originHost !== host);
  if (crossSite)
    throw forbidden('Cross-site request refused: this session may only be used from Pairwise’s own pages.');
  await next();
});

// Signed requests: an ingest token with a signing secret must sign the bodies it sends.

const signatureRefused = (failure: SignatureFailure, detail: string) =>
  new ApiError(401, `signature-${failure}`, detail, { signature: failure });

/** The secret the principal's requests are signed with; only ingest tokens have one. */
function secretFor(c: Context<AppEnv>): string | null {
  return c.get('principal')?.role === 'ingest' ? (secrets.get(c.req.raw) ?? null) : null;
}

const nowSeconds = () => Date.now() / 1000;

/** Reads a request body whole, refusing it (413 naming `limit`) as soon as it passes `maxBytes`. */
async function readBounded(request: Request, maxBytes: number, limit: string): Promise<Uint8Array> {
  const tooLarge = () => {
    const err = limitReached(
      413,
      limit,
      `The body may be at most ${(maxBytes / 1024).toLocaleString('en')} KB; send fewer records per request. Nothing was written.`,
    );
    // The rest of the body is not read: close the connection after the answer.
    err.headers.connection = 'close';
    return err;
  };
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    parts.push(value);
  }
  return Buffer.concat(parts);
}

const bodies = new WeakMap<Request, Uint8Array>();

/** The body `signedBody` read (empty when it did not run). */
export const rawBodyOf = (c: Context<AppEnv>): Uint8Array => bodies.get(c.req.raw) ?? new Uint8Array();

/**
 * Reads the body once, within `maxBytes` (413 naming `limit`), and for a token with a signing
 * secret checks its signature over those exact bytes (401 saying what is wrong). The route
 * parses the bytes from `rawBodyOf`.
 */
export const signedBody = (maxBytes: number, limit: string) =>
  createMiddleware<AppEnv>(async (c, next) => {
    bodies.set(c.req.raw, await readSigned(c, maxBytes, limit));
    await next();
  });

/** The body, read whole within `maxBytes` (413 naming `limit`), its signature checked where the token signs (401). */
export async function readSigned(c: Context<AppEnv>, maxBytes: number, limit: string): Promise<Uint8Array> {
  const secret = secretFor(c);
  const header = c.req.header(SIGNATURE_HEADER);
  if (secret) {
    // A header that cannot pass is refused before the body is read.
    const checked = checkSignatureHeader(header, nowSeconds());
    if (!checked.ok) throw signatureRefused(checked.failure, checked.detail);
  }
  const bytes = await readBounded(c.req.raw, maxBytes, limit);
  if (secret) {
    const verdict = verifySignature(secret, header, bytes, nowSeconds());
    if (!verdict.ok) throw signatureRefused(verdict.failure, verdict.detail);
  }
  return bytes;
}

/**
 * For routes that stream their body to disk: null when the token signs nothing; else a checker
 * whose `wrap` feeds the body through the MAC and whose `verify` throws 401 unless it matched.
 * The header's form and age are checked here, before anything is read.
 */
export async function streamedSignature(
  c: Context<AppEnv>,
): Promise<{ wrap(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array>; verify(): void } | null> {
  const secret = secretFor(c);
  if (!secret) return null;
  const checked = checkSignatureHeader(c.req.header(SIGNATURE_HEADER), nowSeconds());
  if (!checked.ok) throw signatureRefused(checked.failure, checked.detail);
  const stream = new SignatureStream(secret, checked.parsed);
  return {
    wrap: (body) => stream.wrap(body),
    verify: () => {
      const verdict = stream.verify();
      if (!verdict.ok) throw signatureRefused(verdict.failure, verdict.detail);
    },
  };
}
