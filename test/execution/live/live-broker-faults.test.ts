/**
 * Submits when things go wrong, checked on the venue itself (its open orders and trades): bursts of
 * 429 and 500 from the simulator's fault injection, a reply lost after the venue took the order,
 * a timeout, a refused connection. One intent never becomes two orders on the venue, and each
 * outcome is classified as submit-outcome.ts documents. Also: the signer lock and the rate limits
 * on real submits.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RETRY, retryDelayMs } from '../../../src/execution/live/live-broker.ts';
import type { SignedLiveOrder } from '../../../src/execution/live/order-signer.ts';
import { SignerRateLimits } from '../../../src/execution/live/signer-limits.ts';
import { SignerLocks } from '../../../src/execution/live/signer-lock.ts';
import type { FetchLike } from '../../../src/execution/live/transport.ts';
import {
  brokerFor,
  closedPort,
  type LiveWorld,
  postsTo,
  px,
  sh,
  startLiveWorld,
  watchedFetch,
} from './support.ts';

let world: LiveWorld;
beforeAll(async () => {
  world = await startLiveWorld({ seed: 9 });
});
afterAll(async () => {
  await world?.stop();
});
afterEach(() => {
  world.sim.httpFaults.clob.clear();
});

const gtc = (price: number) =>
  [
    { tokenId: world.yes, side: 'BUY' as const, price: px(price), size: sh(5) },
    { orderType: 'GTC' as const },
  ] as const;

/** Everything the venue holds for this broker's key: open orders and the order by hash. */
async function onVenue(broker: Awaited<ReturnType<typeof brokerFor>>['broker'], hash: string) {
  return { open: (await broker.openOrders()).map((o) => o.id), byHash: await broker.order(hash) };
}

function hashOf() {
  const seen: SignedLiveOrder[] = [];
  return { seen, hooks: { beforeSend: (s: SignedLiveOrder) => void seen.push(s) } };
}

