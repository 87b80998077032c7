// Refused event requests: bad JSON, unknown kind, too many records or bytes, invalid fields
// (every problem with its row and field), nothing written; and random bodies never give a 5xx.
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENTS } from '../../api/limits';
import { readProblem } from '../helpers/app';
import { createEventsApp, postEvents, type EventsApp } from './events.helpers';

let t: EventsApp;
beforeAll(async () => {
  t = await createEventsApp();
});
afterAll(() => t.close());

const count = async (table: string) =>
  (await t.database.rows<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`)))[0]!.n;

describe('events: refused requests', () => {
  it('bad JSON → 422 invalid-json', async () => {
    const res = await postEvents(t, 'teams', null, { raw: '{"external_id": "x", ' });
    expect(res.status).toBe(422);
    expect((await readProblem(res)).type).toBe('urn:pairwise:problem:invalid-json');
  });

  it('an empty array → 422', async () => {
    expect((await postEvents(t, 'teams', [])).status).toBe(422);
  });

  it('an unknown kind → 404', async () => {
    const res = await postEvents(t, 'tickets', { external_id: 'x' });
    expect(res.status).toBe(404);
    expect((await readProblem(res)).detail).toMatch(/one of teams, agents/);
  });

  it('not JSON → 415', async () => {
    expect(
      (await postEvents(t, 'teams', null, { raw: 'external_id,name\nx,y', headers: { 'content-type': 'text/csv' } }))
        .status,
    ).toBe(415);
  });

  it(`more than ${EVENTS.records} records → 413 naming the limit`, async () => {
    const many = Array.from({ length: EVENTS.records + 1 }, (_, i) => ({ external_id: `m${i}`, name: 'M' }));
    const res = await postEvents(t, 'teams', many);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { limit: string }).limit).toBe('events-records');
  });

  it('more than 1 MiB → 413 naming the limit', async () => {
    const res = await postEvents(t, 'teams', { external_id: 'big', name: 'x'.repeat(EVENTS.bodyBytes) });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { limit: string }).limit).toBe('events-bytes');
  });

  it('bad fields → 422 with every problem (row = index + 1, field, reason), nothing written', async () => {
    const before = await count('interactions');
    const res = await postEvents(t, 'interactions', [
      { external_id: 'ok1', occurred_at: '2026-12-01T09:00:00Z', team: 't1' },
      { external_id: 'bad1', occurred_at: 'yesterday', team: 't1', wait_seconds: -5 },
      { external_id: 'bad2', occurred_at: '2026-12-01T09:00:00Z', channel: 'pigeon' },
      'not an object',
    ]);
    expect(res.status).toBe(422);
    const p = (await res.json()) as {
      total_problems: number;
      problems: Array<{ row: number; field: string | null; reason: string }>;
    };
    const where = p.problems.map((x) => `${x.row}:${x.field}`);
    expect(where).toEqual(expect.arrayContaining(['2:occurred_at', '2:wait_seconds', '3:channel', '3:team', '4:null']));
    expect(p.total_problems).toBe(5);
    expect(p.problems.find((x) => x.field === 'wait_seconds')!.reason).toMatch(/≥ 0/);
    expect(await count('interactions')).toBe(before);
  });

  it('a nested value is a problem of its field, not a crash', async () => {
    const res = await postEvents(t, 'teams', { external_id: 'n', name: { first: 'x' } });
    expect(res.status).toBe(422);
  });
});

describe('events: random bodies', () => {
  it('never answer 5xx, and every refusal is problem+json', async () => {
    const value = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      fc.array(fc.string(), { maxLength: 2 }),
    );
    const record = fc.dictionary(
      fc.constantFrom(
        'external_id',
        'name',
        'team',
        'occurred_at',
        'responded_at',
        'csat',
        'wait_seconds',
        'customer',
        'kind',
        'channel',
        'answered',
        'extra',
        '',
      ),
      value,
    );
    const body = fc.oneof(
      record.map((r) => JSON.stringify(r)),
      fc.array(record, { maxLength: 5 }).map((r) => JSON.stringify(r)),
      fc.json(),
      fc.string(),
      fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b).toString('latin1')),
    );
    const kind = fc.constantFrom(
      'teams',
      'agents',
      'customers',
      'interactions',
      'surveys',
      'referrals',
      'nope',
      '..',
      'queue_status',
    );
    await fc.assert(
      fc.asyncProperty(kind, body, async (k, raw) => {
        const res = await postEvents(t, encodeURIComponent(k), null, { raw });
        expect(res.status, `${k} ${raw.slice(0, 200)}`).toBeLessThan(500);
        if (res.status >= 400) expect(res.headers.get('content-type')).toMatch(/problem\+json/);
        else expect(res.status).toBe(202);
        await res.arrayBuffer();
      }),
      { numRuns: Number(process.env.HOSTILE_RUNS ?? 150) },
    );
    expect((await t.request('/api/v1/health')).status).toBe(200);
  }, 120_000);
});
