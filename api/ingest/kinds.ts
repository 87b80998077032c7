// The data contract as data: every kind's fields, how each cell is parsed, how
// the staging table looks, and how staged rows become records (references resolved by external id).
import { CHANNELS, TEAM_KINDS } from '../../db/schema';
import type { Problems } from './checks';
import { Invalid, parseBool, parseDate, parseNumber, parseText, parseTimestamp, show, type Parsed } from './fields';
import { KINDS, type Kind } from '../../db/constants';

export { KINDS, type Kind };

export type Value = string | number | boolean | null;

export interface FieldSpec {
  name: string;
  required?: boolean;
  /** Column type in the staging table (timestamps are staged as epoch milliseconds). */
  stage: 'text' | 'int' | 'bigint' | 'numeric' | 'boolean' | 'date';
  parse(raw: string, tz: string): Parsed<Value>;
  /** For references: the kind whose external_id this names. */
  ref?: Kind;
}

const id = (name: string, required = true, ref?: Kind): FieldSpec => ({
  name,
  required,
  stage: 'text',
  ref,
  parse: (raw) => parseText(raw, 200),
});
const text = (name: string, max: number, required = false): FieldSpec => ({
  name,
  required,
  stage: 'text',
  parse: (raw) => parseText(raw, max),
});
const oneOf = (name: string, values: readonly string[]): FieldSpec => ({
  name,
  stage: 'text',
  parse: (raw) => {
    const v = raw.trim().toLowerCase();
    if (v === '') return null;
    return values.includes(v) ? v : new Invalid(`must be one of ${values.join(', ')}, got ${show(raw)}`);
  },
});
const bool = (name: string): FieldSpec => ({ name, stage: 'boolean', parse: (raw) => parseBool(raw) });
const day = (name: string): FieldSpec => ({ name, stage: 'date', parse: (raw) => parseDate(raw) });
const timestamp = (name: string): FieldSpec => ({
  name,
  required: true,
  stage: 'bigint',
  parse: (raw, tz) => parseTimestamp(raw, tz),
});
/** The SQL turning a staged timestamp (epoch milliseconds) back into a timestamptz, exactly. */
export const fromEpochMs = (column: string) => `(timestamptz 'epoch' + ${column} * interval '1 millisecond')`;
/** The largest value of an `integer` column (wait and handle seconds: 68 years). */
const INT_MAX = 2_147_483_647;
/** The largest value of a numeric(14,2) column (monthly_value). */
const MONEY_MAX = 999_999_999_999.99;
const seconds = (name: string): FieldSpec => ({
  name,
  stage: 'int',
  parse: (raw) => parseNumber(raw, { min: 0, integer: 'round', limit: INT_MAX }),
});
const score = (name: string, min: number, max: number): FieldSpec => ({
  name,
  stage: 'int',
  parse: (raw) => parseNumber(raw, { min, max, integer: 'exact' }),
});
const money = (name: string): FieldSpec => ({
  name,
  stage: 'numeric',
  parse: (raw) => parseNumber(raw, { min: 0, limit: MONEY_MAX, decimals: 2 }),
});

export interface KindSpec {
  kind: Kind;
  table: string;
  fields: FieldSpec[];
  /** Checks across the fields of one row; answers [field, reason] problems. */
  check?(row: Record<string, Value>): Array<[string, string]>;
  /** Target columns and the expressions over the staging row `s` (and reference joins `r_<field>`). */
  columns: Array<[column: string, expr: string]>;
  /** Lookup tables filled from free-text fields before the upsert (journey stages, contact reasons, segments). */
  lookups?: Array<{ field: string; table: string }>;
}

const before = (a: Value, b: Value) => typeof a === 'string' && typeof b === 'string' && a < b;

