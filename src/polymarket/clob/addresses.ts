/**
 * Chain ids and contract addresses the CLOB signs against.
 *
 * Values are those of `@polymarket/clob-client-v2@1.1.0` `getContractConfig` (dist/config.js),
 * cross-checked with api-reference.md §4.3 and §7.1 for Polygon. The official client accepts only
 * these two chains, so a simulator runs as chain 137 at the real addresses.
 */
import type { Address } from 'viem';
import { ValidationError } from '../../core/errors.ts';

export const POLYGON_CHAIN_ID = 137;
export const AMOY_CHAIN_ID = 80002;
export type ClobChainId = typeof POLYGON_CHAIN_ID | typeof AMOY_CHAIN_ID;

export interface ClobContracts {
  /** CTF Exchange V2: verifyingContract of standard-market orders (domain version "2"). */
  readonly exchangeV2: Address;
  /** NegRisk CTF Exchange V2: verifyingContract of neg-risk-market orders. */
  readonly negRiskExchangeV2: Address;
  /** ExchangeV3 (domain version "3", "Polymarket V2 protocol" positions); not used by V2 orders. */
  readonly exchangeV3: Address;
  /** Legacy V1 exchanges (domain version "1"), only to decode pre-2026-04-28 history. */
  readonly exchangeV1: Address;
  readonly negRiskExchangeV1: Address;
  readonly negRiskAdapter: Address;
  /** pUSD, 6 decimals. */
  readonly collateral: Address;
  /** ConditionalTokens (ERC-1155 outcome tokens), 6 decimals. */
  readonly conditionalTokens: Address;
}

export const POLYGON_CONTRACTS: ClobContracts = {
  exchangeV2: '0xE111180000d2663C0091e4f400237545B87B996B',
  negRiskExchangeV2: '0xe2222d279d744050d28e00520010520000310F59',
  exchangeV3: '0xe3333700cA9d93003F00f0F71f8515005F6c00Aa',
  exchangeV1: '0x4bFb41d5B3570DeFd03C39a9A4D8dE6Bd8B8982E',
  negRiskExchangeV1: '0xC5d563A36AE78145C45a50134d48A1215220f80a',
  negRiskAdapter: '0xd91E80cF2E7be2e162c6513ceD06f1dD0dA35296',
  collateral: '0xC011a7E12a19f7B1f670d46F03B03f3342E82DFB',
  conditionalTokens: '0x4D97DCd97eC945f40cF65F87097ACe5EA0476045',
};

/**
 * Amoy as the official client configures it. Its `collateral` and `negRiskExchangeV1` equal the
 * Polygon addresses; that is the client's configuration, kept as is so signatures match it.
 */
export const AMOY_CONTRACTS: ClobContracts = {
  exchangeV2: '0xE111180000d2663C0091e4f400237545B87B996B',
  negRiskExchangeV2: '0xe2222d279d744050d28e00520010520000310F59',
  exchangeV3: '0x9fE6e61422AdB6F610d8597F9684b16912D50C3D',
  exchangeV1: '0xdFE02Eb6733538f8Ea35D585af8DE5958AD99E40',
  negRiskExchangeV1: '0xC5d563A36AE78145C45a50134d48A1215220f80a',
  negRiskAdapter: '0xd91E80cF2E7be2e162c6513ceD06f1dD0dA35296',
  collateral: '0xC011a7E12a19f7B1f670d46F03B03f3342E82DFB',
  conditionalTokens: '0x69308FB512518e39F9b16112fA8d994F4e2Bf8bB',
};

/** Polygon-only addresses outside the client's config (api-reference.md §7.1). */
export const POLYGON_EXTRA_ADDRESSES = {
  /** USDC.e: V1 collateral, and still the CTF-level collateral behind the V2 adapters. */
  usdcE: '0x2791Bca1f2de4661ED88A30C99A7a9449Aa84174',
  negRiskWrappedCollateral: '0x3A3BD7bb9528E159577F7C2e685CC81A765002E2',
} as const satisfies Record<string, Address>;

export function isClobChainId(chainId: number): chainId is ClobChainId {
  return chainId === POLYGON_CHAIN_ID || chainId === AMOY_CHAIN_ID;
}

/** The contracts of `chainId`; a ValidationError for any chain the CLOB does not run on. */
export function clobContracts(chainId: number): ClobContracts {
  if (chainId === POLYGON_CHAIN_ID) return POLYGON_CONTRACTS;
  if (chainId === AMOY_CHAIN_ID) return AMOY_CONTRACTS;
  throw new ValidationError(`the CLOB runs on chain ${POLYGON_CHAIN_ID} or ${AMOY_CHAIN_ID}, not ${chainId}`);
}

/** The V2 exchange a V2 order for this market is signed against (its EIP-712 verifyingContract). */
export function exchangeV2Address(chainId: number, negRisk: boolean): Address {
  const contracts = clobContracts(chainId);
  return negRisk ? contracts.negRiskExchangeV2 : contracts.exchangeV2;
}
