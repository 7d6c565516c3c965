import { createL2Headers } from '@polymarket/clob-client-v2';
import { describe, expect, it } from 'vitest';
import { type ApiKeyRecord, ApiKeyRegistry } from '../../../../src/sim/clob/auth/api-key-registry.ts';
import { CLOB_ERROR } from '../../../../src/sim/clob/auth/replies.ts';
import { verifyL2 } from '../../../../src/sim/clob/auth/verify-l2.ts';
import { testWallet } from '../../../polymarket/clob/official-client.ts';

const alice = testWallet('alice');
const bob = testWallet('bob');
const TS = 1_790_000_000;
const NOW_MS = TS * 1000 + 250;
const BODY = '{"orderID":"0x01"}';

function setup() {
  const keys = new ApiKeyRegistry('l2 seed');
  const created = keys.create(alice.address, 0n);
  const bobs = keys.create(bob.address, 0n);
  if (!created.ok || !bobs.ok) throw new Error('setup failed');
  return { keys, record: created.value, bobRecord: bobs.value };
}

async function clientHeaders(
  record: ApiKeyRecord,
  method: string,
  requestPath: string,
  body?: string,
  ts = TS,
) {
  const creds = { key: record.key, secret: record.secret, passphrase: record.passphrase };
  const headers = await createL2Headers(
    alice.signer,
    creds,
    { method, requestPath, ...(body === undefined ? {} : { body }) },
    ts,
  );
  // As Node receives them.
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])) as Record<
    string,
    string
  >;
}

function expectRefused(result: ReturnType<typeof verifyL2>, reason: RegExp) {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.reply).toEqual({ status: 401, body: { error: CLOB_ERROR.invalidApiKey } });
  expect(result.reason).toMatch(reason);
}