describe('429 burst', () => {
  it('retries the same signed order and ends with exactly one order on the venue', async () => {
    const watch = watchedFetch();
    const { broker } = await brokerFor(world, '429 short', { fetch: watch.fetch });
    await world.sim.fault('http', { service: 'clob', status: 429, count: 2, paths: '^/order$' });
    const { seen, hooks } = hashOf();
    const out = await broker.submit(...gtc(0.3), hooks);
    const hash = seen[0]!.orderHash;
    expect(seen).toHaveLength(1);
    expect(out).toMatchObject({ kind: 'accepted', orderId: hash, status: 'live' });
    expect(postsTo(watch, '/order')).toBe(3);
    expect(await onVenue(broker, hash)).toMatchObject({ open: [hash], byHash: { status: 'LIVE' } });
    await broker.cancelAll();
  });

  it('longer than the retries: unknown on its hash after 1 + 3 attempts, and reconciliation finds nothing', async () => {
    const watch = watchedFetch();
    const { broker } = await brokerFor(world, '429 long', { fetch: watch.fetch });
    await world.sim.fault('http', { service: 'clob', status: 429, count: 10, paths: '^/order$' });
    const { seen, hooks } = hashOf();
    const out = await broker.submit(...gtc(0.3), hooks);
    expect(out).toMatchObject({
      kind: 'unknown',
      orderHash: seen[0]!.orderHash,
      error: expect.stringMatching(/rate limited/),
    });
    expect(postsTo(watch, '/order')).toBe(4);
    world.sim.httpFaults.clob.clear();
    expect(await onVenue(broker, seen[0]!.orderHash)).toEqual({ open: [], byHash: null });
  });

  it('a batch under a 429 is retried whole, each order accepted once', async () => {
    const watch = watchedFetch();
    const { broker } = await brokerFor(world, '429 batch', { fetch: watch.fetch });
    await world.sim.fault('http', { service: 'clob', status: 429, count: 1, paths: '^/orders$' });
    const outcomes = await broker.postBatch(
      [0.2, 0.21, 0.22].map((p) => {
        const [order, terms] = gtc(p);
        return { order, terms };
      }),
    );
    expect(outcomes.map((o) => o.kind)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(postsTo(watch, '/orders')).toBe(2);
    expect(await broker.openOrders()).toHaveLength(3);
    await broker.cancelAll();
  });
});

describe('500 burst', () => {
  it('is unknown at once, never resent; the hash lets reconciliation find the order absent', async () => {
    const watch = watchedFetch();
    const { broker } = await brokerFor(world, '500', { fetch: watch.fetch });
    await world.sim.fault('http', { service: 'clob', status: 500, count: 5, paths: '^/order$' });
    const { seen, hooks } = hashOf();
    const out = await broker.submit(...gtc(0.3), hooks);
    expect(out).toEqual({
      kind: 'unknown',
      orderHash: seen[0]!.orderHash,
      error: '500 could not run the execution',
    });
    expect(postsTo(watch, '/order')).toBe(1);
    world.sim.httpFaults.clob.clear();
    expect(await onVenue(broker, seen[0]!.orderHash)).toEqual({ open: [], byHash: null });
    // An unknown GTC may rest: the broker counts it for the heartbeat until told otherwise.
    expect(broker.restingOrderIds()).toEqual([seen[0]!.orderHash.toLowerCase()]);
  });

  it('502 (an HTML page from the CDN) and 503 are unknown too; a batch under 500 is unknown order by order', async () => {
    const { broker } = await brokerFor(world, '50x');
    await world.sim.fault('http', { service: 'clob', status: 502, count: 1, paths: '^/order$' });
    expect(await broker.submit(...gtc(0.3))).toMatchObject({
      kind: 'unknown',
      error: expect.stringMatching(/^502 <html>/),
    });
    await world.sim.fault('http', { service: 'clob', status: 503, count: 1, paths: '^/order$' });
    expect(await broker.submit(...gtc(0.3))).toMatchObject({
      kind: 'unknown',
      error: expect.stringMatching(/^503 Trading/),
    });

    await world.sim.fault('http', { service: 'clob', status: 500, count: 1, paths: '^/orders$' });
    const { seen, hooks } = hashOf();
    const outcomes = await broker.postBatch(
      [0.2, 0.21].map((p) => {
        const [order, terms] = gtc(p);
        return { order, terms };
      }),
      hooks,
    );
    expect(outcomes).toEqual(
      seen.map((s) => expect.objectContaining({ kind: 'unknown', orderHash: s.orderHash })),
    );
    expect(await broker.openOrders()).toEqual([]);
  });
});

describe('the venue took it but the answer was lost', () => {
  it('a connection reset after the request went out: unknown, not resent, and the venue has it once', async () => {
    const watch = watchedFetch();
    const { broker } = await brokerFor(world, 'lost', { fetch: watch.fetch });
    watch.next(async (input, init, real) => {
      await real(input, init);
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('other side closed'), { code: 'ECONNRESET' }),
      });
    });
    const { seen, hooks } = hashOf();
    const out = await broker.submit(...gtc(0.31), hooks);
    const hash = seen[0]!.orderHash;
    expect(out).toMatchObject({
      kind: 'unknown',
      orderHash: hash,
      error: expect.stringMatching(/ECONNRESET|other side closed/),
    });
    expect(postsTo(watch, '/order')).toBe(1);
    expect(await onVenue(broker, hash)).toMatchObject({ open: [hash], byHash: { id: hash, status: 'LIVE' } });
    await broker.cancelAll();
  });

  it('a timeout: unknown, not resent, and the venue has it once', async () => {
    const watch = watchedFetch();
    const { broker } = await brokerFor(world, 'timeout', { fetch: watch.fetch, timeoutMs: 300 });
    watch.next(async (input, init, real) => {
      await real(input, init);
      // The reply never comes: hang until the broker gives up.
      return new Promise<Response>((_, reject) =>
        init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
      );
    });
    const { seen, hooks } = hashOf();
    const out = await broker.submit(...gtc(0.32), hooks);
    const hash = seen[0]!.orderHash;
    expect(out).toEqual({ kind: 'unknown', orderHash: hash, error: 'no reply within 300 ms' });
    expect(postsTo(watch, '/order')).toBe(1);
    expect(await onVenue(broker, hash)).toMatchObject({ open: [hash], byHash: { status: 'LIVE' } });
    await broker.cancelAll();
  });
});

