/**
 * Property tests over random ledgers. The oracle recomputes every cash leg with bigint, apart
 * from the code under test, so a rounding slip in either shows up as a mismatch.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MICRO, type Price, type Shares, type Usdc } from '../../src/core/money.ts';
import {
  applyFill,
  averageCost,
  type Fill,
  LedgerError,
  type Position,
  redeem,
  resolveAtPayout,
  summarize,
} from '../../src/portfolio/index.ts';

type Op =
  | { kind: 'buy'; token: number; shares: number; price: number; fee: number }
  | { kind: 'sell'; token: number; fraction: number; price: number; fee: number };

const TOKENS = ['t0', 't1', 't2'] as const;
const tokenArb = fc.integer({ min: 0, max: TOKENS.length - 1 });
const priceArb = fc.oneof(
  fc.integer({ min: 0, max: MICRO }),
  fc.constantFrom(0, 1, 500_000, MICRO - 1, MICRO),
);
// Up to 10_000 shares: shares x price passes 2^53, so mulDiv's bigint path is exercised too.
const sharesArb = fc.oneof(fc.integer({ min: 1, max: 10_000 * MICRO }), fc.integer({ min: 1, max: 10 }));
const feeArb = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2 * MICRO }));
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('buy' as const),
    token: tokenArb,
    shares: sharesArb,
    price: priceArb,
    fee: feeArb,
  }),
  fc.record({
    kind: fc.constant('sell' as const),
    token: tokenArb,
    // The part of the holding sold, in millionths; 1e6 sells it all.
    fraction: fc.oneof(fc.integer({ min: 1, max: MICRO }), fc.constant(MICRO)),
    price: priceArb,
    fee: feeArb,
  }),
);
const opsArb = fc.array(opArb, { maxLength: 40 });

const big = BigInt;
const M = big(MICRO);
const ceilDiv = (x: bigint, d: bigint): bigint => (x + d - 1n) / d;

/** A ledger of positions and cash that checks the per-step invariants as it goes. */
class Ledger {
  readonly positions = new Map<string, Position>();
  cash: number;
  /** Cash in minus cash out by the oracle's own arithmetic. */
  oracleCash: bigint;

  constructor(cash: number) {
    this.cash = cash;
    this.oracleCash = big(cash);
  }

  /** Turns a generated op into a fill the ledger allows; null for a sell with nothing held. */
  fillFor(op: Op): Fill | null {
    const tokenId = TOKENS[op.token]!;
    const base = { tokenId, price: op.price as Price, fee: op.fee as Usdc };
    if (op.kind === 'buy') return { ...base, side: 'BUY', shares: op.shares as Shares };
    const held = this.positions.get(tokenId)?.shares ?? 0;
    if (held === 0) return null;
    const sold = Math.max(1, Number((big(held) * big(op.fraction)) / M));
    return { ...base, side: 'SELL', shares: sold as Shares };
  }

  apply(fill: Fill): void {
    const before = this.positions.get(fill.tokenId) ?? null;
    const r = applyFill(before, fill);
    const notional = big(fill.shares) * big(fill.price);
    this.oracleCash +=
      fill.side === 'BUY' ? -(ceilDiv(notional, M) + big(fill.fee)) : notional / M - big(fill.fee);
    this.record(before, r.position, r.cashDelta, r.realizedDelta);
  }

  record(before: Position | null, after: Position, cashDelta: number, realizedDelta: number): void {
    expect(after.shares).toBeGreaterThanOrEqual(0);
    expect(after.cost).toBeGreaterThanOrEqual(0);
    if (after.shares === 0) expect(after.cost).toBe(0);
    for (const v of [after.shares, after.cost, after.realizedPnl, cashDelta, realizedDelta]) {
      expect(Number.isSafeInteger(v)).toBe(true);
    }
    // Conservation: cash + cost basis moves only by what is realized.
    expect(cashDelta + after.cost - (before?.cost ?? 0)).toBe(realizedDelta);
    expect(after.realizedPnl - (before?.realizedPnl ?? 0)).toBe(realizedDelta);
    this.cash += cashDelta;
    expect(big(this.cash)).toBe(this.oracleCash);
    this.positions.set(after.tokenId, after);
  }

  run(ops: readonly Op[]): void {
    for (const op of ops) {
      const fill = this.fillFor(op);
      if (fill !== null) this.apply(fill);
    }
  }

  totals(): { realized: number; cost: number } {
    let realized = 0;
    let cost = 0;
    for (const p of this.positions.values()) {
      realized += p.realizedPnl;
      cost += p.cost;
    }
    return { realized, cost };
  }
}

const START = 1_000_000 * MICRO;

