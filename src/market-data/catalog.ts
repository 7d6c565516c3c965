/**
 * The market catalog: what trading needs to know about a market (its tokens and outcomes, tick,
 * minimum size, taker fee rate, end date, whether it is open and, once resolved, which outcome
 * won). Read from Gamma and kept in the `markets` and `tokens` tables, so a restart does not ask
 * again; refreshed from Gamma when older than `maxAgeMs` (open/closed and winners change). Lookups
 * of one market share one request.
 */
import type { Kysely } from 'kysely';
import { microFromNumber } from '../core/decimal.ts';
import type { Price, Shares } from '../core/money.ts';
import type { TickSize } from '../core/tick.ts';
import { type GammaMarket, gammaMarketsSchema } from '../polymarket/gamma/index.ts';
import type { Database, Store } from '../store/index.ts';

export interface MarketToken {
  tokenId: string;
  outcome: string;
  outcomeIndex: number;
  /** Null until the market resolves. */
  winner: boolean | null;
}

export interface MarketInfo {
  conditionId: string;
  question: string;
  slug: string | null;
  negRisk: boolean;
  tickSize: TickSize;
  minSize: Shares;
  /** Micro-units: fee = shares x rate x p(1 - p). */
  feeRate: number;
  endAt: number | null;
  active: boolean;
  closed: boolean;
  acceptingOrders: boolean;
  tokens: MarketToken[];
  /** When the catalog last read it from Gamma. */
  updatedAt: number;
}

export interface MarketCatalog {
  /** The market a token belongs to; null when Gamma does not know the token. */
  byToken(tokenId: string): Promise<MarketInfo | null>;
  byCondition(conditionId: string): Promise<MarketInfo | null>;
  /** Reads the market from Gamma now (e.g. to see a resolution). */
  refresh(conditionId: string): Promise<MarketInfo | null>;
}

export interface MarketCatalogOptions {
  store: Store;
  gammaUrl: string;
  now: () => number;
  /** Older rows are read again from Gamma; default 60 s. */
  maxAgeMs?: number;
  fetch?: typeof fetch;
}

const DEFAULT_TICK = 10_000;

export function createMarketCatalog(options: MarketCatalogOptions): MarketCatalog {
  const { db } = options.store;
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  const doFetch = options.fetch ?? globalThis.fetch;
  const base = options.gammaUrl.replace(/\/+$/, '');
  const inflight = new Map<string, Promise<MarketInfo | null>>();

  async function fromDb(where: { tokenId: string } | { conditionId: string }): Promise<MarketInfo | null> {
    let conditionId: string;
    if ('tokenId' in where) {
      const t = await db
        .selectFrom('tokens')
        .select('condition_id')
        .where('token_id', '=', where.tokenId)
        .executeTakeFirst();
      if (!t) return null;
      conditionId = t.condition_id;
    } else {
      conditionId = where.conditionId;
    }
    const m = await db
      .selectFrom('markets')
      .selectAll()
      .where('condition_id', '=', conditionId)
      .executeTakeFirst();
    if (!m) return null;
    const tokens = await db
      .selectFrom('tokens')
      .selectAll()
      .where('condition_id', '=', conditionId)
      .orderBy('outcome_index')
      .execute();
    return {
      conditionId,
      question: m.question,
      slug: m.slug,
      negRisk: m.neg_risk === 1,
      tickSize: m.tick_size as TickSize,
      minSize: m.min_size as Shares,
      feeRate: m.fee_rate,
      endAt: m.end_at,
      active: m.active === 1,
      closed: m.closed === 1,
      acceptingOrders: m.accepting_orders === 1,
      tokens: tokens.map((t) => ({
        tokenId: t.token_id,
        outcome: t.outcome,
        outcomeIndex: t.outcome_index,
        winner: t.winner === null ? null : t.winner === 1,
      })),
      updatedAt: m.updated_at,
    };
  }

  async function fetchGamma(query: string): Promise<GammaMarket | null> {
    // Gamma hides closed markets unless asked, so a resolved market needs the second ask.
    for (const q of [query, `${query}&closed=true`]) {
      const res = await doFetch(`${base}/markets?${q}`);
      if (!res.ok) throw new Error(`Gamma answered ${res.status} for /markets?${q}`);
      const markets = gammaMarketsSchema.parse(await res.json());
      const market = markets[0];
      if (market?.clobTokenIds) return market;
    }
    return null;
  }

  function once(key: string, run: () => Promise<MarketInfo | null>): Promise<MarketInfo | null> {
    let pending = inflight.get(key);
    if (!pending) {
      pending = run().finally(() => inflight.delete(key));
      inflight.set(key, pending);
    }
    return pending;
  }

  const load = (
    key: string,
    where: { tokenId: string } | { conditionId: string },
    query: string,
    force: boolean,
  ) =>
    once(key, async () => {
      const known = await fromDb(where);
      if (known && !force && options.now() - known.updatedAt < maxAgeMs) return known;
      try {
        const market = await fetchGamma(query);
        if (!market) return known;
        await saveGammaMarket(db, market, options.now());
      } catch (err) {
        // Stale is better than nothing when Gamma is down; nothing known means the caller must know.
        if (known) return known;
        throw err;
      }
      return fromDb(where);
    });

  return {
    byToken: (tokenId) =>
      load(`t:${tokenId}`, { tokenId }, `clob_token_ids=${encodeURIComponent(tokenId)}`, false),
    byCondition: (conditionId) => {
      const id = conditionId.toLowerCase();
      return load(`c:${id}`, { conditionId: id }, `condition_ids=${encodeURIComponent(id)}`, false);
    },
    refresh: (conditionId) => {
      const id = conditionId.toLowerCase();
      return load(`r:${id}`, { conditionId: id }, `condition_ids=${encodeURIComponent(id)}`, true);
    },
  };
}

