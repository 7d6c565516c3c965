/**
 * Books fills into our ledger: the fill rows, the position (average cost, realized PnL, through
 * the pure portfolio functions) and the account's cash, all in the caller's transaction, so a
 * crash leaves either all of a fill or none of it.
 */
import type { Transaction } from 'kysely';
import type { Price, Shares, Usdc } from '../core/money.ts';
import { applyFill, type Position } from '../portfolio/index.ts';
import {
  addCash,
  type Database,
  type FillPriceSource,
  insertFill,
  type PositionRow,
  positionOf,
  writePosition,
} from '../store/index.ts';

export interface LedgerFill {
  price: Price;
  shares: Shares;
  fee: Usdc;
  priceSource: FillPriceSource;
}

export function positionFromRow(row: PositionRow): Position {
  return {
    tokenId: row.token_id,
    shares: row.shares as Shares,
    cost: row.cost as Usdc,
    realizedPnl: row.realized_pnl as Usdc,
    ...(row.resolved_payout !== null ? { resolvedPayout: row.resolved_payout as Price } : {}),
  };
}

export interface BookedFills {
  filledShares: number;
  /** Cash paid (BUY, fees included) or received (SELL, net of fees): the absolute cash delta. */
  cash: number;
  fees: number;
  realized: number;
}

export async function bookFills(
  trx: Transaction<Database>,
  o: {
    orderId: number;
    accountId: number;
    tokenId: string;
    side: 'BUY' | 'SELL';
    isPaper: boolean;
    tradeIdPrefix: string;
  },
  fills: readonly LedgerFill[],
  now: number,
): Promise<BookedFills> {
  const row = await positionOf(trx, o.accountId, o.tokenId);
  let position: Position | null = row ? positionFromRow(row) : null;
  let cash = 0;
  let fees = 0;
  let realized = 0;
  let filled = 0;
  for (const [i, f] of fills.entries()) {
    const r = applyFill(position, {
      tokenId: o.tokenId,
      side: o.side,
      shares: f.shares,
      price: f.price,
      fee: f.fee,
    });
    position = r.position;
    cash += r.cashDelta;
    fees += f.fee;
    realized += r.realizedDelta;
    filled += f.shares;
    await insertFill(
      trx,
      {
        orderId: o.orderId,
        accountId: o.accountId,
        venueTradeId: `${o.tradeIdPrefix}-${i}`,
        tokenId: o.tokenId,
        side: o.side,
        price: f.price,
        size: f.shares,
        fee: f.fee,
        priceSource: f.priceSource,
        isPaper: o.isPaper,
        realizedPnl: r.realizedDelta,
        filledAt: now,
      },
      now,
    );
  }
  if (position !== null && fills.length > 0) {
    await writePosition(
      trx,
      o.accountId,
      o.tokenId,
      { shares: position.shares, cost: position.cost, realizedPnl: position.realizedPnl },
      now,
    );
    await addCash(trx, o.accountId, cash, now);
  }
  return { filledShares: filled, cash: Math.abs(cash), fees, realized };
}
