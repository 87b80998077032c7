import type { APIRequestContext, Page } from '@playwright/test';

export const PORT = 3210;
export const BASE_URL = `http://127.0.0.1:${PORT}`;

/** The second e2e server, which seeds the demo data on start (views are tested on it). */
export const DEMO_PORT = 3211;
export const DEMO_URL = `http://127.0.0.1:${DEMO_PORT}`;

/** The admin token the e2e server accepts (PAIRWISE_ADMIN_TOKEN). */
export const ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdef';

/** Signs the page's browser context in through the API (cookie session). */
export async function signInByApi(page: Page, token: string = ADMIN_TOKEN): Promise<void> {
  const res = await page.request.post('/api/v1/auth/session', { data: { token } });
  if (!res.ok()) throw new Error(`sign-in failed: ${res.status()} ${await res.text()}`);
}

/** Creates an access token through the API with the admin token; answers the secret. */
export async function createToken(page: Page, role: 'leader' | 'display', label: string): Promise<string> {
  const res = await page.request.post('/api/v1/tokens', {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    data: { role, label },
  });
  if (res.status() !== 201) throw new Error(`token create failed: ${res.status()} ${await res.text()}`);
  const body = (await res.json()) as { token: string };
  return body.token;
}

/**
 * Waits until the demo server has imported every demo file (looked up among the last 200 imports:
 * other tests import into this server too) (the import history shows the demo's
 * referrals, the last kind, imported) and set its statement (written last, with its goals). The first call can take ~30 s; later calls return at once.
 */
export async function waitForDemo(
  request: APIRequestContext,
  timeoutMs = 120_000,
  base: string = DEMO_URL,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await request.get(`${base}/api/v1/imports?limit=200`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    if (res.ok()) {
      const body = (await res.json()) as {
        imports: Array<{ kind: string; source: string; status: string; dry_run: boolean }>;
      };
      const imported = body.imports.some(
        (i) => i.kind === 'referrals' && i.source === 'demo' && !i.dry_run && i.status === 'imported',
      );
      // The demo's annotation, goals and statement are written right after the last file.
      const settings = imported
        ? await request.get(`${base}/api/v1/settings`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
        : null;
      if (settings?.ok() && ((await settings.json()) as { cx_statement: string | null }).cx_statement) return;
    }
    if (Date.now() > deadline) throw new Error('the demo data did not finish importing in time');
    await new Promise((r) => setTimeout(r, 500));
  }
}
