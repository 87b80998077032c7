// Table-driven bad input through POST /api/v1/ingest/{kind}: each case answers the right status,
// names the row and field of the first problem with a reason in plain words, and leaves every
// table exactly as it was.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, readProblem, type TestApp } from '../helpers/app';
import { publicTables, snapshotTables } from '../helpers/snapshot';

let t: TestApp;

const HEADERS = {
  teams: ['external_id', 'name', 'kind'],
  agents: ['external_id', 'name', 'team', 'hired_on', 'left_on'],
  customers: ['external_id', 'segment', 'started_on', 'churned_on', 'monthly_value'],
  interactions: [
    'external_id',
    'occurred_at',
    'team',
    'channel',
    'agent',
    'customer',
    'journey_stage',
    'contact_reason',
    'answered',
    'wait_seconds',
    'handle_seconds',
    'resolved',
  ],
  surveys: [
    'external_id',
    'responded_at',
    'interaction',
    'customer',
    'agent',
    'team',
    'csat',
    'nps',
    'effort',
    'comment',
    'may_quote',
  ],
  referrals: ['external_id', 'referred_at', 'customer', 'converted'],
} as const;
type K = keyof typeof HEADERS;

/** A valid row of each kind (new external ids), as cells by column name. */
const DEFAULTS: Record<K, Record<string, string>> = {
  teams: { external_id: 'nt1', name: 'New team', kind: 'support' },
  agents: { external_id: 'na1', name: 'New Agent', team: 't1', hired_on: '2024-01-02', left_on: '' },
  customers: { external_id: 'nc1', segment: 'smb', started_on: '2023-05-01', churned_on: '', monthly_value: '49.5' },
  interactions: {
    external_id: 'ni1',
    occurred_at: '2024-02-13T09:00:00Z',
    team: 't1',
    channel: 'phone',
    agent: 'a1',
    customer: 'c1',
    journey_stage: 'Billing',
    contact_reason: 'Refund',
    answered: 'yes',
    wait_seconds: '30',
    handle_seconds: '200',
    resolved: 'yes',
  },
  surveys: {
    external_id: 'ns1',
    responded_at: '2024-02-13T12:00:00Z',
    interaction: 'i1',
    customer: '',
    agent: '',
    team: '',
    csat: '4',
    nps: '9',
    effort: '2',
    comment: 'Fine',
    may_quote: 'no',
  },
  referrals: { external_id: 'nr1', referred_at: '2024-02-14T10:00:00Z', customer: 'c1', converted: 'n' },
};

const header = (kind: K) => HEADERS[kind].join(',');
/** One CSV line of `kind`: the valid defaults with some cells replaced. */
const line = (kind: K, over: Record<string, string> = {}) =>
  HEADERS[kind].map((c) => over[c] ?? DEFAULTS[kind][c] ?? '').join(',');
/** A whole CSV: the header and the given lines. */
const file = (kind: K, ...lines: string[]) => [header(kind), ...lines].join('\n') + '\n';
/** A CSV whose second data row (row 3) is the valid defaults with `over`. */
const second = (kind: K, over: Record<string, string>) =>
  file(kind, line(kind), line(kind, { external_id: `${DEFAULTS[kind].external_id}b`, ...over }));
/** A valid JSON object of `kind` with some fields replaced. */
const obj = (kind: K, over: Record<string, unknown> = {}): Record<string, unknown> => ({ ...DEFAULTS[kind], ...over });

interface BadCase {
  name: string;
  /** The kind in the URL (may be unknown on purpose). */
  kind: string;
  body?: string | Uint8Array | (() => BodyInit);
  /** JSON body (sets application/json). */
  json?: unknown;
  /** Content-Type; default text/csv for a body; null sends none. */
  type?: string | null;
  query?: string;
  status: number;
  /** The first problem (422). */
  row?: number;
  field?: string | null;
  reason?: RegExp | string;
  value?: string;
  total?: number;
  /** The problem's detail (any status). */
  detail?: RegExp;
  /** Longest time the answer may take. */
  maxMs?: number;
}

function randomGarbage(size: number, seed = 7): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    out[i] = x >> 16;
  }
  out[10] = 0x00; // a NUL
  out[11] = 0xff; // never valid in UTF-8
  out[12] = 0xc3; // a truncated sequence
  return out;
}

