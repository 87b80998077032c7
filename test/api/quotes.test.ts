// Quotes and praise: the curation queue, curation rules, the featured quote's
// precedence, manager scope, re-imported comments, hidden spans, praise received, shout-outs
// and the follow-up rate. Fixtures come in through the real ingest; the organisation's time zone
// is Europe/Paris so that response days are not UTC days.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../api/auth/tokens';
import { writeSettings } from '../../api/settings';
import { auditLog, quotes } from '../../db/schema';
import { createTestApp, readProblem, type TestApp } from '../helpers/app';
import { csv, ingestCsv, ingestJson } from '../helpers/ingest';

let t: TestApp;

interface Survey {
  external_id: string;
  responded_at: string;
  interaction?: string;
  agent?: string;
  team?: string;
  csat?: number;
  nps?: number;
  effort?: number;
  comment?: string;
  may_quote?: boolean;
  customer_name?: string;
}

// Week A (2025-11-16 – 22): the queue, read only.
const A: Survey[] = [
  // 23:30 UTC on the 15th is the 16th in Paris.
  {
    external_id: 'a6',
    responded_at: '2025-11-15T23:30:00Z',
    interaction: 'i-a6',
    csat: 5,
    nps: 10,
    comment: 'Lovely people, Chris was patient and kind.',
    may_quote: true,
  },
  {
    external_id: 'a1',
    responded_at: '2025-11-17T10:00:00Z',
    interaction: 'i-a1',
    csat: 5,
    comment: 'Ana sorted my refund in minutes, brilliant service! Mail me at jane.doe@example.com',
    may_quote: true,
    customer_name: 'Jane Doe',
  },
  {
    external_id: 'a2',
    responded_at: '2025-11-18T10:00:00Z',
    team: 't2',
    agent: 'a2',
    csat: 2,
    comment: 'Waited forever, call me on +44 20 7946 0958',
    may_quote: true,
  },
  {
    external_id: 'a3',
    responded_at: '2025-11-19T10:00:00Z',
    team: 't1',
    csat: 4,
    nps: 9,
    comment: 'Card 4111 1111 1111 1111 was charged twice but the REFUND team fixed it',
    may_quote: true,
  },
  {
    external_id: 'a4',
    responded_at: '2025-11-20T09:00:00Z',
    team: 't1',
    csat: 5,
    comment: 'Unconsented words about my private life',
    may_quote: false,
  },
  { external_id: 'a5', responded_at: '2025-11-20T10:00:00Z', team: 't1', csat: 5, comment: '   ', may_quote: true },
  {
    external_id: 'sv/9',
    responded_at: '2025-11-20T11:00:00Z',
    team: 't2',
    csat: 3,
    effort: 2,
    comment: 'Okay I suppose, nothing special.',
    may_quote: true,
  },
  { external_id: 'a7', responded_at: '2025-11-21T10:00:00Z', team: 't2', csat: 5, comment: 'Quick.', may_quote: true },
  {
    external_id: 'a0',
    responded_at: '2025-11-05T10:00:00Z',
    team: 't1',
    csat: 3,
    comment: 'Fine overall, refund arrived.',
    may_quote: true,
  },
];

// Week P (2025-10-05 – 11): curation rules.
const P: Survey[] = [
  {
    external_id: 'p1',
    responded_at: '2025-10-06T10:00:00Z',
    team: 't1',
    csat: 3,
    comment: 'The agent was fine but the wait was long.',
    may_quote: true,
  },
  {
    external_id: 'p2',
    responded_at: '2025-10-07T10:00:00Z',
    team: 't1',
    agent: 'a1',
    csat: 5,
    comment: 'Ana sorted my refund in minutes, brilliant service!',
    may_quote: true,
    customer_name: 'Paul Green',
  },
  {
    external_id: 'p3',
    responded_at: '2025-10-08T10:00:00Z',
    team: 't1',
    csat: 2,
    comment: 'Nobody called me back, Paul Green is not happy.',
    may_quote: true,
    customer_name: 'Paul Green',
  },
  {
    external_id: 'p4',
    responded_at: '2025-10-08T11:00:00Z',
    team: 't1',
    csat: 5,
    comment: 'Private opinion, not for quoting.',
    may_quote: false,
  },
  {
    external_id: 'p5',
    responded_at: '2025-10-09T10:00:00Z',
    team: 't1',
    agent: 'a1',
    csat: 5,
    comment: 'My daughter Anabel loved the shop.',
    may_quote: true,
  },
  {
    external_id: 'p6',
    responded_at: '2025-10-09T11:00:00Z',
    team: 't1',
    agent: 'a1',
    csat: 5,
    comment: 'thanks ana!',
    may_quote: true,
  },
];

