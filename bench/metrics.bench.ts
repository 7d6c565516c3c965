/**
 * The metrics' observe path, which runs inside the bus's emit on the hot path: a leader sighting
 * (counter, counter, lag histogram), a copy decision, an order with its six stage timings; and a
 * full scrape (`text()`) of a registry holding a busy process's series.
 * Floors sit about 10x below what the 2-core dev machine measured (node 22): a sighting ~1M/s,
 * a skip ~1.2M/s, an order with its stages ~180k/s (a few µs each: noise beside a database
 * commit), a scrape of ~500 lines ~800/s (about 1.5 ms).
 */
import type { CopyDecisionEvent } from '../src/copy/copier.ts';
import type { IngestedTrade, IngestOutcome } from '../src/copy/ingest/index.ts';
import type { FollowConfig } from '../src/copy/planner/index.ts';
import type { LeaderFillSighting } from '../src/copy/sighting.ts';
import { EventBus } from '../src/core/events.ts';
import type { Price, Shares, Usdc } from '../src/core/money.ts';
import type { OrderEvent } from '../src/execution/order-manager.ts';
import { createMetrics, type MetricsEvents } from '../src/server/metrics/index.ts';
import { suite } from './harness.ts';

const LEADER = '0x1eade20000000000000000000000000000000001';
const T = Date.now();

const trade: IngestedTrade = {
  id: 1,
  key: 'k',
  leader: LEADER,
  conditionId: `0x${'cd'.repeat(32)}`,
  tokenId: '1234567890',
  outcome: 'Yes',
  side: 'BUY',
  size: 10_000_000,
  usdc: 4_000_000,
  price: 400_000,
  preTradeShares: 0,
  tradeAt: T,
  isBackfill: false,
  retracted: false,
};
const sighting = (source: 'api' | 'rtds' | 'chain', lagMs: number): LeaderFillSighting => ({
  kind: 'fill',
  source,
  leader: LEADER,
  txHash: `0x${'ab'.repeat(32)}`,
  tokenId: trade.tokenId,
  conditionId: trade.conditionId,
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
  part: 'p',
  tradeTimeMs: T,
  seenAtMs: T + lagMs,
  isBackfill: false,
  raw: {},
});
const sightings: MetricsEvents['leader.sighting'][] = (['api', 'rtds', 'chain'] as const).flatMap(
  (source, i) => {
    const outcomes: IngestOutcome[] = [
      { status: 'new', trade, source },
      { status: 'seen', trade, source, firstForSource: true },
      { status: 'seen', trade, source, firstForSource: false },
    ];
    return outcomes.map((outcome, j) => ({
      outcome,
      sighting: sighting(source, 200 + 700 * i + 90 * j),
      at: T,
    }));
  },
);

const follow: FollowConfig = {
  id: 7,
  accountId: 1,
  leaderAddress: LEADER,
  enabled: true,
  paused: false,
  direction: 'copy',
  sizing: { mode: 'fixed_usd', amountUsdc: 12_000_000 as Usdc },
  minTradeUsdc: null,
  maxTradeUsdc: null,
  fullCloseOnLeaderExit: true,
  slippageBps: 200,
};
const skips: CopyDecisionEvent[] = ['BELOW_MIN_TRADE', 'NOTHING_HELD', 'CATCH_UP_TOO_OLD', 'ZERO_SIZE'].map(
  (reason) => ({ trade, follow, at: T, decision: 'skip', reason, detail: reason }),
);

const order = (i: number): OrderEvent =>
  ({
    orderId: i,
    intent: {
      idempotencyKey: `k${i}`,
      origin: 'copy',
      accountId: 1,
      tokenId: trade.tokenId,
      side: 'BUY',
      size: 10_000_000 as Shares,
      limitPrice: 400_000 as Price,
    },
    outcome: {
      kind: 'executed',
      orderId: i,
      status: i % 4 === 0 ? 'PARTIAL' : 'FILLED',
      filledShares: 1,
      avgPrice: 400_000,
      cash: 0,
      fees: 0,
      realized: 0,
      priceSource: 'book',
      note: null,
    },
    at: T,
    // As the order manager would carry them on the event.
    stageUs: { prewrite: 300 + i, risk: 40, pricing: 12, preflight: 90, execution: 25, persistence: 700 },
  }) as OrderEvent;
const orders = Array.from({ length: 8 }, (_, i) => order(i));

const bus = new EventBus<MetricsEvents>();
const metrics = createMetrics({
  bus,
  health: () =>
    [
      'market.books',
      'trading.orders',
      'trading.gate',
      'detection.api',
      'detection.rtds',
      'detection.chain',
    ].map((component) => ({ component, healthy: true })),
  pnl: async () => [
    { name: 'paper', mode: 'paper', realized: 1_000_000, unrealized: -200_000, cash: 99_000_000 },
    { name: 'main', mode: 'live', realized: 0, unrealized: 0, cash: 50_000_000 },
  ],
  processMetrics: true,
});
// A busy registry for the scrape: every family holds series.
for (const e of sightings) bus.emit('leader.sighting', e);
for (const e of skips) bus.emit('copy.decision', e);
for (const e of orders) bus.emit('order.done', e);

let i = 0;
await suite('metrics', [
  {
    name: 'emit leader.sighting',
    fn: () => bus.emit('leader.sighting', sightings[i++ % sightings.length]!),
    minOpsPerSec: 100_000,
  },
  {
    name: 'emit copy.decision (skip)',
    fn: () => bus.emit('copy.decision', skips[i++ & 3]!),
    minOpsPerSec: 100_000,
  },
  {
    name: 'emit order.done (+ 6 stage timings)',
    fn: () => bus.emit('order.done', orders[i++ & 7]!),
    minOpsPerSec: 20_000,
  },
  {
    name: 'scrape: text(), process metrics on',
    fn: () => metrics.text(),
    minOpsPerSec: 80,
  },
]);
metrics.stop();
