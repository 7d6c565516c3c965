import { getContractConfig } from '@polymarket/clob-client-v2';
import { getAddress } from 'viem';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/core/errors.ts';
import {
  AMOY_CHAIN_ID,
  AMOY_CONTRACTS,
  type ClobContracts,
  clobContracts,
  exchangeV2Address,
  isClobChainId,
  POLYGON_CHAIN_ID,
  POLYGON_CONTRACTS,
  POLYGON_EXTRA_ADDRESSES,
} from '../../../src/polymarket/clob/addresses.ts';

/** Our names for the client's config keys. */
const CLIENT_KEY: Record<keyof ClobContracts, string> = {
  exchangeV2: 'exchangeV2',
  negRiskExchangeV2: 'negRiskExchangeV2',
  exchangeV3: 'exchangeV3',
  exchangeV1: 'exchange',
  negRiskExchangeV1: 'negRiskExchange',
  negRiskAdapter: 'negRiskAdapter',
  collateral: 'collateral',
  conditionalTokens: 'conditionalTokens',
};

describe('CLOB contract addresses', () => {
  it.each([
    [POLYGON_CHAIN_ID, POLYGON_CONTRACTS],
    [AMOY_CHAIN_ID, AMOY_CONTRACTS],
  ])('chain %i equals the official client config, key by key', (chainId, ours) => {
    const theirs = getContractConfig(chainId) as unknown as Record<string, string>;
    for (const [name, clientKey] of Object.entries(CLIENT_KEY)) {
      expect(ours[name as keyof ClobContracts], name).toBe(theirs[clientKey]);
    }
    expect(Object.keys(theirs).sort()).toEqual(Object.values(CLIENT_KEY).sort());
  });

  it('Polygon V2 addresses are the ones in the reference (§4.3, §7.1)', () => {
    expect(POLYGON_CONTRACTS.exchangeV2).toBe('0xE111180000d2663C0091e4f400237545B87B996B');
    expect(POLYGON_CONTRACTS.negRiskExchangeV2).toBe('0xe2222d279d744050d28e00520010520000310F59');
    expect(POLYGON_CONTRACTS.collateral).toBe('0xC011a7E12a19f7B1f670d46F03B03f3342E82DFB');
    expect(POLYGON_CONTRACTS.conditionalTokens).toBe('0x4D97DCd97eC945f40cF65F87097ACe5EA0476045');
  });

  it('every address is in EIP-55 checksum form', () => {
    const all = [
      ...Object.values(POLYGON_CONTRACTS),
      ...Object.values(AMOY_CONTRACTS),
      ...Object.values(POLYGON_EXTRA_ADDRESSES),
    ];
    for (const address of all) expect(getAddress(address)).toBe(address);
  });

  it('picks the V2 exchange by neg-risk', () => {
    expect(exchangeV2Address(137, false)).toBe(POLYGON_CONTRACTS.exchangeV2);
    expect(exchangeV2Address(137, true)).toBe(POLYGON_CONTRACTS.negRiskExchangeV2);
    expect(exchangeV2Address(80002, true)).toBe(AMOY_CONTRACTS.negRiskExchangeV2);
  });

  it('refuses chains the CLOB does not run on', () => {
    expect(isClobChainId(137)).toBe(true);
    expect(isClobChainId(80002)).toBe(true);
    expect(isClobChainId(1)).toBe(false);
    expect(() => clobContracts(1)).toThrow(ValidationError);
    expect(() => exchangeV2Address(31337, false)).toThrow(ValidationError);
  });
});
