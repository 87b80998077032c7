// Sign-in under attack: failed token checks are limited per client address and overall (429 with
// Retry-After and `limit`), successes never count; X-Forwarded-* headers count only with
// TRUST_PROXY; a health check ignores whatever credentials it carries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenGuard } from '../../api/auth/guard';
import { TOKEN_FAILURES_OVERALL, TOKEN_FAILURES_PER_ADDRESS } from '../../api/limits';
import { createTestApp, readProblem, type TestApp } from '../helpers/app';

const BURST = TOKEN_FAILURES_PER_ADDRESS.burst;

/** A POST /auth/session, from `address` when the app trusts a proxy. */
const signIn = (t: TestApp, token: string, address?: string, headers: Record<string, string> = {}) =>
  t.request('/api/v1/auth/session', {
    method: 'POST',
    json: { token },
    headers: address ? { 'x-forwarded-for': address, ...headers } : headers,
  });

const cookieHeader = (res: Response) => res.headers.get('set-cookie') ?? '';

// One app behind a trusted proxy, one as by default; the overall limit gets its own (it locks everyone out).
let proxied: TestApp;
let direct: TestApp;
beforeAll(async () => {
  [proxied, direct] = await Promise.all([createTestApp({ env: { TRUST_PROXY: '1' } }), createTestApp()]);
});
afterAll(() => Promise.all([proxied.close(), direct.close()]));

describe('failed token checks, per client address (behind a trusted proxy)', () => {
  let t: TestApp;
  beforeAll(() => {
    t = proxied;
  });

  it(`allows ${BURST} failed sign-ins from an address, then answers 429 problem+json naming the limit, with Retry-After`, async () => {
    for (let i = 0; i < BURST; i++) expect((await signIn(t, `pw_guess_${i}`, '203.0.113.1')).status).toBe(401);
    const refused = await signIn(t, 'pw_guess_next', '203.0.113.1');
    expect(refused.status).toBe(429);
    const retry = Number(refused.headers.get('retry-after'));
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60 / TOKEN_FAILURES_PER_ADDRESS.perMinute + 1);
    const body = (await readProblem(refused)) as Awaited<ReturnType<typeof readProblem>> & { limit?: string };
    expect(body).toMatchObject({ status: 429, limit: 'token-failures' });
    expect(body.detail).toMatch(/try again in \d+ s/);
  });

  it('refuses a locked-out address before looking at the token, even a valid one never used from there', async () => {
    const res = await signIn(t, t.tokens.leader, '203.0.113.1');
    expect(res.status).toBe(429);
    expect(cookieHeader(res)).toBe('');
  });

  it('counts bearer tokens and /login links against the same address', async () => {
    const address = '203.0.113.2';
    for (let i = 0; i < 4; i++) expect((await signIn(t, `pw_a_${i}`, address)).status).toBe(401);
    for (let i = 0; i < 3; i++) {
      const res = await t.request('/api/v1/auth/me', { token: `pw_b_${i}`, headers: { 'x-forwarded-for': address } });
      expect(res.status).toBe(401);
    }
    for (let i = 0; i < BURST - 7; i++)
      expect((await t.request(`/login?token=pw_c_${i}`, { headers: { 'x-forwarded-for': address } })).status).toBe(303);
    const bearer = await t.request('/api/v1/auth/me', { token: 'pw_d', headers: { 'x-forwarded-for': address } });
    expect(bearer.status).toBe(429);
    expect((await readProblem(bearer)) as object).toMatchObject({ limit: 'token-failures' });
    const link = await t.request('/login?token=pw_e', { headers: { 'x-forwarded-for': address } });
    expect(link.status).toBe(429);
    expect(link.headers.get('retry-after')).not.toBeNull();
    expect(((await readProblem(link)) as { limit?: string }).limit).toBe('token-failures');
  });

  it('leaves other addresses alone, and never counts successes', async () => {
    const address = '198.51.100.7';
    for (let i = 0; i < 3 * BURST; i++) {
      expect((await signIn(t, t.tokens.manager, address)).status).toBe(200);
      expect(
        (await t.request('/api/v1/auth/me', { token: t.tokens.display, headers: { 'x-forwarded-for': address } }))
          .status,
      ).toBe(200);
    }
    for (let i = 0; i < BURST; i++) expect((await signIn(t, `pw_typo_${i}`, address)).status).toBe(401);
    expect((await signIn(t, 'pw_typo_more', address)).status).toBe(429);
  });

  it('keeps a token that worked from an address working there while that address is locked out', async () => {
    // 198.51.100.7 is locked out now (previous test), but the manager and display tokens worked from it.
    expect((await signIn(t, t.tokens.manager, '198.51.100.7')).status).toBe(200);
    expect(
      (await t.request('/api/v1/auth/me', { token: t.tokens.display, headers: { 'x-forwarded-for': '198.51.100.7' } }))
        .status,
    ).toBe(200);
    // Another valid token, new to that address, waits like a guess would.
    expect((await signIn(t, t.tokens.admin, '198.51.100.7')).status).toBe(429);
  });

  it('takes the right-most X-Forwarded-For entry: what the client wrote to its left changes nothing', async () => {
    const proxyAppended = (spoofed: string) => `${spoofed}, 192.0.2.50`;
    for (let i = 0; i < BURST; i++)
      expect((await signIn(t, `pw_x_${i}`, proxyAppended(`10.0.0.${i}`))).status).toBe(401);
    expect((await signIn(t, 'pw_x_more', proxyAppended('10.9.9.9'))).status).toBe(429);
  });
});

