/**
 * The order manager end to end: intents against the simulator's real books (REST /book through
 * the quote source), the catalog read from its Gamma, and a real store. What is asserted is what
 * the database holds afterwards: the order row and its stage timings, fills, position, cash,
 * guardrail events and copy decisions.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addFollow } from '../../src/copy/follows.ts';
import { notional, type Usdc } from '../../src/core/money.ts';
import { PENDING_EXPIRY_MS } from '../../src/execution/order-manager.ts';
import { accountsRepo, insertOrderIntent, type Store } from '../../src/store/index.ts';
import { leaderTrade } from '../store/fixtures.ts';
import { forEachEngine, openTestStore, type TestStore } from '../support/engines.ts';
import {
  expectedFee,
  intent,
  type Pipeline,
  pipeline,
  px,
  type SimWorld,
  sh,
  startWorld,
} from './support.ts';

const CASH = 100_000_000; // $100
const LEADER = '0x1eade20000000000000000000000000000000001';

/**
 * YES asks 0.40 x 6, 0.41 x 10, 0.45 x 50 and bids 0.38 x 20, 0.37 x 20. (The venue keeps one book
 * per market: NO's book is its mirror, asks at 1 - the YES bids and bids at 1 - the YES asks.)
 */
async function standardBook(world: SimWorld): Promise<void> {
  const { yes } = world;
  await world.rest(yes, 'SELL', 0.4, 6);
  await world.rest(yes, 'SELL', 0.41, 10);
  await world.rest(yes, 'SELL', 0.45, 50);
  await world.rest(yes, 'BUY', 0.38, 20);
  await world.rest(yes, 'BUY', 0.37, 20);
}

