/**
 * The proof: the official `@polymarket/clob-client-v2` trades against the simulated CLOB over real
 * HTTP, and every reply it gets has the real shape. Two wallets: Alice rests a GTC BUY, Bob sells
 * into it with a FOK market order; both see the trade, with its settlement hash, go CONFIRMED.
 */
import {
  type ApiKeyCreds,
  AssetType,
  ClobClient,
  OrderType,
  Side,
  SignatureTypeV2,
} from '@polymarket/clob-client-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shares, usdc } from '../../../../src/core/money.ts';
import { orderHash, postOrderV2BodySchema } from '../../../../src/polymarket/clob/order-v2.ts';
import { CLOB_ERROR } from '../../../../src/sim/clob/auth/index.ts';
import {
  type TestWallet,
  testContractAddress,
  testWallet,
} from '../../../polymarket/clob/official-client.ts';
import { readSample, type Shape, shapeOf } from '../../../support/shape.ts';
import { type Harness, startHarness } from './harness.ts';

let h: Harness;
const alice = testWallet('rest e2e alice');
const bob = testWallet('rest e2e bob');
let aliceCreds: ApiKeyCreds;
let bobCreds: ApiKeyCreds;

function client(wallet: TestWallet, extra: Partial<ConstructorParameters<typeof ClobClient>[0]> = {}) {
  return new ClobClient({ host: h.url, chain: 137, signer: wallet.signer, throwOnError: true, ...extra });
}

/** Requests recorded since `from`, as "METHOD /path". */
function callsSince(from: number): string[] {
  return h.requests.slice(from).map((r) => `${r.method} ${r.url.split('?', 1)[0]}`);
}

async function until<T>(what: () => Promise<T>, done: (value: T) => boolean, ms = 3000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await what();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  h = await startHarness({ seed: 11 });
  const { engine } = h.venue;
  engine.deposit(alice.address, usdc(100_000_000));
  engine.deposit(bob.address, usdc(100_000_000));
  engine.split(bob.address, h.market.conditionId, shares(50_000_000));
});
afterAll(async () => {
  await h?.close();
});

describe('API keys', () => {
  it('create, then create-or-derive gets the same key; api-keys lists it; the 400 is the real one', async () => {
    const from = h.requests.length;
    aliceCreds = await client(alice).createApiKey();
    expect(aliceCreds.key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await client(alice, { throwOnError: false }).createOrDeriveApiKey()).toEqual(aliceCreds);
    expect(callsSince(from)).toEqual([
      'POST /auth/api-key',
      'POST /auth/api-key',
      'GET /auth/derive-api-key',
    ]);
    expect(h.requests.at(-2)?.status).toBe(400);
    expect(await client(alice, { creds: aliceCreds }).getApiKeys()).toEqual({ apiKeys: [aliceCreds.key] });
    bobCreds = await client(bob).createOrDeriveApiKey();
    expect(bobCreds.key).not.toBe(aliceCreds.key);
  });

  it('a deleted key stops working (401) and can be created again with the same credentials', async () => {
    const carol = testWallet('rest e2e carol');
    const creds = await client(carol).createApiKey();
    await client(carol, { creds }).deleteApiKey();
    await expect(client(carol, { creds }).getOpenOrders()).rejects.toMatchObject({
      status: 401,
      message: CLOB_ERROR.invalidApiKey,
    });
    expect(await client(carol).createApiKey()).toEqual(creds);
  });
});

