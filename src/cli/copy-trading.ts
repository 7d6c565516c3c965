/**
 * The copy-trading pipeline of a running PolyHunter: the market catalog, live order books, the
 * quote source, the order manager with the paper broker, and the copier that turns new leader
 * trades into decisions and orders. Settings are re-read from the database every few seconds, so
 * `polyhunter config set` applies to the next trade without a restart.
 */
import type { LoadedConfig } from '../config/index.ts';
import { type Copier, type CopyDecisionEvent, createCopier } from '../copy/copier.ts';
import type { SourceGate } from '../copy/source-gate.ts';
import type { Clock } from '../core/clock.ts';
import { describeError } from '../core/errors.ts';
import { microFromNumber, type Price, type Usdc } from '../core/index.ts';
import type { Logger } from '../core/logger.ts';
import { type OrderEvent, OrderManager } from '../execution/order-manager.ts';
import { createQuoteSource } from '../execution/quotes.ts';
import { resolvePositions } from '../execution/resolutions.ts';
import { BookFeed } from '../market-data/book/index.ts';
import { createMarketCatalog, type MarketCatalog } from '../market-data/catalog.ts';
import { fetchPortfolioValue } from '../polymarket/data-api/index.ts';
import type { RiskLimits } from '../risk/index.ts';
import { accountsRepo, readRuntimeSettings, type Store } from '../store/index.ts';
import type { LiveAccounts } from './live-accounts.ts';

export interface CopyTradingOptions {
  loaded: LoadedConfig;
  store: Store;
  clock: Clock;
  logger: Logger;
  gate: () => SourceGate;
  onDecision?: (e: CopyDecisionEvent) => void;
  onOrder?: (e: OrderEvent) => void;
  /** Live mode: the live accounts, reconciled with the venue already. */
  live?: LiveAccounts | null;
}

export interface CopyTrading {
  catalog: MarketCatalog;
  copier: Copier;
  orders: OrderManager;
  books: BookFeed;
  /** Re-reads the runtime settings now (a change made through this process's API applies at once). */
  refreshSettings(): Promise<void>;
  /** The effective settings as last read (every 5 s, and at once after a change through the API). */
  settings(): LoadedConfig;
  stop(): Promise<void>;
}

/** The config's risk section (dollars, plain numbers) as the gate's limits (exact micro-units). */
export function riskLimitsOf(risk: LoadedConfig['config']['risk']): RiskLimits {
  const usd = (v: number | null) => (v === null ? undefined : (microFromNumber(v, 'halfEven') as Usdc));
  const px = (v: number | null) => (v === null ? undefined : (microFromNumber(v, 'halfEven') as Price));
  const entries: Record<string, unknown> = {
    sides: risk.sides,
    minLeaderTradeUsdc: usd(risk.min_leader_trade_usd),
    maxLeaderTradeUsdc: usd(risk.max_leader_trade_usd),
    minPrice: px(risk.min_price),
    maxPrice: px(risk.max_price),
    minBookDepthUsdc: usd(risk.min_book_depth_usd),
    maxSpreadBps: risk.max_spread_bps ?? undefined,
    minTimeToResolutionSec: risk.min_time_to_resolution_sec ?? undefined,
    marketAllow: risk.market_allow ?? undefined,
    marketDeny: risk.market_deny,
    maxPerTradeUsdc: usd(risk.max_per_trade_usd),
    maxPerMarketUsdc: usd(risk.max_per_market_usd),
    maxPerLeaderUsdc: usd(risk.max_per_leader_usd),
    maxTotalUsdc: usd(risk.max_total_usd),
    dailyLossLimitUsdc: usd(risk.daily_loss_limit_usd),
    breakerFailures: risk.breaker_failures ?? undefined,
    breakerCooldownMs: risk.breaker_cooldown_sec * 1000,
    maxQuoteAgeMs: risk.max_quote_age_ms,
    maxDeviationBps: risk.max_deviation_bps ?? undefined,
    maxSlippageBps: risk.max_slippage_bps ?? undefined,
  };
  return Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined)) as RiskLimits;
}

const SETTINGS_REFRESH_MS = 5000;
const RESTING_SWEEP_MS = 1000;
const RESOLUTION_CHECK_MS = 15_000;
/** How far back a restart looks for trades that were committed but never decided. */
const UNDECIDED_LOOKBACK_MS = 24 * 3600_000;

