/**
 * A trade as `/data/trades` gives it to one of its participants (`Trade` of clob-client-v2).
 *
 * One engine trade (a taker order against one or more makers, one settlement transaction) is seen
 * by each participating API key: the taker with `trader_side: "TAKER"` and every maker fill, a
 * maker with `trader_side: "MAKER"` and only its own fills. The top-level `side`, `asset_id`,
 * `price`, `size` and `outcome` are the taker's either way, with `owner` and `maker_address` the
 * viewer's (as in the docs' user-channel trade example, where the maker sees the taker's BUY).
 * Times are epoch seconds as strings. The taker `price` is the size-weighted average of its fills
 * (exact when it hit one price level). Fee rates are in basis points; makers pay none.
 */
import { formatMicro } from '../../../core/decimal.ts';
import { MICRO, type Micro } from '../../../core/money.ts';
import { mulDiv } from '../../../core/rounding.ts';
import type { MakerFill, Trade } from '../../engine/index.ts';
import type { VenueTrade } from '../../venue/index.ts';

export interface MakerOrderWire {
  order_id: string;
  owner: string;
  maker_address: string;
  matched_amount: string;
  price: string;
  fee_rate_bps: string;
  asset_id: string;
  outcome: string;
  side: string;
}

export interface TradeWire {
  id: string;
  taker_order_id: string;
  market: string;
  asset_id: string;
  side: string;
  size: string;
  fee_rate_bps: string;
  price: string;
  status: string;
  match_time: string;
  last_update: string;
  outcome: string;
  bucket_index: number;
  owner: string;
  maker_address: string;
  maker_orders: MakerOrderWire[];
  transaction_hash: string;
  trader_side: 'TAKER' | 'MAKER';
}

const seconds = (ms: number) => String(Math.floor(ms / 1000));
const bps = (rate: Micro) => String(Math.round((rate * 10_000) / MICRO));

function makerOrder(fill: MakerFill): MakerOrderWire {
  return {
    order_id: fill.orderId,
    owner: fill.owner,
    maker_address: fill.maker,
    matched_amount: formatMicro(fill.shares),
    price: formatMicro(fill.price),
    fee_rate_bps: '0',
    asset_id: fill.tokenId,
    outcome: fill.outcome,
    side: fill.side,
  };
}

function takerPrice(trade: Trade): number {
  const { shares, usdc } = trade.taker;
  return shares > 0 ? mulDiv(usdc, MICRO, shares, 'halfUp') : 0;
}

/** Whether an API key took part in a trade. */
export function involves(trade: Trade, apiKey: string): boolean {
  return trade.taker.owner === apiKey || trade.makers.some((m) => m.owner === apiKey);
}

/** The rows `apiKey` sees of one trade: its taker view, its maker view, or both (self-trade). */
export function renderTradeFor(record: VenueTrade, apiKey: string): TradeWire[] {
  const { trade } = record;
  const t = trade.taker;
  const base = {
    id: trade.id,
    taker_order_id: t.orderId,
    market: trade.market,
    asset_id: t.tokenId,
    side: t.side,
    size: formatMicro(t.shares),
    fee_rate_bps: bps(t.feeRate),
    price: formatMicro(takerPrice(trade)),
    status: record.status,
    match_time: seconds(trade.matchTime),
    last_update: seconds(record.updatedAt),
    outcome: t.outcome,
    bucket_index: 0,
    transaction_hash: record.txHash,
  };
  const rows: TradeWire[] = [];
  if (t.owner === apiKey) {
    rows.push({
      ...base,
      owner: t.owner,
      maker_address: t.maker,
      maker_orders: trade.makers.map(makerOrder),
      trader_side: 'TAKER',
    });
  }
  const own = trade.makers.filter((m) => m.owner === apiKey);
  const first = own[0];
  if (first !== undefined) {
    rows.push({
      ...base,
      owner: apiKey,
      maker_address: first.maker,
      maker_orders: own.map(makerOrder),
      trader_side: 'MAKER',
    });
  }
  return rows;
}
