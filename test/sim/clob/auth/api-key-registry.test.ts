import { describe, expect, it } from 'vitest';
import { apiKeyResponseSchema, decodeApiSecret } from '../../../../src/polymarket/clob/auth.ts';
import {
  ApiKeyRegistry,
  apiKeyResponse,
  deriveApiKeyCreds,
} from '../../../../src/sim/clob/auth/api-key-registry.ts';
import { CLOB_ERROR } from '../../../../src/sim/clob/auth/replies.ts';
import { testWallet } from '../../../polymarket/clob/official-client.ts';

const alice = testWallet('alice').address;
const bob = testWallet('bob').address;

function unwrap<T>(result: { ok: true; value: T } | { ok: false; reason: string }): T {
  if (!result.ok) throw new Error(`expected success: ${result.reason}`);
  return result.value;
}

describe('deriveApiKeyCreds', () => {
  it('is a function of seed, wallet and nonce only', () => {
    const a = deriveApiKeyCreds('seed-1', alice, 0n);
    expect(deriveApiKeyCreds('seed-1', alice, 0n)).toEqual(a);
    expect(deriveApiKeyCreds('seed-1', alice.toLowerCase() as typeof alice, 0n)).toEqual(a);
    const others = [
      deriveApiKeyCreds('seed-2', alice, 0n),
      deriveApiKeyCreds('seed-1', bob, 0n),
      deriveApiKeyCreds('seed-1', alice, 1n),
    ];
    for (const other of others) {
      expect(other.key).not.toBe(a.key);
      expect(other.secret).not.toBe(a.secret);
      expect(other.passphrase).not.toBe(a.passphrase);
    }
  });

  it('looks like real credentials: uuid key, 32-byte padded base64url secret, 64-hex passphrase', () => {
    for (let nonce = 0n; nonce < 20n; nonce++) {
      const creds = deriveApiKeyCreds('seed', alice, nonce);
      expect(creds.key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(creds.secret).toMatch(/^[A-Za-z0-9_-]{43}=$/);
      expect(decodeApiSecret(creds.secret)).toHaveLength(32);
      expect(creds.passphrase).toMatch(/^[0-9a-f]{64}$/);
      expect(apiKeyResponseSchema.parse(apiKeyResponse(creds))).toEqual({
        apiKey: creds.key,
        secret: creds.secret,
        passphrase: creds.passphrase,
      });
    }
  });
});

describe('ApiKeyRegistry', () => {
  it('creates once per nonce, then derives the same credentials', () => {
    const registry = new ApiKeyRegistry('seed');
    const created = unwrap(registry.create(alice, 0n));
    expect(created).toEqual({ ...deriveApiKeyCreds('seed', alice, 0n), owner: alice, nonce: 0n });
    expect(registry.create(alice, 0n)).toMatchObject({
      ok: false,
      reply: { status: 400, body: { error: CLOB_ERROR.couldNotCreateApiKey } },
    });
    expect(unwrap(registry.derive(alice.toLowerCase() as typeof alice, 0n))).toEqual(created);
    expect(registry.lookup(created.key)).toEqual(created);
  });

  it('refuses to derive a key that was never created', () => {
    const registry = new ApiKeyRegistry('seed');
    expect(registry.derive(alice, 0n)).toMatchObject({
      ok: false,
      reply: { status: 400, body: { error: CLOB_ERROR.couldNotDeriveApiKey } },
    });
  });

  it('keeps one active key per wallet: a new nonce replaces the old key', () => {
    const registry = new ApiKeyRegistry('seed');
    const first = unwrap(registry.create(alice, 0n));
    const bobs = unwrap(registry.create(bob, 0n));
    const second = unwrap(registry.create(alice, 1n));
    expect(registry.lookup(first.key)).toBeUndefined();
    expect(registry.derive(alice, 0n).ok).toBe(false);
    expect(registry.keysOf(alice)).toEqual([second]);
    expect(registry.lookup(bobs.key)).toEqual(bobs);
  });

  it('revokes keys; re-creating brings back the same derived credentials', () => {
    const registry = new ApiKeyRegistry('seed');
    const created = unwrap(registry.create(alice, 3n));
    expect(registry.revoke(created.key)).toBe(true);
    expect(registry.revoke(created.key)).toBe(false);
    expect(registry.lookup(created.key)).toBeUndefined();
    expect(unwrap(registry.create(alice, 3n))).toEqual(created);
  });

  it('needs a seed', () => {
    expect(() => new ApiKeyRegistry('')).toThrow(RangeError);
  });
});
