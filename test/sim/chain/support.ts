/** Builders and waiting helpers shared by the chain tests. */
import { type Address, type Hex, keccak256, toHex } from 'viem';
import type { OrderSide } from '../../../src/polymarket/chain/index.ts';
import type { ChainMatch, OrderFill } from '../../../src/sim/chain/index.ts';

/** Wallets as an order's `maker` (funder) would appear. */
export const LEADER: Address = '0xa253d75C2DfB2C6650291D5E8d54076D2fb40181';
export const ALICE: Address = '0x92c9AD93BA0e400FfC8D716eDf70a588D246bdE3';
export const BOB: Address = '0x00000003A358014C7C0e227483dbe01619871000';
export const CAROL: Address = '0xE55b90FeBeA370d4611a4b0A9FF201183268B24e';

/** Real-looking token ids: the sample V2 log's token and a second one. */
export const YES = 0xcd997ada6ab1e2cc68c6566e5142cdc885a275d4fa5a1e13b3fdccf22a3f2340n;
export const NO = 0xfdee4e7856e0a259cea17232d8e548f7309655d49c1eac7fe5813a188c3b4b2cn;

export function orderHash(label: string): Hex {
  return keccak256(toHex(label));
}

/**
 * One order's fill at `price` (micro-units) for `shares` (micro-units): a BUY gives collateral and
 * receives shares, a SELL the reverse.
 */
export function fill(
  label: string,
  maker: Address,
  side: OrderSide,
  tokenId: bigint,
  shares: bigint,
  price: bigint,
  fee = 0n,
): OrderFill {
  const collateral = (shares * price) / 1_000_000n;
  return {
    orderHash: orderHash(label),
    maker,
    side,
    tokenId,
    makerAmountFilled: side === 'BUY' ? collateral : shares,
    takerAmountFilled: side === 'BUY' ? shares : collateral,
    fee,
  };
}

export function match(exchange: ChainMatch['exchange'], taker: OrderFill, makers: OrderFill[]): ChainMatch {
  return { exchange, taker, makers };
}

/** Resolves once `condition()` holds; rejects after `timeoutMs` naming `what`. */
export async function waitFor(what: string, condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
