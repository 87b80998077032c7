import { expect, test, type Page } from '@playwright/test';
import { ADMIN_TOKEN, createToken, signInByApi } from './fixtures';

const SHOTS = 'test-results/screenshots';
const QUOTE_EMPTY = 'No customer quote featured yet — curators pick one in Admin › Quotes.';

async function signInWithForm(page: Page, token: string) {
  await page.goto('/login');
  await page.getByLabel('Access token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test.describe('auth guard and login', () => {
  test('visiting / unauthenticated lands on /login', async ({ page }) => {
    await page.goto('/');
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.getByRole('heading', { name: 'Pairwise', level: 1 })).toBeVisible();
    await expect(page.getByLabel('Access token')).toHaveAttribute('type', 'password');
    // No navigation chrome on the login page.
    await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
  });

  test('signing in after arriving at / shows the weekly review, not the answers asked for before signing in', async ({
    page,
  }) => {
    await page.goto('/');
    await expect(page).toHaveURL(/\/login$/);
    // The same document: the HTML's early requests (answered 401) must not be reused.
    await page.getByLabel('Access token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole('heading', { name: 'Weekly review', level: 1 })).toBeVisible();
    // The view arrived (this server has no data: the week is named and the pairs say "no data").
    await expect(page.getByTestId('week-heading')).toContainText(/\d{4}-W\d{2}/);
    await expect(page.getByRole('article', { name: 'Waiting' })).toContainText('n = 0');
    await expect(page.getByRole('alert')).toHaveCount(0);
  });

  test('a wrong token shows the error from the API', async ({ page }) => {
    await signInWithForm(page, 'not-a-real-token');
    const alert = page.getByRole('alert');
    await expect(alert).toBeVisible();
    await expect(alert).not.toBeEmpty();
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.getByLabel('Access token')).toHaveAttribute('aria-invalid', 'true');
  });

  test('a bad login link is explained', async ({ page }) => {
    await page.goto('/login?error=invalid-token');
    await expect(page.getByRole('alert')).toHaveText('That login link is not valid or was revoked.');
  });

  test('signing in with the admin token shows the nav with Admin and the role badge', async ({ page }) => {
    await signInWithForm(page, ADMIN_TOKEN);
    await expect(page).toHaveURL(/\/$/);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link', { name: 'Weekly review' })).toHaveAttribute('aria-current', 'page');
    for (const name of ['Coaching', 'TV', 'Admin']) {
      await expect(nav.getByRole('link', { name })).toBeVisible();
    }
    await expect(page.getByTestId('role-badge')).toHaveText('admin');
    await expect(page.getByRole('heading', { name: 'Weekly review', level: 1 })).toBeVisible();

    await nav.getByRole('link', { name: 'Admin' }).click();
    await expect(page).toHaveURL(/\/admin$/);
    await expect(nav.getByRole('link', { name: 'Admin' })).toHaveAttribute('aria-current', 'page');
    await expect(nav.getByRole('link', { name: 'Weekly review' })).not.toHaveAttribute('aria-current', 'page');
  });

  test('/login?token=… signs in directly and lands on /', async ({ page }) => {
    await page.goto(`/login?token=${encodeURIComponent(ADMIN_TOKEN)}`);
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByTestId('role-badge')).toHaveText('admin');
  });

  test('a revoked or wrong login link lands on the explained error', async ({ page }) => {
    await page.goto('/login?token=wrong-token');
    await expect(page).toHaveURL(/\/login\?error=invalid-token$/);
    await expect(page.getByRole('alert')).toHaveText('That login link is not valid or was revoked.');
  });

  test('sign out returns to /login and / redirects to login again', async ({ page }) => {
    await signInByApi(page);
    await page.goto('/');
    await expect(page.getByTestId('role-badge')).toHaveText('admin');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await page.goto('/');
    await expect(page).toHaveURL(/\/login$/);
  });
});

