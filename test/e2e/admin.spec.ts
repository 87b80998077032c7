import { expect, test, type Page } from '@playwright/test';
import { adminApi, seedQuotes } from './admin-fixtures';
import { ADMIN_TOKEN, BASE_URL, createToken, signInByApi } from './fixtures';

const SHOTS = 'test-results/screenshots';

async function shot(page: Page, name: string) {
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

test.use({ viewport: { width: 1440, height: 900 } });

test.describe('admin › import', () => {
  test('a surveys file with an error on row 3 is explained by row and field; fixed, it checks clean, imports and shows in the history', async ({
    page,
  }) => {
    await signInByApi(page);
    await page.goto('/admin/import');
    await expect(page.getByRole('heading', { name: 'Import data', level: 1 })).toBeVisible();

    const header = 'external_id,responded_at,csat,nps';
    const broken =
      [header, 'e2e-imp-1,2024-01-10T09:00:00Z,5,9', 'e2e-imp-2,2024-01-10T10:00:00Z,6,8'].join('\n') + '\n';
    const fixed = broken.replace('T10:00:00Z,6,8', 'T10:00:00Z,5,8');

    await page.getByRole('radio', { name: 'surveys' }).check();
    await page
      .getByLabel('CSV file')
      .setInputFiles({ name: 'surveys.csv', mimeType: 'text/csv', buffer: Buffer.from(broken) });
    await expect(page.getByRole('button', { name: 'Import' })).toBeDisabled();
    await page.getByRole('button', { name: 'Check' }).click();

    await expect(page.getByRole('alert').filter({ hasText: 'Nothing was written' })).toContainText('1 problem');
    const problems = page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'Reason' }) });
    const row = problems.getByRole('row').nth(1);
    await expect(row.getByRole('cell').nth(0)).toHaveText('3');
    await expect(row.getByRole('cell').nth(1)).toHaveText('csat');
    await expect(row.getByRole('cell').nth(3)).toContainText('csat must be a whole number between 1 and 5');
    await expect(page.getByRole('button', { name: 'Import' })).toBeDisabled();
    await shot(page, 'admin-import-problems-1440');

    await page
      .getByLabel('CSV file')
      .setInputFiles({ name: 'surveys-fixed.csv', mimeType: 'text/csv', buffer: Buffer.from(fixed) });
    await page.getByRole('button', { name: 'Check' }).click();
    await expect(page.getByText('Clean: 2 rows checked, nothing written yet.')).toBeVisible();
    const importButton = page.getByRole('button', { name: 'Import' });
    await expect(importButton).toBeEnabled();
    await importButton.click();
    await expect(page.getByText('Imported 2 rows of surveys.')).toBeVisible();

    const history = page.getByRole('region', { name: 'Import history' });
    const latest = history.getByRole('row').nth(1);
    await expect(latest).toContainText('surveys');
    await expect(latest).toContainText('imported');
    await expect(latest).toContainText('inserted 2');
    await shot(page, 'admin-import-1440');
  });
});

