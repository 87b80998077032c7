// Redaction of personal data in customer comments shown as quotes (issue 5, "Quotes and praise";
// PRODUCT.md: "redaction of personal data in displayed quotes").
//
// Pure and dependency-free. Every detector yields candidate spans over the ORIGINAL text; the
// spans (plus a curator's hidden spans) are merged and each merged span is replaced by a visible
// marker such as "[email]". Offsets in the result always refer to the original text.
//
// Design rule: a false positive is as bad as a miss (the quote must still read well), so numbers
// are only redacted when their shape says "phone", "card" or "IBAN" — prices, dates, times,
// durations, order numbers of up to 8 digits, years, versions and postcodes stay.

export type RedactionKind = 'email' | 'phone' | 'card' | 'iban' | 'url' | 'name' | 'hidden';

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

interface Span {
  start: number;
  end: number;
  kind: RedactionKind;
}

// ---------------------------------------------------------------------------------------------
// Patterns (compiled once)
// ---------------------------------------------------------------------------------------------

const MARKER_RE = /\[(?:email|phone|card|iban|link|name|hidden)\]/g;

// Bounded like RFC 5321 (local part ≤ 64, label ≤ 63) so that no input makes a scan quadratic.
const LOCAL = String.raw`[\p{L}\p{N}._%+\-]{1,64}`;
const LABEL = String.raw`[\p{L}\p{N}\-]{1,63}`;
const AT_BRACKET = String.raw`\s*[(\[{<]\s*at\s*[)\]}>]\s*`;
const DOT_BRACKET = String.raw`\s*[(\[{<]\s*dot\s*[)\]}>]\s*`;
// A local part starts at the start of a run (a "." may precede it: "…co.uk.jane@…" after
// another address); a domain never ends right before a local-part character.
const NOT_BEFORE_LOCAL = String.raw`(?<![\p{L}\p{N}_%+\-])`;
const NOT_AFTER_DOMAIN = String.raw`(?![\p{L}\p{N}_%+\-@])`;

/** `jane.doe+x@mail.example.com`, `jane (at) example (dot) com`, `jane[at]example.com`. */
const EMAIL_RE = new RegExp(
  `${NOT_BEFORE_LOCAL}${LOCAL}(?:@|${AT_BRACKET})(?:${LABEL}(?:\\.|${DOT_BRACKET})){1,10}\\p{L}{2,63}${NOT_AFTER_DOMAIN}`,
  'giu',
);

/** Common top-level domains: the spelled-out form `jane at example dot com` needs one. */
const TLDS =
  'com|net|org|edu|gov|info|biz|io|co|me|us|uk|ie|de|fr|es|it|nl|be|ch|at|dk|se|no|fi|pl|pt|eu|ca|au|nz|in';

/** `jane at example dot com`, `jane dot doe at mail dot example dot co dot uk`. */
const WORD_EMAIL_RE = new RegExp(
  `${NOT_BEFORE_LOCAL}${LOCAL}(?:\\s+dot\\s+${LOCAL}){0,4}\\s+at\\s+(?:${LABEL}\\s+dot\\s+){1,6}(?:${TLDS})${NOT_AFTER_DOMAIN}`,
  'giu',
);

/** A URL candidate; only kept when it has a query string (checked in code). */
const URL_RE = new RegExp(
  String.raw`(?<![\p{L}\p{N}@._\-\/])(?:https?:\/\/|www\.|(?:[\p{L}\p{N}\-]+\.)+\p{L}{2,}(?=[\/?]))[^\s<>"'\x60]+`,
  'giu',
);
const URL_TRAILING_PUNCT = /[.,;:!?)\]}'"…]+$/u;

/** Two letters, two check digits, then 10–30 alphanumerics, compact or in groups of four. */
const IBAN_RE =
  /(?<![\p{L}\p{N}_])[A-Z]{2}\d{2}(?:[ \u00A0]?[A-Z0-9]{4}){2,7}(?:[ \u00A0]?[A-Z0-9]{1,3})?(?![\p{L}\p{N}_])/giu;

