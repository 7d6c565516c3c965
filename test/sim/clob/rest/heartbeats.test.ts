/**
 * Order heartbeats: the monitor's rules on a manual clock, then the official client's
 * `postHeartbeat` against the server: a key that starts heartbeats and stops loses its open
 * orders when the timeout passes; a key that never started keeps them.
 */
import { type ApiKeyCreds, ClobClient, Side } from '@polymarket/clob-client-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../src/core/clock.ts';
import { usdc } from '../../../../src/core/money.ts';
import { HeartbeatMonitor } from '../../../../src/sim/clob/rest/heartbeats.ts';
import { REST_ERROR } from '../../../../src/sim/clob/rest/index.ts';
import { type TestWallet, testWallet } from '../../../polymarket/clob/official-client.ts';
import { type Harness, startHarness } from './harness.ts';

function monitor(clock: ManualClock, expired: string[]) {
  let n = 0;
  return new HeartbeatMonitor({
    timeoutMs: 10_000,
    timers: clock,
    onExpire: (key) => expired.push(key),
    newId: () => `hb-${++n}`,
  });
}

describe('HeartbeatMonitor', () => {
  it('starts on "", refreshes on its id, lapses once after the timeout', async () => {
    const clock = new ManualClock(0);
    const expired: string[] = [];
    const m = monitor(clock, expired);
    expect(m.beat('k', '')).toEqual({ ok: true, heartbeatId: 'hb-1' });
    await clock.advance(9_000);
    expect(m.beat('k', 'hb-1')).toEqual({ ok: true, heartbeatId: 'hb-1' });
    await clock.advance(9_999);
    expect(expired).toEqual([]);
    await clock.advance(1);
    expect(expired).toEqual(['k']);
    await clock.advance(60_000);
    expect(expired).toEqual(['k']);
    expect(m.active()).toEqual([]);
  });

  it('a wrong id is refused with the current one and does not push the deadline', async () => {
    const clock = new ManualClock(0);
    const expired: string[] = [];
    const m = monitor(clock, expired);
    m.beat('k', '');
    await clock.advance(6_000);
    expect(m.beat('k', 'nope')).toEqual({ ok: false, heartbeatId: 'hb-1' });
    await clock.advance(4_000);
    expect(expired).toEqual(['k']);
  });

  it('a stale id after a lapse starts a new session but says the id was not current', async () => {
    const clock = new ManualClock(0);
    const expired: string[] = [];
    const m = monitor(clock, expired);
    m.beat('k', '');
    await clock.advance(10_000);
    expect(m.beat('k', 'hb-1')).toEqual({ ok: false, heartbeatId: 'hb-2' });
    expect(m.beat('k', 'hb-2')).toEqual({ ok: true, heartbeatId: 'hb-2' });
    expect(m.beat('k', '')).toEqual({ ok: true, heartbeatId: 'hb-3' });
  });

  it('keys are independent; stop and close end sessions without expiring them', async () => {
    const clock = new ManualClock(0);
    const expired: string[] = [];
    const m = monitor(clock, expired);
    m.beat('a', '');
    m.beat('b', '');
    m.beat('c', '');
    m.stop('b');
    await clock.advance(5_000);
    m.beat('a', 'hb-1');
    await clock.advance(5_000);
    expect(expired).toEqual(['c']);
    m.close();
    await clock.advance(20_000);
    expect(expired).toEqual(['c']);
    expect(() => new HeartbeatMonitor({ timeoutMs: 0, timers: clock, onExpire: () => {} })).toThrow(
      RangeError,
    );
  });
});

describe('heartbeats through the official client', () => {
  let h: Harness;
  const clock = new ManualClock(Date.now());
  const dave = testWallet('rest heartbeat dave');
  const erin = testWallet('rest heartbeat erin');
  const creds = new Map<TestWallet, ApiKeyCreds>();
  const client = (w: TestWallet) =>
    new ClobClient({
      host: h.url,
      chain: 137,
      signer: w.signer,
      ...(creds.has(w) ? { creds: creds.get(w) } : {}),
    });

  beforeAll(async () => {
    // The venue runs on a manual clock; clients sign with the wall clock, so freshness is off.
    h = await startHarness({
      seed: 51,
      clock,
      rest: { timestampToleranceSeconds: Number.POSITIVE_INFINITY },
    });
    for (const w of [dave, erin]) {
      h.venue.engine.deposit(w.address, usdc(20_000_000));
      creds.set(w, await client(w).createApiKey());
    }
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a key that stops sending heartbeats loses its open orders after the timeout', async () => {
    const token = h.market.tokens[0].tokenId;
    const placed = await client(dave).createAndPostOrder({
      tokenID: token,
      price: 0.3,
      size: 5,
      side: Side.BUY,
    });
    const kept = await client(erin).createAndPostOrder({
      tokenID: token,
      price: 0.31,
      size: 5,
      side: Side.BUY,
    });
    expect([placed.status, kept.status]).toEqual(['live', 'live']);

    const first = await client(dave).postHeartbeat();
    expect(first).toEqual({ heartbeat_id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    await clock.advance(9_000);
    expect(await client(dave).postHeartbeat(first.heartbeat_id)).toEqual(first);
    expect(await client(dave).postHeartbeat('not-it')).toEqual({
      heartbeat_id: first.heartbeat_id,
      error: REST_ERROR.invalidHeartbeatId,
      status: 400,
    });
    await clock.advance(9_000);
    expect(await client(dave).getOpenOrders()).toHaveLength(1);
    expect(h.routes.heartbeatKeys()).toEqual([creds.get(dave)?.key]);

    await clock.advance(1_000);
    expect(await client(dave).getOpenOrders()).toEqual([]);
    expect(await client(dave).getOrder(placed.orderID)).toMatchObject({ status: 'CANCELED' });
    expect(h.routes.heartbeatKeys()).toEqual([]);
    // Erin never started heartbeats: her order stays.
    expect(await client(erin).getOpenOrders()).toEqual([expect.objectContaining({ id: kept.orderID })]);
  });
});
