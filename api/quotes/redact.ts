// Redaction of personal data in customer comments shown as quotes: no quote is shown anywhere
// without it.
//
// Pure and dependency-free. Every detector yields candidate spans over the ORIGINAL text; the
// spans (plus a curator's hidden spans) are merged and each merged span is replaced by a visible
// marker such as "[email]". Offsets in the result always refer to the original text.
//
// The pattern detectors (e-mails, phone and card numbers, IBANs, URLs) are in detect.ts, the
// customer's names in redact-names.ts; hidden spans and the merging and rendering of spans are here.

import { detectPatterns, markerSpans, type RedactionKind, type Span } from './detect';
import { detectNames } from './redact-names';

export type { RedactionKind };

export interface Redaction {
  kind: RedactionKind;
  /** Offsets into the original text, end exclusive. */
  start: number;
  end: number;
}

export interface RedactOptions {
  /** The customer's own name(s), e.g. ['Jane Doe']: the full name and each part are redacted. */
  names?: readonly string[];
  /** Character ranges [start, end) a curator chose to hide; clamped to the text. */
  hiddenSpans?: ReadonlyArray<readonly [start: number, end: number]>;
}

export interface RedactResult {
  text: string;
  /** Sorted, non-overlapping, offsets into the original text. */
  redactions: Redaction[];
}

/**
 * The version of what redact() hides and how it shows it. Stored shown texts (surveys.quote_text,
 * searched instead of the comment) are worked out again when it changes: bump it with any change
 * to the detectors, the names or the markers.
 */
export const REDACTION_REVISION = 1;

/** One fixed marker per kind, whatever the length of what it hides. */
export const REDACTION_MARKERS: Readonly<Record<RedactionKind, string>> = Object.freeze({
  email: '[email]',
  phone: '[phone]',
  card: '[card]',
  iban: '[iban]',
  url: '[link]',
  name: '[name]',
  hidden: '[hidden]',
});

/** Tie-break when two overlapping spans are equally wide (lower wins). */
const PRIORITY: Readonly<Record<RedactionKind, number>> = {
  hidden: 0,
  card: 1,
  iban: 2,
  phone: 3,
  email: 4,
  url: 5,
  name: 6,
};

function detectPersonalData(text: string, names: readonly string[] | undefined): Span[] {
  const found: Span[] = [];
  detectPatterns(text, found);
  if (names && names.length > 0) detectNames(text, names, found);
  if (found.length === 0) return found;
  const markers = markerSpans(text);
  if (markers.length === 0) return found;
  // Drop whatever overlaps a marker (markers are sorted and disjoint: one sweep).
  found.sort((a, b) => a.start - b.start);
  const kept: Span[] = [];
  let k = 0;
  for (const s of found) {
    while (k < markers.length && markers[k]![1] <= s.start) k++;
    const m = markers[k];
    if (!m || m[0] >= s.end) kept.push(s);
  }
  return kept;
}

function clampHidden(hidden: RedactOptions['hiddenSpans'], length: number, out: Span[]): void {
  if (!hidden) return;
  for (const span of hidden) {
    const [a, b] = span;
    if (!Number.isFinite(a) || !Number.isFinite(b) || b <= a) continue;
    const start = Math.max(0, Math.floor(a));
    const end = Math.min(length, Math.ceil(b));
    if (end > start) out.push({ start, end, kind: 'hidden' });
  }
}

/**
 * Merges overlapping spans (and touching spans of the same kind) into one; the kind of the
 * widest member wins, ties broken by PRIORITY.
 */
function mergeSpans(spans: Span[]): Redaction[] {
  spans.sort((a, b) => a.start - b.start || b.end - a.end || PRIORITY[a.kind] - PRIORITY[b.kind]);
  const merged: Redaction[] = [];
  let cur: Redaction | null = null;
  let widest = 0;
  for (const s of spans) {
    const len = s.end - s.start;
    if (cur && (s.start < cur.end || (s.start === cur.end && s.kind === cur.kind))) {
      if (s.end > cur.end) cur.end = s.end;
      if (len > widest || (len === widest && PRIORITY[s.kind] < PRIORITY[cur.kind])) {
        widest = len;
        cur.kind = s.kind;
      }
    } else {
      cur = { kind: s.kind, start: s.start, end: s.end };
      widest = len;
      merged.push(cur);
    }
  }
  return merged;
}