// A "number cluster": digit groups joined by single separators (space, dash, dot, slash), with
// optional leading "+" and parenthesised groups. Classified in code (phone, card or nothing).
// It never starts inside a number ("1,299") or after a letter — digits glued to letters are a
// code ("v2.3.1", "FY2024", a parcel number "1Z999AA10123456784") — except with "+" ("uk+44 …").
const SP = '[ \\u00A0\\u202F]';
// A dot or slash joins only when tight ("555.123.4567"), so a sentence end "… 1111. 12" never joins.
const SEP = `(?:${SP}?[\\-\\u2013]${SP}?|[.\\/]|${SP})`;
const ITEM = '(?:\\(\\d{1,5}\\)|\\d+)';
const CLUSTER_RE = new RegExp(
  `(?:(?<![_+])\\+${SP}?|(?<![\\p{L}\\p{N}_.,]))${ITEM}(?:${SEP}${ITEM}|(?<=\\))\\d+|\\(\\d{1,5}\\))*`,
  'gu',
);

// Cheap pre-checks so that most comments skip most detectors.
const HAS_DIGIT = /\d/;
const MAYBE_IBAN = /[A-Za-z]{2}\d{2}/;
const MAYBE_EMAIL = /@|[(\[{<]\s*at\s*[)\]}>]/i;
const MAYBE_WORD_AT = /\bat\s/i;
const MAYBE_WORD_DOT = /\sdot\s/i;

// ---------------------------------------------------------------------------------------------
// Number clusters: phones and cards
// ---------------------------------------------------------------------------------------------

interface Group {
  start: number; // absolute offset, including "(" for a parenthesised group
  end: number; // absolute offset, including ")"
  digits: string;
  paren: boolean;
  /** Separator text before this group, without surrounding spaces; ' ' when only space, '' when none. */
  sep: string;
}

function parseCluster(text: string, from: number, to: number): { plus: boolean; groups: Group[] } {
  const groups: Group[] = [];
  let plus = false;
  let sep = '';
  let sawSpace = false;
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      const s = i;
      while (i < to && isDigitCode(text.charCodeAt(i))) i++;
      groups.push({ start: s, end: i, digits: text.slice(s, i), paren: false, sep: sep || (sawSpace ? ' ' : '') });
      sep = '';
      sawSpace = false;
    } else if (c === 40 /* ( */) {
      const s = i;
      i++;
      const ds = i;
      while (i < to && isDigitCode(text.charCodeAt(i))) i++;
      const digits = text.slice(ds, i);
      i++; // ")"
      groups.push({ start: s, end: i, digits, paren: true, sep: sep || (sawSpace ? ' ' : '') });
      sep = '';
      sawSpace = false;
    } else if (c === 43 /* + */) {
      plus = true;
      i++;
    } else {
      if (c === 32 || c === 0xa0 || c === 0x202f) sawSpace = true;
      else sep += text[i];
      i++;
    }
  }
  return { plus, groups };
}

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** "1 234 567", "12.345.678": digit grouping of an amount, never a phone. */
function isThousandsStyle(gs: readonly Group[]): boolean {
  const first = gs[0];
  if (!first || gs.length < 2 || first.digits.length > 3 || first.paren) return false;
  const sep0 = gs[1]?.sep;
  if (sep0 !== ' ' && sep0 !== '.') return false;
  for (let k = 1; k < gs.length; k++) {
    const g = gs[k]!;
    if (g.paren || g.digits.length !== 3 || g.sep !== sep0) return false;
  }
  return true;
}

