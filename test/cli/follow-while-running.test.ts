/**
 * A follow added while PolyHunter runs takes effect without a restart: its leader is watched
 * from then on (flat: nothing before), and the leader's next trade is copied.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { type Simulator, startSimulator } from '../../src/sim/simulator.ts';
import { venueConfig } from '../../src/sim/venue-config.ts';
import { openStore } from '../../src/store/index.ts';
import { runCli, startCli } from '../support/cli.ts';

const LEADER = '0x1eade20000000000000000000000000000000c11';
const SECOND = '0x1eade20000000000000000000000000000000c12';
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: 93, chain: false, dataApiLagMs: 500 });
});
afterAll(async () => {
  await sim?.stop();
});

it('copies the next trade of a leader followed after start', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ph-follow-live-'));
  writeFileSync(
    join(dir, 'polyhunter.toml'),
    [
      '[log]',
      'format = "json"',
      venueConfig(sim, { polygon_ws_url: '' }),
      '[trading]',
      'trigger_sources = ["api", "rtds"]',
    ].join('\n'),
  );
  const token = sim.venue.catalog.markets.find((m) => !m.negRisk)!.tokens[0].tokenId;
  await vi.waitFor(() => expect(sim.venue.engine.topOfBook(token)?.bestAsk).toBeTruthy(), {
    timeout: 15_000,
  });
  const app = startCli(['start'], { cwd: dir });
  try {
    await app.waitFor(/running in PAPER mode/, 20_000);
    expect(app.output()).toMatch(/no leaders to follow/);
    const add = await runCli(['follow', 'add', LEADER, '--fixed', '10', '--slippage-bps', '500'], {
      cwd: dir,
    });
    expect(add.code, add.stderr).toBe(0);
    await app.waitFor(/leader detection: api \+ rtds/, 15_000);
    await new Promise((r) => setTimeout(r, 1500));

    const leaders = sim.traders!.leaders;
    leaders.add({ name: 'late', address: LEADER, usdc: 1_000_000_000 as never });
    const done = await leaders.takeTrade(LEADER, { tokenId: token, side: 'BUY', usdc: 20_000_000 as never });
    expect(done.result.success).toBe(true);
    let want = [{ decision: 'copy' }];
    const decided = () =>
      vi.waitFor(
        async () => {
          const store = await openStore(`sqlite:${join(dir, 'data/polyhunter.db')}`);
          try {
            const d = await store.db.selectFrom('copy_decisions').select(['decision']).execute();
            expect(d).toEqual(want);
          } finally {
            await store.close();
          }
        },
        { timeout: 20_000, interval: 400 },
      );
    await decided();

    // A second leader, while detection already runs: the running sources take it on.
    const second = await runCli(['follow', 'add', SECOND, '--fixed', '10', '--slippage-bps', '500'], {
      cwd: dir,
    });
    expect(second.code, second.stderr).toBe(0);
    await app.waitFor(/leaders changed: sources follow the new list/, 15_000);
    await new Promise((r) => setTimeout(r, 1000));
    leaders.add({ name: 'later', address: SECOND, usdc: 1_000_000_000 as never });
    const next = await leaders.takeTrade(SECOND, { tokenId: token, side: 'BUY', usdc: 20_000_000 as never });
    expect(next.result.success).toBe(true);
    want = [{ decision: 'copy' }, { decision: 'copy' }];
    await decided();
  } finally {
    app.child.kill('SIGINT');
  }
  expect(await app.exited, app.output()).toBe(0);
}, 90_000);

it('switches the trigger sources while running when trading.trigger_sources changes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ph-sources-live-'));
  writeFileSync(
    join(dir, 'polyhunter.toml'),
    [
      '[log]',
      'format = "json"',
      venueConfig(sim, { polygon_ws_url: '' }),
      '[trading]',
      'trigger_sources = ["api"]',
      '[[leaders]]',
      `address = "${SECOND}"`,
    ].join('\n'),
  );
  const app = startCli(['start'], { cwd: dir });
  try {
    await app.waitFor(/leader detection: api"/, 20_000);
    const set = await runCli(['config', 'set', 'trading.trigger_sources', '["api", "rtds"]'], { cwd: dir });
    expect(set.code, set.stderr).toBe(0);
    await app.waitFor(/trigger sources changed: restarting leader detection/, 15_000);
    await app.waitFor(/leader detection: api \+ rtds/, 15_000);
    await vi.waitFor(
      async () => {
        const status = await runCli(['status', '--json'], { cwd: dir });
        const components = (JSON.parse(status.stdout) as { components: { component: string }[] }).components;
        expect(components.map((c) => c.component)).toContain('detection.rtds');
      },
      { timeout: 15_000, interval: 500 },
    );
    app.child.kill('SIGINT');
    expect(await app.exited, app.output()).toBe(0);
  } finally {
    app.child.kill('SIGKILL');
  }
}, 60_000);
