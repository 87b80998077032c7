// `npm run bench:day [-- --speed 20 --from 7 --hours 15 --scale 1 --senders 256 --no-build]`: a
// simulated day of a 500-seat contact centre (25 teams × 20 agents) sent through the live events
// path. Builds the app, starts the real server on a scratch PostgreSQL database (DATABASE_URL, else
// the local test server), generates a seeded day (≈150,000 interactions 07:00–22:00 on a two-peak
// curve, ~20% followed by a survey a few minutes later, a queue_status snapshot per team every 5 s
// of simulated time) and replays it `--speed` times faster as signed POST /api/v1/events/{kind}
// requests from a bounded pool of senders, while the TV (/tv, today's screen) is open in Chromium
// at 1920×1080. Reports how far the TV's "contacts today" trails the acknowledged interactions,
// ack latency per kind, lateness against the schedule, server RSS, load average, and runs
// `npm run rollups:verify` on the result. Timestamps are the real clock at sending: the queue
// refuses snapshots from the future and calls old ones stale, so the day is compressed onto now.
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { parseArgs } from 'node:util';
import { chromium, type Browser } from '@playwright/test';
import { Rng } from '../../db/seed/random';
import { ADMIN_TOKEN } from '../e2e/fixtures';
import { startServer, type Server } from '../e2e/server';
import { ROOT } from '../helpers/paths';
import { scratchDatabase, type Scratch } from './scratch';
import { watchContacts } from './snapshots';

const { values } = parseArgs({
  options: {
    speed: { type: 'string', default: '20' },
    from: { type: 'string', default: '7' },
    hours: { type: 'string', default: '15' },
    scale: { type: 'string', default: '1' },
    // Acks take 0.4–1 s here while the 20× peak is due at ~110 requests/s: 32 or 128 senders fell behind.
    senders: { type: 'string', default: '256' },
    seed: { type: 'string', default: '2026' },
    'no-build': { type: 'boolean', default: false },
  },
});
const SPEED = Number(values.speed);
const OPEN_H = 7;
const CLOSE_H = 22;
const FROM_H = Math.max(OPEN_H, Number(values.from));
const TO_H = Math.min(CLOSE_H, FROM_H + Number(values.hours));
const SCALE = Number(values.scale);
const SENDERS = Number(values.senders);
const DAY_TOTAL = 150_000;
const TEAMS = 25;
const AGENTS_PER_TEAM = 20;
const SURVEY_SHARE = 0.2;
const QUEUE_EVERY_S = 5;
const SHOTS = 'test-results/screenshots';
const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };

process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const loadBefore = load();
const q = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.max(0, Math.ceil(p * xs.length) - 1))] ?? NaN;
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const n0 = (x: number) => x.toLocaleString('en', { maximumFractionDigits: 0 });
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;

// --- the day: arrivals per simulated minute on a curve with a morning and an afternoon peak ------
const rng = new Rng(Number(values.seed));
const gauss = (h: number, mu: number, sd: number) => Math.exp(-((h - mu) ** 2) / (2 * sd * sd));
const curve = (h: number) => 0.15 + gauss(h, 10.5, 1.6) + 0.85 * gauss(h, 14.5, 1.9) + 0.35 * gauss(h, 19, 1.2);
const minutes = (CLOSE_H - OPEN_H) * 60;
const weights = Array.from({ length: minutes }, (_, m) => curve(OPEN_H + (m + 0.5) / 60));
const weightSum = weights.reduce((a, b) => a + b, 0);

