// A logger whose lines a test can read back, as the operator's log collector would.
import { Writable } from 'node:stream';
import { createLogger, type Logger, type LogLevel } from '../../api/log';

export interface CapturedLog {
  logger: Logger;
  /** Every line written so far, as text. */
  text(): string;
  /** Every line parsed as JSON. */
  json(): Array<Record<string, unknown>>;
}

export function captureLog(level: LogLevel = 'info'): CapturedLog {
  let out = '';
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      out += chunk.toString();
      done();
    },
  });
  const logger = createLogger({ level, destination });
  return {
    logger,
    text: () => out,
    json: () =>
      out
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}
