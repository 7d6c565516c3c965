/**
 * The live order tracker's reads and writes: our live orders as the reconcile functions see them
 * (`LocalOrder`), and one order's change written in the caller's transaction: its status and
 * filled size (guarded by the status it was decided from), new fills booked into the position,
 * fill statuses moved on, failed fills rolled back.
 *
 * Cash is not booked. A live account's cash is its pUSD at the venue, read from there (the order
 * manager's preflight leaves BUY cash to the venue for the same reason); a ledger column fed from
 * fills would drift from it with every fee rounding, deposit, redemption or missed event, and
 * would need a reversal path of its own. Positions are ours to keep: they carry the cost basis and
 * realized PnL that the venue does not.
 */
import type { Transaction } from 'kysely';
import { notional, type Price, type Shares, type Usdc } from '../../core/money.ts';
import { applyFill, LedgerError, type Position, resolveAtPayout } from '../../portfolio/index.ts';
import {
  type Database,
  type Engine,
  type FillStatus,
  insertFill,
  type OrderRow,
  type OrderStatus,
  type OrderUpdate,
  positionOf,
  type Store,
  updateOrder,
  writePosition,
} from '../../store/index.ts';
import { positionFromRow } from '../ledger.ts';
import { type FillChange, isTerminalOrder, type LocalFill, type LocalOrder } from '../reconcile/index.ts';

type Db = Store['db'] | Transaction<Database>;

/** States the venue may still move an order out of. */
export const WORKING_STATUSES = [
  'PENDING',
  'SUBMITTED',
  'LIVE',
  'PARTIAL',
] as const satisfies readonly OrderStatus[];

export interface TrackedOrder {
  row: OrderRow;
  local: LocalOrder;
}

/** Another writer moved the order or fill between our read and our write: retry from a fresh read. */
export class TrackerConflict extends Error {}

type FillRow = {
  order_id: number;
  venue_trade_id: string;
  size: number;
  price: number;
  fee: number;
  status: FillStatus;
  tx_hash: string | null;
  filled_at: number;
};

function localFill(f: FillRow): LocalFill {
  return {
    tradeId: f.venue_trade_id,
    // Not stored: a fill that paid a fee was a taker's. Only the decision texts use the role.
    role: f.fee > 0 ? 'TAKER' : 'MAKER',
    size: f.size as Shares,
    price: f.price as LocalFill['price'],
    status: f.status,
    txHash: f.tx_hash,
    filledAt: f.filled_at,
  };
}

export function localOrderOf(row: OrderRow, fills: readonly FillRow[]): LocalOrder {
  return {
    id: row.id,
    status: row.status,
    orderHash: row.order_hash,
    size: row.size as Shares,
    orderType: row.order_type,
    createdAt: row.created_at,
    submittedAt: row.submitted_at,
    expiresAt: row.expires_at,
    buyBudget:
      row.side === 'BUY' && row.limit_price !== null
        ? notional(row.size as Shares, row.limit_price as Price, 'ceil')
        : null,
    fills: fills.map(localFill),
  };
}

async function withFills(db: Db, rows: readonly OrderRow[]): Promise<TrackedOrder[]> {
  if (rows.length === 0) return [];
  const fills = await db
    .selectFrom('fills')
    .select(['order_id', 'venue_trade_id', 'size', 'price', 'fee', 'status', 'tx_hash', 'filled_at'])
    .where(
      'order_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    row,
    local: localOrderOf(
      row,
      fills.filter((f) => f.order_id === row.id),
    ),
  }));
}

const liveOrders = (db: Db, accountId: number) =>
  db.selectFrom('orders').selectAll().where('account_id', '=', accountId).where('is_paper', '=', 0);

/**
 * What reconciliation looks at: the account's working live orders, and finished ones created since
 * `since` whose fills are not settled: fills still MATCHED or MINED, or FILLED (by the order
 * manager, on the venue's "matched" answer) with fills that do not add up to its size yet.
 */
export async function ordersToReconcile(db: Db, accountId: number, since: number): Promise<TrackedOrder[]> {
  const rows = await liveOrders(db, accountId)
    .where((eb) =>
      eb.or([
        eb('status', 'in', [...WORKING_STATUSES]),
        eb.and([
          eb('created_at', '>=', since),
          eb.or([
            // Failed fills count here as the venue's size_matched does: a rolled-back fill is
            // settled, not missing.
            eb.and([
              eb('status', '=', 'FILLED'),
              eb(
                eb
                  .selectFrom('fills')
                  .select((f) => f.fn.coalesce(f.fn.sum<number>('fills.size'), f.lit(0)).as('matched'))
                  .whereRef('fills.order_id', '=', 'orders.id'),
                '<',
                eb.ref('orders.size'),
              ),
            ]),
            eb.exists(
              eb
                .selectFrom('fills')
                .select('fills.id')
                .whereRef('fills.order_id', '=', 'orders.id')
                .where('fills.status', 'in', ['MATCHED', 'MINED']),
            ),
          ]),
        ]),
      ]),
    )
    .orderBy('id')
    .execute();
  return withFills(db, rows);
}

