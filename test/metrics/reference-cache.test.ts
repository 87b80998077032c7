// Reference data (teams, stages, organisation rollups) is kept between requests only until the
// next committed ingest: a team or customer imported after a first request is seen by the next.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMetrics } from '../../api/metrics/engine';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { csv, ingestCsv } from '../helpers/ingest';

let d: TestDatabase;
beforeAll(async () => {
  d = await createTestDatabase();
  await ingestCsv(d, 'teams', csv('external_id,name', 't1,One'));
  await ingestCsv(d, 'interactions', csv('external_id,occurred_at,team', 'i1,2024-02-13T10:00:00Z,t1'));
  await ingestCsv(d, 'customers', csv('external_id,started_on', 'c1,2024-01-01', 'c2,2024-01-01'));
});
afterAll(() => d.destroy());

const ask = (metrics: string[], by?: 'team') =>
  runMetrics(d, { metrics, from: '2024-02-12', to: '2024-02-18', grain: 'total', by, filters: {} });

describe('reference data between requests', () => {
  it('is re-read after an ingest changed something', async () => {
    expect((await ask(['contacts'], 'team')).rows.map((r) => r.team)).toEqual(['t1']);
    expect((await ask(['churn_rate'])).rows[0]!.values.churn_rate).toMatchObject({ value: 0, n: 2 });

    await ingestCsv(d, 'teams', csv('external_id,name', 't2,Two'));
    await ingestCsv(d, 'interactions', csv('external_id,occurred_at,team', 'i2,2024-02-14T10:00:00Z,t2'));
    await ingestCsv(d, 'customers', csv('external_id,started_on,churned_on', 'c3,2024-01-01,2024-02-15'));

    expect((await ask(['contacts'], 'team')).rows.map((r) => r.team)).toEqual(['t1', 't2']);
    // 1 churned of 3 active at the start of the week.
    expect((await ask(['churn_rate'])).rows[0]!.values.churn_rate).toMatchObject({ value: 1 / 3, n: 3 });
  });
});
