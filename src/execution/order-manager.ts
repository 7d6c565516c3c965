/**
 * The order manager: every order, from any source, goes through the same stages, each timed and
 * stored on the order:
 *
 *   prewrite     the intent is committed as PENDING under its idempotency key (a second intent
 *                with the key is a duplicate and goes no further), with the copy decision;
 *   risk         the one risk gate over a snapshot (book, exposure, today's PnL, breaker, clock);
 *   pricing      walking the book for what the order would get;
 *   preflight    what the venue would refuse: closed market, minimum size, cash, shares held;
 *   execution    the broker (paper: fills from the book);
 *   persistence  fills, position, cash and the order's final state, in one transaction.
 *
 * A refusal or rejection is written on the order, as guardrail events, and on the decision. A
 * PENDING order older than 10 minutes is failed, never retried blindly; a younger paper one (a
 * crash between prewrite and persistence, so nothing of it was booked) is resumed.
 */
import type { Clock } from '../core/clock.ts';
import { formatMicro } from '../core/decimal.ts';
import { describeError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import { type Micro, notional, type Price, type Shares, type Usdc } from '../core/money.ts';
import { depthWithin, walkBook } from '../market-data/book/index.ts';
import type { MarketCatalog } from '../market-data/catalog.ts';
import { takerFee } from '../polymarket/fees.ts';
import {
  type BreakerState,
  breakerStatus,
  CLOSED_BREAKER,
  evaluateRisk,
  type Refusal,
  type RiskLimits,
  type RiskQuote,
  recordAttempt,
  recordOutcome,
} from '../risk/index.ts';
import {
  exposureOf,
  insertDecision,
  insertGuardrailEvents,
  insertOrderIntent,
  ORDER_STATUSES,
  type OrderRow,
  type OrderStatus,
  ordersIn,
  positionOf,
  realizedSince,
  refuseDecision,
  type Store,
  updateOrder,
} from '../store/index.ts';
import { bookFills, type LedgerFill } from './ledger.ts';
import type { SubmitHooks } from './live/live-broker.ts';
import type { LiveOrder, OrderTerms, SignedLiveOrder } from './live/order-signer.ts';
import type { SubmitOutcome } from './live/submit-outcome.ts';
import { executePaper, matchResting, type PaperOrderType } from './paper-broker.ts';
import type { Preflight } from './preflight/preflight.ts';
import type { Quote, QuoteSource } from './quotes.ts';

/** A PENDING order older than this is failed: its moment has passed. */
export const PENDING_EXPIRY_MS = 10 * 60_000;

export interface OrderIntent {
  idempotencyKey: string;
  /** 'copy', later 'dutch_book', 'spread', 'manual'. */
  origin: string;
  accountId: number;
  followConfigId: number | null;
  leaderTradeId: number | null;
  leaderAddress: string | null;
  conditionId: string;
  tokenId: string;
  side: 'BUY' | 'SELL';
  size: Shares;
  limitPrice: Price;
  orderType: PaperOrderType;
  /** GTC: how long the rest may rest. */
  ttlMs: number | null;
  leaderPrice: Price | null;
  leaderTradeUsdc: Usdc | null;
  catchUp: boolean;
  /** A live order, sent to the venue through `liveVenue`; paper (the default) fills from the book. */
  live?: boolean;
  /** The copy decision this order carries out, written with the intent. */
  decision?: { detail: string; numbers: Record<string, number | string | null> };
}

export type OrderOutcome =
  | { kind: 'duplicate'; orderId: number | null }
  | { kind: 'refused'; orderId: number; refusals: readonly Refusal[] }
  | { kind: 'rejected'; orderId: number; code: string; reason: string }
  | {
      kind: 'executed';
      orderId: number;
      status: OrderStatus;
      filledShares: number;
      /** Share-weighted, rounded to the micro; null when nothing filled. */
      avgPrice: number | null;
      cash: number;
      fees: number;
      realized: number;
      priceSource: 'book' | 'leader_fallback' | null;
      note: string | null;
    }
  | { kind: 'failed'; orderId: number; error: string }
  /** Live: the venue took the order; fills arrive from the user channel and reconciliation. */
  | { kind: 'submitted'; orderId: number; orderHash: string; venueStatus: string }
  /** Live: sent, but its fate is unknown (timeout, 5xx, 425): it stays SUBMITTED, settled by its hash. */
  | { kind: 'unknown'; orderId: number; orderHash: string; error: string };

export interface OrderEvent {
  orderId: number;
  intent: Pick<
    OrderIntent,
    'idempotencyKey' | 'origin' | 'accountId' | 'tokenId' | 'side' | 'size' | 'limitPrice' | 'live'
  >;
  outcome: OrderOutcome;
  at: number;
}

export interface OrderManagerOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  quotes: QuoteSource;
  catalog: MarketCatalog;
  /** Read at each order, so a changed setting applies at once. */
  limits: () => RiskLimits;
  onOrder?: (event: OrderEvent) => void;
  /** The venue an account's live orders go to; null when the account cannot trade live. */
  liveVenue?: (accountId: number) => LiveVenue | null;
  /** The venue-side checks of a live account (balance, allowances, shares held); null: none. */
  livePreflight?: (accountId: number) => Pick<Preflight, 'checkBuy' | 'checkSell'> | null;
  /** Time source for stage timings, in microseconds. */
  micros?: () => number;
}

