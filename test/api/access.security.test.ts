// Table-driven: every route answers 401 without a token, 403 outside its roles, and lets its
// roles through. The table (test/helpers/routes.ts) must list every route of the OpenAPI document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../api/auth/tokens';
import { createTestApp, readProblem, type TestApp } from '../helpers/app';
import { ROUTES } from '../helpers/routes';

let t: TestApp;
beforeAll(async () => {
  // Behind a trusted proxy, so that each route's unknown token comes from its own address: failed
  // tokens are limited per address (test/api/auth.security.test.ts).
  t = await createTestApp({ env: { TRUST_PROXY: '1' } });
});
afterAll(() => t.close());

const guarded = ROUTES.filter((r) => r.roles !== 'public');
const url = (r: (typeof ROUTES)[number]) => `/api/v1${r.call ?? r.path}`;

describe('route access', () => {
  it('the table lists every route of the OpenAPI document', async () => {
    const res = await t.request('/api/v1/openapi.json', { token: t.tokens.admin });
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    const listed = ROUTES.map((r) => `${r.method} ${r.path}`).filter(
      (k) => k !== 'GET /openapi.json' && k !== 'GET /docs',
    );
    expect(documented.sort()).toEqual(listed.sort());
  });

  it.each(guarded.map((r) => [r.method, r.path, r] as const))(
    '%s %s answers 401 problem+json without a token',
    async (_m, _p, r) => {
      const res = await t.request(url(r), { method: r.method, json: r.json });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const body = await readProblem(res);
      expect(body.status).toBe(401);
      expect(body.detail).toMatch(/token/);
    },
  );

  it.each(guarded.map((r, i) => [r.method, r.path, r, i] as const))(
    '%s %s answers 401 with an unknown or malformed token',
    async (_m, _p, r, i) => {
      for (const header of ['Bearer pw_unknown_token_value', 'Basic dXNlcjpwYXNz', 'Bearer']) {
        const res = await t.request(url(r), {
          method: r.method,
          json: r.json,
          headers: { authorization: header, 'x-forwarded-for': `192.0.2.${i}` },
        });
        expect(res.status, header).toBe(401);
      }
    },
  );

  const cases = guarded.flatMap((r) => ROLES.map((role) => [r.method, r.path, role, r] as const));
  it.each(cases)('%s %s as %s: 403 outside its roles, through within them', async (_m, _p, role, r) => {
    const res = await t.request(url(r), { method: r.method, json: r.json, token: t.tokens[role] });
    const allowed = r.roles !== 'public' && r.roles.includes(role);
    if (allowed) {
      expect([401, 403]).not.toContain(res.status);
    } else {
      expect(res.status).toBe(403);
      const body = await readProblem(res);
      expect(body.detail).toMatch(new RegExp(`${role}`));
    }
  });

  it('public routes answer without a token', async () => {
    expect((await t.request('/api/v1/health')).status).toBe(200);
    // The sign-in route itself judges the token in its body.
    const res = await t.request('/api/v1/auth/session', { method: 'POST', json: { token: 'nope' } });
    expect(res.status).toBe(401);
  });

  it('a revoked token is refused everywhere at once', async () => {
    const res = await t.request('/api/v1/tokens', {
      method: 'POST',
      token: t.tokens.admin,
      json: { role: 'leader', label: 'to revoke' },
    });
    const { token, record } = (await res.json()) as { token: string; record: { id: number } };
    expect((await t.request('/api/v1/auth/me', { token })).status).toBe(200);
    expect((await t.request(`/api/v1/tokens/${record.id}`, { method: 'DELETE', token: t.tokens.admin })).status).toBe(
      200,
    );
    expect((await t.request('/api/v1/auth/me', { token })).status).toBe(401);
  });
});
