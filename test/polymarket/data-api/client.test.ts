/**
 * The activity client against the simulator's Data API (v1 and v2, its 429/5xx faults), and
 * against a hand-written server for what the simulator never sends (bad rows, bad bodies, hangs).
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import {
  NetworkError,
  RateLimitError,
  TimeoutError,
  ValidationError,
  VenueError,
} from '../../../src/core/errors.ts';
import { MICRO } from '../../../src/core/money.ts';
import { createDataApiClient, type DataApiClientOptions } from '../../../src/polymarket/data-api/client.ts';
import { type Simulator, startSimulator } from '../../../src/sim/simulator.ts';
import { badApiMessages, countingFetch, instantSleeps, memoryLogger, publishFills } from './support.ts';

const START = Date.UTC(2026, 10, 21, 12, 0, 0);
const ALICE = '0xa11ce00000000000000000000000000000000001';
const BOB = '0xb0b0000000000000000000000000000000000002';

describe('activity client against the simulator', () => {
  let sim: Simulator;
  let clock: ManualClock;

  beforeAll(async () => {
    clock = new ManualClock(START);
    sim = await startSimulator({ seed: 3, clock, chain: false, traders: false, dataApiLagMs: 0 });
    // Five fills of Alice a second apart (the last two in one tx), one of Bob.
    for (let i = 0; i < 3; i++) {
      publishFills(sim, [{ wallet: ALICE, size: (i + 1) * MICRO }]);
      await clock.advance(1_000);
    }
    publishFills(sim, [
      { wallet: ALICE, size: 4 * MICRO, side: 'SELL', price: 420_000 },
      { wallet: ALICE, size: 5 * MICRO, side: 'SELL', price: 410_000 },
      { wallet: BOB, size: 6 * MICRO },
    ]);
    await clock.advance(1_000);
  });
  afterAll(async () => {
    await sim?.stop();
  });
  afterEach(() => sim.httpFaults.data.clear());

  const client = (extra: Partial<DataApiClientOptions> = {}) =>
    createDataApiClient({ baseUrl: sim.urls.dataApi, ...instantSleeps(clock), ...extra });

  it('reads v1 /activity oldest first, paged by offset, as normalized rows', async () => {
    const c = client();
    const startSec = START / 1000;
    const page = await c.activity({
      user: ALICE,
      startSec,
      sortBy: 'TIMESTAMP',
      sortDirection: 'ASC',
      limit: 2,
    });
    expect(page.received).toBe(2);
    expect(page.rows.map((r) => r.size)).toEqual([1, 2]);
    expect(page.rows[0]).toMatchObject({
      proxyWallet: ALICE,
      timestampSec: startSec,
      type: 'TRADE',
      side: 'BUY',
      price: 0.5,
      usdcSize: 0.5,
      conditionId: sim.venue.catalog.markets[0]!.conditionId,
      asset: sim.venue.catalog.markets[0]!.tokens[0].tokenId,
    });
    expect(page.rows[0]!.transactionHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(page.rows[0]!.raw).toMatchObject({ proxyWallet: ALICE, timestamp: startSec });
    const rest = await c.activity({ user: ALICE, startSec, sortDirection: 'ASC', limit: 2, offset: 2 });
    expect(rest.rows.map((r) => [r.size, r.side])).toEqual([
      [3, 'BUY'],
      [4, 'SELL'],
    ]);
    const last = await c.activity({ user: ALICE, startSec, sortDirection: 'ASC', limit: 2, offset: 4 });
    expect(last.received).toBe(1);
    // start and end are inclusive seconds.
    const window = await c.activity({
      user: ALICE,
      startSec: startSec + 1,
      endSec: startSec + 2,
      sortDirection: 'ASC',
    });
    expect(window.rows.map((r) => r.size)).toEqual([2, 3]);
  });

  it('reads v2 /v2/activity by cursor until has_more is false', async () => {
    const c = client();
    const sizes: number[][] = [];
    let cursor: string | null = null;
    for (;;) {
      const page = await c.activityV2({
        user: ALICE,
        startSec: START / 1000,
        sortDirection: 'ASC',
        limit: 2,
        cursor,
      });
      sizes.push(page.rows.map((r) => r.size));
      if (!page.hasMore) {
        expect(page.nextCursor).toBeNull();
        break;
      }
      cursor = page.nextCursor;
    }
    expect(sizes).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('survives a 429 burst, waiting what Retry-After asks, and says so when retries run out', async () => {
    const { clock: sleepy, sleeps } = instantSleeps(clock);
    const counted = countingFetch();
    const c = client({ clock: sleepy, fetch: counted.fetch, random: () => 0 });
    await sim.fault('http', { service: 'data', status: 429, count: 2 });
    const page = await c.activity({ user: ALICE, startSec: START / 1000, limit: 1 });
    expect(page.rows).toHaveLength(1);
    expect(counted.calls).toHaveLength(3);
    // The simulator sends Retry-After: 1.
    expect(sleeps).toEqual([1_000, 1_000]);

    await sim.fault('http', { service: 'data', status: 429, count: 3 });
    const err = await c.activity({ user: ALICE, limit: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect((err as RateLimitError).retryAfterMs).toBe(1_000);
    expect((err as RateLimitError).retryable).toBe(true);
  });

  it('retries 5xx with growing, jittered backoff, and gives up with a retryable VenueError', async () => {
    const { clock: sleepy, sleeps } = instantSleeps(clock);
    const c = client({ clock: sleepy, random: () => 0.5, retry: { maxAttempts: 4, baseMs: 100 } });
    await sim.fault('http', { service: 'data', status: 502, count: 2 });
    await sim.fault('http', { service: 'data', status: 503, count: 1 });
    expect((await c.activityV2({ user: ALICE, limit: 1 })).rows).toHaveLength(1);
    expect(sleeps).toEqual([75, 150, 300]);

    await sim.fault('http', { service: 'data', status: 500, count: 4 });
    const err = await c.activity({ user: ALICE }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VenueError);
    expect(err).toMatchObject({ status: 500, retryable: true });
  });

  it('does not retry a refused request: a bad v2 cursor is a 400, not retryable', async () => {
    const counted = countingFetch();
    const c = client({ fetch: counted.fetch });
    const err = await c.activityV2({ user: ALICE, cursor: 'not-a-cursor' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VenueError);
    expect(err).toMatchObject({ status: 400, retryable: false });
    expect((err as VenueError).context).toMatchObject({ code: 'invalid_request', parameter: 'cursor' });
    expect(counted.calls).toHaveLength(1);
  });

  it('refuses offsets past the cap and limits out of range before asking', async () => {
    const c = client();
    await expect(c.activity({ user: ALICE, offset: 5_001 })).rejects.toThrow(RangeError);
    await expect(c.activityV2({ user: ALICE, limit: 1_001 })).rejects.toThrow(RangeError);
    await expect(c.activity({ user: ALICE, startSec: 1.5 })).rejects.toThrow(RangeError);
  });

  it('waits on the shared limiter before every attempt', async () => {
    let acquired = 0;
    const limiter = { acquire: async () => void acquired++ } as unknown as DataApiClientOptions['limiter'];
    const c = client({ ...(limiter ? { limiter } : {}) });
    await sim.fault('http', { service: 'data', status: 429, count: 1 });
    await c.activity({ user: ALICE, limit: 1 });
    expect(acquired).toBe(2);
  });
});

describe('activity client against bad answers', () => {
  let server: Server;
  let baseUrl: string;
  let handler: RequestListener = (_req, res) => res.end('[]');

  beforeAll(async () => {
    server = createServer((req, res) => handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const json =
    (status: number, body: unknown): RequestListener =>
    (_req, res) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
  const good = (size: number) => ({
    proxyWallet: ALICE,
    timestamp: 1_790_000_000,
    conditionId: `0x${'1'.repeat(64)}`,
    type: 'TRADE',
    size,
    usdcSize: size / 2,
    transactionHash: `0x${'2'.repeat(64)}`,
    price: 0.5,
    asset: '123',
    side: 'BUY',
    outcomeIndex: 0,
  });

  it('skips a bad row, counting and logging it with a sample, and keeps the rest of the page', async () => {
    const { lines, logger } = memoryLogger();
    const c = createDataApiClient({ baseUrl, logger });
    handler = json(200, [
      good(1),
      { ...good(2), asset: '' },
      { ...good(3), timestamp: 1_790_000_000_000 },
      'junk',
      good(4),
    ]);
    const before = await badApiMessages();
    const page = await c.activity({ user: ALICE });
    expect(page.rows.map((r) => r.size)).toEqual([1, 4]);
    expect(page.received).toBe(5);
    expect((await badApiMessages()) - before).toBe(3);
    const warnings = lines.filter((l) => l.level === 'warn');
    expect(warnings).toHaveLength(3);
    expect(warnings[0]!.fields).toMatchObject({ source: 'api', sample: expect.stringContaining('"size":2') });
    expect(JSON.stringify(warnings[0]!.fields)).toContain('asset');
  });

  it('skips bad v2 rows the same way, and refuses a body that is not the envelope', async () => {
    const c = createDataApiClient({ baseUrl });
    const row = {
      proxy_wallet: ALICE,
      timestamp: 1_790_000_000,
      condition_id: `0x${'1'.repeat(64)}`,
      type: 'TRADE',
      size: 1,
      usdc_size: 0.5,
      transaction_hash: `0x${'2'.repeat(64)}`,
      price: 0.5,
      token_id: '123',
      side: 'BUY',
      outcome_index: 0,
    };
    const pagination = { limit: 100, offset: 0, has_more: false, next_cursor: null };
    handler = json(200, { data: [row, { ...row, side: 'HOLD' }], pagination });
    const before = await badApiMessages();
    const page = await c.activityV2({ user: ALICE });
    expect(page.rows).toHaveLength(1);
    expect(page).toMatchObject({ received: 2, hasMore: false, nextCursor: null });
    handler = json(200, { data: null, pagination });
    expect((await c.activityV2({ user: ALICE })).rows).toEqual([]);
    handler = json(200, [row]);
    await expect(c.activityV2({ user: ALICE })).rejects.toThrow(ValidationError);
    expect((await badApiMessages()) - before).toBe(2);
  });

  it('refuses a v1 body that is not an array, or not JSON, counting it', async () => {
    const c = createDataApiClient({ baseUrl });
    const before = await badApiMessages();
    handler = json(200, { error: 'surprise' });
    await expect(c.activity({ user: ALICE })).rejects.toThrow(ValidationError);
    handler = json(200, '[{"oops"');
    await expect(c.activity({ user: ALICE })).rejects.toThrow(ValidationError);
    expect((await badApiMessages()) - before).toBe(2);
  });

  it('reads an HTTP-date Retry-After', async () => {
    const base = new ManualClock(Date.UTC(2026, 10, 21, 12));
    const { clock, sleeps } = instantSleeps(base);
    const c = createDataApiClient({ baseUrl, clock, retry: { maxAttempts: 2 } });
    let calls = 0;
    handler = (_req, res) => {
      if (calls++ === 0) {
        res.writeHead(429, { 'retry-after': new Date(base.now() + 3_000).toUTCString() });
        res.end('{"error":"Too Many Requests","code":"rate_limited","retryable":true}');
      } else json(200, [good(1)])(_req, res);
    };
    expect((await c.activity({ user: ALICE })).rows).toHaveLength(1);
    expect(sleeps).toEqual([3_000]);
  });

  it('turns a connection failure into a NetworkError and a hang into a TimeoutError', async () => {
    const refused = createDataApiClient({ baseUrl: 'http://127.0.0.1:1', retry: { maxAttempts: 1 } });
    await expect(refused.activity({ user: ALICE })).rejects.toBeInstanceOf(NetworkError);
    handler = () => {};
    const slow = createDataApiClient({ baseUrl, timeoutMs: 50, retry: { maxAttempts: 1 } });
    await expect(slow.activity({ user: ALICE })).rejects.toBeInstanceOf(TimeoutError);
  });

  it('passes the caller abort through, without retrying', async () => {
    handler = () => {};
    const counted = countingFetch();
    const c = createDataApiClient({ baseUrl, fetch: counted.fetch });
    const controller = new AbortController();
    const p = c.activity({ user: ALICE }, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stopping')), 20);
    await expect(p).rejects.toThrow('stopping');
    expect(counted.calls).toHaveLength(1);
  });
});
