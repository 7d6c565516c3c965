/**
 * Which funder wallet an API key trades from, per signature type. The CLOB learns a proxy, Safe
 * or deposit wallet from the orders signed for it; the simulator cannot derive those addresses
 * (no factories), so it remembers each accepted order's maker, after an optional lookup.
 */
import { type Address, getAddress } from 'viem';
import type { SignatureType } from '../../../polymarket/clob/order-v2.ts';

export class FunderBook {
  readonly #seen = new Map<string, Address>();
  readonly #lookup: ((owner: Address, type: SignatureType) => Address | undefined) | undefined;

  constructor(lookup?: (owner: Address, type: SignatureType) => Address | undefined) {
    this.#lookup = lookup;
  }

  remember(apiKey: string, type: SignatureType, maker: Address): void {
    this.#seen.set(`${apiKey}|${type}`, getAddress(maker));
  }

  /** The wallet whose balances `/balance-allowance` reports; the EOA itself for type 0. */
  funderOf(apiKey: string, owner: Address, type: SignatureType): Address | undefined {
    if (type === 0) return owner;
    return this.#seen.get(`${apiKey}|${type}`) ?? this.#lookup?.(owner, type);
  }
}
