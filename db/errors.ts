// What a database error means, on both engines (PostgreSQL and PGlite answer the same SQLSTATE
// codes), seen through drizzle's wrapper (the driver's error is its `cause`).

/** A unique violation (SQLSTATE 23505). */
export function isUniqueViolation(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 4; e = e.cause as typeof e, i++)
    if (e.code === '23505') return true;
  return false;
}
