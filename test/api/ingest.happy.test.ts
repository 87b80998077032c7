// Real-world-shaped imports through POST /api/v1/ingest/{kind}: BOM, CRLF, blank cells, quoted
// commas and line breaks, every boolean spelling, timestamps with and without offset, extra
// columns, JSON batches, duplicates, idempotency, updates, dry runs, inheritance, normalisation,
// and rollups that match a full recomputation.
import { sql } from 'drizzle-orm';
import type { IngestResult } from '../../api/ingest/ingest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyRollups } from '../../api/rollups/refresh';
import { createTestApp, type TestApp } from '../helpers/app';
import { SNAPSHOT_EXCLUDED, snapshotTables } from '../helpers/snapshot';

type Answer = IngestResult;

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** A spreadsheet-style export: BOM, CRLF line ends. */
const excel = (...lines: string[]) => `\ufeff${lines.join('\r\n')}\r\n`;

async function post(app: TestApp, kind: string, body: string, query = ''): Promise<Response> {
  return app.request(`/api/v1/ingest/${kind}${query}`, {
    method: 'POST',
    token: app.tokens.admin,
    headers: { 'content-type': 'text/csv; charset=utf-8' },
    body,
  });
}
async function imported(res: Response): Promise<Answer> {
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return JSON.parse(text) as Answer;
}
const csvOk = (kind: string, body: string, query = '', app = t) => post(app, kind, body, query).then(imported);
const jsonOk = (kind: string, json: unknown, query = '') =>
  t.request(`/api/v1/ingest/${kind}${query}`, { method: 'POST', token: t.tokens.admin, json }).then(imported);

// The files of one organisation's export, reused for the re-import.
const FILES: Array<[kind: string, body: string]> = [
  [
    'teams',
    excel(
      'external_id,name,kind,Manager',
      'support-east,"Support, East",Support,Ana',
      'digital,Digital,DIGITAL,',
      'quiet,Quiet team,,',
    ),
  ],
  [
    'agents',
    excel(
      'external_id,name,team,hired_on,left_on',
      'a1,"Shah, Priya",support-east,2023-01-02,',
      'a2,Tom Berg,support-east,2022-05-01,2024-01-31',
      'a3,"Zoë ""Zee"" Müller",digital,2023-09-01,',
    ),
  ],
  [
    'customers',
    excel(
      'external_id,segment,started_on,churned_on,monthly_value',
      'c1,SMB,2022-01-01,,49.90',
      'c2,Enterprise,2021-05-01,2024-02-20,990',
      'c3,,,,',
    ),
  ],
  [
    'interactions',
    excel(
      // Columns in another order, two unknown ones; blank cells for the unanswered call.
      'occurred_at,external_id,team,channel,agent,customer,journey_stage,contact_reason,answered,wait_seconds,handle_seconds,resolved,Queue,notes',
      '2024-02-12T09:00:00Z,i1,support-east,phone,a1,c1, Billing ,"Refund, partial",yes,20,300,TRUE,Q1,"called back\r\nsecond line, with a comma"',
      '2024-02-12 10:00,i2,support-east,Chat,a2,c2,billing,"refund, partial",Y,65.4,200,n,Q2,',
      '2024-02-12T11:00:00+01:00,i3,support-east,phone,,c1,,,no,,,,Q1,',
      '2024-02-13T08:15:30.250-05:00,i4,digital,email,a3,,Onboarding,Setup,1,0,600,0,,',
      '2024-02-13,i5,digital,,,, ,,,,,,,',
    ),
  ],
  [
    'surveys',
    excel(
      'external_id,responded_at,interaction,customer,agent,team,csat,nps,effort,comment,may_quote',
      's1,2024-02-12T12:00:00Z,i1,,,,5,10,2,"Priya was great, really.\r\nSorted my refund in ""no time"".",Yes',
      's2,2024-02-12T13:00:00Z,i2,,,digital,2,3,6,Waited too long,no',
      's3,2024-02-13T14:00:00Z,,c3,a3,,4,,,"",',
    ),
  ],
  [
    'referrals',
    excel('external_id,referred_at,customer,converted', 'r1,2024-02-14T10:00:00Z,c1,Y', 'r2,2024-02-15 09:00,c2,'),
  ],
];
const COUNTS: Record<string, number> = { teams: 3, agents: 3, customers: 3, interactions: 5, surveys: 3, referrals: 2 };