describe('a resting order, a crossing FOK, the trades', () => {
  let restingId: string;

  it('reads the book the way the client does (server hash equals the client hash)', async () => {
    const reader = client(alice);
    const book = await reader.getOrderBook(h.market.tokens[0].tokenId);
    expect(book).toMatchObject({ market: h.market.conditionId, asset_id: h.market.tokens[0].tokenId });
    expect(book.hash).toBe(await reader.getOrderBookHash({ ...book }));
    expect(await reader.getServerTime()).toBeCloseTo(Date.now() / 1000, -1);
  });

  it('Alice posts a GTC BUY: live, in /book and in /data/orders; the calls are the captured ones', async () => {
    const trader = client(alice, { creds: aliceCreds });
    const yes = h.market.tokens[0].tokenId;
    const from = h.requests.length;
    const response = await trader.createAndPostOrder({ tokenID: yes, price: 0.42, size: 10, side: Side.BUY });
    expect(callsSince(from)).toEqual(['GET /version', 'GET /tick-size', 'GET /neg-risk', 'POST /order']);
    expect(response).toEqual({
      success: true,
      errorMsg: '',
      orderID: expect.stringMatching(/^0x[0-9a-f]{64}$/),
      transactionsHashes: [],
      status: 'live',
      takingAmount: '',
      makingAmount: '',
      tradeIDs: [],
    });
    restingId = response.orderID;

    const book = await trader.getOrderBook(yes);
    expect(book.bids.at(-1)).toEqual({ price: '0.42', size: '10' });
    const noBook = await trader.getOrderBook(h.market.tokens[1].tokenId);
    expect(noBook.asks.at(-1)).toEqual({ price: '0.58', size: '10' });

    const open = await trader.getOpenOrders();
    expect(open).toEqual([
      {
        id: restingId,
        status: 'LIVE',
        owner: aliceCreds.key,
        maker_address: alice.address.toLowerCase(),
        market: h.market.conditionId,
        asset_id: yes,
        side: 'BUY',
        original_size: '10',
        size_matched: '0',
        price: '0.42',
        associate_trades: [],
        outcome: 'Yes',
        created_at: expect.any(Number),
        expiration: '0',
        order_type: 'GTC',
      },
    ]);
    expect(await trader.getOrder(restingId)).toEqual(open[0]);
    // Bob sees none of Alice's orders.
    expect(await client(bob, { creds: bobCreds }).getOpenOrders()).toEqual([]);
  });

  it('Bob sells into it with a FOK market order: matched, with the settlement hash', async () => {
    const seller = client(bob, { creds: bobCreds });
    const yes = h.market.tokens[0].tokenId;
    const from = h.requests.length;
    const response = await seller.createAndPostMarketOrder(
      { tokenID: yes, amount: 10, side: Side.SELL },
      undefined,
      OrderType.FOK,
    );
    expect(callsSince(from)).toEqual([
      'GET /version',
      `GET /markets-by-token/${yes}`,
      `GET /clob-markets/${h.market.conditionId}`,
      'GET /book',
      'POST /order',
    ]);
    expect(response).toMatchObject({
      success: true,
      status: 'matched',
      makingAmount: '10',
      takingAmount: '4.2',
      transactionsHashes: [expect.stringMatching(/^0x[0-9a-f]{64}$/)],
      tradeIDs: [expect.any(String)],
    });
    const tradeId = response.tradeIDs?.[0] ?? '';
    const hash = response.transactionsHashes?.[0];
    expect(h.venue.trade(tradeId)?.txHash).toBe(hash);

    const asTaker = await until(
      () => seller.getTrades(),
      (trades) => trades[0]?.status === 'CONFIRMED',
    );
    expect(asTaker).toEqual([
      {
        id: tradeId,
        taker_order_id: expect.stringMatching(/^0x[0-9a-f]{64}$/),
        market: h.market.conditionId,
        asset_id: yes,
        side: 'SELL',
        size: '10',
        fee_rate_bps: String((h.market.feeSchedule.rate * 10_000) / 1_000_000),
        price: '0.42',
        status: 'CONFIRMED',
        match_time: expect.stringMatching(/^\d{10}$/),
        last_update: expect.stringMatching(/^\d{10}$/),
        outcome: 'Yes',
        bucket_index: 0,
        owner: bobCreds.key,
        maker_address: bob.address.toLowerCase(),
        maker_orders: [
          {
            order_id: restingId,
            owner: aliceCreds.key,
            maker_address: alice.address.toLowerCase(),
            matched_amount: '10',
            price: '0.42',
            fee_rate_bps: '0',
            asset_id: yes,
            outcome: 'Yes',
            side: 'BUY',
          },
        ],
        transaction_hash: hash,
        trader_side: 'TAKER',
      },
    ]);
    const asMaker = await client(alice, { creds: aliceCreds }).getTrades({ market: h.market.conditionId });
    expect(asMaker).toHaveLength(1);
    expect(asMaker[0]).toMatchObject({
      id: tradeId,
      trader_side: 'MAKER',
      owner: aliceCreds.key,
      transaction_hash: hash,
      status: 'CONFIRMED',
      maker_orders: [{ order_id: restingId, owner: aliceCreds.key }],
    });
    // The filled order has left /data/orders and reads as MATCHED by id.
    expect(await client(alice, { creds: aliceCreds }).getOpenOrders()).toEqual([]);
    expect(await client(alice, { creds: aliceCreds }).getOrder(restingId)).toMatchObject({
      status: 'MATCHED',
      size_matched: '10',
      associate_trades: [tradeId],
    });
  });

  it('balances: pUSD and the token, through /balance-allowance', async () => {
    const reader = client(alice, { creds: aliceCreds });
    const collateral = await reader.getBalanceAllowance({ asset_type: AssetType.COLLATERAL });
    expect(collateral.balance).toBe(String(h.venue.engine.balance(alice.address).balance));
    expect(Number(collateral.balance)).toBe(100_000_000 - 4_200_000);
    expect(Object.keys(collateral.allowances)).toHaveLength(3);
    const position = await reader.getBalanceAllowance({
      asset_type: AssetType.CONDITIONAL,
      token_id: h.market.tokens[0].tokenId,
    });
    expect(position.balance).toBe('10000000');
    expect(await reader.updateBalanceAllowance({ asset_type: AssetType.COLLATERAL })).toBe('');
  });
});

