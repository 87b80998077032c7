// The one process: the API under /api/v1 and the web app, on PGlite or PostgreSQL.
import { serve } from '@hono/node-server';
import { DirectoryLockedError } from '../db/lock';
import { createApp } from './app';
import type { AppDeps } from './context';
import { closeEvents } from './events';
import { closeSourceEvents } from './sources/events';
import { bootstrapAdminToken, syncConfiguredAdminToken } from './auth/tokens';
import { seedDemoIfEmpty } from './ingest/demo';
import { reference } from './metrics/reference';
import { warmChartRenderer } from './views/weekly-charts';
import { ensureRollupsCurrent } from './rollups/refresh';
import { loadEnv } from './env';
import { createLogger } from './log';
import { openConfiguredDatabase, type Opened } from './runtime';

const env = loadEnv();
const logger = createLogger({ level: env.LOG_LEVEL });

let opened: Opened;
try {
  opened = await openConfiguredDatabase(env);
} catch (err) {
  if (err instanceof DirectoryLockedError) {
    logger.fatal(
      `Pairwise cannot start: ${err.message} Stop that process first, or set PGLITE_DIR to another directory.`,
    );
  } else {
    logger.fatal({ err }, 'Pairwise cannot start: the database could not be opened or migrated.');
  }
  process.exit(1);
}
const { database } = opened;

await syncConfiguredAdminToken(database.db, env.PAIRWISE_ADMIN_TOKEN);
if (await ensureRollupsCurrent(database.db, env.ORG_TIMEZONE))
  logger.info(`Rollups computed (time zone ${env.ORG_TIMEZONE}).`);
const firstToken = await bootstrapAdminToken(database.db);

const deps: AppDeps = { database, env, logger };
const app = createApp(deps);
const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, (info) => {
  const host =
    env.HOST === '0.0.0.0' || env.HOST === '::' ? 'localhost' : env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST;
  const base = `http://${host}:${info.port}`;
  logger.info({ url: base }, `Pairwise is running at ${base} on ${opened.where}.`);
  if (firstToken) {
    // The link is in the message only, so the token is written once.
    logger.warn(
      `No access token existed, so an admin token was created. Sign in with this link (it is shown only this once; keep it safe or create others with \`npm run token\`): ${base}/login?token=${firstToken}`,
    );
  }
  // Demo data goes in after the server listens, so the first start answers at once.
  // The metrics' reference data (customers, agents, lookups) is read once and cached: read it now,
  // not on the first dashboard request (seconds on PGlite), and again after demo data went in.
  // So is ECharts, which draws the weekly review's first chart on the server (loading it and a
  // first drawing take about 1 s here).
  const warm = () =>
    Promise.all([
      reference(database).catch((err) => logger.error({ err }, 'Could not pre-load the metrics reference data.')),
      warmChartRenderer().catch((err) => logger.error({ err }, 'Could not load ECharts for the server-drawn charts.')),
    ]);
  if (env.PAIRWISE_DEMO) {
    seedDemoIfEmpty(database, env.ORG_TIMEZONE, (line) => logger.info(line)).then(warm, (err) =>
      logger.error({ err }, 'Demo data could not be imported.'),
    );
  } else {
    void warm();
  }
});

// postgres.js 3.4.9 can throw from a timer after PostgreSQL closed a connection mid-write
// ("Cannot read properties of null (reading 'write')" in connection.js nextWrite). The query it
// belonged to has already failed and its transaction rolled back, so the process stays up for
// that one known case; any other uncaught error still stops it.
process.on('uncaughtException', (err) => {
  if (
    err instanceof TypeError &&
    /postgres\/src\/connection\.js/.test(err.stack ?? '') &&
    /reading 'write'/.test(err.message)
  ) {
    logger.error({ err }, 'A PostgreSQL connection closed while writing; the affected request already failed.');
    return;
  }
  logger.fatal({ err }, 'Uncaught error, stopping.');
  process.exit(1);
});

// A promise nobody awaited failed: log it and stay up, as for a failed request; the wallboard and
// every other reader depend on this one process.
process.on('unhandledRejection', (err) => logger.error({ err }, 'A promise failed with nobody waiting for it.'));

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info(`${signal} received: closing connections and the database.`);
  const force = setTimeout(() => {
    logger.error('Shutdown took longer than 10 s; exiting.');
    process.exit(1);
  }, 10_000);
  force.unref();
  server.close();
  // Events already queued are committed and answered (or failed) before connections and the database close.
  await Promise.all([closeEvents(deps), closeSourceEvents(deps)]).catch((err) =>
    logger.error({ err }, 'Queued events could not be committed.'),
  );
  if ('closeAllConnections' in server) (server as { closeAllConnections(): void }).closeAllConnections();
  try {
    await opened.close();
  } finally {
    process.exit(0);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
