// Every API route and the roles that may call it. Each issue that adds a route adds a row;
// test/api/access.security.test.ts checks this table against the OpenAPI document, so a
// route missing here fails the suite.
import type { Role } from '../../api/auth/tokens';

export interface RouteCase {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** As in the OpenAPI document, e.g. `/tokens/{id}` (under /api/v1). */
  path: string;
  /** The path actually called, when it has parameters. */
  call?: string;
  roles: readonly Role[] | 'public';
  json?: unknown;
}

const ANY: Role[] = ['admin', 'leader', 'manager', 'display'];
const READERS: Role[] = ['admin', 'leader', 'manager'];

export const ROUTES: RouteCase[] = [
  { method: 'GET', path: '/health', roles: 'public' },
  { method: 'POST', path: '/auth/session', roles: 'public', json: { token: 'not-a-token' } },
  { method: 'GET', path: '/auth/me', roles: ANY },
  { method: 'DELETE', path: '/auth/session', roles: ANY },
  { method: 'GET', path: '/tokens', roles: ['admin'] },
  { method: 'POST', path: '/tokens', roles: ['admin'], json: { role: 'leader', label: 'route table' } },
  { method: 'DELETE', path: '/tokens/{id}', call: '/tokens/999999', roles: ['admin'] },
  { method: 'GET', path: '/openapi.json', roles: READERS },
  { method: 'GET', path: '/docs', roles: READERS },
  { method: 'GET', path: '/metrics', call: '/metrics?metrics=csat&from=2024-01-01&to=2024-01-31', roles: READERS },
  { method: 'GET', path: '/metrics/catalog', roles: READERS },
  { method: 'GET', path: '/teams', roles: READERS },
  { method: 'POST', path: '/ingest/{kind}', call: '/ingest/teams', roles: ['admin'], json: [] },
];
