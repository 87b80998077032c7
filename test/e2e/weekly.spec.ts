// The weekly review (`/`) on the demo data: numbers equal to the metrics API's, the
// reserved quote panel, week picker and filters in the URL, CSV export, print/PDF, axe, roles.
import fs from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { catalogByKey, info } from '../../api/shared/catalog';
import { fmtValue } from '../../api/shared/format';
import { shiftWeek } from '../../api/shared/iso-week';
import { changeView, targetView, valueText } from '../../web/src/lib/components/weekly/display';
import type { Catalog, MetricDef, MetricValue, WeeklyView } from '../../web/src/lib/components/weekly/types';
import { ADMIN_TOKEN, DEMO_URL, waitForDemo } from './fixtures';

const SHOTS = 'test-results/screenshots';
const QUOTE_EMPTY = 'No customer quote featured yet — curators pick one in Admin › Quotes.';
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

async function getJson<T>(request: APIRequestContext, path: string): Promise<T> {
  const res = await request.get(`${DEMO_URL}${path}`, { headers: auth });
  expect(res.ok(), `${path}: ${res.status()} ${res.ok() ? '' : await res.text()}`).toBe(true);
  return (await res.json()) as T;
}

const weeklyView = (request: APIRequestContext, query = '') =>
  getJson<WeeklyView>(request, `/api/v1/views/weekly${query}`);

async function catalog(request: APIRequestContext): Promise<Catalog> {
  return catalogByKey((await getJson<{ metrics: MetricDef[] }>(request, '/api/v1/metrics/catalog')).metrics);
}

/**
 * The week's values vs the previous week, straight from GET /api/v1/metrics: the view lists the
 * requests that give its numbers (`meta.queries`); those for the week itself with
 * `compare=previous` and no `by` hold the pairs (one per set of filters the metrics support).
 * Each metric is taken from the request that asked for it (not one that added it as a partner).
 */
async function weekValues(request: APIRequestContext, view: WeeklyView): Promise<Record<string, MetricValue>> {
  const out: Record<string, MetricValue> = {};
  const queries = view.meta.queries.filter((q) => {
    const p = new URL(q, DEMO_URL).searchParams;
    return (
      p.get('from') === view.week.from &&
      p.get('to') === view.week.to &&
      p.get('compare') === 'previous' &&
      !p.has('by')
    );
  });
  expect(queries.length).toBeGreaterThan(0);
  for (const q of queries) {
    const asked = new URL(q, DEMO_URL).searchParams.get('metrics')!.split(',');
    const body = await getJson<{ rows: Array<{ values: Record<string, MetricValue> }> }>(request, q);
    expect(body.rows.length).toBe(1);
    for (const k of asked) out[k] = body.rows[0]!.values[k]!;
  }
  return out;
}

async function signIn(page: Page, token = ADMIN_TOKEN) {
  const res = await page.request.post(`${DEMO_URL}/api/v1/auth/session`, { data: { token } });
  expect(res.ok(), `sign-in: ${res.status()}`).toBe(true);
}

/** Opens the weekly review and waits for its numbers, its first chart and the rest of the page. */
async function openWeekly(page: Page, query = '') {
  await page.goto(`${DEMO_URL}/${query}`);
  await expect(page.getByRole('heading', { name: 'Weekly review', level: 1 })).toBeVisible();
  await expect(page.getByTestId('pair-waiting')).toBeVisible();
  await expect(page.locator('[data-chart][data-rendered]').first()).toBeAttached({ timeout: 15_000 });
  // Below the first trend chart the page is built once that chart is drawn.
  await expect(page.getByTestId('stages')).toBeAttached();
}

/** The value shown for a metric of a pair card. */
const shown = (page: Page, pair: string, metric: string) =>
  page.getByTestId(`pair-${pair}`).getByTestId(`metric-${metric}`).getByTestId('value');

