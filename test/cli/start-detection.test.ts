import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Simulator, startSimulator } from '../../src/sim/simulator.ts';
import { venueConfig } from '../../src/sim/venue-config.ts';
import { openStore } from '../../src/store/index.ts';
import { runCli, startCli } from '../support/cli.ts';

const LEADER = '0x1eade20000000000000000000000000000000c03';

describe('polyhunter start follows a configured leader on the simulator', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 81, blockTimeMs: 300, dataApiLagMs: 500 });
  });
  afterAll(async () => {
    await sim?.stop();
  });

  const configure = (dir: string) =>
    writeFileSync(
      join(dir, 'polyhunter.toml'),
      [
        '[log]',
        'format = "json"',
        venueConfig(sim),
        '[trading]',
        'trigger_sources = ["api", "rtds", "chain"]',
        '[[leaders]]',
        `address = "${LEADER}"`,
        'label = "whale"',
      ].join('\n'),
    );
  const leaderTrades = async (dir: string) => {
    const store = await openStore(`sqlite:${join(dir, 'data/polyhunter.db')}`);
    try {
      return await store.db.selectFrom('leader_trades').select(['tx_hash', 'size', 'is_backfill']).execute();
    } finally {
      await store.close();
    }
  };

  it('logs the detection setup once, then stores the leader trade the moment a source sees it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ph-start-'));
    configure(dir);
    const app = startCli(['start'], { cwd: dir });
    try {
      await app.waitFor(/running in PAPER mode/, 20_000);
      expect(app.output()).toMatch(/"msg":"leader detection: api \+ rtds \+ chain"/);
      expect(app.output()).toMatch(/"msg":"leader whale: flat start, API cursor none \(starts now\)"/);
      await new Promise((r) => setTimeout(r, 1500));

      const yes = sim.venue.catalog.markets.find((m) => !m.negRisk)!.tokens[0].tokenId;
      await vi.waitFor(() => expect(sim.venue.engine.topOfBook(yes)?.bestAsk).toBeTruthy(), {
        timeout: 10_000,
      });
      const leaders = sim.traders!.leaders;
      leaders.add({ name: 'whale', address: LEADER, usdc: 1_000_000_000 as never });
      const done = await leaders.takeTrade(LEADER, { tokenId: yes, side: 'BUY', levels: 2 });
      const txHash = done.trades[0]!.txHash;

      await app.waitFor(new RegExp(`"status":"new".*"trade":"${txHash}:${LEADER}`), 15_000);
      app.child.kill('SIGINT');
      expect(await app.exited, app.output()).toBe(0);

      const store = await openStore(`sqlite:${join(dir, 'data/polyhunter.db')}`);
      try {
        const rows = await store.db
          .selectFrom('leader_trades')
          .select(['tx_hash', 'size', 'first_source'])
          .execute();
        expect(rows).toEqual([
          expect.objectContaining({ tx_hash: txHash, size: done.trades[0]!.trade.taker.shares }),
        ]);
      } finally {
        await store.close();
      }

      const json = await runCli(['trades', 'tail', '--json'], { cwd: dir });
      expect(json.code).toBe(0);
      const [view] = json.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(view).toMatchObject({ txHash, leader: LEADER, side: 'BUY', isBackfill: false });
      const seen = view!.seen as Record<string, number | null>;
      expect(seen[view!.firstSource as string]).toBeTypeOf('number');
      const text = await runCli(['trades', 'tail', '-n', '5'], { cwd: dir });
      expect(text.stdout).toMatch(
        /BUY .* @ 0\.\d+ +api (\+[\d.]+s|-) +rtds (\+[\d.]+s|-) +chain (\+[\d.]+s|-) +first (api|rtds|chain)/,
      );
      expect((await runCli(['trades', 'tail', '-n', 'all'], { cwd: dir })).stderr).toMatch(
        /--limit must be an integer/,
      );
    } finally {
      if (app.child.exitCode === null) app.child.kill('SIGKILL');
    }
  }, 60_000);

  it('after SIGKILL and a restart: nothing lost, nothing doubled, nothing from before the first start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ph-kill-'));
    configure(dir);
    const yes = sim.venue.catalog.markets.find((m) => !m.negRisk)!.tokens[0].tokenId;
    await vi.waitFor(() => expect(sim.venue.engine.topOfBook(yes)?.bestAsk).toBeTruthy(), {
      timeout: 10_000,
    });
    const leaders = sim.traders!.leaders;
    if (!leaders.get(LEADER)) leaders.add({ name: 'whale', address: LEADER });
    leaders.fund(LEADER, 1_000_000_000 as never);
    const trade = async (side: 'BUY' | 'SELL') => {
      const d = await leaders.takeTrade(
        LEADER,
        side === 'BUY'
          ? { tokenId: yes, side, usdc: 10_000_000 as never }
          : { tokenId: yes, side, fraction: 250_000 as never },
      );
      expect(d.result.success).toBe(true);
      return d.trades[0]!;
    };

    // History: traded before PolyHunter ever started; a flat start must never ingest it.
    const before = await trade('BUY');
    await new Promise((r) => setTimeout(r, 1100));

    const first = startCli(['start'], { cwd: dir });
    await first.waitFor(/running in PAPER mode/, 20_000);
    await new Promise((r) => setTimeout(r, 1500));
    const live = await trade('BUY');
    await first.waitFor(new RegExp(`"status":"new".*"trade":"${live.txHash}`), 15_000);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe(128);

    // Trades while PolyHunter is down.
    const missed = [await trade('SELL'), await trade('BUY')];
    await new Promise((r) => setTimeout(r, 1000));

    const second = startCli(['start'], { cwd: dir });
    try {
      await second.waitFor(/running in PAPER mode/, 20_000);
      const expected = [live, ...missed].map((t) => t.txHash).sort();
      await vi.waitFor(
        async () => expect((await leaderTrades(dir)).map((r) => r.tx_hash).sort()).toEqual(expected),
        { timeout: 20_000, interval: 250 },
      );
      second.child.kill('SIGINT');
      expect(await second.exited, second.output()).toBe(0);
      const rows = await leaderTrades(dir);
      expect(rows).toHaveLength(3);
      expect(rows.map((r) => r.tx_hash)).not.toContain(before.txHash);
      // What happened while the process was down is late, not history: the catch-up policy,
      // not the backfill rule, decides whether it is copied.
      const byTx = new Map(rows.map((r) => [r.tx_hash, r]));
      expect(byTx.get(live.txHash)?.is_backfill).toBe(0);
      for (const m of missed) expect(byTx.get(m.txHash)?.is_backfill).toBe(0);
    } finally {
      if (second.child.exitCode === null) second.child.kill('SIGKILL');
    }
  }, 90_000);

  it('a warm start ingests exactly its window, as backfill', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ph-warm-'));
    const warm = '0x1eade20000000000000000000000000000000e05';
    configure(dir);
    const toml = join(dir, 'polyhunter.toml');
    writeFileSync(
      toml,
      `${readFileSync(toml, 'utf8').replace(LEADER, warm).replace('label = "whale"', 'label = "warm"\nstartup_mode = "warm"')}\n`,
    );
    writeFileSync(
      toml,
      readFileSync(toml, 'utf8').replace('[trading]', '[trading]\nwarm_start_seconds = 10'),
    );
    const yes = sim.venue.catalog.markets.find((m) => !m.negRisk)!.tokens[0].tokenId;
    await vi.waitFor(() => expect(sim.venue.engine.topOfBook(yes)?.bestAsk).toBeTruthy(), {
      timeout: 10_000,
    });
    const leaders = sim.traders!.leaders;
    leaders.add({ name: 'warm', address: warm, usdc: 1_000_000_000 as never });
    const buy = async () =>
      (await leaders.takeTrade(warm, { tokenId: yes, side: 'BUY', usdc: 10_000_000 as never })).trades[0]!;

    const outside = await buy(); // about 14 s before the start: outside the 10 s window
    await new Promise((r) => setTimeout(r, 12_500));
    const inside = await buy(); // about 1.5 s before the start: inside it
    await new Promise((r) => setTimeout(r, 1500));

    const app = startCli(['start'], { cwd: dir });
    try {
      await app.waitFor(/"msg":"leader warm: warm start/, 20_000);
      await vi.waitFor(
        async () => expect((await leaderTrades(dir)).map((r) => r.tx_hash)).toEqual([inside.txHash]),
        {
          timeout: 15_000,
          interval: 250,
        },
      );
      await new Promise((r) => setTimeout(r, 1500));
      const rows = await leaderTrades(dir);
      expect(rows).toEqual([expect.objectContaining({ tx_hash: inside.txHash, is_backfill: 1 })]);
      expect(rows.map((r) => r.tx_hash)).not.toContain(outside.txHash);
      app.child.kill('SIGINT');
      expect(await app.exited, app.output()).toBe(0);
    } finally {
      if (app.child.exitCode === null) app.child.kill('SIGKILL');
    }
  }, 90_000);
});
