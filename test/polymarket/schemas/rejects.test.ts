/**
 * Each schema refuses a wrong type, a missing key and (Gamma) a bad JSON-encoded string, and says
 * where: every case names the path its issue must point at. The valid inputs are the samples, or
 * for the rows no sample has, rows written from the documented key lists (api-reference.md §2).
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  cancelOrdersResponseSchema,
  clobBookSchema,
  clobMarketSchema,
  postOrderResponseSchema,
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
  dataApiV1ActivitySchema,
  dataApiV1PositionSchema,
  dataApiV1TradeSchema,
  dataApiV2ActivitySchema,
  dataApiV2PositionSchema,
  dataApiV2TradesPageSchema,
} from '../../../src/polymarket/data-api/index.ts';
import { gammaEventSchema, gammaMarketSchema } from '../../../src/polymarket/gamma/index.ts';
import { rtdsActivityTradeMessageSchema, rtdsMessageSchema } from '../../../src/polymarket/rtds/index.ts';
import { readSample } from '../../support/shape.ts';

type Path = readonly (string | number)[];
type Json = Record<string, unknown>;

/** A copy of `base` with the value at `path` replaced, or removed when `value` is REMOVE. */
const REMOVE = Symbol('remove');
function changed(base: unknown, path: Path, value: unknown): unknown {
  const copy = structuredClone(base);
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === REMOVE) delete node[last];
  else node[last] = value;
  return copy;
}

interface Case {
  why: string;
  path: Path;
  value: unknown;
  /** Where the issue must point; defaults to `path`. */
  issueAt?: Path;
  /** A phrase the issue's message must contain. */
  message?: string;
}

function rejects(name: string, schema: z.ZodType, valid: unknown, cases: Case[]): void {
  describe(name, () => {
    it('accepts the valid input', () => {
      expect(schema.safeParse(valid).success).toBe(true);
    });
    it.each(cases)('rejects $why', ({ path, value, issueAt, message }) => {
      const result = schema.safeParse(changed(valid, path, value));
      expect(result.success).toBe(false);
      const issues = result.error!.issues;
      expect(issues.map((i) => i.path.join('.'))).toContain((issueAt ?? path).join('.'));
      if (message !== undefined) expect(issues.map((i) => i.message).join('\n')).toContain(message);
    });
  });
}

const gammaMarket = readSample('gamma_market.json') as Json;
const firstOf = (file: string) => (readSample(file) as unknown[])[0];

rejects('gammaMarketSchema', gammaMarketSchema, gammaMarket, [
  { why: 'a number for conditionId', path: ['conditionId'], value: 559652 },
  { why: 'a missing outcomes', path: ['outcomes'], value: REMOVE },
  {
    why: 'clobTokenIds that is not JSON',
    path: ['clobTokenIds'],
    value: '["5453", ',
    message: 'expected a string holding a JSON array of token ids; not JSON',
  },
  {
    why: 'outcomes that decode to an object',
    path: ['outcomes'],
    value: '{"Yes": 0}',
    message: 'not an array',
  },
  { why: 'outcomes as a real array (not encoded)', path: ['outcomes'], value: ['Yes', 'No'] },
  {
    why: 'token ids encoded as numbers',
    path: ['clobTokenIds'],
    value: '[1, 2]',
    issueAt: ['clobTokenIds', 0],
  },
  {
    why: 'an outcome price above 1',
    path: ['outcomePrices'],
    value: '["0.2", "1.5"]',
    issueAt: ['outcomePrices', 1],
  },
  {
    why: 'fewer token ids than outcomes',
    path: ['clobTokenIds'],
    value: '["1"]',
    message: '1 token ids for 2 outcomes',
  },
  { why: 'the tick size as a string', path: ['orderPriceMinTickSize'], value: '0.001' },
  { why: 'negRisk as a string', path: ['negRisk'], value: 'true' },
  { why: 'an endDate that is not ISO', path: ['endDate'], value: 'Nov 7, 2028' },
  { why: 'a fee rate as a string', path: ['feeSchedule', 'rate'], value: '0.04' },
]);

