/**
 * The chain source against the simulator's chain (a real EVM behind a JSON-RPC websocket): which
 * rows become sightings, reorgs, leader-set changes, a dropped socket and a stale one, and stop.
 */
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { type Address, keccak256, toHex } from 'viem';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LeaderFillSighting } from '../../../../src/copy/sighting.ts';
import { reconnectsTotal } from '../../../../src/core/metrics.ts';
import { type Chain, type SettledMatch, startChain } from '../../../../src/sim/chain/index.ts';
import {
  ALICE,
  BOB,
  CAROL,
  fill,
  LEADER,
  match,
  NO,
  sleep,
  waitFor,
  YES,
} from '../../../sim/chain/support.ts';
import { counterValue, type Recorder, record } from './support.ts';

const P = 1_000_000n;
const LEADER2: Address = '0x1eade20000000000000000000000000000000002';
const lower = (a: string) => a.toLowerCase();

let chain: Chain;
const running: Recorder[] = [];

beforeAll(async () => {
  chain = await startChain({ blockTimeMs: 0 });
});
afterEach(async () => {
  for (const r of running.splice(0)) await r.source.stop();
  await waitFor('no subscriptions left', () => chain.subscriptionCount() === 0);
});
afterAll(async () => {
  await chain.stop();
});

async function open(
  leaders: readonly string[],
  options: Parameters<typeof record>[2] = {},
): Promise<Recorder> {
  const r = record(chain.wsUrl, leaders, options);
  running.push(r);
  await r.source.whenOpen();
  return r;
}

/** Settles a match in the next block, mined now. */
async function settle(m: Parameters<Chain['settleMatch']>[0]): Promise<SettledMatch> {
  const settled = chain.settleMatch(m);
  await chain.mineNow();
  return settled;
}

function only<T>(items: readonly T[]): T {
  expect(items).toHaveLength(1);
  return items[0]!;
}

