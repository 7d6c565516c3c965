/**
 * The copier over the real pipeline: leader trades ingested into a store with follows in it, the
 * catalog and books from the simulator, orders through the order manager. Asserted on what the
 * database holds: one decision per (follow, trade), orders under `copy:<follow>:<trade key>`, and
 * the position the copies built.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  type Copier,
  type CopierOptions,
  type CopyDecisionEvent,
  createCopier,
} from '../../src/copy/copier.ts';
import { addFollow } from '../../src/copy/follows.ts';
import { type IngestedTrade, ingestSighting } from '../../src/copy/ingest/index.ts';
import type { LeaderFillSighting } from '../../src/copy/sighting.ts';
import type { SourceGate } from '../../src/copy/source-gate.ts';
import { notional, type Price, type Shares, type Usdc } from '../../src/core/money.ts';
import type { Store } from '../../src/store/index.ts';
import { forEachEngine, openTestStore, type TestStore } from '../support/engines.ts';
import { type Pipeline, pipeline, px, type SimWorld, sh, silent, startWorld } from './support.ts';

const LEADER = '0x1eade20000000000000000000000000000000001';
const CASH = 1_000_000_000; // $1000

/** A copier over the pipeline: decides at once (no coalescing), FOK orders, late buys never copied. */
function makeCopier(store: Store, p: Pipeline, extra: Partial<CopierOptions> = {}): Copier {
  return createCopier({
    store,
    clock: p.clock,
    logger: silent,
    catalog: p.catalog,
    quotes: p.quotes,
    orders: p.orders,
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
    ...extra,
  });
}