/** A stretch of unredacted text: where it is in the output and in the original. */
type Plain = readonly [outStart: number, origStart: number, length: number];

function render(text: string, redactions: readonly Redaction[]): { text: string; plain: Plain[] } {
  let out = '';
  let at = 0;
  const plain: Plain[] = [];
  for (const r of redactions) {
    plain.push([out.length, at, r.start - at]);
    out += text.slice(at, r.start) + REDACTION_MARKERS[r.kind];
    at = r.end;
  }
  plain.push([out.length, at, text.length - at]);
  return { text: out + text.slice(at), plain };
}

/** The last plain segment starting at or before `pos` (segments are sorted by output offset). */
function segmentAt(plain: readonly Plain[], pos: number): Plain | undefined {
  let lo = 0;
  let hi = plain.length - 1;
  let best: Plain | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const seg = plain[mid]!;
    if (seg[0] <= pos) {
      best = seg;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return best;
}

/**
 * Redacts e-mails, phones, card and IBAN numbers, URLs with a query, the customer's names and
 * hidden spans.
 *
 * Idempotent by construction: the output is checked again, and anything found in its plain text
 * (e.g. a number glued to an address, which only stands out once the address is a marker) is
 * mapped back to the original and added, until nothing more is found.
 */
export function redact(text: string, options: RedactOptions = {}): RedactResult {
  if (typeof text !== 'string' || text.length === 0) return { text: '', redactions: [] };
  const spans = detectPersonalData(text, options.names);
  clampHidden(options.hiddenSpans, text.length, spans);
  if (spans.length === 0) return { text, redactions: [] };
  let redactions = mergeSpans(spans);
  let rendered = render(text, redactions);
  for (let pass = 0; pass < 8; pass++) {
    let added = false;
    for (const s of detectPersonalData(rendered.text, options.names)) {
      // Detections never overlap a marker, so each lies within one plain segment.
      const seg = segmentAt(rendered.plain, s.start);
      if (!seg || s.end > seg[0] + seg[2]) continue;
      const shift = seg[1] - seg[0];
      spans.push({ kind: s.kind, start: s.start + shift, end: s.end + shift });
      added = true;
    }
    if (!added) break;
    redactions = mergeSpans(spans);
    rendered = render(text, redactions);
  }
  return { text: rendered.text, redactions };
}

/** True when `redact(text)` would change something (names and hidden spans not considered). */
export function containsPersonalData(text: string): boolean {
  if (typeof text !== 'string' || text.length === 0) return false;
  return detectPersonalData(text, undefined).length > 0;
}

/**
 * A stretch of the shown text: plain words or one marker, with its offsets [start, end) in the
 * shown text and [from, to) in the original.
 */
export interface Piece {
  start: number;
  end: number;
  from: number;
  to: number;
  kind: RedactionKind | null;
}

/** The shown text of `redact(original)` cut into plain stretches and markers, in order. */
export function pieces(original: string, redactions: readonly Redaction[]): Piece[] {
  const out: Piece[] = [];
  let at = 0;
  let shown = 0;
  const plain = (to: number) => {
    if (to > at) out.push({ start: shown, end: shown + (to - at), from: at, to, kind: null });
    shown += Math.max(0, to - at);
  };
  for (const r of redactions) {
    plain(r.start);
    const marker = REDACTION_MARKERS[r.kind];
    out.push({ start: shown, end: shown + marker.length, from: r.start, to: r.end, kind: r.kind });
    shown += marker.length;
    at = r.end;
  }
  plain(original.length);
  return out;
}

/**
 * The span of the original behind a range [start, end) of the shown text (0 <= start < end <=
 * shown length): a range that touches a marker takes all it hides.
 */
export function originalSpan(parts: readonly Piece[], start: number, end: number): [number, number] {
  let from = 0;
  let to = 0;
  for (const p of parts) {
    if (p.start <= start && start < p.end) from = p.kind === null ? p.from + (start - p.start) : p.from;
    if (p.start < end && end <= p.end) to = p.kind === null ? p.from + (end - p.start) : p.to;
  }
  return [from, to];
}
