// `npm run import -- KIND FILE.csv [--dry-run]` and `npm run import -- --dir FOLDER [--dry-run]`:
// streams files of any size through the same ingest as the API, one transaction per file.
// `--source NAME FILE` and `--infer FILE`: an organisation's own files (api/cli/import-source.ts).
import { createReadStream, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadEnv } from '../env';
import { ingest, IngestAborted, IngestRejected, type IngestResult } from '../ingest/ingest';
import { isKind, KINDS, type Kind } from '../ingest/kinds';
import { csvSource, SourceError } from '../ingest/sources';
import { importSourceFromCli, inferFromCli } from './import-source';
import { fail, openForCli } from './open';
import { Progress } from './progress';

const USAGE = `Usage:
  npm run import -- KIND FILE.csv [--dry-run]
  npm run import -- --dir FOLDER [--dry-run]     (imports every KIND.csv present, in order: ${KINDS.join(', ')})
  npm run import -- --source NAME FILE [--dry-run]   (a file in its own shape, through a saved source or a mapping .json)
  npm run import -- --infer FILE [--sheet NAME]      (prints the mapping Pairwise proposes for FILE, as JSON)

KIND is one of ${KINDS.join(', ')}. Each file is imported whole or not at all.`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    'dry-run': { type: 'boolean' },
    dir: { type: 'string' },
    source: { type: 'string' },
    infer: { type: 'string' },
    sheet: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (values.infer !== undefined) process.exit(await inferFromCli(loadEnv(), values.infer, values.sheet));
if (values.source !== undefined) {
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) fail(`Give one file after --source NAME.\n\n${USAGE}`);
  process.exit(await importSourceFromCli(loadEnv(), values.source, file, values['dry-run'] === true));
}
const jobs: Array<{ kind: Kind; file: string }> = [];
if (values.dir) {
  if (positionals.length > 0) fail(`Give either --dir FOLDER or KIND FILE, not both.\n\n${USAGE}`);
  for (const kind of KINDS) {
    const file = join(values.dir, `${kind}.csv`);
    if (existsSync(file)) jobs.push({ kind, file });
  }
  if (jobs.length === 0) fail(`No ${KINDS.map((k) => `${k}.csv`).join(', ')} in ${values.dir}.`);
} else {
  const [kind, file] = positionals;
  if (!kind || !file) fail(USAGE);
  if (!isKind(kind)) fail(`Unknown kind '${kind}': one of ${KINDS.join(', ')}.`);
  if (!existsSync(file)) fail(`No such file: ${file}`);
  jobs.push({ kind, file });
}

const env = loadEnv();
const dryRun = values['dry-run'] === true;
const example = jobs[0]!;
const opened = await openForCli(
  env,
  `  curl -X POST -H "Authorization: Bearer $ADMIN_TOKEN" -H 'content-type: text/csv' \\\n    --data-binary @${example.file} 'http://${env.HOST}:${env.PORT}/api/v1/ingest/${example.kind}${dryRun ? '?dry_run=true' : ''}'`,
);

const line = (r: IngestResult, seconds: number) =>
  `${r.kind}: ${r.rows.toLocaleString('en')} rows — inserted ${r.inserted.toLocaleString('en')}, updated ${r.updated.toLocaleString('en')}, unchanged ${r.unchanged.toLocaleString('en')}` +
  `${r.dry_run ? ' (dry run: nothing written)' : ''} in ${seconds.toFixed(1)} s (${Math.round(r.rows / Math.max(seconds, 0.001)).toLocaleString('en')} rows/s)`;

// The first Ctrl-C stops the file being read: its import is undone (and recorded as aborted); a
// second one quits at once (the database undoes the open transaction all the same).
let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  console.error(
    '\nStopping: the import of this file is undone if it is still being read. Ctrl-C again to quit at once.',
  );
});

let status = 0;
try {
  for (const { kind, file } of jobs) {
    const size = statSync(file).size;
    const progress = new Progress(`${kind}`, size);
    const started = performance.now();
    let bytes = 0;
    async function* counted() {
      for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
        if (interrupted) throw new IngestAborted('interrupted from the command line (Ctrl-C)');
        bytes += (chunk as Buffer).byteLength;
        yield chunk as Buffer;
      }
    }
    try {
      const source = await csvSource(counted());
      const result = await ingest(opened.database, kind, source, {
        timeZone: env.ORG_TIMEZONE,
        dryRun,
        actor: 'command line',
        source: 'cli',
        onProgress: (rows) => progress.update(bytes, rows),
        // Whoever runs it is there to stop it: no time limit on its statements.
        statementTimeoutMs: 0,
      });
      progress.done();
      console.log(line(result, (performance.now() - started) / 1000));
      for (const w of result.warnings) console.log(`  warning: ${w}`);
    } catch (err) {
      progress.done();
      if (err instanceof IngestAborted) {
        console.error(`${file}: ${err.message}; nothing of it was written.`);
        status = 130;
        break;
      }
      const rejected =
        err instanceof SourceError
          ? new IngestRejected(kind, [{ row: err.row, field: null, value: null, reason: err.reason }], 1)
          : err;
      if (!(rejected instanceof IngestRejected)) throw err;
      console.error(`${file}: ${rejected.message}.`);
      for (const p of rejected.problems.slice(0, 25))
        console.error(`  row ${p.row}${p.field ? `, ${p.field}` : ''}: ${p.reason}`);
      if (rejected.total > 25) console.error(`  … and ${(rejected.total - 25).toLocaleString('en')} more.`);
      status = 1;
      break;
    }
  }
} finally {
  await opened.close();
}
process.exit(status);
