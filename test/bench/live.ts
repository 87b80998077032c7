// `npm run bench:live [-- --clients 200 --seconds 60]`: starts the real server on a fresh database
// (PGlite, or PostgreSQL with DATABASE_URL), opens N simultaneous Server-Sent Events clients on
// GET /api/v1/live with a display token, ingests one interaction a second, and measures for every
// client and every ingest the delivery latency: from the ingest's response to the first snapshot
// that reflects it (today's contacts count). Prints p50/p95/max and the server's RSS at start
// and end.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Rng } from '../../db/seed/random';
import { ROOT } from '../helpers/paths';
import { scratchDatabase } from './scratch';
import { watchContacts } from './snapshots';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '60' },
    history: { type: 'string', default: '20000' },
    'no-build': { type: 'boolean', default: false },
  },
});
const CLIENTS = Number(values.clients);
const SECONDS = Number(values.seconds);
const HISTORY = Number(values.history);
const TOKEN = 'bench-admin-token-0123456789abcdef';
const ADMIN = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

const scratch = await scratchDatabase('pairwise_bench_live');
const { DATABASE_URL: _omit, ...inherited } = process.env;
if (!values['no-build']) {
  const build = spawnSync('npm', ['run', '--silent', 'build:server'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build:server failed');
}
const child = spawn(process.execPath, ['dist/server.js'], {
  cwd: ROOT,
  env: { ...inherited, ...scratch.env, PORT: '0', HOST: '127.0.0.1', PAIRWISE_DEMO: '0', PAIRWISE_ADMIN_TOKEN: TOKEN },
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

const rss = () => {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
};
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;

async function post(path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${base}/api/v1${path}`, { method: 'POST', headers: ADMIN, body: JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(json).slice(0, 400)}`);
  return json;
}

// Some history, so each snapshot costs what a real one does (13 weeks of sparklines).
const TEAMS = ['floor-a', 'floor-b', 'floor-c', 'floor-d'];
await post(
  '/ingest/teams',
  TEAMS.map((t) => ({ external_id: t, name: t.replace('floor-', 'Floor ').toUpperCase() })),
);
// The demo's seeded generator (sfc32): a plain LCG in doubles loses its low bits and cycles
// through about 16,000 values, so the generated data was far less varied than real data.
const rng = new Rng(7);
const rand = () => rng.float();
const now = Date.now();
for (let done = 0; done < HISTORY; done += 5000) {
  const rows = [];
  const surveys = [];
  for (let i = done; i < Math.min(HISTORY, done + 5000); i++) {
    const id = `h-${i}`;
    const at = new Date(now - 86_400_000 - Math.floor(rand() * 90 * 86_400_000)).toISOString();
    rows.push({
      external_id: id,
      occurred_at: at,
      team: TEAMS[i % TEAMS.length],
      answered: rand() > 0.05,
      wait_seconds: Math.floor(rand() * 300),
      handle_seconds: 60 + Math.floor(rand() * 600),
      resolved: rand() > 0.25,
    });
    if (i % 4 === 0)
      surveys.push({
        external_id: `s-${i}`,
        responded_at: at,
        interaction: id,
        csat: 1 + Math.floor(rand() * 5),
        nps: Math.floor(rand() * 11),
      });
  }
  await post('/ingest/interactions', rows);
  await post('/ingest/surveys', surveys);
}
const display = (await post('/tokens', { role: 'display', label: 'bench TV' })) as { token: string };

const rssStart = rss();
console.log(
  `server ${base} (${'DATABASE_URL' in scratch.env ? 'PostgreSQL' : 'PGlite'}), ${HISTORY} interactions of history; RSS ${mb(rssStart)} before clients`,
);

// --- the clients ---------------------------------------------------------------------------
interface Client {
  /** Today's contacts count of each snapshot received, with the time it arrived. */
  seen: Array<{ contacts: number; at: number }>;
  ctrl: AbortController;
  error: string | null;
  ready: Promise<void>;
}

function openClient(): Client {
  const ctrl = new AbortController();
  const c: Client = { seen: [], ctrl, error: null, ready: Promise.resolve() };
  c.ready = new Promise<void>((resolveReady) => {
    void (async () => {
      try {
        await watchContacts(base, display.token, ctrl.signal, (contacts) => {
          c.seen.push({ contacts, at: performance.now() });
          resolveReady();
        });
      } catch (err) {
        if (!ctrl.signal.aborted) c.error = (err as Error).message;
        resolveReady();
      }
    })();
  });
  return c;
}

const t0 = performance.now();
const clients = Array.from({ length: CLIENTS }, openClient);
await Promise.all(clients.map((c) => c.ready));
const failed = clients.filter((c) => c.error);
console.log(
  `${CLIENTS - failed.length}/${CLIENTS} clients connected and got their first snapshot in ${(performance.now() - t0).toFixed(0)} ms; RSS ${mb(rss())}`,
);
if (failed.length) console.log(`  failures: ${[...new Set(failed.map((c) => c.error))].join('; ')}`);
const baseline = Math.max(...clients.flatMap((c) => c.seen.map((s) => s.contacts)));

// --- steady ingest -------------------------------------------------------------------------
const responded: number[] = [];
for (let k = 1; k <= SECONDS; k++) {
  const started = performance.now();
  await post('/ingest/interactions', [
    {
      external_id: `live-${k}`,
      occurred_at: new Date().toISOString(),
      team: TEAMS[k % TEAMS.length],
      wait_seconds: 20,
      handle_seconds: 200,
      resolved: true,
    },
  ]);
  responded[k] = performance.now();
  const wait = 1000 - (performance.now() - started);
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}
await new Promise((r) => setTimeout(r, 5_000));
const rssEnd = rss();

// --- latencies -----------------------------------------------------------------------------
const lat: number[] = [];
let early = 0;
let missing = 0;
for (const c of clients) {
  if (c.error) continue;
  for (let k = 1; k <= SECONDS; k++) {
    const first = c.seen.find((s) => s.contacts >= baseline + k);
    if (!first) {
      missing++;
      continue;
    }
    const d = first.at - responded[k]!;
    if (d < 0) early++;
    lat.push(Math.max(0, d));
  }
}
lat.sort((a, b) => a - b);
const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] ?? NaN;
const snapshots = clients.reduce((n, c) => n + c.seen.length, 0);
console.log(
  `\n${CLIENTS} SSE clients, ${SECONDS} ingests (one a second), ${lat.length} deliveries measured, ${snapshots} snapshots received`,
);
console.log(
  `delivery latency (ingest response → snapshot reflecting it): p50 ${q(0.5).toFixed(0)} ms, p95 ${q(0.95).toFixed(0)} ms, max ${(lat.at(-1) ?? NaN).toFixed(0)} ms`,
);
if (early) console.log(`  ${early} deliveries arrived before the ingest response itself (counted as 0 ms)`);
if (missing) console.log(`  ${missing} deliveries missing`);
console.log(`server RSS: start ${mb(rssStart)}, end ${mb(rssEnd)}`);

for (const c of clients) c.ctrl.abort();
child.kill('SIGTERM');
await new Promise<void>((r) => {
  const t = setTimeout(() => (child.kill('SIGKILL'), r()), 10_000);
  child.on('exit', () => (clearTimeout(t), r()));
});
await scratch.cleanup();
process.exit(missing || failed.length ? 1 : 0);