/** A minimal RFC 4180 parser (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length) rows.push([...row, cell]);
  return rows;
}

test.describe('weekly review on the demo data', () => {
  test.beforeAll(async ({ request }) => {
    test.setTimeout(150_000);
    await waitForDemo(request);
  });

  test.beforeEach(async ({ page }) => {
    await signIn(page);
  });

  test('the five pairs show the numbers of GET /api/v1/metrics, formatted', async ({ page, request }) => {
    const view = await weeklyView(request);
    const cat = await catalog(request);
    const values = await weekValues(request, view);

    await openWeekly(page, `?week=${view.week.label}`);
    await expect(page.getByTestId('week-heading')).toContainText(view.week.label);
    if (view.statement) await expect(page.getByTestId('cx-statement')).toContainText(view.statement);

    expect(view.pairs.map((p) => p.key)).toEqual(['waiting', 'time_on_call', 'resolution', 'loyalty', 'people']);
    for (const pair of view.pairs) {
      const card = page.getByRole('article', { name: pair.label });
      await expect(card).toContainText('operational');
      await expect(card).toContainText('experiential');
      for (const cell of [...pair.operational, ...pair.experiential]) {
        const api = values[cell.metric];
        expect(api, `${cell.metric} in the metrics API`).toBeDefined();
        const m = info(cat, cell.metric);
        await expect(shown(page, pair.key, cell.metric), `${pair.key} › ${cell.metric}`).toHaveText(
          valueText(api, m.unit),
        );
        const metricBox = page.getByTestId(`pair-${pair.key}`).getByTestId(`metric-${cell.metric}`);
        await expect(metricBox).toContainText(`n = ${api!.n.toLocaleString('en-GB')}`);
        // Change vs last week: arrow and word; "within normal variation" when it is noise.
        const change = changeView(api!, m);
        if (change) {
          await expect(metricBox.getByTestId('change')).toContainText(change.amount);
          await expect(metricBox.getByTestId('change')).toContainText(change.word);
          await expect(metricBox.getByTestId('variation')).toHaveCount(change.significant === false ? 1 : 0);
        }
        // The target in force, with met / not met in words.
        const target = metricBox.getByTestId('target');
        if (cell.target === null || cell.target === undefined) await expect(target).toHaveText('No target set');
        else {
          await expect(target).toContainText(targetView(cell, m.unit)!.text);
          if (cell.met === true) {
            await expect(target).toContainText('· met');
            await expect(target).not.toContainText('not met');
          }
          if (cell.met === false) await expect(target).toContainText('· not met');
        }
      }
    }
    // Handle time has no better direction: its change is "longer" or "shorter", never better/worse.
    const handle = page.getByTestId('pair-time_on_call').getByTestId('metric-handle_avg').getByTestId('change');
    if (await handle.count()) await expect(handle).not.toContainText(/better|worse/);

    // Wait by channel under the Waiting pair, from the view's channels.
    const phone = view.channels.find((c) => c.channel === 'phone');
    if (phone?.values.wait_avg?.value != null) {
      await expect(page.getByTestId('channel-waits').locator('tr[data-channel="phone"]')).toContainText(
        fmtValue(phone.values.wait_avg.value, 'seconds'),
      );
    }
    // Six paired trend charts and the patience curve, each with its table alternative.
    await expect(page.locator('[data-testid^="chart-"]')).toHaveCount(7);
    await expect(
      page.getByRole('img', { name: /Waiting: Average wait \(left axis\) and CSAT \(right axis\)/ }),
    ).toBeVisible();
    await expect(page.getByText('Numbers behind this chart')).toHaveCount(7);
    if (view.annotations.length)
      await expect(page.getByTestId('annotations')).toContainText(view.annotations[0]!.title);
    // The benchmark's mark: the first chart finished its first render.
    expect(await page.evaluate(() => performance.getEntriesByName('pairwise:first-chart').length)).toBe(1);
  });

  for (const viewport of [
    { width: 1440, height: 900 },
    { width: 1920, height: 1080 },
  ]) {
    test(`the first chart is on screen as the server drew it before ECharts is loaded, then ECharts takes over (${viewport.width}×${viewport.height})`, async ({
      page,
    }) => {
      await page.setViewportSize(viewport);
      // Hold back every script the HTML page does not name (ECharts: loaded once the first chart is on screen).
      const html = await (await page.request.get(`${DEMO_URL}/`)).text();
      const named = new Set([...html.matchAll(/"\.?(\/_app\/[^"]+\.js)"/g)].map((m) => m[1]));
      let release = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      const heldBack: string[] = [];
      await page.route('**/_app/immutable/chunks/*.js', async (route) => {
        const path = new URL(route.request().url()).pathname;
        if (!named.has(path)) {
          heldBack.push(path);
          await held;
        }
        await route.continue();
      });
      const chartRequests: string[] = [];
      page.on('request', (r) => {
        if (r.url().includes('/api/v1/views/weekly/charts/')) chartRequests.push(r.url().slice(DEMO_URL.length));
      });

      await page.goto(`${DEMO_URL}/`);
      const preview = page.getByTestId('preview-chart-waiting');
      await expect(preview).toBeVisible();
      // The answer the HTML page asked for before the app's code arrived: the box is the size it guessed.
      await expect(preview).toHaveAttribute('src', /^data:image\/svg\+xml/);
      expect(chartRequests).toEqual(['/api/v1/views/weekly/charts/waiting?width=555&height=230']);
      const box = (await page.getByTestId('chart-waiting').boundingBox())!;
      expect([Math.round(box.width), Math.round(box.height)]).toEqual([555, 230]);
      await expect.poll(() => page.evaluate(() => performance.getEntriesByName('pairwise:first-chart').length)).toBe(1);
      // A drawing, not an empty frame: the SVG has the weeks and the lines.
      const drawing = decodeURIComponent(
        (await preview.getAttribute('src'))!.replace(/^data:image\/svg\+xml;charset=utf-8,/, ''),
      );
      expect(drawing).toMatch(/^<svg width="555" height="230"/);
      expect((drawing.match(/<path /g) ?? []).length).toBeGreaterThan(20);
      await expect(page.locator('[data-chart][data-rendered]')).toHaveCount(0);
      await expect.poll(() => heldBack.length).toBeGreaterThan(0);

      release();
      await expect(page.locator('[data-testid="chart-waiting"][data-rendered]')).toBeAttached({ timeout: 15_000 });
      await expect(preview).toHaveCount(0);
      await expect(page.locator('[data-chart][data-rendered]')).toHaveCount(7, { timeout: 15_000 });
      // The mark stays the first chart's: ECharts' drawing did not set it again.
      expect(await page.evaluate(() => performance.getEntriesByName('pairwise:first-chart').length)).toBe(1);
    });
  }

  test('the reserved quote panel is there, with a featured quote and in an empty week', async ({ page, request }) => {
    const view = await weeklyView(request);
    await openWeekly(page, `?week=${view.week.label}`);
    const panel = page.getByRole('region', { name: 'Customer voice' });
    await expect(panel).toBeVisible();
    // The demo week has a featured quote (automatic selection is on by default).
    const featured = view.quote.quote;
    expect(featured, view.quote.reason ?? 'no featured quote').not.toBeNull();
    await expect(panel.getByTestId('featured-quote-text')).toHaveText(featured!.text);

    // A week before the data starts: nothing to show, and the panel still holds its place.
    const before = shiftWeek(view.data_weeks.first!, -3);
    await openWeekly(page, `?week=${before}`);
    await expect(page.getByTestId('empty-week')).toBeVisible();
    await expect(panel).toBeVisible();
    await expect(panel).toContainText(QUOTE_EMPTY);
    const box = await panel.boundingBox();
    expect(box!.height).toBeGreaterThan(100);
    await expect(shown(page, 'waiting', 'wait_avg')).toHaveText('no data');
  });

  test('the week picker and the filters change the URL and the numbers', async ({ page, request }) => {
    const view = await weeklyView(request);
    const cat = await catalog(request);
    const csat = (v: WeeklyView) => valueText(v.pairs[0]!.experiential[0]!, cat.csat!.unit);
    const wait = (v: WeeklyView) => valueText(v.pairs[0]!.operational[0]!, cat.wait_avg!.unit);
    await openWeekly(page, `?week=${view.week.label}`);
    await expect(shown(page, 'waiting', 'csat')).toHaveText(csat(view));

    // Previous week, by keyboard.
    const previous = await weeklyView(request, `?week=${view.week.previous}`);
    await page.getByTestId('week-prev').focus();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new RegExp(`[?&]week=${view.week.previous}(&|$)`));
    await expect(page.getByTestId('week-heading')).toContainText(view.week.previous);
    await expect(shown(page, 'waiting', 'csat')).toHaveText(csat(previous));
    await expect(shown(page, 'waiting', 'wait_avg')).toHaveText(wait(previous));

    // Next week brings the first back; the week select jumps anywhere.
    await page.getByTestId('week-next').click();
    await expect(page).toHaveURL(new RegExp(`[?&]week=${view.week.label}(&|$)`));
    await expect(shown(page, 'waiting', 'csat')).toHaveText(csat(view));
    const older = shiftWeek(view.week.label, -5);
    await page.getByTestId('week-select').selectOption(older);
    await expect(page).toHaveURL(new RegExp(`[?&]week=${older}(&|$)`));
    await expect(shown(page, 'waiting', 'csat')).toHaveText(csat(await weeklyView(request, `?week=${older}`)));

    // The newest week has no next: the arrow is disabled.
    if (view.week.next) {
      const newest = await weeklyView(request, `?week=${view.week.next}`);
      if (newest.week.next === null) {
        await openWeekly(page, `?week=${newest.week.label}`);
        await expect(page.getByTestId('week-next')).toBeDisabled();
      }
    }

    // Team filter.
    const { teams } = await getJson<{ teams: Array<{ id: string; name: string; active_agents: number }> }>(
      request,
      '/api/v1/teams',
    );
    const team = teams.find((t) => t.active_agents > 0)!;
    await openWeekly(page, `?week=${view.week.label}`);
    await page.getByTestId('team-select').selectOption(team.id);
    await expect(page).toHaveURL(new RegExp(`[?&]team=${team.id}(&|$)`));
    await expect(page.getByTestId('week-heading')).toContainText(team.name);
    const byTeam = await weeklyView(request, `?week=${view.week.label}&team=${team.id}`);
    await expect(shown(page, 'waiting', 'wait_avg')).toHaveText(wait(byTeam));
    await expect(shown(page, 'waiting', 'csat')).toHaveText(csat(byTeam));
    // Churn does not follow the team filter: it says so.
    await expect(page.getByTestId('pair-loyalty').getByTestId('metric-churn_rate')).toContainText('organisation-wide');

    // Channel filter on top.
    await page.getByTestId('channel-select').selectOption('phone');
    await expect(page).toHaveURL(/[?&]channel=phone(&|$)/);
    await expect(page).toHaveURL(new RegExp(`[?&]team=${team.id}(&|$)`));
    const byBoth = await weeklyView(request, `?week=${view.week.label}&team=${team.id}&channel=phone`);
    await expect(shown(page, 'waiting', 'wait_avg')).toHaveText(wait(byBoth));
    await expect(page.getByTestId('channel-waits')).toContainText('Filtered to Phone');

    // The URL is the page: opening it again shows the same choices.
    await page.reload();
    await expect(page.getByTestId('team-select')).toHaveValue(team.id);
    await expect(page.getByTestId('channel-select')).toHaveValue('phone');
    await expect(page.getByTestId('week-select')).toHaveValue(view.week.label);
    await expect(shown(page, 'waiting', 'wait_avg')).toHaveText(wait(byBoth));
  });

  test("the CSV export has the page's numbers, equal to the metrics API's", async ({ page, request }) => {
    const view = await weeklyView(request);
    await openWeekly(page, `?week=${view.week.label}&channel=chat`);
    const link = page.getByRole('link', { name: 'Download CSV' });
    const href = (await link.getAttribute('href'))!;
    expect(href).toContain(`week=${view.week.label}`);
    expect(href).toContain('channel=chat');
    expect(href).toContain('format=csv');

    const download = page.waitForEvent('download');
    await link.click();
    expect((await download).suggestedFilename()).toBe(`pairwise-weekly-${view.week.label}-chat.csv`);

    const res = await page.request.get(`${DEMO_URL}${href}`);
    expect(res.ok()).toBe(true);
    expect(res.headers()['content-type']).toContain('text/csv');
    const [header, ...rows] = parseCsv(await res.text());
    const col = (name: string) => header!.indexOf(name);
    const chatView = await weeklyView(request, `?week=${view.week.label}&channel=chat`);
    // Every pair value of the CSV equals the metrics API's for the same parameters (organisation
    // metrics such as churn through the request without the channel filter they do not support).
    const apiValues = await weekValues(request, chatView);
    const pairRows = rows.filter((r) => r[col('section')] === 'pair');
    expect(pairRows.length).toBe(chatView.pairs.reduce((n, p) => n + p.operational.length + p.experiential.length, 0));
    for (const r of pairRows) {
      const metric = r[col('metric')]!;
      const expected = apiValues[metric];
      expect(expected, metric).toBeDefined();
      const v = r[col('value')]!;
      if (expected!.value === null) expect(v).toBe('');
      else expect(Number(v)).toBeCloseTo(expected!.value, 9);
      expect(Number(r[col('n')])).toBe(expected!.n);
      expect(r[col('period')]).toBe(view.week.label);
    }
    // And the page shows those same numbers.
    const cat = await catalog(request);
    const waitRow = pairRows.find((r) => r[col('item')] === 'waiting' && r[col('metric')] === 'wait_avg')!;
    await expect(shown(page, 'waiting', 'wait_avg')).toHaveText(
      fmtValue(Number(waitRow[col('value')]), cat.wait_avg!.unit),
    );
  });

  test('Print / PDF gives a two-page report with the charts', async ({ page, request }) => {
    const view = await weeklyView(request);
    await openWeekly(page, `?week=${view.week.label}`);
    await expect(page.getByRole('button', { name: 'Print / PDF' })).toBeVisible();

    await page.emulateMedia({ media: 'print' });
    // Chrome and buttons are gone; every chart is drawn, sized for paper.
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
    await expect(page.getByRole('button', { name: 'Print / PDF' })).toBeHidden();
    await expect(page.getByTestId('week-select')).toBeHidden();
    const charts = page.locator('[data-testid^="chart-"] svg');
    await expect(charts).toHaveCount(7);
    for (const svg of await charts.all()) {
      await expect(svg).toBeVisible();
      const box = (await svg.boundingBox())!;
      expect(box.width).toBeGreaterThan(150);
      expect(box.height).toBeGreaterThan(80);
      expect(await svg.locator('path').count()).toBeGreaterThan(5);
    }
    await expect(page.getByRole('region', { name: 'Customer voice' })).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/weekly-review-print.png`, fullPage: true });
    await page.emulateMedia({ media: null });

    for (const format of ['A4', 'Letter'] as const) {
      const pdf = await page.pdf({ format, printBackground: true });
      if (format === 'A4') fs.writeFileSync(`${SHOTS}/weekly-review.pdf`, pdf);
      expect(pdf.length).toBeGreaterThan(50_000);
      const pages = pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? [];
      expect(pages.length, `${format} pages`).toBe(2);
    }
  });

  test('axe finds no serious or critical violation', async ({ page, request }) => {
    const view = await weeklyView(request);
    await openWeekly(page, `?week=${view.week.label}`);
    // The tables behind the charts are checked too.
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
    await expect(page.locator('details table')).toHaveCount(7);
    const results = await new AxeBuilder({ page }).analyze();
    const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`)).toEqual([]);
  });

  test("the page's data is asked for by the HTML, before the app's code, and only once", async ({ page, request }) => {
    const view = await weeklyView(request);
    const team = (await getJson<{ teams: Array<{ id: string }> }>(request, '/api/v1/teams')).teams[0]!.id;
    // The app's code is held back half a second: the data must not wait for it.
    let codeArrived = 0;
    await page.route(/\/_app\/immutable\/entry\/start\.[^/]+\.js$/, async (route) => {
      await new Promise((r) => setTimeout(r, 500));
      await route.continue();
      codeArrived = Date.now();
    });
    const asked: Array<{ url: string; at: number }> = [];
    page.on('request', (r) => {
      if (/\/api\/v1\/(views\/weekly|auth\/me|metrics\/catalog|teams)\b/.test(r.url()))
        asked.push({ url: r.url(), at: Date.now() });
    });
    await openWeekly(page, `?channel=&team=${team}&week=${view.week.label}`);
    await expect(page.getByTestId('week-heading')).toContainText(view.week.label);

    const paths = asked.map((a) => new URL(a.url).pathname + new URL(a.url).search).sort();
    // Each once: the app took the HTML's answers over (the same URL the app builds: week, team), the
    // first chart drawn by the server among them (this window is 1440 px wide).
    expect(paths).toEqual([
      '/api/v1/auth/me',
      '/api/v1/metrics/catalog',
      '/api/v1/teams',
      `/api/v1/views/weekly/charts/waiting?week=${view.week.label}&team=${team}&width=555&height=230`,
      `/api/v1/views/weekly?week=${view.week.label}&team=${team}`,
    ]);
    for (const a of asked) expect(a.at, a.url).toBeLessThan(codeArrived);

    // A later week is asked for by the app itself (the page's early answers were for the first load).
    await page.getByTestId('week-prev').click();
    await expect(page.getByTestId('week-heading')).toContainText(view.week.previous);
    expect(asked.filter((a) => a.url.includes(`week=${view.week.previous}`))).toHaveLength(1);
  });

  test('a manager sees its own teams only', async ({ page, request }) => {
    const { teams } = await getJson<{ teams: Array<{ id: string; name: string; active_agents: number }> }>(
      request,
      '/api/v1/teams',
    );
    const mine = teams.filter((t) => t.active_agents > 0).slice(0, 2);
    const other = teams.find((t) => !mine.includes(t))!;
    const res = await request.post(`${DEMO_URL}/api/v1/tokens`, {
      headers: auth,
      data: { role: 'manager', label: 'E2E weekly manager', teams: mine.map((t) => t.id) },
    });
    expect(res.status(), await res.text()).toBe(201);
    const { token } = (await res.json()) as { token: string };

    await page.context().clearCookies();
    await signIn(page, token);
    await openWeekly(page);
    await expect(page.getByTestId('week-heading')).toContainText('All my teams');
    await expect(page.getByTestId('team-select').locator('option')).toHaveText([
      'All my teams',
      ...mine.map((t) => t.name),
    ]);
    await page.goto(`${DEMO_URL}/?team=${other.id}`);
    await expect(page.getByRole('alert')).toContainText('not one of your teams');
    await expect(page.getByRole('region', { name: 'Customer voice' })).toBeVisible();
  });

  for (const [width, height] of [
    [1440, 900],
    [1920, 1080],
  ] as const) {
    test(`screenshot at ${width}×${height}`, async ({ page, request }) => {
      const view = await weeklyView(request);
      await page.setViewportSize({ width, height });
      await openWeekly(page, `?week=${view.week.label}`);
      await expect(page.locator('[data-chart][data-rendered]')).toHaveCount(7);
      await page.evaluate(() => document.fonts.ready);
      // Nothing overflows sideways.
      expect(
        await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
      ).toBeLessThanOrEqual(0);
      await page.screenshot({ path: `${SHOTS}/weekly-review-${width}.png` });
      await page.screenshot({ path: `${SHOTS}/weekly-review-${width}-full.png`, fullPage: true });
    });
  }
});
