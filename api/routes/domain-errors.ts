// The errors the metrics engine and the views throw, as problems: one table, read by the app's
// error handler, so that no route catches them only to say the same thing again.
import { apiError, queryProblem, type ApiError, type ErrorCode } from '../errors';
import { MetricsRequestError, ScopeError } from '../metrics/engine';
import { CoachNotFound, CoachScopeError } from '../views/coach';
import { UnknownTeamError } from '../views/tv';
import { WeekError } from '../views/weekly';

interface Described {
  detail: string;
  extensions?: Record<string, unknown>;
}

interface Translation {
  type: abstract new (...args: never[]) => Error;
  code: ErrorCode;
  describe: (err: Error) => Described;
}

/** One row of the table; without `describe` the error's message is the detail. */
const row = <E extends Error>(
  type: abstract new (...args: never[]) => E,
  code: ErrorCode,
  describe: (err: E) => Described = (err) => ({ detail: err.message }),
): Translation => ({ type, code, describe: describe as (err: Error) => Described });

/** Error class → code (and what the problem says). */
export const DOMAIN_ERRORS: readonly Translation[] = [
  row(MetricsRequestError, 'invalid-request', (err) => queryProblem(err.parameter, err.message.replace(/\.$/, ''))),
  row(WeekError, 'invalid-request', (err) => queryProblem('week', err.message)),
  row(UnknownTeamError, 'invalid-request', (err) => ({
    detail: `Invalid query parameter 'team': ${err.message}`,
    extensions: { errors: [{ in: 'query', field: 'team', reason: err.message }] },
  })),
  row(ScopeError, 'forbidden'),
  row(CoachScopeError, 'forbidden'),
  row(CoachNotFound, 'not-found'),
];

/** The problem a domain error answers, or undefined when it is none of them. */
export function domainProblem(err: unknown): ApiError | undefined {
  if (!(err instanceof Error)) return undefined;
  const found = DOMAIN_ERRORS.find((t) => err instanceof t.type);
  if (!found) return undefined;
  const { detail, extensions } = found.describe(err);
  return apiError(found.code, detail, extensions);
}
