// What every request handler can reach: the database, the configuration, and who is asking.
import type { Database, Db } from '../db/client';
import type { Principal } from './auth/tokens';
import type { Env } from './env';

export interface AppDeps {
  database: Database;
  env: Env;
  /** Writes one access-log line; defaults to stdout. Tests pass a no-op. */
  log?: (line: string) => void;
  /** The web build to serve; defaults to web/build under the repository root. */
  webRoot?: string;
}

export interface AppEnv {
  Variables: {
    db: Db;
    deps: AppDeps;
    requestId: string;
    principal?: Principal;
  };
}