/** What the order manager needs of a live broker (src/execution/live/LiveBroker). */
export interface LiveVenue {
  submit(order: LiveOrder, terms: OrderTerms, hooks: SubmitHooks): Promise<SubmitOutcome>;
  /** Posts an order signed before, unchanged (same hash: the venue cannot take it twice). */
  resubmit?(signed: SignedLiveOrder): Promise<SubmitOutcome>;
  /** The venue's view of an order by hash; null when it does not know it. */
  lookup?(orderHash: string): Promise<unknown | null>;
}

type Stage = 'prewrite' | 'risk' | 'pricing' | 'preflight' | 'execution' | 'persistence';

const hrMicros = () => Number(process.hrtime.bigint() / 1000n);

const NO_EXPOSURE = { marketUsdc: 0, leaderUsdc: 0, totalUsdc: 0 };

function startOfUtcDay(now: number): number {
  return now - (now % 86_400_000);
}

export class OrderManager {
  readonly #o: OrderManagerOptions;
  readonly #micros: () => number;
  readonly #breakers = new Map<number, BreakerState>();
  #orders = 0;
  #failures = 0;

  constructor(options: OrderManagerOptions) {
    this.#o = options;
    this.#micros = options.micros ?? hrMicros;
  }

  async place(intent: OrderIntent): Promise<OrderOutcome> {
    const { store, clock } = this.#o;
    const timer = stageTimer(this.#micros);
    const now = clock.now();
    const orderId = await store.db.transaction().execute(async (trx) => {
      const id = await insertOrderIntent(
        trx,
        {
          idempotencyKey: intent.idempotencyKey,
          accountId: intent.accountId,
          followConfigId: intent.followConfigId,
          leaderTradeId: intent.leaderTradeId,
          origin: intent.origin,
          conditionId: intent.conditionId,
          tokenId: intent.tokenId,
          side: intent.side,
          orderType: intent.orderType,
          limitPrice: intent.limitPrice,
          size: intent.size,
          isPaper: intent.live !== true,
          leaderPrice: intent.leaderPrice,
          catchUp: intent.catchUp,
          expiresAt: intent.orderType === 'GTC' && intent.ttlMs !== null ? now + intent.ttlMs : null,
        },
        now,
      );
      if (id !== null && intent.decision && intent.followConfigId !== null && intent.leaderTradeId !== null) {
        await insertDecision(
          trx,
          {
            followConfigId: intent.followConfigId,
            leaderTradeId: intent.leaderTradeId,
            accountId: intent.accountId,
            decision: 'copy',
            reasonCode: null,
            detail: intent.decision.detail,
            numbers: intent.decision.numbers,
            catchUp: intent.catchUp,
            orderId: id,
          },
          now,
        );
      }
      return id;
    });
    if (orderId === null) return { kind: 'duplicate', orderId: null };
    timer.lap('prewrite');
    return this.#run(orderId, intent, timer);
  }

  /**
   * At start: fails PENDING orders older than PENDING_EXPIRY_MS, and resumes younger paper ones
   * (nothing of them was booked: persistence is one transaction). Returns what it did.
   */
  async recover(): Promise<{ expired: number; resumed: number }> {
    const { store, clock, logger } = this.#o;
    const now = clock.now();
    let expired = 0;
    let resumed = 0;
    for (const row of await ordersIn(store.db, ['PENDING'], true)) {
      if (now - row.created_at > PENDING_EXPIRY_MS) {
        const reason = 'PENDING for over 10 minutes: its moment has passed; not retried';
        if (
          await updateOrder(
            store.db,
            row.id,
            ['PENDING'],
            { status: 'FAILED', error: reason, doneAt: now },
            now,
          )
        ) {
          expired++;
          logger.warn({ order: row.id, key: row.idempotency_key }, reason);
        }
        continue;
      }
      const intent = await this.#intentOf(row);
      logger.info(
        { order: row.id, key: row.idempotency_key },
        'resuming a paper order written before a restart',
      );
      const outcome = await this.#run(row.id, intent, stageTimer(this.#micros));
      if (outcome.kind !== 'duplicate') resumed++;
    }
    return { expired, resumed };
  }

  /**
   * Live PENDING orders that start-up reconciliation proved never sent (no hash was stored, and
   * the hash is stored before any byte goes out): run again from their intent, once each. The
   * PENDING -> SUBMITTED claim in the live path makes a racing second resume send nothing.
   */
  async resumeLive(orderIds: readonly number[]): Promise<number> {
    const { store, logger } = this.#o;
    let resumed = 0;
    for (const id of orderIds) {
      const row = await store.db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();
      if (row === undefined || row.status !== 'PENDING' || row.is_paper !== 0 || row.order_hash !== null)
        continue;
      logger.info(
        { order: id, key: row.idempotency_key },
        'resuming a live order never sent before a restart',
      );
      const outcome = await this.#run(id, await this.#intentOf(row), stageTimer(this.#micros));
      if (outcome.kind !== 'duplicate') resumed++;
    }
    return resumed;
  }

  /**
   * Live orders left SUBMITTED by a crash between storing the hash and the venue's answer, which
   * the venue does not know: each is posted again as the very same signed order, once. The venue
   * keys orders by hash, so this cannot make a second order (a request of the dead process that
   * still arrives makes the resend a refused duplicate, which reconciliation then settles). Older
   * than `PENDING_EXPIRY_MS`, its moment has passed: reconciliation fails it instead.
   */
  async resendUnseen(): Promise<number> {
    const { store, clock, logger } = this.#o;
    let resent = 0;
    for (const row of await ordersIn(store.db, ['SUBMITTED'], false)) {
      if (row.signed_order === null || row.order_hash === null) continue;
      if (clock.now() - row.created_at > PENDING_EXPIRY_MS) continue;
      const venue = this.#o.liveVenue?.(row.account_id) ?? null;
      if (venue?.resubmit === undefined || venue.lookup === undefined) continue;
      // Only a venue that answered "unknown" gets the resend; an unanswered lookup leaves it to
      // reconciliation.
      const known = await venue.lookup(row.order_hash).catch(() => 'unanswered');
      if (known !== null) continue;
      const signed = JSON.parse(row.signed_order) as SignedLiveOrder;
      if (signed.orderHash.toLowerCase() !== row.order_hash.toLowerCase()) continue;
      logger.info(
        { order: row.id, orderHash: row.order_hash },
        'the venue never got this order: posting it again',
      );
      const timer = stageTimer(this.#micros);
      const outcome = await venue.resubmit(signed);
      timer.lap('execution');
      const result = await this.#applyLiveOutcome(row.id, row.account_id, outcome, timer);
      this.#o.onOrder?.({
        orderId: row.id,
        intent: await this.#intentOf(row),
        outcome: result,
        at: clock.now(),
      });
      resent++;
    }
    return resent;
  }