const CASES: BadCase[] = [
  // Wrong types and out-of-range numbers.
  {
    name: 'text in wait_seconds',
    kind: 'interactions',
    body: second('interactions', { wait_seconds: 'abc' }),
    status: 422,
    row: 3,
    field: 'wait_seconds',
    reason: "wait_seconds must be a number ≥ 0, got 'abc'",
    value: "'abc'",
  },
  {
    name: 'negative wait_seconds',
    kind: 'interactions',
    body: file('interactions', line('interactions', { wait_seconds: '-5' })),
    status: 422,
    row: 2,
    field: 'wait_seconds',
    reason: "wait_seconds must be a number ≥ 0, got '-5'",
    value: "'-5'",
  },
  {
    name: 'negative handle_seconds',
    kind: 'interactions',
    body: second('interactions', { handle_seconds: '-1' }),
    status: 422,
    row: 3,
    field: 'handle_seconds',
    reason: "handle_seconds must be a number ≥ 0, got '-1'",
  },
  // Past what the column holds (integer; numeric(14,2)), the reason says how much it can.
  {
    name: 'absurdly large wait_seconds',
    kind: 'interactions',
    body: second('interactions', { wait_seconds: '1e12' }),
    status: 422,
    row: 3,
    field: 'wait_seconds',
    reason: "wait_seconds must be at most 2,147,483,647, got '1e12'",
  },
  {
    name: 'wait_seconds one past the integer column',
    kind: 'interactions',
    body: second('interactions', { wait_seconds: '2147483648' }),
    status: 422,
    row: 3,
    field: 'wait_seconds',
    reason: "wait_seconds must be at most 2,147,483,647, got '2147483648'",
  },
  {
    name: 'handle_seconds 3e9',
    kind: 'interactions',
    body: second('interactions', { handle_seconds: '3000000000' }),
    status: 422,
    row: 3,
    field: 'handle_seconds',
    reason: "handle_seconds must be at most 2,147,483,647, got '3000000000'",
  },
  {
    name: 'monthly_value of a trillion',
    kind: 'customers',
    body: second('customers', { monthly_value: '1e12' }),
    status: 422,
    row: 3,
    field: 'monthly_value',
    reason: "monthly_value must be at most 999,999,999,999.99, got '1e12'",
  },
  {
    name: 'monthly_value that rounds to a trillion',
    kind: 'customers',
    body: second('customers', { monthly_value: '999999999999.996' }),
    status: 422,
    row: 3,
    field: 'monthly_value',
    reason: /^monthly_value must be at most 999,999,999,999\.99/,
  },
  {
    name: 'JSON monthly_value 1e300',
    kind: 'customers',
    json: [obj('customers', { monthly_value: 1e300 })],
    status: 422,
    row: 1,
    field: 'monthly_value',
    reason: "monthly_value must be at most 999,999,999,999.99, got '1e+300'",
  },
  {
    name: 'csat "abc"',
    kind: 'surveys',
    body: second('surveys', { csat: 'abc' }),
    status: 422,
    row: 3,
    field: 'csat',
    reason: "csat must be a whole number between 1 and 5, got 'abc'",
  },
  {
    name: 'csat 0',
    kind: 'surveys',
    body: second('surveys', { csat: '0' }),
    status: 422,
    row: 3,
    field: 'csat',
    reason: "csat must be a whole number between 1 and 5, got '0'",
  },
  {
    name: 'csat 6',
    kind: 'surveys',
    body: second('surveys', { csat: '6' }),
    status: 422,
    row: 3,
    field: 'csat',
    reason: /csat must be a whole number between 1 and 5, got '6'/,
  },
  {
    name: 'csat 4.5',
    kind: 'surveys',
    body: second('surveys', { csat: '4.5' }),
    status: 422,
    row: 3,
    field: 'csat',
    reason: /csat must be a whole number between 1 and 5, got '4\.5'/,
  },
  {
    name: 'nps 11',
    kind: 'surveys',
    body: second('surveys', { nps: '11' }),
    status: 422,
    row: 3,
    field: 'nps',
    reason: "nps must be a whole number between 0 and 10, got '11'",
  },
  {
    name: 'nps -1',
    kind: 'surveys',
    body: second('surveys', { nps: '-1' }),
    status: 422,
    row: 3,
    field: 'nps',
    reason: "nps must be a whole number between 0 and 10, got '-1'",
  },
  {
    name: 'nps "ten"',
    kind: 'surveys',
    body: second('surveys', { nps: 'ten' }),
    status: 422,
    row: 3,
    field: 'nps',
    reason: /nps must be a whole number between 0 and 10, got 'ten'/,
  },
  {
    name: 'effort 8',
    kind: 'surveys',
    body: second('surveys', { effort: '8' }),
    status: 422,
    row: 3,
    field: 'effort',
    reason: "effort must be a whole number between 1 and 7, got '8'",
  },
  {
    name: 'negative monthly_value',
    kind: 'customers',
    body: second('customers', { monthly_value: '-10' }),
    status: 422,
    row: 3,
    field: 'monthly_value',
    reason: "monthly_value must be a number ≥ 0, got '-10'",
  },
  // Dates and timestamps.
  {
    name: 'date 2024-02-30',
    kind: 'agents',
    body: second('agents', { hired_on: '2024-02-30' }),
    status: 422,
    row: 3,
    field: 'hired_on',
    reason: "hired_on must be a date YYYY-MM-DD, got '2024-02-30'",
  },
  {
    name: 'date 13/02/2024',
    kind: 'customers',
    body: second('customers', { started_on: '13/02/2024' }),
    status: 422,
    row: 3,
    field: 'started_on',
    reason: "started_on must be a date YYYY-MM-DD, got '13/02/2024'",
  },
  {
    name: 'date 2024-2-3',
    kind: 'agents',
    body: second('agents', { left_on: '2024-2-3' }),
    status: 422,
    row: 3,
    field: 'left_on',
    reason: "left_on must be a date YYYY-MM-DD, got '2024-2-3'",
  },
  {
    name: 'timestamp hour 25',
    kind: 'interactions',
    body: second('interactions', { occurred_at: '2024-02-13T25:00' }),
    status: 422,
    row: 3,
    field: 'occurred_at',
    reason: /^occurred_at must be an ISO 8601 timestamp .*, got '2024-02-13T25:00'$/,
  },
  {
    name: 'timestamp "yesterday"',
    kind: 'surveys',
    body: second('surveys', { responded_at: 'yesterday' }),
    status: 422,
    row: 3,
    field: 'responded_at',
    reason: /^responded_at must be an ISO 8601 timestamp .*, got 'yesterday'$/,
  },
  {
    name: 'timestamp 29 February of a common year',
    kind: 'referrals',
    body: second('referrals', { referred_at: '2023-02-29T10:00:00Z' }),
    status: 422,
    row: 3,
    field: 'referred_at',
    reason: /referred_at must be an ISO 8601 timestamp/,
  },
  {
    name: 'timestamp with offset +25:00',
    kind: 'interactions',
    body: second('interactions', { occurred_at: '2024-02-13T09:00:00+25:00' }),
    status: 422,
    row: 3,
    field: 'occurred_at',
    reason: /got '2024-02-13T09:00:00\+25:00'/,
  },
  // Booleans and enumerations.
  {
    name: 'boolean "maybe"',
    kind: 'interactions',
    body: second('interactions', { answered: 'maybe' }),
    status: 422,
    row: 3,
    field: 'answered',
    reason: "answered must be true/false, yes/no, y/n or 1/0, got 'maybe'",
  },
  {
    name: 'channel "fax"',
    kind: 'interactions',
    body: second('interactions', { channel: 'fax' }),
    status: 422,
    row: 3,
    field: 'channel',
    reason:
      "channel must be one of phone, chat, email, social, in_person, other, web, app, sms, messaging, video, self_service, got 'fax'",
  },
  {
    name: 'team kind "marketing"',
    kind: 'teams',
    body: second('teams', { kind: 'marketing' }),
    status: 422,
    row: 3,
    field: 'kind',
    reason: /^kind must be one of support, sales, success, product, digital, facilities, other, got 'marketing'$/,
  },
  // Required columns and values.
  {
    name: 'header without the required column team',
    kind: 'interactions',
    body: ['external_id,occurred_at,channel', 'ni1,2024-02-13T09:00:00Z,phone', 'ni2,not a time,fax'].join('\n'),
    status: 422,
    row: 1,
    field: 'team',
    reason: "the required column 'team' is missing from the header",
    total: 1, // rejected before any row is read: the bad row 3 is not even looked at
  },
  {
    name: 'header without external_id',
    kind: 'teams',
    body: 'name,kind\nSupport,support\n',
    status: 422,
    row: 1,
    field: 'external_id',
    reason: /required column 'external_id' is missing/,
  },
  {
    name: 'a column named twice in the header',
    kind: 'teams',
    body: 'external_id,name,name\nnt1,A,B\n',
    status: 422,
    row: 1,
    field: 'name',
    reason: "the column 'name' appears twice in the header",
  },
  {
    name: 'empty occurred_at',
    kind: 'interactions',
    body: second('interactions', { occurred_at: '' }),
    status: 422,
    row: 3,
    field: 'occurred_at',
    reason: 'occurred_at is required',
  },
  {
    name: 'blank external_id',
    kind: 'customers',
    body: second('customers', { external_id: '   ' }),
    status: 422,
    row: 3,
    field: 'external_id',
    reason: 'external_id is required',
  },
  {
    name: 'a name longer than 200 characters',
    kind: 'agents',
    body: second('agents', { name: 'x'.repeat(201) }),
    status: 422,
    row: 3,
    field: 'name',
    reason: 'name must be at most 200 characters, got 201',
  },
  // Cross-field checks.
  {
    name: 'left_on before hired_on',
    kind: 'agents',
    body: second('agents', { hired_on: '2024-03-01', left_on: '2024-02-01' }),
    status: 422,
    row: 3,
    field: 'left_on',
    reason: 'left_on must not be before hired_on (2024-03-01)',
  },
  {
    name: 'churned_on before started_on',
    kind: 'customers',
    body: second('customers', { started_on: '2024-03-01', churned_on: '2023-12-31' }),
    status: 422,
    row: 3,
    field: 'churned_on',
    reason: 'churned_on must not be before started_on (2024-03-01)',
  },
  // Unknown references.
  {
    name: 'unknown team',
    kind: 'interactions',
    body: second('interactions', { team: 't9' }),
    status: 422,
    row: 3,
    field: 'team',
    reason: /^team 't9' is not a known team/,
  },
  {
    name: 'unknown agent',
    kind: 'interactions',
    body: second('interactions', { agent: 'a9' }),
    status: 422,
    row: 3,
    field: 'agent',
    reason: /^agent 'a9' is not a known agent/,
  },
  {
    name: 'unknown customer (referral)',
    kind: 'referrals',
    body: second('referrals', { customer: 'c9' }),
    status: 422,
    row: 3,
    field: 'customer',
    reason: /^customer 'c9' is not a known customer/,
  },
  {
    name: 'unknown interaction (survey)',
    kind: 'surveys',
    body: second('surveys', { interaction: 'i9' }),
    status: 422,
    row: 3,
    field: 'interaction',
    reason: /^interaction 'i9' is not a known interaction/,
  },
  {
    name: "unknown agent's team",
    kind: 'agents',
    body: second('agents', { team: 'nope' }),
    status: 422,
    row: 3,
    field: 'team',
    reason: /^team 'nope' is not a known team/,
  },
  // Duplicates with different values.
  {
    name: 'one external_id twice with different values',
    kind: 'interactions',
    body: file(
      'interactions',
      line('interactions'),
      line('interactions', { external_id: 'ni2' }),
      line('interactions', { wait_seconds: '31' }),
    ),
    status: 422,
    row: 4,
    field: 'external_id',
    reason: /external_id 'ni1' appears in rows 2, 4 with different values/,
    total: 1,
  },
  // Malformed CSV.
  {
    name: 'unterminated quote',
    kind: 'teams',
    body: file('teams', line('teams'), 'nt2,"Never closed,support', 'nt3,Other,support'),
    status: 422,
    row: 3,
    field: null,
    reason: /unterminated quote/,
  },
  {
    name: 'text after a closing quote',
    kind: 'teams',
    body: file('teams', line('teams'), 'nt2,"Billing"x,support'),
    status: 422,
    row: 3,
    field: null,
    reason: /unexpected text after a closing quote/,
  },
  {
    name: 'a quote in the middle of an unquoted field',
    kind: 'teams',
    body: file('teams', line('teams'), 'nt2,Bill"ing,support'),
    status: 422,
    row: 3,
    field: null,
    reason: /quote in the middle of an unquoted field/,
  },
  {
    name: 'row numbers count a multi-line quoted record as one row',
    kind: 'surveys',
    body: file(
      'surveys',
      line('surveys', { comment: '"one\r\ntwo\nthree"' }),
      line('surveys', { external_id: 'ns2', effort: '0' }),
    ),
    status: 422,
    row: 3,
    field: 'effort',
    reason: "effort must be a whole number between 1 and 7, got '0'",
  },
  {
    name: 'row numbers count an empty line as a row',
    kind: 'teams',
    body: file('teams', line('teams'), '', line('teams', { external_id: 'nt2', kind: 'hr' })),
    status: 422,
    row: 4,
    field: 'kind',
    reason: /got 'hr'$/,
  },
  {
    name: 'a row with too many fields',
    kind: 'teams',
    body: file('teams', line('teams'), 'nt2,Two,support,extra'),
    status: 422,
    row: 3,
    field: null,
    reason: 'has 4 fields; the header has 3',
  },
  {
    name: 'a row with too few fields',
    kind: 'interactions',
    body: file('interactions', line('interactions'), 'ni2,2024-02-13T09:00:00Z,t1'),
    status: 422,
    row: 3,
    field: null,
    reason: 'has 3 fields; the header has 12',
  },
  {
    name: 'a 10 MB single field',
    kind: 'surveys',
    body: () => file('surveys', line('surveys', { comment: `"${'word '.repeat(2_000_000)}"` })),
    status: 422,
    row: 2,
    field: null,
    reason: /a field is longer than 1,000,000 characters/,
    maxMs: 5000,
  },
  {
    name: 'a 10 MB line of commas',
    kind: 'teams',
    body: () => file('teams', line('teams'), ','.repeat(10_000_000)),
    status: 422,
    row: 3,
    field: null,
    reason: 'a row has more than 10,000 fields',
    maxMs: 5000,
  },
  {
    name: 'a 10 MB header of commas',
    kind: 'teams',
    body: () => `${','.repeat(10_000_000)}\n${line('teams')}\n`,
    status: 422,
    row: 1,
    field: null,
    reason: 'a row has more than 10,000 fields',
    maxMs: 5000,
  },
  {
    name: 'binary garbage (NUL, invalid UTF-8)',
    kind: 'interactions',
    body: randomGarbage(4096),
    type: 'text/csv',
    status: 422,
    field: null,
    reason: /not UTF-8 text|NUL bytes/,
  },
  {
    name: 'NUL bytes in UTF-8 text',
    kind: 'teams',
    body: file('teams', line('teams', { name: 'A\u0000B' })),
    status: 422,
    field: null,
    reason: /NUL bytes/,
  },
  {
    name: 'invalid UTF-8 after valid rows',
    kind: 'teams',
    body: new Uint8Array([
      ...new TextEncoder().encode(file('teams', line('teams'))),
      0x6e,
      0x74,
      0x32,
      0x2c,
      0xc3,
      0x28,
      0x2c,
      0x0a,
    ]),
    status: 422,
    field: null,
    reason: /not UTF-8 text/,
  },
  {
    name: 'empty file (0 bytes)',
    kind: 'teams',
    body: new Uint8Array(0),
    type: 'text/csv',
    status: 422,
    row: 1,
    field: null,
    reason: /the file is empty/,
  },
  // JSON.
  {
    name: 'JSON that is not an array',
    kind: 'teams',
    json: { external_id: 'nt1', name: 'A' },
    status: 422,
    field: null,
    reason: /must be an array of objects/,
  },
  {
    name: 'a JSON item that is not an object',
    kind: 'teams',
    json: [obj('teams'), 'nt2,Two', obj('teams', { external_id: 'nt3' })],
    status: 422,
    row: 2,
    field: null,
    reason: /each item must be an object/,
  },
  {
    name: 'a JSON array item',
    kind: 'teams',
    json: [['nt1', 'A']],
    status: 422,
    row: 1,
    field: null,
    reason: /each item must be an object/,
  },
  {
    name: 'a nested JSON value',
    kind: 'teams',
    json: [obj('teams'), obj('teams', { external_id: 'nt2', name: { first: 'A' } })],
    status: 422,
    row: 2,
    field: 'name',
    reason: /must be a string, number, boolean or null/,
  },
  {
    // JSON.parse reads it; anything recursing through it (e.g. JSON.stringify) would overflow the stack.
    name: 'a JSON value nested 100,000 deep inside a row',
    kind: 'teams',
    type: 'application/json',
    body: () =>
      `[${JSON.stringify(obj('teams'))},{"external_id":"nt2","name":${'['.repeat(100_000)}${']'.repeat(100_000)}}]`,
    status: 422,
    row: 2,
    field: 'name',
    reason: /must be a string, number, boolean or null/,
    value: '[[[[…]]]]',
  },
  {
    name: 'invalid JSON text',
    kind: 'teams',
    body: '[{"external_id": "nt1", "name": "A"',
    type: 'application/json',
    status: 422,
    field: null,
    reason: /not valid JSON/,
  },
  {
    name: 'JSON that is not UTF-8 (Latin-1)',
    kind: 'agents',
    body: new Uint8Array([
      ...new TextEncoder().encode('[{"external_id":"na1","name":"M'),
      0xfc,
      ...new TextEncoder().encode('ller","team":"t1"}]'),
    ]),
    type: 'application/json',
    status: 422,
    field: null,
    reason: /not UTF-8 text/,
  },
  {
    name: 'JSON object missing a required field',
    kind: 'interactions',
    json: [obj('interactions', { occurred_at: undefined })],
    status: 422,
    row: 1,
    field: 'occurred_at',
    reason: 'occurred_at is required',
  },
  {
    name: 'JSON wrong type (csat true)',
    kind: 'surveys',
    json: [obj('surveys', { csat: true })],
    status: 422,
    row: 1,
    field: 'csat',
    reason: "csat must be a whole number between 1 and 5, got 'true'",
  },
  {
    name: 'JSON 10 MB comment',
    kind: 'surveys',
    json: [obj('surveys', { comment: 'x'.repeat(10_000_000) })],
    status: 422,
    row: 1,
    field: 'comment',
    reason: /comment must be at most 10,000 characters, got 10,000,000/,
  },
  {
    name: 'JSON string with a NUL character',
    kind: 'teams',
    json: [obj('teams', { name: 'A\u0000B' })],
    status: 422,
    row: 1,
    field: 'name',
    reason: /NUL/,
  },
  {
    name: 'JSON string with a lone surrogate',
    kind: 'teams',
    json: [obj('teams', { name: 'A\ud800B' })],
    status: 422,
    row: 1,
    field: 'name',
    reason: /Unicode/,
  },
  // The request itself.
  {
    name: 'wrong content type (text/xml)',
    kind: 'teams',
    body: '<teams/>',
    type: 'text/xml',
    status: 415,
    detail: /text\/csv or application\/json, not text\/xml/,
  },
  {
    name: 'no content type',
    kind: 'teams',
    body: new TextEncoder().encode(file('teams', line('teams'))),
    type: null,
    status: 415,
    detail: /no Content-Type/,
  },
  {
    name: 'unknown kind',
    kind: 'widgets',
    body: file('teams', line('teams')),
    status: 404,
    detail: /Unknown kind 'widgets'/,
  },
  {
    name: 'dry_run=maybe',
    kind: 'teams',
    body: file('teams', line('teams')),
    query: '?dry_run=maybe',
    status: 400,
    detail: /dry_run/,
  },
  { name: 'JSON content type without a body', kind: 'teams', type: 'application/json', status: 400, detail: /no body/ },
  {
    name: 'a JSON batch over the size limit',
    kind: 'teams',
    type: 'application/json',
    body: () => {
      // 65 MB, made as it is read.
      const chunk = new TextEncoder().encode(' '.repeat(1024 * 1024));
      let sent = 0;
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent++ < 65) controller.enqueue(chunk);
          else controller.close();
        },
      });
    },
    status: 413,
    detail: /at most 64 MB/,
  },
];

