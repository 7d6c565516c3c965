import { RealTimeDataClient } from '@polymarket/real-time-data-client';
import { createPublicClient, getAddress, pad, webSocket } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeOrderFilled, EXCHANGE_TOPICS } from '../../src/polymarket/chain/index.ts';
import { type Simulator, startSimulator } from '../../src/sim/simulator.ts';
import { crossOnce } from '../support/sim-orders.ts';

const SELLER = '0x00000000000000000000000000000000005e11e5';
const BUYER = '0x0000000000000000000000000000000000b0b0b0';

describe('startSimulator', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 9, blockTimeMs: 100, dataApiLagMs: 0, traders: false });
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('serves the catalog on Gamma', async () => {
    const markets = (await (await fetch(`${sim.urls.gamma}/markets?limit=100`)).json()) as {
      conditionId: string;
    }[];
    expect(markets.map((m) => m.conditionId)).toEqual(sim.venue.catalog.markets.map((m) => m.conditionId));
  });

  it('shows one trade on RTDS, the Data API and the chain, where a maker filter sees only that maker', async () => {
    // The chain: OrderFilled logs whose maker (topic 2) is the seller.
    const client = createPublicClient({ transport: webSocket(sim.urls.chainWs!) });
    const logs: unknown[] = [];
    const unwatch = await new Promise<() => void>((resolve) => {
      const stop = client.transport.subscribe({
        params: ['logs', { topics: [EXCHANGE_TOPICS[2].OrderFilled, null, pad(SELLER)] }],
        onData: (data) => {
          logs.push((data as { result: unknown }).result);
        },
        onError: () => undefined,
      });
      stop.then(({ unsubscribe }: { unsubscribe: () => void }) => resolve(unsubscribe));
    });

    // RTDS: what a copy bot sees, filtered client-side to the two wallets.
    const rtds: { payload: { proxyWallet: string; side: string } }[] = [];
    const connected = new Promise<RealTimeDataClient>((resolve) => {
      const c = new RealTimeDataClient({
        host: sim.urls.rtds,
        onConnect: (cl) => {
          cl.subscribe({ subscriptions: [{ topic: 'activity', type: 'trades' }] });
          resolve(cl);
        },
        onMessage: (_c, m) => rtds.push(m as never),
      });
      c.connect();
    });
    const rtdsClient = await connected;
    await new Promise((r) => setTimeout(r, 100));

    const { take } = await crossOnce(sim.venue, SELLER, BUYER);
    const txHash = take.trades[0]!.txHash;

    await expect.poll(() => rtds.length, { timeout: 5000 }).toBe(2);
    expect(rtds.map((m) => [m.payload.proxyWallet, m.payload.side]).sort()).toEqual(
      [
        [getAddress(BUYER), 'BUY'],
        [getAddress(SELLER), 'SELL'],
      ].sort(),
    );

    await expect.poll(() => logs.length, { timeout: 5000 }).toBe(1);
    const fill = decodeOrderFilled(logs[0]);
    expect(fill).toMatchObject({ maker: getAddress(SELLER), side: 'SELL', transactionHash: txHash });
    expect(fill.shares).toBe(10_000_000n);

    const activity = (await (await fetch(`${sim.urls.dataApi}/activity?user=${BUYER}`)).json()) as {
      transactionHash: string;
      side: string;
      size: number;
      price: number;
    }[];
    expect(activity).toEqual([
      expect.objectContaining({ transactionHash: txHash, side: 'BUY', size: 10, price: 0.6 }),
    ]);

    unwatch();
    rtdsClient.disconnect();
  });
});
