import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MICRO, type Micro, mulDiv, type Shares, tickSize, type Usdc } from '../../../src/core/index.ts';
import {
  bookHash,
  type EngineEvent,
  MatchingEngine,
  type OrderRequest,
  type OrderType,
  type Side,
  seededIds,
} from '../../../src/sim/engine/index.ts';
import { ALICE, BOB, CAROL, CONDITION, m, NO, T0, violations, YES } from './helpers.ts';

const TRADERS = [ALICE, BOB, CAROL] as const;
const TOKENS = [YES, NO] as const;

type Command =
  | {
      kind: 'submit';
      trader: number;
      token: number;
      side: Side;
      type: OrderType;
      /** Price in 0.001 steps, 1..999. */
      milli: number;
      /** Shares (limit orders, SELLs) in 0.01 steps, or a market BUY's dollars in cents. */
      hundredths: number;
      postOnly: boolean;
      lifeSeconds: number;
    }
  | { kind: 'cancel'; pick: number }
  | { kind: 'advance'; ms: number }
  | { kind: 'split'; trader: number; hundredths: number }
  | { kind: 'merge'; trader: number; hundredths: number }
  | { kind: 'tick'; fine: boolean };

const submit = fc.record({
  kind: fc.constant('submit' as const),
  trader: fc.integer({ min: 0, max: 2 }),
  token: fc.integer({ min: 0, max: 1 }),
  side: fc.constantFrom<Side>('BUY', 'SELL'),
  type: fc.constantFrom<OrderType>('GTC', 'GTC', 'GTD', 'FOK', 'FAK'),
  // Mostly whole cents so orders land on the 0.01 grid; sometimes a 0.001 price.
  milli: fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 40, max: 60 }).map((c) => c * 10) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 99 }).map((c) => c * 10) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 999 }) },
  ),
  hundredths: fc.integer({ min: 100, max: 4000 }),
  postOnly: fc.boolean(),
  lifeSeconds: fc.integer({ min: 50, max: 600 }),
});

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 12, arbitrary: submit },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 200_000 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('split' as const),
      trader: fc.integer({ min: 0, max: 2 }),
      hundredths: fc.integer({ min: 1, max: 2000 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('merge' as const),
      trader: fc.integer({ min: 0, max: 2 }),
      hundredths: fc.integer({ min: 1, max: 2000 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('tick' as const), fine: fc.boolean() }) },
);

const commands = fc.array(command, { minLength: 1, maxLength: 60 });

function newEngine(
  seed: number,
  events: EngineEvent[],
  clock: { now: number },
  feeRate: number,
): MatchingEngine {
  const engine = new MatchingEngine({
    now: () => clock.now,
    newId: seededIds(seed),
    onEvents: (batch) => events.push(...batch),
  });
  engine.registerMarket({
    conditionId: CONDITION,
    yesTokenId: YES,
    noTokenId: NO,
    tickSize: tickSize(10_000),
    minOrderSize: m('1') as Shares,
    feeRate: feeRate as Micro,
  });
  for (const t of TRADERS) {
    engine.deposit(t, m('500') as Usdc);
    engine.split(t, CONDITION, m('100') as Shares);
  }
  return engine;
}

let orderCounter = 0;

function orderFor(c: Extract<Command, { kind: 'submit' }>, now: number): OrderRequest {
  const p = c.milli * 1000;
  const limitOrder = c.type === 'GTC' || c.type === 'GTD';
  let makerAmount: number;
  let takerAmount: number;
  if (limitOrder || c.side === 'SELL') {
    const shares = c.hundredths * 10_000;
    const cash = mulDiv(shares, p, MICRO, limitOrder ? 'floor' : 'ceil');
    // Market SELLs ask at most 4 decimals of pUSD, rounded up so the price is no better than p.
    const cashQuantized = limitOrder ? cash : Math.ceil(cash / 100) * 100;
    [makerAmount, takerAmount] = c.side === 'BUY' ? [cash, shares] : [shares, cashQuantized];
  } else {
    makerAmount = c.hundredths * 10_000; // dollars in cents
    takerAmount = Math.floor(mulDiv(makerAmount, MICRO, p, 'floor') / 100) * 100;
  }
  return {
    id: `0x${(++orderCounter).toString(16).padStart(64, '0')}`,
    owner: `key-${c.trader}`,
    maker: TRADERS[c.trader]!,
    tokenId: TOKENS[c.token]!,
    side: c.side,
    makerAmount: makerAmount as Micro,
    takerAmount: Math.max(takerAmount, 1) as Micro,
    orderType: c.type,
    expiration: c.type === 'GTD' ? Math.floor(now / 1000) + c.lifeSeconds : 0,
    postOnly: c.postOnly && limitOrder,
  };
}

