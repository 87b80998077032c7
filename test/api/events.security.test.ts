// Least privilege and signatures: an ingest token writes and reads nothing (no web session, no
// SSE, no metrics); readers cannot send events; a signing secret makes the signature required,
// and a missing, malformed, wrong, old or tampered one is refused with nothing written.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signatureHeader } from '../../api/auth/signature';
import { readProblem } from '../helpers/app';
import { accepted, createEventsApp, postEvents, type EventsApp } from './events.helpers';

let t: EventsApp;
beforeAll(async () => {
  t = await createEventsApp();
});
afterAll(() => t.close());

const team = (id: string) => ({ external_id: id, name: `Team ${id}` });
const exists = async (id: string) =>
  (await t.database.rows<{ n: number }>(sql`select count(*)::int as n from teams where external_id = ${id}`))[0]!.n ===
  1;

describe('ingest tokens read nothing', () => {
  const reads = [
    '/api/v1/metrics?metrics=csat&from=2026-11-01&to=2026-11-30&grain=total',
    '/api/v1/metrics/catalog',
    '/api/v1/views/tv',
    '/api/v1/views/weekly',
    '/api/v1/teams',
    '/api/v1/quotes',
    '/api/v1/tokens',
    '/api/v1/imports',
    '/api/v1/events/status',
    '/api/v1/auth/me',
    '/api/v1/openapi.json',
    '/api/v1/settings',
    '/api/v1/goals',
    '/api/v1/live',
  ];
  for (const path of reads) {
    it(`403 on GET ${path.split('?')[0]}`, async () => {
      const res = await t.request(path, { token: t.ingestToken });
      expect(res.status).toBe(403);
      expect((await readProblem(res)).detail).toMatch(/ingest/);
    });
  }

  it('403 on other writes (tokens, settings, sources infer)', async () => {
    expect(
      (await t.request('/api/v1/tokens', { method: 'POST', token: t.ingestToken, json: { role: 'admin', label: 'x' } }))
        .status,
    ).toBe(403);
    expect(
      (await t.request('/api/v1/settings', { method: 'PATCH', token: t.ingestToken, json: { min_n: 5 } })).status,
    ).toBe(403);
    expect(
      (
        await t.request('/api/v1/sources/infer', {
          method: 'POST',
          token: t.ingestToken,
          headers: { 'content-type': 'text/csv' },
          body: 'a,b\n1,2\n',
        })
      ).status,
    ).toBe(403);
  });

  it('cannot make a web session: sign-in 403, login link 403, no cookie', async () => {
    const signIn = await t.request('/api/v1/auth/session', { method: 'POST', json: { token: t.ingestToken } });
    expect(signIn.status).toBe(403);
    expect(signIn.headers.get('set-cookie')).toBeNull();
    const link = await t.request(`/login?token=${t.ingestToken}`);
    expect(link.status).toBe(403);
    expect(link.headers.get('set-cookie')).toBeNull();
    const rows = await t.database.rows<{ n: number }>(
      sql`select count(*)::int as n from sessions s join access_tokens a on a.id = s.token_id where a.role = 'ingest'`,
    );
    expect(rows[0]!.n).toBe(0);
  });

  it('may write through POST /ingest/{kind}; the answer holds counts only', async () => {
    const res = await t.request('/api/v1/ingest/teams', {
      method: 'POST',
      token: t.ingestToken,
      headers: { 'content-type': 'text/csv' },
      body: 'external_id,name\nviaingest,Via ingest\n',
    });
    expect(res.status).toBe(200);
    expect(Object.keys(await res.json()).sort()).toEqual([
      'dry_run',
      'inserted',
      'kind',
      'rows',
      'unchanged',
      'updated',
      'warnings',
    ]);
  });

  it('may not dry-run: its counts would tell whether stored records match the ones sent', async () => {
    const body = 'external_id,name\nviaingest,Via ingest\n';
    const res = await t.request('/api/v1/ingest/teams?dry_run=true', {
      method: 'POST',
      token: t.ingestToken,
      headers: { 'content-type': 'text/csv' },
      body,
    });
    expect(res.status).toBe(403);
    expect((await readProblem(res)).detail).toMatch(/dry run/);
    const viaSource = await t.request('/api/v1/sources/1/ingest?dry_run=1', {
      method: 'POST',
      token: t.ingestToken,
      headers: { 'content-type': 'text/csv' },
      body,
    });
    expect(viaSource.status).toBe(403);
    // An admin may still check a file.
    const admin = await t.request('/api/v1/ingest/teams?dry_run=true', {
      method: 'POST',
      token: t.tokens.admin,
      headers: { 'content-type': 'text/csv' },
      body,
    });
    expect(admin.status).toBe(200);
  });
});

describe('other roles on events', () => {
  for (const role of ['display', 'leader', 'manager'] as const) {
    it(`403 for a ${role} token, nothing written`, async () => {
      const res = await postEvents(t, 'teams', team(`by-${role}`), { token: t.tokens[role] });
      expect(res.status).toBe(403);
      expect(await exists(`by-${role}`)).toBe(false);
    });
  }
  it('401 without a token', async () => {
    const res = await t.request('/api/v1/events/teams', { method: 'POST', json: team('anon') });
    expect(res.status).toBe(401);
  });
});

