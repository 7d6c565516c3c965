/**
 * Live `eth_subscribe` subscriptions (`newHeads`, `logs`), fed from mined blocks and reorgs.
 *
 * Each log goes out as its own `eth_subscription` message, as geth sends them. Ids are random
 * 16-byte hex, as geth's are.
 */
import { randomToken } from '../../core/index.ts';
import { type LogFilter, logMatches, type RpcLog } from './log-filter.ts';

/** One client connection that can receive notifications. */
export interface NotificationSink {
  send(message: string): void;
}

export type SubscriptionKind = { type: 'newHeads' } | { type: 'logs'; filter: LogFilter };

interface Subscription {
  id: string;
  sink: NotificationSink;
  kind: SubscriptionKind;
}

export class SubscriptionHub {
  readonly #byId = new Map<string, Subscription>();

  /** A fresh subscription id; the subscription starts when `activate` is called with it. */
  newId(): string {
    return `0x${randomToken(16)}`;
  }

  /**
   * Starts delivering to `sink`. Called right after the `eth_subscribe` response was written, so
   * a client never sees a notification for an id it has not been given yet.
   */
  activate(id: string, sink: NotificationSink, kind: SubscriptionKind): void {
    this.#byId.set(id, { id, sink, kind });
  }

  /** Ends one subscription of `sink`; false when it has none with that id. */
  remove(id: string, sink: NotificationSink): boolean {
    const sub = this.#byId.get(id);
    if (!sub || sub.sink !== sink) return false;
    this.#byId.delete(id);
    return true;
  }

  /** Ends every subscription of a closed connection. */
  removeSink(sink: NotificationSink): void {
    for (const [id, sub] of this.#byId) if (sub.sink === sink) this.#byId.delete(id);
  }

  get size(): number {
    return this.#byId.size;
  }

  publishHead(header: Record<string, unknown>): void {
    for (const sub of this.#byId.values()) {
      if (sub.kind.type === 'newHeads') sub.sink.send(notification(sub.id, header));
    }
  }

  /** Sends each matching log, in the given order, to every logs subscription. */
  publishLogs(logs: readonly RpcLog[]): void {
    if (logs.length === 0) return;
    for (const sub of this.#byId.values()) {
      const kind = sub.kind;
      if (kind.type !== 'logs') continue;
      for (const log of logs) {
        if (logMatches(kind.filter, log)) sub.sink.send(notification(sub.id, log));
      }
    }
  }
}

function notification(subscription: string, result: unknown): string {
  return JSON.stringify({ jsonrpc: '2.0', method: 'eth_subscription', params: { subscription, result } });
}
