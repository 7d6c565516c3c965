/** Start and stop: nothing left running, nothing left waiting forever. */
import { createPublicClient, webSocket } from 'viem';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ChainStoppedError, startChain } from '../../../src/sim/chain/index.ts';
import { ALICE, BOB, fill, match, sleep, waitFor, YES } from './support.ts';

const aMatch = () =>
  match('standard', fill('t', ALICE, 'BUY', YES, 1_000_000n, 500_000n), [
    fill('m', BOB, 'SELL', YES, 1_000_000n, 500_000n),
  ]);

/** Handles that a chain could leak: servers, sockets, timers. */
function handles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) {
    if (/^(TCP|Timeout|Immediate)/.test(kind)) counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

describe('chain lifecycle', () => {
  it('stop() closes servers, client sockets and the mining timer', async () => {
    await sleep(20);
    const before = handles();
    const chain = await startChain({ blockTimeMs: 25 });
    const client = createPublicClient({ transport: webSocket(chain.wsUrl, { reconnect: false }) });
    const unwatch = client.watchBlocks({ onBlock: () => {} });
    const raw = new WebSocket(chain.wsUrl);
    await new Promise((resolve) => raw.once('open', resolve));
    await waitFor(
      'a subscription and a few blocks',
      () => chain.subscriptionCount() === 1 && chain.head().number >= 2,
    );

    const rawClosed = new Promise((resolve) => raw.once('close', resolve));
    await chain.stop();
    await rawClosed;
    unwatch();
    await (await client.transport.getRpcClient()).close();
    const head = chain.head().number;
    await sleep(80);
    expect(chain.head().number).toBe(head);
    // Other code in the worker (vitest) may hold timers of its own: none may be added, per kind.
    const noneAdded = () => Object.entries(handles()).every(([kind, n]) => n <= (before[kind] ?? 0));
    await waitFor('handles released', noneAdded, 2_000).catch(() => {});
    expect({ before, after: handles() }).toSatisfy(() => noneAdded());
  });

  it('rejects settlements still pending at stop, and any after it; stop is idempotent', async () => {
    const chain = await startChain({ blockTimeMs: 0 });
    const submitted = await chain.submitMatch(aMatch());
    const pending = chain.settleMatch(aMatch());
    await Promise.all([chain.stop(), chain.stop()]);
    await expect(submitted.mined).rejects.toBeInstanceOf(ChainStoppedError);
    await expect(pending).rejects.toBeInstanceOf(ChainStoppedError);
    await expect(chain.settleMatch(aMatch())).rejects.toBeInstanceOf(ChainStoppedError);
    await expect(chain.mineNow()).rejects.toBeInstanceOf(ChainStoppedError);
    await expect(chain.reorg(1)).rejects.toBeInstanceOf(ChainStoppedError);
  });

  it('fails to start on a port in use, and serves on an explicit free port', async () => {
    const first = await startChain({ blockTimeMs: 0 });
    try {
      const port = Number(new URL(first.httpUrl).port);
      await expect(startChain({ port, blockTimeMs: 0 })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await first.stop();
    }
    const again = await startChain({ port: Number(new URL(first.httpUrl).port), blockTimeMs: 0 });
    expect(again.httpUrl).toBe(first.httpUrl);
    await again.stop();
  });

  it('rejects an invalid match before sending anything', async () => {
    const chain = await startChain({ blockTimeMs: 0 });
    try {
      await expect(chain.settleMatch({ ...aMatch(), makers: [] })).rejects.toThrow(/at least one maker/);
      await chain.mineNow();
      expect(chain.head().transactionCount).toBe(0);
    } finally {
      await chain.stop();
    }
  });

  it('validates its options', async () => {
    await expect(startChain({ blockTimeMs: -1 })).rejects.toThrow(RangeError);
    await expect(startChain({ maxReorgDepth: 1.5 })).rejects.toThrow(RangeError);
  });
});
