/**
 * The matching engine: markets, accounts, one YES-terms book per market, and every state change
 * as events. No I/O; time comes from `now()` and trade ids from `newId()`, so the same calls give
 * the same results and events.
 *
 * Each public mutating call is one operation: it first expires due GTD orders and releases due
 * delayed orders, then does its work, then closes with the book-level events of everything it
 * changed. Its events are returned and also passed to `onEvents`.
 */
import {
  MICRO,
  mulDiv,
  type Price,
  type Shares,
  type TickSize,
  tickSize,
  type Usdc,
} from '../../core/index.ts';
import * as accounts from './accounts.ts';
import { fillQuantum, gridQuantum, yesPriceOf } from './amounts.ts';
import { auditLedger, type EngineAudit } from './audit.ts';
import { BookChanges, bookEvents } from './book-changes.ts';
import { bookSummary, tokenLevels, tokenTop } from './book-summary.ts';
import { FAK_NO_MATCH_MESSAGE, FOK_NOT_FILLED_MESSAGE, rejections, SimEngineError } from './errors.ts';
import type { EngineEvent, UnstampedEvent } from './events.ts';
import { maxFeeForBudget, maxFeeForShares } from './fees.ts';
import type { IdGenerator } from './ids.ts';
import { Ledger } from './ledger.ts';
import { createMarket, type MarketState, marketInfo } from './market.ts';
import { type PlannedFill, planMatch } from './match.ts';
import { bookSideOf, isOpen, type OrderState, snapshot } from './order-state.ts';
import {
  accepted,
  type CancelResult,
  type Holdings,
  holdings,
  NOT_CANCELABLE,
  ORDER_NOT_FOUND,
  refused,
  type SubmitOutcome,
  type SubmitResult,
} from './results.ts';
import { settleFill } from './settle.ts';
import { lastTradeEvents, makerFill, recordLastTrade, tradeRecord } from './trade-record.ts';
import type {
  BookLevels,
  BookSummary,
  CancelReason,
  MarketInfo,
  MarketSpec,
  OrderRequest,
  OrderSnapshot,
  OutcomeIndex,
  Side,
  Trade,
} from './types.ts';
import { type ValidOrder, validateOrder } from './validate.ts';

export interface EngineOptions {
  /** Epoch milliseconds. */
  now: () => number;
  /** Trade ids; `seededIds(seed)` gives deterministic UUID-shaped ones. */
  newId: IdGenerator;
  /** Receives each operation's events, in order, after the operation. */
  onEvents?: (events: readonly EngineEvent[]) => void;
  /** How far ahead a GTD expiration must be (the docs' one-minute "security threshold"). Default 60. */
  gtdMinLeadSeconds?: number;
}

export interface OrderFilter {
  owner?: string;
  maker?: string;
  market?: string;
  tokenId?: string;
}

export class MatchingEngine {
  readonly #now: () => number;
  readonly #newId: IdGenerator;
  readonly #onEvents: ((events: readonly EngineEvent[]) => void) | undefined;
  readonly #gtdMinLeadMs: number;

  readonly #markets = new Map<string, MarketState>();
  readonly #tokens = new Map<string, MarketState>();
  /** Every accepted order, open or finished (ids stay taken: resubmitting one is a duplicate). */
  readonly #orders = new Map<string, OrderState>();
  readonly #open = new Map<string, OrderState>();
  /** Open GTD orders and the earliest expiry among them (epoch ms). */
  readonly #gtd = new Set<OrderState>();
  #nextExpiry = Number.POSITIVE_INFINITY;
  /** Delayed orders by release time, then arrival. */
  readonly #delayed: OrderState[] = [];
  readonly #ledger = new Ledger();
  readonly #changes = new BookChanges();

  #seq = 0;
  #opTime = 0;
  #busy = false;
  #pending: EngineEvent[] = [];

  constructor(options: EngineOptions) {
    this.#now = options.now;
    this.#newId = options.newId;
    this.#onEvents = options.onEvents;
    this.#gtdMinLeadMs = (options.gtdMinLeadSeconds ?? 60) * 1000;
  }

  // ---------------------------------------------------------------- markets