// Week B (2025-11-23 – 29): the featured quote.
const B: Survey[] = [
  {
    external_id: 'b1',
    responded_at: '2025-11-24T10:00:00Z',
    team: 't1',
    agent: 'a1',
    csat: 4,
    nps: 8,
    comment: 'Ana was helpful with my broadband upgrade today.',
    may_quote: true,
  },
  {
    external_id: 'b2',
    responded_at: '2025-11-25T10:00:00Z',
    team: 't1',
    csat: 5,
    nps: 10,
    comment: 'Brilliant, the engineer came the same day and fixed everything.',
    may_quote: true,
  },
  {
    external_id: 'b3',
    responded_at: '2025-11-26T10:00:00Z',
    team: 't1',
    csat: 5,
    nps: 10,
    comment: 'Great!',
    may_quote: true,
  },
  {
    external_id: 'b4',
    responded_at: '2025-11-27T10:00:00Z',
    team: 't2',
    csat: 5,
    nps: 10,
    comment: 'Frontline two were superb with my claim.',
    may_quote: true,
  },
  {
    external_id: 'b5',
    responded_at: '2025-11-28T10:00:00Z',
    team: 't1',
    csat: 1,
    comment: 'Terrible wait, nobody called back for days.',
    may_quote: true,
  },
  {
    external_id: 'b6',
    responded_at: '2025-11-27T12:00:00Z',
    team: 't1',
    csat: 5,
    nps: 10,
    comment: 'Absolutely perfect service from start to finish.',
    may_quote: true,
  },
  {
    external_id: 'b7',
    responded_at: '2025-11-26T12:00:00Z',
    team: 't1',
    csat: 5,
    nps: 10,
    comment: 'Even better than I hoped, thank you all.',
    may_quote: false,
  },
];

// Week C (2025-11-30 – 12-06): a comment changed by a re-import.
const C: Survey[] = [
  {
    external_id: 'c1',
    responded_at: '2025-12-01T10:00:00Z',
    team: 't1',
    csat: 5,
    nps: 10,
    comment: 'The new router works perfectly, thanks to the team.',
    may_quote: true,
  },
];

// Week D (2025-12-07 – 13): praise, follow-up, shout-outs.
const D: Survey[] = [
  {
    external_id: 'd1',
    responded_at: '2025-12-07T10:00:00Z',
    team: 't1',
    agent: 'a1',
    csat: 5,
    comment: 'Ana rang me back as promised, lovely.',
    may_quote: true,
  },
  {
    external_id: 'd2',
    responded_at: '2025-12-08T10:00:00Z',
    team: 't1',
    csat: 5,
    comment: 'Super fast delivery and setup.',
    may_quote: true,
  },
  {
    external_id: 'd3',
    responded_at: '2025-12-09T10:00:00Z',
    team: 't2',
    agent: 'a2',
    csat: 4,
    comment: 'Ben explained the bill clearly, thank you Ben.',
    may_quote: true,
  },
  {
    external_id: 'd4',
    responded_at: '2025-12-10T10:00:00Z',
    team: 't1',
    csat: 2,
    comment: 'Not great, it took three calls.',
    may_quote: true,
  },
  {
    external_id: 'd5',
    responded_at: '2025-12-11T10:00:00Z',
    team: 't2',
    agent: 'a1',
    csat: 5,
    comment: 'Ana from the other team helped me too, thanks Ana.',
    may_quote: true,
  },
];

beforeAll(async () => {
  t = await createTestApp({ env: { ORG_TIMEZONE: 'Europe/Paris' } });
  const db = t.database;
  await ingestCsv(
    db,
    'teams',
    csv('external_id,name,kind', 't1,Frontline One,support', 't2,Frontline Two,support', 't3,Product,product'),
  );
  await ingestCsv(db, 'agents', csv('external_id,name,team', 'a1,Ana Lima,t1', 'a2,Ben Okafor,t2', 'a3,Chris Park,t1'));
  await ingestCsv(
    db,
    'interactions',
    csv(
      'external_id,occurred_at,team,channel,agent',
      'i-a1,2025-11-17T09:30:00Z,t1,chat,a1',
      'i-a6,2025-11-15T23:00:00Z,t1,phone,a3',
    ),
  );
  await ingestJson(db, 'surveys', [...A, ...P, ...B, ...C, ...D]);
});
afterAll(() => t.close());

type Q = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const get = async (path: string, role: Role = 'admin') => t.request(`/api/v1${path}`, { token: t.tokens[role] });
const getJson = async (path: string, role: Role = 'admin'): Promise<Q> => {
  const res = await get(path, role);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Q;
};
const patch = (id: string, json: unknown, role: Role = 'admin') =>
  t.request(`/api/v1/quotes/${encodeURIComponent(id)}`, { method: 'PATCH', token: t.tokens[role], json });
