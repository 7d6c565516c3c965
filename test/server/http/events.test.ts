import { afterEach, describe, expect, it } from 'vitest';
import type { CopyDecisionEvent } from '../../../src/copy/copier.ts';
import type { OrderEvent } from '../../../src/execution/order-manager.ts';
import type { ServerEvents } from '../../../src/server/http/index.ts';
import { api, startTestServer, type TestServer } from './support.ts';

interface SseFrame {
  id?: string;
  event?: string;
  data?: string;
}

/** An open event stream, read as it arrives. */
class EventStreamReader {
  text = '';
  readonly #controller = new AbortController();
  readonly #done: Promise<void>;
  readonly response: Promise<Response>;

  constructor(url: string) {
    this.response = fetch(url, { signal: this.#controller.signal });
    this.#done = this.response.then(async (res) => {
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          this.text += decoder.decode(value, { stream: true });
        }
      } catch {
        // aborted
      }
    });
  }

  frames(): SseFrame[] {
    return this.text
      .split('\n\n')
      .filter((block) => block.trim() !== '' && !block.startsWith(':') && !block.startsWith('retry'))
      .map((block) => {
        const frame: SseFrame = {};
        for (const line of block.split('\n')) {
          const i = line.indexOf(': ');
          const [k, v] = [line.slice(0, i), line.slice(i + 2)];
          if (k === 'id' || k === 'event' || k === 'data') frame[k] = v;
        }
        return frame;
      });
  }

  async until(predicate: (text: string) => boolean, timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.text)) {
      if (Date.now() > deadline) throw new Error(`stream never matched; got:\n${this.text}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Resolves when the server ends the stream. */
  ended(): Promise<void> {
    return this.#done;
  }

  close(): void {
    this.#controller.abort();
  }
}

const trade = {
  id: 7,
  key: 'k7',
  leader: '0x00000000000000000000000000000000000000a1',
  conditionId: '0xcond',
  tokenId: '42',
  outcome: 'Yes',
  side: 'BUY' as const,
  size: 10_000_000,
  usdc: 5_500_000,
  price: 550_000,
  preTradeShares: 0,
  tradeAt: 1_770_000_000_000,
  isBackfill: false,
  retracted: false,
};

const sighting: ServerEvents['leader.sighting'] = {
  outcome: { status: 'new', trade, source: 'chain' },
  sighting: {
    kind: 'fill',
    source: 'chain',
    leader: trade.leader,
    txHash: '0xabc',
    tokenId: '42',
    conditionId: null,
    outcome: null,
    outcomeIndex: null,
    side: 'BUY',
    price: 550_000 as never,
    size: 10_000_000 as never,
    usdc: 5_500_000 as never,
    fee: null,
    role: 'taker',
    blockNumber: 123,
    logIndex: 4,
    part: 'order-hash',
    tradeTimeMs: trade.tradeAt,
    seenAtMs: trade.tradeAt + 900,
    isBackfill: false,
    // The chain log as viem decodes it: bigints.
    raw: { args: { makerAmountFilled: 5_500_000n, takerAmountFilled: 10_000_000n } },
  },
  at: trade.tradeAt + 901,
};

describe('HTTP API: live event stream', () => {
  let t: TestServer;
  const readers: EventStreamReader[] = [];
  afterEach(async () => {
    for (const r of readers.splice(0)) r.close();
    await t.dispose();
  });

  const open = (path = '/api/events') => {
    const reader = new EventStreamReader(`${t.url}${path}`);
    readers.push(reader);
    return reader;
  };

  it('streams bus events as they happen, as JSON with bigints as strings', async () => {
    t = await startTestServer('sqlite');
    const stream = open();
    const res = await stream.response;
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    await stream.until((text) => text.includes(': connected'));

    t.bus.emit('leader.sighting', sighting);
    const decision = {
      trade,
      follow: { id: 3 },
      at: trade.tradeAt + 950,
      decision: 'skip',
      reason: 'BELOW_MIN_TRADE',
      detail: 'sized to $0.40, below the minimum trade of $1.00',
    } as unknown as CopyDecisionEvent;
    t.bus.emit('copy.decision', decision);
    const done: OrderEvent = {
      orderId: 9,
      intent: {
        idempotencyKey: 'i9',
        origin: 'copy',
        accountId: 1,
        tokenId: '42',
        side: 'BUY',
        size: 1 as never,
        limitPrice: 2 as never,
      },
      outcome: { kind: 'failed', orderId: 9, error: 'boom' },
      at: 5,
    };
    t.bus.emit('order.done', done);
    t.bus.emit('app.stopping', { reason: 'SIGTERM', at: 6 });
    await stream.until((text) => text.includes('event: app.stopping'));

    const frames = stream.frames();
    expect(frames.map((f) => f.event)).toEqual([
      'leader.sighting',
      'copy.decision',
      'order.done',
      'app.stopping',
    ]);
    const ids = frames.map((f) => Number(f.id));
    expect(ids).toEqual([ids[0], ids[0]! + 1, ids[0]! + 2, ids[0]! + 3]);
    const seen = JSON.parse(frames[0]!.data!);
    expect(seen.outcome).toEqual({ status: 'new', trade, source: 'chain' });
    expect(seen.sighting).toMatchObject({ source: 'chain', seenAtMs: trade.tradeAt + 900, blockNumber: 123 });
    // The wire message stays out of the stream.
    expect(seen.sighting.raw).toBeUndefined();
    expect(JSON.parse(frames[1]!.data!)).toMatchObject({
      decision: 'skip',
      reason: 'BELOW_MIN_TRADE',
      trade: { id: 7 },
    });
    expect(JSON.parse(frames[2]!.data!)).toEqual(done);
  });

  it('serializes bigints in any payload', async () => {
    t = await startTestServer('sqlite');
    const stream = open('/api/events?types=settings.changed');
    await stream.until((text) => text.includes(': connected'));
    t.bus.emit('settings.changed', { key: 'x.y', value: { wei: 10n ** 30n }, source: 'test', at: 1 });
    await stream.until((text) => text.includes('event: settings.changed'));
    expect(JSON.parse(stream.frames()[0]!.data!)).toEqual({
      key: 'x.y',
      value: { wei: '1000000000000000000000000000000' },
      source: 'test',
      at: 1,
    });
  });

  it('narrows to the asked types, and refuses unknown ones with a 400', async () => {
    t = await startTestServer('sqlite');
    const stream = open('/api/events?types=order.done');
    await stream.until((text) => text.includes(': connected'));
    t.bus.emit('leader.sighting', sighting);
    t.bus.emit('order.done', {
      orderId: 1,
      intent: {} as never,
      outcome: { kind: 'duplicate', orderId: 1 },
      at: 2,
    });
    await stream.until((text) => text.includes('event: order.done'));
    expect(stream.frames().map((f) => f.event)).toEqual(['order.done']);

    const bad = await api(t.url, '/api/events?types=order.done,trades');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^invalid query: types: "trades" is not among leader.sighting/);
  });

  it('sends a heartbeat comment on the interval', async () => {
    t = await startTestServer('sqlite', { heartbeatMs: 40 });
    const stream = open();
    await stream.until((text) => text.split(': heartbeat').length > 2);
  });

  it('unsubscribes from the bus when the client goes, and ends open streams on close', async () => {
    t = await startTestServer('sqlite');
    const before = t.bus.listenerCount();
    const stream = open();
    await stream.until((text) => text.includes(': connected'));
    const other = open('/api/events?types=order.done');
    await other.until((text) => text.includes(': connected'));
    expect(t.server.streamClients()).toBe(2);
    expect(t.bus.listenerCount()).toBe(before + 6 + 1);

    let m = Date.now();
    stream.close();
    await waitFor(() => t.server.streamClients() === 1);
    console.log('abort cleanup', Date.now() - m);
    m = Date.now();
    expect(t.bus.listenerCount()).toBe(before + 1);

    await t.server.close();
    console.log('close', Date.now() - m);
    m = Date.now();
    await other.ended();
    console.log('ended', Date.now() - m);
    expect(t.server.streamClients()).toBe(0);
    expect(t.bus.listenerCount('order.done')).toBe(0);
  });
});

async function waitFor(predicate: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition never held');
    await new Promise((r) => setTimeout(r, 10));
  }
}
