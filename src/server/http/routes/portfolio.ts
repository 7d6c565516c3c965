/**
 * Positions, PnL and the paper reset, from src/portfolio/report.ts: the service behind
 * `polyhunter positions`, `pnl` and `reset-paper`. Positions are marked at the current book mids
 * (or the marks the app passes in); a position without a mark is shown unpriced.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ValidationError } from '../../../core/errors.ts';
import {
  DEFAULT_PAPER_ACCOUNT,
  pnlReport,
  positionsReport,
  previewResetPaper,
  resetPaper,
} from '../../../portfolio/report.ts';
import { API_ACTOR, effectiveConfig, marksOf, paperStartingCash, type RouteContext } from '../context.ts';
import { accountParam, enumParam, intParam, parseInput, timeParam } from '../params.ts';
import { realizedPnlSeries } from '../queries/pnl-series.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** More points than a chart can show; a request for more is refused with a hint. */
const MAX_POINTS = 5000;

const positionsQuery = z.strictObject({
  account: accountParam.optional(),
  all: enumParam(['true', 'false']).optional(),
});

const pnlQuery = z.strictObject({
  account: accountParam.optional(),
  since: timeParam.optional(),
  until: timeParam.optional(),
  bucket: intParam(60_000, 7 * DAY_MS).optional(),
});

const resetQuery = z.strictObject({ account: accountParam.optional() });
const resetBody = z.strictObject({
  confirm: z.literal('RESET', 'must be "RESET": a reset deletes the paper ledger'),
  account: z.string().optional(),
});

export function registerPortfolioRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/api/positions', async (request) => {
    const q = parseInput(positionsQuery, request.query, 'query');
    return positionsReport(ctx.store, {
      ...(q.account !== undefined ? { account: q.account } : {}),
      includeClosed: q.all === 'true',
      marks: await marksOf(ctx),
    });
  });

  app.get('/api/pnl', async (request) => {
    const q = parseInput(pnlQuery, request.query, 'query');
    const now = ctx.clock.now();
    const until = q.until ?? now;
    const since = q.since ?? until - 30 * DAY_MS;
    const bucketMs = q.bucket ?? HOUR_MS;
    if (since >= until) throw new ValidationError('invalid query: since must be before until');
    if ((until - since) / bucketMs > MAX_POINTS) {
      throw new ValidationError(
        `invalid query: ${Math.ceil((until - since) / bucketMs)} buckets asked for, at most ${MAX_POINTS}: ` +
          'raise bucket or narrow since/until',
      );
    }
    const report = await pnlReport(ctx.store, {
      ...(q.account !== undefined ? { account: q.account } : {}),
      marks: await marksOf(ctx),
      now,
    });
    const series = await realizedPnlSeries(ctx.store.db, {
      accountIds: report.accounts.map((a) => a.id),
      since,
      until,
      bucketMs,
    });
    const names = new Map(report.accounts.map((a) => [a.id, a.name]));
    return { ...report, series: series.map((s) => ({ account: names.get(s.accountId) ?? null, ...s })) };
  });

  app.get('/api/paper/reset', async (request) => {
    const q = parseInput(resetQuery, request.query, 'query');
    return previewResetPaper(ctx.store, {
      account: q.account ?? DEFAULT_PAPER_ACCOUNT,
      startingCashUsdc: paperStartingCash(await effectiveConfig(ctx)),
    });
  });

  app.post('/api/paper/reset', async (request) => {
    const body = parseInput(resetBody, request.body, 'body');
    const startingCashUsdc = paperStartingCash(await effectiveConfig(ctx));
    // Checked before waiting: a live or unknown account is refused at once.
    const account = body.account ?? DEFAULT_PAPER_ACCOUNT;
    await previewResetPaper(ctx.store, { account, startingCashUsdc });
    if (ctx.beforePaperReset !== null) await ctx.beforePaperReset();
    return resetPaper(ctx.store, { account, startingCashUsdc, now: ctx.clock.now(), actor: API_ACTOR });
  });
}