async function send(c: BadCase): Promise<Response> {
  const path = `/api/v1/ingest/${c.kind}${c.query ?? ''}`;
  if (c.json !== undefined) return t.request(path, { method: 'POST', token: t.tokens.admin, json: c.json });
  const headers: Record<string, string> = {};
  if (c.type !== null) headers['content-type'] = c.type ?? 'text/csv';
  const body = typeof c.body === 'function' ? c.body() : c.body;
  const init: RequestInit & { token: string; duplex?: string } = {
    method: 'POST',
    token: t.tokens.admin,
    headers,
    body: body as BodyInit | undefined,
  };
  if (body instanceof ReadableStream) init.duplex = 'half';
  return t.request(path, init);
}

interface Rejection {
  status: number;
  detail: string;
  total_problems: number;
  problems: Array<{ row: number; field: string | null; value: string | null; reason: string }>;
  warnings: string[];
}

beforeAll(async () => {
  t = await createTestApp();
  // A small valid base for references (teams t1 and t2 exist already).
  const seed: Array<[K, string]> = [
    ['agents', file('agents', 'a1,Priya Shah,t1,2023-01-02,', 'a2,Tom Berg,t2,2023-06-01,')],
    ['customers', file('customers', 'c1,smb,2022-01-01,,49', 'c2,enterprise,2021-05-01,,990.5')],
    [
      'interactions',
      file(
        'interactions',
        'i1,2024-02-12T09:00:00Z,t1,phone,a1,c1,Billing,Refund,yes,20,300,yes',
        'i2,2024-02-12T10:00:00Z,t2,chat,a2,c2,Onboarding,Setup,yes,75,200,no',
        'i3,2024-02-13T10:00:00Z,t1,phone,,,,,no,,,',
      ),
    ],
    ['surveys', file('surveys', 's1,2024-02-12T12:00:00Z,i1,,,,5,10,2,Great help from Priya,yes')],
    ['referrals', file('referrals', 'r1,2024-02-14T10:00:00Z,c1,y')],
  ];
  for (const [kind, body] of seed) {
    const res = await t.request(`/api/v1/ingest/${kind}`, {
      method: 'POST',
      token: t.tokens.admin,
      headers: { 'content-type': 'text/csv' },
      body,
    });
    expect(res.status, `${kind}: ${await res.clone().text()}`).toBe(200);
  }
});
afterAll(() => t.close());