forEachEngine('order manager against the simulator', (engine) => {
  let world: SimWorld;
  let t: TestStore;
  let store: Store;
  let p: Pipeline;
  let accountId: number;

  beforeEach(async () => {
    // A venue per test: paper fills leave its books alone, but a test's maker orders do not.
    world = await startWorld(1);
    await standardBook(world);
    t = await openTestStore(engine);
    store = t.store;
    p = pipeline(store, world);
    accountId = (await accountsRepo(store.db).ensurePaper('paper', CASH, p.clock.now())).id;
  });
  afterEach(async () => {
    await t?.dispose();
    await world?.stop();
  });

  const orders = () => store.db.selectFrom('orders').selectAll().orderBy('id').execute();
  const order = (id: number) =>
    store.db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const fills = (orderId?: number) => {
    let q = store.db.selectFrom('fills').selectAll().orderBy('id');
    if (orderId !== undefined) q = q.where('order_id', '=', orderId);
    return q.execute();
  };
  const cash = async (id = accountId) =>
    (await store.db.selectFrom('accounts').select('cash').where('id', '=', id).executeTakeFirstOrThrow())
      .cash;
  const position = (tokenId = world.yes) =>
    store.db
      .selectFrom('positions')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('token_id', '=', tokenId)
      .executeTakeFirst();
  const guardrails = () => store.db.selectFrom('guardrail_events').selectAll().orderBy('id').execute();
  const stages = (row: Awaited<ReturnType<typeof order>>) => [
    row.prewrite_us,
    row.risk_us,
    row.pricing_us,
    row.preflight_us,
    row.execution_us,
    row.persistence_us,
  ];

  it('a BUY walks the asks and books fills, position and cash exactly', async () => {
    const out = await p.orders.place(
      intent(world, { accountId, side: 'BUY', size: sh(10), limitPrice: px(0.42) }),
    );
    // 6 @ 0.40 then 4 @ 0.41; fees at 7%: 6 x 0.07 x 0.24 = 0.1008, 4 x 0.07 x 0.41 x 0.59 = 0.067732 -> 0.06773.
    const fee1 = expectedFee(sh(6), px(0.4), world.feeRate);
    const fee2 = expectedFee(sh(4), px(0.41), world.feeRate);
    expect([fee1, fee2]).toEqual([100_800, 67_730]);
    const cost = 2_400_000 + 1_640_000 + fee1 + fee2;
    expect(out).toEqual({
      kind: 'executed',
      orderId: expect.any(Number),
      status: 'FILLED',
      filledShares: sh(10),
      avgPrice: px(0.404),
      cash: cost,
      fees: fee1 + fee2,
      realized: 0,
      priceSource: 'book',
      note: null,
    });
    if (out.kind !== 'executed') return;

    const row = await order(out.orderId);
    expect(row).toMatchObject({
      status: 'FILLED',
      filled_size: sh(10),
      size: sh(10),
      limit_price: px(0.42),
      is_paper: 1,
      error: null,
    });
    expect(row.done_at).not.toBeNull();
    expect(row.first_fill_at).not.toBeNull();
    expect(
      (await fills()).map((f) => [
        f.venue_trade_id,
        f.side,
        f.price,
        f.size,
        f.fee,
        f.price_source,
        f.status,
      ]),
    ).toEqual([
      [`paper-${out.orderId}-0`, 'BUY', px(0.4), sh(6), fee1, 'book', 'CONFIRMED'],
      [`paper-${out.orderId}-1`, 'BUY', px(0.41), sh(4), fee2, 'book', 'CONFIRMED'],
    ]);
    expect(await position()).toMatchObject({ shares: sh(10), cost, realized_pnl: 0 });
    expect(await cash()).toBe(CASH - cost);
    expect(p.events).toHaveLength(1);
    expect(p.events[0]).toMatchObject({ orderId: out.orderId, outcome: { kind: 'executed' } });
  });

  it('stores the six stage timings on a filled order', async () => {
    const out = await p.orders.place(
      intent(world, { accountId, side: 'BUY', size: sh(5), limitPrice: px(0.4) }),
    );
    expect(out).toMatchObject({ kind: 'executed', status: 'FILLED' });
    const row = await order(out.kind === 'executed' ? out.orderId : -1);
    for (const us of stages(row)) {
      expect(us).not.toBeNull();
      expect(us).toBeGreaterThanOrEqual(0);
    }
    // A round trip to the simulator's REST /book happens in the risk stage.
    expect(row.risk_us).toBeGreaterThan(0);
  });

  it('the same idempotency key twice is one order with one set of fills', async () => {
    const i = intent(world, { accountId, side: 'BUY', size: sh(10), limitPrice: px(0.42) });
    const first = await p.orders.place(i);
    const second = await p.orders.place(i);
    expect(first.kind).toBe('executed');
    expect(second).toEqual({ kind: 'duplicate', orderId: null });
    // Also when both arrive at once.
    const j = intent(world, { accountId, side: 'BUY', size: sh(5), limitPrice: px(0.42) });
    const both = await Promise.all([p.orders.place(j), p.orders.place(j)]);
    expect(both.map((o) => o.kind).sort()).toEqual(['duplicate', 'executed']);

    expect((await orders()).map((o) => o.idempotency_key)).toEqual([i.idempotencyKey, j.idempotencyKey]);
    expect(await fills()).toHaveLength(2 + 1);
    expect((await position())?.shares).toBe(sh(15));
  });

  it('a risk refusal leaves the order REJECTED with guardrail events and the decision refused', async () => {
    p = pipeline(store, world, { limits: { maxPerTradeUsdc: 1_000_000 as Usdc } });
    const follow = await addFollow(
      store,
      {
        account: 'paper',
        leader: LEADER,
        paperStartingCashUsdc: CASH,
        sizing: { mode: 'fixed_usd', amountUsdc: 4_000_000 },
      },
      p.clock.now(),
      'test',
    );
    const trade = await store.db
      .insertInto('leader_trades')
      .values(leaderTrade({ leader_address: LEADER, condition_id: world.conditionId, token_id: world.yes }))
      .returning('id')
      .executeTakeFirstOrThrow();
    const i = intent(world, {
      accountId,
      origin: 'copy',
      followConfigId: follow.follow.id,
      leaderTradeId: trade.id,
      leaderAddress: LEADER,
      side: 'BUY',
      size: sh(10),
      limitPrice: px(0.4),
      leaderPrice: px(0.4),
      leaderTradeUsdc: 5_500_000 as Usdc,
      decision: { detail: 'copy of the leader', numbers: { size: sh(10) } },
    });
    const out = await p.orders.place(i);
    expect(out).toMatchObject({ kind: 'refused', refusals: [{ code: 'TRADE_CAP' }] });
    if (out.kind !== 'refused') return;

    const row = await order(out.orderId);
    expect(row.status).toBe('REJECTED');
    expect(row.error).toMatch(/^TRADE_CAP: /);
    expect(row.done_at).not.toBeNull();
    // Refused in the risk stage: nothing after it ran.
    expect(stages(row).map((us) => us !== null)).toEqual([true, true, false, false, false, false]);

    const events = await guardrails();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      reason_code: 'TRADE_CAP',
      account_id: accountId,
      leader_address: LEADER,
      token_id: world.yes,
      idempotency_key: i.idempotencyKey,
    });
    expect(JSON.parse(events[0]!.context)).toEqual({
      message: expect.stringContaining('per-trade cap'),
      notionalUsdc: notional(sh(10), px(0.4), 'ceil'),
      maxPerTradeUsdc: 1_000_000,
    });

    const decisions = await store.db.selectFrom('copy_decisions').selectAll().execute();
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toMatchObject({
      decision: 'refused',
      reason_code: 'TRADE_CAP',
      order_id: out.orderId,
      follow_config_id: follow.follow.id,
      leader_trade_id: trade.id,
    });
    expect(await fills()).toEqual([]);
    expect(await cash()).toBe(CASH);
  });

  it('insufficient cash is rejected in preflight', async () => {
    await store.db.updateTable('accounts').set({ cash: 3_000_000 }).where('id', '=', accountId).execute();
    const i = intent(world, { accountId, side: 'BUY', size: sh(10), limitPrice: px(0.42) });
    const out = await p.orders.place(i);
    expect(out).toMatchObject({ kind: 'rejected', code: 'INSUFFICIENT_CASH' });
    if (out.kind !== 'rejected') return;
    expect(out.reason).toBe('the fill would cost $4.20853 with fees, the account has $3');
    const row = await order(out.orderId);
    expect(row.status).toBe('REJECTED');
    expect(row.error).toMatch(/^INSUFFICIENT_CASH: /);
    expect(stages(row).map((us) => us !== null)).toEqual([true, true, true, true, false, false]);
    expect((await guardrails()).map((g) => [g.reason_code, g.idempotency_key])).toEqual([
      ['INSUFFICIENT_CASH', i.idempotencyKey],
    ]);
    expect(await fills()).toEqual([]);
    expect(await cash()).toBe(3_000_000);
    expect(await position()).toBeUndefined();
  });

  it('a GTC BUY whose rest the cash cannot cover is rejected: the rest is paid when it fills', async () => {
    // 6 fill now at 0.40 ($2.40 + fee); the other 94 would rest at 0.40 ($37.60): $40 > $10.
    await store.db.updateTable('accounts').set({ cash: 10_000_000 }).where('id', '=', accountId).execute();
    const out = await p.orders.place(
      intent(world, {
        accountId,
        side: 'BUY',
        size: sh(100),
        limitPrice: px(0.4),
        orderType: 'GTC',
        ttlMs: 60_000,
      }),
    );
    expect(out).toMatchObject({ kind: 'rejected', code: 'INSUFFICIENT_CASH' });
    expect(await cash()).toBe(10_000_000);
  });

  it('a FAK partly filled and finished commits no more exposure than its fills', async () => {
    const out = await p.orders.place(
      intent(world, { accountId, side: 'BUY', size: sh(100), limitPrice: px(0.4), orderType: 'FAK' }),
    );
    expect(out).toMatchObject({ kind: 'executed', status: 'PARTIAL', filledShares: sh(6) });
    const { exposureOf } = await import('../../src/store/index.ts');
    const exposure = await exposureOf(store.db, accountId, world.conditionId, null);
    // Only the 6 held at cost (0.40 x 6 + fee), not the cancelled rest of 94 at 0.40.
    expect(exposure.marketUsdc).toBe((await position())!.cost);
  });

  it('a SELL of more than held is rejected; of what is held, it realizes PnL', async () => {
    const none = await p.orders.place(
      intent(world, { accountId, side: 'SELL', size: sh(5), limitPrice: px(0.37) }),
    );
    expect(none).toMatchObject({ kind: 'rejected', code: 'INSUFFICIENT_SHARES' });

    await p.orders.place(intent(world, { accountId, side: 'BUY', size: sh(6), limitPrice: px(0.4) }));
    const bought = await position();
    expect(bought?.shares).toBe(sh(6));
    const tooMany = await p.orders.place(
      intent(world, { accountId, side: 'SELL', size: sh(6.01), limitPrice: px(0.37) }),
    );
    expect(tooMany).toMatchObject({
      kind: 'rejected',
      code: 'INSUFFICIENT_SHARES',
      reason: 'selling 6.01 shares but holding 6',
    });
    expect((await position())?.shares).toBe(sh(6));

    const cashBefore = await cash();
    const sold = await p.orders.place(
      intent(world, { accountId, side: 'SELL', size: sh(6), limitPrice: px(0.37) }),
    );
    const fee = expectedFee(sh(6), px(0.38), world.feeRate);
    const proceeds = 2_280_000 - fee;
    expect(sold).toMatchObject({ kind: 'executed', status: 'FILLED', cash: proceeds, fees: fee });
    expect(await cash()).toBe(cashBefore + proceeds);
    expect(await position()).toMatchObject({ shares: 0, cost: 0, realized_pnl: proceeds - bought!.cost });
  });

  it('with no book at all, fills at the leader’s price marked leader_fallback', async () => {
    // A token the venue has no book for: /book answers 404.
    const out = await p.orders.place(
      intent(world, {
        accountId,
        tokenId: '42',
        side: 'BUY',
        size: sh(10),
        limitPrice: px(0.5),
        leaderPrice: px(0.45),
      }),
    );
    const fee = expectedFee(sh(10), px(0.45), world.feeRate);
    expect(out).toMatchObject({
      kind: 'executed',
      status: 'FILLED',
      priceSource: 'leader_fallback',
      cash: 4_500_000 + fee,
    });
    expect((await fills()).map((f) => [f.price, f.size, f.price_source])).toEqual([
      [px(0.45), sh(10), 'leader_fallback'],
    ]);
    // Beyond the limit: nothing.
    const beyond = await p.orders.place(
      intent(world, {
        accountId,
        tokenId: '42',
        side: 'BUY',
        size: sh(10),
        limitPrice: px(0.4),
        leaderPrice: px(0.45),
      }),
    );
    expect(beyond).toMatchObject({
      kind: 'executed',
      status: 'CANCELLED',
      filledShares: 0,
      priceSource: null,
    });
  });

  describe('recover()', () => {
    const writePending = (key: string, createdAt: number) =>
      insertOrderIntent(
        store.db,
        {
          idempotencyKey: key,
          accountId,
          followConfigId: null,
          leaderTradeId: null,
          origin: 'manual',
          conditionId: world.conditionId,
          tokenId: world.yes,
          side: 'BUY',
          orderType: 'FOK',
          limitPrice: px(0.42),
          size: sh(10),
          isPaper: true,
          leaderPrice: null,
          catchUp: false,
          expiresAt: null,
        },
        createdAt,
      );

    it('fails a PENDING order older than 10 minutes without executing it', async () => {
      const id = (await writePending('old', p.clock.now() - PENDING_EXPIRY_MS - 1))!;
      expect(await p.orders.recover()).toEqual({ expired: 1, resumed: 0 });
      const row = await order(id);
      expect(row.status).toBe('FAILED');
      expect(row.error).toMatch(/PENDING for over 10 minutes/);
      expect(row.done_at).toBe(p.clock.now());
      expect(await fills()).toEqual([]);
      expect(await cash()).toBe(CASH);
      // Done with: a second recovery leaves it alone.
      expect(await p.orders.recover()).toEqual({ expired: 0, resumed: 0 });
    });

    it('resumes a young PENDING paper order exactly once', async () => {
      const id = (await writePending('young', p.clock.now() - 60_000))!;
      expect(await p.orders.recover()).toEqual({ expired: 0, resumed: 1 });
      const row = await order(id);
      expect(row).toMatchObject({ status: 'FILLED', filled_size: sh(10) });
      expect(
        stages(row)
          .slice(1)
          .every((us) => us !== null),
      ).toBe(true);
      expect(await fills(id)).toHaveLength(2);
      const after = await cash();
      expect(after).toBeLessThan(CASH);

      expect(await p.orders.recover()).toEqual({ expired: 0, resumed: 0 });
      expect(await fills(id)).toHaveLength(2);
      expect(await cash()).toBe(after);
    });

    it('two recoveries racing book the order once', async () => {
      const id = (await writePending('raced', p.clock.now() - 1_000))!;
      const other = pipeline(store, world, { clock: p.clock });
      await Promise.all([p.orders.recover(), other.orders.recover()]);
      expect(await order(id)).toMatchObject({ status: 'FILLED', filled_size: sh(10) });
      expect(await fills(id)).toHaveLength(2);
      expect((await position())?.shares).toBe(sh(10));
      const outcomes = [...p.events, ...other.events].map((e) => e.outcome.kind);
      expect(outcomes.filter((k) => k === 'executed')).toHaveLength(1);
      // The loser should report a 'duplicate' (ConcurrentSettle); today it inserts the same fill
      // ids first and reports 'failed' on the unique constraint, counting a breaker failure for
      // an order that filled. The database is right either way, which is what is asserted above.
      expect(outcomes).toHaveLength(2);
    });
  });

  describe('resting GTC orders', () => {
    it('rest, then fill on a sweep once a maker order crosses them', async () => {
      // The best YES ask is 0.40: a GTC BUY at 0.39 rests whole.
      const out = await p.orders.place(
        intent(world, {
          accountId,
          side: 'BUY',
          size: sh(20),
          limitPrice: px(0.39),
          orderType: 'GTC',
          ttlMs: 60_000,
        }),
      );
      expect(out).toMatchObject({ kind: 'executed', status: 'LIVE', filledShares: 0 });
      if (out.kind !== 'executed') return;
      const placedAt = p.clock.now();
      expect(await order(out.orderId)).toMatchObject({
        status: 'LIVE',
        done_at: null,
        expires_at: placedAt + 60_000,
      });
      expect(await cash()).toBe(CASH);

      // Nothing crosses yet: a sweep changes nothing.
      await p.orders.sweepResting();
      expect(await order(out.orderId)).toMatchObject({ status: 'LIVE', filled_size: 0 });

      // A maker offers 11 at 0.39 (above the 0.38 bid, so it rests): 11 cross. The sweep reads
      // the book again once the quote cache's 5 s have passed.
      await world.rest(world.yes, 'SELL', 0.39, 11);
      await p.clock.advance(6_000);
      await p.orders.sweepResting();
      let row = await order(out.orderId);
      expect(row).toMatchObject({
        status: 'PARTIAL',
        filled_size: sh(11),
        done_at: null,
        first_fill_at: placedAt + 6_000,
      });
      // At its own limit, as a maker: no fee.
      expect((await fills(out.orderId)).map((f) => [f.price, f.size, f.fee])).toEqual([
        [px(0.39), sh(11), 0],
      ]);
      expect(await position()).toMatchObject({ shares: sh(11), cost: 4_290_000 });

      // Paper fills leave the venue's book alone, so the sweep sees 11 + 9 = 20 crossing now and
      // fills the 9 that remain.
      await world.rest(world.yes, 'SELL', 0.39, 9);
      await p.clock.advance(6_000);
      await p.orders.sweepResting();
      row = await order(out.orderId);
      expect(row).toMatchObject({ status: 'FILLED', filled_size: sh(20), done_at: placedAt + 12_000 });
      expect((await fills(out.orderId)).map((f) => f.size)).toEqual([sh(11), sh(9)]);
      expect(await position()).toMatchObject({ shares: sh(20), cost: 7_800_000 });
      expect(await cash()).toBe(CASH - 7_800_000);
    });

    it('expire after their TTL', async () => {
      const out = await p.orders.place(
        intent(world, {
          accountId,
          side: 'BUY',
          size: sh(10),
          limitPrice: px(0.3),
          orderType: 'GTC',
          ttlMs: 10_000,
        }),
      );
      expect(out).toMatchObject({ kind: 'executed', status: 'LIVE' });
      if (out.kind !== 'executed') return;
      await p.clock.advance(9_999);
      await p.orders.sweepResting();
      expect((await order(out.orderId)).status).toBe('LIVE');
      await p.clock.advance(1);
      await p.orders.sweepResting();
      const row = await order(out.orderId);
      expect(row).toMatchObject({ status: 'EXPIRED', filled_size: 0, error: 'GTC expired' });
      expect(row.done_at).toBe(p.clock.now());
      expect(await fills()).toEqual([]);
      // An expired order is done: later sweeps and crossing books leave it alone.
      await p.clock.advance(60_000);
      await p.orders.sweepResting();
      expect((await order(out.orderId)).status).toBe('EXPIRED');
    });

    it('a partly filled GTC keeps its fills when it expires', async () => {
      // YES asks: 6 at 0.40; a GTC BUY of 10 at 0.40 takes 6 and rests 4.
      const out = await p.orders.place(
        intent(world, {
          accountId,
          side: 'BUY',
          size: sh(10),
          limitPrice: px(0.4),
          orderType: 'GTC',
          ttlMs: 5_000,
        }),
      );
      expect(out).toMatchObject({ kind: 'executed', status: 'PARTIAL', filledShares: sh(6) });
      if (out.kind !== 'executed') return;
      expect((await order(out.orderId)).done_at).toBeNull();
      await p.clock.advance(5_000);
      await p.orders.sweepResting();
      const row = await order(out.orderId);
      expect(row).toMatchObject({ status: 'PARTIAL', filled_size: sh(6), error: 'GTC expired' });
      expect(row.done_at).not.toBeNull();
      expect((await position())?.shares).toBe(sh(6));
    });
  });
});
