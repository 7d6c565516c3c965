/**
 * One token's view of a market's YES book, and `GET /book`'s exact reply with its hash.
 *
 * The NO token sees the YES book mirrored: its bids are the YES asks at 1 - p, its asks the YES
 * bids at 1 - p. Mirroring reverses price order and swaps sides, so the best-last order carries
 * over without sorting.
 *
 * The hash is CCv2's `generateOrderBookSummaryHash`: SHA-1 of `JSON.stringify` of the summary
 * with `hash: ""`, keys in the reply's order. Recomputing it over two real captures
 * (`clob_book_rest.json`, `clob_book_rest_empty_ask.json`) reproduces their `hash` exactly, so the
 * server computes the same.
 */
import { createHash } from 'node:crypto';
import { formatMicro, MICRO, type Price, type Shares } from '../../core/index.ts';
import type { Level } from './book.ts';
import type { MarketState } from './market.ts';
import type { BookLevel, BookLevels, BookSummary, OutcomeIndex } from './types.ts';

function mirror(levels: readonly Level[], outcome: OutcomeIndex): BookLevel[] {
  return levels.map((l) => ({
    price: (outcome === 0 ? l.price : MICRO - l.price) as Price,
    size: l.size as Shares,
  }));
}

export function tokenLevels(market: MarketState, outcome: OutcomeIndex): BookLevels {
  const { bids, asks } = market.book;
  return outcome === 0
    ? { bids: mirror(bids.levels, 0), asks: mirror(asks.levels, 0) }
    : { bids: mirror(asks.levels, 1), asks: mirror(bids.levels, 1) };
}

/** Best bid and ask of one token (null for an empty side). */
export function tokenTop(market: MarketState, outcome: OutcomeIndex): [Price | null, Price | null] {
  const bid = market.book.bids.best()?.price ?? null;
  const ask = market.book.asks.best()?.price ?? null;
  if (outcome === 0) return [bid, ask];
  return [ask === null ? null : ((MICRO - ask) as Price), bid === null ? null : ((MICRO - bid) as Price)];
}

const text = (l: BookLevel) => ({ price: formatMicro(l.price), size: formatMicro(l.size) });

/** Real books print the last trade price with 3 decimals ("0.420"), or "" before any trade. */
function lastTradeText(market: MarketState, outcome: OutcomeIndex): string {
  const last = market.lastTrade[outcome];
  return last === null ? '' : formatMicro(last.price, { minDecimals: 3 });
}

/** The `/book` reply for one token, hash included. */
export function bookSummary(market: MarketState, outcome: OutcomeIndex): BookSummary {
  const levels = tokenLevels(market, outcome);
  return {
    market: market.conditionId,
    asset_id: market.tokenIds[outcome],
    timestamp: String(market.bookTimestamp),
    hash: tokenBookHash(market, outcome),
    bids: levels.bids.map(text),
    asks: levels.asks.map(text),
    min_order_size: formatMicro(market.minOrderSize),
    tick_size: formatMicro(market.tickSize),
    neg_risk: market.negRisk,
    last_trade_price: lastTradeText(market, outcome),
  };
}

/** SHA-1 of the summary with an empty hash field, as CCv2 computes it. */
export function bookHash(summary: BookSummary): string {
  return sha1(JSON.stringify({ ...summary, hash: '' }));
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/**
 * Each level's `{"price":..,"size":..}` text for both tokens, kept until its size changes: every
 * operation hashes both books, and re-formatting every level each time dominated its cost.
 */
interface LevelJson {
  size: number;
  yes: string;
  no: string;
}

const levelJsonCache = new WeakMap<Level, LevelJson>();

function levelJson(level: Level, outcome: OutcomeIndex): string {
  let cached = levelJsonCache.get(level);
  if (cached === undefined || cached.size !== level.size) {
    const size = formatMicro(level.size);
    cached = {
      size: level.size,
      yes: `{"price":"${formatMicro(level.price)}","size":"${size}"}`,
      no: `{"price":"${formatMicro(MICRO - level.price)}","size":"${size}"}`,
    };
    levelJsonCache.set(level, cached);
  }
  return outcome === 0 ? cached.yes : cached.no;
}

function levelsJson(levels: readonly Level[], outcome: OutcomeIndex): string {
  let out = '';
  for (let i = 0; i < levels.length; i++) out += (i === 0 ? '' : ',') + levelJson(levels[i]!, outcome);
  return out;
}

/**
 * The hash `bookSummary(market, outcome)` carries, without building the summary: the same JSON
 * text as `JSON.stringify` gives, put together from cached level texts.
 */
export function tokenBookHash(market: MarketState, outcome: OutcomeIndex): string {
  const { bids, asks } = market.book;
  const [bidLevels, askLevels] = outcome === 0 ? [bids.levels, asks.levels] : [asks.levels, bids.levels];
  const json =
    `{"market":${JSON.stringify(market.conditionId)},"asset_id":${JSON.stringify(market.tokenIds[outcome])}` +
    `,"timestamp":"${market.bookTimestamp}","hash":"","bids":[${levelsJson(bidLevels, outcome)}]` +
    `,"asks":[${levelsJson(askLevels, outcome)}],"min_order_size":"${formatMicro(market.minOrderSize)}"` +
    `,"tick_size":"${formatMicro(market.tickSize)}","neg_risk":${market.negRisk}` +
    `,"last_trade_price":"${lastTradeText(market, outcome)}"}`;
  return sha1(json);
}
