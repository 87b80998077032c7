// Survey metrics through the HTTP API, worked out by hand: csat, csat_avg, nps, effort_avg,
// response_rate; CSAT by wait bucket (half-open [lo, hi)); surveys counted by responded_at and
// inheriting team, agent and channel from their interaction unless they give their own.
//
// Wilson 95% (z = 1.959964, z² = 3.841459): centre = (p̂ + z²/2n)/(1 + z²/n),
// half = z/(1 + z²/n) · √(p̂(1−p̂)/n + z²/4n²). t(.975,4) = 2.776445, t(.975,5) = 2.570582.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricsResult } from '../../api/metrics/engine';
import { createTestApp, type TestApp } from '../helpers/app';
import { csv, ingestCsv } from '../helpers/ingest';
import { dimsOf, expectValue, q, rowOf } from './support';

let t: TestApp;

// Organisation time zone UTC; teams t1, t2 come with the test app.
//
// Interactions (W07 = Mon 2024-02-12 … Sun 2024-02-18):
// | id | occurred        | team | channel | agent | stage      | reason | answered | wait |
// | j1 | Mon 12 10:00    | t1   | phone   | a1    | Billing    | Refund | yes      | 10   |
// | j2 | Mon 12 11:00    | t1   | chat    | a2    | Billing    | Login  | yes      | 30   |
// | j3 | Tue 13 10:00    | t2   | phone   | a3    | Onboarding | Refund | yes      | 299  |
// | j4 | Tue 13 11:00    | t2   | email   |       |            |        | yes      | 300  |
// | j5 | Wed 14 10:00    | t2   | phone   | a3    |            |        | no       |      |
// | j6 | Sun 18 23:00    | t1   | phone   | a1    |            |        | yes      | 60   |
// | j7 | Thu 15 10:00    | t1   | chat    | a2    |            |        | yes      | 45   |
//
// Surveys:
// | id | responded       | interaction | own team/agent | csat | nps | effort | → team, agent, channel, bucket |
// | s1 | Mon 12 12:00    | j1          |                | 5    | 10  | 1      | t1, a1, phone, 0-30            |
// | s2 | Tue 13 12:00    | j2          |                | 4    | 9   | 2      | t1, a2, chat, 30-60 (30 is in [30, 60)) |
// | s3 | Tue 13 13:00    | j3          |                | 2    | 3   | 6      | t2, a3, phone, 120-300         |
// | s4 | Wed 14 12:00    | j4          |                | 1    | 0   | 7      | t2, –, email, 300+             |
// | s5 | Thu 15 12:00    |             | t1 / a2        | 5    | 9   | 3      | t1, a2, –, –                   |
// | s6 | Mon 19 08:00 (W08) | j6       |                | 3    | 7   | 4      | t1, a1, phone, 60-120          |
// | s7 | Fri 16 12:00    | j4          | t1 / –         | 4    |     |        | t1 (its own), –, email, 300+   |
beforeAll(async () => {
  t = await createTestApp({ env: { ORG_TIMEZONE: 'UTC' } });
  const o = { timeZone: 'UTC' };
  await ingestCsv(t.database, 'agents', csv('external_id,name,team', 'a1,Ana,t1', 'a2,Ben,t1', 'a3,Cy,t2'), o);
  await ingestCsv(
    t.database,
    'interactions',
    csv(
      'external_id,occurred_at,team,channel,agent,journey_stage,contact_reason,answered,wait_seconds',
      'j1,2024-02-12T10:00:00Z,t1,phone,a1,Billing,Refund,yes,10',
      'j2,2024-02-12T11:00:00Z,t1,chat,a2,Billing,Login,yes,30',
      'j3,2024-02-13T10:00:00Z,t2,phone,a3,Onboarding,Refund,yes,299',
      'j4,2024-02-13T11:00:00Z,t2,email,,,,yes,300',
      'j5,2024-02-14T10:00:00Z,t2,phone,a3,,,no,',
      'j6,2024-02-18T23:00:00Z,t1,phone,a1,,,yes,60',
      'j7,2024-02-15T10:00:00Z,t1,chat,a2,,,yes,45',
    ),
    o,
  );
  await ingestCsv(
    t.database,
    'surveys',
    csv(
      'external_id,responded_at,interaction,team,agent,csat,nps,effort',
      's1,2024-02-12T12:00:00Z,j1,,,5,10,1',
      's2,2024-02-13T12:00:00Z,j2,,,4,9,2',
      's3,2024-02-13T13:00:00Z,j3,,,2,3,6',
      's4,2024-02-14T12:00:00Z,j4,,,1,0,7',
      's5,2024-02-15T12:00:00Z,,t1,a2,5,9,3',
      's6,2024-02-19T08:00:00Z,j6,,,3,7,4',
      's7,2024-02-16T12:00:00Z,j4,t1,,4,,',
    ),
    o,
  );
});
afterAll(() => t.close());

