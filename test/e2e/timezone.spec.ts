// "Today" is the organisation's day, not the browser's: a server with ORG_TIMEZONE=America/Chicago
// and a browser set to UTC whose clock reads 23:30 in Chicago (04:30 or 05:30 UTC the next day).
// The TV's clock and day, the forms' default dates and the note naming the zone follow Chicago.
// Also: the coaching period picker refuses a period longer than the API's 371 days.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { ADMIN_TOKEN, waitForDemo } from './fixtures';
import { startServer, type Server } from './server';

const SHOTS = 'test-results/screenshots';
const ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}` };
const ORG = 'America/Chicago';
const PORT = 3223;

/** The instant a wall clock in `tz` reads `hhmm` on `day`. */
function instantAt(day: string, hhmm: string, tz: string): number {
  const naive = Date.parse(`${day}T${hhmm}:00Z`);
  const read = new Intl.DateTimeFormat('sv-SE', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  for (let h = -14; h <= 14; h++) {
    const at = naive + h * 3_600_000;
    if (read.format(at) === `${day} ${hhmm}`) return at;
  }
  throw new Error(`no ${hhmm} on ${day} in ${tz}`);
}

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** As the web writes a date: "Wed 14 Jan 2026". */
function shownDate(day: string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      timeZone: 'UTC',
    })
      .formatToParts(new Date(`${day}T00:00:00Z`))
      .map((x) => [x.type, x.value]),
  );
  return `${p.weekday} ${p.day} ${p.month} ${p.year}`;
}

let server: Server;
let dir: string;
/** The organisation's today, as the server says. */
let orgDay: string;

test.describe('the organisation’s time zone', () => {
  test.beforeAll(async ({ request }) => {
    test.setTimeout(180_000);
    dir = mkdtempSync(path.join(os.tmpdir(), 'pairwise-e2e-tz-'));
    server = await startServer(PORT, { PGLITE_DIR: dir, ORG_TIMEZONE: ORG, PAIRWISE_DEMO: '1' });
    await waitForDemo(request, 150_000, server.base);
    const snap = (await (await request.get(`${server.base}/api/v1/views/tv`, { headers: ADMIN })).json()) as {
      today: string;
      time_zone: string;
    };
    expect(snap.time_zone).toBe(ORG);
    orgDay = snap.today;
  });

  test.afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A browser in UTC whose clock reads 23:30 on the organisation's today in Chicago. */
  async function utcBrowserAtChicagoNight(
    browser: Browser,
    viewport: { width: number; height: number },
  ): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ timezoneId: 'UTC', viewport, baseURL: server.base });
    const page = await context.newPage();
    await page.clock.install({ time: instantAt(orgDay, '23:30', ORG) });
    return { context, page };
  }

  /** The browser's own idea of today (its zone, its clock). */
  const browserDay = (page: Page) =>
    page.evaluate(() => {
      const d = new Date();
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    });

  test('the TV in UTC shows Chicago’s clock and day, and says the times are Chicago’s', async ({
    browser,
    request,
  }) => {
    const res = await request.post(`${server.base}/api/v1/tokens`, {
      headers: ADMIN,
      data: { role: 'display', label: 'Kiosk in UTC' },
    });
    expect(res.status()).toBe(201);
    const { token } = (await res.json()) as { token: string };

    const { context, page } = await utcBrowserAtChicagoNight(browser, { width: 1920, height: 1080 });
    try {
      await page.goto(`/tv?token=${encodeURIComponent(token)}&screens=today&every=600`);
      await expect(page.getByTestId('tv')).toHaveAttribute('data-status', 'live', { timeout: 20_000 });
      // The browser itself is already on the next day: what follows would fail on its zone.
      expect(await browserDay(page)).toBe(nextDay(orgDay));

      await expect(page.getByTestId('tv-clock')).toHaveText(/^23:3\d$/);
      await expect(page.getByTestId('tv-when')).toHaveText(shownDate(orgDay));
      await expect(page.getByTestId('tv-zone')).toHaveText('Times in America/Chicago');
      await expect(page.getByTestId('tv-contacts').getByTestId('value')).toBeVisible();
      await page.screenshot({ path: `${SHOTS}/tv-org-zone-1080.png` });
    } finally {
      await context.close();
    }
  });

  test('laptop pages in UTC default to Chicago’s today and name the zone in the header', async ({ browser }) => {
    const { context, page } = await utcBrowserAtChicagoNight(browser, { width: 1440, height: 900 });
    try {
      expect((await page.request.post('/api/v1/auth/session', { data: { token: ADMIN_TOKEN } })).ok()).toBe(true);

      await page.goto('/admin/annotations');
      await expect(page.locator('#a-on')).toHaveValue(orgDay);
      expect(await browserDay(page)).toBe(nextDay(orgDay));
      const note = page.getByTestId('zone-note');
      await expect(note).toHaveText('Times in America/Chicago');
      await expect(note).toHaveAttribute('title', /this browser is set to UTC/);

      await page.goto('/admin/goals');
      await expect(page.locator('#g-from')).toHaveValue(orgDay);
      await expect(page.getByTestId('zone-note')).toBeVisible();

      await page.goto('/');
      await expect(page.getByTestId('zone-note')).toHaveText('Times in America/Chicago');
      await page.screenshot({ path: `${SHOTS}/weekly-org-zone-1440.png` });
    } finally {
      await context.close();
    }
  });

  test('a browser in the organisation’s zone gets no note', async ({ browser }) => {
    const context = await browser.newContext({ timezoneId: ORG, baseURL: server.base });
    const page = await context.newPage();
    try {
      expect((await page.request.post('/api/v1/auth/session', { data: { token: ADMIN_TOKEN } })).ok()).toBe(true);
      await page.goto('/admin/annotations');
      await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
      await expect(page.locator('#a-on')).toHaveValue(/^\d{4}-\d{2}-\d{2}$/);
      await expect(page.getByTestId('zone-note')).toHaveCount(0);
    } finally {
      await context.close();
    }
  });

  test('the coaching period picker offers at most 371 days and says so', async ({ browser }) => {
    const { context, page } = await utcBrowserAtChicagoNight(browser, { width: 1440, height: 900 });
    try {
      expect((await page.request.post('/api/v1/auth/session', { data: { token: ADMIN_TOKEN } })).ok()).toBe(true);
      await page.goto('/coach');
      await page.locator('#period-choice').selectOption('custom');
      const from = page.locator('#period-from');
      const to = page.locator('#period-to');
      await from.fill('2025-01-01');
      // The picker's own limit: 371 days counting both ends.
      await expect(to).toHaveAttribute('max', '2026-01-06');
      await to.fill('2026-01-07');
      const before = page.url();
      await page.getByRole('button', { name: 'Show' }).click();
      await expect(page.getByTestId('period-error')).toHaveText(/at most 371 days \(53 weeks\); this one is 372 days/);
      expect(page.url()).toBe(before);
      await page.screenshot({ path: `${SHOTS}/coach-period-limit-1440.png` });

      // One day shorter is accepted and shown.
      await to.fill('2026-01-06');
      await page.getByRole('button', { name: 'Show' }).click();
      await expect(page).toHaveURL(/from=2025-01-01&to=2026-01-06/);
      await expect(page.getByTestId('period-error')).toHaveCount(0);
    } finally {
      await context.close();
    }
  });
});
