// Admin › Import as a wizard (sources): a contact centre's own call export goes in unmodified,
// accepting the proposed mapping; the weekly review then counts its calls; the same file again
// through the saved source changes nothing; problems name the file's own row and column.
import fs from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { adminApi } from './admin-fixtures';
import { signInByApi } from './fixtures';

const SHOTS = process.env.WIZARD_SHOTS ?? 'test-results/screenshots';
const CALLS = 'test/e2e/fixtures/calls-export.csv';
/**
 * The export as its system wrote it: 40 calls of 16–22 Nov 2026 (ISO week 2026-W47), 22 rated.
 * Every day is past the 12th (the date order is beyond doubt), and the week is never the empty
 * server's default week from the day this was written (shell.spec.ts expects that one empty).
 */
const EXPORT = fs.readFileSync(CALLS, 'utf8');
const ROWS = EXPORT.trim().split(/\r?\n/).slice(1);
const CALL_COUNT = ROWS.length;
const RATED = ROWS.filter((r) => r.split(',')[9] !== '').length;
const WEEK = '2026-W47';

test.use({ viewport: { width: 1440, height: 900 } });

async function shot(page: Page, name: string, fullPage = false) {
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage });
}

async function axe(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length}) ${v.nodes[0]?.target}`)).toEqual([]);
}

/** The counts a kind's row of a result table shows: [inserted, updated, unchanged]. */
async function counts(table: Locator, kind: string): Promise<string[]> {
  const row = table.locator(`tr[data-kind="${kind}"]`);
  return row.getByRole('cell').allInnerTexts();
}

/** Uploads the export in step 1 and waits for the proposed mapping. */
async function propose(page: Page, file: string | { name: string; mimeType: string; buffer: Buffer }) {
  await page.goto('/admin/import');
  await expect(page.getByRole('heading', { name: 'Import data', level: 1 })).toBeVisible();
  await page.getByLabel('Export file').setInputFiles(file);
  await page.getByRole('button', { name: 'Propose a mapping' }).click();
  await expect(page.getByRole('heading', { name: '2 · Map the columns' })).toBeFocused();
}

const stepBar = (page: Page) => page.locator('.step-bar');

test.describe.serial('admin › import wizard (sources)', () => {
  test.beforeAll(async ({ request }) => {
    fs.mkdirSync(SHOTS, { recursive: true });
    // A source whose name the wizard will try first: its 409 shows beside the name field.
    const { sources } = await adminApi<{ sources: Array<{ id: number; name: string }> }>(
      request,
      'GET',
      '/api/v1/sources',
    );
    for (const s of sources)
      if (['Call export', 'Taken name'].includes(s.name)) await adminApi(request, 'DELETE', `/api/v1/sources/${s.id}`);
    const { presets } = await adminApi<{ presets: Array<{ id: string; mapping: unknown }> }>(
      request,
      'GET',
      '/api/v1/sources/presets',
    );
    await adminApi(request, 'POST', '/api/v1/sources', {
      name: 'Taken name',
      mapping: presets.find((p) => p.id === 'call-log-csat')!.mapping,
    });
  });

  test('a call export goes in unmodified, accepting the proposed mapping; the weekly review counts its calls', async ({
    page,
  }) => {
    // Five steps, an accessibility check on each and the weekly review: longer than one page's test.
    test.setTimeout(120_000);
    await signInByApi(page);
    await page.goto('/admin/import');
    await expect(page.getByRole('navigation', { name: 'Import steps' }).getByRole('listitem')).toHaveCount(5);
    await axe(page);
    await shot(page, 'import-wizard-1-choose');

    await propose(page, CALLS);
    // The proposed mapping, with the question the file could not settle: which team.
    const question = page.getByTestId('questions').getByRole('group', { name: /no team column/ });
    await expect(question).toBeVisible();
    const contactCentre = question.getByRole('radio', { name: /Contact centre/ });
    await expect(contactCentre).toBeChecked();
    const interactions = page.getByRole('region', { name: 'Interactions (contacts)' });
    await expect(interactions.getByLabel('Interactions: team', { exact: true })).toHaveValue('constant');
    await expect(interactions.getByLabel('Value of Interactions: team on every row')).toHaveValue('Contact centre');
    await expect(interactions.getByLabel('Interactions: occurred_at', { exact: true })).toHaveValue('columns');
    await expect(interactions.getByLabel('Interactions: agent', { exact: true })).toHaveValue('col:Agent');
    await expect(interactions.getByLabel('Interactions: handle_seconds', { exact: true })).toHaveValue(
      'col:AvgTalkDuration',
    );
    await expect(
      page.getByRole('region', { name: 'Surveys' }).getByLabel('Surveys: csat', { exact: true }),
    ).toHaveValue('col:Satisfaction rating');

    // Answering by keyboard changes the mapping where the question points, and back.
    await contactCentre.focus();
    await page.keyboard.press('ArrowDown');
    await expect(question.getByRole('radio', { name: /'Calls'/ })).toBeChecked();
    await expect(interactions.getByLabel('Value of Interactions: team on every row')).toHaveValue('Calls');
    await page.keyboard.press('ArrowUp');
    await expect(contactCentre).toBeChecked();
    await expect(interactions.getByLabel('Value of Interactions: team on every row')).toHaveValue('Contact centre');

    // Accepting the defaults: no correction. The whole-file dry run finds nothing to fix.
    await expect(stepBar(page)).toContainText(`No problems in ${CALL_COUNT} rows`);
    const preview = page.getByTestId('preview');
    const first = preview.locator('tbody tr').first();
    await expect(first.getByRole('rowheader')).toHaveText('2');
    await expect(first).toContainText('16/11/2026');
    await expect(first).toContainText('2026-11-16T10:15:12.000Z');
    await expect(preview.locator('tbody tr')).toHaveCount(20);
    // The preview scrolls inside its box, never the page.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1440);
    await axe(page);
    await shot(page, 'import-wizard-2-mapping');
    // The README's picture (docs/screenshots/import-wizard.png): the steps, the question, the preview.
    await page.evaluate(() => {
      (document.activeElement as HTMLElement | null)?.blur();
      window.scrollTo(0, document.querySelector('nav.steps')!.getBoundingClientRect().top + window.scrollY - 16);
      // The last columns of the file beside the first fields they become.
      const box = document.querySelector<HTMLElement>('[data-testid="preview"]')!.parentElement!;
      box.scrollLeft = document.querySelector<HTMLElement>('[data-testid="preview"] thead th.kind')!.offsetLeft - 560;
    });
    await page.mouse.move(0, 0);
    await shot(page, 'import-wizard');
    await page.getByRole('radio', { name: 'What it becomes', exact: true }).check();
    await expect(preview.locator('thead')).not.toContainText('AvgTalkDuration');
    await page.getByRole('heading', { name: /The first 20 of 40 rows/ }).scrollIntoViewIfNeeded();
    await shot(page, 'import-wizard-2-records');

    // Step 3 by keyboard: the sticky bar's Next button.
    await stepBar(page).getByRole('button', { name: 'Next: problems per row' }).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: '3 · Problems per row' })).toBeFocused();
    await expect(page.getByText(`No problems: ${CALL_COUNT} rows checked, nothing written yet.`)).toBeVisible();
    const wouldDo = page.getByTestId('kind-results');
    expect(await counts(wouldDo, 'interactions')).toEqual([String(CALL_COUNT), '0', '0']);
    expect(await counts(wouldDo, 'surveys')).toEqual([String(RATED), '0', '0']);
    await axe(page);
    await shot(page, 'import-wizard-3-problems');

    // Step 4: a name that is taken says so beside the field; another one saves.
    await page.getByRole('button', { name: 'Next: save the source' }).click();
    await expect(page.getByRole('heading', { name: '4 · Save the source' })).toBeFocused();
    const name = page.getByLabel('Name of the source');
    await name.fill('Taken name');
    await page.getByRole('button', { name: 'Save the source' }).click();
    await expect(page.getByText('That name is taken: choose another.')).toBeVisible();
    await expect(name).toHaveAttribute('aria-invalid', 'true');
    await expect(name).toBeFocused();
    await axe(page);
    await shot(page, 'import-wizard-4-save-taken');
    await name.fill('Call export');
    await page.keyboard.press('Enter');

    // Step 5: the import, with the counts per kind.
    await expect(page.getByRole('heading', { name: '5 · Import' })).toBeFocused();
    await expect(page.getByText('Saved “Call export”.')).toBeVisible();
    await page.getByRole('button', { name: `Import ${CALL_COUNT} rows` }).click();
    await expect(page.getByText(`Imported ${CALL_COUNT} rows through “Call export”.`)).toBeVisible();
    const did = page.getByTestId('kind-results');
    expect(await counts(did, 'interactions')).toEqual([String(CALL_COUNT), '0', '0']);
    expect(await counts(did, 'surveys')).toEqual([String(RATED), '0', '0']);
    expect(await counts(did, 'teams')).toEqual(['1', '0', '0']);
    expect(await counts(did, 'agents')).toEqual(['5', '0', '0']);
    const latest = page.getByRole('region', { name: 'Import history' }).getByRole('row').nth(1);
    await expect(latest).toContainText('Call export');
    await expect(latest).toContainText('imported');
    await axe(page);
    await shot(page, 'import-wizard-5-imported');

    // The weekly review of the calls' week counts them.
    await page.getByRole('link', { name: `See week ${WEEK} in the weekly review` }).click();
    await expect(page).toHaveURL(new RegExp(`[?&]week=${WEEK}`));
    await expect(page.getByRole('heading', { name: 'Weekly review', level: 1 })).toBeVisible();
    await expect(page.getByTestId('context').getByTestId('metric-contacts').getByTestId('value')).toHaveText(
      String(CALL_COUNT),
    );
  });

  test('the same file again through the saved source changes nothing; a bad cell names its row and column', async ({
    page,
  }) => {
    await signInByApi(page);
    await page.goto('/admin/import');
    const saved = page.getByRole('region', { name: 'A saved source' });
    await saved.getByRole('button', { name: 'Use Call export', exact: true }).click();
    await expect(saved.getByLabel('File for the source')).toBeFocused();
    const picked = await saved
      .getByLabel('Saved source', { exact: true })
      .evaluate((s: HTMLSelectElement) => s.selectedOptions[0]!.textContent);
    expect(picked).toBe('Call export (version 1)');

    await saved.getByLabel('File for the source').setInputFiles(CALLS);
    await expect(saved.getByRole('button', { name: 'Import', exact: true })).toBeDisabled();
    await saved.getByRole('button', { name: 'Dry run' }).click();
    await expect(
      saved.getByText(`Clean: ${CALL_COUNT} rows checked through “Call export”, nothing written yet.`),
    ).toBeVisible();
    await saved.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(saved.getByText(`Imported ${CALL_COUNT} rows through “Call export” (version 1).`)).toBeVisible();
    const table = saved.getByTestId('kind-results');
    expect(await counts(table, 'interactions')).toEqual(['0', '0', String(CALL_COUNT)]);
    expect(await counts(table, 'surveys')).toEqual(['0', '0', String(RATED)]);
    expect(await counts(table, 'teams')).toEqual(['0', '0', '1']);
    expect(await counts(table, 'agents')).toEqual(['0', '0', '5']);
    await shot(page, 'import-wizard-saved-source-unchanged');

    // One rating of 7 on a 1–5 scale, on the file's row 11 (the header is row 1).
    const lines = EXPORT.split('\r\n');
    const cells = lines[10]!.split(',');
    expect(cells[9]).not.toBe('');
    cells[9] = '7';
    lines[10] = cells.join(',');
    await saved
      .getByLabel('File for the source')
      .setInputFiles({ name: 'calls-bad.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\r\n')) });
    await saved.getByRole('button', { name: 'Dry run' }).click();
    await expect(saved.getByRole('alert').filter({ hasText: 'Nothing was written' })).toContainText('1 problem');
    const problem = saved.getByTestId('problems').getByRole('row').nth(1);
    await expect(problem.getByRole('cell').nth(0)).toHaveText('11');
    await expect(problem.getByRole('cell').nth(1)).toHaveText('Satisfaction rating');
    await expect(problem.getByRole('cell').nth(2)).toHaveText('surveys.csat');
    await expect(problem.getByRole('cell').nth(3)).toHaveText('7');
    await expect(saved.getByRole('button', { name: 'Import', exact: true })).toBeDisabled();
    await axe(page);
    await shot(page, 'import-wizard-saved-source-problem');
  });

  test('in the wizard, a wrong correction shows its problems per row with the file’s row and column', async ({
    page,
  }) => {
    await signInByApi(page);
    await propose(page, CALLS);
    const interactions = page.getByRole('region', { name: 'Interactions (contacts)' });
    // Month first cannot read 16/11/2026: every call's date becomes a problem.
    await interactions
      .locator('[data-field="interactions.occurred_at"]')
      .getByRole('combobox', { name: 'written' })
      .selectOption('mdy');
    await expect(stepBar(page)).toContainText('problems in the whole file');
    await expect(interactions.locator('[data-field="interactions.occurred_at"]')).toContainText('⚠');
    await expect(page.getByTestId('preview').locator('td.problem').first()).toContainText('16/11/2026');
    await shot(page, 'import-wizard-2-problem');
    await stepBar(page).getByRole('button', { name: 'Next: problems per row' }).click();
    const problems = page.getByTestId('problems');
    const first = problems.getByRole('row').nth(1);
    await expect(first.getByRole('cell').nth(0)).toHaveText('2');
    await expect(first.getByRole('cell').nth(1)).toHaveText('Date + Time');
    await expect(first.getByRole('cell').nth(3)).toHaveText('16/11/2026 10:15:12');
    await expect(page.getByRole('button', { name: 'Next: save the source' })).toBeDisabled();
    await axe(page);
    await shot(page, 'import-wizard-3-problem-rows', true);

    // Back in step 2, day first again: clean.
    await page.getByRole('button', { name: 'Back to the mapping' }).click();
    await interactions
      .locator('[data-field="interactions.occurred_at"]')
      .getByRole('combobox', { name: 'written' })
      .selectOption('dmy');
    await expect(stepBar(page)).toContainText(`No problems in ${CALL_COUNT} rows`);
  });

  test.afterAll(async ({ request }) => {
    const { sources } = await adminApi<{ sources: Array<{ id: number; name: string }> }>(
      request,
      'GET',
      '/api/v1/sources',
    );
    // Leave no saved source for other Import tests to meet (their buttons share names with its).
    for (const s of sources)
      if (['Call export', 'Taken name'].includes(s.name)) await adminApi(request, 'DELETE', `/api/v1/sources/${s.id}`);
  });
});