describe('which rows become sightings', () => {
  it("gives a leader's taker sweep of three makers as ONE taker sighting, and no one else's rows", async () => {
    const r = await open([LEADER]);
    // LEADER buys 6 YES: 1 from ALICE at 0.50, 2 from BOB at 0.51, 3 from CAROL at 0.52.
    const taker = {
      ...fill('sweep-t', LEADER, 'BUY', YES, 6n * P, 0n),
      makerAmountFilled: 3_080_000n,
      fee: 41_000n,
    };
    const tx = await settle(
      match('standard', taker, [
        fill('sweep-m1', ALICE, 'SELL', YES, 1n * P, 500_000n),
        fill('sweep-m2', BOB, 'SELL', YES, 2n * P, 510_000n),
        fill('sweep-m3', CAROL, 'SELL', YES, 3n * P, 520_000n),
      ]),
    );
    await waitFor('the sweep', () => r.ofTx(tx.txHash).length > 0);
    // One more block, so anything else of that transaction would have arrived.
    await chain.mineNow();
    const s = only(r.ofTx(tx.txHash)) as LeaderFillSighting;
    expect(s).toMatchObject({
      kind: 'fill',
      source: 'chain',
      leader: lower(LEADER),
      txHash: tx.txHash,
      tokenId: YES.toString(),
      side: 'BUY',
      role: 'taker',
      size: 6_000_000,
      usdc: 3_080_000,
      // 3.08 / 6 = 0.51333..: the size-weighted mean, rounded half-even.
      price: 513_333,
      fee: 41_000,
      blockNumber: tx.blockNumber,
      // Three maker rows come first; the taker row is the fourth log.
      logIndex: tx.logIndexes[3],
      part: keccak256(toHex('sweep-t')),
      tradeTimeMs: tx.blockTimestamp * 1000,
      isBackfill: false,
    });
    expect(s.seenAtMs).toBeGreaterThanOrEqual(s.tradeTimeMs);
    expect(r.all).toHaveLength(1);
  });

  it("gives each of a leader's maker orders hit in one transaction its own maker sighting", async () => {
    const r = await open([LEADER]);
    const tx = await settle(
      match('negRisk', fill('two-t', BOB, 'SELL', NO, 4n * P, 250_000n), [
        fill('two-m1', LEADER, 'BUY', NO, 1n * P, 250_000n),
        fill('two-m2', LEADER, 'BUY', NO, 3n * P, 250_000n),
      ]),
    );
    await waitFor('both maker rows', () => r.ofTx(tx.txHash).length === 2);
    const [a, b] = r.ofTx(tx.txHash) as LeaderFillSighting[];
    expect(a).toMatchObject({
      role: 'maker',
      side: 'BUY',
      tokenId: NO.toString(),
      size: 1_000_000,
      usdc: 250_000,
    });
    expect(b).toMatchObject({ role: 'maker', side: 'BUY', size: 3_000_000, usdc: 750_000, price: 250_000 });
    expect(a!.part).toBe(keccak256(toHex('two-m1')));
    expect(b!.part).toBe(keccak256(toHex('two-m2')));
    expect([a!.logIndex, b!.logIndex]).toEqual(tx.logIndexes.slice(0, 2));
  });

  it("never reports other wallets' fills, nor the counterparty's view of a leader's order", async () => {
    const r = await open([LEADER]);
    // No leader at all.
    const none = await settle(
      match('standard', fill('x-t', ALICE, 'BUY', YES, 2n * P, 400_000n), [
        fill('x-m', BOB, 'SELL', YES, 2n * P, 400_000n),
      ]),
    );
    // LEADER is only the `taker` topic of ALICE's maker row (ALICE's view); LEADER's own row is the
    // taker row, reported once.
    const own = await settle(
      match('standard', fill('y-t', LEADER, 'SELL', YES, 2n * P, 400_000n), [
        fill('y-m', ALICE, 'BUY', YES, 2n * P, 400_000n),
      ]),
    );
    await waitFor('the leader row', () => r.ofTx(own.txHash).length > 0);
    await chain.mineNow();
    expect(r.ofTx(none.txHash)).toEqual([]);
    expect(only(r.ofTx(own.txHash))).toMatchObject({
      role: 'taker',
      side: 'SELL',
      part: keccak256(toHex('y-t')),
    });
  });

  it('maps a MINT match: the leader BUYs NO by crossing a resting BUY YES', async () => {
    const r = await open([LEADER]);
    // ALICE bids 0.70 for 10 YES; LEADER buys 10 NO at 0.30: 10 new YES+NO sets for 7.00 + 3.00.
    const tx = await settle(
      match('standard', fill('mint-t', LEADER, 'BUY', NO, 10n * P, 300_000n), [
        fill('mint-m', ALICE, 'BUY', YES, 10n * P, 700_000n),
      ]),
    );
    await waitFor('the mint', () => r.ofTx(tx.txHash).length > 0);
    expect(only(r.ofTx(tx.txHash))).toMatchObject({
      side: 'BUY',
      tokenId: NO.toString(),
      price: 300_000,
      size: 10_000_000,
      usdc: 3_000_000,
      role: 'taker',
    });
  });

  it('follows several leaders on both exchanges with one subscription per exchange', async () => {
    const before = chain.subscriptionCount();
    const r = await open([LEADER, LEADER2]);
    // newHeads plus one logs subscription for each of the four exchanges.
    expect(chain.subscriptionCount() - before).toBe(5);
    const tx = await settle(
      match('negRisk', fill('l2-t', LEADER2, 'BUY', YES, 2n * P, 600_000n), [
        fill('l2-m', LEADER, 'SELL', YES, 2n * P, 600_000n),
      ]),
    );
    await waitFor('both leaders', () => r.ofTx(tx.txHash).length === 2);
    expect(r.ofTx(tx.txHash).map((s) => [s.leader, (s as LeaderFillSighting).role])).toEqual([
      [lower(LEADER), 'maker'],
      [lower(LEADER2), 'taker'],
    ]);
  });
});

