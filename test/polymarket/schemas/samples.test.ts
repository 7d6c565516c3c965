/**
 * Every payload in the shared samples folder parses with its schema, and a new sample file without
 * one fails the first test. The chain logs go through the chain decoder, which validates them with
 * its own log schema.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { decodeOrderFilled } from '../../../src/polymarket/chain/index.ts';
import {
  cancelOrdersResponseSchema,
  clobBookSchema,
  clobMarketSchema,
  isLegacyPriceChange,
  postOrderResponseSchema,
  WS_MARKET_EVENT_TYPES,
  wsBestBidAskMessageSchema,
  wsBookMessageSchema,
  wsLastTradePriceMessageSchema,
  wsLegacyPriceChangeMessageSchema,
  wsMarketMessageSchema,
  wsMarketResolvedMessageSchema,
  wsNewMarketMessageSchema,
  wsPriceChangeMessageSchema,
  wsTickSizeChangeMessageSchema,
  wsUserMessageSchema,
  wsUserOrderMessageSchema,
  wsUserTradeMessageSchema,
} from '../../../src/polymarket/clob/schemas/index.ts';
import {
  dataApiV1ActivityListSchema,
  dataApiV1TradeListSchema,
  dataApiV2TradesPageSchema,
} from '../../../src/polymarket/data-api/index.ts';
import { gammaMarketSchema } from '../../../src/polymarket/gamma/index.ts';
import { rtdsActivityTradeMessageSchema } from '../../../src/polymarket/rtds/index.ts';
import { readSample, SAMPLES } from '../../support/shape.ts';

interface Parser {
  parse(input: unknown): unknown;
}

/**
 * Not a wire message: NT's decoded V2 taker fills (base-unit strings), the fee formula's test
 * vectors (checked in test/polymarket/chain/decode-order-filled.test.ts). Its shape is pinned here.
 */
const decodedTakerFillsSchema = z.array(
  z.strictObject({
    exchange: z.enum(['standard', 'neg_risk']),
    side: z.enum(['BUY', 'SELL']),
    maker_amount_filled: z.string().regex(/^\d+$/),
    taker_amount_filled: z.string().regex(/^\d+$/),
    fee: z.string().regex(/^\d+$/),
    price: z.string().regex(/^0\.\d+$/),
    fee_rate: z.string().regex(/^0(\.\d+)?$/),
  }),
);

/** Sample file -> the parser an adapter would use on it. */
const PARSERS: Record<string, Parser> = {
  'chain_order_filled_v2_taker_fees.json': decodedTakerFillsSchema,
  'clob_book_rest.json': clobBookSchema,
  'clob_book_rest_empty_ask.json': clobBookSchema,
  'clob_cancel_orders_response_nautilus.json': cancelOrdersResponseSchema,
  'clob_market_by_condition_sanitized.json': clobMarketSchema,
  'clob_post_order_response_delayed_nautilus.json': postOrderResponseSchema,
  'clob_post_order_response_nautilus.json': postOrderResponseSchema,
  'data_api_activity_v1_docs.json': dataApiV1ActivityListSchema,
  'data_api_trades_v1_excerpt.json': dataApiV1TradeListSchema,
  'data_api_trades_v2_sanitized.json': dataApiV2TradesPageSchema,
  'gamma_market.json': gammaMarketSchema,
  'order_filled_v1_log.json': { parse: decodeOrderFilled },
  'order_filled_v2_log.json': { parse: decodeOrderFilled },
  'rtds_activity_trades.json': z.array(rtdsActivityTradeMessageSchema),
  'ws_market_best_bid_ask.json': wsBestBidAskMessageSchema,
  'ws_market_book.json': wsBookMessageSchema,
  'ws_market_last_trade_price.json': wsLastTradePriceMessageSchema,
  'ws_market_market_resolved.json': wsMarketResolvedMessageSchema,
  'ws_market_new_market.json': wsNewMarketMessageSchema,
  'ws_market_price_change.json': wsPriceChangeMessageSchema,
  'ws_market_price_change_legacy.json': wsLegacyPriceChangeMessageSchema,
  'ws_market_tick_size_change.json': wsTickSizeChangeMessageSchema,
  'ws_user_order_docs.json': wsUserOrderMessageSchema,
  'ws_user_order_fok_killed_nautilus.json': wsUserOrderMessageSchema,
  'ws_user_trade_docs.json': wsUserTradeMessageSchema,
};

describe('samples folder', () => {
  it('has a parser for every file (add one here when a sample is added)', () => {
    const files = readdirSync(SAMPLES)
      .filter((f) => f !== 'README.md')
      .sort();
    expect(files).toEqual(Object.keys(PARSERS).sort());
  });

  it.each(Object.entries(PARSERS))('%s parses', (file, parser) => {
    expect(() => parser.parse(readSample(file))).not.toThrow();
  });
});

