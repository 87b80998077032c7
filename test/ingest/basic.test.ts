import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyRollups } from '../../api/rollups/refresh';
import { sql } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { csv, ingestCsv } from '../helpers/ingest';

let d: TestDatabase;
beforeAll(async () => {
  d = await createTestDatabase();
});
afterAll(() => d.destroy());

describe('ingest', () => {
  it('imports teams, agents, interactions, surveys and keeps rollups exact', async () => {
    expect(
      await ingestCsv(d, 'teams', csv('external_id,name,kind', 't1,Billing,support', 't2,Product,product')),
    ).toMatchObject({ inserted: 2, updated: 0, unchanged: 0 });
    expect(
      await ingestCsv(
        d,
        'agents',
        csv('external_id,name,team,hired_on', 'a1,Priya Shah,t1,2024-01-02', 'a2,Tom Berg,t1,'),
      ),
    ).toMatchObject({ inserted: 2 });
    const interactions = csv(
      'external_id,occurred_at,team,channel,agent,journey_stage,contact_reason,answered,wait_seconds,handle_seconds,resolved',
      'i1,2024-02-12T09:00:00Z,t1,phone,a1,Billing,Refund,yes,20,300,true',
      'i2,2024-02-12T10:00:00Z,t1,chat,a2,billing ,Refund,y,65,200,false',
      'i3,2024-02-13T10:00:00Z,t1,phone,,Billing,Invoice,no,,,',
    );
    expect(await ingestCsv(d, 'interactions', interactions)).toMatchObject({ inserted: 3, rows: 3 });
    // The ingest leaves the time index summarized: nothing new is left for a summary to cover.
    const [summarized] = await d.rows<{ n: number }>(
      sql`select brin_summarize_new_values('interactions_occurred_at_brin'::regclass)::int as n`,
    );
    expect(summarized?.n).toBe(0);
    expect(await ingestCsv(d, 'interactions', interactions)).toMatchObject({ inserted: 0, updated: 0, unchanged: 3 });
    expect(
      await ingestCsv(
        d,
        'surveys',
        csv(
          'external_id,responded_at,interaction,csat,nps,comment,may_quote',
          's1,2024-02-12T12:00:00Z,i1,5,10,Great,yes',
          's2,2024-02-13T12:00:00Z,i2,2,3,,',
        ),
      ),
    ).toMatchObject({ inserted: 2 });
    const stages = await d.rows<{ key: string; label: string }>(
      sql`select key, label from journey_stages order by key`,
    );
    expect(stages).toEqual([{ key: 'billing', label: 'Billing' }]);
    const day = await d.rows<Record<string, unknown>>(
      sql`select day::text, channel, contacts, answered, abandoned, wait_n, wait_sum::int as wait_sum, resolved_n, resolved_yes, wait_hist_bucket, wait_hist_count from rollup_interactions_day order by day, channel`,
    );
    expect(day).toEqual([
      {
        day: '2024-02-12',
        channel: 'chat',
        contacts: 1,
        answered: 1,
        abandoned: 0,
        wait_n: 1,
        wait_sum: 65,
        resolved_n: 1,
        resolved_yes: 0,
        wait_hist_bucket: [13],
        wait_hist_count: [1],
      },
      {
        day: '2024-02-12',
        channel: 'phone',
        contacts: 1,
        answered: 1,
        abandoned: 0,
        wait_n: 1,
        wait_sum: 20,
        resolved_n: 1,
        resolved_yes: 1,
        wait_hist_bucket: [4],
        wait_hist_count: [1],
      },
      {
        day: '2024-02-13',
        channel: 'phone',
        contacts: 1,
        answered: 0,
        abandoned: 1,
        wait_n: 0,
        wait_sum: 0,
        resolved_n: 0,
        resolved_yes: 0,
        wait_hist_bucket: [],
        wait_hist_count: [],
      },
    ]);
    // Changing a wait moves the survey to another wait bucket.
    await ingestCsv(
      d,
      'interactions',
      csv(
        'external_id,occurred_at,team,channel,agent,answered,wait_seconds',
        'i2,2024-02-12T10:00:00Z,t1,chat,a2,y,400',
      ),
    );
    const buckets = await d.rows<{ wait_bucket: number; csat_n: number }>(
      sql`select wait_bucket, csat_n from rollup_surveys_day order by wait_bucket`,
    );
    expect(buckets).toEqual([
      { wait_bucket: 0, csat_n: 1 },
      { wait_bucket: 4, csat_n: 1 },
    ]);
    const diff = await verifyRollups(d, 'UTC');
    expect(diff.filter((x) => x.extra + x.missing > 0)).toEqual([]);
  });
});
