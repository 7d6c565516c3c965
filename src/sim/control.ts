/**
 * The control API (`/_sim/...`): what tests and the demo use to steer the simulator: fund wallets,
 * resolve markets, mine, and inject faults. Amounts are decimal strings, as on the wire.
 * Other components add routes through `ControlRegistry` (leader trades, HTTP faults).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { formatMicro, parsePrice, parseShares, parseUsdc } from '../core/decimal.ts';
import { describeError, ValidationError } from '../core/errors.ts';
import type { Micro } from '../core/money.ts';
import { applyFault, type FaultTargets } from './faults.ts';
import { type TradeRequest, TraderError, type Traders } from './traders/index.ts';
import type { SimVenue, VenueTrade } from './venue/index.ts';

export interface ControlTargets extends FaultTargets {
  seed: number;
  venue: SimVenue;
  /** Null when the simulator runs without traders: leader trades are then refused. */
  traders: Traders | null;
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
const redeemBody = z.strictObject({ address, conditionId });
const leaderTradeBody = z
  .strictObject({
    wallet: address,
    /** A name for the leader the first time the wallet trades; default the address. */
    name: z.string().min(1).max(64).optional(),
    /** pUSD deposited before the trade, e.g. to set a leader up in one call. */
    fund: decimal.optional(),
    tokenId: z.string().regex(/^\d{1,78}$/, 'a token id (decimal uint256)'),
    side: z.enum(['BUY', 'SELL']),
    usdc: decimal.optional(),
    shares: decimal.optional(),
    fraction: z.number().positive().max(1).optional(),
    levels: z.number().int().min(1).max(50).optional(),
    orderType: z.enum(['FAK', 'FOK', 'GTC', 'GTD']).optional(),
    limit: decimal.optional(),
    expiration: z.number().int().positive().optional(),
  })
  .refine((b) => [b.usdc, b.shares, b.fraction, b.levels].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of usdc, shares, fraction, levels',
  });

const amount = (m: number) => formatMicro(m);

/** A settled trade as JSON: amounts as decimal strings, as on the wire. */
function tradeJson(t: VenueTrade) {
  return {
    id: t.trade.id,
    market: t.trade.market,
    txHash: t.txHash,
    status: t.status,
    taker: {
      orderId: t.trade.taker.orderId,
      maker: t.trade.taker.maker,
      side: t.trade.taker.side,
      tokenId: t.trade.taker.tokenId,
      shares: amount(t.trade.taker.shares),
      usdc: amount(t.trade.taker.usdc),
      fee: amount(t.trade.taker.fee),
    },
    makers: t.trade.makers.map((m) => ({
      orderId: m.orderId,
      maker: m.maker,
      side: m.side,
      tokenId: m.tokenId,
      price: amount(m.price),
      shares: amount(m.shares),
      usdc: amount(m.usdc),
      matchType: m.matchType,
    })),
  };
}

function invalid(reply: FastifyReply, error: z.ZodError): FastifyReply {
  return reply.code(400).send({
    error: error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
  });
}

export function registerControlRoutes(app: FastifyInstance, t: ControlTargets): void {
  app.get('/_sim/state', async () => ({
    seed: t.seed,
    now: t.clock.now(),
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

  app.post('/_sim/redeem', async (req, reply) => {
    const body = redeemBody.safeParse(req.body);
    if (!body.success) return invalid(reply, body.error);
    const before = t.venue.engine.balance(body.data.address).balance;
    try {
      t.venue.engine.redeem(body.data.address, body.data.conditionId.toLowerCase());
    } catch (err) {
      return reply.code(409).send({ error: describeError(err) });
    }
    return {
      address: body.data.address.toLowerCase(),
      payout: formatMicro(t.venue.engine.balance(body.data.address).balance - before),
    };
  });

  app.post('/_sim/mine', async (_req, reply) => {
    if (!t.chain) return reply.code(409).send({ error: 'the simulator runs without a chain' });
    return t.chain.mineNow();
  });

  app.post<{ Params: { kind: string } }>('/_sim/faults/:kind', async (req, reply) => {
    try {
      return await applyFault(t, req.params.kind, req.body);
    } catch (err) {
      return reply.code(err instanceof ValidationError ? 400 : 409).send({ error: describeError(err) });
    }
  });

  app.post('/_sim/leader-trade', async (req, reply) => {
    if (!t.traders) return reply.code(409).send({ error: 'the simulator runs without traders' });
    const body = leaderTradeBody.safeParse(req.body);
    if (!body.success) return invalid(reply, body.error);
    const b = body.data;
    const leaders = t.traders.leaders;
    try {
      if (!leaders.get(b.wallet)) leaders.add({ name: b.name ?? b.wallet.toLowerCase(), address: b.wallet });
      if (b.fund) leaders.fund(b.wallet, parseUsdc(b.fund));
      const request: TradeRequest = {
        tokenId: b.tokenId,
        side: b.side,
        ...(b.usdc ? { usdc: parseUsdc(b.usdc) } : {}),
        ...(b.shares ? { shares: parseShares(b.shares) } : {}),
        ...(b.fraction !== undefined ? { fraction: Math.round(b.fraction * 1e6) as Micro } : {}),
        ...(b.levels !== undefined ? { levels: b.levels } : {}),
        ...(b.orderType ? { orderType: b.orderType } : {}),
        ...(b.limit ? { limit: parsePrice(b.limit) } : {}),
        ...(b.expiration !== undefined ? { expiration: b.expiration } : {}),
      };
      const done = await leaders.takeTrade(b.wallet, request);
      return {
        wallet: done.leader.address,
        success: done.result.success,
        status: done.result.status,
        errorMsg: done.result.errorMsg,
        orderId: done.order.id,
        txHashes: done.txHashes,
        trades: done.trades.map(tradeJson),
        positionBefore: amount(done.positionBefore),
        positionAfter: amount(done.positionAfter),
      };
    } catch (err) {
      if (err instanceof TraderError || err instanceof ValidationError) {
        return reply.code(400).send({ error: describeError(err) });
      }
      throw err;
    }
  });
}
