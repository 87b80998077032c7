// The wallboard's settings, from its URL: `/tv?screens=today,voice,shoutouts,week&every=20&team=t1&channel=phone`.
// DOM-free (unit-tested). Unknown screens are ignored; an empty or invalid list means all four.

export const SCREENS = ['today', 'voice', 'shoutouts', 'week'] as const;
export type Screen = (typeof SCREENS)[number];

export const SCREEN_TITLES: Record<Screen, string> = {
  today: 'Today so far',
  voice: 'Customer voice',
  shoutouts: 'Shout-outs',
  week: 'This week',
};

export interface TvConfig {
  screens: Screen[];
  /** Seconds each screen stays up. */
  every: number;
  /** A team's external id, or null for the whole organisation. */
  team: string | null;
  /** One channel (a phone floor: phone), or null for every channel. */
  channel: string | null;
  /** Seconds without fresh data or a connection before the "data as of" banner (default 300). */
  staleAfter: number;
}

export const DEFAULT_EVERY = 20;
export const DEFAULT_STALE = 300;

function seconds(raw: string | null, fallback: number, min: number, max: number): number {
  if (raw === null || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n)) return fallback;
  return Math.min(max, Math.max(min, n));
}

export function parseTvConfig(params: URLSearchParams): TvConfig {
  const asked = (params.get('screens') ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase().replace(/-/g, ''))
    .filter((s): s is Screen => (SCREENS as readonly string[]).includes(s));
  const screens = [...new Set(asked)];
  const team = params.get('team')?.trim() || null;
  const channel = params.get('channel')?.trim().toLowerCase() || null;
  return {
    channel,
    screens: screens.length ? screens : [...SCREENS],
    every: seconds(params.get('every'), DEFAULT_EVERY, 1, 3600),
    team,
    staleAfter: seconds(params.get('stale'), DEFAULT_STALE, 5, 86_400),
  };
}

/** The feed's URLs for a team (or everyone) and a channel (or every channel). */
export function feedUrls(team: string | null, channel: string | null = null): { live: string; snapshot: string } {
  const parts = [
    team ? `team=${encodeURIComponent(team)}` : '',
    channel ? `channel=${encodeURIComponent(channel)}` : '',
  ].filter(Boolean);
  const q = parts.length ? `?${parts.join('&')}` : '';
  return { live: `/api/v1/live${q}`, snapshot: `/api/v1/views/tv${q}` };
}
