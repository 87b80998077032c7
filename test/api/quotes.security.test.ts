// Quote search and quote answers tell a caller nothing beyond the text it may see. A leader's
// search runs over the shown text (redacted, curator-hidden words hidden), so guessing a hidden
// address or name one character at a time finds nothing; segments carry offsets into the shown
// text only (no length of anything hidden); a leader hides words by offsets of that text; credit
// suggestions, team scope and the automatic choice read the shown text too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../api/auth/tokens';
import { createTestApp, readProblem, type TestApp } from '../helpers/app';
import { csv, ingestCsv, ingestJson } from '../helpers/ingest';

let t: TestApp;

const MAIL = 'Please write to marta.k@example.org about the refund';
const FAMILY = 'Kowalska family loved the visit';
const VISIT = 'The visit to 42 Elm Street went well';
const SHORT = 'Mail me at a@b.io thanks';
const LONG = 'Mail me at a.much.longer.address@mail.example.com thanks';
// A link with a query string of ~430 characters: shown as "[link]".
const BIG_LINK = `Tracking failed at https://shop.example.com/track?token=${'x'.repeat(400)}&order=7 sorry`;

beforeAll(async () => {
  t = await createTestApp();
  await ingestCsv(t.database, 'agents', csv('external_id,name,team', 'ag1,Jane Smith,t1', 'ag2,Ben Okafor,t2'));
  await ingestJson(t.database, 'surveys', [
    {
      external_id: 'mail',
      responded_at: '2025-03-03T10:00:00Z',
      team: 't1',
      csat: 4,
      comment: MAIL,
      may_quote: true,
      customer_name: 'Marta Kowalska',
    },
    {
      external_id: 'family',
      responded_at: '2025-03-04T10:00:00Z',
      team: 't1',
      csat: 4,
      comment: FAMILY,
      may_quote: true,
      customer_name: 'Marta Kowalska',
    },
    {
      external_id: 'visit',
      responded_at: '2025-03-05T10:00:00Z',
      team: 't1',
      csat: 4,
      comment: VISIT,
      may_quote: true,
    },
    {
      external_id: 'short',
      responded_at: '2025-03-06T10:00:00Z',
      team: 't2',
      csat: 3,
      comment: SHORT,
      may_quote: true,
    },
    { external_id: 'long', responded_at: '2025-03-06T10:00:00Z', team: 't2', csat: 3, comment: LONG, may_quote: true },
    // The customer shares the agent's first name: only the customer's name is in the comment.
    {
      external_id: 'credit',
      responded_at: '2025-03-07T10:00:00Z',
      team: 't2',
      agent: 'ag1',
      csat: 5,
      comment: 'Jane Doe here, the parcel came late',
      may_quote: true,
      customer_name: 'Jane Doe',
    },
    {
      external_id: 'olga',
      responded_at: '2025-03-08T10:00:00Z',
      team: 't2',
      csat: 2,
      comment: 'Thanks from Olga Petrova, slow refund',
      may_quote: true,
    },
    {
      external_id: 'under',
      responded_at: '2025-03-09T10:00:00Z',
      team: 't2',
      csat: 2,
      comment: 'Reach me at lee.x@example.com today',
      may_quote: true,
    },
    // The automatic choice (April): same scores; the older one is long only by a hidden link.
    {
      external_id: 'auto-link',
      responded_at: '2025-04-01T10:00:00Z',
      team: 't2',
      csat: 5,
      nps: 10,
      comment: BIG_LINK,
      may_quote: true,
    },
    {
      external_id: 'auto-short',
      responded_at: '2025-04-02T10:00:00Z',
      team: 't2',
      csat: 5,
      nps: 10,
      comment: 'Great!',
      may_quote: true,
    },
  ]);
  const start = VISIT.indexOf('42 Elm Street');
  const res = await t.request('/api/v1/quotes/visit', {
    method: 'PATCH',
    token: t.tokens.admin,
    json: { hidden_spans: [[start, start + '42 Elm Street'.length]] },
  });
  expect(res.status, await res.clone().text()).toBe(200);
});
afterAll(() => t.close());

type Q = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const getJson = async (path: string, role: Role): Promise<Q> => {
  const res = await t.request(`/api/v1${path}`, { token: t.tokens[role] });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Q;
};
const search = async (q: string, role: Role = 'leader') =>
  getJson(`/quotes?status=all&q=${encodeURIComponent(q)}`, role);
