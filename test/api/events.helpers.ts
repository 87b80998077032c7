// Shared by the events tests: an app with an ingest token (plain and signed), and a poster.
import { signatureHeader } from '../../api/auth/signature';
import { createToken } from '../../api/auth/tokens';
import { closeEvents } from '../../api/events';
import { createTestApp, type TestApp } from '../helpers/app';

export interface EventsApp extends TestApp {
  ingestToken: string;
  signedToken: string;
  signingSecret: string;
}

export async function createEventsApp(): Promise<EventsApp> {
  const t = await createTestApp();
  const plain = await createToken(t.database.db, { role: 'ingest', label: 'test ingest' });
  const signed = await createToken(t.database.db, { role: 'ingest', label: 'test ingest signed', signed: true });
  return {
    ...t,
    ingestToken: plain.token,
    signedToken: signed.token,
    signingSecret: signed.signing_secret!,
    async close() {
      await closeEvents(t.deps);
      await t.close();
    },
  };
}

export interface Accepted {
  kind: string;
  accepted: number;
  inserted: number;
  updated: number;
  unchanged: number;
  warnings: string[];
}

/** POSTs events as JSON; `sign` adds a signature made now with the secret. */
export function postEvents(
  t: EventsApp,
  kind: string,
  body: unknown,
  options: { token?: string; sign?: string; t?: number; raw?: string; headers?: Record<string, string> } = {},
) {
  const text = options.raw ?? JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (options.sign)
    headers['x-pairwise-signature'] = signatureHeader(options.sign, options.t ?? Math.floor(Date.now() / 1000), text);
  return t.request(`/api/v1/events/${kind}`, {
    method: 'POST',
    token: options.token ?? t.ingestToken,
    headers,
    body: text,
  });
}

export async function accepted(res: Response): Promise<Accepted> {
  const text = await res.text();
  if (res.status !== 202) throw new Error(`expected 202, got ${res.status}: ${text}`);
  return JSON.parse(text) as Accepted;
}
