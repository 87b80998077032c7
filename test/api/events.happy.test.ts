// POST /api/v1/events/{kind}: one object, an array, each request's own counts, a re-send
// unchanged, a later update updated, the metrics API showing the new numbers, the status counters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accepted, createEventsApp, postEvents, type EventsApp } from './events.helpers';

let t: EventsApp;
beforeAll(async () => {
  t = await createEventsApp();
});
afterAll(() => t.close());

const call = (id: string, extra: Record<string, unknown> = {}) => ({
  external_id: id,
  occurred_at: '2026-11-30T09:00:00Z',
  team: 't1',
  channel: 'phone',
  wait_seconds: 20,
  handle_seconds: 200,
  resolved: true,
  ...extra,
});

async function metrics(query: string) {
  const res = await t.request(`/api/v1/metrics?${query}`, { token: t.tokens.admin });
  expect(res.status).toBe(200);
  return (await res.json()) as {
    rows: Array<{ period: string; values: Record<string, { value: number | null; n: number }> }>;
  };
}

describe('events: happy path', () => {
  it('takes one object and answers 202 with its counts', async () => {
    const res = await postEvents(t, 'teams', { external_id: 't9', name: 'Night shift', kind: 'support' });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({
      kind: 'teams',
      accepted: 1,
      inserted: 1,
      updated: 0,
      unchanged: 0,
      warnings: [],
    });
  });

  it('takes an array; a re-send is unchanged; a later change is an update', async () => {
    const batch = [
      call('e1'),
      call('e2', { resolved: false }),
      call('e3', { answered: 'no', wait_seconds: null, handle_seconds: null, resolved: null }),
    ];
    expect(await accepted(await postEvents(t, 'interactions', batch))).toMatchObject({
      kind: 'interactions',
      accepted: 3,
      inserted: 3,
      updated: 0,
      unchanged: 0,
    });
    expect(await accepted(await postEvents(t, 'interactions', batch))).toMatchObject({
      accepted: 3,
      inserted: 0,
      updated: 0,
      unchanged: 3,
    });
    const later = [call('e1', { resolved: false }), call('e4')];
    expect(await accepted(await postEvents(t, 'interactions', later))).toMatchObject({
      accepted: 2,
      inserted: 1,
      updated: 1,
      unchanged: 0,
    });
  });

  it('counts an exact repeat within one request once, the copy as unchanged', async () => {
    const r = await accepted(await postEvents(t, 'interactions', [call('e5'), call('e5')]));
    expect(r).toMatchObject({ accepted: 2, inserted: 1, updated: 0, unchanged: 1 });
  });

  it('warns about unknown fields and still takes the record', async () => {
    const r = await accepted(await postEvents(t, 'customers', { external_id: 'c9', segment: 'SMB', colour: 'blue' }));
    expect(r).toMatchObject({ inserted: 1 });
    expect(r.warnings.join(' ')).toMatch(/colour/);
  });

  it('shows in the metrics API at once', async () => {
    const m = await metrics('metrics=contacts,abandon_rate,resolution_rate&from=2026-11-30&to=2026-11-30&grain=total');
    const v = m.rows[0]!.values;
    // e1..e5: one unanswered (e3); resolved: e4 only of the 4 answered with a known outcome (e1 updated to false).
    expect(v.contacts!.value).toBe(5);
    expect(v.abandon_rate!.value).toBeCloseTo(1 / 5);
    expect(v.resolution_rate!.n).toBe(4);
    expect(v.resolution_rate!.value).toBeCloseTo(2 / 4);
    // A survey event for e4 counts too.
    expect(
      await accepted(
        await postEvents(t, 'surveys', {
          external_id: 's1',
          responded_at: '2026-11-30T10:00:00Z',
          interaction: 'e4',
          csat: 5,
          nps: 9,
        }),
      ),
    ).toMatchObject({ inserted: 1 });
    const s = await metrics('metrics=csat,nps&from=2026-11-30&to=2026-11-30&grain=total');
    expect(s.rows[0]!.values.csat).toMatchObject({ value: 1, n: 1 });
  });

  it('admin tokens may send events too, and the status counts them per kind', async () => {
    expect(
      await accepted(
        await postEvents(t, 'agents', { external_id: 'a9', name: 'Ana', team: 't1' }, { token: t.tokens.admin }),
      ),
    ).toMatchObject({ inserted: 1 });
    const res = await t.request('/api/v1/events/status', { token: t.tokens.admin });
    expect(res.status).toBe(200);
    const { kinds } = (await res.json()) as {
      kinds: Record<string, { requests: number; events: number; groups: number; last_event_at: string | null }>;
    };
    expect(kinds.interactions).toMatchObject({ requests: 4, events: 10 });
    expect(kinds.interactions!.groups).toBeGreaterThanOrEqual(1);
    expect(kinds.interactions!.last_event_at).toMatch(/^\d{4}-/);
    expect(kinds.agents).toMatchObject({ requests: 1, events: 1 });
    expect(kinds.referrals).toMatchObject({ requests: 0, events: 0, last_event_at: null });
  });

  it('writes nothing to the import history', async () => {
    const res = await t.request('/api/v1/imports', { token: t.tokens.admin });
    const body = (await res.json()) as { imports?: unknown[] };
    expect(body.imports ?? []).toHaveLength(0);
  });
});
