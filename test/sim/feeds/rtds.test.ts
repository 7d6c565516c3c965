/** RTDS over a real websocket on 127.0.0.1: raw `ws` probes and the official client as oracle. */
import { type Message, RealTimeDataClient } from '@polymarket/real-time-data-client';
import Fastify from 'fastify';
import { getAddress } from 'viem';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRtdsFeed, type RtdsServer, startRtdsServer } from '../../../src/sim/feeds/rtds-server.ts';
import { makeWorld, type World, WsProbe, wallet } from './fixture.ts';

let world: World;
let rtds: RtdsServer;
const probes: WsProbe[] = [];
const cleanups: (() => Promise<void>)[] = [];

async function probe(subscriptions: object[] = [{ topic: 'activity', type: 'trades' }]): Promise<WsProbe> {
  const p = new WsProbe(rtds.url);
  probes.push(p);
  await p.opened();
  if (subscriptions.length > 0) p.subscribe(subscriptions);
  await p.roundTrip();
  return p;
}

async function start(options: Partial<Parameters<typeof startRtdsServer>[0]> = {}) {
  rtds = await startRtdsServer({ hub: world.hub, keepaliveMs: 0, protocolPingMs: 0, ...options });
  cleanups.push(rtds.close);
}

beforeEach(() => {
  world = makeWorld();
});
afterEach(async () => {
  for (const p of probes.splice(0)) p.close();
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A taker BUY against two makers' SELLs, on market `i`. */
function publishMatch(i = 0) {
  const [taker, maker1, maker2] = [wallet(), wallet(), wallet()];
  const fills = world.fills.match(world.fills.market(i), [
    { wallet: taker, side: 'BUY', outcome: 0, size: 15, price: 520_000, fee: 187_200 },
    { wallet: maker1, side: 'SELL', outcome: 0, size: 10, price: 520_000 },
    { wallet: maker2, side: 'SELL', outcome: 0, size: 5, price: 520_000 },
  ]);
  world.hub.publish(fills);
  return { taker, maker1, maker2, fills };
}

describe('RTDS activity messages', () => {
  it('sends one message per participant at once, envelope in ms, payload in seconds, wallet checksummed', async () => {
    await start();
    const p = await probe();
    world.clock.advance(123); // the envelope carries the send time, the payload the match time
    const matchMs = world.clock.ms;
    const { taker, maker1, maker2, fills } = publishMatch();
    await p.until(() => p.messages().length === 3);
    const msgs = p.messages();
    expect(msgs.map((m) => [m.topic, m.type, m.timestamp])).toEqual([
      ['activity', 'trades', matchMs],
      ['activity', 'trades', matchMs],
      ['activity', 'trades', matchMs],
    ]);
    expect(msgs.map((m) => m.payload.proxyWallet)).toEqual([
      getAddress(taker),
      getAddress(maker1),
      getAddress(maker2),
    ]);
    expect(msgs.some((m) => m.payload.proxyWallet === (m.payload.proxyWallet as string).toLowerCase())).toBe(
      false,
    );
    for (const m of msgs) {
      expect(m.payload.timestamp).toBe(Math.floor(matchMs / 1000));
      expect(m.payload.transactionHash).toBe(fills[0]!.transactionHash);
      expect(m.payload.conditionId).toBe(world.fills.market(0).conditionId);
      expect(m.payload.title).toBe(world.fills.market(0).question);
    }
    expect(msgs.map((m) => [m.payload.side, m.payload.size, m.payload.price, m.payload.fee])).toEqual([
      ['BUY', 15, 0.52, 0.1872],
      ['SELL', 10, 0.52, undefined],
      ['SELL', 5, 0.52, undefined],
    ]);
    // Immediately: no indexing lag on RTDS.
    expect(world.clock.ms).toBe(matchMs);
    expect(
      new Set(p.frames.filter((f) => f.includes('payload')).map((f) => JSON.parse(f).connection_id)).size,
    ).toBe(1);
  });

  it('sends no REDEEM rows and nothing to sockets that did not subscribe', async () => {
    await start();
    const subscribed = await probe();
    const idle = await probe([]);
    world.hub.publish([world.fills.redeem(world.fills.market(0), wallet(), 0, 5, 5)]);
    publishMatch();
    await subscribed.until(() => subscribed.messages().length === 3);
    await idle.roundTrip();
    expect(idle.messages()).toEqual([]);
    expect(subscribed.messages().every((m) => m.payload.side !== '')).toBe(true);
  });

  it('filters by event_slug and market_slug, given as a JSON string or an object', async () => {
    await start();
    const [m0, m1] = [world.fills.market(0), world.fills.market(1)];
    const event0 = world.catalog.events.find((e) => e.id === m0.eventId)!;
    const byEvent = await probe([
      { topic: 'activity', type: 'trades', filters: JSON.stringify({ event_slug: event0.slug }) },
    ]);
    const byMarket = await probe([{ topic: 'activity', type: 'trades', filters: { market_slug: m1.slug } }]);
    const all = await probe([{ topic: 'activity', type: 'trades', filters: '' }]);
    publishMatch(0);
    publishMatch(1);
    await all.until(() => all.messages().length === 6);
    await byEvent.roundTrip();
    await byMarket.roundTrip();
    expect(new Set(byEvent.messages().map((m) => m.payload.slug))).toEqual(new Set([m0.slug]));
    expect(byEvent.messages()).toHaveLength(3);
    expect(new Set(byMarket.messages().map((m) => m.payload.slug))).toEqual(new Set([m1.slug]));
    expect(byMarket.messages()).toHaveLength(3);
  });

  it('orders_matched goes to the taker only (unless configured for all); * then unsubscribe trades', async () => {
    await start();
    const p = await probe([{ topic: 'activity', type: '*' }]);
    const { taker } = publishMatch();
    await p.until(() => p.messages().length === 4);
    const matched = p.messages().filter((m) => m.type === 'orders_matched');
    expect(matched.map((m) => m.payload.proxyWallet)).toEqual([getAddress(taker)]);
    expect(p.messages().filter((m) => m.type === 'trades')).toHaveLength(3);

    p.subscribe([{ topic: 'activity', type: 'trades' }], 'unsubscribe');
    await p.roundTrip();
    p.frames.length = 0;
    publishMatch();
    await p.until(() => p.messages().length === 1);
    await p.roundTrip();
    expect(p.messages().map((m) => m.type)).toEqual(['orders_matched']);

    p.subscribe([{ topic: 'activity', type: '*' }], 'unsubscribe');
    await p.roundTrip();
    p.frames.length = 0;
    publishMatch();
    await p.roundTrip();
    expect(p.messages()).toEqual([]);
    expect(rtds.subscriberCount).toBe(0);
  });

  it('can send orders_matched to every participant', async () => {
    await start({ ordersMatched: 'all' });
    const p = await probe([{ topic: 'activity', type: 'orders_matched' }]);
    publishMatch();
    await p.until(() => p.messages().length === 3);
  });
});

describe('RTDS keepalive', () => {
  it('answers text ping with pong and PING with PONG', async () => {
    await start();
    const p = await probe([]);
    p.send('PING');
    await p.until(() => p.frames.includes('PONG'));
    p.send('ping');
    await p.until(() => p.frames.includes('pong'));
  });

  it('sends empty text keepalive frames and protocol pings on their intervals', async () => {
    await start({ keepaliveMs: 30, protocolPingMs: 30 });
    const p = await probe([]);
    await p.until(() => p.frames.filter((f) => f === '').length >= 3 && p.protocolPings >= 3);
    expect(p.closed).toBe(false);
  });
});

describe('RTDS faults', () => {
  it('silence: sockets stay open and ping-alive but get no data until resumed', async () => {
    await start({ keepaliveMs: 20 });
    const p = await probe();
    rtds.silence();
    publishMatch();
    await p.roundTrip(); // the pong proves the socket is alive and every frame sent before it arrived
    expect(p.messages()).toEqual([]);
    const keepalives = p.frames.filter((f) => f === '').length;
    await p.until(() => p.frames.filter((f) => f === '').length > keepalives);
    expect(p.closed).toBe(false);

    // A socket opened during the silence is healthy (a reconnect cures a lapse)...
    const fresh = await probe();
    publishMatch();
    await fresh.until(() => fresh.messages().length === 3);
    await p.roundTrip();
    expect(p.messages()).toEqual([]);

    rtds.resume();
    publishMatch();
    await p.until(() => p.messages().length === 3);
  });

  it('silence can cover new connections too, or end when the client resubscribes', async () => {
    await start();
    rtds.silence({ newConnections: true });
    const p = await probe();
    publishMatch();
    await p.roundTrip();
    expect(p.messages()).toEqual([]);
    rtds.resume();

    rtds.silence({ endsOnResubscribe: true });
    publishMatch();
    await p.roundTrip();
    expect(p.messages()).toEqual([]);
    p.subscribe([{ topic: 'activity', type: 'trades' }]);
    await p.roundTrip();
    publishMatch();
    await p.until(() => p.messages().length === 3);
  });

  it('drop: cuts every socket; new connections are served', async () => {
    await start();
    const [a, b] = [await probe(), await probe()];
    expect(rtds.dropAll()).toBe(2);
    await a.until(() => a.closed);
    await b.until(() => b.closed);
    await vi.waitFor(() => expect(rtds.connectionCount).toBe(0));
    const c = await probe();
    publishMatch();
    await c.until(() => c.messages().length === 3);
  });

  it('ignores malformed client frames and keeps serving', async () => {
    await start();
    const p = await probe([]);
    for (const junk of [
      'hello',
      '{',
      '[]',
      'null',
      '{"action":"subscribe"}',
      '{"action":"subscribe","subscriptions":"activity"}',
      '{"action":"subscribe","subscriptions":[null, 5, {"topic":"activity"}]}',
      '{"action":"subscribe","subscriptions":[{"topic":"activity","type":"trades","filters":"{not json"}]}',
      '{"action":"subscribe","subscriptions":[{"topic":"activity","type":"trades","filters":"[1,2]"}]}',
      '{"action":"explode","subscriptions":[]}',
      JSON.stringify({ action: 'unsubscribe', subscriptions: [{ topic: 'activity', type: 'trades' }] }),
    ]) {
      p.send(junk);
    }
    p.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    await p.roundTrip();
    expect(rtds.subscriberCount).toBe(0);
    // A frame over the size cap closes that socket only (the ws library's 1009); others carry on.
    const big = await probe([]);
    big.send('x'.repeat(70 * 1024));
    await big.until(() => big.closed);
    p.subscribe([{ topic: 'activity', type: 'trades' }]);
    await p.roundTrip();
    publishMatch();
    await p.until(() => p.messages().length === 3);
  });

  it('close() ends every socket, stops its timers and refuses new connections', async () => {
    const resources = (kind: string) => process.getActiveResourcesInfo().filter((r) => r === kind).length;
    const [timers, servers] = [resources('Timeout'), resources('TCPServerWrap')];
    await start({ keepaliveMs: 10, protocolPingMs: 10 });
    expect(resources('Timeout')).toBe(timers + 2);
    expect(resources('TCPServerWrap')).toBe(servers + 1);
    const p = await probe();
    const url = rtds.url;
    await rtds.close();
    await p.until(() => p.closed);
    expect(resources('Timeout')).toBe(timers);
    expect(resources('TCPServerWrap')).toBe(servers);
    const late = new WsProbe(url);
    await expect(late.opened()).rejects.toThrow();
    // Publishing after close reaches nobody and does not throw.
    expect(() => publishMatch()).not.toThrow();
  });
});

describe('RTDS attached to an existing HTTP server', () => {
  it('serves upgrades on the server it is attached to', async () => {
    const app = Fastify();
    const feed = createRtdsFeed({ hub: world.hub, keepaliveMs: 0, protocolPingMs: 0 });
    app.server.on('upgrade', (req, socket, head) => feed.handleUpgrade(req, socket, head));
    cleanups.push(
      () => feed.close(),
      () => app.close(),
    );
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const p = new WsProbe(base.replace('http', 'ws'));
    probes.push(p);
    await p.opened();
    p.subscribe([{ topic: 'activity', type: 'trades' }]);
    await p.roundTrip();
    publishMatch();
    await p.until(() => p.messages().length === 3);
  });
});

describe('the official @polymarket/real-time-data-client', () => {
  let logs: unknown[][];
  beforeEach(() => {
    logs = [];
    // The client logs every non-data frame ("pong") and every disconnect; keep them as evidence.
    vi.spyOn(console, 'log').mockImplementation((...args) => void logs.push(args));
    vi.spyOn(console, 'error').mockImplementation((...args) => void logs.push(args));
    vi.spyOn(console, 'warn').mockImplementation(() => {});
  });
  afterEach(() => vi.restoreAllMocks());

  const disconnects = () => logs.filter((l) => l[0] === 'disconnected').length;

  /** Disconnects and waits for the client to see the close, while its logs are still captured. */
  async function disconnect(client: RealTimeDataClient): Promise<void> {
    const before = disconnects();
    client.disconnect();
    await vi.waitFor(() => expect(disconnects()).toBeGreaterThan(before));
  }

  function connect(onMessage: (m: Message) => void, pingInterval = 5_000): RealTimeDataClient {
    return new RealTimeDataClient({
      host: rtds.url,
      pingInterval,
      onConnect: (client) => client.subscribe({ subscriptions: [{ topic: 'activity', type: 'trades' }] }),
      onMessage: (_client, message) => onMessage(message),
    }).connect();
  }

  it('receives the trades of a publish; a copy bot keeps its leader’s by proxyWallet', async () => {
    await start();
    const leader = wallet();
    const everything: Message[] = [];
    const copied: Message[] = [];
    const client = connect((m) => {
      everything.push(m);
      const payload = m.payload as { proxyWallet: string };
      if (payload.proxyWallet.toLowerCase() === leader) copied.push(m);
    });
    try {
      await vi.waitFor(() => expect(rtds.subscriberCount).toBe(1));
      publishMatch(); // leader not involved
      world.hub.publish(
        world.fills.match(world.fills.market(1), [
          { wallet: wallet(), side: 'BUY', outcome: 1, size: 40, price: 250_000 },
          { wallet: leader, side: 'SELL', outcome: 1, size: 40, price: 250_000 },
        ]),
      );
      world.hub.publish([world.fills.trade(world.fills.market(2), leader, 'BUY', 7, 610_000)]);
      await vi.waitFor(() => expect(everything).toHaveLength(6));
      expect(copied.map((m) => [m.topic, m.type, (m.payload as { side: string }).side])).toEqual([
        ['activity', 'trades', 'SELL'],
        ['activity', 'trades', 'BUY'],
      ]);
      expect(copied.every((m) => typeof m.connection_id === 'string' && m.timestamp === world.clock.ms)).toBe(
        true,
      );
    } finally {
      await disconnect(client);
    }
  });

  it('keeps pinging: each protocol ping from the server paces its next text ping, each answered', async () => {
    await start({ protocolPingMs: 40 });
    const client = connect(() => {}, 40);
    try {
      const pongs = () =>
        logs.filter(
          (l) => l[0] === 'onMessage error' && (l[1] as { event: { data: unknown } }).event.data === 'pong',
        );
      await vi.waitFor(() => expect(pongs().length).toBeGreaterThanOrEqual(4), { timeout: 3_000 });
    } finally {
      await disconnect(client);
    }
  });

  it('reconnects after the drop fault and is served again after resubscribing', async () => {
    await start();
    const got: Message[] = [];
    const client = connect((m) => got.push(m));
    try {
      await vi.waitFor(() => expect(rtds.subscriberCount).toBe(1));
      rtds.dropAll();
      await vi.waitFor(() => expect(disconnects()).toBe(1));
      await vi.waitFor(() => expect(rtds.subscriberCount).toBeGreaterThanOrEqual(1));
      publishMatch();
      await vi.waitFor(() => expect(got.length).toBeGreaterThanOrEqual(3));
    } finally {
      await disconnect(client);
    }
  });
});
