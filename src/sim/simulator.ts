/**
 * `startSimulator(options)`: the whole simulated Polymarket on 127.0.0.1. Gamma, the Data API,
 * RTDS and a local EVM chain around one simulated venue; the CLOB REST and websocket servers,
 * traders and the control API attach to the same venue. `polyhunter sim` runs it until Ctrl-C.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { type Clock, systemClock } from '../core/clock.ts';
import type { Price } from '../core/money.ts';
import { price } from '../core/money.ts';
import { registerGammaRoutes } from './catalog/gamma-routes.ts';
import { generateCatalog } from './catalog/generate.ts';
import type { MarketSnapshot, SimMarket } from './catalog/model.ts';
import { type Chain, startChain } from './chain/index.ts';
import { type ClobFaults, FaultInjector, registerClobRoutes } from './clob/rest/index.ts';
import { type ClobWsServer, startClobWsServer } from './clob/ws/index.ts';
import { registerControlRoutes } from './control.ts';
import { applyFault } from './faults.ts';
import { FeedsHub, type RtdsServer, registerDataApiRoutes, startRtdsServer } from './feeds/index.ts';
import { scaledClock } from './scaled-clock.ts';
import { type Scenario, type ScenarioRun, startTraders, type Traders } from './traders/index.ts';
import { SimVenue } from './venue/index.ts';

export interface SimulatorPorts {
  gamma?: number;
  clob?: number;
  clobWs?: number;
  dataApi?: number;
  rtds?: number;
  chain?: number;
  control?: number;
}

export interface SimulatorOptions {
  /** Same seed, same markets, traders and trades. Default 1. */
  seed?: number;
  /** Simulated time runs this many times faster than real time. Default 1. */
  speed?: number;
  /** Overrides the clock (tests pass a ManualClock); `speed` is then ignored. */
  clock?: Clock;
  /** 0 (default) picks a free port for each server. */
  ports?: SimulatorPorts;
  /** Run the local EVM chain (default true). */
  chain?: boolean;
  /** Simulated ms between blocks; default 2000, 0 mines only on request. */
  blockTimeMs?: number;
  /** The Data API's indexing lag in simulated ms; default 3000. */
  dataApiLagMs?: number;
  /** Simulated ms from a trade's MINED to its CONFIRMED; default 2000. */
  confirmDelayMs?: number;
  /** How many markets to invent. */
  markets?: { binary?: number; negRiskEvents?: readonly number[] };
  /** Market makers on every market (default true), and background takers (default false). */
  traders?: boolean | { makers?: boolean; takers?: boolean };
  /** A scenario to run from the start (leader trades and faults at given times). */
  scenario?: Scenario;
  /** Told about errors nobody awaits (interval mining, settlement); default a process warning. */
  onError?: (error: unknown) => void;
}

export interface SimulatorUrls {
  /** The control API (`/_sim/...`). */
  control: string;
  gamma: string;
  clob: string;
  /** The CLOB websocket base: `/market` and `/user` are its channels. */
  clobWs: string;
  dataApi: string;
  rtds: string;
  chainHttp: string | null;
  chainWs: string | null;
}

