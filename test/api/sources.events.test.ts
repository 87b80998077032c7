// A source's webhook: small JSON payloads in a platform's own shape, posted to
// POST /sources/{id}/ingest, go through the mapping and the events' group commit: concurrent
// payloads share transactions, each is answered its own counts, a bad one is refused alone, and
// the rollups stay exact. Happy, error and security cases.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signatureHeader } from '../../api/auth/signature';
import { verifyRollups } from '../../api/rollups/refresh';
import { closeSourceEvents } from '../../api/sources/events';
import { readProblem } from '../helpers/app';
import { snapshotTables } from '../helpers/snapshot';
import { createEventsApp, type EventsApp } from './events.helpers';

let t: EventsApp;
let json = 0;
let ndjson = 0;

/** A contact platform's event as it posts it: nested keys, its own names, a rating on rated contacts. */
const MAPPING = {
  version: 1,
  format: { type: 'json' },
  outputs: [
    {
      kind: 'interactions',
      fields: {
        external_id: { column: 'ContactId' },
        occurred_at: { column: 'InitiationTimestamp' },
        team: { column: 'Queue.Name', lookup: { by: 'name', create: true } },
        channel: { column: 'Channel', transform: { type: 'map', values: { VOICE: 'phone', CHAT: 'chat' } } },
        answered: { column: 'Answered' },
        wait_seconds: { column: 'Queue.Duration' },
      },
    },
    {
      kind: 'surveys',
      only_when_any: ['csat'],
      fields: {
        external_id: { template: '{ContactId}-csat' },
        responded_at: { column: 'InitiationTimestamp' },
        interaction: { column: 'ContactId' },
        csat: { column: 'Rating' },
      },
    },
  ],
};

const contact = (id: string, extra: Record<string, unknown> = {}) => ({
  ContactId: id,
  InitiationTimestamp: '2024-03-13T09:12:00Z',
  Channel: 'VOICE',
  Answered: true,
  Queue: { Name: 'Billing desk', Duration: 20 },
  ...extra,
});

const post = (
  id: number,
  body: unknown,
  options: { token?: string; type?: string; raw?: string; headers?: Record<string, string> } = {},
) => {
  const text = options.raw ?? JSON.stringify(body);
  return t.request(`/api/v1/sources/${id}/ingest`, {
    method: 'POST',
    token: options.token ?? t.ingestToken,
    // Real clients send Content-Length with a body they hold; the in-process request needs it said.
    headers: {
      'content-type': options.type ?? 'application/json',
      'content-length': String(Buffer.byteLength(text)),
      ...options.headers,
    },
    body: text,
  });
};

type Answer = {
  rows: number;
  dry_run: boolean;
  results: Record<string, { inserted: number; updated: number; unchanged: number }>;
  warnings: string[];
};
const ok = async (res: Response): Promise<Answer> => {
  const text = await res.text();
  if (res.status !== 200) throw new Error(`expected 200, got ${res.status}: ${text}`);
  return JSON.parse(text) as Answer;
};

const statusOf = async (id: number) => {
  const res = await t.request('/api/v1/events/status', { token: t.tokens.admin });
  return ((await res.json()) as { sources: Record<string, { requests: number; groups: number; rejected: number }> })
    .sources[String(id)];
};

beforeAll(async () => {
  t = await createEventsApp();
  const save = async (name: string, mapping: unknown) => {
    const res = await t.request('/api/v1/sources', { method: 'POST', token: t.tokens.admin, json: { name, mapping } });
    expect(res.status, await res.clone().text()).toBe(201);
    return ((await res.json()) as { id: number }).id;
  };
  json = await save('Platform webhook', MAPPING);
  ndjson = await save('Platform webhook (NDJSON)', { ...MAPPING, format: { type: 'ndjson' } });
});
afterAll(async () => {
  await closeSourceEvents(t.deps);
  await t.close();
});

