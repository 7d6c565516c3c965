/**
 * Market resolution for our positions: a market we hold that has closed with a winner realizes
 * its PnL (the winner pays 1 a share, the loser 0), and a paper position is redeemed at once (cash
 * moves; a live one will be redeemed on chain). Checked from the catalog, which reads Gamma.
 */
import { describeError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { MarketCatalog } from '../market-data/catalog.ts';
import { payoutOf } from '../market-data/catalog.ts';
import { redeem, resolveAtPayout } from '../portfolio/index.ts';
import { addCash, type Store, writePosition } from '../store/index.ts';
import { positionFromRow } from './ledger.ts';

export async function resolvePositions(o: {
  store: Store;
  catalog: MarketCatalog;
  now: number;
  logger: Logger;
}): Promise<number> {
  const { store, now } = o;
  const open = await store.db
    .selectFrom('positions')
    .innerJoin('accounts', 'accounts.id', 'positions.account_id')
    .leftJoin('tokens', 'tokens.token_id', 'positions.token_id')
    .selectAll('positions')
    .select(['accounts.mode', 'tokens.condition_id'])
    .where('positions.shares', '>', 0)
    .where('positions.resolved_at', 'is', null)
    .execute();
  const conditions = new Set(open.flatMap((p) => (p.condition_id === null ? [] : [p.condition_id])));
  let resolved = 0;
  for (const conditionId of conditions) {
    let market: Awaited<ReturnType<MarketCatalog['refresh']>>;
    try {
      market = await o.catalog.refresh(conditionId);
    } catch (err) {
      o.logger.warn({ conditionId, err: describeError(err) }, 'could not check the market for resolution');
      continue;
    }
    if (!market?.closed) continue;
    for (const row of open.filter((p) => p.condition_id === conditionId)) {
      const payout = payoutOf(market, row.token_id);
      if (payout === null) continue;
      const r = resolveAtPayout(positionFromRow(row), payout);
      const paper = row.mode === 'paper';
      const redeemed = paper ? redeem(r.position) : null;
      const after = redeemed?.position ?? r.position;
      await store.db.transaction().execute(async (trx) => {
        await writePosition(
          trx,
          row.account_id,
          row.token_id,
          {
            shares: after.shares,
            cost: after.cost,
            realizedPnl: after.realizedPnl,
            resolvedAt: now,
            resolvedPayout: payout,
            redeemedAt: redeemed ? now : null,
          },
          now,
        );
        if (redeemed) await addCash(trx, row.account_id, redeemed.cashDelta, now);
      });
      resolved++;
      o.logger.info(
        { tokenId: row.token_id, payout, realized: r.realizedDelta, redeemed: redeemed?.cashDelta ?? null },
        `market resolved: position ${payout > 0 ? 'won' : 'lost'}`,
      );
    }
  }
  return resolved;
}