describe('tokens with a signing secret', () => {
  it('are made only for the ingest role, the secret answered once and listed as signed', async () => {
    const bad = await t.request('/api/v1/tokens', {
      method: 'POST',
      token: t.tokens.admin,
      json: { role: 'leader', label: 'x', signed: true },
    });
    expect(bad.status).toBe(422);
    const res = await t.request('/api/v1/tokens', {
      method: 'POST',
      token: t.tokens.admin,
      json: { role: 'ingest', label: 'Webhook', signed: true },
    });
    expect(res.status).toBe(201);
    const made = (await res.json()) as {
      token: string;
      signing_secret: string;
      record: { id: number; signed: boolean };
    };
    expect(made.signing_secret).toMatch(/^pwsig_[A-Za-z0-9_-]{43}$/);
    expect(made.record.signed).toBe(true);
    const plain = (await (
      await t.request('/api/v1/tokens', {
        method: 'POST',
        token: t.tokens.admin,
        json: { role: 'ingest', label: 'Plain' },
      })
    ).json()) as Record<string, unknown>;
    expect(plain.signing_secret).toBeUndefined();
    const list = await (await t.request('/api/v1/tokens', { token: t.tokens.admin })).text();
    expect(list).not.toContain(made.signing_secret);
    expect(list).not.toContain('pwsig_');
    const listed = (JSON.parse(list) as { tokens: Array<{ id: number; signed: boolean }> }).tokens;
    expect(listed.find((x) => x.id === made.record.id)!.signed).toBe(true);
    expect(listed.filter((x) => !x.signed).length).toBeGreaterThan(0);
  });

  it('a right signature → 202', async () => {
    const res = await postEvents(t, 'teams', team('signed-ok'), { token: t.signedToken, sign: t.signingSecret });
    expect(await accepted(res)).toMatchObject({ inserted: 1 });
  });

  const refusals: Array<[string, (body: string) => Record<string, string>, RegExp]> = [
    ['missing', () => ({}), /missing/],
    ['malformed', () => ({ 'x-pairwise-signature': 'sha256=abc' }), /malformed/],
    [
      'wrong secret',
      (body) => ({
        'x-pairwise-signature': signatureHeader('pwsig_not-the-secret', Math.floor(Date.now() / 1000), body),
      }),
      /does not match/,
    ],
    [
      'too old',
      (body) => ({
        'x-pairwise-signature': signatureHeader(t.signingSecret, Math.floor(Date.now() / 1000) - 301, body),
      }),
      /too old: replays are refused after 5 minutes/,
    ],
    [
      'tampered body',
      (body) => ({
        'x-pairwise-signature': signatureHeader(
          t.signingSecret,
          Math.floor(Date.now() / 1000),
          body.replace('Team', 'Taem'),
        ),
      }),
      /does not match/,
    ],
  ];
  for (const [name, headers, detail] of refusals) {
    it(`${name} → 401 saying so, nothing written`, async () => {
      const id = `signed-${name.replace(/\W/g, '-')}`;
      const raw = JSON.stringify(team(id));
      const res = await postEvents(t, 'teams', null, { token: t.signedToken, raw, headers: headers(raw) });
      expect(res.status).toBe(401);
      expect((await readProblem(res)).detail).toMatch(detail);
      expect(await exists(id)).toBe(false);
    });
  }

  it('signed tokens must sign POST /ingest/{kind} too (checked as the body streams)', async () => {
    const body = 'external_id,name\nsigned-csv,Signed CSV\n';
    const unsigned = await t.request('/api/v1/ingest/teams', {
      method: 'POST',
      token: t.signedToken,
      headers: { 'content-type': 'text/csv' },
      body,
    });
    expect(unsigned.status).toBe(401);
    const wrong = await t.request('/api/v1/ingest/teams', {
      method: 'POST',
      token: t.signedToken,
      headers: {
        'content-type': 'text/csv',
        'x-pairwise-signature': signatureHeader(t.signingSecret, Math.floor(Date.now() / 1000), body + 'x'),
      },
      body,
    });
    expect(wrong.status).toBe(401);
    expect(await exists('signed-csv')).toBe(false);
    const right = await t.request('/api/v1/ingest/teams', {
      method: 'POST',
      token: t.signedToken,
      headers: {
        'content-type': 'text/csv',
        'x-pairwise-signature': signatureHeader(t.signingSecret, Math.floor(Date.now() / 1000), body),
      },
      body,
    });
    expect(right.status).toBe(200);
    expect(await exists('signed-csv')).toBe(true);
  });

  it('queue_status goes through the same auth, signature and limits', async () => {
    const snap = {
      at: new Date().toISOString(),
      team: 't1',
      waiting: 3,
      longest_wait_seconds: 40,
      agents_available: 2,
      agents_busy: 5,
    };
    expect((await postEvents(t, 'queue_status', snap, { token: t.tokens.display })).status).toBe(403);
    expect((await postEvents(t, 'queue_status', snap, { token: t.signedToken })).status).toBe(401);
    const ok = await postEvents(t, 'queue_status', snap, { token: t.signedToken, sign: t.signingSecret });
    expect(ok.status).toBe(202);
    expect(await ok.json()).toEqual({ kind: 'queue_status', accepted: 1 });
    expect((await postEvents(t, 'queue_status', { ...snap, team: 'nope' })).status).toBe(422);
    expect(
      (
        await postEvents(
          t,
          'queue_status',
          Array.from({ length: 1001 }, () => snap),
        )
      ).status,
    ).toBe(413);
  });

  it('tokens without a secret need no header', async () => {
    expect(await accepted(await postEvents(t, 'teams', team('unsigned-ok')))).toMatchObject({ inserted: 1 });
  });
});
