// Opens the configured database the way the server and the command-line tools share:
// PostgreSQL when DATABASE_URL is set, else the embedded PGlite directory (locked), migrated.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { openDatabase, type Database } from '../db/client';
import { lockDirectory } from '../db/lock';
import { paths, type Env } from './env';

export interface Opened {
  database: Database;
  /** Where the data lives, for messages. */
  where: string;
  close(): Promise<void>;
}

export async function openConfiguredDatabase(env: Env): Promise<Opened> {
  const p = paths(env);
  let database: Database;
  let release = () => {};
  let where: string;
  if (env.DATABASE_URL) {
    database = openDatabase({ url: env.DATABASE_URL });
    const u = new URL(env.DATABASE_URL);
    where = `PostgreSQL at ${u.hostname}:${u.port || 5432}${u.pathname}`;
  } else {
    const dir = p.pgliteDir(env.PGLITE_DIR);
    mkdirSync(dirname(dir), { recursive: true });
    release = lockDirectory(dir);
    database = openDatabase({ pgliteDir: dir });
    where = `embedded PGlite in ${dir}`;
  }
  try {
    await database.migrate(p.migrations);
  } catch (err) {
    await database.close().catch(() => {});
    release();
    throw err;
  }
  return {
    database,
    where,
    async close() {
      await database.close();
      release();
    },
  };
}
