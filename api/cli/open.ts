// Opens the configured database for a command-line tool, or explains why it cannot.
import { DirectoryLockedError } from '../../db/lock';
import type { Env } from '../env';
import { openConfiguredDatabase, type Opened } from '../runtime';

export function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

/** With embedded PGlite a running server holds the directory: say so, and what to do instead. */
export async function openForCli(env: Env, alternative: string): Promise<Opened> {
  try {
    return await openConfiguredDatabase(env);
  } catch (err) {
    if (err instanceof DirectoryLockedError)
      fail(
        `${err.message}\nStop the server first, or use the running server's API with an admin token:\n${alternative}`,
      );
    throw err;
  }
}
