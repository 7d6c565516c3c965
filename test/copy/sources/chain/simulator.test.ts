/**
 * The chain source on the whole simulator: leader trades matched by its engine against the market
 * makers and settled on its chain come out as the engine's own numbers, including a sweep of
 * several makers (one taker row), a partial sell, MINT matches with the leader as taker and as
 * maker, and a reorg fault.
 */
import type { Hex } from 'viem';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LeaderFillSighting } from '../../../../src/copy/sighting.ts';
import { fillPrice } from '../../../../src/copy/sources/chain/index.ts';
import { type Micro, price, shares, type Usdc } from '../../../../src/core/money.ts';
import type { Trade } from '../../../../src/sim/engine/index.ts';
import { type Simulator, startSimulator } from '../../../../src/sim/simulator.ts';
import { waitFor } from '../../../sim/chain/support.ts';
import { type Recorder, record } from './support.ts';

const LEADER = `0x1eade2${'0'.repeat(32)}11`;
const OTHER = `0x07e4${'0'.repeat(34)}22`;

let sim: Simulator;
let r: Recorder;
let yes: string;
let no: string;

beforeAll(async () => {
  sim = await startSimulator({ seed: 44, blockTimeMs: 200, dataApiLagMs: 0 });
  const market = sim.venue.catalog.markets[0]!;
  yes = market.tokens[0].tokenId;
  no = market.tokens[1].tokenId;
  await vi.waitFor(
    () => {
      const top = sim.venue.engine.topOfBook(yes);
      if (top?.bestAsk == null || top.bestBid == null) throw new Error('no two-sided book yet');
    },
    { timeout: 10_000 },
  );
  sim.traders!.leaders.add({ name: 'leader', address: LEADER, usdc: 5_000_000_000 as Usdc });
  sim.traders!.leaders.add({ name: 'other', address: OTHER, usdc: 5_000_000_000 as Usdc });
  r = record(sim.urls.chainWs!, [LEADER]);
  await r.source.whenOpen();
});
afterAll(async () => {
  await r?.source.stop();
  await sim?.stop();
});

/** The sightings of `txHash` once the source has them (and one more block has passed). */
async function sightingsOf(txHash: Hex, count = 1): Promise<LeaderFillSighting[]> {
  await waitFor(`sightings of ${txHash}`, () => r.ofTx(txHash).length >= count, 5_000);
  return r.ofTx(txHash) as LeaderFillSighting[];
}

function expectTakerRow(s: LeaderFillSighting, trade: Trade): void {
  const t = trade.taker;
  expect(s).toMatchObject({
    kind: 'fill',
    leader: LEADER,
    role: 'taker',
    side: t.side,
    tokenId: t.tokenId,
    size: t.shares,
    usdc: t.usdc,
    fee: t.fee,
    part: t.orderId,
  });
}

describe('leader trades on the simulator', () => {
  it('a sweep of several makers is one taker sighting with the engine totals', async () => {
    const done = await sim.traders!.leaders.takeTrade('leader', { tokenId: yes, side: 'BUY', levels: 2 });
    expect(done.trades).toHaveLength(1);
    const trade = done.trades[0]!;
    expect(trade.trade.makers.length).toBeGreaterThan(1);
    const [s] = await sightingsOf(trade.txHash);
    expectTakerRow(s!, trade.trade);
    expect(r.ofTx(trade.txHash)).toHaveLength(1);
  });

  it('a partial sell is a taker SELL of the sold size', async () => {
    const done = await sim.traders!.leaders.takeTrade('leader', {
      tokenId: yes,
      side: 'SELL',
      fraction: 500_000 as Micro,
    });
    const trade = done.trades[0]!;
    const [s] = await sightingsOf(trade.txHash);
    expectTakerRow(s!, trade.trade);
    expect(s!.size).toBe(done.positionBefore - done.positionAfter);
  });

  it('a leader BUY of NO that crosses a YES bid (a MINT) is a BUY of NO at the NO price', async () => {
    const done = await sim.traders!.leaders.takeTrade('leader', { tokenId: no, side: 'BUY', levels: 1 });
    const trade = done.trades[0]!;
    expect(trade.trade.makers.every((m) => m.matchType === 'MINT' && m.tokenId === yes)).toBe(true);
    const [s] = await sightingsOf(trade.txHash);
    expectTakerRow(s!, trade.trade);
    expect(s).toMatchObject({ side: 'BUY', tokenId: no });
    // The leader's own price, not the YES makers'.
    expect(s!.price).toBe(fillPrice(trade.trade.taker.usdc, trade.trade.taker.shares));
  });

  it("a resting leader bid hit by another wallet's NO buy (a MINT) is a maker sighting", async () => {
    const top = sim.venue.engine.topOfBook(yes)!;
    const tick = sim.venue.engine.marketOfToken(yes)!.tickSize;
    const bid = await sim.traders!.leaders.takeTrade('leader', {
      tokenId: yes,
      side: 'BUY',
      shares: shares(10_000_000),
      orderType: 'GTC',
      limit: price(top.bestBid! + tick),
    });
    expect(bid.trades).toEqual([]);
    const hit = await sim.traders!.leaders.takeTrade('other', { tokenId: no, side: 'BUY', levels: 1 });
    const trade = hit.trades[0]!;
    const mine = trade.trade.makers.filter((m) => m.maker === LEADER);
    expect(mine).toHaveLength(1);
    const [s] = await sightingsOf(trade.txHash);
    expect(s).toMatchObject({
      role: 'maker',
      side: 'BUY',
      tokenId: yes,
      size: mine[0]!.shares,
      usdc: mine[0]!.usdc,
      price: mine[0]!.price,
      fee: 0,
      part: mine[0]!.orderId,
    });
    expect(r.ofTx(trade.txHash)).toHaveLength(1);
  });

  it('a reorg fault retracts the fill and reports it again from its new block', async () => {
    const done = await sim.traders!.leaders.takeTrade('leader', { tokenId: yes, side: 'BUY', levels: 1 });
    const trade = done.trades[0]!;
    const [first] = await sightingsOf(trade.txHash);
    // Deep enough to reach the trade's block though interval blocks keep coming.
    await sim.fault('reorg', { depth: 4 });
    const all = await sightingsOf(trade.txHash, 3);
    expect(all.map((s) => s.kind)).toEqual(['fill', 'retract', 'fill']);
    expect(all[1]).toMatchObject({ logIndex: first!.logIndex, part: first!.part });
    expect(all[2]).toMatchObject({ part: first!.part, size: first!.size, usdc: first!.usdc });
  });
});
