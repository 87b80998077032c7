// The demo data generator: a year (by default) of a mid-sized contact centre, written as the six
// CSV files of the data contract. Deterministic: the same options give byte-identical
// files (one seeded PRNG, no clock, no Math.random).
//
// The generating model tells these stories by construction:
//  1. Waiting costs satisfaction: CSAT falls with the log of the wait past about a minute.
//  2. Very short calls are rushed calls: a "rushed" contact is short (< 2 min), resolves less
//     and satisfies less.
//  3. The high-turnover team (more leavers, newer hires, weaker coaching) serves worse: new
//     hires resolve less and satisfy less, and the team rushes more.
//  4. One week, six weeks before the end week, a new phone menu (IVR) goes live: phone waits
//     roughly quadruple, abandons and repeat calls rise, CSAT drops. It is the story's incident.
//  5. Each customer has a latent loyalty: it drives NPS (and a little CSAT) and lowers the
//     chance to churn and raises the chance to refer, so promoters churn less than detractors.
//  6. A handful of well-liked agents are praised by first name in comments (`praisedAgents`).
//
// The parts: options.ts (the files, the options, the calendar), world.ts (teams, agents,
// customers) and events.ts (interactions, surveys and referrals, day by day).
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { join } from 'node:path';
import { eventChunks } from './events';
import {
  DEMO_KINDS,
  demoPeriod,
  validateDemoOptions,
  type DemoData,
  type DemoKind,
  type DemoOptions,
  type DemoStory,
} from './options';
import { Rng } from './random';
import { agentChunks, customerChunks, teamChunks } from './world';

export {
  DEMO_DEFAULTS,
  DEMO_HEADERS,
  DEMO_KINDS,
  dayText,
  parseDay,
  todayUtc,
  validateDemoOptions,
  type DemoData,
  type DemoKind,
  type DemoOptions,
  type DemoStory,
} from './options';

// ---------------------------------------------------------------- the generator

/**
 * Yields the CSV text of every file as [kind, chunk] pairs (the header first, then rows;
 * interactions, surveys and referrals one day at a time) and returns the story.
 */
export function* demoChunks(options: DemoOptions): Generator<[DemoKind, string], DemoStory, void> {
  const { seed, weeks, scale, end } = validateDemoOptions(options);
  const root = new Rng(seed);
  const orgRng = root.fork('organisation');
  const customerRng = root.fork('customers');
  const rng = root.fork('events');
  const textRng = root.fork('comments');

  const period = demoPeriod(weeks, end, options.until);
  const { dateOf, incidentStart } = period;

  const counts: Record<DemoKind, number> = {
    teams: 0,
    agents: 0,
    customers: 0,
    interactions: 0,
    surveys: 0,
    referrals: 0,
  };
  const org = yield* teamChunks(scale, counts);
  const praised = yield* agentChunks(orgRng, org, scale, period, counts);
  const customers = yield* customerChunks(customerRng, scale, period, counts);
  yield* eventChunks({ rng, textRng, scale, weeks, period, org, customers, counts });

  const weekStart = dateOf(incidentStart);
  return {
    incident: {
      weekStart,
      title: 'New phone menu (IVR) went live',
      note:
        `A new phone menu (IVR) went live on Monday ${weekStart}. Callers were misrouted between options, ` +
        `phone waits roughly quadrupled and abandoned calls rose; the previous menu was restored on ` +
        `${dateOf(incidentStart + 7)}.`,
    },
    praisedAgents: praised.map((a) => a.id).sort(),
    turnoverTeam: org.turnoverTeam.id,
    counts,
  };
}

/** All six files as strings, and the story. Pure: same options → same output. */
export function generateDemo(options: DemoOptions): DemoData {
  const parts: Record<DemoKind, string[]> = {
    teams: [],
    agents: [],
    customers: [],
    interactions: [],
    surveys: [],
    referrals: [],
  };
  const it = demoChunks(options);
  for (;;) {
    const step = it.next();
    if (step.done) {
      const files = Object.fromEntries(DEMO_KINDS.map((k) => [k, parts[k].join('')])) as Record<DemoKind, string>;
      return { files, story: step.value };
    }
    parts[step.value[0]].push(step.value[1]);
  }
}

/** Writes `teams.csv` … `referrals.csv` into `folder` (created if needed), streaming. */
export async function writeDemo(folder: string, options: DemoOptions): Promise<DemoStory> {
  validateDemoOptions(options);
  await mkdir(folder, { recursive: true });
  const streams = {} as Record<DemoKind, WriteStream>;
  let failure: unknown = null;
  for (const kind of DEMO_KINDS) {
    const stream = createWriteStream(join(folder, `${kind}.csv`), { encoding: 'utf8', highWaterMark: 1 << 20 });
    stream.on('error', (err) => (failure ??= err));
    streams[kind] = stream;
  }
  try {
    const it = demoChunks(options);
    for (;;) {
      if (failure) throw failure;
      const step = it.next();
      if (step.done) {
        await Promise.all(DEMO_KINDS.map((kind) => finished(streams[kind].end())));
        if (failure) throw failure;
        return step.value;
      }
      const [kind, chunk] = step.value;
      if (!streams[kind].write(chunk)) await once(streams[kind], 'drain');
    }
  } catch (err) {
    for (const kind of DEMO_KINDS) streams[kind].destroy();
    throw err;
  }
}
