// A small cache of computed views. A view depends on the data (settings 'data_version', bumped by
// every ingest and rollup rebuild) and on what curators and admins change (quotes, goals,
// settings, annotations: every such write is audited), so the pair of those two versions says
// whether a cached answer is still true. One cache per app; least recently used entries go first.
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { DATA_VERSION_KEY } from '../data-version';

export async function viewsVersion(database: Database): Promise<string> {
  const [row] = await database.rows<{ v: string }>(sql`
    select coalesce((select value::text from settings where key = ${DATA_VERSION_KEY}), '0') || ':' ||
           coalesce((select max(id) from audit_log), 0)::text as v`);
  return row?.v ?? '';
}

export class ViewCache<T> {
  private entries = new Map<string, { version: string; value: Promise<T> }>();

  constructor(private readonly max = 64) {}

  /** The cached value for `key` at `version`, or `compute()` (kept unless it fails). */
  async get(key: string, version: string, compute: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && hit.version === version) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value;
    }
    const value = compute();
    this.entries.set(key, { version, value });
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    try {
      return await value;
    } catch (err) {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
      throw err;
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
