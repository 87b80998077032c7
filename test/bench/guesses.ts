// `npm run bench:guesses [-- --seconds 10 --concurrency 16 --addresses 1000]`: serves the app on a
// fresh database (PGlite, or PostgreSQL with DATABASE_URL) over a real socket and guesses access
// tokens as fast as it can, for each way a token is checked: POST /auth/session, a bearer token on
// GET /auth/me, and GET /login?token=. Prints the guesses answered (401, or 303 for the link)
// before the first 429, how soon that came, and the guesses answered per second over the run.
// Then many addresses at once (TRUST_PROXY, a different X-Forwarded-For per guess) with a working
// client beside them: what the overall limit lets through, and whether the working client is hurt.
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import { createApp } from '../../api/app';
import { createToken } from '../../api/auth/tokens';
import { parseEnv } from '../../api/env';
import { silentLogger } from '../../api/log';
import { MIGRATIONS } from '../helpers/paths';
import { scratchDatabase } from './scratch';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '16' },
    addresses: { type: 'string', default: '1000' },
  },
});
const SECONDS = Number(values.seconds);
const CONCURRENCY = Number(values.concurrency);
const ADDRESSES = Number(values.addresses);

const scratch = await scratchDatabase('pairwise_bench_guesses');
const database = scratch.open();
await database.migrate(MIGRATIONS);
const { token: valid } = await createToken(database.db, { role: 'display', label: 'bench: a working wallboard' });

/** Serves a fresh app (so a fresh limiter) on a free port; answers its base URL and a stop. */
async function start(env: Record<string, string>) {
  const parsed = parseEnv({ PAIRWISE_DEMO: '0', ...env });
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  const app = createApp({ database, env: parsed.env, logger: silentLogger() });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type Guess = (base: string, n: number) => Promise<Response>;
const guess = () => `pw_${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;

interface Run {
  answered: number;
  refused: number;
  other: Record<number, number>;
  beforeFirst429: number | null;
  msToFirst429: number | null;
  seconds: number;
}

/** Sends guesses from CONCURRENCY workers for SECONDS; counts answers (not 429) and refusals (429). */
async function hammer(base: string, send: Guess, wrongStatus: number): Promise<Run> {
  const run: Run = { answered: 0, refused: 0, other: {}, beforeFirst429: null, msToFirst429: null, seconds: SECONDS };
  const started = performance.now();
  const end = started + SECONDS * 1000;
  let n = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        const res = await send(base, n++);
        await res.arrayBuffer();
        if (res.status === 429) {
          run.refused++;
          if (run.beforeFirst429 === null) {
            run.beforeFirst429 = run.answered;
            run.msToFirst429 = performance.now() - started;
          }
        } else if (res.status === wrongStatus) run.answered++;
        else run.other[res.status] = (run.other[res.status] ?? 0) + 1;
      }
    }),
  );
  run.seconds = (performance.now() - started) / 1000;
  return run;
}

const f1 = (x: number) => x.toFixed(1);
function report(label: string, r: Run) {
  const first =
    r.beforeFirst429 === null
      ? 'no 429 at all'
      : `first 429 after ${r.beforeFirst429} guesses answered (${f1(r.msToFirst429!)} ms)`;
  const others = Object.keys(r.other).length ? `; other answers ${JSON.stringify(r.other)}` : '';
  console.log(
    `${label.padEnd(34)} ${first}; ${r.answered} answered in ${f1(r.seconds)} s = ${f1(r.answered / r.seconds)} guesses/s; ${f1(r.refused / r.seconds)} refusals/s${others}`,
  );
}

const json = { 'content-type': 'application/json' };
const endpoints: Array<[string, Guess, number]> = [
  [
    'POST /api/v1/auth/session',
    (base) =>
      fetch(`${base}/api/v1/auth/session`, { method: 'POST', headers: json, body: JSON.stringify({ token: guess() }) }),
    401,
  ],
  [
    'GET /api/v1/auth/me (bearer)',
    (base) => fetch(`${base}/api/v1/auth/me`, { headers: { authorization: `Bearer ${guess()}` } }),
    401,
  ],
  ['GET /login?token=', (base) => fetch(`${base}/login?token=${guess()}`, { redirect: 'manual' }), 303],
];

try {
  console.log(
    `${database.kind}, ${CONCURRENCY} concurrent requests, ${SECONDS} s per run, one client address (the socket's):`,
  );
  for (const [label, send, wrong] of endpoints) {
    const server = await start({});
    try {
      report(label, await hammer(server.base, send, wrong));
    } finally {
      await server.stop();
    }
  }

  // Many addresses behind a trusted proxy, and a working client that used its token once before.
  const server = await start({ TRUST_PROXY: '1' });
  try {
    const workingFrom = { authorization: `Bearer ${valid}`, 'x-forwarded-for': '198.51.100.1' };
    if ((await fetch(`${server.base}/api/v1/auth/me`, { headers: workingFrom })).status !== 200)
      throw new Error('the working token does not work');
    let ok = 0;
    let hurt = 0;
    const stop = performance.now() + SECONDS * 1000;
    const working = (async () => {
      while (performance.now() < stop) {
        const res = await fetch(`${server.base}/api/v1/auth/me`, { headers: workingFrom });
        await res.arrayBuffer();
        if (res.status === 200) ok++;
        else hurt++;
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const botnet: Guess = (base, n) =>
      fetch(`${base}/api/v1/auth/session`, {
        method: 'POST',
        headers: { ...json, 'x-forwarded-for': `10.${(n % ADDRESSES) >> 8}.${(n % ADDRESSES) & 255}.1` },
        body: JSON.stringify({ token: guess() }),
      });
    const r = await hammer(server.base, botnet, 401);
    await working;
    console.log(`\n${ADDRESSES} addresses (TRUST_PROXY, X-Forwarded-For):`);
    report('POST /api/v1/auth/session', r);
    console.log(`${'a working bearer token beside them'.padEnd(34)} ${ok} answered 200, ${hurt} refused`);
  } finally {
    await server.stop();
  }
} finally {
  await scratch.cleanup();
}