const found = async (q: string, role: Role = 'leader') => (await search(q, role)).quotes.map((x: Q) => x.id);
const patch = (id: string, json: unknown, role: Role) =>
  t.request(`/api/v1/quotes/${id}`, { method: 'PATCH', token: t.tokens[role], json });

describe('search reads only what the caller may see', () => {
  it('finds nothing a leader cannot read: redacted data, the customer’s name, hidden words', async () => {
    for (const q of [
      'marta',
      'marta.k@',
      '@example.org',
      'example',
      'Kowalska',
      'Marta Kowalska',
      'Elm',
      '42 Elm Street',
      'write to m',
      'Mail me at a.',
    ]) {
      const body = await search(q);
      expect({ q, quotes: body.quotes, total: body.total, counts: body.counts }).toEqual({
        q,
        quotes: [],
        total: 0,
        counts: { new: 0, approved: 0, pinned: 0, rejected: 0, retired: 0 },
      });
    }
  });

  it('finds the words and the markers a leader reads', async () => {
    expect(await found('write to [email] about')).toEqual(['mail']);
    expect(await found('[name] family')).toEqual(['family']);
    expect(await found('visit to [hidden] went')).toEqual(['visit']);
    expect((await found('mail me at [email]')).sort()).toEqual(['long', 'short']);
  });

  it('lets the admin, who reads the original, search it (and the shown text)', async () => {
    expect(await found('marta.k@', 'admin')).toEqual(['mail']);
    expect(await found('Elm Street', 'admin')).toEqual(['visit']);
    expect(await found('[hidden]', 'admin')).toEqual(['visit']);
  });

  it('answers guesses one character at a time identically', async () => {
    const totals = new Set<number>();
    for (const c of 'abcdefghijklmnopqrstuvwxyz.@') totals.add((await search(`write to ${c}`)).total);
    for (const c of 'abcdefghijklmnopqrstuvwxyz') totals.add((await search(`${c}owalska family`)).total);
    expect([...totals]).toEqual([0]);
  });

  it('searches a re-imported comment in its new words, and redacts a customer name given later', async () => {
    expect(await found('Olga')).toEqual(['olga']);
    // Same words, the customer's name given now: "Olga Petrova" is redacted, so no longer found.
    await ingestJson(t.database, 'surveys', [
      {
        external_id: 'olga',
        responded_at: '2025-03-08T10:00:00Z',
        team: 't2',
        csat: 2,
        comment: 'Thanks from Olga Petrova, slow refund',
        may_quote: true,
        customer_name: 'Olga Petrova',
      },
    ]);
    expect(await found('Olga')).toEqual([]);
    expect(await found('from [name], slow')).toEqual(['olga']);
    await ingestJson(t.database, 'surveys', [
      {
        external_id: 'olga',
        responded_at: '2025-03-08T10:00:00Z',
        team: 't2',
        csat: 2,
        comment: 'New words from Olga Petrova',
        may_quote: true,
        customer_name: 'Olga Petrova',
      },
    ]);
    expect(await found('slow refund')).toEqual([]);
    expect(await found('new words from [name]')).toEqual(['olga']);
  });
});

describe('a quote tells no length of what is hidden', () => {
  it('answers two comments that differ only in a redacted address alike, to a leader', async () => {
    const short = await getJson('/quotes/short', 'leader');
    const long = await getJson('/quotes/long', 'leader');
    const shape = (q: Q) => ({ ...q, id: undefined });
    expect(shape(long)).toEqual(shape(short));
    expect(short.text).toBe('Mail me at [email] thanks');
    expect(short).not.toHaveProperty('hidden_spans');
    expect(short).not.toHaveProperty('original');
    // In the list too.
    const list = await search('mail me at');
    expect(shape(list.quotes[0])).toEqual(shape(list.quotes[1]));
  });

  it('gives segments as offsets into the shown text, for every curator', async () => {
    for (const role of ['admin', 'leader'] as const) {
      const q = await getJson('/quotes/visit', role);
      expect(q.text).toBe('The visit to [hidden] went well');
      expect(q.segments).toEqual([
        { start: 0, end: 13, text: 'The visit to ', redacted: null },
        { start: 13, end: 21, text: '[hidden]', redacted: 'hidden' },
        { start: 21, end: 31, text: ' went well', redacted: null },
      ]);
    }
    // The admin, who reads the original, also gets the spans of the original that are hidden.
    const start = VISIT.indexOf('42 Elm Street');
    expect((await getJson('/quotes/visit', 'admin')).hidden_spans).toEqual([[start, start + 13]]);
    expect(await getJson('/quotes/visit', 'leader')).not.toHaveProperty('hidden_spans');
  });
});

