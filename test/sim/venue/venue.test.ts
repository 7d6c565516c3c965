import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import { generateCatalog } from '../../../src/sim/catalog/generate.ts';
import { type Chain, startChain } from '../../../src/sim/chain/index.ts';
import { FeedsHub } from '../../../src/sim/feeds/index.ts';
import { SimVenue, type VenueEvent } from '../../../src/sim/venue/index.ts';
import { crossOnce, orderId } from '../../support/sim-orders.ts';

const NOW = Date.UTC(2026, 10, 21, 12);
const ALICE = '0x00000000000000000000000000000000000a11ce';
const BOB = '0x0000000000000000000000000000000000000b0b';

describe('SimVenue without a chain', () => {
  let venue: SimVenue | undefined;
  afterEach(() => venue?.close());

  it('settles a trade: tx hash at once, feeds after their lag, MATCHED -> MINED -> CONFIRMED', async () => {
    const clock = new ManualClock(NOW);
    const catalog = generateCatalog({ seed: 4, now: NOW });
    const feeds = new FeedsHub({ catalog, now: () => clock.now(), seed: 4, lagMs: 3000 });
    venue = new SimVenue({ seed: 4, catalog, clock, feeds, blockTimeMs: 2000, confirmDelayMs: 1000 });
    const statuses: string[] = [];
    venue.on((e: VenueEvent) => {
      if (e.kind === 'trade_status') statuses.push(e.trade.status);
    });

    const { take } = await crossOnce(venue, ALICE, BOB);
    expect(take.trades).toHaveLength(1);
    const trade = take.trades[0]!;
    expect(trade.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(statuses).toEqual(['MATCHED']);

    // One row per participant: Alice's maker SELL and Bob's taker BUY, same tx, hidden until the lag.
    expect(feeds.visible()).toHaveLength(0);
    await clock.advance(2000);
    expect(statuses).toEqual(['MATCHED', 'MINED']);
    await clock.advance(1000);
    expect(statuses).toEqual(['MATCHED', 'MINED', 'CONFIRMED']);
    const rows = feeds.visible();
    expect(rows.map((r) => [r.proxyWallet, r.side])).toEqual(
      expect.arrayContaining([
        [ALICE, 'SELL'],
        [BOB, 'BUY'],
      ]),
    );
    expect(new Set(rows.map((r) => r.transactionHash))).toEqual(new Set([trade.txHash]));
  });
});

describe('SimVenue on the chain', () => {
  let chain: Chain | undefined;
  let venue: SimVenue | undefined;
  afterEach(async () => {
    venue?.close();
    await chain?.stop();
  });

  it('settles each trade in a real transaction whose OrderFilled rows name both orders', async () => {
    chain = await startChain({ blockTimeMs: 0 });
    const clock = new ManualClock(NOW);
    const catalog = generateCatalog({ seed: 5, now: NOW });
    venue = new SimVenue({ seed: 5, catalog, clock, chain, confirmDelayMs: 1000 });
    const { take } = await crossOnce(venue, ALICE, BOB);
    const trade = take.trades[0]!;
    const block = await chain.mineNow();
    expect(block.transactionCount).toBe(1);
    const receipt = (await (
      await fetch(chain.httpUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'eth_getTransactionReceipt',
          params: [trade.txHash],
        }),
      })
    ).json()) as { result: { status: string; logs: { topics: string[] }[] } };
    expect(receipt.result.status).toBe('0x1');
    // Maker row, taker row, OrdersMatched.
    expect(receipt.result.logs).toHaveLength(3);
    const orderHashes = receipt.result.logs.slice(0, 2).map((l) => l.topics[1]);
    expect(orderHashes).toEqual([orderId(1), orderId(2)]);
  });
});
