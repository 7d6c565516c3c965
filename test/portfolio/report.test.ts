import type { Insertable } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.ts';
import type { Price } from '../../src/core/money.ts';
import { bookMarks, bookMid } from '../../src/portfolio/book-marks.ts';
import {
  type Marks,
  pnlReport,
  positionsReport,
  previewResetPaper,
  resetPaper,
} from '../../src/portfolio/report.ts';
import { auditRepo, type Database, type Store } from '../../src/store/index.ts';
import { account, fill, followConfig, leaderTrade, market, order, position } from '../store/fixtures.ts';
import { forEachEngine, openTestStore, type TestStore } from '../support/engines.ts';
import { p, u } from './helpers.ts';

// Tuesday 2025-10-14 15:00 UTC; the day started at 00:00.
const NOW = Date.UTC(2025, 9, 14, 15);
const DAY_START = Date.UTC(2025, 9, 14);

/** Fixed marks that remember what they were asked. */
function fakeMarks(prices: Record<string, Price | null>): Marks & { calls: string[][] } {
  const calls: string[][] = [];
  const marks = async (tokenIds: readonly string[]) => {
    calls.push([...tokenIds]);
    return new Map(Object.entries(prices).filter(([t]) => tokenIds.includes(t)));
  };
  return Object.assign(marks, { calls });
}

async function insert<T extends keyof Database>(store: Store, table: T, row: Insertable<Database[T]>) {
  // biome-ignore lint/suspicious/noExplicitAny: a generic insert over any table for test seeding
  const r = await (store.db.insertInto(table) as any).values(row).returning('id').executeTakeFirst();
  return (r?.id ?? 0) as number;
}

interface Seeded {
  paper: number;
  other: number;
  live: number;
}

/**
 * "paper": five positions in every state, three fills (two today), an order per fill, a copy
 * decision and a guardrail event. "other": a paper account holding one of the same tokens, with
 * rows of every kind too, so a reset of "paper" can be seen to leave them. "live": a live account.
 */
async function seed(store: Store): Promise<Seeded> {
  const { db } = store;
  await db
    .insertInto('markets')
    .values([
      market({ condition_id: '0xrain', question: 'Will it rain in Paris tomorrow?' }),
      market({ condition_id: '0xbtc', question: 'Will BTC close above $100k on Friday?' }),
    ])
    .execute();
  const token = (token_id: string, condition_id: string, outcome: string, outcome_index: number) => ({
    token_id,
    condition_id,
    outcome,
    outcome_index,
    updated_at: NOW,
  });
  await db
    .insertInto('tokens')
    .values([
      token('rain-yes', '0xrain', 'Yes', 0),
      token('rain-no', '0xrain', 'No', 1),
      token('btc-yes', '0xbtc', 'Yes', 0),
      token('btc-no', '0xbtc', 'No', 1),
    ])
    .execute();

  const paper = await insert(
    store,
    'accounts',
    account({ name: 'paper', mode: 'paper', cash: u('900'), starting_cash: u('1000') }),
  );
  const other = await insert(
    store,
    'accounts',
    account({ name: 'other', mode: 'paper', cash: u('96'), starting_cash: u('100') }),
  );
  const live = await insert(
    store,
    'accounts',
    account({ name: 'live', mode: 'live', cash: u('50'), starting_cash: u('50') }),
  );

  // One row at a time: a multi-row insert would write NULL for a column one row leaves to its default.
  for (const row of [
    // Open, marked at 0.55: worth 55 against a cost of 40.
    position(paper, { token_id: 'rain-yes', shares: u('100'), cost: u('40') }),
    // Open, no mark.
    position(paper, { token_id: 'rain-no', shares: u('10'), cost: u('5.1') }),
    // Sold out at a profit; the catalog never stored its market.
    position(paper, { token_id: 'closed-token', shares: 0, cost: 0, realized_pnl: u('5') }),
    // Resolved, won, not redeemed (a live-style claim): realized 35, claim 50.
    position(paper, {
      token_id: 'btc-yes',
      shares: u('50'),
      cost: u('50'),
      realized_pnl: u('35'),
      resolved_at: NOW - 1000,
      resolved_payout: 1_000_000,
    }),
    // Resolved, lost, redeemed.
    position(paper, {
      token_id: 'btc-no',
      shares: 0,
      cost: 0,
      realized_pnl: u('-20'),
      resolved_at: NOW - 1000,
      resolved_payout: 0,
      redeemed_at: NOW - 1000,
    }),
    position(other, { token_id: 'rain-yes', shares: u('10'), cost: u('4') }),
  ])
    await db.insertInto('positions').values(row).execute();

  const follow = await insert(store, 'follow_configs', followConfig(paper));
  const otherFollow = await insert(store, 'follow_configs', followConfig(other));
  const trade = await insert(store, 'leader_trades', leaderTrade());
  const fills: [number, number, number, number][] = [
    // account, fee, realized, filled_at
    [paper, u('0.1'), 0, NOW - 2 * 86_400_000],
    [paper, u('0.2'), u('3'), DAY_START],
    [paper, 0, u('-1.25'), NOW],
    [other, u('0.05'), u('7'), NOW],
  ];
  for (const [accountId, fee, realized, at] of fills) {
    const orderId = await insert(store, 'orders', order(accountId, { token_id: 'rain-yes' }));
    await insert(
      store,
      'fills',
      fill(orderId, accountId, { token_id: 'rain-yes', fee, realized_pnl: realized, filled_at: at }),
    );
  }
  const anOrder = async (accountId: number) =>
    (await db.selectFrom('orders').select('id').where('account_id', '=', accountId).executeTakeFirstOrThrow())
      .id;
  for (const row of [
    {
      follow_config_id: follow,
      leader_trade_id: trade,
      account_id: paper,
      decision: 'copy',
      order_id: await anOrder(paper),
      created_at: NOW,
    },
    {
      follow_config_id: otherFollow,
      leader_trade_id: trade,
      account_id: other,
      decision: 'skip',
      reason_code: 'BELOW_MIN',
      order_id: null,
      created_at: NOW,
    },
  ] as const)
    await db.insertInto('copy_decisions').values(row).execute();
  for (const account_id of [paper, other, null]) {
    await db
      .insertInto('guardrail_events')
      .values({ created_at: NOW, reason_code: 'MAX_EXPOSURE', account_id })
      .execute();
  }
  return { paper, other, live };
}

