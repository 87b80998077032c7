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
  { method: 'GET', path: '/views/weekly', call: '/views/weekly?week=2024-W07', roles: READERS },
  {
    method: 'GET',
    path: '/views/weekly/charts/{chart}',
    call: '/views/weekly/charts/waiting?week=2024-W07',
    roles: READERS,
  },
  { method: 'GET', path: '/views/tv', roles: ANY },
  { method: 'GET', path: '/queue/history', roles: READERS },
  { method: 'GET', path: '/views/coach', roles: READERS },
  // Unknown ids: 404 for those allowed (a manager's scope check comes first: its own team t1).
  { method: 'GET', path: '/views/coach/team/{id}', call: '/views/coach/team/t1', roles: READERS },
  { method: 'GET', path: '/views/coach/agent/{id}', call: '/views/coach/agent/no-such-agent', roles: READERS },
  {
    method: 'GET',
    path: '/coach/agents/{id}/notes',
    call: '/coach/agents/no-such-agent/notes',
    roles: ['admin', 'manager'],
  },
  {
    method: 'POST',
    path: '/coach/agents/{id}/notes',
    call: '/coach/agents/no-such-agent/notes',
    roles: ['admin', 'manager'],
    json: { held_on: '2024-01-01', pair: 'waiting', note: 'x' },
  },
  { method: 'DELETE', path: '/coach/notes/{id}', call: '/coach/notes/999999', roles: ['admin', 'manager'] },
  // An empty team: answered 400 before a stream would open (the stream itself: test/api/live.test.ts).
  { method: 'GET', path: '/live', call: '/live?team=', roles: ANY },
  // The ingest role only writes: these three routes and nothing else.
  { method: 'POST', path: '/ingest/{kind}', call: '/ingest/teams', roles: ['admin', 'ingest'], json: [] },
  { method: 'POST', path: '/events/{kind}', call: '/events/teams', roles: ['admin', 'ingest'], json: [] },
  { method: 'GET', path: '/events/status', roles: ['admin'] },
  { method: 'GET', path: '/sources', roles: ['admin'] },
  { method: 'GET', path: '/sources/presets', roles: ['admin'] },
  { method: 'POST', path: '/sources', roles: ['admin'], json: { name: 'route table', mapping: {} } },
  { method: 'GET', path: '/sources/{id}', call: '/sources/999999', roles: ['admin'] },
  { method: 'PUT', path: '/sources/{id}', call: '/sources/999999', roles: ['admin'], json: { mapping: {} } },
  { method: 'DELETE', path: '/sources/{id}', call: '/sources/999999', roles: ['admin'] },
  { method: 'GET', path: '/sources/{id}/export', call: '/sources/999999/export', roles: ['admin'] },
  { method: 'POST', path: '/sources/infer', roles: ['admin'], json: [] },
  { method: 'POST', path: '/sources/preview', roles: ['admin'], json: {} },
  {
    method: 'POST',
    path: '/sources/{id}/ingest',
    call: '/sources/999999/ingest',
    roles: ['admin', 'ingest'],
    json: [],
  },
  // Not the display role: the wallboard gets the statement, the featured quote and the shout-outs
  // (redacted, first names) inside /views/tv and /live, never these fuller answers.
  { method: 'GET', path: '/settings', roles: READERS },
  { method: 'PATCH', path: '/settings', roles: ['admin'], json: { auto_quote: true } },
  { method: 'GET', path: '/goals', roles: READERS },
  {
    method: 'POST',
    path: '/goals',
    roles: ['admin'],
    json: { metric: 'csat', target: 0.8, valid_from: '2001-01-01', valid_to: '2001-01-31' },
  },
  { method: 'PATCH', path: '/goals/{id}', call: '/goals/999999', roles: ['admin'], json: { target: 0.8 } },
  { method: 'DELETE', path: '/goals/{id}', call: '/goals/999999', roles: ['admin'] },
  { method: 'GET', path: '/annotations', roles: READERS },
  { method: 'POST', path: '/annotations', roles: ['admin'], json: { on: '2001-01-01', title: 'route table' } },
  {
    method: 'PATCH',
    path: '/annotations/{id}',
    call: '/annotations/999999',
    roles: ['admin'],
    json: { title: 'route table' },
  },
  { method: 'DELETE', path: '/annotations/{id}', call: '/annotations/999999', roles: ['admin'] },
  { method: 'GET', path: '/audit', roles: ['admin'] },
  { method: 'GET', path: '/imports', roles: ['admin'] },
  { method: 'GET', path: '/quotes', roles: ['admin', 'leader'] },
  { method: 'GET', path: '/quotes/{id}', call: '/quotes/no-such-quote', roles: ['admin', 'leader'] },
  {
    method: 'PATCH',
    path: '/quotes/{id}',
    call: '/quotes/no-such-quote',
    roles: ['admin', 'leader'],
    json: { status: 'approved' },
  },
  { method: 'GET', path: '/quotes/featured', call: '/quotes/featured?from=2024-01-01&to=2024-01-07', roles: READERS },
  { method: 'GET', path: '/quotes/praise', call: '/quotes/praise?from=2024-01-01&to=2024-01-07', roles: READERS },
  { method: 'GET', path: '/quotes/shoutouts', call: '/quotes/shoutouts?from=2024-01-01&to=2024-01-07', roles: READERS },
];
