// Inference of a source's mapping from a file: the mapping proposed for a call export, a survey
// tool's ratings, e-commerce orders and reviews; the evidence for each guess and a question for
// each thing the file does not settle (date order, a 1–10 scale, a channel no one knows, the team).
import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { csvSource } from '../../api/ingest/sources';
import type { Kind } from '../../api/ingest/kinds';
import { inferMapping, InferenceError, teamFromFileName, type Inference, type Question } from '../../api/sources/infer';
import { MappingSchema, type Mapping } from '../../api/sources/mapping';
import type { Table } from '../../api/sources/read';
import { compileMapping, mapRow } from '../../api/sources/map-rows';

const CSV = { type: 'csv', delimiter: ',', encoding: 'utf-8', skip_rows: 0 } as const;

/** A table as the reader hands it on, `batch` rows at a time; the header is row 1. */
function tableOf(columns: string[], rows: string[][], batch = 500): Table {
  return {
    format: CSV,
    columns,
    rows: (async function* () {
      for (let i = 0; i < rows.length; i += batch)
        yield rows.slice(i, i + batch).map((cells, k) => ({ row: i + k + 2, cells }));
    })(),
  };
}

async function fixture(name: string): Promise<Table> {
  const path = fileURLToPath(new URL(`./fixtures/infer/${name}`, import.meta.url));
  const source = await csvSource(createReadStream(path));
  return { format: CSV, columns: source.columns, rows: source.rows };
}

/** A small deterministic generator (mulberry32), so the files are the same on every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pad = (n: number) => String(n).padStart(2, '0');

const CALL_HEADER = [
  'Call Id',
  'Agent',
  'Date',
  'Time',
  'Topic',
  'Answered (Y/N)',
  'Resolved',
  'Speed of answer in seconds',
  'AvgTalkDuration',
  'Satisfaction rating',
];
const AGENTS = ['Priya', 'Tom', 'Aisha', 'Marek', 'Lucia', 'Ben', 'Chen', 'Fatima'];
const TOPICS = ['Billing', 'Delivery', 'Returns', 'Account', 'Technical'];

/**
 * A contact centre's call export: 4,054 calls in March 2024, dates day first (13/03/2024 has a
 * day above 12), agents by first name, Y/N, talk time as h:mm:ss, a 1–5 rating on every 4th call.
 */
function calls(
  options: {
    n?: number;
    date?: (day: number) => string;
    time?: (h: number, m: number) => string;
    rating?: (r: () => number) => string;
  } = {},
) {
  const r = random(42);
  const n = options.n ?? 4054;
  const rows: string[][] = [];
  for (let i = 0; i < n; i++) {
    const day = 1 + (i % 31);
    const h = 8 + Math.floor(r() * 10);
    const m = Math.floor(r() * 60);
    const answered = r() > 0.05;
    const talk = 60 + Math.floor(r() * 600);
    rows.push([
      String(5_000_100 + i),
      AGENTS[Math.floor(r() * AGENTS.length)]!,
      options.date ? options.date(day) : `${pad(day)}/03/2024`,
      options.time ? options.time(h, m) : `${pad(h)}:${pad(m)}`,
      TOPICS[Math.floor(r() * TOPICS.length)]!,
      answered ? 'Y' : 'N',
      answered ? (r() > 0.3 ? 'Y' : 'N') : '',
      String(Math.floor(r() * 240)),
      `0:${pad(Math.floor(talk / 60))}:${pad(talk % 60)}`,
      i % 4 === 0 ? (options.rating ? options.rating(r) : String(1 + Math.floor(r() * 5))) : '',
    ]);
  }
  return rows;
}

/** The value at a JSON pointer. */
function at(doc: unknown, path: string): unknown {
  let v: unknown = doc;
  for (const part of path.split('/').slice(1)) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    v = v === undefined || v === null ? undefined : (v as Record<string, unknown>)[key];
  }
  return v;
}

