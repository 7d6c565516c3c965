import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Simulator, startSimulator } from '../../src/sim/simulator.ts';
import { openStore } from '../../src/store/index.ts';
import { startCli } from '../support/cli.ts';

const LEADER = '0x1eade20000000000000000000000000000000c03';

describe('polyhunter start follows a configured leader on the simulator', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 81, blockTimeMs: 300, dataApiLagMs: 500 });
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('logs the detection setup once, then stores the leader trade the moment a source sees it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ph-start-'));
    writeFileSync(
      join(dir, 'polyhunter.toml'),
      [
        '[log]',
        'format = "json"',
        '[venue]',
        `gamma_url = "${sim.urls.gamma}"`,
        `clob_url = "${sim.urls.clob}"`,
        `clob_ws_url = "${sim.urls.clobWs}"`,
        `data_api_url = "${sim.urls.dataApi}"`,
        `rtds_url = "${sim.urls.rtds}"`,
        `polygon_ws_url = "${sim.urls.chainWs}"`,
        '[trading]',
        'trigger_sources = ["api", "rtds", "chain"]',
        '[[leaders]]',
        `address = "${LEADER}"`,
        'label = "whale"',
      ].join('\n'),
    );
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
    } finally {
      if (app.child.exitCode === null) app.child.kill('SIGKILL');
    }
  }, 60_000);
});
