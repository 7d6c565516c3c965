/**
 * Which user-channel messages each venue event becomes, and for whom: `order` events to the
 * order's owner (the API key that placed it), `trade` status changes (MATCHED, MINED, CONFIRMED,
 * FAILED) to every API key with an order in the trade, each filtered by the connection's markets.
 */
import type { VenueEvent } from '../../venue/index.ts';
import { orderMessage, tradeMessage, tradeParticipants } from './user-messages.ts';

export interface UserSink {
  /** Sends to the connections authenticated as `apiKey` that follow `market`. */
  send(apiKey: string, market: string, text: () => string): void;
}

export function userTranslator(sink: UserSink, now: () => number): (event: VenueEvent) => void {
  return (event) => {
    if (event.kind === 'trade_status') {
      const record = event.trade;
      for (const key of tradeParticipants(record.trade)) {
        sink.send(key, record.trade.market, () => JSON.stringify(tradeMessage(record, key, now())));
      }
      return;
    }
    const e = event.event;
    if (e.type === 'order_placed' || e.type === 'order_updated' || e.type === 'order_cancelled') {
      sink.send(e.order.owner, e.order.market, () => JSON.stringify(orderMessage(e)));
    }
  };
}