test.describe('roles', () => {
  test('a leader sees every view and quote curation, not the rest of Admin; /admin/access explains why', async ({
    page,
  }) => {
    const token = await createToken(page, 'leader', 'E2E leader');
    await signInWithForm(page, token);
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByTestId('role-badge')).toHaveText('leader');
    await expect(page.getByText('E2E leader')).toBeVisible();
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link')).toHaveText(['Weekly review', 'Coaching', 'TV', 'Quotes']);
    await page.goto('/admin/access');
    await expect(page.getByRole('heading', { name: 'Not for this token' })).toBeVisible();
    await page.screenshot({ path: 'test-results/screenshots/forbidden-1440.png' });
  });

  test('a display token only has the wallboard', async ({ page }) => {
    const token = await createToken(page, 'display', 'E2E wallboard');
    await page.goto(`/login?token=${encodeURIComponent(token)}`);
    await expect(page).toHaveURL(/\/tv$/);
    // The wallboard is full screen: no app navigation on it.
    await expect(page.getByTestId('tv')).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
    await page.goto('/');
    await expect(page).toHaveURL(/\/tv$/);
    await page.goto('/coach');
    await expect(page).toHaveURL(/\/tv$/);
  });
});

test.describe('pages', () => {
  test.beforeEach(async ({ page }) => {
    await signInByApi(page);
  });

  for (const [path, heading] of [
    ['/', 'Weekly review'],
    ['/coach', 'Coaching'],
    ['/tv', 'TV wallboard'],
    ['/admin', 'Admin'],
  ] as const) {
    test(`${path} shows its heading and the reserved customer-quote panel`, async ({ page }) => {
      await page.goto(path);
      await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
      const quote = page.getByRole('region', { name: 'Customer voice' });
      await expect(quote).toBeVisible();
      await expect(quote).toContainText(QUOTE_EMPTY);
    });
  }

  test('the weekly review shows the five pairs, operational beside experiential', async ({ page }) => {
    await page.goto('/');
    for (const name of ['Waiting', 'Time on call', 'Resolution', 'Loyalty', 'People']) {
      const card = page.getByRole('article', { name });
      await expect(card).toContainText('operational');
      await expect(card).toContainText('experiential');
    }
  });

  test('an unknown page shows the 404 page inside the shell', async ({ page }) => {
    await page.goto('/no-such-page');
    await expect(page.getByRole('heading', { name: 'This page isn’t here' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Back to the weekly review' })).toBeVisible();
  });
});

test.describe('screenshots', () => {
  async function shoot(page: Page, path: string, name: string) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  }

  test('1440×900', async ({ page }) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await shoot(page, '/login', 'login-1440');
    await shoot(page, '/login?error=invalid-token', 'login-error-1440');
    await signInWithForm(page, 'not-a-real-token');
    await expect(page.getByRole('alert')).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/login-wrong-token-1440.png` });
    await signInByApi(page);
    await shoot(page, '/', 'weekly-1440');
    await shoot(page, '/coach', 'coach-1440');
    await shoot(page, '/tv', 'tv-1440');
    await shoot(page, '/admin', 'admin-1440');
    await shoot(page, '/no-such-page', 'not-found-1440');
  });

  test('1920×1080', async ({ page }) => {
    await page.setViewportSize({ width: 1920, height: 1080 });
    await signInByApi(page);
    await shoot(page, '/', 'weekly-1920');
    await shoot(page, '/tv', 'tv-1920');
  });

  test('375 wide (phone)', async ({ page }) => {
    await page.setViewportSize({ width: 375, height: 812 });
    await shoot(page, '/login', 'login-375');
    await signInByApi(page);
    await shoot(page, '/', 'weekly-375');
    await page.screenshot({ path: `${SHOTS}/weekly-375-top.png` });
    await shoot(page, '/admin', 'admin-375');
    // Nothing may overflow sideways on a phone.
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
