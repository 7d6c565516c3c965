/**
 * Cursor paging and the `/data/*` filters: the official client walks every page of its open
 * orders and trades; filters select by market, token, maker address and time.
 */
import { type ApiKeyCreds, ClobClient, OrderType, Side } from '@polymarket/clob-client-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usdc } from '../../../../src/core/money.ts';
import { END_CURSOR, INITIAL_CURSOR } from '../../../../src/sim/clob/rest/index.ts';
import { decodeCursor, encodeCursor, pageOf } from '../../../../src/sim/clob/rest/paging.ts';
import { type TestWallet, testWallet } from '../../../polymarket/clob/official-client.ts';
import { type Harness, sendL2, startHarness } from './harness.ts';

describe('cursors', () => {
  it('are base64 offsets: "MA==" is the start, "LTE=" the end', () => {
    expect(encodeCursor(0)).toBe(INITIAL_CURSOR);
    expect(encodeCursor(-1)).toBe(END_CURSOR);
    expect(decodeCursor(INITIAL_CURSOR)).toBe(0);
    expect(decodeCursor(undefined)).toBe(0);
    expect(decodeCursor('')).toBe(0);
    expect(decodeCursor(encodeCursor(250))).toBe(250);
    expect(decodeCursor(END_CURSOR)).toBe(-1);
    for (const bad of [
      '!!',
      'abc',
      encodeCursor(1.5 as number).replace('=', '!'),
      Buffer.from('007').toString('base64'),
    ]) {
      expect(decodeCursor(bad)).toBeUndefined();
    }
  });

  it('pageOf slices and points at the next offset until the end', () => {
    const items = [1, 2, 3, 4, 5];
    expect(pageOf(items, 0, 2)).toEqual({ data: [1, 2], next_cursor: encodeCursor(2), limit: 2, count: 2 });
    expect(pageOf(items, 4, 2)).toEqual({ data: [5], next_cursor: END_CURSOR, limit: 2, count: 1 });
    expect(pageOf(items, 9, 2)).toEqual({ data: [], next_cursor: END_CURSOR, limit: 2, count: 0 });
    expect(pageOf(items, -1, 2)).toEqual({ data: [], next_cursor: END_CURSOR, limit: 2, count: 0 });
  });
});

describe('/data/orders and /data/trades over several pages', () => {
  let h: Harness;
  const maker = testWallet('rest data maker');
  const taker = testWallet('rest data taker');
  const creds = new Map<TestWallet, ApiKeyCreds>();
  const client = (w: TestWallet) =>
    new ClobClient({ host: h.url, chain: 137, signer: w.signer, creds: creds.get(w), throwOnError: true });

  beforeAll(async () => {
    h = await startHarness({ seed: 61, rest: { pageSize: 2 } });
    for (const w of [maker, taker]) {
      h.venue.engine.deposit(w.address, usdc(200_000_000));
      const c = await new ClobClient({ host: h.url, chain: 137, signer: w.signer }).createApiKey();
      creds.set(w, c);
    }
  });
  afterAll(async () => {
    await h?.close();
  });

  it('getOpenOrders walks every page; only_first_page stops after one; filters apply', async () => {
    const yes = h.market.tokens[0].tokenId;
    const no = h.market.tokens[1].tokenId;
    const ids: string[] = [];
    for (const [token, price] of [
      [yes, 0.1],
      [yes, 0.11],
      [yes, 0.12],
      [no, 0.13],
      [no, 0.14],
    ] as const) {
      ids.push(
        (await client(maker).createAndPostOrder({ tokenID: token, price, size: 5, side: Side.BUY })).orderID,
      );
    }
    const from = h.requests.length;
    expect((await client(maker).getOpenOrders()).map((o) => o.id)).toEqual(ids);
    expect(h.requests.slice(from).filter((r) => r.url.startsWith('/data/orders'))).toHaveLength(3);
    expect(await client(maker).getOpenOrders(undefined, true)).toHaveLength(2);
    expect((await client(maker).getOpenOrders({ asset_id: no })).map((o) => o.id)).toEqual(ids.slice(3));
    expect((await client(maker).getOpenOrders({ id: ids[1] })).map((o) => o.id)).toEqual([ids[1]]);
    expect(await client(maker).getOpenOrders({ market: `0x${'00'.repeat(32)}` })).toEqual([]);
  });

  it("trades: a mint (BUY NO maker, BUY YES taker) is on the maker's token too; newest first; paged", async () => {
    const yes = h.market.tokens[0].tokenId;
    const no = h.market.tokens[1].tokenId;
    // The taker buys YES at 0.90: it crosses the maker's NO bids at 0.13 and 0.14 (YES asks at 0.87, 0.86).
    const first = await client(taker).createAndPostMarketOrder(
      { tokenID: yes, amount: 4.3, side: Side.BUY, price: 0.86 },
      undefined,
      OrderType.FAK,
    );
    expect(first).toMatchObject({ success: true, status: 'matched' });
    const second = await client(taker).createAndPostMarketOrder(
      { tokenID: yes, amount: 4.35, side: Side.BUY, price: 0.87 },
      undefined,
      OrderType.FAK,
    );
    expect(second).toMatchObject({ success: true, status: 'matched' });

    const takerTrades = await client(taker).getTrades();
    expect(takerTrades.map((t) => t.id)).toEqual([...(second.tradeIDs ?? []), ...(first.tradeIDs ?? [])]);
    expect(takerTrades.every((t) => t.trader_side === 'TAKER' && t.asset_id === yes)).toBe(true);

    const makerTrades = await client(maker).getTrades();
    expect(makerTrades).toHaveLength(2);
    expect(
      makerTrades.every((t) => t.trader_side === 'MAKER' && t.maker_orders.every((m) => m.asset_id === no)),
    ).toBe(true);
    expect(await client(maker).getTrades({ asset_id: no })).toHaveLength(2);
    expect(await client(maker).getTrades({ asset_id: yes })).toHaveLength(2);
    expect(await client(maker).getTrades({ maker_address: taker.address })).toEqual([]);
    expect(await client(maker).getTrades({ maker_address: maker.address })).toHaveLength(2);
    expect(await client(taker).getTrades({ id: first.tradeIDs?.[0] ?? '' })).toHaveLength(1);

    const now = Math.floor(Date.now() / 1000);
    expect(await client(taker).getTrades({ after: String(now + 60) })).toEqual([]);
    expect(await client(taker).getTrades({ before: String(now - 3600) })).toEqual([]);
    expect(await client(taker).getTrades({ after: String(now - 60), before: String(now + 60) })).toHaveLength(
      2,
    );

    const page = await client(taker).getTradesPaginated({});
    expect(page).toMatchObject({ limit: 2, count: 2, next_cursor: END_CURSOR });
  });

  it('pre-migration orders are an empty final page', async () => {
    expect(await client(maker).getPreMigrationOrders()).toEqual([]);
    const raw = await sendL2(
      h,
      { address: maker.address, creds: creds.get(maker)! },
      'GET',
      '/data/pre-migration-orders',
    );
    expect(raw.json).toEqual({ data: [], next_cursor: END_CURSOR, limit: 2, count: 0 });
  });
});
