// The wallboard's "right now" (queue_status snapshots) in a real browser against the real server
// (`npm run build` first): nothing shown before any queue reported, the waiting line beside
// today's CSAT within seconds of a snapshot, and a queue that stops reporting shown as stale.
// Snapshots are written with acceptQueueStatus on the server's PostgreSQL database: its notice
// reaches the server like any other process's.
import { expect, test, type APIRequestContext } from '@playwright/test';
import { acceptQueueStatus } from '../../api/queue/accept';
import { openDatabase, type Database } from '../../db/client';
import { ADMIN_TOKEN, waitForDemo } from './fixtures';
import { scratchPostgres, startServer, type Server } from './server';

const SHOTS = 'test-results/screenshots';
const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}` };
const PORT = 3224;

async function displayToken(request: APIRequestContext, base: string): Promise<string> {
  const res = await request.post(`${base}/api/v1/tokens`, {
    headers: ADMIN,
    data: { role: 'display', label: 'E2E queue TV' },
  });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

test('the Today screen shows the floor right now beside CSAT, and a silent queue as stale', async ({
  browser,
  request,
}) => {
  test.setTimeout(330_000);
  const scratch = await scratchPostgres('pairwise_tvq');
  const url = scratch.url;
  let server: Server | null = null;
  let database: Database | null = null;
  const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 }, reducedMotion: 'reduce' });
  const page = await ctx.newPage();
  try {
    server = await startServer(PORT, { DATABASE_URL: url.toString(), PAIRWISE_DEMO: '1' });
    await waitForDemo(request, 240_000, server.base);
    const teams = (
      (await (await request.get(`${server.base}/api/v1/teams`, { headers: ADMIN })).json()) as {
        teams: Array<{ id: string; name: string }>;
      }
    ).teams;
    expect(teams.length).toBeGreaterThanOrEqual(3);
    const [a, b, c] = teams as [(typeof teams)[0], (typeof teams)[0], (typeof teams)[0]];
    database = openDatabase({ url: url.toString(), max: 2 });

    const token = await displayToken(request, server.base);
    await page.goto(`${server.base}/tv?token=${encodeURIComponent(token)}&screens=today&every=600`);
    await expect(page.getByTestId('tv')).toHaveAttribute('data-status', 'live', { timeout: 20_000 });
    await expect(page.getByTestId('screen-today')).toBeVisible();
    // No queue ever reported: nothing shown, no zeros.
    await expect(page.getByTestId('tv-queue')).toHaveCount(0);

    // The last 45 minutes of team a's phone queue (history for the line), then the newest snapshots.
    const history = Array.from({ length: 45 }, (_, i) => ({
      at: ago((45 - i) * 60_000),
      team: a.id,
      channel: 'phone',
      waiting: Math.round(3 + 3 * Math.sin(i / 6) + (i > 35 ? i - 35 : 0)),
    }));
    await acceptQueueStatus(
      database,
      [
        ...history,
        {
          at: ago(4_000),
          team: a.id,
          channel: 'phone',
          waiting: 4,
          longest_wait_seconds: 192,
          agents_available: 3,
          agents_busy: 11,
        },
        { at: ago(2_000), team: b.id, waiting: 3, longest_wait_seconds: 75, agents_available: 2, agents_busy: 6 },
      ],
      { timeZone: 'UTC' },
    );
    const queue = page.getByTestId('tv-queue');
    await expect(queue).toBeVisible({ timeout: 5_000 });
    await expect(queue).toHaveAttribute('data-stale', 'false');
    await expect(page.getByTestId('queue-waiting')).toHaveText(/^7\s*waiting$/);
    await expect(page.getByTestId('queue-longest')).toHaveText('longest 3m 12s');
    await expect(queue).toContainText('agents 5 free · 17 busy');
    // Legible across the room: the number waiting at least 8% of the screen's height.
    const size = await page
      .locator('[data-testid="queue-waiting"] .big')
      .evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
    expect(size / 1080).toBeGreaterThanOrEqual(0.08);
    // Beside today's CSAT, and nothing identifying: no team names in it.
    const [qBox, csatBox] = [
      await queue.boundingBox(),
      await page.getByTestId('pair-waiting').getByTestId('tv-csat').boundingBox(),
    ];
    expect(qBox!.x).toBeGreaterThan(csatBox!.x);
    expect(qBox!.y).toBeLessThan(csatBox!.y + csatBox!.height);
    for (const t of teams) expect(await queue.textContent()).not.toContain(t.name);
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({ path: `${SHOTS}/tv-queue-1920.png` });

    // Team c's platform last reported 4 minutes ago: the board says so and keeps the numbers, dimmed.
    await acceptQueueStatus(
      database,
      [{ at: ago(4 * 60_000 + 5_000), team: c.id, waiting: 2, longest_wait_seconds: 40 }],
      { timeZone: 'UTC' },
    );
    await expect(queue).toHaveAttribute('data-stale', 'true', { timeout: 5_000 });
    await expect(page.getByTestId('queue-stale')).toHaveText('1 of 3 queues: no update for 4 min');
    await expect(page.getByTestId('queue-waiting')).toHaveText(/^9\s*waiting$/);
    await page.screenshot({ path: `${SHOTS}/tv-queue-stale-1920.png` });

    // A team's own board whose only queue is silent: stale, never zero.
    await page.goto(`${server.base}/tv?screens=today&every=600&team=${encodeURIComponent(c.id)}`);
    await expect(page.getByTestId('queue-stale')).toHaveText('no update for 4 min', { timeout: 20_000 });
    await expect(page.getByTestId('queue-waiting')).toHaveText(/^2\s*waiting$/);
    await page.screenshot({ path: `${SHOTS}/tv-queue-team-stale-1920.png` });
  } finally {
    await ctx.close();
    await database?.close();
    await server?.stop();
    await scratch.drop();
  }
});