export interface Simulator {
  readonly seed: number;
  readonly clock: Clock;
  readonly urls: SimulatorUrls;
  readonly venue: SimVenue;
  readonly feeds: FeedsHub;
  readonly rtds: RtdsServer;
  readonly clobWs: ClobWsServer;
  readonly chain: Chain | null;
  readonly traders: Traders | null;
  /** Injected HTTP failures per service. */
  readonly httpFaults: { clob: ClobFaults; gamma: ClobFaults; data: ClobFaults };
  /** Applies a fault by kind, as the control API and scenarios do (see faults.ts). */
  fault(kind: string, params?: unknown): Promise<unknown>;
  /** Runs a scenario now; its fault steps are applied with `fault`. */
  runScenario(scenario: Scenario): ScenarioRun;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

/** The YES-side mid (or last trade) of a token, for the Data API's current prices. */
function currentPrice(venue: SimVenue, tokenId: string): Price | null {
  const top = venue.engine.topOfBook(tokenId);
  if (top?.bestBid != null && top.bestAsk != null) return price(Math.round((top.bestBid + top.bestAsk) / 2));
  return venue.engine.lastTrade(tokenId)?.price ?? null;
}

/** A catalog market as it stands now: the engine knows whether it closed and its current tick. */
function liveMarket(venue: SimVenue, market: SimMarket): SimMarket {
  const info = venue.engine.market(market.conditionId);
  if (!info) return market;
  return { ...market, closed: info.closed, active: !info.closed, tickSize: info.tickSize };
}

function snapshotOf(venue: SimVenue, market: SimMarket): MarketSnapshot {
  const yes = market.tokens[0].tokenId;
  const top = venue.engine.topOfBook(yes);
  let volume = 0;
  for (const t of venue.allTrades()) {
    if (t.trade.market === market.conditionId) volume += t.trade.makers.reduce((s, m) => s + m.usdc, 0);
  }
  const winner = venue.engine.market(market.conditionId)?.winningTokenId ?? null;
  return {
    bestBid: top?.bestBid ?? null,
    bestAsk: top?.bestAsk ?? null,
    lastTradePrice: venue.engine.lastTrade(yes)?.price ?? null,
    volume,
    payoutFirst: winner === null ? null : ((winner === yes ? 1_000_000 : 0) as Price),
  };
}

async function listen(app: FastifyInstance, port: number | undefined): Promise<string> {
  return app.listen({ host: HOST, port: port ?? 0 });
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const seed = options.seed ?? 1;
  const clock =
    options.clock ?? (options.speed && options.speed !== 1 ? scaledClock(options.speed) : systemClock);
  const onError = options.onError ?? ((err: unknown) => process.emitWarning(`simulator: ${String(err)}`));
  const ports = options.ports ?? {};
  const catalog = generateCatalog({
    seed,
    now: clock.now(),
    binaryMarkets: options.markets?.binary ?? 4,
    negRiskEvents: options.markets?.negRiskEvents ?? [4],
  });

  const stops: (() => Promise<void> | void)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) {
      try {
        await stop();
      } catch (err) {
        onError(err);
      }
    }
  };

  try {
    const chain =
      options.chain === false
        ? null
        : await startChain({
            port: ports.chain ?? 0,
            blockTimeMs: options.blockTimeMs ?? 2000,
            clock,
            onError,
          });
    if (chain) stops.push(() => chain.stop());

    const feeds = new FeedsHub({
      catalog,
      now: () => clock.now(),
      seed,
      lagMs: options.dataApiLagMs ?? 3000,
    });
    const venue = new SimVenue({
      seed,
      catalog,
      clock,
      feeds,
      onError,
      ...(chain ? { chain } : {}),
      ...(options.confirmDelayMs === undefined ? {} : { confirmDelayMs: options.confirmDelayMs }),
      // Without a chain, the stand-in settles after a block time too.
      ...(options.blockTimeMs === undefined ? {} : { blockTimeMs: options.blockTimeMs }),
    });
    stops.push(() => venue.close());

    const gammaFaults = new FaultInjector();
    const dataFaults = new FaultInjector();

    const gamma = Fastify();
    gamma.addHook('onRequest', gammaFaults.hook);
    registerGammaRoutes(gamma, {
      markets: () => catalog.markets.map((m) => liveMarket(venue, m)),
      events: () => catalog.events,
      snapshot: (m) => snapshotOf(venue, m),
      now: () => clock.now(),
    });
    stops.push(() => gamma.close());
    const gammaUrl = await listen(gamma, ports.gamma);

    const dataApi = Fastify();
    dataApi.addHook('onRequest', dataFaults.hook);
    registerDataApiRoutes(dataApi, feeds, {
      currentPrice: (tokenId) => currentPrice(venue, tokenId),
      isResolved: (conditionId) => venue.engine.market(conditionId)?.closed ?? false,
    });
    stops.push(() => dataApi.close());
    const dataApiUrl = await listen(dataApi, ports.dataApi);

    const rtds = await startRtdsServer({
      hub: feeds,
      now: () => clock.now(),
      port: ports.rtds ?? 0,
      host: HOST,
      seed,
    });
    stops.push(() => rtds.close());

    // Clients sign with the wall clock; when simulated time runs apart from it, freshness checks
    // would refuse every request, so they are switched off.
    const wallTime = options.clock === undefined && (options.speed ?? 1) === 1;
    const clob = Fastify();
    const clobRoutes = registerClobRoutes(clob, venue, {
      chainId: 137,
      now: () => clock.now(),
      timers: clock,
      ...(wallTime ? {} : { timestampToleranceSeconds: Number.POSITIVE_INFINITY }),
    });
    const httpFaults = { clob: clobRoutes.faults, gamma: gammaFaults, data: dataFaults };
    stops.push(() => clob.close());
    const clobUrl = await listen(clob, ports.clob);

    const clobWs = await startClobWsServer({
      venue,
      now: () => clock.now(),
      port: ports.clobWs ?? 0,
      host: HOST,
    });
    stops.push(() => clobWs.close());

    // GTD expiry and delayed orders advance only when something touches the engine.
    let ticking = true;
    const tick = () => {
      if (!ticking) return;
      try {
        venue.engine.expire();
      } catch (err) {
        onError(err);
      }
      clock.setTimer(250, tick);
    };
    clock.setTimer(250, tick);
    stops.push(() => {
      ticking = false;
    });

    const tradersOption = options.traders ?? true;
    const traders =
      tradersOption === false
        ? null
        : startTraders({
            venue,
            clock,
            seed,
            makers: tradersOption === true || tradersOption.makers !== false ? {} : false,
            takers: tradersOption !== true && tradersOption.takers ? {} : false,
            onError,
          });
    if (traders) stops.push(() => traders.stop());

    const faultTargets = { clock, venue, http: httpFaults, clobWs, rtds, feeds, chain };
    const fault = (kind: string, params?: unknown) => applyFault(faultTargets, kind, params);
    const runScenario = (scenario: Scenario): ScenarioRun => {
      if (!traders) throw new Error('scenarios need the traders; start the simulator with traders on');
      return traders.runScenario(scenario, { onFault: (f) => fault(f.kind, f.params).then(() => undefined) });
    };

    const control = Fastify();
    registerControlRoutes(control, { ...faultTargets, seed, traders });
    stops.push(() => control.close());
    const controlUrl = await listen(control, ports.control);

    if (options.scenario) runScenario(options.scenario);

    return {
      seed,
      clock,
      urls: {
        control: controlUrl,
        gamma: gammaUrl,
        clob: clobUrl,
        clobWs: clobWs.url,
        dataApi: dataApiUrl,
        rtds: rtds.url,
        chainHttp: chain?.httpUrl ?? null,
        chainWs: chain?.wsUrl ?? null,
      },
      venue,
      feeds,
      rtds,
      clobWs,
      chain,
      traders,
      httpFaults,
      fault,
      runScenario,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
