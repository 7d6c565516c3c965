/**
 * Leader-trade ingest into a file-backed SQLite (WAL): a new trade per sighting (the live path:
 * insert trade, part, raw payload, position, in one transaction), a repeated sighting (a second
 * source reporting a known trade), and a further part of a known trade (finer-grained source).
 * The p50/p99 columns are the in-process latency from sighting to committed trade.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestSighting } from '../src/copy/ingest/index.ts';
import type { LeaderFillSighting } from '../src/copy/sighting.ts';
import { toSighting, tradeRowOf } from '../src/copy/sources/api/index.ts';
import { sightingFromFill } from '../src/copy/sources/chain/index.ts';
import { rtdsPart, rtdsRowIdentity, sightingFromRtds } from '../src/copy/sources/rtds/index.ts';
import type { Price, Shares, Usdc } from '../src/core/money.ts';
import { decodeOrderFilled, type MinedOrderFilled } from '../src/polymarket/chain/index.ts';
import { parseRows } from '../src/polymarket/data-api/index.ts';
import { rtdsActivityTradeMessageSchema } from '../src/polymarket/rtds/index.ts';
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

// The real captures as wire text, with a fresh transaction hash per message so each is a new trade.
const sample = (name: string) =>
  readFileSync(join(import.meta.dirname, '../test/fixtures/polymarket-samples', name), 'utf8');
const rtdsFrame = JSON.stringify((JSON.parse(sample('rtds_activity_trades.json')) as unknown[])[0]);
const apiPage = sample('data_api_activity_v1_docs.json');
const chainLog = sample('order_filled_v2_log.json');
const txOf = (i: number) => `0x${(0xbe00_0000 + i).toString(16).padStart(64, '0')}`;
const withTx = (text: string, field: string, i: number) =>
  text.replace(new RegExp(`"${field}"\\s*:\\s*"0x[0-9a-f]+"`), `"${field}":"${txOf(i)}"`);
const noBadRows = { warn: () => {} };

/** Message received -> parsed and validated -> sighting -> committed, as each source does it. */
async function fromRtdsText(text: string): Promise<void> {
  const receivedAt = Date.now();
  const message = rtdsActivityTradeMessageSchema.parse(JSON.parse(text));
  const part = rtdsPart(rtdsRowIdentity(message.payload), 0);
  await ingestSighting(deps, sightingFromRtds(message, { part, seenAtMs: receivedAt, raw: message }));
}
async function fromApiText(text: string): Promise<void> {
  const receivedAt = Date.now();
  for (const row of parseRows(JSON.parse(text) as unknown[], 'v1', noBadRows, '/activity')) {
    const trade = tradeRowOf(row, row.proxyWallet);
    if (!('skip' in trade)) await ingestSighting(deps, toSighting(trade, trade.base, receivedAt, false));
  }
}
async function fromChainText(text: string): Promise<void> {
  const receivedAt = Date.now();
  const raw: unknown = JSON.parse(text);
  const fill = decodeOrderFilled(raw) as MinedOrderFilled;
  const log = {
    kind: 'fill' as const,
    fill,
    blockTimeMs: receivedAt,
    blockTimeEstimated: false,
    receivedAtMs: receivedAt,
    backfill: false,
    raw,
  };
  await ingestSighting(deps, sightingFromFill(log));
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
  await suite('message received -> trade committed (parse + validate + map + ingest)', [
    {
      name: 'RTDS activity frame',
      minOpsPerSec: 300,
      fn: () => fromRtdsText(withTx(rtdsFrame, 'transactionHash', ++n)),
    },
    {
      name: 'Data API /activity page of one row',
      minOpsPerSec: 300,
      fn: () => fromApiText(withTx(apiPage, 'transactionHash', ++n)),
    },
    {
      name: 'Polygon OrderFilled log (V2)',
      minOpsPerSec: 300,
      fn: () => fromChainText(withTx(chainLog, 'transactionHash', ++n)),
    },
  ]);
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