/** The mapping with one question answered (option `k`). */
function answer(mapping: Mapping, q: Question, k: number): Mapping {
  const copy = structuredClone(mapping) as unknown as Record<string, unknown>;
  const value = q.options[k]!.value;
  for (const path of [q.path, ...(q.also ?? [])]) {
    const parts = path
      .split('/')
      .slice(1)
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = parts.pop()!;
    const parent = parts.reduce<Record<string, unknown>>((o, p) => o[p] as Record<string, unknown>, copy);
    if (value === undefined) delete parent[last];
    else parent[last] = structuredClone(value);
  }
  return MappingSchema.parse(copy);
}

/** What every inference must hold: a valid mapping holding each question's default, every answer valid. */
function checkInference(inf: Inference) {
  expect(MappingSchema.parse(inf.mapping)).toEqual(inf.mapping);
  for (const q of inf.questions) {
    expect(q.default).toBeGreaterThanOrEqual(0);
    expect(q.default).toBeLessThan(q.options.length);
    for (const path of [q.path, ...(q.also ?? [])])
      expect(at(inf.mapping, path), `${q.id} at ${path}`).toEqual(q.options[q.default]!.value);
    q.options.forEach((_, k) => expect(() => answer(inf.mapping, q, k)).not.toThrow());
  }
  const ids = inf.questions.map((q) => q.id);
  expect(new Set(ids).size).toBe(ids.length);
}

const messages = (inf: Inference) => inf.evidence.map((e) => e.message);
const output = (inf: Inference, kind: Kind) => inf.mapping.outputs.find((o) => o.kind === kind);

