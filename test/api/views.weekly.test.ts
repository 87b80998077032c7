// GET /views/weekly: the weekly review's one request. Numbers worked out by hand on a small
// organisation, and every number equal to GET /metrics for the same parameters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayIn } from '../../api/metrics/periods';
import { writeSettings } from '../../api/settings';
import { lastCompleteWeek, type WeeklyView } from '../../api/views/weekly';
import { annotations } from '../../db/schema';
import { createTestApp, readProblem, type TestApp } from '../helpers/app';
import { csv, ingestCsv } from '../helpers/ingest';

let t: TestApp;

// Week 2024-W07 is Mon 12 – Sun 18 February 2024; W06 is 5–11 February.
beforeAll(async () => {
  t = await createTestApp();
  await ingestCsv(
    t.database,
    'agents',
    csv('external_id,name,team,hired_on,left_on', 'a1,Ana Silva,t1,2023-01-01,', 'a2,Ben Okafor,t2,2023-01-01,'),
  );
  await ingestCsv(
    t.database,
    'interactions',
    csv(
      'external_id,occurred_at,team,channel,agent,contact_reason,journey_stage,answered,wait_seconds,handle_seconds,resolved',
      // W07: four answered (waits 10, 45, 100, 400), one abandoned.
      'i1,2024-02-12T09:00:00Z,t1,phone,a1,Billing,Pay,true,10,300,true',
      'i2,2024-02-13T09:00:00Z,t1,phone,a1,Billing,Pay,true,45,200,true',
      'i3,2024-02-14T09:00:00Z,t2,chat,a2,Billing,Pay,true,100,100,false',
      'i4,2024-02-15T09:00:00Z,t2,phone,a2,Delivery,Receive,true,400,600,true',
      'i5,2024-02-16T09:00:00Z,t2,phone,a2,Delivery,Receive,false,,,',
      // W06: two answered, Delivery only.
      'i6,2024-02-05T09:00:00Z,t1,phone,a1,Delivery,Receive,true,20,100,true',
      'i7,2024-02-06T09:00:00Z,t1,phone,a1,Delivery,Receive,true,30,100,false',
    ),
  );
  await ingestCsv(
    t.database,
    'surveys',
    csv(
      'external_id,responded_at,interaction,csat,nps',
      's1,2024-02-12T10:00:00Z,i1,5,10',
      's2,2024-02-13T10:00:00Z,i2,4,9',
      's3,2024-02-14T10:00:00Z,i3,2,3',
      's4,2024-02-15T10:00:00Z,i4,5,8',
      's6,2024-02-05T10:00:00Z,i6,2,6',
    ),
  );
  await writeSettings(t.database.db, { cx_statement: 'Solved, first time, and heard.' }, null);
  await t.database.db.insert(annotations).values({ on: '2024-02-14', title: 'New phone menu' });
});
afterAll(() => t.close());

const weekly = async (query: string, token = t.tokens.leader) => {
  const res = await t.request(`/api/v1/views/weekly${query}`, { token });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as WeeklyView;
};
const cell = (v: WeeklyView, pair: string, metric: string) => {
  const p = v.pairs.find((x) => x.key === pair)!;
  return [...p.operational, ...p.experiential].find((c) => c.metric === metric)!;
};

