// Curation writes: a curator's changes to one quote, checked against the rules and
// applied in one transaction with its audit entry. The quote's words are never edited: hiding
// words stores character spans of the original comment. A curator who does not read the original
// (a leader) hides words by ranges of the shown text (`hide`), mapped to the original here.
import { sql } from 'drizzle-orm';
import type { Database, Db } from '../../db/client';
import { audit } from '../admin-log/store';
import { findTeams } from '../directory/teams';
import type { Principal } from '../auth/tokens';
import { apiError } from '../errors';
import { originalSpan } from './redact';
import { fillBatch, fillQuoteTexts, storedText } from './search-text';
import { displayed } from './view';
import { CANDIDATE, findAgent, getQuote, idList, type CurationStatus, type QuoteRow, type Span } from './store';

export interface QuotePatch {
  status?: CurationStatus;
  pinned_from?: string | null;
  pinned_to?: string | null;
  /** Offsets into the original: only for a caller that reads it (admin). */
  hidden_spans?: Span[];
  /**
   * Every range of the shown text `text` (as the curator read it) to keep hidden: a range over a
   * "[hidden]" marker keeps it, one left out shows its words again.
   */
  hide?: { text: string; spans: Span[] };
  is_praise?: boolean;
  credited_agent?: string | null;
  praise_teams?: string[];
  followed_up_on?: string | null;
}

export const MAX_HIDDEN_SPANS = 50;

interface Problem {
  in: 'body';
  field: string;
  reason: string;
}

const invalid = (problems: Problem[]) =>
  apiError(
    'invalid-quote-update',
    `The quote cannot be updated: ${problems[0]!.field} ${problems[0]!.reason}${problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : ''}.`,
    { errors: problems },
  );

/** Sorted, overlapping or touching spans merged. */
function normaliseSpans(spans: readonly Span[]): Span[] {
  const sorted = [...spans].map(([s, e]) => [s, e] as Span).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else out.push(s);
  }
  return out;
}

const sameSpans = (a: readonly Span[], b: readonly Span[]) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Applies a curator's changes in one transaction: the rules are checked (422 naming each
 * problem), the quotes row upserted with the current comment's md5 and redacted text, the
 * praise teams replaced, and the change audited. Answers null for an unknown or unconsented id.
 */
