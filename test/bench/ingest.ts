// `npm run bench:ingest [-- --rows 1000000]`: starts the real server on a fresh database
// (PGlite, or PostgreSQL with DATABASE_URL), streams generated interactions through
// POST /api/v1/ingest/interactions, and prints rows/s and the server's peak memory.
// `--source`: the same interactions also as a call-centre export (its own column names, agents and
// teams by name, day-first dates in their own column, Y/N, h:mm:ss) through a saved source
// (POST /sources/{id}/ingest), both in one run, and the rate of one to the other.
// In the same run, the baseline: the same rows COPYed in one transaction into a table made LIKE
// `interactions` (the same indexes), and Pairwise's first import rate ÷ COPY's.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { copyText, openDatabase } from '../../db/client';
import { Rng } from '../../db/seed/random';
import { MIGRATIONS, ROOT } from '../helpers/paths';
import { scratchDatabase } from './scratch';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '200000' },
    teams: { type: 'string', default: '8' },
    agents: { type: 'string', default: '60' },
    order: { type: 'string', default: 'random' },
    source: { type: 'boolean', default: false },
  },
});
const ROWS = Number(values.rows);
const TEAMS = Number(values.teams);
const AGENTS = Number(values.agents);
/** `time`: rows in the order of occurred_at, as an export of a period comes; `random`: spread at random over the year. */
const ORDER = values.order === 'time' ? 'time' : 'random';
const TOKEN = 'bench-admin-token-0123456789abcdef';
const url = process.env.DATABASE_URL;

const scratch = await scratchDatabase('pairwise_bench_ingest');
const dbEnv = scratch.env;
const dbEnvUrl = () => ('DATABASE_URL' in dbEnv ? dbEnv.DATABASE_URL : '');
const cleanup = () => scratch.cleanup();

const { DATABASE_URL: _omit, ...inherited } = process.env;
// The bundled server, as `npm start` runs it.
const build = spawnSync('npm', ['run', '--silent', 'build:server'], { cwd: ROOT, stdio: 'inherit' });
if (build.status !== 0) throw new Error('npm run build:server failed');
const child = spawn(process.execPath, ['dist/server.js'], {
  cwd: ROOT,
  env: { ...inherited, ...dbEnv, PORT: '0', HOST: '127.0.0.1', PAIRWISE_DEMO: '0', PAIRWISE_ADMIN_TOKEN: TOKEN },
  stdio: ['ignore', 'pipe', 'inherit'],
});
let out = '';
child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
const base = await new Promise<string>((resolve, reject) => {
  const t = setInterval(() => {
    const m = /running at (http:\/\/\S+) on/.exec(out);
    if (m) {
      clearInterval(t);
      resolve(m[1]!);
    }
  }, 50);
  child.on('exit', (code) => reject(new Error(`server exited (${code}): ${out}`)));
});

let peakRss = 0;
const rssOf = () => {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
};
const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssOf())), 100);

async function post(kind: string, body: BodyInit, stream = false, path = `/api/v1/ingest/${kind}`) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/csv' },
    body,
    ...(stream ? { duplex: 'half' } : {}),
  } as RequestInit);
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status !== 200) throw new Error(`${kind}: ${res.status} ${JSON.stringify(json).slice(0, 500)}`);
  return json as { inserted: number; updated: number; unchanged: number };
}

interface Row {
  i: number;
  team: number;
  agent: number;
  at: string;
  channel: string;
  stage: number;
  answered: boolean;
  wait: number;
  handle: number | null;
  resolved: boolean | null;
}

const CHANNELS = ['phone', 'phone', 'phone', 'chat', 'email'];
// Each contact reason belongs to one journey stage, as in real data and the demo data.
const REASONS: Array<[reason: string, stage: string]> = [
  ['Refund', 'Billing'],
  ['Invoice question', 'Billing'],
  ['Password reset', 'Technical issue'],
  ['Outage', 'Technical issue'],
  ['Upgrade', 'Renewal'],
  ['Address change', 'Onboarding'],
  ['Late delivery', 'Delivery'],
];
const STAGES = [...new Set(REASONS.map(([, stage]) => stage))];

/** The deterministic interaction rows, a batch at a time (the same for every format). */
function* generate(rows: number, shape: 'contract' | 'export'): Generator<Row[]> {
  // The demo's seeded generator (sfc32): a plain LCG in doubles loses its low bits and cycles
  // through about 16,000 values, so the generated data was far less varied than real data.
  const rng = new Rng(42);
  const rand = () => rng.float();
  // The export's calls are a year earlier: its import recomputes the rollups of days of its own,
  // as the contract file's import did (days shared with it would be recomputed over both files' rows).
  const start = shape === 'contract' ? Date.UTC(2025, 0, 1) : Date.UTC(2024, 0, 1);
  for (let i = 0; i < rows;) {
    const batch: Row[] = [];
    for (let k = 0; k < 5000 && i < rows; k++, i++) {
      const agent = Math.floor(rand() * AGENTS);
      const offset =
        ORDER === 'time' ? Math.floor(((i + rand()) / rows) * 365 * 86_400_000) : Math.floor(rand() * 365 * 86_400_000);
      const at = new Date(start + offset).toISOString().slice(0, 19) + 'Z';
      const answered = rand() > 0.05;
      const wait = Math.floor(-Math.log(1 - rand()) * 60);
      const handle = answered ? 60 + Math.floor(rand() * 600) : null;
      const resolved = answered ? rand() > 0.3 : null;
      batch.push({
        i,
        team: agent % TEAMS,
        agent,
        at,
        channel: CHANNELS[i % 5]!,
        stage: STAGES.indexOf(REASONS[i % 7]![1]),
        answered,
        wait,
        handle,
        resolved,
      });
    }
    yield batch;
  }
}

