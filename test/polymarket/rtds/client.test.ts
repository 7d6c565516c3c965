/**
 * RtdsClient against a scripted server on 127.0.0.1, on a ManualClock: sockets are real, time is
 * moved by hand, so pings, the silence watchdog and backoff are asserted to the millisecond.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import { badMessagesTotal, reconnectsTotal } from '../../../src/core/metrics.ts';
import {
  RtdsClient,
  type RtdsClientOptions,
  type RtdsDataFrame,
  type RtdsGap,
  subscriptionRequest,
} from '../../../src/polymarket/rtds/index.ts';
import { MALFORMED_FRAMES } from '../../../src/sim/faults.ts';
import { readSample } from '../../support/shape.ts';
import { ScriptServer } from './script-server.ts';
import { captureLogs, counterValue, ioTurn, type LogCapture } from './support.ts';

const T0 = 1_790_272_000_000;
const SUBS = [
  { topic: 'activity', type: 'trades' },
  { topic: 'activity', type: 'orders_matched' },
];
const SUBSCRIBE = subscriptionRequest('subscribe', SUBS);
const UNSUBSCRIBE = subscriptionRequest('unsubscribe', SUBS);
const SAMPLE = (readSample('rtds_activity_trades.json') as unknown[]).map((m) => JSON.stringify(m));
const isControl = (t: string) => t !== 'ping';

let server: ScriptServer;
let clock: ManualClock;
let logs: LogCapture;
let messages: RtdsDataFrame[];
let gaps: RtdsGap[];
const clients: RtdsClient[] = [];

function client(options: Partial<RtdsClientOptions> = {}): RtdsClient {
  const c = new RtdsClient({
    url: options.url ?? server.url,
    subscriptions: SUBS,
    onMessage: (f) => messages.push(f),
    onGap: (g) => gaps.push(g),
    clock,
    logger: logs.logger,
    random: () => 0,
    // Long unless a test is about them: a pong landing late or a quiet minute never matters.
    deadAfterMs: 600_000,
    silenceMs: 600_000,
    ...options,
  });
  clients.push(c);
  c.start();
  return c;
}

/** Waits until the client sees an open socket (the subscribe went out). */
async function opened(c: RtdsClient, connection = 0): Promise<void> {
  await server.received(connection, (t) => t === SUBSCRIBE);
  await vi.waitFor(() => expect(c.health().state).not.toBe('closed'));
}

async function closed(c: RtdsClient): Promise<void> {
  await vi.waitFor(() => expect(c.health().state).toBe('closed'));
}

beforeEach(async () => {
  server = await ScriptServer.start();
  clock = new ManualClock(T0);
  logs = captureLogs();
  messages = [];
  gaps = [];
});

afterEach(async () => {
  for (const c of clients.splice(0)) await c.stop();
  await server.close();
});

