/** The book hash over real captures and simulator books, and the pure consistency check. */
import { describe, expect, it } from 'vitest';
import type { Price, Shares } from '../../src/core/money.ts';
import {
  type BookHashMeta,
  bookHash,
  checkBook,
  compareHash,
  wireBookHash,
} from '../../src/market-data/book/index.ts';
import { levelsFromWire } from '../../src/market-data/book/wire.ts';
import { OrderBook } from '../../src/market-data/index.ts';
import { clobBookSchema } from '../../src/polymarket/clob/index.ts';
import { readSample } from '../support/shape.ts';

function restSample(name: string) {
  return clobBookSchema.parse(readSample(name));
}

function metaOf(reply: ReturnType<typeof restSample>): BookHashMeta {
  return {
    market: reply.market,
    assetId: reply.asset_id,
    timestamp: reply.timestamp,
    minOrderSize: reply.min_order_size,
    tickSize: reply.tick_size,
    negRisk: reply.neg_risk,
    lastTradePrice: reply.last_trade_price ?? '',
  };
}

function bookOf(reply: ReturnType<typeof restSample>): OrderBook {
  const book = new OrderBook(reply.asset_id);
  book.market = reply.market;
  book.replace(levelsFromWire(reply.bids), levelsFromWire(reply.asks));
  return book;
}

describe('book hash', () => {
  it.each(['clob_book_rest.json', 'clob_book_rest_empty_ask.json'])(
    'reproduces the hash of the real REST capture %s from its text and from micro values',
    (name) => {
      const reply = restSample(name);
      expect(wireBookHash(metaOf(reply), reply.bids, reply.asks)).toBe(reply.hash);
      expect(bookHash(bookOf(reply), metaOf(reply))).toBe(reply.hash);
    },
  );

  it('changes with any hashed field', () => {
    const reply = restSample('clob_book_rest.json');
    const book = bookOf(reply);
    const meta = metaOf(reply);
    for (const change of [
      { timestamp: '1' },
      { minOrderSize: '15' },
      { negRisk: !meta.negRisk },
      { lastTradePrice: '' },
      { tickSize: '0.001' },
    ]) {
      expect(bookHash(book, { ...meta, ...change })).not.toBe(reply.hash);
    }
  });
});

describe('checkBook', () => {
  const reply = restSample('clob_book_rest.json');
  const meta = {
    minOrderSize: reply.min_order_size,
    negRisk: reply.neg_risk,
    tickSize: reply.tick_size,
    lastTradePrice: reply.last_trade_price ?? '',
  };
  const book = bookOf(reply);
  const bid = book.bestBidPrice();
  const ask = book.bestAskPrice();

  it('passes a book that matches the top of book and the hash', () => {
    const expected = { hash: reply.hash, bestBid: bid, bestAsk: ask, timestamp: reply.timestamp };
    expect(checkBook(book, expected, meta, 'enforce')).toEqual({ problem: null, hash: 'match' });
  });

  it('names the first problem: top of book, then crossed, then hash (only when enforced)', () => {
    const base = { hash: reply.hash, bestBid: bid, bestAsk: ask, timestamp: reply.timestamp };
    expect(checkBook(book, { ...base, bestAsk: 1 as Price }, meta, 'enforce').problem).toBe('top_of_book');
    expect(checkBook(book, { ...base, hash: 'ab' }, meta, 'enforce')).toEqual({
      problem: 'hash',
      hash: 'mismatch',
    });
    expect(checkBook(book, { ...base, hash: 'ab' }, meta, 'observe')).toEqual({
      problem: null,
      hash: 'mismatch',
    });
    expect(checkBook(book, { ...base, hash: 'ab' }, meta, 'off')).toEqual({ problem: null, hash: 'skipped' });
    const crossed = new OrderBook('x');
    crossed.replace(
      [{ price: 600_000 as Price, size: 1 as Shares }],
      [{ price: 500_000 as Price, size: 1 as Shares }],
    );
    const top = { hash: undefined, bestBid: undefined, bestAsk: undefined, timestamp: '1' };
    expect(checkBook(crossed, top, meta, 'enforce').problem).toBe('crossed');
  });

  it('skips the hash while a hashed field is unknown', () => {
    expect(compareHash(book, { ...meta, lastTradePrice: null }, reply.hash, reply.timestamp)).toBe('skipped');
    expect(compareHash(book, { ...meta, minOrderSize: null }, reply.hash, reply.timestamp)).toBe('skipped');
    expect(compareHash(book, meta, undefined, reply.timestamp)).toBe('skipped');
  });

  it('cannot reproduce the real websocket book hash with the REST fields (why the feed only enforces proven hashes)', () => {
    const ws = readSample('ws_market_book.json') as typeof reply & {
      tick_size: string;
      last_trade_price: string;
    };
    const wsBook = new OrderBook(ws.asset_id);
    wsBook.market = ws.market;
    wsBook.replace(levelsFromWire(ws.bids), levelsFromWire(ws.asks));
    const verdict = compareHash(
      wsBook,
      { ...meta, tickSize: ws.tick_size, lastTradePrice: ws.last_trade_price },
      ws.hash,
      ws.timestamp,
    );
    expect(verdict).toBe('mismatch');
  });
});
