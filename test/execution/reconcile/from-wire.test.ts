/** The venue's wire shapes (captured samples) into reconciliation data, and through applyUserEvent. */
import { describe, expect, it } from 'vitest';
import {
  applyUserEvent,
  epochMsOf,
  userEventFromWire,
  venueOrderFromWire,
  venueTradeFromWire,
} from '../../../src/execution/reconcile/index.ts';
import { wsUserMessageSchema } from '../../../src/polymarket/clob/index.ts';
import { readSample } from '../../support/shape.ts';
import { order, px, sh } from './support.ts';

const DOCS_MAKER_ORDER = '0xff354cd7ca7539dfa9c28d90943ab5779a4eac34b9b37a757d7b32bdfb11790b';
const event = (name: string) => userEventFromWire(wsUserMessageSchema.parse(readSample(name)));

describe('from the wire', () => {
  it('epoch texts in seconds or milliseconds become ms', () => {
    expect(epochMsOf('1672290701')).toBe(1_672_290_701_000);
    expect(epochMsOf('1786179997002')).toBe(1_786_179_997_002);
    expect(() => epochMsOf('soon')).toThrow(/not an epoch time/);
  });

  it('the docs PLACEMENT and trade of one resting order: LIVE, then a maker fill that fills it', () => {
    const placement = event('ws_user_order_docs.json');
    expect(placement).toEqual({
      kind: 'order',
      type: 'PLACEMENT',
      orderId: DOCS_MAKER_ORDER,
      originalSize: sh(10),
      sizeMatched: 0,
      status: null,
      expiration: null,
      timestampMs: 1_672_290_687_000,
    });
    const trade = event('ws_user_trade_docs.json');
    expect(trade).toEqual({
      kind: 'trade',
      trade: {
        id: '28c4d2eb-bbea-40e7-a9f0-b2fdb56b2c2e',
        status: 'MATCHED',
        takerOrderId: '0x06bc63e346ed4ceddce9efd6b3af37c8f8f440c92fe7da6b2d0f9e4ccbc50c42',
        size: sh(10),
        price: px(0.57),
        makerOrders: [{ orderId: DOCS_MAKER_ORDER, matchedAmount: sh(10), price: px(0.57) }],
        matchTimeMs: 1_672_290_701_000,
        txHash: null,
      },
    });
    const local = order({ orderHash: DOCS_MAKER_ORDER });
    const live = applyUserEvent(local, placement);
    expect(live.order.status).toBe('LIVE');
    const filled = applyUserEvent(live.order, trade);
    expect(filled.order.status).toBe('FILLED');
    expect(filled.order.fills).toEqual([
      expect.objectContaining({ role: 'MAKER', size: sh(10), price: px(0.57) }),
    ]);
  });

  it('a FOK killed on arrival (NT capture): "" size_matched is null, and the order is REJECTED as its POST was', () => {
    const killed = event('ws_user_order_fok_killed_nautilus.json');
    expect(killed).toMatchObject({ type: 'CANCELLATION', sizeMatched: null, expiration: 0 });
    const out = applyUserEvent(order({ orderHash: '0x46', orderType: 'FOK' }), killed);
    expect(out.order.status).toBe('REJECTED');
    expect(out.reason).toMatch(/FOK orders are fully filled or killed/);
  });

  it('a REST open order with 4-decimal sizes and a REST trade with settlement fields', () => {
    expect(
      venueOrderFromWire({
        id: '0x1',
        status: 'LIVE',
        original_size: '100.0000',
        size_matched: '12.5000',
        expiration: '0',
      }),
    ).toEqual({ id: '0x1', status: 'LIVE', originalSize: sh(100), sizeMatched: sh(12.5), expiration: 0 });
    const trade = venueTradeFromWire({
      id: 't',
      taker_order_id: '0x2',
      size: '5',
      price: '0.5133333333',
      status: 'CONFIRMED',
      maker_orders: [],
      match_time: '1790000000',
      transaction_hash: '0xabc',
    });
    expect(trade).toMatchObject({ price: 513_333, matchTimeMs: 1_790_000_000_000, txHash: '0xabc' });
    const settled = {
      id: 't',
      taker_order_id: '0x2',
      size: '1',
      price: '0.5',
      status: 'SETTLED',
      maker_orders: [],
    };
    expect(() => venueTradeFromWire(settled)).toThrow(/unknown status "SETTLED"/);
  });
});
