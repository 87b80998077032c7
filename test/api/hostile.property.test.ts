// A standing hostile-input test: every GET route of the OpenAPI document, under every role, with its
// path ids and query parameters drawn from hostile values (extreme and malformed dates and weeks,
// NUL and control characters, huge and odd numbers, long strings, unicode). Whatever comes, the
// answer is 2xx or 4xx (problem+json for 4xx), it comes within a bound, and the server stays healthy.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../api/auth/tokens';
import { createTestApp, type TestApp } from '../helpers/app';
import { ingestJson } from '../helpers/ingest';

/** A request that has not answered in this long counts as a stall (the real bound is far lower). */
const ANSWER_WITHIN_MS = 15_000;
const RUNS = Number(process.env.HOSTILE_RUNS ?? 200);

let t: TestApp;
interface Operation {
  path: string;
  query: string[];
  params: string[];
}
let operations: Operation[] = [];

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database;
  await ingestJson(db, 'agents', [
    { external_id: 'a1', name: 'Diane Moreau', team: 't1', hired_on: '2023-01-09' },
    { external_id: 'a2', name: 'Omar Haddad', team: 't2', hired_on: '2023-03-01', left_on: '2024-02-10' },
  ]);
  await ingestJson(db, 'customers', [
    { external_id: 'c1', segment: 'monthly', started_on: '2023-01-01', monthly_value: 40 },
    { external_id: 'c2', segment: 'annual', started_on: '2023-01-01', churned_on: '2024-01-20', monthly_value: 90 },
  ]);
  const interactions = Array.from({ length: 60 }, (_, i) => ({
    external_id: `i${i}`,
    occurred_at: `2024-01-${String(1 + (i % 28)).padStart(2, '0')}T${String(8 + (i % 9)).padStart(2, '0')}:15:00Z`,
    team: i % 2 ? 't1' : 't2',
    agent: i % 2 ? 'a1' : 'a2',
    customer: i % 3 ? 'c1' : 'c2',
    channel: ['phone', 'chat', 'email'][i % 3],
    journey_stage: ['Onboarding', 'Billing'][i % 2],
    contact_reason: ['Refund', 'Login', 'Delivery'][i % 3],
    answered: i % 7 !== 0,
    wait_seconds: (i * 37) % 400,
    handle_seconds: 120 + i * 5,
    resolved: i % 4 !== 0,
  }));
  await ingestJson(db, 'interactions', interactions);
  await ingestJson(
    db,
    'surveys',
    interactions.slice(0, 40).map((x, i) => ({
      external_id: `s${i}`,
      responded_at: x.occurred_at,
      interaction: x.external_id,
      csat: 1 + (i % 5),
      nps: i % 11,
      comment:
        i % 2
          ? `Diane was great, write me at jane${i}@example.com or +44 20 7946 0${String(i).padStart(3, '0')}`
          : 'Too long a wait',
      may_quote: true,
    })),
  );
  await ingestJson(db, 'referrals', [
    { external_id: 'r1', referred_at: '2024-01-10', customer: 'c1', converted: true },
  ]);

  const res = await t.request('/api/v1/openapi.json', { token: t.tokens.admin });
  const doc = (await res.json()) as {
    paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }> }>>;
  };
  operations = Object.entries(doc.paths)
    .filter(([, ops]) => ops.get)
    .map(([path, ops]) => ({
      path,
      query: (ops.get!.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      params: (ops.get!.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
    }));
}, 120_000);
afterAll(() => t?.close());

const DATES = [
  '9999-12-31',
  '9999-12-27',
  '0000-01-01',
  '0001-01-01',
  '1899-12-31',
  '1900-01-01',
  '2200-12-31',
  '2201-01-01',
  '+010000-01-01',
  '-000001-01-01',
  '2024-02-30',
  '2024-13-01',
  '2024-1-1',
  '20240101',
  '2024-01-01T00:00:00Z',
  '2024-01-01',
  '2024-01-31',
  '2023-12-25',
];
const WEEKS = [
  '9999-W52',
  '9999-W53',
  '0000-W01',
  '1900-W01',
  '2200-W52',
  '2024-W00',
  '2024-W53',
  '2020-W53',
  '2024-W99',
  '2024-W7',
  '2024-W07',
  '2024-W05',
];
const NUMBERS = [
  '-1',
  '0',
  '1',
  '1e308',
  '-1e308',
  '99999999999999999999999',
  '3000000000',
  'NaN',
  'Infinity',
  '0x10',
  '1.5',
  '',
  ' ',
  '00000000001',
];
const KNOWN = [
  'csat',
  'wait_avg,csat',
  'csat,nps,referral_rate,churn_rate,clv,employee_retention',
  'agent',
  'team',
  'channel',
  'wait_bucket',
  'segment',
  'contact_reason',
  'journey_stage',
  'day',
  'week',
  'month',
  'total',
  'previous',
  'target',
  'csv',
  'json',
  't1',
  't2',
  'a1',
  'phone',
  'all',
  'approved',
  'true',
  'false',
  'waiting',
  'patience',
];