test.describe('admin › quotes', () => {
  test.beforeEach(async ({ page }) => {
    await seedQuotes(page.request);
  });
  test.afterEach(async ({ page }) => {
    // Leave no featured quote behind for other pages' tests.
    await adminApi(page.request, 'PATCH', '/api/v1/quotes/e2e-q1', { status: 'new', hidden_spans: [] });
  });

  test('a curator approves with the keyboard, pins with a button, hides words and sees it featured now', async ({
    page,
  }) => {
    await signInByApi(page);
    await page.goto('/admin/quotes');
    await expect(page.getByRole('heading', { name: 'Quotes', level: 1 })).toBeVisible();

    const card = page.getByRole('article').filter({ hasText: 'Ana sorted my refund' });
    await expect(card).toContainText('[phone]');
    await expect(card.getByTestId('quote-text')).not.toContainText('07700');
    await expect(card).toContainText('Frontline Support');
    // The raw comment only behind the clearly labelled admin disclosure.
    await card.getByText('Original (admin only)').click();
    await expect(card.locator('details.original')).toContainText('07700 900123');

    // Keyboard: focus the card, "a" approves it.
    await card.focus();
    await page.keyboard.press('a');
    await expect(card.getByText('Approved', { exact: true })).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: 'Approved: “Ana sorted' })).toBeVisible();

    // The shortcut list.
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(dialog).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();

    // Pin this week (Tab + Enter reach the same button).
    await card.getByRole('button', { name: 'Pin this week' }).click();
    await expect(card).toContainText('Pinned');
    const featured = page.getByRole('region', { name: 'Featured now' });
    await expect(featured).toContainText('Ana sorted my refund');
    await expect(featured).toContainText('[phone]');
    await expect(featured).toContainText('Pinned');

    // Hide two words: the result shows "[hidden]", the words themselves are never edited.
    await card.getByRole('button', { name: 'Hide words…' }).click();
    await card.getByRole('button', { name: 'five', exact: true }).click();
    await card.getByRole('button', { name: 'minutes', exact: true }).click();
    await shot(page, 'admin-quotes-hide-words-1440');
    await card.getByRole('button', { name: /Save hidden words \(1 span\)/ }).click();
    await expect(card.getByTestId('quote-text')).toContainText('refund in [hidden], call me');
    await expect(featured).toContainText('refund in [hidden], call me');

    // Follow-up closes the loop and shows in the rate.
    await card.getByText('Praise routing & follow-up').click();
    if (!(await card.getByRole('button', { name: '★ Praise' }).getAttribute('aria-pressed'))?.includes('true')) {
      await card.getByRole('button', { name: '★ Praise' }).click();
    }
    await card.getByRole('button', { name: 'Today' }).click();
    await expect(card).toContainText('Followed up');
    await expect(page.getByTestId('follow-up-rate')).toHaveText('100%');

    await page.mouse.move(0, 0);
    await shot(page, 'admin-quotes-1440');
  });

  test('j/k move between quotes and "r" rejects the selected one', async ({ page }) => {
    await signInByApi(page);
    await page.goto('/admin/quotes');
    const cards = page.getByRole('article');
    await expect(cards).toHaveCount(3);
    await page.locator('body').focus();
    await page.keyboard.press('j');
    await expect(cards.nth(0)).toBeFocused();
    await page.keyboard.press('j');
    await expect(cards.nth(1)).toBeFocused();
    await page.keyboard.press('k');
    await expect(cards.nth(0)).toBeFocused();
    const first = (await cards.nth(0).getAttribute('data-quote-id'))!;
    await page.keyboard.press('r');
    await expect(cards.nth(0).getByText('Rejected', { exact: true })).toBeVisible();
    await expect(cards.nth(1)).toBeFocused();
    await page
      .getByRole('navigation', { name: 'Quote filters' })
      .getByRole('link', { name: /Rejected \/ retired/ })
      .click();
    await expect(page).toHaveURL(/tab=closed/);
    await expect(cards).toHaveCount(1);
    await expect(cards.first()).toHaveAttribute('data-quote-id', first);
    await adminApi(page.request, 'PATCH', `/api/v1/quotes/${first}`, { status: 'new' });
  });
});

