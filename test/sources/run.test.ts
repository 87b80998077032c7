// A call export through a source's mapping: one row → an interaction and (when rated) a survey,
// agents by first name created with their team, day-first dates, h:mm:ss, Y/N; all or nothing,
// importing again changes nothing, problems name the file's row and column.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MappingSchema, type Mapping } from '../../api/sources/mapping';
import { runSource, SourceRejected } from '../../api/sources/run';
import type { Table } from '../../api/sources/read';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { csv, ingestCsv } from '../helpers/ingest';
import { CALL_EXPORT_COLUMNS, CALL_EXPORT_MAPPING } from '../helpers/sources';

let d: TestDatabase;
beforeAll(async () => {
  d = await createTestDatabase();
});
afterAll(() => d.destroy());

const HEADER = CALL_EXPORT_COLUMNS;
/** A table as a reader hands it on: the header is row 1. */
const table =
  (rows: string[][]): (() => Promise<Table>) =>
  async () => ({
    format: { type: 'csv', delimiter: ',', encoding: 'utf-8', skip_rows: 0 },
    columns: HEADER,
    rows: (async function* () {
      yield rows.map((cells, i) => ({ row: i + 2, cells }));
    })(),
  });

const CALLS: Mapping = MappingSchema.parse(CALL_EXPORT_MAPPING);

const ROWS = [
  ['ID1001', 'Diane', '13/03/2024', '09:12:00', 'Billing', 'Y', 'Y', '20', '0:02:23', '5'],
  ['ID1002', 'Becky', '13/03/2024', '09:40:30', 'Password', 'Y', 'N', '65', '0:10:05', ''],
  ['ID1003', 'diane ', '14/03/2024', '14:03:00', 'Billing', 'N', '', '', '', ''],
  ['ID1004', 'Joe', '02/04/2024', '08:00:00', 'Refund', 'Y', 'Y', '7', '1:00:00', '2'],
];

