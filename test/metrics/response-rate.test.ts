// response_rate by hand: answered interactions with at least one linked survey ÷ answered
// interactions, both by the interaction's day — a contact with several surveys counts once, so
// the rate never exceeds 1 — and kept right when a survey arrives, moves or leaves after its
// interaction was imported (the rollups of the interaction's day are recomputed; rollups:verify
// agrees after every import). Then the coaching integrity note that reads it.
//
// Wilson 95% (z = 1.959964, z² = 3.841459): centre = (p̂ + z²/2n)/(1 + z²/n),
// half = z/(1 + z²/n) · √(p̂(1−p̂)/n + z²/4n²).
//   1/3: centre = (0.333333 + 0.640243)/2.280486 = 0.426916, half = 0.365424 → [0.061492, 0.792340]
//   2/3: centre = (0.666667 + 0.640243)/2.280486 = 0.573084, half = 0.365424 → [0.207660, 0.938508]
//   0/3: [0, (z²/3)/(1 + z²/3)] = [0, 1.280486/2.280486] = [0, 0.561497]
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricsResult } from '../../api/metrics/engine';
import { verifyRollups } from '../../api/rollups/refresh';
import { writeSettings } from '../../api/settings';
import { createTestApp, type TestApp } from '../helpers/app';
import { csv, ingestCsv } from '../helpers/ingest';
import { expectValue, ingestInteractions, q, rowOf } from './support';

let t: TestApp;
const o = { timeZone: 'UTC' };
const SURVEY_HEADER = 'external_id,responded_at,interaction,csat';

// Monday 2024-02-12 (W07), team t1: k1, k2, k3 answered, k4 not (the caller gave up).
// First survey import: v1 (Mon), v2 and v4 (Tue) all about k1; v3 about the unanswered k4.
beforeAll(async () => {
  t = await createTestApp({ env: { ORG_TIMEZONE: 'UTC' } });
  await ingestInteractions(
    t.database,
    'k1,2024-02-12T10:00:00Z,t1,phone,yes',
    'k2,2024-02-12T11:00:00Z,t1,phone,yes',
    'k3,2024-02-12T12:00:00Z,t1,phone,yes',
    'k4,2024-02-12T13:00:00Z,t1,phone,no',
  );
  await ingestCsv(
    t.database,
    'surveys',
    csv(
      SURVEY_HEADER,
      'v1,2024-02-12T12:00:00Z,k1,5',
      'v2,2024-02-13T09:00:00Z,k1,4',
      'v4,2024-02-13T10:00:00Z,k1,5',
      'v3,2024-02-12T14:00:00Z,k4,1',
    ),
    o,
  );
});
afterAll(() => t.close());

async function rates(grain: 'day' | 'week', from = '2024-02-12', to = '2024-02-14'): Promise<MetricsResult> {
  const res = await t.request(q({ metrics: 'response_rate', from, to, grain }), { token: t.tokens.leader });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as MetricsResult;
}
async function expectRollupsCurrent() {
  const diffs = await verifyRollups(t.database, 'UTC');
  expect(diffs.filter((d) => d.extra + d.missing > 0)).toEqual([]);
}
const surveys = (...rows: string[]) => ingestCsv(t.database, 'surveys', csv(SURVEY_HEADER, ...rows), o);

describe('response_rate counts responded contacts, not surveys', () => {
  it('a contact with three surveys counts once; a survey of an unanswered contact not at all', async () => {
    // Monday: answered k1, k2, k3 = 3; with a survey: k1 (v1, v2, v4) = 1 → 1/3. Counting surveys
    // instead gave 4 linked surveys ÷ 3 answered = 1.33 for the week.
    const day = await rates('day');
    expectValue(rowOf(day, '2024-02-12').values.response_rate, { value: 1 / 3, n: 3, low: 0.061492, high: 0.79234 });
    // Tuesday's surveys v2, v4 count on Monday, their contact's day: Tuesday has no contact → null.
    expectValue(rowOf(day, '2024-02-13').values.response_rate, { value: null, n: 0 });
    const week = await rates('week', '2024-02-12', '2024-02-18');
    expectValue(rowOf(week, '2024-W07').values.response_rate, { value: 1 / 3, n: 3 });
    await expectRollupsCurrent();
  });

  it('a survey imported two days after its contact counts on the contact’s day', async () => {
    // Wednesday's import: v5 about k2 → Monday k1, k2 of 3 = 2/3; Wednesday still has no contact.
    await surveys('v5,2024-02-14T10:00:00Z,k2,4');
    const day = await rates('day');
    expectValue(rowOf(day, '2024-02-12').values.response_rate, { value: 2 / 3, n: 3, low: 0.20766, high: 0.938508 });
    expectValue(rowOf(day, '2024-02-14').values.response_rate, { value: null, n: 0 });
    await expectRollupsCurrent();
  });

  it('a survey moved to another contact, or unlinked, moves the count with it', async () => {
    // v5 now about k3: k1, k3 → still 2/3 (k2 lost its only survey, k3 gained one).
    await surveys('v5,2024-02-14T10:00:00Z,k3,4');
    expectValue(rowOf(await rates('day'), '2024-02-12').values.response_rate, { value: 2 / 3, n: 3 });
    await expectRollupsCurrent();
    // v5 about no contact: k1 only → 1/3.
    await surveys('v5,2024-02-14T10:00:00Z,,4');
    expectValue(rowOf(await rates('day'), '2024-02-12').values.response_rate, { value: 1 / 3, n: 3 });
    await expectRollupsCurrent();
    // v1 unlinked: k1 keeps v2 and v4 → 1/3; then v2 and v4 unlinked too → 0/3.
    await surveys('v1,2024-02-12T12:00:00Z,,5');
    expectValue(rowOf(await rates('day'), '2024-02-12').values.response_rate, { value: 1 / 3, n: 3 });
    await surveys('v2,2024-02-13T09:00:00Z,,4', 'v4,2024-02-13T10:00:00Z,,5');
    expectValue(rowOf(await rates('day'), '2024-02-12').values.response_rate, {
      value: 0,
      n: 3,
      low: 0,
      high: 0.561497,
    });
    await expectRollupsCurrent();
  });
});

