/**
 * The running system: config, database and event bus wired together. `polyhunter start` runs it
 * until a signal; `polyhunter demo` and tests start it in-process. Leader detection feeds new
 * trades to the copy-trading pipeline; every trade, decision and order is also an event on the
 * bus, for the terminal, the dashboard and Telegram.
 */
import { effectiveConfigRows, type LoadedConfig } from '../config/index.ts';
import { createLeaderDetection, type LeaderDetection } from '../copy/detection.ts';
import type { CopyTradingEvents } from '../copy/events.ts';
import type { IngestOutcome } from '../copy/ingest/index.ts';
import type { LeaderSighting } from '../copy/sighting.ts';
import type { SourceGate } from '../copy/source-gate.ts';
import { tokenResolverOf } from '../copy/token-resolver.ts';
import { type Clock, systemClock } from '../core/clock.ts';
import { ConfigError, describeError } from '../core/errors.ts';
import { EventBus, type TradingMode } from '../core/events.ts';
import type { Logger } from '../core/logger.ts';
import { configuredLiveAccount } from '../keys/index.ts';
import type { MarketCatalog } from '../market-data/catalog.ts';
import { pnlReport } from '../portfolio/report.ts';
import { type HttpServer, startHttpServer } from '../server/http/index.ts';
import { createMetrics, type Metrics, orderStagesFromStore } from '../server/metrics/index.ts';
import {
  auditRepo,
  type JsonValue,
  leadersRepo,
  loadRuntimeSettings,
  migrateToLatest,
  openStore,
  type Store,
} from '../store/index.ts';
import { resolvedDatabaseUrl } from './context.ts';
import { type CopyTrading, startCopyTrading } from './copy-trading.ts';
import { type HealthRow, startHealthReporter } from './health-reporter.ts';
import { type LiveAccounts, startLiveAccounts } from './live-accounts.ts';
import { probeVenue } from './venue-probe.ts';

/** How often the leader list is re-read for changes made while running. */
const LEADER_RELOAD_MS = 5000;

export interface AppOptions {
  loaded: LoadedConfig;
  logger: Logger;
  clock?: Clock;
  /**
   * Live mode's confirmation (`start --live` asked, or `--yes-live`) and where its keys are.
   * Without `confirmed`, a config in live mode refuses to start.
   */
  live?: { confirmed: boolean; keystorePath?: string; passphrase?: string };
  /** The dashboard/API server; default on, at server.host:server.port. */
  http?: false | { port?: number };
}

/** What the running app tells the terminal, the dashboard, metrics and Telegram. */
export type AppEvents = CopyTradingEvents;

export interface App {
  /** The effective configuration, database settings included. */
  readonly loaded: LoadedConfig;
  readonly store: Store;
  readonly bus: EventBus<AppEvents>;
  /** Null when no leader is configured. */
  readonly detection: LeaderDetection | null;
  readonly trading: CopyTrading;
  /** The REST API, event stream and /metrics; null when started without it. */
  readonly http: HttpServer | null;
  readonly metrics: Metrics;
  /** Stops everything once; later calls return the same promise. */
  stop(reason: string): Promise<void>;
}