describe('runSource', () => {
  it('imports a call export: interactions, surveys, agents and the team by name', async () => {
    const r = await runSource(d, CALLS, table(ROWS), { timeZone: 'Europe/London' });
    expect(r.results).toEqual({
      teams: { inserted: 1, updated: 0, unchanged: 0 },
      agents: { inserted: 3, updated: 0, unchanged: 0 },
      interactions: { inserted: 4, updated: 0, unchanged: 0 },
      surveys: { inserted: 2, updated: 0, unchanged: 0 },
    });
    const agents = await d.rows<{ external_id: string; name: string; team: string }>(
      sql`select a.external_id, a.name, t.external_id as team from agents a join teams t on t.id = a.team_id order by 1`,
    );
    expect(agents).toEqual([
      { external_id: 'name:becky', name: 'Becky', team: 'name:contact centre' },
      { external_id: 'name:diane', name: 'Diane', team: 'name:contact centre' },
      { external_id: 'name:joe', name: 'Joe', team: 'name:contact centre' },
    ]);
    const calls = await d.rows<Record<string, unknown>>(
      sql`select i.external_id, i.occurred_at::text as at, a.name as agent, i.answered, i.resolved, i.wait_seconds, i.handle_seconds
          from interactions i left join agents a on a.id = i.agent_id order by 1`,
    );
    expect(calls).toEqual([
      // 13 March is GMT in London; 2 April is BST (UTC+1).
      {
        external_id: 'ID1001',
        at: '2024-03-13 09:12:00+00',
        agent: 'Diane',
        answered: true,
        resolved: true,
        wait_seconds: 20,
        handle_seconds: 143,
      },
      {
        external_id: 'ID1002',
        at: '2024-03-13 09:40:30+00',
        agent: 'Becky',
        answered: true,
        resolved: false,
        wait_seconds: 65,
        handle_seconds: 605,
      },
      {
        external_id: 'ID1003',
        at: '2024-03-14 14:03:00+00',
        agent: 'Diane',
        answered: false,
        resolved: null,
        wait_seconds: null,
        handle_seconds: null,
      },
      {
        external_id: 'ID1004',
        at: '2024-04-02 07:00:00+00',
        agent: 'Joe',
        answered: true,
        resolved: true,
        wait_seconds: 7,
        handle_seconds: 3600,
      },
    ]);
    const surveys = await d.rows<Record<string, unknown>>(
      sql`select s.external_id, s.csat, i.external_id as interaction from surveys s join interactions i on i.id = s.interaction_id order by 1`,
    );
    expect(surveys).toEqual([
      { external_id: 'ID1001-survey', csat: 5, interaction: 'ID1001' },
      { external_id: 'ID1004-survey', csat: 2, interaction: 'ID1004' },
    ]);
  });

  it('importing the same file again reports every record unchanged', async () => {
    const r = await runSource(d, CALLS, table(ROWS), { timeZone: 'Europe/London' });
    expect(r.results).toEqual({
      teams: { inserted: 0, updated: 0, unchanged: 1 },
      agents: { inserted: 0, updated: 0, unchanged: 3 },
      interactions: { inserted: 0, updated: 0, unchanged: 4 },
      surveys: { inserted: 0, updated: 0, unchanged: 2 },
    });
  });

  it('finds an agent imported under its own id by name, and uses that id', async () => {
    await ingestCsv(d, 'teams', csv('external_id,name', 't9,Sales'));
    await ingestCsv(d, 'agents', csv('external_id,name,team', 'A-77,Priya Shah,t9'));
    const r = await runSource(
      d,
      CALLS,
      table([['ID2001', 'priya  shah', '05/04/2024', '10:00', 'Billing', 'Y', 'Y', '3', '0:01:00', '']]),
      { timeZone: 'UTC' },
    );
    expect(r.results.agents).toEqual({ inserted: 0, updated: 0, unchanged: 1 });
    const [row] = await d.rows<{ agent: string }>(
      sql`select a.external_id as agent from interactions i join agents a on a.id = i.agent_id where i.external_id = 'ID2001'`,
    );
    expect(row?.agent).toBe('A-77');
  });

  it('refuses a file with bad cells whole, naming the row and the column; writes nothing', async () => {
    const before = await d.rows<{ n: number }>(sql`select count(*)::int as n from interactions`);
    const bad = [
      ['ID3001', 'Nadia', '31/02/2024', '09:00', 'Billing', 'Y', 'Y', '5', '0:02:00', '4'],
      ['ID3002', 'Nadia', '01/03/2024', '09:00', 'Billing', 'maybe', 'Y', '5', '2 minutes', '9'],
    ];
    const err = await runSource(d, CALLS, table(bad), { timeZone: 'UTC' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceRejected);
    const problems = (err as SourceRejected).problems.map((p) => [p.row, p.kind, p.column, p.field]);
    expect(problems).toEqual([
      [2, 'interactions', 'Date + Time', 'occurred_at'],
      [3, 'interactions', 'Answered (Y/N)', 'answered'],
      [3, 'interactions', 'AvgTalkDuration', 'handle_seconds'],
    ]);
    expect((err as SourceRejected).problems[0]!.reason).toContain('day-first');
    const after = await d.rows<{ n: number }>(sql`select count(*)::int as n from interactions`);
    expect(after).toEqual(before);
    const agents = await d.rows<{ n: number }>(sql`select count(*)::int as n from agents where name = 'Nadia'`);
    expect(agents[0]!.n).toBe(0);
  });

  it('a problem in a later kind undoes the earlier kinds', async () => {
    const err = await runSource(
      d,
      CALLS,
      table([['ID4001', 'Omar', '01/05/2024', '09:00', 'Billing', 'Y', 'Y', '5', '0:02:00', '9']]),
      { timeZone: 'UTC' },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceRejected);
    const p = (err as SourceRejected).problems[0]!;
    expect([p.row, p.kind, p.column, p.field]).toEqual([2, 'surveys', 'Satisfaction rating', 'csat']);
    const n = await d.rows<{ n: number }>(
      sql`select (select count(*) from interactions where external_id = 'ID4001')::int + (select count(*) from agents where name = 'Omar')::int as n`,
    );
    expect(n[0]!.n).toBe(0);
  });

  it('a dry run counts and writes nothing', async () => {
    const r = await runSource(
      d,
      CALLS,
      table([['ID5001', 'Zoe', '01/05/2024', '09:00', 'Billing', 'Y', 'Y', '5', '0:02:00', '4']]),
      { timeZone: 'UTC', dryRun: true },
    );
    expect(r.results.interactions).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
    expect(r.results.agents).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
    const n = await d.rows<{ n: number }>(sql`select count(*)::int as n from agents where name = 'Zoe'`);
    expect(n[0]!.n).toBe(0);
  });

  it('a column the mapping names must be in the header', async () => {
    const open = async (): Promise<Table> => ({
      format: { type: 'csv', delimiter: ',', encoding: 'utf-8', skip_rows: 0 },
      columns: HEADER.filter((h) => h !== 'Topic'),
      rows: (async function* () {})(),
    });
    const err = await runSource(d, CALLS, open, { timeZone: 'UTC' }).catch((e: unknown) => e);
    expect((err as SourceRejected).problems).toEqual([
      expect.objectContaining({ row: 1, column: 'Topic', kind: 'interactions', field: 'contact_reason' }),
    ]);
  });
});

describe('mapping options', () => {
  it('an optional column absent from the file is read as empty, with a warning; a map falls back to a fixed value', async () => {
    const mapping = MappingSchema.parse({
      version: 1,
      format: { type: 'csv' },
      outputs: [
        {
          kind: 'interactions',
          fields: {
            external_id: { column: 'Call Id' },
            occurred_at: { columns: ['Date', 'Time'], transform: { type: 'datetime', order: 'dmy' } },
            team: { constant: 'Contact centre', lookup: { by: 'name', create: true } },
            channel: {
              column: 'Topic',
              transform: { type: 'map', values: { Billing: 'phone' }, otherwise: { value: 'other' } },
            },
            journey_stage: { column: 'Stage', optional: true },
          },
        },
      ],
    });
    const r = await runSource(
      d,
      mapping,
      table([
        ['OPT1', 'Ann', '01/06/2024', '09:00', 'Billing', 'Y', 'Y', '', '', ''],
        ['OPT2', 'Ann', '01/06/2024', '09:00', 'Fax', 'Y', 'Y', '', '', ''],
      ]),
      { timeZone: 'UTC' },
    );
    expect(r.warnings).toContain(
      "The file has no column 'Stage' (mapped to interactions.journey_stage): it is read as empty.",
    );
    const rows = await d.rows<{ external_id: string; channel: string; journey_stage_id: number | null }>(
      sql`select external_id, channel, journey_stage_id from interactions where external_id like 'OPT%' order by 1`,
    );
    expect(rows).toEqual([
      { external_id: 'OPT1', channel: 'phone', journey_stage_id: null },
      { external_id: 'OPT2', channel: 'other', journey_stage_id: null },
    ]);
  });
});

describe('names known beforehand', () => {
  it('a new name after chunks were written: those writes are undone and the file is read for its names', async () => {
    // Diane and Becky exist (first test); Quentin is new on the last row, after two chunks of one row each.
    const rows = [
      ['N1', 'Diane', '10/06/2024', '09:00', 'Billing', 'Y', 'Y', '5', '0:01:00', '5'],
      ['N2', 'Becky', '10/06/2024', '09:30', 'Billing', 'Y', 'Y', '5', '0:01:00', ''],
      ['N3', 'Quentin', '10/06/2024', '10:00', 'Billing', 'Y', 'Y', '5', '0:01:00', '4'],
    ];
    const r = await runSource(d, CALLS, table(rows), { timeZone: 'UTC', chunkRows: 1 });
    expect(r.results).toEqual({
      teams: { inserted: 0, updated: 0, unchanged: 1 },
      agents: { inserted: 1, updated: 0, unchanged: 2 },
      interactions: { inserted: 3, updated: 0, unchanged: 0 },
      surveys: { inserted: 2, updated: 0, unchanged: 0 },
    });
    expect(Object.keys(r.results)).toEqual(['teams', 'agents', 'interactions', 'surveys']);
    const calls = await d.rows<{ external_id: string; agent: string }>(
      sql`select i.external_id, a.external_id as agent from interactions i join agents a on a.id = i.agent_id where i.external_id like 'N_' order by 1`,
    );
    expect(calls).toEqual([
      { external_id: 'N1', agent: 'name:diane' },
      { external_id: 'N2', agent: 'name:becky' },
      { external_id: 'N3', agent: 'name:quentin' },
    ]);
    // Again: every name is known, one read of the file, all unchanged.
    const again = await runSource(d, CALLS, table(rows), { timeZone: 'UTC', chunkRows: 1 });
    expect(again.results).toEqual({
      teams: { inserted: 0, updated: 0, unchanged: 1 },
      agents: { inserted: 0, updated: 0, unchanged: 3 },
      interactions: { inserted: 0, updated: 0, unchanged: 3 },
      surveys: { inserted: 0, updated: 0, unchanged: 2 },
    });
  });

  it('two agents with one name stay a problem, whichever way the file is read', async () => {
    await ingestCsv(d, 'agents', csv('external_id,name,team', 'T-1,Sam Lee,t9', 'T-2,sam lee,t9'));
    const err = await runSource(
      d,
      CALLS,
      table([['S1', 'Sam Lee', '11/06/2024', '09:00', 'Billing', 'Y', 'Y', '5', '0:01:00', '']]),
      { timeZone: 'UTC' },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceRejected);
    expect((err as SourceRejected).problems[0]).toMatchObject({ row: 2, kind: 'agents', column: 'Agent' });
    expect((err as SourceRejected).problems[0]!.reason).toContain("2 agents are named 'Sam Lee'");
  });
});