describe('a call export', () => {
  it('maps every column, with evidence, and asks only for the team', async () => {
    const rows = calls();
    const inf = await inferMapping(tableOf(CALL_HEADER, rows), {
      timeZone: 'Europe/London',
      fileName: 'calls-2024-03.csv',
    });
    checkInference(inf);
    expect(inf.rows).toBe(4054);
    expect(inf.columns).toEqual(CALL_HEADER);
    expect(inf.mapping.format).toEqual(CSV);
    const callTime = { columns: ['Date', 'Time'], transform: { type: 'datetime', order: 'dmy' } };
    expect(inf.mapping.outputs).toEqual([
      {
        kind: 'interactions',
        fields: {
          external_id: { column: 'Call Id' },
          occurred_at: callTime,
          team: { constant: 'Contact centre', lookup: { by: 'name', create: true } },
          channel: { constant: 'phone' },
          agent: { column: 'Agent', lookup: { by: 'name', create: true } },
          contact_reason: { column: 'Topic' },
          answered: { column: 'Answered (Y/N)', transform: { type: 'boolean', true: ['Y'], false: ['N'] } },
          resolved: { column: 'Resolved', transform: { type: 'boolean', true: ['Y'], false: ['N'] } },
          wait_seconds: { column: 'Speed of answer in seconds', transform: { type: 'duration', unit: 'seconds' } },
          handle_seconds: { column: 'AvgTalkDuration', transform: { type: 'duration', unit: 'h:mm:ss' } },
        },
      },
      {
        kind: 'surveys',
        fields: {
          external_id: { template: '{Call Id}-survey' },
          interaction: { column: 'Call Id' },
          responded_at: callTime,
          csat: { column: 'Satisfaction rating' },
        },
        only_when_any: ['csat'],
      },
    ]);

    // The only thing the file cannot say: which team (the default is already in the mapping).
    expect(inf.questions.map((q) => q.id)).toEqual(['team']);
    const team = inf.questions[0]!;
    expect(team.path).toBe('/outputs/0/fields/team');
    expect(team.options.map((o) => o.value)).toEqual([
      { constant: 'Contact centre', lookup: { by: 'name', create: true } },
      { constant: 'Calls', lookup: { by: 'name', create: true } },
    ]);
    expect(team.default).toBe(0);

    const ev = messages(inf);
    const talk = rows[0]![8]!;
    expect(ev).toContain(`\`AvgTalkDuration\`: 4,054 values like \`${talk}\`, read as h:mm:ss → handle_seconds`);
    expect(ev).toContain(
      '`Speed of answer in seconds`: 4,054 values like `' +
        rows[0]![7] +
        '`, read as seconds (the header says so) → wait_seconds',
    );
    expect(ev.find((m) => m.startsWith('`Date` + `Time`: 4,054 values like `01/03/2024'))).toMatch(
      /only read day-first \(e\.g\. `13\/03\/2024`\), none only month-first: day-first \(dmy\) → occurred_at; times without an offset are read in Europe\/London$/,
    );
    expect(ev.find((m) => m.startsWith('`Answered (Y/N)`: 4,054 values (`Y` '))).toMatch(
      /→ answered \(`Y` true, `N` false\)$/,
    );
    expect(ev.find((m) => m.startsWith('`Agent`: 8 names like `'))).toMatch(
      /→ agent, found by name; new names will be created$/,
    );
    expect(ev).toContain("`Call Id` → external_id (header matches 'call id'): 4,054 values, none repeated");
    expect(
      ev.find((m) =>
        m.startsWith(
          '`Satisfaction rating`: 1,014 ratings from 1 to 5 (3,040 rows without), a 1–5 scale → surveys.csat',
        ),
      ),
    ).toBeDefined();
    expect(ev).toContain(
      "No team column: every interaction goes to the team 'Contact centre' (created when new); a question asks which",
    );
    expect(ev.find((m) => m.startsWith('No channel column; the file is about calls'))).toMatch(/→ channel phone$/);
    expect(
      ev.find((m) => m.startsWith('Rows with a rating also give a survey (1,014 of 4,054 rows): `{Call Id}-survey`')),
    ).toBeDefined();
    const agent = inf.evidence.find((e) => e.field === 'agent')!;
    expect(agent).toMatchObject({ kind: 'interactions', column: 'Agent' });
  });

  it('imports as the mapping says: a rated call gives a survey, an unrated one none', async () => {
    const rows = calls({ n: 8 });
    const inf = await inferMapping(tableOf(CALL_HEADER, rows), { timeZone: 'Europe/London' });
    const [interactions, surveys] = compileMapping(inf.mapping, CALL_HEADER, 'Europe/London');
    const first = mapRow(interactions!, rows[0]!);
    expect(first.problems).toEqual([]);
    // 01/03/2024 at the row's time, London (GMT in March before the 31st).
    expect(first.values[1]).toBe(`2024-03-01T${rows[0]![3]}:00.000Z`);
    expect(mapRow(surveys!, rows[0]!).skip).toBe(false);
    expect(mapRow(surveys!, rows[1]!).skip).toBe(true);
  });

  it('checks known names and ids: agents already in by id are references, not names', async () => {
    const rows = calls({ n: 200 }).map((r) => [r[0]!, `AG-${AGENTS.indexOf(r[1]!) + 10}`, ...r.slice(2)]);
    const header = ['Call Id', 'Agent Id', ...CALL_HEADER.slice(2)];
    const knownIds = async (kind: Kind, values: string[]) =>
      kind === 'agents' ? values.filter((v) => v.startsWith('AG-')) : [];
    const inf = await inferMapping(tableOf(header, rows), { timeZone: 'UTC', knownIds });
    checkInference(inf);
    expect(output(inf, 'interactions')!.fields.agent).toEqual({ column: 'Agent Id' });
    expect(messages(inf)).toContain(
      '`Agent Id`: 8 of 8 values sampled are external ids of agents already imported → agent',
    );
  });

  it('names agents already in by name', async () => {
    const knownNames = async (kind: 'teams' | 'agents', names: string[]) =>
      kind === 'agents' ? names.filter((n) => n === 'Priya' || n === 'Tom') : ['Contact centre'];
    const inf = await inferMapping(tableOf(CALL_HEADER, calls({ n: 300 })), { timeZone: 'UTC', knownNames });
    checkInference(inf);
    expect(messages(inf).find((m) => m.startsWith('`Agent`: 8 names'))).toMatch(
      /2 of 8 are agents already in, the others will be created$/,
    );
    expect(inf.questions[0]!.options[0]!.label).toBe("The team 'Contact centre' (already in)");
  });

  it('asks the date order when no day is above 12, defaulting to day first', async () => {
    const rows = calls({ n: 500, date: (d) => `${pad(1 + (d % 12))}/03/2024` });
    const inf = await inferMapping(tableOf(CALL_HEADER, rows), { timeZone: 'UTC' });
    checkInference(inf);
    const q = inf.questions.find((x) => x.id === 'date-order:Date+Time')!;
    expect(q).toMatchObject({
      path: '/outputs/0/fields/occurred_at/transform/order',
      also: ['/outputs/1/fields/responded_at/transform/order'],
      default: 0,
      kind: 'interactions',
      field: 'occurred_at',
      column: 'Date',
    });
    expect(q.options.map((o) => o.value)).toEqual(['dmy', 'mdy']);
    expect(q.options[0]!.label).toBe(`Day first: \`${rows[0]![2]} ${rows[0]![3]}\` is 2 March 2024`);
    expect(q.options[1]!.label).toBe(`Month first: \`${rows[0]![2]} ${rows[0]![3]}\` is 3 February 2024`);
    expect(messages(inf).find((m) => m.startsWith('`Date` + `Time`'))).toMatch(
      /no value has a day above 12, so the order cannot be told: a question → occurred_at/,
    );
    // Answering month first changes the call and its survey alike.
    const us = answer(inf.mapping, q, 1);
    expect(
      us.outputs.map((o) => (o.kind === 'interactions' ? o.fields.occurred_at : o.fields.responded_at)?.transform),
    ).toEqual([
      { type: 'datetime', order: 'mdy' },
      { type: 'datetime', order: 'mdy' },
    ]);
  });

  it('defaults an undecidable date order to month first when times are written with AM/PM', async () => {
    const rows = calls({
      n: 300,
      date: (d) => `03/${pad(1 + (d % 12))}/2024`,
      time: (h, m) => `${((h + 11) % 12) + 1}:${pad(m)} ${h < 12 ? 'AM' : 'PM'}`,
    });
    const inf = await inferMapping(tableOf(CALL_HEADER, rows), { timeZone: 'America/Chicago' });
    checkInference(inf);
    const q = inf.questions.find((x) => x.id.startsWith('date-order:'))!;
    expect(q.default).toBe(1);
    expect(output(inf, 'interactions')!.fields.occurred_at).toEqual({
      columns: ['Date', 'Time'],
      transform: { type: 'datetime', order: 'mdy' },
    });
  });

  it('reads month-first dates when a second part is above 12', async () => {
    const rows = calls({ n: 300, date: (d) => `3/${d}/2024` });
    const inf = await inferMapping(tableOf(CALL_HEADER, rows), { timeZone: 'UTC' });
    checkInference(inf);
    expect(output(inf, 'interactions')!.fields.occurred_at!.transform).toEqual({ type: 'datetime', order: 'mdy' });
    expect(inf.questions.map((q) => q.id)).toEqual(['team']);
  });

  it('asks what a 1–10 rating is, defaulting to CSAT rescaled', async () => {
    const inf = await inferMapping(
      tableOf(CALL_HEADER, calls({ n: 400, rating: (r) => String(1 + Math.floor(r() * 10)) })),
      { timeZone: 'UTC' },
    );
    checkInference(inf);
    const q = inf.questions.find((x) => x.id === 'scale:Satisfaction rating')!;
    expect(q.path).toBe('/outputs/1');
    expect(inf.questions[0]).toBe(q);
    expect(q.options.map((o) => o.label)).toEqual([
      'CSAT: rescale 1–10 to 1–5 (10 → 5, 1 → 1)',
      'CSAT as it is: values above 5 are reported as problems',
      'NPS (0–10) as it is',
    ]);
    expect(q.default).toBe(0);
    expect(output(inf, 'surveys')!.fields.csat).toEqual({
      column: 'Satisfaction rating',
      transform: { type: 'scale', from: [1, 10], to: [1, 5], method: 'linear' },
    });
    const nps = answer(inf.mapping, q, 2).outputs[1]!;
    expect(nps.fields.nps).toEqual({ column: 'Satisfaction rating' });
    expect(nps.fields.csat).toBeUndefined();
    expect(nps.only_when_any).toEqual(['nps']);
  });

  it('reads a 0–10 "recommend" column as NPS without asking', async () => {
    const header = [...CALL_HEADER.slice(0, 9), 'How likely to recommend us'];
    const inf = await inferMapping(tableOf(header, calls({ n: 400, rating: (r) => String(Math.floor(r() * 11)) })), {
      timeZone: 'UTC',
    });
    checkInference(inf);
    expect(output(inf, 'surveys')!.fields.nps).toEqual({ column: 'How likely to recommend us' });
    expect(output(inf, 'surveys')!.only_when_any).toEqual(['nps']);
    expect(inf.questions.map((q) => q.id)).toEqual(['team']);
  });

  it('asks about a 0–10 satisfaction score, defaulting to CSAT rescaled', async () => {
    const inf = await inferMapping(
      tableOf(CALL_HEADER, calls({ n: 400, rating: (r) => String(Math.floor(r() * 11)) })),
      { timeZone: 'UTC' },
    );
    checkInference(inf);
    const q = inf.questions.find((x) => x.id === 'scale:Satisfaction rating')!;
    expect(q.options[q.default]!.label).toBe('CSAT: rescale 0–10 to 1–5 (10 → 5, 0 → 1)');
  });

  it('reads Abandoned as answered the other way round', async () => {
    const rows = calls({ n: 100 }).map((r) => [...r.slice(0, 5), r[5] === 'Y' ? 'No' : 'Yes', ...r.slice(6)]);
    const header = CALL_HEADER.map((h) => (h === 'Answered (Y/N)' ? 'Abandoned' : h));
    const inf = await inferMapping(tableOf(header, rows), { timeZone: 'UTC' });
    checkInference(inf);
    expect(output(inf, 'interactions')!.fields.answered).toEqual({
      column: 'Abandoned',
      transform: { type: 'boolean', true: ['No'], false: ['Yes'] },
    });
  });
});

