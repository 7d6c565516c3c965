/**
 * The signature of a POLY_1271 (deposit wallet, signatureType 3) order: an ERC-7739 nested
 * EIP-712 envelope that the wallet contract checks in `isValidSignature`.
 *
 *   innerSignature (65) || appDomainSeparator (32) || contentsHash (32) || contentsType || uint16(len)
 *
 * The owner EOA signs `TypedDataSign{contents: order, name: "DepositWallet", version: "1", chainId,
 * verifyingContract: wallet, salt: 0}` under the exchange's domain; appDomainSeparator is that
 * domain's separator and contentsHash the order's struct hash (clob-client-v2
 * `exchangeOrderBuilderV2.js` buildOrderSignature).
 */
import { type Hex, hexToBytes, hexToNumber, slice, toHex, zeroHash } from 'viem';
import {
  ORDER_V2_EIP712_TYPES,
  type OrderV2Fields,
  type OrderV2Venue,
  orderV2Domain,
  orderV2Message,
} from './order-v2.ts';

export const DEPOSIT_WALLET_DOMAIN_NAME = 'DepositWallet';
export const DEPOSIT_WALLET_DOMAIN_VERSION = '1';

export const TYPED_DATA_SIGN_EIP712_TYPES = {
  TypedDataSign: [
    { name: 'contents', type: 'Order' },
    { name: 'name', type: 'string' },
    { name: 'version', type: 'string' },
    { name: 'chainId', type: 'uint256' },
    { name: 'verifyingContract', type: 'address' },
    { name: 'salt', type: 'bytes32' },
  ],
  Order: ORDER_V2_EIP712_TYPES.Order,
} as const;

const ECDSA_LENGTH = 65;
const FIXED_LENGTH = ECDSA_LENGTH + 32 + 32 + 2;

export interface Poly1271Envelope {
  /** The owner EOA's ECDSA signature of the TypedDataSign digest. */
  innerSignature: Hex;
  appDomainSeparator: Hex;
  contentsHash: Hex;
  /** The EIP-712 type string of the contents, e.g. ORDER_V2_TYPE_STRING. */
  contentsType: string;
}

/** Splits an envelope; undefined when the lengths do not add up. */
export function parsePoly1271Signature(signature: Hex): Poly1271Envelope | undefined {
  const bytes = hexToBytes(signature);
  if (bytes.length < FIXED_LENGTH) return undefined;
  const typeLength = hexToNumber(slice(signature, bytes.length - 2));
  if (bytes.length !== FIXED_LENGTH + typeLength) return undefined;
  const typeStart = ECDSA_LENGTH + 64;
  return {
    innerSignature: slice(signature, 0, ECDSA_LENGTH),
    appDomainSeparator: slice(signature, ECDSA_LENGTH, ECDSA_LENGTH + 32),
    contentsHash: slice(signature, ECDSA_LENGTH + 32, typeStart),
    contentsType: new TextDecoder().decode(bytes.subarray(typeStart, typeStart + typeLength)),
  };
}

/** Assembles an envelope (the inverse of parsePoly1271Signature). */
export function serializePoly1271Signature(envelope: Poly1271Envelope): Hex {
  const typeBytes = new TextEncoder().encode(envelope.contentsType);
  return `0x${[
    envelope.innerSignature,
    envelope.appDomainSeparator,
    envelope.contentsHash,
    toHex(typeBytes),
    toHex(typeBytes.length, { size: 2 }),
  ]
    .map((part) => part.slice(2))
    .join('')}`;
}

/** The typed data the wallet's owner signs for `order`; the wallet is `order.signer` (= maker). */
export function depositWalletTypedData(order: OrderV2Fields, venue: OrderV2Venue) {
  return {
    domain: orderV2Domain(venue),
    types: TYPED_DATA_SIGN_EIP712_TYPES,
    primaryType: 'TypedDataSign' as const,
    message: {
      contents: orderV2Message(order),
      name: DEPOSIT_WALLET_DOMAIN_NAME,
      version: DEPOSIT_WALLET_DOMAIN_VERSION,
      chainId: BigInt(venue.chainId),
      verifyingContract: order.signer,
      salt: zeroHash,
    },
  };
}
