// The data model: every kind of the data contract, unique external ids, foreign keys, value checks.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agents, customers, interactions, referrals, surveys, teams } from '../../db/schema';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { MIGRATIONS } from '../helpers/paths';

let d: TestDatabase;
let teamId: number;
beforeAll(async () => {
  d = await createTestDatabase();
  const [team] = await d.db.insert(teams).values({ externalId: 'T1', name: 'Support North' }).returning();
  teamId = team!.id;
});
afterAll(() => d.destroy());

/** Runs a write expected to fail and answers the PostgreSQL error code. */
async function failure(write: () => Promise<unknown>): Promise<string> {
  try {
    await write();
  } catch (err) {
    const e = err as { code?: string; cause?: { code?: string } };
    return e.cause?.code ?? e.code ?? 'unknown';
  }
  return 'no error';
}

describe('schema', () => {
  it('has a table for every kind and for curation, goals, access and settings', async () => {
    const rows = await d.rows<{ table_name: string }>(
      sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
    );
    expect(rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining([
        'teams',
        'agents',
        'customers',
        'interactions',
        'surveys',
        'referrals',
        'quotes',
        'quote_praise_teams',
        'goals',
        'annotations',
        'coaching_notes',
        'access_tokens',
        'sessions',
        'settings',
        'audit_log',
        'import_runs',
      ]),
    );
  });

  it('indexes the time columns the dashboards filter on', async () => {
    const rows = await d.rows<{ indexname: string }>(sql`select indexname from pg_indexes where schemaname = 'public'`);
    const names = rows.map((r) => r.indexname);
    for (const idx of [
      'interactions_occurred_at_brin',
      'surveys_responded_at_idx',
      'surveys_agent_responded_at_idx',
      'referrals_referred_at_idx',
      'customers_churned_on_idx',
    ]) {
      expect(names).toContain(idx);
    }
    // Interactions, the largest table, arrive in time order: a BRIN summary instead of a B-tree.
    const [am] = await d.rows<{ amname: string }>(
      sql`select am.amname from pg_class c join pg_am am on am.oid = c.relam where c.relname = 'interactions_occurred_at_brin'`,
    );
    expect(am?.amname).toBe('brin');
  });

  it('keeps external_id unique per kind, and only per kind', async () => {
    expect(await failure(() => d.db.insert(teams).values({ externalId: 'T1', name: 'again' }))).toBe('23505');
    // The same external id in another kind is fine.
    await d.db.insert(customers).values({ externalId: 'T1' });
    await d.db.insert(agents).values({ externalId: 'T1', name: 'Ana', teamId });
  });

  it('enforces references between records', async () => {
    expect(await failure(() => d.db.insert(agents).values({ externalId: 'A9', name: 'Nobody', teamId: 999_999 }))).toBe(
      '23503',
    );
    expect(
      await failure(() =>
        d.db.insert(referrals).values({ externalId: 'R1', referredAt: new Date(), customerId: 999_999 }),
      ),
    ).toBe('23503');
  });

  it.each([
    ['a CSAT of 6', () => d.db.insert(surveys).values({ externalId: 'S1', respondedAt: new Date(), csat: 6 })],
    ['an NPS of 11', () => d.db.insert(surveys).values({ externalId: 'S2', respondedAt: new Date(), nps: 11 })],
    ['an effort of 0', () => d.db.insert(surveys).values({ externalId: 'S3', respondedAt: new Date(), effort: 0 })],
    [
      'a negative wait',
      () => d.db.insert(interactions).values({ externalId: 'I1', occurredAt: new Date(), teamId, waitSeconds: -5 }),
    ],
    [
      'an unknown channel',
      () =>
        d.db
          .insert(interactions)
          .values({ externalId: 'I2', occurredAt: new Date(), teamId, channel: 'fax' as 'phone' }),
    ],
    [
      'an unknown team kind',
      () => d.db.insert(teams).values({ externalId: 'T9', name: 'x', kind: 'marketing' as 'support' }),
    ],
  ])('refuses %s', async (_what, write) => {
    expect(await failure(write)).toBe('23514');
  });

  it('applies defaults from the data contract', async () => {
    const [row] = await d.db
      .insert(interactions)
      .values({ externalId: 'I3', occurredAt: new Date('2024-02-13T10:00:00Z'), teamId })
      .returning();
    expect(row).toMatchObject({ channel: 'phone', answered: true, resolved: null, waitSeconds: null });
    const [s] = await d.db.insert(surveys).values({ externalId: 'S4', respondedAt: new Date() }).returning();
    expect(s!.mayQuote).toBe(false);
  });

  it('migrating again changes nothing', async () => {
    await d.migrate(MIGRATIONS);
    const [count] = await d.rows<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    const journal = JSON.parse(readFileSync(join(MIGRATIONS, 'meta', '_journal.json'), 'utf8')) as {
      entries: unknown[];
    };
    expect(journal.entries.length).toBeGreaterThan(1);
    expect(count!.n).toBe(journal.entries.length);
  });
});
