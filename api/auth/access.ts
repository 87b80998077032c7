// Whether access granted earlier is still in force: a live stream asks before its first snapshot
// and at each heartbeat, since a revocation notice can be missed while the database is away.
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import type { Principal } from './tokens';

/** Its token is not revoked and, for a request made with a session cookie, the session has not expired or ended. */
export async function accessInForce(
  database: Database,
  principal: Pick<Principal, 'tokenId' | 'session'>,
): Promise<boolean> {
  const [row] = await database.rows<{ ok: boolean }>(
    principal.session
      ? sql`select exists (select 1 from sessions s join access_tokens t on t.id = s.token_id where s.id_hash = ${principal.session} and s.expires_at > now() and t.revoked_at is null) as ok`
      : sql`select exists (select 1 from access_tokens where id = ${principal.tokenId} and revoked_at is null) as ok`,
  );
  return row?.ok === true;
}