describe('channels', () => {
  it('maps known channel names and asks about an unknown one, defaulting to other', async () => {
    const media = ['Voice', 'Live chat', 'E-mail', 'WhatsApp', 'Walk-in', 'Pigeon post'];
    const header = ['Ticket Id', 'Created', 'Channel', 'Team', 'Handle time (minutes)'];
    const rows = Array.from({ length: 120 }, (_, i) => [
      `T-${1000 + i}`,
      `2024-05-${pad(1 + (i % 28))}T10:${pad(i % 60)}:00Z`,
      media[i % media.length]!,
      i % 2 ? 'Billing' : 'Tech support',
      String((i % 9) + 0.5),
    ]);
    const inf = await inferMapping(tableOf(header, rows), { timeZone: 'UTC' });
    checkInference(inf);
    const o = output(inf, 'interactions')!;
    expect(o.fields.channel).toEqual({
      column: 'Channel',
      transform: {
        type: 'map',
        values: {
          Voice: 'phone',
          'Live chat': 'chat',
          'E-mail': 'email',
          WhatsApp: 'messaging',
          'Walk-in': 'in_person',
          'Pigeon post': 'other',
        },
        otherwise: 'error',
      },
    });
    expect(o.fields.occurred_at).toEqual({ column: 'Created', transform: { type: 'datetime', order: 'iso' } });
    expect(o.fields.team).toEqual({ column: 'Team', lookup: { by: 'name', create: true } });
    expect(o.fields.handle_seconds).toEqual({
      column: 'Handle time (minutes)',
      transform: { type: 'duration', unit: 'minutes' },
    });
    expect(inf.questions.map((q) => q.id)).toEqual(['channel:Pigeon post']);
    const q = inf.questions[0]!;
    expect(q.path).toBe('/outputs/0/fields/channel/transform/values/Pigeon post');
    expect(q.options[q.default]!.value).toBe('other');
    expect(q.options.map((x) => x.value)).toContain('self_service');
    expect(
      answer(
        inf.mapping,
        q,
        q.options.findIndex((x) => x.value === 'email'),
      ).outputs[0]!.fields.channel!.transform,
    ).toMatchObject({ values: { 'Pigeon post': 'email' } });
  });
});