function classify(gs: readonly Group[], plus: boolean): 'phone' | 'card' | null {
  const n = gs.length;
  const first = gs[0];
  if (!first) return null;
  let d = 0;
  let anyParen = false;
  let allAtLeastTwo = true;
  let singlesAfterFirst = 0;
  for (let k = 0; k < n; k++) {
    const g = gs[k]!;
    const len = g.digits.length;
    d += len;
    if (g.paren) anyParen = true;
    if (len < 2) allAtLeastTwo = false;
    if (k > 0 && len === 1) singlesAfterFirst++;
  }

  if (plus) {
    // E.164: at most 15 digits; "+1 2 3 4 5 6 7 8" is not a phone.
    return d >= 8 && d <= 15 && n <= 7 && singlesAfterFirst <= 1 ? 'phone' : null;
  }

  // Cards: 13–19 digits, unbroken or in groups (first of four, then 3–6) with one separator.
  if (d >= 13 && d <= 19 && !anyParen) {
    if (n === 1) return 'card';
    if (first.digits.length === 4) {
      const s = gs[1]!.sep;
      let ok = s === ' ' || s === '-' || s === '.';
      for (let k = 1; ok && k < n; k++) {
        const g = gs[k]!;
        ok = g.sep === s && g.digits.length >= 3 && g.digits.length <= 6;
      }
      if (ok) return 'card';
    }
  }

  // International prefix written as 00: "0049 30 1234567".
  if (first.digits.startsWith('00') && !first.paren && d >= 10 && d <= 15 && singlesAfterFirst === 0) {
    return 'phone';
  }
  // An unbroken run of 10–12 digits: "07700900123", "5551234567".
  if (n === 1) return d >= 10 && d <= 12 && !anyParen ? 'phone' : null;
  // North American with a leading 1: "1 (555) 123-4567", "1-555-123-4567".
  if (
    n === 4 &&
    first.digits === '1' &&
    gs[1]!.digits.length === 3 &&
    gs[2]!.digits.length === 3 &&
    gs[3]!.digits.length === 4
  ) {
    return 'phone';
  }
  // National numbers: 10–11 digits in groups of at least two — "(555) 123-4567", "555.123.4567",
  // "07700 900123", "020 7946 0958", "01 23 45 67 89" — but not amounts like "12 345 678 901".
  if (d >= 10 && d <= 11 && allAtLeastTwo && n <= 5 && !isThousandsStyle(gs)) return 'phone';
  return null;
}

function detectNumbers(text: string, out: Span[]): void {
  CLUSTER_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = CLUSTER_RE.exec(text)) !== null) {
    const from = m.index;
    const to = from + m[0].length;
    if (m[0].length < 7) continue; // fewer than 7 characters: never 8+ digits
    const { plus, groups } = parseCluster(text, from, to);
    const n = groups.length;
    // Try the widest sub-sequence first; sub-sequences may only be cut at a whitespace separator
    // (so "2024-02-13" or "3.14159…" are never cut into pieces).
    let i = 0;
    while (i < n) {
      if (i > 0 && groups[i]!.sep !== ' ') {
        i++;
        continue;
      }
      let matched = -1;
      let kind: 'phone' | 'card' | null = null;
      // No rule accepts more than 7 groups, so a long run ("1 2 3 4 …") stays linear.
      for (let j = Math.min(n - 1, i + 6); j >= i; j--) {
        if (j < n - 1 && groups[j + 1]!.sep !== ' ') continue;
        kind = classify(groups.slice(i, j + 1), plus && i === 0);
        if (kind) {
          matched = j;
          break;
        }
      }
      if (kind && matched >= 0) {
        out.push({ start: i === 0 ? from : groups[i]!.start, end: groups[matched]!.end, kind });
        i = matched + 1;
      } else {
        i++;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Other detectors
// ---------------------------------------------------------------------------------------------

function detectEmails(text: string, out: Span[]): void {
  const res: RegExp[] = [];
  if (MAYBE_EMAIL.test(text)) res.push(EMAIL_RE);
  if (MAYBE_WORD_DOT.test(text) && MAYBE_WORD_AT.test(text)) res.push(WORD_EMAIL_RE);
  for (const re of res) {
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) out.push({ start: m.index, end: m.index + m[0].length, kind: 'email' });
  }
}

function detectUrls(text: string, out: Span[]): void {
  URL_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = URL_RE.exec(text)) !== null) {
    const url = m[0].replace(URL_TRAILING_PUNCT, '');
    const q = url.indexOf('?');
    if (q >= 0 && q < url.length - 1) out.push({ start: m.index, end: m.index + url.length, kind: 'url' });
  }
}

function detectIbans(text: string, out: Span[]): void {
  IBAN_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = IBAN_RE.exec(text)) !== null) {
    let s = m[0];
    // A trailing group without digits is a word ("… 3210 THAT"), not part of the IBAN.
    for (;;) {
      const cut = Math.max(s.lastIndexOf(' '), s.lastIndexOf('\u00A0'));
      if (cut < 0 || /\d/.test(s.slice(cut + 1))) break;
      s = s.slice(0, cut);
    }
    const compact = s.replace(/[ \u00A0]/g, '');
    const bban = compact.length - 4;
    let digits = 0;
    for (let k = 0; k < compact.length; k++) if (isDigitCode(compact.charCodeAt(k))) digits++;
    if (bban >= 10 && bban <= 30 && digits >= 8) out.push({ start: m.index, end: m.index + s.length, kind: 'iban' });
  }
}

