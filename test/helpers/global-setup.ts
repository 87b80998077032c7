// Builds one migrated database template per run; each test file copies it (test/helpers/db.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../db/client';
import { MIGRATIONS } from './paths';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresTemplate: string;
  }
}

export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `pairwise_tpl_${process.pid}_${Date.now()}`;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const target = new URL(url);
    target.pathname = `/${name}`;
    const database = openDatabase({ url: target.toString(), max: 1 });
    try {
      await database.migrate(MIGRATIONS);
    } catch (err) {
      await database.close();
      await admin.unsafe(`drop database if exists ${name}`);
      await admin.end();
      throw err;
    } finally {
      await database.close();
    }
    project.provide('postgresTemplate', name);
    project.provide('pgliteTemplate', '');
    return async () => {
      // Drop the template and any test database a crashed file left behind.
      try {
        const leftovers = await admin<
          { datname: string }[]
        >`select datname from pg_database where datname like ${`pairwise_t%_${process.pid}_%`}`;
        for (const { datname } of leftovers) await admin.unsafe(`drop database if exists ${datname} with (force)`);
      } catch (err) {
        console.error('Could not drop the test databases:', err);
      } finally {
        await admin.end();
      }
    };
  }
  const pg = new PGlite();
  const database = openDatabase({ pglite: pg });
  await database.migrate(MIGRATIONS);
  const dump = await pg.dumpDataDir('none');
  await pg.close();
  const dir = mkdtempSync(join(tmpdir(), 'pairwise-test-'));
  const file = join(dir, 'template.tar');
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteTemplate', file);
  project.provide('postgresTemplate', '');
  return () => rmSync(dir, { recursive: true, force: true });
}