export async function startApp(options: AppOptions): Promise<App> {
  const { logger } = options;
  const clock = options.clock ?? systemClock;
  for (const w of options.loaded.warnings) logger.warn(w);

  const store = await openStore(resolvedDatabaseUrl(options.loaded));
  let loaded: LoadedConfig;
  try {
    const { applied } = await migrateToLatest(store);
    logger.info({ database: store.displayUrl, engine: store.engine, applied }, 'database ready');
    loaded = await loadRuntimeSettings(store, options.loaded, clock.now());
  } catch (err) {
    await store.close();
    throw err;
  }
  for (const w of loaded.warnings.slice(options.loaded.warnings.length)) logger.warn(w);
  for (const row of effectiveConfigRows(loaded)) {
    logger.info(
      { setting: { key: row.key, value: row.value, source: row.source } },
      `setting ${row.key} = ${row.value}  [${row.source}]`,
    );
  }

  const bus = new EventBus<AppEvents>({
    onHandlerError: (err, event) => logger.error({ err, event }, 'event handler failed'),
  });
  const mode = loaded.config.trading.mode;
  let live: LiveAccounts | null = null;
  if (mode === 'live') {
    try {
      if (options.live?.confirmed !== true) {
        throw new ConfigError(
          'trading.mode = "live" signs and posts real orders with real money: start it with `polyhunter start --live` (asks once to confirm) or `--yes-live` for unattended runs',
        );
      }
      // Before anything can send: every PENDING or SUBMITTED order is reconciled in here.
      live = await startLiveAccounts({
        loaded,
        store,
        clock,
        logger,
        ...(options.live.keystorePath === undefined ? {} : { keystorePath: options.live.keystorePath }),
        ...(options.live.passphrase === undefined ? {} : { passphrase: options.live.passphrase }),
      });
    } catch (err) {
      await store.close();
      throw err;
    }
  }
  await auditRepo(store.db).append({ actor: 'system', action: 'app.start', subject: mode }, clock.now());
  bus.emit('app.started', { mode, at: clock.now() });

  let detection: LeaderDetection | null = null;
  let trading: CopyTrading;
  const collectHealth = () => healthRows(mode, detection, trading, live);
  // Subscribed before anything can emit, so no sighting or order goes uncounted.
  const metrics = createMetrics({
    bus,
    health: collectHealth,
    pnl: async () =>
      (
        await pnlReport(store, {
          marks: async (ids) => new Map(ids.map((id) => [id, trading.books.getBook(id)?.mid() ?? null])),
        })
      ).accounts,
    orderStages: orderStagesFromStore(store),
    processMetrics: true,
    onCollectError: (collector, err) => logger.warn({ collector, err }, 'a /metrics read failed'),
  });
  const onIngest = (outcome: IngestOutcome, sighting: LeaderSighting) => {
    bus.emit('leader.sighting', { outcome, sighting, at: clock.now() });
    if (outcome.status === 'new') void trading.copier.onTrade(outcome.trade);
  };
  try {
    trading = await startCopyTrading({
      loaded,
      store,
      clock,
      logger,
      // Before detection runs there is nothing to copy; after, its sources decide.
      gate: (): SourceGate => detection?.gate() ?? { open: true, degraded: [] },
      onDecision: (e) => bus.emit('copy.decision', e),
      onOrder: (e) => bus.emit('order.done', e),
      live,
    });
    detection = await startDetection(loaded, store, clock, logger, trading.catalog, onIngest);
  } catch (err) {
    metrics.stop();
    await live?.stop();
    await store.close();
    throw err;
  }

  // A setting changed through this process's API applies to the very next trade.
  bus.on('settings.changed', () =>
    trading
      .refreshSettings()
      .catch((err: unknown) => logger.warn({ err: describeError(err) }, 'could not re-read the settings')),
  );

  // Leaders change while running (`follow add` adds one): the sources follow the table. So do the
  // trigger sources: a change of `trading.trigger_sources` or `strict_sources` (dashboard, CLI)
  // restarts detection with the new set; cursors are kept, so nothing is missed or read twice.
  let watching = false;
  let detectionSetup = detectionSetupOf(loaded);
  const leaderWatch = setInterval(() => {
    if (watching) return;
    watching = true;
    (async () => {
      // The pipeline re-reads the settings on its own schedule; detection follows what it read.
      const current = trading.settings();
      const setup = detectionSetupOf(current);
      if (detection !== null && setup !== detectionSetup) {
        logger.info(
          { from: detectionSetup, to: setup },
          'trigger sources changed: restarting leader detection',
        );
        const old = detection;
        detection = null;
        await old.stop();
        detectionSetup = setup;
        detection = await startDetection(current, store, clock, logger, trading.catalog, onIngest);
      } else if (detection !== null) await detection.reloadLeaders();
      else if ((await leadersRepo(store.db).list({ enabledOnly: true })).length > 0) {
        detectionSetup = setup;
        detection = await startDetection(current, store, clock, logger, trading.catalog, onIngest);
      }
    })()
      .catch((err: unknown) => logger.warn({ err: describeError(err) }, 'could not reload the leaders'))
      .finally(() => {
        watching = false;
      });
  }, LEADER_RELOAD_MS);
  leaderWatch.unref();

  void probeVenue(
    {
      gamma: loaded.config.venue.gamma_url,
      clob: loaded.config.venue.clob_url,
      dataApi: loaded.config.venue.data_api_url,
    },
    logger,
  );
  const health = startHealthReporter({ store, clock, logger, collect: collectHealth });

  let stopping: Promise<void> | undefined;
  const stop = (reason: string) => {
    stopping ??= (async () => {
      logger.info({ reason }, 'stopping');
      bus.emit('app.stopping', { reason, at: clock.now() });
      await http?.close();
      clearInterval(leaderWatch);
      await detection?.stop();
      await trading.stop();
      // Nothing new is sent now: cancel what rests on the book, then stop watching the venue.
      await live?.stop();
      await health.stop();
      metrics.stop();
      await metrics.idle();
      await auditRepo(store.db).append({ actor: 'system', action: 'app.stop', subject: reason }, clock.now());
      await store.close();
    })();
    return stopping;
  };

  let http: HttpServer | null = null;
  if (options.http !== false) {
    try {
      http = await startHttpServer({
        store,
        bus,
        loaded,
        logger: logger.child({ component: 'http' }),
        clock,
        mode,
        token: loaded.secrets.dashboard.token,
        host: loaded.config.server.host,
        port: options.http?.port ?? loaded.config.server.port,
        health: collectHealth,
        liveAccount: async (name) => configuredLiveAccount(loaded, name, options.live?.keystorePath),
        beforePaperReset: () => trading.copier.idle(),
        secrets: live?.secretValues() ?? [],
        plugins: [
          (server) => {
            server.get('/metrics', async (_request, reply) =>
              reply.type(metrics.contentType).send(await metrics.text()),
            );
          },
        ],
      });
    } catch (err) {
      await stop('the HTTP server could not start');
      throw err;
    }
    logger.info({ url: http.url }, `dashboard and API: ${http.url} (metrics at ${http.url}/metrics)`);
  }
  return {
    loaded,
    store,
    bus,
    get detection() {
      return detection;
    },
    trading,
    http,
    metrics,
    stop,
  };
}

