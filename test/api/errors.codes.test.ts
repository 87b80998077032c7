// The problem codes: one closed list, each with one status, and the errors the stores, the metrics
// engine and the views throw answered through the app's one error handler.
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiError,
  ApiError,
  ERROR_CODES,
  ERROR_STATUS,
  LIMIT_STATUS,
  limitReached,
  problem,
  statusOf,
  type LimitName,
} from '../../api/errors';
import { MetricsRequestError, ScopeError } from '../../api/metrics/engine';
import { DOMAIN_ERRORS, domainProblem } from '../../api/routes/domain-errors';
import { CoachNotFound, CoachScopeError } from '../../api/views/coach';
import { UnknownTeamError } from '../../api/views/tv';
import { WeekError } from '../../api/views/weekly';
import { createTestApp, readProblem, type TestApp } from '../helpers/app';

const STATUSES = [400, 401, 403, 404, 408, 409, 413, 415, 422, 429, 500, 503];

describe('the code list', () => {
  it.each(ERROR_CODES)('%s has one status, and its problem answers with it', async (code) => {
    const status = ERROR_STATUS[code];
    expect(STATUSES).toContain(status);
    expect(statusOf(code)).toBe(status);
    const err = apiError(code, 'detail');
    expect(err.status).toBe(status);
    const app = new Hono().get('/', (c) => problem(c, err));
    const res = await app.request('/');
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ type: `urn:pairwise:problem:${code}`, status, detail: 'detail' });
  });

  it('every limit is a code limit-<name> with the limit’s status, and names itself in the body', () => {
    for (const [name, status] of Object.entries(LIMIT_STATUS) as [LimitName, number][]) {
      expect(ERROR_STATUS[`limit-${name}`]).toBe(status);
      const err = limitReached(status as never, name, 'over', 3);
      expect(err).toMatchObject({
        status,
        code: `limit-${name}`,
        extensions: { limit: name },
        headers: { 'retry-after': '3' },
      });
    }
    // A limit name passed on as a string still answers with its listed status.
    const passedOn: string = 'events-bytes';
    expect(limitReached(400, passedOn, 'over').status).toBe(413);
  });

  it('the one open family, http-<status>, answers with its own status', () => {
    expect(statusOf('http-400')).toBe(400);
    expect(statusOf('http-405')).toBe(405);
  });

  it('no code says what another says: one invalid-request, no bad-request', () => {
    expect(ERROR_CODES).toContain('invalid-request');
    expect(ERROR_CODES).not.toContain('bad-request');
  });
});

describe('domain errors, translated once', () => {
  it.each([
    [
      new MetricsRequestError('team', "Unknown team 'x' in 'team'."),
      400,
      'invalid-request',
      "Invalid query parameter 'team': Unknown team 'x' in 'team'.",
      [{ in: 'query', field: 'team', reason: "Unknown team 'x' in 'team'" }],
    ],
    [
      new WeekError("'2024-W99' is not an ISO week such as 2024-W07"),
      400,
      'invalid-request',
      "Invalid query parameter 'week': '2024-W99' is not an ISO week such as 2024-W07.",
      [{ in: 'query', field: 'week', reason: "'2024-W99' is not an ISO week such as 2024-W07" }],
    ],
    [
      new UnknownTeamError("There is no team 'x'."),
      400,
      'invalid-request',
      "Invalid query parameter 'team': There is no team 'x'.",
      [{ in: 'query', field: 'team', reason: "There is no team 'x'." }],
    ],
    [
      new ScopeError("Team 't2' is not one of your teams (t1)."),
      403,
      'forbidden',
      "Team 't2' is not one of your teams (t1).",
      undefined,
    ],
    [
      new CoachScopeError("Agent 'b1' is not in one of your teams."),
      403,
      'forbidden',
      "Agent 'b1' is not in one of your teams.",
      undefined,
    ],
    [new CoachNotFound("There is no team 'x'."), 404, 'not-found', "There is no team 'x'.", undefined],
  ] as const)('%o → %i %s', (err, status, code, detail, errors) => {
    const answer = domainProblem(err);
    expect(answer).toBeInstanceOf(ApiError);
    expect(answer).toMatchObject({ status, code, message: detail });
    expect(answer!.extensions.errors).toEqual(errors);
  });

  it('the table names every class once, and anything else is left to the handler', () => {
    const types = DOMAIN_ERRORS.map((t) => t.type);
    expect(new Set(types).size).toBe(types.length);
    expect(domainProblem(new Error('boom'))).toBeUndefined();
    expect(domainProblem('not an error')).toBeUndefined();
  });
});

