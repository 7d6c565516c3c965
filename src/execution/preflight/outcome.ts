/**
 * What a preflight check answers. A refusal always carries a stable code (for callers and the
 * risk log), a message that says what is wrong with which wallet, and one sentence on the fix.
 */

export type PreflightCode =
  // Trades
  | 'INSUFFICIENT_BALANCE'
  | 'MISSING_ALLOWANCE'
  | 'INSUFFICIENT_SHARES'
  | 'BALANCE_UNAVAILABLE'
  // Wallet set-up
  | 'FUNDER_MISSING'
  | 'FUNDER_NOT_EOA'
  | 'FUNDER_IS_EOA'
  | 'DEPOSIT_WALLET_REFUSED'
  | 'ADDRESS_MISMATCH'
  // API key
  | 'API_KEY_UNAVAILABLE'
  | 'API_KEY_REJECTED'
  // Where trading is allowed
  | 'REGION_BLOCKED'
  | 'CLOSED_ONLY'
  | 'VENUE_UNREACHABLE'
  // Set-up of the machine and the config
  | 'VENUE_MISMATCH'
  | 'CLOCK_SKEW'
  | 'CONFIG_INVALID'
  | 'DATABASE_UNAVAILABLE'
  | 'KEY_MISSING'
  | 'KEY_LOCKED';

export interface PreflightFailure {
  ok: false;
  code: PreflightCode;
  message: string;
  /** One sentence: what to do about it. */
  fix: string;
}

/** A trade check: go ahead, or why not. */
export type TradeCheck = { ok: true } | PreflightFailure;

/** An account-level check, as the doctor prints it: pass, fail (with the fix) or not checked. */
export type CheckOutcome =
  | { status: 'pass'; detail: string }
  | { status: 'fail'; code: PreflightCode; message: string; fix: string }
  | { status: 'skip'; reason: string };

export function failure(code: PreflightCode, message: string, fix: string): PreflightFailure {
  return { ok: false, code, message, fix };
}

export const pass = (detail: string): CheckOutcome => ({ status: 'pass', detail });
export const skip = (reason: string): CheckOutcome => ({ status: 'skip', reason });

/** A trade-check refusal as an account-check outcome. */
export function failed(f: Omit<PreflightFailure, 'ok'>): CheckOutcome {
  return { status: 'fail', code: f.code, message: f.message, fix: f.fix };
}