/** The account's live orders with any of these hashes, in any state. */
export async function ordersByHash(
  db: Db,
  accountId: number,
  hashes: readonly string[],
): Promise<TrackedOrder[]> {
  const wanted = [...new Set(hashes.flatMap((h) => [h, h.toLowerCase()]))];
  if (wanted.length === 0) return [];
  const rows = await liveOrders(db, accountId).where('order_hash', 'in', wanted).orderBy('id').execute();
  return withFills(db, rows);
}

/** One order read afresh inside the write transaction, locked on PostgreSQL. */
export async function lockOrder(
  trx: Transaction<Database>,
  engine: Engine,
  id: number,
): Promise<TrackedOrder | undefined> {
  let q = trx.selectFrom('orders').selectAll().where('id', '=', id);
  if (engine === 'postgres') q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (row === undefined) return undefined;
  return (await withFills(trx, [row]))[0];
}

/** A decided change of one order: a reconcile decision or a user event's outcome. */
export interface OrderChange {
  from: OrderStatus;
  to: OrderStatus;
  fills: readonly LocalFill[];
  fillChanges: readonly FillChange[];
  filledSize: Shares;
  reason: string;
}

export interface WriteResult {
  /** Ledger problems that did not stop the write (the fill is recorded; the position is not). */
  problems: string[];
}

/**
 * Writes `change` for `order` (read in this transaction). Throws TrackerConflict when a guarded
 * write finds the row moved on, so the caller rolls back and decides again.
 */
export async function writeOrderChange(
  trx: Transaction<Database>,
  order: TrackedOrder,
  change: OrderChange,
  takerFees: ReadonlyMap<string, Usdc>,
  now: number,
): Promise<WriteResult> {
  const { row } = order;
  const problems: string[] = [];
  for (const c of change.fillChanges) {
    if (c.kind === 'add') {
      const fee = c.fill.role === 'TAKER' ? (takerFees.get(c.fill.tradeId) ?? (0 as Usdc)) : (0 as Usdc);
      const problem = await addFill(trx, row, c.fill, fee, now);
      if (problem) problems.push(problem);
    } else if (c.kind === 'advance') {
      await moveFill(trx, row.id, c.tradeId, c.from, c.to, c.txHash, now);
    } else {
      await moveFill(trx, row.id, c.tradeId, c.from, 'FAILED', c.txHash, now);
      const problem = await replayPosition(trx, row.account_id, row.token_id, now);
      if (problem) problems.push(`fill ${c.tradeId} rolled back, but the position was not: ${problem}`);
    }
  }
  const update = orderUpdateOf(order, change, now);
  if (update !== null && !(await updateOrder(trx, row.id, [change.from], update, now))) {
    throw new TrackerConflict(`order ${row.id} moved on from ${change.from}`);
  }
  return { problems };
}

function orderUpdateOf(order: TrackedOrder, change: OrderChange, now: number): OrderUpdate | null {
  const { row } = order;
  const u: OrderUpdate = {};
  if (change.to !== row.status) u.status = change.to;
  if (change.filledSize !== row.filled_size) u.filledSize = change.filledSize;
  const counting = change.fills.filter((f) => f.status !== 'FAILED');
  if (row.first_fill_at === null && counting.length > 0) {
    u.firstFillAt = Math.min(...counting.map((f) => f.filledAt ?? now));
  }
  const atVenue = !['PENDING', 'SUBMITTED', 'REJECTED', 'FAILED'].includes(change.to);
  if (atVenue && row.acked_at === null && (row.status === 'PENDING' || row.status === 'SUBMITTED')) {
    u.ackedAt = now;
  }
  // The venue's id is the hash; the order manager writes it only when it heard the venue's answer.
  if (atVenue && row.venue_order_id === null && row.order_hash !== null) u.venueOrderId = row.order_hash;
  if (isTerminalOrder(change.to) && row.done_at === null) u.doneAt = now;
  if ((change.to === 'REJECTED' || change.to === 'FAILED') && change.to !== row.status) {
    u.error = `reconciled: ${change.reason}`;
  }
  return Object.keys(u).length > 0 ? u : null;
}

/**
 * A new fill, booked into the position. A fill the ledger cannot take (a sell of more than we
 * hold, a resolved token) is still recorded, since it happened at the venue; the position is left
 * as it was and the problem returned.
 */
