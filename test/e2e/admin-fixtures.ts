// Data for the Admin browser tests, created through the API with the admin bearer token.
import type { APIRequestContext } from '@playwright/test';
import { ADMIN_TOKEN } from './fixtures';

const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** Calls the API as the admin token; throws on a non-2xx answer. */
export async function adminApi<T>(
  request: APIRequestContext,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  data?: unknown,
): Promise<T> {
  const res = await request.fetch(path, { method, headers: auth, data });
  if (!res.ok()) throw new Error(`${method} ${path} → ${res.status()} ${await res.text()}`);
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Imports a CSV of one kind (all-or-nothing). */
export async function importCsv(request: APIRequestContext, kind: string, csv: string): Promise<void> {
  const res = await request.post(`/api/v1/ingest/${kind}`, {
    headers: { ...auth, 'content-type': 'text/csv' },
    data: csv,
  });
  if (!res.ok()) throw new Error(`import ${kind} → ${res.status()} ${await res.text()}`);
}

/**
 * Two teams, one agent and three consented comments answered long ago (so that only a pin can
 * feature them this week, and no test leaves a quote on other pages).
 */
export async function seedQuotes(request: APIRequestContext): Promise<void> {
  await importCsv(
    request,
    'teams',
    ['external_id,name,kind', 'e2e-support,Frontline Support,support', 'e2e-product,Product,product'].join('\n') + '\n',
  );
  await importCsv(
    request,
    'agents',
    ['external_id,name,team,hired_on', 'e2e-ana,Ana Lima,e2e-support,2023-01-09'].join('\n') + '\n',
  );
  await importCsv(
    request,
    'surveys',
    [
      'external_id,responded_at,agent,team,csat,nps,effort,comment,may_quote',
      'e2e-q1,2024-03-05T10:00:00Z,e2e-ana,e2e-support,5,10,1,"Ana sorted my refund in five minutes, call me on 07700 900123 if you need more.",true',
      'e2e-q2,2024-03-04T09:00:00Z,,e2e-support,2,3,6,"Waited forty minutes on hold and nobody called back. Email me at jo.bloggs@example.com",true',
      'e2e-q3,2024-03-03T15:30:00Z,,e2e-product,4,9,2,"The new app made it easy to change my plan without calling anyone.",true',
    ].join('\n') + '\n',
  );
}
