/**
 * zod schemas for the L1 and L2 auth headers as a server receives them. Node lower-cases header
 * names (`poly_address`, ...); `lowerCaseHeaders` brings any other header record to that form.
 */
import { z } from 'zod';
import { addressSchema, hexBytesSchema, uint256StringSchema } from './wire-primitives.ts';

/**
 * Node's `IncomingHttpHeaders` or any plain header record. Values are checked by the schemas, so
 * anything but a single string (a repeated header arrives as an array) is refused there.
 */
export type HeaderBag = Readonly<Record<string, unknown>>;

/** The same headers with lower-case names. */
export function lowerCaseHeaders(headers: HeaderBag): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
  return out;
}

/** POLY_TIMESTAMP: unix seconds as decimal digits, kept as text because L1 signs the text. */
const unixSecondsText = z.string().regex(/^[0-9]{1,12}$/, 'not unix seconds');

export const l1HeadersSchema = z.object({
  poly_address: addressSchema,
  poly_signature: hexBytesSchema,
  poly_timestamp: unixSecondsText,
  poly_nonce: uint256StringSchema,
});
export type L1HeaderValues = z.infer<typeof l1HeadersSchema>;

export const l2HeadersSchema = z.object({
  poly_address: addressSchema,
  poly_signature: z.string().min(1),
  poly_timestamp: unixSecondsText,
  poly_api_key: z.string().min(1),
  poly_passphrase: z.string().min(1),
});
export type L2HeaderValues = z.infer<typeof l2HeadersSchema>;
