/**
 * Orders and what they lead to: the intent row written before anything is sent, its state
 * changes, fills with their position and cash effects, copy decisions and guardrail events.
 * Functions take a Kysely instance or a transaction, so the order manager decides what commits
 * together.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import { notional, type Price, type Shares } from '../core/money.ts';
import { toJson } from './json.ts';
import type {
  CopyDecision,
  Database,
  FillPriceSource,
  OrderStatus,
  OrdersTable,
  OrderType,
  PositionsTable,
  Side,
} from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface NewOrderIntent {
  idempotencyKey: string;
  accountId: number;
  followConfigId: number | null;
  leaderTradeId: number | null;
  origin: string;
  conditionId: string;
  tokenId: string;
  side: Side;
  orderType: OrderType;
  limitPrice: number;
  size: number;
  isPaper: boolean;
  leaderPrice: number | null;
  catchUp: boolean;
  expiresAt: number | null;
}

export type OrderRow = Selectable<OrdersTable>;

/** Inserts the intent as PENDING; null when an order with the key exists already (a duplicate). */
export async function insertOrderIntent(db: Db, o: NewOrderIntent, now: number): Promise<number | null> {
  const row = await db
    .insertInto('orders')
    .values({
      idempotency_key: o.idempotencyKey,
      account_id: o.accountId,
      follow_config_id: o.followConfigId,
      leader_trade_id: o.leaderTradeId,
      origin: o.origin,
      condition_id: o.conditionId,
      token_id: o.tokenId,
      side: o.side,
      order_type: o.orderType,
      limit_price: o.limitPrice,
      size: o.size,
      is_paper: o.isPaper ? 1 : 0,
      leader_price: o.leaderPrice,
      catch_up: o.catchUp ? 1 : 0,
      expires_at: o.expiresAt,
      status: 'PENDING',
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function orderByKey(db: Db, key: string): Promise<OrderRow | undefined> {
  return db.selectFrom('orders').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
}

export async function orderById(db: Db, id: number): Promise<OrderRow | undefined> {
  return db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface OrderUpdate {
  status?: OrderStatus;
  filledSize?: number;
  error?: string | null;
  submittedAt?: number;
  ackedAt?: number;
  firstFillAt?: number;
  doneAt?: number;
  venueOrderId?: string;
  /** The signed order's hash (the venue's order id), stored before it is sent. */
  orderHash?: string;
  /** The signed order itself (JSON), stored with its hash: what a restart may post again. */
  signedOrder?: string;
  stageUs?: Partial<
    Record<'prewrite' | 'risk' | 'pricing' | 'preflight' | 'execution' | 'persistence', number>
  >;
}

/**
 * Moves an order on, only from one of `from` (a state machine guard: two writers cannot both
 * move it); returns whether it moved.
 */
export async function updateOrder(
  db: Db,
  id: number,
  from: readonly OrderStatus[],
  u: OrderUpdate,
  now: number,
): Promise<boolean> {
  const s = u.stageUs ?? {};
  const r = await db
    .updateTable('orders')
    .set({
      ...(u.status !== undefined ? { status: u.status } : {}),
      ...(u.filledSize !== undefined ? { filled_size: u.filledSize } : {}),
      ...(u.error !== undefined ? { error: u.error } : {}),
      ...(u.submittedAt !== undefined ? { submitted_at: u.submittedAt } : {}),
      ...(u.ackedAt !== undefined ? { acked_at: u.ackedAt } : {}),
      ...(u.firstFillAt !== undefined ? { first_fill_at: u.firstFillAt } : {}),
      ...(u.doneAt !== undefined ? { done_at: u.doneAt } : {}),
      ...(u.venueOrderId !== undefined ? { venue_order_id: u.venueOrderId } : {}),
      ...(u.orderHash !== undefined ? { order_hash: u.orderHash } : {}),
      ...(u.signedOrder !== undefined ? { signed_order: u.signedOrder } : {}),
      ...(s.prewrite !== undefined ? { prewrite_us: s.prewrite } : {}),
      ...(s.risk !== undefined ? { risk_us: s.risk } : {}),
      ...(s.pricing !== undefined ? { pricing_us: s.pricing } : {}),
      ...(s.preflight !== undefined ? { preflight_us: s.preflight } : {}),
      ...(s.execution !== undefined ? { execution_us: s.execution } : {}),
      ...(s.persistence !== undefined ? { persistence_us: s.persistence } : {}),
      updated_at: now,
    })
    .where('id', '=', id)
    .where('status', 'in', [...from])
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Orders in the given states, oldest first. */
export async function ordersIn(
  db: Db,
  statuses: readonly OrderStatus[],
  isPaper?: boolean,
): Promise<OrderRow[]> {
  let q = db
    .selectFrom('orders')
    .selectAll()
    .where('status', 'in', [...statuses])
    .orderBy('id');
  if (isPaper !== undefined) q = q.where('is_paper', '=', isPaper ? 1 : 0);
  return q.execute();
}

export interface NewFill {
  orderId: number;
  accountId: number;
  venueTradeId: string;
  tokenId: string;
  side: Side;
  price: number;
  size: number;
  fee: number;
  priceSource: FillPriceSource;
  isPaper: boolean;
  realizedPnl: number;
  filledAt: number;
}

export async function insertFill(db: Db, f: NewFill, now: number): Promise<void> {
  await db
    .insertInto('fills')
    .values({
      order_id: f.orderId,
      account_id: f.accountId,
      venue_trade_id: f.venueTradeId,
      token_id: f.tokenId,
      side: f.side,
      price: f.price,
      size: f.size,
      fee: f.fee,
      price_source: f.priceSource,
      status: f.isPaper ? 'CONFIRMED' : 'MATCHED',
      is_paper: f.isPaper ? 1 : 0,
      realized_pnl: f.realizedPnl,
      filled_at: f.filledAt,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

export type PositionRow = Selectable<PositionsTable>;

export async function positionOf(
  db: Db,
  accountId: number,
  tokenId: string,
): Promise<PositionRow | undefined> {
  return db
    .selectFrom('positions')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('token_id', '=', tokenId)
    .executeTakeFirst();
}

export async function positionsOf(db: Db, accountId?: number): Promise<PositionRow[]> {
  let q = db.selectFrom('positions').selectAll().orderBy('id');
  if (accountId !== undefined) q = q.where('account_id', '=', accountId);
  return q.execute();
}

export interface PositionWrite {
  shares: number;
  cost: number;
  realizedPnl: number;
  resolvedAt?: number | null;
  resolvedPayout?: number | null;
  redeemedAt?: number | null;
}

export async function writePosition(
  db: Db,
  accountId: number,
  tokenId: string,
  p: PositionWrite,
  now: number,
): Promise<void> {
  const values = {
    shares: p.shares,
    cost: p.cost,
    realized_pnl: p.realizedPnl,
    ...(p.resolvedAt !== undefined ? { resolved_at: p.resolvedAt } : {}),
    ...(p.resolvedPayout !== undefined ? { resolved_payout: p.resolvedPayout } : {}),
    ...(p.redeemedAt !== undefined ? { redeemed_at: p.redeemedAt } : {}),
    updated_at: now,
  };
  await db
    .insertInto('positions')
    .values({ account_id: accountId, token_id: tokenId, ...values })
    .onConflict((oc) => oc.columns(['account_id', 'token_id']).doUpdateSet(values))
    .execute();
}

/** Adds `delta` (signed micro-USDC) to the account's cash. */
export async function addCash(db: Db, accountId: number, delta: number, now: number): Promise<void> {
  if (delta === 0) return;
  await db
    .updateTable('accounts')
    .set((eb) => ({ cash: eb('cash', '+', delta), updated_at: now }))
    .where('id', '=', accountId)
    .execute();
}

export interface NewDecision {
  followConfigId: number;
  leaderTradeId: number;
  accountId: number;
  decision: CopyDecision;
  reasonCode: string | null;
  detail: string;
  numbers: Record<string, number | string | null>;
  catchUp: boolean;
  orderId: number | null;
}

/** Records a decision once; false when this follow already decided this trade. */
export async function insertDecision(db: Db, d: NewDecision, now: number): Promise<boolean> {
  const r = await db
    .insertInto('copy_decisions')
    .values({
      follow_config_id: d.followConfigId,
      leader_trade_id: d.leaderTradeId,
      account_id: d.accountId,
      decision: d.decision,
      reason_code: d.reasonCode,
      detail: d.detail,
      numbers: toJson(d.numbers),
      catch_up: d.catchUp ? 1 : 0,
      order_id: d.orderId,
      created_at: now,
    })
    .onConflict((oc) => oc.columns(['follow_config_id', 'leader_trade_id']).doNothing())
    .executeTakeFirst();
  return (r.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

/** Turns the copy decision of an order into a refusal (the risk gate said no after the prewrite). */
export async function refuseDecision(
  db: Db,
  orderId: number,
  reasonCode: string,
  detail: string,
): Promise<void> {
  await db
    .updateTable('copy_decisions')
    .set({ decision: 'refused', reason_code: reasonCode, detail })
    .where('order_id', '=', orderId)
    .execute();
}

export async function decisionExists(
  db: Db,
  followConfigId: number,
  leaderTradeId: number,
): Promise<boolean> {
  const r = await db
    .selectFrom('copy_decisions')
    .select('id')
    .where('follow_config_id', '=', followConfigId)
    .where('leader_trade_id', '=', leaderTradeId)
    .executeTakeFirst();
  return r !== undefined;
}

export interface NewGuardrailEvent {
  reasonCode: string;
  accountId: number | null;
  leaderAddress: string | null;
  tokenId: string | null;
  idempotencyKey: string | null;
  context: Record<string, unknown>;
}

export async function insertGuardrailEvents(
  db: Db,
  events: readonly NewGuardrailEvent[],
  now: number,
): Promise<void> {
  if (events.length === 0) return;
  await db
    .insertInto('guardrail_events')
    .values(
      events.map((e) => ({
        created_at: now,
        reason_code: e.reasonCode,
        account_id: e.accountId,
        leader_address: e.leaderAddress,
        token_id: e.tokenId,
        idempotency_key: e.idempotencyKey,
        context: JSON.stringify(e.context),
      })),
    )
    .execute();
}

/** Exposure inputs for the risk gate: cost basis held plus open buy orders' unfilled notional. */
export async function exposureOf(
  db: Db,
  accountId: number,
  conditionId: string,
  leaderAddress: string | null,
): Promise<{ marketUsdc: number; leaderUsdc: number; totalUsdc: number }> {
  const held = await db
    .selectFrom('positions')
    .leftJoin('tokens', 'tokens.token_id', 'positions.token_id')
    .select(['positions.cost', 'positions.token_id', 'tokens.condition_id'])
    .where('positions.account_id', '=', accountId)
    .where('positions.shares', '>', 0)
    .where('positions.resolved_at', 'is', null)
    .execute();
  const open = await db
    .selectFrom('orders')
    .select(['condition_id', 'size', 'filled_size', 'limit_price', 'follow_config_id'])
    .where('account_id', '=', accountId)
    .where('side', '=', 'BUY')
    .where('status', 'in', ['LIVE', 'PARTIAL', 'SUBMITTED'])
    // A finished PARTIAL (a FAK's rest cancelled, an expired GTC) commits nothing more.
    .where('done_at', 'is', null)
    .execute();
  // Per-leader exposure: the cost of the positions this account holds in tokens it bought copying
  // the leader. One summed row, however long the copy history.
  const byLeader =
    leaderAddress === null
      ? undefined
      : await db
          .selectFrom('positions')
          .select((eb) => eb.fn.sum<number | string | null>('positions.cost').as('cost'))
          .where('positions.account_id', '=', accountId)
          .where('positions.shares', '>', 0)
          .where('positions.resolved_at', 'is', null)
          .where(({ exists, selectFrom }) =>
            exists(
              selectFrom('fills')
                .innerJoin('orders', 'orders.id', 'fills.order_id')
                .innerJoin('follow_configs', 'follow_configs.id', 'orders.follow_config_id')
                .select('fills.id')
                .whereRef('fills.account_id', '=', 'positions.account_id')
                .whereRef('fills.token_id', '=', 'positions.token_id')
                .where('follow_configs.leader_address', '=', leaderAddress),
            ),
          )
          .executeTakeFirst();
  let totalUsdc = 0;
  let marketUsdc = 0;
  for (const p of held) {
    totalUsdc += p.cost;
    if (p.condition_id === conditionId) marketUsdc += p.cost;
  }
  for (const o of open) {
    const rest = notional((o.size - o.filled_size) as Shares, (o.limit_price ?? 0) as Price, 'ceil');
    totalUsdc += rest;
    if (o.condition_id === conditionId) marketUsdc += rest;
  }
  const leaderUsdc = Number(byLeader?.cost ?? 0);
  return { marketUsdc, leaderUsdc, totalUsdc };
}

/** Today's realized PnL (UTC day of `now`) from fills, for the daily loss limit. */
export async function realizedSince(db: Db, accountId: number, since: number): Promise<number> {
  const r = await db
    .selectFrom('fills')
    .select((eb) => eb.fn.sum<number | string | null>('realized_pnl').as('pnl'))
    .where('account_id', '=', accountId)
    .where('filled_at', '>=', since)
    .executeTakeFirst();
  return Number(r?.pnl ?? 0);
}
