import type { Page } from '@playwright/test';

export const PORT = 3210;
export const BASE_URL = `http://127.0.0.1:${PORT}`;

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
