/**
 * The live order tracker of one account: order state comes from the venue, never from what we
 * hoped would happen (issue 6). Two feeds drive the same writes:
 *
 * - the user channel (`onUserEvent`): each `order` and `trade` message applied with
 *   `applyUserEvent`; trades move fills MATCHED -> MINED -> CONFIRMED, FAILED rolls one back;
 * - REST reconciliation (`reconcile`): our working live orders against the venue's open orders,
 *   then its trades, then `/data/order/<hash>` for what neither shows, with `reconcileOrders`. It
 *   runs at start (before `start()` resolves, so nothing new is sent before every PENDING or
 *   SUBMITTED order is settled: design.md rule 3), after every user-channel gap, and periodically.
 *
 * Every change of one order is one transaction: the order is read afresh (locked on PostgreSQL),
 * the pure function decides against that fresh state, and the status is written guarded by it. So
 * a socket event and a reconcile racing over one order, or an event seen twice, can only confirm
 * what is stored. New fills are booked into the position (not into cash: see tracker-store.ts).
 *
 * The tracker never sends an order. Reconciliation reports the orders it judges resendable (a
 * PENDING intent the venue provably does not hold); what to do with them is the caller's call.
 */
import type { Clock } from '../../core/clock.ts';
import { describeError } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { Usdc } from '../../core/money.ts';
import type { ApiKeyCreds } from '../../polymarket/clob/auth.ts';
import type { OpenOrder, Trade } from '../../polymarket/clob/schemas/rest-orders.ts';
import type { WsUserMessage } from '../../polymarket/clob/schemas/ws-user.ts';
import {
  UserSocket,
  type UserSocketHealth,
  type UserSocketOptions,
} from '../../polymarket/clob/user-socket.ts';
import type { OrderStatus, Store } from '../../store/index.ts';
import {
  applyUserEvent,
  isTerminalOrder,
  type LocalOrder,
  type ReconcileFlagKind,
  reconcileOrders,
  type UserEvent,
  userEventFromWire,
  type VenueOrder,
  venueOrderFromWire,
} from '../reconcile/index.ts';
import type { TradeQuery } from './live-broker.ts';
import {
  lockOrder,
  type OrderChange,
  ordersByHash,
  ordersToReconcile,
  type TrackedOrder,
  TrackerConflict,
  writeOrderChange,
} from './tracker-store.ts';
import { type FeeTradeWire, type TrackerTrades, takerFeeOfTrade, tradesFromWire } from './tracker-wire.ts';

/** What the tracker reads of the venue: the live broker's queries. */
export interface TrackerVenue {
  openOrders(): Promise<OpenOrder[]>;
  trades(query?: TradeQuery): Promise<Trade[]>;
  /** Null when the venue does not know the hash. */
  order(orderId: string): Promise<OpenOrder | null>;
  /** For the user channel, when `credentials` are not given. */
  ensureApiCreds?(): Promise<ApiKeyCreds>;
}

/** Socket settings a caller may tune (timings, backoff, `expectsData`); the tracker owns the rest. */
export type TrackerSocketOptions = Omit<
  UserSocketOptions,
  'url' | 'credentials' | 'onOrder' | 'onTrade' | 'onGap' | 'clock' | 'logger'
>;

export interface LiveOrderTrackerOptions {
  store: Store;
  accountId: number;
  broker: TrackerVenue;
  clock: Clock;
  logger: Logger;
  /** The user channel (`.../ws/user`); without it only REST reconciliation runs. */
  userSocketUrl?: string;
  /** The account's API credentials for the user channel; default `broker.ensureApiCreds()`. */
  credentials?: ApiKeyCreds;
  socket?: TrackerSocketOptions;
  /** Between periodic reconciles, ms; default 30 s. */
  reconcileEveryMs?: number;
  /** How far before the oldest order's creation trades are fetched, ms; default 5 min (clock skew). */
  tradesMarginMs?: number;
  /** Finished orders whose fills are not settled are followed this long after creation; default 24 h. */
  settleWindowMs?: number;
  /** See reconcileOrders (defaults 60 s and 10 min). */
  acceptanceWindowMs?: number;
  pendingExpiryMs?: number;
  /** How long start() waits for the user channel's subscription before reconciling; default 5 s. */
  socketReadyTimeoutMs?: number;
  /** Each finished reconcile, for metrics and tests. */
  onReconcile?: (report: TrackerReport) => void;
}

