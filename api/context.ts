// What every request handler can reach: the database, the configuration, and who is asking.
import type { Database, Db } from '../db/client';
import type { Principal } from './auth/tokens';
import type { Env } from './env';
import type { Logger } from './log';

export interface AppDeps {
  database: Database;
  env: Env;
  /** The process's log; defaults to one made from the environment. Tests pass a silent one. */
  logger?: Logger;
  /** The web build to serve; defaults to web/build under the repository root. */
  webRoot?: string;
}

export interface AppEnv {
  Variables: {
    db: Db;
    deps: AppDeps;
    requestId: string;
    principal?: Principal;
    /** The request's log: every line carries its request id. */
    log: Logger;
  };
}