const { events: _events, ...marketOfEvent } = gammaMarket;
rejects(
  'gammaEventSchema',
  gammaEventSchema,
  { ...(gammaMarket.events as Json[])[0], markets: [marketOfEvent] },
  [
    { why: 'a missing id', path: ['id'], value: REMOVE },
    { why: 'a numeric id', path: ['id'], value: 30829 },
    {
      why: 'a market with a bad JSON-encoded outcomes',
      path: ['markets', 0, 'outcomes'],
      value: 'Yes,No',
      message: 'not JSON',
    },
  ],
);

rejects('dataApiV1ActivitySchema', dataApiV1ActivitySchema, firstOf('data_api_activity_v1_docs.json'), [
  {
    why: 'a timestamp in milliseconds',
    path: ['timestamp'],
    value: 1723772457000,
    message: 'epoch seconds expected',
  },
  { why: 'size as a string', path: ['size'], value: '600' },
  { why: 'a missing proxyWallet', path: ['proxyWallet'], value: REMOVE },
  {
    why: 'a wallet with a wrong checksum',
    path: ['proxyWallet'],
    value: '0x6Af75d4e4aaf700450efbac3708cce1665810ff1',
  },
  { why: 'a TRADE row without a side', path: ['side'], value: '', message: 'needs side BUY or SELL' },
  { why: 'a TRADE row without a token', path: ['asset'], value: '', message: 'needs asset' },
  { why: 'a TRADE row priced above 1', path: ['price'], value: 59 },
  { why: 'a lower-case side', path: ['side'], value: 'buy' },
  { why: 'a missing type', path: ['type'], value: REMOVE },
]);

rejects('dataApiV1TradeSchema', dataApiV1TradeSchema, firstOf('data_api_trades_v1_excerpt.json'), [
  { why: 'a price above 1', path: ['price'], value: 68 },
  { why: 'a price as a string', path: ['price'], value: '0.68' },
  { why: 'a missing transactionHash', path: ['transactionHash'], value: REMOVE },
  { why: 'a token id as a number', path: ['asset'], value: 9.68e76 },
  { why: 'a token id in hex', path: ['asset'], value: '0xd60c' },
  { why: 'a condition id without 0x', path: ['conditionId'], value: 'a69826a08aefbfb2' },
  { why: 'a fractional timestamp', path: ['timestamp'], value: 1790262855.5 },
  { why: 'an empty side', path: ['side'], value: '' },
]);

const CONDITION = `0x${'c'.repeat(64)}`;
const TOKEN_A = `1${'0'.repeat(75)}1`;
const TOKEN_B = `1${'0'.repeat(75)}2`;
const WALLET = '0x1111111111111111111111111111111111111111';
const TX = `0x${'a'.repeat(64)}`;

/** A v1 `/positions` row with every documented key. */
const v1Position = {
  proxyWallet: WALLET,
  asset: TOKEN_A,
  conditionId: CONDITION,
  size: 50,
  avgPrice: 0.4,
  initialValue: 20,
  currentValue: 21,
  cashPnl: 1,
  percentPnl: 5,
  totalBought: 50,
  realizedPnl: -0.5,
  percentRealizedPnl: -2.5,
  curPrice: 0.42,
  redeemable: false,
  mergeable: false,
  title: 'Will it?',
  slug: 'will-it',
  icon: '',
  eventSlug: 'will-it',
  outcome: 'Yes',
  outcomeIndex: 0,
  oppositeOutcome: 'No',
  oppositeAsset: TOKEN_B,
  endDate: '2026-12-31',
  negativeRisk: false,
};

rejects('dataApiV1PositionSchema', dataApiV1PositionSchema, v1Position, [
  { why: 'redeemable as a string', path: ['redeemable'], value: 'false' },
  { why: 'a missing asset', path: ['asset'], value: REMOVE },
  { why: 'a current price above 1', path: ['curPrice'], value: 42 },
  { why: 'a negative size', path: ['size'], value: -50 },
  { why: 'a PnL as a string', path: ['cashPnl'], value: '1' },
]);