describe('hiding words without the original', () => {
  it('lets a leader hide and show words by offsets of the text it reads', async () => {
    const before = await getJson('/quotes/mail', 'leader');
    expect(before.text).toBe('Please write to [email] about the refund');
    const at = before.text.indexOf('refund');
    let res = await patch('mail', { hide: { text: before.text, spans: [[at, at + 'refund'.length]] } }, 'leader');
    expect(res.status, await res.clone().text()).toBe(200);
    const hidden = (await res.json()) as Q;
    expect(hidden.text).toBe('Please write to [email] about the [hidden]');
    expect(await found('the refund')).toEqual([]);
    expect(await found('the refund', 'admin')).toEqual(['mail']);
    expect(await found('about the [hidden]')).toEqual(['mail']);

    // Keeping a [hidden] marker means giving its range; leaving it out shows the words again.
    const marker = hidden.segments.find((s: Q) => s.redacted === 'hidden');
    const moreAt = hidden.text.indexOf('Please');
    res = await patch(
      'mail',
      {
        hide: {
          text: hidden.text,
          spans: [
            [moreAt, moreAt + 6],
            [marker.start, marker.end],
          ],
        },
      },
      'leader',
    );
    expect(((await res.json()) as Q).text).toBe('[hidden] write to [email] about the [hidden]');
    const two = await getJson('/quotes/mail', 'leader');
    res = await patch('mail', { hide: { text: two.text, spans: [] } }, 'leader');
    expect(((await res.json()) as Q).text).toBe('Please write to [email] about the refund');
    expect(await found('about the refund')).toEqual(['mail']);
  });

  it('refuses spans made on a text that has changed since (409) and spans outside it (422)', async () => {
    const res = await patch(
      'mail',
      { hide: { text: 'Please write to [email] about the bill', spans: [[0, 6]] } },
      'leader',
    );
    expect(res.status).toBe(409);
    expect((await readProblem(res)).detail).toMatch(/changed/);
    const now = await getJson('/quotes/mail', 'leader');
    const bad = await patch('mail', { hide: { text: now.text, spans: [[0, now.text.length + 1]] } }, 'leader');
    expect(bad.status).toBe(422);
    const problem = await readProblem(bad);
    expect(problem.errors?.[0]?.field).toBe('hide.spans.0');
    expect(problem.detail).toContain(String(now.text.length));
    expect(problem.detail).not.toContain(String(MAIL.length));
  });

  it('keeps what an admin hid under an automatic marker, which a leader cannot see to keep', async () => {
    const inside = 'Reach me at lee.x@example.com today'.indexOf('lee');
    const res = await patch('under', { hidden_spans: [[inside, inside + 3]] }, 'admin');
    expect(((await res.json()) as Q).text).toBe('Reach me at [email] today');
    const shown = (await getJson('/quotes/under', 'leader')).text as string;
    const today = shown.indexOf('today');
    const hidden = await patch('under', { hide: { text: shown, spans: [[today, today + 5]] } }, 'leader');
    expect(((await hidden.json()) as Q).text).toBe('Reach me at [email] [hidden]');
    expect((await getJson('/quotes/under', 'admin')).hidden_spans).toEqual([
      [inside, inside + 3],
      [inside + 'lee.x@example.com '.length, inside + 'lee.x@example.com today'.length],
    ]);
  });

  it('keeps offsets of the original (hidden_spans) for the admin, who reads it', async () => {
    const res = await patch('mail', { hidden_spans: [[0, 6]] }, 'leader');
    expect(res.status).toBe(403);
    const problem = await readProblem(res);
    expect(problem.detail).toMatch(/hide/);
    expect(problem.detail).not.toContain(String(MAIL.length));
    // Nothing changed.
    expect((await getJson('/quotes/mail', 'leader')).text).toBe('Please write to [email] about the refund');
  });
});

describe('other reads of the text', () => {
  it('suggests credit and places in a team scope by the shown words only', async () => {
    const q = await getJson('/quotes/credit', 'leader');
    expect(q.text).toBe('[name] here, the parcel came late');
    expect(q.credited_agent).toBeNull();
    expect((await getJson('/quotes?status=all&team=t1', 'leader')).quotes.map((x: Q) => x.id)).not.toContain('credit');
  });

  it('chooses the automatic quote by the length of the shown text', async () => {
    const body = await getJson('/quotes/featured?from=2025-04-01&to=2025-04-07', 'leader');
    expect(body.source).toBe('automatic');
    expect(body.quote.text).toBe('Tracking failed at [link] sorry');
  });
});
