// The coaching views on the demo data: a manager sees only its team (403 page, no data,
// elsewhere), "not enough responses" under the minimum n, the quadrant with its whiskers and text
// alternative, and the newcomer's path: sign in as a manager, open the team, an agent, add a
// coaching note, see its before/after. Screenshots in test-results/screenshots/coach-*.png.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { fmtValue, valueState } from '../../web/src/lib/components/coach/display';
import type { CoachingNote, TeamView } from '../../web/src/lib/components/coach/types';
import { ADMIN_TOKEN, DEMO_URL, waitForDemo } from './fixtures';

const SHOTS = 'test-results/screenshots';
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

async function getJson<T>(
  request: APIRequestContext,
  path: string,
  headers: Record<string, string> = auth,
): Promise<T> {
  const res = await request.get(`${DEMO_URL}${path}`, { headers });
  expect(res.ok(), `${path}: ${res.status()} ${res.ok() ? '' : await res.text()}`).toBe(true);
  return (await res.json()) as T;
}

interface Team {
  id: string;
  name: string;
  active_agents?: number;
}

/** Two demo teams with agents: the manager's own, and another one it must not see. */
async function twoTeams(request: APIRequestContext): Promise<[Team, Team]> {
  const { teams } = await getJson<{ teams: Team[] }>(request, '/api/v1/teams');
  const staffed = teams.filter((t) => (t.active_agents ?? 0) > 0);
  expect(staffed.length, 'the demo has at least two teams with agents').toBeGreaterThanOrEqual(2);
  return [staffed[0]!, staffed[1]!];
}

