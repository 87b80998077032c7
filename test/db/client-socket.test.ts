// PostgreSQL connections run without Nagle's algorithm: with it, a COPY's last write waited for
// the server's delayed ACK (40 ms on Linux) on every import and every live event.
import { Socket } from 'node:net';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client';

const url = process.env.DATABASE_URL;

/** Node keeps a socket's TCP_NODELAY request under this internal symbol (no public getter). */
const noDelayOf = (s: Socket): boolean | undefined => {
  const key = Object.getOwnPropertySymbols(s).find((k) => k.description === 'kSetNoDelay');
  return key === undefined ? undefined : Boolean((s as unknown as Record<symbol, unknown>)[key]);
};
const sockets = () =>
  (process as unknown as { _getActiveHandles(): unknown[] })
    ._getActiveHandles()
    .filter((h): h is Socket => h instanceof Socket);

describe.skipIf(!url)('PostgreSQL driver sockets', () => {
  it('every pooled connection, and a COPY on it, uses TCP_NODELAY', async () => {
    const before = new Set(sockets());
    const database = openDatabase({ url: url!, max: 3 });
    try {
      // Three connections at once, so the pool opens several sockets.
      await Promise.all([1, 2, 3].map(() => database.db.execute(sql`select pg_sleep(0.05)`)));
      await database.db.transaction(async (tx) => {
        await tx.execute(sql`create temporary table nodelay_copy (id text) on commit drop`);
        const w = await database.copyIn(tx, 'nodelay_copy', ['id']);
        await w.write('one\n');
        await w.end();
        const [row] = await database.rows<{ n: number }>(sql`select count(*)::int as n from nodelay_copy`, tx);
        expect(row!.n).toBe(1);
      });
      const ours = sockets().filter((s) => !before.has(s) && s.remotePort === Number(new URL(url!).port || 5432));
      expect(ours.length).toBeGreaterThanOrEqual(1);
      for (const s of ours) {
        const noDelay = noDelayOf(s);
        if (noDelay === undefined) continue; // a Node without the symbol: nothing to observe
        expect(noDelay).toBe(true);
        // postgres.js names the host in TLS (servername) and in errors from these.
        expect((s as unknown as { host: string }).host).toBe(new URL(url!).hostname);
      }
    } finally {
      await database.close();
    }
  });
});