describe('reorgs', () => {
  it('retracts the removed logs, then reports the re-included fill in its new block', async () => {
    const r = await open([LEADER]);
    const tx = await settle(
      match('standard', fill('reorg-t', ALICE, 'BUY', YES, 5n * P, 450_000n), [
        fill('reorg-m', LEADER, 'SELL', YES, 5n * P, 450_000n),
      ]),
    );
    await waitFor('the fill', () => r.ofTx(tx.txHash).length === 1);
    const result = await chain.reorg(1);
    const again = result.reincluded.find((t) => t.txHash === tx.txHash)!;
    expect(again).toBeDefined();
    await waitFor('retraction and new fill', () => r.ofTx(tx.txHash).length === 3);
    const [first, retraction, refill] = r.ofTx(tx.txHash);
    expect(retraction).toEqual({
      kind: 'retract',
      source: 'chain',
      leader: lower(LEADER),
      txHash: tx.txHash,
      logIndex: tx.logIndexes[0],
      part: keccak256(toHex('reorg-m')),
      seenAtMs: expect.any(Number),
    });
    expect(first).toMatchObject({ kind: 'fill', blockNumber: tx.blockNumber });
    expect(refill).toMatchObject({
      kind: 'fill',
      part: keccak256(toHex('reorg-m')),
      blockNumber: again.blockNumber,
      logIndex: again.logIndexes[0],
      tradeTimeMs: again.blockTimestamp * 1000,
      isBackfill: false,
    });
  });
});

describe('leader set changes', () => {
  it('resubscribes: a removed leader is no longer reported, an added one is, none subscribes no logs', async () => {
    const before = chain.subscriptionCount();
    const r = await open([LEADER]);
    await r.source.setLeaders([LEADER2]);
    expect(chain.subscriptionCount() - before).toBe(5);
    const tx = await settle(
      match('standard', fill('set-t', LEADER2, 'SELL', YES, 1n * P, 500_000n), [
        fill('set-m', LEADER, 'BUY', YES, 1n * P, 500_000n),
      ]),
    );
    await waitFor('the new leader', () => r.ofTx(tx.txHash).length > 0);
    await chain.mineNow();
    expect(only(r.ofTx(tx.txHash)).leader).toBe(lower(LEADER2));

    await r.source.setLeaders([]);
    expect(chain.subscriptionCount() - before).toBe(1);
    expect(r.source.health()).toMatchObject({ leaders: 0, logSubscriptions: 0, healthy: true });
    const quiet = await settle(
      match('standard', fill('q-t', LEADER2, 'SELL', YES, 1n * P, 500_000n), [
        fill('q-m', LEADER, 'BUY', YES, 1n * P, 500_000n),
      ]),
    );
    await chain.mineNow();
    await sleep(50);
    expect(r.ofTx(quiet.txHash)).toEqual([]);
  });
});

