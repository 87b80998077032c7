// A throwaway database for a benchmark: its own PostgreSQL database when DATABASE_URL is set,
// else a PGlite directory in a temporary folder. Dropped or removed by `cleanup`.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { openDatabase, type Database } from '../../db/client';

export interface Scratch {
  /** What a server process needs to use it. */
  env: { DATABASE_URL: string } | { PGLITE_DIR: string };
  /** Opens it in this process (do not also give it to a server). */
  open(): Database;
  cleanup(): Promise<void>;
}

export async function scratchDatabase(prefix: string): Promise<Scratch> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `${prefix}_${Date.now()}`;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const target = new URL(url);
    target.pathname = `/${name}`;
    let opened: Database | null = null;
    return {
      env: { DATABASE_URL: target.toString() },
      open: () => (opened = openDatabase({ url: target.toString(), max: 10 })), // the server's pool size
      async cleanup() {
        await opened?.close();
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const data = join(dir, 'data');
  let opened: Database | null = null;
  return {
    env: { PGLITE_DIR: data },
    open: () => {
      mkdirSync(data, { recursive: true });
      return (opened = openDatabase({ pgliteDir: data }));
    },
    async cleanup() {
      await opened?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
