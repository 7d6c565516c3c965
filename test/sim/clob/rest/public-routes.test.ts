/**
 * Public market data over HTTP: shapes equal to the real captures, prices from the venue's book,
 * and the documented errors for bad or unknown tokens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shares, usdc } from '../../../../src/core/money.ts';
import { END_CURSOR, INITIAL_CURSOR, REST_ERROR } from '../../../../src/sim/clob/rest/index.ts';
import type { OrderRequest } from '../../../../src/sim/engine/index.ts';
import { readSample, shapeOf } from '../../../support/shape.ts';
import { orderId } from '../../../support/sim-orders.ts';
import { type Harness, send, startHarness } from './harness.ts';

let h: Harness;
const MAKER = '0x00000000000000000000000000000000000a11ce';
const TAKER = '0x0000000000000000000000000000000000000b0b';
let seq = 100;

function order(
  tokenId: string,
  side: 'BUY' | 'SELL',
  price: number,
  size: number,
  type: OrderRequest['orderType'] = 'GTC',
  maker = MAKER,
): OrderRequest {
  const sharesMicro = size * 1_000_000;
  const usdcMicro = Math.round(size * price * 1_000_000);
  return {
    id: orderId(seq++),
    owner: 'key-public',
    maker,
    tokenId,
    side,
    makerAmount: (side === 'BUY' ? usdcMicro : sharesMicro) as never,
    takerAmount: (side === 'BUY' ? sharesMicro : usdcMicro) as never,
    orderType: type,
    expiration: 0,
  };
}

beforeAll(async () => {
  h = await startHarness({ seed: 21, rest: { marketsPageSize: 4 } });
  const { engine } = h.venue;
  const yes = h.market.tokens[0].tokenId;
  engine.deposit(MAKER, usdc(1_000_000_000));
  engine.split(MAKER, h.market.conditionId, shares(500_000_000));
  engine.deposit(TAKER, usdc(1_000_000_000));
  // A trade at 0.50 (so last_trade_price is set), then a resting ladder around it.
  await h.venue.submit(order(yes, 'SELL', 0.5, 10));
  await h.venue.submit(order(yes, 'BUY', 0.5, 10, 'FOK', TAKER));
  for (const p of [0.38, 0.39, 0.4]) await h.venue.submit(order(yes, 'BUY', p, 10));
  for (const p of [0.62, 0.61, 0.6]) await h.venue.submit(order(yes, 'SELL', p, 20));
  // The neg-risk market: bids only, no trade.
  const nr = h.negRiskMarket;
  const tick = nr.tickSize / 1_000_000;
  engine.split(MAKER, nr.conditionId, shares(100_000_000));
  await h.venue.submit(order(nr.tokens[0].tokenId, 'BUY', tick, 10));
  await h.venue.submit(order(nr.tokens[0].tokenId, 'BUY', tick * 2, 10));
});
afterAll(async () => {
  await h?.close();
});

describe('service routes', () => {
  it('/version, /time, /ok', async () => {
    expect((await send(h, 'GET', '/version')).json).toEqual({ version: 2 });
    const time = await send(h, 'GET', '/time');
    expect(typeof time.json).toBe('number');
    expect(Math.abs((time.json as number) - Date.now() / 1000)).toBeLessThan(5);
    expect(await send(h, 'GET', '/ok')).toMatchObject({ status: 200, json: 'OK' });
  });
});

describe('/book and /books', () => {
  it('has the shape of the real capture, best level last on both sides', async () => {
    const yes = h.market.tokens[0].tokenId;
    const { status, json } = await send(h, 'GET', `/book?token_id=${yes}`);
    expect(status).toBe(200);
    expect(shapeOf(json)).toEqual(shapeOf(readSample('clob_book_rest.json')));
    expect(json).toMatchObject({
      market: h.market.conditionId,
      asset_id: yes,
      bids: [
        { price: '0.38', size: '10' },
        { price: '0.39', size: '10' },
        { price: '0.4', size: '10' },
      ],
      asks: [
        { price: '0.62', size: '20' },
        { price: '0.61', size: '20' },
        { price: '0.6', size: '20' },
      ],
      min_order_size: '5',
      tick_size: '0.01',
      neg_risk: false,
      last_trade_price: '0.500',
    });
    expect((json as { hash: string }).hash).toMatch(/^[0-9a-f]{40}$/);
  });

  it('a book with no asks and no trade has the shape of the empty-ask capture', async () => {
    const token = h.negRiskMarket.tokens[0].tokenId;
    const { json } = await send(h, 'GET', `/book?token_id=${token}`);
    expect(shapeOf(json)).toEqual(shapeOf(readSample('clob_book_rest_empty_ask.json')));
    expect(json).toMatchObject({ asks: [], last_trade_price: '', neg_risk: true });
  });

  it('the NO token mirrors the YES book', async () => {
    const { json } = await send(h, 'GET', `/book?token_id=${h.market.tokens[1].tokenId}`);
    expect((json as { bids: unknown[] }).bids.at(-1)).toEqual({ price: '0.4', size: '20' });
    expect((json as { asks: unknown[] }).asks.at(-1)).toEqual({ price: '0.6', size: '10' });
  });

  it('POST /books answers the known tokens in order and leaves unknown ones out', async () => {
    const [yes, no] = h.market.tokens.map((t) => t.tokenId);
    const body = JSON.stringify([{ token_id: no }, { token_id: '123' }, { token_id: yes, side: 'BUY' }]);
    const { status, json } = await send(h, 'POST', '/books', body);
    expect(status).toBe(200);
    expect((json as { asset_id: string }[]).map((b) => b.asset_id)).toEqual([no, yes]);
  });

  it.each([
    ['/book', 400, REST_ERROR.invalidTokenId],
    ['/book?token_id=', 400, REST_ERROR.invalidTokenId],
    ['/book?token_id=0xabc', 400, REST_ERROR.invalidTokenId],
    ['/book?token_id=1&token_id=2', 400, REST_ERROR.invalidTokenId],
    [`/book?token_id=${'9'.repeat(79)}`, 400, REST_ERROR.invalidTokenId],
    ['/book?token_id=12345', 404, REST_ERROR.noOrderbook],
  ])('GET %s -> %i', async (target, status, error) => {
    expect(await send(h, 'GET', target)).toMatchObject({ status, json: { error } });
  });

  it.each([
    ['garbage', '{not json', REST_ERROR.invalidPayload],
    ['an object', '{"token_id":"1"}', REST_ERROR.invalidPayload],
    ['a bad token', '[{"token_id":"abc"}]', REST_ERROR.invalidPayload],
    ['no body', undefined, REST_ERROR.invalidPayload],
    [
      '501 entries',
      JSON.stringify(Array.from({ length: 501 }, () => ({ token_id: '1' }))),
      REST_ERROR.payloadTooLarge,
    ],
  ])('POST /books with %s -> 400', async (_name, body, error) => {
    expect(await send(h, 'POST', '/books', body)).toMatchObject({ status: 400, json: { error } });
  });
});

describe('prices', () => {
  const yes = () => h.market.tokens[0].tokenId;
  const no = () => h.market.tokens[1].tokenId;

  it('/price is the best bid for BUY and the best ask for SELL, on either token', async () => {
    expect((await send(h, 'GET', `/price?token_id=${yes()}&side=BUY`)).json).toEqual({ price: '0.4' });
    expect((await send(h, 'GET', `/price?token_id=${yes()}&side=SELL`)).json).toEqual({ price: '0.6' });
    expect((await send(h, 'GET', `/price?token_id=${no()}&side=BUY`)).json).toEqual({ price: '0.4' });
    expect(await send(h, 'GET', `/price?token_id=${yes()}&side=HOLD`)).toMatchObject({
      status: 400,
      json: { error: REST_ERROR.invalidSide },
    });
    const nr = h.negRiskMarket.tokens[0].tokenId;
    expect((await send(h, 'GET', `/price?token_id=${nr}&side=SELL`)).status).toBe(404);
  });

  it('/midpoint, /spread and their batch forms', async () => {
    expect((await send(h, 'GET', `/midpoint?token_id=${yes()}`)).json).toEqual({ mid: '0.5' });
    expect((await send(h, 'GET', `/spread?token_id=${yes()}`)).json).toEqual({ spread: '0.2' });
    const body = JSON.stringify([{ token_id: yes() }, { token_id: no() }, { token_id: '77' }]);
    expect((await send(h, 'POST', '/midpoints', body)).json).toEqual({ [yes()]: '0.5', [no()]: '0.5' });
    expect((await send(h, 'POST', '/spreads', body)).json).toEqual({
      spreads: { [yes()]: '0.2', [no()]: '0.2' },
    });
    const nr = h.negRiskMarket.tokens[0].tokenId;
    expect((await send(h, 'GET', `/midpoint?token_id=${nr}`)).status).toBe(404);
  });

  it('POST /prices groups sides per token and refuses a bad side', async () => {
    const body = JSON.stringify([
      { token_id: yes(), side: 'BUY' },
      { token_id: yes(), side: 'SELL' },
      { token_id: no(), side: 'SELL' },
    ]);
    expect((await send(h, 'POST', '/prices', body)).json).toEqual({
      [yes()]: { BUY: '0.4', SELL: '0.6' },
      [no()]: { SELL: '0.6' },
    });
    const bad = JSON.stringify([{ token_id: yes() }]);
    expect(await send(h, 'POST', '/prices', bad)).toMatchObject({
      status: 400,
      json: { error: REST_ERROR.invalidSide },
    });
  });

  it('/last-trade-price and /last-trades-prices: the taker side on its token, mirrored on the other', async () => {
    expect((await send(h, 'GET', `/last-trade-price?token_id=${yes()}`)).json).toEqual({
      price: '0.5',
      side: 'BUY',
    });
    expect((await send(h, 'GET', `/last-trade-price?token_id=${no()}`)).json).toEqual({
      price: '0.5',
      side: 'SELL',
    });
    const nr = h.negRiskMarket.tokens[0].tokenId;
    const body = JSON.stringify([{ token_id: yes() }, { token_id: nr }]);
    expect((await send(h, 'POST', '/last-trades-prices', body)).json).toEqual([
      { token_id: yes(), price: '0.5', side: 'BUY' },
      { token_id: nr, price: '0', side: '' },
    ]);
  });

  it('/tick-size, /neg-risk, /fee-rate', async () => {
    expect((await send(h, 'GET', `/tick-size?token_id=${yes()}`)).json).toEqual({ minimum_tick_size: 0.01 });
    expect((await send(h, 'GET', `/neg-risk?token_id=${yes()}`)).json).toEqual({ neg_risk: false });
    const nr = h.negRiskMarket.tokens[1].tokenId;
    expect((await send(h, 'GET', `/neg-risk?token_id=${nr}`)).json).toEqual({ neg_risk: true });
    expect((await send(h, 'GET', `/fee-rate?token_id=${yes()}`)).json).toEqual({
      base_fee: (h.market.feeSchedule.rate * 10_000) / 1_000_000,
    });
    for (const route of ['/tick-size', '/neg-risk', '/fee-rate', '/last-trade-price']) {
      expect((await send(h, 'GET', `${route}?token_id=42`)).status).toBe(404);
      expect((await send(h, 'GET', route)).status).toBe(400);
    }
  });
});

describe('markets', () => {
  it('/markets/<condition_id> has the shape of the real (sanitized) capture', async () => {
    const { status, json } = await send(h, 'GET', `/markets/${h.market.conditionId}`);
    expect(status).toBe(200);
    const sample = readSample('clob_market_by_condition_sanitized.json') as Record<string, unknown>;
    // The one difference: no simulated market is a sports game, so game_start_time is null.
    expect(shapeOf(json)).toEqual(shapeOf({ ...sample, game_start_time: null }));
    expect(json).toMatchObject({
      condition_id: h.market.conditionId,
      minimum_tick_size: 0.01,
      minimum_order_size: 5,
      accepting_orders: true,
      tokens: [
        { token_id: h.market.tokens[0].tokenId, outcome: 'Yes', price: 0.5, winner: false },
        { token_id: h.market.tokens[1].tokenId, outcome: 'No', price: 0.5, winner: false },
      ],
    });
  });

  it('/markets pages with next_cursor from "MA==" to "LTE="', async () => {
    const seen: string[] = [];
    let cursor = INITIAL_CURSOR;
    let pages = 0;
    while (cursor !== END_CURSOR && pages < 10) {
      const { json } = await send(h, 'GET', `/markets?next_cursor=${encodeURIComponent(cursor)}`);
      const page = json as {
        data: { condition_id: string }[];
        next_cursor: string;
        limit: number;
        count: number;
      };
      expect(page.limit).toBe(4);
      expect(page.count).toBe(page.data.length);
      seen.push(...page.data.map((m) => m.condition_id));
      cursor = page.next_cursor;
      pages++;
    }
    expect(seen).toEqual(h.venue.catalog.markets.map((m) => m.conditionId));
    expect(pages).toBe(Math.ceil(h.venue.catalog.markets.length / 4));
    expect(await send(h, 'GET', '/markets?next_cursor=%%%')).toMatchObject({ status: 400 });
  });

  it('/clob-markets/<condition_id> is the MarketDetails the client caches', async () => {
    const { json } = await send(h, 'GET', `/clob-markets/${h.negRiskMarket.conditionId}`);
    const m = h.negRiskMarket;
    expect(json).toEqual({
      c: m.conditionId,
      t: [
        { t: m.tokens[0].tokenId, o: 'Yes' },
        { t: m.tokens[1].tokenId, o: 'No' },
      ],
      mts: m.tickSize / 1_000_000,
      nr: true,
      fd: { r: m.feeSchedule.rate / 1_000_000, e: 1, to: true },
      mbf: 0,
      tbf: (m.feeSchedule.rate * 10_000) / 1_000_000,
      r: null,
      ao: true,
      mos: 5,
      sd: 0,
      aot: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
    });
    const plain = await send(h, 'GET', `/clob-markets/${h.market.conditionId}`);
    expect(plain.json).not.toHaveProperty('nr');
  });

  it('/markets-by-token and unknown ids', async () => {
    const { json } = await send(h, 'GET', `/markets-by-token/${h.market.tokens[1].tokenId}`);
    expect(json).toMatchObject({ condition_id: h.market.conditionId });
    const unknown = `0x${'ab'.repeat(32)}`;
    for (const target of [`/markets/${unknown}`, `/clob-markets/${unknown}`, '/markets-by-token/5']) {
      expect(await send(h, 'GET', target)).toMatchObject({
        status: 404,
        json: { error: REST_ERROR.marketNotFound },
      });
    }
  });
});