/**
 * What `polyhunter status` shows of this process: the mode, each trigger source, the gate, books,
 * orders, and each live account's user channel, reconciliation and heartbeat.
 */
function healthRows(
  mode: TradingMode,
  detection: LeaderDetection | null,
  trading: CopyTrading,
  live: LiveAccounts | null,
): HealthRow[] {
  const books = trading.books.health();
  const orders = trading.orders.health();
  const rows: HealthRow[] = [
    {
      component: 'trading.mode',
      healthy: true,
      detail: { mode, liveAccounts: live?.accounts.map((a) => a.name) ?? [] },
    },
    ...(live?.accounts ?? []).map((a): HealthRow => {
      const tracker = a.tracker.health();
      return {
        component: `live.${a.name}`,
        healthy: tracker.state === 'running' && tracker.lastReconcile?.ok !== false,
        detail: toJsonValue({ wallet: a.broker.funder, tracker, heartbeat: a.broker.heartbeat }),
      };
    }),
    {
      component: 'market.books',
      healthy: books.state !== 'closed' || books.tokens === 0,
      // Per token, for `status-top`: which markets' books keep needing a resync.
      detail: toJsonValue({
        ...books,
        resyncsByToken: Object.fromEntries(
          trading.books.tokenIds.flatMap((id) => {
            const n = trading.books.tokenHealth(id)?.resyncs ?? 0;
            return n > 0 ? [[id, n]] : [];
          }),
        ),
      }),
    },
    { component: 'trading.orders', healthy: true, detail: toJsonValue(orders) },
  ];
  if (detection === null) return rows;
  for (const [source, h] of Object.entries(detection.health())) {
    if (!h.enabled) continue;
    rows.push({ component: `detection.${source}`, healthy: h.healthy, detail: toJsonValue(h.detail) });
  }
  const gate = detection.gate();
  rows.push({ component: 'trading.gate', healthy: gate.open, detail: toJsonValue(gate) });
  return rows;
}

/** Health details are plain data already; this drops undefined fields and anything not JSON. */
function toJsonValue(value: unknown): JsonValue {
  return JSON.parse(JSON.stringify(value ?? null)) as JsonValue;
}

/** What leader detection runs with, as one comparable text. */
function detectionSetupOf(loaded: LoadedConfig): string {
  const t = loaded.config.trading;
  return `${[...t.trigger_sources].sort().join('+')}${t.strict_sources ? ' (strict)' : ''}`;
}

/**
 * Seeds the configured leaders into the database (where the CLI and dashboard manage them later),
 * logs once how each starts, and starts the trigger sources; null when there is nobody to follow.
 */
async function startDetection(
  loaded: LoadedConfig,
  store: Store,
  clock: Clock,
  logger: Logger,
  catalog: MarketCatalog,
  onIngest: (outcome: IngestOutcome, sighting: LeaderSighting) => void,
): Promise<LeaderDetection | null> {
  const { trading, venue } = loaded.config;
  const repo = leadersRepo(store.db);
  for (const l of loaded.config.leaders) {
    await repo.upsert(
      {
        address: l.address,
        label: l.label ?? null,
        startupMode: l.startup_mode ?? trading.startup_mode,
        warmStartSeconds: trading.warm_start_seconds,
      },
      clock.now(),
    );
  }
  const leaders = await repo.list({ enabledOnly: true });
  if (leaders.length === 0) {
    logger.info('no leaders to follow: leader detection is idle (add [[leaders]] to the config)');
    return null;
  }
  logger.info(
    { sources: trading.trigger_sources, strict: trading.strict_sources },
    `leader detection: ${trading.trigger_sources.join(' + ')}${trading.strict_sources ? ' (strict)' : ''}`,
  );
  for (const l of leaders) {
    const cursor = l.cursor.ts === null ? 'none (starts now)' : new Date(l.cursor.ts).toISOString();
    logger.info(
      { leader: l.address, label: l.label, startupMode: l.startupMode, cursor: l.cursor.ts },
      `leader ${l.label ?? l.address}: ${l.startupMode} start, API cursor ${cursor}`,
    );
  }
  const detection = createLeaderDetection({
    store,
    clock,
    logger,
    sources: trading.trigger_sources,
    strict: trading.strict_sources,
    activityApi: venue.data_api_activity,
    urls: { dataApi: venue.data_api_url, rtds: venue.rtds_url, chainWs: venue.polygon_ws_url },
    resolveToken: tokenResolverOf(catalog),
    onIngest,
  });
  await detection.start();
  return detection;
}
