/**
 * Polymarket's CTF exchange contracts on Polygon (chain 137): the emitters of `OrderFilled` and
 * `OrdersMatched`. The addresses are the CLOB module's (checked against the official client there); this
 * indexes them for decoding logs.
 */
import { type Address, getAddress } from 'viem';
import { POLYGON_CHAIN_ID, POLYGON_CONTRACTS } from '../clob/addresses.ts';

export { POLYGON_CHAIN_ID };

/** Which exchange of a generation: standard binary markets or negative-risk (multi-outcome) ones. */
export type ExchangeKind = 'standard' | 'negRisk';

/** The event layout of a generation: V2 since 2026-04-28, V1 before (decode history only). */
export type ExchangeVersion = 1 | 2;

export const EXCHANGE_ADDRESSES = {
  2: { standard: POLYGON_CONTRACTS.exchangeV2, negRisk: POLYGON_CONTRACTS.negRiskExchangeV2 },
  1: { standard: POLYGON_CONTRACTS.exchangeV1, negRisk: POLYGON_CONTRACTS.negRiskExchangeV1 },
} as const satisfies Record<ExchangeVersion, Record<ExchangeKind, Address>>;

export interface KnownExchange {
  version: ExchangeVersion;
  kind: ExchangeKind;
  address: Address;
}

const byLowerAddress = new Map<string, KnownExchange>();
for (const version of [2, 1] as const) {
  for (const kind of ['standard', 'negRisk'] as const) {
    const address = EXCHANGE_ADDRESSES[version][kind];
    byLowerAddress.set(address.toLowerCase(), { version, kind, address: getAddress(address) });
  }
}

/** The Polymarket exchange at `address` (any case), or undefined for any other contract. */
export function knownExchange(address: string): KnownExchange | undefined {
  return byLowerAddress.get(address.toLowerCase());
}

/** All four exchange addresses, e.g. for an `eth_subscribe` logs filter. */
export const ALL_EXCHANGE_ADDRESSES: readonly Address[] = [...byLowerAddress.values()].map((e) => e.address);
