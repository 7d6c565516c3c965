import { createL1Headers, createL2Headers } from '@polymarket/clob-client-v2';
import fc from 'fast-check';
import { type Hex, recoverTypedDataAddress } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/core/errors.ts';
import {
  buildL2Headers,
  buildL2Signature,
  CLOB_AUTH_MESSAGE,
  clobAuthTypedData,
  decodeApiSecret,
  POLY_HEADER,
  requestPathOf,
} from '../../../src/polymarket/clob/auth.ts';
import {
  l1HeadersSchema,
  l2HeadersSchema,
  lowerCaseHeaders,
} from '../../../src/polymarket/clob/auth-headers.ts';
import { testWallet } from './official-client.ts';

const alice = testWallet('alice');

describe('L1 ClobAuth typed data', () => {
  it('reproduces the client test vector (tests/signing/eip712.test.ts in clob-client-v2)', async () => {
    // Hardhat's well-known account #0, as in the client's own test; not a real key.
    const account = privateKeyToAccount('0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80');
    const signature = await account.signTypedData(
      clobAuthTypedData({ address: account.address, timestamp: '10000000', nonce: 23n, chainId: 80002 }),
    );
    expect(signature).toBe(
      '0xf62319a987514da40e57e2f4d7529f7bac38f0355bd88bb5adbb3768d80de6c1682518e0af677d5260366425f4361e7b70c25ae232aff0ab2331e2b164a1aedc1b',
    );
  });

  it('signs exactly what createL1Headers signs', async () => {
    for (const [chainId, nonce, ts] of [
      [137, 0, 1_790_000_000],
      [137, 5, 1_790_000_123],
      [80002, 99, 1_700_000_000],
    ] as const) {
      const headers = await createL1Headers(alice.signer, chainId, nonce, ts);
      const ours = await alice.account.signTypedData(
        clobAuthTypedData({ address: alice.address, timestamp: String(ts), nonce: BigInt(nonce), chainId }),
      );
      expect(headers.POLY_SIGNATURE).toBe(ours);
      expect(headers).toEqual({
        POLY_ADDRESS: alice.address,
        POLY_SIGNATURE: ours,
        POLY_TIMESTAMP: String(ts),
        POLY_NONCE: String(nonce),
      });
      const recovered = await recoverTypedDataAddress({
        ...clobAuthTypedData({
          address: alice.address,
          timestamp: String(ts),
          nonce: BigInt(nonce),
          chainId,
        }),
        signature: headers.POLY_SIGNATURE as Hex,
      });
      expect(recovered).toBe(alice.address);
    }
  });

  it('carries the fixed attestation text in a version "1" domain with no verifying contract', () => {
    const typed = clobAuthTypedData({ address: alice.address, timestamp: '1', nonce: 0n, chainId: 137 });
    expect(typed.domain).toEqual({ name: 'ClobAuthDomain', version: '1', chainId: 137 });
    expect(typed.message.message).toBe(CLOB_AUTH_MESSAGE);
    expect(CLOB_AUTH_MESSAGE).toBe('This message attests that I control the given wallet');
  });
});

