// The web's typed client (web/src/lib/client.ts): its types are the API routes' own, and it sends
// the requests the pages sent by hand (paths, query strings, `accept`, credentials, errors).
// The type assertions are checked by `tsc` and `npm run check`, which include test/**.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { ApiError } from '../../web/src/lib/api';
import { client, ok, type Answer, type V1 } from '../../web/src/lib/client';

/** A fetch that records each request and answers `res`. */
function recorder(res: () => Response = () => Response.json({})) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetchFn = (async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    return res();
  }) as typeof fetch;
  return { calls, fetchFn };
}

describe('the contract is typed', () => {
  it('GET /api/v1/metrics/catalog answers the fields the pages read', () => {
    type Catalog = Answer<V1['metrics']['catalog']['$get']>;
    type Metric = Catalog['metrics'][number];
    expectTypeOf<Metric['key']>().toEqualTypeOf<string>();
    expectTypeOf<Metric['label']>().toEqualTypeOf<string>();
    expectTypeOf<Metric['unit']>().toEqualTypeOf<string>();
    expectTypeOf<Metric['better']>().toEqualTypeOf<string>();
    expectTypeOf<Metric['targetable']>().toEqualTypeOf<boolean>();
  });

  it('a view and the admin lists answer their fields', () => {
    // The weekly view is JSON or CSV (`format=csv`): the JSON answer carries the week and its pairs.
    type Weekly = Extract<Answer<V1['views']['weekly']['$get']>, { week: unknown }>;
    expectTypeOf<Weekly['week']>().toEqualTypeOf<{
      label: string;
      from: string;
      to: string;
      previous: string;
      next: string | null;
      complete: boolean;
    }>();
    expectTypeOf<Weekly['pairs'][number]['key']>().toEqualTypeOf<string>();
    type Goals = Answer<V1['goals']['$get']>;
    expectTypeOf<Goals['goals'][number]['valid_to']>().toEqualTypeOf<string | null>();
    type Me = Answer<V1['auth']['me']['$get']>;
    expectTypeOf<Me['role']>().toEqualTypeOf<'admin' | 'leader' | 'manager' | 'display' | 'ingest'>();
    // 204: nothing to read.
    expectTypeOf<Answer<V1['auth']['session']['$delete']>>().toEqualTypeOf<undefined>();
  });

  it('ingest, mounted in the chain, is in the contract', () => {
    type Ingested = Answer<V1['ingest'][':kind']['$post']>;
    expectTypeOf<Ingested['rows']>().toEqualTypeOf<number>();
    expectTypeOf<Ingested['warnings']>().toEqualTypeOf<string[]>();
  });
});

describe('the client sends what the pages sent', () => {
  it('builds the same paths and query strings', () => {
    const v1 = client(recorder().fetchFn).api.v1;
    expect(v1.views.weekly.$path({ query: { week: '2026-W48' } })).toBe('/api/v1/views/weekly?week=2026-W48');
    expect(v1.metrics.catalog.$path()).toBe('/api/v1/metrics/catalog');
    expect(v1.goals.$path({ query: { include_ended: 'true' } })).toBe('/api/v1/goals?include_ended=true');
    // As `query()` did: empty values are left out.
    expect(v1.views.coach.$path({ query: { from: '', to: '2026-11-29' } })).toBe('/api/v1/views/coach?to=2026-11-29');
    expect(v1.annotations.$path({ query: { from: '', to: '' } })).toBe('/api/v1/annotations');
    const praise = {
      status: 'all',
      praise: 'true',
      team: '',
      q: '',
      from: '',
      to: '',
      limit: '1',
      offset: '0',
    } as const;
    expect(v1.quotes.$path({ query: praise })).toBe('/api/v1/quotes?status=all&praise=true&limit=1&offset=0');
    // Path parameters are put in as given: callers encode them.
    expect(
      v1.views.coach.team[':id'].$path({ param: { id: encodeURIComponent('a/b c') }, query: { from: '2026-11-02' } }),
    ).toBe('/api/v1/views/coach/team/a%2Fb%20c?from=2026-11-02');
  });

  it('sends accept, credentials and JSON bodies as api() did', async () => {
    const { calls, fetchFn } = recorder(() => Response.json({ cx_statement: null, auto_quote: true, min_n: 30 }));
    const v1 = client(fetchFn).api.v1;
    const settings = await ok(v1.settings.$patch({ json: { min_n: 30 } }));
    expect(settings.min_n).toBe(30);
    const [call] = calls;
    expect(call!.url).toBe('/api/v1/settings');
    expect(call!.init.method).toBe('PATCH');
    expect(call!.init.credentials).toBe('same-origin');
    const headers = new Headers(call!.init.headers);
    expect(headers.get('accept')).toBe('application/json, application/problem+json');
    expect(headers.get('content-type')).toBe('application/json');
    expect(call!.init.body).toBe('{"min_n":30}');

    await ok(v1.metrics.catalog.$get());
    expect(calls[1]!.init.method).toBe('GET');
    expect(calls[1]!.init.body).toBeUndefined();
  });

  it('turns a problem document into the ApiError pages handle', async () => {
    const problem = { type: 'about:blank', title: 'Forbidden', status: 403, detail: 'Admins only.' };
    const { fetchFn } = recorder(
      () =>
        new Response(JSON.stringify(problem), { status: 403, headers: { 'content-type': 'application/problem+json' } }),
    );
    const err = await ok(client(fetchFn).api.v1.tokens.$get()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(403);
    expect((err as ApiError).detail).toBe('Admins only.');
    expect((err as ApiError).problem.type).toBe('about:blank');
  });

  it('answers status 0 when the server cannot be reached, and undefined for 204', async () => {
    const down = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    const err = await ok(client(down).api.v1.auth.me.$get()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(0);
    const { fetchFn } = recorder(() => new Response(null, { status: 204 }));
    await expect(ok(client(fetchFn).api.v1.auth.session.$delete())).resolves.toBeUndefined();
  });
});
