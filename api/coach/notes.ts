// The coaching log: a manager records a conversation (date, the pair in focus, a short note); each
// entry shows the 4 weeks before against the 4 weeks after for the pair's agent-level metrics,
// with intervals, whether the change is more than noise, and a plain sentence.
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { coachingNotes } from '../../db/schema';
import { audit } from '../admin-log/store';
import type { Principal } from '../auth/tokens';
import { runMetrics, type MetricValue } from '../metrics/engine';
import { addDays } from '../metrics/periods';
import { metric, PAIRS, type PairKey } from '../metrics/registry';
import { formatValue, sentenceLabel } from '../views/format';

export const WINDOW_DAYS = 28;
export const PAIR_KEYS = PAIRS.map((p) => p.key) as [PairKey, ...PairKey[]];

export interface NoteEffect {
  before: { from: string; to: string };
  after: { from: string; to: string };
  /** Whether the 4 weeks after are over. */
  complete: boolean;
  metrics: Array<{
    metric: string;
    label: string;
    before: MetricValue;
    after: MetricValue;
    significant: boolean | null;
  }>;
  sentence: string;
}

export interface CoachingNote {
  id: number;
  agent: string;
  held_on: string;
  pair: string;
  pair_label: string;
  note: string;
  author: string | null;
  /** Whether the asking principal may delete it (its author, or an admin). */
  can_delete: boolean;
  created_at: string;
  effect: NoteEffect;
}

type NoteRow = {
  id: number;
  agent: string;
  held_on: string;
  pair: string;
  note: string;
  author: string | null;
  author_token_id: number | null;
  created_at: string;
};

/** The pair's metrics an agent can be measured by (churn, CLV, referrals and retention are not per agent). */
export function pairMetrics(pair: string): string[] {
  const p = PAIRS.find((x) => x.key === pair);
  if (!p) return [];
  return [...p.operational, ...p.experiential].filter((k) =>
    (metric(k)!.dimensions as readonly string[]).includes('agent'),
  );
}

const noun = (k: string) =>
  k === 'csat' || k === 'nps' ? sentenceLabel(k) : sentenceLabel(k).replace(/^./, (c) => c.toUpperCase());

/** "CSAT 78% → 84%, a change larger than normal variation" or "no change distinguishable from noise yet (n = 21 after)". */
export function effectSentence(metrics: NoteEffect['metrics'], complete: boolean): string {
  const parts = metrics.map((m) => {
    const name = noun(m.metric);
    if (m.before.value === null || m.after.value === null) {
      return `${name}: not enough data ${m.after.n === 0 ? 'after the conversation yet' : 'before the conversation'} (n = ${m.before.n} before, ${m.after.n} after)`;
    }
    const change = `${name} ${formatValue(m.metric, m.before.value)} → ${formatValue(m.metric, m.after.value)}`;
    if (m.significant) return `${change}, a change larger than normal variation`;
    return `${change}: no change distinguishable from noise${complete ? '' : ' yet'} (n = ${m.after.n} after)`;
  });
  return parts.length ? `${parts.join('; ')}.` : 'This pair is measured for the organisation, not per agent.';
}

/** Before/after for one note. */
export async function noteEffect(
  database: Database,
  agentId: string,
  heldOn: string,
  pair: string,
  today: string,
): Promise<NoteEffect> {
  const after = { from: heldOn, to: addDays(heldOn, WINDOW_DAYS - 1) };
  const before = { from: addDays(heldOn, -WINDOW_DAYS), to: addDays(heldOn, -1) };
  const keys = pairMetrics(pair);
  const filters = { agent: [agentId] };
  const [a, b] = keys.length
    ? await Promise.all([
        runMetrics(database, { metrics: keys, ...after, grain: 'total', filters, compare: 'previous' }),
        runMetrics(database, { metrics: keys, ...before, grain: 'total', filters }),
      ])
    : [null, null];
  const metrics = keys.map((k) => {
    const av = a!.rows[0]?.values[k] ?? { value: null, n: 0 };
    const bv = b!.rows[0]?.values[k] ?? { value: null, n: 0 };
    const { previous: _p, change: _c, significant, ...afterValue } = av;
    return { metric: k, label: metric(k)!.label, before: bv, after: afterValue, significant: significant ?? null };
  });
  const complete = after.to < today;
  return { before, after, complete, metrics, sentence: effectSentence(metrics, complete) };
}

async function rows(database: Database, where: ReturnType<typeof sql>): Promise<NoteRow[]> {
  return database.rows<NoteRow>(sql`
    select n.id::float8 as id, a.external_id as agent, n.held_on::text as held_on, n.pair, n.note,
           t.label as author, n.author_token_id::float8 as author_token_id, n.created_at::text as created_at
    from coaching_notes n join agents a on a.id = n.agent_id left join access_tokens t on t.id = n.author_token_id
    where ${where} order by n.held_on desc, n.id desc`);
}

async function shape(database: Database, r: NoteRow, principal: Principal, today: string): Promise<CoachingNote> {
  return {
    id: Number(r.id),
    agent: r.agent,
    held_on: r.held_on,
    pair: r.pair,
    pair_label: PAIRS.find((p) => p.key === r.pair)?.label ?? r.pair,
    note: r.note,
    author: r.author,
    can_delete:
      principal.role === 'admin' || (r.author_token_id !== null && Number(r.author_token_id) === principal.tokenId),
    created_at: new Date(r.created_at).toISOString(),
    effect: await noteEffect(database, r.agent, r.held_on, r.pair, today),
  };
}

export async function listNotes(
  database: Database,
  agentPk: number,
  principal: Principal,
  today: string,
): Promise<CoachingNote[]> {
  const found = await rows(database, sql`n.agent_id = ${agentPk}`);
  return Promise.all(found.map((r) => shape(database, r, principal, today)));
}

export async function createNote(
  database: Database,
  agent: { pk: number; id: string },
  input: { held_on: string; pair: string; note: string },
  principal: Principal,
  today: string,
): Promise<CoachingNote> {
  const id = await database.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(coachingNotes)
      .values({
        agentId: agent.pk,
        heldOn: input.held_on,
        pair: input.pair,
        note: input.note,
        authorTokenId: principal.tokenId,
      })
      .returning({ id: coachingNotes.id });
    await audit(tx, principal, 'coaching_note.create', `coaching note ${row!.id}`, {
      agent: agent.id,
      held_on: input.held_on,
      pair: input.pair,
    });
    return row!.id;
  });
  const [r] = await rows(database, sql`n.id = ${id}`);
  return shape(database, r!, principal, today);
}

/** The note with its agent's team (for the permission check), or null. */
export async function findNote(
  database: Database,
  id: number,
): Promise<{ id: number; team_id: string; author_token_id: number | null; agent: string } | null> {
  const [row] = await database.rows<{ id: number; team_id: string; author_token_id: number | null; agent: string }>(sql`
    select n.id::float8 as id, t.external_id as team_id, n.author_token_id::float8 as author_token_id, a.external_id as agent
    from coaching_notes n join agents a on a.id = n.agent_id join teams t on t.id = a.team_id where n.id = ${id}`);
  return row
    ? { ...row, id: Number(row.id), author_token_id: row.author_token_id === null ? null : Number(row.author_token_id) }
    : null;
}

export async function deleteNote(database: Database, id: number, principal: Principal): Promise<void> {
  await database.db.transaction(async (tx) => {
    await tx.delete(coachingNotes).where(sql`id = ${id}`);
    await audit(tx, principal, 'coaching_note.delete', `coaching note ${id}`);
  });
}