describe('through the app', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('a store’s invalid goal: 422 invalid-goal, every problem listed', async () => {
    const res = await t.request('/api/v1/goals', {
      method: 'POST',
      token: t.tokens.admin,
      json: { metric: 'csat', team: 'nope', target: 0.8, valid_from: '2024-03-01', valid_to: '2024-01-01' },
    });
    expect(res.status).toBe(422);
    const body = await readProblem(res);
    expect(body).toMatchObject({
      type: 'urn:pairwise:problem:invalid-goal',
      title: 'Unprocessable content',
      status: 422,
    });
    expect(body.errors?.map((e) => e.field)).toEqual(['valid_to', 'team']);
  });

  it('a store’s unknown annotation team: 422 unknown-team', async () => {
    const res = await t.request('/api/v1/annotations', {
      method: 'POST',
      token: t.tokens.admin,
      json: { on: '2024-01-01', title: 'ghost', team: 'nope' },
    });
    expect(res.status).toBe(422);
    expect(await readProblem(res)).toMatchObject({
      type: 'urn:pairwise:problem:unknown-team',
      status: 422,
      errors: [{ in: 'body', field: 'team' }],
    });
  });

  it('a store’s unknown team in a query: 400 invalid-request naming it', async () => {
    const res = await t.request('/api/v1/goals?team=nope', { token: t.tokens.admin });
    expect(res.status).toBe(400);
    expect(await readProblem(res)).toMatchObject({
      type: 'urn:pairwise:problem:invalid-request',
      detail: "Invalid query parameter 'team': unknown team 'nope'.",
      errors: [{ in: 'query', field: 'team', reason: "unknown team 'nope'" }],
    });
  });

  it('the metrics engine’s bad request: 400 invalid-request naming the parameter', async () => {
    const res = await t.request('/api/v1/metrics?metrics=csat&from=2024-02-01&to=2024-02-29&team=nope', {
      token: t.tokens.admin,
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await readProblem(res)).toMatchObject({
      type: 'urn:pairwise:problem:invalid-request',
      title: 'Bad request',
      status: 400,
      detail: "Invalid query parameter 'team': Unknown team 'nope' in 'team'.",
      errors: [{ in: 'query', field: 'team', reason: "Unknown team 'nope' in 'team'" }],
    });
  });

  it('the metrics engine’s scope: 403 forbidden for a manager asking for another team', async () => {
    const res = await t.request('/api/v1/metrics?metrics=csat&from=2024-02-01&to=2024-02-29&team=t2', {
      token: t.tokens.manager,
    });
    expect(res.status).toBe(403);
    expect(await readProblem(res)).toMatchObject({
      type: 'urn:pairwise:problem:forbidden',
      detail: "Team 't2' is not one of your teams (t1).",
    });
  });

  it('a view’s unknown team: 404 not-found', async () => {
    const res = await t.request('/api/v1/views/coach/team/nope', { token: t.tokens.admin });
    expect(res.status).toBe(404);
    expect(await readProblem(res)).toMatchObject({
      type: 'urn:pairwise:problem:not-found',
      detail: "There is no team 'nope'.",
    });
  });

  it('what was bad-request is invalid-request', async () => {
    const res = await t.request('/api/v1/ingest/agents?dry_run=maybe', {
      method: 'POST',
      token: t.tokens.admin,
      headers: { 'content-type': 'text/csv' },
      body: 'external_id,name,team\n',
    });
    expect(res.status).toBe(400);
    expect(await readProblem(res)).toMatchObject({
      type: 'urn:pairwise:problem:invalid-request',
      errors: [{ in: 'query', field: 'dry_run' }],
    });
  });
});