describe('GET /views/weekly', () => {
  it('answers the five pairs of the week with hand-computed values and change vs the previous week', async () => {
    const v = await weekly('?week=2024-W07');
    expect(v.week).toEqual({
      label: '2024-W07',
      from: '2024-02-12',
      to: '2024-02-18',
      previous: '2024-W06',
      next: '2024-W08',
      complete: true,
    });
    expect(v.pairs.map((p) => p.key)).toEqual(['waiting', 'time_on_call', 'resolution', 'loyalty', 'people']);
    // CSAT: 5, 4, 2, 5 → three of four are 4 or 5. W06: one survey, csat 2 → 0.
    const csat = cell(v, 'waiting', 'csat');
    expect(csat.value).toBe(0.75);
    expect(csat.n).toBe(4);
    expect(csat.previous).toEqual({ value: 0, n: 1 });
    expect(csat.change).toBe(0.75);
    // Waits of answered interactions: (10 + 45 + 100 + 400) / 4 = 138.75 s; W06 (20 + 30) / 2 = 25.
    const wait = cell(v, 'waiting', 'wait_avg');
    expect(wait.value).toBeCloseTo(138.75, 10);
    expect(wait.previous?.value).toBe(25);
    // Handle: (300 + 200 + 100 + 600) / 4 = 300. Resolution: 3 of 4 answered.
    expect(cell(v, 'time_on_call', 'handle_avg').value).toBe(300);
    expect(cell(v, 'resolution', 'resolution_rate').value).toBe(0.75);
    // NPS: 10, 9 promoters, 3 detractor, 8 passive → (2 − 1) / 4 = +25.
    expect(cell(v, 'loyalty', 'nps').value).toBe(25);
    // Abandonment: 1 of 5.
    expect(v.context.find((c) => c.metric === 'abandon_rate')!.value).toBe(0.2);
    expect(v.statement).toBe('Solved, first time, and heard.');
    expect(v.annotations.map((a) => [a.on, a.title])).toEqual([['2024-02-14', 'New phone menu']]);
  });

  it('has every number equal to GET /metrics for the same parameters', async () => {
    const v = await weekly('?week=2024-W07');
    expect(v.meta.queries.length).toBeGreaterThanOrEqual(6);
    const first = v.meta.queries[0]!;
    const res = await t.request(first, { token: t.tokens.leader });
    const m = (await res.json()) as { rows: Array<{ values: Record<string, unknown> }> };
    for (const p of v.pairs) {
      for (const c of [...p.operational, ...p.experiential]) {
        const { metric, scope: _scope, target: _target, met: _met, ...value } = c;
        expect(m.rows[0]!.values[metric], metric).toEqual(value);
      }
    }
    // The trend series equal the 13-week query, week by week.
    const trendQuery = v.meta.queries.find((q) => q.includes('from=2023-11-20'))!;
    const tr = (await (await t.request(trendQuery, { token: t.tokens.leader })).json()) as {
      rows: Array<{ period: string; values: Record<string, { value: number | null; n: number }> }>;
    };
    expect(v.trends.weeks.map((w) => w.label)).toEqual(tr.rows.map((r) => r.period));
    expect(v.trends.weeks).toHaveLength(13);
    expect(v.trends.series.csat!.map((p) => p.value)).toEqual(tr.rows.map((r) => r.values.csat!.value));
    expect(v.trends.series.csat!.at(-1)).toMatchObject({ value: 0.75, n: 4 });
  });

  it('shows CSAT by wait bucket for the week and the 13-week baseline', async () => {
    const v = await weekly('?week=2024-W07');
    const buckets = Object.fromEntries(
      v.patience.buckets.map((b) => [b.bucket, [b.week.value, b.week.n, b.baseline.value, b.baseline.n]]),
    );
    // Waits 10 (csat 5), 45 (4), 100 (2), 400 (5); the baseline adds W06's 20 s wait with csat 2.
    expect(buckets).toEqual({
      '0-30': [1, 1, 0.5, 2],
      '30-60': [1, 1, 1, 1],
      '60-120': [0, 1, 0, 1],
      '300+': [1, 1, 1, 1],
    });
    expect(v.patience.baseline).toEqual({ from: '2023-11-20', to: '2024-02-18' });
  });

  it('lists contact reasons by volume with the biggest risers first, and stages and channels', async () => {
    const v = await weekly('?week=2024-W07');
    // Billing 3 contacts (W06: 0) rose by 3; Delivery 2 (W06: 2) did not change.
    expect(v.reasons.map((r) => [r.reason, r.contacts.value, r.rise, r.csat.value])).toEqual([
      ['Billing', 3, 3, 2 / 3],
      ['Delivery', 2, 0, 1],
    ]);
    // The change itself is the metrics API's: no contacts last week is null there, not 0.
    expect(v.reasons[0]!.contacts.previous).toEqual({ value: null, n: 0 });
    const stages = Object.fromEntries(v.stages.map((s) => [s.stage, [s.values.contacts!.value, s.values.csat!.value]]));
    expect(stages).toEqual({ Pay: [3, 2 / 3], Receive: [2, 1] });
    const channels = Object.fromEntries(
      v.channels.map((c) => [c.channel, [c.values.contacts!.value, c.values.wait_avg!.value]]),
    );
    expect(channels).toEqual({ phone: [4, (10 + 45 + 400) / 3], chat: [1, 100] });
  });

  it('filters by team and channel; organisation metrics say they are organisation-wide', async () => {
    const v = await weekly('?week=2024-W07&team=t1');
    expect(v.filters).toEqual({ team: 't1', channel: null });
    expect(cell(v, 'waiting', 'csat')).toMatchObject({ value: 1, n: 2, scope: 'filtered' });
    expect(cell(v, 'waiting', 'wait_avg').value).toBe(27.5);
    const all = await weekly('?week=2024-W07');
    expect(cell(v, 'loyalty', 'churn_rate').scope).toBe('organisation');
    expect(cell(v, 'loyalty', 'nps').scope).toBe('filtered');
    expect(cell(v, 'people', 'employee_retention').scope).toBe('filtered');
    expect(cell(v, 'loyalty', 'churn_rate').value).toEqual(cell(all, 'loyalty', 'churn_rate').value);
    const chat = await weekly('?week=2024-W07&channel=chat');
    expect(cell(chat, 'waiting', 'wait_avg').value).toBe(100);
    expect(cell(chat, 'people', 'employee_retention').scope).toBe('organisation');
    expect(chat.channels).toEqual([]);
  });

  it('answers a repeated request from its cache, and follows data and settings changes at once', async () => {
    const first = await weekly('?week=2024-W06');
    expect(first.statement).toBe('Solved, first time, and heard.');
    const edit = await t.request('/api/v1/settings', {
      method: 'PATCH',
      token: t.tokens.admin,
      json: { cx_statement: 'Heard, then solved.' },
    });
    expect(edit.status).toBe(200);
    expect((await weekly('?week=2024-W06')).statement).toBe('Heard, then solved.');
    await ingestCsv(
      t.database,
      'interactions',
      csv('external_id,occurred_at,team,channel,answered', 'i99,2024-02-07T09:00:00Z,t1,phone,false'),
    );
    const after = await weekly('?week=2024-W06');
    expect(after.context.find((c) => c.metric === 'contacts')!.value).toBe(
      first.context.find((c) => c.metric === 'contacts')!.value! + 1,
    );
    await writeSettings(t.database.db, { cx_statement: 'Solved, first time, and heard.' }, null);
  });

  it('defaults to the last complete ISO week', async () => {
    const v = await weekly('');
    expect(v.week.label).toBe(lastCompleteWeek(todayIn('UTC')));
    expect(v.week.complete).toBe(true);
    expect(lastCompleteWeek('2026-11-23')).toBe('2026-W47'); // a Monday: the week before
    expect(lastCompleteWeek('2026-11-22')).toBe('2026-W46'); // a Sunday: its week is not over
  });

  it('answers every number as CSV', async () => {
    const res = await t.request('/api/v1/views/weekly?week=2024-W07&format=csv', { token: t.tokens.leader });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toContain('pairwise-weekly-2024-W07.csv');
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]).toBe('section,item,metric,period,value,n,low,high,previous,change,significant,target,met,scope');
    expect(lines).toContain(lines.find((l) => l.startsWith('pair,waiting,wait_avg,2024-W07,138.75,4,')));
    expect(lines.some((l) => l.startsWith('patience,0-30,csat,2024-W07,1,1,'))).toBe(true);
    expect(lines.some((l) => l.startsWith('contact_reason,Billing,contacts,2024-W07,3,3,'))).toBe(true);
    // 13 weeks × the pairs' 10 metrics (People shows 12-month and weekly retention).
    expect(lines.filter((l) => l.startsWith('trend,')).length).toBe(13 * 10);
  });

  it('refuses a malformed week, and keeps a manager to its teams', async () => {
    const bad = await t.request('/api/v1/views/weekly?week=2024-W54', { token: t.tokens.leader });
    expect(bad.status).toBe(400);
    expect((await readProblem(bad)).errors?.[0]).toMatchObject({ in: 'query', field: 'week' });
    const unknown = await t.request('/api/v1/views/weekly?week=2024-W07&team=nope', { token: t.tokens.leader });
    expect(unknown.status).toBe(400);
    expect((await readProblem(unknown)).errors?.[0]).toMatchObject({ in: 'query', field: 'team' });
    const other = await t.request('/api/v1/views/weekly?week=2024-W07&team=t2', { token: t.tokens.manager });
    expect(other.status).toBe(403);
    const body = await other.text();
    expect(body).not.toContain('Ben');
    // Without a team, a manager sees its own teams only: t1's CSAT (5 and 4).
    const own = await weekly('?week=2024-W07', t.tokens.manager);
    expect(cell(own, 'waiting', 'csat')).toMatchObject({ value: 1, n: 2 });
    const display = await t.request('/api/v1/views/weekly?week=2024-W07', { token: t.tokens.display });
    expect(display.status).toBe(403);
  });

  // Last: it adds surveys to the week.
  it('carries the featured quote of the week, redacted, or the reason there is none', async () => {
    const before = await weekly('?week=2024-W07');
    expect(before.quote.quote).toBeNull();
    expect(before.quote.reason).toMatch(/^No pinned or approved quote for 2024-02-12 – 2024-02-18/);
    // A consented comment with a phone number: chosen automatically, the number redacted.
    await ingestCsv(
      t.database,
      'surveys',
      csv(
        'external_id,responded_at,interaction,csat,comment,may_quote',
        's9,2024-02-16T10:00:00Z,i1,5,"Ana fixed it at once, ring me on +44 7700 900123",yes',
      ),
    );
    // A comment without consent is never featured, however good its score.
    await ingestCsv(
      t.database,
      'surveys',
      csv(
        'external_id,responded_at,interaction,csat,comment,may_quote',
        's10,2024-02-17T10:00:00Z,i2,5,Private words,no',
      ),
    );
    const v = await weekly('?week=2024-W07');
    expect(v.quote.source).toBe('automatic');
    expect(v.quote.quote).toMatchObject({
      id: 's9',
      text: 'Ana fixed it at once, ring me on [phone]',
      csat: 5,
      date: '2024-02-16',
      channel: 'phone',
      team: 'Frontline One',
    });
    expect(JSON.stringify(v)).not.toContain('Private words');
    expect(JSON.stringify(v)).not.toContain('7700');
    // Team t2's view has no quote of its own.
    const t2 = await weekly('?week=2024-W07&team=t2');
    expect(t2.quote.quote).toBeNull();
    expect(t2.quote.reason).toContain('Frontline Two');
  });
});
