import { afterEach, describe, expect, it } from 'vitest';
import { MICRO } from '../../../src/core/index.ts';
import { usd, type World, world } from './helpers.ts';

let w: World | undefined;
afterEach(() => w?.close());

describe('background takers', () => {
  it('cross the books now and then with small market orders, and stop when told', async () => {
    w = world(51, { takers: { intervalMs: 1000, chance: 1, maxUsdc: usd(10) } });
    const takers = new Set(w.traders.takers!.addresses);
    expect(takers.size).toBe(3);
    for (let i = 0; i < 30; i++) await w.clock.advance(1000);
    const trades = w.venue.allTrades().map((t) => t.trade);
    expect(trades.length).toBeGreaterThan(15);
    for (const t of trades) {
      expect(takers.has(t.taker.maker)).toBe(true);
      expect(['FAK']).toContain(t.taker.orderType);
      // Small: a buy of at most $10 (before the fee), a sale of what a few such buys bought.
      if (t.taker.side === 'BUY') expect(t.taker.usdc).toBeLessThanOrEqual(10 * MICRO);
    }
    expect(trades.some((t) => t.taker.side === 'SELL')).toBe(true);
    expect(new Set(trades.map((t) => t.market)).size).toBeGreaterThan(2);
    expect(w.errors).toEqual([]);

    w.traders.takers!.stop();
    const count = w.venue.allTrades().length;
    for (let i = 0; i < 10; i++) await w.clock.advance(1000);
    expect(w.venue.allTrades()).toHaveLength(count);
  });

  it('are off unless asked for, and makers can be limited to some markets', async () => {
    const probe = world(52, { makers: false });
    const some = [probe.venue.catalog.markets[0]!.conditionId];
    probe.close();
    w = world(52, { makers: { markets: some } });
    expect(w.traders.takers).toBeNull();
    await w.clock.advance(10_000);
    expect(w.venue.allTrades()).toEqual([]);
    const quoted = new Set(w.venue.engine.openOrders().map((o) => o.market));
    expect([...quoted]).toEqual(some);
  });
});
