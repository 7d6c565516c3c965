/**
 * The control API (`/_sim/...`): what tests and the demo use to steer the simulator: fund wallets,
 * resolve markets, mine, and inject faults. Amounts are decimal strings, as on the wire.
 * Other components add routes through `ControlRegistry` (leader trades, HTTP faults).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { parseShares, parseUsdc } from '../core/decimal.ts';
import { describeError } from '../core/errors.ts';
import type { Chain } from './chain/index.ts';
import type { FeedsHub, RtdsServer } from './feeds/index.ts';
import type { SimVenue } from './venue/index.ts';

export interface ControlTargets {
  seed: number;
  now: () => number;
  venue: SimVenue;
  feeds: FeedsHub;
  rtds: RtdsServer;
  chain: Chain | null;
}

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'a 0x-prefixed 40-hex-digit address');
const decimal = z
  .string()
  .regex(/^\d+(\.\d{1,6})?$/, 'a decimal string with at most 6 decimals, e.g. "100.5"');
const conditionId = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'a 0x-prefixed 32-byte condition id');

const fundBody = z.strictObject({
  address,
  usdc: decimal.optional(),
  /** Complete sets minted from pUSD, per market: the wallet then holds YES and NO. */
  splits: z.array(z.strictObject({ conditionId, shares: decimal })).optional(),
});
const resolveBody = z.strictObject({ conditionId, winningOutcome: z.enum(['Yes', 'No']) });
const reorgBody = z.strictObject({ depth: z.number().int().min(1).max(64) });
const lagBody = z.strictObject({
  extraMs: z.number().int().min(0),
  durationMs: z.number().int().min(1),
});
const silenceBody = z.strictObject({ on: z.boolean(), newConnections: z.boolean().optional() });

function invalid(reply: FastifyReply, error: z.ZodError): FastifyReply {
  return reply.code(400).send({
    error: error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
  });
}

export function registerControlRoutes(app: FastifyInstance, t: ControlTargets): void {
  app.get('/_sim/state', async () => ({
    seed: t.seed,
    now: t.now(),
    chainHead: t.chain ? await t.chain.head() : null,
    markets: t.venue.catalog.markets.map((m) => ({
      conditionId: m.conditionId,
      question: m.question,
      negRisk: m.negRisk,
      tickSize: m.tickSize / 1e6,
      tokens: m.tokens,
      closed: t.venue.engine.market(m.conditionId)?.closed ?? m.closed,
    })),
  }));

  app.post('/_sim/fund', async (req, reply) => {
    const body = fundBody.safeParse(req.body);
    if (!body.success) return invalid(reply, body.error);
    const { address: wallet, usdc, splits = [] } = body.data;
    try {
      if (usdc) t.venue.engine.deposit(wallet, parseUsdc(usdc));
      for (const s of splits)
        t.venue.engine.split(wallet, s.conditionId.toLowerCase(), parseShares(s.shares));
    } catch (err) {
      return reply.code(400).send({ error: describeError(err) });
    }
    return { address: wallet.toLowerCase(), balance: t.venue.engine.balance(wallet) };
  });

  app.post('/_sim/resolve', async (req, reply) => {
    const body = resolveBody.safeParse(req.body);
    if (!body.success) return invalid(reply, body.error);
    const market = t.venue.catalog.markets.find((m) => m.conditionId === body.data.conditionId.toLowerCase());
    if (!market) return reply.code(404).send({ error: 'unknown condition id' });
    const winner = market.tokens.find((tok) => tok.outcome === body.data.winningOutcome)!;
    try {
      t.venue.engine.resolveMarket(market.conditionId, winner.tokenId);
    } catch (err) {
      return reply.code(409).send({ error: describeError(err) });
    }
    return { conditionId: market.conditionId, winningTokenId: winner.tokenId };
  });

  app.post('/_sim/mine', async (_req, reply) => {
    if (!t.chain) return reply.code(409).send({ error: 'the simulator runs without a chain' });
    return t.chain.mineNow();
  });

  app.post('/_sim/faults/reorg', async (req, reply) => {
    if (!t.chain) return reply.code(409).send({ error: 'the simulator runs without a chain' });
    const body = reorgBody.safeParse(req.body);
    if (!body.success) return invalid(reply, body.error);
    try {
      return await t.chain.reorg(body.data.depth);
    } catch (err) {
      return reply.code(409).send({ error: describeError(err) });
    }
  });

  app.post('/_sim/faults/rtds-drop', async () => ({ dropped: t.rtds.dropAll() }));

  app.post('/_sim/faults/rtds-silence', async (req, reply) => {
    const body = silenceBody.safeParse(req.body);
    if (!body.success) return invalid(reply, body.error);
    if (body.data.on) t.rtds.silence({ newConnections: body.data.newConnections ?? false });
    else t.rtds.resume();
    return { silent: body.data.on };
  });

  app.post('/_sim/faults/data-lag', async (req, reply) => {
    const body = lagBody.safeParse(req.body);
    if (!body.success) return invalid(reply, body.error);
    return t.feeds.lag.spike(body.data.extraMs, body.data.durationMs);
  });
}
