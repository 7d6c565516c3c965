/**
 * CLOB authentication on the wire (api-reference.md §4.2; clob-client-v2 `headers/index.js`,
 * `signing/eip712.js`, `signing/hmac.js`):
 *
 * - L1 (create or derive an API key): an EIP-712 `ClobAuth` signature by the wallet, in
 *   POLY_ADDRESS, POLY_SIGNATURE, POLY_TIMESTAMP (unix seconds), POLY_NONCE.
 * - L2 (every trading and account route): an HMAC-SHA256 of `timestamp + METHOD + path + body`
 *   keyed by the API secret, in POLY_ADDRESS, POLY_SIGNATURE, POLY_TIMESTAMP, POLY_API_KEY,
 *   POLY_PASSPHRASE. `path` has no host and no query string; `body` is the exact JSON text sent.
 */
import { createHmac } from 'node:crypto';
import type { Address } from 'viem';
import { z } from 'zod';
import { ValidationError } from '../../core/errors.ts';

/** Header names as the client sends them. Node's `req.headers` has them lower-cased. */
export const POLY_HEADER = {
  address: 'POLY_ADDRESS',
  signature: 'POLY_SIGNATURE',
  timestamp: 'POLY_TIMESTAMP',
  nonce: 'POLY_NONCE',
  apiKey: 'POLY_API_KEY',
  passphrase: 'POLY_PASSPHRASE',
} as const;

export const CLOB_AUTH_DOMAIN_NAME = 'ClobAuthDomain';
/** Still "1" under CLOB V2; the domain has no verifyingContract. */
export const CLOB_AUTH_DOMAIN_VERSION = '1';
export const CLOB_AUTH_MESSAGE = 'This message attests that I control the given wallet';

export const CLOB_AUTH_EIP712_TYPES = {
  ClobAuth: [
    { name: 'address', type: 'address' },
    { name: 'timestamp', type: 'string' },
    { name: 'nonce', type: 'uint256' },
    { name: 'message', type: 'string' },
  ],
} as const;

export interface ClobAuthFields {
  /** The address in POLY_ADDRESS. */
  address: Address;
  /** POLY_TIMESTAMP exactly as sent: it is signed as a string. */
  timestamp: string;
  nonce: bigint;
  chainId: number;
}

/** The L1 typed data, ready for viem's `signTypedData` / `recoverTypedDataAddress`. */
export function clobAuthTypedData(fields: ClobAuthFields) {
  return {
    domain: { name: CLOB_AUTH_DOMAIN_NAME, version: CLOB_AUTH_DOMAIN_VERSION, chainId: fields.chainId },
    types: CLOB_AUTH_EIP712_TYPES,
    primaryType: 'ClobAuth' as const,
    message: {
      address: fields.address,
      timestamp: fields.timestamp,
      nonce: fields.nonce,
      message: CLOB_AUTH_MESSAGE,
    },
  };
}

/** L2 credentials as the client holds them (`ApiKeyCreds`). */
export interface ApiKeyCreds {
  key: string;
  /** base64url (or base64) with `=` padding. */
  secret: string;
  passphrase: string;
}

/** The body of `POST /auth/api-key` and `GET /auth/derive-api-key` replies. */
export const apiKeyResponseSchema = z.object({
  apiKey: z.string().min(1),
  secret: z.string().min(1),
  passphrase: z.string().min(1),
});
export type ApiKeyResponse = z.infer<typeof apiKeyResponseSchema>;

const SECRET_TEXT = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** The HMAC key: the secret decoded as base64url or base64, padding optional. */
export function decodeApiSecret(secret: string): Buffer {
  if (!SECRET_TEXT.test(secret)) throw new ValidationError('the API secret is not base64url text');
  return Buffer.from(secret.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

/**
 * The L2 POLY_SIGNATURE: base64url(HMAC_SHA256(decode(secret), timestamp + method + path + body)),
 * `=` padding kept, as `buildPolyHmacSignature` makes it. `body` is hashed byte for byte.
 */
export function buildL2Signature(
  secret: string,
  timestamp: number | string,
  method: string,
  requestPath: string,
  body?: string | Uint8Array,
): string {
  const hmac = createHmac('sha256', decodeApiSecret(secret));
  hmac.update(`${timestamp}${method}${requestPath}`, 'utf8');
  if (body !== undefined) hmac.update(body);
  return hmac.digest('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

export interface L2HeaderInput {
  /** The signing EOA (the API key's owner), never the funder. */
  address: Address;
  creds: ApiKeyCreds;
  /** Unix seconds. */
  timestamp: number;
  method: string;
  /** Path without host or query string. */
  requestPath: string;
  body?: string;
}

/** The headers of an L2-authenticated request, named as the client names them. */
export interface L2Headers {
  POLY_ADDRESS: string;
  POLY_SIGNATURE: string;
  POLY_TIMESTAMP: string;
  POLY_API_KEY: string;
  POLY_PASSPHRASE: string;
}

/** The L2 headers of one request. */
export function buildL2Headers(input: L2HeaderInput): L2Headers {
  const { address, creds, timestamp, method, requestPath, body } = input;
  return {
    POLY_ADDRESS: address,
    POLY_SIGNATURE: buildL2Signature(creds.secret, timestamp, method, requestPath, body),
    POLY_TIMESTAMP: String(timestamp),
    POLY_API_KEY: creds.key,
    POLY_PASSPHRASE: creds.passphrase,
  };
}

/** The path the HMAC covers: a request target (`/data/orders?market=…`) without query or fragment. */
export function requestPathOf(target: string): string {
  const end = target.search(/[?#]/);
  return end === -1 ? target : target.slice(0, end);
}