forEachEngine('copier', (engine) => {
  let world: SimWorld;
  let t: TestStore;
  let store: Store;
  let p: Pipeline;
  let decisions: CopyDecisionEvent[];
  let gate: SourceGate;
  let tx = 0;

  const copier = (): Copier =>
    makeCopier(store, p, { gate: () => gate, onDecision: (e) => decisions.push(e) });

  /** A follow of LEADER from `account`: a fixed $12 a buy, no slippage allowance. */
  const follow = async (account = 'paper') =>
    (
      await addFollow(
        store,
        {
          account,
          leader: LEADER,
          paperStartingCashUsdc: CASH,
          sizing: { mode: 'fixed_usd', amountUsdc: 12_000_000 },
          slippageBps: 0,
        },
        p.clock.now(),
        'test',
      )
    ).follow;

  /** Ingests a new leader fill on YES, as the Data API would report it. */
  async function leaderFill(
    side: 'BUY' | 'SELL',
    price: Price,
    size: Shares,
    extra: Partial<LeaderFillSighting> = {},
  ): Promise<IngestedTrade> {
    const now = p.clock.now();
    const out = await ingestSighting(
      { store, now: () => p.clock.now(), resolveToken: async () => null },
      {
        kind: 'fill',
        source: 'api',
        leader: LEADER,
        txHash: `0x${(++tx).toString(16).padStart(64, '0')}`,
        tokenId: world.yes,
        conditionId: world.conditionId,
        outcome: 'Yes',
        outcomeIndex: 0,
        side,
        price,
        size,
        usdc: notional(size, price, 'floor'),
        fee: null,
        role: 'taker',
        blockNumber: null,
        logIndex: null,
        part: 'row-0',
        tradeTimeMs: now - 1_000,
        seenAtMs: now,
        isBackfill: false,
        raw: {},
        ...extra,
      },
    );
    if (out.status !== 'new') throw new Error(`expected a new trade, got ${out.status}`);
    return out.trade;
  }

  const decisionRows = () => store.db.selectFrom('copy_decisions').selectAll().orderBy('id').execute();
  const orderRows = () => store.db.selectFrom('orders').selectAll().orderBy('id').execute();
  const sharesHeld = async (accountId: number) =>
    (
      await store.db
        .selectFrom('positions')
        .select('shares')
        .where('account_id', '=', accountId)
        .where('token_id', '=', world.yes)
        .executeTakeFirst()
    )?.shares ?? 0;

  beforeEach(async () => {
    world = await startWorld(1);
    // YES: asks 0.40 x 200, bids 0.38 x 200.
    await world.rest(world.yes, 'SELL', 0.4, 200);
    await world.rest(world.yes, 'BUY', 0.38, 200);
    t = await openTestStore(engine);
    store = t.store;
    p = pipeline(store, world);
    decisions = [];
    gate = { open: true, degraded: [] };
  });
  afterEach(async () => {
    await t?.dispose();
    await world?.stop();
  });

  it('copies a BUY, then the leader’s partial SELL proportionally: 100 held, 50 sold, 30 -> 15', async () => {
    const f = await follow();
    const c = copier();

    const buy = await leaderFill('BUY', px(0.4), sh(100));
    await c.onTrade(buy);
    // $12 at the leader's 0.40 (no slippage allowance) is exactly 30 shares.
    expect(decisions).toMatchObject([
      { decision: 'copy', plan: { side: 'BUY', size: sh(30), limitPrice: px(0.4) } },
    ]);
    expect(decisions[0]).toMatchObject({
      outcome: { kind: 'executed', status: 'FILLED', filledShares: sh(30) },
    });
    expect(await sharesHeld(f.accountId)).toBe(sh(30));

    // The leader held 100 before selling 50: half. We sell half of our 30.
    const sell = await leaderFill('SELL', px(0.38), sh(50));
    expect(sell.preTradeShares).toBe(sh(100));
    await c.onTrade(sell);
    expect(decisions[1]).toMatchObject({
      decision: 'copy',
      plan: { side: 'SELL', size: sh(15), limitPrice: px(0.38) },
      outcome: { kind: 'executed', status: 'FILLED', filledShares: sh(15) },
    });
    expect(await sharesHeld(f.accountId)).toBe(sh(15));

    const rows = await orderRows();
    expect(rows.map((o) => [o.idempotency_key, o.side, o.size, o.status, o.follow_config_id])).toEqual([
      [`copy:${f.id}:${buy.key}`, 'BUY', sh(30), 'FILLED', f.id],
      [`copy:${f.id}:${sell.key}`, 'SELL', sh(15), 'FILLED', f.id],
    ]);
    expect((await decisionRows()).map((d) => [d.decision, d.leader_trade_id, d.order_id])).toEqual([
      ['copy', buy.id, rows[0]!.id],
      ['copy', sell.id, rows[1]!.id],
    ]);
    expect(c.stats()).toEqual({ trades: 2, decisions: 2, copies: 2, skips: 0 });
  });

  it('skips a backfilled trade with reason BACKFILL and orders nothing', async () => {
    const f = await follow();
    const c = copier();
    const trade = await leaderFill('BUY', px(0.4), sh(100), { isBackfill: true });
    await c.onTrade(trade);
    expect(decisions).toMatchObject([{ decision: 'skip', reason: 'BACKFILL' }]);
    expect(await decisionRows()).toMatchObject([
      {
        decision: 'skip',
        reason_code: 'BACKFILL',
        follow_config_id: f.id,
        leader_trade_id: trade.id,
        order_id: null,
      },
    ]);
    expect(await orderRows()).toEqual([]);
  });

  it('decides a trade once, however often it is handed over', async () => {
    const f = await follow();
    const c = copier();
    const trade = await leaderFill('BUY', px(0.4), sh(100));
    await c.onTrade(trade);
    await c.onTrade(trade);
    await Promise.all([c.onTrade(trade), c.onTrade(trade)]);
    // A second copier (a restart, another process) over the same store decides nothing more.
    await copier().onTrade(trade);

    expect(await decisionRows()).toHaveLength(1);
    expect((await orderRows()).map((o) => o.idempotency_key)).toEqual([`copy:${f.id}:${trade.key}`]);
    expect(await store.db.selectFrom('fills').selectAll().execute()).toHaveLength(1);
    expect(await sharesHeld(f.accountId)).toBe(sh(30));
    expect(decisions).toHaveLength(1);
    expect(c.stats()).toMatchObject({ trades: 4, decisions: 1, copies: 1 });
  });

  it('two follows of one leader each decide, each with its own order', async () => {
    const a = await follow('alpha');
    const b = await follow('beta');
    const c = copier();
    const trade = await leaderFill('BUY', px(0.4), sh(100));
    await c.onTrade(trade);

    const rows = await decisionRows();
    expect(rows.map((d) => [d.follow_config_id, d.decision]).sort()).toEqual(
      [
        [a.id, 'copy'],
        [b.id, 'copy'],
      ].sort(),
    );
    expect((await orderRows()).map((o) => [o.idempotency_key, o.account_id, o.status]).sort()).toEqual(
      [
        [`copy:${a.id}:${trade.key}`, a.accountId, 'FILLED'],
        [`copy:${b.id}:${trade.key}`, b.accountId, 'FILLED'],
      ].sort(),
    );
    expect(await sharesHeld(a.accountId)).toBe(sh(30));
    expect(await sharesHeld(b.accountId)).toBe(sh(30));
  });

  it('a paused follow does not copy; a closed source gate skips with SOURCES_DOWN', async () => {
    const f = await follow();
    await store.db.updateTable('follow_configs').set({ paused: 1 }).where('id', '=', f.id).execute();
    const c = copier();
    await c.onTrade(await leaderFill('BUY', px(0.4), sh(100)));
    expect(await decisionRows()).toEqual([]);

    await store.db.updateTable('follow_configs').set({ paused: 0 }).where('id', '=', f.id).execute();
    gate = { open: false, down: ['api'], reason: 'every trigger source is down (api)' };
    await c.onTrade(await leaderFill('BUY', px(0.4), sh(100)));
    expect(await decisionRows()).toMatchObject([{ decision: 'skip', reason_code: 'SOURCES_DOWN' }]);
    expect(await orderRows()).toEqual([]);
  });
});

