/**
 * What the end-to-end fault tests check orders against: the venue's own record (the simulator's
 * engine), never what our side believes. It gives
 *
 * - every order the venue saw for a wallet, from the engine's event stream (an order that filled
 *   at once leaves no trace but its trade, one killed leaves a cancellation);
 * - a log of every order post the broker made, by the orders' salts, with the answer it got: a
 *   signed order sent more than once must only have been retried after answers that prove the
 *   venue did not take it;
 * - the venue's truth for one order (the local status it must end in, its matched shares and its
 *   fills trade by trade) next to the local row, so one `toEqual` shows every difference;
 * - a second simulated CLOB REST server on the same venue with a short heartbeat timeout, because
 *   `startSimulator` does not pass `heartbeatTimeoutMs` through (10 s is too slow for a test).
 */
import Fastify from 'fastify';
import { MICRO } from '../../../src/core/money.ts';
import { mulDiv } from '../../../src/core/rounding.ts';
import type { FetchLike } from '../../../src/execution/live/transport.ts';
import { type ClobFaults, registerClobRoutes } from '../../../src/sim/clob/rest/index.ts';
import type { OrderSnapshot } from '../../../src/sim/engine/index.ts';
import type { Simulator } from '../../../src/sim/simulator.ts';
import type { OrderStatus, Store } from '../../../src/store/index.ts';

/** Order ids the venue has seen for the wallet `maker`, in first-seen order. */
export interface VenueOrders {
  ids(): string[];
  stop(): void;
}

export function watchVenueOrders(sim: Simulator, maker: string): VenueOrders {
  const wallet = maker.toLowerCase();
  const seen = new Set<string>();
  const note = (id: string, by: string) => {
    if (by.toLowerCase() === wallet) seen.add(id.toLowerCase());
  };
  const stop = sim.venue.on((e) => {
    if (e.kind !== 'engine') return;
    const ev = e.event;
    switch (ev.type) {
      case 'order_placed':
      case 'order_delayed':
      case 'order_updated':
      case 'order_cancelled':
        note(ev.order.id, ev.order.maker);
        break;
      case 'trade':
        note(ev.trade.taker.orderId, ev.trade.taker.maker);
        for (const m of ev.trade.makers) note(m.orderId, m.maker);
        break;
      default:
        break;
    }
  });
  return { ids: () => [...seen], stop };
}

export interface OrderPost {
  path: string;
  /** The salts of the signed orders in the body: one per order. */
  salts: string[];
  /** The HTTP status the broker got, or `lost` when the request threw. */
  answer: number | 'lost';
}

/**
 * A fetch that logs each `POST /order` and `POST /orders` with its answer. Wrap it around any
 * fault-injecting fetch so the answer logged is the one the broker saw.
 */
export function postLog(inner: FetchLike): { fetch: FetchLike; posts: OrderPost[] } {
  const posts: OrderPost[] = [];
  const fetch: FetchLike = async (input, init) => {
    const path = new URL(input).pathname;
    if (init.method !== 'POST' || !/^\/orders?$/.test(path)) return inner(input, init);
    const parsed: unknown = JSON.parse(String(init.body));
    const bodies = (Array.isArray(parsed) ? parsed : [parsed]) as { order: { salt: unknown } }[];
    const salts = bodies.map((b) => String(b.order.salt));
    try {
      const res = await inner(input, init);
      posts.push({ path, salts, answer: res.status });
      return res;
    } catch (err) {
      posts.push({ path, salts, answer: 'lost' });
      throw err;
    }
  };
  return { fetch, posts };
}

/** Each signed order's answers, in the order it was first posted. */
export function answersBySalt(posts: readonly OrderPost[]): Map<string, (number | 'lost')[]> {
  const out = new Map<string, (number | 'lost')[]>();
  for (const p of posts) for (const salt of p.salts) out.set(salt, [...(out.get(salt) ?? []), p.answer]);
  return out;
}

/**
 * A `watchedFetch` handler: the venue gets the request and acts on it, and the broker is told
 * `status` (a 5xx from the edge after the order went in).
 */
export function answeredWith(status: number) {
  return async (input: string, init: RequestInit, real: FetchLike): Promise<Response> => {
    await real(input, init);
    const body =
      status === 502
        ? '<html><head><title>502 Bad Gateway</title></head><body>cloudflare</body></html>'
        : JSON.stringify({ error: 'could not run the execution' });
    return new Response(body, {
      status,
      headers: { 'content-type': status === 502 ? 'text/html' : 'application/json' },
    });
  };
}