describe('what the parsed samples hold', () => {
  it('Gamma: the JSON-encoded arrays are decoded, unknown keys kept', () => {
    const market = gammaMarketSchema.parse(readSample('gamma_market.json'));
    expect(market.outcomes).toEqual(['Yes', 'No']);
    expect(market.outcomePrices).toEqual(['0.2325', '0.7675']);
    expect(market.clobTokenIds).toEqual([
      '54533043819946592547517511176940999955633860128497669742211153063842200957669',
      '87854174148074652060467921081181402357467303721471806610111179101805869578687',
    ]);
    expect(market.feeSchedule).toEqual({ exponent: 1, rate: 0.04, takerOnly: true, rebateRate: 0.25 });
    expect(market.events?.[0]?.negRiskMarketID).toBe(market.negRiskMarketID);
    expect(market.umaBond).toBe('25000');
  });

  it('CLOB REST: "" becomes null for a missing last trade price and for amounts of a delayed order', () => {
    expect(clobBookSchema.parse(readSample('clob_book_rest_empty_ask.json')).last_trade_price).toBeNull();
    expect(clobBookSchema.parse(readSample('clob_book_rest.json')).last_trade_price).toBe('0.420');
    const delayed = postOrderResponseSchema.parse(
      readSample('clob_post_order_response_delayed_nautilus.json'),
    );
    expect(delayed).toMatchObject({ status: 'delayed', takingAmount: null, makingAmount: null });
    const matched = postOrderResponseSchema.parse(readSample('clob_post_order_response_nautilus.json'));
    expect(matched.tradeIDs).toEqual(['trade-0x001', 'trade-0x002']);
    expect(matched.errorMsg).toBeNull();
  });

  const marketSamples = [
    'ws_market_best_bid_ask.json',
    'ws_market_book.json',
    'ws_market_last_trade_price.json',
    'ws_market_market_resolved.json',
    'ws_market_new_market.json',
    'ws_market_price_change.json',
    'ws_market_price_change_legacy.json',
    'ws_market_tick_size_change.json',
  ];

  it('the market-channel union dispatches every sample on event_type and tells both price_change formats apart', () => {
    const types = marketSamples.map((file) => wsMarketMessageSchema.parse(readSample(file)).event_type);
    expect(new Set(types)).toEqual(new Set(WS_MARKET_EVENT_TYPES));
    const current = wsMarketMessageSchema.parse(readSample('ws_market_price_change.json'));
    const legacy = wsMarketMessageSchema.parse(readSample('ws_market_price_change_legacy.json'));
    if (current.event_type !== 'price_change' || legacy.event_type !== 'price_change') {
      throw new Error('expected two price_change messages');
    }
    expect(isLegacyPriceChange(current)).toBe(false);
    expect(isLegacyPriceChange(legacy)).toBe(true);
    if (!isLegacyPriceChange(current)) {
      expect(current.price_changes.map((c) => [c.side, c.best_bid, c.best_ask])).toEqual([
        ['BUY', '0.61', '0.62'],
        ['SELL', '0.38', '0.39'],
      ]);
    }
  });

  it('the user-channel union dispatches orders and trades; null trade lists and "" sizes are normalized', () => {
    const placed = wsUserMessageSchema.parse(readSample('ws_user_order_docs.json'));
    const killed = wsUserMessageSchema.parse(readSample('ws_user_order_fok_killed_nautilus.json'));
    const trade = wsUserMessageSchema.parse(readSample('ws_user_trade_docs.json'));
    expect([placed.event_type, killed.event_type, trade.event_type]).toEqual(['order', 'order', 'trade']);
    expect(placed).toMatchObject({ type: 'PLACEMENT', associate_trades: [], size_matched: '0' });
    expect(killed).toMatchObject({
      type: 'CANCELLATION',
      size_matched: null,
      created_at: null,
      order_type: 'FOK',
    });
    expect(trade).toMatchObject({
      status: 'MATCHED',
      maker_orders: [{ matched_amount: '10', price: '0.57' }],
    });
  });

  it('RTDS: the fee is present on some payloads only; timestamps keep their units', () => {
    const frames = z.array(rtdsActivityTradeMessageSchema).parse(readSample('rtds_activity_trades.json'));
    expect(frames.map((f) => f.payload.fee)).toEqual([1.5309, undefined, 0.03097, 0.20292, undefined]);
    for (const f of frames) expect(Math.floor(f.timestamp / 1000)).toBe(f.payload.timestamp);
  });

  it('Data API: rows keep numbers as numbers and timestamps in seconds', () => {
    const [activity] = dataApiV1ActivityListSchema.parse(readSample('data_api_activity_v1_docs.json'));
    expect(activity).toMatchObject({ type: 'TRADE', side: 'BUY', size: 600, usdcSize: 354, price: 0.59 });
    const page = dataApiV2TradesPageSchema.parse(readSample('data_api_trades_v2_sanitized.json'));
    expect(page.pagination).toEqual({ limit: 500, offset: 0, has_more: false, next_cursor: null });
    expect(page.data.map((r) => r.timestamp)).toEqual([1786179735, 1786179730, 1786179726]);
  });
});
