// Temporary tables an ingest uses in every transaction. Creating and dropping one writes the
// system catalogs (7–12 ms each on a busy server, and the catalogs bloat at event rates); these
// are made once per connection and emptied at each commit instead.

/** Creates the table unless this connection has it: `definition` is `(columns…)` or `(like other)`. */
export const keptTempTable = (name: string, definition: string): string => `create temp table if not exists ${name} ${definition} on commit delete rows`;