test.describe('admin › goals', () => {
  test('a goal set in the page is the target of GET /metrics?compare=target; errors show beside the field', async ({
    page,
  }) => {
    await signInByApi(page);
    await page.goto('/admin/goals');
    await expect(page.getByRole('heading', { name: 'Goals and the CX success statement', level: 1 })).toBeVisible();

    await page.getByLabel('Metric').selectOption('csat');
    await page.getByLabel('In force from').fill('2025-01-06');
    await page.getByLabel('Target').fill('150');
    await page.getByRole('button', { name: 'Set goal' }).click();
    await expect(page.locator('#g-target-err')).toBeVisible();
    await expect(page.getByLabel('Target')).toHaveAttribute('aria-invalid', 'true');
    await shot(page, 'admin-goals-error-1440');

    await page.getByLabel('Target').fill('80');
    await page.getByRole('button', { name: 'Set goal' }).click();
    await expect(page.getByText(/Goal set: CSAT ≥ 80%/)).toBeVisible();
    const row = page.getByRole('region', { name: 'Goals' }).getByRole('row').filter({ hasText: 'CSAT' });
    await expect(row).toContainText('≥ 80%');
    await expect(row).toContainText('Whole organisation');

    const res = await adminApi<{ rows: Array<{ values: Record<string, { target?: number | null }> }> }>(
      page.request,
      'GET',
      '/api/v1/metrics?metrics=csat&from=2025-01-06&to=2025-01-12&grain=total&compare=target',
    );
    expect(res.rows[0]!.values.csat!.target).toBe(0.8);

    // The statement and settings.
    await page.getByLabel('Statement', { exact: true }).fill('Every customer leaves knowing what happens next.');
    await page.getByRole('button', { name: 'Save statement & settings' }).click();
    await expect(page.getByText('Saved.')).toBeVisible();
    const settings = await adminApi<{ cx_statement: string }>(page.request, 'GET', '/api/v1/settings');
    expect(settings.cx_statement).toBe('Every customer leaves knowing what happens next.');
    await shot(page, 'admin-goals-1440');
  });
});

test.describe('admin › access', () => {
  test('a display token is shown once with its TV URL, works, and can be revoked', async ({ page }) => {
    await signInByApi(page);
    await page.goto('/admin/access');
    await page.getByRole('radio', { name: /^Display/ }).check();
    await page.getByLabel('Label', { exact: true }).fill('E2E floor TV');
    await page.getByRole('button', { name: 'Create token' }).click();

    await expect(page.getByRole('heading', { name: 'Copy it now — this token is shown only once' })).toBeVisible();
    const token = await page.getByLabel('Token', { exact: true }).inputValue();
    expect(token.length).toBeGreaterThan(16);
    await expect(page.getByLabel('TV URL', { exact: true })).toHaveValue(
      `${BASE_URL}/tv?token=${encodeURIComponent(token)}`,
    );
    await shot(page, 'admin-access-created-1440');

    const me = await page.request.get('/api/v1/auth/me', { headers: { authorization: `Bearer ${token}` } });
    expect(((await me.json()) as { role: string }).role).toBe('display');

    await page.getByRole('button', { name: 'Done — I have copied it' }).click();
    await expect(page.getByLabel('TV URL', { exact: true })).toHaveCount(0);
    await page.reload();
    await expect(page.getByLabel('TV URL', { exact: true })).toHaveCount(0);
    expect(await page.content()).not.toContain(token);

    const row = page.getByRole('row').filter({ hasText: 'E2E floor TV' });
    await expect(row).toContainText('display');
    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByRole('button', { name: 'Yes, revoke' }).click();
    await expect(page.getByText('Revoked “E2E floor TV”.', { exact: false })).toBeVisible();
    const after = await page.request.get('/api/v1/auth/me', { headers: { authorization: `Bearer ${token}` } });
    expect(after.status()).toBe(401);
  });
});

