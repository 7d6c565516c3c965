/** BookFeed against the real simulator: snapshots, deltas, trades, faults and resyncs. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TimeoutError } from '../../src/core/errors.ts';
import { badMessagesTotal } from '../../src/core/metrics.ts';
import { tickSize } from '../../src/core/tick.ts';
import type { BookFeed, BookResync, BookUpdate } from '../../src/market-data/index.ts';
import type { SimMarket } from '../../src/sim/catalog/model.ts';
import { type Simulator, startSimulator } from '../../src/sim/simulator.ts';
import {
  ALICE,
  BOB,
  expectInSync,
  fundedMarket,
  localBook,
  order,
  place,
  restBook,
  sleep,
  startFeed,
} from './support.ts';

let sim: Simulator;
let market: SimMarket;
let yes: string;
let no: string;
const feeds: BookFeed[] = [];

function track(feed: BookFeed): BookFeed {
  feeds.push(feed);
  return feed;
}

async function badCount(): Promise<number> {
  const metric = await badMessagesTotal.get();
  return metric.values.find((v) => v.labels.source === 'clob_ws')?.value ?? 0;
}

beforeAll(async () => {
  sim = await startSimulator({ seed: 11, chain: false, traders: false, dataApiLagMs: 0 });
  market = fundedMarket(sim);
  yes = market.tokens[0].tokenId;
  no = market.tokens[1].tokenId;
  await place(sim, order(ALICE, yes, 'BUY', '0.40', '10'));
  await place(sim, order(ALICE, yes, 'BUY', '0.42', '15'));
  await place(sim, order(BOB, yes, 'SELL', '0.55', '20'));
  await place(sim, order(BOB, no, 'BUY', '0.40', '12')); // a YES ask at 0.60
});

afterAll(async () => {
  await sim?.stop();
});

afterEach(async () => {
  for (const f of feeds.splice(0)) await f.stop();
  await sim.fault('clob_ws_silence', { on: false });
});

describe('BookFeed snapshots and deltas', () => {
  it('gets a snapshot per token equal to GET /book, and waitForBook resolves with it', async () => {
    const feed = track(startFeed(sim));
    feed.subscribe([yes, no]);
    const book = await feed.waitForBook(yes, 5_000);
    await feed.waitForBook(no, 5_000);
    expect(book.bestBid()).toEqual({ price: 420_000, size: 15_000_000 });
    expect(book.bestAsk()).toEqual({ price: 550_000, size: 20_000_000 });
    expect(book.tickSize).toBe(10_000);
    expect(book.market).toBe(market.conditionId);
    expect(book.receivedAt).not.toBeNull();
    // The NO book mirrors YES at 1 - p.
    expect(feed.getBook(no)?.bestBid()).toEqual({ price: 450_000, size: 20_000_000 });
    await expectInSync(feed, sim, yes);
    await expectInSync(feed, sim, no);
    expect(feed.health()).toMatchObject({ state: 'open', tokens: 2, syncedTokens: 2, resyncs: 0 });
  });

  it('applies orders placed, cancelled and traded in the simulator as deltas, hash-checked', async () => {
    const feed = track(startFeed(sim));
    const updates: BookUpdate[] = [];
    const resyncs: BookResync[] = [];
    feed.on('book.updated', (u) => {
      updates.push(u);
    });
    feed.on('book.resync', (r) => {
      resyncs.push(r);
    });
    // YES only: the NO entries of each price_change are ignored.
    feed.subscribe([yes]);
    await feed.waitForBook(yes, 5_000);
    updates.length = 0;

    const resting = order(ALICE, yes, 'BUY', '0.45', '7');
    await place(sim, resting);
    await expectInSync(feed, sim, yes);
    expect(feed.getBook(yes)?.bestBid()).toEqual({ price: 450_000, size: 7_000_000 });
    expect(updates.some((u) => u.kind === 'delta' && u.tokenId === yes)).toBe(true);

    await place(sim, order(BOB, no, 'BUY', '0.44', '5')); // a YES ask at 0.56
    await expectInSync(feed, sim, yes);

    sim.venue.engine.cancel([resting.id]);
    await expectInSync(feed, sim, yes);
    expect(feed.getBook(yes)?.bestBid()?.price).toBe(420_000);

    // A taker crossing two ask levels: the post-trade book and the prints keep the hash known.
    const trades: number[] = [];
    feed.on('book.trade', (t) => {
      trades.push(t.price);
    });
    await place(sim, order(ALICE, yes, 'BUY', '0.56', '22', 'FOK'));
    await expectInSync(feed, sim, yes);
    await expect.poll(() => trades.length).toBeGreaterThan(0);
    await place(sim, order(BOB, yes, 'SELL', '0.70', '5'));
    await expectInSync(feed, sim, yes);
    await sleep(100);

    const health = feed.health();
    expect(resyncs, JSON.stringify(resyncs)).toEqual([]);
    expect(health.hashChecks.mismatched).toBe(0);
    expect(health.hashChecks.matched).toBeGreaterThan(0);
    expect(feed.tokenHealth(yes)).toMatchObject({ synced: true, hashable: true, resyncs: 0 });
  });

  it('proves the hash on its own in auto mode and then enforces it', async () => {
    const feed = track(startFeed(sim, { hashCheck: 'auto' }));
    feed.subscribe([yes]);
    await feed.waitForBook(yes, 5_000);
    await expect.poll(() => feed.tokenHealth(yes)?.hashable).toBe(true);
    await place(sim, order(ALICE, yes, 'BUY', '0.30', '5'));
    await expectInSync(feed, sim, yes);
    await expect.poll(() => feed.health().hashCheck).toBe('enforced');
    expect(feed.health().hashChecks.mismatched).toBe(0);
  });

  it('follows a tick size change, and keeps hash-checking with the new tick', async () => {
    const feed = track(startFeed(sim));
    const ticks: number[] = [];
    feed.on('book.tick_size', (t) => {
      ticks.push(t.tickSize);
    });
    feed.subscribe([yes]);
    await feed.waitForBook(yes, 5_000);
    sim.venue.engine.setTickSize(market.conditionId, tickSize(1_000));
    await expect.poll(() => ticks).toEqual([1_000]);
    expect(feed.getBook(yes)?.tickSize).toBe(1_000);
    await place(sim, order(ALICE, yes, 'BUY', '0.301', '5'));
    await expectInSync(feed, sim, yes);
    await sleep(100);
    expect(feed.health()).toMatchObject({ resyncs: 0, hashChecks: { mismatched: 0 } });
    sim.venue.engine.setTickSize(market.conditionId, tickSize(10_000));
  });

  it('stops following an unsubscribed token, and times out waiting for a book that never comes', async () => {
    const feed = track(startFeed(sim, { restUrl: undefined }));
    feed.subscribe([yes]);
    await feed.waitForBook(yes, 5_000);
    feed.unsubscribe([yes]);
    expect(feed.getBook(yes)).toBeUndefined();
    expect(feed.tokenIds).toEqual([]);
    feed.subscribe(['123456789']);
    await expect(feed.waitForBook('123456789', 300)).rejects.toBeInstanceOf(TimeoutError);
  });
});

describe('BookFeed faults', () => {
  it('resyncs to the right book after the connection is dropped and orders were missed', async () => {
    const feed = track(startFeed(sim));
    const resyncs: BookResync[] = [];
    feed.on('book.resync', (r) => {
      resyncs.push(r);
    });
    feed.subscribe([yes, no]);
    await feed.waitForBook(yes, 5_000);
    await feed.waitForBook(no, 5_000);
    await sim.fault('clob_ws_drop', { channel: 'market' });
    // Changes while the feed is away: only a resync can show them.
    await place(sim, order(ALICE, yes, 'BUY', '0.43', '9'));
    await place(sim, order(BOB, yes, 'SELL', '0.54', '5'));
    await expect.poll(() => feed.health().reconnects).toBeGreaterThanOrEqual(1);
    await expectInSync(feed, sim, yes);
    await expectInSync(feed, sim, no);
    expect(resyncs.map((r) => r.reason)).toContain('reconnect');
    expect(feed.getBook(yes)?.bestBid()?.price).toBe(430_000);
  });

  it('falls back to REST when the socket goes silent, then follows deltas again once it resumes', async () => {
    const feed = track(startFeed(sim, { silenceMs: 300 }));
    feed.subscribe([yes]);
    await feed.waitForBook(yes, 5_000);
    await sim.fault('clob_ws_silence', { forS: 2 });
    await place(sim, order(ALICE, yes, 'BUY', '0.35', '6'));
    // Silent: probe, reconnect, no snapshot on the new socket either, so REST.
    await expect.poll(() => feed.health().restSnapshots, { timeout: 5_000 }).toBeGreaterThanOrEqual(1);
    await expectInSync(feed, sim, yes);
    expect(feed.health().reconnects).toBeGreaterThanOrEqual(1);
    await sim.fault('clob_ws_silence', { on: false });
    await place(sim, order(ALICE, yes, 'BUY', '0.36', '6'));
    await expectInSync(feed, sim, yes);
    expect(feed.getBook(yes)?.sizeAt('bid', 360_000 as never)).toBe(6_000_000);
  });

  it('counts and skips malformed messages, ignoring unknown event types', async () => {
    const feed = track(startFeed(sim));
    feed.subscribe([yes]);
    await feed.waitForBook(yes, 5_000);
    const before = await badCount();
    const result = (await sim.fault('malformed', { service: 'clob_ws', channel: 'market' })) as {
      sockets: number;
    };
    expect(result.sockets).toBeGreaterThanOrEqual(1);
    await expect.poll(() => feed.health().badMessages).toBe(5);
    expect(feed.health().ignoredMessages).toBe(1);
    expect(await badCount()).toBe(before + 5);
    // The feed carries on.
    await place(sim, order(ALICE, yes, 'BUY', '0.33', '5'));
    await expectInSync(feed, sim, yes);
    expect(feed.health()).toMatchObject({ state: 'open', syncedTokens: 1 });
  });

  it('resyncs a book that a forged change made wrong (hash mismatch)', async () => {
    const feed = track(startFeed(sim));
    const resyncs: BookResync[] = [];
    feed.on('book.resync', (r) => {
      resyncs.push(r);
    });
    feed.subscribe([yes]);
    await feed.waitForBook(yes, 5_000);
    const rest = await restBook(sim, yes);
    const best = rest.bids[0]!;
    const text = (micro: number) => String(micro / 1_000_000);
    // Same top of book, wrong size and hash: only the hash check can catch it.
    const forged = {
      event_type: 'price_change',
      market: market.conditionId,
      timestamp: String(Date.now() + 1),
      price_changes: [
        {
          asset_id: yes,
          price: text(best.price),
          size: '999',
          side: 'BUY',
          hash: 'ab'.repeat(20),
          best_bid: text(best.price),
          best_ask: text(rest.asks[0]!.price),
        },
      ],
    };
    sim.clobWs.sendRaw(JSON.stringify(forged), 'market');
    await expect.poll(() => resyncs.map((r) => r.reason)).toEqual(['hash']);
    await expectInSync(feed, sim, yes);
    expect(localBook(feed, yes)?.bids[0]).toEqual(best);
  });

  it('resyncs on a top-of-book disagreement even before any hash is known', async () => {
    const feed = track(startFeed(sim, { hashCheck: 'off' }));
    const resyncs: BookResync[] = [];
    feed.on('book.resync', (r) => {
      resyncs.push(r);
    });
    feed.subscribe([yes]);
    await feed.waitForBook(yes, 5_000);
    const forged = {
      event_type: 'price_change',
      market: market.conditionId,
      timestamp: String(Date.now() + 1),
      price_changes: [
        { asset_id: yes, price: '0.5', size: '1', side: 'BUY', best_bid: '0.5', best_ask: '0.49' },
      ],
    };
    sim.clobWs.sendRaw(JSON.stringify(forged), 'market');
    await expect.poll(() => resyncs.map((r) => r.reason)).toEqual(['top_of_book']);
    await expectInSync(feed, sim, yes);
    expect(feed.health().needlessResyncs).toBe(0);
  });

  it('counts a resync whose snapshot shows the refused book was right as needless', async () => {
    const feed = track(startFeed(sim, { hashCheck: 'off' }));
    feed.subscribe([yes]);
    await feed.waitForBook(yes, 5_000);
    const best = (await restBook(sim, yes)).bids[0]!;
    const text = (micro: number) => String(micro / 1_000_000);
    // Restates a level as it is, but claims a top of book the server does not have.
    const forged = {
      event_type: 'price_change',
      market: market.conditionId,
      timestamp: String(Date.now() + 1),
      price_changes: [
        {
          asset_id: yes,
          price: text(best.price),
          size: text(best.size),
          side: 'BUY',
          best_bid: '0.01',
          best_ask: '0.99',
        },
      ],
    };
    sim.clobWs.sendRaw(JSON.stringify(forged), 'market');
    await expect.poll(() => feed.health().needlessResyncs).toBe(1);
    await expectInSync(feed, sim, yes);
  });

  it('applies the legacy price_change format', async () => {
    const feed = track(startFeed(sim, { hashCheck: 'off' }));
    feed.subscribe([yes]);
    await feed.waitForBook(yes, 5_000);
    const legacy = {
      event_type: 'price_change',
      asset_id: yes,
      market: market.conditionId,
      timestamp: String(Date.now() + 1),
      changes: [
        { price: '0.02', side: 'BUY', size: '100' },
        { price: '0.98', side: 'SELL', size: '50' },
      ],
    };
    sim.clobWs.sendRaw(JSON.stringify(legacy), 'market');
    await expect.poll(() => feed.getBook(yes)?.sizeAt('bid', 20_000 as never)).toBe(100_000_000);
    expect(feed.getBook(yes)?.sizeAt('ask', 980_000 as never)).toBe(50_000_000);
  });
});

describe('BookFeed with a chain behind the simulator', () => {
  it('waits for a trade price that settles late instead of resyncing on it', async () => {
    const chained = await startSimulator({ seed: 12, traders: false, dataApiLagMs: 0, blockTimeMs: 300 });
    try {
      const m = fundedMarket(chained);
      const token = m.tokens[0].tokenId;
      await place(chained, order(BOB, token, 'SELL', '0.55', '20'));
      const feed = track(startFeed(chained));
      const trades: number[] = [];
      feed.on('book.trade', (t) => {
        trades.push(t.price);
      });
      feed.subscribe([token]);
      await feed.waitForBook(token, 5_000);
      await expect.poll(() => feed.tokenHealth(token)?.hashable).toBe(true);
      // The print needs the settlement's transaction hash, so it follows the book changes.
      const taking = chained.venue.submit(order(ALICE, token, 'BUY', '0.55', '5', 'FOK'));
      await place(chained, order(ALICE, token, 'BUY', '0.30', '5'));
      await place(chained, order(ALICE, token, 'BUY', '0.31', '5'));
      await taking;
      await expect.poll(() => trades.length, { timeout: 5_000 }).toBeGreaterThan(0);
      await place(chained, order(ALICE, token, 'BUY', '0.32', '5'));
      await expectInSync(feed, chained, token);
      await sleep(100);
      const health = feed.health();
      expect(health).toMatchObject({ resyncs: 0, hashChecks: { mismatched: 0 } });
      // Checks skipped while the price was unknown, and matched again once it came.
      expect(health.hashChecks.skipped).toBeGreaterThan(0);
      expect(feed.tokenHealth(token)?.hashable).toBe(true);
      await feed.stop();
    } finally {
      await chained.stop();
    }
  });
});

describe('BookFeed with busy traders', () => {
  it('stays in sync and hash-checked through market makers and takers, without a resync', async () => {
    const busy = await startSimulator({
      seed: 5,
      chain: false,
      speed: 10,
      traders: { makers: true, takers: true },
      dataApiLagMs: 0,
    });
    try {
      const m = busy.venue.catalog.markets.find((x) => !x.negRisk)!;
      const ids = m.tokens.map((t) => t.tokenId);
      const feed = track(startFeed(busy));
      const kinds = new Set<string>();
      feed.on('book.updated', (u) => {
        kinds.add(u.kind);
      });
      feed.subscribe(ids);
      for (const id of ids) await feed.waitForBook(id, 5_000);
      await sleep(3_000);
      busy.traders?.stop();
      for (const id of ids) await expectInSync(feed, busy, id);
      const health = feed.health();
      expect(health.resyncs).toBe(0);
      expect(health.hashChecks.mismatched).toBe(0);
      expect(health.hashChecks.matched).toBeGreaterThan(10);
      expect(kinds.has('delta')).toBe(true);
      await feed.stop();
    } finally {
      await busy.stop();
    }
  });
});
