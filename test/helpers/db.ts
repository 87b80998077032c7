// A fresh database for one test file: a copy of the migrated template (PGlite by default,
// PostgreSQL when DATABASE_URL is set). Nothing is shared between files.
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../db/client';

export interface TestDatabase extends Database {
  /** The PostgreSQL URL of this database; undefined on PGlite. */
  url?: string;
  /** Closes the connection and drops the database (PostgreSQL). */
  destroy(): Promise<void>;
}

let counter = 0;

export async function createTestDatabase(): Promise<TestDatabase> {
  const url = process.env.DATABASE_URL;
  const template = inject('postgresTemplate');
  if (url && template) {
    const name = `pairwise_t${counter++}_${template.split('_')[2]}_${process.pid}_${Date.now()}`;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name} template ${template}`);
    await admin.end();
    const target = new URL(url);
    target.pathname = `/${name}`;
    const database = openDatabase({ url: target.toString(), max: 4 });
    return {
      ...database,
      url: target.toString(),
      async destroy() {
        await database.close();
        const dropper = postgres(url, { max: 1, onnotice: () => {} });
        await dropper.unsafe(`drop database if exists ${name} with (force)`);
        await dropper.end();
      },
    };
  }
  const file = inject('pgliteTemplate');
  const pg = await PGlite.create({ loadDataDir: new Blob([readFileSync(file)]) });
  const database = openDatabase({ pglite: pg });
  return { ...database, destroy: () => database.close() };
}
