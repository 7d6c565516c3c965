/**
 * Every malformed or unauthorised trading request gets the real status and `{"error"}` body, and
 * nothing a client sends makes the server fail: garbage JSON, wrong types, huge bodies, unknown
 * tokens, forged or missing auth, and a burst of random bytes at every route.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usdc } from '../../../../src/core/money.ts';
import { type ApiKeyCreds, buildL2Headers } from '../../../../src/polymarket/clob/auth.ts';
import { CLOB_ERROR } from '../../../../src/sim/clob/auth/index.ts';
import { REST_ERROR } from '../../../../src/sim/clob/rest/index.ts';
import { createRandom } from '../../../../src/sim/random.ts';
import { buildClientOrder, testWallet, wireOrderBody } from '../../../polymarket/clob/official-client.ts';
import { type Harness, send, sendL2, startHarness } from './harness.ts';

let h: Harness;
const wallet = testWallet('rest malformed');
let signer: { address: typeof wallet.address; creds: ApiKeyCreds };

beforeAll(async () => {
  h = await startHarness({ seed: 31, rest: { bodyLimit: 64 * 1024 } });
  const record = h.venue.apiKeys.create(wallet.address, 0n);
  if (!record.ok) throw new Error(record.reason);
  signer = { address: wallet.address, creds: record.value };
  h.venue.engine.deposit(wallet.address, usdc(50_000_000));
});
afterAll(async () => {
  await h?.close();
});

async function signedBody(
  overrides: { tokenID?: string; owner?: string; price?: number; size?: number } = {},
) {
  const order = await buildClientOrder({
    wallet,
    tokenID: overrides.tokenID ?? h.market.tokens[0].tokenId,
    price: overrides.price ?? 0.2,
    size: overrides.size ?? 5,
  });
  return wireOrderBody(order, overrides.owner ?? signer.creds.key);
}

describe('authentication on trading routes', () => {
  const routes: [string, string, string | undefined][] = [
    ['POST', '/order', '{}'],
    ['POST', '/orders', '[]'],
    ['DELETE', '/order', '{"orderID":"0x01"}'],
    ['DELETE', '/orders', '[]'],
    ['DELETE', '/cancel-all', undefined],
    ['DELETE', '/cancel-market-orders', '{}'],
    ['GET', '/data/orders', undefined],
    ['GET', '/data/order/0x01', undefined],
    ['GET', '/data/trades', undefined],
    ['POST', '/v1/heartbeats', '{"heartbeat_id":""}'],
    ['GET', '/balance-allowance?asset_type=COLLATERAL', undefined],
    ['GET', '/auth/api-keys', undefined],
    ['DELETE', '/auth/api-key', undefined],
  ];

  it.each(routes)('%s %s without L2 headers -> 401', async (method, target, body) => {
    expect(await send(h, method, target, body)).toMatchObject({
      status: 401,
      json: { error: CLOB_ERROR.invalidApiKey },
    });
  });

  it('a wrong secret -> 401; a body other than the one signed -> 401 (the HMAC covers the bytes)', async () => {
    expect((await sendL2(h, signer, 'GET', '/data/orders')).status).toBe(200);
    const forged = {
      ...signer,
      creds: { ...signer.creds, secret: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' },
    };
    expect(await sendL2(h, forged, 'GET', '/data/orders')).toMatchObject({ status: 401 });
    const signed = '{"orderID":"0x01"}';
    const headers = buildL2Headers({
      address: signer.address,
      creds: signer.creds,
      timestamp: Math.floor(Date.now() / 1000),
      method: 'DELETE',
      requestPath: '/order',
      body: signed,
    });
    expect(await send(h, 'DELETE', '/order', signed, { ...headers })).toMatchObject({ status: 200 });
    expect(await send(h, 'DELETE', '/order', '{"orderID":"0x02"}', { ...headers })).toMatchObject({
      status: 401,
      json: { error: CLOB_ERROR.invalidApiKey },
    });
  });

  it('L1 routes refuse missing or bad L1 headers with 401 Invalid L1 Request headers', async () => {
    for (const [method, target] of [
      ['POST', '/auth/api-key'],
      ['GET', '/auth/derive-api-key'],
    ] as const) {
      expect(await send(h, method, target)).toMatchObject({
        status: 401,
        json: { error: CLOB_ERROR.invalidL1Headers },
      });
      const bogus = {
        poly_address: wallet.address,
        poly_signature: `0x${'11'.repeat(65)}`,
        poly_timestamp: String(Math.floor(Date.now() / 1000)),
        poly_nonce: '0',
      };
      expect(await send(h, method, target, undefined, bogus)).toMatchObject({ status: 401 });
    }
  });
});

describe('POST /order and /orders bodies', () => {
  it.each([
    ['garbage', '{"order": '],
    ['not an object', '42'],
    ['an array', '[]'],
    ['wrong types', '{"order":{"salt":"x"},"owner":5,"orderType":"NOW"}'],
    ['an empty body', undefined],
    ['null', 'null'],
  ])('%s -> 400 Invalid order payload', async (_name, body) => {
    expect(await sendL2(h, signer, 'POST', '/order', body)).toMatchObject({
      status: 400,
      json: { error: CLOB_ERROR.invalidOrderPayload },
    });
  });

  it('a valid order whose owner is another key -> 400 owner error', async () => {
    const body = await signedBody({ owner: '00000000-0000-5000-8000-000000000000' });
    expect(await sendL2(h, signer, 'POST', '/order', body)).toMatchObject({
      status: 400,
      json: { error: CLOB_ERROR.ownerMismatch },
    });
  });

  it('a tampered amount no longer matches the signature -> 400 invalid signature', async () => {
    const body = JSON.parse(await signedBody()) as { order: { makerAmount: string } };
    body.order.makerAmount = '2000000';
    expect(await sendL2(h, signer, 'POST', '/order', JSON.stringify(body))).toMatchObject({
      status: 400,
      json: { error: CLOB_ERROR.invalidSignature },
    });
  });

  it('an unknown token -> 400 naming the missing orderbook', async () => {
    const body = await signedBody({ tokenID: '12345' });
    expect(await sendL2(h, signer, 'POST', '/order', body)).toMatchObject({
      status: 400,
      json: { error: 'the orderbook 12345 does not exist' },
    });
  });

  it('an amount beyond the safe integer range -> 400 Invalid order payload', async () => {
    const order = await buildClientOrder({
      wallet,
      tokenID: h.market.tokens[0].tokenId,
      price: 0.5,
      size: 10_000_000_000,
    });
    const body = wireOrderBody(order, signer.creds.key);
    expect(await sendL2(h, signer, 'POST', '/order', body)).toMatchObject({
      status: 400,
      json: { error: CLOB_ERROR.invalidOrderPayload },
    });
  });

  it('a body over the size limit -> 413 {error}', async () => {
    const huge = `{"pad":"${'x'.repeat(70 * 1024)}"}`;
    expect(await sendL2(h, signer, 'POST', '/order', huge)).toMatchObject({
      status: 413,
      json: { error: REST_ERROR.bodyTooLarge },
    });
  });

  it('any content type is read as the raw body', async () => {
    const body = await signedBody({ price: 0.11 });
    const reply = await sendL2(h, signer, 'POST', '/order', body);
    expect(reply).toMatchObject({ status: 200, json: { success: true, status: 'live' } });
    const text = await send(h, 'POST', '/books', JSON.stringify([{ token_id: h.market.tokens[0].tokenId }]), {
      'content-type': 'text/plain',
    });
    expect(text.status).toBe(200);
    await sendL2(h, signer, 'DELETE', '/cancel-all');
  });

  it('POST /orders: garbage -> 400; a malformed entry fails the whole batch', async () => {
    expect(await sendL2(h, signer, 'POST', '/orders', '[{')).toMatchObject({ status: 400 });
    const good = JSON.parse(await signedBody({ price: 0.12 })) as unknown;
    expect(await sendL2(h, signer, 'POST', '/orders', JSON.stringify([good, { order: 1 }]))).toMatchObject({
      status: 400,
      json: { error: CLOB_ERROR.invalidOrderPayload },
    });
    expect(h.venue.engine.openOrders({ owner: signer.creds.key })).toEqual([]);
  });
});

describe('cancel and query inputs', () => {
  it.each([
    ['DELETE', '/order', '{"orderID": 5}'],
    ['DELETE', '/order', '"0x01"'],
    ['DELETE', '/order', undefined],
    ['DELETE', '/orders', '{"ids":[]}'],
    ['DELETE', '/orders', '[1,2]'],
    ['DELETE', '/orders', JSON.stringify(Array.from({ length: 3001 }, (_, i) => `0x${i}`))],
    ['DELETE', '/cancel-market-orders', '{"market": 7}'],
    ['DELETE', '/cancel-market-orders', '[]'],
    ['POST', '/v1/heartbeats', '{"heartbeat_id": 1}'],
  ])('%s %s %s -> 400', async (method, target, body) => {
    const reply = await sendL2(h, signer, method, target, body);
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual({ error: expect.any(String) });
  });

  it('DELETE /orders ignores duplicates; unknown ids are not canceled', async () => {
    const reply = await sendL2(h, signer, 'DELETE', '/orders', '["0xaa","0xaa","0xbb"]');
    expect(reply.json).toEqual({
      canceled: [],
      not_canceled: { '0xaa': 'order not found', '0xbb': 'order not found' },
    });
  });

  it('DELETE /cancel-all and /cancel-market-orders without a body are fine', async () => {
    expect(await sendL2(h, signer, 'DELETE', '/cancel-all')).toMatchObject({
      status: 200,
      json: { canceled: [], not_canceled: {} },
    });
    expect((await sendL2(h, signer, 'DELETE', '/cancel-market-orders')).status).toBe(200);
  });

  it.each([
    '/data/orders?next_cursor=%21%21',
    '/data/orders?next_cursor=LTE2',
    '/data/orders?market=a&market=b',
    '/data/trades?before=yesterday',
    '/data/trades?after=-1',
    '/balance-allowance?asset_type=GOLD',
    '/balance-allowance?asset_type=CONDITIONAL',
    '/balance-allowance?asset_type=CONDITIONAL&token_id=abc',
    '/balance-allowance?asset_type=COLLATERAL&signature_type=9',
    '/order-scoring',
  ])('GET %s -> 400', async (target) => {
    const reply = await sendL2(h, signer, 'GET', target);
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual({ error: expect.any(String) });
  });

  it('an unknown order id -> 404; an empty trade list is a final page', async () => {
    expect(await sendL2(h, signer, 'GET', '/data/order/0xdead')).toMatchObject({
      status: 404,
      json: { error: REST_ERROR.orderNotFound },
    });
    expect((await sendL2(h, signer, 'GET', '/data/trades')).json).toEqual({
      data: [],
      next_cursor: 'LTE=',
      limit: 100,
      count: 0,
    });
  });
});

describe('fuzz', () => {
  it('random bytes at every route never produce a 5xx, and the server still answers', async () => {
    const random = createRandom(99);
    const targets: [string, string][] = [
      ['POST', '/order'],
      ['POST', '/orders'],
      ['DELETE', '/order'],
      ['DELETE', '/orders'],
      ['DELETE', '/cancel-market-orders'],
      ['POST', '/v1/heartbeats'],
      ['POST', '/books'],
      ['POST', '/prices'],
      ['POST', '/midpoints'],
      ['POST', '/spreads'],
      ['POST', '/last-trades-prices'],
      ['POST', '/orders-scoring'],
    ];
    const samples = [
      '',
      '{}',
      '[]',
      'null',
      '"x"',
      '[{"token_id":null}]',
      '{"order":{}}',
      '[[[[[[[[[[]]]]]]]]]]',
    ];
    const statuses = new Set<number>();
    for (let i = 0; i < 120; i++) {
      const [method, target] = random.pick(targets);
      const body =
        i % 3 === 0
          ? random.pick(samples)
          : Buffer.from(random.hex(random.int(1, 200)), 'hex').toString('latin1');
      const reply =
        i % 2 === 0 ? await sendL2(h, signer, method, target, body) : await send(h, method, target, body);
      statuses.add(reply.status);
      expect(reply.status, `${method} ${target} ${JSON.stringify(body)}`).toBeLessThan(500);
    }
    expect([...statuses].every((s) => s === 200 || (s >= 400 && s < 500))).toBe(true);
    expect((await send(h, 'GET', '/ok')).status).toBe(200);
  });
});