const hostileText = fc.oneof(
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '\r\n',
    '\u001b[31m',
    '\u202e',
    '\ud83d\ude00',
    "' or 1=1 --",
    '%',
    '%%',
    '..',
    '../../etc/passwd',
    '<script>alert(1)</script>',
    '${7*7}',
    '\\',
  ),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.nat({ max: 20_000 }).map((n) => 'a'.repeat(n)),
  fc.nat({ max: 300 }).map((n) => Array.from({ length: n }, (_, i) => KNOWN[i % KNOWN.length]).join(',')),
);
const value = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...DATES, ...WEEKS, ...NUMBERS, ...KNOWN) },
  { weight: 2, arbitrary: hostileText },
);

/** Percent-encodes as a client would; control characters and all reach the server. */
const enc = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    // A lone surrogate cannot be encoded: send its bytes as the raw (invalid) escape a fuzzer would.
    return '%ED%A0%80';
  }
};

async function call(path: string, role: Role): Promise<{ status: number; type: string; ms: number }> {
  const started = performance.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const res = await Promise.race([
    t.request(path, { token: t.tokens[role], signal: controller.signal }),
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${ANSWER_WITHIN_MS} ms: GET ${path} as ${role}`)),
        ANSWER_WITHIN_MS,
      );
    }),
  ]).finally(() => clearTimeout(timer));
  const ms = performance.now() - started;
  const type = res.headers.get('content-type') ?? '';
  // A live stream stays open: its status and headers are the answer.
  if (type.startsWith('text/event-stream')) await res.body?.cancel();
  else await res.arrayBuffer();
  controller.abort();
  return { status: res.status, type, ms };
}

describe('hostile input on every GET route', () => {
  it('the document lists the GET routes this test drives', () => {
    expect(operations.length).toBeGreaterThanOrEqual(20);
    expect(operations.map((o) => o.path)).toEqual(
      expect.arrayContaining(['/metrics', '/views/weekly', '/views/coach/team/{id}', '/quotes']),
    );
  });

  it('only 2xx or 4xx, within the bound, and the server stays healthy', async () => {
    const request = fc.record({
      op: fc.nat(),
      role: fc.constantFrom(...ROLES),
      path: fc.array(value, { minLength: 2, maxLength: 2 }),
      query: fc.array(fc.tuple(fc.nat(), value), { maxLength: 8 }),
      extra: fc.option(fc.tuple(hostileText, value), { nil: undefined }),
    });
    let slowest = { ms: 0, path: '' };
    const answered = { ok: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(request, async ({ op, role, path, query, extra }) => {
        const o = operations[op % operations.length]!;
        let url = `/api/v1${o.path}`;
        o.params.forEach((name, i) => (url = url.replace(`{${name}}`, enc(path[i % path.length]!))));
        const pairs = o.query.length ? query.map(([k, v]) => `${enc(o.query[k % o.query.length]!)}=${enc(v)}`) : [];
        if (extra) pairs.push(`${enc(extra[0])}=${enc(extra[1])}`);
        if (pairs.length) url += `?${pairs.join('&')}`;
        const r = await call(url, role);
        if (r.ms > slowest.ms) slowest = { ms: r.ms, path: url.slice(0, 200) };
        if (r.status < 300) answered.ok++;
        else answered.refused++;
        expect(r.status, `GET ${url.slice(0, 300)} as ${role}`).toBeGreaterThanOrEqual(200);
        expect(r.status, `GET ${url.slice(0, 300)} as ${role}`).toBeLessThan(500);
        if (r.status >= 400)
          expect(r.type, `GET ${url.slice(0, 300)} as ${role}`).toMatch(/^application\/problem\+json/);
      }),
      {
        numRuns: RUNS,
        seed: process.env.HOSTILE_SEED ? Number(process.env.HOSTILE_SEED) : undefined,
        endOnFailure: true,
      },
    );
    const health = await call('/api/v1/health', 'admin');
    expect(health.status).toBe(200);
    console.log(
      `hostile input: ${RUNS} requests (${answered.ok} answered 2xx, ${answered.refused} refused), slowest ${slowest.ms.toFixed(0)} ms (${slowest.path})`,
    );
    // Values that pass validation must reach the routes' own work, not only their validators.
    expect(answered.ok).toBeGreaterThan(RUNS * 0.05);
  }, 600_000);

  it('every route also gets the nastiest value in each of its parameters at once', async () => {
    const nasty = ['9999-12-31', '9999-W52', 'a\u0000', '1e308', 'x'.repeat(5000), '\ud83d\ude00'];
    for (const o of operations) {
      for (const v of nasty) {
        let url = `/api/v1${o.path}`;
        for (const name of o.params) url = url.replace(`{${name}}`, enc(v));
        if (o.query.length) url += `?${o.query.map((q) => `${q}=${enc(v)}`).join('&')}`;
        for (const role of ROLES) {
          const r = await call(url, role);
          expect(r.status, `GET ${url.slice(0, 200)} as ${role}`).toBeLessThan(500);
        }
      }
    }
    expect((await call('/api/v1/health', 'display')).status).toBe(200);
  }, 600_000);
});
