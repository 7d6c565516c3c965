/**
 * What one market-channel text frame holds, as a pure function: keepalive, or a list of items,
 * each a validated message, an ignored one (an `event_type` we do not know: Polymarket adds
 * custom events), or a bad one to count and skip. A frame is one JSON object or an array of them;
 * each element is judged on its own so one bad message does not cost the rest.
 */
import type { z } from 'zod';
import {
  WS_MARKET_EVENT_TYPES,
  type WsMarketMessage,
  wsMarketMessageSchema,
} from '../../polymarket/clob/index.ts';
// The RTDS client's log-sample helper: one rule for how much of a bad frame a log line shows.
import { sampleOf } from '../../polymarket/rtds/index.ts';

export type MarketFrameItem =
  | { kind: 'message'; message: WsMarketMessage }
  | { kind: 'ignored'; eventType: string }
  /** `assetIds`: token ids the bad message names, read best-effort so their books can be resynced. */
  | { kind: 'bad'; reason: string; sample: string; assetIds: string[] };

export type MarketFrame = { kind: 'keepalive' } | { kind: 'items'; items: MarketFrameItem[] };

const KNOWN: ReadonlySet<string> = new Set(WS_MARKET_EVENT_TYPES);
/** `PONG` answers our `PING`; empty frames occur and carry nothing. */
const KEEPALIVE = /^(?:PONG|PING)?$/i;

export function parseMarketFrame(text: string): MarketFrame {
  const trimmed = text.trim();
  if (KEEPALIVE.test(trimmed)) return { kind: 'keepalive' };
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    return { kind: 'items', items: [bad('not JSON', text, [])] };
  }
  const elements = Array.isArray(json) ? json : [json];
  return { kind: 'items', items: elements.map((e) => parseElement(e, text)) };
}

function parseElement(element: unknown, frameText: string): MarketFrameItem {
  if (typeof element !== 'object' || element === null || Array.isArray(element)) {
    return bad('not a JSON object', frameText, []);
  }
  const eventType = (element as { event_type?: unknown }).event_type;
  if (typeof eventType !== 'string') return bad('no event_type', frameText, assetIdsOf(element));
  if (!KNOWN.has(eventType)) return { kind: 'ignored', eventType };
  const parsed = wsMarketMessageSchema.safeParse(element);
  if (parsed.success) return { kind: 'message', message: parsed.data };
  return bad(`${eventType}: ${describeIssues(parsed.error)}`, JSON.stringify(element), assetIdsOf(element));
}

function bad(reason: string, text: string, assetIds: string[]): MarketFrameItem {
  return { kind: 'bad', reason, sample: sampleOf(text), assetIds };
}

/** The string `asset_id`s a message mentions at its top or in `price_changes`. */
function assetIdsOf(element: object): string[] {
  const ids = new Set<string>();
  const add = (v: unknown) => {
    if (typeof v === 'string' && v !== '') ids.add(v);
  };
  add((element as { asset_id?: unknown }).asset_id);
  const changes = (element as { price_changes?: unknown }).price_changes;
  if (Array.isArray(changes)) {
    for (const c of changes)
      if (typeof c === 'object' && c !== null) add((c as { asset_id?: unknown }).asset_id);
  }
  return [...ids];
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}