describe('the coaching integrity note reads the rate of responded contacts', () => {
  // Team t3, W08 (Mon 2024-02-19 … Sun 25), 40 answered contacts per agent on Feb 20. Contacts
  // surveyed: c1 6 (3 top scores), c2 8 (5), c3 10 (6), c4 8 (4); Cora (c5) 36, each surveyed
  // twice, all 72 answers 5. Counting surveys made Cora 72/40 = 180%.
  beforeAll(async () => {
    await ingestCsv(t.database, 'teams', csv('external_id,name', 't3,Frontline Three'), o);
    await ingestCsv(
      t.database,
      'agents',
      csv(
        'external_id,name,team',
        'c1,Cal One,t3',
        'c2,Cat Two,t3',
        'c3,Cid Three,t3',
        'c4,Cleo Four,t3',
        'c5,Cora Five,t3',
      ),
      o,
    );
    const interactions: string[] = [];
    const rows: string[] = [];
    const plan: Array<[string, number[], number]> = [
      ['c1', [5, 5, 5, 2, 2, 2], 1],
      ['c2', [4, 4, 4, 4, 4, 1, 1, 1], 1],
      ['c3', [5, 5, 5, 5, 5, 5, 3, 3, 3, 3], 1],
      ['c4', [4, 4, 4, 4, 2, 2, 2, 2], 1],
      ['c5', Array.from({ length: 36 }, () => 5), 2],
    ];
    for (const [agent, scores, each] of plan) {
      for (let i = 0; i < 40; i++) {
        const id = `${agent}-i${i}`;
        interactions.push(`${id},2024-02-20T10:${String(i).padStart(2, '0')}:00Z,t3,phone,${agent},yes`);
        if (i < scores.length)
          for (let k = 0; k < each; k++) rows.push(`${id}-s${k},2024-02-20T12:00:00Z,${id},${scores[i]}`);
      }
    }
    await ingestCsv(
      t.database,
      'interactions',
      csv('external_id,occurred_at,team,channel,agent,answered', ...interactions),
      o,
    );
    await surveys(...rows);
    await writeSettings(t.database.db, { min_n: 5 }, null);
  });

  it('names Cora at 90% of her contacts, never above 100%', async () => {
    const res = await t.request('/api/v1/views/coach/team/t3?from=2024-02-19&to=2024-02-25', { token: t.tokens.admin });
    expect(res.status, await res.clone().text()).toBe(200);
    const v = (await res.json()) as {
      integrity: Array<{
        agent: { id: string };
        response_rate: { value: number; n: number };
        team_response_rate: number;
        note: string;
      }>;
    };
    expect(v.integrity.map((x) => x.agent.id)).toEqual(['c5']);
    // Cora: 36 of 40 contacts surveyed = 0.9; the team: 6 + 8 + 10 + 8 + 36 = 68 of 200 = 0.34.
    // Top scores: Cora 72/72; the team 3 + 5 + 6 + 4 + 72 = 90 of 6 + 8 + 10 + 8 + 72 = 104 → 87%.
    expect(v.integrity[0]!.response_rate).toMatchObject({ value: 0.9, n: 40 });
    expect(v.integrity[0]!.team_response_rate).toBeCloseTo(0.34, 12);
    expect(v.integrity[0]!.note).toBe(
      'Cora’s contacts get surveys answered 90% of the time (team 34%) with 100% top scores (team 87%): check how surveys are offered on these contacts.',
    );
    await expectRollupsCurrent();
  });
});