const storedInteractions = () =>
  t.database.rows<Record<string, unknown>>(sql`
    select i.external_id as id, to_char(i.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at, tm.external_id as team, i.channel,
           a.external_id as agent, c.external_id as customer, js.label as stage, cr.label as reason,
           i.answered, i.wait_seconds, i.handle_seconds, i.resolved
      from interactions i join teams tm on tm.id = i.team_id
      left join agents a on a.id = i.agent_id left join customers c on c.id = i.customer_id
      left join journey_stages js on js.id = i.journey_stage_id left join contact_reasons cr on cr.id = i.contact_reason_id
     where i.external_id like 'i%' order by i.external_id`);

describe('ingest: real-world input', () => {
  it('imports a spreadsheet export: BOM, CRLF, blank cells, quoted commas and line breaks, extra columns', async () => {
    const answers: Record<string, Answer> = {};
    for (const [kind, body] of FILES) answers[kind] = await csvOk(kind, body);
    for (const [kind, n] of Object.entries(COUNTS))
      expect(answers[kind], kind).toMatchObject({
        kind,
        dry_run: false,
        rows: n,
        inserted: n,
        updated: 0,
        unchanged: 0,
      });
    expect(answers.teams!.warnings).toEqual(['Unknown column ignored: manager.']);
    expect(answers.interactions!.warnings).toEqual(['Unknown columns ignored: queue, notes.']);
    expect(answers.surveys!.warnings).toEqual([]);

    expect(
      await t.database.rows(
        sql`select external_id, name, kind from teams where external_id not in ('t1', 't2') order by external_id`,
      ),
    ).toEqual([
      { external_id: 'digital', name: 'Digital', kind: 'digital' },
      { external_id: 'quiet', name: 'Quiet team', kind: 'support' },
      { external_id: 'support-east', name: 'Support, East', kind: 'support' },
    ]);
    expect(
      await t.database.rows(
        sql`select a.external_id, a.name, tm.external_id as team, a.hired_on::text, a.left_on::text from agents a join teams tm on tm.id = a.team_id order by 1`,
      ),
    ).toEqual([
      { external_id: 'a1', name: 'Shah, Priya', team: 'support-east', hired_on: '2023-01-02', left_on: null },
      { external_id: 'a2', name: 'Tom Berg', team: 'support-east', hired_on: '2022-05-01', left_on: '2024-01-31' },
      { external_id: 'a3', name: 'Zoë "Zee" Müller', team: 'digital', hired_on: '2023-09-01', left_on: null },
    ]);
    expect(
      await t.database.rows(
        sql`select external_id, segment, started_on::text, churned_on::text, monthly_value::float8 as value from customers order by 1`,
      ),
    ).toEqual([
      { external_id: 'c1', segment: 'SMB', started_on: '2022-01-01', churned_on: null, value: 49.9 },
      { external_id: 'c2', segment: 'Enterprise', started_on: '2021-05-01', churned_on: '2024-02-20', value: 990 },
      { external_id: 'c3', segment: null, started_on: null, churned_on: null, value: null },
    ]);
    const base = { agent: null, customer: null, stage: null, reason: null };
    expect(await storedInteractions()).toEqual([
      {
        ...base,
        id: 'i1',
        at: '2024-02-12T09:00:00.000Z',
        team: 'support-east',
        channel: 'phone',
        agent: 'a1',
        customer: 'c1',
        stage: 'Billing',
        reason: 'Refund, partial',
        answered: true,
        wait_seconds: 20,
        handle_seconds: 300,
        resolved: true,
      },
      // No offset: read in ORG_TIMEZONE (UTC here); 65.4 s rounds to whole seconds; channel case-folded.
      {
        ...base,
        id: 'i2',
        at: '2024-02-12T10:00:00.000Z',
        team: 'support-east',
        channel: 'chat',
        agent: 'a2',
        customer: 'c2',
        stage: 'Billing',
        reason: 'Refund, partial',
        answered: true,
        wait_seconds: 65,
        handle_seconds: 200,
        resolved: false,
      },
      // The unanswered call: blank cells are nulls.
      {
        ...base,
        id: 'i3',
        at: '2024-02-12T10:00:00.000Z',
        team: 'support-east',
        channel: 'phone',
        customer: 'c1',
        answered: false,
        wait_seconds: null,
        handle_seconds: null,
        resolved: null,
      },
      {
        ...base,
        id: 'i4',
        at: '2024-02-13T13:15:30.250Z',
        team: 'digital',
        channel: 'email',
        agent: 'a3',
        stage: 'Onboarding',
        reason: 'Setup',
        answered: true,
        wait_seconds: 0,
        handle_seconds: 600,
        resolved: false,
      },
      // Defaults: channel phone, answered true; a date alone is midnight.
      {
        ...base,
        id: 'i5',
        at: '2024-02-13T00:00:00.000Z',
        team: 'digital',
        channel: 'phone',
        answered: true,
        wait_seconds: null,
        handle_seconds: null,
        resolved: null,
      },
    ]);
    expect(
      await t.database.rows(sql`select external_id, comment, may_quote, csat, nps, effort from surveys order by 1`),
    ).toEqual([
      {
        external_id: 's1',
        comment: 'Priya was great, really.\r\nSorted my refund in "no time".',
        may_quote: true,
        csat: 5,
        nps: 10,
        effort: 2,
      },
      { external_id: 's2', comment: 'Waited too long', may_quote: false, csat: 2, nps: 3, effort: 6 },
      { external_id: 's3', comment: null, may_quote: false, csat: 4, nps: null, effort: null },
    ]);
    expect(
      await t.database.rows(
        sql`select r.external_id, to_char(r.referred_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as at, c.external_id as customer, r.converted from referrals r join customers c on c.id = r.customer_id order by 1`,
      ),
    ).toEqual([
      { external_id: 'r1', at: '2024-02-14 10:00', customer: 'c1', converted: true },
      { external_id: 'r2', at: '2024-02-15 09:00', customer: 'c2', converted: null },
    ]);
  });

  it('journey stages and contact reasons: trimmed, matched case-folded, first spelling kept', async () => {
    // " Billing " came first, then "billing"; a later "BILLING" changes nothing.
    await csvOk(
      'interactions',
      excel(
        'external_id,occurred_at,team,journey_stage,contact_reason',
        'n1,2024-02-14T09:00:00Z,quiet,BILLING,"  REFUND, PARTIAL  "',
      ),
    );
    expect(await t.database.rows(sql`select key, label from journey_stages order by key`)).toEqual([
      { key: 'billing', label: 'Billing' },
      { key: 'onboarding', label: 'Onboarding' },
    ]);
    expect(await t.database.rows(sql`select key, label from contact_reasons order by key`)).toEqual([
      { key: 'refund, partial', label: 'Refund, partial' },
      { key: 'setup', label: 'Setup' },
    ]);
    const [same] = await t.database.rows<{ stages: number; reasons: number }>(
      sql`select count(distinct journey_stage_id)::int as stages, count(distinct contact_reason_id)::int as reasons from interactions where external_id in ('i1', 'i2', 'n1')`,
    );
    expect(same).toEqual({ stages: 1, reasons: 1 });
  });

  it('booleans in every listed spelling and case', async () => {
    const spellings: Array<[string, boolean]> = [
      ['true', true],
      ['TRUE', true],
      ['True', true],
      ['yes', true],
      ['YES', true],
      ['Yes', true],
      ['y', true],
      ['Y', true],
      ['1', true],
      [' yes ', true],
      ['false', false],
      ['FALSE', false],
      ['False', false],
      ['no', false],
      ['NO', false],
      ['No', false],
      ['n', false],
      ['N', false],
      ['0', false],
      ['', false],
    ];
    const body = excel(
      'external_id,occurred_at,team,answered,resolved',
      ...spellings.map(([s], k) => `b${k},2024-02-14T10:00:00Z,quiet,${s},${s}`),
    );
    expect(await csvOk('interactions', body)).toMatchObject({ inserted: spellings.length });
    const rows = await t.database.rows<{ external_id: string; answered: boolean; resolved: boolean | null }>(
      sql`select external_id, answered, resolved from interactions where external_id like 'b%' order by substr(external_id, 2)::int`,
    );
    expect(rows).toEqual(
      spellings.map(([s, v], k) => ({
        external_id: `b${k}`,
        // Empty: answered defaults to true, resolved stays unknown.
        answered: s === '' ? true : v,
        resolved: s === '' ? null : v,
      })),
    );
  });

  it('a JSON batch with the same fields: the same records as the CSV (all unchanged), and new ones inserted', async () => {
    const same = [
      {
        external_id: 'i1',
        occurred_at: '2024-02-12T09:00:00Z',
        team: 'support-east',
        channel: 'phone',
        agent: 'a1',
        customer: 'c1',
        journey_stage: 'Billing',
        contact_reason: 'Refund, partial',
        answered: true,
        wait_seconds: 20,
        handle_seconds: 300,
        resolved: true,
      },
      {
        external_id: 'i2',
        occurred_at: '2024-02-12 10:00',
        team: 'support-east',
        channel: 'Chat',
        agent: 'a2',
        customer: 'c2',
        journey_stage: 'billing',
        contact_reason: 'refund, partial',
        answered: 'Y',
        wait_seconds: 65.4,
        handle_seconds: 200,
        resolved: false,
        queue: 'Q2',
      },
      {
        external_id: 'i3',
        occurred_at: '2024-02-12T11:00:00+01:00',
        team: 'support-east',
        customer: 'c1',
        answered: false,
        wait_seconds: null,
        handle_seconds: '',
        resolved: null,
      },
      {
        external_id: 'i4',
        occurred_at: '2024-02-13T08:15:30.250-05:00',
        team: 'digital',
        channel: 'email',
        agent: 'a3',
        journey_stage: 'Onboarding',
        contact_reason: 'Setup',
        answered: 1,
        wait_seconds: 0,
        handle_seconds: 600,
        resolved: 0,
      },
      { external_id: 'i5', occurred_at: '2024-02-13', team: 'digital' },
    ];
    const before = await snapshotTables(t.database);
    const answer = await jsonOk('interactions', same);
    expect(answer).toEqual({
      kind: 'interactions',
      dry_run: false,
      rows: 5,
      inserted: 0,
      updated: 0,
      unchanged: 5,
      warnings: ['Unknown column ignored: queue.'],
    });
    expect(await snapshotTables(t.database)).toEqual(before);

    expect(
      await jsonOk('surveys', [
        {
          external_id: 'j1',
          responded_at: '2024-02-13T15:00:00Z',
          interaction: 'i4',
          csat: 4,
          nps: 9,
          effort: 1,
          comment: 'Quick, clear, done.',
          may_quote: true,
        },
      ]),
    ).toMatchObject({ inserted: 1, rows: 1 });
    expect(
      await t.database.rows(
        sql`select s.csat, s.nps, s.effort, s.comment, s.may_quote, i.external_id as interaction from surveys s join interactions i on i.id = s.interaction_id where s.external_id = 'j1'`,
      ),
    ).toEqual([{ csat: 4, nps: 9, effort: 1, comment: 'Quick, clear, done.', may_quote: true, interaction: 'i4' }]);
  });

  it('exact duplicate rows are collapsed: one record, a warning, no problem', async () => {
    const row = 'd1,2024-02-14T11:00:00Z,quiet,chat,,,,,yes,40,100,yes';
    const answer = await csvOk(
      'interactions',
      excel(
        'external_id,occurred_at,team,channel,agent,customer,journey_stage,contact_reason,answered,wait_seconds,handle_seconds,resolved',
        row,
        'd2,2024-02-14T12:00:00Z,quiet,chat,,,,,yes,10,100,yes',
        row,
        ` d1 ,2024-02-14T11:00:00Z,quiet,CHAT,,,,,Y,40.0,100,1`,
      ),
    );
    expect(answer).toEqual({
      kind: 'interactions',
      dry_run: false,
      rows: 4,
      inserted: 2,
      updated: 0,
      unchanged: 0,
      warnings: ['2 rows repeated an earlier row exactly (same external_id and values) and were counted once.'],
    });
    const [n] = await t.database.rows<{ n: number }>(
      sql`select count(*)::int as n from interactions where external_id = 'd1'`,
    );
    expect(n!.n).toBe(1);
  });

  it('spreadsheet exports with trailing empty columns are accepted', async () => {
    const answer = await csvOk(
      'teams',
      excel('external_id,name,kind,,', 'x1,Extra team,other,,', 'x2,Another,sales,,'),
    );
    expect(answer).toMatchObject({ inserted: 2, warnings: [] });
  });

  it('importing the same files twice: every answer is unchanged and every table identical', async () => {
    const before = await snapshotTables(t.database);
    for (const [kind, body] of FILES) {
      const answer = await csvOk(kind, body);
      expect(answer, kind).toMatchObject({
        kind,
        rows: COUNTS[kind],
        inserted: 0,
        updated: 0,
        unchanged: COUNTS[kind],
      });
    }
    expect(await snapshotTables(t.database)).toEqual(before);
  });

  it('the snapshot covers records, lookups and rollups, and sees a change', async () => {
    const snap = await snapshotTables(t.database);
    for (const table of [
      'teams',
      'agents',
      'customers',
      'interactions',
      'surveys',
      'referrals',
      'journey_stages',
      'contact_reasons',
      'rollup_interactions_day',
      'rollup_surveys_day',
      'rollup_surveys_agent',
      'settings',
    ]) {
      expect(snap, table).toHaveProperty(table);
    }
    for (const table of SNAPSHOT_EXCLUDED) expect(snap).not.toHaveProperty(table);
    expect(snap.interactions!.rows).toBeGreaterThan(20);
    await t.database.db.execute(sql`update teams set name = name where external_id = 'quiet'`);
    expect(await snapshotTables(t.database)).toEqual(snap); // same values: same fingerprint
    await t.database.db.execute(
      sql`update rollup_interactions_day set contacts = contacts + 1 where day = '2024-02-12'`,
    );
    const changed = await snapshotTables(t.database);
    expect(changed.rollup_interactions_day).not.toEqual(snap.rollup_interactions_day);
    await t.database.db.execute(
      sql`update rollup_interactions_day set contacts = contacts - 1 where day = '2024-02-12'`,
    );
    expect(await snapshotTables(t.database)).toEqual(snap);
  });

  it('an update is counted as updated: 1 and touches only that record', async () => {
    const stamp = () =>
      t.database.rows<{ external_id: string; updated: string }>(
        sql`select external_id, updated_at::text as updated from interactions order by external_id`,
      );
    const stampsBefore = await stamp();
    const before = await snapshotTables(t.database);
    const [, body] = FILES.find(([k]) => k === 'interactions')!;
    const answer = await csvOk('interactions', body.replace('Y,65.4,200,n', 'Y,400,200,n'));
    expect(answer).toMatchObject({ rows: 5, inserted: 0, updated: 1, unchanged: 4 });
    const after = await snapshotTables(t.database);
    const changed = Object.keys(after).filter((k) => after[k]!.md5 !== before[k]!.md5);
    // The record, and the survey and interaction rollups of its day (i2's survey moves wait bucket).
    expect(changed).toContain('interactions');
    expect(changed).toContain('rollup_interactions_day');
    expect(changed).toContain('rollup_surveys_day');
    for (const table of ['teams', 'agents', 'customers', 'surveys', 'referrals', 'journey_stages', 'contact_reasons'])
      expect(changed).not.toContain(table);
    const stampsAfter = await stamp();
    const moved = stampsAfter.filter((s, k) => s.updated !== stampsBefore[k]!.updated).map((s) => s.external_id);
    expect(moved).toEqual(['i2']);
    const [bucket] = await t.database.rows<{ wait_bucket: number }>(
      sql`select wait_bucket::int from rollup_surveys_day where day = '2024-02-12' and team_id = (select id from teams where external_id = 'digital')`,
    );
    expect(bucket!.wait_bucket).toBe(4); // 300 s and more (it was 60–120 s)
    // And back: updated again, then unchanged.
    expect(await csvOk('interactions', body)).toMatchObject({ updated: 1, unchanged: 4 });
    expect(await csvOk('interactions', body)).toMatchObject({ updated: 0, unchanged: 5 });
  });

  it('dry_run=true answers the counts and writes nothing', async () => {
    const before = await snapshotTables(t.database);
    const body = excel(
      'external_id,occurred_at,team,channel,wait_seconds',
      'i1,2024-02-12T09:00:00Z,support-east,phone,25', // changed (wait 20 → 25, and the blank columns)
      'dry1,2024-02-20T09:00:00Z,quiet,chat,10', // new
      'dry1,2024-02-20T09:00:00Z,quiet,chat,10', // exact duplicate
    );
    const answer = await csvOk('interactions', body, '?dry_run=true');
    expect(answer).toEqual({
      kind: 'interactions',
      dry_run: true,
      rows: 3,
      inserted: 1,
      updated: 1,
      unchanged: 0,
      warnings: ['1 row repeated an earlier row exactly (same external_id and values) and was counted once.'],
    });
    expect(await jsonOk('teams', [{ external_id: 'dry-team', name: 'Dry' }], '?dry_run=true')).toMatchObject({
      dry_run: true,
      inserted: 1,
    });
    expect(await csvOk('teams', excel('external_id,name', 'dry-team2,Dry'), '?dry_run=1')).toMatchObject({
      dry_run: true,
      inserted: 1,
    });
    expect(await snapshotTables(t.database)).toEqual(before);
    // dry_run=false is a real import.
    expect(await csvOk('teams', excel('external_id,name', 'wet-team,Wet'), '?dry_run=false')).toMatchObject({
      dry_run: false,
      inserted: 1,
    });
  });

  it('surveys inherit team and agent from their interaction in the rollups', async () => {
    const ids = Object.fromEntries(
      (
        await t.database.rows<{ external_id: string; id: number }>(
          sql`select external_id, id::int as id from teams union all select external_id, id::int from agents`,
        )
      ).map((r) => [r.external_id, r.id]),
    );
    const day = await t.database.rows<{
      day: string;
      team_id: number;
      channel: string;
      surveys: number;
      csat_n: number;
    }>(
      sql`select day::text, team_id::int, channel, surveys, csat_n from rollup_surveys_day where day between '2024-02-12' and '2024-02-13' order by day, team_id, channel`,
    );
    expect(day).toEqual(
      [
        // s1 names only i1: team support-east, channel phone.
        { day: '2024-02-12', team_id: ids['support-east']!, channel: 'phone', surveys: 1, csat_n: 1 },
        // s2 names i2 (chat) and its own team digital.
        { day: '2024-02-12', team_id: ids.digital!, channel: 'chat', surveys: 1, csat_n: 1 },
        // s3: no interaction; team from its agent a3 (digital), no channel. j1: i4 (digital, email).
        { day: '2024-02-13', team_id: ids.digital!, channel: '', surveys: 1, csat_n: 1 },
        { day: '2024-02-13', team_id: ids.digital!, channel: 'email', surveys: 1, csat_n: 1 },
      ].sort((a, b) => a.day.localeCompare(b.day) || a.team_id - b.team_id || a.channel.localeCompare(b.channel)),
    );
    const agent = await t.database.rows<{
      day: string;
      team_id: number;
      agent_id: number;
      channel: string;
      surveys: number;
    }>(
      sql`select day::text, team_id::int, agent_id::int, channel, surveys from rollup_surveys_agent where day = '2024-02-12' order by agent_id`,
    );
    expect(agent).toEqual([
      { day: '2024-02-12', team_id: ids['support-east']!, agent_id: ids.a1!, channel: 'phone', surveys: 1 },
      { day: '2024-02-12', team_id: ids.digital!, agent_id: ids.a2!, channel: 'chat', surveys: 1 },
    ]);
  });

  it('numbers past two billion are stored when the column holds them (integer seconds, numeric(14,2) money)', async () => {
    const waits = await csvOk(
      'interactions',
      excel(
        'external_id,occurred_at,team,answered,wait_seconds,handle_seconds',
        'big1,2024-02-15T09:00:00Z,quiet,yes,2100000000,2147483647',
        'big2,2024-02-15T10:00:00Z,quiet,yes,2147483646.6,3',
      ),
    );
    expect(waits).toMatchObject({ inserted: 2 });
    const money = await jsonOk('customers', [
      { external_id: 'rich1', monthly_value: 5e9 },
      { external_id: 'rich2', monthly_value: '999999999999.99' },
    ]);
    expect(money).toMatchObject({ inserted: 2 });
    expect(
      await t.database.rows(
        sql`select external_id, wait_seconds, handle_seconds from interactions where external_id like 'big%' order by external_id`,
      ),
    ).toEqual([
      { external_id: 'big1', wait_seconds: 2_100_000_000, handle_seconds: 2_147_483_647 },
      { external_id: 'big2', wait_seconds: 2_147_483_647, handle_seconds: 3 },
    ]);
    expect(
      await t.database.rows(
        sql`select external_id, monthly_value::text as v from customers where external_id like 'rich%' order by external_id`,
      ),
    ).toEqual([
      { external_id: 'rich1', v: '5000000000.00' },
      { external_id: 'rich2', v: '999999999999.99' },
    ]);
  });

  it('rollups match a full recomputation after all of it', async () => {
    const diff = await verifyRollups(t.database, 'UTC');
    expect(diff.length).toBeGreaterThan(5);
    expect(diff.filter((d) => d.extra + d.missing > 0)).toEqual([]);
    expect(diff.find((d) => d.table === 'rollup_interactions_day')!.stored).toBeGreaterThan(0);
  });
});

