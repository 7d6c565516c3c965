import { afterEach, describe, expect, it } from 'vitest';
import {
  DEMO_SCENARIO_PATH,
  type FaultStep,
  loadScenario,
  parseScenario,
  ScenarioError,
  type StepOutcome,
} from '../../../src/sim/traders/index.ts';
import { NOW, type World, world } from './helpers.ts';

let w: World | undefined;
afterEach(() => w?.close());

describe('runScenario', () => {
  it('runs the demo on the clock: every step at its time, several-fill buys, positions unwound to dust', async () => {
    w = world(31, {}, { binary: 2, negRiskEvents: [4] });
    const scenario = await loadScenario(DEMO_SCENARIO_PATH);
    const seen: StepOutcome[] = [];
    const run = w.traders.runScenario(scenario, { onStep: (o) => seen.push(o) });
    await w.clock.advance(2_000);
    expect(seen).toEqual([]);
    await w.clock.advance(40_000);
    const outcomes = await run.done;
    expect(outcomes).toEqual(seen);
    expect(outcomes.map((o) => o.error)).toEqual(scenario.steps.map(() => undefined));
    expect(outcomes.map((o) => o.time - NOW)).toEqual([3, 8, 14, 20, 26, 32, 38].map((s) => s * 1000));
    const trades = outcomes.map((o) => o.trade!);
    // The opening sweeps of two levels (binary, then neg-risk) are each one transaction with a
    // fill from every order on those levels.
    for (const sweep of [trades[0]!, trades[1]!]) {
      expect(sweep.trades).toHaveLength(1);
      expect(sweep.trades[0]!.trade.makers.length).toBeGreaterThanOrEqual(4);
    }
    expect(w.venue.marketOfToken(trades[1]!.order.tokenId)!.negRisk).toBe(true);
    // Buys add, sells take away, and the exits leave less than 0.01 share of either token.
    const whale = w.traders.leaders.get('whale')!.address;
    for (const [i, t] of trades.entries()) {
      const delta = t.positionAfter - t.positionBefore;
      if (t.order.side === 'BUY') expect(delta).toBe(t.result.takingAmount);
      else expect(delta).toBe(-t.result.makingAmount);
      expect(t.result.success, `step ${i + 1}`).toBe(true);
    }
    for (const o of [outcomes[5]!, outcomes[6]!]) {
      expect(w.venue.engine.position(whale, o.trade!.order.tokenId).balance).toBeLessThan(10_000);
    }
    expect(w.errors).toEqual([]);
  });

  it('hands fault steps to onFault at their time, and records them as skipped without one', async () => {
    w = world(32);
    const scenario = parseScenario(
      JSON.stringify({
        steps: [
          { at: 1, fault: 'clob_ws_drop', params: { forS: 5 } },
          { at: 2.5, fault: 'chain_stall' },
        ],
      }),
    );
    const faults: [number, FaultStep][] = [];
    const run = w.traders.runScenario(scenario, {
      onFault: async (f) => {
        faults.push([w!.clock.now() - NOW, f]);
      },
    });
    await w.clock.advance(3_000);
    await run.done;
    expect(faults).toEqual([
      [1000, { type: 'fault', step: 1, at: 1, kind: 'clob_ws_drop', params: { forS: 5 } }],
      [2500, { type: 'fault', step: 2, at: 2.5, kind: 'chain_stall', params: {} }],
    ]);
    const unhandled = w.traders.runScenario(scenario);
    await w.clock.advance(3_000);
    expect((await unhandled.done).map((o) => o.skipped)).toEqual([true, true]);
  });

  it('records a failing step and goes on; refuses before starting when a market does not exist', async () => {
    w = world(33);
    const scenario = parseScenario(
      JSON.stringify({
        leaders: [{ name: 'w', usdc: 50 }],
        steps: [
          { at: 1, leader: 'w', sell: { market: 'binary:0', all: true } },
          { at: 2, leader: 'w', buy: { market: 'binary:0', usdc: 10 } },
        ],
      }),
    );
    const run = w.traders.runScenario(scenario);
    await w.clock.advance(2_000);
    const [first, second] = await run.done;
    expect(first!.error).toMatch(/nothing to sell/);
    expect(second!.error).toBeUndefined();
    expect(second!.trade!.result.success).toBe(true);

    const missing = parseScenario(
      JSON.stringify({
        leaders: [{ name: 'w' }],
        steps: [{ at: 1, leader: 'w', buy: { market: 'binary:9', usdc: 5 } }],
      }),
    );
    expect(() => w!.traders.runScenario(missing)).toThrow(ScenarioError);
  });

  it('stop ends a run between steps and leaves no timer behind', async () => {
    w = world(34);
    const scenario = parseScenario(
      JSON.stringify({
        leaders: [{ name: 'w', usdc: 100 }],
        steps: [
          { at: 1, leader: 'w', buy: { market: 'binary:0', usdc: 5 } },
          { at: 100, leader: 'w', buy: { market: 'binary:0', usdc: 5 } },
        ],
      }),
    );
    const pending = w.clock.pending;
    const run = w.traders.runScenario(scenario);
    await w.clock.advance(5_000);
    expect(w.clock.pending).toBeGreaterThan(pending);
    run.stop();
    const outcomes = await run.done;
    expect(outcomes).toHaveLength(1);
    // Only the makers' refresh timer is left, as before the run.
    expect(w.clock.pending).toBe(pending);
    await w.clock.advance(200_000);
    expect(await run.done).toHaveLength(1);
  });
});
