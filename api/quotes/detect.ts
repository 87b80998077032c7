// The pattern detectors of quote redaction (redact.ts): e-mails, phone and card numbers, IBANs,
// URLs with a query string, and the markers of an already redacted text. Each detector pushes
// candidate spans over the text it is given; redact.ts merges them.
//
// Design rule: a false positive is as bad as a miss (the quote must still read well), so numbers
// are only redacted when their shape says "phone", "card" or "IBAN" — prices, dates, times,
// durations, order numbers of up to 8 digits, years, versions and postcodes stay.

/** What a redaction hid; each kind has its visible marker (redact.ts REDACTION_MARKERS). */
export type RedactionKind = 'email' | 'phone' | 'card' | 'iban' | 'url' | 'name' | 'hidden';

export interface Span {
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
const TLDS = 'com|net|org|edu|gov|info|biz|io|co|me|us|uk|ie|de|fr|es|it|nl|be|ch|at|dk|se|no|fi|pl|pt|eu|ca|au|nz|in';

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
const MAYBE_EMAIL = /@|[([{<]\s*at\s*[)\]}>]/i;
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

/** Runs the pattern detectors (numbers, IBANs, e-mails, URLs), each only when a cheap check allows. */
export function detectPatterns(text: string, out: Span[]): void {
  if (HAS_DIGIT.test(text)) {
    detectNumbers(text, out);
    if (MAYBE_IBAN.test(text)) detectIbans(text, out);
  }
  detectEmails(text, out);
  if (text.includes('?')) detectUrls(text, out);
}

/** Spans of markers already in the text: nothing is detected inside them (idempotence). */
export function markerSpans(text: string): Array<[number, number]> {
  if (!text.includes('[')) return [];
  const spans: Array<[number, number]> = [];
  MARKER_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = MARKER_RE.exec(text)) !== null) spans.push([m.index, m.index + m[0].length]);
  return spans;
}
