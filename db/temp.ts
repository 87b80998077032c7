// Temporary tables an ingest uses in every transaction. Creating and dropping one writes the
// system catalogs (7–12 ms each on a busy server, and the catalogs bloat at event rates); these
// are made once per connection instead. They keep their rows at commit and are emptied when a
// transaction starts using them: a table emptied at commit (ON COMMIT DELETE ROWS) is truncated
// at every commit that touched any temporary table, about 0.2–0.4 ms each (2 ms of a 15 ms group
// of events), whether it had rows or not.

/** A table the connection keeps: `definition` is `(columns…)` or `(like other)`. */
export interface KeptTable {
  name: string;
  definition: string;
}

/** Creates each table unless this connection has it, and empties it (several statements, for a script). */
export const keepTables = (tables: readonly KeptTable[]): string[] =>
  tables.flatMap((t) => [
    `create temp table if not exists ${t.name} ${t.definition} on commit preserve rows`,
    `delete from ${t.name}`,
  ]);

/**
 * Empties the tables for good: a DELETE leaves its rows' line pointers until a vacuum, which
 * never comes to temporary tables, so a table emptied only by DELETE grows. A large batch
 * truncates after itself, a small one now and then (api/ingest/ingest.ts).
 */
export const truncateKept = (tables: readonly KeptTable[]): string =>
  `truncate ${tables.map((t) => t.name).join(', ')}`;
