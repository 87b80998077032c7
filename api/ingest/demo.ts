// Demo data on a first start: the generator writes one CSV per kind, and they go in through the
// same ingest as any organisation's files. The incident week comes with its annotation, and the
// organisation gets goals (in force from the first demo day) and a CX success statement.
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { annotations, settings } from '../../db/schema';
import { DEMO_DEFAULTS, writeDemo, type DemoOptions, type DemoStory } from '../../db/seed/generate';
import { demoPeriod } from '../../db/seed/options';
import { createGoal, dayBefore, listGoals } from '../goals/store';
import { runMetrics } from '../metrics/engine';
import { addDays as addDaysIso, isoWeek as isoWeekOf, todayIn } from '../metrics/periods';
import { updateQuote } from '../quotes/curate';
import { listQuotes } from '../quotes/store';
import { readSettings, writeSettings } from '../settings';
import { ingest, type IngestResult } from './ingest';
import { KINDS } from './kinds';
import { csvSource } from './sources';

export interface DemoLoad {
  story: DemoStory;
  results: IngestResult[];
  seconds: number;
}

/**
 * Imports the demo data set when the database holds no team yet (or a previous demo import was
 * cut short: imports are idempotent, so it simply runs again); answers null when there was data.
 */
export async function seedDemoIfEmpty(
  database: Database,
  timeZone: string,
  log: (line: string) => void = console.log,
  options: Partial<Omit<DemoOptions, 'end'>> & { end?: string } = {},
): Promise<DemoLoad | null> {
  const [row] = await database.rows<{ n: number; loading: boolean }>(
    sql`select (select count(*) from teams)::int as n, exists (select 1 from settings where key = 'demo_state' and value = '"loading"') as loading`,
  );
  if ((row?.n ?? 0) > 0 && !row?.loading) return null;
  const setState = (state: string) =>
    database.db
      .insert(settings)
      .values({ key: 'demo_state', value: state })
      .onConflictDoUpdate({ target: settings.key, set: { value: state, updatedAt: sql`now()` } });
  await setState('loading');
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'pairwise-demo-'));
  try {
    // Up to now: a demo loaded at 06:10 has this morning's calls, not this afternoon's.
    const demo = { ...DEMO_DEFAULTS, end: todayIn(timeZone), until: Math.floor(Date.now() / 1000), ...options };
    const story = await writeDemo(dir, demo);
    log(
      `Importing demo data (${Object.entries(story.counts)
        .map(([k, n]) => `${n.toLocaleString('en')} ${k}`)
        .join(', ')}) …`,
    );
    const results: IngestResult[] = [];
    for (const kind of KINDS) {
      const source = await csvSource(createReadStream(join(dir, `${kind}.csv`), { highWaterMark: 1 << 20 }));
      results.push(await ingest(database, kind, source, { timeZone, actor: 'demo data', source: 'demo' }));
    }
    const [existing] = await database.rows<{ n: number }>(
      sql`select count(*)::int as n from annotations where title = ${story.incident.title}`,
    );
    if (!existing?.n)
      await database.db
        .insert(annotations)
        .values({ on: story.incident.weekStart, title: story.incident.title, note: story.incident.note });
    await seedDemoGoals(database, demo.weeks, demo.end, todayIn(timeZone));
    await curateDemoQuotes(database, timeZone, todayIn(timeZone));
    if ((await readSettings(database.db)).cx_statement === null)
      await writeSettings(database.db, { cx_statement: DEMO_STATEMENT }, null);
    await setState('loaded');
    const seconds = (performance.now() - started) / 1000;
    log(`Demo data imported in ${seconds.toFixed(1)} s.`);
    return { story, results, seconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const DEMO_STATEMENT = 'Every customer leaves the conversation with their problem solved and feeling heard.';

/** The demo's organisation-wide goals (no wait goal: e-mail waits are hours long, so one organisation-wide wait target would mislead). */
export const DEMO_GOALS: ReadonlyArray<{ metric: string; target: number; note: string }> = [
  { metric: 'csat', target: 0.8, note: 'Four in five customers rate the conversation 4 or 5 out of 5.' },
  { metric: 'resolution_rate', target: 0.75, note: 'Three in four answered contacts resolve the need.' },
  { metric: 'abandon_rate', target: 0.08, note: 'Fewer than one in twelve callers give up waiting.' },
  { metric: 'nps', target: 30, note: 'More promoters than detractors, by 30 points.' },
  {
    metric: 'employee_retention_12m',
    target: 0.8,
    note: 'Four in five agents still here a year on: stable teams serve better.',
  },
];

/** A target a little above a level: the level plus 5%, rounded up to a round step (0.46 → 0.5, 3.2 → 3.5). */
export function roundUpALittle(level: number): number {
  if (!(level > 0)) return 0;
  const step = 10 ** Math.floor(Math.log10(level)) / 2;
  return Number((Math.ceil((level * 1.05) / step) * step).toPrecision(6));
}

/**
 * Organisation-wide, open-ended goals from the first demo day, for each metric that has no
 * organisation-wide goal yet (so a second run adds nothing). The referral goal comes from the
 * data: the mean weekly referral rate of the last 13 complete weeks, rounded up a little.
 */
export async function seedDemoGoals(database: Database, weeks: number, end: string, today: string): Promise<void> {
  const period = demoPeriod(weeks, end);
  const firstDay = period.dateOf(period.startDay);
  const endWeekStart = period.dateOf(period.fullEndDay - 6);
  const existing = await listGoals(database.db, { includeEnded: true, today });
  const has = new Set(existing.filter((g) => g.team === null).map((g) => g.metric));
  const wanted = [...DEMO_GOALS];
  if (!has.has('referral_rate')) {
    const from = period.dateOf(Math.max(period.startDay, period.fullEndDay - 6 - 7 * 13));
    const to = weeks > 1 ? dayBefore(endWeekStart) : end;
    const result = await runMetrics(database, { metrics: ['referral_rate'], from, to, grain: 'week', filters: {} });
    const levels = result.rows
      .map((r) => r.values.referral_rate?.value)
      .filter((v): v is number => typeof v === 'number');
    const mean = levels.reduce((a, b) => a + b, 0) / (levels.length || 1);
    const target = roundUpALittle(mean);
    if (target > 0)
      wanted.push({
        metric: 'referral_rate',
        target,
        note: `Referrals per 100 customers a week (weekly view), a little above the ${levels.length}-week level of ${mean.toFixed(2)}.`,
      });
  }
  for (const goal of wanted) {
    if (has.has(goal.metric)) continue;
    await createGoal(
      database.db,
      { metric: goal.metric, target: goal.target, valid_from: firstDay, valid_to: null, note: goal.note },
      null,
    );
  }
}

/** Who curates the demo's quotes (no access token behind it: the audit log says "demo data"). */
const DEMO_CURATOR = {
  tokenId: null as unknown as number,
  role: 'admin' as const,
  label: 'demo data',
  teams: [] as string[],
};

/**
 * A curator's first weeks, so that the views have real words from the start: over the last 13
 * weeks, up to two praise comments a week that name their agent are approved (credited to that
 * agent: shout-outs, coaching's bright spots), one a week about a back-office team is approved
 * as praise for that team, and every other approved praise is marked followed up two days later.
 * Runs only when nothing was curated yet.
 */
export async function curateDemoQuotes(database: Database, timeZone: string, today: string): Promise<number> {
  const [curated] = await database.rows<{ n: number }>(sql`select count(*)::int as n from quotes`);
  if ((curated?.n ?? 0) > 0) return 0;
  const from = addDaysIso(today, -91);
  const page = await listQuotes(
    database,
    { status: 'new', praise: true, teamPks: null, from, to: today, limit: 1000, offset: 0 },
    timeZone,
  );
  const perWeek = new Map<string, { named: number; team: number }>();
  let approved = 0;
  for (const row of page.rows) {
    const week = isoWeekOf(row.date);
    const count = perWeek.get(week) ?? { named: 0, team: 0 };
    const named = row.credited_pk !== null;
    const backOffice = row.agent_id === null && row.team_id !== null;
    if (named ? count.named >= 2 : !backOffice || count.team >= 1) continue;
    if (named) count.named++;
    else count.team++;
    perWeek.set(week, count);
    const followUp = approved % 2 === 0 ? addDaysIso(row.date, 2) : null;
    await updateQuote(
      database,
      row.external_id,
      { status: 'approved', ...(followUp && followUp <= today ? { followed_up_on: followUp } : {}) },
      DEMO_CURATOR,
      { tz: timeZone, today },
    );
    approved++;
  }
  return approved;
}
