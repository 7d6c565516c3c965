/**
 * The metrics on the real copy pipeline: leader fills ingested into a store, the copier deciding,
 * the order manager placing paper orders against the simulator's books, every step an event on
 * one bus, as in the app. What the metrics say is checked against what the database holds:
 * orders by status, stage timings, decisions and refusals by reason, cash and PnL.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createCopier } from '../../../src/copy/copier.ts';
import { addFollow } from '../../../src/copy/follows.ts';
import { ingestSighting } from '../../../src/copy/ingest/index.ts';
import type { LeaderFillSighting, LeaderSighting } from '../../../src/copy/sighting.ts';
import { EventBus } from '../../../src/core/events.ts';
import { MICRO, notional, type Price, type Shares, type Usdc } from '../../../src/core/money.ts';
import { OrderManager } from '../../../src/execution/order-manager.ts';
import { pnlReport } from '../../../src/portfolio/report.ts';
import type { RiskLimits } from '../../../src/risk/index.ts';
import {
  createMetrics,
  type Metrics,
  type MetricsEvents,
  ORDER_STAGES,
  orderStagesFromStore,
} from '../../../src/server/metrics/index.ts';
import type { Store } from '../../../src/store/index.ts';
import { pipeline, px, type SimWorld, sh, silent, startWorld } from '../../execution/support.ts';
import { forEachEngine, openTestStore, type TestStore } from '../../support/engines.ts';
import { type Exposition, histogramOf, parseExposition, samplesOf, sampleValue } from './exposition.ts';

const LEADER = '0x1eade20000000000000000000000000000000001';
const CASH = 1_000_000_000; // $1000
const MARK = px(0.39);

forEachEngine('metrics over the copy pipeline', (engine) => {
  let world: SimWorld;
  let t: TestStore;
  let store: Store;
  let metrics: Metrics;
  let limits: RiskLimits;
  let tx = 0;
  let run: (sighting: LeaderSighting) => Promise<void>;
  let now: () => number;
  let advance: (ms: number) => Promise<void>;

  beforeEach(async () => {
    world = await startWorld(1);
    await world.rest(world.yes, 'SELL', 0.4, 200);
    await world.rest(world.yes, 'BUY', 0.38, 200);
    t = await openTestStore(engine);
    store = t.store;
    const p = pipeline(store, world);
    now = () => p.clock.now();
    advance = (ms) => p.clock.advance(ms);
    limits = {};
    const bus = new EventBus<MetricsEvents>({
      onHandlerError: (err) => {
        throw err;
      },
    });
    const orders = new OrderManager({
      store,
      clock: p.clock,
      logger: silent,
      quotes: p.quotes,
      catalog: p.catalog,
      limits: () => limits,
      onOrder: (e) => bus.emit('order.done', e),
    });
    const copier = createCopier({
      store,
      clock: p.clock,
      logger: silent,
      catalog: p.catalog,
      quotes: p.quotes,
      orders,
      settings: () => ({
        coalesceMs: 0,
        catchUp: {
          maxLiveLagSec: 60,
          catchUpBuyMaxAgeSec: 0,
          catchUpBuyRequireBetterPrice: true,
          catchUpBuyMaxWorseBps: 0,
        },
        orderType: 'FOK',
        gtcTtlSec: 60,
      }),
      gate: () => ({ open: true, degraded: [] }),
      leaderValue: async () => null,
      onDecision: (e) => bus.emit('copy.decision', e),
    });
    await addFollow(
      store,
      {
        leader: LEADER,
        paperStartingCashUsdc: CASH,
        sizing: { mode: 'fixed_usd', amountUsdc: 12_000_000 },
        slippageBps: 0,
      },
      now(),
      'test',
    );
    metrics = createMetrics({
      bus,
      orderStages: orderStagesFromStore(store),
      pnl: async () =>
        (await pnlReport(store, { marks: async (ids) => new Map(ids.map((id) => [id, MARK])) })).accounts,
    });
    // As the app's onIngest: every outcome is an event; a new trade goes to the copier.
    run = async (sighting) => {
      const outcome = await ingestSighting({ store, now, resolveToken: async () => null }, sighting);
      bus.emit('leader.sighting', { outcome, sighting, at: now() });
      if (outcome.status === 'new') await copier.onTrade(outcome.trade);
    };
  });
  afterEach(async () => {
    metrics?.stop();
    await t?.dispose();
    await world?.stop();
  });

  /** A leader BUY on YES, `ageMs` old when `source` delivers it. */
  const buy = (
    source: 'api' | 'rtds',
    txN: number,
    ageMs: number,
    extra: Partial<LeaderFillSighting> = {},
  ): LeaderFillSighting => ({
    kind: 'fill',
    source,
    leader: LEADER,
    txHash: `0x${txN.toString(16).padStart(64, '0')}`,
    tokenId: world.yes,
    conditionId: world.conditionId,
    outcome: 'Yes',
    outcomeIndex: 0,
    side: 'BUY',
    price: px(0.4),
    size: sh(100),
    usdc: notional(sh(100) as Shares, px(0.4) as Price, 'floor') as Usdc,
    fee: null,
    role: 'taker',
    blockNumber: null,
    logIndex: null,
    part: `${source}-row`,
    tradeTimeMs: now() - ageMs,
    seenAtMs: now(),
    isBackfill: false,
    raw: {},
    ...extra,
  });

  const scrape = async (): Promise<Exposition> => {
    await metrics.idle();
    return parseExposition(await metrics.text());
  };

  it('agrees with the database on orders, stages, decisions, refusals, cash and PnL', async () => {
    // 1: copied and filled; then RTDS delivers the same trade, later.
    await run(buy('api', ++tx, 1_000));
    await advance(500);
    await run(buy('rtds', tx, 1_500));
    // 2: copied, refused by the risk gate.
    limits = { maxPerTradeUsdc: 5_000_000 as Usdc };
    await run(buy('api', ++tx, 1_000));
    limits = {};
    // 3: found by a backfill: skipped by the planner, and not in the lag.
    await run(buy('api', ++tx, 600_000, { isBackfill: true }));

    const m = await scrape();
    const { db } = store;

    const orderRows = await db.selectFrom('orders').selectAll().orderBy('id').execute();
    expect(orderRows.map((o) => o.status)).toEqual(['FILLED', 'REJECTED']);
    const byStatus = samplesOf(m, 'polyhunter_orders_total').map((s) => [
      s.labels.status,
      s.labels.mode,
      s.value,
    ]);
    expect(byStatus.sort()).toEqual([
      ['FILLED', 'paper', 1],
      ['REJECTED', 'paper', 1],
    ]);

    // Stage timings: every stored one observed once, in seconds, under its stage.
    for (const stage of ORDER_STAGES) {
      const stored = orderRows.map((o) => o[`${stage}_us`]).filter((us): us is number => us !== null);
      const h = histogramOf(m, 'polyhunter_order_stage_seconds', { stage, mode: 'paper' });
      expect(h.count, stage).toBe(stored.length);
      expect(h.sum, stage).toBeCloseTo(stored.reduce((a, b) => a + b, 0) / 1e6, 9);
    }
    expect(histogramOf(m, 'polyhunter_order_stage_seconds', { stage: 'prewrite', mode: 'paper' }).count).toBe(
      2,
    );
    expect(
      histogramOf(m, 'polyhunter_order_stage_seconds', { stage: 'execution', mode: 'paper' }).count,
    ).toBe(1);

    // Decisions and refusals by reason, as stored.
    const decisions = await db.selectFrom('copy_decisions').selectAll().execute();
    expect(decisions.map((d) => d.decision).sort()).toEqual(['copy', 'refused', 'skip']);
    for (const decision of ['copy', 'refused', 'skip']) {
      expect(sampleValue(m, 'polyhunter_copy_decisions_total', { decision }), decision).toBe(1);
    }
    const skipped = decisions.filter((d) => d.decision === 'skip').map((d) => d.reason_code);
    expect(skipped).toEqual(['BACKFILL']);
    expect(sampleValue(m, 'polyhunter_refusals_total', { kind: 'skip', reason: 'BACKFILL' })).toBe(1);
    const guardrails = await db.selectFrom('guardrail_events').select('reason_code').execute();
    expect(guardrails.map((g) => g.reason_code)).toEqual(['TRADE_CAP']);
    expect(sampleValue(m, 'polyhunter_refusals_total', { kind: 'risk', reason: 'TRADE_CAP' })).toBe(1);
    expect(samplesOf(m, 'polyhunter_refusals_total')).toHaveLength(2);

    // Sightings: three trades first seen by the API, one of them seen later by RTDS.
    expect(sampleValue(m, 'polyhunter_leader_trades_seen_total', { source: 'api', first: 'true' })).toBe(3);
    expect(sampleValue(m, 'polyhunter_leader_trades_seen_total', { source: 'rtds', first: 'false' })).toBe(1);
    expect(histogramOf(m, 'polyhunter_source_lag_seconds', { source: 'api' })).toMatchObject({
      count: 2,
      sum: 2,
    });
    expect(histogramOf(m, 'polyhunter_source_lag_seconds', { source: 'rtds' })).toMatchObject({
      count: 1,
      sum: 1.5,
    });

    // Money: the report's figures, in USDC.
    const account = await db.selectFrom('accounts').selectAll().executeTakeFirstOrThrow();
    const paper = { account: account.name, mode: 'paper' };
    expect(account.cash).toBeLessThan(CASH);
    expect(sampleValue(m, 'polyhunter_cash_usdc', paper)).toBe(account.cash / MICRO);
    const report = await pnlReport(store, { marks: async (ids) => new Map(ids.map((id) => [id, MARK])) });
    const a = report.accounts[0]!;
    expect(a.unrealized).toBeLessThan(0);
    expect(sampleValue(m, 'polyhunter_pnl_unrealized_usdc', paper)).toBe(a.unrealized / MICRO);
    expect(sampleValue(m, 'polyhunter_pnl_realized_usdc', paper)).toBe(a.realized / MICRO);
  });
});
