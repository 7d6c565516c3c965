import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Store } from '../../../src/store/index.ts';
import { account, followConfig, leaderTrade, market, order } from '../../store/fixtures.ts';
import { forEachEngine } from '../../support/engines.ts';
import { api, NOW, startTestServer, type TestServer } from './support.ts';

const LEADER_A = '0x00000000000000000000000000000000000000a1';
const LEADER_B = '0x00000000000000000000000000000000000000b2';

interface Seeded {
  trades: number[];
  accountId: number;
  followId: number;
}

/**
 * Five trades (three by A, two by B), a decision on each (copy, skip, refused...), an order per
 * copy, and guardrail events of two reasons.
 */
async function seed(store: Store): Promise<Seeded> {
  const { db } = store;
  await db
    .insertInto('markets')
    .values(market({ condition_id: '0xrain', question: 'Will it rain?' }))
    .execute();
  const accountId = (
    await db
      .insertInto('accounts')
      .values(account({ name: 'paper', mode: 'paper' }))
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  const followId = (
    await db
      .insertInto('follow_configs')
      .values(followConfig(accountId, { leader_address: LEADER_A }))
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  const trades: number[] = [];
  for (const [i, leader] of [LEADER_A, LEADER_B, LEADER_A, LEADER_B, LEADER_A].entries()) {
    const row = await db
      .insertInto('leader_trades')
      .values(
        leaderTrade({
          leader_address: leader,
          condition_id: '0xrain',
          trade_at: NOW + i * 1000,
          first_source: 'rtds',
          first_seen_rtds_at: NOW + i * 1000 + 400,
          first_seen_api_at: NOW + i * 1000 + 2500,
          first_seen_chain_at: null,
        }),
      )
      .returning('id')
      .executeTakeFirstOrThrow();
    trades.push(row.id);
  }
  const decisions = [
    { decision: 'copy', reason: null },
    { decision: 'skip', reason: 'BELOW_MIN_TRADE' },
    { decision: 'refused', reason: 'SLIPPAGE' },
    { decision: 'skip', reason: 'CATCH_UP_TOO_OLD' },
    { decision: 'copy', reason: null },
  ] as const;
  for (const [i, d] of decisions.entries()) {
    let orderId: number | null = null;
    if (d.decision !== 'skip') {
      orderId = (
        await db
          .insertInto('orders')
          .values(
            order(accountId, {
              follow_config_id: followId,
              leader_trade_id: trades[i]!,
              status: d.decision === 'copy' ? 'FILLED' : 'REJECTED',
              created_at: NOW + i * 1000 + 700,
              risk_us: 120,
              execution_us: 900,
            }),
          )
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    }
    await db
      .insertInto('copy_decisions')
      .values({
        follow_config_id: followId,
        leader_trade_id: trades[i]!,
        account_id: accountId,
        decision: d.decision,
        reason_code: d.reason,
        detail: `decision ${i}`,
        numbers: JSON.stringify({ sizeUsdc: 1_000_000 * (i + 1) }),
        order_id: orderId,
        created_at: NOW + i * 1000 + 600,
      })
      .execute();
  }
  await db
    .insertInto('guardrail_events')
    .values([
      {
        created_at: NOW,
        reason_code: 'SLIPPAGE',
        account_id: accountId,
        leader_address: LEADER_A,
        token_id: '1',
        idempotency_key: 'k1',
        context: JSON.stringify({ message: 'too far', slippageBps: 420, maxSlippageBps: 300 }),
      },
      {
        created_at: NOW + 1000,
        reason_code: 'TOTAL_CAP',
        account_id: accountId,
        leader_address: LEADER_B,
        token_id: '1',
        idempotency_key: 'k2',
        context: JSON.stringify({ totalUsdc: 9_000_000 }),
      },
      {
        created_at: NOW + 2000,
        reason_code: 'SLIPPAGE',
        account_id: accountId,
        leader_address: LEADER_B,
        token_id: '1',
        idempotency_key: 'k3',
        context: '{}',
      },
    ])
    .execute();
  return { trades, accountId, followId };
}

forEachEngine('HTTP API: trades, decisions, orders, guardrails', (engine) => {
  let t: TestServer;
  let s: Seeded;
  beforeEach(async () => {
    t = await startTestServer(engine);
    s = await seed(t.store);
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('pages leader trades newest first, with each source lag', async () => {
    const first = await api(t.url, '/api/trades?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.trades.map((x: { id: number }) => x.id)).toEqual([s.trades[4], s.trades[3]]);
    expect(first.body.trades[0]).toMatchObject({
      leader: LEADER_A,
      question: 'Will it rain?',
      firstSource: 'rtds',
      firstSeenAt: NOW + 4000 + 400,
      lagMs: { rtds: 400, api: 2500, chain: null },
    });
    expect(first.body.nextBefore).toBe(s.trades[3]);
    const second = await api(t.url, `/api/trades?limit=2&before=${first.body.nextBefore}`);
    expect(second.body.trades.map((x: { id: number }) => x.id)).toEqual([s.trades[2], s.trades[1]]);
    const last = await api(t.url, `/api/trades?limit=2&before=${second.body.nextBefore}`);
    expect(last.body).toEqual({ trades: [expect.objectContaining({ id: s.trades[0] })], nextBefore: null });

    const byLeader = await api(t.url, `/api/trades?leader=${LEADER_B.toUpperCase().replace('0X', '0x')}`);
    expect(byLeader.body.trades.map((x: { leader: string }) => x.leader)).toEqual([LEADER_B, LEADER_B]);
    const since = await api(t.url, `/api/trades?since=${new Date(NOW + 3000).toISOString()}`);
    expect(since.body.trades).toHaveLength(2);
  });

  it('lists decisions with their reason codes and numbers, filterable', async () => {
    const all = await api(t.url, '/api/decisions');
    expect(all.body.decisions).toHaveLength(5);
    expect(all.body.decisions[2]).toMatchObject({
      decision: 'refused',
      reasonCode: 'SLIPPAGE',
      detail: 'decision 2',
      numbers: { sizeUsdc: 3_000_000 },
      followId: s.followId,
      account: 'paper',
      trade: { id: s.trades[2], leader: LEADER_A, side: 'BUY' },
    });
    const skips = await api(t.url, '/api/decisions?decision=skip');
    expect(skips.body.decisions.map((d: { reasonCode: string }) => d.reasonCode)).toEqual([
      'CATCH_UP_TOO_OLD',
      'BELOW_MIN_TRADE',
    ]);
    const reasons = await api(t.url, '/api/decisions?reason=SLIPPAGE,BELOW_MIN_TRADE');
    expect(reasons.body.decisions).toHaveLength(2);
    const leader = await api(t.url, `/api/decisions?leader=${LEADER_B}&decision=copy,skip`);
    expect(leader.body.decisions.map((d: { trade: { id: number } }) => d.trade.id)).toEqual([
      s.trades[3],
      s.trades[1],
    ]);
  });

  it('lists orders with stage timings and the lag behind the leader', async () => {
    const r = await api(t.url, '/api/orders?status=FILLED');
    expect(r.body.orders).toHaveLength(2);
    expect(r.body.orders[0]).toMatchObject({
      account: 'paper',
      followId: s.followId,
      status: 'FILLED',
      stagesUs: { risk: 120, execution: 900, pricing: null },
      leaderTrade: { id: s.trades[4], sinceFillMs: 700, sinceFirstSeenMs: 300 },
    });
    expect((await api(t.url, '/api/orders?status=REJECTED,FILLED&limit=1')).body.nextBefore).not.toBeNull();
    expect((await api(t.url, '/api/orders?account=nobody')).body.orders).toEqual([]);
  });

  it('lists guardrail refusals with their numbers, filterable by reason and time, with counts', async () => {
    const all = await api(t.url, '/api/guardrails');
    expect(all.body.events).toHaveLength(3);
    expect(all.body.reasons).toEqual({ SLIPPAGE: 2, TOTAL_CAP: 1 });
    expect(all.body.events[2]).toMatchObject({
      reasonCode: 'SLIPPAGE',
      at: NOW,
      account: 'paper',
      leader: LEADER_A,
      context: { message: 'too far', slippageBps: 420, maxSlippageBps: 300 },
    });
    const slippage = await api(t.url, `/api/guardrails?reason=SLIPPAGE&since=${NOW + 1}`);
    expect(slippage.body.events.map((e: { idempotencyKey: string }) => e.idempotencyKey)).toEqual(['k3']);
    expect(slippage.body.reasons).toEqual({ SLIPPAGE: 1, TOTAL_CAP: 1 });
    const until = await api(t.url, `/api/guardrails?until=${NOW + 1000}`);
    expect(until.body.events.map((e: { idempotencyKey: string }) => e.idempotencyKey)).toEqual(['k1']);
  });

  it('answers a bad query with a 400 that names every problem', async () => {
    const cases: [string, string][] = [
      ['/api/trades?limit=0', 'invalid query: limit: must be a whole number from 1 to 500'],
      ['/api/trades?limit=501', 'invalid query: limit: must be a whole number from 1 to 500'],
      [
        '/api/trades?limit=ten&before=-3',
        'invalid query: limit: must be a whole number from 1 to 500; before: must be a whole number from 1',
      ],
      ['/api/trades?limit=5&limit=6', 'invalid query: limit: must be given once'],
      ['/api/trades?colour=red', 'invalid query: unknown parameter "colour"'],
      ['/api/trades?since=yesterday', 'invalid query: since: must be epoch milliseconds or an ISO 8601 date'],
      ['/api/trades?leader=0x12', 'invalid query: leader: must be a 0x-prefixed address of 40 hex digits'],
      ['/api/decisions?decision=maybe', 'invalid query: decision: "maybe" is not among copy, skip, refused'],
      [
        '/api/guardrails?reason=SLIPPAGE,slippage',
        'invalid query: reason: "slippage" is not a reason code (such as SLIPPAGE or TRADE_CAP)',
      ],
      [
        '/api/orders?status=DONE',
        'invalid query: status: "DONE" is not among PENDING, SUBMITTED, LIVE, PARTIAL, FILLED, CANCELLED, REJECTED, FAILED, EXPIRED',
      ],
      [
        '/api/orders?account=Bad%20Name',
        'invalid query: account: must be an account name (a-z, 0-9, _ and -)',
      ],
    ];
    for (const [path, message] of cases) {
      const r = await api(t.url, path);
      expect(r.status, path).toBe(400);
      expect(r.body.error, path).toEqual({ code: 'INVALID_REQUEST', message });
    }
  });
});
