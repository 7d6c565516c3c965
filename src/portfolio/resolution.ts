/**
 * Market resolution and redemption.
 *
 * Decision: resolution realizes the PnL, redemption only moves cash. When a market resolves, the
 * shares' value is fixed (payout per share x shares, nothing left to mark), so `resolvePosition`
 * books payout - cost as realized and rebases the cost to the payout: the position is now a claim
 * worth exactly its cost, with no unrealized PnL, and the dashboard shows the result at once.
 * `redeem` later turns the claim into cash: cash rises by the payout, the cost falls by the same,
 * and nothing more is realized. The ledger invariant (position.ts) holds across both steps.
 */
import { add, MICRO, notional, type Price, price, type Shares, sub, type Usdc } from '../core/money.ts';
import { LedgerError } from './errors.ts';
import { assertValidPosition, type Position } from './position.ts';

export interface ResolutionResult {
  readonly position: Position;
  readonly realizedDelta: Usdc;
}

export interface RedemptionResult {
  readonly position: Position;
  /** The payout credited to cash. */
  readonly cashDelta: Usdc;
}

/** Resolves a position in a binary market's token: the winner pays 1 per share, the loser 0. */
export function resolvePosition(position: Position, won: boolean): ResolutionResult {
  return resolveAtPayout(position, (won ? MICRO : 0) as Price);
}

/**
 * Resolves at any payout per share. Besides 1 and 0, a market can resolve 50-50 (each token pays
 * 0.5). Resolving again at the same payout is a no-op (the event may be seen twice); at another
 * payout it throws.
 */
export function resolveAtPayout(position: Position, payoutPerShare: Price): ResolutionResult {
  assertValidPosition(position);
  price(payoutPerShare);
  if (position.resolvedPayout !== undefined) {
    if (position.resolvedPayout === payoutPerShare) return { position, realizedDelta: 0 as Usdc };
    throw new LedgerError(`token ${position.tokenId} is already resolved at another payout`, {
      context: { was: position.resolvedPayout, now: payoutPerShare },
    });
  }
  const payout = payoutOf(position.shares, payoutPerShare);
  const realizedDelta = sub(payout, position.cost);
  return {
    position: {
      ...position,
      cost: payout,
      realizedPnl: add(position.realizedPnl, realizedDelta),
      resolvedPayout: payoutPerShare,
    },
    realizedDelta,
  };
}

/** Redeems a resolved position: its shares (winning or not) are burnt and the payout is paid. */
export function redeem(position: Position): RedemptionResult {
  assertValidPosition(position);
  if (position.resolvedPayout === undefined) {
    throw new LedgerError(`cannot redeem unresolved token ${position.tokenId}`);
  }
  // The cost was rebased to this payout at resolution; a mismatch means the record was altered.
  const payout = payoutOf(position.shares, position.resolvedPayout);
  if (payout !== position.cost) {
    throw new LedgerError(`resolved token ${position.tokenId} has a cost other than its payout`, {
      context: { cost: position.cost, payout },
    });
  }
  return {
    position: { ...position, shares: 0 as Shares, cost: 0 as Usdc },
    cashDelta: payout,
  };
}

/** What the shares redeem for: the CTF contract divides with truncation, so round down. */
function payoutOf(shares: Shares, payoutPerShare: Price): Usdc {
  return notional(shares, payoutPerShare, 'floor');
}