rejects(
  'dataApiV2TradesPageSchema',
  dataApiV2TradesPageSchema,
  readSample('data_api_trades_v2_sanitized.json'),
  [
    { why: 'has_more as a string', path: ['pagination', 'has_more'], value: 'false' },
    { why: 'a missing pagination', path: ['pagination'], value: REMOVE },
    { why: 'a row without token_id', path: ['data', 0, 'token_id'], value: REMOVE },
    { why: 'a row with size as a string', path: ['data', 2, 'size'], value: '244' },
    { why: 'a row in v1 spelling', path: ['data', 0, 'proxy_wallet'], value: REMOVE },
    { why: 'data as an object', path: ['data'], value: {} },
  ],
);

/** A v2 `/v2/activity` row with every documented key. */
const v2Activity = {
  proxy_wallet: WALLET,
  timestamp: 1786179735,
  condition_id: CONDITION,
  type: 'TRADE',
  size: 10,
  usdc_size: 4.2,
  transaction_hash: TX,
  price: 0.42,
  token_id: TOKEN_A,
  side: 'BUY',
  outcome_index: 0,
  title: 'Will it?',
  slug: 'will-it',
  icon: '',
  event_slug: 'will-it',
  outcome: 'Yes',
  name: '',
  pseudonym: 'Some-One',
  bio: '',
  profile_image: '',
  profile_image_optimized: '',
};

rejects('dataApiV2ActivitySchema', dataApiV2ActivitySchema, v2Activity, [
  { why: 'an unknown side', path: ['side'], value: 'LONG' },
  { why: 'a TRADE row without a token', path: ['token_id'], value: '', message: 'needs token_id' },
  { why: 'a TRADE row without a tx hash', path: ['transaction_hash'], value: '' },
  { why: 'a timestamp as a string', path: ['timestamp'], value: '1786179735' },
  { why: 'a missing usdc_size', path: ['usdc_size'], value: REMOVE },
]);

/** A v2 `/v2/positions` row with every documented key. */
const v2Position = {
  proxy_wallet: WALLET,
  token_id: TOKEN_A,
  condition_id: CONDITION,
  current_size: 50,
  avg_price: 0.4,
  entry_cost_usdc: 20,
  entry_fees_usdc: 0.1,
  total_cost_usdc: 20.1,
  current_price: 0.42,
  current_value: 21,
  total_size: 50,
  realized_pnl: 0,
  unrealized_pnl: 0.9,
  total_pnl: 0.9,
  percent_pnl: 4.48,
  percent_realized_pnl: 0,
  status: 'OPEN',
  redeemable: false,
  mergeable: false,
  negative_risk: false,
  archived: false,
  title: 'Will it?',
  slug: 'will-it',
  icon: '',
  event_id: 7,
  event_slug: 'will-it',
  outcome: 'Yes',
  outcome_index: 0,
  opposite_outcome: 'No',
  opposite_token_id: TOKEN_B,
  end_date: '2026-12-31',
  last_event_at: 1786179735,
  first_entry_at: 1786170000,
  name: '',
  profile_image: '',
  verified: false,
};

rejects('dataApiV2PositionSchema', dataApiV2PositionSchema, v2Position, [
  { why: 'current_size as a string', path: ['current_size'], value: '50' },
  { why: 'a missing status', path: ['status'], value: REMOVE },
  { why: 'an average price above 1', path: ['avg_price'], value: 40 },
  { why: 'mergeable as a number', path: ['mergeable'], value: 0 },
]);

const rtdsFrame = firstOf('rtds_activity_trades.json');

rejects('rtdsActivityTradeMessageSchema', rtdsActivityTradeMessageSchema, rtdsFrame, [
  {
    why: 'an envelope timestamp in seconds',
    path: ['timestamp'],
    value: 1790272257,
    message: 'epoch milliseconds expected',
  },
  {
    why: 'a payload timestamp in milliseconds',
    path: ['payload', 'timestamp'],
    value: 1790272257115,
    message: 'epoch seconds expected',
  },
  { why: 'a price as a string', path: ['payload', 'price'], value: '0.03' },
  { why: 'a missing asset', path: ['payload', 'asset'], value: REMOVE },
  { why: 'a missing payload', path: ['payload'], value: REMOVE },
  { why: 'another topic', path: ['topic'], value: 'comments' },
  { why: 'a fee as a string', path: ['payload', 'fee'], value: '1.5309' },
]);