describe('failed token checks over all addresses together', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { TRUST_PROXY: '1' } });
  });
  afterAll(() => t.close());

  it(`stops many addresses after about ${TOKEN_FAILURES_OVERALL.burst} failures in all (limit token-failures-overall)`, async () => {
    const { burst, perMinute } = TOKEN_FAILURES_OVERALL;
    const started = Date.now();
    let failed = 0;
    let refused: Response | null = null;
    // Three guesses per address, well under each address's own limit.
    for (let i = 0; i < burst + 100 && !refused; i++) {
      const res = await signIn(t, `pw_bot_${i}`, `100.64.${Math.floor(i / 3)}.${i % 3}`);
      if (res.status === 429) refused = res;
      else {
        expect(res.status).toBe(401);
        failed++;
      }
    }
    // The burst, and what refilled meanwhile.
    expect(failed).toBeGreaterThanOrEqual(burst);
    expect(failed).toBeLessThanOrEqual(burst + Math.ceil(((Date.now() - started) / 60_000) * perMinute) + 1);
    expect(refused?.status).toBe(429);
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await readProblem(refused!)) as { limit?: string }).limit).toBe('token-failures-overall');
  });
});

describe('X-Forwarded-* headers count only with TRUST_PROXY', () => {
  const sessionOf = (res: Response) => /pairwise_session=([^;]*)/.exec(cookieHeader(res))![1];

  it('X-Forwarded-Proto: https makes the cookie Secure behind a trusted proxy, and only there', async () => {
    for (const [t, secure] of [
      [direct, false],
      [proxied, true],
    ] as const) {
      const res = await t.request('http://10.0.0.2:3000/api/v1/auth/session', {
        method: 'POST',
        json: { token: t.tokens.leader },
        headers: { 'x-forwarded-proto': 'https' },
      });
      expect(res.status).toBe(200);
      expect(/;\s*Secure/i.test(cookieHeader(res)), `TRUST_PROXY ${secure}`).toBe(secure);
    }
    const plain = await proxied.request('http://10.0.0.2:3000/api/v1/auth/session', {
      method: 'POST',
      json: { token: proxied.tokens.leader },
      headers: { 'x-forwarded-proto': 'http' },
    });
    expect(cookieHeader(plain)).not.toMatch(/;\s*Secure/i);
  });

  it('X-Forwarded-Host: a cross-site form cannot pass the same-origin check by sending it; a trusted proxy can', async () => {
    const forge = async (t: TestApp, host: string, origin: string) => {
      const session = sessionOf(
        await t.request('/api/v1/auth/session', { method: 'POST', json: { token: t.tokens.admin } }),
      );
      return t.request('http://10.0.0.2:3000/api/v1/tokens', {
        method: 'POST',
        json: { role: 'leader', label: 'through x-forwarded-host' },
        headers: { cookie: `pairwise_session=${session}`, origin, 'x-forwarded-host': host },
      });
    };
    const forged = await forge(direct, 'evil.example', 'https://evil.example');
    expect(forged.status).toBe(403);
    expect((await readProblem(forged)).detail).toMatch(/Cross-site/);
    expect((await forge(proxied, 'pairwise.example', 'https://pairwise.example')).status).toBe(201);
    expect((await forge(proxied, 'pairwise.example', 'https://evil.example')).status).toBe(403);
  });

  // Last of these: it locks the direct app's one address ('unknown' without a socket) out.
  it('X-Forwarded-For: without a trusted proxy a guesser cannot pick a fresh address per request', async () => {
    for (let i = 0; i < BURST; i++) expect((await signIn(direct, `pw_spoof_${i}`, `203.0.113.${i}`)).status).toBe(401);
    expect((await signIn(direct, 'pw_spoof_more', '203.0.113.200')).status).toBe(429);
  });
});

describe('GET /health', () => {
  let t: TestApp;
  beforeAll(() => {
    t = proxied;
  });

  it('answers 200 whatever stale credentials the probe carries', async () => {
    const created = await t.request('/api/v1/tokens', {
      method: 'POST',
      token: t.tokens.admin,
      json: { role: 'display', label: 'probe' },
    });
    const { token, record } = (await created.json()) as { token: string; record: { id: number } };
    const session = /pairwise_session=([^;]*)/.exec(
      cookieHeader(await t.request('/api/v1/auth/session', { method: 'POST', json: { token } })),
    )![1];
    expect((await t.request(`/api/v1/tokens/${record.id}`, { method: 'DELETE', token: t.tokens.admin })).status).toBe(
      200,
    );
    for (const headers of <Array<Record<string, string>>>[
      { authorization: `Bearer ${token}` },
      { authorization: 'Bearer pw_never_issued' },
      { authorization: 'Basic dXNlcjpwYXNz' },
      { cookie: `pairwise_session=${session}` },
    ]) {
      const res = await t.request('/api/v1/health', { headers });
      expect(res.status, JSON.stringify(headers)).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'ok' });
    }
  });
});

describe('TokenGuard', () => {
  it('refills at its rate, and remembers a bounded number of addresses', () => {
    let now = 0;
    const guard = new TokenGuard({
      perAddress: { burst: 2, perMinute: 6 },
      overall: { burst: 1e9, perMinute: 1e9 },
      maxAddresses: 100,
      now: () => now,
    });
    guard.admit('a', 'x').failed();
    guard.admit('a', 'y').failed();
    expect(() => guard.admit('a', 'z')).toThrow(/try again in 10 s/);
    now += 10_000;
    guard.admit('a', 'z').failed();
    expect(() => guard.admit('a', 'w')).toThrow();
    for (let i = 0; i < 5000; i++) guard.admit(`addr-${i}`, 'guess').failed();
    expect(guard.size).toBeLessThanOrEqual(100);
  });
});
