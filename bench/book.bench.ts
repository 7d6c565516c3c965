/**
 * Order books: applying `price_change` levels (the feed's hot path, alone and from wire text),
 * walking a book for a taker order (paper fills, risk pricing), and the hash check run once per
 * operation.
 */
import { parsePrice, parseShares } from '../src/core/decimal.ts';
import type { Price, Shares, Usdc } from '../src/core/money.ts';
import { bookHash, parseMarketFrame } from '../src/market-data/book/index.ts';
import { type BookSide, type Level, OrderBook, walkBook } from '../src/market-data/index.ts';
import { isLegacyPriceChange } from '../src/polymarket/clob/index.ts';
import { suite } from './harness.ts';

const LEVELS = 50;
const TICK = 10_000;

/** Bids 0.01..0.50 and asks 0.51..1.00 minus the ends, sizes varied: a deep two-sided book. */
function deepBook(): OrderBook {
  const bids: Level[] = [];
  const asks: Level[] = [];
  for (let i = 1; i < LEVELS; i++) {
    bids.push({ price: (i * TICK) as Price, size: (1_000_000 * (i % 7) + 10_000_000) as Shares });
    asks.push({ price: ((100 - i) * TICK) as Price, size: (1_000_000 * (i % 5) + 10_000_000) as Shares });
  }
  const book = new OrderBook('1');
  book.market = `0x${'ab'.repeat(32)}`;
  book.replace(bids, asks);
  return book;
}

// Changes cluster near the top of book, as real ones do: the 8 best levels each side.
const CHANGES = Array.from({ length: 1024 }, (_, i) => {
  const side: BookSide = i % 2 === 0 ? 'bid' : 'ask';
  const depth = (i * 7) % 8;
  const price = (side === 'bid' ? (LEVELS - 1 - depth) * TICK : (LEVELS + 1 + depth) * TICK) as Price;
  const size = (i % 5 === 0 ? 0 : 1_000_000 * ((i % 13) + 1)) as Shares;
  return { side, price, size };
});

const book = deepBook();
let n = 0;

const market = `0x${'ab'.repeat(32)}`;
const FRAMES = CHANGES.slice(0, 64).map((c, i) =>
  JSON.stringify({
    market,
    price_changes: [
      {
        asset_id: '1',
        price: String(c.price / 1_000_000),
        size: String(c.size / 1_000_000),
        side: c.side === 'bid' ? 'BUY' : 'SELL',
        hash: 'a'.repeat(40),
        best_bid: '0.49',
        best_ask: '0.51',
      },
      {
        asset_id: '2',
        price: String(1 - c.price / 1_000_000),
        size: String(c.size / 1_000_000),
        side: c.side === 'bid' ? 'SELL' : 'BUY',
        hash: 'b'.repeat(40),
        best_bid: '0.49',
        best_ask: '0.51',
      },
    ],
    timestamp: String(1_790_000_000_000 + i),
    event_type: 'price_change',
  }),
);
const frameBook = deepBook();

const walkSource = deepBook();
const asks = walkSource.levels('ask');
const bids = walkSource.levels('bid');
const changing = deepBook();

const hashed = deepBook();
const meta = {
  market,
  assetId: '1',
  timestamp: '1790000000000',
  minOrderSize: '5',
  tickSize: '0.01',
  negRisk: false,
  lastTradePrice: '0.500',
};

await suite('order book', [
  {
    name: 'apply price_change level (setLevel, 50x2 levels)',
    minOpsPerSec: 1_000_000,
    fn: () => {
      const c = CHANGES[n++ & 1023]!;
      book.setLevel(c.side, c.price, c.size);
    },
  },
  {
    name: 'price_change frame: validate + parse + apply',
    minOpsPerSec: 20_000,
    fn: () => {
      const frame = parseMarketFrame(FRAMES[n++ & 63]!);
      if (frame.kind !== 'items') return;
      for (const item of frame.items) {
        if (item.kind !== 'message' || item.message.event_type !== 'price_change') continue;
        if (isLegacyPriceChange(item.message)) continue;
        for (const c of item.message.price_changes) {
          if (c.asset_id !== '1') continue;
          frameBook.setLevel(c.side === 'BUY' ? 'bid' : 'ask', parsePrice(c.price), parseShares(c.size));
        }
      }
    },
  },
  {
    name: 'walkBook BUY $250 (32 levels, USDC target)',
    minOpsPerSec: 80_000,
    fn: () => walkBook(asks, 'BUY', { usdc: 250_000_000 as Usdc }, 990_000 as Price),
  },
  {
    name: 'walkBook SELL 100 shares (8 levels)',
    minOpsPerSec: 300_000,
    fn: () => walkBook(bids, 'SELL', { shares: 100_000_000 as Shares }, 10_000 as Price),
  },
  {
    name: 'levels() after a change + walk (cache rebuilt)',
    minOpsPerSec: 200_000,
    fn: () => {
      const c = CHANGES[n++ & 1023]!;
      changing.setLevel('ask', ((LEVELS + 1) * TICK) as Price, c.size);
      return walkBook(changing.levels('ask'), 'BUY', { shares: 20_000_000 as Shares }, 990_000 as Price);
    },
  },
  {
    name: 'bookHash (the per-operation hash check, 50x2 levels)',
    minOpsPerSec: 5_000,
    fn: () => bookHash(hashed, meta),
  },
]);
