/**
 * Chain logs as leader sightings: pure functions from the subscriber's events to the contract in
 * `copy/sighting.ts`.
 *
 * Rules (api-reference.md §7.2): every `OrderFilled` row is its `maker`'s order, so the leader is
 * the row's maker and side, token and amounts are the leader's own. The leader's order rested and
 * was hit (role `maker`), or took liquidity (role `taker`: the row's `taker` is the exchange; one
 * row for the whole taker order however many maker orders it matched). A MINT or MERGE needs no
 * special case: the leader's row is a BUY (or SELL) of its own token at its own price, whatever
 * token the counterparty traded. `part` is the order hash: unique per order within a transaction.
 */
import { MoneyError, ValidationError } from '../../../core/errors.ts';
import { MICRO, type Price, price, type Shares, shares, type Usdc, usdc } from '../../../core/money.ts';
import { mulDiv } from '../../../core/rounding.ts';
import type { ChainFillLog, ChainRemovedLog, MinedOrderFilled } from '../../../polymarket/chain/index.ts';
import type { LeaderFillRetraction, LeaderFillSighting } from '../../sighting.ts';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** An on-chain 6-decimal amount as micro-units (the same scale), refusing what a number cannot hold. */
export function microOf(amount: bigint, what: string): number {
  if (amount < 0n || amount > MAX_SAFE)
    throw new MoneyError(`${what} ${amount} is outside the safe integer range`);
  return Number(amount);
}

/**
 * The fill's price per share in micro-units: collateral / shares, rounded half-even. Exact for a
 * single match at a tick price; a taker row spanning several maker prices gives their
 * size-weighted mean, which may fall between micro-units (half-even: no bias either way).
 */
export function fillPrice(collateral: number, size: number): Price {
  if (size <= 0) throw new ValidationError('a fill of 0 shares has no price');
  const p = mulDiv(collateral, MICRO, size, 'halfEven');
  if (p > MICRO) throw new ValidationError(`collateral ${collateral} exceeds shares ${size}: price above 1`);
  return price(p);
}

/**
 * The leader's fee in pUSD/USDC micro-units. V2 and V1 SELL fees are collateral already; a V1 BUY
 * paid its fee in the shares it received (§8.1), valued here at the fill's price, truncated as
 * fees are.
 */
export function feeInCollateral(fill: MinedOrderFilled, collateral: number, size: number): Usdc {
  const fee = microOf(fill.fee, 'fee');
  if (fill.version === 1 && fill.side === 'BUY') return usdc(mulDiv(fee, collateral, size, 'trunc'));
  return usdc(fee);
}

/** A fill log as a sighting. Throws ValidationError or MoneyError for amounts that make no sense. */
export function sightingFromFill(log: ChainFillLog): LeaderFillSighting {
  const { fill } = log;
  const size = microOf(fill.shares, 'shares');
  const collateral = microOf(fill.collateral, 'collateral');
  return {
    kind: 'fill',
    source: 'chain',
    leader: fill.maker.toLowerCase(),
    txHash: fill.transactionHash.toLowerCase(),
    tokenId: fill.tokenId.toString(),
    conditionId: null,
    outcome: null,
    outcomeIndex: null,
    side: fill.side,
    price: fillPrice(collateral, size),
    size: shares(size) as Shares,
    usdc: usdc(collateral),
    fee: feeInCollateral(fill, collateral, size),
    role: fill.role === 'TAKER' ? 'taker' : 'maker',
    blockNumber: fill.blockNumber,
    logIndex: fill.logIndex,
    part: fill.orderHash.toLowerCase(),
    tradeTimeMs: log.blockTimeMs,
    seenAtMs: log.receivedAtMs,
    // A log found by the gap fill after a reconnect is late, not history: the copier's catch-up
    // policy judges it by its age (the chain source never reads history at start).
    isBackfill: false,
    raw: log.raw,
  };
}

/** A removed log (reorg) as the retraction of the sighting its earlier delivery produced. */
export function retractionFromRemoved(log: ChainRemovedLog): LeaderFillRetraction {
  const { fill } = log;
  return {
    kind: 'retract',
    source: 'chain',
    leader: fill.maker.toLowerCase(),
    txHash: fill.transactionHash.toLowerCase(),
    logIndex: fill.logIndex,
    part: fill.orderHash.toLowerCase(),
    seenAtMs: log.receivedAtMs,
  };
}
