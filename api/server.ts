// The one process: the API under /api/v1 and the web app, on PGlite or PostgreSQL.
import { serve } from '@hono/node-server';
import { DirectoryLockedError } from '../db/lock';
import { createApp } from './app';
import { bootstrapAdminToken, syncConfiguredAdminToken } from './auth/tokens';
import { seedDemoIfEmpty } from './ingest/demo';
import { reference } from './metrics/reference';
import { warmChartRenderer } from './views/weekly-charts';
import { ensureRollupsCurrent } from './rollups/refresh';
import { loadEnv } from './env';
import { openConfiguredDatabase, type Opened } from './runtime';

const env = loadEnv();

let opened: Opened;
try {
  opened = await openConfiguredDatabase(env);
} catch (err) {
  if (err instanceof DirectoryLockedError) {
    console.error(`Pairwise cannot start: ${err.message} Stop that process first, or set PGLITE_DIR to another directory.`);
  } else {
    console.error('Pairwise cannot start: the database could not be opened or migrated:', err);
  }
  process.exit(1);
}
const { database } = opened;

await syncConfiguredAdminToken(database.db, env.PAIRWISE_ADMIN_TOKEN);
if (await ensureRollupsCurrent(database.db, env.ORG_TIMEZONE)) console.log(`Rollups computed (time zone ${env.ORG_TIMEZONE}).`);
const firstToken = await bootstrapAdminToken(database.db);

const app = createApp({ database, env });
const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, (info) => {
  const host = env.HOST === '0.0.0.0' || env.HOST === '::' ? 'localhost' : env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST;
  const base = `http://${host}:${info.port}`;
  console.log(`Pairwise is running at ${base} on ${opened.where}.`);
  if (firstToken) {
    console.log('');
    console.log('  No access token existed, so an admin token was created. Sign in with this link');
    console.log('  (it is shown only this once; keep it safe or create others with `npm run token`):');
    console.log('');
    console.log(`    ${base}/login?token=${firstToken}`);
    console.log('');
  }
  // Demo data goes in after the server listens, so the first start answers at once.
  // The metrics' reference data (customers, agents, lookups) is read once and cached: read it now,
  // not on the first dashboard request (seconds on PGlite), and again after demo data went in.
  // So is ECharts, which draws the weekly review's first chart on the server (loading it and a
  // first drawing take about 1 s here).
  const warm = () =>
    Promise.all([
      reference(database).catch((err) => console.error('Could not pre-load the metrics reference data:', err)),
      warmChartRenderer().catch((err) => console.error('Could not load ECharts for the server-drawn charts:', err)),
    ]);
  if (env.PAIRWISE_DEMO) {
    seedDemoIfEmpty(database, env.ORG_TIMEZONE)
      .then(warm, (err) => console.error('Demo data could not be imported:', err));
  } else {
    void warm();
  }
});

// postgres.js 3.4.9 can throw from a timer after PostgreSQL closed a connection mid-write
// ("Cannot read properties of null (reading 'write')" in connection.js nextWrite). The query it
// belonged to has already failed and its transaction rolled back, so the process stays up for
// that one known case; any other uncaught error still stops it.
process.on('uncaughtException', (err) => {
  if (err instanceof TypeError && /postgres\/src\/connection\.js/.test(err.stack ?? '') && /reading 'write'/.test(err.message)) {
    console.error('A PostgreSQL connection closed while writing; the affected request already failed:', err.message);
    return;
  }
  console.error('Uncaught error, stopping:', err);
  process.exit(1);
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal} received: closing connections and the database.`);
  const force = setTimeout(() => {
    console.error('Shutdown took longer than 10 s; exiting.');
    process.exit(1);
  }, 10_000);
  force.unref();
  server.close();
  if ('closeAllConnections' in server) (server as { closeAllConnections(): void }).closeAllConnections();
  try {
    await opened.close();
  } finally {
    process.exit(0);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
