// `npm run import -- --infer FILE` and `--source NAME FILE`, as a user runs them: a call export
// in its own shape goes in through a saved source, and again unchanged; a semicolon-separated
// Windows-1252 file and an XLSX workbook go in through mapping files; problems name the file's
// row and column.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../db/client';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { ROOT } from '../helpers/paths';
import { CALL_EXPORT_COLUMNS, CALL_EXPORT_MAPPING } from '../helpers/sources';

const onPostgres = Boolean(process.env.DATABASE_URL);
const base = mkdtempSync(join(tmpdir(), 'pairwise-src-cli-'));
const dir = join(base, 'data');
let suiteDb: TestDatabase | null = null;

beforeAll(async () => {
  if (onPostgres) suiteDb = await createTestDatabase();
});
afterAll(async () => {
  await suiteDb?.destroy();
  rmSync(base, { recursive: true, force: true });
});

function cli(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const { DATABASE_URL: _omit, ...inherited } = process.env;
  const dbEnv: Record<string, string> = onPostgres ? { DATABASE_URL: suiteDb!.url! } : { PGLITE_DIR: dir };
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/cli/import.ts', ...args], {
    cwd: ROOT,
    env: { ...inherited, NODE_ENV: 'production', PAIRWISE_DEMO: '0', ORG_TIMEZONE: 'UTC', ...dbEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out, err })));
}

/** The database as the CLI leaves it (on PGlite, only while no CLI runs). */
async function withDb<T>(f: (db: Database) => Promise<T>): Promise<T> {
  const db = onPostgres ? openDatabase({ url: suiteDb!.url!, max: 1 }) : openDatabase({ pgliteDir: dir });
  try {
    return await f(db);
  } finally {
    await db.close();
  }
}

const ROWS = [
  ['C1', 'Diane', '13/03/2024', '09:12:00', 'Billing', 'Y', 'Y', '20', '0:02:23', '5'],
  ['C2', 'Becky', '13/03/2024', '09:40:30', 'Password', 'Y', 'N', '65', '0:10:05', ''],
  ['C3', 'Diane', '14/03/2024', '14:03:00', 'Billing', 'N', 'N', '', '', ''],
  ['C4', 'Joe', '02/04/2024', '08:00:00', 'Refund', 'Y', 'Y', '7', '1:00:00', '2'],
];
const csvText = (sep: string, rows: string[][]) =>
  [CALL_EXPORT_COLUMNS, ...rows].map((r) => r.join(sep)).join('\r\n') + '\r\n';

