/**
 * The UserSocket against the real simulator: the official clob-client-v2 places and fills orders,
 * and the socket reports them (order events; trade events through MATCHED -> MINED -> CONFIRMED as
 * the simulator's chain settles them, with our side of each trade), reconnects after the simulator
 * drops it and reports the gap, counts and skips malformed frames, and never logs the credentials.
 * The events also drive applyUserEvent, and the REST picture reconciles to the same state.
 */
import { type ApiKeyCreds, ClobClient, OrderType, Side } from '@polymarket/clob-client-v2';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { badMessagesTotal, reconnectsTotal } from '../../../src/core/metrics.ts';
import {
  applyUserEvent,
  type LocalOrder,
  reconcileOrders,
  userEventFromWire,
  venueOrderFromWire,
  venueTradeFromWire,
} from '../../../src/execution/reconcile/index.ts';
import {
  type UserOrderUpdate,
  UserSocket,
  type UserSocketGap,
  type UserSocketOptions,
  type UserTradeUpdate,
} from '../../../src/polymarket/clob/user-socket.ts';
import { type Simulator, startSimulator } from '../../../src/sim/simulator.ts';
import { captureLogs, counterValue } from '../rtds/support.ts';
import { type TestWallet, testWallet } from './official-client.ts';

const alice = testWallet('user socket alice');
const bob = testWallet('user socket bob');
const SOURCE = 'clob_user_ws';

interface Recorder {
  socket: UserSocket;
  orders: UserOrderUpdate[];
  trades: UserTradeUpdate[];
  gaps: UserSocketGap[];
}