export type TrackerSource = 'reconcile' | 'event';

export interface TrackerOrderChange {
  orderId: number;
  orderHash: string | null;
  from: OrderStatus;
  to: OrderStatus;
  fills: { added: number; advanced: number; rolledBack: number };
  source: TrackerSource;
  reason: string;
}

export interface TrackerFlag {
  orderId: number;
  /** A reconcile flag, or `ledger`: a fill recorded that the position could not take. */
  kind: ReconcileFlagKind | 'ledger';
  reason: string;
}

export interface TrackerReport {
  /** 'start', 'gap', 'periodic', or the caller's. */
  reason: string;
  at: number;
  /** Local orders looked at. */
  orders: number;
  changes: TrackerOrderChange[];
  /** PENDING orders the venue provably does not hold: not resent here, only reported. */
  resendable: { orderId: number; orderHash: string | null; reason: string }[];
  flags: TrackerFlag[];
  /** Open at the venue under a hash no order of this account has. */
  unknownOpenOrders: { orderId: string; reason: string }[];
  /** Orders whose write failed (retried at the next reconcile), lookups that failed. */
  errors: { orderId: number | null; error: string }[];
}

export interface TrackerEventResult {
  /** Our orders the event concerns. */
  orders: number;
  changes: TrackerOrderChange[];
  flags: TrackerFlag[];
  errors: { orderId: number | null; error: string }[];
}

export interface TrackerHealth {
  state: 'stopped' | 'starting' | 'running';
  lastReconcile: { reason: string; at: number; ok: boolean } | null;
  socket: UserSocketHealth | null;
}

/** A change decided for one order, whichever pure function decided it. */
interface Decided extends OrderChange {
  changed: boolean;
  flags: { kind: ReconcileFlagKind; reason: string }[];
  resendable: boolean;
}

interface Settled {
  decided: Decided;
  wrote: boolean;
  problems: string[];
}

const MAX_CONFLICT_RETRIES = 2;

export class LiveOrderTracker {
  readonly #o: LiveOrderTrackerOptions;
  readonly #log: Logger;
  #state: TrackerHealth['state'] = 'stopped';
  #socket: UserSocket | null = null;
  #cancelTimer: (() => void) | null = null;
  #running: Promise<TrackerReport> | null = null;
  #queued: Promise<TrackerReport> | null = null;
  /** Writes one at a time in this process: a transaction per order, events in arrival order. */
  #writes: Promise<unknown> = Promise.resolve();
  #events: Promise<unknown> = Promise.resolve();
  #last: TrackerHealth['lastReconcile'] = null;

  constructor(options: LiveOrderTrackerOptions) {
    this.#o = options;
    this.#log = options.logger.child({ component: 'live-order-tracker', account: options.accountId });
  }

  // ------------------------------------------------------------------ lifecycle

