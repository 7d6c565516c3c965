/**
 * `ingestSighting()`: the one path by which every source's sightings become leader trades.
 *
 * In one database transaction: the trade is inserted under its canonical key if new (unique
 * constraint: two processes or two sources racing insert it once); the sighting is kept as a part
 * of it (unique per trade, source and part: a re-delivered row changes nothing); the source's
 * first-seen time is stamped once; the trade's totals are recomputed from its parts; the change in
 * size is applied to the leader's position; and the raw message is stored with a new trade only.
 * A chain retraction (reorg) removes its part and takes back what it had added.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database, Store } from '../../store/index.ts';
import type { LeaderFillRetraction, LeaderFillSighting, LeaderSighting, TradeSource } from '../sighting.ts';
import { canonicalKey } from './canonical.ts';
import { positionAfter, tradeTotals } from './totals.ts';

export interface TokenInfo {
  conditionId: string;
  outcome: string | null;
}

export interface IngestDeps {
  store: Store;
  now: () => number;
  /** The market of a token a source did not name (the chain knows only token ids). */
  resolveToken: (tokenId: string) => Promise<TokenInfo | null>;
}

export interface IngestedTrade {
  id: number;
  key: string;
  leader: string;
  conditionId: string;
  tokenId: string;
  outcome: string | null;
  side: 'BUY' | 'SELL';
  size: number;
  usdc: number;
  price: number;
  /** The leader's shares of the token before this trade. */
  preTradeShares: number | null;
  /** The leader's fill time, epoch ms. */
  tradeAt: number;
  isBackfill: boolean;
  retracted: boolean;
}

export type IngestOutcome =
  /** First sighting of the trade by any source: processing starts now. */
  | { status: 'new'; trade: IngestedTrade; source: TradeSource }
  /** A further part made the trade larger (a source reporting at finer granularity). */
  | {
      status: 'grew';
      trade: IngestedTrade;
      source: TradeSource;
      sizeDelta: number;
      /** This source had not seen the trade before this part (its first-seen time was stamped). */
      firstForSource: boolean;
    }
  /** Known already; at most this source's first-seen time was stamped. */
  | { status: 'seen'; trade: IngestedTrade; source: TradeSource; firstForSource: boolean }
  /** A reorg took back a chain part; the trade shrank or is retracted. */
  | { status: 'retracted'; trade: IngestedTrade; sizeDelta: number }
  /** A retraction of nothing we hold. */
  | { status: 'unknown'; source: TradeSource }
  /** A token no catalog knows; the sighting is skipped. */
  | { status: 'unresolved'; source: TradeSource; tokenId: string };

type Db = Kysely<Database> | Transaction<Database>;

const FIRST_SEEN = {
  api: 'first_seen_api_at',
  rtds: 'first_seen_rtds_at',
  chain: 'first_seen_chain_at',
} as const;

export async function ingestSighting(deps: IngestDeps, sighting: LeaderSighting): Promise<IngestOutcome> {
  if (sighting.kind === 'retract') return retract(deps, sighting);
  let conditionId = sighting.conditionId;
  let outcome = sighting.outcome;
  if (conditionId === null) {
    const info = await deps.resolveToken(sighting.tokenId);
    if (!info) return { status: 'unresolved', source: sighting.source, tokenId: sighting.tokenId };
    conditionId = info.conditionId;
    outcome ??= info.outcome;
  }
  const resolved = { ...sighting, conditionId, outcome };
  return deps.store.db.transaction().execute((trx) => ingestFill(trx, deps, resolved));
}