describe('a survey tool export', () => {
  it('skips the question-text and import-id rows and reads the questions by their text', async () => {
    const calls = Array.from({ length: 30 }, (_, i) => `T-${500 + i}`);
    const knownIds = async (kind: Kind, values: string[]) =>
      kind === 'interactions' ? values.filter((v) => calls.includes(v)) : [];
    const inf = await inferMapping(await fixture('qualtrics_responses.csv'), { timeZone: 'America/Denver', knownIds });
    checkInference(inf);
    expect(inf.mapping.format).toEqual({ ...CSV, skip_rows: 2 });
    expect(inf.rows).toBe(30);
    expect(inf.mapping.outputs).toEqual([
      {
        kind: 'surveys',
        fields: {
          external_id: { column: 'ResponseId' },
          responded_at: { column: 'RecordedDate', transform: { type: 'datetime', order: 'iso' } },
          interaction: { column: 'ExternalReference' },
          csat: { column: 'Q1' },
          nps: { column: 'Q2' },
          comment: { column: 'Q3' },
        },
        only_when_any: ['csat', 'nps', 'comment'],
      },
    ]);
    expect(inf.questions).toEqual([]);
    const ev = messages(inf);
    expect(ev).toContain(
      'The first 2 rows under the header are more header, not records (`Start Date`, `{"ImportId":"StartDate"}`) → skipped (skip_rows 2)',
    );
    expect(ev).toContain(
      "`Q3` → comment (its question text says 'tell us'): 18 values like `Took too long`, `Quick and kind`; 12 empty",
    );
    expect(
      ev.find((m) => m.startsWith('`Q2`: 30 ratings from 0 to 10, a 0–10 likelihood to recommend → nps')),
    ).toBeDefined();
    // The NPS group is a label, not a rating; names and addresses stay out.
    expect(ev).toContain('`Q2_NPS_GROUP`: not used (30 values like `1`, `3`)');
    expect(ev).toContain(
      '`ExternalReference`: 30 of 30 values sampled (like `T-500`) are interactions already imported → interaction',
    );
  });
});