describe('L2 HMAC signature', () => {
  it('reproduces the client test vector (tests/signing/hmac.test.ts in clob-client-v2)', () => {
    expect(
      buildL2Signature(
        'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
        1000000,
        'test-sign',
        '/orders',
        '{"hash": "0x123"}',
      ),
    ).toBe('ZwAdJKvoYRlEKDkNMwd5BuwNNtg93kNaR_oU2HrfVvc=');
  });

  it('equals createL2Headers for any secret, method, path and body', async () => {
    const secretBytes = fc.uint8Array({ minLength: 1, maxLength: 64 });
    const method = fc.constantFrom('GET', 'POST', 'DELETE');
    const path = fc.constantFrom('/order', '/orders', '/data/orders', '/cancel-all', '/data/order/0xabc');
    const body = fc.option(fc.string({ unit: 'grapheme', maxLength: 200 }), { nil: undefined });
    await fc.assert(
      fc.asyncProperty(
        secretBytes,
        fc.integer({ min: 0, max: 4_000_000_000 }),
        method,
        path,
        body,
        async (bytes, ts, m, p, b) => {
          const secret = Buffer.from(bytes).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
          const creds = { key: 'k', secret, passphrase: 'p' };
          const theirs = await createL2Headers(
            alice.signer,
            creds,
            { method: m, requestPath: p, ...(b === undefined ? {} : { body: b }) },
            ts,
          );
          expect(buildL2Signature(secret, ts, m, p, b)).toBe(theirs.POLY_SIGNATURE);
          expect(
            buildL2Headers({
              address: alice.address,
              creds,
              timestamp: ts,
              method: m,
              requestPath: p,
              ...(b === undefined ? {} : { body: b }),
            }),
          ).toEqual(theirs);
        },
      ),
      { numRuns: 150, seed: 7 },
    );
  });

  it('keeps base64 padding and uses the url-safe alphabet', () => {
    const sig = buildL2Signature('c2VjcmV0', 1, 'GET', '/x');
    expect(sig).toMatch(/^[A-Za-z0-9_-]{43}=$/);
  });

  it('hashes a byte body exactly like the same text', () => {
    const text = '{"orderID":"0xé"}';
    expect(buildL2Signature('c2VjcmV0', 5, 'DELETE', '/order', Buffer.from(text, 'utf8'))).toBe(
      buildL2Signature('c2VjcmV0', 5, 'DELETE', '/order', text),
    );
  });

  it('decodes secrets with or without padding, in either base64 alphabet', () => {
    const bytes = Buffer.from([0xfb, 0xff, 0xfe, 0x01]);
    expect(decodeApiSecret('-__-AQ==')).toEqual(bytes);
    expect(decodeApiSecret('-__-AQ')).toEqual(bytes);
    expect(decodeApiSecret('+//+AQ==')).toEqual(bytes);
    expect(() => decodeApiSecret('not base64!')).toThrow(ValidationError);
    expect(() => decodeApiSecret('')).toThrow(ValidationError);
  });
});

describe('requestPathOf', () => {
  it('drops the query string and fragment the HMAC does not cover', () => {
    expect(requestPathOf('/data/orders?market=0xabc&next_cursor=MA%3D%3D')).toBe('/data/orders');
    expect(requestPathOf('/order#x')).toBe('/order');
    expect(requestPathOf('/order')).toBe('/order');
  });
});

describe('auth header schemas', () => {
  it('read Node-style lower-case names from any header record', async () => {
    const l1 = await createL1Headers(alice.signer, 137, 3, 1_790_000_000);
    const parsed = l1HeadersSchema.parse(lowerCaseHeaders(l1));
    expect(parsed).toEqual({
      poly_address: alice.address,
      poly_signature: l1.POLY_SIGNATURE,
      poly_timestamp: '1790000000',
      poly_nonce: '3',
    });
    const l2 = await createL2Headers(
      alice.signer,
      { key: 'k', secret: 'c2VjcmV0', passphrase: 'p' },
      { method: 'GET', requestPath: '/x' },
      5,
    );
    expect(l2HeadersSchema.parse(lowerCaseHeaders(l2)).poly_api_key).toBe('k');
    expect(Object.values(POLY_HEADER).sort()).toEqual(
      [...Object.keys(l1), 'POLY_API_KEY', 'POLY_PASSPHRASE'].sort(),
    );
  });

  it('refuse repeated, missing or malformed values', () => {
    const good = {
      poly_address: alice.address,
      poly_signature: '0x00',
      poly_timestamp: '1',
      poly_nonce: '0',
    };
    expect(l1HeadersSchema.safeParse(good).success).toBe(true);
    expect(l1HeadersSchema.safeParse({ ...good, poly_nonce: undefined }).success).toBe(false);
    expect(l1HeadersSchema.safeParse({ ...good, poly_nonce: ['0', '1'] }).success).toBe(false);
    expect(l1HeadersSchema.safeParse({ ...good, poly_timestamp: '1.5' }).success).toBe(false);
    expect(
      l1HeadersSchema.safeParse({ ...good, poly_address: alice.address.replace('0x', '0X') }).success,
    ).toBe(false);
    // A mixed-case address with a broken checksum.
    const flipped = alice.address.replace(/[a-f]/, (c) => c.toUpperCase());
    expect(flipped).not.toBe(alice.address);
    expect(l1HeadersSchema.safeParse({ ...good, poly_address: flipped }).success).toBe(false);
    expect(l1HeadersSchema.safeParse({ ...good, poly_address: alice.address.toLowerCase() }).success).toBe(
      true,
    );
  });
});
