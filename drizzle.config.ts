import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes SQL migrations from the schema into db/migrations.
// The same folder is applied at start-up on PGlite and on PostgreSQL (db/client.ts).
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema/index.ts',
  out: './db/migrations',
  strict: true,
  verbose: true,
});