test.describe('admin › roles', () => {
  test('a leader reaches Admin › Quotes but gets the 403 page on /admin/access', async ({ page }) => {
    await seedQuotes(page.request);
    const token = await createToken(page, 'leader', 'E2E curator');
    await signInByApi(page, token);
    await page.goto('/');
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link', { name: 'Admin' })).toHaveCount(0);
    await nav.getByRole('link', { name: 'Quotes' }).click();
    await expect(page).toHaveURL(/\/admin\/quotes$/);
    await expect(page.getByRole('heading', { name: 'Quotes', level: 1 })).toBeVisible();
    await expect(page.getByText('Admin › Quotes', { exact: true })).toBeVisible();
    await expect(page.getByRole('article').first()).toBeVisible();
    // The raw comment is for admins only.
    await expect(page.getByText('Original (admin only)')).toHaveCount(0);
    // Leaders curate: approve through the page.
    const card = page.getByRole('article').filter({ hasText: 'The new app made it easy' });
    await card.getByRole('button', { name: 'Approve' }).click();
    await expect(card.getByText('Approved', { exact: true })).toBeVisible();
    await adminApi(page.request, 'PATCH', '/api/v1/quotes/e2e-q3', { status: 'new' });

    await page.goto('/admin');
    await expect(page.getByRole('link', { name: 'Quotes' }).last()).toBeVisible();
    await expect(page.getByRole('link', { name: 'Import' })).toHaveCount(0);

    await page.goto('/admin/access');
    await expect(page.getByRole('heading', { name: 'Not for this token' })).toBeVisible();
    await page.goto('/admin/import');
    await expect(page.getByRole('heading', { name: 'Not for this token' })).toBeVisible();
  });
});

test.describe('admin › screenshots', () => {
  test('every admin page at 1440×900', async ({ page }) => {
    await seedQuotes(page.request);
    await adminApi(page.request, 'POST', '/api/v1/annotations', {
      on: '2025-01-13',
      title: 'New IVR menu live',
      note: 'Two options fewer',
      team: 'e2e-support',
    });
    await adminApi(page.request, 'POST', '/api/v1/annotations', { on: '2025-02-03', title: 'App release 4.2' });
    await signInByApi(page, ADMIN_TOKEN);
    for (const [path, name, heading] of [
      ['/admin', 'admin-overview-1440', 'Admin'],
      ['/admin/import', 'admin-import-empty-1440', 'Import data'],
      ['/admin/quotes', 'admin-quotes-new-1440', 'Quotes'],
      ['/admin/goals', 'admin-goals-page-1440', 'Goals and the CX success statement'],
      ['/admin/annotations', 'admin-annotations-1440', 'Annotations'],
      ['/admin/access', 'admin-access-1440', 'Access tokens'],
      ['/admin/audit', 'admin-audit-1440', 'Audit log'],
    ] as const) {
      await page.goto(path);
      await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
      await shot(page, name);
    }
  });
});

test.describe('admin › audit', () => {
  test('the audit log pages back with “Older entries”', async ({ page }) => {
    // 30 annotations made and removed: 60 entries, more than one page of 50.
    for (let i = 0; i < 30; i++) {
      const a = await adminApi<{ id: number }>(page.request, 'POST', '/api/v1/annotations', {
        on: '2024-06-01',
        title: `Paging ${i}`,
      });
      await adminApi(page.request, 'DELETE', `/api/v1/annotations/${a.id}`);
    }
    await signInByApi(page);
    await page.goto('/admin/audit');
    const rows = page.getByRole('table').getByRole('row');
    await expect(rows).toHaveCount(51); // the header and 50 entries
    await page.getByRole('button', { name: 'Older entries' }).click();
    await expect.poll(async () => rows.count()).toBeGreaterThan(61);
    await expect(page.getByText('50 entries shown')).toHaveCount(0);
  });
});

test.describe('admin › phone', () => {
  test('no admin page overflows sideways at 375 px', async ({ page }) => {
    await seedQuotes(page.request);
    await page.setViewportSize({ width: 375, height: 812 });
    await signInByApi(page);
    for (const path of [
      '/admin',
      '/admin/import',
      '/admin/quotes',
      '/admin/goals',
      '/admin/annotations',
      '/admin/access',
      '/admin/audit',
    ]) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `${path} overflows by ${overflow}px`).toBeLessThanOrEqual(0);
    }
    await page.goto('/admin/quotes');
    await expect(page.getByRole('article').first()).toBeVisible();
    await shot(page, 'admin-quotes-375');
  });
});
