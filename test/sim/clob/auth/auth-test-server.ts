/**
 * Test support: a minimal CLOB on 127.0.0.1 whose auth is this folder's verifiers, so the official
 * client can be run against them end to end. It serves just what the client's key, order and
 * cancel paths call (`/version`, `/tick-size`, `/neg-risk`, the auth routes, `/order`, `/orders`,
 * `/data/orders`), and records every request as received.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { requestPathOf } from '../../../../src/polymarket/clob/auth.ts';
import type { PostOrderV2Body } from '../../../../src/polymarket/clob/order-v2.ts';
import { ApiKeyRegistry, apiKeyResponse } from '../../../../src/sim/clob/auth/api-key-registry.ts';
import { FunderWalletRegistry } from '../../../../src/sim/clob/auth/funder-wallets.ts';
import {
  checkOrderOwner,
  parsePostOrderBody,
  parsePostOrdersBody,
} from '../../../../src/sim/clob/auth/parse-order-body.ts';
import type { Verified } from '../../../../src/sim/clob/auth/replies.ts';
import { verifyL1 } from '../../../../src/sim/clob/auth/verify-l1.ts';
import { type L2Identity, verifyL2 } from '../../../../src/sim/clob/auth/verify-l2.ts';
import { verifyOrder } from '../../../../src/sim/clob/auth/verify-order.ts';

export interface RecordedRequest {
  method: string;
  target: string;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
  reply: unknown;
}

export interface AuthTestServer {
  url: string;
  keys: ApiKeyRegistry;
  wallets: FunderWalletRegistry;
  negRiskTokens: Set<string>;
  requests: RecordedRequest[];
  /** Added to Date.now() when checking timestamps, to play a server whose clock is off. */
  clockOffsetMs: number;
  close(): Promise<void>;
}

interface Reply {
  status: number;
  body: unknown;
}

function replyOf<T>(result: Verified<T>): Reply | undefined {
  return result.ok ? undefined : { status: result.reply.status, body: result.reply.body };
}

function orderResponse(orderID: string) {
  return {
    success: true,
    errorMsg: '',
    orderID,
    status: 'live',
    takingAmount: '',
    makingAmount: '',
    transactionsHashes: [],
    tradeIDs: [],
  };
}

export async function startAuthTestServer(): Promise<AuthTestServer> {
  const state = {
    keys: new ApiKeyRegistry('auth test server'),
    wallets: new FunderWalletRegistry(),
    negRiskTokens: new Set<string>(),
    requests: [] as RecordedRequest[],
    clockOffsetMs: 0,
  };
  const now = () => Date.now() + state.clockOffsetMs;

  async function checkOrder(body: PostOrderV2Body, identity: L2Identity): Promise<Reply | undefined> {
    const owner = checkOrderOwner(body, identity.apiKey);
    if (!owner.ok) return replyOf(owner);
    const verified = await verifyOrder(body.order, {
      chainId: 137,
      negRisk: state.negRiskTokens.has(body.order.tokenId),
      apiKeyOwner: identity.address,
      wallets: state.wallets,
    });
    return verified.ok ? { status: 200, body: orderResponse(verified.value.hash) } : replyOf(verified);
  }

  async function route(
    method: string,
    target: string,
    headers: IncomingHttpHeaders,
    body: string,
  ): Promise<Reply> {
    const path = requestPathOf(target);
    const query = new URL(target, 'http://sim').searchParams;
    if (method === 'GET' && path === '/version') return { status: 200, body: { version: 2 } };
    if (method === 'GET' && path === '/tick-size')
      return { status: 200, body: { minimum_tick_size: '0.01' } };
    if (method === 'GET' && path === '/neg-risk') {
      return { status: 200, body: { neg_risk: state.negRiskTokens.has(query.get('token_id') ?? '') } };
    }
    if (path === '/auth/api-key' || path === '/auth/derive-api-key') {
      const l1 = await verifyL1(headers, now());
      if (!l1.ok) return replyOf(l1)!;
      const result =
        method === 'POST'
          ? state.keys.create(l1.value.address, l1.value.nonce)
          : state.keys.derive(l1.value.address, l1.value.nonce);
      return result.ok ? { status: 200, body: apiKeyResponse(result.value) } : replyOf(result)!;
    }
    const l2 = verifyL2(state.keys, headers, method, path, body, now());
    if (!l2.ok) return replyOf(l2)!;
    if (method === 'POST' && path === '/order') {
      const parsed = parsePostOrderBody(body);
      if (!parsed.ok) return replyOf(parsed)!;
      return (await checkOrder(parsed.value, l2.value))!;
    }
    if (method === 'POST' && path === '/orders') {
      const parsed = parsePostOrdersBody(body);
      if (!parsed.ok) return replyOf(parsed)!;
      const results = [];
      for (const one of parsed.value) {
        const reply = (await checkOrder(one, l2.value))!;
        results.push(
          reply.status === 200
            ? reply.body
            : {
                ...orderResponse(''),
                success: false,
                status: '',
                errorMsg: (reply.body as { error: string }).error,
              },
        );
      }
      return { status: 200, body: results };
    }
    if (method === 'GET' && path === '/data/orders') {
      return { status: 200, body: { data: [], next_cursor: 'LTE=', limit: 100, count: 0 } };
    }
    if (method === 'DELETE' && path === '/order') {
      const { orderID } = JSON.parse(body) as { orderID: string };
      return { status: 200, body: { canceled: [orderID], not_canceled: {} } };
    }
    return { status: 404, body: { error: 'not found' } };
  }

  const http = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const method = req.method ?? '';
      const target = req.url ?? '/';
      route(method, target, req.headers, body)
        .catch((err: unknown) => ({ status: 500, body: { error: String(err) } }))
        .then((reply) => {
          state.requests.push({
            method,
            target,
            headers: req.headers,
            body,
            status: reply.status,
            reply: reply.body,
          });
          res.writeHead(reply.status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(reply.body));
        });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    keys: state.keys,
    wallets: state.wallets,
    negRiskTokens: state.negRiskTokens,
    requests: state.requests,
    get clockOffsetMs() {
      return state.clockOffsetMs;
    },
    set clockOffsetMs(ms: number) {
      state.clockOffsetMs = ms;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        http.closeAllConnections();
        http.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
