/**
 * Which market and outcome a token belongs to, for sources that know only the token (the chain):
 * the market catalog's answer, in the shape ingest needs.
 */
import type { MarketCatalog } from '../market-data/catalog.ts';
import type { TokenInfo } from './ingest/index.ts';

export function tokenResolverOf(catalog: MarketCatalog): (tokenId: string) => Promise<TokenInfo | null> {
  return async (tokenId) => {
    const market = await catalog.byToken(tokenId);
    if (!market) return null;
    const token = market.tokens.find((t) => t.tokenId === tokenId);
    return { conditionId: market.conditionId, outcome: token?.outcome ?? null };
  };
}