rejects('rtdsMessageSchema', rtdsMessageSchema, rtdsFrame, [
  { why: 'a missing payload', path: ['payload'], value: REMOVE },
  { why: 'a payload that is not an object', path: ['payload'], value: 'x' },
  { why: 'a missing topic', path: ['topic'], value: REMOVE },
]);

const restBook = readSample('clob_book_rest.json');

rejects('clobBookSchema', clobBookSchema, restBook, [
  { why: 'a level price as a number', path: ['bids', 0, 'price'], value: 0.01 },
  { why: 'a level price above 1', path: ['asks', 0, 'price'], value: '1.5' },
  { why: 'a level size with a sign', path: ['asks', 0, 'size'], value: '-5' },
  { why: 'a missing hash', path: ['hash'], value: REMOVE },
  { why: 'a 0x-prefixed hash', path: ['hash'], value: '0x7579762267918d7197195fbdeea8df93ef8ee532' },
  { why: 'neg_risk as a string', path: ['neg_risk'], value: 'true' },
  { why: 'a timestamp as a number', path: ['timestamp'], value: 1790262939745 },
  { why: 'a timestamp as an ISO date', path: ['timestamp'], value: '2026-09-24T15:15:39Z' },
  { why: 'a missing asks', path: ['asks'], value: REMOVE },
]);

rejects('clobMarketSchema', clobMarketSchema, readSample('clob_market_by_condition_sanitized.json'), [
  { why: 'a token id as a number', path: ['tokens', 0, 'token_id'], value: 1e76 },
  { why: 'a missing minimum_tick_size', path: ['minimum_tick_size'], value: REMOVE },
  { why: 'minimum_order_size as a string', path: ['minimum_order_size'], value: '5' },
  { why: 'a token price as a string', path: ['tokens', 1, 'price'], value: '0.285' },
]);

rejects(
  'postOrderResponseSchema',
  postOrderResponseSchema,
  readSample('clob_post_order_response_delayed_nautilus.json'),
  [
    { why: 'success as a string', path: ['success'], value: 'true' },
    { why: 'an unknown status', path: ['status'], value: 'LIVE' },
    {
      why: 'a success without orderID',
      path: ['orderID'],
      value: '',
      message: 'a successful order response carries its orderID',
    },
    { why: 'an amount as a number', path: ['takingAmount'], value: 10 },
    { why: 'transaction hashes as a string', path: ['transactionsHashes'], value: '0xaaaa' },
  ],
);

rejects(
  'cancelOrdersResponseSchema',
  cancelOrdersResponseSchema,
  readSample('clob_cancel_orders_response_nautilus.json'),
  [
    { why: 'canceled as a string', path: ['canceled'], value: '0x1111' },
    { why: 'a missing not_canceled', path: ['not_canceled'], value: REMOVE },
    { why: 'an order id as a number', path: ['canceled', 0], value: 17 },
  ],
);

rejects('wsBookMessageSchema', wsBookMessageSchema, readSample('ws_market_book.json'), [
  { why: 'a missing bids', path: ['bids'], value: REMOVE },
  { why: 'a level size as a number', path: ['bids', 4, 'size'], value: 3256.61 },
  { why: 'another event_type', path: ['event_type'], value: 'books' },
]);

rejects('wsPriceChangeMessageSchema', wsPriceChangeMessageSchema, readSample('ws_market_price_change.json'), [
  { why: 'a lower-case side', path: ['price_changes', 0, 'side'], value: 'buy' },
  { why: 'a size as a number', path: ['price_changes', 1, 'size'], value: 703988.22 },
  { why: 'a best bid as a number', path: ['price_changes', 0, 'best_bid'], value: 0.61 },
  { why: 'a missing market', path: ['market'], value: REMOVE },
]);

rejects(
  'wsLegacyPriceChangeMessageSchema',
  wsLegacyPriceChangeMessageSchema,
  readSample('ws_market_price_change_legacy.json'),
  [
    { why: 'a change price as a number', path: ['changes', 0, 'price'], value: 0.4 },
    { why: 'a missing asset_id', path: ['asset_id'], value: REMOVE },
  ],
);