  /** Resting paper GTC orders: fill what the book now crosses, expire what has outlived its TTL. */
  async sweepResting(): Promise<void> {
    const { store, clock } = this.#o;
    for (const row of await ordersIn(store.db, ['LIVE', 'PARTIAL'], true)) {
      if (row.done_at !== null) continue;
      const now = clock.now();
      if (row.expires_at !== null && now >= row.expires_at) {
        await updateOrder(
          store.db,
          row.id,
          ['LIVE', 'PARTIAL'],
          { status: row.filled_size > 0 ? 'PARTIAL' : 'EXPIRED', doneAt: now, error: 'GTC expired' },
          now,
        );
        continue;
      }
      const quote = await this.#o.quotes.quote(row.token_id);
      if (!quote.book) continue;
      const remaining = (row.size - row.filled_size) as Shares;
      const fill = matchResting(row.side, remaining, row.limit_price as Price, quote.book);
      if (!fill) continue;
      await store.db.transaction().execute(async (trx) => {
        // Our own ledger must allow the fill: shares to sell, cash to pay (a maker pays no fee).
        if (row.side === 'SELL') {
          const held = (await positionOf(trx, row.account_id, row.token_id))?.shares ?? 0;
          if (held < fill.shares) return;
        } else {
          const account = await trx
            .selectFrom('accounts')
            .select('cash')
            .where('id', '=', row.account_id)
            .executeTakeFirst();
          if ((account?.cash ?? 0) < notional(fill.shares, fill.price, 'ceil')) return;
        }
        const booked = await bookFills(
          trx,
          {
            orderId: row.id,
            accountId: row.account_id,
            tokenId: row.token_id,
            side: row.side,
            isPaper: true,
            tradeIdPrefix: `paper-${row.id}-r${row.filled_size}`,
          },
          [fill],
          now,
        );
        const filled = row.filled_size + booked.filledShares;
        const done = filled >= row.size;
        await updateOrder(
          trx,
          row.id,
          ['LIVE', 'PARTIAL'],
          {
            status: done ? 'FILLED' : 'PARTIAL',
            filledSize: filled,
            ...(row.first_fill_at === null ? { firstFillAt: now } : {}),
            ...(done ? { doneAt: now } : {}),
          },
          now,
        );
      });
    }
  }