describe('ingest: ORG_TIMEZONE', () => {
  it('reads timestamps without an offset in the organisation time zone, across DST changes, as PostgreSQL does', async () => {
    const tz = 'America/Chicago';
    const app = await createTestApp({ env: { ORG_TIMEZONE: tz } });
    try {
      const cases: Array<[id: string, at: string, utc: string]> = [
        ['d1', '2024-03-10T01:30', '2024-03-10T07:30:00.000Z'], // CST, just before spring-forward
        ['d2', '2024-03-10T02:30', '2024-03-10T08:30:00.000Z'], // does not exist: shifted forward (03:30 CDT)
        ['d3', '2024-03-10T03:30', '2024-03-10T08:30:00.000Z'], // CDT
        ['d4', '2024-11-03T01:30', '2024-11-03T07:30:00.000Z'], // happens twice: the later (standard time)
        ['d5', '2024-02-13 23:30', '2024-02-14T05:30:00.000Z'], // late evening: still 13 February locally
        ['d6', '2024-02-13T23:30:00Z', '2024-02-13T23:30:00.000Z'], // an offset wins
        ['d7', '2024-07-01 12:00:00.5', '2024-07-01T17:00:00.500Z'],
        ['d8', '2024-07-01T12:00:00+02:00', '2024-07-01T10:00:00.000Z'],
      ];
      const answer = await csvOk(
        'interactions',
        excel('external_id,occurred_at,team', ...cases.map(([id, at]) => `${id},${at},t1`)),
        '',
        app,
      );
      expect(answer).toMatchObject({ inserted: cases.length });
      const stored = await app.database.rows<{ external_id: string; utc: string; pg: string | null }>(
        sql`select external_id, to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as utc from interactions order by external_id`,
      );
      expect(stored).toEqual(cases.map(([id, , utc]) => ({ external_id: id, utc })));
      // The same reading as PostgreSQL's own for the wall-clock times.
      for (const [id, at] of cases.filter(([, at]) => !/Z|[+-]\d\d:\d\d$/.test(at))) {
        const [row] = await app.database.rows<{ same: boolean }>(
          sql`select (select occurred_at from interactions where external_id = ${id}) = (${at}::timestamp at time zone ${tz}) as same`,
        );
        expect(row!.same, `${id} ${at}`).toBe(true);
      }
      const days = await app.database.rows<{ day: string; contacts: number }>(
        sql`select day::text, contacts from rollup_interactions_day order by day`,
      );
      expect(days).toEqual([
        { day: '2024-02-13', contacts: 2 },
        { day: '2024-03-10', contacts: 3 },
        { day: '2024-07-01', contacts: 2 },
        { day: '2024-11-03', contacts: 1 },
      ]);
      // Re-importing the same file changes nothing.
      const before = await snapshotTables(app.database);
      expect(
        await csvOk(
          'interactions',
          excel('external_id,occurred_at,team', ...cases.map(([id, at]) => `${id},${at},t1`)),
          '',
          app,
        ),
      ).toMatchObject({ unchanged: cases.length });
      expect(await snapshotTables(app.database)).toEqual(before);
      const diff = await verifyRollups(app.database, tz);
      expect(diff.filter((d) => d.extra + d.missing > 0)).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
