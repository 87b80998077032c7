// GET /views/weekly/charts/{chart}: the weekly review's charts drawn on the server as SVG, from the
// same options the page draws (the page shows its first chart from here until ECharts is loaded).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { weeklyChartOption } from '../../api/views/weekly-charts';
import type { WeeklyView } from '../../api/views/weekly';
import { annotations } from '../../db/schema';
import { createTestApp, readProblem, type TestApp } from '../helpers/app';
import { csv, ingestCsv } from '../helpers/ingest';

let t: TestApp;

// 2024-W07 is Mon 12 – Sun 18 February 2024; W06 is 5–11 February.
beforeAll(async () => {
  t = await createTestApp();
  await ingestCsv(
    t.database,
    'agents',
    csv('external_id,name,team,hired_on,left_on', 'a1,Ana Silva,t1,2023-01-01,', 'a2,Ben Okafor,t2,2023-01-01,'),
  );
  await ingestCsv(
    t.database,
    'interactions',
    csv(
      'external_id,occurred_at,team,channel,agent,answered,wait_seconds,handle_seconds,resolved',
      // W07: waits 10 and 50 s (mean 30 s); W06: 20 s.
      'i1,2024-02-12T09:00:00Z,t1,phone,a1,true,10,300,true',
      'i2,2024-02-13T09:00:00Z,t2,chat,a2,true,50,200,true',
      'i3,2024-02-05T09:00:00Z,t1,phone,a1,true,20,100,true',
    ),
  );
  await ingestCsv(
    t.database,
    'surveys',
    csv(
      'external_id,responded_at,interaction,csat',
      's1,2024-02-12T10:00:00Z,i1,5',
      's2,2024-02-13T10:00:00Z,i2,2',
      's3,2024-02-05T10:00:00Z,i3,4',
    ),
  );
  await t.database.db.insert(annotations).values({ on: '2024-02-14', title: 'New <b>phone</b> menu & "IVR"' });
});
afterAll(() => t.close());

const chart = (path: string, token: string | null = t.tokens.leader) =>
  t.request(`/api/v1/views/weekly/charts/${path}`, { token });

async function svg(path: string, token?: string): Promise<string> {
  const res = await chart(path, token);
  expect(res.status, await res.clone().text()).toBe(200);
  expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
  expect(res.headers.get('cache-control')).toBe('private, no-cache');
  // Opened on its own, the image may run nothing and load nothing.
  expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'");
  return res.text();
}

/** The text of the SVG's <text> elements, in document order. */
const texts = (doc: string) => [...doc.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);

describe('GET /views/weekly/charts/{chart}', () => {
  it('draws a paired trend at the size asked for: 13 weeks ending on the week, the week in bold, the annotation numbered', async () => {
    const doc = await svg('waiting?week=2024-W07&width=600&height=240');
    expect(doc.startsWith('<svg width="600" height="240"')).toBe(true);
    expect(doc).toContain('viewBox="0 0 600 240"');
    const words = texts(doc);
    // Week labels from 2023-W47 (13 weeks) to W07, every other one where they would overlap; the
    // week under review in bold (the page's rich label).
    expect(words.filter((w) => /^W\d\d$/.test(w))).toEqual(['W47', 'W49', 'W51', 'W01', 'W03', 'W05', 'W07']);
    expect(doc).toMatch(/font-weight:700;[^>]*>W07<\/text>/);
    // The annotation (14 February, in W07) as marker "1"; its title is not drawn (it is in the list under the charts).
    expect(words).toContain('1');
    expect(doc).not.toContain('phone</b>');
    expect(doc).not.toContain('IVR');
    // Nothing that could run: no script, no event handler attribute.
    expect(doc).not.toMatch(/<script|\son\w+=/i);
    // Left axis: waits of 20 s (W06) and 30 s (W07) in seconds; right axis: CSAT (W06 100%, W07 50%) in %.
    expect(words.filter((w) => /^\d+s$/.test(w)).length).toBeGreaterThanOrEqual(3);
    expect(words).toContain('100%');
  });

  it('draws the patience curve: the wait buckets that have answers', async () => {
    // Surveyed waits: 10 s and 50 s in W07, 20 s in W06 (the baseline): 0–30 s and 30–60 s.
    const words = texts(await svg('patience?week=2024-W07'));
    expect(words.filter((w) => /s$|min/.test(w))).toEqual(['0–30 s', '30–60 s']);
    expect(words).toContain('100%');
  });

  it('draws the option the page builds for the same view, and follows the data', async () => {
    const res = await t.request('/api/v1/views/weekly?week=2024-W07', { token: t.tokens.leader });
    const view = (await res.json()) as WeeklyView;
    expect(weeklyChartOption(view, 'nope')).toBeNull();
    const option = weeklyChartOption(view, 'waiting') as {
      series: Array<{ name: string; data: Array<number | null> }>;
    };
    // The operational series: mean wait per week, the last two weeks 20 s and (10 + 50) / 2 = 30 s.
    const wait = option.series.find((s) => s.name === 'Average wait')!;
    expect(wait.data.slice(-2)).toEqual([20, 30]);
    const csat = option.series.find((s) => s.name === 'CSAT')!;
    expect(csat.data.slice(-2)).toEqual([1, 0.5]);

    const before = await svg('waiting?week=2024-W07');
    expect(await svg('waiting?week=2024-W07')).toBe(before);
    // One more answered interaction in W07 (wait 90 s: mean 50 s) draws a different chart at once.
    await ingestCsv(
      t.database,
      'interactions',
      csv(
        'external_id,occurred_at,team,channel,agent,answered,wait_seconds',
        'i4,2024-02-14T09:00:00Z,t1,phone,a1,true,90',
      ),
    );
    expect(await svg('waiting?week=2024-W07')).not.toBe(before);
  });

  it('keeps a manager to its teams, and answers bad requests with problems that say where', async () => {
    const other = await chart('waiting?week=2024-W07&team=t2', t.tokens.manager);
    expect(other.status).toBe(403);
    expect(await svg('waiting?week=2024-W07', t.tokens.manager)).toContain('<svg');

    const unknown = await chart('nope?week=2024-W07');
    expect(unknown.status).toBe(404);
    expect((await readProblem(unknown)).detail).toBe(
      "The weekly review has no chart 'nope'; its charts are waiting, time_on_call, resolution, loyalty-1, loyalty-2, people, patience.",
    );
    const small = await chart('waiting?width=50');
    expect(small.status).toBe(400);
    const problem = await readProblem(small);
    expect(problem.detail).toBe("Invalid query parameter 'width': must be at least 160.");
    expect(problem.errors).toEqual([{ in: 'query', field: 'width', reason: 'must be at least 160' }]);
    const week = await chart('waiting?week=2024-07');
    expect(week.status).toBe(400);
    expect((await readProblem(week)).detail).toContain("'week'");
    expect((await chart('waiting', null)).status).toBe(401);
  });
});
