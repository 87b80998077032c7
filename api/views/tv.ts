// The wallboard's snapshot: today's pairs so far against target with yesterday beside
// them, this week's five pairs with a 13-week sparkline each, the featured quote and recent
// approved quotes, shout-outs, and the CX statement. It is what GET /api/v1/live pushes and
// GET /api/v1/views/tv answers, computed once per team scope and change (api/live/hub.ts).
// The floor's queues change every few seconds, the rest only with the data or a curator's change:
// that rest is cached by the views' version, so a queue notice costs two small reads.
//
// Privacy: no customer ids, names or raw comments; quotes are redacted and consented; agents
// appear only as the first name of a shout-out. Every number comes from the metrics engine.
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { findTeam } from '../directory/teams';
import type { MetricValue, Scope } from '../metrics/engine';
import { addDays, isoWeek, weekStart } from '../metrics/periods';
import { PAIRS } from '../metrics/registry';
import { featuredFor, quoteScope, recentQuotesFor, shoutoutsFor, type FeaturedAnswer } from '../quotes/service';
import type { FeaturedQuote, Shoutout } from '../quotes/view';
import { readSettings } from '../settings';
import { queueNow, type QueueNow } from '../queue/now';
import { ViewCache, viewsVersion } from './cache';
import { orEmpty, ViewQueries } from './queries';

/** The day's pairs: waiting and resolution against CSAT, abandonment and contacts beside them. */
export const TODAY_METRICS = ['wait_avg', 'csat', 'resolution_rate', 'abandon_rate', 'contacts'] as const;
const WEEK_METRICS = [...new Set(PAIRS.flatMap((p) => [...p.operational, ...p.experiential]))];
const SPARK_WEEKS = 13;

export interface TvCell {
  metric: string;
  value: number | null;
  n: number;
  low: number | null;
  high: number | null;
  target: number | null;
  met: boolean | null;
}

export interface TvSnapshot {
  /** When this snapshot was computed (ISO). */
  generated_at: string;
  /** When data last arrived (the newest committed import), ISO; null before any. */
  data_as_of: string | null;
  today: string;
  /** The organisation's time zone: `today` is its date, and the wallboard's clock shows its time. */
  time_zone: string;
  team: { id: string; name: string } | null;
  /** The channel the board shows (a phone floor: phone), or null for every channel. */
  channel: string | null;
  statement: string | null;
  today_pairs: {
    date: string;
    yesterday: string;
    values: Record<(typeof TODAY_METRICS)[number], TvCell & { yesterday: { value: number | null; n: number } }>;
  };
  week: {
    label: string;
    from: string;
    to: string;
    pairs: Array<{
      key: string;
      label: string;
      question: string;
      operational: Array<TvCell & { spark: Array<number | null>; scope: string }>;
      experiential: Array<TvCell & { spark: Array<number | null>; scope: string }>;
    }>;
  };
  quotes: { featured: FeaturedAnswer; recent: FeaturedQuote[] };
  shoutouts: Shoutout[];
  /** The floor right now (queue snapshots in scope); null when no queue of the scope ever reported. */
  queue: QueueNow | null;
}

type TvBody = Omit<TvSnapshot, 'generated_at' | 'queue'>;
interface TvRequest {
  team?: string;
  channel?: string;
  today: string;
  timeZone: string;
  /** The clock (epoch ms) for the queue's staleness; now by default. */
  now?: number;
}

const bodies = new WeakMap<Database, ViewCache<TvBody>>();

export class UnknownTeamError extends Error {}

const cellOf = (metric: string, v: MetricValue): TvCell => ({
  metric,
  value: v.value,
  n: v.n,
  low: v.low ?? null,
  high: v.high ?? null,
  target: v.target ?? null,
  met: v.met ?? null,
});

