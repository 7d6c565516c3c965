/**
 * The shared ReconnectingSocket against a bare websocket server on 127.0.0.1, on a ManualClock:
 * sockets are real, time is moved by hand, so pings, dead-socket cuts, the silence watchdog,
 * backoff and gaps are asserted to the millisecond. The owner here speaks a toy protocol: `pong`
 * is a keepalive, `bad` is unreadable, anything else is one data message.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import { badMessagesTotal, reconnectsTotal } from '../../../src/core/metrics.ts';
import {
  ReconnectingSocket,
  type ReconnectingSocketOptions,
  type SocketGap,
} from '../../../src/polymarket/ws/index.ts';
import { ScriptServer } from '../rtds/script-server.ts';
import { captureLogs, counterValue, ioTurn, type LogCapture } from '../rtds/support.ts';

const T0 = 1_790_272_000_000;
const SOURCE = 'ws_test';
/** Long unless a test is about them: a pong landing late or a quiet minute never matters. */
const LONG = { pingIntervalMs: 5_000, deadAfterMs: 600_000, silenceMs: 600_000 };

let server: ScriptServer;
let clock: ManualClock;
let logs: LogCapture;
let gaps: SocketGap[];
let events: { opens: number; silences: number; closes: number; binaries: number; data: string[] };
const sockets: ReconnectingSocket[] = [];

function open(options: Partial<ReconnectingSocketOptions> = {}): ReconnectingSocket {
  const socket: ReconnectingSocket = new ReconnectingSocket({
    url: options.url ?? server.url,
    name: 'test ws',
    source: SOURCE,
    pingText: 'ping',
    clock,
    logger: logs.logger,
    random: () => 0.5,
    timings: LONG,
    onOpen: (send) => {
      events.opens++;
      send('subscribe');
    },
    onText: (text, receivedAtMs) => {
      if (text === 'pong') return;
      if (text === 'bad') socket.badMessage('not our protocol', text);
      else {
        socket.markData(receivedAtMs);
        events.data.push(text);
      }
    },
    onSilence: (send) => {
      events.silences++;
      send('subscribe');
    },
    onGap: (reason, fromMs, toMs) => gaps.push({ reason, fromMs, toMs }),
    onClose: () => events.closes++,
    onBinary: () => events.binaries++,
    ...options,
  });
  sockets.push(socket);
  socket.start();
  return socket;
}

/** Waits until connection `n` has subscribed and the socket counts it as open. */
async function subscribed(socket: ReconnectingSocket, n = 0): Promise<void> {
  await server.received(n, (t) => t === 'subscribe');
  await vi.waitFor(() => expect(socket.health().state).not.toBe('closed'));
}

async function closed(socket: ReconnectingSocket): Promise<void> {
  await vi.waitFor(() => expect(socket.health().state).toBe('closed'));
}

/** Sends a data frame on connection `n` and waits until the owner has read it. */
async function data(n: number, text: string): Promise<void> {
  const before = events.data.length;
  server.send(n, text);
  await vi.waitFor(() => expect(events.data).toHaveLength(before + 1));
}

const pings = (n: number) => server.connections[n]!.received.filter((t) => t === 'ping').length;

beforeEach(async () => {
  server = await ScriptServer.start();
  clock = new ManualClock(T0);
  logs = captureLogs();
  gaps = [];
  events = { opens: 0, silences: 0, closes: 0, binaries: 0, data: [] };
});

afterEach(async () => {
  for (const s of sockets.splice(0)) await s.stop();
  await server.close();
});

