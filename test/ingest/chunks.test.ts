// A batch is written a chunk at a time while the next is read: chunk boundaries must not show.
// Each case imports the same rows in chunks of 2 and in one chunk and expects the same answer
// and the same tables; a problem in a late chunk undoes the chunks already written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { verifyRollups } from '../../api/rollups/refresh';
import { IngestRejected } from '../../api/ingest/ingest';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { csv, ingestCsv } from '../helpers/ingest';

const HEADER =
  'external_id,occurred_at,team,channel,agent,journey_stage,contact_reason,answered,wait_seconds,handle_seconds,resolved';
const row = (id: string, day: string, wait: number, stage = 'Billing') =>
  `${id},2024-03-${day}T09:00:00Z,t1,phone,a1,${stage},Refund,yes,${wait},300,true`;

let chunked: TestDatabase;
let whole: TestDatabase;
beforeAll(async () => {
  [chunked, whole] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  for (const d of [chunked, whole]) {
    await ingestCsv(d, 'teams', csv('external_id,name', 't1,Billing'));
    await ingestCsv(d, 'agents', csv('external_id,name,team', 'a1,Priya Shah,t1'));
    await ingestCsv(d, 'interactions', csv(HEADER, row('old1', '01', 10), row('old2', '01', 20)));
  }
});
afterAll(() => Promise.all([chunked.destroy(), whole.destroy()]));

const tables = (d: TestDatabase) =>
  Promise.all([
    d.rows(
      sql`select external_id, occurred_at::text, wait_seconds, (select label from journey_stages j where j.id = journey_stage_id) as stage from interactions order by external_id`,
    ),
    d.rows(
      sql`select day::text, channel, contacts, wait_n, wait_sum::int as s, wait_hist_bucket, wait_hist_count from rollup_interactions_day order by day, channel`,
    ),
    d.rows(sql`select key, label from journey_stages order by key`),
  ]);

describe('a batch written in chunks', () => {
  it('counts, collapses repeats and updates exactly as one chunk does', async () => {
    const body = csv(
      HEADER,
      row('n1', '02', 5, 'billing '), // first spelling of a new stage is in chunk 1 …
      row('n2', '02', 35),
      row('n1', '02', 5, 'billing '), // an exact repeat of row 2, in the next chunk
      row('old1', '03', 70), // an update of an existing record
      row('n3', '04', 400, 'BILLING'), // … and the stage again, spelled otherwise, in chunk 3
      row('n3', '04', 400, 'BILLING'), // a repeat within one chunk
      row('old2', '01', 20), // unchanged
    );
    const a = await ingestCsv(chunked, 'interactions', body, { chunkRows: 2 });
    const b = await ingestCsv(whole, 'interactions', body);
    expect(a).toEqual(b);
    expect(a).toMatchObject({ rows: 7, inserted: 3, updated: 1, unchanged: 1 });
    expect(a.warnings.join(' ')).toContain('2 rows repeated an earlier row exactly');
    expect(await tables(chunked)).toEqual(await tables(whole));
    for (const d of [chunked, whole])
      expect((await verifyRollups(d, 'UTC')).filter((x) => x.extra + x.missing > 0)).toEqual([]);
  });

  it('past the ids it remembers, gathers every row and still collapses, updates and refuses as one chunk does', async () => {
    const body = csv(
      HEADER,
      row('m1', '07', 5),
      row('m2', '07', 6),
      row('m3', '07', 7), // ids are remembered up to here (trackedIds 3) …
      row('m1', '07', 5), // … an exact repeat of row 2, after
      row('m4', '08', 8),
      row('old1', '09', 90), // an update
      row('m4', '08', 8), // an exact repeat within a chunk past the limit
    );
    const a = await ingestCsv(chunked, 'interactions', body, { chunkRows: 2, trackedIds: 3 });
    const b = await ingestCsv(whole, 'interactions', body);
    expect(a).toEqual(b);
    expect(a).toMatchObject({ rows: 7, inserted: 4, updated: 1, unchanged: 0 });
    expect(await tables(chunked)).toEqual(await tables(whole));
    for (const d of [chunked, whole])
      expect((await verifyRollups(d, 'UTC')).filter((x) => x.extra + x.missing > 0)).toEqual([]);

    const before = await tables(chunked);
    const conflicting = csv(
      HEADER,
      row('z1', '10', 1),
      row('z2', '10', 2),
      row('z3', '10', 3),
      row('z4', '10', 4),
      row('z1', '10', 9),
    );
    const err = await ingestCsv(chunked, 'interactions', conflicting, { chunkRows: 2, trackedIds: 2 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(IngestRejected);
    expect((err as IngestRejected).problems).toEqual([
      {
        row: 6,
        field: 'external_id',
        value: "'z1'",
        reason: "external_id 'z1' appears in rows 2, 6 with different values; keep one",
      },
    ]);
    expect(await tables(chunked)).toEqual(before);
  });

  it('refuses a conflicting repeat in a later chunk and undoes the chunks written before it', async () => {
    const before = await tables(chunked);
    const body = csv(HEADER, row('x1', '05', 10), row('x2', '05', 10), row('x3', '05', 10), row('x1', '05', 99));
    const err = await ingestCsv(chunked, 'interactions', body, { chunkRows: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IngestRejected);
    expect((err as IngestRejected).problems).toEqual([
      {
        row: 5,
        field: 'external_id',
        value: "'x1'",
        reason: "external_id 'x1' appears in rows 2, 5 with different values; keep one",
      },
    ]);
    expect(await tables(chunked)).toEqual(before);
  });

  it('refuses an unknown reference in the last chunk, lists problems of every chunk, and writes nothing', async () => {
    const before = await tables(chunked);
    const body = csv(
      HEADER,
      row('y1', '06', 10),
      'y2,2024-03-06T09:00:00Z,t9,phone,a1,,,yes,1,1,true',
      row('y3', '06', -4),
      'y4,2024-03-06T09:00:00Z,t1,phone,a9,,,yes,1,1,true',
    );
    const err = await ingestCsv(chunked, 'interactions', body, { chunkRows: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IngestRejected);
    expect((err as IngestRejected).problems.map((p) => [p.row, p.field])).toEqual([
      [3, 'team'],
      [4, 'wait_seconds'],
      [5, 'agent'],
    ]);
    expect(await tables(chunked)).toEqual(before);
  });
});
