/**
 * zod schemas for the scalars every Polymarket message is made of (CLOB, Gamma, Data API, RTDS),
 * beside the order-body ones in ../wire-primitives.ts.
 *
 * Hash-like ids (condition ids, order ids, transaction hashes) are checked for their kind
 * ("0x" + hex), not their length: the documented examples and fixtures shorten them, and an
 * adapter only joins on them. Addresses are checked in full (wire-primitives' `addressSchema`):
 * they are compared with configured wallets. Prices are checked to lie in [0, 1].
 */
import { z } from 'zod';
import { SIDES } from '../order-v2.ts';
import { uint256StringSchema } from '../wire-primitives.ts';

export const sideSchema = z.enum(SIDES);

/** "0x" followed by hex digits, any length and case: condition ids, order ids, tx hashes. */
export const hexIdSchema = z.string().regex(/^0x[0-9a-fA-F]+$/, 'not a 0x-prefixed hex id');

/** A CTF token id (ERC-1155 position id): a uint256 as a canonical decimal string. */
export const tokenIdSchema = uint256StringSchema;

/** The CLOB's book hash: hex without "0x" (a SHA-1, 40 digits, in every capture). */
export const bookHashSchema = z.string().regex(/^[0-9a-fA-F]+$/, 'not a hex book hash');

/** A non-negative decimal string as the CLOB writes sizes and amounts: "59088.47", "5". */
export const decimalStringSchema = z.string().regex(/^\d+(\.\d+)?$/, 'not a non-negative decimal string');

/** A price (or tick size) as a decimal string in [0, 1]: "0.57", "0.420", "1". */
export const priceStringSchema = z
  .string()
  .regex(/^(0(\.\d+)?|1(\.0+)?)$/, 'not a price: a decimal string between 0 and 1');

/**
 * `schema`, or "": the APIs write "none" as an empty string (no trade yet, an empty book side, a
 * non-trade activity row's side). "" becomes null, so the type says a value may be missing.
 */
export function orEmpty<T extends z.ZodType>(schema: T) {
  return z.union([z.literal('').transform(() => null), schema]);
}

/** A decimal string, or "" for none (-> null). */
export const decimalOrEmptySchema = orEmpty(decimalStringSchema);

/** A price string, or "" for none (-> null). */
export const priceOrEmptySchema = orEmpty(priceStringSchema);

/** A price as a JSON number in [0, 1] (Data API, RTDS, Gamma). */
export const priceNumberSchema = z.number().min(0).max(1);

/** A non-negative finite JSON number: sizes in shares, amounts in USDC/pUSD. */
export const nonNegativeNumberSchema = z.number().nonnegative();

/**
 * An epoch time as a string of digits. The unit depends on the message and is named where the
 * schema is used (the CLOB's websocket writes ms; the user channel's docs example writes seconds).
 */
export const epochStringSchema = z.string().regex(/^\d+$/, 'not an epoch time (a string of digits)');

/** The upper bound of epoch seconds, year 5138: anything larger is milliseconds sent by mistake. */
const MAX_EPOCH_SECONDS = 99_999_999_999;

/** Epoch seconds as a JSON integer (Data API and RTDS payload timestamps). */
export const epochSecondsSchema = z
  .number()
  .int()
  .nonnegative()
  .max(MAX_EPOCH_SECONDS, 'epoch seconds expected, got a millisecond-sized value');

/** Epoch milliseconds as a JSON integer (RTDS envelope timestamps). */
export const epochMsSchema = z
  .number()
  .int()
  .min(MAX_EPOCH_SECONDS + 1, 'epoch milliseconds expected, got a second-sized value')
  .max(Number.MAX_SAFE_INTEGER);

/** An outcome's index in its market's `outcomes`; 999 means "unknown" on the Data API. */
export const outcomeIndexSchema = z.number().int().nonnegative();

export const UNKNOWN_OUTCOME_INDEX = 999;
