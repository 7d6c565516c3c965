/**
 * The client side of RTDS, as a pure state machine per connection: what a text frame asks for
 * (a ping, a subscribe or an unsubscribe) and which subscriptions a published record reaches.
 * Anything else (bad JSON, unknown actions, malformed filters) is ignored, never an error.
 */
import { z } from 'zod';
import type { FeedRecord } from './record.ts';

/** The `activity` topic's message types; `*` subscribes to all of them. */
export const ACTIVITY_MESSAGE_TYPES = ['trades', 'orders_matched'] as const;
export type ActivityMessageType = (typeof ACTIVITY_MESSAGE_TYPES)[number];

/** `{"event_slug": …}` or `{"market_slug": …}`; empty means every trade. */
export interface ActivityFilter {
  eventSlug?: string;
  marketSlug?: string;
}

export interface Subscription {
  topic: string;
  type: string;
  filter: ActivityFilter;
  /** Identity for dedupe and unsubscribe: the filter as given. */
  filterKey: string;
}

const subscriptionSchema = z.object({
  topic: z.string().min(1),
  type: z.string().min(1),
  filters: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
});
const requestSchema = z.object({
  action: z.enum(['subscribe', 'unsubscribe']),
  subscriptions: z.array(z.unknown()),
});

/** A subscribe or unsubscribe request; `filtersGiven[i]` says whether subscription i named a filter. */
export interface SubscriptionFrame {
  kind: 'subscribe' | 'unsubscribe';
  subscriptions: Subscription[];
  filtersGiven: boolean[];
}

export type ClientFrame = { kind: 'ping'; reply: string } | SubscriptionFrame | { kind: 'ignored' };

function parseFilter(raw: string | Record<string, unknown> | undefined): ActivityFilter | undefined {
  if (raw === undefined || raw === '') return {};
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return undefined;
    }
  }
  const parsed = z
    .object({ event_slug: z.string().optional(), market_slug: z.string().optional() })
    .safeParse(value);
  if (!parsed.success) return undefined;
  return {
    ...(parsed.data.event_slug !== undefined ? { eventSlug: parsed.data.event_slug } : {}),
    ...(parsed.data.market_slug !== undefined ? { marketSlug: parsed.data.market_slug } : {}),
  };
}

/** Expands `*` on the activity topic into its concrete types, so unsubscribing one type works. */
function expand(topic: string, type: string): string[] {
  return topic === 'activity' && type === '*' ? [...ACTIVITY_MESSAGE_TYPES] : [type];
}

/** What a text frame from a client asks for. */
export function parseClientFrame(text: string): ClientFrame {
  // The official TS client sends `ping`; the official Rust client sends `PING` and waits for `PONG`.
  if (text === 'ping') return { kind: 'ping', reply: 'pong' };
  if (text === 'PING') return { kind: 'ping', reply: 'PONG' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'ignored' };
  }
  const request = requestSchema.safeParse(json);
  if (!request.success) return { kind: 'ignored' };
  const subscriptions: Subscription[] = [];
  const filtersGiven: boolean[] = [];
  for (const raw of request.data.subscriptions) {
    const s = subscriptionSchema.safeParse(raw);
    if (!s.success) continue;
    const filter = parseFilter(s.data.filters);
    if (!filter) continue;
    const filterKey = JSON.stringify(filter);
    for (const type of expand(s.data.topic, s.data.type)) {
      subscriptions.push({ topic: s.data.topic, type, filter, filterKey });
      filtersGiven.push(s.data.filters !== undefined && s.data.filters !== '');
    }
  }
  return { kind: request.data.action, subscriptions, filtersGiven };
}

/** One connection's subscriptions. */
export class SubscriptionSet {
  readonly #subs = new Map<string, Subscription>();

  #key(s: Subscription): string {
    return `${s.topic}\u0000${s.type}\u0000${s.filterKey}`;
  }

  apply(frame: SubscriptionFrame): void {
    frame.subscriptions.forEach((s, i) => {
      if (frame.kind === 'subscribe') {
        this.#subs.set(this.#key(s), s);
        return;
      }
      // Unsubscribing without filters drops that type whatever its filter.
      for (const [key, held] of this.#subs) {
        if (held.topic !== s.topic || held.type !== s.type) continue;
        if (!frame.filtersGiven[i] || held.filterKey === s.filterKey) this.#subs.delete(key);
      }
    });
  }

  get size(): number {
    return this.#subs.size;
  }

  /** Whether an `activity` message of `type` about `record` reaches this connection. */
  wants(type: ActivityMessageType, record: FeedRecord): boolean {
    for (const s of this.#subs.values()) {
      if (s.topic !== 'activity' || s.type !== type) continue;
      if (s.filter.eventSlug !== undefined && s.filter.eventSlug !== record.market.eventSlug) continue;
      if (s.filter.marketSlug !== undefined && s.filter.marketSlug !== record.market.slug) continue;
      return true;
    }
    return false;
  }
}