/**
 * Upserts one Gamma market and its tokens into `markets` and `tokens`, in one transaction: the
 * catalog's lookups and `polyhunter catalog sync` store a market the same way.
 */
export async function saveGammaMarket(db: Kysely<Database>, m: GammaMarket, now: number): Promise<void> {
  const conditionId = m.conditionId.toLowerCase();
  const tokenIds = m.clobTokenIds ?? [];
  // A closed market's outcome prices are its payouts: 1 for the winner, 0 for the others.
  const resolved = m.closed && m.outcomePrices?.some((p) => Number(p) === 1) === true;
  const row = {
    question: m.question,
    slug: m.slug,
    neg_risk: m.negRisk ? 1 : 0,
    neg_risk_market_id: m.negRiskMarketID || null,
    tick_size: microFromNumber(m.orderPriceMinTickSize ?? DEFAULT_TICK / 1e6, 'halfEven'),
    min_size: microFromNumber(m.orderMinSize ?? 0, 'halfEven'),
    fee_rate: m.feesEnabled === false ? 0 : microFromNumber(m.feeSchedule?.rate ?? 0, 'halfEven'),
    end_at: m.endDate === undefined ? null : Date.parse(m.endDate),
    active: m.active ? 1 : 0,
    closed: m.closed ? 1 : 0,
    accepting_orders: m.acceptingOrders === false || m.closed ? 0 : 1,
    updated_at: now,
  } as const;
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('markets')
      .values({ condition_id: conditionId, created_at: now, ...row })
      .onConflict((oc) => oc.column('condition_id').doUpdateSet(row))
      .execute();
    for (const [i, tokenId] of tokenIds.entries()) {
      const winner = resolved ? (Number(m.outcomePrices?.[i]) === 1 ? 1 : 0) : null;
      const token = {
        condition_id: conditionId,
        outcome: m.outcomes[i] ?? '',
        outcome_index: i,
        winner,
        updated_at: now,
      } as const;
      await trx
        .insertInto('tokens')
        .values({ token_id: tokenId, ...token })
        .onConflict((oc) => oc.column('token_id').doUpdateSet(token))
        .execute();
    }
  });
}

/** The token's winning payout once resolved (1 or 0 per share), else null. */
export function payoutOf(market: MarketInfo, tokenId: string): Price | null {
  const t = market.tokens.find((x) => x.tokenId === tokenId);
  if (!t || t.winner === null) return null;
  return (t.winner ? 1_000_000 : 0) as Price;
}