describe('RtdsClient: connection', () => {
  it('subscribes on open with the reference request and pings in text every 5 s', async () => {
    const c = client();
    await opened(c);
    const conn = await server.connection(0);
    expect(conn.received).toEqual([SUBSCRIBE]);
    expect(JSON.parse(SUBSCRIBE)).toEqual({
      action: 'subscribe',
      subscriptions: [
        { topic: 'activity', type: 'trades' },
        { topic: 'activity', type: 'orders_matched' },
      ],
    });
    expect(c.health()).toMatchObject({ state: 'open', connectedSinceMs: T0, reconnects: 0 });

    await clock.advance(4_999);
    await ioTurn();
    expect(conn.received.filter((t) => t === 'ping')).toHaveLength(0);
    await clock.advance(1);
    await server.received(0, (t) => t === 'ping', 1);
    await clock.advance(5_000);
    await server.received(0, (t) => t === 'ping', 2);
    // The pong is a keepalive: it shows liveness but is not a data message.
    await vi.waitFor(() => expect(c.health().lastFrameAtMs).toBe(T0 + 10_000));
    expect(c.health().lastMessageAtMs).toBeNull();
    expect(messages).toEqual([]);
  });

  it('passes filters through as the reference client does', () => {
    expect(
      JSON.parse(
        subscriptionRequest('subscribe', [{ topic: 'activity', type: '*', filters: '{"event_slug":"x"}' }]),
      ),
    ).toEqual({
      action: 'subscribe',
      subscriptions: [{ topic: 'activity', type: '*', filters: '{"event_slug":"x"}' }],
    });
  });

  it('refuses a non-websocket url and an empty subscription list', () => {
    const base = { subscriptions: SUBS, onMessage: () => {} };
    expect(() => new RtdsClient({ ...base, url: 'http://127.0.0.1:1' })).toThrow(/ws: or wss:/);
    expect(() => new RtdsClient({ ...base, url: 'ws://127.0.0.1:1', subscriptions: [] })).toThrow(
      /subscription/,
    );
  });

  it('delivers every real sample frame, validated, with its receipt time', async () => {
    const received: number[] = [];
    const c = client({
      onMessage: (f, at) => {
        messages.push(f);
        received.push(at);
      },
    });
    await opened(c);
    for (const text of SAMPLE) server.send(0, text);
    await vi.waitFor(() => expect(messages).toHaveLength(SAMPLE.length));
    expect(messages.every((m) => m.kind === 'activity_trade')).toBe(true);
    expect(messages.map((m) => m.message.timestamp)).toEqual(SAMPLE.map((t) => JSON.parse(t).timestamp));
    expect(received.every((at) => at === T0)).toBe(true);
    expect(c.health()).toMatchObject({ state: 'open', lastMessageAtMs: T0 });
  });

  it('passes other topics on after checking their envelope', async () => {
    const c = client();
    await opened(c);
    const text = JSON.stringify({
      topic: 'crypto_prices',
      type: 'update',
      timestamp: T0,
      payload: { symbol: 'btcusdt', timestamp: T0, value: 1 },
    });
    server.send(0, text);
    await vi.waitFor(() => expect(messages).toHaveLength(1));
    expect(messages[0]).toMatchObject({ kind: 'data', message: { topic: 'crypto_prices', type: 'update' } });
  });

  it('keeps going when the message handler throws', async () => {
    let calls = 0;
    const c = client({
      onMessage: () => {
        calls++;
        throw new Error('handler bug');
      },
    });
    await opened(c);
    server.send(0, SAMPLE[0]!);
    server.send(0, SAMPLE[1]!);
    await vi.waitFor(() => expect(calls).toBe(2));
    expect(logs.messages('rtds: message handler threw')).toHaveLength(2);
    expect(c.health().state).toBe('open');
  });
});

describe('RtdsClient: bad frames', () => {
  it('counts each bad frame, logs a truncated sample at most once a minute, skips it and carries on', async () => {
    const before = await counterValue(badMessagesTotal);
    const c = client();
    await opened(c);
    const long = `{"topic":"activity",${'x'.repeat(500)}`;
    for (const text of [...MALFORMED_FRAMES, long]) server.send(0, text);
    server.connections[0]!.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    server.send(0, SAMPLE[0]!);
    await vi.waitFor(() => expect(messages).toHaveLength(1));
    const bad = MALFORMED_FRAMES.length + 2;
    expect(await counterValue(badMessagesTotal)).toBe(before + bad);
    expect(c.health().badMessages).toBe(bad);

    const logged = logs.messages('rtds: bad message skipped');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 40, source: 'rtds', sample: MALFORMED_FRAMES[0] });

    await clock.advance(60_000);
    server.send(0, long);
    await vi.waitFor(() => expect(logs.messages('rtds: bad message skipped')).toHaveLength(2));
    const second = logs.messages('rtds: bad message skipped')[1]!;
    expect(second.suppressedSinceLast).toBe(bad - 1);
    expect(String(second.sample)).toMatch(/^\{"topic":"activity",x+\.\.\. \(\d+ chars\)$/);
    expect(String(second.sample).length).toBeLessThan(250);
    expect(c.health().state).toBe('open');
  });
});

