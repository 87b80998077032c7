// `npm run bench:events [-- --senders 16 --seconds 30 --runs 1 --rows-in-day 1000 --pglite --path events|ingest --profile DIR]`:
// starts the real server on a fresh database (PostgreSQL: DATABASE_URL, else the local test
// server; `--pglite`: embedded), preloads a day, and has N concurrent senders each POST one
// interaction at a time (POST /api/v1/events/interactions; `--path ingest`: a one-record JSON
// array to POST /api/v1/ingest/interactions) with an ingest token (admin where the route refuses
// one; a light keep-alive client, see light-http.ts) for S seconds, while a TV's Server-Sent Events stream (GET /api/v1/live) is watched.
// Prints events/s, ack latency p50/p95/p99, ack → snapshot latency, the largest gap between
// snapshots, and in the same run the baseline: a plain one-row INSERT loop on as many
// connections for as long into a table indexed as `interactions` is (holding the same rows),
// and the ratio of the two. `--runs K` repeats both and prints min/median/max.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { openDatabase, type Database } from '../../db/client';
import { Rng } from '../../db/seed/random';
import { MIGRATIONS, ROOT } from '../helpers/paths';
import { scratchDatabase } from './scratch';
import { cpuSecondsNamed, cpuSecondsOf, LightClient } from './light-http';
import { contactsOf, watchContacts } from './snapshots';

const { values } = parseArgs({
  options: {
    senders: { type: 'string', default: '16' },
    seconds: { type: 'string', default: '30' },
    runs: { type: 'string', default: '1' },
    'rows-in-day': { type: 'string', default: '1000' },
    history: { type: 'string', default: '20000' },
    pglite: { type: 'boolean', default: false },
    path: { type: 'string', default: 'events' },
    'no-build': { type: 'boolean', default: false },
    /** A folder for the server's CPU profile (node --cpu-prof), written when it stops. */
    profile: { type: 'string' },
  },
});
const SENDERS = Number(values.senders);
const SECONDS = Number(values.seconds);
const RUNS = Number(values.runs);
const ROWS_IN_DAY = Number(values['rows-in-day']);
const HISTORY = Number(values.history);
if (values.path !== 'events' && values.path !== 'ingest')
  throw new Error(`--path is events or ingest, got ${values.path}`);
const VIA: 'events' | 'ingest' = values.path;
const ROUTE = VIA === 'events' ? '/api/v1/events/interactions' : '/api/v1/ingest/interactions';
const TOKEN = 'bench-admin-token-0123456789abcdef';
const ADMIN = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
const TEAMS = ['floor-a', 'floor-b', 'floor-c', 'floor-d'];
const AGENTS = 24;
const CHANNELS = ['phone', 'phone', 'phone', 'chat', 'email'];

// The scratch database follows DATABASE_URL: PostgreSQL unless --pglite.
if (values.pglite) delete process.env.DATABASE_URL;
else process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
const ON = values.pglite ? 'PGlite' : 'PostgreSQL';
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const loadBefore = load();

const scratch = await scratchDatabase('pairwise_bench_events');
const { DATABASE_URL: _omit, ...inherited } = process.env;
let child: ReturnType<typeof spawn> | null = null;
let baselineDb: Database | null = null;
const sse = new AbortController();