rejects(
  'wsLastTradePriceMessageSchema',
  wsLastTradePriceMessageSchema,
  readSample('ws_market_last_trade_price.json'),
  [
    { why: 'a price as a number', path: ['price'], value: 0.002 },
    { why: 'a missing side', path: ['side'], value: REMOVE },
    { why: 'a fee rate as a number', path: ['fee_rate_bps'], value: 0 },
  ],
);

rejects(
  'wsTickSizeChangeMessageSchema',
  wsTickSizeChangeMessageSchema,
  readSample('ws_market_tick_size_change.json'),
  [
    { why: 'a new tick as a number', path: ['new_tick_size'], value: 0.001 },
    { why: 'a missing asset_id', path: ['asset_id'], value: REMOVE },
  ],
);

rejects('wsBestBidAskMessageSchema', wsBestBidAskMessageSchema, readSample('ws_market_best_bid_ask.json'), [
  { why: 'a best bid as a number', path: ['best_bid'], value: 0.73 },
  { why: 'a timestamp as a number', path: ['timestamp'], value: 1766789469958 },
]);

rejects('wsNewMarketMessageSchema', wsNewMarketMessageSchema, readSample('ws_market_new_market.json'), [
  { why: 'assets_ids as a string', path: ['assets_ids'], value: '["7604"]' },
  { why: 'a missing market', path: ['market'], value: REMOVE },
]);

rejects(
  'wsMarketResolvedMessageSchema',
  wsMarketResolvedMessageSchema,
  readSample('ws_market_market_resolved.json'),
  [
    { why: 'a winner that is not one of the assets', path: ['winning_asset_id'], value: '12345' },
    { why: 'a missing winning_asset_id', path: ['winning_asset_id'], value: REMOVE },
  ],
);

rejects('wsMarketMessageSchema', wsMarketMessageSchema, readSample('ws_market_price_change.json'), [
  { why: 'an unknown event_type', path: ['event_type'], value: 'order_book_delta' },
  { why: 'a missing event_type', path: ['event_type'], value: REMOVE },
  {
    why: 'a price_change in neither format (read as the current one)',
    path: ['price_changes'],
    value: REMOVE,
  },
  { why: 'a current price_change with a numeric price', path: ['price_changes', 0, 'price'], value: 0.59 },
]);

rejects('wsUserOrderMessageSchema', wsUserOrderMessageSchema, readSample('ws_user_order_docs.json'), [
  { why: 'an unknown type', path: ['type'], value: 'PLACED' },
  { why: 'a price as a number', path: ['price'], value: 0.57 },
  { why: 'a missing id', path: ['id'], value: REMOVE },
  { why: 'associate_trades as a string', path: ['associate_trades'], value: 'abc' },
]);

rejects('wsUserTradeMessageSchema', wsUserTradeMessageSchema, readSample('ws_user_trade_docs.json'), [
  { why: 'an unknown status', path: ['status'], value: 'SETTLED' },
  { why: 'a matched amount as a number', path: ['maker_orders', 0, 'matched_amount'], value: 10 },
  { why: 'a missing taker_order_id', path: ['taker_order_id'], value: REMOVE },
  { why: 'a missing maker_orders', path: ['maker_orders'], value: REMOVE },
]);

rejects(
  'wsMarketMessageSchema (legacy price_change)',
  wsMarketMessageSchema,
  readSample('ws_market_price_change_legacy.json'),
  [{ why: 'a legacy change with a numeric size', path: ['changes', 2, 'size'], value: 3400 }],
);

rejects('wsUserMessageSchema', wsUserMessageSchema, readSample('ws_user_trade_docs.json'), [
  { why: 'an unknown event_type', path: ['event_type'], value: 'balance' },
]);

describe('normalizations', () => {
  it('a v2 page with data null reads as no rows', () => {
    const page = dataApiV2TradesPageSchema.parse({
      data: null,
      pagination: { limit: 100, offset: 0, has_more: false, next_cursor: null },
    });
    expect(page.data).toEqual([]);
  });

  it('a non-trade activity row may leave side, token and condition empty (-> null)', () => {
    const redeem = dataApiV2ActivitySchema.parse({
      ...v2Activity,
      type: 'REWARD',
      side: '',
      token_id: '',
      condition_id: '',
      price: 0,
    });
    expect(redeem).toMatchObject({ side: null, token_id: null, condition_id: null });
  });
});
