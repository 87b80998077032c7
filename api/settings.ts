// The organisation's settings that people change (the CX success statement, automatic quote
// selection, the minimum n of coaching views), kept as key → JSON rows in `settings` beside the
// internal bookkeeping keys (rollups, data_version, demo_state), which are never exposed here.
// The schema carries its OpenAPI name, so it takes zod as extended by @hono/zod-openapi.
import { z } from '@hono/zod-openapi';
import { inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { settings } from '../db/schema';
import { audit } from './admin-log/store';
import type { Principal } from './auth/tokens';

export const SettingsSchema = z
  .object({
    cx_statement: z
      .string()
      .trim()
      .max(280, 'must be at most 280 characters (one short statement)')
      .nullable()
      .describe('The CX success statement shown on the weekly review and the TV; null when none is set.'),
    auto_quote: z
      .boolean()
      .describe('When no quote is pinned or approved for a view, feature the best-rated consented comment.'),
    min_n: z
      .number()
      .int('must be a whole number')
      .min(5, 'must be at least 5')
      .max(1000, 'must be at most 1000')
      .describe('Below this many responses a coaching value shows "not enough responses".'),
  })
  .openapi('Settings');

export type Settings = z.infer<typeof SettingsSchema>;
export type SettingKey = keyof Settings;

export const SETTING_DEFAULTS: Readonly<Settings> = Object.freeze({ cx_statement: null, auto_quote: true, min_n: 30 });
const KEYS = Object.keys(SETTING_DEFAULTS) as SettingKey[];

/** Every setting, stored values over defaults (a stored value that no longer validates falls back). */
export async function readSettings(db: Db): Promise<Settings> {
  const rows = await db.select().from(settings).where(inArray(settings.key, KEYS));
  const out: Settings = { ...SETTING_DEFAULTS };
  for (const row of rows) {
    const parsed = SettingsSchema.shape[row.key as SettingKey]?.safeParse(row.value);
    if (parsed?.success) (out as Record<string, unknown>)[row.key] = parsed.data;
  }
  if (out.cx_statement === '') out.cx_statement = null;
  return out;
}

/** Writes the given settings (already validated) in one transaction, with an audit entry. */
export async function writeSettings(db: Db, patch: Partial<Settings>, actor: Principal | null): Promise<Settings> {
  const entries = Object.entries(patch).filter(([k, v]) => KEYS.includes(k as SettingKey) && v !== undefined);
  if (entries.length > 0) {
    await db.transaction(async (tx) => {
      for (const [key, raw] of entries) {
        const value = key === 'cx_statement' && raw === '' ? null : raw;
        await tx
          .insert(settings)
          .values({ key, value: sql`${JSON.stringify(value)}::jsonb` })
          .onConflictDoUpdate({
            target: settings.key,
            set: { value: sql`${JSON.stringify(value)}::jsonb`, updatedAt: sql`now()` },
          });
      }
      await audit(tx as unknown as Db, actor, 'settings.update', 'settings', Object.fromEntries(entries));
    });
  }
  return readSettings(db);
}