try {
  if (!values['no-build']) {
    const build = spawnSync('npm', ['run', '--silent', 'build:server'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('npm run build:server failed');
  }
  const server = spawn(
    process.execPath,
    [...(values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : []), 'dist/server.js'],
    {
      cwd: ROOT,
      env: {
        ...inherited,
        ...scratch.env,
        PORT: '0',
        HOST: '127.0.0.1',
        PAIRWISE_DEMO: '0',
        PAIRWISE_ADMIN_TOKEN: TOKEN,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  child = server;
  // Its access log is read until the address shows, then drained unread (hundreds of lines a second).
  let out = '';
  let started = false;
  server.stdout!.on('data', (b: Buffer) => {
    if (!started) out += b.toString();
  });
  const base = await new Promise<string>((resolve, reject) => {
    const t = setInterval(() => {
      const m = /running at (http:\/\/\S+) on/.exec(out);
      if (!m) return;
      clearInterval(t);
      started = true;
      out = '';
      resolve(m[1]!);
    }, 50);
    server.on('exit', (code) => (clearInterval(t), reject(new Error(`server exited (${code}): ${out}`))));
  });

  const post = async (path: string, body: unknown, headers: Record<string, string> = ADMIN) => {
    const res = await fetch(`${base}/api/v1${path}`, {
      method: 'POST',
      headers,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(json).slice(0, 400)}`);
    return json;
  };

  // --- data: teams, agents, some history, and the rows already in today --------------------
  await post(
    '/ingest/teams',
    TEAMS.map((t) => ({ external_id: t, name: t.replace('floor-', 'Floor ').toUpperCase() })),
  );
  await post(
    '/ingest/agents',
    Array.from({ length: AGENTS }, (_, a) => ({
      external_id: `a${a}`,
      name: `Agent ${a}`,
      team: TEAMS[a % TEAMS.length],
    })),
  );
  const rng = new Rng(11);
  const csv = (rows: number, id: string, at: (i: number) => number) => {
    let text = 'external_id,occurred_at,team,channel,agent,answered,wait_seconds,handle_seconds,resolved\n';
    for (let i = 0; i < rows; i++) {
      const agent = Math.floor(rng.float() * AGENTS);
      const answered = rng.float() > 0.05;
      text += `${id}${i},${new Date(at(i)).toISOString()},${TEAMS[agent % TEAMS.length]},${CHANNELS[i % 5]},${answered ? `a${agent}` : ''},${answered},${Math.floor(rng.float() * 300)},${answered ? 60 + Math.floor(rng.float() * 600) : ''},${answered ? rng.float() > 0.25 : ''}\n`;
    }
    return text;
  };
  const csvPost = async (text: string) => {
    const res = await fetch(`${base}/api/v1/ingest/interactions`, {
      method: 'POST',
      headers: { ...ADMIN, 'content-type': 'text/csv' },
      body: text,
    });
    if (res.status !== 200) throw new Error(`preload: ${res.status} ${(await res.text()).slice(0, 400)}`);
  };
  const dayStart = new Date(new Date().toISOString().slice(0, 10) + 'T00:00:00Z').getTime(); // ORG_TIMEZONE is UTC here
  const loadStarted = performance.now();
  // History (90 days before today) so each snapshot costs what a real one does (13 weeks of sparklines).
  for (let done = 0; done < HISTORY; done += 50_000) {
    const n = Math.min(50_000, HISTORY - done);
    await csvPost(csv(n, `h${done}-`, () => dayStart - 1000 - Math.floor(rng.float() * 90 * 86_400_000)));
  }
  // Today so far, in time order, as a live day's rows arrive.
  const span = Math.max(1000, Date.now() - dayStart - 60_000);
  for (let done = 0; done < ROWS_IN_DAY; done += 50_000) {
    const n = Math.min(50_000, ROWS_IN_DAY - done);
    await csvPost(csv(n, `d${done}-`, (i) => dayStart + Math.floor(((done + i) / ROWS_IN_DAY) * span)));
  }
  console.error(
    `loaded ${HISTORY.toLocaleString('en')} rows of history and ${ROWS_IN_DAY.toLocaleString('en')} in today in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`,
  );

  // --- tokens: the TV's, and the senders' (an ingest token where the route takes one) -------
  const display = (await post('/tokens', { role: 'display', label: 'bench TV' })) as { token: string };
  const send = (token: string, record: Record<string, unknown>) =>
    fetch(`${base}${ROUTE}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(VIA === 'events' ? record : [record]),
    });
  let senderToken = TOKEN;
  let senderRole = 'admin';
  try {
    const ingestToken = (await post('/tokens', { role: 'ingest', label: 'bench sender' })) as { token: string };
    const probe = await send(ingestToken.token, record('probe', 0));
    await probe.body?.cancel();
    if (probe.ok) {
      senderToken = ingestToken.token;
      senderRole = 'ingest';
    } else senderRole = `admin (the route answered an ingest token ${probe.status})`;
  } catch (err) {
    senderRole = `admin (no ingest token: ${(err as Error).message.slice(0, 120)})`;
  }

  // --- the TV's stream ----------------------------------------------------------------------
  /** Today's contacts count of each snapshot, with the time it arrived. */
  const seen: Array<{ contacts: number; at: number }> = [];
  let streamError: string | null = null;
  await new Promise<void>((ready) => {
    void (async () => {
      try {
        await watchContacts(base, display.token, sse.signal, (contacts) => {
          seen.push({ contacts, at: performance.now() });
          ready();
        });
        if (!sse.signal.aborted) streamError = 'the stream ended';
      } catch (err) {
        if (!sse.signal.aborted) streamError = (err as Error).message;
      }
      ready();
    })();
  });
  if (streamError) throw new Error(`live stream: ${streamError}`);
  const todayCount = async () => {
    const res = await fetch(`${base}/api/v1/views/tv`, { headers: { authorization: `Bearer ${display.token}` } });
    return contactsOf(await res.text());
  };

  // --- the baseline's table: as `interactions` is indexed, holding the same rows -------------
  const columns =
    'external_id, occurred_at, team_id, channel, agent_id, answered, wait_seconds, handle_seconds, resolved';
  if ('DATABASE_URL' in scratch.env) {
    baselineDb = openDatabase({ url: scratch.env.DATABASE_URL, max: SENDERS });
  } else {
    // The server holds its PGlite directory: the baseline runs on an embedded database of its own, in this process.
    baselineDb = openDatabase({ pglite: new PGlite() });
    await baselineDb.migrate(MIGRATIONS);
    await baselineDb.db.execute(
      sql.raw(
        `insert into interactions (${columns}) select 'x' || g, now() - interval '1 second' * (g % 86400), 1 + g % 4, 'phone', 1 + g % 24, true, 30, 200, true from generate_series(1, ${ROWS_IN_DAY + HISTORY}) g`,
      ),
    );
  }
  await baselineDb.db.execute(sql.raw('create table bench_baseline (like interactions including all)'));
  await baselineDb.db.execute(sql.raw(`insert into bench_baseline (${columns}) select ${columns} from interactions`));
  await baselineDb.db.execute(sql.raw('analyze bench_baseline'));

  // --- runs ---------------------------------------------------------------------------------
  interface Run {
    events: number;
    rate: number;
    ack: [number, number, number];
    sse: [number, number, number];
    early: number;
    missing: number;
    maxGap: number;
    gapsOver1s: number;
    refused: Map<number, number>;
    baseline: number;
    /** CPU milliseconds per acknowledged event: the server process, PostgreSQL's processes, this one (senders and TV). */
    cpu: { server: number; postgres: number; senders: number };
  }
  const results: Run[] = [];
  const q = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.max(0, Math.ceil(p * xs.length) - 1))] ?? NaN;

  function record(id: string, i: number): Record<string, unknown> {
    const agent = (i * 7) % AGENTS;
    return {
      external_id: id,
      occurred_at: new Date().toISOString(),
      team: TEAMS[agent % TEAMS.length],
      channel: CHANNELS[i % 5],
      agent: `a${agent}`,
      wait_seconds: 5 + (i % 120),
      handle_seconds: 60 + ((i * 13) % 600),
      answered: true,
      resolved: i % 4 !== 0,
    };
  }

  /** The events route's committed groups so far (GET /events/status; null on the ingest path or without it). */
  const groups = async (): Promise<number | null> => {
    if (VIA !== 'events') return null;
    const res = await fetch(`${base}/api/v1/events/status`, { headers: ADMIN });
    if (res.status !== 200) return null;
    const body = (await res.json()) as { kinds?: Record<string, { groups?: number }> };
    return body.kinds?.interactions?.groups ?? null;
  };

  for (let r = 1; r <= RUNS; r++) {
    await new Promise((res) => setTimeout(res, 1500)); // the previous run's last snapshot
    const before = await todayCount();
    const groupsBefore = await groups();
    const runStart = performance.now();
    const deadline = runStart + SECONDS * 1000;
    const acks: number[] = [];
    const ackLatency: number[] = [];
    const refused = new Map<number, number>();
    let inserted = 0;
    const cpuBefore = {
      server: cpuSecondsOf(server.pid!),
      postgres: cpuSecondsNamed('postgres'),
      senders: process.cpuUsage(),
    };
    const url = new URL(base);
    const senderHeaders = { authorization: `Bearer ${senderToken}`, 'content-type': 'application/json' };
    await Promise.all(
      Array.from({ length: SENDERS }, async (_, s) => {
        const client = new LightClient(url);
        for (let k = 0; performance.now() < deadline; k++) {
          const t0 = performance.now();
          const rec = record(`e${r}-${s}-${k}`, s * 100_003 + k);
          const res = await client.post(ROUTE, senderHeaders, JSON.stringify(VIA === 'events' ? rec : [rec]));
          let body: { inserted?: number } = {};
          try {
            body = JSON.parse(res.body) as typeof body;
          } catch {
            /* counted by its status below */
          }
          const t1 = performance.now();
          if (res.status === (VIA === 'events' ? 202 : 200)) {
            acks.push(t1);
            ackLatency.push(t1 - t0);
            inserted += body.inserted ?? 0;
          } else {
            refused.set(res.status, (refused.get(res.status) ?? 0) + 1);
            // Busy (503): wait a little, as a platform's retry would.
            if (res.status === 503) await new Promise((w) => setTimeout(w, 50));
            else if (refused.get(res.status) === 1)
              console.error(`sender ${s}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
          }
        }
        client.close();
      }),
    );
    const elapsed = (performance.now() - runStart) / 1000;
    const senders = process.cpuUsage(cpuBefore.senders);
    const cpu: Run['cpu'] = {
      server: ((cpuSecondsOf(server.pid!) - cpuBefore.server) * 1000) / Math.max(1, acks.length),
      postgres:
        ON === 'PostgreSQL'
          ? ((cpuSecondsNamed('postgres') - cpuBefore.postgres) * 1000) / Math.max(1, acks.length)
          : NaN,
      senders: (senders.user + senders.system) / 1000 / Math.max(1, acks.length),
    };
    const groupsAfter = await groups();
    const grouped =
      groupsBefore !== null && groupsAfter !== null && groupsAfter > groupsBefore
        ? `, ${groupsAfter - groupsBefore} groups committed (${(acks.length / (groupsAfter - groupsBefore)).toFixed(1)} events each)`
        : '';
    // Every acknowledged event shows on the TV: wait for the count (at most 15 s).
    const target = before + acks.length;
    for (const until = performance.now() + 15_000; performance.now() < until && !(seen.at(-1)!.contacts >= target);)
      await new Promise((w) => setTimeout(w, 50));

    // The j-th acknowledgement's event is in the first snapshot counting `before + j` contacts.
    // Events committed together may be acknowledged in another order than they were counted, so
    // this pairs each acknowledgement with the first snapshot that holds as many events as had
    // been acknowledged by then.
    acks.sort((a, b) => a - b);
    const snaps = seen.filter((x) => x.at >= runStart);
    const delivery: number[] = [];
    let early = 0;
    let missing = 0;
    let p = 0;
    for (let j = 0; j < acks.length; j++) {
      while (p < snaps.length && snaps[p]!.contacts < before + j + 1) p++;
      if (p === snaps.length) {
        missing++;
        continue;
      }
      const d = snaps[p]!.at - acks[j]!;
      if (d < 0) early++;
      delivery.push(Math.max(0, d));
    }
    // Gaps between snapshots while events kept coming (from the first one of the run to the deadline).
    // The first gap runs from the run's start (the first events' commit is part of it), the last to its deadline.
    const marks = [runStart, ...snaps.filter((x) => x.at <= deadline).map((x) => x.at), deadline];
    const during = marks.length - 2;
    let maxGap = 0;
    let gapsOver1s = 0;
    for (let k = 1; k < marks.length; k++) {
      const g = marks[k]! - marks[k - 1]!;
      maxGap = Math.max(maxGap, g);
      if (g > 1000) gapsOver1s++;
    }
    ackLatency.sort((a, b) => a - b);
    delivery.sort((a, b) => a - b);

    // Baseline: one-row INSERTs in autocommit, SENDERS at a time, for as long.
    const bStart = performance.now();
    const bDeadline = bStart + SECONDS * 1000;
    let baselineRows = 0;
    await Promise.all(
      Array.from({ length: SENDERS }, async (_, s) => {
        for (let k = 0; performance.now() < bDeadline; k++) {
          const i = s * 100_003 + k;
          await baselineDb!.db.execute(
            sql`insert into bench_baseline (external_id, occurred_at, team_id, channel, agent_id, answered, wait_seconds, handle_seconds, resolved) values (${`b${r}-${s}-${k}`}, ${new Date().toISOString()}, ${1 + (i % 4)}, ${CHANNELS[i % 5]}, ${1 + ((i * 7) % AGENTS)}, true, ${5 + (i % 120)}, ${60 + ((i * 13) % 600)}, ${i % 4 !== 0})`,
          );
          baselineRows++;
        }
      }),
    );
    const baseline = baselineRows / ((performance.now() - bStart) / 1000);

    const run: Run = {
      events: acks.length,
      rate: acks.length / elapsed,
      ack: [q(ackLatency, 0.5), q(ackLatency, 0.95), q(ackLatency, 0.99)],
      sse: [q(delivery, 0.5), q(delivery, 0.95), q(delivery, 0.99)],
      early,
      missing,
      maxGap,
      gapsOver1s,
      refused,
      baseline,
      cpu,
    };
    results.push(run);
    const refusedText = [...refused].map(([st, n]) => `${n} × ${st}`).join(', ');
    console.error(
      `run ${r}: ${run.events} events (${inserted} inserted${grouped}) in ${elapsed.toFixed(1)} s = ${run.rate.toFixed(0)}/s; ack p50/p95/p99 ${run.ack.map((x) => x.toFixed(0)).join('/')} ms; ack → snapshot p50/p95/p99 ${run.sse.map((x) => x.toFixed(0)).join('/')} ms` +
        `${early ? ` (${early} before the ack)` : ''}${missing ? `, ${missing} never shown` : ''}; snapshots ${during}, max gap ${maxGap.toFixed(0)} ms; baseline ${baseline.toFixed(0)} inserts/s${refusedText ? `; refused ${refusedText}` : ''}`,
    );
  }

  // --- report -------------------------------------------------------------------------------
  const stat = (xs: number[], digits = 0) => {
    const s = [...xs].sort((a, b) => a - b);
    // `digits` < 0: significant digits (a ratio far below 1 still shows).
    const f = (x: number) =>
      digits < 0
        ? x.toPrecision(-digits)
        : x.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
    return RUNS === 1 ? f(s[0]!) : `${f(s[Math.floor((s.length - 1) / 2)]!)} (min ${f(s[0]!)}, max ${f(s.at(-1)!)})`;
  };
  const pick = (f: (r: Run) => number) => results.map(f);
  const line = (label: string, value: string) => console.log(`  ${label.padEnd(40)} ${value}`);
  console.log(
    `\nbench:events — ${SENDERS} senders × one interaction at a time to ${VIA === 'events' ? 'POST /api/v1/events/interactions' : 'POST /api/v1/ingest/interactions (a one-record JSON array)'} on ${ON}, ${SECONDS} s × ${RUNS} run${RUNS === 1 ? '' : 's'}${RUNS > 1 ? ' (median, min, max)' : ''}`,
  );
  console.log(
    `  ${ROWS_IN_DAY.toLocaleString('en')} interactions already in today, ${HISTORY.toLocaleString('en')} before it; senders' token: ${senderRole}; load average ${loadBefore} before, ${load()} after`,
  );
  line('events/s', `${stat(pick((r) => r.rate))}`);
  line(
    'ack latency p50 / p95 / p99 (ms)',
    `${stat(pick((r) => r.ack[0]))} / ${stat(pick((r) => r.ack[1]))} / ${stat(pick((r) => r.ack[2]))}`,
  );
  line(
    'ack → TV snapshot p50 / p95 / p99 (ms)',
    `${stat(pick((r) => r.sse[0]))} / ${stat(pick((r) => r.sse[1]))} / ${stat(pick((r) => r.sse[2]))}`,
  );
  const missing = results.reduce((n, r) => n + r.missing, 0);
  if (missing) console.log(`  ${missing} acknowledged events never showed on the TV within 15 s`);
  const gaps = results.reduce((n, r) => n + r.gapsOver1s, 0);
  console.log(
    `  TV snapshots while sending: largest gap ${stat(pick((r) => r.maxGap))} ms; ${gaps ? `${gaps} gap${gaps === 1 ? '' : 's'} over 1 s in ${results.length} run${results.length === 1 ? '' : 's'}` : 'a snapshot at least every second'}`,
  );
  const refused = new Map<number, number>();
  for (const r of results) for (const [st, n] of r.refused) refused.set(st, (refused.get(st) ?? 0) + n);
  if (refused.size) console.log(`  refused answers: ${[...refused].map(([st, n]) => `${n} × ${st}`).join(', ')}`);
  line(
    'CPU ms per event: server / PostgreSQL / senders',
    `${stat(
      pick((r) => r.cpu.server),
      2,
    )} / ${
      ON === 'PostgreSQL'
        ? stat(
            pick((r) => r.cpu.postgres),
            2,
          )
        : 'in the server'
    } / ${stat(
      pick((r) => r.cpu.senders),
      2,
    )}`,
  );
  line(
    'baseline rows/s',
    `${stat(pick((r) => r.baseline))}  (one-row INSERT in autocommit on ${SENDERS} connections, a table with interactions' indexes and rows)`,
  );
  line(
    'Pairwise ÷ baseline',
    `${stat(
      pick((r) => r.rate / r.baseline),
      -3,
    )}`,
  );
} finally {
  sse.abort();
  await baselineDb?.close().catch(() => {});
  if (child && child.exitCode === null) {
    const c = child;
    c.kill('SIGTERM');
    await new Promise<void>((r) => {
      const t = setTimeout(() => (c.kill('SIGKILL'), r()), 10_000);
      c.on('exit', () => (clearTimeout(t), r()));
    });
  }
  await scratch.cleanup();
}