// Name parts that are never redacted alone (particles, titles).
const NAME_STOPWORDS = new Set([
  'al', 'bin', 'da', 'das', 'de', 'del', 'della', 'den', 'der', 'di', 'do', 'dos', 'du', 'el', 'ibn', 'la', 'le',
  'st', 'ten', 'ter', 'van', 'von', 'mr', 'mrs', 'ms', 'mx', 'dr', 'miss', 'sir', 'prof', 'jr', 'sr',
]);

// Names that are also everyday words: alone, they are redacted only when capitalised, so
// "Will Price" does not turn "I will come back, the price was fair" into nonsense.
const COMMON_WORD_NAMES = new Set([
  'amber', 'april', 'art', 'august', 'baker', 'bell', 'best', 'bill', 'bird', 'black', 'brown', 'carter', 'cash',
  'chance', 'chase', 'cook', 'dawn', 'dean', 'drew', 'faith', 'ford', 'fox', 'frank', 'grace', 'green', 'guy',
  'hall', 'hill', 'holly', 'honey', 'hope', 'hunter', 'iris', 'ivy', 'jack', 'jay', 'joy', 'june', 'king', 'lane',
  'law', 'little', 'long', 'love', 'major', 'mark', 'mason', 'may', 'miles', 'moss', 'north', 'page', 'park',
  'pat', 'penny', 'pearl', 'price', 'rain', 'ray', 'rich', 'river', 'rob', 'rose', 'ruby', 'sandy', 'short',
  'sky', 'small', 'snow', 'star', 'stone', 'storm', 'strong', 'sue', 'summer', 'wade', 'ward', 'west', 'white',
  'will', 'wise', 'wood', 'young',
]);

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/['’]/g, "['’]");
}

const namePatternCache = new Map<string, RegExp | null>();

function namePattern(names: readonly string[]): RegExp | null {
  const key = names.join('\u0000');
  const cached = namePatternCache.get(key);
  if (cached !== undefined) return cached;
  const alts = new Map<string, string>(); // lower-case form -> pattern
  for (const raw of names) {
    if (typeof raw !== 'string') continue;
    const parts = raw.trim().split(/\s+/u).filter((p) => p.length > 0);
    if (parts.length === 0) continue;
    const full = parts.join(' ');
    if (full.length >= 2) alts.set(full.toLowerCase(), parts.map(escapeRegExp).join('\\s+'));
    if (parts.length > 1) {
      for (const p of parts) {
        const lower = p.toLowerCase();
        if (p.length >= 2 && !NAME_STOPWORDS.has(lower.replace(/\.$/, ''))) alts.set(lower, escapeRegExp(p));
      }
    }
  }
  let re: RegExp | null = null;
  if (alts.size > 0) {
    const ordered = [...alts.entries()].sort((a, b) => b[0].length - a[0].length).map((e) => e[1]);
    re = new RegExp(
      `(?<![\\p{L}\\p{M}]|\\p{L}-)(?:${ordered.join('|')})(?![\\p{L}\\p{M}]|-\\p{L})`,
      'giu',
    );
  }
  if (namePatternCache.size > 256) namePatternCache.clear();
  namePatternCache.set(key, re);
  return re;
}

function detectNames(text: string, names: readonly string[], out: Span[]): void {
  const re = namePattern(names);
  if (!re) return;
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const word = m[0];
    const c = word[0] ?? '';
    if (COMMON_WORD_NAMES.has(word.toLowerCase()) && c === c.toLowerCase() && c !== c.toUpperCase()) continue;
    out.push({ start: m.index, end: m.index + word.length, kind: 'name' });
  }
}

/** Spans of markers already in the text: nothing is detected inside them (idempotence). */
function markerSpans(text: string): Array<[number, number]> {
  if (!text.includes('[')) return [];
  const spans: Array<[number, number]> = [];
  MARKER_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = MARKER_RE.exec(text)) !== null) spans.push([m.index, m.index + m[0].length]);
  return spans;
}

function detectPersonalData(text: string, names: readonly string[] | undefined): Span[] {
  const found: Span[] = [];
  if (HAS_DIGIT.test(text)) {
    detectNumbers(text, found);
    if (MAYBE_IBAN.test(text)) detectIbans(text, found);
  }
  detectEmails(text, found);
  if (text.includes('?')) detectUrls(text, found);
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