  /**
   * Opens the user channel, then reconciles ('start') and resolves with that report: await it
   * before sending anything new. Rejects (and stops again) when the start reconcile fails.
   */
  async start(): Promise<TrackerReport> {
    if (this.#state !== 'stopped') throw new Error('the live order tracker is already started');
    this.#state = 'starting';
    try {
      if (this.#o.userSocketUrl !== undefined) await this.#openSocket(this.#o.userSocketUrl);
      const report = await this.reconcile('start');
      this.#state = 'running';
      this.#schedule();
      return report;
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  /** Closes the socket, stops the periodic reconcile and waits for work in flight. */
  async stop(): Promise<void> {
    this.#state = 'stopped';
    this.#cancelTimer?.();
    this.#cancelTimer = null;
    const socket = this.#socket;
    this.#socket = null;
    await socket?.stop();
    await Promise.allSettled([this.#running, this.#queued, this.#events, this.#writes]);
  }

  health(): TrackerHealth {
    return { state: this.#state, lastReconcile: this.#last, socket: this.#socket?.health() ?? null };
  }

  async #openSocket(url: string): Promise<void> {
    const creds = this.#o.credentials ?? (await this.#o.broker.ensureApiCreds?.());
    if (creds === undefined) throw new TypeError('the user channel needs the account API credentials');
    const socket = new UserSocket({
      ...this.#o.socket,
      url,
      credentials: { key: creds.key, secret: creds.secret, passphrase: creds.passphrase },
      clock: this.#o.clock,
      logger: this.#o.logger,
      onOrder: (u) => this.#fromSocket(u.message),
      onTrade: (u) => this.#fromSocket(u.message),
      // Anything may have been missed in the gap: REST says what.
      onGap: (gap) => void this.#trigger('gap', { gap }),
    });
    this.#socket = socket;
    socket.start();
    // Subscribed before the start reconcile reads the venue, so nothing falls between the two.
    // The first connection reports no gap; if it is late, the periodic reconcile covers it.
    const deadline = this.#o.clock.now() + (this.#o.socketReadyTimeoutMs ?? 5_000);
    while (socket.health().state !== 'open') {
      if (this.#o.clock.now() >= deadline) {
        this.#log.warn('user channel not subscribed yet; reconciling without it');
        return;
      }
      await this.#o.clock.sleep(25);
    }
  }

  #schedule(): void {
    if (this.#state !== 'running' || this.#cancelTimer !== null) return;
    this.#cancelTimer = this.#o.clock.setTimer(this.#o.reconcileEveryMs ?? 30_000, () => {
      this.#cancelTimer = null;
      void this.#trigger('periodic').finally(() => this.#schedule());
    });
  }

  #trigger(reason: string, context: Record<string, unknown> = {}): Promise<void> {
    return this.reconcile(reason).then(
      () => {},
      (err: unknown) => this.#log.warn({ reason, ...context, err: describeError(err) }, 'reconcile failed'),
    );
  }

  #fromSocket(message: WsUserMessage): void {
    void this.onUserEvent(message).catch((err: unknown) =>
      this.#log.error({ err: describeError(err) }, 'user event not applied'),
    );
  }

  // ------------------------------------------------------------------ reconciliation

  /**
   * Reconciles the account's live orders with the venue. A call while one runs queues one more run
   * after it (that run may have read the venue before what prompted this call); further calls
   * share the queued run. Throws when the venue cannot be read.
   */
  reconcile(reason: string): Promise<TrackerReport> {
    if (this.#queued !== null) return this.#queued;
    if (this.#running !== null) {
      const queued = this.#running
        .then(
          () => {},
          () => {},
        )
        .then(() => {
          this.#queued = null;
          return this.#run(reason);
        });
      this.#queued = queued;
      return queued;
    }
    return this.#run(reason);
  }

  #run(reason: string): Promise<TrackerReport> {
    const run: Promise<TrackerReport> = this.#reconcileOnce(reason).then(
      (report) => {
        if (this.#running === run) this.#running = null;
        this.#last = { reason, at: report.at, ok: true };
        try {
          this.#o.onReconcile?.(report);
        } catch (err) {
          this.#log.warn({ err: describeError(err) }, 'onReconcile threw');
        }
        return report;
      },
      (err: unknown) => {
        if (this.#running === run) this.#running = null;
        this.#last = { reason, at: this.#o.clock.now(), ok: false };
        throw err;
      },
    );
    this.#running = run;
    return run;
  }

  async #reconcileOnce(reason: string): Promise<TrackerReport> {
    const { store, accountId, broker, clock } = this.#o;
    const report: TrackerReport = {
      reason,
      at: clock.now(),
      orders: 0,
      changes: [],
      resendable: [],
      flags: [],
      unknownOpenOrders: [],
      errors: [],
    };
    const tracked = await ordersToReconcile(
      store.db,
      accountId,
      report.at - (this.#o.settleWindowMs ?? 24 * 3_600_000),
    );
    // Open orders before trades: a fill between the two calls moves an order from the first list
    // into the second, never out of both.
    const open = (await broker.openOrders()).map((o) => venueOrderFromWire(o));
    const held = new Set(tracked.flatMap((t) => (t.row.order_hash ? [t.row.order_hash.toLowerCase()] : [])));
    // An order open at the venue that we hold finished is looked at too: flagged, not unknown.
    const extra = await ordersByHash(
      store.db,
      accountId,
      open.map((o) => o.id).filter((id) => !held.has(id.toLowerCase())),
    );
    const orders = [...tracked, ...extra];
    report.orders = orders.length;
    const trades = await this.#tradesFor(orders);
    for (const bad of trades.unreadable) {
      report.errors.push({ orderId: null, error: `trade ${bad.id} unreadable: ${bad.error}` });
    }
    const lookups = await this.#lookups(orders, open, trades, report);
    const now = clock.now();
    const options = {
      lookups,
      ...(this.#o.acceptanceWindowMs === undefined ? {} : { acceptanceWindowMs: this.#o.acceptanceWindowMs }),
      ...(this.#o.pendingExpiryMs === undefined ? {} : { pendingExpiryMs: this.#o.pendingExpiryMs }),
    };
    const overview = reconcileOrders(
      orders.map((o) => o.local),
      open,
      trades.trades,
      now,
      options,
    );
    report.unknownOpenOrders = overview.unknownOpenOrders;
    for (const order of orders) {
      // Decided again on the order as it stands inside the write: an event may have moved it since.
      const decide = (local: LocalOrder): Decided =>
        reconcileOrders([local], open, trades.trades, now, options).decisions[0]!;
      try {
        const settled = await this.#settle(order.row.id, decide, trades.takerFees);
        if (settled === null) continue;
        this.#collect(order, settled, 'reconcile', report);
        if (settled.decided.resendable) {
          report.resendable.push({
            orderId: order.row.id,
            orderHash: order.row.order_hash,
            reason: settled.decided.reason,
          });
        }
      } catch (err) {
        report.errors.push({ orderId: order.row.id, error: describeError(err) });
        this.#log.error({ order: order.row.id, err: describeError(err) }, 'reconcile write failed');
      }
    }
    // Orders placed outside this process (by hand, another tool on the key) show up every time.
    const level = reason === 'periodic' ? 'debug' : 'warn';
    for (const u of report.unknownOpenOrders) this.#log[level]({ venueOrder: u.orderId }, u.reason);
    // Advice for start-up: later, a young PENDING order is usually one the order manager is working on.
    if (reason === 'start' && report.resendable.length > 0) {
      this.#log.info(
        { orders: report.resendable.map((r) => r.orderId) },
        'orders the venue does not hold and that may be sent again (not resent by the tracker)',
      );
    }
    this.#log.info(
      { reason, orders: report.orders, changes: report.changes.length, errors: report.errors.length },
      'live orders reconciled',
    );
    return report;
  }

  /** Our trades since the oldest order looked at (less a margin for clock skew). */
  async #tradesFor(orders: readonly TrackedOrder[]): Promise<TrackerTrades> {
    if (!orders.some((o) => o.row.order_hash !== null)) {
      return { trades: [], takerFees: new Map(), unreadable: [] };
    }
    const oldest = Math.min(...orders.map((o) => o.row.created_at));
    const afterMs = Math.max(0, oldest - (this.#o.tradesMarginMs ?? 5 * 60_000));
    return tradesFromWire(await this.#o.broker.trades({ afterMs }));
  }

  /**
   * `/data/order/<hash>` for each working order neither open nor (when sent, not yet acknowledged)
   * traded: only the venue's answer proves a hash unknown, and it tells a cancel from an expiry or a
   * fill the trades do not show yet. A failed lookup leaves the hash unasked: its fate stays unknown.
   */
  async #lookups(
    orders: readonly TrackedOrder[],
    open: readonly VenueOrder[],
    trades: TrackerTrades,
    report: TrackerReport,
  ): Promise<Map<string, VenueOrder | null>> {
    const openIds = new Set(open.map((o) => o.id.toLowerCase()));
    const traded = new Set(
      trades.trades.flatMap((t) =>
        [t.takerOrderId, ...t.makerOrders.map((m) => m.orderId)].map((h) => h.toLowerCase()),
      ),
    );
    const lookups = new Map<string, VenueOrder | null>();
    for (const { row, local } of orders) {
      const hash = local.orderHash;
      if (hash === null || isTerminalOrder(local.status) || openIds.has(hash.toLowerCase())) continue;
      const unacked = local.status === 'PENDING' || local.status === 'SUBMITTED';
      if (unacked && traded.has(hash.toLowerCase())) continue;
      try {
        const found = await this.#o.broker.order(hash);
        lookups.set(hash, found === null ? null : venueOrderFromWire(found));
      } catch (err) {
        report.errors.push({ orderId: row.id, error: `lookup of ${hash}: ${describeError(err)}` });
      }
    }
    return lookups;
  }

  // ------------------------------------------------------------------ user channel

  /**
   * One user-channel message (validated by the socket's schemas), applied to every order of ours it
   * concerns. Idempotent: a message seen twice changes nothing the second time. Events are applied
   * in the order they arrive.
   */
  onUserEvent(message: WsUserMessage): Promise<TrackerEventResult> {
    const next = this.#events.then(
      () => this.#applyEvent(message),
      () => this.#applyEvent(message),
    );
    this.#events = next.catch(() => {});
    return next;
  }

  async #applyEvent(message: WsUserMessage): Promise<TrackerEventResult> {
    const result: TrackerEventResult = { orders: 0, changes: [], flags: [], errors: [] };
    let event: UserEvent;
    try {
      event = userEventFromWire(message);
    } catch (err) {
      this.#log.warn(
        { err: describeError(err), event: message.event_type },
        'user event unreadable; skipped',
      );
      result.errors.push({ orderId: null, error: describeError(err) });
      return result;
    }
    const hashes =
      event.kind === 'order'
        ? [event.orderId]
        : [event.trade.takerOrderId, ...event.trade.makerOrders.map((m) => m.orderId)];
    const fees = new Map<string, Usdc>();
    if (message.event_type === 'trade') {
      const fee = takerFeeOfTrade(message as FeeTradeWire);
      if (fee !== null) fees.set(message.id, fee);
    }
    const orders = await ordersByHash(this.#o.store.db, this.#o.accountId, hashes);
    result.orders = orders.length;
    for (const order of orders) {
      const decide = (local: LocalOrder): Decided => {
        const out = applyUserEvent(local, event);
        return {
          from: local.status,
          to: out.order.status,
          fills: out.order.fills,
          fillChanges: out.fillChanges,
          filledSize: out.filledSize,
          reason: out.reason,
          changed: out.changed,
          flags: out.flags,
          resendable: false,
        };
      };
      try {
        const settled = await this.#settle(order.row.id, decide, fees);
        if (settled !== null) this.#collect(order, settled, 'event', result);
      } catch (err) {
        result.errors.push({ orderId: order.row.id, error: describeError(err) });
        this.#log.error({ order: order.row.id, err: describeError(err) }, 'user event write failed');
      }
    }
    return result;
  }

  // ------------------------------------------------------------------ writes

  /**
   * One order, one transaction: read afresh, decide, write. A guarded write that finds the row moved
   * (another process on PostgreSQL) rolls back and is decided again.
   */
  async #settle(
    orderId: number,
    decide: (local: LocalOrder) => Decided,
    takerFees: ReadonlyMap<string, Usdc>,
  ): Promise<Settled | null> {
    const { store } = this.#o;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#exclusive(() =>
          store.db.transaction().execute(async (trx): Promise<Settled | null> => {
            const fresh = await lockOrder(trx, store.engine, orderId);
            if (fresh === undefined) return null;
            const decided = decide(fresh.local);
            const sizeMoved = decided.filledSize !== fresh.row.filled_size;
            if (!decided.changed && !sizeMoved) return { decided, wrote: false, problems: [] };
            const written = await writeOrderChange(trx, fresh, decided, takerFees, this.#o.clock.now());
            return { decided, wrote: true, problems: written.problems };
          }),
        );
      } catch (err) {
        if (err instanceof TrackerConflict && attempt < MAX_CONFLICT_RETRIES) continue;
        throw err;
      }
    }
  }

  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.#writes.then(fn, fn);
    this.#writes = next.catch(() => {});
    return next;
  }

  #collect(
    order: TrackedOrder,
    settled: Settled,
    source: TrackerSource,
    into: { changes: TrackerOrderChange[]; flags: TrackerFlag[] },
  ): void {
    const { decided } = settled;
    const orderId = order.row.id;
    for (const f of decided.flags) {
      into.flags.push({ orderId, kind: f.kind, reason: f.reason });
      this.#log.warn({ order: orderId, flag: f.kind }, f.reason);
    }
    for (const p of settled.problems) {
      into.flags.push({ orderId, kind: 'ledger', reason: p });
      this.#log.error({ order: orderId }, p);
    }
    if (!settled.wrote) return;
    const count = (kind: string) => decided.fillChanges.filter((c) => c.kind === kind).length;
    const change: TrackerOrderChange = {
      orderId,
      orderHash: order.row.order_hash,
      from: decided.from,
      to: decided.to,
      fills: { added: count('add'), advanced: count('advance'), rolledBack: count('rollback') },
      source,
      reason: decided.reason,
    };
    into.changes.push(change);
    this.#log.info(
      { order: orderId, from: change.from, to: change.to, fills: change.fills, source },
      change.reason,
    );
  }
}