describe('verifyL2', () => {
  it('accepts what createL2Headers makes for GET, POST and DELETE', async () => {
    const { keys, record } = setup();
    const cases: [string, string, string | undefined][] = [
      ['GET', '/data/orders', undefined],
      ['POST', '/order', '{"order":{"salt":1},"owner":"k","orderType":"GTC"}'],
      ['DELETE', '/order', BODY],
      ['DELETE', '/cancel-all', undefined],
      ['POST', '/v1/heartbeats', '{"heartbeat_id":""}'],
    ];
    for (const [method, path, body] of cases) {
      const headers = await clientHeaders(record, method, path, body);
      expect(verifyL2(keys, headers, method, path, body, NOW_MS)).toEqual({
        ok: true,
        value: { address: alice.address, apiKey: record.key },
      });
    }
  });

  it('ignores a query string (the client signs the path without it) and takes a byte body', async () => {
    const { keys, record } = setup();
    const get = await clientHeaders(record, 'GET', '/data/orders');
    expect(verifyL2(keys, get, 'GET', '/data/orders?market=0xabc&next_cursor=MA%3D%3D', '', NOW_MS).ok).toBe(
      true,
    );
    const del = await clientHeaders(record, 'DELETE', '/order', BODY);
    expect(verifyL2(keys, del, 'DELETE', '/order', Buffer.from(BODY), NOW_MS).ok).toBe(true);
  });

  it('refuses a changed body, method or path', async () => {
    const { keys, record } = setup();
    const headers = await clientHeaders(record, 'DELETE', '/order', BODY);
    const mismatch = /not the HMAC/;
    expectRefused(verifyL2(keys, headers, 'DELETE', '/order', BODY.replace('01', '02'), NOW_MS), mismatch);
    expectRefused(verifyL2(keys, headers, 'DELETE', '/order', `${BODY} `, NOW_MS), mismatch);
    expectRefused(verifyL2(keys, headers, 'DELETE', '/order', undefined, NOW_MS), mismatch);
    expectRefused(verifyL2(keys, headers, 'POST', '/order', BODY, NOW_MS), mismatch);
    expectRefused(verifyL2(keys, headers, 'delete', '/order', BODY, NOW_MS), mismatch);
    expectRefused(verifyL2(keys, headers, 'DELETE', '/orders', BODY, NOW_MS), mismatch);
  });

  it('refuses a signature made with the wrong secret', async () => {
    const { keys, record } = setup();
    const wrongSecret = { ...record, secret: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' };
    const headers = await clientHeaders(wrongSecret, 'GET', '/data/trades');
    expectRefused(verifyL2(keys, headers, 'GET', '/data/trades', undefined, NOW_MS), /not the HMAC/);
  });

  it('refuses unknown keys, wrong passphrases, revoked keys and a foreign POLY_ADDRESS', async () => {
    const { keys, record, bobRecord } = setup();
    const headers = await clientHeaders(record, 'GET', '/data/trades');
    const check = (h: Record<string, string>) => verifyL2(keys, h, 'GET', '/data/trades', undefined, NOW_MS);
    expectRefused(check({ ...headers, poly_api_key: '00000000-0000-5000-8000-000000000000' }), /unknown/);
    const last = record.passphrase.at(-1) === '0' ? '1' : '0';
    expectRefused(
      check({ ...headers, poly_passphrase: `${record.passphrase.slice(0, -1)}${last}` }),
      /passphrase/,
    );
    expectRefused(check({ ...headers, poly_passphrase: bobRecord.passphrase }), /passphrase/);
    expectRefused(check({ ...headers, poly_address: bob.address }), /owner/);
    // Bob's key with Bob's passphrase, sent with Alice's address: still not Alice's key.
    const bobs = { ...headers, poly_api_key: bobRecord.key, poly_passphrase: bobRecord.passphrase };
    expectRefused(check(bobs), /owner/);
    keys.revoke(record.key);
    expectRefused(check(headers), /revoked/);
  });

  it('refuses stale and future timestamps beyond 60 s', async () => {
    const { keys, record } = setup();
    const headers = await clientHeaders(record, 'GET', '/data/trades');
    const at = (nowMs: number) => verifyL2(keys, headers, 'GET', '/data/trades', undefined, nowMs);
    expect(at(TS * 1000 + 60_000).ok).toBe(true);
    expect(at(TS * 1000 - 60_000).ok).toBe(true);
    expectRefused(at(TS * 1000 + 60_001), /60s/);
    expectRefused(at(TS * 1000 - 60_001), /60s/);
    const lenient = verifyL2(keys, headers, 'GET', '/data/trades', undefined, 0, {
      timestampToleranceSeconds: Number.POSITIVE_INFINITY,
    });
    expect(lenient.ok).toBe(true);
  });

  it('refuses missing or malformed headers, each one', async () => {
    const { keys, record } = setup();
    const headers = await clientHeaders(record, 'GET', '/data/trades');
    for (const name of Object.keys(headers)) {
      const { [name]: _dropped, ...rest } = headers;
      expectRefused(verifyL2(keys, rest, 'GET', '/data/trades', undefined, NOW_MS), new RegExp(name));
    }
    expectRefused(
      verifyL2(keys, { ...headers, poly_timestamp: 'soon' }, 'GET', '/data/trades', undefined, NOW_MS),
      /poly_timestamp/,
    );
  });

  it('refuses a signature altered in padding or alphabet', async () => {
    const { keys, record } = setup();
    const headers = await clientHeaders(record, 'GET', '/data/trades');
    const sig = headers.poly_signature!;
    const variants = [sig.replace(/=+$/, ''), sig.replace(/-/g, '+').replace(/_/g, '/')].filter(
      (v) => v !== sig,
    );
    expect(variants.length).toBeGreaterThan(0);
    for (const variant of variants) {
      expectRefused(
        verifyL2(keys, { ...headers, poly_signature: variant }, 'GET', '/data/trades', undefined, NOW_MS),
        /HMAC/,
      );
    }
  });
});
