// Checks a request's events before they join a group: the rows of the JSON ingest's own source
// (jsonSource) through the data contract's own field parsers and row checks (SPECS), so an
// invalid event is refused alone, at once, and never fails the group it would have joined. What
// needs the database (unknown references) is checked by the ingest itself when the group commits.
import { ApiError } from '../errors';
import { Problems, type Problem } from '../ingest/checks';
import { parseRow, SPECS, type Kind } from '../ingest/kinds';
import { IngestRejected } from '../ingest/outcome';
import { jsonSource } from '../ingest/sources';

export interface CheckedEvents {
  /** Each record's external_id as stored (the changes of a commit are reported by it). */
  ids: string[];
  warnings: string[];
}

/** The 422 a refused request answers: every problem with its row (index + 1), field and reason. */
export function refused(kind: Kind, problems: Problem[], total: number, warnings: string[]): ApiError {
  const first = problems[0];
  const where = first
    ? (first.row > 0 ? `row ${first.row}${first.field ? `, ${first.field}` : ''}: ` : '') + first.reason
    : '';
  return new ApiError(
    422,
    'invalid-batch',
    `${total} problem${total === 1 ? '' : 's'} in the ${kind} events; nothing was written.${where ? ` First: ${where}.` : ''}`,
    {
      kind,
      total_problems: total,
      problems,
      warnings,
    },
  );
}

export const refusedBy = (err: IngestRejected) => refused(err.kind, err.problems, err.total, err.warnings);

/** Checks every record; throws the 422 with every problem, or answers their ids. */
export async function checkEvents(kind: Kind, records: unknown[], timeZone: string): Promise<CheckedEvents> {
  const spec = SPECS[kind];
  const source = jsonSource(records);
  const problems = new Problems();
  const warnings: string[] = [];
  const index = new Map<string, number>();
  source.columns.forEach((raw, i) => {
    const c = raw.trim().toLowerCase();
    if (c === '') return;
    if (index.has(c))
      problems.add({
        row: 1,
        field: c,
        value: null,
        reason: `the field '${c}' appears twice (names are matched trimmed and in any case)`,
      });
    else index.set(c, i);
  });
  const unknown = [...new Set(source.columns.map((c) => c.trim().toLowerCase()))].filter(
    (c) => c !== '' && !spec.fields.some((f) => f.name === c),
  );
  if (unknown.length > 0)
    warnings.push(`Unknown field${unknown.length > 1 ? 's' : ''} ignored: ${unknown.join(', ')}.`);
  const fields = spec.fields.map((f) => ({ spec: f, at: index.get(f.name), parse: f.parse }));
  const ids: string[] = [];
  const idAt = spec.fields.findIndex((f) => f.name === 'external_id');
  for await (const batch of source.rows) {
    for (const r of batch) {
      if (r.problem) {
        problems.add({ row: r.row, ...r.problem });
        continue;
      }
      const values = parseRow(spec, fields, r.row, r.cells, timeZone, problems);
      if (values) ids.push(values[idAt] as string);
    }
  }
  if (problems.total > 0) throw refused(kind, problems.sorted(), problems.total, warnings);
  return { ids, warnings };
}
