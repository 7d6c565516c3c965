/**
 * `GET /balance-allowance` and `GET /balance-allowance/update` (L2), query `asset_type`
 * (COLLATERAL | CONDITIONAL), `token_id` (CONDITIONAL), `signature_type` (0-3, which funder).
 *
 * The balance is the funder's whole holding in 6-decimal raw units, as on chain (open orders do
 * not lower it; the engine refuses orders beyond what they leave). Allowances are the V2
 * exchanges and the neg-risk adapter at uint256 max: the simulator has no approvals to forget.
 * `/update` refreshes nothing (there is no cache) and answers an empty 200. A funder the
 * simulator cannot name (a proxy or Safe before the key has traded through it) has balance 0.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { maxUint256 } from 'viem';
import { clobContracts } from '../../../polymarket/clob/addresses.ts';
import type { SignatureType } from '../../../polymarket/clob/order-v2.ts';
import type { ClobContext } from './context.ts';
import { REST_ERROR, sendError } from './errors.ts';
import { queryValue, tokenIdSchema } from './params.ts';

export function registerBalanceRoutes(app: FastifyInstance, ctx: ClobContext): void {
  const contracts = clobContracts(ctx.options.chainId);
  const allowances = Object.fromEntries(
    [contracts.exchangeV2, contracts.negRiskExchangeV2, contracts.negRiskAdapter].map((spender) => [
      spender,
      maxUint256.toString(),
    ]),
  );

  /** The reply body, or undefined once a 400 or 401 is sent. */
  const read = (request: FastifyRequest, reply: FastifyReply) => {
    const identity = ctx.authenticate(request, reply);
    if (identity === undefined) return undefined;
    const assetType = queryValue(request.query, 'asset_type');
    if (assetType !== 'COLLATERAL' && assetType !== 'CONDITIONAL') {
      sendError(reply, 400, REST_ERROR.invalidParam('asset_type'));
      return undefined;
    }
    const typeText = queryValue(request.query, 'signature_type') ?? '0';
    if (typeText === null || !/^[0-3]$/.test(typeText)) {
      sendError(reply, 400, REST_ERROR.invalidParam('signature_type'));
      return undefined;
    }
    let tokenId: string | undefined;
    if (assetType === 'CONDITIONAL') {
      const value = queryValue(request.query, 'token_id');
      if (typeof value !== 'string' || !tokenIdSchema.safeParse(value).success) {
        sendError(reply, 400, REST_ERROR.invalidTokenId);
        return undefined;
      }
      tokenId = value;
    }
    const funder = ctx.funders.funderOf(identity.apiKey, identity.address, Number(typeText) as SignatureType);
    const engine = ctx.venue.engine;
    let balance = 0;
    if (funder !== undefined) {
      balance =
        tokenId === undefined ? engine.balance(funder).balance : engine.position(funder, tokenId).balance;
    }
    return { balance: String(balance), allowances };
  };

  app.get('/balance-allowance', async (request, reply) => read(request, reply) ?? reply);
  app.get('/balance-allowance/update', async (request, reply) => {
    if (read(request, reply) === undefined) return reply;
    return reply.code(200).send();
  });
}