  registerMarket(spec: MarketSpec): EngineEvent[] {
    return this.#op(() => {
      if (this.#markets.has(spec.conditionId)) {
        throw new SimEngineError(`market ${spec.conditionId} is already registered`);
      }
      for (const t of [spec.yesTokenId, spec.noTokenId]) {
        if (this.#tokens.has(t)) throw new SimEngineError(`token ${t} belongs to another market`);
      }
      const market = createMarket(spec, this.#opTime);
      this.#markets.set(market.conditionId, market);
      for (const t of market.tokenIds) this.#tokens.set(t, market);
      this.#emit({ type: 'market_created', market: marketInfo(market) });
    }).events;
  }

  /**
   * Changes the tick size (the real venue does so near 0.04 and 0.96). Resting orders off the new
   * grid are cancelled (only possible when the tick grows).
   */
  setTickSize(conditionId: string, newTick: TickSize): EngineEvent[] {
    return this.#op(() => {
      const market = this.#market(conditionId);
      tickSize(newTick);
      const old = market.tickSize;
      if (old === newTick) return;
      market.tickSize = newTick;
      market.bookTimestamp = this.#opTime;
      for (const tokenId of market.tokenIds) {
        this.#emit({
          type: 'tick_size_changed',
          market: conditionId,
          tokenId,
          oldTickSize: old,
          newTickSize: newTick,
        });
      }
      for (const order of this.#openOf(market)) {
        if (order.location === 'book' && order.yesPrice % newTick !== 0)
          this.#cancel(order, 'TICK_SIZE_CHANGE');
      }
    }).events;
  }

  setAcceptingOrders(conditionId: string, accepting: boolean): EngineEvent[] {
    return this.#op(() => {
      const market = this.#market(conditionId);
      if (market.acceptingOrders === accepting) return;
      market.acceptingOrders = accepting;
      this.#emit({ type: 'market_updated', market: marketInfo(market) });
    }).events;
  }

  /** Stops trading without a winner: open orders are cancelled, new ones refused. */
  closeMarket(conditionId: string): EngineEvent[] {
    return this.#op(() => {
      const market = this.#market(conditionId);
      if (market.closed) return;
      for (const order of this.#openOf(market)) this.#cancel(order, 'MARKET_CLOSED');
      market.closed = true;
      this.#emit({ type: 'market_updated', market: marketInfo(market) });
    }).events;
  }

  /** Resolves to `winningTokenId`: open orders cancelled, winners redeem 1 pUSD a share, losers 0. */
  resolveMarket(conditionId: string, winningTokenId: string): EngineEvent[] {
    return this.#op(() => {
      const market = this.#market(conditionId);
      const index = market.tokenIds.indexOf(winningTokenId);
      if (index < 0) throw new SimEngineError(`token ${winningTokenId} is not an outcome of ${conditionId}`);
      if (market.winner !== null) throw new SimEngineError(`market ${conditionId} is already resolved`);
      const winner = index as OutcomeIndex;
      for (const order of this.#openOf(market)) this.#cancel(order, 'MARKET_RESOLVED');
      market.closed = true;
      market.winner = winner;
      this.#emit({
        type: 'market_resolved',
        market: conditionId,
        tokenIds: market.tokenIds,
        winningTokenId,
        winningOutcome: market.outcomes[winner],
        winningOutcomeIndex: winner,
      });
    }).events;
  }

  // ---------------------------------------------------------------- accounts (addresses are lower-cased)

  /** pUSD from outside (the on-ramp, a faucet in tests). */
  deposit(address: string, amount: Usdc): EngineEvent[] {
    return this.#op(() => this.#emit(accounts.deposit(this.#ledger, address.toLowerCase(), amount))).events;
  }

  withdraw(address: string, amount: Usdc): EngineEvent[] {
    return this.#op(() => this.#emit(accounts.withdraw(this.#ledger, address.toLowerCase(), amount))).events;
  }

  /** `amount` pUSD into `amount` YES and `amount` NO shares (the CTF split; the mint helper). */
  split(address: string, conditionId: string, amount: Shares): EngineEvent[] {
    return this.#op(() =>
      this.#emit(accounts.split(this.#ledger, this.#market(conditionId), address.toLowerCase(), amount)),
    ).events;
  }

  /** `amount` YES and `amount` NO shares back into `amount` pUSD. */
  merge(address: string, conditionId: string, amount: Shares): EngineEvent[] {
    return this.#op(() =>
      this.#emit(accounts.merge(this.#ledger, this.#market(conditionId), address.toLowerCase(), amount)),
    ).events;
  }

  /** Burns both positions in a resolved market and pays 1 pUSD per winning share. */
  redeem(address: string, conditionId: string): EngineEvent[] {
    return this.#op(() =>
      this.#emit(accounts.redeem(this.#ledger, this.#market(conditionId), address.toLowerCase())),
    ).events;
  }

  // ---------------------------------------------------------------- orders

  submit(req: OrderRequest): SubmitResult {
    const { value, events } = this.#op(() => this.#submit(req));
    return { ...value, events };
  }

  /** Cancels orders by id; with `owner`, only that API key's. */
  cancel(orderIds: readonly string[], owner?: string): CancelResult {
    const { value, events } = this.#op(() => {
      const canceled: string[] = [];
      const notCanceled: Record<string, string> = {};
      for (const id of orderIds) {
        const order = this.#orders.get(id);
        if (order === undefined || (owner !== undefined && order.owner !== owner)) {
          notCanceled[id] = ORDER_NOT_FOUND;
        } else if (!isOpen(order)) {
          notCanceled[id] = NOT_CANCELABLE;
        } else {
          this.#cancel(order, 'USER');
          canceled.push(id);
        }
      }
      return { canceled, notCanceled };
    });
    return { ...value, events };
  }

  /** Cancels an API key's open orders, optionally only in one market or token. */
  cancelAll(owner: string, scope: { market?: string; tokenId?: string } = {}): CancelResult {
    const ids = this.openOrders({ owner, ...scope }).map((o) => o.id);
    return this.cancel(ids, owner);
  }

  /** Expires GTD orders and releases delayed ones due at `now` (default: the clock). */
  expire(now?: number): EngineEvent[] {
    return this.#op(() => undefined, now).events;
  }

  // ---------------------------------------------------------------- reads (they expire due orders first)

  market(conditionId: string): MarketInfo | undefined {
    const m = this.#markets.get(conditionId);
    return m === undefined ? undefined : marketInfo(m);
  }

  marketOfToken(tokenId: string): MarketInfo | undefined {
    const m = this.#tokens.get(tokenId);
    return m === undefined ? undefined : marketInfo(m);
  }

  /** `GET /book` for a token; undefined for an unknown token or a closed market (a 404). */
  bookFor(tokenId: string): BookSummary | undefined {
    this.#expireOnAccess();
    const m = this.#tokens.get(tokenId);
    if (m === undefined || m.closed) return undefined;
    return bookSummary(m, outcomeOf(m, tokenId));
  }

  /** A token's levels in micro-units, best last. */
  levelsFor(tokenId: string): BookLevels | undefined {
    this.#expireOnAccess();
    const m = this.#tokens.get(tokenId);
    return m === undefined ? undefined : tokenLevels(m, outcomeOf(m, tokenId));
  }

  topOfBook(tokenId: string): { bestBid: Price | null; bestAsk: Price | null } | undefined {
    this.#expireOnAccess();
    const m = this.#tokens.get(tokenId);
    if (m === undefined) return undefined;
    const [bestBid, bestAsk] = tokenTop(m, outcomeOf(m, tokenId));
    return { bestBid, bestAsk };
  }

  lastTrade(tokenId: string): { price: Price; side: Side } | null {
    const m = this.#tokens.get(tokenId);
    const last = m?.lastTrade[outcomeOf(m, tokenId)] ?? null;
    return last === null ? null : { ...last };
  }

  order(id: string): OrderSnapshot | undefined {
    this.#expireOnAccess();
    const o = this.#orders.get(id);
    return o === undefined ? undefined : snapshot(o);
  }

  /** Open orders (resting or delayed) in arrival order. */
  openOrders(filter: OrderFilter = {}): OrderSnapshot[] {
    this.#expireOnAccess();
    const maker = filter.maker?.toLowerCase();
    const out: OrderSnapshot[] = [];
    for (const o of this.#open.values()) {
      if (filter.owner !== undefined && o.owner !== filter.owner) continue;
      if (maker !== undefined && o.maker !== maker) continue;
      if (filter.market !== undefined && o.market.conditionId !== filter.market) continue;
      if (filter.tokenId !== undefined && o.market.tokenIds[o.outcome] !== filter.tokenId) continue;
      out.push(snapshot(o));
    }
    return out;
  }

  /** pUSD of an address. */
  balance(address: string): Holdings {
    return holdings(this.#ledger.cash(address.toLowerCase()));
  }

  /** Shares of a token held by an address. */
  position(address: string, tokenId: string): Holdings {
    return holdings(this.#ledger.shares(address.toLowerCase(), tokenId));
  }

  /** Addresses the ledger knows, in first-seen order. */
  addresses(): string[] {
    return this.#ledger.addresses();
  }

  audit(): EngineAudit {
    return auditLedger(this.#ledger, this.#markets.values());
  }

  // ---------------------------------------------------------------- operations

  #op<T>(body: () => T, now?: number): { value: T; events: EngineEvent[] } {
    if (this.#busy) throw new SimEngineError('the engine was called again from inside an operation');
    this.#busy = true;
    const result = { value: undefined as T, events: [] as EngineEvent[] };
    try {
      this.#opTime = now ?? this.#now();
      this.#processDue();
      result.value = body();
    } finally {
      // Even when the body throws, what already happened (expiries, say) is reported.
      for (const touches of this.#changes.drain()) {
        for (const e of bookEvents(touches, this.#opTime)) this.#emit(e);
      }
      result.events = this.#pending;
      this.#pending = [];
      this.#busy = false;
      if (result.events.length > 0) this.#onEvents?.(result.events);
    }
    return result;
  }

  /** Reads see expiry too, but only run an operation when something is due. */
  #expireOnAccess(): void {
    if (this.#busy) return;
    const now = this.#now();
    const nextRelease = this.#delayed[0]?.releaseAt ?? Number.POSITIVE_INFINITY;
    if (now >= this.#nextExpiry || now >= nextRelease) this.#op(() => undefined, now);
  }

  #emit(event: UnstampedEvent): void {
    this.#pending.push({ ...event, seq: ++this.#seq, timestamp: this.#opTime } as EngineEvent);
  }

  #processDue(): void {
    const now = this.#opTime;
    if (now >= this.#nextExpiry) {
      let next = Number.POSITIVE_INFINITY;
      for (const order of [...this.#gtd]) {
        const at = order.expiration * 1000;
        if (at <= now) this.#cancel(order, 'EXPIRED');
        else next = Math.min(next, at);
      }
      this.#nextExpiry = next;
    }
    while (this.#delayed.length > 0 && this.#delayed[0]!.releaseAt <= now) {
      const order = this.#delayed.shift()!;
      order.location = 'matching';
      this.#execute(order);
    }
  }

  #submit(req: OrderRequest): SubmitOutcome {
    if (typeof req.id === 'string' && this.#orders.has(req.id)) {
      return refused(req.id, rejections.duplicated(req.id));
    }
    const m = this.#tokens.get(req.tokenId);
    const check = validateOrder(req, m, this.#opTime, this.#gtdMinLeadMs);
    if (!check.ok || m === undefined)
      return refused(req.id, check.ok ? rejections.payload() : check.rejection);
    const valid = check.order;
    const bookSide = bookSideOf(req.side, valid.outcome);
    const yesPrice = yesPriceOf(valid.price, valid.outcome);
    const marketable = m.book.crosses(bookSide, yesPrice);
    if (req.postOnly === true && marketable) return refused(req.id, rejections.postOnlyCrosses());
    if (req.side === 'BUY' && marketable && req.makerAmount < MICRO) {
      return refused(req.id, rejections.marketableBuyMinimum(req.makerAmount));
    }
    const maker = req.maker.toLowerCase();
    const token = m.tokenIds[valid.outcome];
    const reserve = reservationFor(req, valid, m);
    const holding = req.side === 'BUY' ? this.#ledger.cash(maker) : this.#ledger.shares(maker, token);
    const available = holding.balance - holding.reserved;
    if (available < reserve) return refused(req.id, rejections.balance(available, reserve));

    const order: OrderState = {
      id: req.id,
      owner: req.owner,
      maker,
      market: m,
      outcome: valid.outcome,
      side: req.side,
      orderType: req.orderType,
      postOnly: req.postOnly === true,
      price: valid.price,
      yesPrice,
      bookSide,
      sizeUnit: valid.sizeUnit,
      originalSize: valid.size,
      remaining: valid.size,
      matchedShares: 0 as Shares,
      matchedUsdc: 0 as Usdc,
      feesPaid: 0 as Usdc,
      makerAmount: req.makerAmount,
      takerAmount: req.takerAmount,
      expiration: req.orderType === 'GTD' ? req.expiration : 0,
      createdAt: this.#opTime,
      reserved: reserve,
      status: 'LIVE',
      cancelReason: null,
      tradeIds: [],
      location: 'matching',
      releaseAt: 0,
    };
    this.#orders.set(order.id, order);
    if (req.side === 'BUY') this.#ledger.reserveCash(maker, reserve);
    else this.#ledger.reserveShares(maker, token, reserve);

    if (marketable && m.matchDelayMs > 0) return this.#delay(order);
    return this.#execute(order);
  }

  #delay(order: OrderState): SubmitOutcome {
    order.status = 'DELAYED';
    order.location = 'delayed';
    order.releaseAt = this.#opTime + order.market.matchDelayMs;
    // After every order due no later, so equal release times keep arrival order.
    let i = this.#delayed.length;
    while (i > 0 && this.#delayed[i - 1]!.releaseAt > order.releaseAt) i--;
    this.#delayed.splice(i, 0, order);
    this.#open.set(order.id, order);
    this.#trackExpiry(order);
    this.#emit({ type: 'order_delayed', order: snapshot(order), releaseAt: order.releaseAt });
    return accepted(order.id, 'delayed', null);
  }

  /** Matches an accepted order now, then rests, finishes or kills it. */
  #execute(order: OrderState): SubmitOutcome {
    const market = order.market;
    const plan = planMatch(market.book, {
      bookSide: order.bookSide,
      yesLimit: order.yesPrice,
      price: order.price,
      outcome: order.outcome,
      sizeUnit: order.sizeUnit,
      remaining: order.remaining,
      budgetQuantum: gridQuantum(market.tickSize),
    });
    if (order.orderType === 'FOK' && !plan.complete) {
      this.#cancel(order, 'FOK_NOT_FILLED', FOK_NOT_FILLED_MESSAGE);
      return refused(order.id, rejections.fokNotFilled());
    }
    if (order.orderType === 'FAK' && plan.fills.length === 0) {
      this.#cancel(order, 'FAK_NO_MATCH', FAK_NO_MATCH_MESSAGE);
      return refused(order.id, rejections.fakNoMatch());
    }
    const trade = plan.fills.length > 0 ? this.#fill(order, plan.fills) : null;

    const limitOrder = order.orderType === 'GTC' || order.orderType === 'GTD';
    if (order.remaining > 0 && limitOrder && this.#canRest(order)) {
      this.#rest(order);
      return accepted(order.id, trade === null ? 'live' : 'matched', trade);
    }
    if (order.remaining === 0 || (order.sizeUnit === 'usdc' && plan.complete)) {
      this.#releaseReservation(order);
      this.#close(order, 'MATCHED');
    } else {
      this.#cancel(order, order.orderType === 'FAK' ? 'FAK_REMAINDER' : 'UNFILLABLE_REMAINDER');
    }
    return accepted(order.id, trade === null ? 'unmatched' : 'matched', trade);
  }

  /** A remainder rests only if it settles exactly at its price and no longer crosses the book. */
  #canRest(order: OrderState): boolean {
    return (
      order.remaining % fillQuantum(order.yesPrice) === 0 &&
      !order.market.book.crosses(order.bookSide, order.yesPrice)
    );
  }

  #rest(order: OrderState): void {
    const market = order.market;
    if (order.side === 'BUY') {
      // A resting BUY holds exactly its remaining cost: makers pay no fee.
      const needed = mulDiv(order.remaining, order.price, MICRO, 'ceil');
      this.#ledger.releaseCash(order.maker, order.reserved - needed);
      order.reserved = needed;
    }
    this.#changes.touch(market, order.bookSide, order.yesPrice);
    market.book.half(order.bookSide).add(order);
    order.location = 'book';
    order.status = 'LIVE';
    this.#open.set(order.id, order);
    this.#trackExpiry(order);
    this.#emit({ type: 'order_placed', order: snapshot(order) });
  }

  /** Settles the planned fills as one trade (one `matchOrders`) and reports it. */
  #fill(taker: OrderState, fills: readonly PlannedFill[]): Trade {
    const market = taker.market;
    const tradeId = this.#newId();
    const makers = fills.map((f) => {
      const maker = f.maker;
      this.#changes.touch(market, maker.bookSide, maker.yesPrice);
      const settled = settleFill(this.#ledger, taker, maker, f.yesPrice, f.shares);
      const half = market.book.half(maker.bookSide);
      half.reduce(maker, f.shares);
      maker.tradeIds.push(tradeId);
      if (maker.remaining === 0) {
        half.remove(maker);
        this.#close(maker, 'MATCHED');
      }
      return makerFill(maker, f.shares, settled);
    });
    this.#changes.markTraded(market);
    taker.tradeIds.push(tradeId);
    const trade = tradeRecord(tradeId, this.#opTime, taker, makers);
    recordLastTrade(trade, taker);
    this.#emit({ type: 'trade', trade });
    for (const f of fills) this.#emit({ type: 'order_updated', order: snapshot(f.maker), tradeId });
    for (const e of lastTradeEvents(trade, taker)) this.#emit(e);
    return trade;
  }

  /** Takes an order off the book or the delay queue, frees what it reserved, and reports why. */
  #cancel(order: OrderState, reason: CancelReason, message = ''): void {
    const market = order.market;
    if (order.location === 'book') {
      this.#changes.touch(market, order.bookSide, order.yesPrice);
      market.book.half(order.bookSide).remove(order);
    } else if (order.location === 'delayed') {
      this.#delayed.splice(this.#delayed.indexOf(order), 1);
    }
    this.#releaseReservation(order);
    order.cancelReason = reason;
    this.#close(order, reason === 'MARKET_RESOLVED' ? 'CANCELED_MARKET_RESOLVED' : 'CANCELED');
    this.#emit({ type: 'order_cancelled', order: snapshot(order), reason, message });
  }

  #close(order: OrderState, status: 'MATCHED' | 'CANCELED' | 'CANCELED_MARKET_RESOLVED'): void {
    order.status = status;
    order.location = 'done';
    this.#open.delete(order.id);
    this.#gtd.delete(order);
  }

  #releaseReservation(order: OrderState): void {
    if (order.reserved === 0) return;
    if (order.side === 'BUY') this.#ledger.releaseCash(order.maker, order.reserved);
    else this.#ledger.releaseShares(order.maker, order.market.tokenIds[order.outcome], order.reserved);
    order.reserved = 0;
  }

  #trackExpiry(order: OrderState): void {
    if (order.orderType !== 'GTD') return;
    this.#gtd.add(order);
    this.#nextExpiry = Math.min(this.#nextExpiry, order.expiration * 1000);
  }

  #market(conditionId: string): MarketState {
    const m = this.#markets.get(conditionId);
    if (m === undefined) throw new SimEngineError(`unknown market ${conditionId}`);
    return m;
  }

  /** Open orders of a market, in arrival order (a copy: cancelling while iterating is safe). */
  #openOf(m: MarketState): OrderState[] {
    return [...this.#open.values()].filter((o) => o.market === m);
  }
}

function outcomeOf(m: MarketState, tokenId: string): OutcomeIndex {
  return m.tokenIds[0] === tokenId ? 0 : 1;
}

/**
 * What an order holds back until it is done: a SELL its shares; a BUY its pUSD plus the most its
 * taker fees could come to (a resting BUY later gives back all but its remaining cost).
 */
function reservationFor(req: OrderRequest, valid: ValidOrder, market: MarketState): number {
  if (req.side === 'SELL') return req.makerAmount;
  const maxFee =
    valid.sizeUnit === 'usdc'
      ? maxFeeForBudget(req.makerAmount as number as Usdc, market.feeRate)
      : maxFeeForShares(valid.shares, valid.price, market.feeRate);
  return req.makerAmount + maxFee;
}
