import { defineConfig } from 'vitest/config';

// Each test file gets its own database: a copy of a migrated PGlite template, or with
// DATABASE_URL its own PostgreSQL database made from a migrated template database.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
