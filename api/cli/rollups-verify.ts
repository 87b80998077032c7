// `npm run rollups:verify`: recomputes every rollup from raw rows and reports any difference.
import { loadEnv } from '../env';
import { verifyRollups } from '../rollups/refresh';
import { openForCli } from './open';

const env = loadEnv();
const opened = await openForCli(env, '  (verification needs the database itself: run it while the server is stopped)');
const started = performance.now();
try {
  const diffs = await verifyRollups(opened.database, env.ORG_TIMEZONE);
  let bad = 0;
  for (const d of diffs) {
    const ok = d.extra === 0 && d.missing === 0;
    if (!ok) bad++;
    console.log(
      `${ok ? 'ok  ' : 'DIFF'} ${d.table.padEnd(28)} ${d.stored.toLocaleString('en').padStart(10)} rows${ok ? '' : `  ${d.extra} stored rows differ, ${d.missing} recomputed rows missing`}`,
    );
  }
  console.log(
    bad === 0
      ? `Rollups match the raw rows (${((performance.now() - started) / 1000).toFixed(1)} s).`
      : `${bad} rollup table(s) differ from the raw rows.`,
  );
  process.exitCode = bad === 0 ? 0 : 1;
} finally {
  await opened.close();
}
