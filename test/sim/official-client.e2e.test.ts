/**
 * The proof, on the whole simulator: the official clob-client-v2 derives API keys, reads a
 * book, posts a GTC that shows in /book and on the market websocket, another wallet crosses it
 * with a FOK, both see the trade (settled in a real transaction on the simulator's chain), then
 * cancel and cancel-all.
 */
import { ClobClient, OrderType, Side } from '@polymarket/clob-client-v2';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { type Simulator, startSimulator } from '../../src/sim/simulator.ts';
import { type TestWallet, testWallet } from '../polymarket/clob/official-client.ts';

const alice = testWallet('sim e2e alice');
const bob = testWallet('sim e2e bob');

describe('the official client against startSimulator()', () => {
  let sim: Simulator;
  let socket: WebSocket;
  const frames: Record<string, unknown>[] = [];

  const control = (path: string, body: unknown) =>
    fetch(sim.urls.control + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const client = (w: TestWallet, creds?: Awaited<ReturnType<ClobClient['createOrDeriveApiKey']>>) =>
    new ClobClient({
      host: sim.urls.clob,
      chain: 137,
      signer: w.signer,
      throwOnError: true,
      ...(creds ? { creds } : {}),
    });
  const market = () => sim.venue.catalog.markets.find((m) => !m.negRisk)!;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 44, traders: false, blockTimeMs: 200 });
    expect((await control('/_sim/fund', { address: alice.address, usdc: '100' })).status).toBe(200);
    const split = [{ conditionId: market().conditionId, shares: '50' }];
    expect((await control('/_sim/fund', { address: bob.address, usdc: '100', splits: split })).status).toBe(
      200,
    );

    socket = new WebSocket(`${sim.urls.clobWs}/market`);
    socket.on('message', (data) => {
      const text = data.toString();
      if (text === 'PONG') return;
      const parsed = JSON.parse(text) as Record<string, unknown> | Record<string, unknown>[];
      frames.push(...(Array.isArray(parsed) ? parsed : [parsed]));
    });
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ assets_ids: [market().tokens[0].tokenId], type: 'market' }));
    await vi.waitFor(() => expect(frames.some((f) => f.event_type === 'book')).toBe(true));
  });
  afterAll(async () => {
    socket?.close();
    await sim?.stop();
  });

  it('trades GTC against FOK, visible in the book, on the socket, in both trade lists and on chain', async () => {
    const yes = market().tokens[0].tokenId;
    const aliceClient = client(alice, await client(alice).createOrDeriveApiKey());
    const bobClient = client(bob, await client(bob).createOrDeriveApiKey());

    expect((await aliceClient.getOrderBook(yes)).bids).toEqual([]);
    const resting = await aliceClient.createAndPostOrder({
      tokenID: yes,
      price: 0.55,
      size: 10,
      side: Side.BUY,
    });
    expect(resting).toMatchObject({ success: true, status: 'live', transactionsHashes: [] });
    expect((await aliceClient.getOrderBook(yes)).bids).toEqual([{ price: '0.55', size: '10' }]);
    await vi.waitFor(() =>
      expect(frames).toContainEqual(
        expect.objectContaining({
          event_type: 'price_change',
          price_changes: expect.arrayContaining([
            expect.objectContaining({ asset_id: yes, price: '0.55', size: '10', side: 'BUY' }),
          ]),
        }),
      ),
    );

    const crossing = await bobClient.createAndPostMarketOrder(
      { tokenID: yes, amount: 10, side: Side.SELL },
      undefined,
      OrderType.FOK,
    );
    expect(crossing).toMatchObject({ success: true, status: 'matched' });
    const [txHash] = crossing.transactionsHashes as string[];
    expect(txHash).toMatch(/^0x[0-9a-f]{64}$/);
    await vi.waitFor(() =>
      expect(frames).toContainEqual(
        expect.objectContaining({ event_type: 'last_trade_price', price: '0.55' }),
      ),
    );

    const takerTrades = await bobClient.getTrades();
    const makerTrades = await aliceClient.getTrades();
    expect(takerTrades).toEqual([
      expect.objectContaining({ trader_side: 'TAKER', transaction_hash: txHash }),
    ]);
    expect(makerTrades).toEqual([
      expect.objectContaining({ trader_side: 'MAKER', transaction_hash: txHash }),
    ]);

    // The transaction is real: mined on the simulator's chain, with the exchange's three logs.
    const receipt = await vi.waitFor(
      async () => {
        const res = await fetch(sim.urls.chainHttp!, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            jsonrpc: '2.0',
            id: 1,
            method: 'eth_getTransactionReceipt',
            params: [txHash],
          }),
        });
        const { result } = (await res.json()) as { result: { status: string; logs: unknown[] } | null };
        if (!result) throw new Error('not mined yet');
        return result;
      },
      { timeout: 5000 },
    );
    expect(receipt).toMatchObject({ status: '0x1' });
    expect(receipt.logs).toHaveLength(3);
  });

  it('cancels one order, then all of them', async () => {
    const yes = market().tokens[0].tokenId;
    // The key exists since the first test; with throwOnError the client's createOrDerive would throw.
    const trader = client(alice, await client(alice).deriveApiKey());
    const one = await trader.createAndPostOrder({ tokenID: yes, price: 0.3, size: 5, side: Side.BUY });
    expect(await trader.cancelOrder({ orderID: one.orderID })).toMatchObject({ canceled: [one.orderID] });

    const ids: string[] = [];
    for (const p of [0.31, 0.32]) {
      ids.push(
        (await trader.createAndPostOrder({ tokenID: yes, price: p, size: 5, side: Side.BUY })).orderID,
      );
    }
    expect((await trader.getOpenOrders()).map((o) => o.id).sort()).toEqual([...ids].sort());
    const all = await trader.cancelAll();
    expect([...(all.canceled as string[])].sort()).toEqual([...ids].sort());
    expect(await trader.getOpenOrders()).toEqual([]);
    expect((await trader.getOrderBook(yes)).bids).toEqual([]);
  });
});
