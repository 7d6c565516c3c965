/** What the engine's calls answer: the shapes the REST layer turns into replies. */
import type { Micro, Usdc } from '../../core/index.ts';
import type { RejectCode, Rejection } from './errors.ts';
import type { EngineEvent } from './events.ts';
import type { Trade } from './types.ts';

/** What `POST /order` needs to answer. */
export interface SubmitResult {
  success: boolean;
  orderId: string;
  /**
   * Null when refused. `live`: resting, nothing traded. `matched`: traded (and may rest the rest).
   * `delayed`: waiting out the market's matching delay. `unmatched`: accepted, but it neither
   * traded nor rests (only a remainder too small to settle exactly, after a tick change).
   */
  status: 'live' | 'matched' | 'delayed' | 'unmatched' | null;
  errorMsg: string;
  errorCode: RejectCode | null;
  /** What the order gave in its immediate match: pUSD of a BUY (before the fee), shares of a SELL. */
  makingAmount: Micro;
  /** What it received: shares of a BUY, pUSD of a SELL (before the fee). */
  takingAmount: Micro;
  fee: Usdc;
  tradeIds: string[];
  events: EngineEvent[];
}

export type SubmitOutcome = Omit<SubmitResult, 'events'>;

/** What the cancel routes answer: `{canceled, not_canceled}`. */
export interface CancelResult {
  canceled: string[];
  notCanceled: Record<string, string>;
  events: EngineEvent[];
}

/** The reason the sample cancel reply gives for an order that is no longer open. */
export const NOT_CANCELABLE = 'already canceled or matched';
/** OWN wording: the id is unknown, or belongs to another API key. */
export const ORDER_NOT_FOUND = 'order not found';

export interface Holdings {
  balance: Micro;
  reserved: Micro;
  available: Micro;
}

export function holdings(h: { balance: number; reserved: number }): Holdings {
  return {
    balance: h.balance as Micro,
    reserved: h.reserved as Micro,
    available: (h.balance - h.reserved) as Micro,
  };
}

export function refused(orderId: string, rejection: Rejection): SubmitOutcome {
  return {
    success: false,
    orderId,
    status: null,
    errorMsg: rejection.message,
    errorCode: rejection.code,
    makingAmount: 0 as Micro,
    takingAmount: 0 as Micro,
    fee: 0 as Usdc,
    tradeIds: [],
  };
}

export function accepted(
  orderId: string,
  status: NonNullable<SubmitResult['status']>,
  trade: Trade | null,
): SubmitOutcome {
  return {
    success: true,
    orderId,
    status,
    errorMsg: '',
    errorCode: null,
    makingAmount: trade?.taker.makerAmountFilled ?? (0 as Micro),
    takingAmount: trade?.taker.takerAmountFilled ?? (0 as Micro),
    fee: trade?.taker.fee ?? (0 as Usdc),
    tradeIds: trade === null ? [] : [trade.id],
  };
}