export async function startCopyTrading(options: CopyTradingOptions): Promise<CopyTrading> {
  const { store, clock, logger } = options;
  const live = options.live ?? null;
  let loaded = options.loaded;
  const { venue } = loaded.config;
  const now = () => clock.now();

  await accountsRepo(store.db).ensurePaper(
    'paper',
    microFromNumber(loaded.config.trading.paper_starting_cash_usd, 'halfEven'),
    now(),
  );

  const catalog = createMarketCatalog({ store, gammaUrl: venue.gamma_url, now });
  const books = new BookFeed({
    url: `${venue.clob_ws_url.replace(/\/+$/, '')}/market`,
    restUrl: venue.clob_url,
    clock,
    logger: logger.child({ component: 'books' }),
  });
  books.start();
  const quotes = createQuoteSource({ feed: books, restUrl: venue.clob_url, clock, logger });
  const orders = new OrderManager({
    store,
    clock,
    logger: logger.child({ component: 'orders' }),
    quotes,
    catalog,
    limits: () => riskLimitsOf(loaded.config.risk),
    ...(options.onOrder ? { onOrder: options.onOrder } : {}),
    ...(live
      ? { liveVenue: (id: number) => live.venue(id), livePreflight: (id: number) => live.preflight(id) }
      : {}),
  });
  const values = new Map<string, { at: number; value: Promise<Usdc | null> }>();
  const copier = createCopier({
    store,
    clock,
    logger: logger.child({ component: 'copier' }),
    catalog,
    quotes,
    orders,
    gate: options.gate,
    settings: () => {
      const t = loaded.config.trading;
      return {
        coalesceMs: t.coalesce_ms,
        catchUp: {
          maxLiveLagSec: t.max_live_lag_sec,
          catchUpBuyMaxAgeSec: t.catch_up_buy_max_age_sec,
          catchUpBuyRequireBetterPrice: t.catch_up_buy_require_better_price,
          catchUpBuyMaxWorseBps: t.catch_up_buy_max_worse_bps,
        },
        orderType: t.order_type,
        gtcTtlSec: t.gtc_ttl_sec,
      };
    },
    // A leader's portfolio value moves slowly; one request a minute per leader is plenty.
    leaderValue: (leader) => {
      const hit = values.get(leader);
      if (hit && now() - hit.at < 60_000) return hit.value;
      const value = fetchPortfolioValue(venue.data_api_url, leader).catch((err: unknown) => {
        logger.warn({ leader, err: describeError(err) }, 'could not read the leader’s portfolio value');
        values.delete(leader);
        return null;
      });
      values.set(leader, { at: now(), value });
      return value;
    },
    ...(options.onDecision ? { onDecision: options.onDecision } : {}),
    ...(live ? { liveBalance: (id: number) => live.balance(id) } : {}),
  });

  const recovered = await orders.recover();
  if (recovered.expired + recovered.resumed > 0) logger.info(recovered, 'orders recovered after a restart');
  if (live) {
    const resumed = await orders.resumeLive(live.resendable());
    if (resumed > 0) logger.info({ resumed }, 'live orders never sent before a restart were sent');
    const resent = await orders.resendUnseen();
    if (resent > 0) logger.info({ resent }, 'live orders the venue never got were posted again, unchanged');
  }
  const undecided = await copier.resumeUndecided(now() - UNDECIDED_LOOKBACK_MS);
  if (undecided > 0) logger.info({ trades: undecided }, 'deciding leader trades a restart left undecided');

  const timers: NodeJS.Timeout[] = [];
  let busy = false;
  // Each periodic job skips a beat rather than overlapping itself.
  const every = (ms: number, what: string, job: () => Promise<void>) => {
    const t = setInterval(() => {
      if (busy) return;
      busy = true;
      job()
        .catch((err: unknown) => logger.warn({ err: describeError(err) }, `${what} failed`))
        .finally(() => {
          busy = false;
        });
    }, ms);
    t.unref();
    timers.push(t);
  };
  const refreshSettings = async () => {
    loaded = await readRuntimeSettings(store, options.loaded);
  };
  // Changes made by another process (`config set`) arrive within a refresh.
  every(SETTINGS_REFRESH_MS, 'settings refresh', refreshSettings);
  every(RESTING_SWEEP_MS, 'resting order sweep', () => orders.sweepResting());
  every(RESOLUTION_CHECK_MS, 'resolution check', async () => {
    await resolvePositions({ store, catalog, now: now(), logger });
  });

  return {
    catalog,
    copier,
    orders,
    books,
    refreshSettings,
    settings: () => loaded,
    async stop() {
      for (const t of timers) clearInterval(t);
      await copier.idle();
      await books.stop();
    },
  };
}
