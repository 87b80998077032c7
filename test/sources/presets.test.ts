// The presets: each a valid mapping whose docs list exactly what it reads, and each sample export
// (written from the vendors' field references) imported end to end, every count worked out by hand.
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS } from '../../db/schema';
import { SPECS, type Kind } from '../../api/ingest/kinds';
import { columnsOf, MappingSchema, type Mapping } from '../../api/sources/mapping';
import { NOT_IMPORTED, PRESETS, presetById, type Preset } from '../../api/sources/presets';
import { openTable } from '../../api/sources/read';
import { compileMapping, mapRow, runSource, SourceRejected, type OpenTable } from '../../api/sources/run';
import type { SourceRow } from '../../api/ingest/sources';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { csv, ingestCsv } from '../helpers/ingest';

const FIXTURES = new URL('./fixtures/presets/', import.meta.url);
const SAMPLES: Record<string, string> = {
  'zendesk-tickets': 'zendesk-tickets.csv',
  'amazon-connect-ctr': 'amazon-connect-ctr.ndjson',
  'survey-responses': 'survey-responses.csv',
  'call-log-csat': 'call-log-csat.csv',
};

const preset = (id: string): Preset => {
  const p = presetById(id);
  if (!p) throw new Error(`no preset ${id}`);
  return p;
};

const path = (id: string) => fileURLToPath(new URL(SAMPLES[id]!, FIXTURES));
/** Opens a sample afresh for each pass of the engine, read as its preset's format says. */
const open =
  (id: string, mapping: Mapping): OpenTable =>
  () =>
    openTable(path(id), mapping.format);

/** Each row of a sample through each output of its preset: contract field → value, or null when skipped. */
async function mapSample(id: string, zone = 'UTC') {
  const { mapping } = preset(id);
  const table = await openTable(path(id), mapping.format);
  const outputs = compileMapping(mapping, table.columns, zone);
  const rows: SourceRow[] = [];
  for await (const batch of table.rows) rows.push(...batch);
  const skip = mapping.format.type === 'csv' ? mapping.format.skip_rows : 0;
  return rows.slice(skip).map((r) => {
    expect(r.problem, `${id} row ${r.row}`).toBeUndefined();
    const out: Partial<Record<Kind, Record<string, string | null> | null>> = {};
    for (const o of outputs) {
      const m = mapRow(o, r.cells);
      expect(m.problems, `${id} row ${r.row} (${o.kind})`).toEqual([]);
      const record: Record<string, string | null> = {};
      o.fields.forEach((f, i) => {
        if (o.output.fields[f.name]) record[f.name] = m.values[i] ?? null;
      });
      out[o.kind] = m.skip ? null : record;
    }
    return { row: r.row, ...out };
  });
}
type Mapped = Awaited<ReturnType<typeof mapSample>>;

