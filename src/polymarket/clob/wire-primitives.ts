/**
 * zod schemas for the scalar types of CLOB wire messages: addresses, uint256 decimal strings,
 * hex bytes. Shared by the order and auth schemas.
 */
import { type Address, type Hex, isAddress, maxUint256 } from 'viem';
import { z } from 'zod';

/**
 * A 20-byte address. Lower-case, upper-case or a correct EIP-55 checksum; a mixed-case address
 * with a wrong checksum is refused, as viem refuses it when signing.
 */
export const addressSchema = z
  .string()
  .refine((s) => isAddress(s, { strict: true }), 'not an address (or a wrong EIP-55 checksum)')
  .transform((s) => s as Address);

const CANONICAL_UINT = /^(0|[1-9][0-9]{0,77})$/;

/** A uint256 as a canonical decimal string (no sign, no leading zeros), as the client sends amounts. */
export const uint256StringSchema = z
  .string()
  .refine((s) => CANONICAL_UINT.test(s) && BigInt(s) <= maxUint256, 'not a canonical uint256 decimal string');

/** 0x-prefixed hex of whole bytes (either case). */
export const hexBytesSchema = z
  .string()
  .regex(/^0x(?:[0-9a-fA-F]{2})*$/, 'not 0x-prefixed hex bytes')
  .transform((s) => s as Hex);

/** Exactly 32 bytes of hex. */
export const bytes32Schema = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, 'not a 0x-prefixed bytes32')
  .transform((s) => s as Hex);
