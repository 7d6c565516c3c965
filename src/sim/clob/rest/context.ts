/**
 * What every route group shares: the venue, the resolved options, the L2 check and the
 * bookkeeping that spans routes (heartbeats, the funders orders were signed for).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Address } from 'viem';
import type { Clock } from '../../../core/clock.ts';
import type { SignatureType } from '../../../polymarket/clob/order-v2.ts';
import type { SimVenue } from '../../venue/index.ts';
import { type L2Identity, verifyL2 } from '../auth/index.ts';
import type { FunderBook } from './funders.ts';
import type { HeartbeatMonitor } from './heartbeats.ts';

export interface ClobRestOptions {
  /** The chain orders and ClobAuth are signed for (137, or 80002 for Amoy). */
  chainId: number;
  /** Epoch ms: `/time`, auth freshness, book timestamps. Use the venue's clock. */
  now: () => number;
  /** Timers for heartbeat deadlines; the same clock as `now` (default: real time). */
  timers?: Pick<Clock, 'setTimer'>;
  /** A key that started heartbeats and misses one for this long loses its open orders. Default 10 s. */
  heartbeatTimeoutMs?: number;
  /** How far POLY_TIMESTAMP may be from `now()`; Infinity when `now` is a manual clock. Default 60 s. */
  timestampToleranceSeconds?: number;
  /** Page size of `/data/orders` and `/data/trades` (default 100) and of `/markets` (default 1000). */
  pageSize?: number;
  marketsPageSize?: number;
  /** Largest request body in bytes (default 1 MiB). */
  bodyLimit?: number;
  /**
   * The funder wallet of an EOA for a signature type, for `/balance-allowance` before the key has
   * posted any order for it (afterwards the order's maker is remembered).
   */
  funderOf?: (owner: Address, signatureType: SignatureType) => Address | undefined;
  /** Heartbeat ids (default random UUIDs). */
  newHeartbeatId?: () => string;
}

export interface ClobContext {
  venue: SimVenue;
  options: ClobRestOptions;
  heartbeats: HeartbeatMonitor;
  funders: FunderBook;
  pageSize: number;
  marketsPageSize: number;
  /** The L2 identity of the request, or undefined once the 401 has been sent. */
  authenticate(request: FastifyRequest, reply: FastifyReply): L2Identity | undefined;
}

/** The raw body as the catch-all parser kept it ('' when there was none). */
export function rawBody(request: FastifyRequest): string {
  return typeof request.body === 'string' ? request.body : '';
}

/** The request target's path, as the L2 HMAC covers it. */
export function pathOf(request: FastifyRequest): string {
  return request.url.split('?', 1)[0] ?? request.url;
}

export function l2Authenticator(venue: SimVenue, options: ClobRestOptions): ClobContext['authenticate'] {
  return (request, reply) => {
    const result = verifyL2(
      venue.apiKeys,
      request.headers,
      request.method,
      pathOf(request),
      rawBody(request),
      options.now(),
      options.timestampToleranceSeconds === undefined
        ? {}
        : { timestampToleranceSeconds: options.timestampToleranceSeconds },
    );
    if (result.ok) return result.value;
    request.log.debug({ reason: result.reason }, 'L2 authentication refused');
    reply.code(result.reply.status).send(result.reply.body);
    return undefined;
  };
}
