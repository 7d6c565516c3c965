/**
 * Paper copy trading end to end, through the real `polyhunter` process against the simulator
 * (books from its market makers, all three detection sources): follows added with the CLI, a
 * scripted run of leader trades, a SIGKILL in the middle and a restart. The database must then
 * hold exactly one decision per follow and trade, the expected copy, refusal (with its reason and
 * numbers) and proportional sell, and a ledger whose positions and cash are exactly its fills.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MICRO, notional, type Price, roundToLot, SHARE_LOT, type Shares } from '../../src/core/money.ts';
import { type Simulator, startSimulator } from '../../src/sim/simulator.ts';
import { venueConfig } from '../../src/sim/venue-config.ts';
import { openStore } from '../../src/store/index.ts';
import { runCli, startCli } from '../support/cli.ts';

const WHALE = '0x3a1e000000000000000000000000000000000e01';
const SHARK = '0x5a4c000000000000000000000000000000000e02';

describe('paper copy trading, end to end with a SIGKILL', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 91, blockTimeMs: 500, dataApiLagMs: 800 });
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('copies, refuses and sells exactly once each, and the ledger is exactly its fills', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ph-copy-e2e-'));
    writeFileSync(
      join(dir, 'polyhunter.toml'),
      [
        '[log]',
        'format = "json"',
        venueConfig(sim),
        '[trading]',
        'trigger_sources = ["api", "rtds", "chain"]',
        'paper_starting_cash_usd = 500',
        '[risk]',
        'max_per_trade_usd = 30',
        '[[leaders]]',
        `address = "${WHALE}"`,
        'label = "whale"',
        '[[leaders]]',
        `address = "${SHARK}"`,
        'label = "shark"',
      ].join('\n'),
    );
    for (const args of [
      ['follow', 'add', WHALE, '--fixed', '20', '--slippage-bps', '500'],
      ['follow', 'add', SHARK, '--leader-pct', '50'],
    ]) {
      const r = await runCli(args, { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
    }

    const [binary0, binary1] = sim.venue.catalog.markets.filter((m) => !m.negRisk);
    const whaleToken = binary0!.tokens[0].tokenId;
    const sharkToken = binary1!.tokens[0].tokenId;
    await vi.waitFor(
      () => {
        expect(sim.venue.engine.topOfBook(whaleToken)?.bestAsk).toBeTruthy();
        expect(sim.venue.engine.topOfBook(sharkToken)?.bestAsk).toBeTruthy();
      },
      { timeout: 15_000 },
    );
    const leaders = sim.traders!.leaders;
    leaders.add({ name: 'whale', address: WHALE, usdc: 2_000_000_000 as never });
    leaders.add({ name: 'shark', address: SHARK, usdc: 2_000_000_000 as never });
    const trade = async (address: string, req: Parameters<typeof leaders.takeTrade>[1]) => {
      const done = await leaders.takeTrade(address, req);
      expect(done.result.success, done.result.errorMsg).toBe(true);
      return done.trades[0]!.txHash;
    };

    const db = `sqlite:${join(dir, 'data/polyhunter.db')}`;
    const query = async <T>(run: (s: Awaited<ReturnType<typeof openStore>>) => Promise<T>) => {
      const s = await openStore(db);
      try {
        return await run(s);
      } finally {
        await s.close();
      }
    };
    const decisions = () =>
      query((s) =>
        s.db
          .selectFrom('copy_decisions')
          .innerJoin('leader_trades', 'leader_trades.id', 'copy_decisions.leader_trade_id')
          .select(['copy_decisions.follow_config_id', 'leader_trades.tx_hash', 'decision', 'reason_code'])
          .orderBy('copy_decisions.id')
          .execute(),
      );
    const waitDecisions = (n: number) =>
      vi.waitFor(async () => expect((await decisions()).length).toBeGreaterThanOrEqual(n), {
        timeout: 25_000,
        interval: 300,
      });

    // --- first run: a copied buy and a refused one
    const first = startCli(['start'], { cwd: dir });
    await first.waitFor(/running in PAPER mode/, 20_000);
    await new Promise((r) => setTimeout(r, 1500));
    const buy1 = await trade(WHALE, { tokenId: whaleToken, side: 'BUY', usdc: 30_000_000 as never });
    const big = await trade(SHARK, { tokenId: sharkToken, side: 'BUY', usdc: 100_000_000 as never });
    await waitDecisions(2);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe(128);

    // --- while it is down: the whale sells half
    const sell = await trade(WHALE, { tokenId: whaleToken, side: 'SELL', fraction: 500_000 as never });

    // --- second run: the missed sell is copied (late, but sells always reduce), then a live buy
    const second = startCli(['start'], { cwd: dir });
    try {
      await second.waitFor(/running in PAPER mode/, 20_000);
      await waitDecisions(3);
      const buy2 = await trade(WHALE, { tokenId: whaleToken, side: 'BUY', usdc: 25_000_000 as never });
      await waitDecisions(4);
      await new Promise((r) => setTimeout(r, 2500)); // every source has reported by now
      second.child.kill('SIGINT');
      expect(await second.exited, second.output()).toBe(0);

      const all = await decisions();
      const follows = await query((s) =>
        s.db.selectFrom('follow_configs').select(['id', 'leader_address']).execute(),
      );
      const followOf = (leader: string) => follows.find((f) => f.leader_address === leader)!.id;
      // Exactly one decision per follow and trade: nothing doubled by the restart or the three sources.
      expect(all.map((d) => [d.follow_config_id, d.tx_hash, d.decision, d.reason_code])).toEqual([
        [followOf(WHALE), buy1, 'copy', null],
        [followOf(SHARK), big, 'refused', 'TRADE_CAP'],
        [followOf(WHALE), sell, 'copy', null],
        [followOf(WHALE), buy2, 'copy', null],
      ]);
      const trades = await query((s) =>
        s.db.selectFrom('leader_trades').select(['tx_hash', 'side', 'size', 'pre_trade_shares']).execute(),
      );
      expect(trades.map((t) => t.tx_hash).sort()).toEqual([buy1, big, sell, buy2].sort());

      // The refusal says why, with the numbers: $50 (50% of the shark's $100) over the $30 cap.
      const events = await query((s) => s.db.selectFrom('guardrail_events').selectAll().execute());
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ reason_code: 'TRADE_CAP', leader_address: SHARK });
      expect(JSON.parse(events[0]!.context)).toMatchObject({ maxPerTradeUsdc: 30 * MICRO });

      // Orders: one per copy decision (the refused one REJECTED), keys unique by construction.
      const orders = await query((s) => s.db.selectFrom('orders').selectAll().orderBy('id').execute());
      expect(orders.map((o) => [o.side, o.status])).toEqual([
        ['BUY', expect.stringMatching(/^(FILLED|PARTIAL)$/)],
        ['BUY', 'REJECTED'],
        ['SELL', expect.stringMatching(/^(FILLED|PARTIAL)$/)],
        ['BUY', expect.stringMatching(/^(FILLED|PARTIAL)$/)],
      ]);

      // The proportional sell: our holding then x the leader's sale / the leader's holding before it.
      const fills = await query((s) => s.db.selectFrom('fills').selectAll().orderBy('id').execute());
      const held = fills.filter((f) => f.order_id === orders[0]!.id).reduce((n, f) => n + f.size, 0);
      const leaderSell = trades.find((t) => t.tx_hash === sell)!;
      const expectedSell = roundToLot(
        Math.floor((held * leaderSell.size) / leaderSell.pre_trade_shares!) as Shares,
        SHARE_LOT,
        'floor',
      );
      expect(orders[2]!.size).toBe(expectedSell);

      // The ledger is exactly its fills: shares per token and cash to the micro.
      const positions = await query((s) => s.db.selectFrom('positions').selectAll().execute());
      const account = await query((s) => s.db.selectFrom('accounts').selectAll().executeTakeFirstOrThrow());
      let cash = 500 * MICRO;
      const shares = new Map<string, number>();
      for (const f of fills) {
        const value = notional(f.size as Shares, f.price as Price, f.side === 'BUY' ? 'ceil' : 'floor');
        cash += f.side === 'BUY' ? -(value + f.fee) : value - f.fee;
        shares.set(f.token_id, (shares.get(f.token_id) ?? 0) + (f.side === 'BUY' ? f.size : -f.size));
      }
      expect(account.cash).toBe(cash);
      expect(new Map(positions.map((p) => [p.token_id, p.shares]))).toEqual(shares);
    } finally {
      if (second.child.exitCode === null) second.child.kill('SIGKILL');
    }
  }, 150_000);
});
