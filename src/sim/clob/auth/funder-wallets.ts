/**
 * The wallets that hold funds for an EOA: Polymarket proxy wallets (signatureType 1), Gnosis Safes
 * (2) and deposit wallets (3). On Polygon their addresses follow from factories and their owners
 * from contract state; the simulator has neither, so scenarios register them here.
 */
import { type Address, getAddress } from 'viem';
import type { SignatureType } from '../../../polymarket/clob/order-v2.ts';

export type FunderWalletKind = 'proxy' | 'safe' | 'deposit';

export interface FunderWallet {
  address: Address;
  /** The EOA that signs for it. */
  owner: Address;
  kind: FunderWalletKind;
}

/** The wallet kind each non-EOA signature type is for. */
export const WALLET_KIND_OF_SIGNATURE_TYPE: Readonly<Record<Exclude<SignatureType, 0>, FunderWalletKind>> = {
  1: 'proxy',
  2: 'safe',
  3: 'deposit',
};

export interface FunderWalletLookup {
  walletAt(address: Address): FunderWallet | undefined;
}

export class FunderWalletRegistry implements FunderWalletLookup {
  readonly #wallets = new Map<string, FunderWallet>();

  /** Registers (or replaces) a wallet. A wallet cannot be its own owner. */
  register(wallet: FunderWallet): void {
    const address = getAddress(wallet.address);
    const owner = getAddress(wallet.owner);
    if (address === owner) throw new RangeError(`a ${wallet.kind} wallet cannot own itself: ${address}`);
    this.#wallets.set(address.toLowerCase(), { address, owner, kind: wallet.kind });
  }

  walletAt(address: Address): FunderWallet | undefined {
    return this.#wallets.get(address.toLowerCase());
  }
}