describe('a help desk export', () => {
  it('reads channels by their first words and links customers by id, not by name', async () => {
    const header = [
      'Id',
      'Requester',
      'Requester id',
      'Assignee',
      'Group',
      'Via',
      'Created at',
      'First reply time in minutes',
    ];
    const via = ['Web form', 'Email', 'Phone call (inbound)', 'Web Widget', 'Closed ticket'];
    const rows = Array.from({ length: 40 }, (_, i) => [
      String(1000 + i),
      ['Ann Lee', 'Bo Chan'][i % 2]!,
      String(900 + (i % 7)),
      ['Mia Wong', 'Raj Patel'][i % 2]!,
      ['Billing', 'Support'][i % 2]!,
      via[i % 5]!,
      `2024-05-${pad(1 + (i % 28))} 09:${pad(i)}`,
      String(i * 3),
    ]);
    const inf = await inferMapping(tableOf(header, rows), { timeZone: 'UTC' });
    checkInference(inf);
    const o = output(inf, 'interactions')!;
    expect(o.fields.customer).toEqual({ column: 'Requester id' });
    expect(o.fields.channel!.transform).toEqual({
      type: 'map',
      values: {
        'Web form': 'web',
        Email: 'email',
        'Phone call (inbound)': 'phone',
        'Web Widget': 'web',
        'Closed ticket': 'other',
      },
      otherwise: 'error',
    });
    expect(o.fields.team).toEqual({ column: 'Group', lookup: { by: 'name', create: true } });
    expect(o.fields.agent).toEqual({ column: 'Assignee', lookup: { by: 'name', create: true } });
    expect(inf.questions.map((q) => q.id)).toEqual(['channel:Closed ticket']);
  });
});