describe('a dropped socket', () => {
  it('reconnects with backoff and gap-fills the fill mined while it was away', async () => {
    const reconnectsBefore = await counterValue(reconnectsTotal, 'chain');
    // A slow first retry, so the trade below surely lands while nobody is subscribed.
    const r = await open([LEADER], { backoff: { initialMs: 600, maxMs: 1_000 } });
    const live = await settle(
      match('standard', fill('d0-t', ALICE, 'BUY', YES, 1n * P, 500_000n), [
        fill('d0-m', LEADER, 'SELL', YES, 1n * P, 500_000n),
      ]),
    );
    await waitFor('the first fill', () => r.ofTx(live.txHash).length === 1);

    expect(chain.dropConnections()).toBeGreaterThan(0);
    const missed = await settle(
      match('negRisk', fill('d1-t', LEADER, 'BUY', NO, 4n * P, 350_000n), [
        fill('d1-m', BOB, 'SELL', NO, 4n * P, 350_000n),
      ]),
    );
    // Mined with nobody listening: only a gap fill can find it.
    expect(chain.subscriptionCount()).toBe(0);
    expect(r.source.health().state).toBe('reconnecting');
    await chain.mineNow();

    await waitFor('the missed fill', () => r.ofTx(missed.txHash).length === 1, 5_000);
    expect(only(r.ofTx(missed.txHash))).toMatchObject({
      kind: 'fill',
      role: 'taker',
      side: 'BUY',
      tokenId: NO.toString(),
      blockNumber: missed.blockNumber,
      tradeTimeMs: missed.blockTimestamp * 1000,
      isBackfill: false,
    });
    expect(r.source.health()).toMatchObject({ state: 'open', healthy: true, reconnects: 1 });
    expect((await counterValue(reconnectsTotal, 'chain')) - reconnectsBefore).toBe(1);
    expect(r.gaps).toEqual([]);

    // Live again, and nothing from before the drop came twice.
    const after = await settle(
      match('standard', fill('d2-t', ALICE, 'BUY', YES, 1n * P, 500_000n), [
        fill('d2-m', LEADER, 'SELL', YES, 1n * P, 500_000n),
      ]),
    );
    await waitFor('a live fill after the reconnect', () => r.ofTx(after.txHash).length === 1);
    expect(only(r.ofTx(after.txHash))).toMatchObject({ isBackfill: false });
    expect(r.ofTx(live.txHash)).toHaveLength(1);
    expect(r.all).toHaveLength(3);
  });

  it('retracts, on reconnect, a fill whose block was reorged out while the socket was down', async () => {
    const r = await open([LEADER], { backoff: { initialMs: 600, maxMs: 1_000 } });
    const tx = await settle(
      match('standard', fill('dr-t', ALICE, 'BUY', YES, 2n * P, 550_000n), [
        fill('dr-m', LEADER, 'SELL', YES, 2n * P, 550_000n),
      ]),
    );
    await waitFor('the fill', () => r.ofTx(tx.txHash).length === 1);
    chain.dropConnections();
    // Nobody is subscribed: the `removed: true` logs reach no one.
    const result = await chain.reorg(1);
    const again = result.reincluded.find((t) => t.txHash === tx.txHash)!;

    await waitFor('retraction and backfilled fill', () => r.ofTx(tx.txHash).length === 3, 5_000);
    const [, retraction, refill] = r.ofTx(tx.txHash);
    expect(retraction).toMatchObject({
      kind: 'retract',
      logIndex: tx.logIndexes[0],
      part: keccak256(toHex('dr-m')),
    });
    // Found by the gap fill: late, for the catch-up policy, not history.
    expect(refill).toMatchObject({ kind: 'fill', blockNumber: again.blockNumber, isBackfill: false });
  });

  it('fetches at most maxGapBlocks after a long gap and reports the older blocks', async () => {
    const r = await open([LEADER], { maxGapBlocks: 2, backoff: { initialMs: 600, maxMs: 1_000 } });
    const headBefore = chain.head();
    chain.dropConnections();
    const old = await settle(
      match('standard', fill('long-0', ALICE, 'BUY', YES, 1n * P, 500_000n), [
        fill('long-0m', LEADER, 'SELL', YES, 1n * P, 500_000n),
      ]),
    );
    await chain.mineNow();
    await chain.mineNow();
    const recent = await settle(
      match('standard', fill('long-1', ALICE, 'BUY', YES, 1n * P, 500_000n), [
        fill('long-1m', LEADER, 'SELL', YES, 1n * P, 500_000n),
      ]),
    );
    await waitFor('the recent fill', () => r.ofTx(recent.txHash).length === 1, 5_000);
    await waitFor('the gap report', () => r.gaps.length === 1);
    expect(r.ofTx(recent.txHash)[0]).toMatchObject({ isBackfill: false });
    expect(r.ofTx(old.txHash)).toEqual([]);
    expect(r.gaps[0]).toEqual({
      fromBlock: headBefore.number,
      toBlock: recent.blockNumber - 2,
      fromTimeMs: headBefore.timestamp * 1000,
      toTimeMs: expect.any(Number),
      reason: 'gap-too-long',
    });
  });

  it('applies a leader-set change made while disconnected when it reconnects', async () => {
    const r = await open([LEADER], { backoff: { initialMs: 400, maxMs: 800 } });
    chain.dropConnections();
    await waitFor('reconnecting', () => r.source.health().state === 'reconnecting');
    await r.source.setLeaders([LEADER2]);
    await r.source.whenOpen();
    const tx = await settle(
      match('standard', fill('ls-t', LEADER2, 'BUY', YES, 1n * P, 500_000n), [
        fill('ls-m', LEADER, 'SELL', YES, 1n * P, 500_000n),
      ]),
    );
    await waitFor('the new leader', () => r.ofTx(tx.txHash).length > 0);
    await chain.mineNow();
    expect(only(r.ofTx(tx.txHash)).leader).toBe(lower(LEADER2));
  });

  it('reports the blocks it did not fetch when the gap fill is off, for another source to cover', async () => {
    const r = await open([LEADER], { gapFill: false, backoff: { initialMs: 300, maxMs: 500 } });
    const headBefore = chain.head();
    chain.dropConnections();
    const missed = await settle(
      match('standard', fill('off-t', ALICE, 'BUY', YES, 1n * P, 500_000n), [
        fill('off-m', LEADER, 'SELL', YES, 1n * P, 500_000n),
      ]),
    );
    await waitFor('the gap report', () => r.gaps.length === 1, 5_000);
    expect(r.gaps[0]).toMatchObject({
      fromBlock: headBefore.number,
      reason: 'gap-fill-off',
      fromTimeMs: headBefore.timestamp * 1000,
    });
    expect(r.gaps[0]!.toBlock).toBeGreaterThanOrEqual(missed.blockNumber);
    expect(r.ofTx(missed.txHash)).toEqual([]);
    expect(r.source.health().uncoveredGaps).toBe(1);
  });
});

