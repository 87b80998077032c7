// Rollups follow ORG_TIMEZONE and their own definitions: a change of either rebuilds them at start.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRollupsCurrent, verifyRollups } from '../../api/rollups/refresh';
import { settings } from '../../db/schema';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { csv, ingestCsv } from '../helpers/ingest';

let d: TestDatabase;
beforeAll(async () => {
  d = await createTestDatabase();
  await ingestCsv(d, 'teams', csv('external_id,name', 't1,One'));
  // 03:00 UTC on 1 March is 21:00 on 29 February in Chicago.
  await ingestCsv(d, 'interactions', csv('external_id,occurred_at,team,wait_seconds', 'i1,2024-03-01T03:00:00Z,t1,20'));
});
afterAll(() => d.destroy());

const days = async () =>
  (await d.rows<{ day: string }>(sql`select day::text as day from rollup_interactions_day`)).map((r) => r.day);

describe('rollups follow the time zone and their definitions', () => {
  it('rebuild once, then only when something changed', async () => {
    expect(await ensureRollupsCurrent(d.db, 'UTC')).toBe(true); // nothing recorded yet
    expect(await ensureRollupsCurrent(d.db, 'UTC')).toBe(false);
    expect(await days()).toEqual(['2024-03-01']);

    expect(await ensureRollupsCurrent(d.db, 'America/Chicago')).toBe(true);
    expect(await days()).toEqual(['2024-02-29']);
    expect((await verifyRollups(d, 'America/Chicago')).every((x) => x.extra + x.missing === 0)).toBe(true);

    // A stored fingerprint of other definitions (an upgrade changed a rollup) also rebuilds.
    await d.db
      .update(settings)
      .set({ value: { tz: 'America/Chicago', definitions: 'older' } })
      .where(sql`key = 'rollups'`);
    expect(await ensureRollupsCurrent(d.db, 'America/Chicago')).toBe(true);
    expect(await ensureRollupsCurrent(d.db, 'America/Chicago')).toBe(false);
  });
});
