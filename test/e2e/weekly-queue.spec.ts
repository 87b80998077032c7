// The weekly review's "Waiting, hour by hour" in a real browser against the real server (`npm run
// build` first), on a PostgreSQL database of its own with the demo data: queue_status snapshots
// written into a past week (acceptQueueStatus, as a platform's would arrive) show as the week's
// busiest hour and longest wait in words, an hour without a snapshot is a gap, the team filter
// narrows the panel, and a week without snapshots says where they come from instead of a chart.
import fs from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { acceptQueueStatus } from '../../api/queue/accept';
import { openDatabase, type Database } from '../../db/client';
import type { WeeklyView } from '../../web/src/lib/components/weekly/types';
import { shiftWeek } from '../../api/shared/iso-week';
import { ADMIN_TOKEN, waitForDemo } from './fixtures';
import { scratchPostgres, startServer, type Server } from './server';

const SHOTS = 'test-results/screenshots';
const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}` };
const PORT = 3231;

async function getJson<T>(request: APIRequestContext, url: string): Promise<T> {
  const res = await request.get(url, { headers: ADMIN });
  expect(res.ok(), `${url}: ${res.status()}`).toBe(true);
  return (await res.json()) as T;
}

/** "Tue 17 Nov" for a date (the server's ORG_TIMEZONE is UTC). */
const day = (date: string) => {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' })
      .formatToParts(new Date(`${date}T12:00:00Z`))
      .map((x) => [x.type, x.value]),
  );
  return `${p.weekday} ${p.day} ${p.month}`;
};
const addDays = (date: string, n: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** A snapshot a minute from `hour`:00 to `hour`:59 on `date`. */
function everyMinute(date: string, hour: number, snapshot: (minute: number) => Record<string, unknown>) {
  return Array.from({ length: 60 }, (_, m) => ({
    at: `${date}T${String(hour).padStart(2, '0')}:${String(m).padStart(2, '0')}:10Z`,
    ...snapshot(m),
  }));
}

test('the weekly review shows the week’s queues hour by hour: busiest hour, longest wait, gaps, empty weeks', async ({
  browser,
  request,
}) => {
  test.setTimeout(360_000);
  const scratch = await scratchPostgres('pairwise_wkq');
  const url = scratch.url;
  let server: Server | null = null;
  let database: Database | null = null;
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, reducedMotion: 'reduce' });
  const page = await ctx.newPage();
  try {
    server = await startServer(PORT, { DATABASE_URL: url.toString(), PAIRWISE_DEMO: '1' });
    const base = server.base;
    await waitForDemo(request, 240_000, base);
    const teams = (await getJson<{ teams: Array<{ id: string; name: string }> }>(request, `${base}/api/v1/teams`))
      .teams;
    const [a, b] = teams as [(typeof teams)[0], (typeof teams)[0]];
    database = openDatabase({ url: url.toString(), max: 2 });

    // A past week of the demo data: two before the last complete one (the page's default).
    const latest = await getJson<WeeklyView>(request, `${base}/api/v1/views/weekly`);
    const week = shiftWeek(latest.week.label, -2);
    const view = await getJson<WeeklyView>(request, `${base}/api/v1/views/weekly?week=${week}`);
    const tue = addDays(view.week.from, 1);
    const wed = addDays(view.week.from, 2);
    const [thu, fri] = [addDays(view.week.from, 3), addDays(view.week.from, 4)];
    // Tuesday 09:00 team a's phone queue: 3 waiting, longest 2m 00s.
    // Tuesday 10:00 team a's phone: 8 waiting (the longest 5m 00s, 6m 12s once); team b (all its
    //   channels): 4 waiting, longest 3m 20s. The hour: 8 + 4 = 12.0 waiting, longest 6m 12s.
    // Tuesday 11:00 and 12:00: nothing (the platform was down). 13:00 team a: 5 waiting, 1m 30s.
    // Wednesday 15:00 one snapshot from team b: 2 waiting, longest 9m 05s (the week's longest).
    // Thursday and Friday 08:00–17:59, team a's phone, as a floor's day goes: 2 to 6 waiting, the
    //   longest under 5 minutes (neither the busiest hour nor the longest wait).
    await acceptQueueStatus(
      database,
      [
        ...everyMinute(tue, 9, () => ({
          team: a.id,
          channel: 'phone',
          waiting: 3,
          longest_wait_seconds: 120,
          agents_available: 2,
          agents_busy: 9,
        })),
        ...everyMinute(tue, 10, (m) => ({
          team: a.id,
          channel: 'phone',
          waiting: 8,
          longest_wait_seconds: m === 30 ? 372 : 300,
        })),
        ...everyMinute(tue, 10, () => ({ team: b.id, waiting: 4, longest_wait_seconds: 200 })),
        ...everyMinute(tue, 13, () => ({ team: a.id, channel: 'phone', waiting: 5, longest_wait_seconds: 90 })),
        { at: `${wed}T15:20:00Z`, team: b.id, waiting: 2, longest_wait_seconds: 545 },
        ...[thu, fri].flatMap((date) =>
          Array.from({ length: 10 }, (_, i) => {
            const base = Math.round(2 + 4 * Math.sin((Math.PI * i) / 10));
            return everyMinute(date, 8 + i, (m) => ({
              team: a.id,
              channel: 'phone',
              waiting: base + (m % 3) - 1,
              longest_wait_seconds: 60 + base * 30 + m,
            }));
          }).flat(),
        ),
      ],
      { timeZone: 'UTC' },
    );

    const signIn = await page.request.post(`${base}/api/v1/auth/session`, { data: { token: ADMIN_TOKEN } });
    expect(signIn.ok()).toBe(true);
    await page.goto(`${base}/`);
    await expect(page.getByRole('heading', { name: 'Weekly review', level: 1 })).toBeVisible();
    const panel = page.getByTestId('queue-hours');
    // The last complete week has no snapshot: no chart, a short note on where they come from.
    await expect(panel).toHaveAttribute('data-state', 'empty', { timeout: 20_000 });
    await expect(page.getByTestId('queue-empty')).toHaveText(
      `No queue snapshots in ${latest.week.label}. This panel fills in when the floor's platform pushes queue_status (people waiting and the longest wait, every few seconds).`,
    );
    await expect(page.getByTestId('chart-queue')).toHaveCount(0);

    // The week picker, as the weekly review's own test uses it.
    await page.getByTestId('week-select').selectOption(week);
    await expect(page).toHaveURL(new RegExp(`[?&]week=${week}(&|$)`));
    await expect(panel).toHaveAttribute('data-state', 'data', { timeout: 20_000 });
    await expect(page.getByTestId('queue-peak')).toHaveText(
      `Busiest hour: ${day(tue)}, 10:00–11:00, 12.0 waiting on average, longest wait 6m 12s. Longest wait of the week: 9m 05s, ${day(wed)}, 15:00–16:00.`,
    );
    await expect(panel.locator('[data-chart][data-rendered]')).toBeAttached({ timeout: 15_000 });
    await expect(panel).toContainText('Snapshots in 24 of 168 hours; elsewhere the line breaks (no data, not zero).');
    // Beside where patience runs out: the same row, to its right.
    const [qBox, pBox] = [await panel.boundingBox(), await page.getByTestId('patience').boundingBox()];
    expect(qBox!.x).toBeGreaterThan(pBox!.x + pBox!.width - 1);
    expect(Math.abs(qBox!.y - pBox!.y)).toBeLessThan(2);

    // At 1440×900, scrolled to the panel (looked at: test-results/screenshots/weekly-queue-1440.png).
    await panel.evaluate((e) => e.scrollIntoView({ block: 'center' }));
    await page.evaluate(() => document.fonts.ready);
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/weekly-queue-1440.png` });
    fs.copyFileSync(`${SHOTS}/weekly-queue-1440.png`, '/tmp/weekly-queue.png');

    // The numbers behind the chart: the hours with snapshots, and 11:00–13:00 as a gap, not zeros.
    await panel.getByText('Numbers behind this chart').click();
    const table = panel.getByRole('region', { name: 'Waiting by hour, table' });
    await expect(table.locator(`tr[data-hour="${tue}T10:00:00.000Z"]`)).toHaveText(
      new RegExp(`^${day(tue)}, 10:00\\s*12\\.0\\s*6m 12s\\s*120$`),
    );
    await expect(table.locator(`tr[data-hour="${tue}T09:00:00.000Z"]`)).toContainText('2m 00s');
    await expect(table.locator(`tr[data-hour="${tue}T11:00:00.000Z"]`)).toHaveCount(0);
    await expect(table.locator(`tr[data-gap-from="${tue}T11:00:00.000Z"]`)).toHaveText(
      new RegExp(`^${day(tue)}, 11:00–13:00\\s*no snapshot \\(2 hours\\)$`),
    );
    await expect(table.locator(`tr[data-hour="${tue}T13:00:00.000Z"]`)).toContainText('5.0');
    await expect(table.locator(`tr[data-hour="${wed}T15:00:00.000Z"]`)).toContainText('9m 05s');
    await expect(table.locator('tbody tr[data-hour]')).toHaveCount(24);
    // Readable without the chart, by everyone.
    const axe = await new AxeBuilder({ page }).include('[data-testid="queue-hours"]').analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);

    // On paper the sentence stands for the panel, on page 2 before the trends: still two pages.
    await page.emulateMedia({ media: 'print' });
    await expect(page.getByTestId('queue-peak')).toBeVisible();
    await expect(panel.getByTestId('chart-queue')).toBeHidden();
    await page.screenshot({ path: `${SHOTS}/weekly-queue-print.png`, fullPage: true });
    await page.emulateMedia({ media: null });
    for (const format of ['A4', 'Letter'] as const) {
      const pdf = await page.pdf({ format, printBackground: true });
      if (format === 'A4') fs.writeFileSync(`${SHOTS}/weekly-queue.pdf`, pdf);
      const pages = pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? [];
      expect(pages.length, `${format} pages`).toBe(2);
    }

    // The page's team scope: team b alone waited 4 at 10:00, longest 3m 20s.
    await page.getByTestId('team-select').selectOption(b.id);
    await expect(page).toHaveURL(new RegExp(`[?&]team=${b.id}(&|$)`));
    await expect(page.getByTestId('queue-peak')).toHaveText(
      `Busiest hour: ${day(tue)}, 10:00–11:00, 4.0 waiting on average, longest wait 3m 20s. Longest wait of the week: 9m 05s, ${day(wed)}, 15:00–16:00.`,
    );
    await expect(panel).toContainText('Snapshots in 2 of 168 hours');

    // The week before: no snapshot at all.
    const before = shiftWeek(week, -1);
    await page.getByTestId('week-select').selectOption(before);
    await expect(page).toHaveURL(new RegExp(`[?&]week=${before}(&|$)`));
    await expect(page.getByTestId('queue-empty')).toContainText(`No queue snapshots in ${before} for this selection.`);
    await expect(page.getByTestId('queue-empty')).toContainText('queue_status');
    await expect(page.getByTestId('chart-queue')).toHaveCount(0);
    await expect(page.getByTestId('queue-peak')).toHaveCount(0);
  } finally {
    await ctx.close();
    await database?.close();
    await server?.stop();
    await scratch.drop();
  }
});
