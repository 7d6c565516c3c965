/**
 * Which market-channel messages each venue event becomes, and who gets them:
 * - `book_changed` -> `price_change` per level to subscribers of either token (real captures show
 *   both tokens' entries to a client subscribed to one), then, when a trade changed the book, a
 *   `book` per token to that token's subscribers;
 * - `last_trade_price` -> to the token's subscribers, once its transaction hash is known;
 * - `tick_size_changed` -> `tick_size_change` to the token's subscribers;
 * - with `custom_feature_enabled`: `best_bid_ask` to the token's subscribers, `new_market` to
 *   everyone (nobody can have subscribed a new market's tokens yet), `market_resolved` to the
 *   market's subscribers and to wide (asset-less) subscriptions.
 * Order, trade-status and ledger events have no market-channel message.
 */
import type { EngineEvent, LastTradePriceEvent } from '../../engine/index.ts';
import type { SimVenue, VenueEvent } from '../../venue/index.ts';
import { bestBidAskMessage, marketResolvedMessage, newMarketMessage } from './custom-messages.ts';
import {
  lastTradePriceMessage,
  priceChangeMessages,
  tickSizeChangeMessage,
  tradeBookMessage,
} from './market-messages.ts';
import type { MarketSubscription } from './subscriptions.ts';

export type MarketAudience = (s: MarketSubscription) => boolean;

export interface MarketSink {
  /** Sends to every connection in the audience; `text` is built only if there is one. */
  send(to: MarketAudience, text: () => string): void;
}

const json = (value: unknown) => () => JSON.stringify(value);

export function marketTranslator(venue: SimVenue, sink: MarketSink): (event: VenueEvent) => void {
  const lastTrade = (e: LastTradePriceEvent) => {
    const to: MarketAudience = (s) => s.has(e.tokenId);
    const known = venue.trade(e.tradeId);
    if (known !== undefined) {
      sink.send(to, json(lastTradePriceMessage(e, known.txHash)));
      return;
    }
    // On a chain the hash comes after the match; the print waits for it.
    venue.settlement(e.tradeId).then(
      (t) => sink.send(to, json(lastTradePriceMessage(e, t.txHash))),
      () => sink.send(to, json(lastTradePriceMessage(e, ''))),
    );
  };

  const onEngine = (e: EngineEvent) => {
    switch (e.type) {
      case 'book_changed': {
        for (const change of priceChangeMessages(e)) {
          sink.send((s) => s.hasAny(change.assetIds), json(change.message));
        }
        if (!e.traded) return;
        const tokens = venue.engine.market(e.market)?.tokenIds ?? [];
        for (const tokenId of tokens) {
          sink.send(
            (s) => s.has(tokenId),
            () => {
              const book = venue.engine.bookFor(tokenId);
              return book === undefined ? '' : JSON.stringify(tradeBookMessage(book));
            },
          );
        }
        return;
      }
      case 'last_trade_price':
        lastTrade(e);
        return;
      case 'tick_size_changed':
        sink.send((s) => s.has(e.tokenId), json(tickSizeChangeMessage(e)));
        return;
      case 'best_bid_ask':
        sink.send((s) => s.customFeatures && s.has(e.tokenId), json(bestBidAskMessage(e)));
        return;
      case 'market_created':
        sink.send((s) => s.customFeatures, json(newMarketMessage(venue.catalog, e.market, e.timestamp)));
        return;
      case 'market_resolved': {
        const outcomes = venue.engine.market(e.market)?.outcomes ?? [];
        sink.send(
          (s) => s.customFeatures && (s.broad || s.hasAny(e.tokenIds)),
          json(marketResolvedMessage(venue.catalog, e, outcomes)),
        );
        return;
      }
      default:
        return;
    }
  };

  return (event) => {
    if (event.kind === 'engine') onEngine(event.event);
  };
}