describe('cancels and batches', () => {
  const yes = () => h.market.tokens[0].tokenId;

  it('cancelOrder, then again: canceled, then "already canceled or matched"', async () => {
    const trader = client(alice, { creds: aliceCreds });
    const { orderID } = await trader.createAndPostOrder({
      tokenID: yes(),
      price: 0.3,
      size: 5,
      side: Side.BUY,
    });
    expect(await trader.cancelOrder({ orderID })).toEqual({ canceled: [orderID], not_canceled: {} });
    expect(await trader.cancelOrder({ orderID })).toEqual({
      canceled: [],
      not_canceled: { [orderID]: 'already canceled or matched' },
    });
    expect((await trader.getOrder(orderID)).status).toBe('CANCELED');
  });

  it("someone else's order cannot be cancelled or read", async () => {
    const trader = client(alice, { creds: aliceCreds });
    const { orderID } = await trader.createAndPostOrder({
      tokenID: yes(),
      price: 0.31,
      size: 5,
      side: Side.BUY,
    });
    const other = client(bob, { creds: bobCreds });
    expect(await other.cancelOrders([orderID])).toEqual({
      canceled: [],
      not_canceled: { [orderID]: 'order not found' },
    });
    await expect(other.getOrder(orderID)).rejects.toMatchObject({ status: 404 });
    expect(await trader.cancelAll()).toEqual({ canceled: [orderID], not_canceled: {} });
  });

  it('a batch: each order gets its own result; cancel-market-orders and cancel-all clear them', async () => {
    const trader = client(alice, { creds: aliceCreds });
    const options = { tickSize: '0.01' as const, negRisk: false };
    const good = await trader.createOrder({ tokenID: yes(), price: 0.2, size: 5, side: Side.BUY }, options);
    const tooSmall = await trader.createOrder(
      { tokenID: yes(), price: 0.2, size: 1, side: Side.BUY },
      options,
    );
    const no = h.market.tokens[1].tokenId;
    const onNo = await trader.createOrder({ tokenID: no, price: 0.1, size: 5, side: Side.BUY }, options);
    const results = await trader.postOrders([
      { order: good, orderType: OrderType.GTC },
      { order: tooSmall, orderType: OrderType.GTC },
      { order: onNo, orderType: OrderType.GTC },
    ]);
    expect(results).toHaveLength(3);
    expect(results[0]).toMatchObject({ success: true, status: 'live' });
    expect(results[1]).toMatchObject({
      success: false,
      orderID: '',
      errorMsg: expect.stringContaining('lower than the minimum: 5'),
    });
    expect(results[2]).toMatchObject({ success: true, status: 'live' });
    expect(await trader.getOpenOrders({ asset_id: no })).toHaveLength(1);

    expect(await trader.cancelMarketOrders({ asset_id: no })).toEqual({
      canceled: [results[2]?.orderID],
      not_canceled: {},
    });
    expect(await trader.cancelAll()).toEqual({ canceled: [results[0]?.orderID], not_canceled: {} });
    expect(await trader.getOpenOrders()).toEqual([]);
  });

  it('a batch of 16 is refused whole with a 400', async () => {
    const trader = client(alice, { creds: aliceCreds });
    const options = { tickSize: '0.01' as const, negRisk: false };
    const orders = [];
    for (let i = 0; i < 16; i++) {
      const order = await trader.createOrder(
        { tokenID: yes(), price: 0.01 + i / 100, size: 5, side: Side.BUY },
        options,
      );
      orders.push({ order, orderType: OrderType.GTC });
    }
    await expect(trader.postOrders(orders)).rejects.toMatchObject({
      status: 400,
      message: 'Too many orders in payload: 16, max allowed: 15',
    });
    expect(await trader.getOpenOrders()).toEqual([]);
  });

  it('refusals of a single order are 400 {error} with the engine text', async () => {
    const trader = client(alice, { creds: aliceCreds });
    // Bob holds 40 YES after his sale; a FOK BUY for more than the book offers is killed.
    await expect(
      trader.createAndPostMarketOrder(
        { tokenID: yes(), amount: 50, side: Side.BUY, price: 0.5 },
        undefined,
        OrderType.FOK,
      ),
    ).rejects.toMatchObject({
      status: 400,
      message: "order couldn't be fully filled. FOK orders are fully filled or killed.",
    });
    await expect(
      trader.createAndPostOrder({ tokenID: yes(), price: 0.5, size: 1_000, side: Side.BUY }),
    ).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/^not enough balance \/ allowance/),
    });
  });
});

