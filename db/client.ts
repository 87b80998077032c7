// The one module that knows which database it talks to. Everything else sees a Drizzle
// `Db` and speaks the same SQL on PGlite (embedded, the default) and on PostgreSQL.
import { mkdirSync } from 'node:fs';
import { connect, type NetConnectOpts, type Socket } from 'node:net';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema';

/** Every statement on a server connection: a read that runs longer is stopped (answered 503 by the API), so it cannot hold a connection. */
export const STATEMENT_TIMEOUT_MS = 15_000;

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type DbKind = 'pglite' | 'postgres';

export interface Database {
  db: Db;
  kind: DbKind;
  /** Runs a query (on `on`, a transaction, when given) and returns its rows, whatever the driver's result shape. */
  rows<T extends Record<string, unknown>>(query: SQL, on?: Db): Promise<T[]>;
  /**
   * Runs several statements separated by semicolons, without parameters, in one round trip on
   * `tx`; answers the last statement's rows (make it a select).
   */
  script<T extends Record<string, unknown>>(tx: Db, text: string): Promise<T[]>;
  /** Calls `handler` with each NOTIFY payload on `channel` (across processes on PostgreSQL, in-process on PGlite). */
  listen(channel: string, handler: (payload: string) => void): Promise<() => Promise<void>>;
  /**
   * Streams rows into `table` with COPY (text format: tab-separated, `\\N` for null; see
   * `copyText`) on the transaction `tx`. Write whole lines; `end` waits until every row is in.
   */
  copyIn(tx: Db, table: string, columns: string[]): Promise<CopyWriter>;
  /**
   * Waits until every transaction committed so far is on disk: for commits made without waiting
   * for it (`synchronous_commit` off), which hold their locks for less time. On PostgreSQL a
   * transaction that waits for its own commit record, which the log writes after every earlier
   * one; PGlite commits in this process and has nothing to wait for.
   */
  durable(): Promise<void>;
  /** Applies the committed migrations in `folder` (idempotent). */
  migrate(folder: string): Promise<void>;
  close(): Promise<void>;
}

export interface CopyWriter {
  /** Resolves when the text may be followed by more (back-pressure). */
  write(text: string): Promise<void>;
  end(): Promise<void>;
}

/** One value as a COPY text field. */
export function copyText(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'string')
    return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : value;
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return String(value);
}
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** The driver's own client behind a Drizzle transaction (postgres.js TransactionSql or a PGlite Transaction). */
const driverOf = <T>(tx: Db): T => (tx as unknown as { session: { client: T } }).session.client;

/** PGlite copies from a blob: rows are gathered and sent a few megabytes at a time. */
const PGLITE_COPY_CHUNK = 4 << 20;

/**
 * `statementTimeoutMs`: the session's statement_timeout (default STATEMENT_TIMEOUT_MS; 0 for none,
 * e.g. a command-line tool). A transaction that must run longer statements lifts it for itself
 * with `setStatementTimeout(tx, ms)`. PGlite takes the setting but cannot enforce it: it runs in
 * this thread, with no timer to interrupt a statement.
 */
export type OpenOptions = (
  | { url: string; max?: number }
  | { pgliteDir: string }
  /** An already created PGlite (tests: a copy of a migrated template). */
  | { pglite: PGlite }
) & { statementTimeoutMs?: number };

/**
 * Sets statement_timeout for the rest of the transaction `tx` only (SET LOCAL): 0 for none. For
 * work that needs longer statements than a request (an import's rollups, a rebuild).
 */
export async function setStatementTimeout(tx: Db, ms: number): Promise<void> {
  await tx.execute(sql.raw(`set local statement_timeout = ${Math.max(0, Math.floor(ms))}`));
}

const MIGRATION_LOCK = 7263001;

/**
 * postgres.js's connections, made here only to turn off Nagle's algorithm: it sends a COPY's end
 * as a write of its own, which then waited for the server's delayed ACK (40 ms on Linux) — every
 * import paid it per chunk (a 10-row dry run on PostgreSQL: median 124 ms → 28 ms). Hosts are
 * tried in order, as postgres.js does; `connect_timeout` still bounds each attempt.
 */
