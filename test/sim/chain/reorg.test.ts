/**
 * Reorgs: subscribers get the removed blocks' logs again with `removed: true` (as Polygon nodes
 * send them), then the simulator's transactions land again, with the same hashes, in a new branch
 * that ends one block higher than the old one.
 */
import { type Block, createPublicClient, http, type Log, type PublicClient, webSocket } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeOrderFilled, exchangeV2EventsAbi } from '../../../src/polymarket/chain/index.ts';
import {
  type Chain,
  type ReorgResult,
  type SettledMatch,
  type SubmittedMatch,
  startChain,
} from '../../../src/sim/chain/index.ts';
import { ALICE, BOB, CAROL, fill, LEADER, match, NO, waitFor, YES } from './support.ts';

const P = 1_000_000n;

describe('reorg', () => {
  let chain: Chain;
  let ws: PublicClient;
  let rpc: PublicClient;
  const logs: Log[] = [];
  const heads: Block[] = [];
  const unwatch: (() => void)[] = [];
  let a: SettledMatch;
  let b: SettledMatch;
  let c: SettledMatch;
  let oldBlock2: Block;
  let d: SubmittedMatch;
  let result: ReorgResult;

  beforeAll(async () => {
    chain = await startChain({ blockTimeMs: 0 });
    ws = createPublicClient({ transport: webSocket(chain.wsUrl) });
    rpc = createPublicClient({ transport: http(chain.httpUrl) });
    unwatch.push(
      ws.watchContractEvent({
        abi: exchangeV2EventsAbi,
        eventName: 'OrderFilled',
        args: { maker: LEADER },
        onLogs: (l) => logs.push(...l),
      }),
      ws.watchBlocks({ onBlock: (block) => heads.push(block) }),
    );
    await waitFor('subscriptions', () => chain.subscriptionCount() === 2);

    // Block 1: A (one LEADER row). Block 2: B (two LEADER rows) and C (none). Block 3: empty.
    const pa = chain.settleMatch(
      match('standard', fill('a-t', ALICE, 'BUY', YES, 3n * P, 500_000n), [
        fill('a-m', LEADER, 'SELL', YES, 3n * P, 500_000n),
      ]),
    );
    await chain.mineNow();
    a = await pa;
    const pb = chain.settleMatch(
      match('negRisk', fill('b-t', BOB, 'SELL', NO, 4n * P, 250_000n), [
        fill('b-m1', LEADER, 'BUY', NO, 1n * P, 250_000n),
        fill('b-m2', LEADER, 'BUY', NO, 3n * P, 250_000n),
      ]),
    );
    const pc = chain.settleMatch(
      match('standard', fill('c-t', CAROL, 'BUY', YES, 1n * P, 510_000n), [
        fill('c-m', BOB, 'SELL', YES, 1n * P, 510_000n),
      ]),
    );
    await chain.mineNow();
    [b, c] = await Promise.all([pb, pc]);
    await chain.mineNow();
    oldBlock2 = await rpc.getBlock({ blockNumber: 2n });
    await waitFor('three logs, three heads', () => logs.length === 3 && heads.length === 3);

    // D is in the mempool when the reorg happens.
    d = await chain.submitMatch(
      match('standard', fill('d-t', LEADER, 'BUY', YES, 2n * P, 520_000n), [
        fill('d-m', BOB, 'SELL', YES, 2n * P, 520_000n),
      ]),
    );
    result = await chain.reorg(2);
    await waitFor('removed and re-added logs', () => logs.length === 3 + 2 + 3 && heads.length === 6);
  });

  afterAll(async () => {
    for (const stop of unwatch) stop();
    await (await ws.transport.getRpcClient()).close();
    await chain.stop();
  });

  it("delivers the removed blocks' logs again with removed: true, in chain order, as first mined", () => {
    const removed = logs.slice(3, 5);
    expect(removed.every((l) => l.removed)).toBe(true);
    const original = logs.slice(1, 3);
    expect(removed.map(({ removed: _r, ...rest }) => rest)).toEqual(
      original.map(({ removed: _r, ...rest }) => rest),
    );
    expect(removed.map((l) => [l.blockNumber, l.blockHash, l.transactionHash, l.logIndex])).toEqual([
      [2n, b.blockHash, b.txHash, 0],
      [2n, b.blockHash, b.txHash, 1],
    ]);
    expect(logs.slice(0, 3).every((l) => !l.removed)).toBe(true);
    expect(result.removedLogCount).toBe(b.logIndexes.length + c.logIndexes.length);
  });

  it('keeps the logs of blocks below the reorg', () => {
    expect(logs.filter((l) => l.transactionHash === a.txHash).map((l) => l.removed)).toEqual([false]);
  });

  it("re-includes the simulator's transactions with the same hashes in a different block 2", async () => {
    expect(result.removedBlocks).toEqual([
      { number: 2, hash: b.blockHash },
      { number: 3, hash: expect.stringMatching(/^0x[0-9a-f]{64}$/) },
    ]);
    expect(result.droppedTxHashes).toEqual([]);
    expect(result.reincluded.map((s) => s.txHash)).toEqual([b.txHash, c.txHash]);
    const newBlock2 = await rpc.getBlock({ blockNumber: 2n });
    expect(newBlock2.hash).not.toBe(oldBlock2.hash);
    expect(newBlock2.parentHash).toBe(oldBlock2.parentHash);
    expect(result.reincluded.map((s) => [s.blockNumber, s.blockHash])).toEqual([
      [2, newBlock2.hash],
      [2, newBlock2.hash],
    ]);
    const readded = logs.slice(5).filter((l) => l.transactionHash === b.txHash);
    expect(readded.map((l) => [l.removed, l.blockHash, l.logIndex])).toEqual([
      [false, newBlock2.hash, 0],
      [false, newBlock2.hash, 1],
    ]);
    expect(readded.map((l) => decodeOrderFilled(l).orderHash)).toEqual(
      logs.slice(1, 3).map((l) => decodeOrderFilled(l).orderHash),
    );
  });

  it('mines the transaction pending at the reorg into the new branch, same hash', async () => {
    const mined = await d.mined;
    expect(mined).toMatchObject({ txHash: d.txHash, blockNumber: 2 });
    const receipt = await rpc.getTransactionReceipt({ hash: d.txHash });
    expect(receipt.blockHash).toBe(mined.blockHash);
    expect(logs.at(-1)).toMatchObject({ transactionHash: d.txHash, removed: false });
  });

  it('ends the new branch one block above the old head, and sends its heads', async () => {
    expect(result.head.number).toBe(4);
    expect(chain.head()).toEqual(result.head);
    expect(await rpc.getBlockNumber()).toBe(4n);
    expect(heads.map((h) => Number(h.number))).toEqual([1, 2, 3, 2, 3, 4]);
    expect(heads[3]!.hash).not.toBe(heads[1]!.hash);
    expect(heads[3]!.parentHash).toBe(heads[0]!.hash);
  });

  it('serves the new branch to eth_getLogs, with the old branch gone', async () => {
    const all = await rpc.getLogs({ fromBlock: 0n, toBlock: 'latest' });
    expect(new Set(all.map((l) => l.blockHash))).not.toContain(b.blockHash);
    expect(all.filter((l) => l.transactionHash === b.txHash)).toHaveLength(b.logIndexes.length);
  });
});

describe('reorg limits', () => {
  it('refuses depths outside 1..min(maxReorgDepth, blocks above genesis)', async () => {
    const chain = await startChain({ blockTimeMs: 0, maxReorgDepth: 2 });
    try {
      await expect(chain.reorg(1)).rejects.toThrow(RangeError);
      for (let i = 0; i < 4; i++) await chain.mineNow();
      await expect(chain.reorg(0)).rejects.toThrow(RangeError);
      await expect(chain.reorg(1.5)).rejects.toThrow(RangeError);
      await expect(chain.reorg(3)).rejects.toThrow(/1\.\.2/);
      const r = await chain.reorg(2);
      expect(r.removedBlocks.map((x) => x.number)).toEqual([3, 4]);
      expect(chain.head().number).toBe(5);
      await expect(chain.reorg(2)).resolves.toBeDefined();
    } finally {
      await chain.stop();
    }
  });

  it('maxReorgDepth 0 turns reorgs (and snapshots) off', async () => {
    const chain = await startChain({ blockTimeMs: 0, maxReorgDepth: 0 });
    try {
      await chain.mineNow();
      await expect(chain.reorg(1)).rejects.toThrow(RangeError);
    } finally {
      await chain.stop();
    }
  });
});