describe('neg-risk markets and funder wallets', () => {
  it('a proxy-wallet order on a neg-risk market is verified against that exchange; its funder is remembered', async () => {
    const proxy = testContractAddress('rest e2e alice proxy');
    const m = h.negRiskMarket;
    h.venue.engine.deposit(proxy, usdc(20_000_000));
    const trader = client(alice, {
      creds: aliceCreds,
      signatureType: SignatureTypeV2.POLY_PROXY,
      funderAddress: proxy,
    });
    const tick = m.tickSize === 10_000 ? 0.01 : 0.001;
    const response = await trader.createAndPostOrder({
      tokenID: m.tokens[0].tokenId,
      price: tick * 10,
      size: 5,
      side: Side.BUY,
    });
    expect(response).toMatchObject({ success: true, status: 'live' });
    const order = h.venue.engine.order(response.orderID);
    expect(order?.maker).toBe(proxy.toLowerCase());
    const balance = await trader.getBalanceAllowance({ asset_type: AssetType.COLLATERAL });
    expect(balance.balance).toBe('20000000');
    await trader.cancelAll();
  });

  it('the orderID is the EIP-712 hash of the signed order on its exchange', async () => {
    const trader = client(alice, { creds: aliceCreds });
    const m = h.negRiskMarket;
    const tick = m.tickSize === 10_000 ? 0.01 : 0.001;
    const signed = await trader.createOrder({
      tokenID: m.tokens[1].tokenId,
      price: tick * 20,
      size: 5,
      side: Side.BUY,
    });
    const response = await trader.postOrder(signed);
    const body = postOrderV2BodySchema.parse({
      order: { ...signed, salt: Number(signed.salt), side: 'BUY' },
      owner: aliceCreds.key,
      orderType: 'GTC',
    });
    expect(response.orderID).toBe(orderHash(body.order, { chainId: 137, negRisk: true }));
    await trader.cancelAll();
  });
});

