/**
 * L2 authentication (every trading and account route): a known API key, its passphrase, the key's
 * owner in POLY_ADDRESS, a fresh POLY_TIMESTAMP, and POLY_SIGNATURE equal to the HMAC of
 * `timestamp + method + path + body`. Every failure is the real 401 `Unauthorized/Invalid api key`.
 *
 * The HMAC is compared exactly as the client makes it (base64url, `=` padding kept); the body is
 * the raw request body, byte for byte, since the client signs the very JSON text it sends.
 */
import { timingSafeEqual } from 'node:crypto';
import { type Address, isAddressEqual } from 'viem';
import { buildL2Signature, requestPathOf } from '../../../polymarket/clob/auth.ts';
import { type HeaderBag, l2HeadersSchema, lowerCaseHeaders } from '../../../polymarket/clob/auth-headers.ts';
import type { ApiKeyLookup } from './api-key-registry.ts';
import { DEFAULT_TIMESTAMP_TOLERANCE_SECONDS, isFreshTimestamp } from './freshness.ts';
import { accepted, CLOB_ERROR, refused, type Verified } from './replies.ts';

export interface L2Identity {
  /** The API key's owner (checksummed): the EOA orders must be signed by. */
  address: Address;
  apiKey: string;
}

export interface VerifyL2Options {
  timestampToleranceSeconds?: number;
}

function refuse(reason: string): Verified<L2Identity> {
  return refused(401, CLOB_ERROR.invalidApiKey, reason);
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * `pathWithoutQuery` is the request path as the HMAC covers it; a query string or fragment, if
 * passed, is dropped. `rawBody` is the body as received (undefined or empty when there is none).
 */
export function verifyL2(
  keys: ApiKeyLookup,
  headers: HeaderBag,
  method: string,
  pathWithoutQuery: string,
  rawBody: string | Uint8Array | undefined,
  nowMs: number,
  options: VerifyL2Options = {},
): Verified<L2Identity> {
  const parsed = l2HeadersSchema.safeParse(lowerCaseHeaders(headers));
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    return refuse(`missing or malformed L2 headers: ${fields}`);
  }
  const h = parsed.data;
  const record = keys.lookup(h.poly_api_key);
  if (record === undefined) return refuse('unknown or revoked API key');
  if (!sameText(h.poly_passphrase, record.passphrase)) return refuse('wrong passphrase for the API key');
  if (!isAddressEqual(h.poly_address, record.owner)) {
    return refuse(`POLY_ADDRESS ${h.poly_address} is not the API key's owner ${record.owner}`);
  }
  const timestamp = Number(h.poly_timestamp);
  const tolerance = options.timestampToleranceSeconds ?? DEFAULT_TIMESTAMP_TOLERANCE_SECONDS;
  if (!isFreshTimestamp(timestamp, nowMs, tolerance)) {
    return refuse(`POLY_TIMESTAMP ${timestamp} is more than ${tolerance}s from the server clock`);
  }
  const body = rawBody === undefined || rawBody.length === 0 ? undefined : rawBody;
  const expected = buildL2Signature(
    record.secret,
    h.poly_timestamp,
    method,
    requestPathOf(pathWithoutQuery),
    body,
  );
  if (!sameText(h.poly_signature, expected)) {
    return refuse('POLY_SIGNATURE is not the HMAC of timestamp + method + path + body');
  }
  return accepted({ address: record.owner, apiKey: record.key });
}
