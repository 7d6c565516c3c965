/** `polyhunter start`: boot everything and run until Ctrl-C (SIGINT) or SIGTERM. */
import { createLogger } from '../../core/logger.ts';
import { startApp } from '../app.ts';
import { type GlobalOptions, loadFromOptions } from '../context.ts';

export async function runStart(global: GlobalOptions): Promise<void> {
  const loaded = loadFromOptions(global);
  const logger = createLogger({ level: loaded.config.log.level, format: loaded.config.log.format });

  // Signal handlers go in before anything else: a Ctrl-C during boot must still end in a clean
  // stop, and one arriving before they are installed would kill the process mid-write.
  let signals = 0;
  let onStopSignal: (signal: NodeJS.Signals) => void = () => {};
  const stopSignal = new Promise<NodeJS.Signals>((resolve) => {
    onStopSignal = resolve;
  });
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      logger.warn({ signal }, 'second signal: exiting without a clean stop');
      logger.flush();
      process.exit(130);
    }
    onStopSignal(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  // Nothing else holds the event loop open until later components (servers, sockets) arrive.
  const keepAlive = setInterval(() => {}, 1 << 30);
  try {
    const app = await startApp({ loaded, logger });
    const mode = app.loaded.config.trading.mode.toUpperCase();
    logger.info({ mode }, `PolyHunter is running in ${mode} mode; press Ctrl-C to stop`);
    await app.stop(await stopSignal);
    logger.info('stopped');
  } finally {
    clearInterval(keepAlive);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    logger.flush();
  }
}
