// Statements a small ingest (a group of events) runs in every transaction, planned once per
// connection and kept there (PREPARE, then EXECUTE), and sent several at a time in one round trip
// (`Database.script`). Planning them was most of such a group's time in the database (the eight
// rollup statements alone took 2–4 ms each to plan and well under 1 ms to run). Large batches
// still plan each statement for the rows they have.
import { createHash } from 'node:crypto';
import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';

const PREFIX = 'pw_k_';

/** A select-list item naming the kept statements this connection has (column `kept`). */
export const KEPT_NAMES = `array(select name from pg_prepared_statements where name like 'pw\\_k\\_%') as kept`;

/** Names by statement text: the same few texts come in every group, each several KB to hash. */
const names = new Map<string, string>();

function nameOf(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = PREFIX + createHash('sha1').update(text).digest('hex').slice(0, 20);
    if (names.size >= 1_000) names.clear();
    names.set(text, name);
  }
  return name;
}

export class KeptStatements {
  private readonly have: Set<string>;

  /** `names`: what the connection has (KEPT_NAMES, read in the transaction's first statement). */
  constructor(names: readonly string[]) {
    this.have = new Set(names);
  }

  /**
   * SQL text running `text` as a kept statement, prepared first where this connection lacks it
   * (a prepared statement outlives a rolled-back transaction). `params` are the statement's
   * `$n` types and this run's values as literals.
   */
  run(text: string, params: { types: string[]; values: string[] } = { types: [], values: [] }): string {
    const types = params.types.length > 0 ? `(${params.types.join(', ')})` : '';
    const name = nameOf(`${types} ${text}`);
    const call = `execute ${name}${params.values.length > 0 ? `(${params.values.join(', ')})` : ''}`;
    if (this.have.has(name)) return call;
    this.have.add(name);
    return `prepare ${name}${types} as ${text};\n${call}`;
  }
}

/** A value as an SQL literal (strings quoted for standard_conforming_strings, PostgreSQL's default since 9.1). */
export function literal(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return `'${value.replace(/'/g, "''")}'`;
  throw new TypeError(`no SQL literal for ${typeof value}`);
}

const dialect = new PgDialect();

/** A Drizzle query as one SQL text, its parameters written as literals (for scripts and kept statements). */
export function inlineSql(query: SQL): string {
  const { sql: text, params } = dialect.sqlToQuery(query);
  return text.replace(/\$(\d+)/g, (_, n: string) => literal(params[Number(n) - 1]));
}
