// The floor right now, as the wallboard writes it: "7 waiting · longest 3m 12s", and how long a
// queue has been silent ("no update for 4 min"). DOM-free, no $lib imports (unit-tested).
import type { TvQueue } from './types';

/** 192 → "3m 12s"; 45 → "45s"; 4000 → "1h 06m". */
export function waitText(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

/** "no update for 4 min", "… for 2 h 5 min", "… for 3 days". */
export function silenceText(ms: number): string {
  const minutes = Math.max(1, Math.floor(ms / 60_000));
  if (minutes < 60) return `no update for ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `no update for ${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
  return `no update for ${Math.floor(hours / 24)} days`;
}

export interface QueueView {
  stale: boolean;
  /** How long the oldest queue has been silent, on the server's clock. */
  silentMs: number;
  /** "2 of 3 queues: " when only some queues are silent. */
  which: string;
}

/**
 * Whether the part is stale now: as the server said, or because time passed since (the board ticks
 * between snapshots). `skewMs`: this clock minus the server's (arrival time minus generated_at).
 */
export function queueView(queue: TvQueue, now: number, skewMs: number): QueueView {
  const silentMs = Math.max(0, now - skewMs - Date.parse(queue.at));
  const stale = queue.stale || silentMs > queue.stale_after_seconds * 1000;
  const some = Math.max(queue.stale_queues, stale ? 1 : 0);
  const which = stale && queue.queues > 1 && some < queue.queues ? `${some} of ${queue.queues} queues: ` : '';
  return { stale, silentMs, which };
}
