// The featured quote as every view asks for it (weekly review, TV, GET /quotes/featured): the
// teams in scope resolved from external ids, the setting for automatic selection, and the answer
// shaped for the asking role (no ids for a display), with a plain reason when there is none.
import type { Database } from '../../db/client';
import type { Role } from '../auth/tokens';
import { readSettings } from '../settings';
import { findTeam, findTeams } from '../directory/teams';
import { featuredQuote, recentApproved, shoutouts } from './store';
import { featuredQuote as featuredView, noQuoteReason, shoutout, type FeaturedQuote, type Shoutout } from './view';

export interface FeaturedAnswer {
  quote: FeaturedQuote | null;
  source: 'pinned' | 'approved' | 'automatic' | null;
  reason: string | null;
}

export interface QuoteScope {
  /** Internal ids of the teams in scope; null for every team. */
  teamPks: number[] | null;
  /** How the scope reads in a sentence ("Frontline One", "your teams"); null for every team. */
  label: string | null;
}

/**
 * The scope of `team` (an external id) or, without one, of a manager's teams (`scopeTeams`);
 * null when the team does not exist. Callers check permission first.
 */
export async function quoteScope(
  database: Database,
  team: string | undefined,
  scopeTeams: readonly string[] | undefined,
): Promise<QuoteScope | null> {
  if (team !== undefined) {
    const found = await findTeam(database.db, team);
    return found ? { teamPks: [found.pk], label: found.name } : null;
  }
  if (scopeTeams) {
    const found = [...(await findTeams(database.db, scopeTeams)).values()];
    return { teamPks: found.map((t) => t.pk), label: found.length === 1 ? found[0]!.name : 'your teams' };
  }
  return { teamPks: null, label: null };
}

export async function featuredFor(
  database: Database,
  range: { from: string; to: string; tz: string },
  scope: QuoteScope,
  role: Role,
): Promise<FeaturedAnswer> {
  const { auto_quote } = await readSettings(database.db);
  const found = await featuredQuote(database, { ...range, teamPks: scope.teamPks }, auto_quote);
  if (!found)
    return { quote: null, source: null, reason: noQuoteReason(range.from, range.to, scope.label, auto_quote) };
  return { quote: featuredView(found.row, role), source: found.source, reason: null };
}

export async function shoutoutsFor(
  database: Database,
  range: { from: string; to: string; tz: string },
  scope: QuoteScope,
  limit: number,
): Promise<Shoutout[]> {
  return (await shoutouts(database, { ...range, teamPks: scope.teamPks }, limit)).map(shoutout);
}

/** Approved quotes for a wall or a list, shaped for the role (a display gets no ids). */
export async function recentQuotesFor(
  database: Database,
  range: { from: string; to: string; tz: string },
  scope: QuoteScope,
  role: Role,
  limit: number,
): Promise<FeaturedQuote[]> {
  return (await recentApproved(database, { ...range, teamPks: scope.teamPks }, limit)).map((row) =>
    featuredView(row, role),
  );
}