interface Interaction {
  /** Simulated seconds since midnight. */
  s: number;
  team: number;
  agent: number;
  channel: string;
  answered: boolean;
  wait: number;
  handle: number;
  resolved: boolean;
}
interface Survey {
  s: number;
  of: number;
  csat: number;
  nps: number;
  comment: string | null;
  mayQuote: boolean;
}
const CHANNELS = ['phone', 'phone', 'phone', 'phone', 'phone', 'phone', 'chat', 'chat', 'chat', 'email'];
const PRAISE = [
  'Sorted in one call, thank you.',
  'Friendly and knew the product well.',
  'Quick and clear, great service.',
  'The agent went out of her way to help.',
];
const COMPLAINTS = [
  'Waited far too long to get through.',
  'Had to explain everything twice.',
  'Still not fixed after three contacts.',
  'Chat was fast but the answer was wrong.',
];
const interactions: Interaction[] = [];
for (let m = 0; m < minutes; m++) {
  const expected = (DAY_TOTAL * SCALE * weights[m]!) / weightSum;
  const count = Math.floor(expected) + (rng.float() < expected - Math.floor(expected) ? 1 : 0);
  for (let k = 0; k < count; k++) {
    const team = rng.int(0, TEAMS - 1);
    const answered = rng.chance(0.94);
    const busy = weights[m]! / 2.2; // waits grow with the load
    interactions.push({
      s: OPEN_H * 3600 + m * 60 + rng.float() * 60,
      team,
      agent: rng.int(0, AGENTS_PER_TEAM - 1),
      channel: rng.pick(CHANNELS),
      answered,
      wait: Math.round(rng.float() * (answered ? 40 + 200 * busy : 90 + 300 * busy)),
      handle: answered ? 90 + Math.round(rng.float() * 600) : 0,
      resolved: answered && rng.chance(0.78),
    });
  }
}
interactions.sort((a, b) => a.s - b.s);
const surveys: Survey[] = [];
interactions.forEach((x, i) => {
  if (!x.answered || !rng.chance(SURVEY_SHARE / 0.94)) return;
  const csat = x.resolved ? rng.pick([3, 4, 4, 5, 5, 5]) : rng.pick([1, 2, 2, 3, 4]);
  const comment = rng.chance(0.3)
    ? rng.pick(csat >= 4 ? PRAISE : csat <= 2 ? COMPLAINTS : [...PRAISE, ...COMPLAINTS])
    : null;
  surveys.push({
    s: x.s + (x.handle + 120 + rng.float() * 480),
    of: i,
    csat,
    nps: Math.min(10, Math.max(0, csat * 2 + rng.int(-2, 1))),
    comment,
    mayQuote: comment !== null && rng.chance(0.5),
  });
});

// What is replayed: the window [FROM_H, TO_H) of simulated time, in order of when it is due.
type Job =
  | { due: number; kind: 'interactions'; i: number }
  | { due: number; kind: 'surveys'; i: number }
  | { due: number; kind: 'queue_status'; s: number };
const startS = FROM_H * 3600;
const endS = TO_H * 3600;
const dueOf = (s: number) => ((s - startS) * 1000) / SPEED;
const jobs: Job[] = [];
interactions.forEach((x, i) => x.s >= startS && x.s < endS && jobs.push({ due: dueOf(x.s), kind: 'interactions', i }));
surveys.forEach(
  (x, i) => interactions[x.of]!.s >= startS && x.s < endS && jobs.push({ due: dueOf(x.s), kind: 'surveys', i }),
);
for (let s = startS; s < endS; s += QUEUE_EVERY_S) jobs.push({ due: dueOf(s), kind: 'queue_status', s });
jobs.sort((a, b) => a.due - b.due);
const windowInteractions = jobs.filter((j) => j.kind === 'interactions').length;
const windowSurveys = jobs.filter((j) => j.kind === 'surveys').length;

// The floor right now, per team: busy agents follow the arrival rate × handle time, the rest wait.
function queueRecords(s: number, at: string, r: Rng) {
  const m = Math.min(minutes - 1, Math.max(0, Math.floor((s - OPEN_H * 3600) / 60)));
  const perTeamPerSecond = (DAY_TOTAL * SCALE * weights[m]!) / weightSum / 60 / TEAMS;
  const staffed = Math.max(6, Math.round(AGENTS_PER_TEAM * Math.min(1, 0.35 + weights[m]! / 1.6)));
  return Array.from({ length: TEAMS }, (_, t) => {
    const demand = (perTeamPerSecond / SCALE) * 110 * (0.8 + 0.4 * r.float()); // agents work chats and emails side by side
    const busy = Math.min(staffed, Math.round(demand));
    const waiting = Math.max(0, Math.round((demand - staffed) * 0.6 + (r.float() < 0.3 ? r.int(0, 3) : 0)));
    return {
      at,
      team: `t${t + 1}`,
      channel: 'phone',
      waiting,
      longest_wait_seconds: waiting ? r.int(10, 40 + waiting * 25) : 0,
      agents_available: staffed - busy,
      agents_busy: busy,
    };
  });
}

console.error(
  `bench:day: simulated ${FROM_H}:00–${TO_H}:00 at ${SPEED}× (${((endS - startS) / SPEED / 60).toFixed(1)} min real), scale ${SCALE}: ${n0(windowInteractions)} interactions (${n0(interactions.length)} in the whole day), ${n0(windowSurveys)} surveys, ${n0((endS - startS) / QUEUE_EVERY_S)} queue ticks × ${TEAMS} teams; ${SENDERS} senders; load average ${loadBefore}`,
);

