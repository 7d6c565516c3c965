/**
 * The wallet set-up of an `[[accounts]]` entry, checked without the network: the signature type
 * against the funder (the rules LiveBroker enforces when it is built, said here with the fix), and
 * the configured signing address against the key's.
 */
import { type Address, getAddress, isAddressEqual } from 'viem';
import type { SignatureType } from '../../polymarket/clob/order-v2.ts';
import { DEPOSIT_WALLET_REFUSAL } from '../live/live-broker.ts';
import { type CheckOutcome, pass } from './outcome.ts';

export interface AccountWallet {
  name: string;
  signature_type: SignatureType;
  /** The signing EOA, if the config names it. */
  address?: string | undefined;
  /** The wallet holding the funds (proxy, Safe or deposit wallet). */
  funder?: string | undefined;
}

export interface WalletCheckOptions {
  /** Accept type 3 with an EOA-bound API key (LiveBroker's option of the same name). */
  allowDepositWalletWithEoaKey?: boolean;
}

const KIND: Record<SignatureType, string> = {
  0: 'EOA',
  1: 'Polymarket proxy wallet',
  2: 'Polymarket Safe',
  3: 'deposit wallet',
};

const fail = (code: Extract<CheckOutcome, { status: 'fail' }>['code'], message: string, fix: string) =>
  ({ status: 'fail', code, message, fix }) as const;

/**
 * Whether `account` can trade as configured. `keyAddress` is the address of the key in the
 * keystore under the account's name, when it is known.
 */
export function checkWallet(
  account: AccountWallet,
  keyAddress?: Address,
  options: WalletCheckOptions = {},
): CheckOutcome {
  const type = account.signature_type;
  const where = `[[accounts]] ${account.name}`;
  if (type === 3 && options.allowDepositWalletWithEoaKey !== true) {
    return fail(
      'DEPOSIT_WALLET_REFUSED',
      DEPOSIT_WALLET_REFUSAL,
      `Set signature_type = 1 or 2 in ${where} with the account's proxy or Safe as funder, if it has one.`,
    );
  }
  if (
    account.address !== undefined &&
    keyAddress !== undefined &&
    !isAddressEqual(account.address as Address, keyAddress)
  ) {
    return fail(
      'ADDRESS_MISMATCH',
      `${where} names signer ${getAddress(account.address)} but key ${account.name} signs for ${keyAddress}`,
      `Correct address in ${where}, or put the matching key in the keystore (polyhunter keys add ${account.name}).`,
    );
  }
  const eoa =
    keyAddress !== undefined
      ? getAddress(keyAddress)
      : account.address === undefined
        ? undefined
        : getAddress(account.address);
  const funder = account.funder === undefined ? undefined : getAddress(account.funder);
  if (type === 0) {
    if (funder !== undefined && eoa !== undefined && !isAddressEqual(funder, eoa)) {
      return fail(
        'FUNDER_NOT_EOA',
        `signature type 0 (EOA) trades from the key's own address ${eoa}, but ${where} names funder ${funder}`,
        `Set signature_type = 1 (proxy) or 2 (Safe) in ${where} to trade from ${funder}, or remove its funder.`,
      );
    }
    return pass(`signature type 0 (EOA): orders trade from ${eoa ?? 'the key address'}`);
  }
  if (funder === undefined) {
    return fail(
      'FUNDER_MISSING',
      `signature type ${type} (${KIND[type]}) needs the address of the wallet holding the funds, and ${where} has no funder`,
      `Set funder in ${where} to the ${KIND[type]} address (your Polymarket profile address).`,
    );
  }
  if (eoa !== undefined && isAddressEqual(funder, eoa)) {
    return fail(
      'FUNDER_IS_EOA',
      `signature type ${type} (${KIND[type]}) needs a funder distinct from the signing key ${eoa}`,
      `Set signature_type = 0 in ${where} to trade from the key's own address, or set funder to the ${KIND[type]}.`,
    );
  }
  return pass(`signature type ${type} (${KIND[type]}): ${eoa ?? 'the key'} signs for funder ${funder}`);
}
