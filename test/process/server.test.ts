// The real server process: first start prints a working login link, restarts keep the data,
// SIGTERM closes the database and exits, bad configuration stops the start with a clear message.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { run, startServer } from '../helpers/process';

const base = mkdtempSync(join(tmpdir(), 'pairwise-proc-'));
const dataDir = join(base, 'data');
let suiteDb: TestDatabase;
beforeAll(async () => {
  suiteDb = await createTestDatabase();
});
afterAll(async () => {
  await suiteDb.destroy();
  rmSync(base, { recursive: true, force: true });
});

/** The suite's database: its own PostgreSQL database with DATABASE_URL, else a PGlite directory. */
const dbEnv = (): Record<string, string> => (suiteDb.url ? { DATABASE_URL: suiteDb.url } : { PGLITE_DIR: dataDir });

describe('the server process', () => {
  let token = '';

  it('on first start prints a login link once; the link signs an admin in', async () => {
    const server = await startServer(dbEnv());
    try {
      const links = server.output().match(/\/login\?token=(pw_[A-Za-z0-9_-]+)/g) ?? [];
      expect(links).toHaveLength(1);
      token = links[0]!.split('=')[1]!;

      const health = await fetch(`${server.base}/api/v1/health`);
      expect(await health.json()).toEqual({ status: 'ok', db: suiteDb.url ? 'postgres' : 'pglite' });

      const login = await fetch(`${server.base}/login?token=${token}`, { redirect: 'manual' });
      expect(login.status).toBe(303);
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
      const me = await fetch(`${server.base}/api/v1/auth/me`, { headers: { cookie } });
      expect(await me.json()).toMatchObject({ role: 'admin' });

      const anon = await fetch(`${server.base}/api/v1/tokens`);
      expect(anon.status).toBe(401);
      expect(anon.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      // The access log names the path but never the token.
      await new Promise((r) => setTimeout(r, 100));
      expect(server.output()).toMatch(/GET \/login 303/);
      expect(server.output().split(token).length).toBe(2); // printed once, in the login link only
    } finally {
      const { code, ms } = await server.stop('SIGTERM');
      expect(code).toBe(0);
      expect(ms).toBeLessThan(10_000);
    }
    if (!suiteDb.url) expect(existsSync(`${dataDir}.lock`)).toBe(false);
  });

  it('a restart keeps the data and prints no new link', async () => {
    const server = await startServer(dbEnv());
    try {
      expect(server.output()).not.toMatch(/login\?token=/);
      const me = await fetch(`${server.base}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(me.status).toBe(200);
    } finally {
      expect((await server.stop('SIGINT')).code).toBe(0);
    }
  });

  it('accepts PAIRWISE_ADMIN_TOKEN as an admin token', async () => {
    const configured = 'configured-admin-token-for-tests';
    const server = await startServer({ ...dbEnv(), PAIRWISE_ADMIN_TOKEN: configured });
    try {
      const me = await fetch(`${server.base}/api/v1/auth/me`, { headers: { authorization: `Bearer ${configured}` } });
      expect(await me.json()).toMatchObject({ role: 'admin' });
    } finally {
      await server.stop();
    }
  });

  it('stops at start-up on bad configuration, naming every bad variable', async () => {
    const { code, out } = await run(['--import', 'tsx', 'api/server.ts'], {
      PORT: 'eighty',
      ORG_TIMEZONE: 'Moon/Base',
      PGLITE_DIR: join(base, 'never'),
    });
    expect(code).toBe(1);
    expect(out).toMatch(/PORT must be a port number \(got 'eighty'\)/);
    expect(out).toMatch(/ORG_TIMEZONE must be an IANA time zone/);
    expect(existsSync(join(base, 'never'))).toBe(false);
  });
});

describe('the token command', () => {
  const dir = join(base, 'cli-data');
  const token = (...args: string[]) => run(['--import', 'tsx', 'api/cli/token.ts', ...args], { PGLITE_DIR: dir });

  it('creates, lists and revokes tokens', async () => {
    const created = await token('create', '--role', 'leader', '--label', 'Head of CX');
    expect(created.code).toBe(0);
    const secret = /\n\s+(pw_[A-Za-z0-9_-]{43})\n/.exec(created.out)?.[1];
    expect(secret).toBeDefined();

    const list = await token('list');
    expect(list.out).toMatch(/1 {2}leader {3}pw_\S+ +Head of CX {2}\(never used\)/);
    expect(list.out).not.toContain(secret!);

    expect((await token('revoke', '1')).out).toMatch(/Revoked token 1 "Head of CX"/);
    expect((await token('list')).out).toMatch(/revoked \d{4}-\d{2}-\d{2}/);
  });

  it('explains its mistakes', async () => {
    const noTeams = await token('create', '--role', 'manager', '--label', 'Lead');
    expect(noTeams.code).toBe(2);
    expect(noTeams.out).toMatch(/needs at least one team/);
    const unknown = await token('create', '--role', 'manager', '--label', 'Lead', '--teams', 'ghost');
    expect(unknown.out).toMatch(/Unknown team: ghost/);
    expect((await token('create', '--role', 'owner', '--label', 'x')).out).toMatch(
      /--role must be one of admin, leader, manager, display/,
    );
    expect((await token('frobnicate')).out).toMatch(/Unknown command 'frobnicate'/);
  });

  it('refuses to open an embedded database the server holds, and says what to do', async () => {
    const server = await startServer({ PGLITE_DIR: dir });
    try {
      const res = await token('list');
      expect(res.code).toBe(2);
      expect(res.out).toMatch(/in use by another Pairwise process \(pid \d+\)/);
      expect(res.out).toMatch(/POST[\s\S]*\/api\/v1\/tokens/);
    } finally {
      await server.stop();
    }
  });
});
