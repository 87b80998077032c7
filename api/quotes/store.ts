// Quotes and praise: the reads of quote curation (the queue, one quote), the featured quote, praise
// received and shout-outs. A quote candidate is a survey whose customer consented (may_quote)
// with a non-blank comment; a `quotes` row exists only once a curator acted on it. Comments are
// read raw here and redacted in view.ts, on the page being answered only. Whatever filters,
// orders or suggests by the words reads the stored shown text (SHOWN, search-text.ts),
// never the raw comment, except an admin's search. Curation writes: curate.ts.
import { sql, type SQL } from 'drizzle-orm';
import type { Database, Db } from '../../db/client';
import { fillQuoteTexts, SHOWN_SQL } from './search-text';

export const CURATION_STATUSES = ['new', 'approved', 'rejected', 'retired'] as const;
export type CurationStatus = (typeof CURATION_STATUSES)[number];
export const LIST_STATUSES = ['new', 'approved', 'pinned', 'rejected', 'retired', 'all'] as const;
export type ListStatus = (typeof LIST_STATUSES)[number];

export type Span = [number, number];
export interface Ref {
  id: string;
  name: string;
}

/** One candidate as read: the raw comment and the effective curation state. */
export interface QuoteRow {
  survey_pk: number;
  external_id: string;
  comment: string;
  customer_name: string | null;
  csat: number | null;
  nps: number | null;
  effort: number | null;
  responded_at: string;
  date: string;
  channel: string | null;
  team_pk: number | null;
  team_id: string | null;
  team_name: string | null;
  agent_id: string | null;
  agent_name: string | null;
  quote_pk: number | null;
  status: CurationStatus;
  needs_review: boolean;
  /** Effective hidden spans: none while a changed comment waits for review. */
  hidden_spans: Span[];
  is_praise: boolean;
  credited_pk: number | null;
  credited_id: string | null;
  credited_name: string | null;
  credited_team_pk: number | null;
  credited_team_name: string | null;
  credited_suggested: boolean;
  praise_teams: Ref[];
  pinned_from: string | null;
  pinned_to: string | null;
  followed_up_on: string | null;
  curated_by: string | null;
  curated_at: string | null;
  /** Set by praise queries: how the requested team received the praise. */
  received_via?: 'shared' | 'team' | 'agent';
}

// ---------------------------------------------------------------------------------------------
// Expressions over the candidate join (aliases: s surveys, i interactions, q quotes,
// ag the survey's effective agent, ca the stored credited agent, cr the effective credited
// agent (stored, else suggested; answered rows only), tm the effective team)
// ---------------------------------------------------------------------------------------------

/** Implies the predicate of surveys_quotable_idx, so range scans and newest-first walks use it. */
export const CANDIDATE = sql`s.may_quote and s.comment is not null and btrim(s.comment) <> ''`;
const TEAM = sql`coalesce(s.team_id, i.team_id)`;
const REVIEW = sql`(q.id is not null and q.comment_md5 is distinct from md5(s.comment))`;
const STATUS = sql`(case when q.id is null or ${REVIEW} then 'new' else q.status end)`;
const SUGGESTED_PRAISE = sql`coalesce(s.csat >= 4 or (s.csat is null and s.nps >= 9) or (s.csat is null and s.nps is null and s.effort <= 2), false)`;
const PRAISE = sql`(case when q.id is null then ${SUGGESTED_PRAISE} else q.is_praise end)`;
/** The shown text (stored; null while still to be worked out, which matches and suggests nothing). */
const SHOWN = sql.raw(SHOWN_SQL);

// The agent's first name as a whole word of the shown text (a name that is only in redacted words
// suggests nothing), case-insensitive: the name's regex specials escaped (the pattern and
// replacement are bound parameters so no backslash lives in SQL text).
const ESCAPE_SPECIALS = '([^[:alnum:][:space:]])';
const ESCAPE_WITH = '\\\\\\1';
const firstName = (alias: string) => sql.raw(`substring(btrim(${alias}.name) from '^[^[:space:]]+')`);
const NAMES_AGENT = sql`(ag.id is not null and ${SHOWN} ~* ('(^|[^[:alnum:]_])' || regexp_replace(${firstName('ag')}, ${ESCAPE_SPECIALS}, ${ESCAPE_WITH}, 'g') || '([^[:alnum:]_]|$)'))`;

/**
 * Filtering and ordering read only cheap columns: `ca` is the STORED credit (once a curator
 * acted, null means none). The suggested credit of an uncurated candidate (a regex per row) is
 * worked out for the answered rows only (`cs` in SELECT), and for team scope only where the
 * survey's own agent is in the team.
 */