/** `actual` has every key of `sample`, each of the same kind (extra keys allowed). */
function covers(actual: Shape, sample: Shape, except: readonly string[] = []): void {
  const a = actual as Record<string, Shape>;
  for (const [key, kind] of Object.entries(sample as Record<string, Shape>)) {
    if (except.includes(key)) continue;
    expect(a[key], key).toEqual(kind);
  }
}

describe('reply shapes against the samples', () => {
  it("a matched order reply carries the sample's transactionsHashes and tradeIDs", async () => {
    const yes = h.market.tokens[0].tokenId;
    await client(alice, { creds: aliceCreds }).createAndPostOrder({
      tokenID: yes,
      price: 0.44,
      size: 5,
      side: Side.BUY,
    });
    const response = await client(bob, { creds: bobCreds }).createAndPostMarketOrder(
      { tokenID: yes, amount: 5, side: Side.SELL },
      undefined,
      OrderType.FOK,
    );
    // The sample's errorMsg is null and its ids are placeholders; everything else matches in kind.
    covers(shapeOf(response), shapeOf(readSample('clob_post_order_response_nautilus.json')), ['errorMsg']);
    expect(response.errorMsg).toBe('');
  });

  it('a marketable order on a market with a matching delay is "delayed" with empty amounts, then fills', async () => {
    const delayed = {
      conditionId: `0x${'de'.repeat(32)}`,
      yesTokenId: '900000000000000000000000000000000000000000000000000000000000000000000000001',
      noTokenId: '900000000000000000000000000000000000000000000000000000000000000000000000002',
      tickSize: 10_000 as never,
      minOrderSize: 5_000_000 as never,
      matchDelayMs: 150,
    };
    h.venue.engine.registerMarket(delayed);
    h.venue.engine.split(bob.address, delayed.conditionId, shares(10_000_000));
    const options = { tickSize: '0.01' as const, negRisk: false };
    await client(bob, { creds: bobCreds }).createAndPostOrder(
      { tokenID: delayed.yesTokenId, price: 0.6, size: 5, side: Side.SELL },
      options,
    );
    const taker = client(alice, { creds: aliceCreds });
    const response = await taker.createAndPostOrder(
      { tokenID: delayed.yesTokenId, price: 0.6, size: 5, side: Side.BUY },
      options,
    );
    const sample = readSample('clob_post_order_response_delayed_nautilus.json');
    covers(shapeOf(response), shapeOf(sample));
    expect(response).toMatchObject({ success: true, status: 'delayed', takingAmount: '', makingAmount: '' });
    expect((await taker.getOrder(response.orderID)).status).toBe('DELAYED');
    const trades = await until(
      () => taker.getTrades({ market: delayed.conditionId }),
      (t) => t.length === 1,
    );
    expect(trades[0]).toMatchObject({ taker_order_id: response.orderID, trader_side: 'TAKER', size: '5' });
  });

  it('a cancel with both outcomes has the shape of the sample', async () => {
    const trader = client(alice, { creds: aliceCreds });
    const { orderID } = await trader.createAndPostOrder({
      tokenID: h.market.tokens[0].tokenId,
      price: 0.05,
      size: 5,
      side: Side.BUY,
    });
    const unknown = `0x${'33'.repeat(32)}`;
    const reply = await trader.cancelOrders([orderID, unknown]);
    expect(shapeOf(reply)).toEqual(shapeOf(readSample('clob_cancel_orders_response_nautilus.json')));
    expect(reply).toEqual({ canceled: [orderID], not_canceled: { [unknown]: 'order not found' } });
  });
});
