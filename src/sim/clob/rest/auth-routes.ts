/**
 * API key routes. L1 (ClobAuth signature): `POST /auth/api-key` creates, `GET
 * /auth/derive-api-key` derives; both answer `{apiKey, secret, passphrase}`. L2: `GET
 * /auth/api-keys` lists the wallet's keys as `{apiKeys: [<key>]}` (rs-clob-client reads key ids,
 * never secrets), `DELETE /auth/api-key` revokes the key the request is signed with, `GET
 * /auth/ban-status/closed-only` is `{closed_only: false}`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { apiKeyResponse, verifyL1 } from '../auth/index.ts';
import type { ClobContext } from './context.ts';

export function registerAuthRoutes(app: FastifyInstance, ctx: ClobContext): void {
  const { venue, options } = ctx;
  const l1Options = {
    chainId: options.chainId,
    ...(options.timestampToleranceSeconds === undefined
      ? {}
      : { timestampToleranceSeconds: options.timestampToleranceSeconds }),
  };

  const issue = (create: boolean) => async (request: FastifyRequest, reply: FastifyReply) => {
    const l1 = await verifyL1(request.headers, options.now(), l1Options);
    if (!l1.ok) {
      request.log.debug({ reason: l1.reason }, 'L1 authentication refused');
      return reply.code(l1.reply.status).send(l1.reply.body);
    }
    const result = create
      ? venue.apiKeys.create(l1.value.address, l1.value.nonce)
      : venue.apiKeys.derive(l1.value.address, l1.value.nonce);
    if (!result.ok) return reply.code(result.reply.status).send(result.reply.body);
    return apiKeyResponse(result.value);
  };

  app.post('/auth/api-key', issue(true));
  app.get('/auth/derive-api-key', issue(false));

  app.get('/auth/api-keys', async (request, reply) => {
    const identity = ctx.authenticate(request, reply);
    if (identity === undefined) return reply;
    return { apiKeys: venue.apiKeys.keysOf(identity.address).map((r) => r.key) };
  });

  app.delete('/auth/api-key', async (request, reply) => {
    const identity = ctx.authenticate(request, reply);
    if (identity === undefined) return reply;
    venue.apiKeys.revoke(identity.apiKey);
    ctx.heartbeats.stop(identity.apiKey);
    return reply.type('application/json').send('"OK"');
  });

  app.get('/auth/ban-status/closed-only', async (request, reply) => {
    const identity = ctx.authenticate(request, reply);
    if (identity === undefined) return reply;
    return { closed_only: false };
  });
}
