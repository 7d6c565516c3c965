/**
 * Which market and outcome a token belongs to, for sources that know only the token (the chain).
 * Looked up once: in memory, then the database's catalog, then Gamma (`/markets?clob_token_ids=`),
 * whose answer is stored in `markets` and `tokens` so a restart does not ask again. Concurrent
 * lookups of one token share one request.
 */
import { microFromNumber } from '../core/decimal.ts';
import { gammaMarketsSchema } from '../polymarket/gamma/index.ts';
import type { Store } from '../store/index.ts';
import type { TokenInfo } from './ingest/index.ts';

export interface TokenResolverOptions {
  store: Store;
  gammaUrl: string;
  now: () => number;
  fetch?: typeof fetch;
}

export function createTokenResolver(
  options: TokenResolverOptions,
): (tokenId: string) => Promise<TokenInfo | null> {
  const cache = new Map<string, Promise<TokenInfo | null>>();
  const doFetch = options.fetch ?? globalThis.fetch;
  const { db } = options.store;

  async function lookup(tokenId: string): Promise<TokenInfo | null> {
    const known = await db
      .selectFrom('tokens')
      .select(['condition_id', 'outcome'])
      .where('token_id', '=', tokenId)
      .executeTakeFirst();
    if (known) return { conditionId: known.condition_id, outcome: known.outcome };

    const url = `${options.gammaUrl.replace(/\/+$/, '')}/markets?clob_token_ids=${encodeURIComponent(tokenId)}&closed=true`;
    const urlOpen = url.replace('&closed=true', '');
    // Gamma hides closed markets unless asked, so a token of a resolved market needs the second ask.
    for (const u of [urlOpen, url]) {
      const res = await doFetch(u);
      if (!res.ok) throw new Error(`Gamma answered ${res.status} for token ${tokenId}`);
      const markets = gammaMarketsSchema.parse(await res.json());
      const market = markets.find((m) => m.clobTokenIds?.includes(tokenId));
      if (!market?.clobTokenIds) continue;
      const now = options.now();
      const conditionId = market.conditionId.toLowerCase();
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('markets')
          .values({
            condition_id: conditionId,
            question: market.question,
            slug: market.slug,
            neg_risk: market.negRisk ? 1 : 0,
            tick_size: microFromNumber(market.orderPriceMinTickSize ?? 0.01, 'halfEven'),
            min_size: microFromNumber(market.orderMinSize ?? 0, 'halfEven'),
            created_at: now,
            updated_at: now,
          })
          .onConflict((oc) => oc.column('condition_id').doNothing())
          .execute();
        for (const [i, id] of market.clobTokenIds!.entries()) {
          await trx
            .insertInto('tokens')
            .values({
              token_id: id,
              condition_id: conditionId,
              outcome: market.outcomes[i] ?? '',
              outcome_index: i,
              winner: null,
              updated_at: now,
            })
            .onConflict((oc) => oc.column('token_id').doNothing())
            .execute();
        }
      });
      const index = market.clobTokenIds.indexOf(tokenId);
      return { conditionId, outcome: market.outcomes[index] ?? null };
    }
    return null;
  }

  return (tokenId) => {
    let pending = cache.get(tokenId);
    if (!pending) {
      pending = lookup(tokenId);
      cache.set(tokenId, pending);
      // A failed lookup is not remembered: the next sighting asks again.
      pending.catch(() => cache.delete(tokenId));
    }
    return pending;
  };
}
