/**
 * The event-fed families: real events on a real EventBus, the exposition read back as a scraper
 * sees it. Sightings go through the real ingest on a SQLite store, so their outcomes (new, seen,
 * retracted, unresolved) are the ones ingest produces; decisions and order outcomes are built
 * to cover every kind, including the live ones a paper test cannot reach.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App, AppEvents } from '../../../src/cli/app.ts';
import type { CopyDecisionEvent } from '../../../src/copy/copier.ts';
import { type IngestDeps, type IngestedTrade, ingestSighting } from '../../../src/copy/ingest/index.ts';
import type { FollowConfig } from '../../../src/copy/planner/index.ts';
import type { LeaderFillSighting, LeaderSighting, TradeSource } from '../../../src/copy/sighting.ts';
import { EventBus } from '../../../src/core/events.ts';
import type { Price, Shares, Usdc } from '../../../src/core/money.ts';
import type { OrderEvent, OrderOutcome } from '../../../src/execution/order-manager.ts';
import {
  createMetrics,
  LAG_BUCKETS_SECONDS,
  type Metrics,
  type MetricsEvents,
  STAGE_BUCKETS_SECONDS,
} from '../../../src/server/metrics/index.ts';
import { openTestStore, type TestStore } from '../../support/engines.ts';
import { type Exposition, histogramOf, parseExposition, samplesOf, sampleValue } from './exposition.ts';

const LEADER = '0x1eade20000000000000000000000000000000009';
const YES = '1234567890123456789';
const CONDITION = `0x${'cd'.repeat(32)}`;
const T = 1_790_000_000_000;

let bus: EventBus<MetricsEvents>;
let metrics: Metrics;
const scrape = async (): Promise<Exposition> => parseExposition(await metrics.text());

beforeEach(() => {
  bus = new EventBus<MetricsEvents>({
    onHandlerError: (err) => {
      throw err;
    },
  });
  metrics = createMetrics({ bus });
});
afterEach(() => metrics.stop());

describe('leader sightings, through the real ingest', () => {
  let t: TestStore;
  let deps: IngestDeps;
  beforeEach(async () => {
    t = await openTestStore('sqlite');
    let now = T + 10_000;
    deps = {
      store: t.store,
      now: () => now++,
      resolveToken: async (tokenId) => (tokenId === YES ? { conditionId: CONDITION, outcome: 'Yes' } : null),
    };
  });
  afterEach(async () => {
    await t.dispose();
  });

  const fill = (
    source: TradeSource,
    part: string,
    seenAfterMs: number,
    extra: Partial<LeaderFillSighting> = {},
  ): LeaderFillSighting => ({
    kind: 'fill',
    source,
    leader: LEADER,
    txHash: `0x${'ab'.repeat(32)}`,
    tokenId: YES,
    conditionId: source === 'chain' ? null : CONDITION,
    outcome: source === 'chain' ? null : 'Yes',
    outcomeIndex: 0,
    side: 'BUY',
    price: 400_000 as Price,
    size: 10_000_000 as Shares,
    usdc: 4_000_000 as Usdc,
    fee: null,
    role: 'taker',
    blockNumber: source === 'chain' ? 7 : null,
    logIndex: source === 'chain' ? 3 : null,
    part,
    tradeTimeMs: T,
    seenAtMs: T + seenAfterMs,
    isBackfill: false,
    raw: {},
    ...extra,
  });

  /** Ingests as the app does and emits what the app emits. */
  async function sight(sighting: LeaderSighting) {
    const outcome = await ingestSighting(deps, sighting);
    bus.emit('leader.sighting', { outcome, sighting, at: T });
    return outcome;
  }

  it('counts each source once per trade, says who was first, and times each from the trade', async () => {
    expect((await sight(fill('rtds', 'r1', 400))).status).toBe('new');
    expect(await sight(fill('api', 'a1', 4_000))).toMatchObject({ status: 'seen', firstForSource: true });
    // The poller's next page repeats the row: a sighting, not another trade, not another lag.
    expect(await sight(fill('api', 'a1', 9_000))).toMatchObject({ status: 'seen', firstForSource: false });
    expect(await sight(fill('chain', 'c1', 2_500))).toMatchObject({ status: 'seen', firstForSource: true });

    const m = await scrape();
    expect(sampleValue(m, 'polyhunter_leader_trades_seen_total', { source: 'rtds', first: 'true' })).toBe(1);
    expect(sampleValue(m, 'polyhunter_leader_trades_seen_total', { source: 'rtds', first: 'false' })).toBe(0);
    expect(sampleValue(m, 'polyhunter_leader_trades_seen_total', { source: 'api', first: 'false' })).toBe(1);
    expect(sampleValue(m, 'polyhunter_leader_trades_seen_total', { source: 'api', first: 'true' })).toBe(0);
    expect(sampleValue(m, 'polyhunter_leader_trades_seen_total', { source: 'chain', first: 'false' })).toBe(
      1,
    );
    expect(sampleValue(m, 'polyhunter_leader_sightings_total', { source: 'rtds', outcome: 'new' })).toBe(1);
    expect(sampleValue(m, 'polyhunter_leader_sightings_total', { source: 'api', outcome: 'seen' })).toBe(2);

    const rtds = histogramOf(m, 'polyhunter_source_lag_seconds', { source: 'rtds' });
    expect(rtds.count).toBe(1);
    expect(rtds.sum).toBeCloseTo(0.4, 9);
    expect(rtds.buckets.get(0.25)).toBe(0);
    expect(rtds.buckets.get(0.5)).toBe(1);
    expect(rtds.buckets.get(Infinity)).toBe(1);
    const api = histogramOf(m, 'polyhunter_source_lag_seconds', { source: 'api' });
    expect(api).toMatchObject({ count: 1, sum: 4 });
    expect(api.buckets.get(3)).toBe(0);
    expect(api.buckets.get(5)).toBe(1);
    const chain = histogramOf(m, 'polyhunter_source_lag_seconds', { source: 'chain' });
    expect(chain).toMatchObject({ count: 1, sum: 2.5 });
    expect([...chain.buckets.keys()]).toEqual([...LAG_BUCKETS_SECONDS, Infinity]);
  });

  it('counts a backfilled trade as seen but keeps it out of the lag', async () => {
    await sight(fill('api', 'a1', 3_600_000, { isBackfill: true }));
    const m = await scrape();
    expect(sampleValue(m, 'polyhunter_leader_trades_seen_total', { source: 'api', first: 'true' })).toBe(1);
    expect(histogramOf(m, 'polyhunter_source_lag_seconds', { source: 'api' }).count).toBe(0);
  });

  it('counts retractions, retractions of nothing and tokens no catalog knows', async () => {
    await sight(fill('chain', 'c1', 2_000));
    const retract = {
      kind: 'retract',
      source: 'chain',
      leader: LEADER,
      txHash: `0x${'ab'.repeat(32)}`,
      logIndex: 3,
      part: 'c1',
      seenAtMs: T + 30_000,
    } as const;
    expect((await sight(retract)).status).toBe('retracted');
    expect((await sight(retract)).status).toBe('unknown');
    expect((await sight(fill('chain', 'c2', 2_000, { tokenId: '555555' }))).status).toBe('unresolved');

    const m = await scrape();
    for (const outcome of ['new', 'retracted', 'unknown', 'unresolved']) {
      expect(sampleValue(m, 'polyhunter_leader_sightings_total', { source: 'chain', outcome }), outcome).toBe(
        1,
      );
    }
  });

  it('counts a growing part as the first sighting by its source when ingest says so', async () => {
    const first = await sight(fill('api', 'a1', 1_000));
    if (first.status !== 'new') throw new Error('expected new');
    // A finer-grained source's first part that grows the trade counts as its first sighting.
    bus.emit('leader.sighting', {
      outcome: {
        status: 'grew',
        trade: first.trade,
        source: 'chain',
        sizeDelta: 1,
        firstForSource: true,
      },
      sighting: fill('chain', 'c1', 3_000),
      at: T,
    });
    bus.emit('leader.sighting', {
      outcome: { status: 'grew', trade: first.trade, source: 'rtds', sizeDelta: 1, firstForSource: false },
      sighting: fill('rtds', 'r2', 3_000),
      at: T,
    });
    const m = await scrape();
    expect(sampleValue(m, 'polyhunter_leader_trades_seen_total', { source: 'chain', first: 'false' })).toBe(
      1,
    );
    expect(histogramOf(m, 'polyhunter_source_lag_seconds', { source: 'chain' })).toMatchObject({
      count: 1,
      sum: 3,
    });
    expect(sampleValue(m, 'polyhunter_leader_trades_seen_total', { source: 'rtds', first: 'false' })).toBe(0);
    expect(sampleValue(m, 'polyhunter_leader_sightings_total', { source: 'rtds', outcome: 'grew' })).toBe(1);
  });
});

