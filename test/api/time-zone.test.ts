// The organisation's time zone reaches every page: /auth/me (read by every signed-in page) and the
// wallboard snapshot carry ORG_TIMEZONE, so a browser in another zone draws days as the server does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayIn } from '../../api/metrics/periods';
import type { TvSnapshot } from '../../api/views/tv';
import { createTestApp, type TestApp } from '../helpers/app';

const ROLES = ['admin', 'leader', 'manager', 'display'] as const;

describe('ORG_TIMEZONE=America/Chicago', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { ORG_TIMEZONE: 'America/Chicago' } });
  });
  afterAll(() => t.close());

  it('GET /auth/me tells every role the organisation’s zone, beside what it told before', async () => {
    for (const role of ROLES) {
      const res = await t.request('/api/v1/auth/me', { token: t.tokens[role] });
      expect(res.status).toBe(200);
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ role, label: `test ${role}`, time_zone: 'America/Chicago' });
      expect(Object.keys(body).sort()).toEqual(['label', 'role', 'teams', 'time_zone']);
    }
  });

  it('signing in answers the zone too (the same Me)', async () => {
    const res = await t.request('/api/v1/auth/session', { method: 'POST', json: { token: t.tokens.display } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { time_zone: string }).time_zone).toBe('America/Chicago');
  });

  it('GET /views/tv carries the zone, and its today is that zone’s date', async () => {
    const before = todayIn('America/Chicago');
    const res = await t.request('/api/v1/views/tv', { token: t.tokens.display });
    expect(res.status).toBe(200);
    const s = (await res.json()) as TvSnapshot;
    const after = todayIn('America/Chicago');
    expect(s.time_zone).toBe('America/Chicago');
    expect([before, after]).toContain(s.today);
    expect(s.today_pairs.date).toBe(s.today);
  });

  it('the OpenAPI document lists time_zone on Me and TvSnapshot', async () => {
    const res = await t.request('/api/v1/openapi.json', { token: t.tokens.admin });
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      components: { schemas: Record<string, { properties: Record<string, unknown>; required?: string[] }> };
    };
    for (const name of ['Me', 'TvSnapshot']) {
      const schema = doc.components.schemas[name]!;
      expect(schema.properties).toHaveProperty('time_zone');
      expect(schema.required).toContain('time_zone');
    }
  });
});

describe('ORG_TIMEZONE unset', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('answers UTC, the default', async () => {
    const me = (await (await t.request('/api/v1/auth/me', { token: t.tokens.leader })).json()) as { time_zone: string };
    expect(me.time_zone).toBe('UTC');
    const s = (await (await t.request('/api/v1/views/tv', { token: t.tokens.leader })).json()) as TvSnapshot;
    expect(s.time_zone).toBe('UTC');
  });
});
