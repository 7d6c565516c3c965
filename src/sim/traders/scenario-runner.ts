/**
 * Runs a scenario on the injected clock: each step at its time after the start, one after
 * another (a step waits for the one before it to finish). Trade steps go to the leaders; fault
 * steps go to the caller's `onFault`. A failing step is recorded and the run goes on.
 */
import type { Clock } from '../../core/index.ts';
import type { Catalog } from '../catalog/model.ts';
import { ScenarioError } from './errors.ts';
import type { Leaders, TakeTradeResult } from './leaders.ts';
import type { TradeRequest } from './orders.ts';
import type { FaultStep, Scenario, ScenarioStep, TokenRef, TradeStep } from './scenario.ts';

export interface ScenarioRunOptions {
  leaders: Leaders;
  catalog: Catalog;
  clock: Clock;
  /** Carries out fault steps; awaited before the next step. Without it faults are recorded as skipped. */
  onFault?: (fault: FaultStep) => void | Promise<void>;
  /** Told about each step as it finishes. */
  onStep?: (outcome: StepOutcome) => void;
}

export interface StepOutcome {
  step: ScenarioStep;
  /** Epoch ms when the step ran. */
  time: number;
  /** A trade step's order, result and settled trades (also when the venue refused it). */
  trade?: TakeTradeResult;
  /** Why the step did not do what it said; absent when it did. */
  error?: string;
  /** A fault step nobody handled. */
  skipped?: boolean;
}

export interface ScenarioRun {
  /** Every step's outcome, once the last step ran or the run was stopped. */
  done: Promise<StepOutcome[]>;
  stop(): void;
}

/**
 * Starts a scenario now. Every token reference is resolved first, so a bad one throws a
 * ScenarioError naming its step before anything trades; then the leaders are added and funded.
 */
export function runScenario(scenario: Scenario, options: ScenarioRunOptions): ScenarioRun {
  const { clock, leaders } = options;
  const tokens = resolveTokens(scenario, options.catalog);
  for (const l of scenario.leaders) leaders.add(l);
  const start = clock.now();
  const abort = new AbortController();
  const outcomes: StepOutcome[] = [];

  const runStep = async (step: ScenarioStep): Promise<StepOutcome> => {
    const time = clock.now();
    try {
      if (step.type === 'fault') {
        if (options.onFault === undefined) return { step, time, skipped: true };
        await options.onFault(step);
        return { step, time };
      }
      const trade = await leaders.takeTrade(step.leader, tradeRequest(step, tokens.get(step.step)!, time));
      return trade.result.success
        ? { step, time, trade }
        : { step, time, trade, error: `venue refused: ${trade.result.errorMsg}` };
    } catch (err) {
      return { step, time, error: err instanceof Error ? err.message : String(err) };
    }
  };

  const done = (async () => {
    for (const step of scenario.steps) {
      const wait = start + Math.round(step.at * 1000) - clock.now();
      try {
        if (wait > 0) await clock.sleep(wait, abort.signal);
      } catch {
        break;
      }
      if (abort.signal.aborted) break;
      const outcome = await runStep(step);
      outcomes.push(outcome);
      options.onStep?.(outcome);
    }
    return outcomes;
  })();
  return { done, stop: () => abort.abort(new Error('scenario stopped')) };
}

function tradeRequest(step: TradeStep, tokenId: string, now: number): TradeRequest {
  return {
    tokenId,
    side: step.side,
    orderType: step.orderType,
    ...step.size,
    ...(step.limit === undefined ? {} : { limit: step.limit }),
    ...(step.expiresInS === undefined
      ? {}
      : { expiration: Math.floor((now + step.expiresInS * 1000) / 1000) }),
  };
}

/** Token id of every trade step, by step number; a ScenarioError lists those that name nothing. */
export function resolveTokens(scenario: Scenario, catalog: Catalog): Map<number, string> {
  const out = new Map<number, string>();
  const problems: string[] = [];
  for (const step of scenario.steps) {
    if (step.type !== 'trade') continue;
    const found = resolveToken(catalog, step.token);
    if (typeof found === 'string') out.set(step.step, found);
    else problems.push(`step ${step.step} (at ${step.at}s, ${step.leader}): ${found.problem}`);
  }
  if (problems.length > 0) throw new ScenarioError(problems);
  return out;
}

/** The token a reference names in this catalog, or why there is none. */
export function resolveToken(catalog: Catalog, ref: TokenRef): string | { problem: string } {
  if ('tokenId' in ref) {
    const known = catalog.markets.some((m) => m.tokens.some((t) => t.tokenId === ref.tokenId));
    return known ? ref.tokenId : { problem: `token ${ref.tokenId} is not in the catalog` };
  }
  const { market: text, outcome } = ref;
  let market = undefined as Catalog['markets'][number] | undefined;
  const binary = /^binary:(\d+)$/.exec(text);
  const negRisk = /^negrisk:(\d+):(\d+)$/.exec(text);
  if (binary !== null) {
    const list = catalog.markets.filter((m) => !m.negRisk);
    market = list[Number(binary[1])];
    if (market === undefined) return { problem: `${text}: the catalog has ${list.length} binary markets` };
  } else if (negRisk !== null) {
    const events = catalog.events.filter((e) => e.negRisk);
    const event = events[Number(negRisk[1])];
    if (event === undefined) return { problem: `${text}: the catalog has ${events.length} neg-risk events` };
    const id = event.marketIds[Number(negRisk[2])];
    if (id === undefined)
      return { problem: `${text}: event ${event.slug} has ${event.marketIds.length} markets` };
    market = catalog.markets.find((m) => m.id === id);
  } else {
    market = catalog.markets.find(
      (m) => m.conditionId.toLowerCase() === text.toLowerCase() || m.slug === text,
    );
  }
  if (market === undefined) return { problem: `market ${text} is not in the catalog` };
  return market.tokens[outcome === 'Yes' ? 0 : 1].tokenId;
}
