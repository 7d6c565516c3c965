/** The market channel's connection against a bare websocket server that misbehaves on purpose. */
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { systemClock } from '../../src/core/clock.ts';
import { createLogger } from '../../src/core/logger.ts';
import { MarketSocket } from '../../src/market-data/book/market-socket.ts';

const servers: WebSocketServer[] = [];
const sockets: MarketSocket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) await s.stop();
  for (const w of servers.splice(0)) {
    for (const c of w.clients) c.terminate();
    await new Promise<void>((resolve) => w.close(() => resolve()));
  }
});

async function server(onConnection: (ws: WebSocket) => void): Promise<string> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  servers.push(wss);
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  wss.on('connection', onConnection);
  return `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ws/market`;
}

function socket(url: string, overrides: Partial<ConstructorParameters<typeof MarketSocket>[0]> = {}) {
  const events = { opens: 0, closes: 0, silences: 0, bad: [] as string[][], messages: 0 };
  const s = new MarketSocket({
    url,
    clock: systemClock,
    logger: createLogger({ level: 'silent', format: 'json' }),
    random: () => 0.5,
    source: 'clob_ws_test',
    backoff: { initialMs: 20, maxMs: 50 },
    onOpen: () => events.opens++,
    onMessages: (m) => {
      events.messages += m.length;
    },
    onBad: (ids) => events.bad.push(ids),
    onClose: () => events.closes++,
    onSilence: () => events.silences++,
    expectsData: () => true,
    ...overrides,
  });
  sockets.push(s);
  s.start();
  return { s, events };
}

describe('MarketSocket', () => {
  it('sends text PING on its interval and cuts a socket that never answers', async () => {
    const received: string[] = [];
    const url = await server((ws) => ws.on('message', (d) => received.push(d.toString())));
    const { s, events } = socket(url, { pingIntervalMs: 30, deadAfterMs: 100, silenceMs: 10_000 });
    await expect.poll(() => received.includes('PING')).toBe(true);
    await expect.poll(() => s.health().reconnects, { timeout: 3_000 }).toBeGreaterThanOrEqual(1);
    expect(events.closes).toBeGreaterThanOrEqual(1);
    // The reconnect is counted when it starts; the new socket opens a moment later.
    await expect.poll(() => events.opens).toBeGreaterThanOrEqual(2);
  });

  it('keeps a socket that answers PONG, and reports silence before reconnecting', async () => {
    const url = await server((ws) =>
      ws.on('message', (d) => {
        if (d.toString() === 'PING') ws.send('PONG');
      }),
    );
    const { s, events } = socket(url, { pingIntervalMs: 20, deadAfterMs: 200, silenceMs: 150 });
    // No data at all: first a silence report (the owner re-subscribes), then a reconnect.
    await expect.poll(() => events.silences, { timeout: 3_000 }).toBeGreaterThanOrEqual(1);
    await expect.poll(() => s.health().reconnects, { timeout: 3_000 }).toBeGreaterThanOrEqual(1);
  });

  it('stays quiet about silence while nothing is subscribed', async () => {
    const url = await server((ws) =>
      ws.on('message', (d) => {
        if (d.toString() === 'PING') ws.send('PONG');
      }),
    );
    const { s, events } = socket(url, {
      pingIntervalMs: 20,
      deadAfterMs: 200,
      silenceMs: 50,
      expectsData: () => false,
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(events.silences).toBe(0);
    expect(s.health()).toMatchObject({ state: 'open', reconnects: 0 });
  });

  it('delivers valid messages, counts bad ones and binary frames, and names the tokens of bad ones', async () => {
    const url = await server((ws) => {
      ws.send(
        JSON.stringify([
          {
            event_type: 'tick_size_change',
            market: '0x01',
            asset_id: '7',
            old_tick_size: '0.01',
            new_tick_size: '0.001',
            timestamp: '1',
          },
          { event_type: 'book', asset_id: '8' },
          { event_type: 'mystery' },
        ]),
      );
      ws.send(Buffer.from([1, 2, 3]), { binary: true });
    });
    const { s, events } = socket(url);
    await expect.poll(() => s.health().badMessages).toBe(2);
    expect(events.messages).toBe(1);
    expect(events.bad).toEqual([['8'], []]);
    expect(s.health()).toMatchObject({ messages: 1, ignoredMessages: 1 });
  });
});
