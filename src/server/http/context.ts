/**
 * What every route group shares: the store, the boot configuration, the clock, the bus, and the
 * effective settings read fresh from the database on each request (a change made by the CLI or
 * another process shows at once).
 */

import type { LoadedConfig } from '../../config/index.ts';
import type { CopyTradingEvents } from '../../copy/events.ts';
import type { Clock } from '../../core/clock.ts';
import { microFromNumber } from '../../core/decimal.ts';
import type { EventBus, TradingMode } from '../../core/events.ts';
import type { Logger } from '../../core/logger.ts';
import { bookMarks } from '../../portfolio/book-marks.ts';
import type { Marks } from '../../portfolio/report.ts';
import { type LiveAccountRow, readRuntimeSettings, type Store } from '../../store/index.ts';

/** The events the server streams: the running app's. */
export type ServerEvents = CopyTradingEvents;

/** A component's health as the running process reports it. */
export interface ComponentHealthRow {
  component: string;
  healthy: boolean;
  detail: unknown;
}

/** Who the audit log and the settings table say made a change through the API. */
export const API_ACTOR = 'dashboard';

export interface RouteContext {
  store: Store;
  /** The configuration as loaded at boot; the database's settings are laid over it per request. */
  loaded: LoadedConfig;
  bus: EventBus<ServerEvents>;
  clock: Clock;
  logger: Logger;
  mode: TradingMode;
  startedAt: number;
  writesEnabled: boolean;
  health: () => readonly ComponentHealthRow[];
  /** Marks for positions and PnL; null: read the book mids from the effective `venue.clob_url`. */
  marks: Marks | null;
  /** The configured live account of a name (its trading wallet), for a follow that creates it. */
  liveAccount: ((name: string) => Promise<LiveAccountRow | undefined>) | null;
  /** Called before a paper reset, e.g. to let queued copies finish. */
  beforePaperReset: (() => Promise<void>) | null;
  /** False once the server or the app is stopping. */
  accepting: () => boolean;
}

/** The configuration with the database's runtime settings laid over it, as of now. */
export function effectiveConfig(ctx: RouteContext): Promise<LoadedConfig> {
  return readRuntimeSettings(ctx.store, ctx.loaded);
}

/** `trading.paper_starting_cash_usd` in micro-USDC, the database's value over the file's. */
export function paperStartingCash(loaded: LoadedConfig): number {
  return microFromNumber(loaded.config.trading.paper_starting_cash_usd, 'halfEven');
}

export async function marksOf(ctx: RouteContext): Promise<Marks> {
  if (ctx.marks !== null) return ctx.marks;
  return bookMarks((await effectiveConfig(ctx)).config.venue.clob_url);
}
