/**
 * Everything the simulator's CLOB websockets send parses with the schemas PolyHunter's adapters
 * use (src/polymarket/clob/schemas): the market channel while makers quote and a leader sweeps,
 * and the leader's user channel through the trade's whole lifecycle.
 */
import { getAddress } from 'viem';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { wsMarketMessageSchema, wsUserMessageSchema } from '../../src/polymarket/clob/schemas/index.ts';
import { type Simulator, startSimulator } from '../../src/sim/simulator.ts';

const LEADER = '0x1eade20000000000000000000000000000000002';

function collect(
  url: string,
  subscribe: unknown,
): { frames: unknown[]; socket: WebSocket; opened: Promise<void> } {
  const frames: unknown[] = [];
  const socket = new WebSocket(url);
  socket.on('message', (d) => {
    const text = d.toString();
    if (text === 'PONG') return;
    const parsed = JSON.parse(text) as unknown;
    frames.push(...(Array.isArray(parsed) ? parsed : [parsed]));
  });
  const opened = new Promise<void>((resolve) =>
    socket.once('open', () => {
      socket.send(JSON.stringify(subscribe));
      resolve();
    }),
  );
  return { frames, socket, opened };
}

describe('simulator websocket output against the adapter schemas', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 52, blockTimeMs: 100, dataApiLagMs: 0 });
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('every market and user frame parses', async () => {
    const market = sim.venue.catalog.markets[0]!;
    const yes = market.tokens[0].tokenId;
    const marketSide = collect(`${sim.urls.clobWs}/market`, {
      assets_ids: [yes, market.tokens[1].tokenId],
      type: 'market',
      custom_feature_enabled: true,
    });
    await marketSide.opened;

    // The leader's key exists once it has traded; subscribe its user channel, then trade again.
    const post = (body: unknown) =>
      fetch(`${sim.urls.control}/_sim/leader-trade`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then((r) => r.json() as Promise<{ success: boolean }>);
    await vi.waitFor(() => expect(sim.venue.engine.topOfBook(yes)?.bestAsk).toBeTruthy(), {
      timeout: 10_000,
    });
    expect(
      (await post({ wallet: LEADER, fund: '1000', tokenId: yes, side: 'BUY', usdc: '20' })).success,
    ).toBe(true);
    const key = sim.venue.apiKeys.derive(getAddress(LEADER), 0n);
    if (!key.ok) throw new Error('the leader has no API key');
    const userSide = collect(`${sim.urls.clobWs}/user`, {
      auth: { apiKey: key.value.key, secret: key.value.secret, passphrase: key.value.passphrase },
      markets: [],
      type: 'user',
    });
    await userSide.opened;
    await new Promise((r) => setTimeout(r, 50));
    expect((await post({ wallet: LEADER, tokenId: yes, side: 'BUY', levels: 2 })).success).toBe(true);
    await vi.waitFor(
      () => expect(userSide.frames.some((f) => (f as { status?: string }).status === 'MINED')).toBe(true),
      { timeout: 5000 },
    );

    const kinds = new Set<string>();
    for (const frame of marketSide.frames) {
      const parsed = wsMarketMessageSchema.safeParse(frame);
      expect(parsed.success, JSON.stringify(frame)).toBe(true);
      kinds.add((frame as { event_type: string }).event_type);
    }
    expect([...kinds]).toEqual(
      expect.arrayContaining(['book', 'price_change', 'last_trade_price', 'best_bid_ask']),
    );
    expect(userSide.frames.length).toBeGreaterThan(0);
    for (const frame of userSide.frames) {
      const parsed = wsUserMessageSchema.safeParse(frame);
      expect(parsed.success, JSON.stringify(frame)).toBe(true);
    }
    marketSide.socket.close();
    userSide.socket.close();
  });
});
