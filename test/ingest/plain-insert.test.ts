// Large chunks of a batch are first written as new records only; a chunk that meets a known id is
// undone and upserted, and the counts and rollups come out as an upsert's would.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyRollups } from '../../api/rollups/refresh';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { csv, ingestCsv, ingestJson } from '../helpers/ingest';

let d: TestDatabase;
beforeAll(async () => {
  d = await createTestDatabase();
  await ingestCsv(d, 'teams', csv('external_id,name', 'ta,Team A', 'tb,Team B'));
});
afterAll(() => d.destroy());

const calls = (from: number, to: number, wait = 30) =>
  Array.from({ length: to - from }, (_, k) => {
    const i = from + k;
    return {
      external_id: `c${i}`,
      occurred_at: `2026-11-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00Z`,
      team: i % 2 ? 'ta' : 'tb',
      wait_seconds: wait + (i % 7),
    };
  });

describe('large chunks of new records', () => {
  it('go in as plain inserts, and a later chunk meeting known ids is upserted', async () => {
    const first = await ingestJson(d, 'interactions', calls(0, 1500), { chunkRows: 1000 });
    expect(first).toMatchObject({ inserted: 1500, updated: 0, unchanged: 0 });
    // The first chunk is all new; the second meets 500 known ids (200 changed), 500 new.
    const second = await ingestJson(
      d,
      'interactions',
      [...calls(1500, 2500), ...calls(1000, 1300), ...calls(1300, 1500, 90)],
      { chunkRows: 1000 },
    );
    expect(second).toMatchObject({ inserted: 1000, updated: 200, unchanged: 300 });
    // All known: the plain try fails on its first row and the chunk is upserted.
    const third = await ingestJson(d, 'interactions', calls(0, 1200, 60), { chunkRows: 1200 });
    expect(third).toMatchObject({ inserted: 0, updated: 1200, unchanged: 0 });
    const [row] = await d.rows<{ n: number; changed: number }>(
      sql`select count(*)::int as n, (count(*) filter (where wait_seconds >= 60))::int as changed from interactions`,
    );
    // c0–c1199 now wait 60 s or more; c1300–c1499 90 s or more; every other wait is under 60 s.
    expect(row).toEqual({ n: 2500, changed: 1400 });
    const diffs = await verifyRollups(d, 'UTC');
    expect(diffs.filter((x) => x.extra + x.missing > 0)).toEqual([]);
  });
});
