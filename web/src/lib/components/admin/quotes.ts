// The curation queue's data: filter tabs ↔ URL ↔ API query, fetching pages (a tab may span two
// statuses), and the words of a quote a curator can hide (ranges of the shown text: no curator
// but an admin reads the original, and the server maps the ranges onto it).
import {
  query,
  type CuratorQuote,
  type Fetch,
  type QuoteFilter,
  type QuoteList,
  type QuoteSegment,
  type QuoteStatus,
} from '$lib/api';
import { client, ok } from '$lib/client';

export type TabKey = 'new' | 'approved' | 'pinned' | 'praise' | 'closed' | 'all';

export interface Tab {
  key: TabKey;
  label: string;
  statuses: QuoteFilter[];
  praise?: boolean;
}

export const TABS: readonly Tab[] = [
  { key: 'new', label: 'New', statuses: ['new'] },
  { key: 'approved', label: 'Approved', statuses: ['approved'] },
  { key: 'pinned', label: 'Pinned', statuses: ['pinned'] },
  { key: 'praise', label: 'Praise', statuses: ['all'], praise: true },
  { key: 'closed', label: 'Rejected / retired', statuses: ['rejected', 'retired'] },
  { key: 'all', label: 'All', statuses: ['all'] },
];

export interface Filters {
  tab: TabKey;
  team: string;
  q: string;
  from: string;
  to: string;
}

export const PAGE_SIZE = 25;

export function readFilters(params: URLSearchParams): Filters {
  const tab = params.get('tab');
  return {
    tab: TABS.some((t) => t.key === tab) ? (tab as TabKey) : 'new',
    team: params.get('team') ?? '',
    q: params.get('q') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
  };
}

/** The page's own URL for a set of filters (the default tab is left out). */
export function filtersHref(f: Filters): string {
  return `/admin/quotes${query({ tab: f.tab === 'new' ? undefined : f.tab, team: f.team, q: f.q.trim(), from: f.from, to: f.to })}`;
}

/** GET /api/v1/quotes: one status's page (empty filters are left out of the query string). */
function list(
  fetchFn: Fetch,
  status: QuoteFilter,
  f: Filters,
  extra: { praise?: boolean; limit: number; offset: number },
): Promise<QuoteList> {
  const praise = extra.praise === undefined ? undefined : extra.praise ? 'true' : 'false';
  const { team, from, to } = f;
  const [limit, offset] = [String(extra.limit), String(extra.offset)];
  return ok(
    client(fetchFn).api.v1.quotes.$get({ query: { status, praise, team, q: f.q.trim(), from, to, limit, offset } }),
  );
}

/** One page of a tab; a tab of two statuses asks for both and merges them, newest first. */
export async function fetchQuotes(fetchFn: Fetch, f: Filters, offset = 0, limit = PAGE_SIZE): Promise<QuoteList> {
  const tab = TABS.find((t) => t.key === f.tab) ?? TABS[0]!;
  const lists = await Promise.all(tab.statuses.map((s) => list(fetchFn, s, f, { praise: tab.praise, limit, offset })));
  const first = lists[0]!;
  if (lists.length === 1) return first;
  const quotes = lists
    .flatMap((l) => l.quotes)
    .sort((a, b) => (a.responded_at < b.responded_at ? 1 : a.responded_at > b.responded_at ? -1 : 0));
  return { ...first, quotes, total: lists.reduce((n, l) => n + l.total, 0) };
}

/** How many praise quotes match the filters (the Praise tab's count). */
export async function fetchPraiseCount(fetchFn: Fetch, f: Filters): Promise<number> {
  const res = await list(fetchFn, 'all', f, { praise: true, limit: 1, offset: 0 });
  return res.total;
}

export type Counts = QuoteList['counts'];

export function tabCount(key: TabKey, counts: Counts | null, praise: number | null): number | null {
  if (!counts) return null;
  switch (key) {
    case 'new':
      return counts.new;
    case 'approved':
      return counts.approved;
    case 'pinned':
      return counts.pinned;
    case 'praise':
      return praise;
    case 'closed':
      return counts.rejected + counts.retired;
    case 'all':
      return counts.new + counts.approved + counts.rejected + counts.retired;
  }
}

export const STATUS_LABEL: Record<QuoteStatus, string> = {
  new: 'New',
  approved: 'Approved',
  rejected: 'Rejected',
  retired: 'Retired',
};

/** Whether a quote is pinned over (part of) a date range. */
export function isPinned(q: CuratorQuote): boolean {
  return !!q.pinned_from || !!q.pinned_to;
}

// ---------------------------------------------------------------------------------------------
// Hiding words
// ---------------------------------------------------------------------------------------------

export type Token =
  | { kind: 'word'; key: string; start: number; end: number; text: string }
  | { kind: 'gap'; text: string; space: boolean }
  | { kind: 'hidden'; key: string; start: number; end: number; text: string }
  | { kind: 'auto'; text: string; redacted: string };

const WORD_RE = /[\p{L}\p{N}](?:[\p{L}\p{N}'’.\-@_+]*[\p{L}\p{N}])?/gu;

/**
 * The quote as tokens: each word of plain text (with its offsets in the shown text), the text
 * between words, spans a curator hid (can be shown again) and automatic redactions (cannot).
 * Segments' offsets are into the shown text, so a word's offsets are `segment.start + i`.
 */
export function tokenize(segments: readonly QuoteSegment[]): Token[] {
  const out: Token[] = [];
  for (const seg of segments) {
    if (seg.redacted === 'hidden') {
      out.push({ kind: 'hidden', key: `${seg.start}-${seg.end}`, start: seg.start, end: seg.end, text: seg.text });
      continue;
    }
    if (seg.redacted) {
      out.push({ kind: 'auto', text: seg.text, redacted: seg.redacted });
      continue;
    }
    let at = 0;
    for (const m of seg.text.matchAll(WORD_RE)) {
      const i = m.index;
      if (i > at) out.push(gap(seg.text.slice(at, i)));
      const start = seg.start + i;
      out.push({ kind: 'word', key: `${start}-${start + m[0].length}`, start, end: start + m[0].length, text: m[0] });
      at = i + m[0].length;
    }
    if (at < seg.text.length) out.push(gap(seg.text.slice(at)));
  }
  return out;
}

function gap(text: string): Token {
  return { kind: 'gap', text, space: /^\s+$/.test(text) };
}

/**
 * The ranges of the shown text to keep hidden (the API's `hide.spans`): every "[hidden]" not
 * chosen to show again, plus the chosen words, where words separated only by spaces become one
 * range ("Jane Smith" → one "[hidden]").
 */
export function hideRanges(
  tokens: readonly Token[],
  chosen: ReadonlySet<string>,
  reveal: ReadonlySet<string>,
): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let run: [number, number] | null = null;
  for (const t of tokens) {
    if (t.kind === 'word' && chosen.has(t.key)) {
      if (run) run[1] = t.end;
      else run = [t.start, t.end];
      continue;
    }
    if (t.kind === 'gap' && t.space) continue;
    // anything but a space ends a run of chosen words
    if (run) ranges.push(run);
    run = null;
    if (t.kind === 'hidden' && !reveal.has(t.key)) ranges.push([t.start, t.end]);
  }
  if (run) ranges.push(run);
  return ranges;
}
