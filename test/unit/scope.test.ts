// Team scope: a manager is limited to its own teams, leaders and admins to none; a team id the
// manager does not hold is refused whether or not such a team exists.
import { describe, expect, it } from 'vitest';
import { maySeeTeam, scopeOf, teamScope, teamsOf } from '../../api/auth/scope';
import type { Principal } from '../../api/auth/tokens';
import { ApiError } from '../../api/errors';

const as = (role: Principal['role'], teams: string[] = []): Principal => ({ tokenId: 1, role, label: role, teams });
const manager = as('manager', ['t1', 't2']);

const refusal = (f: () => unknown): ApiError | null => {
  try {
    f();
    return null;
  } catch (err) {
    return err as ApiError;
  }
};

describe('team scope', () => {
  it('limits a manager to its teams', () => {
    expect(teamsOf(manager)).toEqual(['t1', 't2']);
    expect(scopeOf(manager)).toEqual({ teams: ['t1', 't2'] });
    expect(teamScope(manager)).toEqual(['t1', 't2']);
    expect(teamScope(manager, 't2')).toEqual(['t1', 't2']);
    expect(maySeeTeam(manager, 't1')).toBe(true);
  });

  it('refuses a manager another team, known or not, with 403', () => {
    for (const team of ['t3', 'no-such-team', '', 'T1']) {
      expect(maySeeTeam(manager, team)).toBe(false);
      const err = refusal(() => teamScope(manager, team));
      expect(err).toBeInstanceOf(ApiError);
      expect(err!.status).toBe(403);
      expect(err!.code).toBe('forbidden');
      expect(err!.message).toBe(`Team '${team}' is not one of your teams (t1, t2).`);
    }
  });

  it('leaves leaders and admins unrestricted, any team id included', () => {
    for (const role of ['leader', 'admin'] as const) {
      const p = as(role);
      expect(teamsOf(p)).toBeUndefined();
      expect(scopeOf(p)).toEqual({});
      expect(teamScope(p)).toBeUndefined();
      expect(teamScope(p, 'no-such-team')).toBeUndefined();
      expect(maySeeTeam(p, 'no-such-team')).toBe(true);
    }
  });

  it('ignores teams carried by a role that is not a manager', () => {
    expect(scopeOf(as('leader', ['t1']))).toEqual({});
  });

  it('gives a manager with no teams nothing', () => {
    const empty = as('manager');
    expect(scopeOf(empty)).toEqual({ teams: [] });
    expect(maySeeTeam(empty, 't1')).toBe(false);
    expect(refusal(() => teamScope(empty, 't1'))?.status).toBe(403);
  });
});
