// `npm run bench:weekly -- [baseUrl] [--runs 10] [--week 2026-W47] [--window open|new]`: opens the
// weekly review in Chromium N times (each in a fresh browser context: no HTTP cache, no code cache,
// a new renderer process) against a running Pairwise (default http://127.0.0.1:3000, signed in
// with PAIRWISE_ADMIN_TOKEN) and prints the median and p95 of "navigation start → first chart on
// screen", the time of the page's data request, and the gzipped size of the JavaScript the page
// loaded. "On screen" is the later of two times: the page's performance mark
// `pairwise:first-chart` (set in the task after the frame in which the first chart was drawn: the
// server's drawing of it, shown until ECharts is loaded, or ECharts' own) and the browser's first
// contentful paint (a frame counts once the browser has presented it).
//
// `--window open` (the default) is a person who has the browser open and goes to the page: each
// context's window is opened on about:blank and left 2 s before the page is asked for. A new
// Chromium window (156) starts its own renderer for the address bar's pop-up (chrome://omnibox-popup),
// about 0.9 s of CPU; `--window new` opens the page at once, so that start-up runs beside the
// page's load on the same cores and is counted in its time.
import { gzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright';

const FIRST_CHART_MARK = 'pairwise:first-chart'; // web/src/lib/charts/lifecycle.ts
const BUDGET_MS = 1000;
const BUDGET_JS = 300 * 1024;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: 'string', default: '10' },
    week: { type: 'string' },
    window: { type: 'string', default: 'open' },
  },
});
const base = (positionals[0] ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
const runs = Number(values.runs);
const windowMode = values.window;
if (windowMode !== 'open' && windowMode !== 'new') {
  console.error(`--window must be open or new, not ${windowMode}`);
  process.exit(2);
}
/** How long a new window is left on about:blank before the page is asked for (--window open). */
const SETTLE_MS = 2000;
const token = process.env.PAIRWISE_ADMIN_TOKEN;
if (!token) {
  console.error('Set PAIRWISE_ADMIN_TOKEN to an admin (or leader) token of the server at ' + base);
  process.exit(2);
}
const path = values.week ? `/?week=${encodeURIComponent(values.week)}` : '/';

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

/** The scripts a page loads, by URL: raw and gzip-compressed sizes of the bodies. */
function collectScripts(page: Page): Map<string, Promise<{ raw: number; gzip: number }>> {
  const scripts = new Map<string, Promise<{ raw: number; gzip: number }>>();
  page.on('response', (res) => {
    if (res.request().resourceType() !== 'script' || scripts.has(res.url())) return;
    scripts.set(
      res.url(),
      res.body().then(
        (body) => ({ raw: body.length, gzip: gzipSync(body).length }),
        () => ({ raw: 0, gzip: 0 }),
      ),
    );
  });
  return scripts;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
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

const firstChart: number[] = [];
const viewRequest: number[] = [];
let js: { files: number; raw: number; gzip: number } | null = null;
try {
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const signIn = await context.request.post(`${base}/api/v1/auth/session`, { data: { token } });
    if (!signIn.ok()) throw new Error(`sign-in failed: ${signIn.status()} ${await signIn.text()}`);
    const page = await context.newPage();
    if (windowMode === 'open') {
      await page.goto('about:blank');
      await page.waitForTimeout(SETTLE_MS);
    }
    const scripts = collectScripts(page);
    await page.goto(base + path);
    await page.waitForFunction(
      (mark) =>
        performance.getEntriesByName(mark, 'mark').length > 0 &&
        performance.getEntriesByName('first-contentful-paint', 'paint').length > 0,
      FIRST_CHART_MARK,
      { timeout: 30_000 },
    );
    const t = await page.evaluate((mark) => {
      const m = performance.getEntriesByName(mark, 'mark')[0]!;
      const view = performance.getEntriesByType('resource').find((r) => r.name.includes('/api/v1/views/weekly')) as
        PerformanceResourceTiming | undefined;
      const fcp = performance.getEntriesByName('first-contentful-paint', 'paint')[0];
      return {
        drawn: m.startTime,
        fcp: fcp?.startTime ?? null,
        view: view ? view.responseEnd - view.requestStart : null,
      };
    }, FIRST_CHART_MARK);
    const onScreen = Math.max(t.drawn, t.fcp ?? 0);
    firstChart.push(onScreen);
    if (t.view !== null) viewRequest.push(t.view);
    if (!js) {
      await page.waitForLoadState('networkidle');
      const sizes = await Promise.all(scripts.values());
      js = {
        files: sizes.length,
        raw: sizes.reduce((a, s) => a + s.raw, 0),
        gzip: sizes.reduce((a, s) => a + s.gzip, 0),
      };
    }
    console.error(
      `  run ${i + 1}/${runs}: first chart on screen at ${onScreen.toFixed(0)} ms (drawn ${t.drawn.toFixed(0)}, first contentful paint ${t.fcp?.toFixed(0) ?? '?'})`,
    );
    await context.close();
  }
} finally {
  await browser.close();
}

const median = percentile(firstChart, 50);
const p95 = percentile(firstChart, 95);
const how = windowMode === 'open' ? 'in a window already open' : 'each in a window opened with it';
console.log(`Weekly review at ${base}${path}, ${runs} cold loads in Chromium (1440×900), ${how}:`);
console.log(
  `  navigation start → first chart on screen: median ${median.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms (budget ${BUDGET_MS} ms)`,
);
if (viewRequest.length) {
  console.log(
    `  GET /api/v1/views/weekly: median ${percentile(viewRequest, 50).toFixed(0)} ms, p95 ${percentile(viewRequest, 95).toFixed(0)} ms`,
  );
}
if (js) {
  console.log(
    `  JavaScript loaded: ${js.files} files, ${kb(js.raw)} raw, ${kb(js.gzip)} gzipped (budget ${kb(BUDGET_JS)})`,
  );
}
const over = median > BUDGET_MS || (js !== null && js.gzip > BUDGET_JS);
if (over) console.log('  OVER BUDGET');
process.exitCode = over ? 1 : 0;
