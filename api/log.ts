// The process's log: JSON lines (pino) for whatever collects them, a readable form when a person
// watches a terminal. Every line of a request carries its request id; text that came from a
// client is escaped so it cannot forge a line, and SQL parameters appear only at debug level.
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface LoggerOptions {
  level?: LogLevel;
  /** Readable lines instead of JSON; default: when stdout is a terminal. */
  pretty?: boolean;
  /** Where lines go (tests); default stdout, written synchronously so no line is lost at exit. */
  destination?: NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  const base = {
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: errorForLog(level) },
  };
  if (options.destination) return pino(base, options.destination);
  if (options.pretty ?? process.stdout.isTTY === true) {
    return pino(
      base,
      pretty({
        sync: true,
        colorize: process.stdout.isTTY === true,
        ignore: 'pid,hostname',
        translateTime: 'SYS:HH:MM:ss.l',
      }),
    );
  }
  return pino(base, pino.destination({ dest: 1, sync: true }));
}

/** A logger that writes nothing (tests, tools that print their own output). */
export const silentLogger = (): Logger => pino({ level: 'silent' });

// C0 controls, DEL and the C1 range, plus the Unicode line and paragraph separators: each can end
// or rewrite a line in a terminal or a log viewer.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** Client-supplied text made safe for one log line: control characters as \xNN / \uNNNN, and at most `max` characters. */
export function escapeForLog(text: string, max = 2048): string {
  const cut = text.length > max ? `${text.slice(0, max)}…(${text.length} chars)` : text;
  return cut.replace(CONTROL, (ch) => {
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

interface QueryError {
  query?: unknown;
  params?: unknown;
  parameters?: unknown;
  cause?: unknown;
  code?: unknown;
}

const DEBUG_LEVELS = new Set(['debug', 'trace']);

/**
 * Errors as logged: type, message, code and stack. A failed query's SQL text and parameters (which
 * may hold a customer's comment or a token hash) are kept only at debug level; above it the
 * message drops the "params:" part Drizzle appends.
 */
export function errorForLog(level: string) {
  const verbose = DEBUG_LEVELS.has(level);
  const one = (err: unknown, depth: number): Record<string, unknown> => {
    if (!(err instanceof Error)) return { message: escapeForLog(String(err)) };
    const e = err as Error & QueryError;
    let message = e.message;
    if (!verbose)
      message = message
        .replace(/\nparams: [\s\S]*$/, '')
        .replace(/^Failed query: [\s\S]*$/, 'Failed query (SQL text at debug level)');
    // The stack's first lines repeat the message: only its frames are kept above debug level.
    const frames = e.stack?.split('\n').filter((l) => /^\s+at /.test(l));
    const out: Record<string, unknown> = {
      type: e.name,
      message,
      stack: verbose ? e.stack : frames?.slice(0, 8).join('\n'),
    };
    if (typeof e.code === 'string') out.code = e.code;
    if (verbose) {
      if (e.query !== undefined) out.query = e.query;
      if (e.params !== undefined) out.params = e.params;
      if (e.parameters !== undefined) out.params = e.parameters;
    }
    if (e.cause !== undefined && depth < 3) out.cause = one(e.cause, depth + 1);
    return out;
  };
  return (err: unknown) => one(err, 0);
}
