// The temporary tables a connection keeps between ingests (db/temp.ts) keep their rows at commit
// and are emptied when the next ingest starts: a second batch must not apply the first one's
// contributions again, and a long run of small batches must not grow the tables without bound.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../db/client';
import { verifyRollups } from '../../api/rollups/refresh';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { csv, ingestCsv, ingestJson } from '../helpers/ingest';

let d: TestDatabase;
/** One connection, so every batch and every check meet the same kept tables. */
let one: Database;
beforeAll(async () => {
  d = await createTestDatabase();
  one = d.url ? openDatabase({ url: d.url, max: 1 }) : d;
  await ingestCsv(one, 'teams', csv('external_id,name', 'ta,Team A', 'tb,Team B'));
});
afterAll(async () => {
  if (one !== d) await one.close();
  await d.destroy();
});

const calls = (batch: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    external_id: `c${batch}-${i}`,
    occurred_at: `2026-11-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00Z`,
    team: i % 2 ? 'ta' : 'tb',
    wait_seconds: 10 + i,
    handle_seconds: 100 + batch,
  }));

describe('kept temporary tables', () => {
  it('start each batch empty: rollups stay exact batch after batch, and the tables stay small', async () => {
    const first = await ingestJson(one, 'interactions', calls(0, 20));
    expect(first).toMatchObject({ inserted: 20 });
    // The first batch's contributions are still in the kept table after its commit...
    const [kept] = await one.rows<{ n: number }>(sql`select count(*)::int as n from pw_delta_interactions`);
    expect(kept!.n).toBe(20);
    // ...and the next batch applies only its own: an update of 5 records and 3 new ones.
    const second = await ingestJson(one, 'interactions', [
      ...calls(0, 5).map((r) => ({ ...r, wait_seconds: 200 })),
      ...calls(1, 3),
    ]);
    expect(second).toMatchObject({ inserted: 3, updated: 5 });
    const [day] = await one.rows<{ contacts: number; wait_sum: number }>(
      sql`select sum(contacts)::int as contacts, sum(wait_sum)::int as wait_sum from rollup_interactions_day`,
    );
    // 23 contacts; waits: 20 records of 10..29 s (390 s) with 5 of them (10..14 s, 60 s) now 200 s, plus 10, 11, 12 s.
    expect(day).toEqual({ contacts: 23, wait_sum: 390 - 60 + 5 * 200 + 33 });
    expect((await verifyRollups(one, 'UTC')).filter((x) => x.extra + x.missing > 0)).toEqual([]);

    // 300 more small batches: a table emptied only by DELETE would hold 6,000 rows' line
    // pointers (at least 21 pages); truncated every 256 batches it holds fewer than 900 rows.
    for (let b = 2; b < 302; b++) await ingestJson(one, 'interactions', calls(b, 20));
    const [size] = await one.rows<{ pages: number; rows: number }>(
      sql`select (pg_relation_size('pw_delta_interactions') / 8192)::int as pages, (select count(*)::int from pw_delta_interactions) as rows`,
    );
    expect(size!.rows).toBe(20);
    expect(size!.pages).toBeLessThan(12);
    expect((await verifyRollups(one, 'UTC')).filter((x) => x.extra + x.missing > 0)).toEqual([]);
  }, 120_000);
});
