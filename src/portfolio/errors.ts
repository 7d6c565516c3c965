/** The error portfolio accounting throws when its own invariants break (arithmetic overflow stays a MoneyError). */
import { type ErrorOptions, PolyHunterError } from '../core/errors.ts';

/**
 * A fill, resolution or redemption that our own ledger should never produce (selling more than is
 * held, trading a resolved token, a malformed position). It means a bug upstream, so it is never
 * retryable and the caller must not paper over it.
 */
export class LedgerError extends PolyHunterError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('LEDGER_INVARIANT', message, false, options);
  }
}
