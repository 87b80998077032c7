// Access tokens: created once, stored hashed, listed without secrets, revoked with their sessions.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hashSecret, HOLDER_TTL_MS } from '../../api/auth/tokens';
import { CHANGES_CHANNEL } from '../../api/ingest/notices';
import { LiveHub } from '../../api/live/hub';
import { accessTokens, auditLog } from '../../db/schema';
import { createTestApp, readProblem, type TestApp } from '../helpers/app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const create = (json: unknown) => t.request('/api/v1/tokens', { method: 'POST', token: t.tokens.admin, json });

describe('tokens', () => {
  it('creates a manager token for its teams and shows the secret only once', async () => {
    const res = await create({ role: 'manager', label: 'Ana (team lead)', teams: ['t1', 't2', 't1'] });
    expect(res.status).toBe(201);
    const { token, record } = (await res.json()) as {
      token: string;
      record: { id: number; teams: string[]; prefix: string; role: string };
    };
    expect(token).toMatch(/^pw_[A-Za-z0-9_-]{43}$/);
    expect(record).toMatchObject({ role: 'manager', teams: ['t1', 't2'], prefix: token.slice(0, 10) });

    const rows = await t.database.db.select().from(accessTokens);
    const row = rows.find((r) => r.id === record.id)!;
    expect(row.tokenHash).toBe(hashSecret(token));
    expect(JSON.stringify(rows)).not.toContain(token);

    const list = await t.request('/api/v1/tokens', { token: t.tokens.admin });
    const text = await list.text();
    expect(text).not.toContain(token);
    expect(text).not.toContain(row.tokenHash);
    expect(JSON.parse(text).tokens.map((x: { id: number }) => x.id)).toContain(record.id);

    const me = await t.request('/api/v1/auth/me', { token });
    expect(await me.json()).toEqual({
      role: 'manager',
      label: 'Ana (team lead)',
      teams: ['t1', 't2'],
      time_zone: 'UTC',
    });
  });

  it.each([
    [{ role: 'manager', label: 'no teams' }, 422, /needs at least one team/],
    [{ role: 'manager', label: 'ghost', teams: ['t1', 't9', 't8'] }, 422, /Unknown teams: t9, t8/],
    [{ role: 'leader', label: 'x', teams: ['t1'] }, 422, /Only manager tokens are limited to teams/],
    [{ role: 'owner', label: 'x' }, 400, /body field 'role'/],
    [{ role: 'leader', label: '   ' }, 400, /body field 'label': is required/],
    [{ role: 'leader' }, 400, /body field 'label'/],
    [[1, 2], 400, /Invalid/],
  ])('refuses %j with %i', async (json, status, detail) => {
    const before = await t.database.db.select().from(accessTokens);
    const res = await create(json);
    expect(res.status).toBe(status);
    expect((await readProblem(res)).detail).toMatch(detail);
    expect(await t.database.db.select().from(accessTokens)).toHaveLength(before.length);
  });

  it('revokes a token: it stops working, stays listed as revoked, and the action is audited', async () => {
    const { token, record } = (await (await create({ role: 'display', label: 'Floor TV' })).json()) as {
      token: string;
      record: { id: number };
    };
    const session = await t.request('/api/v1/auth/session', { method: 'POST', json: { token } });
    const cookie = /pairwise_session=([^;]*)/.exec(session.headers.get('set-cookie') ?? '')![1];
    // Used once, so the server remembers it (api/auth/tokens.ts): revoking must forget it.
    expect((await t.request('/api/v1/auth/me', { token })).status).toBe(200);

    const res = await t.request(`/api/v1/tokens/${record.id}`, { method: 'DELETE', token: t.tokens.admin });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { revoked_at: string | null }).revoked_at).not.toBeNull();
    expect((await t.request('/api/v1/auth/me', { token })).status).toBe(401);
    expect((await t.request('/api/v1/auth/me', { headers: { cookie: `pairwise_session=${cookie}` } })).status).toBe(
      401,
    );

    const log = await t.database.db.select().from(auditLog);
    expect(log.map((l) => `${l.action} ${l.subject}`)).toEqual(
      expect.arrayContaining([`token.create token ${record.id}`, `token.revoke token ${record.id}`]),
    );
    expect(log.find((l) => l.action === 'token.revoke')?.actor).toBe('test admin');
  });

  it('a token revoked by another process stops working here within HOLDER_TTL_MS, at once when told on the change channel', async () => {
    const revokeElsewhere = (id: number) =>
      t.database.db.update(accessTokens).set({ revokedAt: new Date() }).where(eq(accessTokens.id, id));
    const made = async (label: string) =>
      (await (await create({ role: 'leader', label })).json()) as { token: string; record: { id: number } };

    const a = await made('revoked elsewhere, told by nobody');
    expect((await t.request('/api/v1/auth/me', { token: a.token })).status).toBe(200);
    await revokeElsewhere(a.record.id);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      // Remembered for a while: another process's revocation is not seen yet...
      expect((await t.request('/api/v1/auth/me', { token: a.token })).status).toBe(200);
      // ...and is once the memory is HOLDER_TTL_MS old.
      vi.setSystemTime(Date.now() + HOLDER_TTL_MS);
      expect((await t.request('/api/v1/auth/me', { token: a.token })).status).toBe(401);
    } finally {
      vi.useRealTimers();
    }

    // Told on the change channel (as a revoking process tells every listening one): refused at once.
    const b = await made('revoked elsewhere, told');
    expect((await t.request('/api/v1/auth/me', { token: b.token })).status).toBe(200);
    await revokeElsewhere(b.record.id);
    const hub = new LiveHub(t.database, async () => ({}), { debounceMs: 0 });
    try {
      await hub.subscribe('tv', { send: () => true });
      let heard!: () => void;
      const told = new Promise<void>((resolve) => (heard = resolve));
      const stop = await t.database.listen(CHANGES_CHANNEL, () => heard());
      await t.database.db.execute(
        sql`select pg_notify(${CHANGES_CHANNEL}, ${JSON.stringify({ kinds: ['access'], ended: [`token:${b.record.id}`] })})`,
      );
      await told;
      await stop();
      await new Promise((r) => setTimeout(r, 20)); // every listener of the notice has run
      expect((await t.request('/api/v1/auth/me', { token: b.token })).status).toBe(401);
    } finally {
      await hub.close();
    }
  });

  it('answers 404 for an unknown token and 400 for a malformed id', async () => {
    expect((await t.request('/api/v1/tokens/424242', { method: 'DELETE', token: t.tokens.admin })).status).toBe(404);
    const bad = await t.request('/api/v1/tokens/abc', { method: 'DELETE', token: t.tokens.admin });
    expect(bad.status).toBe(400);
    expect((await readProblem(bad)).detail).toMatch(/path parameter 'id'/);
  });
});
