/**
 * Label values must be bounded: every distinct value is a new time series kept for ever by
 * Prometheus. Closed sets (sources, stages, statuses) map anything unexpected to `other`; open
 * sets (reason codes, component and account names, socket sources) keep the first `max` distinct
 * values and fold the rest into `other`. Values that look like an address, a hash or a token id
 * never become a label, whatever their origin.
 */

export const OTHER = 'other';

// Printable ASCII up to 64 characters: names, codes and sources, never free text.
const PRINTABLE = /^[\x20-\x7e]{1,64}$/;
// 0x-hex ids (addresses, hashes) and long decimal numbers (token ids).
const IDENTIFIER = /0x[0-9a-f]{16,}|\d{12,}/i;

/** A value from a closed set, or `other`. */
export function oneOf<T extends string>(allowed: readonly T[], value: unknown): T | typeof OTHER {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : OTHER;
}

/** An open label: the first `max` distinct acceptable values are kept as given, the rest are `other`. */
export class BoundedLabel {
  readonly #seen = new Set<string>();
  readonly #max: number;

  constructor(max: number) {
    this.#max = max;
  }

  of(value: unknown): string {
    if (typeof value !== 'string') return OTHER;
    if (this.#seen.has(value)) return value;
    if (!PRINTABLE.test(value) || IDENTIFIER.test(value) || this.#seen.size >= this.#max) return OTHER;
    this.#seen.add(value);
    return value;
  }
}
