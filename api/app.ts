// The app factory: request id, access log, security headers, problem+json errors, input limits,
// the API under /api/v1 and the web app's static build, installed once.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { OpenAPIHono } from '@hono/zod-openapi';
import { serveStatic } from '@hono/node-server/serve-static';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { bodyLimit } from 'hono/body-limit';
import { identify, sameOriginForCookies } from './auth/middleware';
import { checkJsonBody, databaseProblem, receivesFile, rejectControlCharacters } from './hostile';
import { BODY } from './limits';
import { createLogger, escapeForLog } from './log';
import type { AppDeps, AppEnv } from './context';
import { paths } from './env';
import { ApiError, apiError, limitReached, problem, type ErrorCode } from './errors';
import { domainProblem } from './routes/domain-errors';
import { mountLoginLink } from './routes/login-link';
import { createApi } from './routes';

export function createApp(deps: AppDeps) {
  const logger = deps.logger ?? createLogger({ level: deps.env.LOG_LEVEL });
  const app = new OpenAPIHono<AppEnv>();

  app.use('*', requestId());
  app.use('*', async (c, next) => {
    c.set('db', deps.database.db);
    c.set('deps', deps);
    const log = logger.child({ req: c.get('requestId') });
    c.set('log', log);
    const started = performance.now();
    await next();
    // Paths only: query strings may carry a login token. The path is the client's text: escaped.
    const ms = Number((performance.now() - started).toFixed(1));
    const who = c.get('principal');
    const path = escapeForLog(c.req.path, 512);
    log.info(
      { method: c.req.method, path, status: c.res.status, ms, ...(who ? { role: who.role, token: who.tokenId } : {}) },
      `${c.req.method} ${path} ${c.res.status} ${ms}ms`,
    );
  });
  // An SVG image opened on its own is a document: it may run nothing and load nothing (this wraps
  // the headers below, so its policy is the one that stays).
  app.use('*', async (c, next) => {
    await next();
    if (c.res.headers.get('content-type')?.startsWith('image/svg+xml'))
      c.res.headers.set('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
  });
  app.use(
    '*',
    secureHeaders({
      // HSTS is the TLS-terminating proxy's decision, not this process's (it also serves plain HTTP on localhost).
      strictTransportSecurity: false,
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
      },
    }),
  );

  app.onError((err, c) => {
    if (err instanceof ApiError) return problem(c, err);
    // What the stores, the metrics engine and the views throw: translated here for every route.
    const domain = domainProblem(err);
    if (domain) return problem(c, domain);
    if (err instanceof HTTPException)
      return problem(c, apiError(`http-${err.status}`, err.message || 'The request could not be handled.'));
    const known = databaseProblem(err);
    if (known) {
      (c.get('log') ?? logger).warn({ err }, `${c.req.method} ${escapeForLog(c.req.path, 512)}: ${known.code}`);
      // api/hostile.ts answers with codes of the list (its own return type says string).
      return problem(c, apiError(known.code as ErrorCode, known.detail, known.extensions, known.headers));
    }
    (c.get('log') ?? logger).error({ err }, `${c.req.method} ${escapeForLog(c.req.path, 512)} failed`);
    return problem(
      c,
      apiError(
        'internal',
        `Something went wrong on the server. Quote request id ${c.get('requestId')} when reporting it.`,
      ),
    );
  });

  // Text the API would pass on to the database or the log: no NUL or other control characters in
  // the path or the query, and JSON bodies of bounded size and depth (ingest streams and checks its own).
  app.use('/api/*', rejectControlCharacters);
  app.use('/api/*', async (c, next) => {
    if (receivesFile(c.req.path)) return next();
    const limit = c.req.path === '/api/v1/auth/session' ? BODY.signInBytes : BODY.jsonBytes;
    return bodyLimit({
      maxSize: limit,
      onError: () => {
        throw limitReached(413, 'body-size', `The request body may be at most ${limit / 1024} KB on this route.`);
      },
    })(c, next);
  });
  app.use('/api/*', checkJsonBody);
  app.use('/api/*', sameOriginForCookies);
  app.use('/api/*', identify);
  app.route('/api/v1', createApi());
  app.all('/api/*', (c) =>
    problem(
      c,
      apiError(
        'not-found',
        `There is no API route ${c.req.method} ${c.req.path}. The routes are listed at /api/v1/openapi.json.`,
      ),
    ),
  );

  mountLoginLink(app);
  mountWeb(app, deps.webRoot ?? paths(deps.env).web);
  return app;
}

/** Serves the SvelteKit build; every other path gets the single-page app's fallback page. */
function mountWeb(app: OpenAPIHono<AppEnv>, root: string) {
  if (!existsSync(join(root, '200.html'))) {
    app.get('*', (c) =>
      problem(
        c,
        apiError('web-not-built', 'The web app is not built: run `npm run build` (npm start does it for you).'),
      ),
    );
    return;
  }
  app.use('/_app/immutable/*', async (c, next) => {
    await next();
    if (c.res.status === 200) c.header('cache-control', 'public, max-age=31536000, immutable');
  });
  // A page (the weekly review's own `index.html`, or the app shell every other path gets) must be
  // revalidated so a new build is picked up at once; its code files are immutable.
  app.use('*', async (c, next) => {
    await next();
    if (c.res.headers.get('content-type')?.startsWith('text/html')) c.res.headers.set('cache-control', 'no-cache');
  });
  app.use('*', serveStatic({ root, precompressed: true }));
  app.get('*', serveStatic({ root, path: '200.html', precompressed: true }));
}

export type App = ReturnType<typeof createApp>;
