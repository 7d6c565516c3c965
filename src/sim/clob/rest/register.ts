/**
 * Mounts the simulated CLOB's REST API on a fastify instance, in its own encapsulated scope:
 * bodies are kept as raw text whatever their content type (L2 signs the exact bytes; routes parse
 * them), every error leaves as `{"error": ...}`, and injected faults answer before any route.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { systemClock } from '../../../core/clock.ts';
import type { SimVenue } from '../../venue/index.ts';
import { registerAuthRoutes } from './auth-routes.ts';
import { registerBalanceRoutes } from './balance-routes.ts';
import { registerCancelRoutes } from './cancel-routes.ts';
import { type ClobContext, type ClobRestOptions, l2Authenticator } from './context.ts';
import { REST_ERROR } from './errors.ts';
import { type ClobFaults, FaultInjector } from './faults.ts';
import { FunderBook } from './funders.ts';
import { registerHeartbeatRoutes } from './heartbeat-routes.ts';
import { DEFAULT_HEARTBEAT_TIMEOUT_MS, HeartbeatMonitor } from './heartbeats.ts';
import { registerMarketRoutes } from './market-routes.ts';
import { registerOrderRoutes } from './order-routes.ts';
import { registerPriceRoutes } from './price-routes.ts';
import { registerPublicRoutes } from './public-routes.ts';
import { registerQueryRoutes } from './query-routes.ts';
import { registerScoringRoutes } from './scoring-routes.ts';

export interface ClobRoutes {
  faults: ClobFaults;
  /** API keys whose heartbeat session is running. */
  heartbeatKeys(): string[];
}

const DEFAULT_BODY_LIMIT = 1024 * 1024;

export function registerClobRoutes(
  app: FastifyInstance,
  venue: SimVenue,
  options: ClobRestOptions,
): ClobRoutes {
  const faults = new FaultInjector();
  const heartbeats = new HeartbeatMonitor({
    timeoutMs: options.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS,
    timers: options.timers ?? systemClock,
    ...(options.newHeartbeatId ? { newId: options.newHeartbeatId } : {}),
    onExpire: (apiKey) => {
      const result = venue.engine.cancelAll(apiKey);
      app.log.info({ apiKey, canceled: result.canceled.length }, 'heartbeat lapsed: open orders cancelled');
    },
  });
  const ctx: ClobContext = {
    venue,
    options,
    heartbeats,
    funders: new FunderBook(options.funderOf),
    pageSize: options.pageSize ?? 100,
    marketsPageSize: options.marketsPageSize ?? 1000,
    authenticate: l2Authenticator(venue, options),
  };

  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'string', bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT },
      (_request, body, done) => done(null, body),
    );
    scope.setErrorHandler((error: FastifyError, request, reply) => {
      const status = error.statusCode ?? 500;
      if (status === 413) return reply.code(413).send({ error: REST_ERROR.bodyTooLarge });
      if (status >= 400 && status < 500) return reply.code(status).send({ error: error.message });
      request.log.error({ err: error }, 'CLOB route failed');
      return reply.code(500).send({ error: REST_ERROR.internal });
    });
    scope.addHook('onRequest', faults.hook);
    scope.addHook('onClose', async () => heartbeats.close());

    registerPublicRoutes(scope, ctx);
    registerPriceRoutes(scope, ctx);
    registerMarketRoutes(scope, ctx);
    registerAuthRoutes(scope, ctx);
    registerOrderRoutes(scope, ctx);
    registerCancelRoutes(scope, ctx);
    registerQueryRoutes(scope, ctx);
    registerHeartbeatRoutes(scope, ctx);
    registerBalanceRoutes(scope, ctx);
    registerScoringRoutes(scope, ctx);
  });

  return { faults, heartbeatKeys: () => heartbeats.active() };
}