// --- decisions and orders -----------------------------------------------------------------------

const trade: IngestedTrade = {
  id: 1,
  key: 'k',
  leader: LEADER,
  conditionId: CONDITION,
  tokenId: YES,
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

const skip = (reason: string): CopyDecisionEvent => ({
  trade,
  follow,
  at: T,
  decision: 'skip',
  reason,
  detail: `skipped: ${reason}`,
});

let nextOrder = 1;
function orderDone(outcome: OrderOutcome, extra: { live?: boolean; stageUs?: Record<string, number> } = {}) {
  const intent = {
    idempotencyKey: `k${nextOrder}`,
    origin: 'copy',
    accountId: 1,
    tokenId: YES,
    side: 'BUY' as const,
    size: 10_000_000 as Shares,
    limitPrice: 400_000 as Price,
    // As on the order manager's event: the whole intent, `live` included.
    ...(extra.live !== undefined ? { live: extra.live } : {}),
  };
  const event: OrderEvent = { orderId: nextOrder++, intent, outcome, at: T };
  bus.emit('order.done', extra.stageUs ? ({ ...event, stageUs: extra.stageUs } as OrderEvent) : event);
}

const executed = (status: 'FILLED' | 'PARTIAL' | 'LIVE'): Extract<OrderOutcome, { kind: 'executed' }> => ({
  kind: 'executed',
  orderId: 0,
  status,
  filledShares: 0,
  avgPrice: null,
  cash: 0,
  fees: 0,
  realized: 0,
  priceSource: 'book',
  note: null,
});

describe('copy decisions and orders', () => {
  it('counts decisions as stored (copy, skip, refused), and skips by reason code', async () => {
    bus.emit('copy.decision', skip('BELOW_MIN_TRADE'));
    bus.emit('copy.decision', skip('BELOW_MIN_TRADE'));
    bus.emit('copy.decision', skip('SOURCES_DOWN'));
    bus.emit('copy.decision', {
      trade,
      follow,
      at: T,
      decision: 'copy',
      plan: {} as never,
      outcome: executed('FILLED'),
    });
    for (const outcome of [
      { kind: 'refused', orderId: 0, refusals: [] },
      { kind: 'rejected', orderId: 0, code: 'MARKET_CLOSED', reason: 'r' },
    ] as const) {
      bus.emit('copy.decision', { trade, follow, at: T, decision: 'copy', plan: {} as never, outcome });
    }
    const m = await scrape();
    expect(sampleValue(m, 'polyhunter_copy_decisions_total', { decision: 'skip' })).toBe(3);
    expect(sampleValue(m, 'polyhunter_copy_decisions_total', { decision: 'copy' })).toBe(1);
    // Stored as refused; their reasons come from order.done, so they are not counted twice here.
    expect(sampleValue(m, 'polyhunter_copy_decisions_total', { decision: 'refused' })).toBe(2);
    expect(samplesOf(m, 'polyhunter_refusals_total', { kind: 'reject' })).toEqual([]);
    expect(sampleValue(m, 'polyhunter_refusals_total', { kind: 'skip', reason: 'BELOW_MIN_TRADE' })).toBe(2);
    expect(sampleValue(m, 'polyhunter_refusals_total', { kind: 'skip', reason: 'SOURCES_DOWN' })).toBe(1);
  });

  it('counts orders by the status they were left in, paper or live, and every refusal reason', async () => {
    orderDone(executed('FILLED'));
    orderDone(executed('FILLED'));
    orderDone(executed('PARTIAL'));
    orderDone({
      kind: 'refused',
      orderId: 0,
      refusals: [
        { code: 'SLIPPAGE', message: 'm', numbers: {} },
        { code: 'TOTAL_CAP', message: 'm', numbers: {} },
      ] as never,
    });
    orderDone({ kind: 'rejected', orderId: 0, code: 'INSUFFICIENT_CASH', reason: 'r' });
    orderDone({ kind: 'failed', orderId: 0, error: 'boom' });
    orderDone({ kind: 'submitted', orderId: 0, orderHash: '0x1', venueStatus: 'matched' }, { live: true });
    orderDone({ kind: 'submitted', orderId: 0, orderHash: '0x2', venueStatus: 'live' }, { live: true });
    orderDone({ kind: 'unknown', orderId: 0, orderHash: '0x3', error: 'timeout' }, { live: true });
    orderDone(
      { kind: 'rejected', orderId: 0, code: 'INVALID_ORDER_NOT_ENOUGH_BALANCE', reason: 'r' },
      { live: true },
    );
    orderDone({ kind: 'duplicate', orderId: null });

    const m = await scrape();
    const orders = Object.fromEntries(
      samplesOf(m, 'polyhunter_orders_total').map((s) => [`${s.labels.status}/${s.labels.mode}`, s.value]),
    );
    expect(orders).toEqual({
      'FILLED/paper': 2,
      'PARTIAL/paper': 1,
      'REJECTED/paper': 2,
      'FAILED/paper': 1,
      'FILLED/live': 1,
      'LIVE/live': 1,
      'SUBMITTED/live': 1,
      'REJECTED/live': 1,
    });
    expect(sampleValue(m, 'polyhunter_refusals_total', { kind: 'risk', reason: 'SLIPPAGE' })).toBe(1);
    expect(sampleValue(m, 'polyhunter_refusals_total', { kind: 'risk', reason: 'TOTAL_CAP' })).toBe(1);
    expect(sampleValue(m, 'polyhunter_refusals_total', { kind: 'reject', reason: 'INSUFFICIENT_CASH' })).toBe(
      1,
    );
    expect(
      sampleValue(m, 'polyhunter_refusals_total', {
        kind: 'reject',
        reason: 'INVALID_ORDER_NOT_ENOUGH_BALANCE',
      }),
    ).toBe(1);
  });

  it('records stage timings carried on the event, in seconds, by stage and mode', async () => {
    orderDone(executed('FILLED'), { stageUs: { prewrite: 120, risk: 40, execution: 30, persistence: 900 } });
    orderDone(executed('FILLED'), { stageUs: { prewrite: 80, risk: 60, bogus: 5 } });
    orderDone(
      { kind: 'submitted', orderId: 0, orderHash: '0x1', venueStatus: 'live' },
      { live: true, stageUs: { execution: 180_000 } },
    );
    const m = await scrape();
    const prewrite = histogramOf(m, 'polyhunter_order_stage_seconds', { stage: 'prewrite', mode: 'paper' });
    expect(prewrite.count).toBe(2);
    expect(prewrite.sum).toBeCloseTo(0.0002, 12);
    expect(prewrite.buckets.get(0.0001)).toBe(1);
    expect(prewrite.buckets.get(0.00025)).toBe(2);
    expect([...prewrite.buckets.keys()]).toEqual([...STAGE_BUCKETS_SECONDS, Infinity]);
    expect(
      histogramOf(m, 'polyhunter_order_stage_seconds', { stage: 'persistence', mode: 'paper' }),
    ).toMatchObject({ count: 1 });
    expect(histogramOf(m, 'polyhunter_order_stage_seconds', { stage: 'pricing', mode: 'paper' }).count).toBe(
      0,
    );
    const live = histogramOf(m, 'polyhunter_order_stage_seconds', { stage: 'execution', mode: 'live' });
    expect(live.count).toBe(1);
    expect(live.sum).toBeCloseTo(0.18, 12);
    expect(live.buckets.get(0.1)).toBe(0);
    expect(live.buckets.get(0.25)).toBe(1);
    expect(samplesOf(m, 'polyhunter_order_stage_seconds_count', { stage: 'bogus' })).toEqual([]);
  });
});

describe('labels stay bounded', () => {
  it('never turns an id into a label, and folds reasons past the cap into "other"', async () => {
    bus.emit('copy.decision', skip('1234567890123456789012'));
    bus.emit('copy.decision', skip(`0x${'ab'.repeat(20)}`));
    bus.emit('copy.decision', skip('a reason with\nnew lines'));
    for (let i = 0; i < 100; i++) bus.emit('copy.decision', skip(`CODE_${i}`));
    const m = await scrape();
    const reasons = samplesOf(m, 'polyhunter_refusals_total', { kind: 'skip' });
    expect(reasons.length).toBe(65);
    expect(sampleValue(m, 'polyhunter_refusals_total', { kind: 'skip', reason: 'other' })).toBe(3 + 100 - 64);
    expect(sampleValue(m, 'polyhunter_refusals_total', { kind: 'skip', reason: 'CODE_63' })).toBe(1);
    expect(sampleValue(m, 'polyhunter_refusals_total', { kind: 'skip', reason: 'CODE_64' })).toBeUndefined();
  });

  it('maps a source or status outside the known sets to "other"', async () => {
    bus.emit('leader.sighting', {
      outcome: { status: 'unknown', source: 'carrier-pigeon' as TradeSource },
      sighting: { kind: 'retract', source: 'carrier-pigeon' as 'chain' } as LeaderSighting,
      at: T,
    });
    orderDone({ ...executed('FILLED'), status: 'WEIRD' as 'FILLED' });
    const m = await scrape();
    expect(sampleValue(m, 'polyhunter_leader_sightings_total', { source: 'other', outcome: 'unknown' })).toBe(
      1,
    );
    expect(sampleValue(m, 'polyhunter_orders_total', { status: 'other', mode: 'paper' })).toBe(1);
  });
});

describe('registries and the bus', () => {
  it('stop() unsubscribes: later events change nothing', async () => {
    expect(bus.listenerCount()).toBe(3);
    metrics.stop();
    expect(bus.listenerCount()).toBe(0);
    bus.emit('copy.decision', skip('PAUSED'));
    const m = await scrape();
    expect(sampleValue(m, 'polyhunter_copy_decisions_total', { decision: 'skip' })).toBe(0);
  });

  it('two instances in one process keep their own counts', async () => {
    const otherBus = new EventBus<MetricsEvents>();
    const other = createMetrics({ bus: otherBus });
    try {
      bus.emit('copy.decision', skip('PAUSED'));
      otherBus.emit('copy.decision', skip('PAUSED'));
      otherBus.emit('copy.decision', skip('PAUSED'));
      expect(sampleValue(await scrape(), 'polyhunter_copy_decisions_total', { decision: 'skip' })).toBe(1);
      expect(
        sampleValue(parseExposition(await other.text()), 'polyhunter_copy_decisions_total', {
          decision: 'skip',
        }),
      ).toBe(2);
    } finally {
      other.stop();
    }
  });

  it("takes the app's bus as it is", async () => {
    // Type-level: App['bus'] (EventBus<AppEvents>) fits MetricsOptions['bus'] without a cast.
    const appBus: App['bus'] = new EventBus<AppEvents>();
    const onApp = createMetrics({ bus: appBus });
    try {
      appBus.emit('app.started', { mode: 'paper', at: T });
      appBus.emit('copy.decision', skip('PAUSED'));
      expect(
        sampleValue(parseExposition(await onApp.text()), 'polyhunter_copy_decisions_total', {
          decision: 'skip',
        }),
      ).toBe(1);
    } finally {
      onApp.stop();
    }
  });

  it('serves the Prometheus text format', () => {
    expect(metrics.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
  });
});
