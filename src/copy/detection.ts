/**
 * Leader-trade detection: the enabled sources (Data API poller, RTDS, chain logs) feeding one
 * ingest path. The first source to see a fill makes it a trade at once; later sightings only
 * stamp their time. A stream's gap (RTDS silence or drop, a chain outage longer than its own gap
 * fill) is filled from the Data API, which is therefore always available for gap fills even when
 * it is not a trigger source.
 */
import type { Clock } from '../core/clock.ts';
import { describeError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import { createDataApiClient } from '../polymarket/data-api/index.ts';
import { leadersRepo, type Store } from '../store/index.ts';
import { type IngestOutcome, ingestSighting, type TokenInfo } from './ingest/index.ts';
import type { LeaderSighting, TradeSource } from './sighting.ts';
import { type SourceGate, sourceGate } from './source-gate.ts';
import { createApiPoller } from './sources/api/index.ts';
import { type ChainSource, startChainSource } from './sources/chain/index.ts';
import { RtdsLeaderSource } from './sources/rtds/index.ts';

export interface LeaderDetectionOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** The trigger sources (the `trading.trigger_sources` setting). */
  sources: readonly TradeSource[];
  /** When true, any failed trigger source closes the gate instead of degrading to the others. */
  strict?: boolean;
  urls: { dataApi: string; rtds: string; chainWs: string };
  /** Which Data API activity route the poller reads (default v1). */
  activityApi?: 'v1' | 'v2';
  resolveToken: (tokenId: string) => Promise<TokenInfo | null>;
  /** Every ingest outcome, in order per source. */
  onIngest?: (outcome: IngestOutcome, sighting: LeaderSighting) => void;
}

export interface SourceHealth {
  enabled: boolean;
  healthy: boolean;
  detail: unknown;
}

export interface LeaderDetection {
  start(): Promise<void>;
  stop(): Promise<void>;
  health(): Record<TradeSource, SourceHealth>;
  /** Whether copying may go on now (see source-gate.ts). */
  gate(): SourceGate;
  /**
   * Re-reads the enabled leaders (a follow added while running adds its leader) and points every
   * running source at them; returns whether the list changed.
   */
  reloadLeaders(): Promise<boolean>;
}

export function createLeaderDetection(options: LeaderDetectionOptions): LeaderDetection {
  const { store, clock, logger } = options;
  const deps = { store, now: () => clock.now(), resolveToken: options.resolveToken };
  const enabled = new Set(options.sources);

  const ingest = async (sighting: LeaderSighting): Promise<void> => {
    const outcome = await ingestSighting(deps, sighting);
    if (outcome.status === 'new' || outcome.status === 'grew' || outcome.status === 'retracted') {
      logger.info(
        { status: outcome.status, source: sighting.source, trade: outcome.trade.key },
        'leader trade',
      );
    }
    options.onIngest?.(outcome, sighting);
  };

  const poller = createApiPoller({
    client: createDataApiClient({ baseUrl: options.urls.dataApi, clock, logger }),
    leaders: leadersRepo(store.db),
    ingest: async (sightings) => {
      for (const s of sightings) await ingest(s);
    },
    clock,
    logger,
    api: options.activityApi ?? 'v1',
  });

  let rtds: RtdsLeaderSource | null = null;
  let chain: ChainSource | null = null;

  const gapFill = async (fromMs: number, toMs: number, why: string) => {
    const leaders = await leadersRepo(store.db).list({ enabledOnly: true });
    for (const l of leaders) {
      try {
        await poller.gapFill(l.address, fromMs, toMs);
      } catch (err) {
        logger.warn({ leader: l.address, fromMs, toMs, why, err: describeError(err) }, 'gap fill failed');
      }
    }
  };

  const health = (): Record<TradeSource, SourceHealth> => {
    const api = poller.health();
    const r = rtds?.health();
    const c = chain?.health();
    return {
      api: { enabled: enabled.has('api'), healthy: api.healthy, detail: api },
      rtds: { enabled: enabled.has('rtds'), healthy: r?.state === 'open', detail: r ?? null },
      chain: { enabled: enabled.has('chain'), healthy: c?.healthy ?? false, detail: c ?? null },
    };
  };

  let watched: string[] = [];
  const enabledLeaders = async () =>
    (await leadersRepo(store.db).list({ enabledOnly: true })).map((l) => l.address).sort();

  return {
    health,
    gate: () => sourceGate(health(), options.strict ?? false),
    async reloadLeaders() {
      const leaders = await enabledLeaders();
      if (leaders.join() === watched.join()) return false;
      const added = leaders.filter((l) => !watched.includes(l));
      watched = leaders;
      logger.info({ leaders: leaders.length, added }, 'leaders changed: sources follow the new list');
      if (enabled.has('api')) await poller.reload();
      rtds?.setLeaders(leaders);
      await chain?.setLeaders(leaders);
      return true;
    },
    async start() {
      const leaders = await enabledLeaders();
      watched = leaders;
      if (enabled.has('api')) await poller.start();
      if (enabled.has('rtds')) {
        rtds = new RtdsLeaderSource({
          url: options.urls.rtds,
          leaders,
          onSighting: ingest,
          onGap: (fromMs, toMs) => void gapFill(fromMs, toMs, 'rtds'),
          clock,
          logger,
        });
        rtds.start();
      }
      if (enabled.has('chain')) {
        if (options.urls.chainWs === '') throw new Error('the chain source needs venue.polygon_ws_url');
        chain = startChainSource({
          url: options.urls.chainWs,
          leaders,
          onSighting: ingest,
          onGap: (gap) => gapFill(gap.fromTimeMs, gap.toTimeMs ?? clock.now(), 'chain'),
          clock,
          logger,
        });
      }
    },
    async stop() {
      await Promise.all([poller.stop(), rtds?.stop(), chain?.stop()]);
    },
  };
}
