/**
 * What the simulator answers when authentication or an order check fails: the real service's
 * status and `{"error": ...}` body, plus a detailed reason for logs and tests that the body (terse
 * on the real service) does not carry.
 *
 * Texts are the real ones: the docs' CLOB error-codes page (docs.polymarket.com
 * /resources/error-codes, 2026 crawl) for the 401s, `Invalid order payload`, the owner and signer
 * mismatches and the API key errors; `invalid signature` (400) from real responses quoted in
 * Polymarket/py-clob-client#198 and Polymarket/clob-client#215.
 */

export const CLOB_ERROR = {
  /** 401, any L1 failure: missing or malformed header, bad or stale signature. */
  invalidL1Headers: 'Invalid L1 Request headers',
  /** 401, any L2 failure: unknown key, wrong passphrase, bad HMAC, stale timestamp. */
  invalidApiKey: 'Unauthorized/Invalid api key',
  /** 400, a body that does not parse as a V2 order. */
  invalidOrderPayload: 'Invalid order payload',
  /** 400, `owner` in the body is not the API key the request is signed with. */
  ownerMismatch: 'the order owner has to be the owner of the API KEY',
  /** 400, `order.signer` is not the address the API key belongs to. */
  signerMismatch: 'the order signer address has to be the address of the API KEY',
  /** 400, the order signature does not verify (or maker/signer break the signature type's rules). */
  invalidSignature: 'invalid signature',
  /** 400, `POST /auth/api-key` for a nonce that already has a key. */
  couldNotCreateApiKey: 'Could not create api key',
  /** 400, `GET /auth/derive-api-key` for a nonce without an active key. */
  couldNotDeriveApiKey: 'Could not derive api key!',
} as const;

export interface ClobErrorReply {
  status: 400 | 401;
  body: { error: string };
}

/** A check's outcome: the value, or the reply to send and why. */
export type Verified<T> = { ok: true; value: T } | { ok: false; reply: ClobErrorReply; reason: string };

export function accepted<T>(value: T): Verified<T> {
  return { ok: true, value };
}

export function refused<T = never>(status: 400 | 401, error: string, reason: string): Verified<T> {
  return { ok: false, reply: { status, body: { error } }, reason };
}