describe('UserSocket against startSimulator()', () => {
  let sim: Simulator;
  let aliceCreds: ApiKeyCreds;
  let bobCreds: ApiKeyCreds;
  let aliceClient: ClobClient;
  let bobClient: ClobClient;
  const logs = captureLogs();
  const sockets: UserSocket[] = [];

  const client = (w: TestWallet, creds?: ApiKeyCreds) =>
    new ClobClient({
      host: sim.urls.clob,
      chain: 137,
      signer: w.signer,
      throwOnError: true,
      ...(creds ? { creds } : {}),
    });
  const market = () => sim.venue.catalog.markets.find((m) => !m.negRisk)!;
  const yes = () => market().tokens[0].tokenId;
  const control = (path: string, body: unknown) =>
    fetch(sim.urls.control + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  function open(creds: ApiKeyCreds, options: Partial<UserSocketOptions> = {}): Recorder {
    const r: Omit<Recorder, 'socket'> = { orders: [], trades: [], gaps: [] };
    const socket = new UserSocket({
      url: `${sim.urls.clobWs}/user`,
      credentials: creds,
      logger: logs.logger,
      random: () => 0.5,
      backoff: { initialMs: 300, maxMs: 300, jitter: 0 },
      badGapDelayMs: 200,
      onOrder: (u) => r.orders.push(u),
      onTrade: (u) => r.trades.push(u),
      onGap: (g) => r.gaps.push(g),
      ...options,
    });
    sockets.push(socket);
    socket.start();
    return { ...r, socket };
  }
  const subscribed = (r: Recorder) => vi.waitFor(() => expect(r.socket.health().state).toBe('open'));

  beforeAll(async () => {
    sim = await startSimulator({ seed: 45, traders: false, blockTimeMs: 200 });
    expect((await control('/_sim/fund', { address: alice.address, usdc: '100' })).status).toBe(200);
    const splits = [{ conditionId: market().conditionId, shares: '50' }];
    expect((await control('/_sim/fund', { address: bob.address, usdc: '100', splits })).status).toBe(200);
    aliceCreds = await client(alice).createOrDeriveApiKey();
    bobCreds = await client(bob).createOrDeriveApiKey();
    aliceClient = client(alice, aliceCreds);
    bobClient = client(bob, bobCreds);
  });
  // Each test's sockets go with it, so a fault in the next one reaches only its own.
  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((s) => s.stop()));
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('reports a placement, then the fill as trade events MATCHED -> MINED -> CONFIRMED, with our side', async () => {
    const a = open(aliceCreds);
    const b = open(bobCreds, { markets: [market().conditionId] });
    await Promise.all([subscribed(a), subscribed(b)]);

    const resting = await aliceClient.createAndPostOrder({
      tokenID: yes(),
      price: 0.55,
      size: 10,
      side: Side.BUY,
    });
    expect(resting).toMatchObject({ success: true, status: 'live' });
    const hash = resting.orderID as string;
    await vi.waitFor(() =>
      expect(a.orders.map((o) => o.message)).toContainEqual(
        expect.objectContaining({ type: 'PLACEMENT', id: hash, original_size: '10', size_matched: '0' }),
      ),
    );
    // bob's own orders only: alice's placement is not his to see.
    expect(b.orders).toEqual([]);

    const taking = await bobClient.createAndPostMarketOrder(
      { tokenID: yes(), amount: 10, side: Side.SELL },
      undefined,
      OrderType.FOK,
    );
    expect(taking).toMatchObject({ success: true, status: 'matched' });
    const statuses = (r: Recorder) => r.trades.map((t) => t.message.status);
    await vi.waitFor(() => expect(statuses(a)).toEqual(['MATCHED', 'MINED', 'CONFIRMED']), {
      timeout: 10_000,
    });
    await vi.waitFor(() => expect(statuses(b)).toEqual(['MATCHED', 'MINED', 'CONFIRMED']), {
      timeout: 10_000,
    });

    const [aliceTrade] = a.trades;
    expect(aliceTrade!.ours).toMatchObject({ role: 'MAKER', takerOrderId: null });
    expect(aliceTrade!.ours.makerOrders.map((m) => [m.order_id, m.matched_amount])).toEqual([[hash, '10']]);
    expect(b.trades[0]!.ours).toEqual({ role: 'TAKER', takerOrderId: taking.orderID, makerOrders: [] });
    expect(a.trades[2]!.message.transaction_hash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(a.orders.map((o) => o.message)).toContainEqual(
      expect.objectContaining({ type: 'UPDATE', id: hash, size_matched: '10' }),
    );

    // The events drive our order to FILLED with one CONFIRMED fill...
    const local: LocalOrder = {
      id: 1,
      status: 'SUBMITTED',
      orderHash: hash,
      size: 10_000_000 as never,
      orderType: 'GTC',
      createdAt: Date.now() - 120_000,
      submittedAt: Date.now() - 120_000,
      expiresAt: null,
      fills: [],
    };
    const events = [...a.orders, ...a.trades]
      .sort((x, y) => x.receivedAtMs - y.receivedAtMs)
      .map((u) => userEventFromWire(u.message));
    const bySocket = events.reduce((o, e) => applyUserEvent(o, e).order, local);
    expect(bySocket.status).toBe('FILLED');
    expect(bySocket.fills).toEqual([
      expect.objectContaining({ role: 'MAKER', size: 10_000_000, price: 550_000, status: 'CONFIRMED' }),
    ]);

    // ...and the REST picture of the same account reconciles to the same state.
    const open_ = (await aliceClient.getOpenOrders()).map((o) => venueOrderFromWire(o));
    const trades = (await aliceClient.getTrades()).map((t) => venueTradeFromWire(t));
    const [decision] = reconcileOrders([local], open_, trades, Date.now()).decisions;
    expect(decision).toMatchObject({ to: 'FILLED', resendable: false });
    expect(decision!.fills.map(({ filledAt: _, ...f }) => f)).toEqual(
      bySocket.fills.map(({ filledAt: _, ...f }) => f),
    );
  });

  it('reconnects after the simulator drops the user channel, and reports the gap an order fell into', async () => {
    // A reconnect a second away leaves time to place an order while the socket is gone.
    const a = open(aliceCreds, { backoff: { initialMs: 1_000, maxMs: 1_000, jitter: 0 } });
    await subscribed(a);
    const reconnectsBefore = await counterValue(reconnectsTotal, SOURCE);

    const dropped = (await sim.fault('clob_ws_drop', { channel: 'user' })) as { dropped: number };
    expect(dropped.dropped).toBeGreaterThanOrEqual(1);
    // Placed while the socket is away: its PLACEMENT is lost.
    const before = Date.now();
    const lost = await aliceClient.createAndPostOrder({
      tokenID: yes(),
      price: 0.2,
      size: 5,
      side: Side.BUY,
    });
    const after = Date.now();

    await vi.waitFor(() => expect(a.gaps.map((g) => g.reason)).toEqual(['reconnect']), { timeout: 5_000 });
    const [gap] = a.gaps;
    expect(gap!.fromMs).toBeLessThanOrEqual(before);
    expect(gap!.toMs).toBeGreaterThanOrEqual(after);
    expect(a.orders.map((o) => o.message.id)).not.toContain(lost.orderID);
    expect(a.socket.health()).toMatchObject({ state: 'open', reconnects: 1, gaps: 1 });
    expect(await counterValue(reconnectsTotal, SOURCE)).toBe(reconnectsBefore + 1);

    // REST fills the gap; the new subscription delivers what comes next.
    const openOrders = await aliceClient.getOpenOrders();
    expect(openOrders.map((o) => o.id)).toContain(lost.orderID);
    await aliceClient.cancelOrder({ orderID: lost.orderID });
    await vi.waitFor(() =>
      expect(a.orders.map((o) => o.message)).toContainEqual(
        expect.objectContaining({ type: 'CANCELLATION', id: lost.orderID }),
      ),
    );
  });

  it('counts and skips malformed messages, reports one gap for the burst, and carries on', async () => {
    const a = open(aliceCreds);
    await subscribed(a);
    const badBefore = await counterValue(badMessagesTotal, SOURCE);
    const result = (await sim.fault('malformed', { service: 'clob_ws', channel: 'user' })) as {
      frames: number;
    };

    await vi.waitFor(() => expect(a.socket.health().badMessages).toBe(result.frames));
    expect(await counterValue(badMessagesTotal, SOURCE)).toBeGreaterThanOrEqual(badBefore + result.frames);
    await vi.waitFor(() => expect(a.gaps.map((g) => g.reason)).toEqual(['bad_message']));
    expect(logs.messages('clob user ws: bad message skipped')[0]).toMatchObject({
      source: SOURCE,
      reason: expect.any(String),
      sample: expect.any(String),
    });

    const next = await aliceClient.createAndPostOrder({
      tokenID: yes(),
      price: 0.21,
      size: 5,
      side: Side.BUY,
    });
    await vi.waitFor(() => expect(a.orders.map((o) => o.message.id)).toContain(next.orderID));
    expect(a.socket.health()).toMatchObject({ state: 'open', reconnects: 0 });
    await aliceClient.cancelAll();
  });

  it('reports silence while data is expected, and the resumption', async () => {
    const a = open(aliceCreds, { expectsData: () => true, silenceMs: 400 });
    await subscribed(a);
    await sim.fault('clob_ws_silence', { channel: 'user' });
    try {
      await vi.waitFor(() => expect(a.gaps.map((g) => g.reason)).toContain('silence'));
      expect(a.socket.health().state).toBe('stale');
    } finally {
      await sim.fault('clob_ws_silence', { on: false, channel: 'user' });
    }
    const next = await aliceClient.createAndPostOrder({
      tokenID: yes(),
      price: 0.22,
      size: 5,
      side: Side.BUY,
    });
    await vi.waitFor(() => expect(a.orders.map((o) => o.message.id)).toContain(next.orderID));
    expect(a.gaps.map((g) => g.reason)).toContain('resumed');
    await aliceClient.cancelAll();
  });

  it('never logs the API secret or passphrase, even when refused or echoed back', async () => {
    // A refused key: the simulator drops the socket, the client keeps retrying and says why.
    const refused = open({
      ...aliceCreds,
      secret: `${aliceCreds.secret}x`,
      passphrase: `${aliceCreds.passphrase}y`,
    });
    await vi.waitFor(() =>
      expect(
        logs.messages(
          'clob user ws: closed before the subscription was answered (are the API credentials valid?)',
        ).length,
      ).toBeGreaterThan(0),
    );
    expect(refused.socket.health().state).toBe('closed');

    // A server that echoes the credentials: the bad-message sample has them scrubbed.
    const a = open(aliceCreds);
    await subscribed(a);
    const echo = JSON.stringify({
      event_type: 'error',
      auth: { apiKey: aliceCreds.key, secret: aliceCreds.secret, passphrase: aliceCreds.passphrase },
    });
    sim.clobWs.sendRaw(echo, 'user');
    await vi.waitFor(() => expect(a.socket.health().badMessages).toBe(1));

    const text = logs.lines.map((l) => JSON.stringify(l)).join('\n');
    expect(logs.lines.length).toBeGreaterThan(20);
    for (const secret of [aliceCreds.secret, aliceCreds.passphrase, bobCreds.secret, bobCreds.passphrase]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('[secret]');
  });
});