/** Everyone's holdings, for all-or-nothing checks. */
function holdingsOf(engine: MatchingEngine) {
  return TRADERS.map((t) => [engine.balance(t), engine.position(t, YES), engine.position(t, NO)]);
}

type StateBefore = [ReturnType<typeof holdingsOf>, ReturnType<MatchingEngine['bookFor']>];

/** What open orders must be holding back, per address: pUSD, YES, NO. */
function expectedReservations(engine: MatchingEngine): Map<string, [number, number, number]> {
  const out = new Map<string, [number, number, number]>();
  for (const t of TRADERS) out.set(t, [0, 0, 0]);
  for (const o of engine.openOrders()) {
    const r = out.get(o.maker)!;
    const left = o.originalSize - o.sizeMatched;
    if (o.side === 'BUY') r[0] += mulDiv(left, o.price, MICRO, 'ceil');
    else r[o.tokenId === YES ? 1 : 2] += left;
  }
  return out;
}

function checkInvariants(engine: MatchingEngine): void {
  expect(violations(engine)).toEqual([]);
  const expected = expectedReservations(engine);
  for (const t of TRADERS) {
    const actual = [
      engine.balance(t).reserved,
      engine.position(t, YES).reserved,
      engine.position(t, NO).reserved,
    ];
    expect(actual).toEqual(expected.get(t));
  }
  // Levels aggregate exactly the open orders resting at them.
  const sums = new Map<string, number>();
  for (const o of engine.openOrders({ market: CONDITION })) {
    if (o.status !== 'LIVE') continue;
    const yesSide = (o.side === 'BUY') === (o.tokenId === YES) ? 'bid' : 'ask';
    const yesPrice = o.tokenId === YES ? o.price : MICRO - o.price;
    const key = `${yesSide}:${yesPrice}`;
    sums.set(key, (sums.get(key) ?? 0) + o.originalSize - o.sizeMatched);
  }
  const levels = engine.levelsFor(YES)!;
  const shown = new Map<string, number>();
  for (const l of levels.bids) shown.set(`bid:${l.price}`, l.size);
  for (const l of levels.asks) shown.set(`ask:${l.price}`, l.size);
  expect(shown).toEqual(sums);
  // Best last on both sides, no empty levels.
  for (const side of [levels.bids, levels.asks]) for (const l of side) expect(l.size).toBeGreaterThan(0);
  expect(levels.bids.map((l) => l.price)).toEqual([...levels.bids.map((l) => l.price)].sort((a, b) => a - b));
  expect(levels.asks.map((l) => l.price)).toEqual([...levels.asks.map((l) => l.price)].sort((a, b) => b - a));
  // The incrementally built hash is SHA-1 of exactly JSON.stringify(the /book reply).
  for (const token of TOKENS) {
    const book = engine.bookFor(token)!;
    expect(book.hash).toBe(bookHash(book));
  }
}