describe('ReconnectingSocket: keepalive', () => {
  it('sends the ping text on its interval, and keeps a socket that answers', async () => {
    const socket = open({ timings: { ...LONG, deadAfterMs: 12_000 } });
    await subscribed(socket);
    expect(socket.health()).toMatchObject({ state: 'open', connectedSinceMs: T0, reconnects: 0 });
    await clock.advance(4_999);
    await ioTurn();
    expect(pings(0)).toBe(0);
    for (let i = 1; i <= 6; i++) {
      await clock.advance(i === 1 ? 1 : 5_000);
      await server.received(0, (t) => t === 'ping', i);
      // The answer is a frame: it keeps the socket alive, though it is no data message.
      const at = T0 + 5_000 * i;
      await vi.waitFor(() => expect(socket.health().lastFrameAtMs).toBe(at));
    }
    expect(server.connections).toHaveLength(1);
    expect(socket.health()).toMatchObject({ state: 'open', messages: 0, lastMessageAtMs: null });
  });

  it('cuts a socket that never answers once deadAfterMs passes, and reconnects', async () => {
    server.answerPings = false;
    const socket = open({
      timings: { ...LONG, deadAfterMs: 12_000, backoff: { initialMs: 1_000, jitter: 0 } },
    });
    await subscribed(socket);
    await clock.advance(10_000);
    await server.received(0, (t) => t === 'ping', 2);
    expect(server.connections[0]!.closed).toBe(false);
    // Dead is checked when a ping is due: the one at 15 s finds 15 s without a frame.
    await clock.advance(5_000);
    await closed(socket);
    expect(logs.messages('test ws: no frame (not even a PONG); reconnecting')).toHaveLength(1);
    expect(pings(0)).toBe(2);
    await clock.advance(1_000);
    await subscribed(socket, 1);
    expect(socket.health()).toMatchObject({ state: 'open', reconnects: 1 });
  });
});

describe('ReconnectingSocket: reconnects', () => {
  it('reconnects after each drop with growing backoff, resets it after data, and reports the gaps', async () => {
    const before = await counterValue(reconnectsTotal, SOURCE);
    // random 0.5, jitter 0.5: three quarters of each ceiling (1000, 2000, ...).
    const socket = open({ timings: { ...LONG, backoff: { initialMs: 1_000, maxMs: 8_000 } } });
    const delays = () => logs.messages('test ws: reconnecting').map((l) => l.delayMs);
    await subscribed(socket);

    server.dropAll();
    await closed(socket);
    expect(events.closes).toBe(1);
    expect(socket.health().connectedSinceMs).toBeNull();
    await clock.advance(749);
    await ioTurn();
    expect(server.connections).toHaveLength(1);
    await clock.advance(1);
    await subscribed(socket, 1);
    expect(gaps).toEqual([{ reason: 'reconnect', fromMs: T0, toMs: T0 + 750 }]);

    // A connection that delivered nothing does not reset the backoff.
    server.dropAll();
    await closed(socket);
    await clock.advance(1_500);
    await subscribed(socket, 2);
    expect(delays()).toEqual([750, 1_500]);
    expect(gaps[1]).toEqual({ reason: 'reconnect', fromMs: T0 + 750, toMs: T0 + 2_250 });

    // One that did, does; and the gap starts at its last message.
    await clock.advance(1_000);
    await data(2, 'trade 1');
    await clock.advance(2_000);
    server.dropAll();
    await closed(socket);
    await clock.advance(750);
    await subscribed(socket, 3);
    expect(delays()).toEqual([750, 1_500, 750]);
    expect(gaps[2]).toEqual({ reason: 'reconnect', fromMs: T0 + 3_250, toMs: T0 + 6_000 });
    expect(events.opens).toBe(4);
    expect(socket.health()).toMatchObject({ state: 'open', reconnects: 3, gaps: 3, messages: 1 });
    expect(await counterValue(reconnectsTotal, SOURCE)).toBe(before + 3);
  });

  it('retries while the server is down, then connects', async () => {
    const port = server.port;
    await server.close();
    const socket = open({
      url: `ws://127.0.0.1:${port}`,
      timings: { ...LONG, backoff: { initialMs: 1_000, maxMs: 2_000, jitter: 0 } },
    });
    const delays = () => logs.messages('test ws: reconnecting').map((l) => l.delayMs);
    await vi.waitFor(() => expect(delays()).toEqual([1_000]));
    await clock.advance(1_000);
    await vi.waitFor(() => expect(delays()).toEqual([1_000, 2_000]));
    await clock.advance(2_000);
    await vi.waitFor(() => expect(delays()).toEqual([1_000, 2_000, 2_000]));
    expect(socket.health().state).toBe('closed');
    server = await ScriptServer.start(port);
    await clock.advance(2_000);
    await subscribed(socket);
    // No subscription was lost: nothing to report.
    expect(gaps).toEqual([]);
    expect(socket.health()).toMatchObject({ state: 'open', reconnects: 3 });
  });
});

