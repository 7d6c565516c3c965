/**
 * What the simulator settles on chain: one match of the matching engine, as the real exchange's
 * `matchOrders` reports it (api-reference.md §7.2). Amounts are on-chain uint256 values, 6-decimal
 * base units (`BigInt(micro)` from the engine's micro-unit integers).
 */
import { type Address, encodeFunctionData, type Hex, isAddress, maxUint256 } from 'viem';
import { ValidationError } from '../../core/errors.ts';
import type { ExchangeKind, OrderSide } from '../../polymarket/chain/index.ts';
import { simExchangeAbi } from './contract/abi.ts';

/** One order's part in a match, from the point of view of that order's maker. */
export interface OrderFill {
  /** The order's EIP-712 hash (bytes32). */
  orderHash: Hex;
  /** The order's maker: the funder wallet (EOA, proxy, Safe or deposit wallet) that owns it. */
  maker: Address;
  side: OrderSide;
  /** The outcome token this order trades (the CLOB token id / ERC-1155 position id). */
  tokenId: bigint;
  /** What this order gave in the match: collateral for a BUY, shares for a SELL. */
  makerAmountFilled: bigint;
  /** What this order received: shares for a BUY, collateral for a SELL. */
  takerAmountFilled: bigint;
  /** pUSD fee charged to this order; V2 fees are taker-only, so maker orders leave it 0 (default). */
  fee?: bigint;
  /** V2 builder code word; zero (default) for orders without one. */
  builder?: Hex;
  /** V2 metadata word; zero by default. */
  metadata?: Hex;
}

/**
 * One match: a taker order against one or more resting (maker) orders. It settles as one
 * transaction: an `OrderFilled` per maker order (taker = the taker order's maker), then the taker
 * order's `OrderFilled` (taker = the exchange) and `OrdersMatched`.
 */
export interface ChainMatch {
  /** Which V2 exchange settles it: `negRisk` for negative-risk markets. */
  exchange: ExchangeKind;
  /** The taker order, with its totals over all maker orders of this match. */
  taker: OrderFill;
  /** The maker orders in match order; at least one. */
  makers: readonly OrderFill[];
}

/** Bounded so a settle transaction stays well under the 16.7M per-transaction gas cap. */
export const MAX_MAKER_FILLS = 400;

const ZERO_WORD: Hex = `0x${'0'.repeat(64)}`;
const BYTES32 = /^0x[0-9a-fA-F]{64}$/;

/** Throws ValidationError naming the first thing wrong with `match`. */
export function validateMatch(match: ChainMatch): void {
  if (match.exchange !== 'standard' && match.exchange !== 'negRisk') {
    throw new ValidationError(`exchange must be 'standard' or 'negRisk', got ${String(match.exchange)}`);
  }
  if (!Array.isArray(match.makers) || match.makers.length === 0) {
    throw new ValidationError('a match needs at least one maker fill');
  }
  if (match.makers.length > MAX_MAKER_FILLS) {
    throw new ValidationError(
      `a match may have at most ${MAX_MAKER_FILLS} maker fills, got ${match.makers.length}`,
    );
  }
  validateFill(match.taker, 'taker');
  match.makers.forEach((fill, i) => {
    validateFill(fill, `makers[${i}]`);
  });
}

function validateFill(fill: OrderFill, where: string): void {
  const fail = (what: string): never => {
    throw new ValidationError(`${where}: ${what}`);
  };
  if (typeof fill.orderHash !== 'string' || !BYTES32.test(fill.orderHash))
    fail('orderHash must be bytes32 hex');
  if (typeof fill.maker !== 'string' || !isAddress(fill.maker, { strict: false }))
    fail('maker must be an address');
  if (fill.side !== 'BUY' && fill.side !== 'SELL') fail(`side must be BUY or SELL, got ${String(fill.side)}`);
  for (const key of ['tokenId', 'makerAmountFilled', 'takerAmountFilled', 'fee'] as const) {
    const value = fill[key] ?? 0n;
    if (typeof value !== 'bigint' || value < 0n || value > maxUint256)
      fail(`${key} must be a uint256 bigint`);
  }
  for (const key of ['builder', 'metadata'] as const) {
    const value = fill[key];
    if (value !== undefined && (typeof value !== 'string' || !BYTES32.test(value)))
      fail(`${key} must be bytes32 hex`);
  }
}

function fillStruct(fill: OrderFill) {
  return {
    orderHash: fill.orderHash,
    maker: fill.maker,
    side: fill.side === 'BUY' ? 0 : 1,
    tokenId: fill.tokenId,
    makerAmountFilled: fill.makerAmountFilled,
    takerAmountFilled: fill.takerAmountFilled,
    fee: fill.fee ?? 0n,
    builder: fill.builder ?? ZERO_WORD,
    metadata: fill.metadata ?? ZERO_WORD,
  };
}

/** Calldata of `settleMatch(taker, makers)` for a validated match. */
export function encodeSettleCall(match: ChainMatch): Hex {
  return encodeFunctionData({
    abi: simExchangeAbi,
    functionName: 'settleMatch',
    args: [fillStruct(match.taker), match.makers.map(fillStruct)],
  });
}

/**
 * Gas for a settle with `makerCount` maker fills: about twice what it uses with all-nonzero words
 * (measured 40k for one maker plus 7.7k per extra maker), so any values fit.
 */
export function settleGas(makerCount: number): bigint {
  return 60_000n + 16_000n * BigInt(makerCount + 1);
}
