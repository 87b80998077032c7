// What the inference may ask of the database: which of some values are external ids of records
// already imported, and which names teams or agents already have. Shared by the API and the CLI.
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { KINDS } from '../ingest/kinds';
import type { InferOptions } from './infer';

/** Values asked about at once (a scan keeps a sample of each column, never the whole file). */
const MAX_ASKED = 10_000;

export function knownRecords(database: Database): Required<Pick<InferOptions, 'knownIds' | 'knownNames'>> {
  return {
    knownIds: async (kind, values) => {
      // The kind names one of the contract's tables: the inference's own choice, checked, never input.
      if (!(KINDS as readonly string[]).includes(kind)) return [];
      const rows = await database.rows<{ id: string }>(
        sql`select external_id as id from ${sql.raw(kind)} where external_id in (select json_array_elements_text(${JSON.stringify(values.slice(0, MAX_ASKED))}::json))`,
      );
      return rows.map((r) => r.id);
    },
    knownNames: async (kind, names) => {
      const rows = await database.rows<{ name: string }>(
        sql`select distinct name from ${sql.raw(kind === 'teams' ? 'teams' : 'agents')} where lower(name) in (select lower(json_array_elements_text(${JSON.stringify(names.slice(0, MAX_ASKED))}::json)))`,
      );
      return rows.map((r) => r.name);
    },
  };
}
