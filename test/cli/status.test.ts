import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Simulator, startSimulator } from '../../src/sim/simulator.ts';
import { venueConfig } from '../../src/sim/venue-config.ts';
import { runCli, startCli } from '../support/cli.ts';
import { deadPort } from '../support/ports.ts';

const LEADER = '0x1eade20000000000000000000000000000000c07';

describe('polyhunter status', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 82, blockTimeMs: 300, dataApiLagMs: 500, traders: false });
  });
  afterAll(async () => {
    await sim?.stop();
  });

  const configure = (dir: string, rtdsUrl: string, strict: boolean) =>
    writeFileSync(
      join(dir, 'polyhunter.toml'),
      [
        '[log]',
        'format = "json"',
        venueConfig(sim, { rtds_url: rtdsUrl }),
        '[trading]',
        'trigger_sources = ["api", "rtds", "chain"]',
        `strict_sources = ${strict}`,
        '[[leaders]]',
        `address = "${LEADER}"`,
      ].join('\n'),
    );
  const status = async (dir: string) => {
    const r = await runCli(['status', '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as {
      running: boolean;
      components: { component: string; state: string; summary: string }[];
    };
  };
  const stateOf = (s: Awaited<ReturnType<typeof status>>) =>
    Object.fromEntries(s.components.map((c) => [c.component, c.state]));

  it('shows each source, a failed one gating trading when strict, and a clean stop', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ph-status-'));
    configure(dir, `ws://127.0.0.1:${await deadPort()}`, true);
    const before = await runCli(['status'], { cwd: dir });
    expect(before.stdout).toMatch(/process\s+never started/);

    const app = startCli(['start'], { cwd: dir });
    try {
      await app.waitFor(/running in PAPER mode/, 20_000);
      await vi.waitFor(
        async () => {
          const s = await status(dir);
          expect(s.running).toBe(true);
          expect(stateOf(s)).toEqual({
            'detection.api': 'ok',
            'detection.chain': 'ok',
            'detection.rtds': 'DOWN',
            'market.books': 'ok',
            'trading.gate': 'DOWN',
            'trading.mode': 'ok',
            'trading.orders': 'ok',
          });
        },
        { timeout: 15_000, interval: 500 },
      );
      const text = await runCli(['status'], { cwd: dir });
      expect(text.stdout).toMatch(/trading\.gate\s+DOWN\s+CLOSED: strict sources: rtds down/);
      expect(text.stdout).toMatch(/process\s+running \(pid \d+/);
      // A paper reset under a running process could race with a fill being booked: refused.
      const reset = await runCli(['reset-paper', '--yes'], { cwd: dir });
      expect(reset.code).toBe(1);
      expect(reset.stderr).toMatch(/PolyHunter is running against this database .*stop it first/);
    } finally {
      app.child.kill('SIGINT');
      expect(await app.exited, app.output()).toBe(0);
    }
    const after = await status(dir);
    expect(after.running).toBe(false);
    expect(new Set(Object.values(stateOf(after)))).toEqual(new Set(['stopped']));
  });

  it('degrades instead when not strict: trading stays open and names the failed source', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ph-status-'));
    configure(dir, `ws://127.0.0.1:${await deadPort()}`, false);
    const app = startCli(['start'], { cwd: dir });
    try {
      await app.waitFor(/running in PAPER mode/, 20_000);
      await vi.waitFor(
        async () => {
          const text = await runCli(['status'], { cwd: dir });
          expect(text.stdout).toMatch(/trading\.gate\s+ok\s+open, degraded: rtds down/);
        },
        { timeout: 15_000, interval: 500 },
      );
    } finally {
      app.child.kill('SIGINT');
      expect(await app.exited, app.output()).toBe(0);
    }
  });
});
