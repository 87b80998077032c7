// Coaching views and the coaching log, on a small organisation whose numbers are worked out by
// hand: roster by name with suppression under the minimum n, bright spots, medians, the
// survey-integrity note, the manager's scope, and a coaching note's before/after sentence.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { addDays, todayIn } from '../../api/metrics/periods';
import { writeSettings } from '../../api/settings';
import { annotations, teams } from '../../db/schema';
import { createTestApp, readProblem, type TestApp } from '../helpers/app';
import { csv, ingestCsv } from '../helpers/ingest';

let t: TestApp;
const FROM = '2024-02-05'; // W06 … W09 (to 2024-03-03)
const TO = '2024-03-03';
const P = `from=${FROM}&to=${TO}`;

// Builders: n interactions for an agent on a day, and surveys on the first k of them.
const interactions: string[] = [];
const surveys: string[] = [];
let seq = 0;
function contacts(
  agent: string,
  team: string,
  day: string,
  n: number,
  opts: { handle?: number; reason?: string; csat?: number[] },
) {
  for (let i = 0; i < n; i++) {
    const id = `i${++seq}`;
    interactions.push(
      `${id},${day}T10:${String(i % 60).padStart(2, '0')}:00Z,${team},phone,${agent},${opts.reason ?? 'Billing'},true,20,${opts.handle ?? 300},true`,
    );
    const score = opts.csat?.[i];
    if (score !== undefined) surveys.push(`s${seq},${day}T11:00:00Z,${id},${score}`);
  }
}
const fill = (n: number, score: number) => Array.from({ length: n }, () => score);

beforeAll(async () => {
  t = await createTestApp();
  await ingestCsv(t.database, 'teams', csv('external_id,name', 't3,Frontline Three'));
  await ingestCsv(
    t.database,
    'agents',
    csv(
      'external_id,name,team,hired_on,left_on',
      'a1,Ana Silva,t1,2020-01-01,',
      'a2,Ben Okafor,t1,2020-01-01,',
      'a3,Cy Young,t1,2020-01-01,',
      'a9,Zed Old,t1,2019-01-01,2023-12-31', // left before the period: not on the roster
      'b1,Bea Two,t2,2020-01-01,',
      'c1,Cal One,t3,2020-01-01,',
      'c2,Cat Two,t3,2020-01-01,',
      'c3,Cid Three,t3,2020-01-01,',
      'c4,Cleo Four,t3,2020-01-01,',
      'c5,Cora Five,t3,2020-01-01,',
    ),
  );
  // t1: Ana 30 contacts, 30 surveys all 5 (handle 200); Ben 30 contacts, 30 surveys all 1 (handle 400);
  // Cy 4 contacts, 2 surveys (below min n 5). Team CSAT: 30 + 0 + 2 of 62.
  contacts('a1', 't1', '2024-02-12', 30, { handle: 200, csat: fill(30, 5), reason: 'Billing' });
  contacts('a2', 't1', '2024-02-13', 30, { handle: 400, csat: fill(30, 1), reason: 'Delivery' });
  contacts('a3', 't1', '2024-02-14', 4, { handle: 300, csat: [5, 4] });
  contacts('b1', 't2', '2024-02-14', 10, { csat: fill(10, 5) });
  // t3 for the integrity check: 40 contacts each; responses 6, 8, 10, 8 with 3, 5, 6, 4 top scores,
  // and Cora: 36 responses, all top scores.
  const t3: Array<[string, number[]]> = [
    ['c1', [...fill(3, 5), ...fill(3, 2)]],
    ['c2', [...fill(5, 4), ...fill(3, 1)]],
    ['c3', [...fill(6, 5), ...fill(4, 3)]],
    ['c4', [...fill(4, 4), ...fill(4, 2)]],
    ['c5', fill(36, 5)],
  ];
  for (const [agent, scores] of t3) contacts(agent, 't3', '2024-02-20', 40, { csat: scores });
  // Ben's coaching: before 19 Feb his CSAT was 0 of 30 (above); after, 20 surveys all 5, handle still 400.
  contacts('a2', 't1', '2024-02-26', 20, { handle: 400, csat: fill(20, 5), reason: 'Delivery' });
  await ingestCsv(
    t.database,
    'interactions',
    csv(
      'external_id,occurred_at,team,channel,agent,contact_reason,answered,wait_seconds,handle_seconds,resolved',
      ...interactions,
    ),
  );
  await ingestCsv(t.database, 'surveys', csv('external_id,responded_at,interaction,csat', ...surveys));
  await writeSettings(t.database.db, { min_n: 5 }, null);
});
afterAll(() => t.close());

const get = async (path: string, token = t.tokens.admin) => {
  const res = await t.request(`/api/v1${path}`, { token });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
};

