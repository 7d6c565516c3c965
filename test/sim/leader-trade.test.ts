import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Simulator, startSimulator } from '../../src/sim/simulator.ts';

const LEADER = '0x1eade20000000000000000000000000000000001';

describe('control API: leader trades against the market makers', () => {
  let sim: Simulator;
  const post = async (path: string, body: unknown) => {
    const res = await fetch(sim.urls.control + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    sim = await startSimulator({ seed: 31, blockTimeMs: 200, dataApiLagMs: 0 });
    // The makers quote on start; wait until the first market has both sides.
    const yes = sim.venue.catalog.markets[0]!.tokens[0].tokenId;
    await vi.waitFor(
      () => {
        if (sim.venue.engine.topOfBook(yes)?.bestAsk == null) throw new Error('no ask yet');
      },
      { timeout: 10_000 },
    );
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('makes a wallet sweep several maker orders in one transaction, then sell half and exit', async () => {
    const yes = sim.venue.catalog.markets[0]!.tokens[0].tokenId;
    const buy = await post('/_sim/leader-trade', {
      wallet: LEADER,
      fund: '5000',
      tokenId: yes,
      side: 'BUY',
      levels: 2,
    });
    expect(buy.status).toBe(200);
    expect(buy.body).toMatchObject({ success: true, status: 'matched', wallet: LEADER });
    const trades = buy.body.trades as { txHash: string; makers: unknown[] }[];
    expect(trades).toHaveLength(1);
    expect(trades[0]!.makers.length).toBeGreaterThan(1);
    expect(buy.body.txHashes).toEqual([trades[0]!.txHash]);
    const bought = Number(buy.body.positionAfter);
    expect(bought).toBeGreaterThan(0);

    const half = await post('/_sim/leader-trade', {
      wallet: LEADER,
      tokenId: yes,
      side: 'SELL',
      fraction: 0.5,
    });
    expect(half.body).toMatchObject({ success: true, positionBefore: buy.body.positionAfter });
    expect(Number(half.body.positionAfter)).toBeCloseTo(bought / 2, 1);

    const exit = await post('/_sim/leader-trade', {
      wallet: LEADER,
      tokenId: yes,
      side: 'SELL',
      fraction: 1,
    });
    expect(exit.body.success).toBe(true);
    expect(Number(exit.body.positionAfter)).toBeLessThan(0.01);
  });

  it('explains a request it cannot turn into an order', async () => {
    const yes = sim.venue.catalog.markets[1]!.tokens[0].tokenId;
    const none = await post('/_sim/leader-trade', {
      wallet: LEADER,
      tokenId: yes,
      side: 'SELL',
      fraction: 1,
    });
    expect(none.status).toBe(400);
    const two = await post('/_sim/leader-trade', {
      wallet: LEADER,
      tokenId: yes,
      side: 'BUY',
      usdc: '5',
      levels: 1,
    });
    expect(two.status).toBe(400);
    expect(String(two.body.error)).toMatch(/exactly one of usdc, shares, fraction, levels/);
  });
});