/** The wallboard snapshot for one team (external id) or the whole organisation, as a display sees it. */
export async function tvSnapshot(database: Database, req: TvRequest, scope: Scope = {}): Promise<TvSnapshot> {
  const where = await quoteScope(database, req.team, scope.teams);
  if (!where) throw new UnknownTeamError(`There is no team '${req.team}'.`);
  let cache = bodies.get(database);
  if (!cache) bodies.set(database, (cache = new ViewCache<TvBody>(32)));
  const key = JSON.stringify([req.team ?? null, req.channel ?? null, req.today, req.timeZone, scope.teams ?? null]);
  const [body, queue] = await Promise.all([
    viewsVersion(database).then((version) => cache.get(key, version, () => tvBody(database, req, scope, where))),
    queueNow(database, { teamPks: where.teamPks, channel: req.channel }, req.now ?? Date.now()),
  ]);
  return { generated_at: new Date().toISOString(), ...body, queue };
}

/** Everything but the queue: it changes only with the data and curation. */
async function tvBody(
  database: Database,
  req: TvRequest,
  scope: Scope,
  where: NonNullable<Awaited<ReturnType<typeof quoteScope>>>,
): Promise<TvBody> {
  const filters: { team?: string[]; channel?: string[] } = {};
  if (req.team) filters.team = [req.team];
  if (req.channel) filters.channel = [req.channel];
  const q = new ViewQueries(database, scope);
  const today = req.today;
  const yesterday = addDays(today, -1);
  const monday = weekStart(today);
  const sparkFrom = addDays(monday, -7 * (SPARK_WEEKS - 1));
  const lastWeek = { from: addDays(today, -6), to: today, tz: req.timeZone };
  const thisWeek = { from: monday, to: today, tz: req.timeZone };

  const [days, weeks, settings, featured, recent, shouts, asOf, team] = await Promise.all([
    q.supported({ metrics: [...TODAY_METRICS], from: yesterday, to: today, grain: 'day', compare: 'target' }, filters),
    q.supported(
      { metrics: WEEK_METRICS, from: sparkFrom, to: addDays(monday, 6), grain: 'week', compare: 'target' },
      filters,
    ),
    readSettings(database.db),
    featuredFor(database, thisWeek, where, 'display'),
    recentQuotesFor(database, { from: addDays(today, -29), to: today, tz: req.timeZone }, where, 'display', 8),
    shoutoutsFor(database, lastWeek, where, 12),
    database.rows<{ at: string | null }>(sql`select max(finished_at) as at from import_runs where status = 'imported'`),
    req.team ? findTeam(database.db, req.team) : Promise.resolve(null),
  ]);

  const [yRow, tRow] = days.rows;
  const todayValues = Object.fromEntries(
    TODAY_METRICS.map((k) => {
      const y = orEmpty(yRow?.values[k]);
      return [k, { ...cellOf(k, orEmpty(tRow?.values[k])), yesterday: { value: y.value, n: y.n } }];
    }),
  ) as TvSnapshot['today_pairs']['values'];

  const current = weeks.rows.at(-1);
  const weekCell = (k: string) => ({
    ...cellOf(k, orEmpty(current?.values[k])),
    scope: weeks.scopeOf.get(k) ?? 'filtered',
    spark: weeks.rows.map((r) => r.values[k]?.value ?? null),
  });
  const at = asOf[0]?.at;
  return {
    data_as_of: at ? new Date(at).toISOString() : null,
    today,
    time_zone: req.timeZone,
    team: team ? { id: team.id, name: team.name } : null,
    channel: req.channel ?? null,
    statement: settings.cx_statement,
    today_pairs: { date: today, yesterday, values: todayValues },
    week: {
      label: isoWeek(monday),
      from: monday,
      to: addDays(monday, 6),
      pairs: PAIRS.map((p) => ({
        key: p.key,
        label: p.label,
        question: p.question,
        operational: p.operational.map(weekCell),
        experiential: p.experiential.map(weekCell),
      })),
    },
    quotes: { featured, recent },
    shoutouts: shouts,
  };
}
