// Web sign-in: token → httpOnly session cookie; /login?token= links; sign-out; CSRF guard.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret, syncConfiguredAdminToken } from '../../api/auth/tokens';
import { accessTokens, sessions } from '../../db/schema';
import { createTestApp, readProblem, type TestApp } from '../helpers/app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const cookieOf = (res: Response) => {
  const header = res.headers.get('set-cookie') ?? '';
  const match = /pairwise_session=([^;]*)/.exec(header);
  return { header, value: match?.[1] ?? '' };
};

describe('POST /api/v1/auth/session', () => {
  it('turns a valid token into an httpOnly SameSite session cookie', async () => {
    const res = await t.request('/api/v1/auth/session', { method: 'POST', json: { token: t.tokens.manager } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ role: 'manager', label: 'test manager', teams: ['t1'], time_zone: 'UTC' });
    const cookie = cookieOf(res);
    expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(cookie.value).not.toContain(t.tokens.manager);
    expect(cookie.header).toMatch(/HttpOnly/i);
    expect(cookie.header).toMatch(/SameSite=Lax/i);
    expect(cookie.header).toMatch(/Path=\//);

    const me = await t.request('/api/v1/auth/me', { headers: { cookie: `pairwise_session=${cookie.value}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { role: string }).role).toBe('manager');
  });

  it('refuses an unknown token with 401 problem+json and sets no cookie', async () => {
    const res = await t.request('/api/v1/auth/session', { method: 'POST', json: { token: 'pw_wrong' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect((await readProblem(res)).detail).toMatch(/unknown or was revoked/);
  });

  it('refuses a body without a token with 400 naming the field', async () => {
    const res = await t.request('/api/v1/auth/session', { method: 'POST', json: { tokn: 'x' } });
    expect(res.status).toBe(400);
    const body = await readProblem(res);
    expect(body.errors?.[0]).toMatchObject({ in: 'json', field: 'token' });
    expect(body.detail).toMatch(/body field 'token'/);
  });

  it('refuses a body that is not JSON with 400', async () => {
    const res = await t.request('/api/v1/auth/session', {
      method: 'POST',
      body: '{oops',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    await readProblem(res);
  });
});

describe('sessions', () => {
  async function signIn(token: string) {
    const res = await t.request('/api/v1/auth/session', { method: 'POST', json: { token } });
    return cookieOf(res).value;
  }

  it('sign-out ends the session server-side', async () => {
    const session = await signIn(t.tokens.leader);
    const headers = { cookie: `pairwise_session=${session}`, origin: 'http://localhost' };
    const out = await t.request('/api/v1/auth/session', { method: 'DELETE', headers });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/pairwise_session=;/);
    // The old cookie no longer works even if a client kept it.
    expect((await t.request('/api/v1/auth/me', { headers })).status).toBe(401);
  });

  it('refuses a cross-site state change made with the session cookie', async () => {
    const session = await signIn(t.tokens.admin);
    const res = await t.request('/api/v1/tokens', {
      method: 'POST',
      json: { role: 'leader', label: 'forged' },
      headers: {
        cookie: `pairwise_session=${session}`,
        origin: 'https://evil.example',
        'sec-fetch-site': 'cross-site',
      },
    });
    expect(res.status).toBe(403);
    expect((await readProblem(res)).detail).toMatch(/Cross-site/);
    const same = await t.request('/api/v1/tokens', {
      method: 'POST',
      json: { role: 'leader', label: 'from the admin page' },
      headers: { cookie: `pairwise_session=${session}`, origin: 'http://localhost', 'sec-fetch-site': 'same-origin' },
    });
    expect(same.status).toBe(201);
  });

  it('an expired session is refused', async () => {
    const session = await signIn(t.tokens.leader);
    await t.database.db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) });
    expect((await t.request('/api/v1/auth/me', { headers: { cookie: `pairwise_session=${session}` } })).status).toBe(
      401,
    );
  });
});

describe('GET /login?token=', () => {
  it('signs in and sends the browser on without the token in the address', async () => {
    const res = await t.request(`/login?token=${t.tokens.admin}`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(cookieOf(res).value).not.toBe('');
  });

  it('sends a display token to the wallboard', async () => {
    const res = await t.request(`/login?token=${t.tokens.display}`);
    expect(res.headers.get('location')).toBe('/tv');
  });

  it('sends a bad link back to the login page with a reason', async () => {
    const res = await t.request('/login?token=pw_nope');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login?error=invalid-token');
    expect(res.headers.get('set-cookie')).toBeNull();
  });
});

describe('GET /tv?token= (the TV URL)', () => {
  it('signs the wallboard in and keeps its screen settings, dropping the token from the address', async () => {
    const res = await t.request(`/tv?token=${t.tokens.display}&screens=today,voice&every=15&team=t1`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/tv?screens=today%2Cvoice&every=15&team=t1');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const cookie = cookieOf(res);
    expect(cookie.value).not.toBe('');
    const me = await t.request('/api/v1/auth/me', { headers: { cookie: `pairwise_session=${cookie.value}` } });
    expect(((await me.json()) as { role: string }).role).toBe('display');
    expect((await t.request(`/tv?token=${t.tokens.display}`)).headers.get('location')).toBe('/tv');
    expect((await t.request('/tv?token=pw_nope')).headers.get('location')).toBe('/login?error=invalid-token');
  });
});

describe('sliding sessions', () => {
  it('renews a session in use once a day, in the database and the cookie', async () => {
    const res = await t.request('/api/v1/auth/session', { method: 'POST', json: { token: t.tokens.display } });
    const id = cookieOf(res).value;
    const headers = { cookie: `pairwise_session=${id}` };
    // Fresh: no renewal on use.
    expect((await t.request('/api/v1/auth/me', { headers })).headers.get('set-cookie')).toBeNull();
    // Three weeks later (nine days left): the next request moves the expiry 30 days ahead.
    const [row] = await t.database.db
      .select()
      .from(sessions)
      .where(eq(sessions.idHash, hashSecret(id)));
    const later = new Date(Date.now() + 9 * 86_400_000);
    await t.database.db.update(sessions).set({ expiresAt: later }).where(eq(sessions.idHash, row!.idHash));
    const used = await t.request('/api/v1/auth/me', { headers });
    expect(used.status).toBe(200);
    const renewed = cookieOf(used);
    expect(renewed.value).toBe(id);
    const expires = Date.parse(/Expires=([^;]+)/i.exec(renewed.header)![1]!);
    expect(expires).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    const [after] = await t.database.db.select().from(sessions).where(eq(sessions.idHash, row!.idHash));
    expect(after!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    // An expired session is not renewed: it is gone.
    await t.database.db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.idHash, row!.idHash));
    expect((await t.request('/api/v1/auth/me', { headers })).status).toBe(401);
  });
});

describe('PAIRWISE_ADMIN_TOKEN', () => {
  it('is accepted as an admin token, and a changed value revokes the old one', async () => {
    const first = 'configured-admin-token-number-1-abcdef';
    await syncConfiguredAdminToken(t.database.db, first);
    await syncConfiguredAdminToken(t.database.db, first); // idempotent: one row
    const me = await t.request('/api/v1/auth/me', { token: first });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { role: string }).role).toBe('admin');
    expect(await t.database.db.select().from(accessTokens).where(eq(accessTokens.fromEnv, true))).toHaveLength(1);

    const second = 'configured-admin-token-number-2-abcdef';
    await syncConfiguredAdminToken(t.database.db, second);
    expect((await t.request('/api/v1/auth/me', { token: first })).status).toBe(401);
    expect((await t.request('/api/v1/auth/me', { token: second })).status).toBe(200);

    await syncConfiguredAdminToken(t.database.db, undefined);
    expect((await t.request('/api/v1/auth/me', { token: second })).status).toBe(401);
  });
});