forEachEngine('copier routing by account mode', (engine) => {
  it('a live account’s copy goes the live way (no live broker here: rejected before sending), never to paper', async () => {
    const world = await startWorld(1);
    const t = await openTestStore(engine);
    try {
      await world.rest(world.yes, 'SELL', 0.4, 200);
      const p = pipeline(t.store, world);
      const now = p.clock.now();
      await t.store.db
        .insertInto('accounts')
        .values({
          name: 'real',
          address: '0x00000000000000000000000000000000000000bb',
          signature_type: 0,
          mode: 'live',
          created_at: now,
          updated_at: now,
        })
        .execute();
      const f = (
        await addFollow(
          t.store,
          {
            account: 'real',
            leader: LEADER,
            paperStartingCashUsdc: CASH,
            sizing: { mode: 'fixed_usd', amountUsdc: 12_000_000 },
            slippageBps: 0,
          },
          now,
          'test',
        )
      ).follow;
      const c = makeCopier(t.store, p, { liveBalance: async () => CASH as Usdc });
      const out = await ingestSighting(
        { store: t.store, now: () => p.clock.now(), resolveToken: async () => null },
        {
          kind: 'fill',
          source: 'api',
          leader: LEADER,
          txHash: `0x${'ab'.repeat(32)}`,
          tokenId: world.yes,
          conditionId: world.conditionId,
          outcome: 'Yes',
          outcomeIndex: 0,
          side: 'BUY',
          price: px(0.4),
          size: sh(50),
          usdc: notional(sh(50), px(0.4), 'floor'),
          fee: null,
          role: 'taker',
          blockNumber: null,
          logIndex: null,
          part: 'row-0',
          tradeTimeMs: now - 1_000,
          seenAtMs: now,
          isBackfill: false,
          raw: {},
        },
      );
      if (out.status !== 'new') throw new Error(out.status);
      await c.onTrade(out.trade);
      const orders = await t.store.db.selectFrom('orders').selectAll().execute();
      expect(orders).toHaveLength(1);
      expect(orders[0]).toMatchObject({ follow_config_id: f.id, is_paper: 0, status: 'REJECTED' });
      expect(orders[0]!.error).toMatch(/^NO_LIVE_BROKER/);
      expect(await t.store.db.selectFrom('fills').selectAll().execute()).toEqual([]);
    } finally {
      await t.dispose();
      await world.stop();
    }
  });
});
