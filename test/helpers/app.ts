// An app on a fresh database, with one token per role and a request helper.
import { createApp } from '../../api/app';
import { silentLogger } from '../../api/log';
import type { AppDeps } from '../../api/context';
import { closeLiveHub } from '../../api/live';
import { createToken, type Role } from '../../api/auth/tokens';
import { parseEnv, type Env } from '../../api/env';
import { teams } from '../../db/schema';
import { createTestDatabase, type TestDatabase } from './db';

export interface TestApp {
  app: ReturnType<typeof createApp>;
  /** What the app was made with (per-app state such as the live hub is keyed by it). */
  deps: AppDeps;
  database: TestDatabase;
  env: Env;
  tokens: Record<Role, string>;
  /** Calls the app as a client would; `token` adds a bearer header. */
  request(path: string, init?: RequestInit & { token?: string | null; json?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

export function testEnv(overrides: Record<string, string> = {}): Env {
  const result = parseEnv({ PAIRWISE_DEMO: '0', NODE_ENV: 'test', ...overrides });
  if (!result.ok) throw new Error(result.problems.join('; '));
  return result.env;
}

export async function createTestApp(options: { env?: Record<string, string> } = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const env = testEnv(options.env);
  const deps: AppDeps = { database, env, logger: silentLogger() };
  const app = createApp(deps);
  await database.db.insert(teams).values([
    { externalId: 't1', name: 'Frontline One' },
    { externalId: 't2', name: 'Frontline Two' },
  ]);
  const tokens = {} as Record<Role, string>;
  for (const role of ['admin', 'leader', 'manager', 'display', 'ingest'] as const) {
    const created = await createToken(database.db, {
      role,
      label: `test ${role}`,
      teams: role === 'manager' ? ['t1'] : [],
    });
    tokens[role] = created.token;
  }
  return {
    app,
    deps,
    database,
    env,
    tokens,
    request(path, init = {}) {
      const { token, json, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (token) headers.set('authorization', `Bearer ${token}`);
      let body = rest.body;
      if (json !== undefined) {
        headers.set('content-type', 'application/json');
        body = JSON.stringify(json);
      }
      return Promise.resolve(app.request(path, { ...rest, headers, body }));
    },
    async close() {
      await closeLiveHub(deps);
      await database.destroy();
    },
  };
}

/** Reads a problem+json answer and checks its shape. */
export async function readProblem(res: Response) {
  const type = res.headers.get('content-type') ?? '';
  if (!type.startsWith('application/problem+json'))
    throw new Error(`expected problem+json, got ${type}: ${await res.text()}`);
  return (await res.json()) as {
    type: string;
    title: string;
    status: number;
    detail: string;
    errors?: Array<{ in: string; field: string | null; reason: string }>;
  };
}