describe('RtdsClient: reconnects', () => {
  it('reconnects after a drop with backoff, counts it, resubscribes and reports the gap', async () => {
    const before = await counterValue(reconnectsTotal);
    // random() near 1: the full first delay (equal jitter draws it from [500, 1000]).
    const c = client({ backoff: { initialMs: 1_000 }, random: () => 0.999_999 });
    await opened(c);
    await clock.advance(2_000);
    server.send(0, SAMPLE[0]!);
    await vi.waitFor(() => expect(messages).toHaveLength(1));

    await clock.advance(3_000);
    server.dropAll();
    await closed(c);
    expect(c.health().connectedSinceMs).toBeNull();
    await clock.advance(999);
    await ioTurn();
    expect(server.connections).toHaveLength(1);
    await clock.advance(1);
    await opened(c, 1);
    expect(await counterValue(reconnectsTotal)).toBe(before + 1);
    expect(c.health()).toMatchObject({ state: 'open', reconnects: 1, connectedSinceMs: T0 + 6_000 });
    // From the last message received to the new subscription.
    expect(gaps).toEqual([{ fromMs: T0 + 2_000, toMs: T0 + 6_000, reason: 'reconnect' }]);

    server.send(1, SAMPLE[1]!);
    await vi.waitFor(() => expect(messages).toHaveLength(2));
    expect(gaps).toHaveLength(1);
  });

  it('backs off exponentially with jitter while the server is down, and resets once connected', async () => {
    const port = server.port;
    await server.close();
    const c = client({
      url: `ws://127.0.0.1:${port}`,
      random: () => 0.5,
      backoff: { initialMs: 1_000, maxMs: 5_000, factor: 2, jitter: 0.5 },
    });
    const delays = () => logs.messages('rtds: reconnecting').map((l) => l.delayMs);
    // base 1000, 2000, 4000, 5000 (cap), 5000, each x (1 - 0.5 x 0.5)
    const expected = [750, 1_500, 3_000, 3_750, 3_750];
    await vi.waitFor(() => expect(delays()).toHaveLength(1));
    for (const [i, delay] of expected.slice(0, -1).entries()) {
      // Exactly the delay: the next retry's timer is then set after this advance ends.
      await clock.advance(delay);
      await vi.waitFor(() => expect(delays()).toHaveLength(i + 2));
    }
    expect(delays()).toEqual(expected);
    expect(c.health().state).toBe('closed');

    server = await ScriptServer.start(port);
    await clock.advance(3_750);
    await opened(c);
    server.send(0, SAMPLE[0]!); // data proves the connection: the next drop starts over
    await vi.waitFor(() => expect(messages).toHaveLength(1));
    server.dropAll();
    await vi.waitFor(() => expect(delays()).toHaveLength(6));
    expect(delays()[5]).toBe(750);
  });

  it('gives up on a handshake that never completes', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const c = client({ url: `ws://127.0.0.1:${port}`, connectTimeoutMs: 10_000 });
      await vi.waitFor(() => expect(sockets).toHaveLength(1));
      await clock.advance(9_999);
      expect(logs.messages('rtds: handshake timed out')).toHaveLength(0);
      await clock.advance(1);
      await vi.waitFor(() => expect(logs.messages('rtds: reconnecting')).toHaveLength(1));
      expect(logs.messages('rtds: handshake timed out')).toHaveLength(1);
      expect(c.health().state).toBe('closed');
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('cuts a socket that stops answering pings and reconnects', async () => {
    server.answerPings = false;
    const c = client({ deadAfterMs: 20_000, backoff: { initialMs: 1_000 } });
    await opened(c);
    for (let i = 0; i < 3; i++) await clock.advance(5_000);
    expect(server.connections[0]!.closed).toBe(false);
    expect(c.health().state).toBe('open');
    await clock.advance(5_000); // 20 s without a frame
    await closed(c);
    await clock.advance(1_000);
    await opened(c, 1);
    expect(c.health().reconnects).toBe(1);
  });
});

describe('RtdsClient: silence watchdog', () => {
  it('reports a silent lapse, resubscribes, reports the resumption, then reconnects if still silent', async () => {
    const c = client({ silenceMs: 30_000, backoff: { initialMs: 1_000 } });
    await opened(c);
    // Keepalives are not data: they must not hold the watchdog off.
    server.send(0, '');
    server.send(0, 'pong');
    await vi.waitFor(() => expect(c.health().lastFrameAtMs).toBe(T0));
    await clock.advance(29_999);
    expect(gaps).toEqual([]);
    expect(c.health().state).toBe('open');
    await clock.advance(1);
    expect(gaps).toEqual([{ fromMs: T0, toMs: T0 + 30_000, reason: 'silence' }]);
    expect(c.health().state).toBe('stale');
    const control = await server.received(0, isControl, 3);
    expect(control).toEqual([SUBSCRIBE, UNSUBSCRIBE, SUBSCRIBE]);

    // Data again: the lapse may have ended before it, so the window up to now is reported too.
    await clock.advance(4_000);
    server.send(0, SAMPLE[0]!);
    await vi.waitFor(() => expect(messages).toHaveLength(1));
    expect(gaps[1]).toEqual({ fromMs: T0 + 30_000, toMs: T0 + 34_000, reason: 'resumed' });
    expect(c.health().state).toBe('open');

    // Silent again: resubscribe first, then a second silent period reconnects.
    await clock.advance(30_000);
    expect(gaps[2]).toEqual({ fromMs: T0 + 34_000, toMs: T0 + 64_000, reason: 'silence' });
    await server.received(0, isControl, 5);
    expect(server.connections[0]!.closed).toBe(false);
    await clock.advance(30_000);
    expect(gaps[3]).toEqual({ fromMs: T0 + 64_000, toMs: T0 + 94_000, reason: 'silence' });
    await closed(c);
    await clock.advance(1_000);
    await opened(c, 1);
    expect(gaps[4]).toEqual({ fromMs: T0 + 94_000, toMs: T0 + 95_000, reason: 'reconnect' });
    expect(gaps).toHaveLength(5);
    // The gaps tile the time without holes or overlaps.
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]!.fromMs).toBe(gaps[i - 1]!.toMs);
    expect(c.health()).toMatchObject({ state: 'open', gaps: 5, reconnects: 1 });
  });

  it('never fires while data keeps flowing', async () => {
    const c = client({ silenceMs: 10_000 });
    await opened(c);
    for (let i = 0; i < 10; i++) {
      await clock.advance(6_000);
      server.send(0, SAMPLE[i % SAMPLE.length]!);
      await vi.waitFor(() => expect(messages).toHaveLength(i + 1));
    }
    expect(gaps).toEqual([]);
    expect(server.connections[0]!.received.filter(isControl)).toEqual([SUBSCRIBE]);
  });
});

describe('RtdsClient: stop', () => {
  it('closes the socket, cancels every timer and never reconnects', async () => {
    const c = client();
    await opened(c);
    await c.stop();
    await vi.waitFor(() => expect(server.connections[0]!.closed).toBe(true));
    expect(clock.pending).toBe(0);
    expect(c.health().state).toBe('closed');
    await clock.advance(120_000);
    await ioTurn();
    expect(server.connections).toHaveLength(1);
    await c.stop(); // twice is fine
  });

  it('stops cleanly while waiting to reconnect and while connecting', async () => {
    const port = server.port;
    await server.close();
    const waiting = client({ url: `ws://127.0.0.1:${port}` });
    await vi.waitFor(() => expect(logs.messages('rtds: reconnecting')).toHaveLength(1));
    await waiting.stop();
    expect(clock.pending).toBe(0);

    const connecting = client({ url: `ws://127.0.0.1:${port}` });
    await connecting.stop();
    expect(clock.pending).toBe(0);
    await clock.advance(60_000);
    await ioTurn();
    expect(logs.messages('rtds: reconnecting')).toHaveLength(1);
    server = await ScriptServer.start();
  });
});
