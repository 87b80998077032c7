// `npm run bench:ingest [-- --rows 1000000]`: starts the real server on a fresh database
// (PGlite, or PostgreSQL with DATABASE_URL), streams generated interactions through
// POST /api/v1/ingest/interactions, and prints rows/s and the server's peak memory.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Rng } from '../../db/seed/random';
import { ROOT } from '../helpers/paths';
import { scratchDatabase } from './scratch';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '200000' }, teams: { type: 'string', default: '8' }, agents: { type: 'string', default: '60' }, order: { type: 'string', default: 'random' } } });
const ROWS = Number(values.rows);
const TEAMS = Number(values.teams);
const AGENTS = Number(values.agents);
/** `time`: rows in the order of occurred_at, as an export of a period comes; `random`: spread at random over the year. */
const ORDER = values.order === 'time' ? 'time' : 'random';
const TOKEN = 'bench-admin-token-0123456789abcdef';
const url = process.env.DATABASE_URL;

const scratch = await scratchDatabase('pairwise_bench_ingest');
const dbEnv = scratch.env;
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
    if (m) (clearInterval(t), resolve(m[1]!));
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

async function post(kind: string, body: BodyInit, stream = false) {
  const res = await fetch(`${base}/api/v1/ingest/${kind}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/csv' },
    body,
    ...(stream ? { duplex: 'half' } : {}),
  } as RequestInit);
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status !== 200) throw new Error(`${kind}: ${res.status} ${JSON.stringify(json).slice(0, 500)}`);
  return json as { inserted: number; updated: number; unchanged: number };
}

/** A deterministic stream of interaction rows, generated as it is sent. */
function interactions(rows: number): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let i = 0;
  // The demo's seeded generator (sfc32): a plain LCG in doubles loses its low bits and cycles
  // through about 16,000 values, so the generated data was far less varied than real data.
  const rng = new Rng(42);
  const rand = () => rng.float();
  const start = Date.UTC(2025, 0, 1);
  const channels = ['phone', 'phone', 'phone', 'chat', 'email'];
  // Each contact reason belongs to one journey stage, as in real data and the demo data.
  const reasons: Array<[reason: string, stage: string]> = [
    ['Refund', 'Billing'],
    ['Invoice question', 'Billing'],
    ['Password reset', 'Technical issue'],
    ['Outage', 'Technical issue'],
    ['Upgrade', 'Renewal'],
    ['Address change', 'Onboarding'],
    ['Late delivery', 'Delivery'],
  ];
  return new ReadableStream({
    pull(controller) {
      if (i === 0) controller.enqueue(enc.encode('external_id,occurred_at,team,channel,agent,journey_stage,contact_reason,answered,wait_seconds,handle_seconds,resolved\n'));
      let chunk = '';
      for (let k = 0; k < 5000 && i < rows; k++, i++) {
        const agent = Math.floor(rand() * AGENTS);
        const team = agent % TEAMS;
        const offset = ORDER === 'time' ? Math.floor(((i + rand()) / rows) * 365 * 86_400_000) : Math.floor(rand() * 365 * 86_400_000);
        const at = new Date(start + offset).toISOString().slice(0, 19) + 'Z';
        const answered = rand() > 0.05;
        const wait = Math.floor(-Math.log(1 - rand()) * 60);
        chunk += `b${i},${at},t${team},${channels[i % 5]},${answered ? `a${agent}` : ''},${reasons[i % 7]![1]},${reasons[i % 7]![0]},${answered},${wait},${answered ? 60 + Math.floor(rand() * 600) : ''},${answered ? rand() > 0.3 : ''}\n`;
      }
      if (chunk) controller.enqueue(enc.encode(chunk));
      if (i >= rows) controller.close();
    },
  });
}

try {
  const teams = ['external_id,name', ...Array.from({ length: TEAMS }, (_, t) => `t${t},Team ${t}`)].join('\n');
  const agents = ['external_id,name,team', ...Array.from({ length: AGENTS }, (_, a) => `a${a},Agent ${a},t${a % TEAMS}`)].join('\n');
  await post('teams', teams);
  await post('agents', agents);
  const idle = rssOf();

  const runs: Array<[string, number, number]> = [];
  for (const label of ['first import', 're-import (all unchanged)']) {
    const t0 = performance.now();
    const r = await post('interactions', interactions(ROWS), true);
    const s = (performance.now() - t0) / 1000;
    runs.push([label, s, ROWS / s]);
    console.error(`${label}: ${JSON.stringify(r)}`);
  }
  clearInterval(sampler);
  const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
  console.log(`\nbench:ingest — ${ROWS.toLocaleString('en')} interactions through POST /api/v1/ingest/interactions on ${url ? 'PostgreSQL' : 'PGlite'} (rollups kept current; ${ORDER === 'time' ? 'rows in time order' : 'rows at random times over a year'})`);
  for (const [label, s, rate] of runs) console.log(`  ${label.padEnd(26)} ${s.toFixed(1).padStart(6)} s   ${Math.round(rate).toLocaleString('en').padStart(8)} rows/s`);
  console.log(`  server RSS: ${mb(idle)} before, peak ${mb(peakRss)}`);
} finally {
  clearInterval(sampler);
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
  await cleanup();
}