export const SPECS: Record<Kind, KindSpec> = {
  teams: {
    kind: 'teams',
    table: 'teams',
    fields: [id('external_id'), text('name', 200, true), oneOf('kind', TEAM_KINDS)],
    columns: [
      ['name', 's.name'],
      ['kind', "coalesce(s.kind, 'support')"],
    ],
  },
  agents: {
    kind: 'agents',
    table: 'agents',
    fields: [id('external_id'), text('name', 200, true), id('team', true, 'teams'), day('hired_on'), day('left_on')],
    check: (r) =>
      before(r.left_on ?? null, r.hired_on ?? null) ? [['left_on', `must not be before hired_on (${r.hired_on})`]] : [],
    columns: [
      ['name', 's.name'],
      ['team_id', 'r_team.id'],
      ['hired_on', 's.hired_on'],
      ['left_on', 's.left_on'],
    ],
  },
  customers: {
    kind: 'customers',
    table: 'customers',
    fields: [id('external_id'), text('segment', 200), day('started_on'), day('churned_on'), money('monthly_value')],
    check: (r) =>
      before(r.churned_on ?? null, r.started_on ?? null)
        ? [['churned_on', `must not be before started_on (${r.started_on})`]]
        : [],
    lookups: [{ field: 'segment', table: 'customer_segments' }],
    columns: [
      ['segment', 's.segment'],
      ['segment_id', 'l_segment.id'],
      ['started_on', 's.started_on'],
      ['churned_on', 's.churned_on'],
      ['monthly_value', 's.monthly_value'],
    ],
  },
  interactions: {
    kind: 'interactions',
    table: 'interactions',
    fields: [
      id('external_id'),
      timestamp('occurred_at'),
      id('team', true, 'teams'),
      oneOf('channel', CHANNELS),
      id('agent', false, 'agents'),
      id('customer', false, 'customers'),
      text('journey_stage', 200),
      text('contact_reason', 200),
      bool('answered'),
      seconds('wait_seconds'),
      seconds('handle_seconds'),
      bool('resolved'),
    ],
    lookups: [
      { field: 'journey_stage', table: 'journey_stages' },
      { field: 'contact_reason', table: 'contact_reasons' },
    ],
    columns: [
      ['occurred_at', fromEpochMs('s.occurred_at')],
      ['team_id', 'r_team.id'],
      ['channel', "coalesce(s.channel, 'phone')"],
      ['agent_id', 'r_agent.id'],
      ['customer_id', 'r_customer.id'],
      ['journey_stage_id', 'l_journey_stage.id'],
      ['contact_reason_id', 'l_contact_reason.id'],
      ['answered', 'coalesce(s.answered, true)'],
      ['wait_seconds', 's.wait_seconds'],
      ['handle_seconds', 's.handle_seconds'],
      ['resolved', 's.resolved'],
    ],
  },
  surveys: {
    kind: 'surveys',
    table: 'surveys',
    fields: [
      id('external_id'),
      timestamp('responded_at'),
      id('interaction', false, 'interactions'),
      id('customer', false, 'customers'),
      id('agent', false, 'agents'),
      id('team', false, 'teams'),
      score('csat', 1, 5),
      score('nps', 0, 10),
      score('effort', 1, 7),
      text('comment', 10_000),
      bool('may_quote'),
      text('customer_name', 200),
    ],
    columns: [
      ['responded_at', fromEpochMs('s.responded_at')],
      ['interaction_id', 'r_interaction.id'],
      ['customer_id', 'r_customer.id'],
      ['agent_id', 'r_agent.id'],
      ['team_id', 'r_team.id'],
      ['csat', 's.csat'],
      ['nps', 's.nps'],
      ['effort', 's.effort'],
      ['comment', 's.comment'],
      ['may_quote', 'coalesce(s.may_quote, false)'],
      ['customer_name', 's.customer_name'],
    ],
  },
  referrals: {
    kind: 'referrals',
    table: 'referrals',
    fields: [id('external_id'), timestamp('referred_at'), id('customer', true, 'customers'), bool('converted')],
    columns: [
      ['referred_at', fromEpochMs('s.referred_at')],
      ['customer_id', 'r_customer.id'],
      ['converted', 's.converted'],
    ],
  },
};

export const isKind = (k: string): k is Kind => (KINDS as readonly string[]).includes(k);

/** A field of a kind bound to where a source holds it (`at`: its column, none when absent) and how it is read. */
export interface BoundField {
  spec: FieldSpec;
  at: number | undefined;
  parse: FieldSpec['parse'];
}

/**
 * Reads one row's cells as the kind's values (in the order of its fields), adding each problem
 * (a value it cannot read, a required one missing, a check across fields); null when it has one.
 */
export function parseRow(
  spec: KindSpec,
  fields: BoundField[],
  row: number,
  cells: readonly string[],
  timeZone: string,
  problems: Pick<Problems, 'add'>,
): Value[] | null {
  const values: Value[] = [];
  let bad = false;
  for (const { spec: f, at, parse } of fields) {
    const raw = at === undefined ? '' : (cells[at] ?? '');
    const parsed = parse(raw, timeZone);
    if (parsed instanceof Invalid) {
      problems.add({ row, field: f.name, value: show(raw), reason: `${f.name} ${parsed.reason}` });
      bad = true;
    } else if (parsed === null && f.required) {
      problems.add({ row, field: f.name, value: null, reason: `${f.name} is required` });
      bad = true;
    }
    values.push(parsed as Value);
  }
  if (!bad && spec.check) {
    const record = Object.fromEntries(fields.map(({ spec: f }, i) => [f.name, values[i]!]));
    for (const [field, reason] of spec.check(record)) {
      problems.add({ row, field, value: show(String(record[field] ?? '')), reason: `${field} ${reason}` });
      bad = true;
    }
  }
  return bad ? null : values;
}
