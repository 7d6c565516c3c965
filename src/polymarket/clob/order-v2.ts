/**
 * The CLOB V2 signed order: its JSON as `@polymarket/clob-client-v2` posts it (`POST /order`,
 * `POST /orders`), its EIP-712 typed data (domain version "2") and its hash.
 *
 * Learned from the client's dist/ (`types/ordersV2.js` orderToJsonV2,
 * `order-utils/exchangeOrderBuilderV2.js`, `order-utils/model/ctfExchangeV2TypedData.js`) and from
 * captured requests. `expiration` travels in the JSON but is not signed; `salt` is signed as a
 * uint256 and sent as a JSON number (the client's `parseInt` of its decimal salt string).
 */
import { type Address, type Hex, hashTypedData, type TypedDataDomain } from 'viem';
import { z } from 'zod';
import { exchangeV2Address } from './addresses.ts';
import { addressSchema, bytes32Schema, hexBytesSchema, uint256StringSchema } from './wire-primitives.ts';

export const SIDES = ['BUY', 'SELL'] as const;
export type Side = (typeof SIDES)[number];

/** `signatureType` values (api-reference.md §7.4). */
export const SIGNATURE_TYPE = {
  /** An EOA signs for itself: maker = signer = the EOA. */
  EOA: 0,
  /** An EOA signs for its Polymarket proxy wallet: maker = proxy, signer = EOA. */
  POLY_PROXY: 1,
  /** An EOA signs for its Polymarket Gnosis Safe: maker = Safe, signer = EOA. */
  POLY_GNOSIS_SAFE: 2,
  /** ERC-1271 deposit wallet: maker = signer = the wallet, signature wrapped per ERC-7739. */
  POLY_1271: 3,
} as const;
export type SignatureType = (typeof SIGNATURE_TYPE)[keyof typeof SIGNATURE_TYPE];

export const ORDER_TYPES = ['GTC', 'GTD', 'FOK', 'FAK'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];

export const ORDER_V2_DOMAIN_NAME = 'Polymarket CTF Exchange';
export const ORDER_V2_DOMAIN_VERSION = '2';

/** The signed struct, field order as in the exchange contract (primaryType `Order`). */
export const ORDER_V2_EIP712_TYPES = {
  Order: [
    { name: 'salt', type: 'uint256' },
    { name: 'maker', type: 'address' },
    { name: 'signer', type: 'address' },
    { name: 'tokenId', type: 'uint256' },
    { name: 'makerAmount', type: 'uint256' },
    { name: 'takerAmount', type: 'uint256' },
    { name: 'side', type: 'uint8' },
    { name: 'signatureType', type: 'uint8' },
    { name: 'timestamp', type: 'uint256' },
    { name: 'metadata', type: 'bytes32' },
    { name: 'builder', type: 'bytes32' },
  ],
} as const;

/** The EIP-712 encodeType string of `Order`; the POLY_1271 signature envelope carries it. */
export const ORDER_V2_TYPE_STRING =
  'Order(uint256 salt,address maker,address signer,uint256 tokenId,uint256 makerAmount,' +
  'uint256 takerAmount,uint8 side,uint8 signatureType,uint256 timestamp,bytes32 metadata,bytes32 builder)';

/** Which exchange an order is for: chain, and whether the market is neg-risk. */
export interface OrderV2Venue {
  chainId: number;
  negRisk: boolean;
}

const saltSchema = z.union([
  z.number().refine((n) => Number.isSafeInteger(n) && n >= 0, 'salt must be a non-negative safe integer'),
  // Other clients may send the uint256 as a string; the value signed is the same.
  uint256StringSchema,
]);

/** `order` of a `POST /order` body. Unknown fields (e.g. a stray `taker`) are dropped. */
export const signedOrderV2Schema = z.object({
  salt: saltSchema,
  maker: addressSchema,
  signer: addressSchema,
  tokenId: uint256StringSchema,
  makerAmount: uint256StringSchema,
  takerAmount: uint256StringSchema,
  side: z.enum(SIDES),
  signatureType: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]),
  /** Creation time in epoch milliseconds (it replaced V1's nonce for uniqueness). */
  timestamp: uint256StringSchema,
  /** Unix seconds, "0" for none. Not part of the signed struct. */
  expiration: uint256StringSchema,
  metadata: bytes32Schema,
  builder: bytes32Schema,
  signature: hexBytesSchema,
});
export type SignedOrderV2 = z.infer<typeof signedOrderV2Schema>;

/** The fields the EIP-712 hash covers. */
export type OrderV2Fields = Omit<SignedOrderV2, 'signature' | 'expiration'>;

/** A `POST /order` body; `POST /orders` sends an array of these. */
export const postOrderV2BodySchema = z.object({
  order: signedOrderV2Schema,
  /** The API key (uuid) of the L2 credentials, not an address. */
  owner: z.string().min(1),
  orderType: z.enum(ORDER_TYPES),
  // The official client always sends both; default them for clients that omit them.
  postOnly: z.boolean().default(false),
  deferExec: z.boolean().default(false),
});
export type PostOrderV2Body = z.infer<typeof postOrderV2BodySchema>;

export const postOrdersV2BodySchema = z.array(postOrderV2BodySchema);

/** The EIP-712 domain of V2 orders on this venue. */
export function orderV2Domain(venue: OrderV2Venue): TypedDataDomain & {
  chainId: number;
  verifyingContract: Address;
} {
  return {
    name: ORDER_V2_DOMAIN_NAME,
    version: ORDER_V2_DOMAIN_VERSION,
    chainId: venue.chainId,
    verifyingContract: exchangeV2Address(venue.chainId, venue.negRisk),
  };
}

/** The struct as EIP-712 encodes it: uint256 as bigint, side as 0 (BUY) / 1 (SELL). */
export function orderV2Message(order: OrderV2Fields) {
  return {
    salt: BigInt(order.salt),
    maker: order.maker,
    signer: order.signer,
    tokenId: BigInt(order.tokenId),
    makerAmount: BigInt(order.makerAmount),
    takerAmount: BigInt(order.takerAmount),
    side: order.side === 'BUY' ? 0 : 1,
    signatureType: order.signatureType,
    timestamp: BigInt(order.timestamp),
    metadata: order.metadata,
    builder: order.builder,
  };
}
export type OrderV2Message = ReturnType<typeof orderV2Message>;

/** Typed data ready for viem's `signTypedData` / `hashTypedData`. */
export function orderV2TypedData(order: OrderV2Fields, venue: OrderV2Venue) {
  return {
    domain: orderV2Domain(venue),
    types: ORDER_V2_EIP712_TYPES,
    primaryType: 'Order' as const,
    message: orderV2Message(order),
  };
}

/**
 * The order hash: the EIP-712 digest the maker signs, the exchange's `orderHash` and the
 * `orderID` the CLOB reports. It depends on the venue, so the same order on the neg-risk exchange
 * has another hash.
 */
export function orderHash(order: OrderV2Fields, venue: OrderV2Venue): Hex {
  return hashTypedData(orderV2TypedData(order, venue));
}
