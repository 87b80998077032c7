// The one place that reads process.env. Every variable of the README's configuration table is
// parsed and checked here, once, at start-up; a bad value stops the start with a clear message.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const flag = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no'], { error: 'must be 1 or 0' })
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const schema = z.object({
  PORT: z.coerce
    .number({ error: 'must be a port number' })
    .int('must be a whole number')
    .min(0, 'must be between 0 and 65535')
    .max(65535, 'must be between 0 and 65535')
    .default(3000),
  HOST: z.string().min(1, 'must not be empty').default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/.+/, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  PGLITE_DIR: z.string().min(1, 'must not be empty').default('.pairwise/data'),
  ORG_TIMEZONE: z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Paris').default('UTC'),
  // A token is guessed online at best a few per second (rate limits), but a short one is still
  // the weakest key in the house: 32 characters, as the tokens Pairwise makes itself.
  PAIRWISE_ADMIN_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
  PAIRWISE_DEMO: flag.default(true),
  // Behind a reverse proxy, X-Forwarded-For/-Proto/-Host tell the client's address and scheme;
  // honoured only when set, since any client can send them.
  TRUST_PROXY: flag.default(false),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
});

export type Env = z.infer<typeof schema> & {
  /** The repository root: where db/migrations and web/build live. */
  root: string;
};

/** Finds the repository root from this module, whether run from source (api/) or bundled (dist/). */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'db', 'migrations'))) return dir;
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

export type EnvResult = { ok: true; env: Env } | { ok: false; problems: string[] };

/** Parses an environment; empty strings count as unset. Pure, for tests. */
export function parseEnv(source: Record<string, string | undefined>): EnvResult {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const problems = result.error.issues.map((i) => {
      const name = String(i.path[0] ?? '?');
      const value = cleaned[name];
      return `${name} ${i.message}${value === undefined ? '' : ` (got '${value.slice(0, 60)}')`}`;
    });
    return { ok: false, problems };
  }
  return { ok: true, env: { ...result.data, root: findRoot() } };
}

/** Reads process.env; on a bad value prints every problem and exits with status 1. */
export function loadEnv(): Env {
  const result = parseEnv(process.env);
  if (!result.ok) {
    console.error('Pairwise cannot start: the configuration has problems:');
    for (const p of result.problems) console.error(`  - ${p}`);
    console.error('See the configuration table in README.md.');
    process.exit(1);
  }
  return result.env;
}

/** Where the migrations and the web build live, relative to the repository root. */
export const paths = (env: Pick<Env, 'root'>) => ({
  migrations: join(env.root, 'db', 'migrations'),
  web: join(env.root, 'web', 'build'),
  pgliteDir: (dir: string) => resolve(env.root, dir),
});
