/** `polyhunter start`: boot everything and run until Ctrl-C (SIGINT) or SIGTERM. */
import { createLogger } from '../../core/logger.ts';
import { startApp } from '../app.ts';
import { type GlobalOptions, loadFromOptions } from '../context.ts';
import { onStopSignals } from '../signals.ts';

export async function runStart(global: GlobalOptions): Promise<void> {
  const loaded = loadFromOptions(global);
  const logger = createLogger({ level: loaded.config.log.level, format: loaded.config.log.format });
  const signals = onStopSignals((signal) => {
    logger.warn({ signal }, 'second signal: exiting without a clean stop');
    logger.flush();
  });
  try {
    const app = await startApp({ loaded, logger });
    const mode = app.loaded.config.trading.mode.toUpperCase();
    logger.info({ mode }, `PolyHunter is running in ${mode} mode; press Ctrl-C to stop`);
    await app.stop(await signals.stopped);
    logger.info('stopped');
  } finally {
    signals.dispose();
    logger.flush();
  }
}
