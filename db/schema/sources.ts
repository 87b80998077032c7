// Sources: an organisation's saved mappings from its own export shapes to the data contract.
// Every change is a new version (kept): records already imported are never rewritten by an edit,
// and the import history names the version that brought them.
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { id, ref } from './columns';

export const sources = pgTable(
  'sources',
  {
    id: id(),
    name: text('name').notNull(),
    /** The current version's number (its mapping is in source_versions). */
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('sources_name_key').on(sql`lower(${t.name})`)],
);

export const sourceVersions = pgTable(
  'source_versions',
  {
    sourceId: ref('source_id')
      .notNull()
      .references(() => sources.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    name: text('name').notNull(),
    mapping: jsonb('mapping').notNull(),
    actor: text('actor').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.sourceId, t.version] }), index('source_versions_at_idx').on(t.at)],
);
