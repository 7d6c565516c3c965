/**
 * The HTTP API: fastify on 127.0.0.1 by default, JSON everywhere, reads open, every write behind
 * the dashboard's bearer token, and no secret in any response. It takes plain dependencies (the
 * store, the bus, the configuration, a health function), so `start`, `demo` and tests run it the
 * same way, and it imports nothing from the CLI.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { LoadedConfig } from '../../config/index.ts';
import { type Clock, systemClock } from '../../core/clock.ts';
import { ConfigError, describeError } from '../../core/errors.ts';
import type { EventBus, TradingMode } from '../../core/events.ts';
import type { Logger } from '../../core/logger.ts';
import type { Marks } from '../../portfolio/report.ts';
import type { LiveAccountRow, Store } from '../../store/index.ts';
import { writeGuard } from './auth.ts';
import type { ComponentHealthRow, RouteContext, ServerEvents } from './context.ts';
import { installErrorHandlers } from './errors.ts';
import { EventStreams } from './event-streams.ts';
import { loopbackHostGuard } from './host-guard.ts';
import { toJsonText } from './json.ts';
import { registerActivityRoutes } from './routes/activity.ts';
import { registerEventRoutes } from './routes/events.ts';
import { registerFollowRoutes } from './routes/follows.ts';
import { registerPortfolioRoutes } from './routes/portfolio.ts';
import { registerSettingsRoutes } from './routes/settings.ts';
import { registerStatusRoutes } from './routes/status.ts';
import { createScrubber, secretValuesOf } from './secrets.ts';
import { registerStaticFiles } from './static.ts';

export const DEFAULT_HOST = '127.0.0.1';
/** How long close() lets requests in flight finish before cutting every connection. */
const CLOSE_GRACE_MS = 1000;
/** Request bodies are small JSON documents (a follow, a setting). */
const BODY_LIMIT = 64 * 1024;

/** Mounts more routes on the server before it listens: /metrics, the dashboard's files. */
export type HttpPlugin = (app: FastifyInstance) => void | Promise<void>;

export interface HttpServerOptions {
  store: Store;
  bus: EventBus<ServerEvents>;
  /** The configuration as loaded; the database's runtime settings are laid over it per request. */
  loaded: LoadedConfig;
  /** `dashboard.token` from the secrets; undefined refuses every write with a 403. */
  token: string | undefined;
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port (tests). */
  port: number;
  logger: Logger;
  /** The running components' health, as the health reporter collects it. */
  health: () => readonly ComponentHealthRow[];
  /** The mode this process trades in. */
  mode: TradingMode;
  clock?: Clock;
  /** When the app started (epoch ms), for uptime; default when the server starts. */
  startedAt?: number;
  /** Marks for positions and PnL (e.g. the live book feed's mids); default: REST book mids. */
  marks?: Marks;
  /**
   * Resolves a configured `[[accounts]]` name to its live account row (wallet address, signature
   * type, funder), so a follow added here creates it live. Without it, such an account must get
   * its first follow from the CLI.
   */
  liveAccount?: (name: string) => Promise<LiveAccountRow | undefined>;
  /** Awaited before a paper reset (e.g. `copier.idle()`), so no copy is half-written across it. */
  beforePaperReset?: () => Promise<void>;
  /** Further secret values the process holds (API credentials, key material): never served. */
  secrets?: readonly string[];
  /** Event stream heartbeat interval; default 15 s. */
  heartbeatMs?: number;
  plugins?: readonly HttpPlugin[];
}

export interface HttpServer {
  /** e.g. http://127.0.0.1:7420 */
  readonly url: string;
  /** Open event streams. */
  streamClients(): number;
  /** Ends the event streams and stops listening; later calls return the same promise. */
  close(): Promise<void>;
}

export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const host = options.host ?? DEFAULT_HOST;
  const clock = options.clock ?? systemClock;
  const logger = options.logger;
  const scrub = createScrubber([
    ...secretValuesOf(options.loaded),
    ...(options.token !== undefined ? [options.token] : []),
    ...(options.secrets ?? []),
  ]);

  let closing = false;
  let appStopping = false;
  const offStopping = options.bus.on('app.stopping', () => {
    appStopping = true;
  });

  // No automatic HEAD routes: a HEAD of the event stream would hold a connection open for nothing.
  const app = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT,
    return503OnClosing: true,
    exposeHeadRoutes: false,
  });
  const streams = new EventStreams({
    bus: options.bus,
    clock,
    logger,
    scrub,
    ...(options.heartbeatMs !== undefined ? { heartbeatMs: options.heartbeatMs } : {}),
  });
  const ctx: RouteContext = {
    store: options.store,
    loaded: options.loaded,
    bus: options.bus,
    clock,
    logger,
    mode: options.mode,
    startedAt: options.startedAt ?? clock.now(),
    writesEnabled: options.token !== undefined && options.token !== '',
    health: options.health,
    marks: options.marks ?? null,
    liveAccount: options.liveAccount ?? null,
    beforePaperReset: options.beforePaperReset ?? null,
    accepting: () => !closing && !appStopping,
  };

  try {
    const hostGuard = loopbackHostGuard(host);
    if (hostGuard !== undefined) app.addHook('onRequest', hostGuard);
    app.addHook('onRequest', writeGuard(options.token));
    app.setReplySerializer((payload) => toJsonText(payload));
    app.addHook('onSend', async (_request, reply, payload) => {
      void reply.headers({
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      });
      return typeof payload === 'string' ? scrub(payload) : payload;
    });
    installErrorHandlers(app, logger);

    registerStatusRoutes(app, ctx);
    registerFollowRoutes(app, ctx);
    registerSettingsRoutes(app, ctx);
    registerActivityRoutes(app, ctx);
    registerPortfolioRoutes(app, ctx);
    registerEventRoutes(app, streams);
    // The dashboard (web/) at `/`: its files, every other path left to the API's 404.
    await registerStaticFiles(app);
    for (const plugin of options.plugins ?? []) await plugin(app);

    await app.listen({ host, port: options.port });
  } catch (err) {
    offStopping();
    await app.close().catch(() => undefined);
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      throw new ConfigError(
        `the HTTP server cannot listen on ${host}:${options.port} (${code}): set server.host/server.port ` +
          `(POLYHUNTER_SERVER__PORT) to a free address`,
        { cause: err },
      );
    }
    throw err;
  }

  const url = urlOf(app, host);
  logger.info({ url }, `HTTP API listening on ${url}`);
  if (!ctx.writesEnabled) {
    logger.warn('no dashboard token is configured: the API refuses every change (run `polyhunter init`)');
  }

  let closed: Promise<void> | undefined;
  return {
    url,
    streamClients: () => streams.clients,
    close() {
      closed ??= (async () => {
        closing = true;
        offStopping();
        streams.closeAll();
        // Requests in flight may finish; a connection still open after the grace (a client's
        // spare socket that never sent a request) is cut rather than waited for.
        const cut = setTimeout(() => app.server.closeAllConnections(), CLOSE_GRACE_MS);
        try {
          await app.close();
        } catch (err) {
          logger.warn({ err: describeError(err) }, 'HTTP server did not close cleanly');
        } finally {
          clearTimeout(cut);
        }
      })();
      return closed;
    },
  };
}

/** The address clients use: the bound port on the configured host (a wildcard host shows as 127.0.0.1). */
function urlOf(app: FastifyInstance, host: string): string {
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const shown = host === '0.0.0.0' || host === '::' ? DEFAULT_HOST : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
}
