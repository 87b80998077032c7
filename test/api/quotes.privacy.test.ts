// Privacy of quotes: for every quote route and every role, no answer carries an unconsented
// comment, a raw e-mail, phone or card number, the customer's name or words a curator hid; only
// the admin gets the original comment; the wallboard (display) gets no ids and no customer ids.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../api/auth/tokens';
import { createTestApp, type TestApp } from '../helpers/app';
import { csv, ingestCsv, ingestJson } from '../helpers/ingest';

let t: TestApp;

const RANGE = 'from=2025-06-01&to=2025-06-30';

// Words that must never leave the server (except inside the admin's `original`).
const SECRETS = [
  'marta.k@example.org',
  '@example',
  '+44 20 7946 0958',
  '7946',
  '07700 900123',
  '900123',
  '4111 1111 1111 1111',
  '4111',
  'Marta',
  'Kowalska',
  'Jonas',
  'Wexford',
  '42 Elm Street',
  'Elm Street',
  // The unconsented comments.
  'UNCONSENTED',
  'divorce',
];
const CUSTOMER_IDS = ['cust-001', 'cust-002', 'cust-003'];
const SURVEY_IDS = ['pq-1', 'pq-2', 'pq-3', 'pq-4', 'pq-5', 'pq-secret'];

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database;
  await ingestCsv(db, 'agents', csv('external_id,name,team', 'ag1,Ana Lima,t1', 'ag2,Ben Okafor,t2'));
  await ingestCsv(
    db,
    'customers',
    csv('external_id,segment', 'cust-001,retail', 'cust-002,retail', 'cust-003,business'),
  );
  await ingestCsv(
    db,
    'surveys',
    csv(
      'external_id,responded_at,customer,agent,team,csat,nps,comment,may_quote,customer_name',
      'pq-1,2025-06-02T10:00:00Z,cust-001,ag1,t1,5,10,"Marta here: Ana was wonderful, write to marta.k@example.org or ring +44 20 7946 0958",yes,Marta Kowalska',
      'pq-2,2025-06-03T10:00:00Z,cust-002,ag2,t2,5,9,"Ben fixed the double charge on card 4111 1111 1111 1111, thanks Ben! Mobile 07700 900123",true,Jonas Wexford',
      'pq-3,2025-06-04T10:00:00Z,cust-003,ag1,t1,4,9,"Kowalska family says the visit to 42 Elm Street went well, Ana is a star",1,Marta Kowalska',
      'pq-4,2025-06-05T10:00:00Z,cust-002,,t2,5,10,"Jonas Wexford says the app update is great",y,Jonas Wexford',
      'pq-5,2025-06-06T10:00:00Z,,ag1,t1,3,7,"Decent service, Ana was polite",yes,',
      // The best-rated comment of the month, without consent: never a quote.
      'pq-secret,2025-06-07T10:00:00Z,cust-001,ag1,t1,5,10,"UNCONSENTED: my divorce made this hard but Ana was kind",no,Marta Kowalska',
    ),
  );
  await ingestJson(db, 'surveys', [
    {
      external_id: 'pq-secret-2',
      responded_at: '2025-06-08T10:00:00Z',
      team: 't2',
      csat: 5,
      nps: 10,
      comment: 'UNCONSENTED second comment about my divorce',
      may_quote: false,
    },
  ]);
  const admin = t.tokens.admin;
  const patch = async (id: string, json: unknown) => {
    const res = await t.request(`/api/v1/quotes/${id}`, { method: 'PATCH', token: admin, json });
    expect(res.status, await res.clone().text()).toBe(200);
  };
  const pq3 = 'Kowalska family says the visit to 42 Elm Street went well, Ana is a star';
  const elm = pq3.indexOf('42 Elm Street');
  await patch('pq-1', {
    status: 'approved',
    pinned_from: '2025-06-01',
    pinned_to: '2025-06-03',
    followed_up_on: '2025-06-10',
  });
  await patch('pq-2', { status: 'approved', praise_teams: ['t1'] });
  await patch('pq-3', { status: 'approved', hidden_spans: [[elm, elm + '42 Elm Street'.length]] });
  await patch('pq-4', { status: 'approved', credited_agent: 'ag2' });
});
afterAll(() => t.close());

interface Call {
  name: string;
  method: 'GET' | 'PATCH';
  path: string;
  json?: unknown;
  curator?: boolean;
}

const CALLS: Call[] = [
  { name: 'queue (all)', method: 'GET', path: '/quotes?status=all', curator: true },
  { name: 'queue (search)', method: 'GET', path: '/quotes?status=all&q=divorce', curator: true },
  { name: 'queue (approved)', method: 'GET', path: `/quotes?status=approved&${RANGE}`, curator: true },
  ...['pq-1', 'pq-2', 'pq-3', 'pq-4'].map((id) => ({
    name: `one ${id}`,
    method: 'GET' as const,
    path: `/quotes/${id}`,
    curator: true,
  })),
  { name: 'one unconsented', method: 'GET', path: '/quotes/pq-secret', curator: true },
  { name: 'update', method: 'PATCH', path: '/quotes/pq-2', json: { is_praise: true }, curator: true },
  {
    name: 'update unconsented',
    method: 'PATCH',
    path: '/quotes/pq-secret',
    json: { status: 'approved' },
    curator: true,
  },
  { name: 'featured', method: 'GET', path: `/quotes/featured?${RANGE}` },
  { name: 'featured t1', method: 'GET', path: `/quotes/featured?${RANGE}&team=t1` },
  { name: 'featured (late June)', method: 'GET', path: '/quotes/featured?from=2025-06-05&to=2025-06-08' },
  { name: 'praise', method: 'GET', path: `/quotes/praise?${RANGE}` },
  { name: 'praise t1', method: 'GET', path: `/quotes/praise?${RANGE}&team=t1` },
  { name: 'shoutouts', method: 'GET', path: `/quotes/shoutouts?${RANGE}` },
  { name: 'shoutouts t1', method: 'GET', path: `/quotes/shoutouts?${RANGE}&team=t1` },
];