const FROM = sql`
  from surveys s
  left join interactions i on i.id = s.interaction_id
  left join quotes q on q.survey_id = s.id
  left join agents ag on ag.id = coalesce(s.agent_id, i.agent_id)
  left join agents ca on ca.id = q.credited_agent_id`;

const iso = (col: string) => sql.raw(`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

/** Every column of a QuoteRow; `cr` is the effective credited agent (stored, else suggested). */
const columns = (tz: string) => sql`
  s.id::float8 as survey_pk, s.external_id, s.comment, s.customer_name, s.csat, s.nps, s.effort,
  ${iso('s.responded_at')} as responded_at,
  to_char(timezone(${tz}, s.responded_at), 'YYYY-MM-DD') as date,
  i.channel,
  tm.id::float8 as team_pk, tm.external_id as team_id, tm.name as team_name,
  ag.external_id as agent_id, ag.name as agent_name,
  q.id::float8 as quote_pk,
  ${STATUS} as status,
  ${REVIEW} as needs_review,
  case when q.id is null or ${REVIEW} then '[]' else q.hidden_spans::text end as hidden_spans,
  ${PRAISE} as is_praise,
  cr.id::float8 as credited_pk, cr.external_id as credited_id, cr.name as credited_name,
  cr.team_id::float8 as credited_team_pk,
  (select ct.name from teams ct where ct.id = cr.team_id) as credited_team_name,
  (q.id is null and cr.id is not null) as credited_suggested,
  coalesce((select json_agg(json_build_object('id', pt_t.external_id, 'name', pt_t.name) order by pt_t.name, pt_t.external_id)::text
            from quote_praise_teams pt join teams pt_t on pt_t.id = pt.team_id where pt.quote_id = q.id), '[]') as praise_teams,
  case when ${REVIEW} then null else q.pinned_from::text end as pinned_from,
  case when ${REVIEW} then null else q.pinned_to::text end as pinned_to,
  q.followed_up_on::text as followed_up_on,
  (select tok.label from access_tokens tok where tok.id = q.curated_by) as curated_by,
  ${iso('q.curated_at')} as curated_at`;

const SELECT = (tz: string) => sql`select ${columns(tz)} ${FROM}
  left join agents cr on cr.id = (case when q.id is not null then q.credited_agent_id when ${NAMES_AGENT} then ag.id end)
  left join teams tm on tm.id = ${TEAM}`;

function toRow(r: Record<string, unknown>): QuoteRow {
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    ...(r as unknown as QuoteRow),
    survey_pk: Number(r.survey_pk),
    csat: num(r.csat),
    nps: num(r.nps),
    effort: num(r.effort),
    team_pk: num(r.team_pk),
    quote_pk: num(r.quote_pk),
    credited_pk: num(r.credited_pk),
    credited_team_pk: num(r.credited_team_pk),
    needs_review: r.needs_review === true || r.needs_review === 't',
    is_praise: r.is_praise === true || r.is_praise === 't',
    credited_suggested: r.credited_suggested === true || r.credited_suggested === 't',
    hidden_spans: JSON.parse(String(r.hidden_spans ?? '[]')) as Span[],
    praise_teams: JSON.parse(String(r.praise_teams ?? '[]')) as Ref[],
  };
}

export const idList = (ids: readonly number[]) =>
  sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );

/**
 * In team scope: the quote's effective team, a team it was shared with, or its credited agent's
 * team (stored; for an uncurated candidate the suggestion, which can only be its own agent).
 */
function inScope(teamPks: readonly number[] | null): SQL {
  if (teamPks === null) return sql`true`;
  if (teamPks.length === 0) return sql`false`;
  const ids = idList(teamPks);
  return sql`(${TEAM} in (${ids})
    or (q.id is not null and (ca.team_id in (${ids}) or exists (select 1 from quote_praise_teams pt where pt.quote_id = q.id and pt.team_id in (${ids}))))
    or (q.id is null and ag.team_id in (${ids}) and ${NAMES_AGENT}))`;
}

/** The survey ids a filter picks, in order (cheap columns only), then their full rows in that order. */
async function pick(
  database: Database,
  tz: string,
  where: SQL,
  order: SQL,
  limit: number,
  offset = 0,
  on?: Db,
): Promise<QuoteRow[]> {
  const picked = await database.rows<{ id: number }>(
    sql`select s.id::float8 as id ${FROM} where ${where} order by ${order} limit ${limit} offset ${offset}`,
    on,
  );
  if (picked.length === 0) return [];
  const ids = picked.map((r) => Number(r.id));
  const rows = (await database.rows(sql`${SELECT(tz)} where s.id in (${idList(ids)})`, on)).map(toRow);
  const byId = new Map(rows.map((r) => [r.survey_pk, r]));
  return ids.map((id) => byId.get(id)).filter((r): r is QuoteRow => r !== undefined);
}

const NEWEST = sql`s.responded_at desc, s.id desc`;

/** Responded within [from, to], days in the organisation's time zone (a range over the index). */
function respondedWithin(tz: string, from?: string, to?: string): SQL {
  const parts: SQL[] = [];
  if (from) parts.push(sql`s.responded_at >= timezone(${tz}, ${from}::date::timestamp)`);
  if (to) parts.push(sql`s.responded_at < timezone(${tz}, (${to}::date + 1)::timestamp)`);
  return parts.length ? sql.join(parts, sql` and `) : sql`true`;
}

// ---------------------------------------------------------------------------------------------
// Look-ups
// ---------------------------------------------------------------------------------------------

export async function findAgent(database: Database, externalId: string, on?: Db): Promise<{ pk: number } | null> {
  const [row] = await database.rows<{ pk: number }>(
    sql`select id::float8 as pk from agents where external_id = ${externalId}`,
    on,
  );
  return row ? { pk: Number(row.pk) } : null;
}

/** One candidate by its survey's external id; null when there is none or it has no consent. */
export async function getQuote(database: Database, externalId: string, tz: string, on?: Db): Promise<QuoteRow | null> {
  // Within a transaction, the caller (curation) makes the one row's text current itself.
  if (!on) await fillQuoteTexts(database);
  const [row] = await database.rows(sql`${SELECT(tz)} where s.external_id = ${externalId} and ${CANDIDATE}`, on);
  return row ? toRow(row) : null;
}

// ---------------------------------------------------------------------------------------------
// The curation queue
// ---------------------------------------------------------------------------------------------

export interface ListFilter {
  status: ListStatus;
  praise?: boolean;
  /** Internal ids of the teams in scope; null for every team. */
  teamPks: number[] | null;
  from?: string;
  to?: string;
  q?: string;
  /** Search the raw comment as well as the shown text: only for a caller that reads the raw comment (admin). */
  qRaw?: boolean;
  limit: number;
  offset: number;
}

export interface ListResult {
  rows: QuoteRow[];
  total: number;
  counts: { new: number; approved: number; pinned: number; rejected: number; retired: number };
  follow_up: { praise_approved: number; followed_up: number; rate: number | null };
}

/** Effectively approved; the plain `q.status` test lets the planner start from the (few) quotes rows. */
const APPROVED = sql`q.status = 'approved' and ${STATUS} = 'approved'`;

const statusFilter = (status: ListStatus): SQL => {
  if (status === 'all') return sql`true`;
  if (status === 'new') return sql`${STATUS} = 'new'`;
  if (status === 'pinned') return sql`${APPROVED} and q.pinned_from is not null`;
  return sql`q.status = ${status} and ${STATUS} = ${status}`;
};

/** A page of the queue, newest first (LIMIT in SQL), with the counts under the same filters. */
export async function listQuotes(database: Database, f: ListFilter, tz: string): Promise<ListResult> {
  await fillQuoteTexts(database);
  // A text not yet worked out (null) matches nothing.
  const shownHas = sql`strpos(lower(${SHOWN}), lower(${f.q ?? ''})) > 0`;
  const where = sql.join(
    [
      CANDIDATE,
      respondedWithin(tz, f.from, f.to),
      inScope(f.teamPks),
      f.praise === undefined ? sql`true` : sql`${PRAISE} = ${f.praise}`,
      // An admin's search reads the raw comment, then only the shown texts that differ from it.
      !f.q
        ? sql`true`
        : f.qRaw
          ? sql`(strpos(lower(s.comment), lower(${f.q})) > 0 or strpos(lower(nullif(s.quote_text, '')), lower(${f.q})) > 0)`
          : shownHas,
    ],
    sql` and `,
  );
  const [page, [agg]] = await Promise.all([
    pick(database, tz, sql`${where} and ${statusFilter(f.status)}`, NEWEST, f.limit, f.offset),
    database.rows<Record<string, number>>(sql`
      select
        count(*) filter (where ${STATUS} = 'new')::int as new,
        count(*) filter (where ${STATUS} = 'approved')::int as approved,
        count(*) filter (where ${STATUS} = 'approved' and q.pinned_from is not null)::int as pinned,
        count(*) filter (where ${STATUS} = 'rejected')::int as rejected,
        count(*) filter (where ${STATUS} = 'retired')::int as retired,
        count(*) filter (where ${STATUS} = 'approved' and ${PRAISE})::int as praise_approved,
        count(*) filter (where ${STATUS} = 'approved' and ${PRAISE} and q.followed_up_on is not null)::int as followed_up
      ${FROM} where ${where}`),
  ]);
  const n = (k: string) => Number(agg?.[k] ?? 0);
  const counts = {
    new: n('new'),
    approved: n('approved'),
    pinned: n('pinned'),
    rejected: n('rejected'),
    retired: n('retired'),
  };
  const total = f.status === 'all' ? counts.new + counts.approved + counts.rejected + counts.retired : counts[f.status];
  const praiseApproved = n('praise_approved');
  const followedUp = n('followed_up');
  return {
    rows: page,
    total,
    counts,
    follow_up: {
      praise_approved: praiseApproved,
      followed_up: followedUp,
      rate: praiseApproved === 0 ? null : followedUp / praiseApproved,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Featured quote, praise received, shout-outs
// ---------------------------------------------------------------------------------------------

export interface RangeInScope {
  from: string;
  to: string;
  /** Internal ids of the teams in scope; null for every team. */
  teamPks: number[] | null;
  tz: string;
}

export type FeaturedSource = 'pinned' | 'approved' | 'automatic';

/** The quote a view features: pinned > newest approved > (when allowed) the best-rated new candidate. */
export async function featuredQuote(
  database: Database,
  r: RangeInScope,
  automatic: boolean,
): Promise<{ row: QuoteRow; source: FeaturedSource } | null> {
  await fillQuoteTexts(database);
  const scope = inScope(r.teamPks);
  const [pinned] = await pick(
    database,
    r.tz,
    sql`${CANDIDATE} and ${APPROVED} and q.pinned_from <= ${r.to}::date and q.pinned_to >= ${r.from}::date and ${scope}`,
    sql`q.pinned_from desc, ${NEWEST}`,
    1,
  );
  if (pinned) return { row: pinned, source: 'pinned' };
  const within = respondedWithin(r.tz, r.from, r.to);
  const [approved] = await pick(
    database,
    r.tz,
    sql`${CANDIDATE} and ${within} and ${APPROVED} and ${scope}`,
    NEWEST,
    1,
  );
  if (approved) return { row: approved, source: 'approved' };
  if (!automatic) return null;
  // Never a rejected or retired comment, nor one whose changed words wait for a curator.
  const [auto] = await pick(
    database,
    r.tz,
    sql`${CANDIDATE} and ${within} and ${STATUS} = 'new' and not ${REVIEW} and ${scope}`,
    sql`s.csat desc nulls last, s.nps desc nulls last, (char_length(${SHOWN}) between 20 and 400) desc, ${NEWEST}`,
    1,
  );
  return auto ? { row: auto, source: 'automatic' } : null;
}

// Approved quotes only from here on: curated rows, whose scope and credit never read the words.

/** Approved praise in scope responded within the range, newest first, with how the scope received it. */
export async function praiseReceived(database: Database, r: RangeInScope, limit: number): Promise<QuoteRow[]> {
  const rows = await pick(
    database,
    r.tz,
    sql`${CANDIDATE} and ${respondedWithin(r.tz, r.from, r.to)} and ${APPROVED} and ${PRAISE} and ${inScope(r.teamPks)}`,
    NEWEST,
    limit,
  );
  const scope = r.teamPks === null ? null : new Set(r.teamPks);
  return rows.map((row) => ({
    ...row,
    received_via:
      scope === null || (row.team_pk !== null && scope.has(row.team_pk))
        ? 'team'
        : row.credited_team_pk !== null && scope.has(row.credited_team_pk)
          ? 'agent'
          : 'shared',
  }));
}

/** Approved praise that credits an agent, in scope, responded within the range, newest first. */
export async function shoutouts(database: Database, r: RangeInScope, limit: number): Promise<QuoteRow[]> {
  // Approved quotes have a row: their credit is the stored one (ca).
  return pick(
    database,
    r.tz,
    sql`${CANDIDATE} and ${respondedWithin(r.tz, r.from, r.to)} and ${APPROVED} and ${PRAISE} and ca.id is not null and ${inScope(r.teamPks)}`,
    NEWEST,
    limit,
  );
}

/** Approved quotes in scope responded within the range, newest first (the TV's rotating voices). */
export async function recentApproved(database: Database, r: RangeInScope, limit: number): Promise<QuoteRow[]> {
  return pick(
    database,
    r.tz,
    sql`${CANDIDATE} and ${respondedWithin(r.tz, r.from, r.to)} and ${APPROVED} and ${inScope(r.teamPks)}`,
    NEWEST,
    limit,
  );
}

/** Approved praise credited to one agent (internal id), responded within the range, newest first. */
export async function praiseForAgent(
  database: Database,
  r: { from: string; to: string; tz: string },
  agentPk: number,
  limit: number,
): Promise<QuoteRow[]> {
  const rows = await pick(
    database,
    r.tz,
    sql`${CANDIDATE} and ${respondedWithin(r.tz, r.from, r.to)} and ${APPROVED} and ${PRAISE} and ca.id = ${agentPk}`,
    NEWEST,
    limit,
  );
  return rows.map((row) => ({ ...row, received_via: 'agent' as const }));
}
