/**
 * Leaders and follow configurations. Every read and change goes through src/copy/follows.ts, the
 * service the CLI and Telegram use: it validates the settings with the planner's schemas and
 * audits each change. The zod schemas here check only the shape of the JSON; amounts are
 * micro-units (1_000_000 = $1) and rates basis points, as in the service.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { LoadedConfig } from '../../../config/index.ts';
import {
  addFollow,
  DEFAULT_ACCOUNT,
  type FollowView,
  listFollows,
  removeFollow,
  updateFollow,
} from '../../../copy/follows.ts';
import { ValidationError } from '../../../core/errors.ts';
import { accountsRepo, type LiveAccountRow } from '../../../store/index.ts';
import { API_ACTOR, effectiveConfig, paperStartingCash, type RouteContext } from '../context.ts';
import { notFound } from '../errors.ts';
import { accountParam, addressParam, idPath, parseInput } from '../params.ts';
import { leaderPositions, leaderSummaries } from '../queries/leaders.ts';
import { leaderTradesPage } from '../queries/trades.ts';

const micro = z.number({ error: 'must be a number of micro-units' });
const sizing = z.looseObject({ mode: z.string({ error: 'must name a sizing mode' }) });
const tiers = z.array(z.strictObject({ minLeaderUsdc: micro, multiplierBps: z.number() }));
const direction = z.enum(['copy', 'counter'], 'must be "copy" or "counter"');
const label = z.string().nullable();

const settingsShape = {
  direction: direction.optional(),
  minTradeUsdc: micro.nullable().optional(),
  maxTradeUsdc: micro.nullable().optional(),
  fullCloseOnLeaderExit: z.boolean().optional(),
  slippageBps: z.number().optional(),
  paused: z.boolean().optional(),
  enabled: z.boolean().optional(),
  leaderLabel: label.optional(),
};

const addBody = z.strictObject({
  account: z.string().optional(),
  leader: z.string({ error: 'must be the leader address' }),
  sizing,
  ...settingsShape,
});

const patchBody = z.strictObject({
  sizing: sizing.optional(),
  tiers: tiers.nullable().optional(),
  ...settingsShape,
});

const followsQuery = z.strictObject({ account: accountParam.optional(), leader: addressParam.optional() });
const leaderPath = z.strictObject({ address: addressParam });

export function registerFollowRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/api/leaders', async () => ({ leaders: await leaderSummaries(ctx.store) }));

  app.get('/api/leaders/:address', async (request) => {
    const { address } = parseInput(leaderPath, request.params, 'path');
    const [leader] = await leaderSummaries(ctx.store, address);
    if (leader === undefined) throw notFound(`no leader ${address}`);
    return {
      leader,
      positions: await leaderPositions(ctx.store.db, address),
      recentTrades: (await leaderTradesPage(ctx.store.db, { limit: 20, leader: address })).items,
      follows: await listFollows(ctx.store, { leader: address }),
    };
  });

  app.get('/api/follows', async (request) => {
    const q = parseInput(followsQuery, request.query, 'query');
    return { follows: await listFollows(ctx.store, q) };
  });

  app.get('/api/follows/:id', async (request) => {
    const { id } = parseInput(idPath, request.params, 'path');
    return existingFollow(ctx, id);
  });

  app.post('/api/follows', async (request, reply) => {
    const body = parseInput(addBody, request.body, 'body');
    const effective = await effectiveConfig(ctx);
    const liveAccount = await liveAccountFor(ctx, effective, body.account ?? DEFAULT_ACCOUNT);
    const change = await addFollow(
      ctx.store,
      {
        ...body,
        paperStartingCashUsdc: paperStartingCash(effective),
        ...(liveAccount ? { liveAccount } : {}),
      },
      ctx.clock.now(),
      API_ACTOR,
    );
    return reply.code(201).send(change);
  });

  app.patch('/api/follows/:id', async (request) => {
    const { id } = parseInput(idPath, request.params, 'path');
    const patch = parseInput(patchBody, request.body, 'body');
    await existingFollow(ctx, id);
    return updateFollow(ctx.store, id, patch, ctx.clock.now(), API_ACTOR);
  });

  app.delete('/api/follows/:id', async (request) => {
    const { id } = parseInput(idPath, request.params, 'path');
    await existingFollow(ctx, id);
    return removeFollow(ctx.store, id, ctx.clock.now(), API_ACTOR);
  });
}

/**
 * The live account a follow's account stands for when it is a configured `[[accounts]]` entry, so
 * the service creates it live. Without a way to resolve it (the app passes one), a configured
 * account not yet in the database is refused rather than created as paper under a live name.
 */
async function liveAccountFor(
  ctx: RouteContext,
  effective: LoadedConfig,
  name: string,
): Promise<LiveAccountRow | undefined> {
  if (!effective.config.accounts.some((a) => a.name === name)) return undefined;
  const resolved = ctx.liveAccount === null ? undefined : await ctx.liveAccount(name);
  if (resolved !== undefined) return resolved;
  if ((await accountsRepo(ctx.store.db).byName(name)) !== undefined) return undefined;
  throw new ValidationError(
    `account "${name}" is a live [[accounts]] entry in the config and is not in the database yet: ` +
      `add its first follow with \`polyhunter follow add --account ${name}\``,
  );
}

/** The follow, or a 404 (the service says a missing id is a validation error; here it is a 404). */
async function existingFollow(ctx: RouteContext, id: number): Promise<FollowView> {
  const follow = (await listFollows(ctx.store)).find((f) => f.id === id);
  if (follow === undefined) throw notFound(`no follow with id ${id}`);
  return follow;
}