const patchOk = async (id: string, json: unknown, role: Role = 'admin'): Promise<Q> => {
  const res = await patch(id, json, role);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Q;
};
const ids = (list: Q[]) => list.map((q) => q.id);
const WEEK_A = 'from=2025-11-16&to=2025-11-22';

/** Segments cover the shown text in order (offsets into it); plain ones carry the original's words, in order. */
function expectSegmentsCover(q: Q, original: string) {
  let at = 0;
  let inOriginal = 0;
  for (const s of q.segments) {
    expect(s.start).toBe(at);
    expect(s.end).toBeGreaterThan(s.start);
    expect(q.text.slice(s.start, s.end)).toBe(s.text);
    if (s.redacted === null) {
      const i = original.indexOf(s.text, inOriginal);
      expect(i).toBeGreaterThanOrEqual(inOriginal);
      inOriginal = i + s.text.length;
    } else expect(s.text).toMatch(/^\[[a-z]+\]$/);
    at = s.end;
  }
  expect(at).toBe(q.text.length);
}

describe('GET /quotes (the curation queue)', () => {
  it('lists consented, non-blank comments newest first, redacted, with counts', async () => {
    const body = await getJson(`/quotes?${WEEK_A}`);
    expect(ids(body.quotes)).toEqual(['a7', 'sv/9', 'a3', 'a2', 'a1', 'a6']);
    expect(body.total).toBe(6);
    expect(body.counts).toEqual({ new: 6, approved: 0, pinned: 0, rejected: 0, retired: 0 });
    expect(body.follow_up).toEqual({ praise_approved: 0, followed_up: 0, rate: null });

    const a1 = body.quotes.find((q: Q) => q.id === 'a1');
    expect(a1).toMatchObject({
      status: 'new',
      needs_review: false,
      text: 'Ana sorted my refund in minutes, brilliant service! Mail me at [email]',
      original: A[1]!.comment,
      csat: 5,
      nps: null,
      date: '2025-11-17',
      responded_at: '2025-11-17T10:00:00.000Z',
      channel: 'chat',
      team: { id: 't1', name: 'Frontline One' },
      agent: { id: 'a1', name: 'Ana Lima' },
      is_praise: true,
      credited_agent: { id: 'a1', name: 'Ana Lima' },
      credited_agent_suggested: true,
      praise_teams: [],
      pinned_from: null,
      pinned_to: null,
      followed_up_on: null,
      curated_by: null,
      curated_at: null,
    });
    expectSegmentsCover(a1, A[1]!.comment!);
    const at = a1.text.indexOf('[email]');
    expect(a1.segments.at(-1)).toEqual({ start: at, end: at + '[email]'.length, text: '[email]', redacted: 'email' });

    // Inherited from the interaction; the Paris day of a late UTC evening.
    const a6 = body.quotes.find((q: Q) => q.id === 'a6');
    expect(a6).toMatchObject({
      date: '2025-11-16',
      channel: 'phone',
      team: { id: 't1' },
      agent: { id: 'a3' },
      credited_agent: { id: 'a3', name: 'Chris Park' },
      is_praise: true,
    });
    // Praise suggested by nps (no csat: not here) or effort: csat 3 is not praise even with effort 2.
    expect(body.quotes.find((q: Q) => q.id === 'sv/9')).toMatchObject({
      is_praise: false,
      credited_agent: null,
      credited_agent_suggested: false,
      channel: null,
    });
    expect(body.quotes.find((q: Q) => q.id === 'a2').text).toBe('Waited forever, call me on [phone]');
    expect(body.quotes.find((q: Q) => q.id === 'a3').text).toBe(
      'Card [card] was charged twice but the REFUND team fixed it',
    );
  });

  it('gives the original to the admin only', async () => {
    const leader = await getJson(`/quotes?${WEEK_A}`, 'leader');
    expect(leader.quotes).toHaveLength(6);
    for (const q of leader.quotes) expect(q).not.toHaveProperty('original');
  });

  it('filters by team scope, dates, words, praise, and pages', async () => {
    expect(ids((await getJson(`/quotes?${WEEK_A}&team=t2`)).quotes)).toEqual(['a7', 'sv/9', 'a2']);
    expect(ids((await getJson('/quotes?from=2025-11-16&to=2025-11-17')).quotes)).toEqual(['a1', 'a6']);
    const refund = await getJson(`/quotes?q=REFUND&status=all&from=2025-11-01&to=2025-11-22`);
    expect(ids(refund.quotes)).toEqual(['a3', 'a1', 'a0']);
    expect(refund.total).toBe(3);
    const praise = await getJson(`/quotes?${WEEK_A}&praise=true`);
    expect(ids(praise.quotes)).toEqual(['a7', 'a3', 'a1', 'a6']);
    expect(praise.counts.new).toBe(4);
    expect(ids((await getJson(`/quotes?${WEEK_A}&praise=false`)).quotes)).toEqual(['sv/9', 'a2']);
    const page = await getJson(`/quotes?${WEEK_A}&limit=2&offset=2`);
    expect(ids(page.quotes)).toEqual(['a3', 'a2']);
    expect(page.total).toBe(6);
    expect((await getJson(`/quotes?${WEEK_A}&status=approved`)).quotes).toEqual([]);
  });

  it.each([
    ['status=maybe', /query parameter 'status'/],
    ['limit=0', /query parameter 'limit'/],
    ['limit=201', /query parameter 'limit'/],
    ['offset=-1', /query parameter 'offset'/],
    ['from=2025-13-01', /query parameter 'from'/],
    ['from=2025-11-22&to=2025-11-16', /query parameter 'from'.*must not be after/],
    ['praise=maybe', /query parameter 'praise'/],
    ['team=t9', /query parameter 'team'.*unknown team/],
  ])('answers 400 for %s', async (query, detail) => {
    const res = await get(`/quotes?${query}`);
    expect(res.status).toBe(400);
    expect((await readProblem(res)).detail).toMatch(detail);
  });
});