async function managerToken(request: APIRequestContext, team: string, label: string): Promise<string> {
  const res = await request.post(`${DEMO_URL}/api/v1/tokens`, {
    headers: auth,
    data: { role: 'manager', label, teams: [team] },
  });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

async function signIn(page: Page, token = ADMIN_TOKEN) {
  const res = await page.request.post(`${DEMO_URL}/api/v1/auth/session`, { data: { token } });
  expect(res.ok(), `sign-in: ${res.status()}`).toBe(true);
}

async function shot(page: Page, name: string, width = 1440, height = 900) {
  await page.setViewportSize({ width, height });
  await page.evaluate(() => document.fonts.ready);
  // Charts follow their box: give them a frame to redraw at the new width.
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${SHOTS}/coach-${name}-${width}.png`, fullPage: true });
}

async function openTeam(page: Page, id: string, name: string) {
  await page.goto(`${DEMO_URL}/coach/team/${encodeURIComponent(id)}`);
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
  await expect(page.getByTestId('roster')).toBeVisible();
}

test.describe('coaching views on the demo data', () => {
  let mine: Team;
  let other: Team;

  test.beforeAll(async ({ request }) => {
    test.setTimeout(150_000);
    await waitForDemo(request);
    [mine, other] = await twoTeams(request);
  });

  test('a manager token sees its team only, and the 403 page (without data) on another team or agent', async ({
    page,
    request,
  }) => {
    const token = await managerToken(request, mine.id, 'E2E coach manager');
    await signIn(page, token);

    await page.goto(`${DEMO_URL}/coach`);
    await expect(page.getByRole('heading', { name: 'Coaching', level: 1 })).toBeVisible();
    const cards = page.getByTestId('coach-team');
    await expect(cards).toHaveCount(1);
    await expect(cards.first()).toHaveAttribute('data-team', mine.id);
    await expect(page.getByRole('main')).not.toContainText(other.name);
    // The reserved place for a customer's words is there.
    await expect(page.getByRole('region', { name: 'Customer voice' })).toBeVisible();
    await shot(page, 'manager-overview');

    await openTeam(page, mine.id, mine.name);

    // Another team: the API answers 403; the page says so and shows none of its data.
    const otherView = await getJson<TeamView>(request, `/api/v1/views/coach/team/${encodeURIComponent(other.id)}`);
    await page.goto(`${DEMO_URL}/coach/team/${encodeURIComponent(other.id)}`);
    await expect(page.getByRole('heading', { name: 'Not for this token' })).toBeVisible();
    await expect(page.getByText('403')).toBeVisible();
    const main = page.getByRole('main');
    await expect(main).not.toContainText(other.name);
    for (const a of otherView.roster.slice(0, 5)) await expect(main).not.toContainText(a.name);
    await shot(page, '403');

    // An agent of the other team, guessed by id: the same.
    const guessed = otherView.roster[0]!;
    await page.goto(`${DEMO_URL}/coach/agent/${encodeURIComponent(guessed.id)}`);
    await expect(page.getByRole('heading', { name: 'Not for this token' })).toBeVisible();
    await expect(page.getByRole('main')).not.toContainText(guessed.name);
  });

  test('the roster is sorted by name, with n and intervals, numbers as the API gives them', async ({
    page,
    request,
  }) => {
    const view = await getJson<TeamView>(request, `/api/v1/views/coach/team/${encodeURIComponent(mine.id)}`);
    await signIn(page);
    await openTeam(page, mine.id, mine.name);
    const rows = page.getByTestId('roster-row');
    await expect(rows).toHaveCount(view.roster.length);
    // The page keeps the API's order (by name), never a ranking by score.
    await expect(rows.locator('th[scope=row] a')).toHaveText(view.roster.map((a) => a.name));
    const shownAgent = view.roster.find((a) => valueState(a.values.csat) === 'value')!;
    const row = page.locator(`[data-testid=roster-row][data-agent="${shownAgent.id}"]`);
    const csat = shownAgent.values.csat!;
    await expect(row.locator('[data-metric=csat]')).toContainText(fmtValue(csat.value, 'proportion', csat.n));
    await expect(row.locator('[data-metric=csat]')).toContainText(`n = ${csat.n}`);
    // Bright spots come before the roster.
    const bright = await page.getByTestId('bright-spots').boundingBox();
    const roster = await page.getByTestId('roster').boundingBox();
    expect(bright!.y).toBeLessThan(roster!.y);
  });

  test('under the minimum n an agent shows "not enough responses", never the number', async ({ page, request }) => {
    const before = await getJson<{ min_n: number }>(request, '/api/v1/settings');
    const set = (min_n: number) => request.patch(`${DEMO_URL}/api/v1/settings`, { headers: auth, data: { min_n } });
    expect((await set(1000)).ok()).toBe(true);
    try {
      const view = await getJson<TeamView>(request, `/api/v1/views/coach/team/${encodeURIComponent(mine.id)}`);
      const agent = view.roster.find((a) => a.values.csat?.suppressed)!;
      expect(agent, 'an agent with fewer than 1000 surveys').toBeTruthy();
      await signIn(page);
      await openTeam(page, mine.id, mine.name);
      const cell = page.locator(`[data-testid=roster-row][data-agent="${agent.id}"] [data-metric=csat]`);
      await expect(cell).toHaveAttribute('data-state', 'too_few');
      await expect(cell).toContainText('not enough responses');
      await expect(cell).toContainText(`n = ${agent.values.csat!.n}`);
      await expect(cell).not.toContainText('%');
      // Nobody is placed on the quadrant with too few responses.
      await expect(page.getByTestId('quadrant-section')).toContainText('No agent has enough responses');
      await shot(page, 'not-enough');
    } finally {
      expect((await set(before.min_n)).ok()).toBe(true);
    }
  });

  test('the quadrant renders with CSAT whiskers, first-name labels, and a table listing the agents', async ({
    page,
    request,
  }) => {
    const view = await getJson<TeamView>(request, `/api/v1/views/coach/team/${encodeURIComponent(mine.id)}`);
    const plotted = view.roster.filter(
      (a) => valueState(a.values.csat) === 'value' && valueState(a.values.handle_avg) === 'value',
    );
    expect(plotted.length).toBeGreaterThan(0);
    await signIn(page);
    await openTeam(page, mine.id, mine.name);
    const chart = page.locator('[data-testid=quadrant][data-rendered]');
    await expect(chart).toBeAttached({ timeout: 15_000 });
    await expect(chart).toHaveAttribute('role', 'img');
    const svg = chart.locator('svg').first();
    await expect(svg).toBeVisible();
    // Each whisker is three strokes (the interval and its two caps) in the agents' neutral ink at 55%.
    const whiskers = svg.locator('path[stroke-opacity="0.55"]');
    expect(await whiskers.count()).toBeGreaterThanOrEqual(3 * plotted.filter((a) => a.values.csat!.low != null).length);
    for (const a of plotted) await expect(svg).toContainText(a.first_name);
    await expect(svg).toContainText('median');

    // The text alternative: every agent of the roster, with CSAT, interval and n.
    await page.getByText('Numbers behind this chart').click();
    const table = page.getByTestId('quadrant-table');
    await expect(table).toBeVisible();
    for (const a of view.roster) await expect(table).toContainText(a.name);
    await shot(page, 'team');
    await shot(page, 'team', 1920, 1080);
  });

  test('a newcomer signed in as a manager sees their team, opens an agent, adds a coaching note, and sees its before/after', async ({
    page,
    request,
  }) => {
    const token = await managerToken(request, mine.id, 'E2E newcomer manager');
    // The login link an admin sends.
    await page.goto(`${DEMO_URL}/login?token=${encodeURIComponent(token)}`);
    await expect(page.getByTestId('role-badge')).toHaveText('manager');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Coaching' }).click();
    await expect(page.getByRole('heading', { name: 'Coaching', level: 1 })).toBeVisible();
    await page.getByRole('link', { name: `Open team ${mine.name}` }).click();
    await expect(page.getByRole('heading', { name: mine.name, level: 1 })).toBeVisible();

    const firstAgent = page.getByTestId('roster').locator('th[scope=row] a').first();
    const agentName = (await firstAgent.textContent())!.trim();
    await firstAgent.click();
    await expect(page.getByRole('heading', { name: agentName, level: 1 })).toBeVisible();
    await expect(page.locator('[data-testid=chart-time][data-rendered]')).toBeAttached({ timeout: 15_000 });
    await expect(page.locator('[data-testid=chart-resolution][data-rendered]')).toBeAttached({ timeout: 15_000 });
    await shot(page, 'agent');
    await shot(page, 'agent', 1920, 1080);

    const log = page.getByTestId('coaching-log');
    const date = log.getByLabel('Date of the conversation');
    // The date defaults to today; a conversation five weeks ago has its 4 weeks after complete.
    const today = new Date();
    const iso = (d: Date) =>
      `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    await expect(date).toHaveValue(iso(today));
    const heldOn = iso(new Date(today.getFullYear(), today.getMonth(), today.getDate() - 35));
    await date.fill(heldOn);
    await log.getByLabel('Pair in focus').selectOption('time_on_call');
    const text = `E2E: talked about taking time to confirm the fix (${Date.now()}).`;
    await log.getByLabel('Note', { exact: true }).fill(text);
    await log.getByRole('button', { name: 'Save to the log' }).click();
    await expect(log.getByRole('status').filter({ hasText: 'Saved the conversation' })).toBeVisible();

    const entry = log.getByTestId('coaching-note').filter({ hasText: text });
    await expect(entry).toHaveCount(1);
    const effect = entry.getByTestId('note-effect');
    await expect(effect).toContainText('4 weeks before');
    await expect(effect).toContainText('4 weeks after');
    await expect(effect.locator('tbody tr')).toHaveCount(2);
    await expect(effect.locator('tbody th')).toHaveText(['Time on call', 'CSAT']);
    await expect(effect.locator('[data-metric]').first()).toContainText('n = ');

    // The sentence is the API's, word for word.
    const agentId = new URL(page.url()).pathname.split('/').pop()!;
    const { notes } = await getJson<{ notes: CoachingNote[] }>(request, `/api/v1/coach/agents/${agentId}/notes`);
    const saved = notes.find((n) => n.note === text)!;
    expect(saved.effect?.sentence).toBeTruthy();
    await expect(entry.getByTestId('note-sentence')).toHaveText(saved.effect!.sentence);
    await entry.scrollIntoViewIfNeeded();
    await shot(page, 'note');

    // A date in the future is refused at the field.
    await date.fill(iso(new Date(today.getFullYear() + 1, 0, 1)));
    await log.getByLabel('Note', { exact: true }).fill('Not yet.');
    await log.getByRole('button', { name: 'Save to the log' }).click();
    await expect(date).toHaveAttribute('aria-invalid', 'true');
    await expect(date).toBeFocused();

    // Its author can delete it.
    await entry.getByRole('button', { name: /^Delete/ }).click();
    await entry.getByRole('button', { name: 'Yes, delete' }).click();
    await expect(log.getByTestId('coaching-note').filter({ hasText: text })).toHaveCount(0);
  });

  test('a leader reads every team but not the coaching notes', async ({ page, request }) => {
    const res = await request.post(`${DEMO_URL}/api/v1/tokens`, {
      headers: auth,
      data: { role: 'leader', label: 'E2E coach leader' },
    });
    expect(res.status()).toBe(201);
    await signIn(page, ((await res.json()) as { token: string }).token);
    await page.goto(`${DEMO_URL}/coach`);
    await expect(page.getByTestId('coach-team').first()).toBeVisible();
    expect(await page.getByTestId('coach-team').count()).toBeGreaterThanOrEqual(2);
    await shot(page, 'overview');
    await shot(page, 'overview', 1920, 1080);
    const view = await getJson<TeamView>(request, `/api/v1/views/coach/team/${encodeURIComponent(other.id)}`);
    await page.goto(`${DEMO_URL}/coach/agent/${encodeURIComponent(view.roster[0]!.id)}`);
    await expect(page.getByRole('heading', { name: view.roster[0]!.name, level: 1 })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Coaching log' })).toContainText('not shown to this token');
    await expect(page.getByLabel('Note', { exact: true })).toHaveCount(0);
  });

  test('the coaching pages pass axe (serious and critical) and work from the keyboard', async ({ page }) => {
    await signIn(page);
    for (const path of ['/coach', `/coach/team/${encodeURIComponent(mine.id)}`]) {
      await page.goto(`${DEMO_URL}${path}`);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expect(page.locator('[data-chart][data-rendered], svg[role=img]').first()).toBeAttached({
        timeout: 15_000,
      });
      const results = await new AxeBuilder({ page }).analyze();
      const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(
        bad.map((v) => `${path} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`),
      ).toEqual([]);
    }
    // From the skip link, Tab reaches the period picker, then the bright spots and the roster links.
    await page.goto(`${DEMO_URL}/coach/team/${encodeURIComponent(mine.id)}`);
    await expect(page.getByTestId('roster')).toBeVisible();
    const firstAgent = page.getByTestId('roster').locator('th[scope=row] a').first();
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await firstAgent.evaluate((el) => el === document.activeElement);
    }
    expect(reached, 'the first agent link is reachable with Tab').toBe(true);
    const outline = await firstAgent.evaluate((el) => getComputedStyle(el).outlineStyle);
    expect(outline).not.toBe('none');
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/\/coach\/agent\//);
  });
});