describe('health and stop', () => {
  it('goes stale with no new block for staleAfterMs, and reconnects', async () => {
    const r = await open([LEADER], { staleAfterMs: 150, backoff: { initialMs: 20, maxMs: 40 } });
    expect(r.source.health()).toMatchObject({ state: 'open', healthy: true, stale: false });
    await waitFor('a reconnect for staleness', () => r.source.health().reconnects >= 1, 3_000);
    expect(r.source.health().lastError ?? '').toMatch(/stale/);
    // A new block makes it healthy again.
    await waitFor('open', () => r.source.health().state === 'open');
    await chain.mineNow();
    await waitFor('healthy', () => r.source.health().healthy);
  });

  it('stops cleanly: no subscription, socket or timer left, state stopped, whenOpen refused', async () => {
    const before = chain.subscriptionCount();
    const resources = () => {
      const counts: Record<string, number> = {};
      for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
      return counts;
    };
    const baseline = resources();
    // A finite stale limit, so the watchdog timer runs too.
    const r = record(chain.wsUrl, [LEADER], { staleAfterMs: 60_000 });
    await r.source.whenOpen();
    expect(chain.subscriptionCount()).toBe(before + 5);
    expect(resources()).not.toEqual(baseline);
    await r.source.stop();
    await r.source.stop();
    await waitFor('subscriptions gone', () => chain.subscriptionCount() === before);
    // No more sockets or timers of any kind than before it started.
    await waitFor('no socket or timer left', () =>
      Object.entries(resources()).every(([kind, n]) => n <= (baseline[kind] ?? 0)),
    );
    expect(r.source.health().state).toBe('stopped');
    await expect(r.source.whenOpen()).rejects.toThrow(/stopped/);
  });

  it('keeps retrying an unreachable node with backoff, and stops at once while waiting', async () => {
    const dead = await startChain({ blockTimeMs: 0 });
    const url = dead.wsUrl;
    await dead.stop();
    const r = record(url, [LEADER], { backoff: { initialMs: 20, maxMs: 60 } });
    await waitFor('retries', () => r.source.health().reconnects >= 2);
    expect(r.source.health()).toMatchObject({ healthy: false, lastError: expect.stringMatching(/connect/) });
    const started = Date.now();
    await r.source.stop();
    expect(Date.now() - started).toBeLessThan(500);
    expect(r.source.health().state).toBe('stopped');
  });

  it('stops at once while a handshake hangs (a node that accepts TCP and never answers)', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const r = record(`ws://127.0.0.1:${(silent.address() as AddressInfo).port}`, [LEADER]);
    await waitFor('a connection', () => sockets.size === 1);
    const started = Date.now();
    await r.source.stop();
    expect(Date.now() - started).toBeLessThan(500);
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });
});