describe('ReconnectingSocket: silence', () => {
  it('is quiet while no data is expected, then reports silence, resubscribes and reports the resumption', async () => {
    let expecting = false;
    const socket = open({
      expectsData: () => expecting,
      timings: { ...LONG, silenceMs: 30_000 },
    });
    await subscribed(socket);
    await clock.advance(90_000);
    expect(events.silences).toBe(0);
    expect(gaps).toEqual([]);
    expect(socket.health().state).toBe('open');

    expecting = true;
    await data(0, 'trade 1');
    await clock.advance(29_999);
    expect(gaps).toEqual([]);
    await clock.advance(1);
    expect(gaps).toEqual([{ reason: 'silence', fromMs: T0 + 90_000, toMs: T0 + 120_000 }]);
    expect(events.silences).toBe(1);
    await server.received(0, (t) => t === 'subscribe', 2);
    expect(socket.health().state).toBe('stale');

    // Still suspect once data is no longer expected: the lapse is not known to be over.
    expecting = false;
    await clock.advance(60_000);
    expect(socket.health().state).toBe('stale');
    await data(0, 'trade 2');
    expect(gaps[1]).toEqual({ reason: 'resumed', fromMs: T0 + 120_000, toMs: T0 + 180_000 });
    expect(socket.health()).toMatchObject({ state: 'open', gaps: 2, coveredUntilMs: T0 + 180_000 });
  });

  it('reconnects when a second silent period follows the resubscription', async () => {
    const socket = open({
      timings: { ...LONG, silenceMs: 30_000, backoff: { initialMs: 1_000, jitter: 0 } },
    });
    await subscribed(socket);
    await clock.advance(30_000);
    await clock.advance(30_000);
    expect(gaps.map((g) => g.reason)).toEqual(['silence', 'silence']);
    expect(events.silences).toBe(1);
    await closed(socket);
    await clock.advance(1_000);
    await subscribed(socket, 1);
    expect(gaps).toEqual([
      { reason: 'silence', fromMs: T0, toMs: T0 + 30_000 },
      { reason: 'silence', fromMs: T0 + 30_000, toMs: T0 + 60_000 },
      { reason: 'reconnect', fromMs: T0 + 60_000, toMs: T0 + 61_000 },
    ]);
  });

  it('without onGap, forgets a silence once no data is expected', async () => {
    let expecting = true;
    const socket = open({
      onGap: undefined,
      expectsData: () => expecting,
      timings: { ...LONG, silenceMs: 30_000 },
    });
    await subscribed(socket);
    await clock.advance(30_000);
    expect(events.silences).toBe(1);
    expect(socket.health().state).toBe('stale');
    expecting = false;
    await clock.advance(30_000);
    expect(socket.health()).toMatchObject({ state: 'open', reconnects: 0 });
    expect(logs.messages('test ws: gap in the stream')).toEqual([]);
  });
});

describe('ReconnectingSocket: bad messages', () => {
  it('counts bad and binary frames, logs them throttled, and reports a burst as one gap', async () => {
    const before = await counterValue(badMessagesTotal, SOURCE);
    const socket = open({ badGapDelayMs: 1_000, timings: { ...LONG, badLogIntervalMs: 60_000 } });
    await subscribed(socket);
    await clock.advance(2_000);
    await data(0, 'trade 1');
    await clock.advance(500);
    server.send(0, 'bad');
    server.connections[0]!.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    server.send(0, 'bad');
    await vi.waitFor(() => expect(socket.health().badMessages).toBe(3));
    expect(events.binaries).toBe(1);
    expect(await counterValue(badMessagesTotal, SOURCE)).toBe(before + 3);
    expect(logs.messages('test ws: bad message skipped')).toEqual([
      expect.objectContaining({ source: SOURCE, reason: 'not our protocol', sample: 'bad' }),
    ]);

    await clock.advance(999);
    expect(gaps).toEqual([]);
    await clock.advance(1);
    // From the coverage before the burst to its end; the coverage itself stays where it was.
    expect(gaps).toEqual([{ reason: 'bad_message', fromMs: T0 + 2_000, toMs: T0 + 3_500 }]);
    expect(socket.health()).toMatchObject({ state: 'open', coveredUntilMs: T0 + 2_000, gaps: 1 });

    await clock.advance(60_000);
    server.send(0, 'bad');
    await vi.waitFor(() => expect(logs.messages('test ws: bad message skipped')).toHaveLength(2));
    expect(logs.messages('test ws: bad message skipped')[1]).toMatchObject({ suppressedSinceLast: 2 });
  });
});