async function ingestFill(
  trx: Transaction<Database>,
  deps: IngestDeps,
  s: LeaderFillSighting & { conditionId: string },
): Promise<IngestOutcome> {
  const now = deps.now();
  const key = canonicalKey(s);
  const leader = s.leader.toLowerCase();
  const inserted = await trx
    .insertInto('leader_trades')
    .values({
      canonical_key: key,
      leader_address: leader,
      condition_id: s.conditionId.toLowerCase(),
      token_id: s.tokenId,
      outcome: s.outcome,
      side: s.side,
      price: s.price,
      size: s.size,
      usdc_size: s.usdc,
      fee: s.fee,
      leader_role: s.role,
      tx_hash: s.txHash.toLowerCase(),
      block_number: s.blockNumber,
      log_index: s.logIndex,
      trade_at: s.tradeTimeMs,
      first_source: s.source,
      [FIRST_SEEN[s.source]]: s.seenAtMs,
      is_backfill: s.isBackfill ? 1 : 0,
      created_at: now,
    })
    .onConflict((oc) => oc.column('canonical_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  const isNew = inserted !== undefined;
  const trade = await lockTrade(trx, deps, key);

  const existing = await trx
    .selectFrom('leader_trade_parts')
    .select(['id', 'removed'])
    .where('leader_trade_id', '=', trade.id)
    .where('source', '=', s.source)
    .where('part', '=', s.part)
    .executeTakeFirst();
  const firstForSource = trade[FIRST_SEEN[s.source]] === null;
  if (firstForSource) {
    await trx
      .updateTable('leader_trades')
      .set({ [FIRST_SEEN[s.source]]: s.seenAtMs })
      .where('id', '=', trade.id)
      .execute();
  }
  if (existing && existing.removed === 0) {
    return { status: 'seen', trade: toIngested(trade), source: s.source, firstForSource };
  }
  if (existing) {
    await trx.updateTable('leader_trade_parts').set({ removed: 0 }).where('id', '=', existing.id).execute();
  } else {
    await trx
      .insertInto('leader_trade_parts')
      .values({
        leader_trade_id: trade.id,
        source: s.source,
        part: s.part,
        price: s.price,
        size: s.size,
        usdc_size: s.usdc,
        fee: s.fee,
        block_number: s.blockNumber,
        log_index: s.logIndex,
        seen_at: s.seenAtMs,
      })
      .execute();
  }
  if (isNew) {
    await trx
      .insertInto('trade_raw')
      .values({
        leader_trade_id: trade.id,
        source: s.source,
        payload: JSON.stringify(s.raw),
        received_at: s.seenAtMs,
      })
      .execute();
  }
  const { updated, sizeDelta } = await settle(trx, trade, now);
  if (isNew) return { status: 'new', trade: updated, source: s.source };
  if (sizeDelta > 0) return { status: 'grew', trade: updated, source: s.source, sizeDelta, firstForSource };
  return { status: 'seen', trade: updated, source: s.source, firstForSource };
}

async function retract(deps: IngestDeps, r: LeaderFillRetraction): Promise<IngestOutcome> {
  return deps.store.db.transaction().execute(async (trx) => {
    const part = await trx
      .selectFrom('leader_trade_parts as p')
      .innerJoin('leader_trades as t', 't.id', 'p.leader_trade_id')
      .select(['p.id as partId', 'p.removed', 't.canonical_key as key'])
      .where('t.tx_hash', '=', r.txHash.toLowerCase())
      .where('t.leader_address', '=', r.leader.toLowerCase())
      .where('p.source', '=', r.source)
      .where('p.part', '=', r.part)
      .executeTakeFirst();
    if (!part || part.removed === 1) return { status: 'unknown', source: r.source };
    const trade = await lockTrade(trx, deps, part.key);
    await trx.updateTable('leader_trade_parts').set({ removed: 1 }).where('id', '=', part.partId).execute();
    const { updated, sizeDelta } = await settle(trx, trade, deps.now());
    return { status: 'retracted', trade: updated, sizeDelta };
  });
}

/** The trade row by key; on PostgreSQL locked for the transaction so concurrent ingests queue. */
async function lockTrade(trx: Db, deps: IngestDeps, key: string) {
  let query = trx.selectFrom('leader_trades').selectAll().where('canonical_key', '=', key);
  if (deps.store.engine === 'postgres') query = query.forUpdate();
  return query.executeTakeFirstOrThrow();
}

type TradeRow = Awaited<ReturnType<typeof lockTrade>>;

/** A stored trade as it is now (a trade grows as a finer-grained source reports more parts). */
export async function ingestedTrade(db: Kysely<Database>, id: number): Promise<IngestedTrade | undefined> {
  const row = await db.selectFrom('leader_trades').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : toIngested(row);
}

/** Recomputes the totals from the parts and applies the change in size to the leader's position. */
async function settle(
  trx: Db,
  trade: TradeRow,
  now: number,
): Promise<{ updated: IngestedTrade; sizeDelta: number }> {
  const parts = await trx
    .selectFrom('leader_trade_parts')
    .select(['source', 'size', 'usdc_size', 'fee', 'removed'])
    .where('leader_trade_id', '=', trade.id)
    .execute();
  const totals = tradeTotals(
    parts.map((p) => ({
      source: p.source,
      size: p.size,
      usdc: p.usdc_size,
      fee: p.fee,
      removed: p.removed === 1,
    })) as never,
  );
  const sizeDelta = totals.size - trade.applied_size;
  let preTradeShares = trade.pre_trade_shares;
  if (sizeDelta !== 0) {
    const position = await trx
      .selectFrom('leader_positions')
      .select('shares')
      .where('leader_address', '=', trade.leader_address)
      .where('token_id', '=', trade.token_id)
      .executeTakeFirst();
    const before = position?.shares ?? 0;
    preTradeShares ??= before;
    const after = positionAfter(before, trade.side, sizeDelta);
    await trx
      .insertInto('leader_positions')
      .values({
        leader_address: trade.leader_address,
        token_id: trade.token_id,
        shares: after,
        last_trade_id: trade.id,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc
          .columns(['leader_address', 'token_id'])
          .doUpdateSet({ shares: after, last_trade_id: trade.id, updated_at: now }),
      )
      .execute();
  }
  const retracted = totals.size === 0;
  await trx
    .updateTable('leader_trades')
    .set({
      // A retracted trade keeps its last totals for the record; applied_size says it counts for nothing.
      ...(retracted
        ? {}
        : { size: totals.size, usdc_size: totals.usdc, price: totals.price, fee: totals.fee }),
      applied_size: totals.size,
      pre_trade_shares: preTradeShares,
      retracted_at: retracted ? (trade.retracted_at ?? now) : null,
    })
    .where('id', '=', trade.id)
    .execute();
  const updated = toIngested({
    ...trade,
    ...(retracted ? {} : { size: totals.size, usdc_size: totals.usdc, price: totals.price }),
    pre_trade_shares: preTradeShares,
    retracted_at: retracted ? now : null,
  });
  return { updated, sizeDelta };
}

function toIngested(t: TradeRow): IngestedTrade {
  return {
    id: t.id,
    key: t.canonical_key,
    leader: t.leader_address,
    conditionId: t.condition_id,
    tokenId: t.token_id,
    outcome: t.outcome,
    side: t.side,
    size: t.size,
    usdc: t.usdc_size,
    price: t.price,
    preTradeShares: t.pre_trade_shares,
    tradeAt: t.trade_at,
    isBackfill: t.is_backfill === 1,
    retracted: t.retracted_at !== null,
  };
}
