// An ingest asked to report its changes names each external id it inserted or updated; the
// events path answers every sender with its own records' counts from this.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { csv, ingestCsv, ingestJson } from '../helpers/ingest';

let d: TestDatabase;
beforeAll(async () => {
  d = await createTestDatabase();
  await ingestCsv(d, 'teams', csv('external_id,name', 'ta,Team A'));
});
afterAll(() => d.destroy());

const call = (id: string, wait: number) => ({
  external_id: id,
  occurred_at: '2026-11-30T10:00:00Z',
  team: 'ta',
  wait_seconds: wait,
});

describe('reportChanges', () => {
  it('names what was inserted, then what was updated; the unchanged are absent', async () => {
    const first = await ingestJson(d, 'interactions', [call('e1', 10), call('e2', 20)], { reportChanges: true });
    expect([...first.changed!.entries()].sort()).toEqual([
      ['e1', 'inserted'],
      ['e2', 'inserted'],
    ]);
    const second = await ingestJson(d, 'interactions', [call('e1', 10), call('e2', 25), call('e3', 5)], {
      reportChanges: true,
      chunkRows: 1,
    });
    expect([...second.changed!.entries()].sort()).toEqual([
      ['e2', 'updated'],
      ['e3', 'inserted'],
    ]);
    expect(second.unchanged).toBe(1);
  });

  it('is not gathered unless asked', async () => {
    const result = await ingestJson(d, 'interactions', [call('e4', 1)]);
    expect(result.changed).toBeUndefined();
  });
});