describe('ReconnectingSocket: confirmation by answer', () => {
  it('counts the subscription from the first frame after it, and says when a server drops it unanswered', async () => {
    const socket = open({
      confirmByAnswer: true,
      unansweredHint: 'are the credentials valid?',
      timings: { ...LONG, backoff: { initialMs: 1_000, jitter: 0 } },
    });
    await server.received(0, (t) => t === 'subscribe');
    await ioTurn();
    expect(socket.isOpen).toBe(true);
    expect(socket.health()).toMatchObject({ state: 'closed', coveredUntilMs: null });
    await clock.advance(500);
    server.send(0, 'pong');
    await vi.waitFor(() => expect(socket.health().state).toBe('open'));
    expect(socket.health().coveredUntilMs).toBe(T0 + 500);

    // Refused: dropped before answering. No subscription took effect, so no gap yet.
    server.dropAll();
    await closed(socket);
    await clock.advance(1_000);
    await server.received(1, (t) => t === 'subscribe');
    server.connections[1]!.ws.terminate();
    await vi.waitFor(() =>
      expect(
        logs.messages('test ws: closed before the subscription was answered (are the credentials valid?)'),
      ).toHaveLength(1),
    );
    expect(events.closes).toBe(1);
    // The refused connection delivered nothing: the backoff grows.
    await clock.advance(2_000);
    await server.received(2, (t) => t === 'subscribe');
    await clock.advance(250);
    server.send(2, 'pong');
    await vi.waitFor(() => expect(gaps).toHaveLength(1));
    expect(gaps[0]).toEqual({ reason: 'reconnect', fromMs: T0 + 500, toMs: T0 + 3_750 });
  });
});

describe('ReconnectingSocket: stop', () => {
  it('closes the socket, cancels every timer and never reconnects', async () => {
    const socket = open({ badGapDelayMs: 1_000, timings: { ...LONG, silenceMs: 30_000 } });
    await subscribed(socket);
    server.send(0, 'bad');
    await vi.waitFor(() => expect(socket.health().badMessages).toBe(1));
    expect(clock.pending).toBeGreaterThanOrEqual(4); // handshake, ping, watchdog, bad burst
    await socket.stop();
    await vi.waitFor(() => expect(server.connections[0]!.closed).toBe(true));
    expect(clock.pending).toBe(0);
    expect(socket.health().state).toBe('closed');
    await clock.advance(120_000);
    await ioTurn();
    expect(server.connections).toHaveLength(1);
    expect(gaps).toEqual([]);
    await socket.stop(); // twice is fine
  });

  it('stops cleanly while waiting to reconnect and while connecting', async () => {
    const port = server.port;
    await server.close();
    const waiting = open({ url: `ws://127.0.0.1:${port}` });
    await vi.waitFor(() => expect(logs.messages('test ws: reconnecting')).toHaveLength(1));
    await waiting.stop();
    expect(clock.pending).toBe(0);

    const connecting = open({ url: `ws://127.0.0.1:${port}` });
    await connecting.stop();
    expect(clock.pending).toBe(0);
    await clock.advance(60_000);
    await ioTurn();
    expect(logs.messages('test ws: reconnecting')).toHaveLength(1);
    server = await ScriptServer.start();
  });

  it('started again after a stop, reports the stopped time as a gap', async () => {
    const socket = open();
    await subscribed(socket);
    await clock.advance(1_000);
    await data(0, 'trade 1');
    await socket.stop();
    await clock.advance(4_000);
    socket.start();
    await subscribed(socket, 1);
    expect(gaps).toEqual([{ reason: 'reconnect', fromMs: T0 + 1_000, toMs: T0 + 5_000 }]);
  });
});

describe('ReconnectingSocket: options', () => {
  it('refuses a url that is not a websocket and a timing that is not positive', () => {
    const base = { name: 'test ws', source: SOURCE, pingText: 'ping', onOpen: () => {}, onText: () => {} };
    expect(() => new ReconnectingSocket({ ...base, url: 'http://127.0.0.1:1' })).toThrow(
      /test ws url must be ws: or wss:/,
    );
    expect(
      () => new ReconnectingSocket({ ...base, url: 'ws://127.0.0.1:1', timings: { silenceMs: 0 } }),
    ).toThrow(/silenceMs must be a positive number/);
  });

  it('a throwing owner handler is logged and the socket carries on', async () => {
    const socket = open({
      onText: (_text, at) => {
        socket.markData(at);
        throw new Error('owner bug');
      },
    });
    await subscribed(socket);
    server.send(0, 'trade 1');
    await vi.waitFor(() => expect(logs.messages('test ws: frame handler threw')).toHaveLength(1));
    expect(socket.health()).toMatchObject({ state: 'open', messages: 1 });
  });
});
