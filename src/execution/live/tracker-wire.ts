/**
 * The venue's trades as the live order tracker needs them: the plain `VenueTrade` the reconcile
 * functions work on, plus the taker fee of each trade, which `VenueTrade` does not carry but the
 * position's cost basis needs (a BUY pays it on top, a SELL has it taken from the proceeds).
 */
import { parseMicro } from '../../core/decimal.ts';
import { describeError } from '../../core/errors.ts';
import type { Micro, Price, Shares, Usdc } from '../../core/money.ts';
import { takerFee } from '../../polymarket/fees.ts';
import { type TradeWire, type VenueTrade, venueTradeFromWire } from '../reconcile/index.ts';

/** A trade row of `/data/trades` or a user-channel `trade` message, with the fee fields. */
export interface FeeTradeWire extends TradeWire {
  fee_rate_bps?: string | undefined;
  /** Whose view the row is: a MAKER row lists only that maker's own entries. */
  trader_side?: 'TAKER' | 'MAKER' | undefined;
}

/**
 * The taker's fee in a trade, as the venue charges it (src/polymarket/fees.ts): per maker order
 * matched, on that fill's shares and price (p(1 - p) is the same for either token). Null when the
 * row cannot tell: a MAKER view lists only its own makers, so it would undercount.
 */
export function takerFeeOfTrade(t: FeeTradeWire): Usdc | null {
  if (t.trader_side === 'MAKER') return null;
  const bps = t.fee_rate_bps;
  if (bps === undefined || bps === '') return null;
  // Basis points to a micro-unit rate: 400 bps = 0.04 = 40_000.
  const rate = Math.round(parseMicro(bps) / 10_000) as Micro;
  if (rate === 0) return 0 as Usdc;
  if (t.maker_orders.length === 0) {
    return takerFee(parseMicro(t.size) as Shares, parseMicro(t.price, { rounding: 'halfUp' }) as Price, rate);
  }
  let fee = 0;
  for (const m of t.maker_orders) {
    fee += takerFee(parseMicro(m.matched_amount) as Shares, parseMicro(m.price) as Price, rate);
  }
  return fee as Usdc;
}

export interface TrackerTrades {
  trades: VenueTrade[];
  /** Trade id -> the taker's fee, where a row could tell it. */
  takerFees: Map<string, Usdc>;
  /** Rows that could not be read (already validated by zod, so this is a status we do not know). */
  unreadable: { id: string; error: string }[];
}

export function tradesFromWire(rows: readonly FeeTradeWire[]): TrackerTrades {
  const out: TrackerTrades = { trades: [], takerFees: new Map(), unreadable: [] };
  for (const row of rows) {
    try {
      out.trades.push(venueTradeFromWire(row));
      const fee = takerFeeOfTrade(row);
      if (fee !== null && !out.takerFees.has(row.id)) out.takerFees.set(row.id, fee);
    } catch (err) {
      out.unreadable.push({ id: row.id, error: describeError(err) });
    }
  }
  return out;
}