/** Removes `original` everywhere; answers how many there were. */
function stripOriginals(value: unknown): number {
  let n = 0;
  if (Array.isArray(value)) for (const v of value) n += stripOriginals(v);
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if ('original' in o) {
      n++;
      delete o.original;
    }
    for (const v of Object.values(o)) n += stripOriginals(v);
  }
  return n;
}

/** Every key at any depth. */
function keysOf(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) keysOf(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.add(k);
      keysOf(v, out);
    }
  }
  return out;
}

const cases = CALLS.flatMap((call) => ROLES.map((role) => [call.name, role, call] as const));

describe('quote privacy', () => {
  it.each(cases)('%s as %s leaks nothing', async (_name, role: Role, call) => {
    const res = await t.request(`/api/v1${call.path}`, { method: call.method, token: t.tokens[role], json: call.json });
    const raw = await res.text();
    const body = JSON.parse(raw) as unknown;
    // A problem's request id is random hex (it could hold "4111" by chance) and its instance
    // echoes the path the client asked for: neither is data.
    if (body && typeof body === 'object') {
      delete (body as Record<string, unknown>).request_id;
      delete (body as Record<string, unknown>).instance;
    }
    const originals = stripOriginals(body);
    if (role !== 'admin') expect(originals, 'only the admin gets original').toBe(0);
    if (role === 'admin' && call.curator && res.status === 200 && !call.path.includes('q=divorce'))
      expect(originals).toBeGreaterThan(0);
    if (!call.curator) expect(originals).toBe(0);
    const text = JSON.stringify(body);
    for (const secret of SECRETS) expect(text, `${secret} in ${text}`).not.toContain(secret);
    for (const id of CUSTOMER_IDS) expect(text).not.toContain(id);
    expect(text).not.toContain('pq-secret');
    if (role === 'display') {
      if (res.status === 200) {
        expect(keysOf(body).has('id')).toBe(false);
        for (const id of SURVEY_IDS) expect(text).not.toContain(id);
      }
    }
  });

  it('lets each route answer its roles with data (the checks above are not vacuous)', async () => {
    const json = async (path: string, role: Role) => {
      const res = await t.request(`/api/v1${path}`, { token: t.tokens[role] });
      expect(res.status).toBe(200);
      return (await res.json()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    };
    const queue = await json('/quotes?status=all', 'leader');
    expect(queue.quotes.map((q: { id: string }) => q.id)).toEqual(['pq-5', 'pq-4', 'pq-3', 'pq-2', 'pq-1']);
    expect(queue.quotes.find((q: { id: string }) => q.id === 'pq-1').text).toBe(
      '[name] here: Ana was wonderful, write to [email] or ring [phone]',
    );
    expect(queue.quotes.find((q: { id: string }) => q.id === 'pq-2').text).toBe(
      'Ben fixed the double charge on card [card], thanks Ben! Mobile [phone]',
    );
    expect(queue.quotes.find((q: { id: string }) => q.id === 'pq-3').text).toBe(
      '[name] family says the visit to [hidden] went well, Ana is a star',
    );
    expect(queue.quotes.find((q: { id: string }) => q.id === 'pq-4').text).toBe('[name] says the app update is great');
    expect((await json('/quotes?status=all&q=divorce', 'admin')).quotes).toEqual([]);

    const featured = await json(`/quotes/featured?${RANGE}`, 'leader');
    expect(featured).toMatchObject({
      source: 'pinned',
      quote: { text: '[name] here: Ana was wonderful, write to [email] or ring [phone]', agent_first_name: 'Ana' },
    });
    // The unconsented pq-secret (csat 5, nps 10) is never chosen automatically.
    const auto = await json('/quotes/featured?from=2025-06-05&to=2025-06-08', 'leader');
    expect(auto.source).toBe('approved');
    expect(auto.quote.text).toBe('[name] says the app update is great');
    const shout = await json(`/quotes/shoutouts?${RANGE}`, 'leader');
    expect(shout.shoutouts.map((s: { first_name: string }) => s.first_name)).toEqual(['Ben', 'Ana', 'Ben', 'Ana']);
    expect((await json(`/quotes/praise?${RANGE}&team=t1`, 'manager')).praise.length).toBe(3);
  });

  it('keeps the unconsented comments out of the automatic choice', async () => {
    const res = await t.request('/api/v1/quotes/featured?from=2025-06-07&to=2025-06-08', { token: t.tokens.leader });
    expect(await res.json()).toEqual({
      quote: null,
      source: null,
      reason:
        'No pinned or approved quote for 2025-06-07 – 2025-06-08, and no consented comment to choose automatically.',
    });
  });
});