describe('GET /quotes/{id}', () => {
  it('answers one quote; the id is URL-encoded', async () => {
    const q = await getJson(`/quotes/${encodeURIComponent('sv/9')}`);
    expect(q).toMatchObject({
      id: 'sv/9',
      status: 'new',
      text: 'Okay I suppose, nothing special.',
      original: 'Okay I suppose, nothing special.',
    });
    const leader = await getJson('/quotes/a1', 'leader');
    expect(leader.text).toBe('Ana sorted my refund in minutes, brilliant service! Mail me at [email]');
    expect(leader).not.toHaveProperty('original');
  });

  it("suggests the credit only when the comment names the agent's first name as a whole word", async () => {
    expect(await getJson('/quotes/p5')).toMatchObject({
      credited_agent: null,
      credited_agent_suggested: false,
      agent: { id: 'a1' },
    });
    expect(await getJson('/quotes/p6')).toMatchObject({
      credited_agent: { id: 'a1', name: 'Ana Lima' },
      credited_agent_suggested: true,
    });
  });

  it('answers the same 404 for an unknown id, an unconsented comment and a blank one', async () => {
    const details = new Set<string>();
    for (const id of ['nope', 'a4', 'a5']) {
      const res = await get(`/quotes/${id}`);
      expect(res.status).toBe(404);
      const body = await readProblem(res);
      details.add(body.detail);
      expect(JSON.stringify(body)).not.toContain('Unconsented');
    }
    expect(details.size).toBe(1);
    expect((await patch('a4', { status: 'approved' })).status).toBe(404);
  });
});

