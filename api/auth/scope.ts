// The one rule of team scope: a manager sees only its own teams (the external ids on its token);
// every other role that reads data sees every team. Routes ask here rather than re-deriving it.
import { forbidden } from '../errors';
import type { Principal } from './tokens';

type Scoped = Pick<Principal, 'role' | 'teams'>;

/** The teams a principal is limited to: a manager's own; undefined for every team. */
export function teamsOf(principal: Scoped): string[] | undefined {
  return principal.role === 'manager' ? principal.teams : undefined;
}

/** The limit as the metrics and view computations take it: `{ teams }` for a manager, `{}` otherwise. */
export function scopeOf(principal: Scoped): { teams?: string[] } {
  const teams = teamsOf(principal);
  return teams ? { teams } : {};
}

/** Whether the principal may see a team (its external id); says nothing of whether the team exists. */
export function maySeeTeam(principal: Scoped, team: string): boolean {
  const teams = teamsOf(principal);
  return !teams || teams.includes(team);
}

/**
 * The principal's limit, once `team` (when one is asked for) is checked against it: a manager
 * asking for a team not its own is answered 403. Whether the team exists is the caller's to ask.
 */
export function teamScope(principal: Scoped, team?: string): string[] | undefined {
  const teams = teamsOf(principal);
  if (teams && team !== undefined && !teams.includes(team))
    throw forbidden(`Team '${team}' is not one of your teams (${teams.join(', ')}).`);
  return teams;
}
