// Recomputes rollups from raw rows: within an ingest, the days an agent's team move or a
// customer's segment change touched, and the small whole-table rollups (interactions and surveys
// themselves are kept by signed contributions, api/rollups/delta.ts); `rebuildRollups` recomputes
// everything (first start, time-zone change); `verifyRollups` recomputes into scratch tables and
// reports any difference from what is stored.
import { createHash } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Database, Db } from '../../db/client';
import type { KeptTable } from '../../db/temp';
import { settings } from '../../db/schema';
import { bumpDataVersion } from '../data-version';
import {
  agentsRollup,
  ALL_ROLLUPS,
  customerSegmentsRollup,
  customersRollup,
  interactionRollups,
  referralSegmentsRollup,
  referralsRollup,
  SEGMENT_EVENT_TABLES,
  surveyRollups,
} from './definitions';

export const TOUCHED = {
  interactions: 'pw_touched_interaction_days',
  surveys: 'pw_touched_survey_days',
} as const;

/** The tables of touched days (kept by the connection, db/temp.ts). */
export const touchedTables = (): KeptTable[] =>
  Object.values(TOUCHED).map((name) => ({ name, definition: '(day date primary key)' }));

export interface Touched {
  /** Survey rollups of the days in TOUCHED.surveys. */
  surveys?: boolean;
  customers?: boolean;
  agents?: boolean;
  referrals?: boolean;
  /** Customers' segments changed: the segment rollups of interactions and surveys, for their touched days. */
  segments?: boolean;
}

/** Recomputes the rollups an ingest touched; interaction and survey rollups only for the touched days. */
export async function refreshTouched(tx: Db, tz: string, touched: Touched) {
  const segmentOnly = (def: { table: string }) => (SEGMENT_EVENT_TABLES as readonly string[]).includes(def.table);
  if (touched.segments) {
    for (const def of interactionRollups.filter(segmentOnly)) {
      await tx.execute(def.clear({ daysTable: TOUCHED.interactions }));
      await tx.execute(def.fill(tz, { daysTable: TOUCHED.interactions }));
    }
  }
  if (touched.surveys || touched.segments) {
    for (const def of touched.surveys ? surveyRollups : surveyRollups.filter(segmentOnly)) {
      await tx.execute(def.clear({ daysTable: TOUCHED.surveys }));
      await tx.execute(def.fill(tz, { daysTable: TOUCHED.surveys }));
    }
  }
  // Referrals by segment take the referrer's segment: recomputed when either changes.
  const whole = [
    touched.customers && customersRollup,
    touched.customers && customerSegmentsRollup,
    touched.agents && agentsRollup,
    touched.referrals && referralsRollup,
    (touched.customers || touched.referrals) && referralSegmentsRollup,
  ];
  for (const def of whole) {
    if (!def) continue;
    await tx.execute(def.clear({ all: true }));
    await tx.execute(def.fill(tz, { all: true }));
  }
}

/** Recomputes every rollup from raw rows, in one transaction. */
export async function rebuildRollups(db: Db, tz: string) {
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(7263002)`);
    for (const def of ALL_ROLLUPS) {
      await tx.execute(def.clear({ all: true }));
      await tx.execute(def.fill(tz, { all: true }));
    }
    await tx.execute(bumpDataVersion);
    const value = { tz, definitions: rollupFingerprint() };
    await tx
      .insert(settings)
      .values({ key: 'rollups', value })
      .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: sql`now()` } });
  });
}

/** A fingerprint of every rollup definition: a changed definition means the stored rollups are stale. */
export function rollupFingerprint(): string {
  const dialect = new PgDialect();
  const text = ALL_ROLLUPS.map((d) => dialect.sqlToQuery(d.fill('tz', { all: true })).sql).join('\n');
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/**
 * Rollups are kept in the organisation's time zone and by the current definitions: rebuilt when
 * ORG_TIMEZONE or a definition changed since they were computed. Answers whether it rebuilt.
 */
export async function ensureRollupsCurrent(db: Db, tz: string): Promise<boolean> {
  const wanted = { tz, definitions: rollupFingerprint() };
  const [row] = await db.select().from(settings).where(eq(settings.key, 'rollups'));
  const stored = row?.value as { tz?: string; definitions?: string } | undefined;
  if (stored && stored.tz === wanted.tz && stored.definitions === wanted.definitions) return false;
  await rebuildRollups(db, tz);
  return true;
}

export interface RollupDifference {
  table: string;
  /** Rows stored but not recomputed (stale or wrong). */
  extra: number;
  /** Rows recomputed but not stored (missing). */
  missing: number;
  stored: number;
}

/** Recomputes every rollup into scratch tables and compares with the stored rows. */
export async function verifyRollups(database: Database, tz: string): Promise<RollupDifference[]> {
  const out: RollupDifference[] = [];
  await database.db.transaction(async (tx) => {
    for (const def of ALL_ROLLUPS) {
      const scratch = `pw_verify_${def.table}`;
      await tx.execute(sql.raw(`create temp table ${scratch} (like ${def.table} including defaults) on commit drop`));
      await tx.execute(def.fill(tz, { all: true }, scratch));
      const [row] = await database.rows<{ extra: number; missing: number; stored: number }>(
        sql.raw(`select
          (select count(*) from (select * from ${def.table} except all select * from ${scratch}) a)::int as extra,
          (select count(*) from (select * from ${scratch} except all select * from ${def.table}) b)::int as missing,
          (select count(*) from ${def.table})::int as stored`),
        tx as unknown as Db,
      );
      out.push({ table: def.table, extra: row!.extra, missing: row!.missing, stored: row!.stored });
    }
    // Nothing to keep: scratch tables go with the transaction.
  });
  return out;
}