const SURVEY = 'csat,csat_avg,nps,effort_avg,response_rate';
async function get(params: Record<string, string>): Promise<MetricsResult> {
  const res = await t.request(q({ metrics: SURVEY, from: '2024-02-12', to: '2024-02-18', grain: 'week', ...params }), {
    token: t.tokens.leader,
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as MetricsResult;
}

describe('survey metrics, 2024-W07', () => {
  it('csat, csat_avg, nps, effort_avg, response_rate with n and intervals', async () => {
    const r = await get({});
    expect(r.rows).toHaveLength(1);
    const v = rowOf(r, '2024-W07').values;
    // csat: W07 responses s1 5, s2 4, s3 2, s4 1, s5 5, s7 4 (s6 responded in W08) → top-2-box 4/6.
    // Wilson 4/6: z²/n = 0.640243; centre = (0.666667 + 0.320122)/1.640243 = 0.601611;
    // half = 1.194922 · √(0.037037 + 0.026678) = 0.301618 → [0.299993, 0.903229].
    expectValue(v.csat, { value: 4 / 6, n: 6, low: 0.299993, high: 0.903229 });
    // csat_avg = 21/6 = 3.5; Σ(x − x̄)² = 2.25 + 0.25 + 2.25 + 6.25 + 2.25 + 0.25 = 13.5; s² = 2.7;
    // s/√6 = 0.670820; half = 2.570582 · 0.670820 = 1.724399 → [1.775601, 5.224399], clamped to the 1–5 scale.
    expectValue(v.csat_avg, { value: 3.5, n: 6, low: 1.775601, high: 5 });
    // nps over s1 10, s2 9, s3 3, s4 0, s5 9 (s7 gave none): promoters 3, detractors 2, n 5 → 100·(3 − 2)/5 = 20.
    // Var X = p + d − (p − d)² = 0.6 + 0.4 − 0.04 = 0.96; se = √(0.96/5) = 0.438178;
    // half = 1.959964 · 100 · 0.438178 = 85.881319 → [−65.881319, 105.88 → clamped to 100].
    expectValue(v.nps, { value: 20, n: 5, low: -65.881319, high: 100 });
    // effort_avg over 1, 2, 6, 7, 3 → 3.8; Σ(x − x̄)² = 7.84 + 3.24 + 4.84 + 10.24 + 0.64 = 26.8; s² = 6.7;
    // s/√5 = 1.157584; half = 2.776445 · 1.157584 = 3.213968 → [0.586032, 7.013968], clamped to the 1–7 scale.
    expectValue(v.effort_avg, { value: 3.8, n: 5, low: 1, high: 7 });
    // response_rate: answered interactions occurred in W07: j1, j2, j3, j4, j6, j7 = 6; of them with a
    // survey: j1 (s1), j2 (s2), j3 (s3), j4 (s4 and s7: once), j6 (s6, answered in W08) = 5 → 5/6 (n = 6).
    // Wilson 5/6: centre = (0.833333 + 0.320122)/1.640243 = 0.703222; half = 1.194922 · √(0.023148 + 0.026678) = 0.266725
    // → [0.436497, 0.969947].
    expectValue(v.response_rate, { value: 5 / 6, n: 6, low: 0.436497, high: 0.969947 });
  });

  it('surveys count by responded_at, interactions by occurred_at: j6 is in W07, its survey s6 in W08', async () => {
    const r = await get({ from: '2024-02-12', to: '2024-02-25' });
    expect(r.rows.map((x) => x.period)).toEqual(['2024-W07', '2024-W08']);
    const w8 = rowOf(r, '2024-W08').values;
    // W08: s6 only: csat 3 → 0/1 (Wilson [0, z²/(1+z²)] = [0, 0.793451]); nps 7 is passive → 0.
    expectValue(w8.csat, { value: 0, n: 1, low: 0, high: 0.793451 });
    expectValue(w8.csat_avg, { value: 3, n: 1, low: null, high: null });
    expectValue(w8.nps, { value: 0, n: 1 });
    expectValue(w8.effort_avg, { value: 4, n: 1 });
    // No answered interaction occurred in W08 → response_rate n 0, null: s6 counts for j6, in W07.
    expectValue(w8.response_rate, { value: null, n: 0, low: null, high: null });
  });

  it('day grain: s1 on Monday, s2 and s3 on Tuesday', async () => {
    const r = await get({ grain: 'day' });
    expect(r.rows).toHaveLength(7);
    expectValue(rowOf(r, '2024-02-12').values.csat, { value: 1, n: 1 });
    // Tue: s2 4, s3 2 → 1/2, mean 3.
    expectValue(rowOf(r, '2024-02-13').values.csat, { value: 0.5, n: 2, low: 0.094531, high: 0.905469 });
    expectValue(rowOf(r, '2024-02-13').values.csat_avg, { value: 3, n: 2 });
    expectValue(rowOf(r, '2024-02-17').values.csat, { value: null, n: 0, low: null, high: null });
  });

  it('month and total grains', async () => {
    const month = await get({ grain: 'month', from: '2024-02-01', to: '2024-02-29' });
    // February: all seven surveys: csat 5, 4, 2, 1, 5, 3, 4 → top-2 4/7, mean 24/7.
    expectValue(rowOf(month, '2024-02').values.csat, { value: 4 / 7, n: 7 });
    expectValue(rowOf(month, '2024-02').values.csat_avg, { value: 24 / 7, n: 7 });
    const total = await get({ grain: 'total', from: '2024-02-13', to: '2024-02-19' });
    // 13…19: s2, s3, s4, s5, s7, s6 → csat 4, 2, 1, 5, 4, 3 → 3/6; nps 9, 3, 0, 9, 7 → (2 − 2)/5 = 0.
    expectValue(rowOf(total, 'total').values.csat, { value: 0.5, n: 6 });
    expectValue(rowOf(total, 'total').values.nps, { value: 0, n: 5 });
  });
});

describe('survey metrics by dimension', () => {
  it('CSAT by wait bucket: half-open [lo, hi), in bucket order, none last, empty weeks present', async () => {
    const r = await get({ metrics: 'csat', by: 'wait_bucket', from: '2024-02-12', to: '2024-02-25' });
    expect(dimsOf(r, 'wait_bucket')).toEqual(['0-30', '30-60', '60-120', '120-300', '300+', null]);
    expect(r.rows).toHaveLength(12); // 6 buckets × 2 weeks
    // 0-30: s1 (wait 10) → 1/1.
    expectValue(rowOf(r, '2024-W07', ['wait_bucket', '0-30']).values.csat, { value: 1, n: 1 });
    // 30-60: s2 (wait exactly 30) → 1/1; none in W08.
    expectValue(rowOf(r, '2024-W07', ['wait_bucket', '30-60']).values.csat, { value: 1, n: 1 });
    expectValue(rowOf(r, '2024-W08', ['wait_bucket', '30-60']).values.csat, {
      value: null,
      n: 0,
      low: null,
      high: null,
    });
    // 60-120: s6 (wait exactly 60), responded in W08 → W07 empty, W08 0/1.
    expectValue(rowOf(r, '2024-W07', ['wait_bucket', '60-120']).values.csat, { value: null, n: 0 });
    expectValue(rowOf(r, '2024-W08', ['wait_bucket', '60-120']).values.csat, {
      value: 0,
      n: 1,
      low: 0,
      high: 0.793451,
    });
    // 120-300: s3 (wait 299) → 0/1. 300+: s4, s7 (wait exactly 300) → csat 1, 4 → 1/2, Wilson [0.094531, 0.905469].
    expectValue(rowOf(r, '2024-W07', ['wait_bucket', '120-300']).values.csat, { value: 0, n: 1 });
    expectValue(rowOf(r, '2024-W07', ['wait_bucket', '300+']).values.csat, {
      value: 0.5,
      n: 2,
      low: 0.094531,
      high: 0.905469,
    });
    // none: s5 (no interaction) → 1/1.
    expectValue(rowOf(r, '2024-W07', ['wait_bucket', null]).values.csat, { value: 1, n: 1 });
  });

  it('response_rate cannot be broken down by wait bucket (null)', async () => {
    const r = await get({ metrics: 'response_rate', by: 'wait_bucket' });
    for (const row of r.rows) expectValue(row.values.response_rate, { value: null, n: 0 });
  });

  it('by team: surveys inherit the interaction’s team unless they give their own (s7 → t1)', async () => {
    const r = await get({ by: 'team' });
    expect(dimsOf(r, 'team')).toEqual(['t1', 't2']);
    // t1: s1 5, s2 4, s5 5, s7 4 → 4/4; Wilson 4/4: centre = (1 + 0.480182)/1.960365 = 0.755055,
    // half = 0.999798 · √(0 + 0.060023) = 0.244945 → [0.510109, 1].
    const t1 = rowOf(r, '2024-W07', ['team', 't1']).values;
    expectValue(t1.csat, { value: 1, n: 4, low: 0.510109, high: 1 });
    // response_rate by the interaction's team: t1 answered j1, j2, j6, j7 = 4, with a survey j1, j2, j6 → 0.75
    // (s7 names t1 but is about j4, a t2 contact).
    // Wilson 3/4: centre = (0.75 + 0.480182)/1.960365 = 0.627527; half = 0.999798 · √(0.046875 + 0.060023) = 0.326885
    // → [0.300642, 0.954413].
    expectValue(t1.response_rate, { value: 0.75, n: 4, low: 0.300642, high: 0.954413 });
    // t2: s3 2, s4 1 → 0/2 → [0, 0.657620]; response: j3, j4 of answered j3, j4 (j5 unanswered) → 2/2.
    const t2 = rowOf(r, '2024-W07', ['team', 't2']).values;
    expectValue(t2.csat, { value: 0, n: 2, low: 0, high: 0.65762 });
    expectValue(t2.response_rate, { value: 1, n: 2 });
  });

  it('by agent: inherited from the interaction (s2 → a2) or given (s5 → a2)', async () => {
    const r = await get({ by: 'agent' });
    expect(dimsOf(r, 'agent')).toEqual(['a1', 'a2', 'a3']);
    expectValue(rowOf(r, '2024-W07', ['agent', 'a1']).values.csat, { value: 1, n: 1 });
    // a2: s2 4, s5 5 → 2/2, mean 4.5; response: answered j2, j7, with a survey j2 (s5 has no interaction) → 1/2.
    const a2 = rowOf(r, '2024-W07', ['agent', 'a2']).values;
    expectValue(a2.csat, { value: 1, n: 2 });
    expectValue(a2.csat_avg, { value: 4.5, n: 2 });
    expectValue(a2.response_rate, { value: 0.5, n: 2 });
    // a3: s3 2 → 0/1; response: j3 of j3 → 1/1 (j5 was not answered).
    expectValue(rowOf(r, '2024-W07', ['agent', 'a3']).values.csat, { value: 0, n: 1 });
    expectValue(rowOf(r, '2024-W07', ['agent', 'a3']).values.response_rate, { value: 1, n: 1 });
  });

  it('by channel: the channel of the interaction; none for a survey without one', async () => {
    const r = await get({ metrics: 'csat', by: 'channel' });
    expect(dimsOf(r, 'channel')).toEqual(['chat', 'email', 'phone', null]);
    expectValue(rowOf(r, '2024-W07', ['channel', 'phone']).values.csat, { value: 0.5, n: 2 }); // s1 5, s3 2
    expectValue(rowOf(r, '2024-W07', ['channel', 'chat']).values.csat, { value: 1, n: 1 }); // s2
    expectValue(rowOf(r, '2024-W07', ['channel', 'email']).values.csat, { value: 0.5, n: 2 }); // s4 1, s7 4
    expectValue(rowOf(r, '2024-W07', ['channel', null]).values.csat, { value: 1, n: 1 }); // s5
  });

  it('by journey_stage and by contact_reason: those of the interaction', async () => {
    const stage = await get({ metrics: 'csat', by: 'journey_stage' });
    expect(dimsOf(stage, 'journey_stage')).toEqual(['Billing', 'Onboarding', null]);
    expectValue(rowOf(stage, '2024-W07', ['journey_stage', 'Billing']).values.csat, { value: 1, n: 2 }); // s1, s2
    expectValue(rowOf(stage, '2024-W07', ['journey_stage', 'Onboarding']).values.csat, { value: 0, n: 1 }); // s3
    expectValue(rowOf(stage, '2024-W07', ['journey_stage', null]).values.csat, { value: 2 / 3, n: 3 }); // s4 1, s5 5, s7 4
    const reason = await get({ metrics: 'csat', by: 'contact_reason' });
    expect(dimsOf(reason, 'contact_reason')).toEqual(['Login', 'Refund', null]);
    expectValue(rowOf(reason, '2024-W07', ['contact_reason', 'Refund']).values.csat, { value: 0.5, n: 2 }); // s1 5, s3 2
    expectValue(rowOf(reason, '2024-W07', ['contact_reason', 'Login']).values.csat, { value: 1, n: 1 }); // s2
  });
});

describe('survey metrics filtered', () => {
  it.each([
    // team=t1: s1, s2, s5, s7 → 4/4.
    [{ team: 't1' }, 1, 4],
    // agent=a2: s2, s5 → 2/2.
    [{ agent: 'a2' }, 1, 2],
    // channel=email: s4 1, s7 4 → 1/2.
    [{ channel: 'email' }, 0.5, 2],
    // journey_stage=billing: s1, s2 → 2/2.
    [{ journey_stage: 'billing' }, 1, 2],
    // contact_reason=REFUND: s1 5, s3 2 → 1/2.
    [{ contact_reason: 'REFUND' }, 0.5, 2],
  ])('%o → csat %d over n %d', async (filter, value, n) => {
    const r = await get({ metrics: 'csat', ...filter });
    expectValue(rowOf(r, '2024-W07').values.csat, { value, n });
  });

  it('filter and by together: channel=phone by team', async () => {
    const r = await get({ metrics: 'csat', by: 'team', channel: 'phone' });
    expectValue(rowOf(r, '2024-W07', ['team', 't1']).values.csat, { value: 1, n: 1 }); // s1
    expectValue(rowOf(r, '2024-W07', ['team', 't2']).values.csat, { value: 0, n: 1 }); // s3
  });
});