describe('npm run import -- --infer / --source', () => {
  it('proposes a mapping, imports through the saved source, and again changes nothing', async () => {
    const file = join(base, 'calls.csv');
    writeFileSync(file, csvText(',', ROWS));
    const inferred = await cli('--infer', file);
    expect(inferred.code, inferred.err).toBe(0);
    const mapping = JSON.parse(inferred.out) as {
      outputs: Array<{ kind: string; fields: Record<string, { column?: string }> }>;
    };
    expect(mapping.outputs.find((o) => o.kind === 'interactions')?.fields.handle_seconds?.column).toBe(
      'AvgTalkDuration',
    );
    expect(inferred.err).toMatch(/evidence: .*AvgTalkDuration/);
    expect(inferred.err).toMatch(/question: /);

    await withDb(async (db) => {
      const [s] = await db.rows<{ id: number }>(sql`insert into sources (name) values ('Call export') returning id`);
      await db.db.execute(
        sql`insert into source_versions (source_id, version, name, mapping, actor) values (${s!.id}, 1, 'Call export', ${JSON.stringify(CALL_EXPORT_MAPPING)}::jsonb, 'test')`,
      );
    });
    const first = await cli('--source', 'Call export', file);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toContain('through Call export v1: 4 rows');
    expect(first.out).toMatch(/interactions: inserted 4, updated 0, unchanged 0/);
    expect(first.out).toMatch(/surveys: inserted 2, updated 0, unchanged 0/);
    expect(first.out).toMatch(/agents: inserted 3, updated 0, unchanged 0/);
    const again = await cli('--source', 'call EXPORT', file);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toMatch(/interactions: inserted 0, updated 0, unchanged 4/);
    expect(again.out).toMatch(/surveys: inserted 0, updated 0, unchanged 2/);
    expect(again.out).toMatch(/agents: inserted 0, updated 0, unchanged 3/);
    const unknown = await cli('--source', 'No such source', file);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("No source is named 'No such source'. Saved sources: Call export.");
  }, 180_000);

  it('a semicolon-separated Windows-1252 file goes in through a mapping file', async () => {
    const file = join(base, 'calls-1252.csv');
    // Accented names and a decimal comma, as a European platform's export writes them.
    const text = csvText(';', [['W1', 'Zoë', '05/04/2024', '10:00:00', 'Facturación', 'Y', 'Y', '12', '0:03:00', '4']]);
    writeFileSync(file, Buffer.from(text, 'latin1'));
    const mappingFile = join(base, 'calls-1252.json');
    writeFileSync(
      mappingFile,
      JSON.stringify({
        pairwise_source: 1,
        name: 'EU calls',
        mapping: { ...CALL_EXPORT_MAPPING, format: { type: 'csv', delimiter: ';', encoding: 'windows-1252' } },
      }),
    );
    const r = await cli('--source', mappingFile, file);
    expect(r.code, r.err).toBe(0);
    const rows = await withDb((db) =>
      db.rows<{ agent: string; reason: string }>(
        sql`select a.name as agent, r.label as reason from interactions i join agents a on a.id = i.agent_id join contact_reasons r on r.id = i.contact_reason_id where i.external_id = 'W1'`,
      ),
    );
    expect(rows).toEqual([{ agent: 'Zoë', reason: 'Facturación' }]);
  }, 120_000);

  it('an XLSX workbook goes in (a chosen sheet; dates and durations as Excel keeps them)', async () => {
    const file = join(base, 'calls.xlsx');
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Summary').addRow(['not this sheet']);
    const ws = wb.addWorksheet('Calls');
    ws.addRow(['Call Id', 'Agent', 'Started', 'Answered (Y/N)', 'AvgTalkDuration', 'Satisfaction rating']);
    // Excel keeps a date and time as a date cell, a talk time as a fraction of a day.
    ws.addRow(['X1', 'Diane', new Date(Date.UTC(2024, 4, 6, 9, 30, 0)), 'Y', 143 / 86_400, 5]);
    ws.getCell('E2').numFmt = '[h]:mm:ss';
    ws.addRow(['X2', 'Priya', new Date(Date.UTC(2024, 4, 7, 16, 5, 0)), 'N', null, null]);
    await wb.xlsx.writeFile(file);
    const mappingFile = join(base, 'calls-xlsx.json');
    writeFileSync(
      mappingFile,
      JSON.stringify({
        version: 1,
        format: { type: 'xlsx', sheet: 'Calls' },
        outputs: [
          {
            kind: 'interactions',
            fields: {
              external_id: { column: 'Call Id' },
              occurred_at: { column: 'Started', transform: { type: 'datetime', order: 'iso' } },
              team: { constant: 'Contact centre', lookup: { by: 'name', create: true } },
              agent: { column: 'Agent', lookup: { by: 'name', create: true } },
              answered: { column: 'Answered (Y/N)', transform: { type: 'boolean', true: ['Y'], false: ['N'] } },
              handle_seconds: { column: 'AvgTalkDuration', transform: { type: 'duration', unit: 'h:mm:ss' } },
            },
          },
          {
            kind: 'surveys',
            only_when_any: ['csat'],
            fields: {
              external_id: { template: '{Call Id}-survey' },
              responded_at: { column: 'Started', transform: { type: 'datetime', order: 'iso' } },
              interaction: { column: 'Call Id' },
              csat: { column: 'Satisfaction rating' },
            },
          },
        ],
      }),
    );
    const r = await cli('--source', mappingFile, file);
    expect(r.code, r.err + r.out).toBe(0);
    expect(r.out).toMatch(/interactions: inserted 2/);
    const rows = await withDb((db) =>
      db.rows<Record<string, unknown>>(
        sql`select i.external_id, i.occurred_at::text as at, i.answered, i.handle_seconds, s.csat from interactions i left join surveys s on s.interaction_id = i.id where i.external_id like 'X%' order by 1`,
      ),
    );
    expect(rows).toEqual([
      { external_id: 'X1', at: '2024-05-06 09:30:00+00', answered: true, handle_seconds: 143, csat: 5 },
      { external_id: 'X2', at: '2024-05-07 16:05:00+00', answered: false, handle_seconds: null, csat: null },
    ]);
  }, 120_000);

  it('a file with problems writes nothing and names the row and column', async () => {
    const file = join(base, 'bad.csv');
    writeFileSync(
      file,
      csvText(',', [['B1', 'Diane', '13/03/2024', '09:12:00', 'Billing', 'Y', 'Y', '20', 'two minutes', '5']]),
    );
    const r = await cli('--source', 'Call export', file);
    expect(r.code).toBe(1);
    expect(r.err).toContain("row 2, column 'AvgTalkDuration' (interactions.handle_seconds)");
    const [n] = await withDb((db) =>
      db.rows<{ n: number }>(sql`select count(*)::int as n from interactions where external_id = 'B1'`),
    );
    expect(n!.n).toBe(0);
  }, 60_000);
});
