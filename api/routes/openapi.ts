// The shared pieces of every route contract: a router factory whose validation failures answer
// 400 problem+json naming where and what, the problem schema, and the bearer security scheme.
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../context';
import { apiError } from '../errors';

export { z };

const WHERE: Record<string, string> = {
  query: 'query parameter',
  param: 'path parameter',
  json: 'body field',
  form: 'form field',
  header: 'header',
  cookie: 'cookie',
};

export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (result.success) return;
      const errors = result.error.issues.map((issue) => ({
        in: result.target,
        field: issue.path.join('.') || null,
        reason: issue.message,
      }));
      const first = errors[0];
      const where = first?.field
        ? `${WHERE[result.target] ?? result.target} '${first.field}'`
        : `the ${result.target === 'json' ? 'body' : result.target}`;
      throw apiError(
        'invalid-request',
        `Invalid ${where}: ${first?.reason ?? 'not valid'}${errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : ''}.`,
        { errors },
      );
    },
  });
}

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    request_id: z.string().optional(),
  })
  .catchall(z.unknown())
  .openapi('Problem');

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
});

/** The error answers every guarded route can give. */
export const guardedErrors = {
  400: problemResponse('The request is not valid; `errors` lists every problem.'),
  401: problemResponse('No valid access token or session.'),
  403: problemResponse('The token’s role may not do this.'),
  429: problemResponse('Too many failed token checks from this address (`limit`, `Retry-After`).'),
} as const;

export const errorResponse = problemResponse;

export const bearer = [{ bearer: [] as string[] }];
