/**
 * GET /api/status (the overview's header), GET /health (each component, 503 when any is down) and
 * GET /ready (200 once serving and the database answers: what a load balancer or systemd asks).
 */
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { describeError } from '../../../core/errors.ts';
import { effectiveConfig, type RouteContext } from '../context.ts';

/** A database that takes longer than this to answer `select 1` is not ready. */
const READY_TIMEOUT_MS = 2000;

export function registerStatusRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/api/status', async () => {
    const now = ctx.clock.now();
    const components = ctx.health();
    // The header still answers when the database does not; the boot settings stand in.
    const { trading } = (await effectiveConfig(ctx).catch(() => ctx.loaded)).config;
    return {
      mode: ctx.mode,
      /** What every screen shows, unmistakably. */
      modeLabel: ctx.mode === 'live' ? 'LIVE' : 'PAPER',
      now,
      startedAt: ctx.startedAt,
      uptimeMs: now - ctx.startedAt,
      database: { engine: ctx.store.engine, url: ctx.store.displayUrl },
      writesEnabled: ctx.writesEnabled,
      triggerSources: trading.trigger_sources,
      strictSources: trading.strict_sources,
      healthy: components.every((c) => c.healthy),
      components,
    };
  });

  app.get('/health', async (_request, reply) => {
    const components = ctx.health();
    const healthy = components.every((c) => c.healthy);
    return reply.code(healthy ? 200 : 503).send({ status: healthy ? 'ok' : 'degraded', components });
  });

  app.get('/ready', async (_request, reply) => {
    const serving = ctx.accepting();
    const database = await databaseAnswers(ctx);
    const ready = serving && database === 'ok';
    return reply.code(ready ? 200 : 503).send({ ready, checks: { serving, database } });
  });
}

async function databaseAnswers(ctx: RouteContext): Promise<'ok' | 'unreachable'> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      sql`select 1`.execute(ctx.store.db),
      new Promise((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
      }),
    ]);
    return 'ok';
  } catch (err) {
    ctx.logger.warn({ err: describeError(err) }, 'readiness: the database does not answer');
    return 'unreachable';
  } finally {
    clearTimeout(timer);
  }
}