describe('GET /views/coach', () => {
  it('lists the teams with paired metrics; a manager only its own', async () => {
    const all = await get(`/views/coach?${P}`, t.tokens.leader);
    expect(all.period).toEqual({ from: FROM, to: TO, weeks: ['2024-W06', '2024-W07', '2024-W08', '2024-W09'] });
    expect(all.teams.map((x: { id: string }) => x.id)).toEqual(['t1', 't3', 't2']);
    const t1 = all.teams[0];
    // 30 + 30 + 4 + 20 contacts; CSAT top-2: 30 (Ana) + 2 (Cy) + 20 (Ben after) of 82.
    expect(t1.values.contacts.value).toBe(84);
    expect(t1.values.csat).toMatchObject({ value: 52 / 82, n: 82 });
    expect(t1.trend.series.csat.map((p: { n: number }) => p.n)).toEqual([0, 62, 0, 20]);
    const mine = await get(`/views/coach?${P}`, t.tokens.manager);
    expect(mine.teams.map((x: { id: string }) => x.id)).toEqual(['t1']);
  });
});

describe('GET /views/coach/team/{id}', () => {
  it('lists the roster by name, never by score, suppressing values under the minimum n', async () => {
    const v = await get(`/views/coach/team/t1?from=2024-02-05&to=2024-02-18`);
    expect(v.min_n).toBe(5);
    expect(v.roster.map((a: { name: string }) => a.name)).toEqual(['Ana Silva', 'Ben Okafor', 'Cy Young']);
    const [ana, ben, cy] = v.roster;
    expect(ana.values.csat).toMatchObject({ value: 1, n: 30 });
    expect(ben.values.csat).toMatchObject({ value: 0, n: 30 });
    expect(ana.values.handle_avg.value).toBe(200);
    // Cy: 2 surveys, under 5 → no number.
    expect(cy.values.csat).toEqual({ value: null, n: 2, low: null, high: null, suppressed: true });
    expect(cy.first_name).toBe('Cy');
    // Medians over agents with enough n: handle (200, 400) → 300 … Cy's 4 contacts are under 5 too.
    expect(v.medians).toEqual({ handle_avg: 300, csat: 0.5 });
  });

  it('puts bright spots first: agents whose CSAT interval lies wholly above the team’s', async () => {
    const v = await get(`/views/coach/team/t1?from=2024-02-05&to=2024-02-18`);
    // Team 32 of 62 → Wilson high ≈ 0.64; Ana 30 of 30 → Wilson low ≈ 0.886.
    expect(v.team_values.csat.high).toBeLessThan(0.65);
    expect(v.roster[0].values.csat.low).toBeGreaterThan(0.88);
    expect(v.bright_spots.agents.map((a: { id: string }) => a.id)).toEqual(['a1']);
    expect(v.roster.map((a: { bright: boolean }) => a.bright)).toEqual([true, false, false]);
  });

  it('notes an agent whose response rate and top scores are both far outside the team’s spread', async () => {
    const v = await get(`/views/coach/team/t3?${P}`, t.tokens.admin);
    expect(v.integrity).toHaveLength(1);
    expect(v.integrity[0].agent).toEqual({ id: 'c5', name: 'Cora Five' });
    // 36 of 40 answered contacts surveyed (90%), all top scores; the team: 68 of 200 (34%).
    expect(v.integrity[0].response_rate.value).toBe(0.9);
    expect(v.integrity[0].team_response_rate).toBe(68 / 200);
    expect(v.integrity[0].note).toBe(
      'Cora’s contacts get surveys answered 90% of the time (team 34%) with 100% top scores (team 79%): check how surveys are offered on these contacts.',
    );
    // Leaders see the views but not the integrity notes.
    expect((await get(`/views/coach/team/t3?${P}`, t.tokens.leader)).integrity).toEqual([]);
  });

  it('shows praise received: shared with the team by a curator, not only praise naming its agents', async () => {
    await ingestCsv(
      t.database,
      'surveys',
      csv(
        'external_id,responded_at,interaction,csat,comment,may_quote',
        'p1,2024-02-14T12:00:00Z,i65,5,"Bea and the billing team next door sorted it all, thank you",yes',
      ),
    );
    const shared = await t.request('/api/v1/quotes/p1', {
      method: 'PATCH',
      token: t.tokens.leader,
      json: { status: 'approved', is_praise: true, praise_teams: ['t1'] },
    });
    expect(shared.status, await shared.clone().text()).toBe(200);
    const v = await get(`/views/coach/team/t1?${P}`, t.tokens.manager);
    expect(v.praise_received.map((p: { id: string; received_via: string }) => [p.id, p.received_via])).toEqual([
      ['p1', 'shared'],
    ]);
    expect(v.bright_spots.praise).toEqual([]);
  });

  it('refuses a manager another team with no data, and answers 404 for an unknown team', async () => {
    const res = await t.request(`/api/v1/views/coach/team/t2?${P}`, { token: t.tokens.manager });
    expect(res.status).toBe(403);
    const text = await res.text();
    expect(text).not.toContain('Bea');
    expect(text).not.toContain('Frontline Two');
    expect((await t.request('/api/v1/views/coach/team/nope', { token: t.tokens.leader })).status).toBe(404);
    expect((await t.request('/api/v1/views/coach/team/t1', { token: t.tokens.display })).status).toBe(403);
  });
});

