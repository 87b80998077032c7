// The shown text of every quote candidate, stored in surveys.quote_text, so that search, credit
// suggestions and the automatic choice read only what may be seen without redacting every
// comment on every request. Most comments show as they are: those store '' (storedText), so the
// table does not carry their words twice. Worked out here for candidates that have none: new
// comments, ones whose words or customer name changed (a trigger clears the text then, migration
// 0004), and all of them once REDACTION_REVISION changes. Curation (curate.ts) writes its own.
import { sql } from 'drizzle-orm';
import type { Database, Db } from '../../db/client';
import { REDACTION_REVISION } from './redact';
import type { Span } from './store';
import { displayed } from './view';

const BATCH = 2000;
/** Texts written in one fill past which PGlite's surveys table is vacuumed. */
const VACUUM_AFTER = 5000;
/** A bookkeeping key in `settings` (never exposed): the revision the stored texts were made with. */
const REVISION_KEY = 'quote_text_revision';

interface Todo extends Record<string, unknown> {
  id: number;
  comment: string;
  comment_md5: string;
  customer_name: string | null;
  hidden_spans: string;
}

/**
 * Works out up to BATCH missing texts of surveys after id `after` (or the one of survey `only`);
 * each is written only if the comment, the name and the missing text are still as read (a
 * re-import or a curator's own write in between wins). Answers how many were read and written,
 * and the last id read.
 */
export async function fillBatch(
  database: Database,
  on?: Db,
  only?: number,
  after = 0,
): Promise<{ read: number; written: number; last: number }> {
  // Hidden spans count as in store.ts: none while a changed comment waits for a curator.
  const rows = await database.rows<Todo>(
    // The ids first (in order from the partial index, stopping at BATCH), then their rows.
    sql`with todo as (
          select id from surveys
          where may_quote and comment is not null and quote_text is null and id > ${after} ${only === undefined ? sql`` : sql`and id = ${only}`}
          order by id limit ${BATCH}
        )
        select s.id::float8 as id, s.comment, md5(s.comment) as comment_md5, s.customer_name,
          case when q.id is null or q.comment_md5 is distinct from md5(s.comment) then '[]' else q.hidden_spans::text end as hidden_spans
        from todo join surveys s on s.id = todo.id left join quotes q on q.survey_id = s.id
        order by s.id`,
    on,
  );
  if (rows.length === 0) return { read: 0, written: 0, last: after };
  const values = rows.map((r) => ({
    id: Number(r.id),
    md5: r.comment_md5,
    name: r.customer_name,
    text: storedText(
      r.comment,
      displayed({
        comment: r.comment,
        customer_name: r.customer_name,
        hidden_spans: JSON.parse(r.hidden_spans) as Span[],
      }).text,
    ),
  }));
  const written = await database.rows(
    sql`update surveys s set quote_text = v.text
        from json_to_recordset(${JSON.stringify(values)}::json) as v(id bigint, md5 text, name text, text text)
        where s.id = v.id and s.quote_text is null and md5(s.comment) = v.md5 and s.customer_name is not distinct from v.name
        returning s.id`,
    on,
  );
  return { read: rows.length, written: written.length, last: Number(rows[rows.length - 1]!.id) };
}

/** Clears every stored text once the redaction changed (checked once per process and database). */
async function checkRevision(database: Database): Promise<void> {
  const [row] = await database.rows<{ value: unknown }>(sql`select value from settings where key = ${REVISION_KEY}`);
  if (row && Number(row.value) === REDACTION_REVISION) return;
  await database.db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    await database.rows(sql`update surveys set quote_text = null where quote_text is not null`, tx);
    await database.rows(
      sql`insert into settings (key, value) values (${REVISION_KEY}, ${JSON.stringify(REDACTION_REVISION)}::jsonb)
          on conflict (key) do update set value = excluded.value, updated_at = now()`,
      tx,
    );
  });
}

/** What surveys.quote_text holds for a shown text: '' when it is the comment itself. */
export const storedText = (comment: string, shown: string): string => (shown === comment ? '' : shown);

/** The shown text in SQL from a stored one (null while it is still to be worked out). */
export const SHOWN_SQL = "(case when s.quote_text = '' then s.comment else s.quote_text end)";

const revisionChecked = new WeakMap<Database, Promise<void>>();
const running = new WeakMap<Database, Promise<void>>();

async function fillAll(database: Database): Promise<void> {
  let checked = revisionChecked.get(database);
  if (!checked) {
    checked = checkRevision(database);
    revisionChecked.set(database, checked);
    checked.catch(() => revisionChecked.delete(database));
  }
  await checked;
  // Onwards by id: the index entries of texts just written stay behind until a vacuum, and
  // starting each batch from the beginning would step over all of them again.
  let after = 0;
  let written = 0;
  for (;;) {
    const batch = await fillBatch(database, undefined, undefined, after);
    written += batch.written;
    if (batch.read < BATCH) break;
    after = batch.last;
  }
  // PGlite has no autovacuum: the rows' old versions would stay in every scan of the table
  // (about 20% slower search over 50,000 comments); a vacuum takes ~0.15 s there.
  if (database.kind === 'pglite' && written >= VACUUM_AFTER) await database.rows(sql`vacuum surveys`);
}

/**
 * Makes every candidate's stored text current; readers call it first. When nothing is missing it
 * is one look-up in a partial index. Calls in one process run one after the other, so a burst of
 * reads after an import redacts each new comment once.
 */
export function fillQuoteTexts(database: Database): Promise<void> {
  const next = (running.get(database) ?? Promise.resolve()).catch(() => undefined).then(() => fillAll(database));
  running.set(database, next);
  return next;
}
