// The embedded database on disk: data survives a restart, and one process holds a directory at a time.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client';
import { DirectoryLockedError, lockDirectory } from '../../db/lock';
import { teams } from '../../db/schema';
import { MIGRATIONS } from '../helpers/paths';

const base = mkdtempSync(join(tmpdir(), 'pairwise-dir-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('PGlite data directory', () => {
  it('creates nested directories and keeps data across a restart', async () => {
    const dir = join(base, 'nested', 'data');
    const first = openDatabase({ pgliteDir: dir });
    await first.migrate(MIGRATIONS);
    await first.db.insert(teams).values({ externalId: 'kept', name: 'Kept across restarts' });
    await first.close();

    const second = openDatabase({ pgliteDir: dir });
    await second.migrate(MIGRATIONS);
    const rows = await second.db.select().from(teams);
    expect(rows.map((r) => r.externalId)).toEqual(['kept']);
    await second.close();
  });

  it('lets one process hold a directory, and takes over a dead one’s lock', () => {
    const dir = join(base, 'locked');
    const release = lockDirectory(dir);
    // A second holder in the same process is refused only when another pid holds it:
    writeFileSync(`${dir}.lock`, String(process.ppid));
    expect(() => lockDirectory(dir)).toThrow(DirectoryLockedError);
    expect(() => lockDirectory(dir)).toThrow(/in use by another Pairwise process \(pid \d+\)/);
    // A lock left by a process that no longer exists is stale.
    writeFileSync(`${dir}.lock`, '999999999');
    const again = lockDirectory(dir);
    again();
    release();
  });
});
