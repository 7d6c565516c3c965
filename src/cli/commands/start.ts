/** `polyhunter start`: boot everything and run until Ctrl-C (SIGINT) or SIGTERM. */
import { resolve } from 'node:path';
import type { LoadedConfig } from '../../config/index.ts';
import { ConfigError, ValidationError } from '../../core/errors.ts';
import { createLogger } from '../../core/logger.ts';
import { startApp } from '../app.ts';
import { type GlobalOptions, loadFromOptions } from '../context.ts';
import { onStopSignals } from '../signals.ts';

export interface StartOptions {
  /** Trade live (trading.mode = "live"), after a confirmation at the terminal. */
  live?: boolean;
  /** Trade live without asking: for unattended runs. */
  yesLive?: boolean;
  keystore?: string;
}

export async function runStart(global: GlobalOptions, options: StartOptions = {}): Promise<void> {
  const loaded = loadFromOptions(global);
  const confirmed = await confirmMode(loaded, options);
  const logger = createLogger({ level: loaded.config.log.level, format: loaded.config.log.format });
  const signals = onStopSignals((signal) => {
    logger.warn({ signal }, 'second signal: exiting without a clean stop');
    logger.flush();
  });
  try {
    const app = await startApp({
      loaded,
      logger,
      live: {
        confirmed,
        ...(options.keystore === undefined ? {} : { keystorePath: resolve(options.keystore) }),
      },
    });
    const mode = app.loaded.config.trading.mode.toUpperCase();
    logger.info({ mode }, `PolyHunter is running in ${mode} mode; press Ctrl-C to stop`);
    await app.stop(await signals.stopped);
    logger.info('stopped');
  } finally {
    signals.dispose();
    logger.flush();
  }
}

/**
 * Whether live trading is confirmed. Real money needs both the config (trading.mode = "live") and
 * the operator: `--live` asks once at a terminal, `--yes-live` is the unattended yes. Either flag
 * without live mode in the config is a mistake worth stopping for, not a silent paper run.
 */
async function confirmMode(loaded: LoadedConfig, options: StartOptions): Promise<boolean> {
  const asked = options.live === true || options.yesLive === true;
  if (loaded.config.trading.mode !== 'live') {
    if (asked) {
      throw new ConfigError(
        `--live and --yes-live need trading.mode = "live" in ${loaded.configFile} (it is "${loaded.config.trading.mode}"): live trading is switched on in the config file`,
      );
    }
    return false;
  }
  if (options.yesLive === true) return true;
  if (options.live !== true) {
    throw new ConfigError(
      'trading.mode = "live" signs and posts real orders with real money: start it with `polyhunter start --live` (asks once to confirm) or `--yes-live` for unattended runs',
    );
  }
  if (process.stdin.isTTY !== true) {
    throw new ValidationError(
      '--live asks for a confirmation at a terminal and there is none: use --yes-live for unattended runs',
    );
  }
  const { askLine } = await import('../../keys/index.ts');
  const names = loaded.config.accounts.map((a) => a.name).join(', ') || '(none configured)';
  process.stderr.write(
    `\nLIVE TRADING: PolyHunter will sign and post real orders on ${loaded.config.venue.clob_url}\nfor the accounts ${names}, copying every enabled follow of those accounts.\n`,
  );
  const answer = await askLine('Type "live" to start trading live: ');
  if (answer !== 'live') throw new ValidationError('not confirmed: nothing was started');
  return true;
}