describe('PATCH /quotes/{id}', () => {
  it('approves, records who and when, keeps the redacted text and md5, and audits', async () => {
    const q = await patchOk('p1', { status: 'approved' }, 'leader');
    expect(q).toMatchObject({
      status: 'approved',
      needs_review: false,
      curated_by: 'test leader',
      is_praise: false,
      credited_agent: null,
    });
    expect(q).not.toHaveProperty('original');
    expect(Date.now() - Date.parse(q.curated_at)).toBeLessThan(60_000);
    const rows = await t.database.rows<{ redacted_text: string; comment_md5: string; ok: boolean }>(
      (await import('drizzle-orm'))
        .sql`select q.redacted_text, q.comment_md5, q.comment_md5 = md5(s.comment) as ok from quotes q join surveys s on s.id = q.survey_id where s.external_id = 'p1'`,
    );
    expect(rows[0]).toMatchObject({ redacted_text: 'The agent was fine but the wait was long.', ok: true });
    const log = await t.database.db.select().from(auditLog);
    const entry = log.find((l) => l.action === 'quote.update' && l.subject === 'quote p1');
    expect(entry).toMatchObject({ actor: 'test leader' });
    expect(entry?.details).toMatchObject({ status: 'approved' });
  });

  it('keeps the suggested praise and credit when it first stores a row; the credit can be removed', async () => {
    const q = await patchOk('p2', { status: 'approved' });
    expect(q).toMatchObject({
      is_praise: true,
      credited_agent: { id: 'a1', name: 'Ana Lima' },
      credited_agent_suggested: false,
      original: P[1]!.comment,
    });
    const cleared = await patchOk('p2', { credited_agent: null });
    expect(cleared).toMatchObject({ credited_agent: null, credited_agent_suggested: false });
    const back = await patchOk('p2', { credited_agent: 'a2' });
    expect(back.credited_agent).toEqual({ id: 'a2', name: 'Ben Okafor' });
  });

  it('pins (approving), unpins, and clears the pin when rejecting or retiring', async () => {
    await patchOk('p1', { status: 'rejected' });
    let q = await patchOk('p1', { pinned_from: '2025-10-05', pinned_to: '2025-10-11' });
    expect(q).toMatchObject({ status: 'approved', pinned_from: '2025-10-05', pinned_to: '2025-10-11' });
    expect((await getJson('/quotes?status=pinned&from=2025-10-05&to=2025-10-11')).quotes.map((x: Q) => x.id)).toEqual([
      'p1',
    ]);
    q = await patchOk('p1', { pinned_from: null, pinned_to: null });
    expect(q).toMatchObject({ status: 'approved', pinned_from: null, pinned_to: null });
    await patchOk('p1', { pinned_from: '2025-10-05', pinned_to: '2025-10-05' });
    q = await patchOk('p1', { status: 'retired' });
    expect(q).toMatchObject({ status: 'retired', pinned_from: null, pinned_to: null });
    await patchOk('p1', { status: 'approved', pinned_from: '2025-10-05', pinned_to: '2025-10-06' });
    q = await patchOk('p1', { status: 'rejected' });
    expect(q).toMatchObject({ status: 'rejected', pinned_from: null, pinned_to: null });
  });

  it('hides words with hidden spans and never changes the others', async () => {
    const original = P[2]!.comment!; // 'Nobody called me back, Paul Green is not happy.'
    const before = await getJson('/quotes/p3');
    expect(before.text).toBe('Nobody called me back, [name] is not happy.');
    const start = original.indexOf('called me back');
    const end = start + 'called me back'.length;
    const q = await patchOk('p3', { hidden_spans: [[start, end]] });
    expect(q.text).toBe('Nobody [hidden], [name] is not happy.');
    expect(q.hidden_spans).toEqual([[start, end]]);
    // Every plain word outside the span is the original's.
    expectSegmentsCover(q, original);
    expect(q.segments).toContainEqual({ start: 7, end: 15, text: '[hidden]', redacted: 'hidden' });
    // Overlapping spans are merged; the stored text follows.
    const merged = await patchOk('p3', {
      hidden_spans: [
        [0, 3],
        [2, 6],
      ],
    });
    expect(merged.hidden_spans).toEqual([[0, 6]]);
    expect(merged.text).toBe('[hidden] called me back, [name] is not happy.');
    const [row] = await t.database.db
      .select()
      .from(quotes)
      .where((await import('drizzle-orm')).sql`survey_id = (select id from surveys where external_id = 'p3')`);
    expect(row?.redactedText).toBe('[hidden] called me back, [name] is not happy.');
    const none = await patchOk('p3', { hidden_spans: [] });
    expect(none.text).toBe('Nobody called me back, [name] is not happy.');
  });

  it('hides words by ranges of the shown text (hide), for any curator', async () => {
    const original = P[2]!.comment!; // 'Nobody called me back, Paul Green is not happy.'
    const shown = (await getJson('/quotes/p3', 'leader')).text as string;
    expect(shown).toBe('Nobody called me back, [name] is not happy.');
    // A range that reaches into a marker takes all the marker hides: one [hidden] from "back" to the name's end.
    const q = await patchOk(
      'p3',
      { hide: { text: shown, spans: [[shown.indexOf('back'), shown.indexOf('[name]') + 2]] } },
      'leader',
    );
    expect(q.text).toBe('Nobody called me [hidden] is not happy.');
    expect((await getJson('/quotes/p3')).hidden_spans).toEqual([
      [original.indexOf('back'), original.indexOf(' is not')],
    ]);
    const both = await patch('p3', { hidden_spans: [], hide: { text: q.text, spans: [] } });
    expect(both.status).toBe(422);
    expect((await readProblem(both)).errors?.map((e) => e.field)).toEqual(['hide']);
    const none = await patchOk('p3', { hide: { text: q.text, spans: [] } }, 'leader');
    expect(none.text).toBe(shown);
    expect((await getJson('/quotes/p3')).hidden_spans).toEqual([]);
  });

  it.each([
    [{ status: 'rejected', pinned_from: '2025-10-05', pinned_to: '2025-10-11' }, 'status'],
    [{ status: 'retired', pinned_from: '2025-10-05', pinned_to: '2025-10-11' }, 'status'],
    [{ pinned_from: '2025-10-11', pinned_to: '2025-10-05' }, 'pinned_to'],
    [{ pinned_from: '2025-10-11' }, 'pinned_to'],
    [{ pinned_from: null, pinned_to: '2025-10-05' }, 'pinned_from'],
    [{ hidden_spans: [[5, 5]] }, 'hidden_spans.0'],
    [{ hidden_spans: [[-1, 3]] }, 'hidden_spans.0'],
    [
      {
        hidden_spans: [
          [0, 3],
          [10, 999],
        ],
      },
      'hidden_spans.1',
    ],
    [{ hidden_spans: Array.from({ length: 51 }, (_, k) => [k % 40, (k % 40) + 1]) }, 'hidden_spans'],
    [{ credited_agent: 'nobody' }, 'credited_agent'],
    [{ is_praise: true, praise_teams: ['t3', 't9'] }, 'praise_teams'],
    [{ praise_teams: ['t3'] }, 'praise_teams'],
    [{ followed_up_on: '2025-10-09' }, 'followed_up_on'],
    [{ is_praise: true, followed_up_on: '2199-01-01' }, 'followed_up_on'],
  ])('answers 422 for %j naming %s, and writes nothing', async (body, field) => {
    const before = await t.database.db.select().from(quotes);
    const res = await patch('p1', body);
    expect(res.status).toBe(422);
    const problem = await readProblem(res);
    expect(problem.errors?.map((e) => e.field)).toContain(field);
    expect(problem.errors?.every((e) => e.in === 'body')).toBe(true);
    expect(await t.database.db.select().from(quotes)).toEqual(before);
  });

  it.each([
    [{}, /at least one/],
    [{ status: 'pinned' }, /body field 'status'/],
    [{ hidden_spans: [[1]] }, /body field 'hidden_spans/],
    [{ pinned_from: '2025-02-30', pinned_to: '2025-03-01' }, /body field 'pinned_from'/],
    [{ is_praise: 'yes' }, /body field 'is_praise'/],
    [{ colour: 'red' }, /Invalid/],
  ])('answers 400 for the malformed body %j', async (body, detail) => {
    const res = await patch('p1', body);
    expect(res.status).toBe(400);
    expect((await readProblem(res)).detail).toMatch(detail);
  });

  it('answers 404 for an unknown quote', async () => {
    const res = await patch('nope', { status: 'approved' });
    expect(res.status).toBe(404);
  });
});

describe('GET /quotes/featured', () => {
  const WEEK_B = 'from=2025-11-23&to=2025-11-29';

  it('prefers pinned over approved over automatic, in scope', async () => {
    await patchOk('b6', { status: 'rejected' });
    // Automatic: the best-rated new comment of t1 (b6 rejected, b7 unconsented, b4 another
    // team, b3 too short beside b2 of the same rating).
    let body = await getJson(`/quotes/featured?${WEEK_B}&team=t1`);
    expect(body).toMatchObject({
      source: 'automatic',
      reason: null,
      quote: {
        id: 'b2',
        text: B[1]!.comment,
        csat: 5,
        nps: 10,
        date: '2025-11-25',
        team: 'Frontline One',
        agent_first_name: null,
        is_praise: true,
      },
    });
    expect((await getJson(`/quotes/featured?${WEEK_B}&team=t2`)).quote.id).toBe('b4');

    await patchOk('b1', { status: 'approved' });
    await patchOk('b5', { status: 'approved' });
    body = await getJson(`/quotes/featured?${WEEK_B}&team=t1`);
    expect(body).toMatchObject({ source: 'approved', quote: { id: 'b5' } });

    await patchOk('b1', { pinned_from: '2025-11-23', pinned_to: '2025-11-24' });
    body = await getJson(`/quotes/featured?${WEEK_B}&team=t1`);
    expect(body).toMatchObject({ source: 'pinned', quote: { id: 'b1', agent_first_name: 'Ana', is_praise: true } });
    // The pin is for its range only: the week after falls back.
    expect((await getJson('/quotes/featured?from=2025-11-25&to=2025-11-29&team=t1')).quote.id).toBe('b5');
    // Without a team: every team.
    expect((await getJson(`/quotes/featured?${WEEK_B}`)).quote.id).toBe('b1');
  });

  it('is not for the display role (the wallboard gets its quotes, without ids, through /views/tv)', async () => {
    expect((await get('/quotes/featured?from=2025-11-23&to=2025-11-29&team=t1', 'display')).status).toBe(403);
    const tv = await getJson('/views/tv?team=t1', 'display');
    for (const q of [tv.quotes.featured.quote, ...tv.quotes.recent].filter(Boolean)) expect(q).not.toHaveProperty('id');
  });

  it('scopes a manager to its teams, and refuses another team without data', async () => {
    const mine = await getJson('/quotes/featured?from=2025-11-23&to=2025-11-29', 'manager');
    expect(mine.quote.id).toBe('b1');
    const res = await get('/quotes/featured?from=2025-11-23&to=2025-11-29&team=t2', 'manager');
    expect(res.status).toBe(403);
    const body = (await res.json()) as Q;
    expect(Object.keys(body).sort()).toEqual(['detail', 'instance', 'request_id', 'status', 'title', 'type']);
    expect(body.detail).not.toContain('Frontline two were superb');
  });

  it('explains a null, with automatic selection on and off', async () => {
    const empty = 'from=2026-01-04&to=2026-01-10&team=t1';
    expect(await getJson(`/quotes/featured?${empty}`)).toEqual({
      quote: null,
      source: null,
      reason:
        'No pinned or approved quote for 2026-01-04 – 2026-01-10 in Frontline One, and no consented comment to choose automatically.',
    });
    // Week A has only new candidates: automatic when allowed, nothing when off.
    expect((await getJson('/quotes/featured?from=2025-11-16&to=2025-11-22&team=t1')).source).toBe('automatic');
    await writeSettings(t.database.db, { auto_quote: false }, null);
    try {
      expect(await getJson('/quotes/featured?from=2025-11-16&to=2025-11-22&team=t1')).toEqual({
        quote: null,
        source: null,
        reason:
          'No pinned or approved quote for 2025-11-16 – 2025-11-22 in Frontline One, and automatic selection is off.',
      });
      expect((await getJson('/quotes/featured?from=2025-11-16&to=2025-11-16')).reason).toBe(
        'No pinned or approved quote for 2025-11-16, and automatic selection is off.',
      );
      // Curated quotes are unaffected.
      expect((await getJson('/quotes/featured?from=2025-11-23&to=2025-11-29&team=t1')).source).toBe('pinned');
    } finally {
      await writeSettings(t.database.db, { auto_quote: true }, null);
    }
  });

  it.each([
    ['to=2025-11-29', /query parameter 'from'/],
    ['from=2025-11-23', /query parameter 'to'/],
    ['from=2025-11-29&to=2025-11-23', /must not be after/],
    ['from=2025-11-23&to=2025-11-29&team=t9', /unknown team/],
  ])('answers 400 for %s', async (query, detail) => {
    const res = await get(`/quotes/featured?${query}`);
    expect(res.status).toBe(400);
    expect((await readProblem(res)).detail).toMatch(detail);
  });
});

describe('a comment changed by a re-import', () => {
  it('needs review, counts as new and is no longer featured until judged again', async () => {
    const WEEK_C = 'from=2025-11-30&to=2025-12-06&team=t1';
    await patchOk('c1', { status: 'approved' });
    expect((await getJson(`/quotes/featured?${WEEK_C}`)).quote.id).toBe('c1');

    // The same words again change nothing.
    await ingestJson(t.database, 'surveys', C);
    expect((await getJson('/quotes/c1')).needs_review).toBe(false);

    const changed = 'The new router is broken and nobody helps at all.';
    await ingestJson(t.database, 'surveys', [{ ...C[0]!, comment: changed }]);
    const q = await getJson('/quotes/c1');
    expect(q).toMatchObject({ status: 'new', needs_review: true, text: changed, pinned_from: null });
    expect(await getJson(`/quotes/featured?${WEEK_C}`)).toMatchObject({ quote: null, source: null });
    expect(ids((await getJson(`/quotes?${WEEK_C}&status=approved`)).quotes)).toEqual([]);
    const queue = await getJson(`/quotes?${WEEK_C}`);
    expect(ids(queue.quotes)).toEqual(['c1']);
    expect(queue.counts).toMatchObject({ new: 1, approved: 0 });

    const judged = await patchOk('c1', { status: 'approved' });
    expect(judged).toMatchObject({ status: 'approved', needs_review: false });
    expect(await getJson(`/quotes/featured?${WEEK_C}`)).toMatchObject({
      source: 'approved',
      quote: { id: 'c1', text: changed },
    });
  });
});

describe('praise: routing, follow-up, praise received, shout-outs', () => {
  const WEEK_D = 'from=2025-12-07&to=2025-12-13';

  beforeAll(async () => {
    for (const id of ['d1', 'd2', 'd3', 'd4', 'd5']) await patchOk(id, { status: 'approved' });
    await patchOk('d3', { praise_teams: ['t3'], followed_up_on: '2025-12-10' });
    await patchOk('d1', { followed_up_on: '2025-12-08' });
    await patchOk('d5', { followed_up_on: '2025-12-12' });
  });

  it('works out the follow-up rate', async () => {
    // Praise approved: d1, d2, d3, d5 (d4 is csat 2); followed up: d1, d3, d5 → 3 ÷ 4.
    expect((await getJson(`/quotes?${WEEK_D}&status=approved`)).follow_up).toEqual({
      praise_approved: 4,
      followed_up: 3,
      rate: 0.75,
    });
    // t1's scope: d1, d2, d4 (its own) and d5 (credits Ana of t1) → praise d1, d2, d5; followed up d1, d5 → 2 ÷ 3.
    const t1 = await getJson(`/quotes?${WEEK_D}&status=approved&team=t1`);
    expect(ids(t1.quotes)).toEqual(['d5', 'd4', 'd2', 'd1']);
    expect(t1.follow_up).toEqual({ praise_approved: 3, followed_up: 2, rate: 2 / 3 });
    // t3 received d3 only by sharing → 1 ÷ 1.
    expect((await getJson(`/quotes?${WEEK_D}&status=all&team=t3`)).follow_up).toEqual({
      praise_approved: 1,
      followed_up: 1,
      rate: 1,
    });
  });

  it('refuses sharing or a follow-up on a quote that is not praise, and one in the future', async () => {
    expect((await patch('d4', { praise_teams: ['t3'] })).status).toBe(422);
    expect((await patch('d4', { followed_up_on: '2025-12-11' })).status).toBe(422);
    expect((await patch('d1', { followed_up_on: '2199-12-31' })).status).toBe(422);
  });

  it('answers praise received, relative to the team asked for', async () => {
    const t1 = await getJson(`/quotes/praise?${WEEK_D}&team=t1`, 'leader');
    expect(t1.praise.map((p: Q) => [p.id, p.received_via])).toEqual([
      ['d5', 'agent'],
      ['d2', 'team'],
      ['d1', 'team'],
    ]);
    expect(t1.praise[0]).toEqual({
      id: 'd5',
      text: D[4]!.comment,
      date: '2025-12-11',
      channel: null,
      csat: 5,
      nps: null,
      team: { id: 't2', name: 'Frontline Two' },
      credited_agent: { id: 'a1', name: 'Ana Lima' },
      shared_with: [],
      received_via: 'agent',
    });
    const t3 = await getJson(`/quotes/praise?${WEEK_D}&team=t3`);
    expect(t3.praise).toHaveLength(1);
    expect(t3.praise[0]).toMatchObject({
      id: 'd3',
      received_via: 'shared',
      shared_with: [{ id: 't3', name: 'Product' }],
      credited_agent: { id: 'a2', name: 'Ben Okafor' },
    });
    const all = await getJson(`/quotes/praise?${WEEK_D}&limit=2`);
    expect(all.praise.map((p: Q) => [p.id, p.received_via])).toEqual([
      ['d5', 'team'],
      ['d3', 'team'],
    ]);
  });

  it('scopes praise received for a manager', async () => {
    const mine = await getJson(`/quotes/praise?${WEEK_D}`, 'manager');
    expect(mine.praise.map((p: Q) => p.id)).toEqual(['d5', 'd2', 'd1']);
    const res = await get(`/quotes/praise?${WEEK_D}&team=t2`, 'manager');
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain('Ben');
    expect((await get(`/quotes/praise?${WEEK_D}`, 'display')).status).toBe(403);
  });

  it('answers shout-outs: first name, team, words and day, nothing else', async () => {
    expect((await get(`/quotes/shoutouts?${WEEK_D}`, 'display')).status).toBe(403);
    const body = await getJson(`/quotes/shoutouts?${WEEK_D}`, 'leader');
    expect(body).toEqual({
      shoutouts: [
        { first_name: 'Ana', team: 'Frontline One', text: D[4]!.comment, date: '2025-12-11' },
        { first_name: 'Ben', team: 'Frontline Two', text: D[2]!.comment, date: '2025-12-09' },
        { first_name: 'Ana', team: 'Frontline One', text: D[0]!.comment, date: '2025-12-07' },
      ],
    });
    expect(
      (await getJson(`/quotes/shoutouts?${WEEK_D}&team=t2`, 'leader')).shoutouts.map((s: Q) => s.first_name),
    ).toEqual(['Ana', 'Ben']);
    expect((await getJson(`/quotes/shoutouts?${WEEK_D}&limit=1`, 'leader')).shoutouts).toHaveLength(1);
    const manager = await getJson(`/quotes/shoutouts?${WEEK_D}`, 'manager');
    expect(manager.shoutouts.map((s: Q) => s.date)).toEqual(['2025-12-11', '2025-12-07']);
    expect((await get(`/quotes/shoutouts?${WEEK_D}&team=t2`, 'manager')).status).toBe(403);
  });

  it('stops counting praise that is retired or no longer praise', async () => {
    await patchOk('d2', { is_praise: false });
    const after = await getJson(`/quotes/praise?${WEEK_D}&team=t1`);
    expect(after.praise.map((p: Q) => p.id)).toEqual(['d5', 'd1']);
    await patchOk('d3', { status: 'retired' });
    expect((await getJson(`/quotes/praise?${WEEK_D}&team=t3`)).praise).toEqual([]);
    // Un-marking praise drops its sharing and follow-up.
    const d5 = await patchOk('d5', { is_praise: false });
    expect(d5).toMatchObject({ praise_teams: [], followed_up_on: null });
  });
});
