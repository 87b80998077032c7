// `npm run import -- --source NAME FILE [--dry-run]` imports a file through a saved source (or a
// mapping file exported from one); `npm run import -- --infer FILE [--sheet NAME]` prints the
// mapping Pairwise proposes for a file, as JSON, with its evidence and questions on stderr.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Env } from '../env';
import { SourceError } from '../ingest/sources';
import { inferMapping } from '../sources/infer';
import { knownRecords } from '../sources/known';
import { MappingSchema, type Mapping } from '../sources/mapping';
import { detectFormat, openTable } from '../sources/read';
import { runSource, SourceRejected } from '../sources/run';
import { fail, openForCli } from './open';
import { Progress } from './progress';

const n = (x: number) => x.toLocaleString('en');

/** Prints the proposed mapping for a file (no database needed beyond reading known ids and names). */
export async function inferFromCli(env: Env, file: string, sheet?: string): Promise<number> {
  if (!existsSync(file)) fail(`No such file: ${file}`);
  const detected = await detectFormat(file, { filename: basename(file) });
  const format = sheet && detected.format.type === 'xlsx' ? { ...detected.format, sheet } : detected.format;
  const opened = await openForCli(
    env,
    `  curl -X POST -H "Authorization: Bearer $ADMIN_TOKEN" --data-binary @${file} 'http://${env.HOST}:${env.PORT}/api/v1/sources/infer?file_name=${encodeURIComponent(basename(file))}'`,
  );
  try {
    const { database } = opened;
    const inference = await inferMapping(await openTable(file, format), {
      timeZone: env.ORG_TIMEZONE,
      fileName: basename(file),
      ...knownRecords(database),
    });
    for (const e of detected.evidence) console.error(`format: ${e}`);
    for (const e of inference.evidence) console.error(`evidence: ${e.message}`);
    for (const q of inference.questions)
      console.error(`question: ${q.question} (default: ${q.options[q.default]?.label ?? '—'})`);
    console.log(JSON.stringify(inference.mapping, null, 2));
    return 0;
  } finally {
    await opened.close();
  }
}

/** A saved source by name, or a mapping file (an exported source, or a bare mapping). */
async function loadMapping(
  database: Awaited<ReturnType<typeof openForCli>>['database'],
  name: string,
): Promise<{ label: string; mapping: Mapping }> {
  if (name.endsWith('.json') && existsSync(name)) {
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(name, 'utf8'));
    } catch (err) {
      fail(`${name} is not valid JSON: ${(err as Error).message}`);
    }
    const raw = doc && typeof doc === 'object' && 'mapping' in doc ? (doc as { mapping: unknown }).mapping : doc;
    const parsed = MappingSchema.safeParse(raw);
    if (!parsed.success)
      fail(
        `${name} is not a valid mapping:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`,
      );
    return { label: name, mapping: parsed.data };
  }
  const rows = await database.rows<{ name: string; version: number; mapping: unknown }>(
    sql`select s.name, s.version, v.mapping from sources s join source_versions v on v.source_id = s.id and v.version = s.version where lower(s.name) = lower(${name})`,
  );
  if (rows.length === 0) {
    const all = await database.rows<{ name: string }>(sql`select name from sources order by lower(name)`);
    fail(
      `No source is named '${name}'.${all.length ? ` Saved sources: ${all.map((r) => r.name).join(', ')}.` : ' Save one in Admin › Import, or give a mapping file (.json).'}`,
    );
  }
  return { label: `${rows[0]!.name} v${rows[0]!.version}`, mapping: MappingSchema.parse(rows[0]!.mapping) };
}

export async function importSourceFromCli(env: Env, name: string, file: string, dryRun: boolean): Promise<number> {
  if (!existsSync(file)) fail(`No such file: ${file}`);
  const opened = await openForCli(
    env,
    `  curl -X POST -H "Authorization: Bearer $ADMIN_TOKEN" --data-binary @${file} 'http://${env.HOST}:${env.PORT}/api/v1/sources/ID/ingest${dryRun ? '?dry_run=true' : ''}'`,
  );
  try {
    const { label, mapping } = await loadMapping(opened.database, name);
    const size = statSync(file).size;
    const started = performance.now();
    const bars = new Map<string, Progress>();
    const result = await runSource(opened.database, mapping, () => openTable(file, mapping.format), {
      timeZone: env.ORG_TIMEZONE,
      dryRun,
      // Whoever runs it is there to stop it: no time limit on its statements.
      statementTimeoutMs: 0,
      onProgress: (pass, rows) => {
        let bar = bars.get(pass);
        if (!bar) bars.set(pass, (bar = new Progress(pass, size)));
        // Rows, not bytes, are known here: the bar shows rows against an estimate of the file's.
        bar.update(Math.min(size, rows * 100), rows);
      },
    });
    for (const bar of bars.values()) bar.done();
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `${file} through ${label}: ${n(result.rows)} rows in ${seconds.toFixed(1)} s${result.dry_run ? ' (dry run: nothing written)' : ''}`,
    );
    for (const [kind, c] of Object.entries(result.results))
      console.log(`  ${kind}: inserted ${n(c.inserted)}, updated ${n(c.updated)}, unchanged ${n(c.unchanged)}`);
    for (const w of result.warnings) console.log(`  warning: ${w}`);
    return 0;
  } catch (thrown) {
    const err =
      thrown instanceof SourceError
        ? new SourceRejected(
            [{ row: thrown.row, kind: null, field: null, column: null, value: null, reason: thrown.reason }],
            1,
            [],
          )
        : thrown;
    if (!(err instanceof SourceRejected)) throw err;
    console.error(`${file}: ${err.message}.`);
    for (const p of err.problems.slice(0, 25))
      console.error(
        `  row ${p.row}${p.column ? `, column '${p.column}'` : ''}${p.kind ? ` (${p.kind}${p.field ? `.${p.field}` : ''})` : ''}: ${p.reason}`,
      );
    if (err.total > 25) console.error(`  … and ${n(err.total - 25)} more.`);
    return 1;
  } finally {
    await opened.close();
  }
}
