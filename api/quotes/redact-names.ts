// The customer's own names in a comment: each full name and each part of it (particles and titles
// never alone, everyday words only when capitalised), as redaction spans.
import type { Span } from './detect';

// Name parts that are never redacted alone (particles, titles).
const NAME_STOPWORDS = new Set([
  'al',
  'bin',
  'da',
  'das',
  'de',
  'del',
  'della',
  'den',
  'der',
  'di',
  'do',
  'dos',
  'du',
  'el',
  'ibn',
  'la',
  'le',
  'st',
  'ten',
  'ter',
  'van',
  'von',
  'mr',
  'mrs',
  'ms',
  'mx',
  'dr',
  'miss',
  'sir',
  'prof',
  'jr',
  'sr',
]);

// Names that are also everyday words: alone, they are redacted only when capitalised, so
// "Will Price" does not turn "I will come back, the price was fair" into nonsense.
const COMMON_WORD_NAMES = new Set([
  'amber',
  'april',
  'art',
  'august',
  'baker',
  'bell',
  'best',
  'bill',
  'bird',
  'black',
  'brown',
  'carter',
  'cash',
  'chance',
  'chase',
  'cook',
  'dawn',
  'dean',
  'drew',
  'faith',
  'ford',
  'fox',
  'frank',
  'grace',
  'green',
  'guy',
  'hall',
  'hill',
  'holly',
  'honey',
  'hope',
  'hunter',
  'iris',
  'ivy',
  'jack',
  'jay',
  'joy',
  'june',
  'king',
  'lane',
  'law',
  'little',
  'long',
  'love',
  'major',
  'mark',
  'mason',
  'may',
  'miles',
  'moss',
  'north',
  'page',
  'park',
  'pat',
  'penny',
  'pearl',
  'price',
  'rain',
  'ray',
  'rich',
  'river',
  'rob',
  'rose',
  'ruby',
  'sandy',
  'short',
  'sky',
  'small',
  'snow',
  'star',
  'stone',
  'storm',
  'strong',
  'sue',
  'summer',
  'wade',
  'ward',
  'west',
  'white',
  'will',
  'wise',
  'wood',
  'young',
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
    const parts = raw
      .trim()
      .split(/\s+/u)
      .filter((p) => p.length > 0);
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
    re = new RegExp(`(?<![\\p{L}\\p{M}]|\\p{L}-)(?:${ordered.join('|')})(?![\\p{L}\\p{M}]|-\\p{L})`, 'giu');
  }
  if (namePatternCache.size > 256) namePatternCache.clear();
  namePatternCache.set(key, re);
  return re;
}

export function detectNames(text: string, names: readonly string[], out: Span[]): void {
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