function noDelaySocket(o: {
  host: string[];
  port: number[];
  path?: string | false;
  connect_timeout?: number;
}): Promise<Socket> {
  const targets = o.path ? [{ path: o.path }] : o.host.map((host, i) => ({ host, port: o.port[i] ?? o.port[0] }));
  const attempt = (i: number): Promise<Socket> =>
    new Promise<Socket>((resolve, reject) => {
      const target = targets[i]!;
      const s = connect({ ...target, noDelay: true } as NetConnectOpts);
      // postgres.js reads these, as on its own sockets: TLS's servername (verify-full) and error messages.
      if ('host' in target) Object.assign(s, { host: target.host, port: target.port });
      s.setTimeout((o.connect_timeout ?? 30) * 1000, () =>
        s.destroy(Object.assign(new Error('connect timed out'), { code: 'CONNECT_TIMEOUT' })),
      );
      s.once('connect', () => (s.setTimeout(0), s.removeListener('error', reject), resolve(s)));
      s.once('error', reject);
    }).catch((err: unknown) => (i + 1 < targets.length ? attempt(i + 1) : Promise.reject(err)));
  return attempt(0);
}

/** Opens the database. Does not migrate: call `migrate` once at start-up. */
export function openDatabase(options: OpenOptions): Database {
  const statementTimeout = Math.max(0, Math.floor(options.statementTimeoutMs ?? STATEMENT_TIMEOUT_MS));
  if ('url' in options) {
    const client = postgres(options.url, {
      max: options.max ?? 10,
      onnotice: () => {},
      // On every connection of the pool, from its start.
      connection: { application_name: 'pairwise', statement_timeout: statementTimeout },
      socket: noDelaySocket,
    } as postgres.Options<Record<string, postgres.PostgresType>>);
    const db = drizzlePostgres(client, { schema }) as unknown as Db;
    return {
      db,
      kind: 'postgres',
      rows: async <T extends Record<string, unknown>>(query: SQL, on: Db = db) =>
        (await on.execute(query)) as unknown as T[],
      async script<T extends Record<string, unknown>>(tx: Db, text: string) {
        // One statement answers its rows; several, one result per statement that returned rows.
        const result = (await driverOf<postgres.TransactionSql>(tx).unsafe(text)) as unknown as unknown[];
        return (Array.isArray(result[0]) ? result[result.length - 1] : result) as T[];
      },
      // A transaction id makes the statement write a commit record, and wait for it (and all before it) to be flushed.
      durable: async () => void (await client.unsafe('select pg_current_xact_id()')),
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
      async copyIn(tx, table, columns) {
        const sql = driverOf<postgres.TransactionSql>(tx);
        const stream = await sql.unsafe(`copy ${table} (${columns.join(', ')}) from stdin`).writable();
        let failed: Error | null = null;
        stream.on('error', (err: Error) => (failed = err));
        const settle = (event: string) =>
          new Promise<void>((resolve, reject) => {
            if (failed) return reject(failed);
            const done = () => (stream.off('error', fail), resolve());
            const fail = (err: Error) => (stream.off(event, done), reject(err));
            stream.once(event, done);
            stream.once('error', fail);
          });
        return {
          async write(text) {
            if (failed) throw failed;
            if (!stream.write(text)) await settle('drain');
          },
          async end() {
            if (failed) throw failed;
            const finished = settle('finish');
            stream.end();
            await finished;
          },
        };
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
  // Queued before any other statement of this process (PGlite runs them one at a time, in order).
  void pg.exec(`set statement_timeout = ${statementTimeout}`).catch(() => {});
  const db = drizzlePglite(pg, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    rows: async <T extends Record<string, unknown>>(query: SQL, on: Db = db) =>
      ((await on.execute(query)) as unknown as { rows: T[] }).rows,
    async copyIn(tx, table, columns) {
      const client = driverOf<Transaction>(tx);
      const statement = `copy ${table} (${columns.join(', ')}) from '/dev/blob'`;
      let parts: string[] = [];
      let size = 0;
      const send = async () => {
        if (size === 0) return;
        const blob = new Blob(parts);
        parts = [];
        size = 0;
        await client.query(statement, [], { blob });
      };
      return {
        async write(text) {
          parts.push(text);
          size += text.length;
          if (size >= PGLITE_COPY_CHUNK) await send();
        },
        end: send,
      };
    },
    async script<T extends Record<string, unknown>>(tx: Db, text: string) {
      const results = await driverOf<Transaction>(tx).exec(text);
      return (results[results.length - 1]?.rows ?? []) as T[];
    },
    durable: async () => {},
    migrate: (migrationsFolder) => migratePglite(drizzlePglite(pg, { schema }), { migrationsFolder }),
    async listen(channel, handler) {
      const unsubscribe = await pg.listen(channel, (payload) => handler(payload));
      return () => unsubscribe();
    },
    close: () => pg.close(),
  };
}
