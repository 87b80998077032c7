// Column helpers shared by every table of the schema.
import { sql } from 'drizzle-orm';
import { bigint, bigserial, text, timestamp } from 'drizzle-orm/pg-core';

export const id = () => bigserial('id', { mode: 'number' }).primaryKey();
export const ref = (name: string) => bigint(name, { mode: 'number' });
export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
export const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

/**
 * A CHECK clause `column in ('a', 'b')`. The values are constants of the schema, never input.
 * A null passes (SQL CHECK accepts unknown), so nullable columns need nothing more.
 */
export const oneOf = (column: string, values: readonly string[]) =>
  sql.raw(`${column} in (${values.map((v) => `'${v}'`).join(', ')})`);

/** The record's id in its source system; ingestion upserts by it. */
export const externalId = () => text('external_id').notNull();