/** A deterministic stream of interaction rows, generated as it is sent (`shape` export: as a call-centre platform writes them). */
function interactions(
  rows: number,
  shape: 'contract' | 'export' = 'contract',
  prefix = 'b',
): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  const batches = generate(rows, shape);
  let first = true;
  return new ReadableStream({
    pull(controller) {
      if (first)
        controller.enqueue(
          enc.encode(
            shape === 'contract'
              ? 'external_id,occurred_at,team,channel,agent,journey_stage,contact_reason,answered,wait_seconds,handle_seconds,resolved\n'
              : 'Call Id,Queue,Channel,Agent,Stage,Topic,Date,Time,Answered (Y/N),Speed of answer in seconds,AvgTalkDuration,Resolved\n',
          ),
        );
      first = false;
      const next = batches.next();
      if (next.done) return controller.close();
      let chunk = '';
      for (const { i, team, agent, at, channel, answered, wait, handle, resolved } of next.value) {
        if (shape === 'contract')
          chunk += `${prefix}${i},${at},t${team},${channel},${answered ? `a${agent}` : ''},${REASONS[i % 7]![1]},${REASONS[i % 7]![0]},${answered},${wait},${handle ?? ''},${resolved ?? ''}\n`;
        else {
          const hms =
            handle === null
              ? ''
              : `${Math.floor(handle / 3600)}:${String(Math.floor(handle / 60) % 60).padStart(2, '0')}:${String(handle % 60).padStart(2, '0')}`;
          chunk += `${prefix}${i},Team ${team},${CHANNEL_NAMES[channel]},${answered ? `Agent ${agent}` : ''},${REASONS[i % 7]![1]},${REASONS[i % 7]![0]},${at.slice(8, 10)}/${at.slice(5, 7)}/${at.slice(0, 4)},${at.slice(11, 19)},${answered ? 'Y' : 'N'},${wait},${hms},${resolved === null ? '' : resolved ? 'Y' : 'N'}\n`;
        }
      }
      controller.enqueue(enc.encode(chunk));
    },
  });
}

const COPY_COLUMNS = [
  'external_id',
  'occurred_at',
  'team_id',
  'channel',
  'agent_id',
  'journey_stage_id',
  'contact_reason_id',
  'answered',
  'wait_seconds',
  'handle_seconds',
  'resolved',
];

/**
 * The baseline: the contract file's rows (references as ids) COPYed in one transaction into a
 * table made LIKE `interactions`, with its indexes, on a database of the bench's own kind (on
 * PGlite an in-memory one in this process: the server holds its directory). Returns seconds.
 */
async function copyBaseline(rows: number): Promise<number> {
  const url = process.env.DATABASE_URL;
  const database = url
    ? openDatabase({ url: dbEnvUrl(), max: 1, statementTimeoutMs: 0 })
    : openDatabase({ pglite: new PGlite(), statementTimeoutMs: 0 });
  try {
    if (!url) await database.migrate(MIGRATIONS);
    await database.db.execute(sql.raw('create table bench_copy (like interactions including all)'));
    const t0 = performance.now();
    await database.db.transaction(async (tx) => {
      const w = await database.copyIn(tx, 'bench_copy', COPY_COLUMNS);
      for (const batch of generate(rows, 'contract')) {
        let text = '';
        for (const r of batch)
          text +=
            [
              `b${r.i}`,
              r.at,
              r.team + 1,
              r.channel,
              r.answered ? r.agent + 1 : null,
              r.stage + 1,
              (r.i % 7) + 1,
              r.answered,
              r.wait,
              r.handle,
              r.resolved,
            ]
              .map(copyText)
              .join('\t') + '\n';
        await w.write(text);
      }
      await w.end();
    });
    const seconds = (performance.now() - t0) / 1000;
    await database.db.execute(sql.raw('drop table bench_copy'));
    return seconds;
  } finally {
    await database.close();
  }
}

