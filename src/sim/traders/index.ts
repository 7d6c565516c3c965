/**
 * The simulator's synthetic traders: market makers that keep two-sided books around drifting fair
 * values, optional background takers, and scripted leader wallets driven by scenario files or by
 * direct calls (`takeTrade`). Everything random comes from the seed and everything timed from the
 * injected clock, so the same seed and the same clock steps give the same trades.
 */
import { fileURLToPath } from 'node:url';
import { type Clock, describeError } from '../../core/index.ts';
import { createRandom } from '../random.ts';
import type { SimVenue } from '../venue/index.ts';
import { type LeaderSpec, Leaders } from './leaders.ts';
import { type MakerOptions, MarketMakers } from './market-makers.ts';
import type { Scenario } from './scenario.ts';
import { runScenario, type ScenarioRun, type ScenarioRunOptions } from './scenario-runner.ts';
import { BackgroundTakers, type TakerOptions } from './takers.ts';

export { CENT, limitAmounts, marketAmounts, marketPrice, sweepSize } from './amounts.ts';
export { ScenarioError, TraderError } from './errors.ts';
export {
  clampFair,
  type FairBounds,
  fairBounds,
  normalizeEvent,
  stepEvent,
  stepFair,
  type WalkMarket,
} from './fair-value.ts';
export { type Leader, type LeaderSpec, Leaders, type TakeTradeResult } from './leaders.ts';
export { type MakerOptions, MarketMakers } from './market-makers.ts';
export { buildOrder, type TradeRequest } from './orders.ts';
export {
  type FundingPlan,
  type FundingPolicy,
  fundingPlan,
  type LadderParams,
  type QuoteNeeds,
  type QuoteTarget,
  quoteLadder,
  quoteNeeds,
} from './quotes.ts';
export { type LiveQuote, type Reconciliation, reconcile } from './reconcile.ts';
export {
  type FaultStep,
  loadScenario,
  MARKET_REF,
  parseScenario,
  type Scenario,
  type ScenarioLeader,
  type ScenarioStep,
  type StepSize,
  type TokenRef,
  type TradeStep,
  validateScenario,
} from './scenario.ts';
export {
  resolveToken,
  resolveTokens,
  runScenario,
  type ScenarioRun,
  type ScenarioRunOptions,
  type StepOutcome,
} from './scenario-runner.ts';
export { BackgroundTakers, type TakerOptions } from './takers.ts';

/** The demo scenario the simulator's demo runs. */
export const DEMO_SCENARIO_PATH = fileURLToPath(new URL('./scenarios/demo.json', import.meta.url));
export const COPY_DEMO_SCENARIO_PATH = fileURLToPath(new URL('./scenarios/copy-demo.json', import.meta.url));

export interface TradersOptions {
  venue: SimVenue;
  clock: Clock;
  seed: number;
  /** Market makers on every market (default), some markets, or none (`false`). */
  makers?: MakerOptions | false;
  /** Background takers; off unless given. */
  takers?: TakerOptions | false;
  /** Leaders to add (and fund) at start. */
  leaders?: readonly LeaderSpec[];
  /** Errors in timer-driven work nobody awaits; default a process warning. */
  onError?: (error: unknown) => void;
}

export interface Traders {
  readonly makers: MarketMakers | null;
  readonly takers: BackgroundTakers | null;
  readonly leaders: Leaders;
  /** Runs a scenario with these leaders on this venue and clock; stopped by `stop()` too. */
  runScenario(scenario: Scenario, options?: Pick<ScenarioRunOptions, 'onFault' | 'onStep'>): ScenarioRun;
  /** Stops the makers' and takers' timers and running scenarios; cancels the makers' orders. */
  stop(): void;
}

/** Starts the synthetic traders: makers quote every market at once, then on their timer. */
export function startTraders(options: TradersOptions): Traders {
  const { venue, clock } = options;
  const onError =
    options.onError ?? ((err: unknown) => process.emitWarning(`simulator traders: ${describeError(err)}`));
  const random = createRandom(options.seed).fork('traders');
  const leaders = new Leaders(venue, random.fork('leaders'));
  for (const spec of options.leaders ?? []) leaders.add(spec);
  const makers =
    options.makers === false
      ? null
      : new MarketMakers(venue, clock, random.fork('makers'), options.makers ?? {}, onError);
  const takers =
    options.takers === undefined || options.takers === false
      ? null
      : new BackgroundTakers(venue, clock, random.fork('takers'), options.takers, onError);
  makers?.start();
  takers?.start();
  const runs = new Set<ScenarioRun>();
  return {
    makers,
    takers,
    leaders,
    runScenario(scenario, extra = {}) {
      const run = runScenario(scenario, { leaders, catalog: venue.catalog, clock, ...extra });
      runs.add(run);
      const forget = () => runs.delete(run);
      run.done.then(forget, forget);
      return run;
    },
    stop() {
      for (const run of runs) run.stop();
      takers?.stop();
      makers?.stop();
    },
  };
}
