/**
 * The copier: a new leader trade, for each active follow of that leader, becomes a decision (copy
 * or skip, with its reason) and, for a copy, an order through the order manager. Trades are
 * handled one at a time in arrival order, so a leader's sell sees the position its buy made.
 *
 * Exactly once: each (follow, trade) pair is decided once (copy_decisions is unique on it), and a
 * copy's order carries the idempotency key `copy:<follow id>:<trade key>` (orders are unique on
 * it), so a restart, a second source or a second process never copies a trade twice.
 */
import type { Clock } from '../core/clock.ts';
import { describeError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { Price, Shares, Usdc } from '../core/money.ts';
import type { OrderManager, OrderOutcome } from '../execution/order-manager.ts';
import type { PaperOrderType } from '../execution/paper-broker.ts';
import type { QuoteSource } from '../execution/quotes.ts';
import type { MarketCatalog } from '../market-data/catalog.ts';
import { decisionExists, insertDecision, positionOf, type Store } from '../store/index.ts';
import { activeFollowsOf } from './follows.ts';
import { type IngestedTrade, ingestedTrade } from './ingest/index.ts';
import { type CatchUpSettings, type CopyPlan, type FollowConfig, planCopy } from './planner/index.ts';
import type { SourceGate } from './source-gate.ts';

export interface CopierSettings {
  /**
   * How long after a trade's first sighting to decide. RTDS and the Data API report a taker order
   * once per matched maker, milliseconds apart; deciding on the first part alone would size the
   * copy (and a proportional sell's ratio) from a fraction of the trade. 0 decides at once.
   */
  coalesceMs: number;
  catchUp: CatchUpSettings;
  orderType: PaperOrderType;
  gtcTtlSec: number;
}

export type CopyDecisionEvent = {
  trade: IngestedTrade;
  follow: FollowConfig;
  at: number;
} & (
  | { decision: 'skip'; reason: string; detail: string }
  | { decision: 'copy'; plan: Extract<CopyPlan, { kind: 'order' }>; outcome: OrderOutcome }
);

export interface CopierOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  catalog: MarketCatalog;
  quotes: QuoteSource;
  orders: OrderManager;
  /** Read for every trade, so a changed setting applies to the next one. */
  settings: () => CopierSettings;
  /** Whether the trigger sources allow copying now (strict mode closes it). */
  gate: () => SourceGate;
  /**
   * A live account's spendable balance (the venue's, e.g. from src/execution/preflight); without
   * it a live account sizes from nothing and its buys are skipped. Paper accounts use their cash.
   */
  liveBalance?: (accountId: number) => Promise<Usdc>;
  /** A leader's portfolio value (for balance-ratio sizing); null when unknown. */
  leaderValue: (leader: string) => Promise<Usdc | null>;
  onDecision?: (event: CopyDecisionEvent) => void;
}

export interface Copier {
  /** Queues a new leader trade; resolves when it has been decided for every follow. */
  onTrade(trade: IngestedTrade): Promise<void>;
  /**
   * Queues the trades first seen since `since` (epoch ms) that an active follow has not decided:
   * a crash between a trade's commit and its decisions (the coalesce wait is the widest gap) must
   * not lose it, and `ingest` reports a trade as new only once. Follows added or changed after the
   * trade are not owed it. Returns how many trades were queued.
   */
  resumeUndecided(since: number): Promise<number>;
  /** Resolves when everything queued so far is done. */
  idle(): Promise<void>;
  stats(): { trades: number; decisions: number; copies: number; skips: number };
}

