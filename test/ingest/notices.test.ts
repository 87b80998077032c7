// After each committed ingest a change notice goes out with what changed; a dry run, a refused
// batch or a re-import that changes nothing sends none.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestRejected } from '../../api/ingest/ingest';
import { CHANGES_CHANNEL, type ChangeNotice } from '../../api/ingest/notices';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { csv, ingestCsv } from '../helpers/ingest';

let d: TestDatabase;
const received: ChangeNotice[] = [];
let stop: () => Promise<void>;
beforeAll(async () => {
  d = await createTestDatabase();
  stop = await d.listen(CHANGES_CHANNEL, (payload) => received.push(JSON.parse(payload) as ChangeNotice));
});
afterAll(async () => {
  await stop();
  await d.destroy();
});

const settle = async (count: number) => {
  for (let i = 0; i < 40 && received.length < count; i++) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 100));
};

describe('change notices', () => {
  it('tell what changed after a commit, and nothing otherwise', async () => {
    await ingestCsv(d, 'teams', csv('external_id,name', 'n1,North', 'n2,South'));
    await settle(1);
    expect(received).toEqual([{ kinds: ['teams'], inserted: 2, updated: 0, from: null, to: null, teams: [] }]);
    received.length = 0;

    const file = csv(
      'external_id,occurred_at,team,wait_seconds',
      'x1,2024-05-01T10:00:00Z,n1,30',
      'x2,2024-05-03T23:30:00Z,n2,40',
    );
    await ingestCsv(d, 'interactions', file, { dryRun: true });
    await expect(
      ingestCsv(d, 'interactions', csv('external_id,occurred_at,team', 'x9,2024-05-01T10:00:00Z,nope')),
    ).rejects.toBeInstanceOf(IngestRejected);
    await ingestCsv(d, 'interactions', file);
    await ingestCsv(d, 'interactions', file); // unchanged: no notice
    await settle(1);
    expect(received).toEqual([
      { kinds: ['interactions'], inserted: 2, updated: 0, from: '2024-05-01', to: '2024-05-03', teams: ['n1', 'n2'] },
    ]);
  });
});
