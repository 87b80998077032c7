// Demo data on a first start: the generator writes one CSV per kind, and they go in through the
// same ingest as any organisation's files. The incident week comes with its annotation.
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { annotations, settings } from '../../db/schema';
import { DEMO_DEFAULTS, writeDemo, type DemoOptions, type DemoStory } from '../../db/seed/generate';
import { ingest, type IngestResult } from './ingest';
import { KINDS } from './kinds';
import { csvSource } from './sources';

/** Today's date in a time zone, YYYY-MM-DD. */
export function todayIn(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

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
    database.db.insert(settings).values({ key: 'demo_state', value: state }).onConflictDoUpdate({ target: settings.key, set: { value: state, updatedAt: sql`now()` } });
  await setState('loading');
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'pairwise-demo-'));
  try {
    const story = await writeDemo(dir, { ...DEMO_DEFAULTS, end: todayIn(timeZone), ...options });
    log(`Importing demo data (${Object.entries(story.counts).map(([k, n]) => `${n.toLocaleString('en')} ${k}`).join(', ')}) …`);
    const results: IngestResult[] = [];
    for (const kind of KINDS) {
      const source = await csvSource(createReadStream(join(dir, `${kind}.csv`), { highWaterMark: 1 << 20 }));
      results.push(await ingest(database, kind, source, { timeZone, actor: 'demo data', source: 'demo' }));
    }
    const [existing] = await database.rows<{ n: number }>(sql`select count(*)::int as n from annotations where title = ${story.incident.title}`);
    if (!existing?.n) await database.db.insert(annotations).values({ on: story.incident.weekStart, title: story.incident.title, note: story.incident.note });
    await setState('loaded');
    const seconds = (performance.now() - started) / 1000;
    log(`Demo data imported in ${seconds.toFixed(1)} s.`);
    return { story, results, seconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
