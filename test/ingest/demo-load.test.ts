// The demo data goes in through the ingest: a first start fills an empty database, the counts
// are the generator's, a second import of the same files changes nothing, rollups match raw rows.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoIfEmpty, type DemoLoad } from '../../api/ingest/demo';
import { KINDS } from '../../api/ingest/kinds';
import { verifyRollups } from '../../api/rollups/refresh';
import { writeDemo } from '../../db/seed/generate';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { ingestCsv } from '../helpers/ingest';

const OPTIONS = { seed: 7, weeks: 10, scale: 0.05, end: '2026-11-20' };
let d: TestDatabase;
let load: DemoLoad | null;
beforeAll(async () => {
  d = await createTestDatabase();
  load = await seedDemoIfEmpty(d, 'UTC', () => {}, OPTIONS);
}, 120_000);
afterAll(() => d.destroy());

describe('demo data', () => {
  it('fills an empty database with the generator’s counts, and its incident annotation', async () => {
    expect(load).not.toBeNull();
    for (const kind of KINDS) {
      const [row] = await d.rows<{ n: number }>(sql`select count(*)::int as n from ${sql.raw(kind)}`);
      expect(row!.n, kind).toBe(load!.story.counts[kind]);
      expect(load!.results.find((r) => r.kind === kind)).toMatchObject({
        inserted: load!.story.counts[kind],
        updated: 0,
        unchanged: 0,
      });
    }
    const notes = await d.rows<{ on: string; title: string }>(sql`select "on"::text as on, title from annotations`);
    expect(notes).toEqual([{ on: load!.story.incident.weekStart, title: load!.story.incident.title }]);
  });

  it('is not imported again into a database that has data', async () => {
    expect(await seedDemoIfEmpty(d, 'UTC', () => {}, OPTIONS)).toBeNull();
  });

  it('imported again from the same files, changes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pairwise-demo-again-'));
    try {
      await writeDemo(dir, OPTIONS);
      for (const kind of KINDS) {
        const result = await ingestCsv(d, kind, readFileSync(join(dir, `${kind}.csv`), 'utf8'));
        expect(result, kind).toMatchObject({ inserted: 0, updated: 0, unchanged: load!.story.counts[kind] });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('leaves rollups equal to a recomputation from raw rows', async () => {
    const diffs = await verifyRollups(d, 'UTC');
    expect(diffs.filter((x) => x.extra + x.missing > 0)).toEqual([]);
    expect(diffs.find((x) => x.table === 'rollup_interactions_day')!.stored).toBeGreaterThan(0);
  });
});
