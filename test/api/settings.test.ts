// Settings: every role reads them (the wallboard shows the CX success statement); admins change
// them one or several at a time, validated, audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../db/schema';
import { createTestApp, readProblem, type TestApp } from '../helpers/app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const get = (token: string) => t.request('/api/v1/settings', { token });
const patch = (json: unknown, token = t.tokens.admin) =>
  t.request('/api/v1/settings', { method: 'PATCH', token, json });
const STATEMENT = 'Every customer leaves the conversation with their problem solved and feeling heard.';

describe('settings', () => {
  it('every reading role reads the defaults; the wallboard gets the statement in its own feed only', async () => {
    for (const role of ['admin', 'leader', 'manager'] as const) {
      const res = await get(t.tokens[role]);
      expect(res.status, role).toBe(200);
      expect(await res.json()).toEqual({ cx_statement: null, auto_quote: true, min_n: 30 });
    }
    expect((await get(t.tokens.display)).status).toBe(403);
  });

  it('an admin changes some settings and gets them all back; the change is audited', async () => {
    const res = await patch({ cx_statement: `  ${STATEMENT} `, min_n: 50 });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ cx_statement: STATEMENT, auto_quote: true, min_n: 50 });
    expect(await (await patch({ auto_quote: false })).json()).toEqual({
      cx_statement: STATEMENT,
      auto_quote: false,
      min_n: 50,
    });
    expect(await (await get(t.tokens.leader)).json()).toEqual({
      cx_statement: STATEMENT,
      auto_quote: false,
      min_n: 50,
    });
    // An empty statement (or null) clears it.
    expect(
      ((await (await patch({ cx_statement: '  ' })).json()) as { cx_statement: string | null }).cx_statement,
    ).toBeNull();
    expect(
      ((await (await patch({ cx_statement: STATEMENT })).json()) as { cx_statement: string | null }).cx_statement,
    ).toBe(STATEMENT);
    expect(
      ((await (await patch({ cx_statement: null })).json()) as { cx_statement: string | null }).cx_statement,
    ).toBeNull();

    const log = (await t.database.db.select().from(auditLog)).filter((l) => l.action === 'settings.update');
    expect(log).toHaveLength(5);
    expect(log[0]).toMatchObject({
      actor: 'test admin',
      subject: 'settings',
      details: { cx_statement: STATEMENT, min_n: 50 },
    });
  });

  it.each([
    [{}, /name at least one setting/],
    [{ theme: 'dark' }, /unknown setting 'theme'/],
    [{ min_n: 3 }, /body field 'min_n': must be at least 5/],
    [{ min_n: 30.5 }, /body field 'min_n': must be a whole number/],
    [{ auto_quote: 'yes' }, /body field 'auto_quote'/],
    [{ cx_statement: 'x'.repeat(281) }, /body field 'cx_statement': must be at most 280 characters/],
    [[1], /Invalid/],
  ])('refuses %j with 400', async (json, detail) => {
    const before = await (await get(t.tokens.admin)).json();
    const res = await patch(json);
    expect(res.status).toBe(400);
    expect((await readProblem(res)).detail).toMatch(detail);
    expect(await (await get(t.tokens.admin)).json()).toEqual(before);
  });

  it('only an admin changes them', async () => {
    for (const role of ['leader', 'manager', 'display'] as const)
      expect((await patch({ min_n: 40 }, t.tokens[role])).status, role).toBe(403);
  });
});