forEachEngine('portfolio report', (engine) => {
  let t: TestStore;
  let ids: Seeded;
  beforeEach(async () => {
    t = await openTestStore(engine);
    ids = await seed(t.store);
  });
  afterEach(async () => {
    await t.dispose();
  });

  const marks = () => fakeMarks({ 'rain-yes': p('0.55'), 'btc-yes': p('0.2') });

  it('lists what is held with marks, value and PnL; closed and redeemed only with includeClosed', async () => {
    const m = marks();
    const report = await positionsReport(t.store, { account: 'paper', marks: m });
    // Only open tokens are priced, each once; a resolved token has nothing to mark.
    expect(m.calls).toEqual([['rain-yes', 'rain-no']]);
    expect(report.accounts).toEqual([{ id: ids.paper, name: 'paper', mode: 'paper' }]);
    const common = { account: 'paper', accountId: ids.paper, mode: 'paper', updatedAt: 1_760_000_000_000 };
    expect(report.positions).toEqual([
      {
        ...common,
        tokenId: 'rain-yes',
        conditionId: '0xrain',
        question: 'Will it rain in Paris tomorrow?',
        outcome: 'Yes',
        status: 'open',
        result: null,
        shares: u('100'),
        avgCost: p('0.4'),
        cost: u('40'),
        mark: p('0.55'),
        marketValue: u('55'),
        unrealized: u('15'),
        realized: 0,
        resolvedPayout: null,
        resolvedAt: null,
        redeemedAt: null,
      },
      {
        ...common,
        tokenId: 'rain-no',
        conditionId: '0xrain',
        question: 'Will it rain in Paris tomorrow?',
        outcome: 'No',
        status: 'open',
        result: null,
        shares: u('10'),
        avgCost: p('0.51'),
        cost: u('5.1'),
        mark: null,
        marketValue: null,
        unrealized: null,
        realized: 0,
        resolvedPayout: null,
        resolvedAt: null,
        redeemedAt: null,
      },
      {
        ...common,
        tokenId: 'btc-yes',
        conditionId: '0xbtc',
        question: 'Will BTC close above $100k on Friday?',
        outcome: 'Yes',
        status: 'resolved',
        result: 'won',
        shares: u('50'),
        avgCost: null,
        cost: u('50'),
        mark: null,
        marketValue: u('50'),
        unrealized: 0,
        realized: u('35'),
        resolvedPayout: 1_000_000,
        resolvedAt: NOW - 1000,
        redeemedAt: null,
      },
    ]);

    const all = await positionsReport(t.store, { account: 'paper', marks: marks(), includeClosed: true });
    expect(all.positions.map((x) => [x.tokenId, x.status, x.result])).toEqual([
      ['rain-yes', 'open', null],
      ['rain-no', 'open', null],
      ['btc-yes', 'resolved', 'won'],
      ['closed-token', 'closed', null],
      ['btc-no', 'redeemed', 'lost'],
    ]);
    expect(all.positions.find((x) => x.tokenId === 'closed-token')).toMatchObject({
      question: null,
      outcome: null,
      conditionId: null,
      marketValue: 0,
      unrealized: 0,
      realized: u('5'),
    });
    expect(all.positions.find((x) => x.tokenId === 'btc-no')).toMatchObject({
      shares: 0,
      marketValue: 0,
      unrealized: 0,
      realized: u('-20'),
      redeemedAt: NOW - 1000,
    });
  });

  it('covers every account when none is named, and asks for each token once', async () => {
    const m = marks();
    const report = await positionsReport(t.store, { marks: m });
    expect(m.calls).toEqual([['rain-yes', 'rain-no']]);
    expect(report.accounts.map((a) => [a.name, a.mode])).toEqual([
      ['paper', 'paper'],
      ['other', 'paper'],
      ['live', 'live'],
    ]);
    expect(report.positions.map((x) => [x.account, x.tokenId])).toEqual([
      ['paper', 'rain-yes'],
      ['paper', 'rain-no'],
      ['paper', 'btc-yes'],
      ['other', 'rain-yes'],
    ]);
    expect(report.positions[3]).toMatchObject({ marketValue: u('5.5'), unrealized: u('1.5') });
  });

  it('totals each account exactly', async () => {
    const report = await pnlReport(t.store, { marks: marks(), now: NOW });
    expect(report.at).toBe(NOW);
    expect(report.dayStart).toBe(DAY_START);
    const [paper, other, live] = report.accounts;
    expect(paper).toEqual({
      id: ids.paper,
      name: 'paper',
      mode: 'paper',
      cash: u('900'),
      startingCash: u('1000'),
      realized: u('20'), // 5 + 35 - 20
      unrealized: u('15'), // rain-yes only; rain-no is unpriced
      equity: u('1010.1'), // 900 + 55 + 5.1 at cost + 50 claim
      total: u('10.1'),
      exposure: u('45.1'),
      redeemable: u('50'),
      openPositions: 2,
      unpriced: ['rain-no'],
      feesPaid: u('0.3'),
      fills: 3,
      realizedToday: u('1.75'), // 3 at midnight, -1.25 now; two days ago is not today
    });
    expect(other).toMatchObject({
      realized: 0,
      unrealized: u('1.5'),
      equity: u('101.5'),
      total: u('1.5'),
      fills: 1,
      feesPaid: u('0.05'),
      realizedToday: u('7'),
      unpriced: [],
    });
    expect(live).toMatchObject({
      mode: 'live',
      cash: u('50'),
      equity: u('50'),
      total: 0,
      fills: 0,
      feesPaid: 0,
      realizedToday: 0,
      openPositions: 0,
    });
    const only = await pnlReport(t.store, { account: 'other', marks: marks(), now: NOW });
    expect(only.accounts).toEqual([other]);
  });

  it('names the known accounts when asked for an unknown one', async () => {
    const r = pnlReport(t.store, { account: 'nope', marks: marks() });
    await expect(r).rejects.toThrow(ValidationError);
    await expect(r).rejects.toThrow('no account named "nope" (accounts: paper, other, live)');
    await expect(positionsReport(t.store, { account: 'nope', marks: marks() })).rejects.toThrow(
      'no account named "nope"',
    );
  });

  it('resets a paper account: removes exactly its rows, restores its cash, audits', async () => {
    const count = async () => {
      const n = async (table: 'fills' | 'orders' | 'copy_decisions' | 'guardrail_events' | 'positions') =>
        (await t.store.db.selectFrom(table).select(['id']).execute()).length;
      return {
        fills: await n('fills'),
        orders: await n('orders'),
        copyDecisions: await n('copy_decisions'),
        guardrailEvents: await n('guardrail_events'),
        positions: await n('positions'),
      };
    };
    const before = await count();
    const expected = { fills: 3, orders: 3, copyDecisions: 1, guardrailEvents: 1, positions: 5 };
    const preview = await previewResetPaper(t.store, { startingCashUsdc: u('2500') });
    expect(preview).toEqual({
      account: 'paper',
      accountId: ids.paper,
      cashBefore: u('900'),
      cash: u('2500'),
      removed: expected,
    });
    expect(await count()).toEqual(before);

    const r = await resetPaper(t.store, { startingCashUsdc: u('2500'), now: NOW, actor: 'cli' });
    expect(r).toEqual(preview);
    const after = await count();
    for (const k of Object.keys(expected) as (keyof typeof expected)[]) {
      expect(after[k], k).toBe(before[k] - expected[k]);
    }
    const { db } = t.store;
    for (const table of ['fills', 'orders', 'copy_decisions', 'guardrail_events', 'positions'] as const) {
      const left = await db
        .selectFrom(table)
        .select('account_id')
        .where('account_id', '=', ids.paper)
        .execute();
      expect(left, table).toEqual([]);
    }
    // The unattributed guardrail event and the other accounts' rows stay.
    expect(
      await db.selectFrom('guardrail_events').select('reason_code').where('account_id', 'is', null).execute(),
    ).toHaveLength(1);
    const accounts = await db
      .selectFrom('accounts')
      .select(['name', 'cash', 'starting_cash', 'updated_at'])
      .orderBy('id')
      .execute();
    expect(accounts).toEqual([
      { name: 'paper', cash: u('2500'), starting_cash: u('2500'), updated_at: NOW },
      { name: 'other', cash: u('96'), starting_cash: u('100'), updated_at: 1_760_000_000_000 },
      { name: 'live', cash: u('50'), starting_cash: u('50'), updated_at: 1_760_000_000_000 },
    ]);
    // Follows stay: the account goes on copying from a clean ledger.
    expect(await db.selectFrom('follow_configs').select('id').execute()).toHaveLength(2);
    const [entry] = await auditRepo(db).tail(1);
    expect(entry).toMatchObject({
      at: NOW,
      actor: 'cli',
      action: 'paper.reset',
      subject: 'account:paper',
      details: { cashBefore: u('900'), startingCashBefore: u('1000'), cash: u('2500'), removed: expected },
    });

    const fresh = await pnlReport(t.store, { account: 'paper', marks: marks(), now: NOW });
    expect(fresh.accounts[0]).toMatchObject({ equity: u('2500'), total: 0, realized: 0, fills: 0 });
  });

  it('refuses a live account and an unknown one, changing nothing', async () => {
    const snapshot = async () => ({
      positions: await t.store.db.selectFrom('positions').selectAll().orderBy('id').execute(),
      accounts: await t.store.db.selectFrom('accounts').selectAll().orderBy('id').execute(),
      audit: await t.store.db.selectFrom('audit_log').selectAll().execute(),
    });
    const before = await snapshot();
    const options = { startingCashUsdc: u('10'), now: NOW, actor: 'cli' };
    await expect(resetPaper(t.store, { ...options, account: 'live' })).rejects.toThrow(
      'account "live" is a live account: only paper accounts can be reset',
    );
    await expect(previewResetPaper(t.store, { ...options, account: 'live' })).rejects.toThrow('live account');
    await expect(resetPaper(t.store, { ...options, account: 'ghost' })).rejects.toThrow(
      'no account named "ghost"',
    );
    await expect(resetPaper(t.store, { ...options, startingCashUsdc: -1 })).rejects.toThrow('starting cash');
    expect(await snapshot()).toEqual(before);
  });
});

