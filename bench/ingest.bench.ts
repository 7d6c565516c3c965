/**
 * Leader-trade ingest into a file-backed SQLite (WAL): a new trade per sighting (the live path:
 * insert trade, part, raw payload, position, in one transaction), a repeated sighting (a second
 * source reporting a known trade), and a further part of a known trade (finer-grained source).
 * The p50/p99 columns are the in-process latency from sighting to committed trade.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestSighting } from '../src/copy/ingest/index.ts';
import type { LeaderFillSighting } from '../src/copy/sighting.ts';
import type { Price, Shares, Usdc } from '../src/core/money.ts';
import { migrateToLatest, openStore } from '../src/store/index.ts';
import { suite } from './harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'polyhunter-bench-ingest-'));
const store = await openStore(`sqlite:${join(dir, 'bench.db')}`);
await migrateToLatest(store);
const deps = {
  store,
  now: () => Date.now(),
  resolveToken: async () => ({ conditionId: `0x${'cd'.repeat(32)}`, outcome: 'Yes' }),
};

let n = 0;
function sighting(
  tx: number,
  part: string,
  source: LeaderFillSighting['source'] = 'rtds',
): LeaderFillSighting {
  return {
    kind: 'fill',
    source,
    leader: '0x1eade20000000000000000000000000000000001',
    txHash: `0x${tx.toString(16).padStart(64, '0')}`,
    tokenId: '1234567890',
    conditionId: `0x${'cd'.repeat(32)}`,
    outcome: 'Yes',
    outcomeIndex: 0,
    side: 'BUY',
    price: 400_000 as Price,
    size: 10_000_000 as Shares,
    usdc: 4_000_000 as Usdc,
    fee: null,
    role: 'taker',
    blockNumber: null,
    logIndex: null,
    part,
    tradeTimeMs: Date.now(),
    seenAtMs: Date.now(),
    isBackfill: false,
    raw: { proxyWallet: '0x1eade20000000000000000000000000000000001', size: 10, price: 0.4 },
  };
}

await ingestSighting(deps, sighting(0, 'known'));
try {
  await suite('ingest (sqlite, file, WAL)', [
    {
      name: 'new trade (trade + part + raw + position)',
      minOpsPerSec: 300,
      fn: () => ingestSighting(deps, sighting(++n, 'p')),
    },
    {
      name: 'repeat sighting of a known trade',
      minOpsPerSec: 600,
      fn: () => ingestSighting(deps, sighting(0, 'known', 'api')),
    },
    {
      // Three rows per trade, as when a taker order hits three makers.
      name: 'part of a multi-row trade (grows it)',
      minOpsPerSec: 300,
      fn: () => {
        n++;
        return ingestSighting(deps, sighting(10_000_000 + Math.floor(n / 3), `p${n % 3}`));
      },
    },
  ]);
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
