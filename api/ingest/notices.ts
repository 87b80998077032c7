// The change notice sent after each committed ingest (PostgreSQL NOTIFY; on PGlite delivered
// inside the process), for the live views.
export const CHANGES_CHANNEL = 'pairwise_changes';

export interface ChangeNotice {
  kinds: string[];
  inserted: number;
  updated: number;
  /** The span of local days whose interactions or surveys changed (null for other kinds). */
  from: string | null;
  to: string | null;
  /** External ids of the teams whose events changed (at most 50). */
  teams: string[];
}