describe('orders and reviews', () => {
  it('reads an orders file as web interactions of a team named after the file', async () => {
    const knownIds = async () => [] as string[];
    const inf = await inferMapping(await fixture('olist_orders_dataset.csv'), {
      timeZone: 'America/Sao_Paulo',
      fileName: 'olist_orders_dataset.csv',
      knownIds,
    });
    checkInference(inf);
    expect(inf.mapping.outputs).toEqual([
      {
        kind: 'interactions',
        fields: {
          external_id: { column: 'order_id' },
          occurred_at: { column: 'order_purchase_timestamp', transform: { type: 'datetime', order: 'iso' } },
          team: { constant: 'Olist orders', lookup: { by: 'name', create: true } },
          channel: { constant: 'web' },
        },
      },
    ]);
    expect(inf.questions.map((q) => [q.id, q.path, q.default])).toEqual([
      ['team', '/outputs/0/fields/team', 0],
      ['channel', '/outputs/0/fields/channel', 0],
      ['ref:interactions.customer', '/outputs/0/fields/customer', 1],
    ]);
    const ev = messages(inf);
    expect(ev).toContain(
      '`order_purchase_timestamp`: 40 values like `2018-03-11 12:41:03`, read as ISO 8601 → occurred_at; times without an offset are read in America/Sao_Paulo',
    );
    expect(ev).toContain('No channel column: orders placed online → channel web; a question asks');
    expect(ev).toContain(
      "`customer_id` (header matches 'customer id'): only 0 of 40 values sampled are customers already imported: left out, and a question asks",
    );
    expect(ev).toContain('`order_status`: not used (40 values like `delivered`, `shipped`)');
    expect(ev).toContain(
      '`order_delivered_carrier_date`: not used (31 values like `2018-03-12 10:00:00`, `2018-09-28 10:00:00`; 9 empty)',
    );
  });

  it('reads a reviews file as surveys of the orders already in, with a composite key', async () => {
    const orders: string[] = [];
    for await (const batch of (await fixture('olist_orders_dataset.csv')).rows)
      for (const r of batch) orders.push(r.cells[0]!);
    const asked: Array<[Kind, number]> = [];
    const knownIds = async (kind: Kind, values: string[]) => {
      asked.push([kind, values.length]);
      return kind === 'interactions' ? values.filter((v) => orders.includes(v)) : [];
    };
    const inf = await inferMapping(await fixture('olist_order_reviews_dataset.csv'), {
      timeZone: 'UTC',
      fileName: 'olist_order_reviews_dataset.csv',
      knownIds,
    });
    checkInference(inf);
    expect(inf.mapping.outputs).toEqual([
      {
        kind: 'surveys',
        fields: {
          external_id: { template: '{review_id}:{order_id}' },
          responded_at: { column: 'review_answer_timestamp', transform: { type: 'datetime', order: 'iso' } },
          interaction: { column: 'order_id' },
          csat: { column: 'review_score' },
          comment: { template: '{review_comment_title} {review_comment_message}' },
        },
        only_when_any: ['csat', 'comment'],
      },
    ]);
    expect(inf.questions).toEqual([]);
    const ev = messages(inf);
    expect(
      ev.find((m) =>
        m.startsWith(
          "`review_id` (header matches 'review id') repeats with different data: 1 id on more than one row (e.g. `",
        ),
      ),
    ).toMatch(
      /`review_id` with `order_id` never repeats over 36 rows \(1 row repeating an earlier row exactly counts once\) → external_id `\{review_id\}:\{order_id\}`$/,
    );
    expect(ev).toContain(
      '`order_id`: 35 of 35 values sampled (like `' + orders[0] + '`) are interactions already imported → interaction',
    );
    expect(ev).toContain(
      '`review_comment_title` + `review_comment_message`: comment columns, joined as `{review_comment_title} {review_comment_message}` (empty when all are) → comment',
    );
    expect(asked).toContainEqual(['interactions', 35]);
  });

  it('links reviews by value when the order column is not named as one', async () => {
    const orders = ['o-1', 'o-2', 'o-3', 'o-4'];
    const header = ['Feedback Id', 'Ref', 'Stars', 'Submitted'];
    const rows = Array.from({ length: 40 }, (_, i) => [
      `f${i}`,
      orders[i % 4]!,
      String(1 + (i % 5)),
      `2024-04-${pad(1 + (i % 28))} 12:00`,
    ]);
    const knownIds = async (kind: Kind, values: string[]) =>
      kind === 'interactions' ? values.filter((v) => orders.includes(v)) : [];
    const inf = await inferMapping(tableOf(header, rows), { timeZone: 'UTC', knownIds });
    checkInference(inf);
    expect(output(inf, 'surveys')!.fields.interaction).toEqual({ column: 'Ref' });
    expect(messages(inf)).toContain(
      '`Ref` is not named as interaction, but its values are interactions already imported',
    );
  });
});