/** Runs commands against a fresh engine, checking after every step; returns the event stream. */
function run(cmds: readonly Command[], seed: number, feeRate: number, check: boolean): EngineEvent[] {
  const events: EngineEvent[] = [];
  const clock = { now: T0 };
  const engine = newEngine(seed, events, clock, feeRate);
  for (const c of cmds) {
    switch (c.kind) {
      case 'submit': {
        const before: StateBefore | null =
          check && c.type === 'FOK' ? [holdingsOf(engine), engine.bookFor(YES)] : null;
        const r = engine.submit(orderFor(c, clock.now));
        if (before !== null) checkFok(engine, r, before);
        break;
      }
      case 'cancel': {
        const open = engine.openOrders();
        if (open.length > 0) engine.cancel([open[c.pick % open.length]!.id]);
        break;
      }
      case 'advance':
        clock.now += c.ms;
        engine.expire();
        break;
      case 'split':
      case 'merge': {
        const who = TRADERS[c.trader]!;
        const amount = c.hundredths * 10_000;
        const enough =
          c.kind === 'split'
            ? engine.balance(who).available >= amount
            : Math.min(engine.position(who, YES).available, engine.position(who, NO).available) >= amount;
        if (enough) engine[c.kind](who, CONDITION, amount as Shares);
        break;
      }
      case 'tick':
        engine.setTickSize(CONDITION, tickSize(c.fine ? 1_000 : 10_000));
        break;
    }
    if (check) checkInvariants(engine);
  }
  return events;
}

function checkFok(
  engine: MatchingEngine,
  r: ReturnType<MatchingEngine['submit']>,
  before: StateBefore,
): void {
  if (!r.success) {
    // Killed (or refused): nothing moved at all.
    expect([holdingsOf(engine), engine.bookFor(YES)]).toEqual(before);
    return;
  }
  const o = engine.order(r.orderId)!;
  expect(o.status).toBe('MATCHED');
  if (o.sizeUnit === 'shares') {
    expect(o.sizeMatched).toBe(o.originalSize);
  } else {
    // What is left of a pUSD budget cannot buy one grid quantum (1 / tick: 0.0001 share on a cent
    // market, 0.001 on a 0.001 market) even at the limit.
    const gridQuantum = MICRO / engine.market(CONDITION)!.tickSize;
    expect(mulDiv(o.originalSize - o.sizeMatched, MICRO, o.price, 'floor')).toBeLessThan(gridQuantum);
  }
}

describe('engine properties over random operation sequences', () => {
  it('conserve pUSD, keep YES and NO supply equal, never go negative, never over-reserve, never cross the book', () => {
    fc.assert(
      fc.property(commands, fc.constantFrom(0, 20_000, 70_000), (cmds, feeRate) => {
        run(cmds, 7, feeRate, true);
      }),
      { numRuns: 300 },
    );
  });

  it('FOK orders fill entirely or change nothing (checked inside every run)', () => {
    const fokHeavy = fc.array(
      fc.oneof(
        { weight: 3, arbitrary: submit.map((s) => ({ ...s, type: 'FOK' as const })) },
        { weight: 3, arbitrary: submit.map((s) => ({ ...s, type: 'GTC' as const, postOnly: false })) },
      ),
      { minLength: 1, maxLength: 40 },
    );
    fc.assert(
      fc.property(fokHeavy, (cmds) => {
        run(cmds, 3, 50_000, true);
      }),
      { numRuns: 150 },
    );
  });

  it('are deterministic: the same commands and seed give the same events, ids and hashes', () => {
    fc.assert(
      fc.property(commands, fc.integer({ min: 0, max: 1000 }), (cmds, seed) => {
        orderCounter = 0;
        const first = run(cmds, seed, 30_000, false);
        orderCounter = 0;
        const second = run(cmds, seed, 30_000, false);
        expect(second).toEqual(first);
      }),
      { numRuns: 60 },
    );
  });

  it('different seeds give different trade ids for the same trades', () => {
    const cmds: Command[] = [
      {
        kind: 'submit',
        trader: 0,
        token: 0,
        side: 'SELL',
        type: 'GTC',
        milli: 500,
        hundredths: 1000,
        postOnly: false,
        lifeSeconds: 0,
      },
      {
        kind: 'submit',
        trader: 1,
        token: 0,
        side: 'BUY',
        type: 'GTC',
        milli: 500,
        hundredths: 1000,
        postOnly: false,
        lifeSeconds: 0,
      },
    ];
    const ids = (seed: number) =>
      run(cmds, seed, 0, false)
        .filter((e) => e.type === 'trade')
        .map((e) => (e.type === 'trade' ? e.trade.id : ''));
    expect(ids(1)).toHaveLength(1);
    expect(ids(1)).toEqual(ids(1));
    expect(ids(1)).not.toEqual(ids(2));
    expect(ids(1)[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
