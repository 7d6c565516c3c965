/**
 * Test support: a simulated venue (no chain; fast stand-in settlement) behind the CLOB REST routes
 * on 127.0.0.1, recording every request as the server received it, plus raw L2-signed requests
 * for the cases the official client cannot produce (garbage bodies, wrong types).
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { Address } from 'viem';
import { type Clock, systemClock } from '../../../../src/core/clock.ts';
import { type ApiKeyCreds, buildL2Headers } from '../../../../src/polymarket/clob/auth.ts';
import { generateCatalog } from '../../../../src/sim/catalog/generate.ts';
import type { SimMarket } from '../../../../src/sim/catalog/model.ts';
import {
  type ClobRestOptions,
  type ClobRoutes,
  registerClobRoutes,
} from '../../../../src/sim/clob/rest/index.ts';
import { SimVenue } from '../../../../src/sim/venue/index.ts';

export interface RecordedRequest {
  method: string;
  url: string;
  status: number;
}

export interface Harness {
  url: string;
  app: FastifyInstance;
  venue: SimVenue;
  routes: ClobRoutes;
  requests: RecordedRequest[];
  /** A standalone market with a 0.01 tick, and a neg-risk one. */
  market: SimMarket;
  negRiskMarket: SimMarket;
  close(): Promise<void>;
}

export interface HarnessOptions {
  seed?: number;
  clock?: Clock;
  rest?: Partial<ClobRestOptions>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const seed = options.seed ?? 7;
  const clock = options.clock ?? systemClock;
  const catalog = generateCatalog({ seed, now: clock.now(), binaryMarkets: 6, negRiskEvents: [3] });
  const venue = new SimVenue({ seed, catalog, clock, blockTimeMs: 40, confirmDelayMs: 40 });
  const app = Fastify({ logger: false });
  const requests: RecordedRequest[] = [];
  app.addHook('onResponse', async (request, reply) => {
    requests.push({ method: request.method, url: request.url, status: reply.statusCode });
  });
  const routes = registerClobRoutes(app, venue, {
    chainId: 137,
    now: () => clock.now(),
    timers: clock,
    ...options.rest,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  const market = catalog.markets.find((m) => !m.negRisk && m.tickSize === 10_000);
  const negRiskMarket = catalog.markets.find((m) => m.negRisk);
  if (market === undefined || negRiskMarket === undefined) throw new Error('catalog lacks the test markets');
  return {
    url: `http://127.0.0.1:${address.port}`,
    app,
    venue,
    routes,
    requests,
    market,
    negRiskMarket,
    close: async () => {
      venue.close();
      await app.close();
    },
  };
}

export interface RawReply {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

async function toReply(response: Response): Promise<RawReply> {
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** A plain request: `body` is sent byte for byte. */
export async function send(
  h: Harness,
  method: string,
  target: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<RawReply> {
  const init: RequestInit = { method, headers: { 'content-type': 'application/json', ...headers } };
  if (body !== undefined) init.body = body;
  return toReply(await fetch(`${h.url}${target}`, init));
}

/** An L2-signed request whose HMAC covers exactly `body`, as a client would sign it. */
export async function sendL2(
  h: Harness,
  signer: { address: Address; creds: ApiKeyCreds },
  method: string,
  target: string,
  body?: string,
): Promise<RawReply> {
  const headers = buildL2Headers({
    address: signer.address,
    creds: signer.creds,
    timestamp: Math.floor(Date.now() / 1000),
    method,
    requestPath: target.split('?', 1)[0] ?? target,
    ...(body === undefined ? {} : { body }),
  });
  return send(h, method, target, body, { ...headers });
}