describe('ingest: bad input', () => {
  it('has at least 30 distinct cases', () => {
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const before = await snapshotTables(t.database);
    const started = performance.now();
    const res = await send(c);
    const elapsed = performance.now() - started;
    expect(
      res.status,
      await res
        .clone()
        .text()
        .then((s) => s.slice(0, 2000)),
    ).toBe(c.status);
    const body = (await readProblem(res)) as unknown as Rejection;
    expect(body.status).toBe(c.status);
    expect(body.detail.length).toBeGreaterThan(10);
    if (c.detail) expect(body.detail).toMatch(c.detail);
    if (c.status === 422) {
      expect(body.total_problems).toBeGreaterThanOrEqual(1);
      expect(body.problems.length).toBeGreaterThanOrEqual(1);
      for (const p of body.problems) {
        expect(Object.keys(p).sort()).toEqual(['field', 'reason', 'row', 'value']);
        expect(p.reason.length).toBeLessThan(400);
      }
      const first = body.problems[0]!;
      if (c.row !== undefined) expect(first.row).toBe(c.row);
      if (c.field !== undefined) expect(first.field).toBe(c.field);
      if (typeof c.reason === 'string') expect(first.reason).toBe(c.reason);
      else if (c.reason) expect(first.reason).toMatch(c.reason);
      if (c.value !== undefined) expect(first.value).toBe(c.value);
      if (c.total !== undefined) expect(body.total_problems).toBe(c.total);
      // The detail names the first problem and says nothing was imported (or that the JSON is unreadable).
      if (/^the body is not/.test(first.reason))
        expect(body.detail).toMatch(/^The body is not (valid JSON: |UTF-8 text)/);
      else {
        expect(body.detail).toMatch(/nothing was imported/);
        expect(body.detail).toContain(first.reason.slice(0, 30));
      }
    }
    if (c.maxMs) expect(elapsed).toBeLessThan(c.maxMs);
    expect(await snapshotTables(t.database)).toEqual(before);
  });

  it('one bad row in the middle of 500 good ones: names that row, writes nothing', async () => {
    const lines = Array.from({ length: 501 }, (_, i) =>
      line('interactions', {
        external_id: `bulk${i}`,
        occurred_at: `2024-02-${String(10 + (i % 7)).padStart(2, '0')}T${String(i % 24).padStart(2, '0')}:15:00Z`,
        wait_seconds: String(i % 400),
      }),
    );
    lines[250] = line('interactions', { external_id: 'bulk250', handle_seconds: 'twelve' });
    const before = await snapshotTables(t.database);
    const res = await send({ name: '', kind: 'interactions', body: file('interactions', ...lines), status: 422 });
    expect(res.status).toBe(422);
    const body = (await readProblem(res)) as unknown as Rejection;
    expect(body.total_problems).toBe(1);
    expect(body.problems).toEqual([
      {
        row: 252,
        field: 'handle_seconds',
        value: "'twelve'",
        reason: "handle_seconds must be a number ≥ 0, got 'twelve'",
      },
    ]);
    expect(body.detail).toContain('row 252, handle_seconds');
    expect(await snapshotTables(t.database)).toEqual(before);
    const [count] = await t.database.rows<{ n: number }>(
      sql`select count(*)::int as n from interactions where external_id like 'bulk%'`,
    );
    expect(count!.n).toBe(0);
  });

  it('1,500 bad rows: lists the first 1,000 in file order and counts all 1,500', async () => {
    const lines = Array.from({ length: 1500 }, (_, i) => line('surveys', { external_id: `bad${i}`, csat: '9' }));
    const before = await snapshotTables(t.database);
    const res = await send({ name: '', kind: 'surveys', body: file('surveys', ...lines), status: 422 });
    expect(res.status).toBe(422);
    const body = (await readProblem(res)) as unknown as Rejection;
    expect(body.total_problems).toBe(1500);
    expect(body.problems).toHaveLength(1000);
    expect(body.problems.map((p) => p.row)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 2));
    expect(new Set(body.problems.map((p) => p.field))).toEqual(new Set(['csat']));
    expect(body.detail).toMatch(/^1500 problems in the surveys batch; nothing was imported/);
    expect(await snapshotTables(t.database)).toEqual(before);
  });

  it('1,500 unknown references: lists 1,000, counts 1,500', async () => {
    const lines = Array.from({ length: 1500 }, (_, i) =>
      line('referrals', { external_id: `ref${i}`, customer: `ghost${i}` }),
    );
    const before = await snapshotTables(t.database);
    const res = await send({ name: '', kind: 'referrals', body: file('referrals', ...lines), status: 422 });
    const body = (await readProblem(res)) as unknown as Rejection;
    expect(res.status).toBe(422);
    expect(body.total_problems).toBe(1500);
    expect(body.problems).toHaveLength(1000);
    expect(body.problems[0]).toMatchObject({ row: 2, field: 'customer', value: "'ghost0'" });
    expect(await snapshotTables(t.database)).toEqual(before);
  });

  it('problems of several kinds in one file are all listed, in row order', async () => {
    const body = file(
      'interactions',
      line('interactions', { external_id: 'm1', team: 'nowhere' }),
      line('interactions', { external_id: 'm2', wait_seconds: '-1', resolved: 'perhaps' }),
      line('interactions', { external_id: 'm3' }),
      'm4,"broken',
    );
    const before = await snapshotTables(t.database);
    const res = await send({ name: '', kind: 'interactions', body, status: 422 });
    const problem = (await readProblem(res)) as unknown as Rejection;
    expect(res.status).toBe(422);
    expect(problem.problems.map((p) => [p.row, p.field])).toEqual([
      [3, 'resolved'],
      [3, 'wait_seconds'],
      [5, null],
    ]);
    // The unterminated quote stops the reading; references are checked only on a readable file.
    expect(problem.total_problems).toBe(3);
    expect(await snapshotTables(t.database)).toEqual(before);
  });

  it('the 10 MB field leaves the process serving', async () => {
    const res = await send(CASES.find((c) => c.name === 'a 10 MB single field')!);
    expect(res.status).toBe(422);
    expect((await t.request('/api/v1/health')).status).toBe(200);
    const ok = await send({
      name: '',
      kind: 'teams',
      body: file('teams', line('teams')),
      query: '?dry_run=true',
      status: 200,
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ kind: 'teams', dry_run: true, inserted: 1 });
  });

  it('a JSON value nested 100,000 deep leaves the process serving', async () => {
    const res = await send(CASES.find((c) => c.name === 'a JSON value nested 100,000 deep inside a row')!);
    expect(res.status).toBe(422);
    expect((await t.request('/api/v1/health')).status).toBe(200);
    const ok = await send({ name: '', kind: 'teams', json: [obj('teams')], query: '?dry_run=true', status: 200 });
    expect(await ok.json()).toMatchObject({ kind: 'teams', dry_run: true, inserted: 1 });
  });

  it('SQL-looking text is data: imported literally, nothing dropped', async () => {
    const tables = await publicTables(t.database);
    const evil = `'); drop table teams; --`;
    const res = await t.request('/api/v1/ingest/teams', {
      method: 'POST',
      token: t.tokens.admin,
      headers: { 'content-type': 'text/csv' },
      body: [
        'external_id,name,kind,"x""); drop table agents; --"',
        `"t9; delete from teams","${evil.replace(/"/g, '""')}",support,1`,
        `t10,"Robert""); DROP TABLE surveys;--",other,2`,
      ].join('\r\n'),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const result = (await res.json()) as { inserted: number; warnings: string[] };
    expect(result.inserted).toBe(2);
    expect(result.warnings.join(' ')).toMatch(/Unknown column ignored: x"\); drop table agents; --/);
    expect(await publicTables(t.database)).toEqual(tables);
    const names = await t.database.rows<{ external_id: string; name: string }>(
      sql`select external_id, name from teams where external_id in ('t9; delete from teams', 't10') order by name`,
    );
    expect(names).toEqual([
      { external_id: 't9; delete from teams', name: evil },
      { external_id: 't10', name: 'Robert"); DROP TABLE surveys;--' },
    ]);
    const [counts] = await t.database.rows<{ teams: number; agents: number; surveys: number }>(
      sql`select (select count(*) from teams)::int as teams, (select count(*) from agents)::int as agents, (select count(*) from surveys)::int as surveys`,
    );
    expect(counts).toEqual({ teams: 4, agents: 2, surveys: 1 });
  });

  it('header only: 200, zero counts and a warning, nothing written', async () => {
    const before = await snapshotTables(t.database);
    const res = await send({ name: '', kind: 'interactions', body: `${header('interactions')}\r\n`, status: 200 });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      kind: 'interactions',
      dry_run: false,
      rows: 0,
      inserted: 0,
      updated: 0,
      unchanged: 0,
      warnings: ['The batch has no rows.'],
    });
    const empty = await t.request('/api/v1/ingest/teams', { method: 'POST', token: t.tokens.admin, json: [] });
    expect(empty.status).toBe(200);
    expect(await empty.json()).toMatchObject({ rows: 0, inserted: 0, warnings: ['The batch has no rows.'] });
    expect(await snapshotTables(t.database)).toEqual(before);
  });

  it('401 without a token, 403 for a leader; nothing written', async () => {
    const before = await snapshotTables(t.database);
    const body = file('teams', line('teams'));
    const anon = await t.request('/api/v1/ingest/teams', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body,
    });
    expect(anon.status).toBe(401);
    expect((await readProblem(anon)).detail).toMatch(/token/);
    const leader = await t.request('/api/v1/ingest/teams', {
      method: 'POST',
      token: t.tokens.leader,
      headers: { 'content-type': 'text/csv' },
      body,
    });
    expect(leader.status).toBe(403);
    await readProblem(leader);
    expect(await snapshotTables(t.database)).toEqual(before);
  });
});
