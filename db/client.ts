// The one module that knows which database it talks to. Everything else sees a Drizzle
// `Db` and speaks the same SQL on PGlite (embedded, the default) and on PostgreSQL.
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type DbKind = 'pglite' | 'postgres';

export interface Database {
  db: Db;
  kind: DbKind;
  /** Runs a query (on `on`, a transaction, when given) and returns its rows, whatever the driver's result shape. */
  rows<T extends Record<string, unknown>>(query: SQL, on?: Db): Promise<T[]>;
  /** Calls `handler` with each NOTIFY payload on `channel` (across processes on PostgreSQL, in-process on PGlite). */
  listen(channel: string, handler: (payload: string) => void): Promise<() => Promise<void>>;
  /** Applies the committed migrations in `folder` (idempotent). */
  migrate(folder: string): Promise<void>;
  close(): Promise<void>;
}

export type OpenOptions =
  | { url: string; max?: number }
  | { pgliteDir: string }
  /** An already created PGlite (tests: a copy of a migrated template). */
  | { pglite: PGlite };

const MIGRATION_LOCK = 7263001;

/** Opens the database. Does not migrate: call `migrate` once at start-up. */
export function openDatabase(options: OpenOptions): Database {
  if ('url' in options) {
    const client = postgres(options.url, {
      max: options.max ?? 10,
      onnotice: () => {},
      connection: { application_name: 'pairwise' },
    });
    const db = drizzlePostgres(client, { schema }) as unknown as Db;
    return {
      db,
      kind: 'postgres',
      rows: async <T extends Record<string, unknown>>(query: SQL, on: Db = db) => (await on.execute(query)) as unknown as T[],
      async migrate(migrationsFolder) {
        // Several instances may start at once: a session advisory lock on a one-connection
        // client keeps them in line.
        const single = postgres(options.url, { max: 1, onnotice: () => {} });
        try {
          await single`select pg_advisory_lock(${MIGRATION_LOCK})`;
          await migratePostgres(drizzlePostgres(single, { schema }), { migrationsFolder });
          await single`select pg_advisory_unlock(${MIGRATION_LOCK})`;
        } finally {
          await single.end({ timeout: 5 });
        }
      },
      async listen(channel, handler) {
        const sub = await client.listen(channel, (payload) => handler(payload));
        return () => sub.unlisten();
      },
      close: () => client.end({ timeout: 5 }),
    };
  }
  let pg: PGlite;
  if ('pglite' in options) {
    pg = options.pglite;
  } else {
    // PGlite's own mkdir is not recursive.
    mkdirSync(options.pgliteDir, { recursive: true });
    pg = new PGlite(options.pgliteDir);
  }
  const db = drizzlePglite(pg, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    rows: async <T extends Record<string, unknown>>(query: SQL, on: Db = db) =>
      ((await on.execute(query)) as unknown as { rows: T[] }).rows,
    migrate: (migrationsFolder) => migratePglite(drizzlePglite(pg, { schema }), { migrationsFolder }),
    async listen(channel, handler) {
      const unsubscribe = await pg.listen(channel, (payload) => handler(payload));
      return () => unsubscribe();
    },
    close: () => pg.close(),
  };
}
