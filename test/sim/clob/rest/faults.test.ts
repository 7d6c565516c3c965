/**
 * The fault hook: armed failures answer before any route, with the real bodies, then the service
 * recovers. And what the official client does with them: a 429 is handed back (or thrown), never
 * retried; with `retryOnError` a 5xx on POST /order is retried once, so the order is placed once.
 */
import { type ApiKeyCreds, ClobClient, Side } from '@polymarket/clob-client-v2';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { usdc } from '../../../../src/core/money.ts';
import { FaultInjector } from '../../../../src/sim/clob/rest/faults.ts';
import { REST_ERROR, RETRY_AFTER_SECONDS } from '../../../../src/sim/clob/rest/index.ts';
import { type TestWallet, testWallet } from '../../../polymarket/clob/official-client.ts';
import { type Harness, send, startHarness } from './harness.ts';

describe('FaultInjector', () => {
  it('consumes matching rules in order and leaves other paths alone', () => {
    const f = new FaultInjector();
    f.nextResponses(429, 2, /^\/book$/g);
    f.nextResponses(500, 1);
    expect(f.pending()).toBe(3);
    expect(f.take('/book')).toBe(429);
    expect(f.take('/book')).toBe(429);
    expect(f.take('/order')).toBe(500);
    expect(f.take('/book')).toBeUndefined();
    expect(f.pending()).toBe(0);
  });

  it('a global regex does not skip matches (no lastIndex state); clear drops everything', () => {
    const f = new FaultInjector();
    f.nextResponses(503, 3, /book/g);
    expect([f.take('/book'), f.take('/books'), f.take('/book')]).toEqual([503, 503, 503]);
    f.nextResponses(502, 5);
    f.clear();
    expect(f.take('/anything')).toBeUndefined();
  });

  it('refuses statuses it cannot fake and bad counts', () => {
    const f = new FaultInjector();
    expect(() => f.nextResponses(404 as never, 1)).toThrow(RangeError);
    expect(() => f.nextResponses(429, -1)).toThrow(RangeError);
    f.nextResponses(429, 0);
    expect(f.pending()).toBe(0);
  });
});

