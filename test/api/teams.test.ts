// GET /teams: the directory for pickers, by name, with active agents counted as of today; a
// manager sees only its own teams.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app';
import { ingestCsv } from '../helpers/ingest';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await ingestCsv(t.database, 'teams', 'external_id,name,kind\nt3,Accounts product,product\n');
  await ingestCsv(
    t.database,
    'agents',
    [
      'external_id,name,team,hired_on,left_on',
      'a1,Ana Silva,t1,2020-01-01,',
      'a2,Ben Okafor,t1,2020-01-01,2021-06-30', // left: not active
      'a3,Cy Young,t1,2999-01-01,', // not hired yet
      'a4,Dee Park,t2,,',
    ].join('\n') + '\n',
  );
});
afterAll(() => t.close());

describe('GET /teams', () => {
  it('lists every team by name with the agents active today', async () => {
    const res = await t.request('/api/v1/teams', { token: t.tokens.leader });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      teams: [
        { id: 't3', name: 'Accounts product', kind: 'product', active_agents: 0 },
        { id: 't1', name: 'Frontline One', kind: 'support', active_agents: 1 },
        { id: 't2', name: 'Frontline Two', kind: 'support', active_agents: 1 },
      ],
    });
  });

  it('gives a manager only its own teams', async () => {
    const res = await t.request('/api/v1/teams', { token: t.tokens.manager });
    const body = (await res.json()) as { teams: Array<{ id: string }> };
    expect(body.teams.map((x) => x.id)).toEqual(['t1']);
  });
});
