/**
 * A box for a secret value (a private key, API credentials) that refuses to print itself: every
 * way a value usually reaches a log line, an error message or a JSON response (string coercion,
 * template literals, JSON.stringify, util.inspect, console.log, object spread) sees '[redacted]'.
 * The value is reachable only through an explicit `expose()`, which is easy to grep for.
 */

export const REDACTED = '[redacted]';

export class Secret<T> {
  // An ES private field: not an own enumerable property, so spread, Object.keys, structuredClone
  // and util.inspect's default walk never see it.
  readonly #value: T;

  constructor(value: T) {
    this.#value = value;
  }

  /** The secret itself. Pass it straight to the signer or client that needs it; never log it. */
  expose(): T {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.toPrimitive](): string {
    return REDACTED;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Secret ${REDACTED}`;
  }
}
