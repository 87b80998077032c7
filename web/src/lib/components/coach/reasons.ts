// The agent's contact reasons in the order the page lists them: most contacts first, ties by name,
// contacts without a recorded reason (null: the API's left join) after the named ones at a tie.
export interface ReasonCount {
  reason: string | null;
  contacts: number;
}

export const NO_REASON = 'No reason recorded';

export function sortReasons<T extends ReasonCount>(reasons: readonly T[]): T[] {
  return [...reasons].sort(
    (a, b) =>
      b.contacts - a.contacts ||
      Number(a.reason === null) - Number(b.reason === null) ||
      (a.reason ?? '').localeCompare(b.reason ?? ''),
  );
}
