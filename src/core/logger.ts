/**
 * Structured logging (pino). Human-friendly lines on a terminal, JSON lines otherwise. Fields that
 * commonly hold secrets are censored by name as a last line of defence: code should never pass a
 * secret to a logger in the first place.
 */
import { pino } from 'pino';
import pretty from 'pino-pretty';

export type Logger = pino.Logger;
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

export interface LoggerOptions {
  level: LogLevel;
  format: 'auto' | 'json' | 'pretty';
  /** Where lines go; standard output by default. */
  destination?: NodeJS.WritableStream & { isTTY?: boolean };
}

const SECRET_FIELDS = [
  'privateKey',
  'private_key',
  'secret',
  'passphrase',
  'password',
  'token',
  'bot_token',
  'apiKey',
  'api_key',
  'authorization',
  'creds',
];

export const REDACT_PATHS = SECRET_FIELDS.flatMap((f) => [f, `*.${f}`]);

export function createLogger(options: LoggerOptions): Logger {
  const destination = options.destination ?? process.stdout;
  const usePretty = options.format === 'pretty' || (options.format === 'auto' && destination.isTTY === true);
  const base = {
    level: options.level,
    base: undefined,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
  if (usePretty) {
    return pino(
      base,
      pretty({
        destination,
        colorize: destination.isTTY === true,
        translateTime: 'SYS:HH:MM:ss.l',
        // `setting` objects repeat what the message already says; JSON lines keep them.
        ignore: 'pid,hostname,setting',
        sync: true,
      }),
    );
  }
  return pino({ ...base, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}