describe('the venue cannot be reached', () => {
  let port = 0;
  beforeAll(async () => {
    port = await closedPort();
  });
  const refused = (input: string, init: RequestInit, real: FetchLike) =>
    real(input.replace(/^http:\/\/127\.0\.0\.1:\d+/, `http://127.0.0.1:${port}`), init);

  it('a refused connection sent nothing: retried, and the order is placed once', async () => {
    const watch = watchedFetch();
    const { broker } = await brokerFor(world, 'refused once', { fetch: watch.fetch });
    watch.next(refused);
    const { seen, hooks } = hashOf();
    const out = await broker.submit(...gtc(0.33), hooks);
    expect(out).toMatchObject({ kind: 'accepted', orderId: seen[0]!.orderHash });
    expect(postsTo(watch, '/order')).toBe(2);
    expect(await broker.openOrders()).toHaveLength(1);
    await broker.cancelAll();
  });

  it('refused every time: rejected as unreachable after the retries, nothing on the venue', async () => {
    const watch = watchedFetch();
    const { broker } = await brokerFor(world, 'refused always', { fetch: watch.fetch });
    for (let i = 0; i < 4; i++) watch.next(refused);
    const { seen, hooks } = hashOf();
    const out = await broker.submit(...gtc(0.33), hooks);
    expect(out).toMatchObject({ kind: 'rejected', code: 'UNREACHABLE', source: 'local' });
    expect(postsTo(watch, '/order')).toBe(4);
    expect(await onVenue(broker, seen[0]!.orderHash)).toEqual({ open: [], byHash: null });
  });
});

describe('retry schedule', () => {
  it('1 s, 2 s, 4 s, never over 10 s, and at least what Retry-After asks', () => {
    expect([0, 1, 2, 3, 4].map((a) => retryDelayMs(DEFAULT_RETRY, a))).toEqual([
      1_000, 2_000, 4_000, 8_000, 10_000,
    ]);
    expect(retryDelayMs(DEFAULT_RETRY, 0, 3_000)).toBe(3_000);
    expect(retryDelayMs(DEFAULT_RETRY, 0, 60_000)).toBe(10_000);
    expect(DEFAULT_RETRY.maxRetries).toBe(3);
  });
});

describe('per-signer lock and rate limits on real submits', () => {
  /** A fetch that holds each order post 60 ms and logs when it starts and ends. */
  function slowPosts() {
    const log: string[] = [];
    let n = 0;
    const watch = watchedFetch();
    const fetch = (input: string, init: RequestInit) => {
      if (init.method !== 'POST' || !input.endsWith('/order')) return watch.fetch(input, init);
      const id = ++n;
      log.push(`start ${id}`);
      return watch.fetch(input, init).then(async (res) => {
        await new Promise((r) => setTimeout(r, 60));
        log.push(`end ${id}`);
        return res;
      });
    };
    return { log, fetch };
  }

  it('two concurrent submits on one signer run one after the other (two brokers of one key too)', async () => {
    const slow = slowPosts();
    const locks = new SignerLocks();
    const a = await brokerFor(world, 'locked', { fetch: slow.fetch, locks });
    const b = await brokerFor(world, 'locked', {
      fetch: slow.fetch,
      locks,
      apiCreds: await a.broker.ensureApiCreds(),
    });
    const outs = await Promise.all([
      a.broker.submit(...gtc(0.25)),
      b.broker.submit(...gtc(0.26)),
      a.broker.submit(...gtc(0.27)),
    ]);
    expect(outs.map((o) => o.kind)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(slow.log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
    await a.broker.cancelAll();
  });

  it('without a shared lock the same two submits overlap (what the lock prevents)', async () => {
    const slow = slowPosts();
    const a = await brokerFor(world, 'unlocked', { fetch: slow.fetch, locks: new SignerLocks() });
    const b = await brokerFor(world, 'unlocked', {
      fetch: slow.fetch,
      locks: new SignerLocks(),
      apiCreds: await a.broker.ensureApiCreds(),
    });
    await Promise.all([a.broker.submit(...gtc(0.25)), b.broker.submit(...gtc(0.26))]);
    expect(slow.log.slice(0, 2)).toEqual(['start 1', 'start 2']);
    await a.broker.cancelAll();
  });

  it('the order bucket spaces submits once its burst is spent', async () => {
    const { broker } = await brokerFor(world, 'limited', {
      rateLimits: new SignerRateLimits({
        order: { capacity: 2, refillPerSec: 10 },
        cancel: { capacity: 2, refillPerSec: 10 },
      }),
    });
    const started = performance.now();
    for (let i = 0; i < 4; i++) expect((await broker.submit(...gtc(0.2 + i / 100))).kind).toBe('accepted');
    // Two from the burst, then one per 100 ms.
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    await broker.cancelAll();
  });
});
