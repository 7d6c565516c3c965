/**
 * Error classes that say whether a failure is worth retrying.
 *
 * `retryable` answers one question for a caller's retry loop: could the same call, made again
 * later, succeed? It says nothing about whether the first attempt had an effect: an ambiguous
 * venue submit is retryable in principle but must be reconciled first (see `ambiguous`).
 */

export interface ErrorOptions {
  /** The underlying error, kept for logs. */
  cause?: unknown;
  /** Structured facts for logs and audit records; never put secrets here. */
  context?: Record<string, unknown>;
}

export class PolyHunterError extends Error {
  /** Stable machine-readable code, e.g. `CONFIG_INVALID`. */
  readonly code: string;
  /** Whether the same operation may succeed if tried again later. */
  readonly retryable: boolean;
  readonly context: Record<string, unknown>;

  constructor(code: string, message: string, retryable: boolean, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = retryable;
    this.context = options.context ?? {};
  }
}

/** Bad user input or configuration: retrying without a change cannot help. */
export class ConfigError extends PolyHunterError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('CONFIG_INVALID', message, false, options);
  }
}

/** Input that failed validation (wire data, CLI arguments, API bodies). */
export class ValidationError extends PolyHunterError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('VALIDATION_FAILED', message, false, options);
  }
}

/** Arithmetic that would lose precision or leave the safe integer range. */
export class MoneyError extends PolyHunterError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('MONEY_INVALID', message, false, options);
  }
}

/** The database could not be reached or refused the operation. */
export class DatabaseError extends PolyHunterError {
  constructor(message: string, retryable: boolean, options: ErrorOptions = {}) {
    super('DATABASE_ERROR', message, retryable, options);
  }
}

/** A schema migration failed; the transaction was rolled back where the engine allows. */
export class MigrationError extends PolyHunterError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('MIGRATION_FAILED', message, false, options);
  }
}

/** A network call failed in a way that a later attempt may not (reset, refused, DNS). */
export class NetworkError extends PolyHunterError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('NETWORK_ERROR', message, true, options);
  }
}

/** The call ran out of time. Whether it took effect is unknown. */
export class TimeoutError extends PolyHunterError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('TIMEOUT', message, true, options);
  }
}

/** The remote side asked us to slow down (HTTP 429 or equivalent). */
export class RateLimitError extends PolyHunterError {
  /** How long the remote side asked us to wait, when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, retryAfterMs?: number, options: ErrorOptions = {}) {
    super('RATE_LIMITED', message, true, options);
    this.retryAfterMs = retryAfterMs;
  }
}

/** The venue answered with an error. 5xx and 425 are retryable, documented 4xx are not. */
export class VenueError extends PolyHunterError {
  readonly status: number | undefined;

  constructor(message: string, status: number | undefined, options: ErrorOptions = {}) {
    super('VENUE_ERROR', message, status === undefined || status === 425 || status >= 500, options);
    this.status = status;
  }
}

/** Whether `err` is known to be retryable. Unknown errors are treated as not retryable. */
export function isRetryable(err: unknown): boolean {
  return err instanceof PolyHunterError && err.retryable;
}

/** A one-line description of any thrown value, for messages and logs. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}
