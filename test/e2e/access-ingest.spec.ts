// Admin › Access: a write-only ingest token made in the browser, then used the way a platform's
// webhook uses it — the token and signing secret read off the page, never from the API.
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { promisify } from 'node:util';
import { expect, test, type Page } from '@playwright/test';
import { importCsv } from './admin-fixtures';
import { BASE_URL, signInByApi } from './fixtures';

const SHOTS = 'test-results/screenshots';
const TEAM = 'e2e-ingest-floor';

async function shot(page: Page, name: string) {
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

const record = (id: string) => [
  {
    external_id: id,
    occurred_at: new Date().toISOString(),
    team: TEAM,
    channel: 'phone',
    answered: true,
    wait_seconds: 30,
    handle_seconds: 200,
    resolved: true,
  },
];

const sign = (secret: string, t: number, body: string) =>
  `t=${t},sha256=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;

async function makeIngestToken(
  page: Page,
  label: string,
  signed: boolean,
): Promise<{ token: string; secret: string | null }> {
  // Interactions must name a team that exists (importing it again changes nothing).
  await importCsv(page.request, 'teams', `external_id,name,kind\n${TEAM},Ingest floor,support\n`);
  await signInByApi(page);
  await page.goto('/admin/access');
  await expect(page.getByLabel('Require signed requests')).toHaveCount(0);
  await page.getByRole('radio', { name: /^Ingest \(webhook\)/ }).check();
  const check = page.getByLabel('Require signed requests');
  await expect(check).toBeChecked();
  if (!signed) await check.uncheck();
  await page.getByLabel('Label', { exact: true }).fill(label);
  await page.getByRole('button', { name: 'Create token' }).click();
  await expect(page.getByRole('heading', { name: /^Copy (it|them) now/ })).toBeVisible();
  const token = await page.getByLabel('Token', { exact: true }).inputValue();
  expect(token).toMatch(/^pw_/);
  await expect(page.getByLabel('Events URL', { exact: true })).toHaveValue(`${BASE_URL}/api/v1/events/interactions`);
  // An ingest token has no login link: it cannot sign in.
  await expect(page.getByLabel('Login link', { exact: true })).toHaveCount(0);
  const secretField = page.getByLabel('Signing secret', { exact: true });
  const secret = signed ? await secretField.inputValue() : null;
  if (!signed) await expect(secretField).toHaveCount(0);
  return { token, secret };
}

test.use({ viewport: { width: 1440, height: 900 } });

test.describe('admin › access › ingest', () => {
  test('a signed ingest token is shown once with its secret; a correctly signed event is accepted', async ({
    page,
  }) => {
    const { token, secret } = await makeIngestToken(page, 'E2E contact-centre webhook', true);
    expect(secret).toBeTruthy();
    await expect(
      page.getByRole('heading', { name: 'Copy them now — this token and its signing secret are shown only once' }),
    ).toBeVisible();
    await expect(page.getByRole('region', { name: 'Headers' })).toContainText(
      'X-Pairwise-Signature: t=<unix seconds>,sha256=',
    );
    await expect(page.getByRole('region', { name: 'Body (one interaction)' })).toContainText(`"team": "${TEAM}"`);
    await shot(page, 'admin-access-ingest-created-1440');

    // The platform's request: the exact body bytes signed with the secret from the page.
    const body = JSON.stringify(record('e2e-ingest-signed-1'));
    const t = Math.floor(Date.now() / 1000);
    const post = (headers: Record<string, string>) =>
      fetch(`${BASE_URL}/api/v1/events/interactions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
        body,
      });
    const ok = await post({ 'x-pairwise-signature': sign(secret!, t, body) });
    expect(ok.status, await ok.clone().text()).toBe(202);
    // Without a signature, with a wrong one or an old one: refused.
    expect((await post({})).status).toBe(401);
    expect((await post({ 'x-pairwise-signature': sign('not-the-secret', t, body) })).status).toBe(401);
    expect((await post({ 'x-pairwise-signature': sign(secret!, t - 6 * 60, body) })).status).toBe(401);
    // It reads nothing.
    const read = await fetch(`${BASE_URL}/api/v1/metrics?metrics=csat`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(read.status).toBe(403);

    // The page's shell example, pasted as it is, signs with openssl and is accepted too.
    const shell = await page.getByRole('region', { name: 'Try it from a shell' }).innerText();
    const run = await promisify(execFile)('bash', [
      '-c',
      `${shell.replace(/--fail-with-body/, "-o /dev/null -w '%{http_code}'")}`,
    ]);
    expect(run.stdout.trim()).toBe('202');

    await page.getByRole('button', { name: 'Done — I have copied it' }).click();
    await expect(page.getByLabel('Signing secret', { exact: true })).toHaveCount(0);
    await page.reload();
    expect(await page.content()).not.toContain(secret!);
    const row = page.getByRole('row').filter({ hasText: 'E2E contact-centre webhook' });
    await expect(row.getByText('ingest', { exact: true })).toBeVisible();
    await expect(row.getByText('signed', { exact: true })).toBeVisible();
    await shot(page, 'admin-access-ingest-list-1440');
  });

  test('an unsigned ingest token writes through the ingest route and may not read', async ({ page }) => {
    const { token } = await makeIngestToken(page, 'E2E unsigned sender', false);
    await expect(page.getByRole('heading', { name: 'Copy it now — this token is shown only once' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Headers' })).not.toContainText('X-Pairwise-Signature');
    await shot(page, 'admin-access-ingest-unsigned-1440');

    const written = await fetch(`${BASE_URL}/api/v1/ingest/interactions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(record('e2e-ingest-unsigned-1')),
    });
    expect(written.status, await written.clone().text()).toBe(200);
    const read = await fetch(`${BASE_URL}/api/v1/metrics?metrics=csat`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(read.status).toBe(403);
    // It cannot sign a browser in either.
    const session = await fetch(`${BASE_URL}/api/v1/auth/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    expect(session.ok).toBe(false);

    await page.getByRole('button', { name: 'Done — I have copied it' }).click();
    const row = page.getByRole('row').filter({ hasText: 'E2E unsigned sender' });
    await expect(row.getByText('ingest', { exact: true })).toBeVisible();
    await expect(row.getByText('unsigned', { exact: true })).toBeVisible();
  });
});
