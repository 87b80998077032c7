// A server of its own for a browser test that needs settings the shared ones lack (a time zone, a
// restart): `node dist/server.js` on a port, started and stopped by the test.
import { spawn, type ChildProcess } from 'node:child_process';
import postgres from 'postgres';
import { ADMIN_TOKEN } from './fixtures';

/** The local PostgreSQL server the browser tests that need one use (its `postgres` database). */
const PG_ADMIN_URL = process.env.TV_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A database of the test's own on the local PostgreSQL server; `drop` removes it (force: the test's server may hold connections). */
export async function scratchPostgres(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    await admin`select 1`;
  } catch (err) {
    await admin.end({ timeout: 1 }).catch(() => {});
    throw new Error(
      `this test needs PostgreSQL at ${PG_ADMIN_URL} (start it, or run .ci/run): ${(err as Error).message}`,
      { cause: err },
    );
  }
  const name = `${prefix}_${Date.now()}`;
  await admin.unsafe(`create database ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin
        .unsafe(`drop database if exists ${name} with (force)`)
        .catch((e) => console.error('drop database failed:', e));
      await admin.end({ timeout: 5 });
    },
  };
}

export interface Server {
  base: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `node dist/server.js` on a port with extra environment and waits until /health answers. */
export async function startServer(port: number, env: Record<string, string>): Promise<Server> {
  const { DATABASE_URL: _omit, ...rest } = process.env;
  const child = spawn(process.execPath, ['dist/server.js'], {
    env: {
      ...rest,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      PAIRWISE_DEMO: '0',
      PAIRWISE_ADMIN_TOKEN: ADMIN_TOKEN,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 45_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server on ${port} exited:\n${out}`);
    try {
      if ((await fetch(`${base}/api/v1/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server on ${port} did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    base,
    child,
    output: () => out,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
