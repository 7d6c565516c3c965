/**
 * A `price_change` message (either format) as the level changes it makes and what each claims
 * about the book once its operation is done, for the tokens the caller follows. Pure; throws
 * MoneyError when a value cannot be represented, so a message is used whole or not at all.
 */
import { parsePrice, parseShares } from '../../core/decimal.ts';
import type { Price } from '../../core/money.ts';
import {
  isLegacyPriceChange,
  type WsLegacyPriceChangeMessage,
  type WsPriceChangeMessage,
} from '../../polymarket/clob/index.ts';
import type { Expectation } from './consistency.ts';
import type { LevelChange } from './token-state.ts';
import { bookSideOf } from './wire.ts';

export interface TokenChange {
  tokenId: string;
  change: LevelChange;
  expectation: Expectation;
}

/** A `best_bid` / `best_ask`: undefined when absent, null when "" (an empty side). */
function optionalPrice(value: string | null | undefined): Price | null | undefined {
  if (value === undefined || value === null) return value;
  return parsePrice(value);
}

/** The changes of `message` to tokens `follows` accepts, in message order. */
export function priceChanges(
  message: WsPriceChangeMessage | WsLegacyPriceChangeMessage,
  follows: (tokenId: string) => boolean,
): TokenChange[] {
  const timestamp = Number(message.timestamp);
  const out: TokenChange[] = [];
  if (isLegacyPriceChange(message)) {
    if (!follows(message.asset_id)) return out;
    // One token per message, its hash at the top, no top of book.
    const expectation: Expectation = {
      hash: message.hash,
      bestBid: undefined,
      bestAsk: undefined,
      timestamp: message.timestamp,
    };
    for (const c of message.changes) {
      const change = {
        timestamp,
        side: bookSideOf(c.side),
        price: parsePrice(c.price),
        size: parseShares(c.size),
      };
      out.push({ tokenId: message.asset_id, change, expectation });
    }
    return out;
  }
  for (const c of message.price_changes) {
    if (!follows(c.asset_id)) continue;
    out.push({
      tokenId: c.asset_id,
      change: { timestamp, side: bookSideOf(c.side), price: parsePrice(c.price), size: parseShares(c.size) },
      expectation: {
        hash: c.hash,
        bestBid: optionalPrice(c.best_bid),
        bestAsk: optionalPrice(c.best_ask),
        timestamp: message.timestamp,
      },
    });
  }
  return out;
}

/** Every token id a `price_change` names (to resync them when it cannot be used). */
export function priceChangeTokens(message: WsPriceChangeMessage | WsLegacyPriceChangeMessage): string[] {
  return isLegacyPriceChange(message) ? [message.asset_id] : message.price_changes.map((c) => c.asset_id);
}
