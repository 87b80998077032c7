// The data version: a counter in `settings` that every committed change to the data bumps in
// the same transaction (each ingest, each rollup rebuild). Readers that keep a copy of derived
// data (metrics reference data, computed views) compare it to know whether the copy is current,
// on any number of server processes.
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client';

export const DATA_VERSION_KEY = 'data_version';

/** Run inside a transaction that changed data; the new version shows when it commits. */
export const bumpDataVersion = sql`
  insert into settings (key, value) values (${DATA_VERSION_KEY}, '1'::jsonb)
  on conflict (key) do update set value = to_jsonb((settings.value)::text::bigint + 1), updated_at = now()`;

/** The current data version ('0' before the first change). */
export async function dataVersion(database: Database): Promise<string> {
  const [row] = await database.rows<{ v: string | null }>(
    sql`select value::text as v from settings where key = ${DATA_VERSION_KEY}`,
  );
  return row?.v ?? '0';
}
