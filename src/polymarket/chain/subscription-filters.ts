/**
 * What the chain source asks the node for: `OrderFilled` logs whose `maker` (topic 2, the owner of
 * the order the row describes) is one of the leaders. Each log is written from its maker's point of
 * view (api-reference.md §7.2), so filtering on topic 2 gives exactly one row per leader order per
 * match, whether the leader was maker or taker, and never the counterparty's view of it.
 */
import { type Address, getAddress, type Hex, isAddress } from 'viem';
import { ValidationError } from '../../core/errors.ts';
import { addressTopic, EXCHANGE_TOPICS } from './abi.ts';
import { EXCHANGE_ADDRESSES, type ExchangeKind, type ExchangeVersion } from './addresses.ts';

/** One exchange contract and the topic0 of its `OrderFilled`. */
export interface OrderFilledEmitter {
  version: ExchangeVersion;
  kind: ExchangeKind;
  address: Address;
  topic0: Hex;
}

/**
 * The four exchanges: V2 (standard, neg-risk) and the V1 pair, whose rows still matter around the
 * 2026-04-28 cutover (both generations' logs appear near it).
 */
export const ORDER_FILLED_EMITTERS: readonly OrderFilledEmitter[] = ([2, 1] as const).flatMap((version) =>
  (['standard', 'negRisk'] as const).map((kind) => ({
    version,
    kind,
    address: getAddress(EXCHANGE_ADDRESSES[version][kind]),
    topic0: EXCHANGE_TOPICS[version].OrderFilled as Hex,
  })),
);

/** An `eth_subscribe` logs filter: one emitter, `OrderFilled`, any order hash, maker in a list. */
export interface OrderFilledLogsFilter {
  address: Address;
  topics: [Hex, null, Hex[]];
}

/** `eth_getLogs` for one block (by hash, never a range), all emitters at once. */
export interface OrderFilledBlockFilter {
  blockHash: Hex;
  address: Address[];
  topics: [Hex[], null, Hex[]];
}

/**
 * Leader wallets as the source keeps them: valid addresses, lower case, no repeats, sorted (so that
 * the same set always gives the same filters). Throws ValidationError naming a bad entry.
 */
export function normalizeLeaders(leaders: readonly string[]): Hex[] {
  const out = new Set<Hex>();
  for (const leader of leaders) {
    if (typeof leader !== 'string' || !isAddress(leader, { strict: false })) {
      throw new ValidationError(`leader ${JSON.stringify(leader)} is not an address`);
    }
    out.add(leader.toLowerCase() as Hex);
  }
  return [...out].sort();
}

/**
 * One logs subscription per emitter, maker = any of `leaders` (already normalized). None for no
 * leaders: an empty OR list matches every value at its position (geth), i.e. every fill on Polygon.
 */
export function orderFilledSubscriptions(
  leaders: readonly Hex[],
  emitters: readonly OrderFilledEmitter[] = ORDER_FILLED_EMITTERS,
): OrderFilledLogsFilter[] {
  if (leaders.length === 0) return [];
  const makers = leaders.map(addressTopic);
  return emitters.map((e) => ({ address: e.address, topics: [e.topic0, null, [...makers]] }));
}

/** The gap fill's query for one block; null for no leaders (same reason as above). */
export function orderFilledBlockFilter(
  blockHash: Hex,
  leaders: readonly Hex[],
  emitters: readonly OrderFilledEmitter[] = ORDER_FILLED_EMITTERS,
): OrderFilledBlockFilter | null {
  if (leaders.length === 0 || emitters.length === 0) return null;
  return {
    blockHash,
    address: emitters.map((e) => e.address),
    topics: [[...new Set(emitters.map((e) => e.topic0))], null, leaders.map(addressTopic)],
  };
}