describe('a source’s webhook: happy paths', () => {
  it('takes one object as one record, each kind counted; the same again is unchanged, a change is updated', async () => {
    const first = await ok(await post(json, contact('C-1', { Rating: 5 })));
    expect(first).toMatchObject({
      rows: 1,
      dry_run: false,
      results: {
        interactions: { inserted: 1, updated: 0, unchanged: 0 },
        surveys: { inserted: 1, updated: 0, unchanged: 0 },
      },
    });
    const again = await ok(await post(json, contact('C-1', { Rating: 5 })));
    expect(again.results).toEqual({
      interactions: { inserted: 0, updated: 0, unchanged: 1 },
      surveys: { inserted: 0, updated: 0, unchanged: 1 },
    });
    const changed = await ok(await post(json, contact('C-1', { Rating: 2 })));
    expect(changed.results).toEqual({
      interactions: { inserted: 0, updated: 0, unchanged: 1 },
      surveys: { inserted: 0, updated: 1, unchanged: 0 },
    });
    const [row] = await t.database.rows<{ csat: number; team: string }>(
      sql`select s.csat, tm.name as team from surveys s join interactions i on i.id = s.interaction_id join teams tm on tm.id = i.team_id where s.external_id = 'C-1-csat'`,
    );
    expect(row).toEqual({ csat: 2, team: 'Billing desk' });
  });

  it('commits concurrent payloads together, answering each its own records', async () => {
    const before = (await statusOf(json))!;
    const bodies = Array.from({ length: 12 }, (_, i) =>
      i % 3 === 0 ? [contact(`G-${i}a`), contact(`G-${i}b`, { Rating: 4 })] : contact(`G-${i}`),
    );
    const answers = await Promise.all(bodies.map(async (b) => ok(await post(json, b))));
    answers.forEach((a, i) => {
      const two = i % 3 === 0;
      expect(a.rows).toBe(two ? 2 : 1);
      expect(a.results.interactions).toEqual({ inserted: two ? 2 : 1, updated: 0, unchanged: 0 });
      expect(a.results.surveys).toEqual({ inserted: two ? 1 : 0, updated: 0, unchanged: 0 });
    });
    const after = (await statusOf(json))!;
    expect(after.requests - before.requests).toBe(12);
    // Fewer transactions than requests: they were grouped.
    expect(after.groups - before.groups).toBeLessThan(12);
  });

  it('reads NDJSON payloads line by line', async () => {
    const text = `${JSON.stringify(contact('N-1'))}\n\n${JSON.stringify(contact('N-2', { Rating: 3 }))}\n`;
    const answer = await ok(await post(ndjson, null, { raw: text, type: 'application/x-ndjson' }));
    expect(answer.rows).toBe(2);
    expect(answer.results.interactions).toEqual({ inserted: 2, updated: 0, unchanged: 0 });
  });

  it('keeps the rollups equal to a recomputation from raw rows', async () => {
    const diffs = await verifyRollups(t.database, t.env.ORG_TIMEZONE);
    expect(diffs.filter((d) => d.extra + d.missing > 0)).toEqual([]);
  });
});

describe('a source’s webhook: bad input', () => {
  it('refuses only the bad payload of a group, naming its column; the others commit', async () => {
    const bad = contact('B-bad', { Queue: { Name: 'Billing desk', Duration: -5 } });
    const results = await Promise.all([post(json, contact('B-1')), post(json, bad), post(json, contact('B-2'))]);
    expect(results.map((r) => r.status)).toEqual([200, 422, 200]);
    const problem = (await readProblem(results[1]!)) as unknown as {
      problems: Array<{ row: number; kind: string; column: string }>;
    };
    expect(problem.problems).toEqual([
      expect.objectContaining({ row: 1, kind: 'interactions', column: 'Queue.Duration' }),
    ]);
    const [n] = await t.database.rows<{ n: number }>(
      sql`select count(*)::int as n from interactions where external_id in ('B-1', 'B-2', 'B-bad')`,
    );
    expect(n!.n).toBe(2);
  });

  it('answers invalid JSON with 422 and writes nothing', async () => {
    const before = await snapshotTables(t.database);
    const res = await post(json, null, { raw: '{"ContactId": ' });
    expect(res.status).toBe(422);
    expect((await readProblem(res)).detail).toContain('not valid JSON');
    const line = await post(ndjson, null, {
      raw: `${JSON.stringify(contact('N-9'))}\n{oops\n`,
      type: 'application/x-ndjson',
    });
    expect(line.status).toBe(422);
    expect((await readProblem(line)).detail).toContain('Line 2');
    expect(await snapshotTables(t.database)).toEqual(before);
  });

  it('answers more than 1,000 records with 413 naming the limit', async () => {
    const res = await post(
      json,
      Array.from({ length: 1001 }, (_, i) => contact(`L-${i}`)),
    );
    expect(res.status).toBe(413);
    expect(((await res.json()) as { limit: string }).limit).toBe('events-records');
  });

  it('answers a payload that is not a record (a number) with 422', async () => {
    const res = await post(json, [7]);
    expect(res.status).toBe(422);
  });
});

describe('a source’s webhook: security', () => {
  it('refuses roles that may not write, and an unknown token', async () => {
    expect((await post(json, contact('S-1'), { token: t.tokens.leader })).status).toBe(403);
    expect((await post(json, contact('S-1'), { token: t.tokens.display })).status).toBe(403);
    expect((await post(json, contact('S-1'), { token: 'nope-not-a-token-0123456789' })).status).toBe(401);
  });

  it('a signed token must sign the payload: missing or wrong signature is 401 and writes nothing', async () => {
    const before = await snapshotTables(t.database);
    const body = JSON.stringify(contact('S-2'));
    expect((await post(json, null, { raw: body, token: t.signedToken })).status).toBe(401);
    const wrong = signatureHeader(t.signingSecret, Math.floor(Date.now() / 1000), body.replace('S-2', 'S-3'));
    expect(
      (await post(json, null, { raw: body, token: t.signedToken, headers: { 'x-pairwise-signature': wrong } })).status,
    ).toBe(401);
    expect(await snapshotTables(t.database)).toEqual(before);
    const right = signatureHeader(t.signingSecret, Math.floor(Date.now() / 1000), body);
    expect(
      (await post(json, null, { raw: body, token: t.signedToken, headers: { 'x-pairwise-signature': right } })).status,
    ).toBe(200);
  });

  it('a payload cannot reach another source’s records: it is mapped by the source it is posted to', async () => {
    // An object with contract field names is not read as the contract: only the mapping's columns count.
    const res = await post(json, {
      external_id: 'X-1',
      occurred_at: '2024-03-13T09:00:00Z',
      team: 'Billing desk',
      channel: 'phone',
    });
    expect(res.status).toBe(422);
  });
});