forEachEngine('portfolio report on an empty store', (engine) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore(engine);
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('reports nothing and asks for no marks', async () => {
    const m = fakeMarks({});
    expect(await positionsReport(t.store, { marks: m })).toEqual({ accounts: [], positions: [] });
    expect(await pnlReport(t.store, { marks: m, now: NOW })).toEqual({
      at: NOW,
      dayStart: DAY_START,
      accounts: [],
    });
    expect(m.calls).toEqual([]);
    await expect(resetPaper(t.store, { startingCashUsdc: 0, now: NOW, actor: 'cli' })).rejects.toThrow(
      'no account named "paper" (there are no accounts yet)',
    );
  });
});

describe('bookMarks', () => {
  const level = (price: string, size: string) => ({ price, size });

  it('takes the mid of the best bid and ask, rounding half to even; no mid without both sides', () => {
    expect(bookMid([level('0.4', '10'), level('0.42', '5')], [level('0.6', '1'), level('0.55', '3')])).toBe(
      p('0.485'),
    );
    expect(bookMid([level('0.01', '1')], [level('0.02', '1')])).toBe(15_000);
    expect(bookMid([level('0.333333', '1')], [level('0.333334', '1')])).toBe(333_334);
    expect(bookMid([], [level('0.5', '1')])).toBeNull();
    expect(bookMid([level('0.5', '1')], [])).toBeNull();
    // A level of size 0 is no level.
    expect(bookMid([level('0.5', '0')], [level('0.6', '1')])).toBeNull();
    // Crossed or malformed books have no honest mid.
    expect(bookMid([level('0.6', '1')], [level('0.5', '1')])).toBeNull();
    expect(bookMid([level('0.5', '1'), level('0.5', '2')], [level('0.6', '1')])).toBeNull();
    expect(bookMid([level('0.5000001', '1')], [level('0.6', '1')])).toBeNull();
  });

  it('reads the books concurrently up to the limit and leaves unreadable ones unpriced', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const asked: string[] = [];
    const fakeFetch = (async (input: string | URL | Request) => {
      const tokenId = new URL(String(input)).searchParams.get('token_id')!;
      asked.push(tokenId);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      if (tokenId === '500') return new Response('oops', { status: 500 });
      if (tokenId === '404') return new Response('{"error":"not found"}', { status: 404 });
      if (tokenId === '666') return new Response('not json', { status: 200 });
      const body = {
        market: '0xabc',
        asset_id: tokenId,
        timestamp: '1760000000000',
        hash: 'ab12',
        bids: tokenId === '2' ? [] : [level('0.4', '10')],
        asks: [level('0.5', '10')],
        min_order_size: '5',
        tick_size: '0.01',
        neg_risk: false,
        last_trade_price: '',
      };
      return new Response(JSON.stringify(body), { status: 200 });
    }) as typeof fetch;
    const tokens = ['1', '2', '500', '404', '666', '7', '8', '9', '10', '11', '12', '1'];
    const marks = await bookMarks('http://clob.test/', { concurrency: 3, fetch: fakeFetch })(tokens);
    expect(maxInFlight).toBe(3);
    expect(asked.sort()).toEqual(['1', '10', '11', '12', '2', '404', '500', '666', '7', '8', '9']);
    expect(Object.fromEntries(marks)).toEqual({
      '1': p('0.45'),
      '2': null,
      '500': null,
      '404': null,
      '666': null,
      '7': p('0.45'),
      '8': p('0.45'),
      '9': p('0.45'),
      '10': p('0.45'),
      '11': p('0.45'),
      '12': p('0.45'),
    });
  });

  it('gives up on a book that does not answer in time', async () => {
    const hanging = ((_: unknown, init?: RequestInit) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      })) as typeof fetch;
    const started = Date.now();
    const marks = await bookMarks('http://clob.test', { timeoutMs: 50, fetch: hanging })(['1', '2']);
    expect(Object.fromEntries(marks)).toEqual({ '1': null, '2': null });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('gives nothing to an empty request and nothing made up for a dead venue', async () => {
    expect((await bookMarks('http://127.0.0.1:9')([])).size).toBe(0);
    const marks = await bookMarks('http://127.0.0.1:9', { timeoutMs: 1000 })(['123']);
    expect(marks.get('123')).toBeNull();
  });
});