describe('keys', () => {
  it('proposes a composite key when an id repeats with different data, and not for exact repeats', async () => {
    const header = ['Response ID', 'Ticket ID', 'Rating', 'Date'];
    const rows = [
      ['r1', 't1', '5', '2024-01-02'],
      ['r2', 't2', '4', '2024-01-03'],
      ['r2', 't3', '4', '2024-01-03'],
      ['r3', 't4', '1', '2024-01-04'],
    ];
    const inf = await inferMapping(tableOf(header, rows), { timeZone: 'UTC' });
    checkInference(inf);
    expect(output(inf, 'surveys')!.fields.external_id).toEqual({ template: '{Response ID}:{Ticket ID}' });
    expect(output(inf, 'surveys')!.fields.interaction).toEqual({ column: 'Ticket ID' });

    const exact = await inferMapping(tableOf(header, [...rows.slice(0, 2), rows[1]!, rows[3]!]), { timeZone: 'UTC' });
    expect(output(exact, 'surveys')!.fields.external_id).toEqual({ column: 'Response ID' });
    expect(messages(exact)).toContain(
      "`Response ID` → external_id (header matches 'response id'): 4 values, no id with different data twice; 1 row repeats an earlier row exactly and counts once",
    );
  });

  it('derives the survey of a call keyed by two columns from both', async () => {
    const header = ['Call Id', 'Leg Id', ...CALL_HEADER.slice(1)];
    // Each call has two legs: the call id repeats with other data, call + leg never does.
    const rows = calls({ n: 200 }).map((r, i) => [String(7000 + Math.floor(i / 2)), String(i % 2), ...r.slice(1)]);
    const inf = await inferMapping(tableOf(header, rows), { timeZone: 'UTC' });
    checkInference(inf);
    expect(output(inf, 'interactions')!.fields.external_id).toEqual({ template: '{Call Id}:{Leg Id}' });
    expect(output(inf, 'surveys')!.fields).toMatchObject({
      external_id: { template: '{Call Id}:{Leg Id}-survey' },
      interaction: { template: '{Call Id}:{Leg Id}' },
    });
    expect(
      messages(inf).find((m) =>
        m.startsWith(
          "`Call Id` (header matches 'call id') repeats with different data: 100 ids on more than one row (e.g. `7000`)",
        ),
      ),
    ).toBeDefined();
  });

  it('scans at most maxRows rows and says so', async () => {
    const inf = await inferMapping(tableOf(CALL_HEADER, calls({ n: 1000 }), 64), { timeZone: 'UTC', maxRows: 300 });
    expect(inf.rows).toBe(300);
    expect(messages(inf)).toContain('Scanned the first 300 rows of the file: keys and formats are checked over those');
  });
});

describe('files it cannot map', () => {
  it('says why', async () => {
    await expect(inferMapping(tableOf(['a', 'b'], [['x', 'y']]), { timeZone: 'UTC' })).rejects.toThrow(InferenceError);
    await expect(inferMapping(tableOf(CALL_HEADER, []), { timeZone: 'UTC' })).rejects.toThrow(/no rows/);
  });
});

describe('team names from file names', () => {
  it('keeps the words, drops dates and export words', () => {
    expect(teamFromFileName('olist_orders_dataset.csv')).toBe('Olist orders');
    expect(teamFromFileName('/tmp/Calls-2024-03.csv')).toBe('Calls');
    expect(teamFromFileName('export_2024.xlsx')).toBeNull();
    expect(teamFromFileName(undefined)).toBeNull();
  });
});
