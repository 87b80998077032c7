// Shapes candidate rows (store.ts) into the API's quote objects. The displayed text is always
// computed here, on read: the comment redacted with the customer's name and the curator's
// hidden spans. The raw comment and offsets into it leave only for the admin role (`original`,
// `hidden_spans`); segments are offsets into the shown text, so nothing tells how long a hidden
// stretch is.
import type { Role } from '../auth/tokens';
import { pieces, redact, type Piece, type RedactionKind } from './redact';
import type { CurationStatus, QuoteRow, Ref, Span } from './store';

/** A piece of a quote: offsets [start, end) into the shown text, its text, and what (if anything) it hides. */
export interface Segment {
  start: number;
  end: number;
  text: string;
  redacted: RedactionKind | null;
}

/** A quote as curators see it (`GET /api/v1/quotes`). */
export interface CuratorQuote {
  id: string;
  status: CurationStatus;
  needs_review: boolean;
  text: string;
  segments: Segment[];
  /** The spans [start, end) of the original comment a curator hid: admin tokens only. */
  hidden_spans?: Span[];
  /** The raw comment: admin tokens only. */
  original?: string;
  csat: number | null;
  nps: number | null;
  effort: number | null;
  responded_at: string;
  date: string;
  channel: string | null;
  team: Ref | null;
  agent: Ref | null;
  is_praise: boolean;
  credited_agent: Ref | null;
  /** The credit is a suggestion (the comment names the agent) that no curator confirmed yet. */
  credited_agent_suggested: boolean;
  praise_teams: Ref[];
  pinned_from: string | null;
  pinned_to: string | null;
  followed_up_on: string | null;
  curated_by: string | null;
  curated_at: string | null;
}

export interface FeaturedQuote {
  id?: string;
  text: string;
  csat: number | null;
  nps: number | null;
  date: string;
  channel: string | null;
  team: string | null;
  agent_first_name: string | null;
  is_praise: boolean;
}

export interface PraiseItem {
  id: string;
  text: string;
  date: string;
  channel: string | null;
  csat: number | null;
  nps: number | null;
  team: Ref | null;
  credited_agent: Ref | null;
  shared_with: Ref[];
  received_via: 'shared' | 'team' | 'agent';
}

export interface Shoutout {
  first_name: string;
  team: string | null;
  text: string;
  date: string;
}

/** The comment as it may be shown, its segments (offsets into that text) and its pieces (both offsets). */
export function displayed(row: Pick<QuoteRow, 'comment' | 'customer_name' | 'hidden_spans'>): {
  text: string;
  segments: Segment[];
  pieces: Piece[];
} {
  const { text, redactions } = redact(row.comment, {
    names: row.customer_name ? [row.customer_name] : [],
    hiddenSpans: row.hidden_spans,
  });
  const parts = pieces(row.comment, redactions);
  const segments = parts.map((p) => ({
    start: p.start,
    end: p.end,
    text: text.slice(p.start, p.end),
    redacted: p.kind,
  }));
  return { text, segments, pieces: parts };
}

export const firstName = (name: string | null): string | null => name?.trim().split(/\s+/u)[0] || null;

const ref = (id: string | null, name: string | null): Ref | null => (id === null ? null : { id, name: name ?? id });

export function curatorQuote(row: QuoteRow, role: Role): CuratorQuote {
  const { text, segments } = displayed(row);
  return {
    id: row.external_id,
    status: row.status,
    needs_review: row.needs_review,
    text,
    segments,
    ...(role === 'admin' ? { hidden_spans: row.hidden_spans, original: row.comment } : {}),
    csat: row.csat,
    nps: row.nps,
    effort: row.effort,
    responded_at: row.responded_at,
    date: row.date,
    channel: row.channel,
    team: ref(row.team_id, row.team_name),
    agent: ref(row.agent_id, row.agent_name),
    is_praise: row.is_praise,
    credited_agent: ref(row.credited_id, row.credited_name),
    credited_agent_suggested: row.credited_suggested,
    praise_teams: row.praise_teams,
    pinned_from: row.pinned_from,
    pinned_to: row.pinned_to,
    followed_up_on: row.followed_up_on,
    curated_by: row.curated_by,
    curated_at: row.curated_at,
  };
}

/** For every view, the wallboard included: redacted words, no customer data, no id for the display role. */
export function featuredQuote(row: QuoteRow, role: Role): FeaturedQuote {
  return {
    ...(role === 'display' ? {} : { id: row.external_id }),
    text: displayed(row).text,
    csat: row.csat,
    nps: row.nps,
    date: row.date,
    channel: row.channel,
    team: row.team_name,
    agent_first_name: firstName(row.credited_name),
    is_praise: row.is_praise,
  };
}

export function praiseItem(row: QuoteRow): PraiseItem {
  return {
    id: row.external_id,
    text: displayed(row).text,
    date: row.date,
    channel: row.channel,
    csat: row.csat,
    nps: row.nps,
    team: ref(row.team_id, row.team_name),
    credited_agent: ref(row.credited_id, row.credited_name),
    shared_with: row.praise_teams,
    received_via: row.received_via ?? 'team',
  };
}

export function shoutout(row: QuoteRow): Shoutout {
  return {
    first_name: firstName(row.credited_name) ?? '',
    team: row.credited_team_name,
    text: displayed(row).text,
    date: row.date,
  };
}

/** "2026-11-16 – 2026-11-22", or one day. */
export const rangeLabel = (from: string, to: string) => (from === to ? from : `${from} – ${to}`);

/** A plain sentence saying why no quote is featured. */
export function noQuoteReason(from: string, to: string, scope: string | null, automatic: boolean): string {
  const where = scope ? ` in ${scope}` : '';
  return automatic
    ? `No pinned or approved quote for ${rangeLabel(from, to)}${where}, and no consented comment to choose automatically.`
    : `No pinned or approved quote for ${rangeLabel(from, to)}${where}, and automatic selection is off.`;
}
