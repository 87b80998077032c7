// The quotes the voice screen rotates through: the featured quote first, then recent approved
// ones (already redacted by the API), without repeating the featured one.
import type { FeaturedQuote } from '$lib/api';
import type { TvSnapshot } from './types';
import { channelLabel } from '../../channels';

export interface VoiceQuote {
  quote: FeaturedQuote;
  /** "Featured quote" for the first, "Recently approved" for the rest. */
  kind: 'featured' | 'recent';
}

export function voiceQuotes(snapshot: TvSnapshot, max = 9): VoiceQuote[] {
  const out: VoiceQuote[] = [];
  const seen = new Set<string>();
  const f = snapshot.quotes.featured.quote;
  if (f) {
    out.push({ quote: f, kind: 'featured' });
    seen.add(f.text);
  }
  for (const q of snapshot.quotes.recent) {
    if (out.length >= max) break;
    if (seen.has(q.text)) continue;
    seen.add(q.text);
    out.push({ quote: q, kind: 'recent' });
  }
  return out;
}

/** The small print under a quote: score, team credited, agent's first name, channel, date. */
export function quoteMeta(q: FeaturedQuote): string[] {
  const parts: string[] = [];
  if (q.csat != null) parts.push(`CSAT ${q.csat}/5`);
  if (q.nps != null) parts.push(`NPS ${q.nps}/10`);
  if (q.team) parts.push(q.team);
  if (q.agent_first_name) parts.push(`with ${q.agent_first_name}`);
  if (q.channel) parts.push(channelLabel(q.channel).toLowerCase());
  return parts;
}

/** A font size step for the quote's length, so a long quote still fits the screen. */
export function quoteSize(text: string): 'xl' | 'l' | 'm' | 's' {
  const n = text.length;
  if (n <= 110) return 'xl';
  if (n <= 220) return 'l';
  if (n <= 380) return 'm';
  return 's';
}

/** The sentence in the quote's place when there is none (as everywhere in the app): never an empty box. */
export const NO_QUOTE = 'No customer quote featured yet — curators pick one in Admin › Quotes.';

/** Why there is none, from the server ("No pinned or approved quote for …"). */
export function noQuoteReason(snapshot: TvSnapshot): string | null {
  return snapshot.quotes.featured.reason;
}
