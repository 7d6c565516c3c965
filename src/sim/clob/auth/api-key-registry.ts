/**
 * The simulator's API keys, in memory.
 *
 * Credentials are a pure function of (seed, wallet, nonce), as the real derive returns the same
 * credentials for the same nonce: the same seed gives the same keys on every run. Rules, from
 * docs.polymarket.com (trading/clients/l1, resources/error-codes):
 * - create for a nonce that already has an active key: 400 `Could not create api key` (the client's
 *   `createOrDeriveApiKey` then derives);
 * - derive for a nonce without an active key: 400 `Could not derive api key!`;
 * - "Each wallet can only have one active API key at a time": creating a key revokes the
 *   wallet's others.
 * A revoked key created again comes back with the same credentials (they are derived, not random).
 */
import { createHmac } from 'node:crypto';
import { type Address, getAddress } from 'viem';
import type { ApiKeyCreds, ApiKeyResponse } from '../../../polymarket/clob/auth.ts';
import { accepted, CLOB_ERROR, refused, type Verified } from './replies.ts';

export interface ApiKeyRecord extends ApiKeyCreds {
  /** The wallet (signing EOA) that created it; L2 requests and order signers must match it. */
  owner: Address;
  nonce: bigint;
}

/** What L2 verification needs from a key store. */
export interface ApiKeyLookup {
  lookup(key: string): ApiKeyRecord | undefined;
}

function derivedBytes(seed: string, owner: Address, nonce: bigint, purpose: string): Buffer {
  return createHmac('sha256', seed)
    .update(`polyhunter-sim/clob-api-key/v1|${owner.toLowerCase()}|${nonce}|${purpose}`)
    .digest();
}

/** A UUID shaped like the real keys (version 5 and RFC 4122 variant: name-based, deterministic). */
function uuidFrom(bytes: Buffer): string {
  const b = Buffer.from(bytes.subarray(0, 16));
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The credentials of (owner, nonce) under `seed`: a uuid key, a 32-byte secret as padded base64url
 * (44 characters, as real secrets) and a 64-hex-digit passphrase (as real passphrases).
 */
export function deriveApiKeyCreds(seed: string, owner: Address, nonce: bigint): ApiKeyCreds {
  const secret = derivedBytes(seed, owner, nonce, 'secret')
    .toString('base64')
    .replace(/\+/g, '-')
    .replace(/\//g, '_');
  return {
    key: uuidFrom(derivedBytes(seed, owner, nonce, 'key')),
    secret,
    passphrase: derivedBytes(seed, owner, nonce, 'passphrase').toString('hex'),
  };
}

/** The reply body of create and derive. */
export function apiKeyResponse(record: ApiKeyCreds): ApiKeyResponse {
  return { apiKey: record.key, secret: record.secret, passphrase: record.passphrase };
}

export class ApiKeyRegistry implements ApiKeyLookup {
  readonly #seed: string;
  readonly #byKey = new Map<string, ApiKeyRecord>();

  /** `seed` makes the credentials; keep it fixed for reproducible runs. */
  constructor(seed: string) {
    if (seed.length === 0) throw new RangeError('the API key seed must not be empty');
    this.#seed = seed;
  }

  create(owner: Address, nonce: bigint): Verified<ApiKeyRecord> {
    const wallet = getAddress(owner);
    if (this.#find(wallet, nonce) !== undefined) {
      return refused(400, CLOB_ERROR.couldNotCreateApiKey, `${wallet} already has a key for nonce ${nonce}`);
    }
    for (const record of this.keysOf(wallet)) this.#byKey.delete(record.key);
    const record: ApiKeyRecord = { ...deriveApiKeyCreds(this.#seed, wallet, nonce), owner: wallet, nonce };
    this.#byKey.set(record.key, record);
    return accepted(record);
  }

  derive(owner: Address, nonce: bigint): Verified<ApiKeyRecord> {
    const wallet = getAddress(owner);
    const record = this.#find(wallet, nonce);
    if (record === undefined) {
      return refused(400, CLOB_ERROR.couldNotDeriveApiKey, `${wallet} has no active key for nonce ${nonce}`);
    }
    return accepted(record);
  }

  lookup(key: string): ApiKeyRecord | undefined {
    return this.#byKey.get(key);
  }

  /** The wallet's active keys (at most one under the create rule). */
  keysOf(owner: Address): ApiKeyRecord[] {
    return [...this.#byKey.values()].filter((r) => r.owner.toLowerCase() === owner.toLowerCase());
  }

  /** `DELETE /auth/api-key`. True when the key existed. */
  revoke(key: string): boolean {
    return this.#byKey.delete(key);
  }

  #find(owner: Address, nonce: bigint): ApiKeyRecord | undefined {
    return this.keysOf(owner).find((r) => r.nonce === nonce);
  }
}
