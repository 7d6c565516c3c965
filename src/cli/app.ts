/**
 * The running system: config, database and event bus wired together. `polyhunter start` runs it
 * until a signal; tests start it in-process. Later components (sources, execution, server) plug
 * in here.
 */
import { effectiveConfigRows, type LoadedConfig } from '../config/index.ts';
import { type Clock, systemClock } from '../core/clock.ts';
import { EventBus, type PolyHunterEvents } from '../core/events.ts';
import type { Logger } from '../core/logger.ts';
import { auditRepo, loadRuntimeSettings, migrateToLatest, openStore, type Store } from '../store/index.ts';
import { resolvedDatabaseUrl } from './context.ts';

export interface AppOptions {
  loaded: LoadedConfig;
  logger: Logger;
  clock?: Clock;
}

export interface App {
  /** The effective configuration, database settings included. */
  readonly loaded: LoadedConfig;
  readonly store: Store;
  readonly bus: EventBus<PolyHunterEvents>;
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

  const bus = new EventBus<PolyHunterEvents>({
    onHandlerError: (err, event) => logger.error({ err, event }, 'event handler failed'),
  });
  const mode = loaded.config.trading.mode;
  await auditRepo(store.db).append({ actor: 'system', action: 'app.start', subject: mode }, clock.now());
  bus.emit('app.started', { mode, at: clock.now() });

  let stopping: Promise<void> | undefined;
  const stop = (reason: string) => {
    stopping ??= (async () => {
      logger.info({ reason }, 'stopping');
      bus.emit('app.stopping', { reason, at: clock.now() });
      await auditRepo(store.db).append({ actor: 'system', action: 'app.stop', subject: reason }, clock.now());
      await store.close();
    })();
    return stopping;
  };
  return { loaded, store, bus, stop };
}
