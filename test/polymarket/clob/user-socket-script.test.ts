/**
 * The UserSocket against a scripted server, for what the simulator does not do on demand: a
 * server that stops answering `PING` (a dead socket), the subscription frames themselves, adding
 * markets, and handlers that throw.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  UserSocket,
  type UserSocketGap,
  type UserSocketOptions,
} from '../../../src/polymarket/clob/user-socket.ts';
import { ScriptServer } from '../rtds/script-server.ts';
import { captureLogs } from '../rtds/support.ts';

const CREDS = { key: 'key-1', secret: 'c2VjcmV0LXNlY3JldA==', passphrase: 'pass-phrase-1' };
const ORDER = JSON.stringify({
  event_type: 'order',
  type: 'PLACEMENT',
  id: '0xff',
  market: '0xbd',
  asset_id: '52114319501245915516055106046884209969926127482827954674443846427813813222426',
  side: 'BUY',
  price: '0.5',
  original_size: '10',
  size_matched: '0',
  timestamp: '1672290687',
  owner: 'key-1',
  associate_trades: null,
});

describe('UserSocket against a scripted server', () => {
  let server: ScriptServer;
  let socket: UserSocket | undefined;
  const logs = captureLogs();

  beforeEach(async () => {
    server = await ScriptServer.start();
  });
  afterEach(async () => {
    await socket?.stop();
    await server.close();
  });

  function start(options: Partial<UserSocketOptions> = {}): { gaps: UserSocketGap[]; orders: unknown[] } {
    const out = { gaps: [] as UserSocketGap[], orders: [] as unknown[] };
    socket = new UserSocket({
      url: server.url,
      credentials: CREDS,
      logger: logs.logger,
      random: () => 0,
      backoff: { initialMs: 50, maxMs: 50 },
      pingIntervalMs: 40,
      deadAfterMs: 200,
      onGap: (g) => out.gaps.push(g),
      onOrder: (u) => out.orders.push(u.message),
      ...options,
    });
    socket.start();
    return out;
  }

  it('subscribes, then PINGs to learn the subscription was taken; a socket gone quiet is cut and the gap reported', async () => {
    const { gaps } = start({ markets: ['0xbd'] });
    const first = await server.connection(0);
    await server.received(0, (t) => t === 'PING');
    expect(JSON.parse(first.received[0]!)).toEqual({
      auth: { apiKey: 'key-1', secret: CREDS.secret, passphrase: CREDS.passphrase },
      markets: ['0xbd'],
      assets_ids: [],
      type: 'user',
    });
    expect(first.received[1]).toBe('PING');
    expect(socket!.health().state).toBe('closed');
    server.send(0, 'PONG');
    await vi.waitFor(() => expect(socket!.health().state).toBe('open'));

    // The server stops answering: after deadAfterMs the socket is cut and a new one subscribes.
    await server.connection(1);
    expect(first.closed).toBe(true);
    expect(gaps).toEqual([]);
    server.send(1, 'PONG');
    await vi.waitFor(() => expect(gaps.map((g) => g.reason)).toEqual(['reconnect']));
    expect(gaps[0]!.fromMs).toBeLessThanOrEqual(gaps[0]!.toMs);
    expect(logs.messages('clob user ws: no frame (not even a PONG); reconnecting').length).toBeGreaterThan(0);
  });

  it('adds markets on the open socket and in every later subscription', async () => {
    start({ markets: ['0x01'], deadAfterMs: 10_000, pingIntervalMs: 5_000 });
    await server.received(0, (t) => t === 'PING');
    socket!.subscribe(['0x01', '0x02']);
    await server.received(0, (t) => t.includes('"operation"'));
    expect(server.connections[0]!.received.at(-1)).toBe('{"operation":"subscribe","markets":["0x02"]}');
    server.dropAll();
    const second = await server.received(1, (t) => t.includes('"auth"'));
    expect(JSON.parse(second[0]!)).toMatchObject({ markets: ['0x01', '0x02'] });
  });

  it('a throwing handler is logged and the socket carries on', async () => {
    const { orders } = start({
      deadAfterMs: 10_000,
      pingIntervalMs: 5_000,
      onOrder: (u) => {
        orders.push(u.message);
        throw new Error('handler bug');
      },
    });
    await server.received(0, (t) => t === 'PING');
    server.send(0, ORDER);
    server.send(0, ORDER);
    await vi.waitFor(() => expect(orders).toHaveLength(2));
    expect(logs.messages('clob user ws: order handler threw').length).toBeGreaterThanOrEqual(2);
    expect(socket!.health()).toMatchObject({ state: 'open', messages: 2, badMessages: 0 });
  });

  it('refuses a non-websocket url and missing credentials', () => {
    expect(() => new UserSocket({ url: 'http://x/ws/user', credentials: CREDS })).toThrow(/ws: or wss:/);
    expect(() => new UserSocket({ url: server.url, credentials: { ...CREDS, secret: '' } })).toThrow(
      /secret/,
    );
  });
});
