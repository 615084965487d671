import { pino, type DestinationStream, type Level, type Logger } from 'pino';
import type { Config } from './config.js';

export type { Logger };

/**
 * The `log` function most parts take: a message, and fields that stay fields (ids, counts) rather
 * than being interpolated into the text, so a log search can filter on them.
 */
export type LogLine = (message: string, fields?: Record<string, unknown>) => void;

/**
 * Values never written to the log, wherever they sit in a logged object: request headers that
 * carry credentials, Slack's signature, and any field named like a token or secret.
 */
export const REDACTED_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-slack-signature"]',
  'req.headers["x-shopify-hmac-sha256"]',
  'req.headers["x-wc-webhook-signature"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers["x-slack-signature"]',
  'authorization',
  'cookie',
  'token',
  'password',
  'secret',
  'apiKey',
  '*.token',
  '*.password',
  '*.secret',
  '*.apiKey',
  '*.authorization',
];

/**
 * The process's root logger: JSON lines (level, time, msg and fields) at LOG_LEVEL, to stdout
 * unless a destination is given (tests). `silent` writes nothing.
 */
export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, destination?: DestinationStream | NodeJS.WritableStream): Logger {
  const options = {
    level: config.LOG_LEVEL,
    base: { pid: process.pid },
    redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
  };
  return destination ? pino(options, destination as DestinationStream) : pino(options);
}

/** A `LogLine` writing at `level` to `logger`. */
export function logLine(logger: Logger, level: Level = 'info'): LogLine {
  return (message, fields) => (fields ? logger[level](fields, message) : logger[level](message));
}

let fallback: Logger | undefined;

/**
 * Where a part logs when its caller gave it no logger: the service's root logger once `startApp`
 * has one, otherwise (a CLI command, a script) JSON at info on stderr, so a human's stdout stays clean.
 */
export function defaultLogger(): Logger {
  return (fallback ??= stderrLogger());
}

/**
 * JSON at info on stderr, written synchronously: for a refusal to start, which the process
 * exits right after, and which belongs on stderr even once the service's logger has taken stdout.
 */
export function stderrLogger(): Logger {
  return pino({ level: 'info', redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' } }, pino.destination({ dest: 2, sync: true }));
}

/** Makes `logger` the one `defaultLogger()` returns: called once by the service's start-up. */
export function useAsDefaultLogger(logger: Logger): void {
  fallback = logger;
}