export function createCopier(options: CopierOptions): Copier {
  const { store, clock, logger } = options;
  let tail: Promise<void> = Promise.resolve();
  const stats = { trades: 0, decisions: 0, copies: 0, skips: 0 };

  const recordSkip = async (
    trade: IngestedTrade,
    follow: FollowConfig,
    reason: string,
    detail: string,
    numbers: Record<string, number | string | null>,
    catchUp: boolean,
  ) => {
    const inserted = await insertDecision(
      store.db,
      {
        followConfigId: follow.id,
        leaderTradeId: trade.id,
        accountId: follow.accountId,
        decision: 'skip',
        reasonCode: reason,
        detail,
        numbers,
        catchUp,
        orderId: null,
      },
      clock.now(),
    );
    if (!inserted) return;
    stats.skips++;
    options.onDecision?.({ trade, follow, at: clock.now(), decision: 'skip', reason, detail });
  };

  async function decide(trade: IngestedTrade, follow: FollowConfig): Promise<void> {
    if (await decisionExists(store.db, follow.id, trade.id)) return;
    stats.decisions++;
    const gate = options.gate();
    if (!gate.open) {
      await recordSkip(
        trade,
        follow,
        'SOURCES_DOWN',
        `Not copied: ${gate.reason}.`,
        { down: gate.down.join(',') },
        false,
      );
      return;
    }
    const market = await options.catalog.byCondition(trade.conditionId);
    if (market === null) {
      await recordSkip(
        trade,
        follow,
        'UNKNOWN_MARKET',
        `Market ${trade.conditionId} is not in the catalog.`,
        {},
        false,
      );
      return;
    }
    const target =
      follow.direction === 'copy'
        ? trade.tokenId
        : (market.tokens.find((t) => t.tokenId !== trade.tokenId)?.tokenId ?? trade.tokenId);
    const [position, account, quote, leaderValue] = await Promise.all([
      positionOf(store.db, follow.accountId, target),
      store.db
        .selectFrom('accounts')
        .select(['cash', 'mode'])
        .where('id', '=', follow.accountId)
        .executeTakeFirst(),
      options.quotes.quote(target),
      follow.sizing.mode === 'balance_ratio' ? options.leaderValue(trade.leader) : Promise.resolve(null),
    ]);
    const settings = options.settings();
    const plan = planCopy({
      trade: {
        key: trade.key,
        leaderAddress: trade.leader,
        conditionId: trade.conditionId,
        tokenId: trade.tokenId,
        side: trade.side,
        price: trade.price as Price,
        size: trade.size as Shares,
        usdcSize: trade.usdc as Usdc,
        tradeAt: trade.tradeAt,
        isBackfill: trade.isBackfill,
        preTradeShares: trade.preTradeShares as Shares | null,
      },
      config: follow,
      market: {
        conditionId: market.conditionId,
        tokens: market.tokens,
        tickSize: market.tickSize,
        minOrderSize: market.minSize,
        closed: market.closed,
        acceptingOrders: market.acceptingOrders,
      },
      ownShares: (position?.resolved_at == null ? (position?.shares ?? 0) : 0) as Shares,
      ownBalanceUsdc:
        account?.mode === 'live'
          ? ((await options.liveBalance?.(follow.accountId)) ?? (0 as Usdc))
          : ((account?.cash ?? 0) as Usdc),
      leaderPortfolioUsdc: leaderValue,
      quote: quote.receivedAt > 0 ? { bestBid: quote.bestBid, bestAsk: quote.bestAsk } : null,
      catchUpSettings: settings.catchUp,
      now: clock.now(),
    });
    if (plan.kind === 'skip') {
      await recordSkip(trade, follow, plan.reason, plan.detail, plan.numbers, false);
      return;
    }
    const outcome = await options.orders.place({
      idempotencyKey: `copy:${follow.id}:${trade.key}`,
      origin: 'copy',
      accountId: follow.accountId,
      followConfigId: follow.id,
      leaderTradeId: trade.id,
      leaderAddress: trade.leader,
      conditionId: trade.conditionId,
      tokenId: plan.tokenId,
      side: plan.side,
      size: plan.size,
      limitPrice: plan.limitPrice,
      orderType: settings.orderType,
      ttlMs: settings.orderType === 'GTC' ? settings.gtcTtlSec * 1000 : null,
      leaderPrice: trade.price as Price,
      leaderTradeUsdc: trade.usdc as Usdc,
      catchUp: plan.catchUp,
      // The account decides: a live account's copies go to the venue, a paper one's fill on paper.
      live: account?.mode === 'live',
      decision: { detail: plan.reason, numbers: plan.numbers },
    });
    if (outcome.kind === 'duplicate') return;
    stats.copies++;
    options.onDecision?.({ trade, follow, at: clock.now(), decision: 'copy', plan, outcome });
  }

  async function handle(first: IngestedTrade): Promise<void> {
    stats.trades++;
    // The trade as it stands now: any further parts seen while it waited are in it.
    const trade = (await ingestedTrade(store.db, first.id)) ?? first;
    if (trade.retracted) return;
    const follows = await activeFollowsOf(store, trade.leader, (id, err) =>
      logger.error({ follow: id, err: err.message }, 'a stored follow is invalid; it is not copying'),
    );
    for (const follow of follows) {
      try {
        await decide(trade, follow);
      } catch (err) {
        // One follow's failure (a catalog outage) must not stop the others; the trade stays
        // undecided for this follow and is not retried blindly.
        logger.error(
          { trade: trade.key, follow: follow.id, err: describeError(err) },
          'copy decision failed',
        );
      }
    }
  }

  const enqueue = (trade: IngestedTrade, wait: number): Promise<void> => {
    const settled = wait > 0 ? clock.sleep(wait) : Promise.resolve();
    const run = tail.then(() => settled).then(() => handle(trade));
    tail = run.catch(() => {});
    return run;
  };

  return {
    // The wait starts now, in parallel with earlier trades' waits, so a burst is delayed once.
    onTrade: (trade) => enqueue(trade, options.settings().coalesceMs),
    async resumeUndecided(since) {
      const rows = await store.db
        .selectFrom('leader_trades as t')
        .innerJoin('follow_configs as f', 'f.leader_address', 't.leader_address')
        .select('t.id')
        .distinct()
        .where('t.created_at', '>=', since)
        .where('t.is_backfill', '=', 0)
        .where('t.retracted_at', 'is', null)
        .where('f.enabled', '=', 1)
        // A follow changed (or re-enabled) after the trade is not owed it under its new settings.
        .where('f.updated_at', '<=', (eb) => eb.ref('t.created_at'))
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('copy_decisions as d')
                .select('d.id')
                .whereRef('d.follow_config_id', '=', 'f.id')
                .whereRef('d.leader_trade_id', '=', 't.id'),
            ),
          ),
        )
        .orderBy('t.id')
        .execute();
      for (const { id } of rows) {
        const trade = await ingestedTrade(store.db, id);
        // Its parts all arrived long ago: no coalesce wait.
        if (trade !== undefined) void enqueue(trade, 0);
      }
      return rows.length;
    },
    idle: () => tail,
    stats: () => ({ ...stats }),
  };
}
