// Every limit the API enforces, in one place, so that the README's "Limits" table, the problems
// that name a limit (`limit` in the problem body, see limitReached in errors.ts) and the code agree.
// Each section belongs to the part of the API that enforces it.

/** Dates: every date the API accepts or computes lies in this range (inclusive). */
export const DATE_RANGE = { min: '1900-01-01', max: '2200-12-31' } as const;

/** Request bodies, outside ingest (which streams and keeps its own limits below). */
export const BODY = {
  /** Any JSON body of a route other than ingest. */
  jsonBytes: 256 * 1024,
  /** Sign-in: a token and nothing more. */
  signInBytes: 4 * 1024,
} as const;