describe('the presets', () => {
  it('are found by id; ids are unique and kebab-case', () => {
    expect(PRESETS.map((p) => p.id)).toEqual([
      'zendesk-tickets',
      'amazon-connect-ctr',
      'survey-responses',
      'call-log-csat',
    ]);
    for (const p of PRESETS) {
      expect(p.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(presetById(p.id)).toBe(p);
    }
    expect(presetById('no-such-preset')).toBeUndefined();
  });

  it.each(PRESETS.map((p) => [p.id, p] as const))('%s is a valid mapping with every default written out', (_, p) => {
    expect(MappingSchema.parse(p.mapping)).toEqual(p.mapping);
    expect(p.name.length).toBeGreaterThan(0);
    expect(p.description.length).toBeGreaterThan(100);
  });

  it.each(PRESETS.map((p) => [p.id, p] as const))(
    '%s documents exactly the columns it reads and what each becomes',
    (_, p) => {
      const reads = new Map<string, Set<string>>();
      for (const o of p.mapping.outputs) {
        for (const [field, f] of Object.entries(o.fields))
          for (const c of columnsOf(f)) (reads.get(c) ?? reads.set(c, new Set()).get(c)!).add(`${o.kind}.${field}`);
      }
      const documented = new Map(p.fields.map((f) => [f.column, f]));
      expect(documented.size, 'a column documented twice').toBe(p.fields.length);
      for (const [column, targets] of reads) {
        const doc = documented.get(column);
        expect(doc, `'${column}' is read but not documented`).toBeDefined();
        expect(new Set(doc!.becomes.split('; ')), column).toEqual(targets);
      }
      for (const f of p.fields) {
        if (f.becomes === NOT_IMPORTED)
          expect(reads.has(f.column), `'${f.column}' is documented as not imported but read`).toBe(false);
        else
          for (const target of f.becomes.split('; ')) {
            const [kind, field] = target.split('.') as [Kind, string];
            expect(
              SPECS[kind]?.fields.some((s) => s.name === field),
              target,
            ).toBe(true);
          }
      }
    },
  );

  it('never read personal contact data (phone numbers, e-mail addresses, IP addresses, locations, names of people asking)', () => {
    for (const p of PRESETS) {
      const read = p.mapping.outputs.flatMap((o) => Object.values(o.fields).flatMap(columnsOf));
      expect(
        read.filter((c) => /e-?mail|phone|address|endpoint|latitude|longitude|recipient|^requester$/i.test(c)),
        p.id,
      ).toEqual([]);
    }
  });

  it('give only channels of the contract', () => {
    for (const p of PRESETS) {
      for (const o of p.mapping.outputs) {
        const f = o.fields.channel;
        if (!f) continue;
        const values =
          f.constant !== undefined
            ? [f.constant]
            : f.transform?.type === 'map'
              ? Object.values(f.transform.values)
              : [];
        expect(values.length, p.id).toBeGreaterThan(0);
        for (const v of values) if (v !== null) expect(CHANNELS, `${p.id}: ${v}`).toContain(v);
      }
    }
  });

  it.each(Object.keys(SAMPLES))('%s has a sample of 10 to 30 records, each read without a problem', async (id) => {
    const rows = await mapSample(id);
    expect(rows.length).toBeGreaterThanOrEqual(10);
    expect(rows.length).toBeLessThanOrEqual(30);
  });
});

describe('zendesk-tickets', () => {
  let rows: Mapped;
  beforeAll(async () => {
    rows = await mapSample('zendesk-tickets');
  });
  const byId = (id: string) => rows.find((r) => r.interactions?.external_id === id)!;

  it('reads a ticket: group, assignee, channel, first reply and status', () => {
    expect(byId('48211').interactions).toEqual({
      external_id: '48211',
      occurred_at: '2025-03-03T08:12:40.000Z',
      team: 'Billing',
      agent: 'Priya Shah',
      channel: 'web',
      wait_seconds: '2280',
      resolved: 'true',
    });
    // A new ticket no group has taken: the team 'No group', no agent, no first reply yet.
    expect(byId('48217').interactions).toMatchObject({
      team: 'No group',
      agent: null,
      channel: 'other',
      wait_seconds: null,
      resolved: 'false',
    });
  });

  it('gives a survey for Good (5) and Bad (1) only, dated when the ticket was solved', () => {
    expect(byId('48211').surveys).toEqual({
      external_id: '48211-csat',
      responded_at: '2025-03-03T10:05:12.000Z',
      interaction: '48211',
      csat: '5',
      comment: 'Refund was sorted the same morning, thank you Priya!',
    });
    expect(byId('48220').surveys).toMatchObject({
      csat: '1',
      comment: 'Still waiting for the credit note, "processing" for a week now.',
    });
    for (const id of ['48213', '48215', '48221', '48227']) expect(byId(id).surveys, id).toBeNull();
  });

  it('names each of its channels', () => {
    const channel = Object.fromEntries(rows.map((r) => [r.interactions!.external_id, r.interactions!.channel]));
    expect(channel).toMatchObject({
      '48212': 'phone',
      '48213': 'email',
      '48214': 'chat',
      '48215': 'app',
      '48216': 'web',
      '48218': 'messaging',
      '48221': 'sms',
      '48222': 'social',
      '48223': 'phone',
      '48226': 'self_service',
      '48228': 'other',
    });
  });

  it('refuses a channel it does not know, naming it', async () => {
    const { mapping } = preset('zendesk-tickets');
    const table = await openTable(path('zendesk-tickets'), mapping.format);
    const [interactions] = compileMapping(mapping, table.columns, 'UTC');
    let cells: string[] = [];
    for await (const batch of table.rows) {
      cells = [...batch[0]!.cells];
      break;
    }
    cells[table.columns.indexOf('Via')] = 'Carrier pigeon';
    expect(mapRow(interactions!, cells).problems).toEqual([
      expect.objectContaining({
        field: 'channel',
        column: 'Via',
        reason: expect.stringContaining("'Carrier pigeon' is not one of the mapped values"),
      }),
    ]);
  });
});

describe('amazon-connect-ctr', () => {
  let rows: Mapped;
  beforeAll(async () => {
    rows = await mapSample('amazon-connect-ctr');
  });

  it('reads a contact: queue as team, agent by user name, seconds in queue and with the agent', () => {
    expect(rows[0]!.interactions).toEqual({
      external_id: '7b2e4c1a-9d3f-4e8b-a6c5-1f0e2d3c4b5a',
      occurred_at: '2025-03-04T08:58:12.000Z',
      team: 'Billing',
      channel: 'phone',
      agent: 'priya.shah',
      wait_seconds: '42',
      handle_seconds: '312',
      answered: 'true',
    });
    expect(rows[4]!.interactions).toMatchObject({ channel: 'chat', occurred_at: '2025-03-04T09:30:26.418Z' });
    expect(rows[5]!.interactions).toMatchObject({ channel: 'other', team: 'TechSupport', agent: 'jonas.weber' });
    expect(rows[6]!.interactions).toMatchObject({ channel: 'email', wait_seconds: '3600' });
  });

  it('leaves out contacts that never reached a queue', () => {
    expect(rows.filter((r) => r.interactions === null).map((r) => r.row)).toEqual([4, 12]);
  });

  it('answered: true when an agent was connected, false for a contact abandoned in the queue', () => {
    // Lines 3 and 10 reached a queue and no agent took them.
    expect(rows.filter((r) => r.interactions?.answered === 'false').map((r) => r.row)).toEqual([3, 10]);
    expect(rows.filter((r) => r.interactions?.answered === 'true')).toHaveLength(10);
  });
});

describe('survey-responses', () => {
  let rows: Mapped;
  beforeAll(async () => {
    rows = await mapSample('survey-responses');
  });

  it('skips the two header rows under the question ids', () => {
    expect(preset('survey-responses').mapping.format).toMatchObject({ type: 'csv', skip_rows: 2 });
    expect(rows[0]!.row).toBe(4);
  });

  it('reads a response: satisfaction, NPS, comment, permission to quote, the interaction asked about', () => {
    expect(rows[0]!.surveys).toEqual({
      external_id: 'R_2aXk9LmQ4vTzP1c',
      responded_at: '2025-03-04T09:59:54.000Z',
      interaction: '48211',
      csat: '5',
      nps: '10',
      comment: 'Refund was sorted the same morning.',
      may_quote: 'true',
    });
    const at = (id: string) => rows.find((r) => r.surveys?.external_id === id)!.surveys!;
    expect(at('R_1dFh7sWq2NbYe8r')).toMatchObject({ csat: '1', nps: '2', may_quote: 'false' });
    expect(at('R_8rTy2UiO6pAs9Df')).toMatchObject({ may_quote: 'false' });
    // An anonymous link names no interaction; a partial response keeps the answers it has.
    expect(at('R_7iOp9AsD3fGh5Jk')).toMatchObject({ interaction: null, csat: '4', nps: '7', may_quote: null });
    expect(at('R_5lZx1CvB4nMq7We')).toMatchObject({ csat: '4', nps: null, comment: null });
    expect(at('R_6aSd7FgH0jKl2Zx').comment).toBe('Fixed while I was still on the phone!');
    expect(at('R_9sDf2GhJ5kLzX0c').comment).toBe(
      'Replacement came in two days.\nReally happy with how it was handled.',
    );
  });

  it('gives no survey for a response with no answer', () => {
    // R_3mQw5ErT8yUi1Op: opened, nothing answered, closed as partial.
    expect(rows.filter((r) => r.surveys === null)).toHaveLength(1);
    expect(rows.map((r) => r.surveys?.external_id)).not.toContain('R_3mQw5ErT8yUi1Op');
    expect(rows.filter((r) => r.surveys !== null)).toHaveLength(14);
  });
});

describe('call-log-csat', () => {
  let rows: Mapped;
  beforeAll(async () => {
    rows = await mapSample('call-log-csat');
  });

  it('reads a call: day-first date and time, Y/N, h:mm:ss talk time, the constant team', () => {
    expect(rows[0]!.interactions).toEqual({
      external_id: 'ID0001',
      occurred_at: '2025-03-10T09:12:58.000Z',
      team: 'Contact centre',
      channel: 'phone',
      agent: 'Diane',
      contact_reason: 'Contract related',
      answered: 'true',
      wait_seconds: '109',
      handle_seconds: '143',
      resolved: 'true',
    });
    expect(rows[5]!.interactions).toMatchObject({
      external_id: 'ID0006',
      answered: 'false',
      resolved: 'false',
      wait_seconds: null,
      handle_seconds: null,
    });
    expect(rows[15]!.interactions!.occurred_at).toBe('2025-03-13T09:10:10.000Z');
  });

  it('gives a survey only for a rated call, its id derived from the call', () => {
    expect(rows[0]!.surveys).toEqual({
      external_id: 'ID0001-survey',
      responded_at: '2025-03-10T09:12:58.000Z',
      interaction: 'ID0001',
      csat: '3',
    });
    expect(rows.filter((r) => r.surveys === null).map((r) => r.interactions!.external_id)).toEqual([
      'ID0006',
      'ID0008',
      'ID0010',
      'ID0012',
      'ID0016',
      'ID0018',
      'ID0022',
      'ID0024',
    ]);
  });
});

describe('importing each sample', () => {
  // Each import in a database of its own: the samples share team and agent names.
  const databases: TestDatabase[] = [];
  afterAll(() => Promise.all(databases.map((d) => d.destroy())));
  const fresh = async () => {
    const d = await createTestDatabase();
    databases.push(d);
    return d;
  };
  const run = (d: TestDatabase, id: string, mapping = preset(id).mapping) =>
    runSource(d, mapping, open(id, mapping), { timeZone: 'UTC' });
  const counts = (inserted: number) => ({ inserted, updated: 0, unchanged: 0 });
  /** Importing the same file again changes nothing. */
  const again = async (d: TestDatabase, id: string) => {
    const r = await run(d, id);
    for (const [kind, c] of Object.entries(r.results)) expect(c, kind).toMatchObject({ inserted: 0, updated: 0 });
  };

  it('zendesk-tickets: 20 tickets, 10 rated, 4 groups (one for tickets without), 5 assignees', async () => {
    const d = await fresh();
    const r = await run(d, 'zendesk-tickets');
    expect(r.results).toEqual({ teams: counts(4), agents: counts(5), interactions: counts(20), surveys: counts(10) });
    const [t] = await d.rows<Record<string, number>>(sql`
      select count(*)::int as n, count(*) filter (where resolved)::int as resolved, count(*) filter (where not resolved)::int as open,
             count(wait_seconds)::int as waits, sum(wait_seconds)::int as wait_sum, count(agent_id)::int as with_agent
      from interactions where external_id like '482%'`);
    // Solved or closed: 14 of 20. First replies: 18 tickets, 2410 minutes in all.
    expect(t).toEqual({ n: 20, resolved: 14, open: 6, waits: 18, wait_sum: 2410 * 60, with_agent: 18 });
    const channels = await d.rows<{ channel: string; n: number }>(
      sql`select channel, count(*)::int as n from interactions where external_id like '482%' group by 1 order by 1`,
    );
    expect(channels).toEqual([
      { channel: 'app', n: 1 },
      { channel: 'chat', n: 3 },
      { channel: 'email', n: 3 },
      { channel: 'messaging', n: 1 },
      { channel: 'other', n: 2 },
      { channel: 'phone', n: 4 },
      { channel: 'self_service', n: 1 },
      { channel: 'sms', n: 1 },
      { channel: 'social', n: 1 },
      { channel: 'web', n: 3 },
    ]);
    const teams = await d.rows<{ team: string; n: number }>(
      sql`select t.name as team, count(*)::int as n from interactions i join teams t on t.id = i.team_id where i.external_id like '482%' group by 1 order by 1`,
    );
    expect(teams).toEqual([
      { team: 'Billing', n: 5 },
      { team: 'No group', n: 1 },
      { team: 'Orders', n: 7 },
      { team: 'Technical support', n: 7 },
    ]);
    // Good → 5 on 7 tickets, Bad → 1 on 3; 9 left a comment; none quotable without consent.
    const [s] = await d.rows<Record<string, number>>(sql`
      select count(*)::int as n, count(*) filter (where csat = 5)::int as good, count(*) filter (where csat = 1)::int as bad,
             count(comment)::int as comments, count(*) filter (where may_quote)::int as quotable, count(interaction_id)::int as linked
      from surveys where external_id like '%-csat'`);
    expect(s).toEqual({ n: 10, good: 7, bad: 3, comments: 9, quotable: 0, linked: 10 });
    const agents = await d.rows<{ name: string; team: string }>(
      sql`select a.name, t.name as team from agents a join teams t on t.id = a.team_id where a.name like '% %' order by 1`,
    );
    expect(agents).toEqual([
      { name: 'Ana Costa', team: 'Orders' },
      { name: 'Jonas Weber', team: 'Technical support' },
      { name: 'Mei Lin', team: 'Orders' },
      { name: 'Priya Shah', team: 'Billing' },
      { name: 'Tom Berg', team: 'Technical support' },
    ]);
    await again(d, 'zendesk-tickets');
  });

  it('amazon-connect-ctr: 12 contacts that reached a queue, 3 queues, 4 agents', async () => {
    const d = await fresh();
    const r = await run(d, 'amazon-connect-ctr');
    expect(r.results).toEqual({ teams: counts(3), agents: counts(4), interactions: counts(12) });
    const [t] = await d.rows<Record<string, number>>(sql`
      select count(*)::int as n, sum(wait_seconds)::int as wait_sum, count(handle_seconds)::int as handled, sum(handle_seconds)::int as handle_sum,
             count(*) filter (where channel = 'phone')::int as phone, count(*) filter (where channel = 'chat')::int as chat,
             count(*) filter (where channel = 'email')::int as email, count(*) filter (where channel = 'other')::int as other,
             count(*) filter (where not answered)::int as abandoned
      from interactions where external_id like '%-%-%-%-%'`);
    // Queue seconds 42+187+95+8+0+3600+0+30+140+12+20+65; agent seconds on the 10 contacts an agent took.
    expect(t).toEqual({
      n: 12,
      wait_sum: 4199,
      handled: 10,
      handle_sum: 5377,
      phone: 7,
      chat: 3,
      email: 1,
      other: 1,
      abandoned: 2,
    });
    const agents = await d.rows<{ name: string; team: string }>(
      sql`select a.name, t.name as team from agents a join teams t on t.id = a.team_id where a.name like '%.%' order by 1`,
    );
    expect(agents).toEqual([
      { name: 'jonas.weber', team: 'TechSupport' },
      { name: 'mei.lin', team: 'Sales' },
      { name: 'priya.shah', team: 'Billing' },
      { name: 'tom.berg', team: 'TechSupport' },
    ]);
    await again(d, 'amazon-connect-ctr');
  });

  it('survey-responses: 14 responses with an answer, linked to the tickets they asked about', async () => {
    // The responses name help-desk tickets: those interactions are imported first.
    const d = await fresh();
    const tickets = [
      '48211',
      '48212',
      '48213',
      '48214',
      '48216',
      '48218',
      '48219',
      '48220',
      '48221',
      '48222',
      '48224',
      '48225',
      '48229',
    ];
    await ingestCsv(d, 'teams', csv('external_id,name', 'help-desk,Help desk'));
    await ingestCsv(
      d,
      'interactions',
      csv('external_id,occurred_at,team,channel', ...tickets.map((t) => `${t},2025-03-03T09:00:00Z,help-desk,email`)),
    );
    const r = await run(d, 'survey-responses');
    expect(r.results).toEqual({ surveys: counts(14) });
    const [s] = await d.rows<Record<string, number>>(sql`
      select count(*)::int as n, count(csat)::int as csat_n, count(*) filter (where csat >= 4)::int as satisfied,
             count(nps)::int as nps_n, count(*) filter (where nps >= 9)::int as promoters, count(*) filter (where nps <= 6)::int as detractors,
             count(comment)::int as comments, count(*) filter (where may_quote)::int as quotable, count(interaction_id)::int as linked
      from surveys where external_id like 'R\_%'`);
    // csat 5,1,4,5,3,5,2,4,4,5,1,5,2 (13); nps 10,2,8,9,6,10,4,7,9,0,10,5,3 (13): 5 promoters, 6 detractors.
    expect(s).toEqual({
      n: 14,
      csat_n: 13,
      satisfied: 8,
      nps_n: 13,
      promoters: 5,
      detractors: 6,
      comments: 10,
      quotable: 6,
      linked: 13,
    });
    // A linked survey carries its interaction's team.
    const [team] = await d.rows<{ n: number }>(
      sql`select count(*)::int as n from surveys s join interactions i on i.id = s.interaction_id join teams t on t.id = i.team_id where t.external_id = 'help-desk'`,
    );
    expect(team?.n).toBe(13);
    await again(d, 'survey-responses');
  });

  it('survey-responses: the question-text rows are refused when not skipped', async () => {
    const d = await fresh();
    const mapping: Mapping = structuredClone(preset('survey-responses').mapping);
    if (mapping.format.type === 'csv') mapping.format.skip_rows = 0;
    const err = await run(d, 'survey-responses', mapping).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceRejected);
    expect((err as SourceRejected).problems.map((p) => p.row)).toContain(2);
  });

  it('call-log-csat: 25 calls, 17 rated, 8 agents in the team Contact centre', async () => {
    const d = await fresh();
    const r = await run(d, 'call-log-csat');
    expect(r.results).toEqual({ teams: counts(1), agents: counts(8), interactions: counts(25), surveys: counts(17) });
    const [t] = await d.rows<Record<string, number>>(sql`
      select count(*)::int as n, count(*) filter (where not answered)::int as unanswered, count(*) filter (where resolved)::int as resolved,
             sum(wait_seconds)::int as wait_sum, sum(handle_seconds)::int as handle_sum, count(distinct contact_reason_id)::int as reasons
      from interactions where external_id like 'ID00%'`);
    // 4 calls not answered; 17 resolved; 21 speeds of answer sum to 1155 s and 21 talk times to 4518 s.
    expect(t).toEqual({ n: 25, unanswered: 4, resolved: 17, wait_sum: 1155, handle_sum: 4518, reasons: 5 });
    const [s] = await d.rows<Record<string, number>>(sql`
      select count(*)::int as n, count(*) filter (where csat >= 4)::int as satisfied, sum(csat)::int as csat_sum, count(interaction_id)::int as linked
      from surveys where external_id like 'ID00%-survey'`);
    expect(s).toEqual({ n: 17, satisfied: 8, csat_sum: 56, linked: 17 });
    const [team] = await d.rows<{ name: string; agents: number }>(
      sql`select t.name, count(a.id)::int as agents from teams t join agents a on a.team_id = t.id where t.name = 'Contact centre' group by 1`,
    );
    expect(team).toEqual({ name: 'Contact centre', agents: 8 });
    await again(d, 'call-log-csat');
  });
});
