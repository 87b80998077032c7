// The rules of queue snapshots in one place: when the floor's numbers count as stale, how far
// ahead of this server's clock a snapshot may be, and how much history one request may ask for.

export const QUEUE = {
  /** A snapshot older than this is stale: the wallboard says so instead of showing it as current. */
  staleSeconds: 60,
  /** A snapshot this far ahead of the server's clock is refused: it would stay "newest" and block real ones. */
  futureSkewSeconds: 300,
  /** Snapshots one call may carry (a platform pushes one per queue every few seconds). */
  maxRecords: 5_000,
  /** GET /queue/history answers by minute up to this many hours, by hour beyond. */
  minuteGrainMaxHours: 24,
  /** GET /queue/history spans at most this many days. */
  historyMaxDays: 93,
  /** Minutes of history the wallboard's compact line shows. */
  tvHistoryMinutes: 60,
} as const;