async function addFill(
  trx: Transaction<Database>,
  row: OrderRow,
  fill: LocalFill,
  fee: Usdc,
  now: number,
): Promise<string | null> {
  const base = {
    orderId: row.id,
    accountId: row.account_id,
    venueTradeId: fill.tradeId,
    tokenId: row.token_id,
    side: row.side,
    price: fill.price,
    size: fill.size,
    fee,
    priceSource: 'venue' as const,
    isPaper: false,
    filledAt: fill.filledAt ?? now,
  };
  let problem: string | null = null;
  let realizedPnl = 0;
  // A trade first seen FAILED is recorded so a late MATCHED cannot revive it; it never counted.
  if (fill.status !== 'FAILED') {
    const before = await positionOf(trx, row.account_id, row.token_id);
    try {
      const r = applyFill(before ? positionFromRow(before) : null, {
        tokenId: row.token_id,
        side: row.side,
        shares: fill.size,
        price: fill.price,
        fee,
      });
      realizedPnl = r.realizedDelta;
      const p = r.position;
      await writePosition(
        trx,
        row.account_id,
        row.token_id,
        { shares: p.shares, cost: p.cost, realizedPnl: p.realizedPnl },
        now,
      );
    } catch (err) {
      if (!(err instanceof LedgerError)) throw err;
      problem = `fill ${fill.tradeId} recorded, but not booked into the position: ${err.message}`;
    }
  }
  await insertFill(trx, { ...base, realizedPnl }, now);
  // insertFill writes a live fill as MATCHED without a hash; a fill first seen later is further on.
  if (fill.status !== 'MATCHED' || fill.txHash !== null) {
    await trx
      .updateTable('fills')
      .set({ status: fill.status, tx_hash: fill.txHash, updated_at: now })
      .where('order_id', '=', row.id)
      .where('venue_trade_id', '=', fill.tradeId)
      .execute();
  }
  return problem;
}

async function moveFill(
  trx: Transaction<Database>,
  orderId: number,
  tradeId: string,
  from: FillStatus,
  to: FillStatus,
  txHash: string | null,
  now: number,
): Promise<void> {
  const r = await trx
    .updateTable('fills')
    .set({ status: to, ...(txHash !== null ? { tx_hash: txHash } : {}), updated_at: now })
    .where('order_id', '=', orderId)
    .where('venue_trade_id', '=', tradeId)
    .where('status', '=', from)
    .executeTakeFirst();
  if (r.numUpdatedRows === 0n)
    throw new TrackerConflict(`fill ${tradeId} of order ${orderId} is no longer ${from}`);
}

/**
 * The position in a token rebuilt from the account's fills that count, in the order they were
 * booked: a rolled-back fill leaves exactly the position (cost basis and realized PnL, the later
 * sells' included) as if it had never happened, which undoing it alone could not give once other
 * fills followed it. A resolution already applied is applied again. This assumes the account's
 * positions are made of its fills, as the ledger keeps them. Returns a problem, or null.
 */
async function replayPosition(
  trx: Transaction<Database>,
  accountId: number,
  tokenId: string,
  now: number,
): Promise<string | null> {
  const fills = await trx
    .selectFrom('fills')
    .select(['id', 'side', 'size', 'price', 'fee', 'realized_pnl'])
    .where('account_id', '=', accountId)
    .where('token_id', '=', tokenId)
    .where('status', '!=', 'FAILED')
    .orderBy('id')
    .execute();
  const current = await positionOf(trx, accountId, tokenId);
  let position: Position | null = null;
  const realized: { id: number; pnl: number }[] = [];
  try {
    for (const f of fills) {
      const r = applyFill(position, {
        tokenId,
        side: f.side,
        shares: f.size as Shares,
        price: f.price as LocalFill['price'],
        fee: f.fee as Usdc,
      });
      if (r.realizedDelta !== f.realized_pnl) realized.push({ id: f.id, pnl: r.realizedDelta });
      position = r.position;
    }
    if (current?.resolved_payout != null && position !== null) {
      position = resolveAtPayout(position, current.resolved_payout as LocalFill['price']).position;
    }
  } catch (err) {
    if (!(err instanceof LedgerError)) throw err;
    return err.message;
  }
  for (const r of realized) {
    await trx
      .updateTable('fills')
      .set({ realized_pnl: r.pnl, updated_at: now })
      .where('id', '=', r.id)
      .execute();
  }
  if (current === undefined && position === null) return null;
  await writePosition(
    trx,
    accountId,
    tokenId,
    {
      shares: position?.shares ?? 0,
      cost: position?.cost ?? 0,
      realizedPnl: position?.realizedPnl ?? 0,
    },
    now,
  );
  return null;
}