export async function updateQuote(
  database: Database,
  externalId: string,
  patch: QuotePatch,
  actor: Principal,
  context: { tz: string; today: string },
): Promise<QuoteRow | null> {
  await fillQuoteTexts(database);
  return database.db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    // Serialise curators on this candidate (and an import rewriting its comment).
    const locked = await database.rows<{ id: number }>(
      sql`select s.id::float8 as id from surveys s where s.external_id = ${externalId} and ${CANDIDATE} for update`,
      tx,
    );
    if (locked.length === 0) return null;
    // Its shown text current (changed since the fill above?): the suggested credit reads it.
    await fillBatch(database, tx, Number(locked[0]!.id));
    const current = await getQuote(database, externalId, context.tz, tx);
    if (!current) return null;

    // The state the patch applies to: what curators see (a changed comment starts over as new,
    // unpinned, nothing hidden; its praise marks stay).
    const base = {
      status: current.status,
      pinned_from: current.pinned_from,
      pinned_to: current.pinned_to,
      hidden_spans: current.hidden_spans,
      is_praise: current.is_praise,
      credited_pk: current.credited_pk,
      credited_id: current.credited_id,
      praise_teams: current.praise_teams.map((t) => t.id),
      followed_up_on: current.followed_up_on,
    };
    const next = { ...base };
    const problems: Problem[] = [];
    const problem = (field: string, reason: string) => problems.push({ in: 'body', field, reason });

    if (patch.status !== undefined) next.status = patch.status;

    const pinGiven = patch.pinned_from !== undefined || patch.pinned_to !== undefined;
    if (pinGiven) {
      const from = patch.pinned_from ?? null;
      const to = patch.pinned_to ?? null;
      if (patch.pinned_from === undefined || patch.pinned_to === undefined || (from === null) !== (to === null)) {
        problem(
          patch.pinned_from === undefined || (from === null && to !== null) ? 'pinned_from' : 'pinned_to',
          'must be given with pinned_to/pinned_from: both dates to pin, both null to unpin',
        );
      } else if (from !== null && to !== null) {
        if (to < from) problem('pinned_to', `must not be before pinned_from (${to} < ${from})`);
        if (patch.status !== undefined && patch.status !== 'approved')
          problem('status', `cannot be ${patch.status} for a pinned quote: only an approved quote is pinned`);
        next.status = patch.status ?? 'approved';
        next.pinned_from = from;
        next.pinned_to = to;
      } else {
        next.pinned_from = null;
        next.pinned_to = null;
      }
    }
    // Only an approved quote carries a pin (rejecting, retiring or reopening clears it).
    if (next.status !== 'approved') {
      next.pinned_from = null;
      next.pinned_to = null;
    }

    if (patch.hidden_spans !== undefined) {
      const length = current.comment.length;
      if (patch.hidden_spans.length > MAX_HIDDEN_SPANS)
        problem('hidden_spans', `must list at most ${MAX_HIDDEN_SPANS} spans (${patch.hidden_spans.length} given)`);
      patch.hidden_spans.forEach(([start, end], k) => {
        if (!(start >= 0 && start < end && end <= length))
          problem(
            `hidden_spans.${k}`,
            `must be [start, end] with 0 <= start < end <= ${length} (the comment's length); got [${start}, ${end}]`,
          );
      });
      next.hidden_spans = normaliseSpans(patch.hidden_spans);
    }

    if (patch.hide !== undefined) {
      if (patch.hidden_spans !== undefined)
        problem('hide', 'cannot be given with hidden_spans: one list of what to hide');
      const shown = displayed(current);
      // Ranges of a text that has changed since would hide other words.
      if (patch.hide.text !== shown.text) {
        throw apiError(
          'quote-changed',
          'The quote changed since it was read (another curator, or new words imported): read it again and choose the words to hide again.',
        );
      }
      const { spans } = patch.hide;
      const length = shown.text.length;
      if (spans.length > MAX_HIDDEN_SPANS)
        problem('hide.spans', `must list at most ${MAX_HIDDEN_SPANS} ranges (${spans.length} given)`);
      spans.forEach(([start, end], k) => {
        if (!(start >= 0 && start < end && end <= length))
          problem(
            `hide.spans.${k}`,
            `must be [start, end] with 0 <= start < end <= ${length} (the shown text's length); got [${start}, ${end}]`,
          );
      });
      // What a curator hid under an automatic marker cannot be seen, so is not lost by leaving it out.
      const underAuto = current.hidden_spans.filter(([s, e]) =>
        shown.pieces.some((p) => p.kind !== null && p.kind !== 'hidden' && s < p.to && e > p.from),
      );
      const wanted = spans
        .filter(([start, end]) => start >= 0 && start < end && end <= length)
        .map(([start, end]) => originalSpan(shown.pieces, start, end));
      next.hidden_spans = normaliseSpans([...underAuto, ...wanted]);
    }

    if (patch.is_praise !== undefined) next.is_praise = patch.is_praise;

    if (patch.credited_agent !== undefined) {
      if (patch.credited_agent === null) {
        next.credited_pk = null;
        next.credited_id = null;
      } else {
        const agent = await findAgent(database, patch.credited_agent, tx);
        if (!agent) problem('credited_agent', `is not a known agent: '${patch.credited_agent}'`);
        else {
          next.credited_pk = agent.pk;
          next.credited_id = patch.credited_agent;
        }
      }
    }

    let praiseTeamPks: number[] | null = null;
    if (patch.praise_teams !== undefined) {
      const wanted = [...new Set(patch.praise_teams)];
      if (wanted.length > 0 && !next.is_praise) problem('praise_teams', 'can only be set on praise (is_praise true)');
      const found = await findTeams(tx, wanted);
      const unknown = wanted.filter((t) => !found.has(t));
      if (unknown.length > 0)
        problem('praise_teams', `names unknown team${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`);
      next.praise_teams = wanted;
      praiseTeamPks = wanted.map((t) => found.get(t)?.pk).filter((x): x is number => x !== undefined);
    }

    if (patch.followed_up_on !== undefined) {
      if (patch.followed_up_on !== null) {
        if (!next.is_praise) problem('followed_up_on', 'can only be set on praise (is_praise true)');
        if (patch.followed_up_on > context.today)
          problem('followed_up_on', `must not be after today (${context.today})`);
      }
      next.followed_up_on = patch.followed_up_on;
    }

    // Sharing and follow-up belong to praise only.
    if (!next.is_praise) {
      next.praise_teams = [];
      praiseTeamPks = [];
      next.followed_up_on = null;
    }
    if (problems.length > 0) throw invalid(problems);

    const changed: Record<string, unknown> = {};
    if (next.status !== base.status || current.needs_review) changed.status = next.status;
    if (next.pinned_from !== base.pinned_from || next.pinned_to !== base.pinned_to) {
      changed.pinned_from = next.pinned_from;
      changed.pinned_to = next.pinned_to;
    }
    if (!sameSpans(next.hidden_spans, base.hidden_spans)) changed.hidden_spans = next.hidden_spans;
    if (next.is_praise !== base.is_praise || current.quote_pk === null) changed.is_praise = next.is_praise;
    if (next.credited_pk !== base.credited_pk) changed.credited_agent = next.credited_id;
    if ([...next.praise_teams].sort().join('\u0000') !== [...base.praise_teams].sort().join('\u0000'))
      changed.praise_teams = next.praise_teams;
    if (next.followed_up_on !== base.followed_up_on) changed.followed_up_on = next.followed_up_on;
    if (current.needs_review) changed.reviewed_changed_comment = true;

    // The shown text as from now on (a curated comment's hidden spans count): searched, stored twice.
    const redactedText = displayed({ ...current, hidden_spans: next.hidden_spans }).text;
    const [saved] = await database.rows<{ id: number }>(
      sql`
      insert into quotes (survey_id, status, redacted_text, comment_md5, hidden_spans, is_praise, credited_agent_id,
                          pinned_from, pinned_to, followed_up_on, curated_by, curated_at)
      values (${current.survey_pk}, ${next.status}, ${redactedText}, md5(${current.comment}::text), ${JSON.stringify(next.hidden_spans)}::jsonb,
              ${next.is_praise}, ${next.credited_pk}, ${next.pinned_from}::date, ${next.pinned_to}::date, ${next.followed_up_on}::date,
              ${actor.tokenId}, now())
      on conflict (survey_id) do update set
        status = excluded.status, redacted_text = excluded.redacted_text, comment_md5 = excluded.comment_md5,
        hidden_spans = excluded.hidden_spans, is_praise = excluded.is_praise, credited_agent_id = excluded.credited_agent_id,
        pinned_from = excluded.pinned_from, pinned_to = excluded.pinned_to, followed_up_on = excluded.followed_up_on,
        curated_by = excluded.curated_by, curated_at = excluded.curated_at
      returning id::float8 as id`,
      tx,
    );
    const quotePk = Number(saved!.id);
    await database.rows(
      sql`update surveys set quote_text = ${storedText(current.comment, redactedText)} where id = ${current.survey_pk}`,
      tx,
    );
    if (praiseTeamPks !== null) {
      if (praiseTeamPks.length === 0) {
        await database.rows(sql`delete from quote_praise_teams where quote_id = ${quotePk}`, tx);
      } else {
        await database.rows(
          sql`delete from quote_praise_teams where quote_id = ${quotePk} and team_id not in (${idList(praiseTeamPks)})`,
          tx,
        );
        await database.rows(
          sql`insert into quote_praise_teams (quote_id, team_id) values ${sql.join(
            praiseTeamPks.map((t) => sql`(${quotePk}, ${t})`),
            sql`, `,
          )} on conflict do nothing`,
          tx,
        );
      }
    }
    await audit(tx, actor, 'quote.update', `quote ${externalId}`, changed);
    return getQuote(database, externalId, context.tz, tx);
  });
}