/**
 * The local status an order must end in, from the venue's record of it:
 * - unknown to the venue: it never took it, REJECTED;
 * - killed unfilled (a FOK or FAK that found nothing): the venue refused it, REJECTED;
 * - fully matched: FILLED; resting: LIVE, or PARTIAL once part of it matched;
 * - a FAK whose remainder was killed after a partial match: FILLED, as the order manager reads the
 *   venue's `matched` answer (the tracker makes it CANCELLED: faults-e2e.test.ts, known divergence);
 * - cancelled otherwise (by us, or by the heartbeat lapse): CANCELLED; past its GTD time: EXPIRED.
 */
export function venueTruth(o: OrderSnapshot | undefined): OrderStatus {
  if (o === undefined) return 'REJECTED';
  switch (o.status) {
    case 'MATCHED':
      return 'FILLED';
    case 'LIVE':
    case 'DELAYED':
      return o.matchedShares > 0 ? 'PARTIAL' : 'LIVE';
    default:
      if (o.cancelReason === 'FOK_NOT_FILLED' || o.cancelReason === 'FAK_NO_MATCH') return 'REJECTED';
      if (o.cancelReason === 'FAK_REMAINDER' && o.matchedShares > 0) return 'FILLED';
      if (o.cancelReason === 'EXPIRED') return 'EXPIRED';
      return 'CANCELLED';
  }
}

export interface FillView {
  trade: string;
  size: number;
  price: number;
  fee: number;
  status: string;
}

export interface OrderView {
  key: string;
  status: string;
  filled: number;
  fills: FillView[];
}

/** Our live orders of `accountId` as stored, oldest first, each with its fills (none rolled back). */
export async function localOrders(
  store: Store,
  accountId: number,
): Promise<(OrderView & { hash: string | null })[]> {
  const rows = await store.db
    .selectFrom('orders')
    .select(['id', 'idempotency_key', 'status', 'filled_size', 'order_hash'])
    .where('account_id', '=', accountId)
    .where('is_paper', '=', 0)
    .orderBy('id')
    .execute();
  const out: (OrderView & { hash: string | null })[] = [];
  for (const row of rows) {
    const fills = await store.db
      .selectFrom('fills')
      .select(['venue_trade_id', 'size', 'price', 'fee', 'status'])
      .where('order_id', '=', row.id)
      .orderBy('venue_trade_id')
      .execute();
    out.push({
      key: row.idempotency_key,
      hash: row.order_hash,
      status: row.status,
      filled: row.filled_size,
      fills: fills.map((f) => ({
        trade: f.venue_trade_id,
        size: f.size,
        price: f.price,
        fee: f.fee,
        status: f.status,
      })),
    });
  }
  return out;
}

/**
 * What the venue says the same order must look like: the status of venueTruth, the shares it
 * matched and one fill per trade it took part in (as taker: the taker's shares at its average
 * price with its fee; as maker: its own shares at its own price, no fee), with the trade's status.
 */
export function venueView(sim: Simulator, key: string, hash: string | null): OrderView {
  const id = hash?.toLowerCase() ?? null;
  const order = id === null ? undefined : sim.venue.engine.order(id);
  const fills: FillView[] = [];
  if (id !== null) {
    for (const record of sim.venue.allTrades()) {
      const { trade } = record;
      if (trade.taker.orderId.toLowerCase() === id) {
        const t = trade.taker;
        fills.push({
          trade: trade.id,
          size: t.shares,
          price: mulDiv(t.usdc, MICRO, t.shares, 'halfUp'),
          fee: t.fee,
          status: record.status,
        });
        continue;
      }
      const mine = trade.makers.filter((m) => m.orderId.toLowerCase() === id);
      if (mine.length === 0) continue;
      if (mine.length > 1) throw new Error('one order twice in a trade: not expected in these tests');
      fills.push({
        trade: trade.id,
        size: mine[0]!.shares,
        price: mine[0]!.price,
        fee: 0,
        status: record.status,
      });
    }
  }
  fills.sort((a, b) => (a.trade < b.trade ? -1 : a.trade > b.trade ? 1 : 0));
  return { key, status: venueTruth(order), filled: order?.matchedShares ?? 0, fills };
}

export interface ShortHeartbeatClob {
  url: string;
  /** This server's own fault injection (the simulator's control API arms the main server's). */
  faults: ClobFaults;
  /** API keys whose heartbeat session is running. */
  heartbeatKeys(): string[];
  close(): Promise<void>;
}

/** The simulated CLOB REST API on the simulator's venue, whose heartbeat sessions lapse after `timeoutMs`. */
export async function shortHeartbeatClob(sim: Simulator, timeoutMs: number): Promise<ShortHeartbeatClob> {
  const app = Fastify();
  const routes = registerClobRoutes(app, sim.venue, {
    chainId: 137,
    now: () => sim.clock.now(),
    timers: sim.clock,
    heartbeatTimeoutMs: timeoutMs,
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, faults: routes.faults, heartbeatKeys: routes.heartbeatKeys, close: () => app.close() };
}