// --- run -------------------------------------------------------------------------------------
let scratch: Scratch | null = null;
let server: Server | null = null;
let browser: Browser | null = null;
const sse = new AbortController();
let stopping = false;
// Interrupted: stop sending, report what was measured, clean up.
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => (stopping = true));
let failed: boolean;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

try {
  if (!values['no-build']) {
    const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('npm run build failed');
  }
  scratch = await scratchDatabase('pairwise_bench_day');
  const dbUrl = (scratch.env as { DATABASE_URL: string }).DATABASE_URL;
  server = await startServer(await freePort(), { DATABASE_URL: dbUrl, ORG_TIMEZONE: 'UTC' });
  const base = server.base;
  const pid = server.child.pid!;
  const rss = () => {
    try {
      return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      return 0;
    }
  };
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${base}/api/v1${path}`, { method: 'POST', headers: ADMIN, body: JSON.stringify(body) });
    const json = (await res.json()) as Record<string, unknown>;
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(json).slice(0, 400)}`);
    return json;
  };

  await post(
    '/ingest/teams',
    Array.from({ length: TEAMS }, (_, t) => ({ external_id: `t${t + 1}`, name: `Team ${t + 1}` })),
  );
  await post(
    '/ingest/agents',
    Array.from({ length: TEAMS * AGENTS_PER_TEAM }, (_, a) => ({
      external_id: `t${Math.floor(a / AGENTS_PER_TEAM) + 1}-a${(a % AGENTS_PER_TEAM) + 1}`,
      name: `Agent ${a + 1}`,
      team: `t${Math.floor(a / AGENTS_PER_TEAM) + 1}`,
    })),
  );
  const ingest = (await post('/tokens', { role: 'ingest', label: 'bench:day platform', signed: true })) as {
    token: string;
    signing_secret: string;
  };
  const display = (await post('/tokens', { role: 'display', label: 'bench:day TV' })) as { token: string };

  // --- the TV: a real browser on today's screen, and the same stream read here -----------------
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${base}/tv?token=${encodeURIComponent(display.token)}&screens=today`);
  await page.locator('[data-testid="tv"][data-status="live"]').waitFor({ timeout: 30_000 });
  // Every change of the count on screen, with the page's clock (the same machine's).
  // A string, not a function: tsx's transform would name the inner arrow with a helper the page lacks.
  await page.evaluate(`(() => {
    window.__seen = [];
    let last = -1;
    const read = () => {
      const el = document.querySelector('[data-testid="tv-contacts-line"] strong, [data-testid="tv-contacts"] [data-testid="value"]');
      const digits = (el?.textContent ?? '').replace(/[^0-9]/g, '');
      const n = digits === '' ? 0 : Number(digits);
      if (n !== last) { last = n; window.__seen.push([Date.now(), n]); }
    };
    read();
    new MutationObserver(read).observe(document.body, { subtree: true, childList: true, characterData: true });
  })()`);
  const pageSeen: Array<[number, number]> = [];
  const pullPage = async () => {
    const got = await page.evaluate(() => (window as unknown as { __seen: Array<[number, number]> }).__seen.splice(0));
    pageSeen.push(...got);
  };

  const sseSeen: Array<[number, number]> = [];
  let sseError: string | null = null;
  void (async () => {
    try {
      await watchContacts(base, display.token, sse.signal, (contacts) => sseSeen.push([Date.now(), contacts]));
      if (!sse.signal.aborted) sseError = 'the stream ended';
    } catch (err) {
      if (!sse.signal.aborted) sseError = (err as Error).message;
    }
  })();

  // --- senders -----------------------------------------------------------------------------
  const sign = (body: string) => {
    const t = Math.floor(Date.now() / 1000);
    return `t=${t},sha256=${createHmac('sha256', ingest.signing_secret).update(`${t}.${body}`).digest('hex')}`;
  };
  const kinds = ['interactions', 'surveys', 'queue_status'] as const;
  const latency: Record<string, number[]> = { interactions: [], surveys: [], queue_status: [] };
  const records: Record<string, number> = { interactions: 0, surveys: 0, queue_status: 0 };
  const statuses = new Map<string, number>();
  const firstErrors: string[] = [];
  /** Date.now() of each acknowledged interaction, in the order the acknowledgements arrived. */
  const acked: number[] = [];
  const lateness: number[] = [];
  const interactionDone = new Map<number, { promise: Promise<boolean>; resolve: (ok: boolean) => void }>();
  for (const sv of surveys) {
    let resolve!: (ok: boolean) => void;
    const promise = new Promise<boolean>((r) => (resolve = r));
    interactionDone.set(sv.of, { promise, resolve });
  }
  let skippedSurveys = 0;
  const qRng = rng.fork('queue');

  async function send(kind: (typeof kinds)[number], payload: unknown): Promise<boolean> {
    const body = JSON.stringify(payload);
    for (let attempt = 0; ; attempt++) {
      const t0 = performance.now();
      let status: string;
      try {
        const res = await fetch(`${base}/api/v1/events/${kind}`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${ingest.token}`,
            'content-type': 'application/json',
            'x-pairwise-signature': sign(body),
          },
          body,
        });
        const text = await res.text();
        status = String(res.status);
        if (res.status === 202) {
          latency[kind]!.push(performance.now() - t0);
          records[kind]! += Array.isArray(payload) ? payload.length : 1;
          statuses.set(`${kind} 202`, (statuses.get(`${kind} 202`) ?? 0) + 1);
          return true;
        }
        if (firstErrors.length < 10) firstErrors.push(`${kind} ${res.status}: ${text.slice(0, 300)}`);
      } catch (err) {
        status = `network (${(err as Error).message})`;
      }
      statuses.set(`${kind} ${status}`, (statuses.get(`${kind} ${status}`) ?? 0) + 1);
      // Busy: retry as a platform would, a few times.
      if (status !== '503' || attempt >= 5) return false;
      await sleep(200);
    }
  }

  // The server's CPU seconds (utime + stime, in clock ticks of 1/100 s).
  const cpu = () => {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(f[11]) + Number(f[12])) / 100;
    } catch {
      return NaN;
    }
  };
  const cpuStart = cpu();
  const ownCpuStart = process.cpuUsage();
  const rssSamples: Array<[number, number]> = [];
  const rssStart = rss();
  let next = 0;
  let shotMid = false;
  const t0 = Date.now();
  const sampler = setInterval(() => rssSamples.push([Date.now() - t0, rss()]), 2000);
  const puller = setInterval(() => void pullPage().catch(() => {}), 1000);
  const progress = setInterval(() => {
    const j = jobs[Math.min(next, jobs.length - 1)];
    const simS = startS + ((Date.now() - t0) * SPEED) / 1000;
    const hh = `${String(Math.floor(simS / 3600)).padStart(2, '0')}:${String(Math.floor((simS % 3600) / 60)).padStart(2, '0')}`;
    const tv = sseSeen.at(-1)?.[1] ?? 0;
    console.error(
      `  ${hh} sim: ${n0(acked.length)} interactions acked, TV stream ${n0(tv)}, ${next}/${jobs.length} sent, behind ${j ? Math.max(0, Date.now() - t0 - j.due).toFixed(0) : 0} ms, RSS ${mb(rss())}, load ${load()}`,
    );
  }, 30_000);

  await Promise.all(
    Array.from({ length: SENDERS }, async () => {
      while (!stopping && next < jobs.length) {
        const job = jobs[next++]!;
        const wait = t0 + job.due - Date.now();
        if (wait > 0) await sleep(wait);
        lateness.push(Math.max(0, Date.now() - t0 - job.due));
        if (!shotMid && job.due >= jobs.at(-1)!.due / 2) {
          shotMid = true;
          void page.screenshot({ path: `${SHOTS}/day-tv-mid.png` }).catch(() => {});
        }
        const now = new Date().toISOString();
        if (job.kind === 'interactions') {
          const x = interactions[job.i]!;
          const ok = await send('interactions', {
            external_id: `day-${job.i}`,
            occurred_at: now,
            team: `t${x.team + 1}`,
            channel: x.channel,
            ...(x.answered
              ? { agent: `t${x.team + 1}-a${x.agent + 1}`, handle_seconds: x.handle, resolved: x.resolved }
              : {}),
            answered: x.answered,
            wait_seconds: x.wait,
          });
          if (ok) acked.push(Date.now());
          interactionDone.get(job.i)?.resolve(ok);
        } else if (job.kind === 'surveys') {
          const sv = surveys[job.i]!;
          // A survey names its interaction, which must be in first.
          if (!(await interactionDone.get(sv.of)!.promise)) {
            skippedSurveys++;
            continue;
          }
          await send('surveys', {
            external_id: `day-s${job.i}`,
            responded_at: new Date().toISOString(),
            interaction: `day-${sv.of}`,
            csat: sv.csat,
            nps: sv.nps,
            ...(sv.comment ? { comment: sv.comment, may_quote: sv.mayQuote } : {}),
          });
        } else {
          await send('queue_status', queueRecords(job.s, now, qRng));
        }
      }
    }),
  );
  const sendEnd = Date.now();
  clearInterval(progress);
  // Until the TV shows every acknowledged interaction (at most 30 s).
  for (const until = Date.now() + 30_000; Date.now() < until;) {
    await pullPage();
    if ((pageSeen.at(-1)?.[1] ?? 0) >= acked.length && (sseSeen.at(-1)?.[1] ?? 0) >= acked.length) break;
    await sleep(250);
  }
  await sleep(1000);
  await pullPage();
  clearInterval(puller);
  clearInterval(sampler);
  rssSamples.push([Date.now() - t0, rss()]);
  await page.screenshot({ path: `${SHOTS}/day-tv-end.png` });
  const tvEnd = pageSeen.at(-1)?.[1] ?? 0;
  const sseEnd = sseSeen.at(-1)?.[1] ?? 0;

  // --- lag: on a 250 ms grid, how long the oldest acknowledged interaction not yet on screen has waited
  const lagOf = (seen: Array<[number, number]>) => {
    const lags: number[] = [];
    let a = 0;
    let c = 0;
    let shown = 0;
    let worstAt = 0;
    let worst = 0;
    for (let t = t0; t <= sendEnd + 1000; t += 250) {
      while (a < acked.length && acked[a]! <= t) a++;
      while (c < seen.length && seen[c]![0] <= t) shown = seen[c++]![1];
      const lag = shown >= a ? 0 : t - acked[shown]!;
      lags.push(lag);
      if (lag > worst) {
        worst = lag;
        worstAt = t;
      }
    }
    const s = sorted(lags);
    return {
      max: worst,
      p95: q(s, 0.95),
      p50: q(s, 0.5),
      over2s: lags.filter((l) => l > 2000).length * 0.25,
      worstAt: (worstAt - t0) / 1000,
    };
  };
  const onScreen = lagOf(pageSeen);
  const onStream = lagOf(sseSeen);

  // --- memory: slope over the second half (least squares, MB per minute) ----------------------
  const half = rssSamples.filter(([t]) => t >= (sendEnd - t0) / 2 && t <= sendEnd - t0);
  let slope = NaN;
  if (half.length >= 3) {
    const xs = half.map(([t]) => t / 60_000);
    const ys = half.map(([, kb]) => kb / 1024);
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
    const my = ys.reduce((a, b) => a + b, 0) / ys.length;
    slope = xs.reduce((acc, x, k) => acc + (x - mx) * (ys[k]! - my), 0) / xs.reduce((acc, x) => acc + (x - mx) ** 2, 0);
  }
  const rssPeak = Math.max(rssStart, ...rssSamples.map(([, kb]) => kb));
  const rssEnd = rssSamples.at(-1)![1];

  const elapsed = (sendEnd - t0) / 1000;
  const late = sorted(lateness);
  const totalRecords = kinds.reduce((n, k) => n + records[k]!, 0);
  const requests = kinds.reduce((n, k) => n + latency[k]!.length, 0);
  const loadAfter = load();
  const serverCpu = cpu() - cpuStart;
  const ownCpu = process.cpuUsage(ownCpuStart);
  const stoppedEarly = stopping;

  await browser.close();
  browser = null;
  sse.abort();
  await server.stop();
  server = null;

  // --- rollups, recomputed from the raw rows ------------------------------------------------
  const verify = spawnSync('npm', ['run', '--silent', 'rollups:verify'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: dbUrl, ORG_TIMEZONE: 'UTC' },
    encoding: 'utf8',
  });
  const verifyOut = `${verify.stdout}${verify.stderr}`.trim();

  console.log(
    `\nbench:day — simulated ${FROM_H}:00–${TO_H}:00 of a ${TEAMS * AGENTS_PER_TEAM}-seat day (${TEAMS} teams × ${AGENTS_PER_TEAM}) at ${SPEED}×, scale ${SCALE}, seed ${values.seed}, ${SENDERS} senders, PostgreSQL`,
  );
  console.log(
    `  sent in ${elapsed.toFixed(0)} s: ${n0(records.interactions!)} interactions, ${n0(records.surveys!)} surveys, ${n0(records.queue_status!)} queue snapshots (${n0(latency.queue_status!.length)} requests of ${TEAMS}) = ${n0(totalRecords)} records in ${n0(requests)} signed requests: ${(totalRecords / elapsed).toFixed(0)} events/s, ${(requests / elapsed).toFixed(0)} requests/s, ${(records.interactions! / elapsed).toFixed(1)} interactions/s`,
  );
  for (const k of kinds) {
    const s = sorted(latency[k]!);
    console.log(
      `  ack latency ${k.padEnd(13)} p50 ${q(s, 0.5).toFixed(0)} ms, p95 ${q(s, 0.95).toFixed(0)} ms, p99 ${q(s, 0.99).toFixed(0)} ms, max ${(s.at(-1) ?? NaN).toFixed(0)} ms`,
    );
  }
  console.log(
    `  answers: ${[...statuses]
      .sort()
      .map(([k, n]) => `${k} × ${n0(n)}`)
      .join(', ')}${skippedSurveys ? `; ${skippedSurveys} surveys not sent (their interaction was refused)` : ''}`,
  );
  for (const e of firstErrors) console.log(`    ${e}`);
  console.log(
    `  schedule: sends started late by p50 ${q(late, 0.5).toFixed(0)} ms, p95 ${q(late, 0.95).toFixed(0)} ms, max ${(late.at(-1) ?? 0).toFixed(0)} ms${(late.at(-1) ?? 0) > 1000 ? ` — FELL BEHIND (${lateness.filter((l) => l > 1000).length} sends over 1 s late)` : ' (kept up)'}`,
  );
  const lagLine = (label: string, l: ReturnType<typeof lagOf>) =>
    console.log(
      `  ${label}: lag max ${(l.max / 1000).toFixed(2)} s (at ${l.worstAt.toFixed(0)} s), p95 ${(l.p95 / 1000).toFixed(2)} s, p50 ${(l.p50 / 1000).toFixed(2)} s; ${l.over2s.toFixed(1)} s in all more than 2 s behind${l.max > 2000 ? ' — GOAL (≤ 2 s) MISSED' : ''}`,
    );
  lagLine('TV on screen (Chromium 1920×1080, contacts today)', onScreen);
  lagLine('TV stream (GET /live, read here)', onStream);
  console.log(
    `  at the end: ${n0(acked.length)} acked, the screen shows ${n0(tvEnd)}, the stream ${n0(sseEnd)}${sseError ? `; stream error: ${sseError}` : ''}${pageErrors.length ? `; page errors: ${pageErrors.slice(0, 3).join(' | ')}` : ''}`,
  );
  console.log(
    `  server RSS: start ${mb(rssStart)}, peak ${mb(rssPeak)}, end ${mb(rssEnd)}; second half slope ${slope.toFixed(2)} MB/min over ${half.length} samples`,
  );
  console.log(
    `  server CPU ${serverCpu.toFixed(0)} s over the ${((Date.now() - t0) / 1000).toFixed(0)} s run (${((serverCpu / ((Date.now() - t0) / 1000)) * 100).toFixed(0)}% of one core); this process (senders, TV stream) ${((ownCpu.user + ownCpu.system) / 1e6).toFixed(0)} s`,
  );
  if (stoppedEarly) console.log(`  INTERRUPTED: stopped sending at job ${next} of ${jobs.length}`);
  console.log(
    `  load average ${loadBefore} before, ${loadAfter} after${Number(loadBefore.split(' ')[0]) > 2 || Number(loadAfter.split(' ')[0]) > 2 ? ' (above 2 on 2 cores: the machine was shared and busy)' : ''}`,
  );
  console.log(`  screenshots: ${SHOTS}/day-tv-mid.png, ${SHOTS}/day-tv-end.png`);
  console.log(
    `  rollups:verify (exit ${verify.status}):\n${verifyOut
      .split('\n')
      .map((l) => `    ${l}`)
      .join('\n')}`,
  );
  failed = verify.status !== 0 || tvEnd < acked.length || onScreen.max > 2000;
} catch (err) {
  failed = true;
  console.error(err);
} finally {
  sse.abort();
  await browser?.close().catch(() => {});
  await server?.stop().catch(() => {});
  await scratch
    ?.cleanup()
    .catch((err) => console.error(`could not drop the scratch database: ${(err as Error).message}`));
}
process.exit(failed ? 1 : 0);