describe('GET /views/coach/agent/{id}', () => {
  it('answers trends, contact reasons and, for managers and admins only, the coaching log', async () => {
    const on = addDays(todayIn('UTC'), -14);
    await t.database.db.insert(annotations).values([
      { on, title: 'New phone menu' },
      {
        on,
        title: 'Other team only',
        teamId: (await t.database.db.select().from(teams).where(eq(teams.externalId, 't2')))[0]!.id,
      },
    ]);
    const v = await get('/views/coach/agent/a2?weeks=13', t.tokens.manager);
    expect(v.annotations).toEqual([{ on, title: 'New phone menu' }]);
    expect(v.agent).toMatchObject({
      id: 'a2',
      name: 'Ben Okafor',
      first_name: 'Ben',
      team: { id: 't1', name: 'Frontline One' },
    });
    expect(v.trends.weeks).toHaveLength(13);
    expect(v.notes).toEqual([]);
    const leader = await get('/views/coach/agent/a2', t.tokens.leader);
    expect(leader.notes).toBeNull();
    const other = await t.request('/api/v1/views/coach/agent/b1', { token: t.tokens.manager });
    expect(other.status).toBe(403);
    expect(await other.text()).not.toContain('Bea');
  });
});

describe('the coaching log', () => {
  it('records a conversation and shows the 4 weeks before against the 4 weeks after', async () => {
    const res = await t.request('/api/v1/coach/agents/a2/notes', {
      method: 'POST',
      token: t.tokens.manager,
      json: {
        held_on: '2024-02-19',
        pair: 'time_on_call',
        note: 'Listened to two calls together; take the time to confirm the fix.',
      },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const note = (await res.json()) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(note).toMatchObject({
      agent: 'a2',
      held_on: '2024-02-19',
      pair: 'time_on_call',
      pair_label: 'Time on call',
      author: 'test manager',
      can_delete: true,
    });
    expect(note.effect.before).toEqual({ from: '2024-01-22', to: '2024-02-18' });
    expect(note.effect.after).toEqual({ from: '2024-02-19', to: '2024-03-17' });
    expect(note.effect.complete).toBe(true);
    const csat = note.effect.metrics.find((m: { metric: string }) => m.metric === 'csat');
    // Before: 0 of 30 top-2; after: 20 of 20.
    expect(csat.before).toMatchObject({ value: 0, n: 30 });
    expect(csat.after).toMatchObject({ value: 1, n: 20 });
    expect(csat.significant).toBe(true);
    const handle = note.effect.metrics.find((m: { metric: string }) => m.metric === 'handle_avg');
    expect(handle.before.value).toBe(400);
    expect(handle.after.value).toBe(400);
    expect(note.effect.sentence).toBe(
      'Time on call 6m 40s → 6m 40s: no change distinguishable from noise (n = 20 after); CSAT 0% → 100%, a change larger than normal variation.',
    );
    const listed = await get('/coach/agents/a2/notes', t.tokens.manager);
    expect(listed.notes.map((n: { id: number }) => n.id)).toEqual([note.id]);
  });

  it('refuses a future date, another team’s agent, leaders, and deleting someone else’s note', async () => {
    const future = await t.request('/api/v1/coach/agents/a2/notes', {
      method: 'POST',
      token: t.tokens.manager,
      json: { held_on: '2199-01-01', pair: 'waiting', note: 'x' },
    });
    expect(future.status).toBe(422);
    expect((await readProblem(future)).errors?.[0]).toMatchObject({ field: 'held_on' });
    const bad = await t.request('/api/v1/coach/agents/a2/notes', {
      method: 'POST',
      token: t.tokens.manager,
      json: { held_on: '2024-02-19', pair: 'speed', note: 'x' },
    });
    expect(bad.status).toBe(400);
    const otherTeam = await t.request('/api/v1/coach/agents/b1/notes', {
      method: 'POST',
      token: t.tokens.manager,
      json: { held_on: '2024-02-19', pair: 'waiting', note: 'x' },
    });
    expect(otherTeam.status).toBe(403);
    expect((await t.request('/api/v1/coach/agents/a2/notes', { token: t.tokens.leader })).status).toBe(403);
    // The admin's note cannot be deleted by the manager; the manager's own can.
    const admins = await t.request('/api/v1/coach/agents/a2/notes', {
      method: 'POST',
      token: t.tokens.admin,
      json: { held_on: '2024-02-20', pair: 'waiting', note: 'Admin note' },
    });
    const adminNote = (await admins.json()) as { id: number; can_delete: boolean };
    expect(adminNote.can_delete).toBe(true);
    expect(
      (await t.request(`/api/v1/coach/notes/${adminNote.id}`, { method: 'DELETE', token: t.tokens.manager })).status,
    ).toBe(403);
    expect(
      (await t.request(`/api/v1/coach/notes/${adminNote.id}`, { method: 'DELETE', token: t.tokens.admin })).status,
    ).toBe(200);
    expect(
      (await t.request(`/api/v1/coach/notes/${adminNote.id}`, { method: 'DELETE', token: t.tokens.admin })).status,
    ).toBe(404);
  });
});
