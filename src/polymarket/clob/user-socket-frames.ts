/**
 * The user channel's frames as pure functions: what a received text frame holds (keepalive, or
 * messages validated by the ws-user schemas, each good or bad on its own), the subscribe request,
 * the credentials scrubbed from a log sample, and which part of a trade is the account's.
 *
 * Every message of this channel is about our orders, so anything we cannot read (broken JSON, a
 * known event with bad fields, an `event_type` we do not know) is a bad message: counted, logged
 * and skipped, and the caller should reconcile because a state change may be in it.
 */
import type { z } from 'zod';
// The RTDS client's log-sample helper: one rule for how much of a bad frame a log line shows.
import { sampleOf } from '../rtds/index.ts';
import {
  type WsMakerOrder,
  type WsUserMessage,
  type WsUserTradeMessage,
  wsUserMessageSchema,
} from './schemas/ws-user.ts';

export type UserFrameItem =
  | { kind: 'message'; message: WsUserMessage }
  | { kind: 'bad'; reason: string; sample: string };

export type UserFrame = { kind: 'keepalive' } | { kind: 'items'; items: UserFrameItem[] };

/** `PONG` answers our `PING`; empty frames occur and carry nothing. */
const KEEPALIVE = /^(?:PONG|PING)?$/i;
const KNOWN = new Set(['order', 'trade']);

/** `scrub` removes what must never reach a log (our credentials) from bad-message samples. */
export function parseUserFrame(text: string, scrub: (text: string) => string = (t) => t): UserFrame {
  const trimmed = text.trim();
  if (KEEPALIVE.test(trimmed)) return { kind: 'keepalive' };
  const bad = (reason: string, sample: string): UserFrameItem => ({
    kind: 'bad',
    reason,
    sample: sampleOf(scrub(sample)),
  });
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    return { kind: 'items', items: [bad('not JSON', text)] };
  }
  const elements = Array.isArray(json) ? json : [json];
  const items = elements.map((element): UserFrameItem => {
    if (typeof element !== 'object' || element === null || Array.isArray(element)) {
      return bad('not a JSON object', text);
    }
    const eventType = (element as { event_type?: unknown }).event_type;
    if (typeof eventType !== 'string') return bad('no event_type', JSON.stringify(element));
    if (!KNOWN.has(eventType)) return bad(`unknown event_type ${eventType}`, JSON.stringify(element));
    const parsed = wsUserMessageSchema.safeParse(element);
    if (parsed.success) return { kind: 'message', message: parsed.data };
    return bad(`${eventType}: ${describeIssues(parsed.error)}`, JSON.stringify(element));
  });
  return { kind: 'items', items };
}

export interface UserChannelCredentials {
  /** The API key (uuid). */
  key: string;
  secret: string;
  passphrase: string;
}

/**
 * The subscribe request (api-reference.md §5.2): the credentials themselves, no HMAC. `markets`
 * are condition ids; empty means every market of the account.
 */
export function userSubscribeRequest(creds: UserChannelCredentials, markets: readonly string[]): string {
  return JSON.stringify({
    auth: { apiKey: creds.key, secret: creds.secret, passphrase: creds.passphrase },
    markets,
    assets_ids: [],
    type: 'user',
  });
}

/** A received text with the credentials taken out, for log samples: a server may echo them. */
export function scrubCredentials(text: string, creds: UserChannelCredentials): string {
  return text
    .replaceAll(creds.secret, '[secret]')
    .replaceAll(creds.passphrase, '[passphrase]')
    .replaceAll(creds.key, '[api-key]');
}

/** Adds markets to a live subscription (the first request authenticated the socket). */
export function userAddMarketsRequest(markets: readonly string[]): string {
  return JSON.stringify({ operation: 'subscribe', markets });
}

/** The account's part in a trade. */
export interface OurTradePart {
  /** TAKER when our order took; MAKER when only resting orders of ours were filled. */
  role: 'TAKER' | 'MAKER';
  /** Our taker order's hash when we took, else null. */
  takerOrderId: string | null;
  /** Our resting orders the trade filled (a taker sees every maker; these are the ones we own). */
  makerOrders: WsMakerOrder[];
}

/**
 * Which part of a trade is ours, by `trader_side` and the `owner` (our API key) of each maker
 * order. Without `trader_side`, owning a maker order makes us the maker.
 */
export function ourTradePart(trade: WsUserTradeMessage, apiKey: string): OurTradePart {
  const makerOrders = trade.maker_orders.filter((m) => m.owner === apiKey);
  const role = trade.trader_side ?? (makerOrders.length > 0 ? 'MAKER' : 'TAKER');
  return { role, takerOrderId: role === 'TAKER' ? trade.taker_order_id : null, makerOrders };
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}