const CHANNEL_NAMES: Record<string, string> = { phone: 'Voice', chat: 'Live chat', email: 'E-mail' };
/** The export's mapping: what a user saves after accepting the proposal for such a file. */
const EXPORT_MAPPING = {
  version: 1,
  format: { type: 'csv', delimiter: ',', encoding: 'utf-8' },
  time_zone: 'UTC',
  outputs: [
    {
      kind: 'interactions',
      fields: {
        external_id: { column: 'Call Id' },
        occurred_at: { columns: ['Date', 'Time'], transform: { type: 'datetime', order: 'dmy' } },
        team: { column: 'Queue', lookup: { by: 'name', create: true } },
        channel: {
          column: 'Channel',
          transform: {
            type: 'map',
            values: { Voice: 'phone', 'Live chat': 'chat', 'E-mail': 'email' },
            otherwise: 'error',
          },
        },
        agent: { column: 'Agent', lookup: { by: 'name', create: true } },
        journey_stage: { column: 'Stage' },
        contact_reason: { column: 'Topic' },
        answered: { column: 'Answered (Y/N)', transform: { type: 'boolean', true: ['Y'], false: ['N'] } },
        wait_seconds: { column: 'Speed of answer in seconds', transform: { type: 'duration', unit: 'seconds' } },
        handle_seconds: { column: 'AvgTalkDuration', transform: { type: 'duration', unit: 'h:mm:ss' } },
        resolved: { column: 'Resolved', transform: { type: 'boolean', true: ['Y'], false: ['N'] } },
      },
    },
  ],
};

try {
  const teams = ['external_id,name', ...Array.from({ length: TEAMS }, (_, t) => `t${t},Team ${t}`)].join('\n');
  const agents = [
    'external_id,name,team',
    ...Array.from({ length: AGENTS }, (_, a) => `a${a},Agent ${a},t${a % TEAMS}`),
  ].join('\n');
  await post('teams', teams);
  await post('agents', agents);
  const idle = rssOf();

  const runs: Array<[string, number, number]> = [];
  let sourcePath = '';
  if (values.source) {
    const res = await fetch(`${base}/api/v1/sources`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Call export (bench)', mapping: EXPORT_MAPPING }),
    });
    if (res.status !== 201) throw new Error(`POST /sources: ${res.status} ${await res.text()}`);
    sourcePath = `/api/v1/sources/${((await res.json()) as { id: number }).id}/ingest`;
  }
  // With --source, each round imports the contract file, then the same interactions (other ids,
  // a year earlier) as the export: the export's first import meets a table already holding the
  // contract's rows, on other days.
  for (const label of ['first import', 're-import (all unchanged)']) {
    const t0 = performance.now();
    const r = await post('interactions', interactions(ROWS), true);
    const s = (performance.now() - t0) / 1000;
    runs.push([`${label}, contract CSV`, s, ROWS / s]);
    console.error(`${label}: ${JSON.stringify(r)}`);
    if (values.source) {
      const t1 = performance.now();
      const r2 = await post('interactions', interactions(ROWS, 'export', 'c'), true, sourcePath);
      const s2 = (performance.now() - t1) / 1000;
      runs.push([`${label}, export via source`, s2, ROWS / s2]);
      console.error(`${label} (source): ${JSON.stringify(r2)}`);
      console.error(`  source rate ÷ contract rate: ${(s / s2).toFixed(2)}`);
    }
  }
  clearInterval(sampler);
  // The server is idle now: the baseline has the machine to itself, as the imports had.
  const copySeconds = await copyBaseline(ROWS);
  const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
  console.log(
    `\nbench:ingest — ${ROWS.toLocaleString('en')} interactions through POST /api/v1/ingest/interactions on ${url ? 'PostgreSQL' : 'PGlite'} (rollups kept current; ${ORDER === 'time' ? 'rows in time order' : 'rows at random times over a year'})`,
  );
  for (const [label, s, rate] of runs)
    console.log(
      `  ${label.padEnd(44)} ${s.toFixed(1).padStart(6)} s   ${Math.round(rate).toLocaleString('en').padStart(8)} rows/s`,
    );
  const copyRate = ROWS / copySeconds;
  console.log(
    `  ${'COPY baseline, same rows and indexes'.padEnd(44)} ${copySeconds.toFixed(1).padStart(6)} s   ${Math.round(copyRate).toLocaleString('en').padStart(8)} rows/s`,
  );
  console.log(
    `  first import ÷ COPY: ${(runs[0]![2] / copyRate).toFixed(2)} (COPY of the same rows in one transaction into a table made LIKE interactions: no checks, no upsert, no rollups)`,
  );
  if (values.source) {
    for (let k = 0; k + 1 < runs.length; k += 2)
      console.log(
        `  ${runs[k + 1]![0].replace(/, export via source$/, '')}: the source ran at ${((runs[k + 1]![2] / runs[k]![2]) * 100).toFixed(0)}% of the contract CSV's rate (mapping cost ${((1 - runs[k + 1]![2] / runs[k]![2]) * 100).toFixed(0)}%)`,
      );
  }
  console.log(`  server RSS: ${mb(idle)} before, peak ${mb(peakRss)}`);
} finally {
  clearInterval(sampler);
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
  await cleanup();
}