describe('portfolio properties', () => {
  it('closing by sells: realized is exactly total proceeds minus total costs', () => {
    fc.assert(
      fc.property(opsArb, fc.array(priceArb, { minLength: 3, maxLength: 3 }), (ops, closePrices) => {
        const ledger = new Ledger(START);
        ledger.run(ops);
        for (const [i, tokenId] of TOKENS.entries()) {
          const held = ledger.positions.get(tokenId)?.shares ?? 0;
          if (held === 0) continue;
          const fill: Fill = {
            tokenId,
            side: 'SELL',
            shares: held,
            price: closePrices[i] as Price,
            fee: 0 as Usdc,
          };
          ledger.apply(fill);
        }
        for (const p of ledger.positions.values()) expect(p).toMatchObject({ shares: 0, cost: 0 });
        expect(big(ledger.totals().realized)).toBe(ledger.oracleCash - big(START));
      }),
    );
  });

  it('closing by resolution and redemption: the same, and redemption realizes nothing', () => {
    const payoutArb = fc.constantFrom(0, MICRO / 2, MICRO);
    fc.assert(
      fc.property(opsArb, fc.array(payoutArb, { minLength: 3, maxLength: 3 }), (ops, payouts) => {
        const ledger = new Ledger(START);
        ledger.run(ops);
        for (const [i, pos] of [...ledger.positions.values()].entries()) {
          const payout = payouts[i]!;
          const resolved = resolveAtPayout(pos, payout as Price);
          ledger.record(pos, resolved.position, 0, resolved.realizedDelta);
          const redeemed = redeem(resolved.position);
          ledger.oracleCash += (big(pos.shares) * big(payout)) / M;
          ledger.record(resolved.position, redeemed.position, redeemed.cashDelta, 0);
        }
        for (const p of ledger.positions.values()) expect(p).toMatchObject({ shares: 0, cost: 0 });
        expect(big(ledger.totals().realized)).toBe(ledger.oracleCash - big(START));
      }),
    );
  });

  it('cash + cost basis - realized never changes', () => {
    fc.assert(
      fc.property(opsArb, (ops) => {
        const ledger = new Ledger(START);
        ledger.run(ops);
        const { realized, cost } = ledger.totals();
        expect(ledger.cash + cost - realized).toBe(START);
      }),
    );
  });

  it('selling more than held throws and changes nothing', () => {
    fc.assert(
      fc.property(
        opsArb,
        fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 10 * MICRO })),
        tokenArb,
        (ops, extra, token) => {
          const ledger = new Ledger(START);
          ledger.run(ops);
          const tokenId = TOKENS[token]!;
          const before = ledger.positions.get(tokenId) ?? null;
          const held = before?.shares ?? 0;
          const fill: Fill = {
            tokenId,
            side: 'SELL',
            shares: (held + extra) as Shares,
            price: 500_000 as Price,
            fee: 0 as Usdc,
          };
          expect(() => applyFill(before, fill)).toThrow(LedgerError);
          expect(ledger.positions.get(tokenId) ?? null).toBe(before);
        },
      ),
    );
  });

  it('average cost is the cost per share rounded up', () => {
    fc.assert(
      fc.property(opsArb, (ops) => {
        const ledger = new Ledger(START);
        ledger.run(ops);
        for (const p of ledger.positions.values()) {
          const avg = averageCost(p);
          if (p.shares === 0) {
            expect(avg).toBeNull();
            continue;
          }
          const a = big(avg!);
          // avg x shares covers the cost, and one micro less would not.
          expect(a * big(p.shares) >= big(p.cost) * M).toBe(true);
          expect((a - 1n) * big(p.shares) < big(p.cost) * M).toBe(true);
        }
      }),
    );
  });

  it('summary: total is realized + unrealized, equity is cash + value, exposure is open cost', () => {
    const marksArb = fc.array(fc.option(priceArb, { nil: null }), { minLength: 3, maxLength: 3 });
    fc.assert(
      fc.property(opsArb, marksArb, fc.subarray([0, 1, 2]), (ops, markList, resolvedTokens) => {
        const ledger = new Ledger(START);
        ledger.run(ops);
        for (const i of resolvedTokens) {
          const pos = ledger.positions.get(TOKENS[i]!);
          if (pos === undefined) continue;
          const r = resolveAtPayout(pos, (i % 2 === 0 ? MICRO : 0) as Price);
          ledger.record(pos, r.position, 0, r.realizedDelta);
        }
        const marks = new Map<string, Price | null>(
          TOKENS.map((t, i) => [t, (markList[i] ?? null) as Price | null]),
        );
        const positions = [...ledger.positions.values()];
        const summary = summarize(positions, marks, ledger.cash as Usdc, START as Usdc);
        expect(summary.total).toBe(summary.realized + summary.unrealized);
        expect(summary.realized).toBe(ledger.totals().realized);
        let value = 0n;
        let exposure = 0;
        for (const p of positions) {
          const mark = marks.get(p.tokenId) ?? null;
          if (p.resolvedPayout !== undefined) value += big(p.cost);
          else {
            exposure += p.cost;
            value += mark === null ? big(p.cost) : (big(p.shares) * big(mark)) / M;
          }
        }
        expect(big(summary.equity)).toBe(big(ledger.cash) + value);
        expect(summary.exposure).toBe(exposure);
      }),
    );
  });
});