  health(): { orders: number; failures: number; breakers: Record<string, BreakerState> } {
    return { orders: this.#orders, failures: this.#failures, breakers: Object.fromEntries(this.#breakers) };
  }

  async #run(orderId: number, intent: OrderIntent, timer: StageTimer): Promise<OrderOutcome> {
    const outcome = await this.#stages(orderId, intent, timer).catch(async (err: unknown) => {
      const error = describeError(err);
      this.#failures++;
      this.#breakerAfter(intent.accountId, 'failure');
      this.#o.logger.error({ order: orderId, key: intent.idempotencyKey, err: error }, 'order failed');
      const now = this.#o.clock.now();
      await updateOrder(
        this.#o.store.db,
        orderId,
        ['PENDING'],
        { status: 'FAILED', error, doneAt: now },
        now,
      ).catch(() => {});
      return { kind: 'failed', orderId, error } as const;
    });
    this.#orders++;
    this.#o.onOrder?.({ orderId, intent, outcome, at: this.#o.clock.now() });
    return outcome;
  }

  async #stages(orderId: number, intent: OrderIntent, timer: StageTimer): Promise<OrderOutcome> {
    const { store, clock, quotes, catalog } = this.#o;
    const limits = this.#o.limits();

    // --- risk
    const [quote, market] = await Promise.all([
      quotes.quote(intent.tokenId),
      catalog.byCondition(intent.conditionId),
    ]);
    const now = clock.now();
    const levels = quote.book ? (intent.side === 'BUY' ? quote.book.asks : quote.book.bids) : null;
    const walk = levels ? walkBook(levels, intent.side, { shares: intent.size }, intent.limitPrice) : null;
    // Caps and the daily loss limit judge buys only, and only when set: skip their queries otherwise.
    const buy = intent.side === 'BUY';
    const capped =
      limits.maxPerMarketUsdc !== undefined ||
      limits.maxPerLeaderUsdc !== undefined ||
      limits.maxTotalUsdc !== undefined;
    const exposure =
      buy && capped
        ? await exposureOf(store.db, intent.accountId, intent.conditionId, intent.leaderAddress)
        : NO_EXPOSURE;
    const todayPnl =
      buy && limits.dailyLossLimitUsdc !== undefined
        ? await realizedSince(store.db, intent.accountId, startOfUtcDay(now))
        : 0;
    const breaker = this.#breakers.get(intent.accountId) ?? CLOSED_BREAKER;
    const decision = evaluateRisk(
      {
        accountId: intent.accountId,
        leaderAddress: intent.leaderAddress,
        conditionId: intent.conditionId,
        tokenId: intent.tokenId,
        side: intent.side,
        size: intent.size,
        limitPrice: intent.limitPrice,
        notional: notional(intent.size, intent.limitPrice, 'ceil'),
        leaderPrice: intent.leaderPrice,
        leaderTradeUsdc: intent.leaderTradeUsdc,
      },
      {
        now,
        market: { conditionId: intent.conditionId, slug: market?.slug ?? null, endAt: market?.endAt ?? null },
        quote: riskQuoteOf(quote, levels, walk, intent),
        exposure: {
          marketUsdc: exposure.marketUsdc as Usdc,
          leaderUsdc: exposure.leaderUsdc as Usdc,
          totalUsdc: exposure.totalUsdc as Usdc,
        },
        todayPnlUsdc: todayPnl as Usdc,
        breaker,
      },
      limits,
    );
    timer.lap('risk');
    if (!decision.allowed) return this.#refuse(orderId, intent, decision.refusals, timer);

    // --- pricing: what the book gives now (the walk above), or the leader's price without a book
    const feeRate = (market?.feeRate ?? 0) as Micro;
    // A GTC's rest will be paid at its limit when it fills later: the cash must cover it now.
    const resting =
      walk && intent.orderType === 'GTC'
        ? notional((intent.size - walk.filledShares) as Shares, intent.limitPrice, 'ceil')
        : 0;
    const expectedCost = walk
      ? walk.costUsdc + walk.fills.reduce((sum, f) => sum + takerFee(f.shares, f.price, feeRate), 0) + resting
      : quote.book === null && intent.leaderPrice !== null
        ? notional(intent.size, intent.leaderPrice, 'ceil') +
          takerFee(intent.size, intent.leaderPrice, feeRate)
        : 0;
    timer.lap('pricing');

    // --- preflight
    // A book that could not be read is never replaced by the leader's price (even with the quote
    // age check switched off): only a book that does not exist is.
    const unreadable = quote.book === null && quote.receivedAt === 0;
    const reject = unreadable
      ? { code: 'NO_QUOTE', reason: 'the order book could not be read' }
      : await this.#preflight(intent, market, expectedCost);
    timer.lap('preflight');
    if (reject) return this.#reject(orderId, intent, reject.code, reject.reason, timer);

    // --- execution
    this.#breakers.set(intent.accountId, recordAttempt(breaker, now, limits));
    if (intent.live === true) return this.#sendLive(orderId, intent, timer);
    const exec = executePaper(
      { side: intent.side, size: intent.size, limitPrice: intent.limitPrice, orderType: intent.orderType },
      quote.book,
      feeRate,
      intent.leaderPrice,
    );
    timer.lap('execution');

    // --- persistence
    const done = exec.status !== 'LIVE' && !(intent.orderType === 'GTC' && exec.restingShares > 0);
    const booked = await store.db
      .transaction()
      .execute(async (trx) => {
        // Claim the order first: a concurrent run (a recovery racing a live one) finds it claimed
        // and books nothing, instead of tripping over the fills' unique key.
        const claimed = await updateOrder(
          trx,
          orderId,
          ['PENDING'],
          { status: 'SUBMITTED', submittedAt: now },
          now,
        );
        if (!claimed) throw new ConcurrentSettle();
        const b = await bookFills(
          trx,
          {
            orderId,
            accountId: intent.accountId,
            tokenId: intent.tokenId,
            side: intent.side,
            isPaper: true,
            tradeIdPrefix: `paper-${orderId}`,
          },
          exec.fills as LedgerFill[],
          now,
        );
        await updateOrder(
          trx,
          orderId,
          ['SUBMITTED'],
          {
            status: exec.status,
            filledSize: b.filledShares,
            error: exec.note,
            ackedAt: now,
            ...(b.filledShares > 0 ? { firstFillAt: now } : {}),
            ...(done ? { doneAt: now } : {}),
            stageUs: { ...timer.stages(), persistence: timer.sinceLap() },
          },
          clock.now(),
        );
        return b;
      })
      .catch((err: unknown) => {
        if (err instanceof ConcurrentSettle) return null;
        throw err;
      });
    if (booked === null) return { kind: 'duplicate', orderId };
    this.#breakerAfter(intent.accountId, 'success');
    return {
      kind: 'executed',
      orderId,
      status: exec.status,
      filledShares: booked.filledShares,
      avgPrice:
        booked.filledShares > 0
          ? Math.round(exec.fills.reduce((s, f) => s + f.price * f.shares, 0) / booked.filledShares)
          : null,
      cash: booked.cash,
      fees: booked.fees,
      realized: booked.realized,
      priceSource:
        exec.fills[0]?.priceSource === 'leader_fallback'
          ? 'leader_fallback'
          : exec.fills.length > 0
            ? 'book'
            : null,
      note: exec.note,
    };
  }

  /**
   * Live execution: the signed order's hash is stored (PENDING -> SUBMITTED) before its first byte
   * is sent, so a crash at any point leaves an order reconciliation can find by its hash. The venue
   * either takes it (LIVE, or MATCHED for a filled taker order: fills come from the user channel),
   * refuses it (REJECTED), or leaves its fate unknown (it stays SUBMITTED; never resent).
   */
  async #sendLive(orderId: number, intent: OrderIntent, timer: StageTimer): Promise<OrderOutcome> {
    const { store, clock } = this.#o;
    const venue = this.#o.liveVenue?.(intent.accountId) ?? null;
    if (venue === null) {
      return this.#reject(
        orderId,
        intent,
        'NO_LIVE_BROKER',
        'the account has no live broker (key or API credentials missing)',
        timer,
      );
    }
    let orderHash = '';
    const outcome = await venue.submit(
      { tokenId: intent.tokenId, side: intent.side, price: intent.limitPrice, size: intent.size },
      { orderType: intent.orderType },
      {
        beforeSend: async (signed) => {
          orderHash = signed.orderHash;
          const now = clock.now();
          const moved = await updateOrder(
            store.db,
            orderId,
            ['PENDING'],
            { status: 'SUBMITTED', submittedAt: now, orderHash, signedOrder: JSON.stringify(signed) },
            now,
          );
          // Claimed by someone else (a racing recovery): throwing here sends nothing.
          if (!moved) throw new ConcurrentSettle();
        },
      },
    );
    timer.lap('execution');
    return this.#applyLiveOutcome(orderId, intent.accountId, outcome, timer);
  }

  /** The venue's answer to a live order, written: FILLED or LIVE, REJECTED, or left SUBMITTED. */
  async #applyLiveOutcome(
    orderId: number,
    accountId: number,
    outcome: SubmitOutcome,
    timer: StageTimer,
  ): Promise<OrderOutcome> {
    const { store, clock } = this.#o;
    const now = clock.now();
    const from: OrderStatus[] = ['PENDING', 'SUBMITTED'];
    if (outcome.kind === 'accepted') {
      const filled = outcome.status === 'matched';
      // The user channel may have moved the order already (its event can beat this reply): the
      // status moves only from where we left it, the acknowledgement and timings are ours to write.
      await updateOrder(store.db, orderId, from, { status: filled ? 'FILLED' : 'LIVE' }, now);
      await updateOrder(
        store.db,
        orderId,
        ORDER_STATUSES,
        {
          venueOrderId: outcome.orderId,
          ackedAt: now,
          stageUs: { ...timer.stages(), persistence: timer.sinceLap() },
        },
        now,
      );
      this.#breakerAfter(accountId, 'success');
      return { kind: 'submitted', orderId, orderHash: outcome.orderHash, venueStatus: outcome.status };
    }
    this.#breakerAfter(accountId, 'failure');
    if (outcome.kind === 'rejected') {
      await updateOrder(
        store.db,
        orderId,
        from,
        {
          status: 'REJECTED',
          error: `${outcome.code}: ${outcome.message}`,
          doneAt: now,
          stageUs: timer.stages(),
        },
        now,
      );
      return { kind: 'rejected', orderId, code: outcome.code, reason: outcome.message };
    }
    await updateOrder(
      store.db,
      orderId,
      ['SUBMITTED'],
      { error: `unknown: ${outcome.error}`, stageUs: timer.stages() },
      now,
    );
    return { kind: 'unknown', orderId, orderHash: outcome.orderHash, error: outcome.error };
  }

  async #preflight(
    intent: OrderIntent,
    market: Awaited<ReturnType<MarketCatalog['byCondition']>>,
    expectedCost: number,
  ): Promise<{ code: string; reason: string } | null> {
    if (market === null)
      return { code: 'UNKNOWN_MARKET', reason: `market ${intent.conditionId} is not in the catalog` };
    if (market.closed || !market.acceptingOrders)
      return { code: 'MARKET_CLOSED', reason: 'the market does not accept orders' };
    if (intent.size < market.minSize) {
      return {
        code: 'BELOW_MIN_SIZE',
        reason: `${formatMicro(intent.size)} shares is below the market's minimum of ${formatMicro(market.minSize)}`,
      };
    }
    const { db } = this.#o.store;
    // A live account's cash and shares are the venue's: its preflight reads them (cached 2 s);
    // a paper account's are ours.
    if (intent.live === true) {
      const preflight = this.#o.livePreflight?.(intent.accountId) ?? null;
      if (preflight === null) return null;
      const check =
        intent.side === 'BUY'
          ? await preflight.checkBuy(expectedCost as Usdc, market.negRisk)
          : await preflight.checkSell(intent.tokenId, intent.size, { negRisk: market.negRisk });
      return check.ok ? null : { code: check.code, reason: `${check.message} ${check.fix}` };
    }
    if (intent.side === 'BUY') {
      const account = await db
        .selectFrom('accounts')
        .select('cash')
        .where('id', '=', intent.accountId)
        .executeTakeFirst();
      const cash = account?.cash ?? 0;
      if (expectedCost > cash) {
        return {
          code: 'INSUFFICIENT_CASH',
          reason: `the fill would cost $${formatMicro(expectedCost)} with fees, the account has $${formatMicro(cash)}`,
        };
      }
    } else {
      const held = (await positionOf(db, intent.accountId, intent.tokenId))?.shares ?? 0;
      if (held < intent.size) {
        return {
          code: 'INSUFFICIENT_SHARES',
          reason: `selling ${formatMicro(intent.size)} shares but holding ${formatMicro(held)}`,
        };
      }
    }
    return null;
  }

  async #refuse(
    orderId: number,
    intent: OrderIntent,
    refusals: readonly Refusal[],
    timer: StageTimer,
  ): Promise<OrderOutcome> {
    const { store, clock } = this.#o;
    const now = clock.now();
    const first = refusals[0]!;
    await store.db.transaction().execute(async (trx) => {
      await updateOrder(
        trx,
        orderId,
        ['PENDING'],
        {
          status: 'REJECTED',
          error: refusals.map((r) => `${r.code}: ${r.message}`).join(' | '),
          doneAt: now,
          stageUs: timer.stages(),
        },
        now,
      );
      await insertGuardrailEvents(
        trx,
        refusals.map((r) => ({
          reasonCode: r.code,
          accountId: intent.accountId,
          leaderAddress: intent.leaderAddress,
          tokenId: intent.tokenId,
          idempotencyKey: intent.idempotencyKey,
          context: { message: r.message, ...r.numbers },
        })),
        now,
      );
      await refuseDecision(trx, orderId, first.code, refusals.map((r) => r.message).join(' '));
    });
    return { kind: 'refused', orderId, refusals };
  }

  async #reject(
    orderId: number,
    intent: OrderIntent,
    code: string,
    reason: string,
    timer: StageTimer,
  ): Promise<OrderOutcome> {
    const { store, clock } = this.#o;
    const now = clock.now();
    await store.db.transaction().execute(async (trx) => {
      await updateOrder(
        trx,
        orderId,
        ['PENDING'],
        { status: 'REJECTED', error: `${code}: ${reason}`, doneAt: now, stageUs: timer.stages() },
        now,
      );
      await insertGuardrailEvents(
        trx,
        [
          {
            reasonCode: code,
            accountId: intent.accountId,
            leaderAddress: intent.leaderAddress,
            tokenId: intent.tokenId,
            idempotencyKey: intent.idempotencyKey,
            context: { message: reason },
          },
        ],
        now,
      );
      await refuseDecision(trx, orderId, code, reason);
    });
    return { kind: 'rejected', orderId, code, reason };
  }

  #breakerAfter(accountId: number, outcome: 'success' | 'failure'): void {
    const state = this.#breakers.get(accountId) ?? CLOSED_BREAKER;
    this.#breakers.set(accountId, recordOutcome(state, outcome, this.#o.clock.now(), this.#o.limits()));
  }

  /** Whether the account's breaker lets orders through now. */
  breakerOf(accountId: number): ReturnType<typeof breakerStatus> {
    return breakerStatus(
      this.#breakers.get(accountId) ?? CLOSED_BREAKER,
      this.#o.clock.now(),
      this.#o.limits(),
    );
  }

  async #intentOf(row: OrderRow): Promise<OrderIntent> {
    const { db } = this.#o.store;
    const follow =
      row.follow_config_id === null
        ? undefined
        : await db
            .selectFrom('follow_configs')
            .select('leader_address')
            .where('id', '=', row.follow_config_id)
            .executeTakeFirst();
    const trade =
      row.leader_trade_id === null
        ? undefined
        : await db
            .selectFrom('leader_trades')
            .select('usdc_size')
            .where('id', '=', row.leader_trade_id)
            .executeTakeFirst();
    return {
      idempotencyKey: row.idempotency_key,
      origin: row.origin,
      accountId: row.account_id,
      followConfigId: row.follow_config_id,
      leaderTradeId: row.leader_trade_id,
      leaderAddress: follow?.leader_address ?? null,
      conditionId: row.condition_id,
      tokenId: row.token_id,
      side: row.side,
      size: row.size as Shares,
      limitPrice: (row.limit_price ?? 0) as Price,
      orderType: row.order_type === 'GTD' ? 'GTC' : row.order_type,
      ttlMs: row.expires_at === null ? null : Math.max(0, row.expires_at - row.created_at),
      leaderPrice: row.leader_price as Price | null,
      leaderTradeUsdc: (trade?.usdc_size ?? null) as Usdc | null,
      catchUp: row.catch_up === 1,
      live: row.is_paper === 0,
    };
  }
}

interface StageTimer {
  lap(stage: Stage): void;
  sinceLap(): number;
  stages(): Partial<Record<Stage, number>>;
}

function stageTimer(micros: () => number): StageTimer {
  let last = micros();
  const stages: Partial<Record<Stage, number>> = {};
  return {
    lap(stage) {
      const t = micros();
      stages[stage] = t - last;
      last = t;
    },
    sinceLap: () => micros() - last,
    stages: () => ({ ...stages }),
  };
}

class ConcurrentSettle extends Error {}

/** The risk gate's view of the quote; null only when the venue has no book for the token. */
function riskQuoteOf(
  quote: Quote,
  levels: readonly { price: Price; size: Shares }[] | null,
  walk: ReturnType<typeof walkBook> | null,
  intent: OrderIntent,
): RiskQuote | null {
  if (quote.book === null && quote.receivedAt > 0) return null;
  return {
    bestBid: quote.bestBid,
    bestAsk: quote.bestAsk,
    receivedAt: quote.receivedAt,
    depthUsdc: levels ? depthWithin(levels, intent.side, intent.limitPrice) : (0 as Usdc),
    expectedAvgPrice: walk?.complete ? walk.avgPrice : null,
  };
}
