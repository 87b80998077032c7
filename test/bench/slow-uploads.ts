// `npm run bench:slow-uploads [-- --runs 3 --seconds 20 --slow 10]`: starts the real server on a
// fresh database (PGlite, or PostgreSQL with DATABASE_URL) and measures what readers wait while
// slow clients upload: for `--seconds`, one reader after another asks GET /api/v1/health, a
// GET /api/v1/metrics and a dry-run ingest of 10 rows, first with no upload under way (the
// baseline), then while `--slow` uploads each send one row a second. Prints p50/p95/max per
// request and over all of them for both, per run, then the spread over the runs.
import { spawn, spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { ROOT } from '../helpers/paths';
import { scratchDatabase } from './scratch';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '20' },
    slow: { type: 'string', default: '10' },
    'no-build': { type: 'boolean', default: false },
  },
});
const RUNS = Number(values.runs);
const SECONDS = Number(values.seconds);
const SLOW = Number(values.slow);
/** A reader that has no answer by then is counted as timed out (and its time as this). */
const REQUEST_TIMEOUT_MS = 30_000;
const TOKEN = 'bench-admin-token-0123456789abcdef';
const AUTH = { authorization: `Bearer ${TOKEN}` };

const scratch = await scratchDatabase('pairwise_bench_slow');
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
const collect = (b: Buffer) => (out += b.toString());
child.stdout!.on('data', collect);
const base = await new Promise<string>((resolve, reject) => {
  const t = setInterval(() => {
    const m = /running at (http:\/\/[^\s"]+) on/.exec(out);
    if (m) {
      clearInterval(t);
      resolve(m[1]!);
    }
  }, 50);
  child.on('exit', (code) => reject(new Error(`server exited (${code}): ${out}`)));
});
// The access log is not kept (the pipe is still drained).
child.stdout!.off('data', collect);
child.stdout!.resume();

async function post(path: string, body: string, type = 'text/csv') {
  const res = await fetch(`${base}/api/v1${path}`, {
    method: 'POST',
    headers: { ...AUTH, 'content-type': type },
    body,
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${text.slice(0, 400)}`);
}

// Some data, so the metrics read costs what a real one does.
const TEAMS = 4;
const DAYS = 90;
const START = Date.UTC(2025, 0, 1);
await post(
  '/ingest/teams',
  ['external_id,name', ...Array.from({ length: TEAMS }, (_, t) => `t${t},Team ${t}`)].join('\n') + '\n',
);
{
  let csv = 'external_id,occurred_at,team,answered,wait_seconds,handle_seconds,resolved\n';
  for (let i = 0; i < 20_000; i++) {
    const at = new Date(START + ((i * 7919) % (DAYS * 86_400)) * 1000).toISOString();
    csv += `h${i},${at},t${i % TEAMS},${i % 20 !== 0},${(i * 13) % 400},${60 + ((i * 31) % 600)},${i % 4 !== 0}\n`;
  }
  await post('/ingest/interactions', csv);
}

type Kind = 'health' | 'metrics' | 'dry run';
const READS: Array<[Kind, () => Promise<Response>]> = [
  ['health', () => fetch(`${base}/api/v1/health`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })],
  [
    'metrics',
    () =>
      fetch(`${base}/api/v1/metrics?metrics=contacts,wait_avg,csat&grain=week&from=2025-01-01&to=2025-03-31&by=team`, {
        headers: AUTH,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      }),
  ],
  [
    'dry run',
    () =>
      fetch(`${base}/api/v1/ingest/interactions?dry_run=true`, {
        method: 'POST',
        headers: { ...AUTH, 'content-type': 'text/csv' },
        body:
          'external_id,occurred_at,team,wait_seconds\n' +
          Array.from({ length: 10 }, (_, i) => `probe${i},2025-02-01T10:00:00Z,t1,${i}\n`).join(''),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      }),
  ],
];

interface Sample {
  kind: Kind;
  ms: number;
  ok: boolean;
}

/** One reader asking in turn for `seconds`. */
async function read(seconds: number): Promise<Sample[]> {
  const samples: Sample[] = [];
  const end = performance.now() + seconds * 1000;
  for (let i = 0; performance.now() < end; i++) {
    const [kind, ask] = READS[i % READS.length]!;
    const t0 = performance.now();
    let ok: boolean;
    try {
      const res = await ask();
      await res.arrayBuffer();
      ok = res.status === 200;
    } catch {
      ok = false;
    }
    samples.push({ kind, ms: performance.now() - t0, ok });
  }
  return samples;
}

/** `n` uploads, each sending a header and then one row a second until stopped. */
function slowUploads(n: number) {
  const stop = new AbortController();
  const enc = new TextEncoder();
  const uploads = Array.from({ length: n }, (_, u) => {
    let row = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (row === 0) controller.enqueue(enc.encode('external_id,occurred_at,team,wait_seconds\n'));
        else await new Promise((r) => setTimeout(r, 1000));
        if (stop.signal.aborted) return controller.error(new Error('stopped'));
        controller.enqueue(enc.encode(`slow${u}-${row},2025-02-01T10:00:00Z,t1,${row % 100}\n`));
        row++;
      },
    });
    return fetch(`${base}/api/v1/ingest/interactions`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'text/csv' },
      body,
      signal: stop.signal,
      duplex: 'half',
    } as RequestInit)
      .then((res) => res.status)
      .catch(() => 'stopped' as const);
  });
  return {
    async stop() {
      stop.abort();
      return Promise.all(uploads);
    },
  };
}

const quantile = (sorted: number[], q: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : Number.NaN;
interface Figures {
  n: number;
  p50: number;
  p95: number;
  max: number;
  failed: number;
}
const figures = (samples: Sample[]): Figures => {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  return {
    n: ms.length,
    p50: quantile(ms, 0.5),
    p95: quantile(ms, 0.95),
    max: ms[ms.length - 1] ?? Number.NaN,
    failed: samples.filter((s) => !s.ok).length,
  };
};
const fmt = (f: Figures) =>
  `n ${String(f.n).padStart(4)}  p50 ${f.p50.toFixed(1).padStart(7)} ms  p95 ${f.p95.toFixed(1).padStart(7)} ms  max ${f.max.toFixed(1).padStart(8)} ms${f.failed ? `  (${f.failed} failed or timed out)` : ''}`;

const db = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite';
const results: Array<{ baseline: Figures; slow: Figures }> = [];
try {
  await read(2); // warm-up: caches, JIT
  for (let run = 1; run <= RUNS; run++) {
    const baseline = await read(SECONDS);
    const uploads = slowUploads(SLOW);
    await new Promise((r) => setTimeout(r, 2000)); // all of them under way
    const slow = await read(SECONDS);
    const ended = await uploads.stop();
    const early = ended.filter((s) => s !== 'stopped');
    console.error(
      `run ${run}: ${SLOW} slow uploads${early.length ? `, ${early.length} answered before the end: ${early.join(', ')}` : ', all still sending at the end'}`,
    );
    for (const [label, samples] of [
      ['baseline', baseline],
      [`${SLOW} slow uploads`, slow],
    ] as const) {
      console.error(`  ${label}`);
      for (const [kind] of READS)
        console.error(`    ${kind.padEnd(8)} ${fmt(figures(samples.filter((s) => s.kind === kind)))}`);
      console.error(`    ${'all'.padEnd(8)} ${fmt(figures(samples))}`);
    }
    results.push({ baseline: figures(baseline), slow: figures(slow) });
    await new Promise((r) => setTimeout(r, 500)); // the stopped uploads' requests end
  }
  const spread = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return `${s[0]!.toFixed(1)} / ${s[Math.floor((s.length - 1) / 2)]!.toFixed(1)} / ${s[s.length - 1]!.toFixed(1)}`;
  };
  console.log(
    `\nbench:slow-uploads — readers (health, metrics, dry-run ingest in turn, one at a time) on ${db}, ${RUNS} runs of ${SECONDS} s each; min / median / max over the runs, ms`,
  );
  for (const key of ['baseline', 'slow'] as const) {
    const label = key === 'baseline' ? 'no uploads (baseline)' : `${SLOW} slow uploads (1 row/s)`;
    const fs = results.map((r) => r[key]);
    console.log(
      `  ${label.padEnd(28)} p50 ${spread(fs.map((f) => f.p50))}   p95 ${spread(fs.map((f) => f.p95))}   max ${spread(fs.map((f) => f.max))}   failed ${fs.map((f) => f.failed).join('+')}`,
    );
  }
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
  await scratch.cleanup();
}
