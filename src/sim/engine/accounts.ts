/**
 * Collateral and position operations outside the book: deposits and withdrawals of pUSD, and the
 * CTF's split, merge and redeem. Each checks before it changes anything, so a refusal leaves the
 * ledger as it was, and returns the event describing what it did.
 */
import type { Shares, Usdc } from '../../core/index.ts';
import { notEnoughBalanceMessage, SimEngineError } from './errors.ts';
import type { UnstampedEvent } from './events.ts';
import type { Holding, Ledger } from './ledger.ts';
import type { MarketState } from './market.ts';

/** Refuses, in the CLOB's balance wording, to use more than the unreserved part of a holding. */
function requireAvailable(h: Readonly<Holding>, amount: number, context: Record<string, unknown>): void {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new SimEngineError(`bad amount ${amount}`, context);
  const available = h.balance - h.reserved;
  if (available < amount) throw new SimEngineError(notEnoughBalanceMessage(available, amount), context);
}

export function deposit(ledger: Ledger, address: string, amount: Usdc): UnstampedEvent {
  ledger.deposit(address, amount);
  return { type: 'collateral_deposited', address, amount };
}

export function withdraw(ledger: Ledger, address: string, amount: Usdc): UnstampedEvent {
  requireAvailable(ledger.cash(address), amount, { address });
  ledger.withdraw(address, amount);
  return { type: 'collateral_withdrawn', address, amount };
}

/** `amount` pUSD into `amount` YES and `amount` NO shares. */
export function split(ledger: Ledger, market: MarketState, address: string, amount: Shares): UnstampedEvent {
  requireAvailable(ledger.cash(address), amount, { address });
  ledger.spendCash(address, amount);
  ledger.addSupply(market.tokenIds, amount);
  for (const t of market.tokenIds) ledger.creditShares(address, t, amount);
  return { type: 'positions_split', address, market: market.conditionId, amount };
}

/** `amount` YES and `amount` NO shares back into `amount` pUSD. */
export function merge(ledger: Ledger, market: MarketState, address: string, amount: Shares): UnstampedEvent {
  for (const t of market.tokenIds) requireAvailable(ledger.shares(address, t), amount, { address, token: t });
  for (const t of market.tokenIds) {
    ledger.spendShares(address, t, amount);
    ledger.removeSupply(t, amount);
  }
  ledger.creditCash(address, amount);
  return { type: 'positions_merged', address, market: market.conditionId, amount };
}

/** Burns both positions of a resolved market and pays 1 pUSD per winning share. */
export function redeem(ledger: Ledger, market: MarketState, address: string): UnstampedEvent {
  const winner = market.winner;
  if (winner === null) throw new SimEngineError(`market ${market.conditionId} is not resolved`);
  const burned = market.tokenIds.map((t) => ledger.shares(address, t).balance) as [Shares, Shares];
  market.tokenIds.forEach((t, i) => {
    ledger.spendShares(address, t, burned[i]!);
    ledger.removeSupply(t, burned[i]!);
  });
  const payout = burned[winner] as number as Usdc;
  ledger.creditCash(address, payout);
  return { type: 'positions_redeemed', address, market: market.conditionId, burned, payout };
}