describe('faults over HTTP and the official client', () => {
  let h: Harness;
  const wallet = testWallet('rest faults');
  let creds: ApiKeyCreds;
  const client = (extra: Partial<ConstructorParameters<typeof ClobClient>[0]> = {}, w: TestWallet = wallet) =>
    new ClobClient({ host: h.url, chain: 137, signer: w.signer, creds, ...extra });

  beforeAll(async () => {
    h = await startHarness({ seed: 41 });
    h.venue.engine.deposit(wallet.address, usdc(50_000_000));
    creds = await client().createApiKey();
  });
  afterEach(() => h.routes.faults.clear());
  afterAll(async () => {
    await h?.close();
  });

  it('a 429 burst on /book: Retry-After and the real body, then recovery', async () => {
    const token = h.market.tokens[0].tokenId;
    h.routes.faults.nextResponses(429, 2, /^\/book$/);
    const raw = await send(h, 'GET', `/book?token_id=${token}`);
    expect(raw.status).toBe(429);
    expect(raw.headers.get('retry-after')).toBe(String(RETRY_AFTER_SECONDS));
    expect(raw.json).toEqual({ error: REST_ERROR.tooManyRequests });
    // Without throwOnError the client hands the error back as a value, status included.
    expect(await client().getOrderBook(token)).toEqual({ error: REST_ERROR.tooManyRequests, status: 429 });
    // Other routes were never affected, and the burst is over.
    expect((await send(h, 'GET', '/version')).status).toBe(200);
    expect(await client().getOrderBook(token)).toMatchObject({ asset_id: token });
  });

  it('with throwOnError a 429 is an ApiError carrying the status', async () => {
    h.routes.faults.nextResponses(429, 1, /^\/data\/orders$/);
    await expect(client({ throwOnError: true }).getOpenOrders()).rejects.toMatchObject({
      status: 429,
      message: REST_ERROR.tooManyRequests,
    });
    expect(await client({ throwOnError: true }).getOpenOrders()).toEqual([]);
  });

  it('a 429 on POST /order is not retried even with retryOnError: nothing is placed', async () => {
    h.routes.faults.nextResponses(429, 1, /^\/order$/);
    const before = h.requests.filter((r) => r.url === '/order').length;
    await expect(
      client({ throwOnError: true, retryOnError: true }).createAndPostOrder({
        tokenID: h.market.tokens[0].tokenId,
        price: 0.2,
        size: 5,
        side: Side.BUY,
      }),
    ).rejects.toMatchObject({ status: 429 });
    expect(h.requests.filter((r) => r.url === '/order').length - before).toBe(1);
    expect(h.venue.engine.openOrders({ owner: creds.key })).toEqual([]);
  });

  it('a 500 on POST /order with retryOnError: one retry, the order placed exactly once', async () => {
    h.routes.faults.nextResponses(500, 1, /^\/order$/);
    const before = h.requests.filter((r) => r.url === '/order').map((r) => r.status);
    const response = await client({ throwOnError: true, retryOnError: true }).createAndPostOrder({
      tokenID: h.market.tokens[0].tokenId,
      price: 0.21,
      size: 5,
      side: Side.BUY,
    });
    expect(response).toMatchObject({ success: true, status: 'live' });
    const after = h.requests.filter((r) => r.url === '/order').map((r) => r.status);
    expect(after.slice(before.length)).toEqual([500, 200]);
    expect(h.venue.engine.openOrders({ owner: creds.key })).toHaveLength(1);
    await client().cancelAll();
  });

  it('a 425 (matching engine restarting) on POST /order: RESTARTING, and nothing is placed', async () => {
    h.routes.faults.nextResponses(425, 1, /^\/order$/);
    await expect(
      client({ throwOnError: true }).createAndPostOrder({
        tokenID: h.market.tokens[0].tokenId,
        price: 0.23,
        size: 5,
        side: Side.BUY,
      }),
    ).rejects.toMatchObject({ status: 425, message: REST_ERROR.restarting });
    expect(h.venue.engine.openOrders({ owner: creds.key })).toEqual([]);
  });

  it('a 500 without retryOnError surfaces the real execution error', async () => {
    h.routes.faults.nextResponses(500, 1, /^\/order$/);
    await expect(
      client({ throwOnError: true }).createAndPostOrder({
        tokenID: h.market.tokens[0].tokenId,
        price: 0.22,
        size: 5,
        side: Side.BUY,
      }),
    ).rejects.toMatchObject({ status: 500, message: REST_ERROR.executionFailed });
    h.routes.faults.nextResponses(500, 1, /^\/book$/);
    expect((await send(h, 'GET', `/book?token_id=${h.market.tokens[0].tokenId}`)).json).toEqual({
      error: REST_ERROR.internal,
    });
  });

  it('a 502 is the CDN HTML page; a 503 is the JSON trading-disabled error', async () => {
    h.routes.faults.nextResponses(502, 1);
    const bad = await send(h, 'GET', '/time');
    expect(bad.status).toBe(502);
    expect(bad.headers.get('content-type')).toMatch(/^text\/html/);
    expect(bad.text).toContain('502 Bad Gateway');
    h.routes.faults.nextResponses(502, 1);
    await expect(client({ throwOnError: true }).getServerTime()).rejects.toMatchObject({
      status: 502,
      message: expect.stringContaining('502 Bad Gateway'),
    });
    h.routes.faults.nextResponses(503, 1, /^\/cancel-all$/);
    expect(await client().cancelAll()).toEqual({ error: REST_ERROR.tradingDisabled, status: 503 });
    expect(h.routes.faults.pending()).toBe(0);
  });
});
